"""A user's ONNX model read into a network table: parsed and shape-inferred with the ``onnx`` package,
never executed.

Supported: Conv, MaxPool / AveragePool, GlobalAveragePool / GlobalMaxPool, Add / Sum and Concat (merges),
Gemm / MatMul (the fully connected head) and operators that change neither the field nor the counted MACs
(activations, BatchNormalization, Dropout, Flatten, Reshape...). Anything else is listed in an
``OnnxError``, never skipped silently. Kernels, strides, dilations and pads must be the same on every
spatial axis (the table describes one axis).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import onnx
from onnx import helper, numpy_helper, shape_inference

from .networks.table import NetLayer, Network

MAX_BYTES = 128 * 1024 * 1024
MAX_NODES = 5000
SMALL_TENSOR = 1024  # initializers up to this many values keep their data (Reshape's target shape...)
# operators that neither move the field nor cost counted MACs: their output stands for their input
PASS_THROUGH: frozenset[str] = frozenset(
    {
        "Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "PRelu", "Elu", "Selu", "HardSigmoid", "HardSwish",
        "Softmax", "LogSoftmax", "Identity", "Dropout", "BatchNormalization", "InstanceNormalization",
        "LRN", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Mul", "Div", "Sub", "Gelu", "Mish", "Softplus",
        "Erf", "Cast",
    }
)  # fmt: skip
SUPPORTED: frozenset[str] = PASS_THROUGH | {
    "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Add", "Sum", "Concat", "Gemm",
    "MatMul", "Constant",
}  # fmt: skip


class OnnxError(ValueError):
    """The file cannot be turned into a table; the message says why (in English; ``code`` for the UI).

    ``code``: ``too_big``, ``not_onnx``, ``empty``, ``too_many_nodes``, ``unsupported``, ``input_shape``,
    ``layout`` (an attribute the table cannot hold); ``details`` holds the operators or values involved.
    """

    def __init__(self, code: str, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class OnnxImport:
    """The table read from a model, the pass-through operators it folded (op type → count), and the
    layers whose output size disagrees with ONNX's own shape inference (should be empty)."""

    network: Network
    folded: tuple[tuple[str, int], ...]
    shape_mismatches: tuple[str, ...] = ()


_NAME = re.compile(r"[^0-9A-Za-z_.\-/]")


def _attrs(node: onnx.NodeProto) -> dict[str, Any]:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _same(node_name: str, what: str, values: list[int] | tuple[int, ...], default: int) -> int:
    vals = list(values) or [default]
    if len(set(vals)) != 1:
        raise OnnxError(
            "layout",
            f"{node_name}: {what} differs between axes ({vals}); only square layers are supported",
            (node_name,),
        )
    return int(vals[0])


def _shape(info: dict[str, onnx.ValueInfoProto], name: str) -> tuple[int, ...] | None:
    vi = info.get(name)
    if vi is None or not vi.type.HasField("tensor_type"):
        return None
    dims = vi.type.tensor_type.shape.dim
    if not all(d.HasField("dim_value") for d in dims[1:]):
        return None
    return tuple(int(d.dim_value) if d.HasField("dim_value") else 1 for d in dims)


def _padding(
    node_name: str, a: dict[str, Any], ndim: int, size: int | None, k_eff: int, stride: int
) -> tuple[int, int]:
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else str(auto)
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        if size is None:
            raise OnnxError(
                "input_shape", f"{node_name}: auto_pad {auto} needs a known input size", (node_name,)
            )
        total = max((math.ceil(size / stride) - 1) * stride + k_eff - size, 0)
        small = total // 2
        return (small, total - small) if auto == "SAME_UPPER" else (total - small, small)
    if auto == "VALID":
        return (0, 0)
    pads = list(a.get("pads", [0] * (2 * ndim)))
    before = _same(node_name, "padding", pads[:ndim], 0)
    after = _same(node_name, "padding", pads[ndim:], 0)
    return (before, after)


def read_onnx(data: bytes, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> OnnxImport:
    """Parse ``data`` (the bytes of a ``.onnx`` file) into a network table; ``OnnxError`` otherwise."""
    if len(data) > max_bytes:
        raise OnnxError(
            "too_big", f"the file has {len(data):,} bytes; at most {max_bytes:,} are read", (str(len(data)),)
        )
    try:
        model = onnx.load_from_string(data)
    except Exception as exc:  # protobuf's DecodeError and friends: not a model, or cut short
        raise OnnxError("not_onnx", f"not an ONNX model, or a truncated one ({type(exc).__name__})") from None
    graph = model.graph
    if not graph.node:
        raise OnnxError("empty", "the file holds no ONNX graph nodes (not an ONNX model, or an empty one)")
    if len(graph.node) > max_nodes:
        raise OnnxError(
            "too_many_nodes",
            f"the graph has {len(graph.node):,} nodes; at most {max_nodes:,} are read",
            (str(len(graph.node)),),
        )
    unsupported = Counter(
        n.op_type for n in graph.node if n.op_type not in SUPPORTED or n.domain not in ("", "ai.onnx")
    )
    if unsupported:
        ops = tuple(f"{op} ×{count}" for op, count in sorted(unsupported.items()))
        raise OnnxError("unsupported", "unsupported operators: " + ", ".join(ops), ops)
    for tensor in graph.initializer:  # weights' values are never read: drop the big ones (shape tensors stay)
        if math.prod(tensor.dims) > SMALL_TENSOR:
            for name in ("raw_data", "float_data", "double_data", "int32_data", "int64_data"):
                tensor.ClearField(name)
    try:
        inferred = shape_inference.infer_shapes(model)
    except Exception as exc:
        raise OnnxError(
            "input_shape", f"ONNX shape inference failed: {str(exc).splitlines()[0][:200]}"
        ) from None
    g = inferred.graph
    info: dict[str, onnx.ValueInfoProto] = {v.name: v for v in [*g.input, *g.value_info, *g.output]}
    inits = {t.name: t for t in g.initializer}
    for n in g.node:  # Constant nodes hold weights too
        if n.op_type == "Constant":
            value = _attrs(n).get("value")
            if value is not None:
                inits[n.output[0]] = value
    inputs = [v for v in g.input if v.name not in inits]
    if len(inputs) != 1:
        raise OnnxError("input_shape", f"the model must have one input tensor, it has {len(inputs)}")
    in_shape = _shape(info, inputs[0].name)
    if in_shape is None or len(in_shape) not in (3, 4):
        raise OnnxError(
            "input_shape",
            "the input must be (N, C, L) or (N, C, H, W) with known sizes; export with a fixed input size",
        )
    ndim = len(in_shape) - 2
    if ndim == 2 and in_shape[2] != in_shape[3]:
        raise OnnxError("layout", f"the input must be square, got {in_shape[2]}×{in_shape[3]}")
    source = {inputs[0].name: "input"}  # tensor name -> row name
    rows: list[NetLayer] = []
    folded: Counter[str] = Counter()
    taken = {"input"}

    def row_name(node: onnx.NodeProto, index: int) -> str:
        base = _NAME.sub("_", node.name or f"{node.op_type}_{index}")[:60] or f"{node.op_type}_{index}"
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base}#{k}"
        taken.add(name)
        return name

    def src(tensor: str, node_name: str) -> str:
        if tensor not in source:
            raise OnnxError(
                "layout", f"{node_name}: reads {tensor!r}, which no supported layer produces", (node_name,)
            )
        return source[tensor]

    def weight_shape(tensor: str) -> tuple[int, ...] | None:
        t = inits.get(tensor)
        return None if t is None else tuple(int(d) for d in t.dims)

    def spatial(tensor: str) -> int | None:
        shape = _shape(info, tensor)
        return shape[2] if shape is not None and len(shape) == ndim + 2 else None

    for index, node in enumerate(g.node):
        op = node.op_type
        label = node.name or f"{op}_{index}"
        if op == "Constant":
            continue
        a = _attrs(node)
        data_in = [t for t in node.input if t and t not in inits]
        if op in PASS_THROUGH or (op in ("Add", "Sum") and len(data_in) < 2):
            if not data_in:
                continue
            source[node.output[0]] = src(data_in[0], label)
            folded[op] += 1
            continue
        name = row_name(node, index)
        if op == "Conv":
            w = weight_shape(node.input[1])
            if w is None or len(w) != ndim + 2:
                raise OnnxError(
                    "layout", f"{label}: the weight must be a stored tensor of rank {ndim + 2}", (label,)
                )
            k = _same(label, "kernel", list(a.get("kernel_shape", w[2:])), 1)
            s = _same(label, "stride", list(a.get("strides", [])), 1)
            d = _same(label, "dilation", list(a.get("dilations", [])), 1)
            groups = int(a.get("group", 1))
            pad = _padding(label, a, ndim, spatial(node.input[0]), d * (k - 1) + 1, s)
            bias = len(node.input) > 2 and bool(node.input[2])
            row = NetLayer(
                name, "conv", k, s, d, groups, w[1] * groups, w[0], pad, (src(node.input[0], label),), bias
            )
        elif op in ("MaxPool", "AveragePool"):
            if int(a.get("ceil_mode", 0)):
                raise OnnxError("layout", f"{label}: ceil_mode=1 pooling is not supported", (label,))
            k = _same(label, "kernel", list(a.get("kernel_shape", [])), 1)
            s = _same(label, "stride", list(a.get("strides", [])), 1)
            d = _same(label, "dilation", list(a.get("dilations", [])), 1)
            pad = _padding(label, a, ndim, spatial(node.input[0]), d * (k - 1) + 1, s)
            kind = "maxpool" if op == "MaxPool" else "avgpool"
            row = NetLayer(name, kind, k, s, d, 1, 0, 0, pad, (src(node.input[0], label),))  # type: ignore[arg-type]
        elif op in ("GlobalAveragePool", "GlobalMaxPool"):
            row = NetLayer(name, "gap", inputs=(src(node.input[0], label),))
        elif op in ("Add", "Sum", "Concat"):
            if op == "Concat" and int(a.get("axis", 1)) != 1:
                raise OnnxError(
                    "layout", f"{label}: only concatenation along channels (axis 1) is supported", (label,)
                )
            names = tuple(src(t, label) for t in data_in)
            row = NetLayer(name, "add" if op != "Concat" else "concat", inputs=names)
        else:  # Gemm, MatMul: the fully connected head
            w = weight_shape(node.input[1])
            if w is None or len(w) != 2:
                raise OnnxError("layout", f"{label}: the weight must be a stored matrix", (label,))
            trans_b = int(a.get("transB", 0)) if op == "Gemm" else 0
            features, out = (w[1], w[0]) if trans_b else (w[0], w[1])
            shape = _shape(info, data_in[0])
            prev = src(data_in[0], label)
            c_in = _channels(rows, prev, in_shape)
            bias = op == "Gemm" and len(node.input) > 2 and bool(node.input[2])
            row = NetLayer(name, "fc", c_in=c_in, c_out=out, inputs=(prev,), bias=bias)
            del shape, features  # the flattened width is checked by the analysis (c_in × spatial)
        rows.append(row)
        source[node.output[0]] = name
    if not rows:
        raise OnnxError("empty", "the graph has no convolution, pooling, merge or fully connected layer")
    net = Network("onnx", in_shape[1], tuple(in_shape[2:]), tuple(rows), rows[-1].name)
    return OnnxImport(net, tuple(sorted(folded.items())), _mismatches(net, g, source, info))


def _channels(rows: list[NetLayer], name: str, in_shape: tuple[int, ...]) -> int:
    if name == "input":
        return in_shape[1]
    from .networks.table import analyse

    partial = Network("onnx", in_shape[1], tuple(in_shape[2:]), tuple(rows))
    return analyse(partial).row(name).c_out


def _mismatches(
    net: Network, g: onnx.GraphProto, source: dict[str, str], info: dict[str, onnx.ValueInfoProto]
) -> tuple[str, ...]:
    from .networks.table import analyse

    rows = {r.layer.name: r for r in analyse(net).rows}
    out = []
    for tensor, name in source.items():
        shape = _shape(info, tensor)
        row = rows.get(name)
        if shape is None or row is None or len(shape) != net.ndim + 2 or row.layer.kind == "fc":
            continue
        if tuple(shape[1:]) != (row.c_out, *row.out_size):
            out.append(name)
    return tuple(sorted(set(out)))


__all__ = ["MAX_BYTES", "MAX_NODES", "OnnxError", "OnnxImport", "numpy_helper", "read_onnx"]
