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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import onnx
from onnx import helper, numpy_helper, shape_inference

from .networks.table import Kind, NetLayer, Network, analyse

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
    ``layout`` (an attribute the table cannot hold), ``malformed`` (a node missing an input, or layers that
    do not fit together); ``details`` holds the operators or values involved.
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


def _load(data: bytes, max_bytes: int) -> onnx.ModelProto:
    # the size limit first, then protobuf's parse (any failure there: not a model, or one cut short)
    if len(data) > max_bytes:
        raise OnnxError(
            "too_big", f"the file has {len(data):,} bytes; at most {max_bytes:,} are read", (str(len(data)),)
        )
    try:
        return onnx.load_from_string(data)
    except Exception as exc:  # protobuf's DecodeError and friends: not a model, or cut short
        raise OnnxError("not_onnx", f"not an ONNX model, or a truncated one ({type(exc).__name__})") from None


def _check_nodes(graph: onnx.GraphProto, max_nodes: int) -> None:
    # a graph with nodes, not too many, and every operator one the table can hold
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


def _drop_big_weights(graph: onnx.GraphProto) -> None:
    # weights' values are never read: drop the big ones (shape tensors stay) before shape inference
    for tensor in graph.initializer:
        if math.prod(tensor.dims) > SMALL_TENSOR:
            for name in ("raw_data", "float_data", "double_data", "int32_data", "int64_data"):
                tensor.ClearField(name)


def _infer(model: onnx.ModelProto) -> onnx.GraphProto:
    # ONNX's own shape inference; its first error line becomes the message
    try:
        return shape_inference.infer_shapes(model).graph
    except Exception as exc:
        raise OnnxError(
            "input_shape", f"ONNX shape inference failed: {str(exc).splitlines()[0][:200]}"
        ) from None


def _initializers(g: onnx.GraphProto) -> dict[str, onnx.TensorProto]:
    # stored tensors by name: the initializers and the values of Constant nodes (which hold weights too)
    inits = {t.name: t for t in g.initializer}
    for n in g.node:
        if n.op_type == "Constant":
            value = _attrs(n).get("value")
            if value is not None:
                inits[n.output[0]] = value
    return inits


def _input(
    g: onnx.GraphProto, info: dict[str, onnx.ValueInfoProto], inits: dict[str, onnx.TensorProto]
) -> tuple[str, tuple[int, ...]]:
    # the one data input (not a stored tensor): its name and a known, square (N, C, L) or (N, C, H, W) shape
    inputs = [v for v in g.input if v.name not in inits]
    if len(inputs) != 1:
        raise OnnxError("input_shape", f"the model must have one input tensor, it has {len(inputs)}")
    in_shape = _shape(info, inputs[0].name)
    if in_shape is None or len(in_shape) not in (3, 4):
        raise OnnxError(
            "input_shape",
            "the input must be (N, C, L) or (N, C, H, W) with known sizes; export with a fixed input size",
        )
    if len(in_shape) == 4 and in_shape[2] != in_shape[3]:
        raise OnnxError("layout", f"the input must be square, got {in_shape[2]}×{in_shape[3]}")
    return inputs[0].name, in_shape


@dataclass(frozen=True)
class _Op:
    """One node to turn into a row: ``label`` names it in messages, ``name`` is its (unique) row name,
    ``data_in`` the inputs that are not stored tensors."""

    node: onnx.NodeProto
    label: str
    name: str
    attrs: dict[str, Any]
    data_in: list[str]


@dataclass
class _Walk:
    """What the walk over the nodes knows: value shapes, stored tensors, which row stands for each tensor,
    the rows so far, the folded operators and the row names taken."""

    info: dict[str, onnx.ValueInfoProto]
    inits: dict[str, onnx.TensorProto]
    in_shape: tuple[int, ...]
    source: dict[str, str]
    rows: list[NetLayer] = field(default_factory=list)
    folded: Counter[str] = field(default_factory=Counter)
    taken: set[str] = field(default_factory=lambda: {"input"})

    @property
    def ndim(self) -> int:
        """Spatial axes of the input: 1 or 2."""
        return len(self.in_shape) - 2

    def row_name(self, node: onnx.NodeProto, index: int) -> str:
        """A row name from the node's name (or op type and index), made safe and unique."""
        base = _NAME.sub("_", node.name or f"{node.op_type}_{index}")[:60] or f"{node.op_type}_{index}"
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}#{k}"
        self.taken.add(name)
        return name

    def src(self, tensor: str, node_name: str) -> str:
        """The row that produced ``tensor``; ``OnnxError`` when no supported layer did."""
        if tensor not in self.source:
            raise OnnxError(
                "layout", f"{node_name}: reads {tensor!r}, which no supported layer produces", (node_name,)
            )
        return self.source[tensor]

    def weight_shape(self, tensor: str) -> tuple[int, ...] | None:
        """Dimensions of a stored tensor, ``None`` when ``tensor`` is not one."""
        t = self.inits.get(tensor)
        return None if t is None else tuple(int(d) for d in t.dims)

    def spatial(self, tensor: str) -> int | None:
        """The inferred spatial size of ``tensor``, ``None`` when unknown."""
        shape = _shape(self.info, tensor)
        return shape[2] if shape is not None and len(shape) == self.ndim + 2 else None


def _conv_row(w: _Walk, op: _Op) -> NetLayer:
    # Conv: square kernel, stride, dilation, padding; channels from the stored weight (out, in / groups, k…)
    node, label, a = op.node, op.label, op.attrs
    ws = w.weight_shape(node.input[1])
    if ws is None or len(ws) != w.ndim + 2:
        raise OnnxError(
            "layout", f"{label}: the weight must be a stored tensor of rank {w.ndim + 2}", (label,)
        )
    k = _same(label, "kernel", list(a.get("kernel_shape", ws[2:])), 1)
    s = _same(label, "stride", list(a.get("strides", [])), 1)
    d = _same(label, "dilation", list(a.get("dilations", [])), 1)
    groups = int(a.get("group", 1))
    pad = _padding(label, a, w.ndim, w.spatial(node.input[0]), d * (k - 1) + 1, s)
    bias = len(node.input) > 2 and bool(node.input[2])
    inputs = (w.src(node.input[0], label),)
    return NetLayer(op.name, "conv", k, s, d, groups, ws[1] * groups, ws[0], pad, inputs, bias)


def _pool_row(w: _Walk, op: _Op) -> NetLayer:
    # MaxPool, AveragePool: as a convolution without weights (floor mode only)
    node, label, a = op.node, op.label, op.attrs
    if int(a.get("ceil_mode", 0)):
        raise OnnxError("layout", f"{label}: ceil_mode=1 pooling is not supported", (label,))
    k = _same(label, "kernel", list(a.get("kernel_shape", [])), 1)
    s = _same(label, "stride", list(a.get("strides", [])), 1)
    d = _same(label, "dilation", list(a.get("dilations", [])), 1)
    pad = _padding(label, a, w.ndim, w.spatial(node.input[0]), d * (k - 1) + 1, s)
    kind: Kind = "maxpool" if node.op_type == "MaxPool" else "avgpool"
    return NetLayer(op.name, kind, k, s, d, 1, 0, 0, pad, (w.src(node.input[0], label),))


def _global_pool_row(w: _Walk, op: _Op) -> NetLayer:
    # GlobalAveragePool, GlobalMaxPool: the whole extent
    return NetLayer(op.name, "gap", inputs=(w.src(op.node.input[0], op.label),))


def _merge_row(w: _Walk, op: _Op) -> NetLayer:
    # Add, Sum (two or more data inputs) and Concat along channels
    concat = op.node.op_type == "Concat"
    if concat and int(op.attrs.get("axis", 1)) != 1:
        raise OnnxError(
            "layout", f"{op.label}: only concatenation along channels (axis 1) is supported", (op.label,)
        )
    names = tuple(w.src(t, op.label) for t in op.data_in)
    return NetLayer(op.name, "concat" if concat else "add", inputs=names)


def _fc_row(w: _Walk, op: _Op) -> NetLayer:
    # Gemm, MatMul: the fully connected head; the flattened width is checked by the analysis (c_in × spatial)
    node, label = op.node, op.label
    ws = w.weight_shape(node.input[1])
    if ws is None or len(ws) != 2:
        raise OnnxError("layout", f"{label}: the weight must be a stored matrix", (label,))
    gemm = node.op_type == "Gemm"
    trans_b = int(op.attrs.get("transB", 0)) if gemm else 0
    out = ws[0] if trans_b else ws[1]
    prev = w.src(op.data_in[0], label)
    c_in = _channels(w.rows, prev, w.in_shape)
    bias = gemm and len(node.input) > 2 and bool(node.input[2])
    return NetLayer(op.name, "fc", c_in=c_in, c_out=out, inputs=(prev,), bias=bias)


# the operators that become a row, each with the function that builds it
_ROW_BUILDERS: dict[str, Callable[[_Walk, _Op], NetLayer]] = {
    "Conv": _conv_row,
    "MaxPool": _pool_row,
    "AveragePool": _pool_row,
    "GlobalAveragePool": _global_pool_row,
    "GlobalMaxPool": _global_pool_row,
    "Add": _merge_row,
    "Sum": _merge_row,
    "Concat": _merge_row,
    "Gemm": _fc_row,
    "MatMul": _fc_row,
}


def _folds(op_type: str, data_in: list[str]) -> bool:
    # a pass-through operator, or an Add / Sum with fewer than two data inputs (a bias, a constant)
    return op_type in PASS_THROUGH or (op_type in ("Add", "Sum") and len(data_in) < 2)


def _walk_node(w: _Walk, node: onnx.NodeProto, index: int) -> None:
    # one node: skipped (Constant), folded into its input's row, or turned into a new row
    op_type = node.op_type
    label = node.name or f"{op_type}_{index}"
    if op_type == "Constant":
        return
    a = _attrs(node)
    data_in = [t for t in node.input if t and t not in w.inits]
    if _folds(op_type, data_in):
        if data_in:
            w.source[node.output[0]] = w.src(data_in[0], label)
            w.folded[op_type] += 1
        return
    row = _ROW_BUILDERS[op_type](w, _Op(node, label, w.row_name(node, index), a, data_in))
    w.rows.append(row)
    w.source[node.output[0]] = row.name


def read_onnx(data: bytes, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> OnnxImport:
    """Parse ``data`` (the bytes of a ``.onnx`` file) into a network table; ``OnnxError`` otherwise."""
    model = _load(data, max_bytes)
    _check_nodes(model.graph, max_nodes)
    _drop_big_weights(model.graph)
    g = _infer(model)
    info: dict[str, onnx.ValueInfoProto] = {v.name: v for v in [*g.input, *g.value_info, *g.output]}
    inits = _initializers(g)
    input_name, in_shape = _input(g, info, inits)
    w = _Walk(info, inits, in_shape, {input_name: "input"})
    for index, node in enumerate(g.node):
        try:
            _walk_node(w, node, index)
        except (IndexError, KeyError) as exc:  # a node without the inputs its operator needs
            name = node.name or f"{node.op_type}_{index}"
            raise OnnxError("malformed", f"{name}: lacks an input its operator needs", (name,)) from exc
    if not w.rows:
        raise OnnxError("empty", "the graph has no convolution, pooling, merge or fully connected layer")
    net = Network("onnx", in_shape[1], tuple(in_shape[2:]), tuple(w.rows), w.rows[-1].name)
    _check_fits(net)
    return OnnxImport(net, tuple(sorted(w.folded.items())), _mismatches(net, g, w.source, info))


def _check_fits(net: Network) -> None:
    # the table's own checks (channels of merged inputs, merges of one input): an OnnxError, not a crash
    try:
        analyse(net)
    except ValueError as exc:
        raise OnnxError("malformed", str(exc)) from exc


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
