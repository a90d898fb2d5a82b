"""DSDilatedConv2d against two explicit F.conv2d calls."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

from dsdcn import DSDilatedConv2d, effective_kernel_size, output_size, resolve_padding


@given(
    c_in=st.integers(1, 6),
    c_out=st.integers(1, 6),
    k=st.integers(1, 5),
    d=st.integers(1, 4),
    s=st.integers(1, 3),
    m=st.integers(1, 3),
    padding=st.one_of(
        st.integers(0, 3), st.sampled_from(["same", "valid"]), st.tuples(st.integers(0, 3), st.integers(0, 3))
    ),
    bias=st.booleans(),
    size=st.tuples(st.integers(1, 14), st.integers(1, 14)),
)
def test_equals_depthwise_then_pointwise(c_in, c_out, k, d, s, m, padding, bias, size) -> None:
    left, right = resolve_padding(padding, k, d)
    assume(effective_kernel_size(k, d) <= min(size) + left + right)
    module = DSDilatedConv2d(
        c_in, c_out, k, dilation=d, stride=s, padding=padding, depth_multiplier=m, bias=bias
    ).double()
    dw, pw = module.depthwise, module.pointwise
    assert dw.groups == c_in and dw.weight.shape == (c_in * m, 1, k, k)
    assert pw.weight.shape == (c_out, c_in * m, 1, 1)
    x = torch.randn(2, c_in, *size, dtype=torch.float64)
    padded = F.pad(x, (left, right, left, right))
    mid = F.conv2d(padded, dw.weight, dw.bias, stride=s, dilation=d, groups=c_in)
    expected = F.conv2d(mid, pw.weight, pw.bias)
    y = module(x)
    torch.testing.assert_close(y, expected)
    assert y.shape[-2:] == tuple(output_size(n, k, s, padding, d) for n in size)


def test_same_keeps_size_for_even_kernel() -> None:
    module = DSDilatedConv2d(3, 4, kernel_size=4, dilation=3, padding="same")
    assert module(torch.zeros(1, 3, 9, 11)).shape == (1, 4, 9, 11)


def test_impulse_shows_dilated_footprint() -> None:
    module = DSDilatedConv2d(1, 1, kernel_size=3, dilation=3)
    with torch.no_grad():
        module.depthwise.weight.fill_(1.0)
        module.pointwise.weight.fill_(1.0)
        x = torch.zeros(1, 1, 9, 9)
        x[0, 0, 4, 4] = 1.0
        footprint = (module(x)[0, 0] != 0).int()
    assert footprint.sum() == 9
    assert footprint[4].tolist() == [0, 1, 0, 0, 1, 0, 0, 1, 0]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"in_channels": 0}, "in_channels"),
        ({"out_channels": 0}, "out_channels"),
        ({"kernel_size": 0}, "kernel_size"),
        ({"dilation": 0}, "dilation"),
        ({"stride": 0}, "stride"),
        ({"depth_multiplier": 0}, "depth_multiplier"),
        ({"padding": -1}, "padding"),
    ],
)
def test_bad_arguments(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        DSDilatedConv2d(**({"in_channels": 3, "out_channels": 4} | kwargs))
