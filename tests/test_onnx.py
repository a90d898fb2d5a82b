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
