"""Values on the sampling grid: the per-tap table against torch's own convolution, and the reverse
view (which outputs read an input pixel) against a one-hot input and a gradient probe.

Tolerance: the examples are small integers in float64, so sums are exact; the tests allow
``dsdcn.sampling_values.TOLERANCE`` (1e-9, relative to max(1, |output|)) all the same.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsdcn.sampling import GridSampling, axis_sampling, grid_sampling, sampling_problem
from dsdcn.sampling_values import (
    TOLERANCE,
    cell_values,
    example_input,
    example_weight,
    pixel_readers,
    torch_output,
)

TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}
MODES = st.sampled_from(list(TORCH_MODE))
FAST = settings(max_examples=50, deadline=None)


@st.composite
def axis_settings(draw) -> tuple:
    """(n, k, s, padding, d) for one axis: padding valid, same or a custom pair."""
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, 4))
    d = draw(st.integers(1, 4))
    s = draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["valid", "same", "custom"]))
    padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3))) if kind == "custom" else kind
    return n, k, s, padding, d


@st.composite
def grids(draw) -> GridSampling:
    """A 1D or 2D grid with any padding mode that torch accepts."""
    mode = draw(MODES)
    ndim = draw(st.sampled_from([1, 2]))
    axes = [draw(axis_settings()) for _ in range(ndim)]
    for n, k, _s, padding, d in axes:
        assume(sampling_problem(n, k, padding, d, mode) is None)
    return grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in axes])


def _reference(grid: GridSampling, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """torch's convolution, written out here independently of the library: F.pad, then F.conv."""
    pads: list[int] = []
    for a in reversed(grid.axes):
        pads += [a.pad_left, a.pad_right]
    xt = torch.from_numpy(x)[None, None]
    xp = F.pad(xt, pads) if grid.mode == "zeros" else F.pad(xt, pads, mode=TORCH_MODE[grid.mode])
    conv = F.conv1d if grid.ndim == 1 else F.conv2d
    stride = [a.stride for a in grid.axes]
    dilation = [a.dilation for a in grid.axes]
    return conv(xp, torch.from_numpy(w)[None, None], stride=stride, dilation=dilation)[0, 0].numpy()


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


class TestCellValues:
    @FAST
    @given(grids())
    def test_table_sums_to_torch_output_at_every_cell(self, grid: GridSampling) -> None:
        x = example_input([a.n for a in grid.axes])
        w = example_weight([a.kernel_size for a in grid.axes])
        ref = _reference(grid, x, w)
        assert ref.shape == grid.out_shape
        y = torch_output(grid)
        assert np.allclose(y, ref, rtol=0, atol=TOLERANCE)
        for flat in range(grid.n_outputs):
            cv = cell_values(grid, grid.unravel(flat), output=y)
            assert _close(cv.total, float(ref[cv.position])) and cv.matches
            assert _close(cv.output, float(ref[cv.position]))
            assert len(cv.taps) == grid.n_taps

    @FAST
    @given(grids(), st.integers(0, 2**32 - 1))
    def test_any_integer_input_and_kernel(self, grid: GridSampling, seed: int) -> None:
        rng = np.random.default_rng(seed)
        x = rng.integers(-9, 10, size=[a.n for a in grid.axes]).astype(np.float64)
        w = rng.integers(-4, 5, size=[a.kernel_size for a in grid.axes]).astype(np.float64)
        ref = _reference(grid, x, w)
        for flat in range(grid.n_outputs):
            cv = cell_values(grid, grid.unravel(flat), x, w, output=ref)  # the sum is the table's own
            assert _close(cv.total, float(ref[cv.position]))
            assert sum(t.value * t.weight for t in cv.taps) == cv.total

    @FAST
    @given(grids())
    def test_each_tap_reads_what_torch_pads_with(self, grid: GridSampling) -> None:
        """A tap's value is the padded input at its position (torch's F.pad), and its kind and source
        say why: a pixel, a zero, or a copy of ``source``."""
        x = example_input([a.n for a in grid.axes])
        pads: list[int] = []
        for a in reversed(grid.axes):
            pads += [a.pad_left, a.pad_right]
        xt = torch.from_numpy(x)[None, None]
        mode = TORCH_MODE[grid.mode]
        xp = (F.pad(xt, pads, mode=mode) if grid.mode != "zeros" else F.pad(xt, pads))[0, 0].numpy()
        offset = [a.pad_left for a in grid.axes]
        cv = cell_values(grid, grid.unravel(grid.n_outputs - 1))
        for tap in cv.taps:
            assert tap.value == xp[tuple(p + o for p, o in zip(tap.position, offset, strict=True))]
            if tap.kind == "pixel":
                assert tap.source == tap.position
            elif tap.kind == "zero":
                assert grid.mode == "zeros" and tap.source is None and tap.value == 0
            else:
                assert grid.mode != "zeros" and tap.source is not None and tap.value == x[tap.source]

    def test_hand_computed_1d(self) -> None:
        # n = 5, k = 3, d = 2, same padding (2 | 2), zeros: x = 1..5, w = 1, 2, 3
        grid = grid_sampling([axis_sampling(5, 3, 1, "same", 2, "zeros")])
        cv = cell_values(grid, (0,))
        assert [t.position for t in cv.taps] == [(-2,), (0,), (2,)]
        assert [t.kind for t in cv.taps] == ["zero", "pixel", "pixel"]
        assert cv.total == 0 * 1 + 1 * 2 + 3 * 3 == cv.output == 11

    def test_hand_computed_reflect_copy(self) -> None:
        grid = grid_sampling([axis_sampling(5, 3, 1, "same", 2, "reflect")])
        first = cell_values(grid, (0,)).taps[0]
        assert first.kind == "copy" and first.position == (-2,) and first.source == (2,) and first.value == 3

    def test_outside_the_output_raises(self) -> None:
        grid = grid_sampling([axis_sampling(5, 3)])
        with pytest.raises(ValueError):
            cell_values(grid, (3,))
        with pytest.raises(ValueError):
            example_input((0,))

    def test_examples_are_small_integers(self) -> None:
        x = example_input((4, 5))
        assert x.min() >= 1 and x.max() <= 9 and x[1, 2] == (3 * 1 + 2) % 9 + 1
        w = example_weight((3, 3))
        assert w.ravel().tolist() == [1, 2, 3, 4, 1, 2, 3, 4, 1]


class TestPixelReaders:
    @FAST
    @given(grids(), st.data())
    def test_readers_match_a_one_hot_input(self, grid: GridSampling, data) -> None:
        """Convolving a one-hot input at the pixel gives, at each output, the sum of the weights of
        the taps that read it: the same as the reads listed (weights 1..4 are positive)."""
        pixel = tuple(data.draw(st.integers(0, a.n - 1)) for a in grid.axes)
        x = np.zeros([a.n for a in grid.axes])
        x[pixel] = 1.0
        w = example_weight([a.kernel_size for a in grid.axes])
        probe = _reference(grid, x, w)
        readers = pixel_readers(grid, pixel)
        expected = np.zeros(grid.out_shape)
        for r in readers.reads:
            expected[r.output] += w[r.m]
            assert r.via_padding == (r.position != pixel)
        assert np.array_equal(expected, probe)
        assert set(readers.outputs) == {tuple(int(v) for v in o) for o in np.argwhere(probe != 0)}

    @FAST
    @given(grids())
    def test_holes_are_where_no_gradient_flows(self, grid: GridSampling) -> None:
        """Backward of the sum of all outputs: a pixel is a hole exactly where its gradient is 0."""
        x = torch.zeros([1, 1, *[a.n for a in grid.axes]], dtype=torch.float64, requires_grad=True)
        pads: list[int] = []
        for a in reversed(grid.axes):
            pads += [a.pad_left, a.pad_right]
        mode = TORCH_MODE[grid.mode]
        xp = F.pad(x, pads) if grid.mode == "zeros" else F.pad(x, pads, mode=mode)
        conv = F.conv1d if grid.ndim == 1 else F.conv2d
        w = torch.ones([1, 1, *[a.kernel_size for a in grid.axes]], dtype=torch.float64)
        stride = [a.stride for a in grid.axes]
        dilation = [a.dilation for a in grid.axes]
        conv(xp, w, stride=stride, dilation=dilation).sum().backward()
        grad = x.grad[0, 0].numpy()
        for pixel in np.ndindex(grad.shape):
            readers = pixel_readers(grid, pixel)
            assert (readers.status == "hole") == (grad[pixel] == 0)
            assert len(readers.reads) == grad[pixel]  # all-ones weights: the gradient counts the reads

    def test_stride_skips_a_pixel(self) -> None:
        grid = grid_sampling([axis_sampling(16, 2, 4, "valid", 1)])
        assert pixel_readers(grid, (2,)).status == "hole"
        readers = pixel_readers(grid, (5,))
        assert readers.status == "read" and [(r.output, r.m) for r in readers.reads] == [((1,), (1,))]

    def test_outside_the_input_raises(self) -> None:
        grid = grid_sampling([axis_sampling(5, 3)] * 2)
        with pytest.raises(ValueError):
            pixel_readers(grid, (0, 5))
        with pytest.raises(ValueError):
            pixel_readers(grid, (0,))


class TestReadersFigure:
    def test_marks_the_pixel_and_its_readers(self) -> None:
        from dsdcn.figures.sampling import readers_figure

        grid = grid_sampling([axis_sampling(7, 3, 1, "same", 2, "reflect")] * 2)
        readers = pixel_readers(grid, (0, 1))
        fig = readers_figure(grid, readers)
        z_in, z_out = np.asarray(fig.data[0].z), np.asarray(fig.data[1].z)
        assert z_in[0 + 2, 1 + 2] == 3  # the picked pixel (padded coordinates)
        assert (z_in == 4).sum() == len({r.position for r in readers.reads if r.via_padding})
        assert {tuple(int(v) for v in o) for o in np.argwhere(z_out == 1)} == set(readers.outputs)
        text = np.asarray(fig.data[1].text)
        assert text[0, 1] == "3 4"  # taps (1, 0) and (1, 1), numbered row by row as in the figure
        assert fig.layout.height <= 380 + 100

    def test_a_hole_marks_no_output(self) -> None:
        from dsdcn.figures.sampling import readers_figure

        grid = grid_sampling([axis_sampling(16, 2, 4, "valid", 1)])
        fig = readers_figure(grid, pixel_readers(grid, (2,)))
        assert not np.asarray(fig.data[1].z).any()
