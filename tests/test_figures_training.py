"""dsdcn.figures.training and dsdcn.figures.theme: figure data compared without rendering."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from dsdcn.figures import training as tf
from dsdcn.figures.receptive import HOLE_COLOUR
from dsdcn.figures.theme import PROJECTOR, STANDARD, Theme, apply_theme
from dsdcn.figures.training import (
    HOLE_VALUE,
    TrainingText,
    block_mean,
    coverage_panels,
    coverage_shade,
    downsample,
    erf_panels,
    image_panels,
    loss_race,
    memory_reach,
    recall_panel,
)

ZH = TrainingText(
    step="训练步数",
    loss="损失",
    baseline="基线（什么也没学到）",
    hover_loss="第 %{x:.0f} 步<br>损失 %{y:.4g}",
    offset_x="输入偏移 dx",
    offset_y="输入偏移 dy",
    paths="路径",
    hole="空洞",
    fewest_paths="1 条路径",
    most_paths="路径最多",
    hover_coverage="偏移 dy %{y}, dx %{x}<br>对数路径：最多的 %{z} %（小于 0：空洞）<extra></extra>",
    target_offset="目标偏移",
    hover_target="目标偏移 ({dy}, {dx})：{state}<extra></extra>",
    reached="可达",
    outside="在感受野之外",
    field_steps="因果感受野（步）",
    needed="所需：延迟 + 1 = {n} 步",
    bar_label="r = {r} 步",
    bar_short="r = {r} 步：太短",
    hover_reach="%{customdata}<br>感受野 %{x} 步<extra></extra>",
    before="训练前",
    after="训练后",
    gradient="|梯度|",
    hover_erf="偏移 dy %{y}, dx %{x}<br>|梯度| 为最大值的 %{z:.2f}<extra></extra>",
    steps_back="回溯步数（0 = 当前步）",
    share="最大值的比例",
    hover_erf_1d="回溯 %{x} 步<br>|梯度| %{y:.2f}",
    hover_image="x %{x}, y %{y}<br>值 %{z:.3f}<extra></extra>",
    input="输入",
    target="目标",
    output="输出",
    recall_step="回忆步",
    symbol="符号",
    blank="空白",
    true_symbol="真实符号",
    probability="概率",
    hover_recall="回忆步 %{x}，类别 %{y}<br>概率 %{z:.2f}<extra></extra>",
    hover_truth="回忆步 %{x}：真实符号 %{y}<extra></extra>",
)


def _layout(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())["layout"]


def _gridded(n: int = 9, d: int = 2) -> np.ndarray:
    """Path counts of a field that reaches only even offsets (holes at odd ones)."""
    c = np.zeros((n, n))
    c[::d, ::d] = np.arange(1, ((n + d - 1) // d) ** 2 + 1).reshape((n + d - 1) // d, -1)
    return c


# ---------------------------------------------------------------- theme


def test_projector_theme_is_bigger_and_applied_to_every_font() -> None:
    assert PROJECTOR.font_size > STANDARD.font_size and PROJECTOR.title_size > STANDARD.title_size
    assert PROJECTOR.line_width > STANDARD.line_width and PROJECTOR.height > STANDARD.height
    sizes = {}
    for theme in (STANDARD, PROJECTOR):
        lay = _layout(loss_race([[1.0, 0.5]], ["A"], 1.0, theme=theme))
        sizes[theme] = (lay["font"]["size"], lay["xaxis"]["tickfont"]["size"], lay["legend"]["font"]["size"])
        assert lay["hoverlabel"]["font"]["size"] == theme.font_size
        assert lay["xaxis"]["tickfont"]["size"] >= theme.font_size - 2
    assert all(p > s for p, s in zip(sizes[PROJECTOR], sizes[STANDARD], strict=True))
    assert sizes[PROJECTOR][1] >= 20  # projector tick labels stay readable


def test_theme_scaled_and_colours() -> None:
    big = STANDARD.scaled(2)
    assert (big.font_size, big.height, big.colours) == (28, 760, STANDARD.colours)
    assert STANDARD.hole_colour == HOLE_COLOUR
    assert STANDARD.colour(len(STANDARD.colours)) == STANDARD.colours[0]
    assert len(set(STANDARD.colours)) >= 4 and HOLE_COLOUR not in STANDARD.colours
    with pytest.raises(ValueError):
        STANDARD.scaled(0)
    fig = apply_theme(go.Figure(go.Scatter(x=[1], y=[1])), Theme(font_size=30))
    assert fig.layout.font.size == 30 and fig.layout.yaxis.title.font.size == 30


# ---------------------------------------------------------------- loss race


def test_loss_race_traces_colours_and_baseline() -> None:
    fig = loss_race([[2.0, 1.0, 0.5], [1.5, 1.4]], ["A", "B"], baseline=1.386)
    assert len(fig.data) == 3
    assert [t.name for t in fig.data] == ["A", "B", tf.TEXT.baseline]
    assert [t.line.color for t in fig.data[:2]] == list(STANDARD.colours[:2])
    np.testing.assert_array_equal(fig.data[0].x, [1, 2, 3])
    base = fig.data[-1]
    assert list(base.y) == [1.386, 1.386] and base.line.dash == "dash"
    assert list(base.x) == [1.0, 3.0]  # spans the longest curve
    assert fig.layout.yaxis.type == "log" and fig.layout.legend.orientation == "h"
    assert fig.layout.height == STANDARD.height


def test_loss_race_clips_on_log_axis_only() -> None:
    log = loss_race([[1.0, 0.0, -1.0]], ["A"], 1.0)
    assert min(log.data[0].y) == pytest.approx(1e-6)
    lin = loss_race([[1.0, 0.0]], ["A"], 1.0, log_y=False)
    assert list(lin.data[0].y) == [1.0, 0.0] and lin.layout.yaxis.type == "linear"


@pytest.mark.parametrize("n", [601, 1200, 5000, 12345])
def test_downsampling_keeps_the_mean_and_bounds_points(n: int) -> None:
    rng = np.random.default_rng(n)
    curve = rng.random(n) + 0.1
    fig = loss_race([curve], ["A"], 1.0, max_points=600)
    x, y = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    assert 1 < len(y) <= 600 and len(x) == len(y)
    assert np.all(np.diff(x) > 0) and x[0] >= 1 and x[-1] <= n
    if n % len(y) == 0:  # equal bins: the mean is kept exactly
        assert y.mean() == pytest.approx(curve.mean())
    assert y.mean() == pytest.approx(curve.mean(), rel=0.01)
    assert list(fig.data[-1].x) == [1.0, float(n)]


def test_downsample_bins_and_non_finite_values() -> None:
    x, y = downsample(np.arange(1, 11, dtype=float), 5)
    np.testing.assert_allclose(x, [1.5, 3.5, 5.5, 7.5, 9.5])
    np.testing.assert_allclose(y, [1.5, 3.5, 5.5, 7.5, 9.5])
    _, y = downsample([1.0, np.nan, 3.0, np.inf], 2)
    np.testing.assert_allclose(y, [1.0, 3.0])
    with pytest.raises(ValueError):
        downsample([1.0], 0)


def test_loss_race_empty() -> None:
    fig = loss_race([], [], 0.7)
    assert len(fig.data) == 1 and list(fig.data[0].y) == [0.7, 0.7]
    assert tuple(fig.layout.xaxis.range) == (0.0, 1.0)
    fig = loss_race([[]], ["A"], 0.7)
    assert len(fig.data) == 2 and len(fig.data[0].y) == 0 and tuple(fig.layout.xaxis.range) == (0.0, 1.0)


# ---------------------------------------------------------------- coverage


def test_coverage_shade_holes_and_scale() -> None:
    c = _gridded()
    z = coverage_shade(c)
    assert z.dtype == np.int8
    assert np.all(z[c == 0] == HOLE_VALUE) and np.all(z[c > 0] >= 0) and z.max() == 100
    fig = coverage_panels([c], ["A"], None, [4])
    np.testing.assert_array_equal(fig.data[0].z, z)
    axis = fig.layout.coloraxis
    assert axis.cmin == HOLE_VALUE and axis.cmax == 100
    # the hole value maps to the hole colour, reached cells do not
    assert axis.colorscale[0][1] == HOLE_COLOUR and axis.colorscale[1][1] == HOLE_COLOUR
    cut = -HOLE_VALUE / (axis.cmax - axis.cmin)
    assert axis.colorscale[1][0] < cut and all(c != HOLE_COLOUR for s, c in axis.colorscale if s >= cut)


def test_coverage_panels_layout_offsets_and_target() -> None:
    cov = [_gridded(9), np.ones((5, 5))]
    fig = coverage_panels(cov, ["A", "B"], (2, -2), [4, 2])
    assert len(fig.data) == 4  # a heatmap and a target marker per model
    assert [a.text for a in fig.layout.annotations] == ["A", "B"]
    heat, mark = fig.data[0], fig.data[1]
    assert (heat.x0, heat.y0, heat.dx, heat.dy) == (-4, -4, 1, 1)  # index 0 is offset -start
    assert (fig.data[2].x0, fig.data[2].y0) == (-2, -2)
    assert (mark.x[0], mark.y[0]) == (-2, 2)  # (dx, dy)
    assert "reached" in mark.hovertemplate and "(2, -2)" in mark.hovertemplate
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis2.scaleanchor == "x2"
    assert tuple(fig.layout.xaxis.range) == (-4.5, 4.5)
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # dy grows downwards


def test_coverage_target_hole_and_outside() -> None:
    fig = coverage_panels([_gridded(9), np.ones((3, 3))], ["A", "B"], (1, 0), [4, 1])
    assert fig.data[1].hovertemplate.startswith("target offset (1, 0): hole")
    fig = coverage_panels([np.ones((3, 3))], ["A"], (-7, 5), [1])
    assert tf.TEXT.outside in fig.data[1].hovertemplate
    xr, yr = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert min(xr) < 5 < max(xr) and min(yr) < -7 < max(yr)


def test_coverage_json_stays_small() -> None:
    cov = [np.random.default_rng(i).integers(0, 9, (129, 129)) for i in range(4)]
    size = len(fig_json := coverage_panels(cov, list("ABCD"), (3, 1), [64] * 4).to_json())
    assert size < 200_000, size
    assert '"bdata"' in fig_json  # numpy arrays serialised in binary form


def test_coverage_validation() -> None:
    with pytest.raises(ValueError, match="names"):
        coverage_panels([np.ones((3, 3))], ["A", "B"], None, [1, 1])
    with pytest.raises(ValueError, match="starts"):
        coverage_panels([np.ones((3, 3))], ["A"], None, [1, 1])
    with pytest.raises(ValueError, match="2D"):
        coverage_panels([np.ones(3)], ["A"], None, [1])
    with pytest.raises(ValueError, match="at most 4"):
        coverage_panels([np.ones((3, 3))] * 5, list("ABCDE"), None, [1] * 5)


# ---------------------------------------------------------------- memory reach


def test_memory_reach_bars_and_needed_line() -> None:
    fig = memory_reach([32, 12, 29], ["A", "B", "C"], delay=28)
    bar = fig.data[0]
    assert list(bar.x) == [32, 12, 29] and bar.orientation == "h"
    assert list(fig.layout.yaxis.ticktext) == ["A", "B", "C"]
    assert list(bar.marker.pattern.shape) == ["", "/", ""]
    assert list(bar.marker.opacity) == [1.0, 0.45, 1.0]
    assert list(bar.marker.color) == list(STANDARD.colours[:3])
    assert list(bar.text) == ["r = 32 steps", "r = 12 steps: too short", "r = 29 steps"]
    line = fig.layout.shapes[0]
    assert line.x0 == line.x1 == 29 and line.line.dash == "dash"
    assert fig.layout.annotations[0].text == "needed: delay + 1 = 29 steps"
    assert fig.layout.xaxis.range[1] > 32


def test_memory_reach_validation() -> None:
    with pytest.raises(ValueError, match="names"):
        memory_reach([3, 4], ["A"], 2)
    with pytest.raises(ValueError):
        memory_reach([], [], 2)


# ---------------------------------------------------------------- effective receptive field


def test_erf_panels_2d_grid() -> None:
    rng = np.random.default_rng(0)
    before = [rng.random((7, 7)), rng.random((15, 15)), rng.random((31, 31))]
    after = [rng.random(b.shape) for b in before]
    fig = erf_panels(before, after, ["A", "B", "C"])
    assert len(fig.data) == 6 and all(t.type == "heatmap" for t in fig.data)
    assert {t.coloraxis for t in fig.data} == {"coloraxis"}
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0.0, 1.0)
    assert [a.text for a in fig.layout.annotations] == ["A", "B", "C"]  # column titles
    assert fig.layout.yaxis.title.text == tf.TEXT.before and fig.layout.yaxis4.title.text == tf.TEXT.after
    assert fig.layout.yaxis5.scaleanchor == "x5"
    assert tuple(fig.layout.xaxis.range) == (-15.5, 15.5)  # a common offset range
    assert fig.data[0].x0 == -3 and fig.layout.height > STANDARD.height


def test_erf_panels_1d_lines() -> None:
    before, after = [np.linspace(0, 1, 5), np.linspace(0, 1, 9)], [np.ones(5), np.ones(9)]
    fig = erf_panels(before, after, ["A", "B"])
    assert len(fig.data) == 4 and all(t.type == "scatter" for t in fig.data)
    assert [t.line.dash for t in fig.data] == ["dash", "solid"] * 2
    np.testing.assert_array_equal(fig.data[0].x, [4, 3, 2, 1, 0])  # 0 = the current (last) step
    assert fig.data[2].line.color == STANDARD.colours[1]
    assert [t.showlegend for t in fig.data] == [True, True, False, False]


def test_erf_validation() -> None:
    with pytest.raises(ValueError, match="names"):
        erf_panels([np.ones(3)], [np.ones(3)], ["A", "B"])
    with pytest.raises(ValueError, match="shape"):
        erf_panels([np.ones(3)], [np.ones(4)], ["A"])
    with pytest.raises(ValueError, match="1D or all 2D"):
        erf_panels([np.ones(3), np.ones((3, 3))], [np.ones(3), np.ones((3, 3))], ["A", "B"])


# ---------------------------------------------------------------- images


def test_image_panels_shared_range_and_downsampling() -> None:
    rng = np.random.default_rng(1)
    big = rng.normal(size=(600, 300))
    small = rng.normal(size=(32, 32))
    fig = image_panels([big, small], ["output", "target"], max_side=128)
    z = np.asarray(fig.data[0].z)
    assert max(z.shape) <= 128 and z.shape == (120, 60) and fig.data[0].dx == 5
    assert np.asarray(fig.data[1].z).shape == (32, 32)
    lo, hi = np.percentile(np.concatenate([big.ravel(), small.ravel()]), [1, 99])
    axis = fig.layout.coloraxis
    assert (axis.cmin, axis.cmax) == pytest.approx((lo, hi))
    assert fig.layout.xaxis.showticklabels is False and fig.layout.yaxis.scaleanchor == "x"
    fixed = image_panels([big], ["x"], zmin=-1.0, zmax=2.0)
    assert (fixed.layout.coloraxis.cmin, fixed.layout.coloraxis.cmax) == (-1.0, 2.0)


def test_block_mean_keeps_the_mean_and_ragged_edges() -> None:
    a = np.arange(16, dtype=float).reshape(4, 4)
    out, f = block_mean(a, 2)
    assert f == 2
    np.testing.assert_allclose(out, [[2.5, 4.5], [10.5, 12.5]])
    out, f = block_mean(np.ones((5, 3)), 2)
    assert f == 3 and out.shape == (2, 1) and np.all(out == 1.0)
    with pytest.raises(ValueError, match="2D"):
        block_mean(np.ones(3), 2)


def test_image_panels_wrap_into_rows() -> None:
    images = [np.full((4, 4), float(i)) for i in range(6)]
    fig = image_panels(images, [str(i) for i in range(6)])
    lay = fig.to_plotly_json()["layout"]
    assert len(fig.data) == 6 and "xaxis6" in lay and "xaxis7" not in lay  # 2 rows of 3
    assert max(lay["yaxis4"]["domain"]) < min(lay["yaxis"]["domain"])
    assert fig.layout.height > STANDARD.height
    one_row = image_panels(images[:4], list("abcd"))
    assert one_row.layout.height == STANDARD.height
    with pytest.raises(ValueError, match="names"):
        image_panels(images, ["a"])


# ---------------------------------------------------------------- recall


def test_recall_panel() -> None:
    probs = np.full((5, 4), 0.2)
    fig = recall_panel(probs, [1, 4, 2, 2])
    heat, marks = fig.data
    assert np.asarray(heat.z).shape == (5, 4) and (heat.zmin, heat.zmax) == (0.0, 1.0)
    assert list(marks.x) == [1, 2, 3, 4] and list(marks.y) == [1, 4, 2, 2]
    assert list(fig.layout.yaxis.ticktext) == ["blank", "1", "2", "3", "4"]
    with pytest.raises(ValueError, match="recall steps"):
        recall_panel(probs, [1, 2])
    with pytest.raises(ValueError, match="classes"):
        recall_panel(probs, [1, 2, 3, 5])
    with pytest.raises(ValueError, match="2D"):
        recall_panel(np.ones(4), [1])


# ---------------------------------------------------------------- every word from the text object


def _drawn_strings(node: object, key: str = "") -> list[str]:
    """Strings a figure draws: names, texts, tick texts, hover templates, titles and annotations."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _drawn_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _drawn_strings(v, key)]
    if isinstance(node, str) and key in {"name", "text", "ticktext", "hovertemplate", "texttemplate"}:
        return [node]
    return []


def _english_left(s: str) -> list[str]:
    """Latin words of 3+ letters in ``s`` once plotly fields and HTML tags are taken out."""
    s = re.sub(r"%\{[^}]*\}|<[^>]*>", " ", s)
    return re.findall(r"[A-Za-z]{3,}", s)


def _all_figures(text: TrainingText) -> list[go.Figure]:
    names = ["A", "B"]
    return [
        loss_race([[1.0, 0.5], [0.9]], names, 1.0, text=text),
        coverage_panels([_gridded(9), np.ones((3, 3))], names, (1, 0), [4, 1], text=text),
        coverage_panels([np.ones((3, 3))], ["A"], (9, 9), [1], text=text),
        coverage_panels([np.ones((3, 3))], ["A"], (0, 0), [1], text=text),
        memory_reach([32, 3], names, 10, text=text),
        erf_panels([np.ones((3, 3))] * 2, [np.ones((3, 3))] * 2, names, text=text),
        erf_panels([np.ones(3)] * 2, [np.ones(3)] * 2, names, text=text),
        image_panels([np.ones((3, 3)), np.zeros((3, 3))], [text.output, text.target], text=text),
        recall_panel(np.full((3, 2), 0.5), [1, 2], text=text),
    ]


def test_every_drawn_word_comes_from_the_text_object() -> None:
    drawn_en = [s for f in _all_figures(tf.TEXT) for s in _drawn_strings(json.loads(f.to_json()))]
    assert any(_english_left(s) for s in drawn_en)  # the check below can see English words
    drawn_zh = [s for f in _all_figures(ZH) for s in _drawn_strings(json.loads(f.to_json()))]
    left = {s: _english_left(s) for s in drawn_zh if _english_left(s)}
    assert not left, left
    joined = "\n".join(drawn_zh)
    for word in (
        "基线",
        "空洞",
        "可达",
        "在感受野之外",
        "训练前",
        "训练后",
        "所需：延迟 + 1 = 11 步",
        "r = 3 步：太短",
        "空白",
        "真实符号",
        "输出",
        "目标",
    ):
        assert word in joined, word


def test_zh_axis_titles_and_legend_names() -> None:
    fig = loss_race([[1.0]], ["A"], 1.0, text=ZH)
    assert fig.data[-1].name == "基线（什么也没学到）"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("训练步数", "损失")
    assert "\\u57fa\\u7ebf" in fig.to_json() or "基线" in fig.to_json()


def test_text_fields_are_all_strings_and_formattable() -> None:
    for field in dataclasses.fields(TrainingText):
        value = getattr(tf.TEXT, field.name)
        assert isinstance(value, str) and value
    assert tf.TEXT.needed.format(n=3) and tf.TEXT.bar_label.format(r=3) and tf.TEXT.bar_short.format(r=3)
    assert tf.TEXT.hover_target.format(dy=1, dx=2, state="x")


def test_coverage_panels_wrap_into_rows() -> None:
    from dsdcn import coverage_2d, dilated_stack

    counts = [coverage_2d(dilated_stack(r)) for r in ((1, 2, 5), (2, 2, 2), (1,), (2, 4))]
    starts = [c.shape[0] // 2 for c in counts]
    one_row = coverage_panels(counts, list("abcd"), (3, 1), starts)
    two_rows = coverage_panels(counts, list("abcd"), (3, 1), starts, columns=2)
    assert len(two_rows.layout.annotations) == 4  # the panel titles
    assert two_rows.layout.height > one_row.layout.height
    domains = {tuple(round(v, 3) for v in two_rows.layout[f"yaxis{i}"].domain) for i in ("", "2", "3", "4")}
    assert len(domains) == 2  # two rows of panels
    with pytest.raises(ValueError, match="columns"):
        coverage_panels(counts, list("abcd"), None, starts, columns=0)


def test_loss_race_at_given_steps_starts_at_step_zero() -> None:
    fig = tf.loss_race([[1.0, 0.5, 0.1], [1.0, 1.0, 1.0]], ["a", "b"], 1.0, steps=[0, 10, 20])
    assert list(fig.data[0].x) == [0, 10, 20] and list(fig.data[0].y) == [1.0, 0.5, 0.1]
    assert list(fig.data[-1].x) == [0.0, 20.0]  # the baseline spans the curves
    with pytest.raises(ValueError, match="steps"):
        tf.loss_race([[1.0, 0.5]], ["a"], 1.0, steps=[0, 10, 20])
