"""ONNX import: a network exported from torch reads back as the same table; bad files give messages."""

from __future__ import annotations

import io
import warnings

import pytest
import torch
from onnx import TensorProto, helper
from torch import nn

from dsdcn.networks import analyse
from dsdcn.onnx import OnnxError, read_onnx


class Small(nn.Module):
    """Strided stem, a dilated depthwise branch summed with its input, a concat, a pool and a head."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8, bias=False)
        self.pw = nn.Conv2d(16, 16, 1, bias=False)
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.stem(x))
        z = torch.cat([self.dw(y) + y, y], 1)
        return self.fc(torch.flatten(self.pool(self.pw(z)), 1))


def _export(module: nn.Module, shape: tuple[int, ...]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter is deprecated, and works offline
        torch.onnx.export(module.eval(), torch.randn(*shape), buf, dynamo=False)
    return buf.getvalue()


@pytest.fixture(scope="module")
def exported() -> bytes:
    return _export(Small(), (1, 3, 16, 16))


def test_round_trip_matches_torch(exported: bytes) -> None:
    got = read_onnx(exported)
    assert got.shape_mismatches == ()
    a = analyse(got.network)
    assert [r.layer.kind for r in a.rows] == ["conv", "conv", "add", "concat", "conv", "maxpool", "fc"]
    model = Small()
    assert a.totals.params == sum(p.numel() for p in model.parameters())
    from torch.utils.flop_counter import FlopCounterMode

    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.randn(1, 3, 16, 16))
    assert a.totals.flops == counter.get_total_flops()
    dw = a.rows[1]
    assert (dw.layer.dilation, dw.layer.groups, dw.rf, dw.jump) == (2, 8, 11, 2)
    assert dict(got.folded)["Relu"] == 1


def test_bad_files_give_messages(exported: bytes) -> None:
    for data, code in (
        (b"", "empty"),
        (b"not an onnx file at all \x00\xff", "not_onnx"),
        (exported[:400], "not_onnx"),
    ):
        with pytest.raises(OnnxError) as err:
            read_onnx(data)
        assert err.value.code == code
    with pytest.raises(OnnxError, match="at most") as err:
        read_onnx(exported, max_bytes=1000)
    assert err.value.code == "too_big"


def test_unknown_operators_are_listed_not_skipped() -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = [
        helper.make_node("Relu", ["x"], ["a"]),
        helper.make_node("Resize", ["a"], ["b"]),
        helper.make_node("Pad", ["b"], ["y"]),
    ]
    model = helper.make_model(helper.make_graph(nodes, "g", [x], [y]))
    with pytest.raises(OnnxError) as err:
        read_onnx(model.SerializeToString())
    assert err.value.code == "unsupported"
    assert "Pad ×1" in str(err.value) and "Resize ×1" in str(err.value)


def test_same_padding_and_non_square_layers() -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 9, 9])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 2, 3, 3], [0.0] * 72)
    node = helper.make_node(
        "Conv", ["x", "w"], ["y"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"
    )
    model = helper.make_model(helper.make_graph([node], "g", [x], [y], [w]))
    row = analyse(read_onnx(model.SerializeToString()).network).rows[0]
    assert row.layer.padding == (1, 1) and row.out_size == (5, 5)  # ceil(9 / 2)
    w2 = helper.make_tensor("w", TensorProto.FLOAT, [4, 2, 3, 1], [0.0] * 24)
    node = helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 1])
    model = helper.make_model(helper.make_graph([node], "g", [x], [y], [w2]))
    with pytest.raises(OnnxError, match="square"):
        read_onnx(model.SerializeToString())


def _graph(nodes: list, shape: list, inits: tuple = (), extra_inputs: tuple = ()) -> bytes:
    """A hand-made model: input ``x`` of ``shape``, the nodes and stored tensors ``inits``; its output is
    the last node's."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)
    y = helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)
    graph = helper.make_graph(nodes, "g", [x, *extra_inputs], [y], list(inits))
    return helper.make_model(graph).SerializeToString()


W = helper.make_tensor("w", TensorProto.FLOAT, [4, 2, 3, 3], [0.0] * 72)


@pytest.mark.parametrize(
    "nodes, inits, code, message",
    [
        (
            [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], ceil_mode=1, name="p")],
            (),
            "layout",
            "p: ceil_mode=1 pooling is not supported",
        ),
        (
            [helper.make_node("Concat", ["x", "x"], ["y"], axis=2)],
            (),
            "layout",
            "Concat_0: only concatenation along channels (axis 1) is supported",
        ),
        (
            [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 3])],
            (),
            "layout",
            "MaxPool_0: kernel differs between axes ([2, 3]); only square layers are supported",
        ),
        (
            [helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 2, 1, 2])],
            (W,),
            "layout",
            "Conv_0: padding differs between axes ([1, 2]); only square layers are supported",
        ),
        (
            [helper.make_node("Conv", ["x", "w1"], ["y"])],
            (helper.make_tensor("w1", TensorProto.FLOAT, [4, 2, 3], [0.0] * 24),),
            "layout",
            "Conv_0: the weight must be a stored tensor of rank 4",
        ),
        (
            [helper.make_node("MatMul", ["x", "w"], ["y"])],
            (W,),
            "layout",
            "MatMul_0: the weight must be a stored matrix",
        ),
        (
            [helper.make_node("GlobalMaxPool", ["w"], ["y"])],
            (W,),
            "layout",
            "GlobalMaxPool_0: reads 'w', which no supported layer produces",
        ),
        (
            [helper.make_node("Relu", ["x"], ["y"])],
            (),
            "empty",
            "the graph has no convolution, pooling, merge or fully connected layer",
        ),
    ],
)
def test_layers_the_table_cannot_hold_are_named(nodes: list, inits: tuple, code: str, message: str) -> None:
    with pytest.raises(OnnxError) as err:
        read_onnx(_graph(nodes, [1, 2, 9, 9], inits))
    assert (err.value.code, str(err.value)) == (code, message)
    assert err.value.details == ((nodes[0].name or f"{nodes[0].op_type}_0",) if code == "layout" else ())


W8 = helper.make_tensor("w8", TensorProto.FLOAT, [8, 2, 3, 3], [0.0] * 144)
PAD = {"pads": [1, 1, 1, 1]}


@pytest.mark.parametrize(
    "nodes, inits, message",
    [
        ([helper.make_node("Conv", ["x"], ["y"])], (), "Conv_0: lacks an input its operator needs"),
        (
            [helper.make_node("Concat", ["x"], ["y"], axis=1)],
            (),
            "layer Concat_0: a merge needs at least two inputs",
        ),
        (
            [
                helper.make_node("Conv", ["x", "w"], ["a"], **PAD),
                helper.make_node("Conv", ["x", "w8"], ["b"], **PAD),
                helper.make_node("Add", ["a", "b"], ["y"]),
            ],
            (W, W8),
            "layer Add_2: added inputs have different channels ([4, 8])",
        ),
    ],
)
def test_layers_that_do_not_fit_together_are_refused_not_crashed_on(
    nodes: list, inits: tuple, message: str
) -> None:
    with pytest.raises(OnnxError) as err:
        read_onnx(_graph(nodes, [1, 2, 9, 9], inits))
    assert (err.value.code, str(err.value)) == ("malformed", message)


def test_inputs_the_table_cannot_hold() -> None:
    relu = [helper.make_node("Relu", ["x"], ["y"])]
    for shape, code, message in (
        ([1, 2, 8, 9], "layout", "the input must be square, got 8×9"),
        (
            ["N", 2, "H", "W"],
            "input_shape",
            "the input must be (N, C, L) or (N, C, H, W) with known sizes; export with a fixed input size",
        ),
        (
            [1, 2, 4, 4, 4],
            "input_shape",
            "the input must be (N, C, L) or (N, C, H, W) with known sizes; export with a fixed input size",
        ),
    ):
        with pytest.raises(OnnxError) as err:
            read_onnx(_graph(relu, shape))
        assert (err.value.code, str(err.value)) == (code, message)
    second = helper.make_tensor_value_info("x2", TensorProto.FLOAT, [1, 2, 9, 9])
    with pytest.raises(OnnxError, match="one input tensor, it has 2") as err:
        read_onnx(_graph([helper.make_node("Add", ["x", "x2"], ["y"])], [1, 2, 9, 9], (), (second,)))
    assert err.value.code == "input_shape"


def test_row_names_constant_weights_and_the_head() -> None:
    # names made safe and unique; a Constant node's tensor is a weight; Gemm's transB; folded operators
    w4 = helper.make_tensor("w4", TensorProto.FLOAT, [4, 4, 3, 3], [0.0] * 144)
    wm = helper.make_tensor("wm", TensorProto.FLOAT, [5, 4 * 2 * 2], [0.0] * 80)
    shp = helper.make_tensor("shp", TensorProto.INT64, [2], [1, -1])
    nodes = [
        helper.make_node("Constant", [], ["w"], value=W),
        helper.make_node("Relu", ["x"], ["a"], name="stem conv!"),
        helper.make_node("Conv", ["a", "w"], ["b"], name="stem conv!", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["b", "w4"], ["c"], name="stem conv?", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Conv", ["c", "w4"], ["d"], name="input", dilations=[2, 2], pads=[2, 2, 2, 2]),
        helper.make_node("MaxPool", ["d"], ["e"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("AveragePool", ["e"], ["f"], kernel_shape=[1, 1], name="x" * 100),
        helper.make_node("AveragePool", ["f"], ["g"], kernel_shape=[1, 1], name="x" * 100),
        helper.make_node("Reshape", ["g", "shp"], ["h"]),
        helper.make_node("Gemm", ["h", "wm"], ["y"], transB=1),
    ]
    got = read_onnx(_graph(nodes, [1, 2, 9, 9], (w4, wm, shp)))
    names = [la.name for la in got.network.layers]
    x60 = "x" * 60
    assert names == ["stem_conv_", "stem_conv_#2", "input#2", "MaxPool_5", x60, f"{x60}#2", "Gemm_9"]
    assert got.folded == (("Relu", 1), ("Reshape", 1)) and got.shape_mismatches == ()
    rows = analyse(got.network).rows
    # 9 → 9 (pad 1) → 5 (stride 2) → 5 (d = 2, pad 2) → 2 (pool 2) → 2 → 2; the head reads 4 × 2 × 2
    assert [r.out_size for r in rows][:6] == [(9, 9), (5, 5), (5, 5), (2, 2), (2, 2), (2, 2)]
    head = got.network.layers[-1]
    assert (head.kind, head.c_in, head.c_out, head.bias) == ("fc", 4, 5, False)
    assert rows[-1].params == 4 * 2 * 2 * 5
