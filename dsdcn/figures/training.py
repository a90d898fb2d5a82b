"""Figures of the Training lab: pure functions, plain numbers and arrays in, ``go.Figure`` out.

Racers (1–4 small models trained side by side) take their colour from ``theme.colours`` in order.
Every word drawn comes from a :class:`TrainingText` (English defaults; the page passes translations).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .receptive import ERF_SCALE, SCALE
from .theme import STANDARD, Theme, apply_theme

MIN_LOSS = 1e-6
HOLE_VALUE = -12  # coverage cells with no path: a band of their own below the 0..100 shade (int8 cells)
TARGET_MARK = {"color": "#ffffff", "line": {"color": "#000000", "width": 2}}
GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
RECALL_SCALE = [[0.0, "#ffffff"], [0.5, "#6baed6"], [1.0, "#08306b"]]


@dataclass(frozen=True)
class TrainingText:
    """Every word the Training lab figures draw (English defaults; a page passes translated ones).

    Hover templates keep plotly's ``%{x}``-style fields; ``{name}``-style fields are filled by the builder.
    ``input``, ``target`` and ``output`` are titles a page can pass to :func:`image_panels`.
    """

    step: str = "training step"
    loss: str = "loss"
    baseline: str = "learned nothing (baseline)"
    hover_loss: str = "step %{x:.0f}<br>loss %{y:.4g}"
    offset_x: str = "input offset dx"
    offset_y: str = "input offset dy"
    paths: str = "paths"
    hole: str = "hole"
    fewest_paths: str = "1 path"
    most_paths: str = "most paths"
    hover_coverage: str = (
        "offset dy %{y}, dx %{x}<br>log paths: %{z} % of the most (below 0: hole)<extra></extra>"
    )
    target_offset: str = "target offset"
    hover_target: str = "target offset ({dy}, {dx}): {state}<extra></extra>"
    reached: str = "reached"
    outside: str = "outside the field"
    field_steps: str = "causal receptive field (steps)"
    needed: str = "needed: delay + 1 = {n} steps"
    bar_label: str = "r = {r} steps"
    bar_short: str = "r = {r} steps: too short"
    hover_reach: str = "%{customdata}<br>field %{x} steps<extra></extra>"
    before: str = "before training"
    after: str = "after training"
    gradient: str = "|gradient|"
    hover_erf: str = "offset dy %{y}, dx %{x}<br>|gradient| %{z:.2f} of max<extra></extra>"
    steps_back: str = "steps back (0 = current step)"
    share: str = "share of the maximum"
    hover_erf_1d: str = "%{x} steps back<br>|gradient| %{y:.2f} of max"
    hover_image: str = "x %{x}, y %{y}<br>value %{z:.3f}<extra></extra>"
    input: str = "input"
    target: str = "target"
    output: str = "output"
    recall_step: str = "recall step"
    symbol: str = "symbol"
    blank: str = "blank"
    true_symbol: str = "true symbol"
    probability: str = "probability"
    hover_recall: str = "recall step %{x}, class %{y}<br>probability %{z:.2f}<extra></extra>"
    hover_truth: str = "recall step %{x}: true symbol %{y}<extra></extra>"


TEXT = TrainingText()


# ---------------------------------------------------------------- helpers


def _check_names(what: str, items: Sequence[object], names: Sequence[str], at_least: int = 0) -> None:
    """``ValueError`` unless ``items`` and ``names`` have the same length (and at least ``at_least``)."""
    if len(items) != len(names):
        raise ValueError(f"{what}: got {len(items)} but {len(names)} names; give one name per model")
    if len(items) < at_least:
        raise ValueError(f"{what}: need at least {at_least}, got {len(items)}")


def _axis_suffix(i: int) -> str:
    """``""``, ``"2"``, ``"3"`` …: the plotly axis name suffix of subplot ``i`` (0-based)."""
    return str(i + 1) if i else ""


def downsample(values: Sequence[float], max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of a curve over steps ``1..n``, averaged in bins of equal width so that at most
    ``max_points`` remain; ``x`` is each bin's centre. Non-finite values are left out of the means."""
    if max_points < 1:
        raise ValueError(f"max_points must be at least 1, got {max_points}")
    y = np.asarray(values, dtype=np.float64).ravel()
    n = y.size
    x = np.arange(1, n + 1, dtype=np.float64)
    if n <= max_points:
        return x, np.where(np.isfinite(y), y, np.nan)
    width = math.ceil(n / max_points)
    starts = np.arange(0, n, width)
    good = np.isfinite(y)
    sums = np.add.reduceat(np.where(good, y, 0.0), starts)
    counts = np.add.reduceat(good.astype(np.float64), starts)
    sizes = np.diff(np.append(starts, n))
    centres = starts + (sizes + 1) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    return centres, means


# ---------------------------------------------------------------- loss race


def _race_xy(
    curve: Sequence[float], at: np.ndarray | None, max_points: int, log_y: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    """One curve's points (binned past ``max_points``; at its ``steps`` or at 1..n) and the last step it
    reaches; on a log axis losses are clipped at :data:`MIN_LOSS` (NaN stays NaN: a gap)."""
    x, y = downsample(curve, max_points)
    longest = len(curve)
    if at is not None:
        if len(at) != len(curve):
            raise ValueError(f"steps: {len(at)} values for a curve of {len(curve)}")
        x = downsample(at, max_points)[1]  # the mean step of each bin
        longest = max(longest, int(at[-1]) if len(at) else 0)
    if log_y:
        y = np.maximum(y, MIN_LOSS)
    return x, y, longest


def _race_line(
    x: np.ndarray, y: np.ndarray, name: str, i: int, markers: bool, text: TrainingText, theme: Theme
) -> go.Scatter:
    # model i's loss line (with markers when its points are few and far apart)
    return go.Scatter(
        x=x,
        y=y,
        name=name,
        mode="lines+markers" if markers else "lines",
        marker={"size": theme.marker_size * 0.6},
        line={"color": theme.colour(i), "width": theme.line_width},
        hovertemplate=text.hover_loss,
    )


def _race_baseline(span: list[float], level: float, text: TrainingText, theme: Theme) -> go.Scatter:
    # the dashed "learned nothing" level over the whole x span
    return go.Scatter(
        x=span,
        y=[level, level],
        name=text.baseline,
        mode="lines",
        line={"color": theme.baseline_colour, "width": theme.line_width, "dash": "dash"},
        hovertemplate=f"{text.baseline}: %{{y:.4g}}<extra></extra>",
    )


def _race_axes(
    fig: go.Figure, span: list[float], longest: int, log_y: bool, text: TrainingText, theme: Theme
) -> None:
    """Axis titles, a log y axis labelled at decades, the legend above, white background and a light grid."""
    fig.update_xaxes(title_text=text.step, range=span if longest <= 1 else None)
    fig.update_yaxes(title_text=text.loss, type="log" if log_y else "linear")
    if log_y:  # label the decades only: plotly's minor labels (2, 3, ... 9) read as values
        fig.update_yaxes(dtick=1)
    fig.update_layout(
        height=theme.height,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0, "xanchor": "left"},
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eceff1")
    fig.update_yaxes(showgrid=True, gridcolor="#eceff1")


def loss_race(
    curves: Sequence[Sequence[float]],
    names: Sequence[str],
    baseline: float,
    *,
    log_y: bool = True,
    max_points: int = 600,
    steps: Sequence[int] | None = None,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Loss against training step, one line per model, and the dashed "learned nothing" baseline.

    ``curves[i]`` holds model ``i``'s losses at ``steps`` (one shared list, e.g. every 10th step from 0),
    or at steps ``1..n_i`` when ``steps`` is None; longer than ``max_points`` they are
    averaged in bins. ``log_y`` draws a log axis (losses clipped at ``1e-6``). Empty curves give a figure
    with just the baseline over ``x`` from 0 to 1.
    """
    _check_names("curves", curves, names)
    fig = go.Figure()
    longest = 0
    at = None if steps is None else np.asarray(steps, dtype=np.float64)
    for i, (curve, name) in enumerate(zip(curves, names, strict=True)):
        x, y, reach = _race_xy(curve, at, max_points, log_y)
        longest = max(longest, reach)
        fig.add_trace(_race_line(x, y, name, i, at is not None and len(x) <= 40, text, theme))
    first = 1.0 if at is None else 0.0  # held-out curves start at the initial weights (step 0)
    span = [first, float(longest)] if longest > 1 else [0.0, 1.0]
    level = max(float(baseline), MIN_LOSS) if log_y else float(baseline)
    fig.add_trace(_race_baseline(span, level, text, theme))
    _race_axes(fig, span, longest, log_y, text, theme)
    return apply_theme(fig, theme)


# ---------------------------------------------------------------- coverage


def _coverage_scale(theme: Theme) -> list[list[object]]:
    """Hole band on ``[HOLE_VALUE, 0)``, then the path shade on ``[0, 100]``."""
    cut = -HOLE_VALUE / (100 - HOLE_VALUE)
    scale: list[list[object]] = [[0.0, theme.hole_colour], [cut * 0.999, theme.hole_colour]]
    for i, colour in enumerate(SCALE):
        scale.append([cut + (1.0 - cut) * i / (len(SCALE) - 1), colour])
    scale[-1][0] = 1.0
    return scale


def coverage_shade(counts: np.ndarray) -> np.ndarray:
    """Path counts ``(H, W)`` as int8 shades: ``log(1 + count)`` in percent of the largest (0..100);
    cells with no path get ``HOLE_VALUE`` (int8 keeps a 129 x 129 map at ~22 kB of JSON)."""
    c = np.asarray(counts, dtype=np.float64)
    level = np.log1p(np.maximum(c, 0.0))
    top = float(level.max()) if level.size else 0.0
    z = np.rint(100.0 * level / top) if top > 0 else level
    z[c <= 0] = HOLE_VALUE
    return z.astype(np.int8)


def _target_state(
    counts: np.ndarray, start: tuple[int, int], target: tuple[int, int], text: TrainingText
) -> str:
    """Whether ``target`` (dy, dx) is reached, a hole, or outside the field of ``counts``."""
    i, j = target[0] + start[0], target[1] + start[1]
    if not (0 <= i < counts.shape[0] and 0 <= j < counts.shape[1]):
        return text.outside
    return text.reached if counts[i, j] > 0 else text.hole


def _start_pair(start: int | Sequence[int]) -> tuple[int, int]:
    """``(s_y, s_x)`` from one int or a pair."""
    if isinstance(start, (int, np.integer)):
        return int(start), int(start)
    sy, sx = start
    return int(sy), int(sx)


def _span(lo: int, hi: int, extra: int | None) -> list[float]:
    """Axis range over cells ``lo..hi`` widened to hold ``extra``, with half a cell (plus one) of room."""
    if extra is not None:
        lo, hi = min(lo, extra - 1), max(hi, extra + 1)
    return [lo - 0.5, hi + 0.5]


def coverage_panels(
    coverages: Sequence[np.ndarray],
    names: Sequence[str],
    target: tuple[int, int] | None,
    starts: Sequence[int],
    *,
    columns: int = 4,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Exact 2D coverage per model, ``columns`` panels per row: ``coverages[i]`` of shape ``(H_i, W_i)`` holds path
    counts; cell ``(a, b)`` is input offset ``(dy, dx) = (a - s, b - s)`` with ``s = starts[i]`` (an int, or
    ``(s_y, s_x)``). Holes (0 paths) are drawn in ``theme.hole_colour``; the ``target`` ``(dy, dx)``, when
    given, is marked on every panel, whose axes widen to show it even outside the field."""
    _check_names("coverages", coverages, names, at_least=1)
    _check_names("starts", starts, names)
    if len(coverages) > 4:
        raise ValueError(f"coverages: at most 4 models, got {len(coverages)}")
    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns}")
    cols = min(columns, len(coverages))
    rows = -(-len(coverages) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(names),
        horizontal_spacing=0.04 if cols > 2 else 0.1,
        vertical_spacing=0.12,
    )
    for i, (counts, start) in enumerate(zip(coverages, starts, strict=True)):
        c = np.asarray(counts)
        if c.ndim != 2:
            raise ValueError(f"coverages[{i}] must be 2D (H, W), got shape {c.shape}")
        _coverage_panel(fig, i, divmod(i, cols), c, _start_pair(start), target, text, theme)
    fig.update_layout(
        height=int(theme.height * (0.85 if rows == 1 else 0.8 * rows + 0.2)),
        plot_bgcolor="#f4f4f4",
        showlegend=False,
        coloraxis={
            "colorscale": _coverage_scale(theme),
            "cmin": HOLE_VALUE,
            "cmax": 100,
            "colorbar": {
                "title": {"text": text.paths},
                "tickvals": [HOLE_VALUE / 2, 0, 100],
                "ticktext": [text.hole, text.fewest_paths, text.most_paths],
                "len": 0.9,
            },
        },
    )
    fig.update_xaxes(title_text=text.offset_x, row=rows)
    fig.update_yaxes(title_text=text.offset_y, col=1)
    return apply_theme(fig, theme)


def _coverage_panel(
    fig: go.Figure,
    i: int,
    cell: tuple[int, int],
    counts: np.ndarray,
    start: tuple[int, int],
    target: tuple[int, int] | None,
    text: TrainingText,
    theme: Theme,
) -> None:
    """One coverage heatmap (and the target marker), panel ``i`` at ``cell`` (row, column from 0)."""
    sy, sx = start
    row, col = cell[0] + 1, cell[1] + 1
    h, w = counts.shape
    fig.add_trace(
        go.Heatmap(
            z=coverage_shade(counts),
            x0=-sx,
            dx=1,
            y0=-sy,
            dy=1,
            coloraxis="coloraxis",
            hovertemplate=text.hover_coverage,
        ),
        row=row,
        col=col,
    )
    ty = tx = None
    if target is not None:
        ty, tx = int(target[0]), int(target[1])
        state = _target_state(counts, start, (ty, tx), text)
        fig.add_trace(
            go.Scatter(
                x=[tx],
                y=[ty],
                mode="markers",
                name=text.target_offset,
                marker={"symbol": "x", "size": 2.2 * theme.marker_size, **TARGET_MARK},
                hovertemplate=text.hover_target.format(dy=ty, dx=tx, state=state),
            ),
            row=row,
            col=col,
        )
    fig.update_xaxes(range=_span(-sx, w - 1 - sx, tx), constrain="domain", row=row, col=col)
    y0, y1 = _span(-sy, h - 1 - sy, ty)
    fig.update_yaxes(
        range=[y1, y0],
        scaleanchor=f"x{_axis_suffix(i)}",
        constrain="domain",
        constraintoward="top",
        row=row,
        col=col,
    )


# ---------------------------------------------------------------- memory reach


def memory_reach(
    fields: Sequence[int],
    names: Sequence[str],
    delay: int,
    *,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """How far back each model sees: one horizontal bar per model of its causal receptive field
    ``fields[i]`` (steps, the current one included) against the ``delay + 1`` steps the memory task needs
    (dashed line). Bars that fall short are hatched and pale, and say so."""
    _check_names("fields", fields, names, at_least=1)
    needed = int(delay) + 1
    r = [int(f) for f in fields]
    short = [f < needed for f in r]
    fig = go.Figure(
        go.Bar(
            x=r,
            y=list(range(len(r))),
            orientation="h",
            customdata=list(names),
            marker={
                "color": [theme.colour(i) for i in range(len(r))],
                "opacity": [0.45 if s else 1.0 for s in short],
                "pattern": {"shape": ["/" if s else "" for s in short]},
                "line": {"color": [theme.colour(i) for i in range(len(r))], "width": 1.5},
            },
            text=[
                (text.bar_short if s else text.bar_label).format(r=f) for f, s in zip(r, short, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=text.hover_reach,
            showlegend=False,
        )
    )
    fig.add_vline(
        x=needed,
        line={"color": theme.baseline_colour, "dash": "dash", "width": theme.line_width},
        annotation={"text": text.needed.format(n=needed), "yanchor": "bottom"},
        annotation_position="top",
    )
    top = max(max(r), needed)
    fig.update_xaxes(title_text=text.field_steps, range=[0, top * 1.45 + 1], rangemode="tozero")
    fig.update_yaxes(tickvals=list(range(len(r))), ticktext=list(names), autorange="reversed")
    fig.update_layout(
        height=max(theme.height // 2, 120 + len(r) * 2 * (theme.font_size + theme.marker_size)),
        plot_bgcolor="white",
        bargap=0.3,
    )
    return apply_theme(fig, theme)


# ---------------------------------------------------------------- effective receptive field


def erf_panels(
    before: Sequence[np.ndarray],
    after: Sequence[np.ndarray],
    names: Sequence[str],
    *,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Effective receptive fields (each scaled to a maximum of 1) at initialisation and after training.

    2D arrays ``(H_i, W_i)`` (centred on the output): a grid of heatmaps, row 1 before, row 2 after, one
    column per model, one shared colour bar. 1D arrays ``(r_i,)`` (causal, last entry = current step): one
    panel per model with the two profiles over steps back (before dashed, after solid).
    """
    _check_names("before", before, names, at_least=1)
    _check_names("after", after, names)
    b = [np.asarray(a, dtype=np.float32) for a in before]
    a = [np.asarray(v, dtype=np.float32) for v in after]
    for i, (x, y) in enumerate(zip(b, a, strict=True)):
        if x.shape != y.shape:
            raise ValueError(f"before[{i}] and after[{i}] differ in shape: {x.shape} and {y.shape}")
    dims = {x.ndim for x in b}
    if dims == {2}:
        fig = _erf_grid(b, a, names, text, theme)
    elif dims == {1}:
        fig = _erf_lines(b, a, names, text, theme)
    else:
        raise ValueError(f"ERF arrays must be all 1D or all 2D, got dimensions {sorted(dims)}")
    return apply_theme(fig, theme)


def _erf_grid(
    before: list[np.ndarray], after: list[np.ndarray], names: Sequence[str], text: TrainingText, theme: Theme
) -> go.Figure:
    """2 rows (before, after) x n columns of ERF heatmaps on a common offset range."""
    n = len(names)
    fig = make_subplots(
        rows=2,
        cols=n,
        subplot_titles=[*names, *([""] * n)],
        horizontal_spacing=0.03,
        vertical_spacing=0.06,
    )
    half = max(max(v.shape) // 2 for v in before)
    for row, arrays in ((1, before), (2, after)):
        for i, v in enumerate(arrays):
            fig.add_trace(
                go.Heatmap(
                    z=v,
                    x0=-(v.shape[1] // 2),
                    dx=1,
                    y0=-(v.shape[0] // 2),
                    dy=1,
                    coloraxis="coloraxis",
                    hovertemplate=text.hover_erf,
                ),
                row=row,
                col=i + 1,
            )
            k = (row - 1) * n + i
            fig.update_xaxes(range=[-half - 0.5, half + 0.5], showticklabels=row == 2, row=row, col=i + 1)
            fig.update_yaxes(
                range=[half + 0.5, -half - 0.5],
                scaleanchor=f"x{_axis_suffix(k)}",
                showticklabels=i == 0,
                row=row,
                col=i + 1,
            )
    # row titles: the y-axis titles of the first column (plotly keeps them clear of the tick labels)
    fig.update_yaxes(title_text=text.before, row=1, col=1)
    fig.update_yaxes(title_text=text.after, row=2, col=1)
    fig.update_xaxes(constrain="domain", showgrid=False, zeroline=False)
    fig.update_yaxes(constrain="domain", constraintoward="top", showgrid=False, zeroline=False)
    fig.update_layout(
        height=round(theme.height * 1.7),
        coloraxis={
            "colorscale": ERF_SCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {"title": {"text": text.gradient}},
        },
        plot_bgcolor="#f4f4f4",
    )
    return fig


def _erf_lines(
    before: list[np.ndarray], after: list[np.ndarray], names: Sequence[str], text: TrainingText, theme: Theme
) -> go.Figure:
    """One panel per model: the 1D ERF before (dashed) and after (solid) over steps back."""
    n = len(names)
    fig = make_subplots(
        rows=1, cols=n, subplot_titles=list(names), shared_yaxes=True, horizontal_spacing=0.03
    )
    for i in range(n):
        steps_back = np.arange(before[i].size - 1, -1, -1, dtype=np.float64)
        for values, label, dash in ((before[i], text.before, "dash"), (after[i], text.after, "solid")):
            fig.add_trace(
                go.Scatter(
                    x=steps_back,
                    y=values,
                    name=label,
                    legendgroup=label,
                    showlegend=i == 0,
                    mode="lines",
                    line={"color": theme.colour(i), "width": theme.line_width, "dash": dash},
                    hovertemplate=text.hover_erf_1d,
                ),
                row=1,
                col=i + 1,
            )
        fig.update_xaxes(title_text=text.steps_back, rangemode="tozero", row=1, col=i + 1)
    fig.update_yaxes(title_text=text.share, range=[0, 1.05], col=1)
    fig.update_layout(
        height=theme.height,
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0.0},
    )
    return fig


# ---------------------------------------------------------------- images


def block_mean(image: np.ndarray, max_side: int) -> tuple[np.ndarray, int]:
    """``(smaller, f)``: ``image`` (2D) averaged over ``f x f`` blocks, the smallest ``f`` that brings
    both sides to at most ``max_side`` (edge blocks average what they hold); ``f = 1`` leaves it as is."""
    a = np.asarray(image, dtype=np.float32)
    if a.ndim != 2:
        raise ValueError(f"images must be 2D (H, W), got shape {a.shape}")
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, got {max_side}")
    f = max(1, math.ceil(max(a.shape) / max_side))
    if f == 1:
        return a, 1
    h, w = math.ceil(a.shape[0] / f) * f, math.ceil(a.shape[1] / f) * f
    padded = np.pad(a, ((0, h - a.shape[0]), (0, w - a.shape[1])), constant_values=np.nan)
    with np.errstate(invalid="ignore"):
        blocks = np.nanmean(padded.reshape(h // f, f, w // f, f), axis=(1, 3))
    return blocks.astype(np.float32), f


def _grey_range(images: Sequence[np.ndarray], zmin: float | None, zmax: float | None) -> tuple[float, float]:
    """The shared grey range: given, or the 1st/99th percentiles of the first two images."""
    if zmin is None or zmax is None:
        pool = np.concatenate([np.asarray(v, dtype=np.float64).ravel() for v in images[:2]])
        pool = pool[np.isfinite(pool)]
        lo, hi = np.percentile(pool, [1, 99]) if pool.size else (0.0, 1.0)
        zmin = float(lo) if zmin is None else zmin
        zmax = float(hi) if zmax is None else zmax
    if not zmax > zmin:
        zmax = zmin + 1.0
    return float(zmin), float(zmax)


def image_panels(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    zmin: float | None = None,
    zmax: float | None = None,
    max_side: int = 256,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Grey images ``(H_i, W_i)`` side by side (4 a row at most, then more rows), on one grey range
    ``zmin..zmax`` (default: 1st/99th percentiles of the first two) so output and target compare fairly.
    Images over ``max_side`` are block-averaged; hover shows the original pixel coordinates."""
    _check_names("images", images, titles, at_least=1)
    n = len(images)
    rows = math.ceil(n / 4)
    cols = math.ceil(n / rows)
    lo, hi = _grey_range(images, zmin, zmax)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=list(titles), horizontal_spacing=0.02, vertical_spacing=0.08
    )
    for i, image in enumerate(images):
        small, f = block_mean(image, max_side)
        row, col = i // cols + 1, i % cols + 1
        fig.add_trace(
            go.Heatmap(
                z=small,
                x0=(f - 1) / 2,
                dx=f,
                y0=(f - 1) / 2,
                dy=f,
                coloraxis="coloraxis",
                hovertemplate=text.hover_image,
            ),
            row=row,
            col=col,
        )
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{_axis_suffix(i)}", row=row, col=col)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_layout(
        height=round(theme.height * (1 + 0.85 * (rows - 1))),
        coloraxis={"colorscale": GREYS, "cmin": lo, "cmax": hi, "showscale": False},
        plot_bgcolor="white",
    )
    return apply_theme(fig, theme)


# ---------------------------------------------------------------- memory recall


def _check_recall(probs: np.ndarray, truth: Sequence[int]) -> tuple[np.ndarray, list[int]]:
    """``(probs as float32, truth as ints)``, or ``ValueError`` when their shapes or classes disagree."""
    p = np.asarray(probs, dtype=np.float32)
    if p.ndim != 2:
        raise ValueError(f"probs must be 2D (classes, recall steps), got shape {p.shape}")
    t = [int(v) for v in truth]
    if len(t) != p.shape[1]:
        raise ValueError(f"truth has {len(t)} symbols but probs has {p.shape[1]} recall steps")
    if any(not 0 <= v < p.shape[0] for v in t):
        raise ValueError(f"truth values must be classes from 0 to {p.shape[0] - 1}, got {t}")
    return p, t


def recall_panel(
    probs: np.ndarray,
    truth: Sequence[int],
    *,
    text: TrainingText = TEXT,
    theme: Theme = STANDARD,
) -> go.Figure:
    """Predicted class probabilities of one held-out sequence at its recall steps: ``probs`` of shape
    ``(A + 1, S)`` (row 0 blank, rows 1..A the symbols; column = recall step), with the true symbols
    ``truth`` (``S`` values in ``0..A``) marked."""
    p, t = _check_recall(probs, truth)
    steps = np.arange(1, p.shape[1] + 1)
    fig = go.Figure(
        go.Heatmap(
            z=p,
            x=steps,
            y=np.arange(p.shape[0]),
            zmin=0.0,
            zmax=1.0,
            colorscale=RECALL_SCALE,
            colorbar={"title": {"text": text.probability}},
            hovertemplate=text.hover_recall,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=steps,
            y=t,
            mode="markers",
            name=text.true_symbol,
            marker={
                "symbol": "circle-open",
                "size": 2 * theme.marker_size,
                "color": theme.colours[1 % len(theme.colours)],
                "line": {"width": theme.line_width},
            },
            hovertemplate=text.hover_truth,
        )
    )
    labels = [text.blank, *[str(k) for k in range(1, p.shape[0])]]
    fig.update_xaxes(title_text=text.recall_step, tickvals=steps.tolist(), showgrid=False)
    fig.update_yaxes(
        title_text=text.symbol,
        tickvals=list(range(p.shape[0])),
        ticktext=labels,
        autorange="reversed",
        showgrid=False,
    )
    fig.update_layout(
        height=max(theme.height * 3 // 4, 150 + p.shape[0] * 2 * theme.font_size),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0},
        showlegend=True,
        plot_bgcolor="white",
    )
    return apply_theme(fig, theme)
