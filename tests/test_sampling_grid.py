"""Sampling grid: per-cell sampling data checked against real torch convolutions, and the figure."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st
from PIL import Image

from dsdcn import sampling_taps
from dsdcn.figures.sampling import (
    COLORS,
    LABEL_GAP_PX,
    compare_frames,
    done_before,
    frame_budget,
    sampling_figure,
    sampling_panels,
    shared_cell_px,
    shared_x_range,
)
from dsdcn.figures.sampling_gif import PALETTE, gif_frame_count, gif_layout, gif_panels, sampling_gif
from dsdcn.sampling import (
    axis_sampling,
    frame_outputs,
    grid_sampling,
    largest_dilation,
    largest_kernel,
    sampling_problem,
    smallest_input,
)

TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}
MODES = st.sampled_from(["zeros", "reflect", "replicate", "circular"])


@st.composite
def axis_settings(draw, n_max: int = 12, k_max: int = 5, d_max: int = 4, s_max: int = 4):
    """(n, k, s, padding, d) for one axis; padding valid, same or a custom pair."""
    n = draw(st.integers(1, n_max))
    k = draw(st.integers(1, k_max))
    d = draw(st.integers(1, d_max))
    s = draw(st.integers(1, s_max))
    kind = draw(st.sampled_from(["valid", "same", "custom"]))
    padding = (draw(st.integers(0, 6)), draw(st.integers(0, 6))) if kind == "custom" else kind
    return n, k, s, padding, d


def _padded(x: torch.Tensor, pads: tuple[int, ...], mode: str) -> torch.Tensor:
    """torch's own padding (F.pad), pads in F.pad order (last axis first)."""
    if mode == "zeros":
        return F.pad(x, pads)
    return F.pad(x, pads, mode=TORCH_MODE[mode])


def _probe_1d(n, k, s, padding, d, mode) -> np.ndarray:
    """Value read by tap m of output i, probed with one-hot kernels on x = 1..n (0 = a zero)."""
    ax = axis_sampling(n, k, s, padding, d, mode)
    x = torch.arange(1, n + 1, dtype=torch.float64).reshape(1, 1, n)
    xp = _padded(x, (ax.pad_left, ax.pad_right), mode)
    w = torch.eye(k, dtype=torch.float64).reshape(k, 1, k)
    return F.conv1d(xp, w, stride=s, dilation=d)[0].T.numpy().astype(np.int64)  # (out, k)


class TestAxisSampling:
    @given(axis_settings(), MODES)
    def test_taps_and_sources_match_torch(self, settings, mode) -> None:
        n, k, s, padding, d = settings
        assume(sampling_problem(n, k, padding, d, mode) is None)
        ax = axis_sampling(n, k, s, padding, d, mode)
        assert np.array_equal(ax.taps, sampling_taps(n, k, s, padding, d))
        assert np.array_equal(_probe_1d(n, k, s, padding, d, mode), ax.tap_source + 1)

    @given(axis_settings(), MODES)
    def test_reached_is_where_the_gradient_flows(self, settings, mode) -> None:
        n, k, s, padding, d = settings
        assume(sampling_problem(n, k, padding, d, mode) is None)
        ax = axis_sampling(n, k, s, padding, d, mode)
        x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
        y = F.conv1d(
            _padded(x, (ax.pad_left, ax.pad_right), mode),
            torch.ones(1, 1, k, dtype=torch.float64),
            stride=s,
            dilation=d,
        )
        y.sum().backward()
        assert np.array_equal(ax.reached, x.grad[0, 0].numpy() > 0)
        assert ax.unread == int((x.grad == 0).sum())

    @given(axis_settings(), MODES)
    def test_padded_cells_hold_what_torch_pads_with(self, settings, mode) -> None:
        n, k, s, padding, d = settings
        assume(sampling_problem(n, k, padding, d, mode) is None)
        ax = axis_sampling(n, k, s, padding, d, mode)
        x = torch.arange(1, n + 1, dtype=torch.float64).reshape(1, 1, n)
        xp = _padded(x, (ax.pad_left, ax.pad_right), mode)[0, 0].numpy().astype(np.int64)
        assert np.array_equal(ax.padded, np.arange(-ax.pad_left, n + ax.pad_right))
        assert np.array_equal(xp, ax.source + 1)

    @given(axis_settings(n_max=10, k_max=6, d_max=6), MODES)
    def test_problems_are_what_torch_refuses(self, settings, mode) -> None:
        n, k, s, padding, d = settings
        problem = sampling_problem(n, k, padding, d, mode)
        from dsdcn import resolve_padding

        left, right = resolve_padding(padding, k, d)
        x = torch.zeros(1, 1, n)
        try:
            y = F.conv1d(_padded(x, (left, right), mode), torch.ones(1, 1, k), stride=s, dilation=d)
            refused = y.shape[-1] < 1
        except (RuntimeError, NotImplementedError, ValueError):
            refused = True
        assert refused == (problem is not None)
        if problem is None:
            assert axis_sampling(n, k, s, padding, d, mode).out == y.shape[-1]
        else:
            with pytest.raises(ValueError):
                axis_sampling(n, k, s, padding, d, mode)

    @given(axis_settings(n_max=20, s_max=8), MODES)
    def test_unread_kinds_split_the_unread_pixels(self, settings, mode) -> None:
        n, k, s, padding, d = settings
        assume(sampling_problem(n, k, padding, d, mode) is None)
        ax = axis_sampling(n, k, s, padding, d, mode)
        kinds = ax.unread_kinds()
        assert sum(kinds.values()) == ax.unread
        spans = [set(range(int(t), int(t) + ax.k_eff)) for t in ax.taps[:, 0]]
        gap = sum(1 for x in range(n) if not ax.reached[x] and any(x in sp for sp in spans))
        assert kinds["gap"] == gap
        if ax.stride <= ax.k_eff:
            assert kinds["between"] == 0

    def test_hand_computed_example(self) -> None:
        ax = axis_sampling(7, 3, stride=1, padding=0, dilation=2)
        assert (ax.out, ax.k_eff, ax.numerator) == (3, 5, 2)
        assert ax.taps.tolist() == [[0, 2, 4], [1, 3, 5], [2, 4, 6]]
        assert ax.unread == 0
        skip = axis_sampling(10, 2, stride=4)  # windows [0,1], [4,5], [8,9]
        assert (
            skip.stride_skips and skip.unread == 4 and skip.reached.tolist() == [1, 1, 0, 0, 1, 1, 0, 0, 1, 1]
        )
        even = axis_sampling(9, 3, stride=2, dilation=2)  # every read index is even
        assert even.read_every == 2 and not even.reached[1::2].any()
        edge = axis_sampling(8, 3, stride=3)  # windows start 0, 3: pixels 6, 7 left over
        assert edge.edge_leftover == 2 and edge.reached.tolist()[-2:] == [False, False]
        assert edge.unread_kinds() == {"gap": 0, "between": 0, "edge": 2}
        assert skip.unread_kinds() == {"gap": 0, "between": 4, "edge": 0}
        one = axis_sampling(7, 3, stride=3, dilation=2)  # one window 0..4 reads 0, 2, 4
        assert one.unread_kinds() == {"gap": 2, "between": 0, "edge": 2}

    def test_bad_arguments_raise(self) -> None:
        with pytest.raises(ValueError, match="dilation"):
            axis_sampling(5, 3, dilation=0)
        with pytest.raises(ValueError, match="wider"):
            axis_sampling(5, 3, dilation=3)
        with pytest.raises(ValueError, match="reflect"):
            axis_sampling(3, 3, padding=(3, 0), mode="reflect")
        with pytest.raises(ValueError, match="padding mode"):
            axis_sampling(5, 3, mode="mirror")  # type: ignore[arg-type]


class TestFits:
    @given(
        st.integers(1, 12),
        st.integers(1, 7),
        st.sampled_from(["valid", "same", (2, 1), (0, 5)]),
        MODES,
    )
    def test_limits_are_tight(self, n, k, padding, mode) -> None:
        d = largest_dilation(n, k, padding, mode, limit=16)
        if d:
            assert sampling_problem(n, k, padding, d, mode) is None
        if d < 16:
            assert sampling_problem(n, k, padding, d + 1, mode) is not None
        kk = largest_kernel(n, 2, padding, mode, limit=11)
        if kk:
            assert sampling_problem(n, kk, padding, 2, mode) is None
        if kk < 11:
            assert sampling_problem(n, kk + 1, padding, 2, mode) is not None
        m = smallest_input(k, 2, padding, mode, limit=40)
        if m:
            assert sampling_problem(m, k, padding, 2, mode) is None
            if m > 1:
                assert sampling_problem(m - 1, k, padding, 2, mode) is not None

    def test_examples(self) -> None:
        assert sampling_problem(32, 11, "valid", 16, "zeros") == "kernel_too_wide"
        assert largest_dilation(32, 11, "valid", "zeros", 16) == 3  # 3*10+1 = 31 <= 32 < 41
        assert smallest_input(3, 2, "valid", "zeros", 32) == 5
        assert sampling_problem(4, 3, "same", 4, "reflect") == "reflect_padding_too_wide"
        assert sampling_problem(4, 3, "same", 5, "circular") == "circular_padding_too_wide"
        assert sampling_problem(4, 3, "same", 16, "zeros") is None


def _probe_2d(rows, cols, mode) -> tuple[np.ndarray, np.ndarray]:
    """(out_r, out_c, k_r*k_c) flat source index + 1 read by each tap, and taps in padding, from torch."""
    (nr, kr, sr, _, dr), (nc, kc, sc, _, dc) = rows, cols
    g = grid_sampling([axis_sampling(*rows, mode), axis_sampling(*cols, mode)])
    ar, ac = g.axes
    x = torch.arange(1, nr * nc + 1, dtype=torch.float64).reshape(1, 1, nr, nc)
    pads = (ac.pad_left, ac.pad_right, ar.pad_left, ar.pad_right)
    w = torch.eye(kr * kc, dtype=torch.float64).reshape(kr * kc, 1, kr, kc)
    values = F.conv2d(_padded(x, pads, mode), w, stride=(sr, sc), dilation=(dr, dc))[0].permute(1, 2, 0)
    ones = F.pad(torch.ones(1, 1, nr, nc, dtype=torch.float64), pads)
    inside = F.conv2d(
        ones, torch.ones(1, 1, kr, kc, dtype=torch.float64), stride=(sr, sc), dilation=(dr, dc)
    )[0, 0]
    return values.numpy().astype(np.int64), (kr * kc - inside).numpy().astype(np.int64)


class TestGridSampling:
    @given(
        axis_settings(n_max=9, k_max=4, d_max=3, s_max=3),
        axis_settings(n_max=9, k_max=4, d_max=3, s_max=3),
        MODES,
    )
    def test_2d_taps_sources_and_padding_match_torch(self, rows, cols, mode) -> None:
        assume(sampling_problem(rows[0], rows[1], rows[3], rows[4], mode) is None)
        assume(sampling_problem(cols[0], cols[1], cols[3], cols[4], mode) is None)
        g = grid_sampling([axis_sampling(*rows, mode), axis_sampling(*cols, mode)])
        values, n_pad = _probe_2d(rows, cols, mode)
        assert values.shape[:2] == g.out_shape
        nc = cols[0]
        for flat in range(g.n_outputs):
            pos = g.unravel(flat)
            src = g.sources_of(pos)
            expected = np.where(src[:, 0] >= 0, src[:, 0] * nc + src[:, 1] + 1, 0)
            assert np.array_equal(values[pos], expected)
            taps = g.taps_of(pos)
            assert np.array_equal(np.unique(taps[:, 0]), np.unique(sampling_taps(*rows)[pos[0]]))
            assert g.padding_taps_of(pos) == n_pad[pos]
        assert g.padding_taps == int(n_pad.sum())

    @given(
        axis_settings(n_max=9, k_max=4, d_max=3, s_max=4),
        axis_settings(n_max=9, k_max=4, d_max=3, s_max=4),
        MODES,
    )
    def test_2d_unread_share_matches_gradient(self, rows, cols, mode) -> None:
        assume(sampling_problem(rows[0], rows[1], rows[3], rows[4], mode) is None)
        assume(sampling_problem(cols[0], cols[1], cols[3], cols[4], mode) is None)
        g = grid_sampling([axis_sampling(*rows, mode), axis_sampling(*cols, mode)])
        ar, ac = g.axes
        x = torch.zeros(1, 1, rows[0], cols[0], dtype=torch.float64, requires_grad=True)
        xp = _padded(x, (ac.pad_left, ac.pad_right, ar.pad_left, ar.pad_right), mode)
        w = torch.ones(1, 1, rows[1], cols[1], dtype=torch.float64)
        F.conv2d(xp, w, stride=(rows[2], cols[2]), dilation=(rows[4], cols[4])).sum().backward()
        assert np.array_equal(g.reached, x.grad[0, 0].numpy() > 0)
        assert g.unread_share == pytest.approx(float((x.grad == 0).double().mean()))

    def test_checks(self) -> None:
        a = axis_sampling(5, 3)
        with pytest.raises(ValueError, match="padding mode"):
            grid_sampling([a, axis_sampling(5, 3, padding=1, mode="reflect")])
        with pytest.raises(ValueError, match="axes"):
            grid_sampling([a, a, a])
        g = grid_sampling([a, a])
        with pytest.raises(ValueError, match="outside"):
            g.taps_of((0, 3))
        with pytest.raises(ValueError, match="coordinates"):
            g.taps_of((0,))
        with pytest.raises(ValueError, match="output index"):
            g.unravel(9)


@given(st.integers(1, 5000), st.integers(1, 120))
def test_frame_outputs(total: int, limit: int) -> None:
    f = frame_outputs(total, limit)
    assert len(f) == min(total, limit)
    assert f[0] == 0 and np.all(np.diff(f) > 0) and f[-1] < total
    if limit >= 2 or total == 1:
        assert f[-1] == total - 1


# ---- the figure: read the taps back from its JSON (what the browser gets) ----


def _decode(v):
    """A plotly JSON array: a list, or a base64 typed-array spec."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v, dtype=object if v and isinstance(v[0], str) else None)


def _spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def _taps_trace_index(spec: dict) -> int:
    return next(i for i, t in enumerate(spec["data"]) if t.get("name") == "tap numbers")


def _read_taps(trace: dict, ndim: int) -> np.ndarray:
    """(n_taps, ndim) positions ordered by their printed kernel position."""
    x = _decode(trace["x"]).astype(np.int64)
    y = _decode(trace["y"]).astype(np.int64)
    order = np.argsort([int(t) for t in trace["text"]])
    assert sorted(int(t) for t in trace["text"]) == list(range(len(x)))
    pts = np.stack([y, x], axis=1) if ndim == 2 else x[:, None]
    return pts[order]


def _expected(settings: list[tuple], pos: tuple[int, ...]) -> np.ndarray:
    per_axis = [sampling_taps(*s)[i] for s, i in zip(settings, pos, strict=True)]
    grids = np.meshgrid(*per_axis, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


@given(
    st.integers(1, 2),
    axis_settings(n_max=14, k_max=5, d_max=4),
    axis_settings(n_max=14, k_max=5, d_max=4),
    MODES,
    st.integers(3, 40),
)
def test_every_frame_highlights_the_taps_of_sampling_taps(ndim, rows, cols, mode, max_frames) -> None:
    settings = [rows, cols][2 - ndim :]
    for s in settings:
        assume(sampling_problem(s[0], s[1], s[3], s[4], mode) is None)
    g = grid_sampling([axis_sampling(*s, mode) for s in settings])
    fig = sampling_figure(g, max_frames=max_frames)
    spec = _spec(fig)
    ti = _taps_trace_index(spec)
    frames = spec["frames"]
    assert 1 <= len(frames) <= max_frames
    assert len(frames) == min(g.n_outputs, max_frames)
    out_shape = tuple(len(sampling_taps(*s)) for s in settings)
    for frame in frames:
        flat = int(frame["name"])
        pos = tuple(int(v) for v in np.unravel_index(flat, out_shape))
        trace = frame["data"][frame["traces"].index(ti)]
        assert np.array_equal(_read_taps(trace, ndim), _expected(settings, pos))
    # the first frame is what shows before Play
    first = frames[0]
    assert np.array_equal(
        _read_taps(spec["data"][ti], ndim), _read_taps(first["data"][first["traces"].index(ti)], ndim)
    )
    assert len(spec["layout"]["sliders"][0]["steps"]) == len(frames)


@given(
    st.integers(1, 2), axis_settings(n_max=10, k_max=4), axis_settings(n_max=10, k_max=4), MODES, st.data()
)
def test_static_view_shows_the_picked_output(ndim, rows, cols, mode, data) -> None:
    settings = [rows, cols][2 - ndim :]
    for s in settings:
        assume(sampling_problem(s[0], s[1], s[3], s[4], mode) is None)
    g = grid_sampling([axis_sampling(*s, mode) for s in settings])
    pos = tuple(data.draw(st.integers(0, o - 1)) for o in g.out_shape)
    spec = _spec(sampling_figure(g, position=pos))
    assert "frames" not in spec or not spec["frames"]
    assert np.array_equal(_read_taps(spec["data"][_taps_trace_index(spec)], ndim), _expected(settings, pos))


def _polygon_centres(trace: dict) -> set[tuple[float, float]]:
    x = _decode(trace["x"]).astype(float)
    y = _decode(trace["y"]).astype(float)
    cuts = np.flatnonzero(np.isnan(x))
    out, start = set(), 0
    for c in cuts:
        out.add((round(float(x[start:c].mean()), 3), round(float(y[start:c].mean()), 3)))
        start = c + 1
    return out


def test_padding_taps_are_drawn_apart_and_copies_point_at_their_source() -> None:
    g = grid_sampling([axis_sampling(4, 3, padding="same", dilation=2, mode="reflect")] * 2)
    spec = _spec(sampling_figure(g, position=(0, 0)))
    by_name = {t.get("name"): t for t in spec["data"]}
    taps = g.taps_of((0, 0))
    inside = ((taps >= 0) & (taps < 4)).all(axis=1)
    assert _polygon_centres(by_name["taps"]) == {(float(c), float(r)) for r, c in taps[inside]}
    assert _polygon_centres(by_name["taps in padding"]) == {(float(c), float(r)) for r, c in taps[~inside]}
    # padding heatmap: the source of every padding cell, as hovered
    pad = by_name["padding"]
    custom = _decode(pad["customdata"]).reshape(8, 8, 2)
    assert custom[0, 0].tolist() == [2, 2] and custom[1, 5].tolist() == [
        1,
        3,
    ]  # reflect of (-2,-2) and (-1, 3)


def test_output_fills_in_frame_by_frame() -> None:
    g = grid_sampling([axis_sampling(5, 3, padding="same")] * 2)
    spec = _spec(sampling_figure(g))
    out_i = next(i for i, t in enumerate(spec["data"]) if t.get("name") == "output")
    fractions = []
    for frame in spec["frames"]:
        scale = frame["data"][frame["traces"].index(out_i)]["colorscale"]
        done = [stop for stop in scale if stop[1] == COLORS["done"]]
        fractions.append(done[-1][0] if done else 0.0)
    assert fractions == pytest.approx([i / 25 for i in range(25)])  # outputs before the current one


def test_large_outputs_are_bounded_and_the_figure_is_valid_plotly() -> None:
    g = grid_sampling([axis_sampling(32, 11, padding="same", dilation=16, mode="replicate")] * 2)
    fig = sampling_figure(g)
    assert len(fig.frames) == frame_budget(121) < g.n_outputs
    spec = _spec(fig)
    go.Figure(spec)  # built without validation for speed: validate it here
    assert len(fig.to_json()) < 2_000_000
    one_d = sampling_figure(grid_sampling([axis_sampling(9, 3, dilation=2, padding="same", mode="circular")]))
    go.Figure(_spec(one_d))


def test_bad_position_raises() -> None:
    g = grid_sampling([axis_sampling(5, 3)])
    with pytest.raises(ValueError, match="outside"):
        sampling_figure(g, position=(3,))


def test_output_hover_names_the_taps_read() -> None:
    rows, cols = (6, 3, 2, "same", 2), (9, 2, 1, (1, 0), 3)
    g = grid_sampling([axis_sampling(*rows), axis_sampling(*cols)])
    spec = _spec(sampling_figure(g, position=(0, 0)))
    out = next(t for t in spec["data"] if t.get("name") == "output")
    custom = _decode(out["customdata"]).reshape(*g.out_shape, 5)
    tr, tc = sampling_taps(*rows), sampling_taps(*cols)
    assert np.array_equal(custom[..., 0], np.broadcast_to(tr[:, :1], g.out_shape))
    assert np.array_equal(custom[..., 3], np.broadcast_to(tc[:, -1][None, :], g.out_shape))
    assert "steps of 2" in out["hovertemplate"] and "steps of 3" in out["hovertemplate"]
    one = grid_sampling([axis_sampling(*cols)])
    out1 = next(t for t in _spec(sampling_figure(one))["data"] if t.get("name") == "output")
    custom1 = _decode(out1["customdata"]).reshape(-1, 4)
    assert custom1[:, 1].tolist() == tc[:, 0].tolist() and custom1[:, 2].tolist() == tc[:, -1].tolist()


def test_compare_figures_share_their_scale() -> None:
    d1 = grid_sampling([axis_sampling(7, 3, padding="same", dilation=1)])
    d3 = grid_sampling([axis_sampling(7, 3, padding="same", dilation=3)])
    x_range = shared_x_range([d1, d3])
    assert x_range == (-3.5, 9.5)
    for g in (d1, d3):
        assert tuple(_spec(sampling_figure(g, x_range=x_range))["layout"]["xaxis"]["range"]) == x_range
    a = grid_sampling([axis_sampling(7, 3, dilation=1)] * 2)
    b = grid_sampling([axis_sampling(7, 3, dilation=3)] * 2)
    cell = shared_cell_px([a, b], 520)
    heights = [sampling_figure(g, cell_px=cell, width_px=520).layout.height for g in (a, b)]
    assert heights[0] == heights[1]  # same number of input rows, same cell size


# --- panels that move together (the compare view): one figure, one set of frames ---


def test_compare_frames_align_the_panels_by_output_position() -> None:
    d1 = grid_sampling([axis_sampling(7, 3)] * 2)  # 5×5 outputs
    d2 = grid_sampling([axis_sampling(7, 3, dilation=2)] * 2)  # 3×3 outputs
    frames = compare_frames([d1, d2])
    assert [f[0] for f in frames] == list(range(25))
    for flat1, flat2 in frames:
        r, c = divmod(flat1, 5)
        assert flat2 == (3 * r + c if r < 3 and c < 3 else None)
        assert done_before(d2, (r, c)) == (flat2 if flat2 is not None else min(r + (c >= 3), 3) * 3)
    assert done_before(d2, (4, 4)) == 9 and done_before(d1, (4, 4)) == 24
    with pytest.raises(ValueError, match="1D or all be 2D"):
        compare_frames([d1, grid_sampling([axis_sampling(7, 3)])])


def test_one_figure_drives_both_panels() -> None:
    d1 = grid_sampling([axis_sampling(7, 3)] * 2)
    d2 = grid_sampling([axis_sampling(7, 3, dilation=2)] * 2)
    spec = _spec(sampling_panels([d1, d2], titles=["a", "b"], width_px=1040))
    layout = spec["layout"]
    assert [a["text"] for a in layout["annotations"]] == ["a", "b"]
    assert len(spec["frames"]) == 25 and len(layout["sliders"][0]["steps"]) == 25
    axes = {t["name"]: [] for t in spec["data"]}
    for t in spec["data"]:
        axes[t["name"]].append((t.get("xaxis", "x"), t.get("yaxis", "y")))
    assert axes["tap numbers"] == [("x", "y"), ("x3", "y3")] and axes["output"] == [("x2", "y2"), ("x4", "y4")]
    domains = [layout[f"xaxis{i}"]["domain"] for i in ("", "2", "3", "4")]
    assert all(a[1] < b[0] for a, b in zip(domains, domains[1:], strict=False))  # left to right, apart
    # a static pick: the same output in both panels, clamped to the smaller one
    still = _spec(sampling_panels([d1, d2], position=(4, 1)))
    current = [t for t in still["data"] if t["name"] == "current output"]
    assert [float(_decode(c["x"]).min()) + 0.5 for c in current] == [1.0, 1.0]  # column 1
    assert [float(_decode(c["y"]).min()) + 0.5 for c in current] == [4.0, 2.0]  # row 4, and 2 at d = 2


@pytest.mark.parametrize("compare", [False, True])
def test_large_padding_keeps_the_output_numbers_off_the_input(compare: bool) -> None:
    """Issue 15, defect 8: custom padding 80 drew the output's row numbers over the input panel."""
    grids = [grid_sampling([axis_sampling(7, 3, padding=(80, 80), dilation=d)] * 2) for d in (1, 2)]
    fig = sampling_panels(grids if compare else grids[1:], width_px=1040, titles=["a", "b"][: 1 + compare])
    layout = fig.layout
    plot_w = 1040 - layout.margin.l - layout.margin.r
    pairs = [("xaxis", "xaxis2")] + ([("xaxis3", "xaxis4")] if compare else [])
    for a, b in pairs:
        gap = (layout[b].domain[0] - layout[a].domain[1]) * plot_w
        assert gap >= LABEL_GAP_PX - 4  # room for "160" at the output's left (the figure's width is fixed)
    assert len(fig.frames) <= 100


# --- the GIF export (Pillow) ---


def _gif_frames(data: bytes) -> list[np.ndarray]:
    """Every frame of a GIF as an RGB array, decoded by Pillow."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF"
    frames = []
    for i in range(image.n_frames):
        image.seek(i)
        frames.append(np.asarray(image.convert("RGB")))
    return frames


def _inner(box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """Pixels just inside a cell's corners: inside its fill, outside the outlines (the span's, drawn
    on the cell borders, and a copied pixel's, 2 pixels in) and away from the number in the middle."""
    x0, y0, x1, y1 = box
    return [(x, y) for x in (x0 + 1, x1 - 2) for y in (y0 + 1, y1 - 2)]


def _rgb(frame: np.ndarray, xy: tuple[int, int]) -> tuple[int, int, int]:
    return tuple(int(v) for v in frame[xy[1], xy[0]])


# small settings of the GIF tests: 1D or 2D, per axis (n, k, s, padding, d), and the padding mode
GIF_CASES = {
    "ndim": st.sampled_from([1, 2]),
    "rows": axis_settings(n_max=9, k_max=4, d_max=3, s_max=3),
    "cols": axis_settings(n_max=9, k_max=4, d_max=3, s_max=3),
    "mode": MODES,
}


def _assert_panel_shows(frame: np.ndarray, lay, g, settings, pos: tuple[int, ...], label) -> None:
    """The panel at ``lay`` highlights exactly the taps ``sampling_taps`` gives for output ``pos``
    (padding taps apart), marks that output current and the ones before it done."""
    ndim = len(settings)
    tap, tap_pad, number = PALETTE["tap"], PALETTE["tap_pad"], (255, 255, 255)
    per_axis = [sampling_taps(n, k, s, padding, d) for n, k, s, padding, d in settings]
    grids = np.meshgrid(*[t[int(i)] for t, i in zip(per_axis, pos, strict=True)], indexing="ij")
    taps = np.stack([x.ravel() for x in grids], axis=1)
    tap_cells = {(int(t[0]), int(t[-1])) if ndim == 2 else (0, int(t[0])) for t in taps}
    for t in taps:
        r, c = (int(t[0]), int(t[1])) if ndim == 2 else (0, int(t[0]))
        inside = all(0 <= int(v) < a[0] for v, a in zip(t, settings, strict=True))
        want = tap if inside else tap_pad
        assert all(_rgb(frame, xy) == want for xy in _inner(lay.input_cell(r, c))), (label, t)
    # cells that are not taps are not drawn as taps
    for r in g.axes[0].padded if ndim == 2 else [0]:
        for c in g.axes[-1].padded:
            if (int(r), int(c)) not in tap_cells:
                colours = {_rgb(frame, xy) for xy in _inner(lay.input_cell(int(r), int(c)))}
                assert not colours & {tap, tap_pad, number}, (label, r, c)
    # the current output, and the ones before it done
    assert _rgb(frame, _inner(lay.output_cell(pos))[0]) == PALETTE["current"], label
    if any(pos):
        first = tuple(0 for _ in pos)
        assert _rgb(frame, _inner(lay.output_cell(first))[0]) == PALETTE["done"], label


def _current_output(frame: np.ndarray, lay, g) -> tuple[int, ...]:
    """The output a panel marks current, read from the frame's pixels."""
    found = [
        pos
        for pos in np.ndindex(*g.out_shape)
        if _rgb(frame, _inner(lay.output_cell(pos))[0]) == PALETTE["current"]
    ]
    assert len(found) == 1, found
    return tuple(int(p) for p in found[0])


@example(ndim=2, rows=(1, 1, 1, "valid", 1), cols=(9, 1, 1, (1, 6), 1), mode="reflect")  # a copied pixel
@given(**GIF_CASES)
def test_gif_has_a_frame_per_output_and_the_taps_of_sampling_taps(ndim, rows, cols, mode) -> None:
    settings = [rows, cols][2 - ndim :]
    for n, k, _s, padding, d in settings:
        assume(sampling_problem(n, k, padding, d, mode) is None)
    g = grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in settings])
    assume(g.n_outputs <= frame_budget(g.n_taps))
    frames = _gif_frames(sampling_gif(g))
    assert len(frames) == g.n_outputs == gif_frame_count(g)
    lay = gif_layout(g)
    for flat, frame in enumerate(frames):
        pos = tuple(int(p) for p in np.unravel_index(flat, g.out_shape))
        _assert_panel_shows(frame, lay, g, settings, pos, flat)


@given(**GIF_CASES)
def test_compare_gif_moves_both_panels_in_step_by_output_position(ndim, rows, cols, mode) -> None:
    settings = [rows, cols][2 - ndim :]
    assume(any(d > 1 for *_, d in settings))
    plain = [(n, k, s, padding, 1) for n, k, s, padding, _d in settings]
    for n, k, _s, padding, d in settings:
        assume(sampling_problem(n, k, padding, d, mode) is None)
    g = grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in settings])
    g1 = grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in plain])
    assume(g1.n_outputs <= frame_budget(g.n_taps + g1.n_taps))
    frames = _gif_frames(sampling_gif(g, compare_with=g1))
    # d = 1 has the most outputs: one frame each, and the dilated panel shows the same position
    assert g1.n_outputs >= g.n_outputs
    assert len(frames) == g1.n_outputs == gif_frame_count(g, compare_with=g1)
    lays, width, height = gif_panels([g1, g])
    assert frames[0].shape == (height, width, 3)
    for i, frame in enumerate(frames):
        pos = tuple(int(p) for p in np.unravel_index(i, g1.out_shape))
        _assert_panel_shows(frame, lays[0], g1, plain, pos, (0, i))
        if all(p < o for p, o in zip(pos, g.out_shape, strict=True)):
            _assert_panel_shows(frame, lays[1], g, settings, pos, (1, i))
        else:  # no output here: no current cell, no taps, and the outputs before this position done
            states = [_rgb(frame, _inner(lays[1].output_cell(q))[0]) for q in np.ndindex(*g.out_shape)]
            assert PALETTE["current"] not in states, (i, pos)
            done = [q < pos for q in np.ndindex(*g.out_shape)]
            assert states == [PALETTE["done"] if d else PALETTE["pending"] for d in done], (i, pos)
    if ndim == 1:  # stacked, with input index 0 of both panels at the same x
        assert lays[0].input_cell(0, 0)[0] == lays[1].input_cell(0, 0)[0]
        assert lays[1].in_y0 >= lays[0].height
    else:  # side by side, with one cell size
        assert lays[1].in_x0 >= lays[0].width and lays[0].cell_w == lays[1].cell_w


def test_gif_numbers_the_taps() -> None:
    g = grid_sampling([axis_sampling(7, 3, dilation=2)] * 2)
    frame = _gif_frames(sampling_gif(g))[0]
    lay = gif_layout(g)
    for r, c in [(0, 0), (2, 4), (4, 2)]:
        x0, y0, x1, y1 = lay.input_cell(r, c)
        cell = frame[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3].reshape(-1, 3)
        assert (cell == (255, 255, 255)).all(axis=1).any()  # the white digit on the tap


def test_gif_frames_are_bounded_like_the_animation() -> None:
    g = grid_sampling([axis_sampling(32, 3, padding="same")] * 2)
    data = sampling_gif(g)
    shown = frame_outputs(g.n_outputs, frame_budget(g.n_taps))
    assert Image.open(io.BytesIO(data)).n_frames == len(shown) == gif_frame_count(g) < g.n_outputs
    assert Image.open(io.BytesIO(sampling_gif(g, max_frames=5))).n_frames == 5
    big = grid_sampling([axis_sampling(32, 11, padding="same", dilation=16, mode="replicate")] * 2)
    image = Image.open(io.BytesIO(sampling_gif(big)))
    assert image.size[0] <= 900 and image.size[1] <= 640
