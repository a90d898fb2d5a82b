"""conv_cost against real torch modules: parameters by numel, MACs by torch's FLOP counter."""

from __future__ import annotations

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from torch import nn

from dsdcn import CONV_KINDS, DSDilatedConv2d, conv_cost, effective_kernel_size, resolve_padding

from .torch_count import torch_count


def _module(kind: str, c_in: int, c_out: int, k: int, s: int, d: int, padding, m: int, bias: bool):
    if kind == "separable":
        return DSDilatedConv2d(
            c_in, c_out, k, dilation=d, stride=s, padding=padding, depth_multiplier=m, bias=bias
        )
    if kind == "pointwise":
        left, right = resolve_padding(padding, 1, 1)
        return nn.Sequential(
            nn.ZeroPad2d((left, right, left, right)), nn.Conv2d(c_in, c_out, 1, stride=s, bias=bias)
        )
    left, right = resolve_padding(padding, k, d)
    groups, out = (c_in, c_in * m) if kind == "depthwise" else (1, c_out)
    conv = nn.Conv2d(c_in, out, k, stride=s, dilation=d, groups=groups, bias=bias)
    return nn.Sequential(nn.ZeroPad2d((left, right, left, right)), conv)


@given(
    kind=st.sampled_from(CONV_KINDS),
    c_in=st.integers(1, 8),
    c_out=st.integers(1, 8),
    k=st.integers(1, 5),
    s=st.integers(1, 3),
    d=st.integers(1, 3),
    padding=st.one_of(
        st.integers(0, 3), st.sampled_from(["same", "valid"]), st.tuples(st.integers(0, 3), st.integers(0, 3))
    ),
    m=st.integers(1, 3),
    bias=st.booleans(),
    h=st.integers(1, 12),
    w=st.integers(1, 12),
)
def test_formula_equals_real_module(kind, c_in, c_out, k, s, d, padding, m, bias, h, w) -> None:
    kk, dd = (1, 1) if kind == "pointwise" else (k, d)
    pad = sum(resolve_padding(padding, kk, dd))
    assume(effective_kernel_size(kk, dd) <= min(h, w) + pad)
    cost = conv_cost(
        kind, c_in, c_out, k, h, w, stride=s, dilation=d, padding=padding, depth_multiplier=m, bias=bias
    )
    params, flops, shape = torch_count(
        _module(kind, c_in, c_out, k, s, d, padding, m, bias), torch.zeros(1, c_in, h, w)
    )
    assert cost.params == params
    assert cost.macs == flops // 2 and cost.flops == flops
    assert (cost.out_channels, cost.out_height, cost.out_width) == shape[1:]


def test_separable_ratio_is_one_over_cout_plus_one_over_k2() -> None:
    c_in, c_out, k = 64, 128, 3
    std = conv_cost("standard", c_in, c_out, k, 32, 32)
    sep = conv_cost("separable", c_in, c_out, k, 32, 32)
    assert sep.params / std.params == pytest.approx(1 / c_out + 1 / k**2)
    assert sep.macs / std.macs == pytest.approx(1 / c_out + 1 / k**2)


def test_dilation_is_free() -> None:
    for kind in CONV_KINDS:
        a = conv_cost(kind, 16, 32, 3, 64, 64, dilation=1)
        b = conv_cost(kind, 16, 32, 3, 64, 64, dilation=8)
        assert (a.params, a.macs) == (b.params, b.macs)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"kind": "dense"}, "kind"),
        ({"in_channels": 0}, "in_channels"),
        ({"out_channels": 0}, "out_channels"),
        ({"kernel_size": 0}, "kernel_size"),
        ({"depth_multiplier": 0}, "depth_multiplier"),
        ({"stride": 0}, "stride"),
        ({"dilation": 0}, "dilation"),
        ({"height": 0}, "input size"),
        ({"padding": "valid", "dilation": 20}, "dilated kernel is wider"),
    ],
)
def test_bad_arguments(kwargs: dict, name: str) -> None:
    args = {
        "kind": "standard",
        "in_channels": 3,
        "out_channels": 8,
        "kernel_size": 3,
        "height": 16,
        "width": 16,
    }
    with pytest.raises(ValueError, match=name):
        conv_cost(**(args | kwargs))
