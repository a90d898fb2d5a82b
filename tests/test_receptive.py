"""Receptive field and coverage checked against gradients of real torch stacks."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from dsdcn import RF, Layer, coverage, coverage_2d, holes, output_size, receptive_field


@st.composite
def layers(draw) -> Layer:
    kind = draw(st.sampled_from(["conv", "conv", "pool"]))
    k = draw(st.integers(1, 4))
    s = draw(st.integers(1, 3))
    if kind == "pool":  # avg_pool1d: no dilation, padding at most half the kernel
        return Layer(k, stride=s, dilation=1, padding=draw(st.integers(0, k // 2)), kind="pool")
    return Layer(k, stride=s, dilation=draw(st.integers(1, 4)), padding=draw(st.integers(0, 3)))


def _apply(x: torch.Tensor, layer: Layer) -> torch.Tensor:
    """All-ones conv (or average pool times k): the gradient then counts paths exactly."""
    if layer.kind == "pool":
        return F.avg_pool1d(x, layer.kernel_size, layer.stride, layer.padding) * layer.kernel_size
    w = torch.ones(1, 1, layer.kernel_size, dtype=x.dtype)
    return F.conv1d(x, w, stride=layer.stride, padding=layer.padding, dilation=layer.dilation)


def _gradient(stack: list[Layer], n: int, out_index: int) -> np.ndarray:
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    y = x
    for layer in stack:
        y = _apply(y, layer)
    y[0, 0, out_index].backward()
    return x.grad[0, 0].numpy()


@given(st.lists(layers(), min_size=1, max_size=4))
def test_field_and_coverage_equal_gradient_of_real_stack(stack: list[Layer]) -> None:
    rfs = receptive_field(stack)
    last = rfs[-1]
    cov = coverage(stack)
    assert cov.size == last.size
    # an input long enough that output o's field [o*J - P, o*J - P + r) lies inside it
    o = -(-last.padding // last.stride) + 1
    start = o * last.stride - last.padding
    n = start + last.size + 2 * last.stride + 1
    length = n
    for layer in stack:
        length = output_size(length, layer.kernel_size, layer.stride, layer.padding, layer.dilation)
    assert o + 1 < length
    grad = _gradient(stack, n, o)
    np.testing.assert_array_equal(grad[start : start + last.size], cov.astype(np.float64))
    assert not grad[:start].any() and not grad[start + last.size :].any()
    # the next output's field starts one effective stride later
    nxt = _gradient(stack, n, o + 1)
    assert np.flatnonzero(nxt)[0] == start + last.stride
    assert (np.flatnonzero(cov == 0) == holes(stack)).all()


def test_prefixes_are_cumulative() -> None:
    stack = [Layer(3, 1, 1, 1), Layer(2, 2, 1, 0, kind="pool"), Layer(3, 1, 2, 2)]
    assert receptive_field(stack) == [RF(3, 1, 1), RF(4, 2, 1), RF(12, 2, 5)]
    for i in range(1, len(stack) + 1):
        assert receptive_field(stack[:i])[-1] == receptive_field(stack)[i - 1]


def test_gridding_example_from_design() -> None:
    # three 3x3 layers at d = 2, 2, 2 reach only even offsets
    stack = [Layer(3, dilation=2)] * 3
    assert receptive_field(stack)[-1].size == 13
    assert holes(stack).tolist() == [1, 3, 5, 7, 9, 11]
    assert coverage(stack).tolist() == [1, 0, 3, 0, 6, 0, 7, 0, 6, 0, 3, 0, 1]


def test_hdc_schedule_has_no_holes() -> None:
    stack = [Layer(3, dilation=d) for d in (1, 2, 5)]
    assert receptive_field(stack)[-1].size == 17
    assert holes(stack).size == 0


def test_coverage_2d_equals_gradient_of_conv2d_stack() -> None:
    ys = [Layer(3, 1, 2, 0), Layer(2, 2, 1, 0), Layer(3, 1, 3, 0)]
    xs = [Layer(3, 1, 1, 0), Layer(2, 2, 1, 0), Layer(3, 1, 2, 0)]
    x = torch.zeros(1, 1, 40, 40, dtype=torch.float64, requires_grad=True)
    y = x
    for ly, lx in zip(ys, xs, strict=True):
        w = torch.ones(1, 1, ly.kernel_size, lx.kernel_size, dtype=torch.float64)
        y = F.conv2d(y, w, stride=(ly.stride, lx.stride), dilation=(ly.dilation, lx.dilation))
    y[0, 0, 0, 0].backward()
    cov = coverage_2d(ys, xs)
    grad = x.grad[0, 0].numpy()
    np.testing.assert_array_equal(grad[: cov.shape[0], : cov.shape[1]], cov.astype(np.float64))
    assert grad.sum() == cov.sum()
    assert np.array_equal(coverage_2d(ys), np.outer(coverage(ys), coverage(ys)))


def test_huge_counts_stay_exact() -> None:
    stack = [Layer(11, dilation=1)] * 20  # 11**20 paths in total: beyond int64
    cov = coverage(stack)
    assert cov.dtype == object
    assert sum(cov) == 11**20
    small = coverage([Layer(11)] * 5)
    assert small.dtype == np.int64 and int(small.sum()) == 11**5


def test_wavenet_stack_is_fast_and_exact() -> None:
    stack = [Layer(2, dilation=2**i) for i in range(10)] * 2
    cov = coverage(stack)
    assert cov.size == receptive_field(stack)[-1].size == 2047
    assert holes(stack).size == 0


def test_empty_stack_is_one_pixel() -> None:
    assert receptive_field([]) == []
    assert coverage([]).tolist() == [1]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"kernel_size": 0}, "kernel_size"),
        ({"kernel_size": 3, "stride": 0}, "stride"),
        ({"kernel_size": 3, "dilation": 0}, "dilation"),
        ({"kernel_size": 3, "padding": -1}, "padding"),
        ({"kernel_size": 3, "kind": "fc"}, "kind"),
    ],
)
def test_bad_layers_raise(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Layer(**kwargs)


def test_non_layers_raise() -> None:
    with pytest.raises(ValueError, match="layer 0"):
        receptive_field([(3, 1, 1, 0)])  # type: ignore[list-item]
