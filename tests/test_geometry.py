"""Output sizes, taps and padding sources checked against real torch convolutions."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

from dsdcn import (
    check_padding_mode,
    effective_kernel_size,
    output_size,
    padding_source,
    resolve_padding,
    sampling_taps,
)

paddings = st.one_of(
    st.integers(0, 6),
    st.tuples(st.integers(0, 6), st.integers(0, 6)),
    st.sampled_from(["same", "valid"]),
)


def _probe_taps(n: int, k: int, s: int, pad: tuple[int, int], d: int, mode: str = "constant") -> np.ndarray:
    """Read each tap from a real conv1d: input value i+1 at index i, a one-hot kernel per tap."""
    x = torch.arange(1, n + 1, dtype=torch.float64).view(1, 1, n)
    x = F.pad(x, pad, mode=mode) if mode != "constant" else F.pad(x, pad)
    weight = torch.eye(k, dtype=torch.float64).view(k, 1, k)  # output channel m reads tap m
    y = F.conv1d(x, weight, stride=s, dilation=d)
    return (y[0].T.round().to(torch.int64) - 1).numpy()  # -1 where padding (zero) was read


@given(st.integers(1, 40), st.integers(1, 9), st.integers(1, 5), paddings, st.integers(1, 6))
def test_taps_and_size_match_conv1d(n: int, k: int, s: int, padding, d: int) -> None:
    pad = resolve_padding(padding, k, d)
    if effective_kernel_size(k, d) > n + sum(pad):
        with pytest.raises(ValueError, match="dilated kernel is wider"):
            output_size(n, k, s, padding, d)
        with pytest.raises(RuntimeError):
            F.conv1d(F.pad(torch.zeros(1, 1, n), pad), torch.zeros(1, 1, k), stride=s, dilation=d)
        return
    taps = sampling_taps(n, k, s, padding, d)
    probed = _probe_taps(n, k, s, pad, d)
    assert taps.shape == probed.shape == (output_size(n, k, s, padding, d), k)
    inside = (taps >= 0) & (taps < n)
    np.testing.assert_array_equal(np.where(inside, taps, -1), probed)
    np.testing.assert_array_equal(padding_source(taps, n, "zeros"), probed)


@given(st.integers(1, 30), st.integers(1, 9), st.integers(1, 7))
def test_same_padding_matches_torch(n: int, k: int, d: int) -> None:
    x = torch.randn(1, 1, n, dtype=torch.float64)
    w = torch.randn(1, 1, k, dtype=torch.float64)
    pad = resolve_padding("same", k, d)
    expected = F.conv1d(x, w, padding="same", dilation=d)
    assume(effective_kernel_size(k, d) <= n + sum(pad))
    got = F.conv1d(F.pad(x, pad), w, dilation=d)
    assert output_size(n, k, 1, "same", d) == n == expected.shape[-1]
    torch.testing.assert_close(got, expected)


@given(st.integers(1, 30), st.integers(1, 7), st.integers(1, 6), st.integers(1, 4))
def test_same_padding_with_stride_gives_ceil(n: int, k: int, s: int, d: int) -> None:
    assert output_size(n, k, s, "same", d) == -(-n // s)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@given(data=st.data())
def test_padding_source_matches_torch_pad(mode: str, data) -> None:
    n = data.draw(st.integers(2, 20))
    limit = n - 1 if mode == "reflect" else (n if mode == "circular" else 12)
    pad = (data.draw(st.integers(0, limit)), data.draw(st.integers(0, limit)))
    k = data.draw(st.integers(1, 5))
    d = data.draw(st.integers(1, 4))
    s = data.draw(st.integers(1, 3))
    assume(effective_kernel_size(k, d) <= n + sum(pad))
    check_padding_mode(mode, n, pad)
    taps = sampling_taps(n, k, s, pad, d)
    probed = _probe_taps(n, k, s, pad, d, mode=mode)
    np.testing.assert_array_equal(padding_source(taps, n, mode), probed)


@pytest.mark.parametrize(
    ("mode", "n", "pad"),
    [("reflect", 4, (4, 0)), ("reflect", 4, (0, 5)), ("circular", 3, (4, 4))],
)
def test_padding_mode_refusals_match_torch(mode: str, n: int, pad: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="padding"):
        check_padding_mode(mode, n, pad)
    with pytest.raises((RuntimeError, NotImplementedError)):
        F.pad(torch.zeros(1, 1, n), pad, mode=mode)


@given(
    st.tuples(st.integers(1, 20), st.integers(1, 20)),
    st.tuples(st.integers(1, 6), st.integers(1, 6)),
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    st.tuples(st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_output_size_per_axis_matches_conv2d(n, k, s, p, d) -> None:
    sizes = []
    for axis in range(2):
        try:
            sizes.append(output_size(n[axis], k[axis], s[axis], p[axis], d[axis]))
        except ValueError:
            sizes.append(None)
    x = torch.zeros(1, 1, *n)
    w = torch.zeros(1, 1, *k)
    if None in sizes:
        with pytest.raises(RuntimeError):
            F.conv2d(x, w, stride=s, padding=p, dilation=d)
    else:
        assert tuple(F.conv2d(x, w, stride=s, padding=p, dilation=d).shape[-2:]) == tuple(sizes)


def test_hand_example() -> None:
    # 3 taps at dilation 2 over 7 inputs, 'same' padding: output 0 reads -2, 0, 2
    taps = sampling_taps(7, 3, padding="same", dilation=2)
    assert taps[0].tolist() == [-2, 0, 2]
    assert taps[-1].tolist() == [4, 6, 8]
    assert effective_kernel_size(3, 2) == 5


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"kernel_size": 0}, "kernel_size"),
        ({"dilation": 0}, "dilation"),
        ({"stride": 0}, "stride"),
        ({"padding": -1}, "padding"),
        ({"padding": (1, -2)}, "padding"),
        ({"padding": "full"}, "padding"),
        ({"padding": (1, 2, 3)}, "padding"),
        ({"kernel_size": 2.5}, "kernel_size"),
        ({"n": 0}, "input size"),
        ({"kernel_size": 3, "dilation": 5}, "dilated kernel is wider"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict, name: str) -> None:
    args = {"n": 8, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1} | kwargs
    with pytest.raises(ValueError, match=name):
        output_size(**args)
    with pytest.raises(ValueError, match=name):
        sampling_taps(**args)
