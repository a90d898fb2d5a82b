"""Receptive field: how a stack's field grows, where it has holes (gridding) and what the gradient sees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from dsdcn import (
    ERF,
    PRESETS,
    WEIGHT_INITS,
    Field,
    HDCRule,
    Layer,
    ParsedStack,
    budget,
    encode_stack,
    hdc_rule,
    mass_share,
    parse_stack,
    stack_field,
    union_field,
)
from dsdcn.erf import MAX_ERF_EXTENT, mass_mask, mirror_mean
from dsdcn.fieldmap import (
    FieldView,
    GrowthRow,
    bin_mean,
    field_view,
    frame_indices,
    grid_for,
    normalized_profile,
    union_holes_2d,
    union_view_2d,
)
from dsdcn.figures.receptive import (
    FigureText,
    branch_maps,
    coverage_animation_1d,
    coverage_animation_2d,
    coverage_map,
    erf_map,
    extent_figure,
    profile_1d,
)
from dsdcn.measure import format_bytes
from dsdcn.schedule import hdc_scope
from dsdcn.stack import CELL_LIMITS, STACK_COLUMNS, stack_csv
from ui import receptive_field as rfui
from ui.common import cached_figure, device_choice, waiting_for_the_cpu
from ui.i18n import latex, t
from ui.receptive_field import stack_values
from ui.workshop import (
    apply_values,
    data_table,
    figure_theme,
    keep_link_key,
    presets_bar,
    projector,
    show_chart,
    take_choice_link_value,
    write_coded_link_value,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Every control's default, keyed by its widget key (``rf_stack`` is the table's code, see ui/receptive_field).
DEFAULTS: dict[str, object] = {
    "rf_stack": encode_stack(PRESETS["gridding"].layers),
    "rf_mode": "2D",
    "rf_causal": False,
    "rf_branches": "",
    "rf_erf_weights": "random",
    "rf_erf_relu": True,
    # with the mirror mean of the map, these show the field's shape rather than the noise of the random
    # draws (issue 15), within the budgets for every classic stack (VGG: 0.84 GB of the room's 1 GB)
    "rf_erf_channels": 6,
    "rf_erf_samples": 12,
    "rf_erf_seed": 0,
    "rf_sug_layers": 3,
    "rf_sug_kernel": 3,
    "rf_sug_dmax": 8,
}

# Classic stacks (their names and descriptions: ``receptive_field.stack.<id>`` and ``.text``).
CLASSICS = ("plain", "gridding", "hdc", "sawtooth", "context", "wavenet", "aspp", "vgg")

# Lesson presets, one idea each (ids are stable; texts ``receptive_field.lesson.<id>`` and ``.idea``).
LESSONS: dict[str, dict[str, object]] = {
    key: stack_values(key) for key in ("gridding", "hdc", "wavenet", "context", "aspp")
}

# Ranges of the whole-number controls (their widgets use the same ones).
INT_RANGES: dict[str, tuple[int, int]] = {
    "rf_erf_channels": (1, 16),
    "rf_erf_samples": (1, 32),
    "rf_erf_seed": (0, 2**31 - 1),
    "rf_sug_layers": (1, 32),
    "rf_sug_kernel": (2, 15),
    "rf_sug_dmax": (1, 4096),
}
MODES = ("2D", "1D")
ANIMATION_CELLS = {"2D": 129, "1D": 1024}  # drawing grid of the animation, cells per axis
MAP_CELLS = {"2D": 257, "1D": 2048}  # drawing grid of the side-by-side maps
MAX_FRAMES = 24
MASS = 0.95


class Areas(NamedTuple):
    """The page's sections in their order: a container each (None where the section is not drawn).

    Made before the settings are read, so each control can be drawn in its section.
    """

    growth: Any
    coverage: Any
    erf: Any
    hdc: Any
    branch: Any
    suggest: Any


def _int_input(col, key: str, name: str, **extra: object) -> int:  # noqa: ANN001 - a Streamlit container
    """A whole-number input bound to the link: range from ``INT_RANGES``, default from ``DEFAULTS``,
    label and help from ``receptive_field.<name>`` and ``receptive_field.<name>_help``."""
    low, high = INT_RANGES[key]
    return col.number_input(
        t(f"receptive_field.{name}"),
        min_value=low,
        max_value=high,
        step=1,
        key=key,
        bind="query-params",
        value=DEFAULTS[key],
        help=t(f"receptive_field.{name}_help"),
        **extra,
    )


def _figure_text() -> FigureText:
    """The figures' words in the current language."""
    return FigureText(**{name: t(f"receptive_field.fig.{name}") for name in FigureText.__dataclass_fields__})


def _chart(fig, key: str, container=st) -> None:  # noqa: ANN001 - a plotly figure, a Streamlit container
    """Draw a figure (built in ``figure_theme()``), with a toolbar camera that saves it as PNG."""
    fig.update_traces(line_width=0, selector={"fill": "tozeroy"})  # a shaded area keeps no outline
    theme: str | None = "streamlit"
    if projector():  # Streamlit's chart theme keeps its own font sizes: the projector theme's instead
        theme = None
        if fig.layout.updatemenus:  # the title on its own line above the play buttons
            fig.update_layout(margin_t=140, title_y=0.99, title_yanchor="top")
    show_chart(fig, key=key, name=key.removeprefix("rf_chart_"), container=container, theme=theme)


def _prepare_state() -> None:
    """The link and session state before any widget is drawn."""
    first = rfui.first_run()
    for key in DEFAULTS:  # a control hidden this run (no stack, no effective field) is not an unknown value
        keep_link_key(key)
    # translated choices keep their code in the link (no ``bind``): read it before the widgets are drawn
    take_choice_link_value("rf_mode", MODES, lambda m: f"receptive_field.mode.{m}")
    take_choice_link_value("rf_erf_weights", WEIGHT_INITS, lambda w: f"receptive_field.erf.weights.{w}")
    # Widgets get their default through ``value=`` (or ``index=``/``default=``), not session state:
    # Streamlit leaves a widget's own default out of the link, so it must be the page's default.
    st.session_state.setdefault("rf_stack", DEFAULTS["rf_stack"])
    rfui.read_stack_link()
    rfui.check_link(first, INT_RANGES)


def _apply_suggestion(dilations: tuple[int, ...], kernel_size: int) -> None:
    causal = bool(st.session_state.get("rf_mode") == "1D" and st.session_state.get("rf_causal"))
    st.session_state["rf_stack"] = rfui.suggested_stack(dilations, kernel_size, causal)
    st.session_state["rf_branches"] = ""


# ---------------------------------------------------------------- the controls: settings read once


def _mode_row() -> tuple[str, bool, tuple[int, ...]]:
    """Mode, causal padding and branch rates (a warning when the rates do not parse)."""
    left, mid, right = st.columns([1, 1, 2])
    mode = left.segmented_control(
        t("receptive_field.mode"),
        MODES,
        key="rf_mode",
        default=DEFAULTS["rf_mode"],
        required=True,
        format_func={m: t(f"receptive_field.mode.{m}") for m in MODES}.get,  # labels of this run's language
        help=t("receptive_field.mode_help"),
    )
    write_coded_link_value("rf_mode", mode, DEFAULTS["rf_mode"])  # the code, not the label (no ``bind``)
    mode = mode or "2D"
    causal = mid.toggle(
        t("receptive_field.causal"),
        key="rf_causal",
        bind="query-params",
        value=DEFAULTS["rf_causal"],
        disabled=mode != "1D",
        help=t("receptive_field.causal_help"),
    )
    branch_text = right.text_input(
        t("receptive_field.branches"),
        key="rf_branches",
        bind="query-params",
        value=DEFAULTS["rf_branches"],
        max_chars=60,
        placeholder=t("receptive_field.branches_placeholder"),
        help=t("receptive_field.branches_help"),
    )
    rates = rfui.branch_rates(branch_text or "")
    if rates is None:  # the warning states the rule once (the library's reason would repeat it)
        st.warning(t("receptive_field.branches_ignored"), icon=":material/warning:")
        rates = ()
    return mode, bool(causal and mode == "1D"), rates


def _column_config() -> dict[str, object]:
    """The layer table's columns: kind, then the whole-number cells within ``CELL_LIMITS``."""
    numbers = {
        name: st.column_config.NumberColumn(
            t(f"receptive_field.col.{name}"),
            min_value=CELL_LIMITS[name][0],
            max_value=CELL_LIMITS[name][1],
            step=1,
            default=default,
            format="%d",
            help=t(f"receptive_field.col.{name}_help"),
        )
        for name, default in (("kernel", 3), ("stride", 1), ("dilation", 1), ("padding", 1))
    }
    kind = st.column_config.SelectboxColumn(
        t("receptive_field.col.kind"),
        options=["conv", "pool"],
        format_func={k: t(f"receptive_field.{k}") for k in ("conv", "pool")}.get,
        default="conv",
        required=True,
        help=t("receptive_field.col.kind_help"),
    )
    return {"kind": kind, **numbers}


def _stack_table() -> ParsedStack:
    """The editable layer table, kept in the link; returns its parsed rows."""
    editor_key, base_rows = rfui.editor_table(str(DEFAULTS["rf_stack"]))
    edited = st.data_editor(
        pd.DataFrame(base_rows, columns=list(STACK_COLUMNS)),
        key=editor_key,
        num_rows="dynamic",
        column_config=_column_config(),
        hide_index=True,
        width="stretch",
    )
    parsed = parse_stack(edited.to_dict("records"))
    code = rfui.table_drawn(parsed.layers)
    rfui.write_stack_link(code, str(DEFAULTS["rf_stack"]))
    return parsed


def _classic_buttons(classics) -> None:  # noqa: ANN001 - a Streamlit container
    """One button per classic stack (the one on screen highlighted) and its description."""
    on_screen = rfui.stack_on_screen(st.session_state, CLASSICS)
    cols = classics.columns(4)
    for i, key in enumerate(CLASSICS):
        cols[i % 4].button(
            t(f"receptive_field.stack.{key}"),
            key=f"rf_load_{key}",
            help=t(f"receptive_field.stack.{key}.text"),
            on_click=apply_values,
            args=(stack_values(key),),
            type="primary" if on_screen == key else "secondary",
            width="stretch",
            wrap=True,
        )
    if on_screen is not None:
        name, text = t(f"receptive_field.stack.{on_screen}"), t(f"receptive_field.stack.{on_screen}.text")
        classics.caption(f":material/layers: **{name}** · {text}")


def stack_editor() -> tuple[tuple[Layer, ...], str, bool, tuple[int, ...]]:
    """Classic stacks, mode and the editable table: returns the valid layers, mode, causal flag and rates."""
    st.subheader(t("receptive_field.stack.header"))
    st.caption(t("receptive_field.stack.caption"), help=t("receptive_field.link_help"))
    classics = st.container()
    mode, causal, rates = _mode_row()
    parsed = _stack_table()
    _classic_buttons(classics)
    for problem in parsed.problems:
        st.warning(
            t("receptive_field.row_left_out", row=problem.row, message=problem.message),
            icon=":material/warning:",
        )
    return parsed.layers, mode, causal, rates


def _checked_stack(layers: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """The stack when the page can compute it, else ``()`` and a notice why not."""
    if not layers:
        st.info(t("receptive_field.empty"), icon=":material/info:")
        return ()
    problem = rfui.extent_problem(layers)
    if problem is not None:
        st.error(f"{t('receptive_field.too_large')} {problem}.", icon=":material/error:")
        return ()
    return layers


def erf_controls() -> rfui.ErfSettings:
    """The effective field's heading and controls."""
    st.subheader(t("receptive_field.erf.header"))
    st.markdown(t("receptive_field.erf.text"))
    latex(
        r"\mathrm{ERF}(x) = \left|\frac{\partial\, y_{\text{@centre}}}{\partial\, \mathrm{input}(x)}\right|"
    )
    c1, c2, c3, c4, c5 = st.columns([1.6, 1.2, 1, 1.2, 1])
    weights = c1.radio(
        t("receptive_field.erf.weights"),
        WEIGHT_INITS,
        key="rf_erf_weights",
        index=WEIGHT_INITS.index(str(DEFAULTS["rf_erf_weights"])),
        format_func={w: t(f"receptive_field.erf.weights.{w}") for w in WEIGHT_INITS}.get,
        horizontal=True,
        help=t("receptive_field.erf.weights_help"),
    )
    write_coded_link_value("rf_erf_weights", weights, DEFAULTS["rf_erf_weights"])
    relu = c2.toggle(
        t("receptive_field.erf.relu"),
        key="rf_erf_relu",
        bind="query-params",
        value=DEFAULTS["rf_erf_relu"],
        help=t("receptive_field.erf.relu_help"),
    )
    channels = _int_input(c3, "rf_erf_channels", "erf.channels")
    samples = _int_input(c4, "rf_erf_samples", "erf.samples", disabled=not relu and weights == "uniform")
    seed = _int_input(c5, "rf_erf_seed", "erf.seed")
    return rfui.ErfSettings(str(weights), bool(relu), int(channels), int(samples), int(seed))


def suggest_controls(number: int) -> rfui.SuggestSettings:
    """The schedule search's heading and controls."""
    st.subheader(t("receptive_field.sug.header", n=number))
    st.markdown(t("receptive_field.sug.text"))
    c1, c2, c3 = st.columns(3)
    n = _int_input(c1, "rf_sug_layers", "sug.layers")
    k = _int_input(c2, "rf_sug_kernel", "sug.kernel")
    dmax = _int_input(c3, "rf_sug_dmax", "sug.dmax")
    return rfui.SuggestSettings(int(n), int(k), int(dmax))


def _areas(has_stack: bool, has_branches: bool) -> Areas:
    """The sections' containers, in their order on the page."""
    stack_areas = [st.container() for _ in range(4)] if has_stack else [None] * 4
    branch = st.container() if has_stack and has_branches else None
    return Areas(*stack_areas, branch, st.container())


def read_settings() -> tuple[rfui.Settings, Areas]:
    """Every control, drawn in its section and read once, and the sections' containers to draw into."""
    layers, mode, causal, rates = stack_editor()
    layers = _checked_stack(layers)
    has_stack = bool(layers)
    areas = _areas(has_stack, bool(rates))
    erf = None
    if has_stack:
        with areas.erf:
            erf = erf_controls()
    with areas.suggest:
        suggest = suggest_controls(rfui.suggest_number(has_stack, bool(rates)))
    return rfui.Settings(layers, mode, causal, rates, erf, suggest), areas


# ---------------------------------------------------------------- growth of the field


def _growth_table(rows: list[GrowthRow], labels: list[str]) -> None:
    col = "receptive_field.growth.col."
    data_table(
        pd.DataFrame(
            {
                t(col + "layer"): labels,
                t(col + "k_eff"): [r.effective_kernel for r in rows],
                t(col + "jump_in"): [r.jump_in for r in rows],
                t(col + "term"): [r.term for r in rows],
                t(col + "extent"): [r.rf.size for r in rows],
                t(col + "stride"): [r.rf.stride for r in rows],
                t(col + "padding"): [r.rf.padding for r in rows],
                t(col + "holes"): [r.holes for r in rows],
            }
        ),
        height=min(400, 38 + 35 * len(rows)),
        key="rf_table_growth",
    )


def _growth_download(layers: tuple[Layer, ...]) -> None:
    left, right = st.columns([2, 1])
    left.caption(t("receptive_field.growth.caption"))
    right.download_button(
        t("receptive_field.csv"),
        stack_csv(layers),
        file_name="dsdcn-receptive-field.csv",
        mime="text/csv",
        key="rf_csv",
        icon=":material/download:",
        help=t("receptive_field.csv_help"),
        on_click="ignore",
        width="stretch",
        wrap=True,
    )


def growth_section(s: rfui.Settings) -> None:
    """Extent and effective stride per layer: formula, chart, table and its CSV."""
    st.subheader(t("receptive_field.growth.header"))
    rows = rfui.growth(s.key)
    last = rows[-1].rf
    st.markdown(t("receptive_field.growth.text"))
    latex(r"r_l = r_{l-1} + d_l\,(k_l-1)\,j_{l-1},\qquad j_l = j_{l-1}\,s_l,\qquad r_0 = j_0 = 1")
    terms = rfui.sum_terms(rows, projector())
    latex(f"r_{{{len(rows)}}} = 1 + {terms} = {last.size:,},\\qquad j_{{{len(rows)}}} = {last.stride:,}")
    labels = [rfui.layer_label(r.index, r.layer) for r in rows]
    _chart(
        cached_figure(
            extent_figure,
            labels,
            [r.rf.size for r in rows],
            [r.rf.stride for r in rows],
            t("receptive_field.growth.figure"),
            text=_figure_text(),
            theme=figure_theme(),
        ),
        "rf_chart_extent",
    )
    _growth_table(rows, labels)
    _growth_download(s.layers)


# ---------------------------------------------------------------- coverage and gridding


def _coverage_figure(mode: str, frames: list[FieldView], labels: list[str], cells: str) -> go.Figure:
    """The layer-by-layer animation of the coverage (plotly figure)."""
    if mode == "2D":
        return coverage_animation_2d(
            [v.level_2d() for v in frames],
            [v.hole_2d() for v in frames],
            frames[-1].centres,
            labels,
            t("receptive_field.coverage.figure_2d", cells=cells),
            text=_figure_text(),
            theme=figure_theme(),
        )
    return coverage_animation_1d(
        [v.level for v in frames],
        [v.hole for v in frames],
        frames[-1].centres,
        labels,
        t("receptive_field.coverage.figure_1d", cells=cells),
        text=_figure_text(),
        theme=figure_theme(),
    )


def _coverage_animation(s: rfui.Settings) -> None:
    picks = frame_indices(len(s.layers), MAX_FRAMES)
    frames = rfui.views(s.key, s.causal, ANIMATION_CELLS[s.mode], tuple(picks))
    labels = [rfui.layer_label(i + 1, s.layers[i]) for i in picks]
    block = frames[-1].block
    cells = t(f"receptive_field.coverage.cells_{s.mode.lower()}", block=block) if block > 1 else ""
    _chart(_coverage_figure(s.mode, frames, labels, cells), "rf_chart_coverage")
    caption = t("receptive_field.coverage.caption")
    if block > 1:
        caption += t("receptive_field.coverage.caption_cells")
    if len(picks) < len(s.layers):
        caption += t("receptive_field.coverage.caption_frames", shown=len(picks), total=len(s.layers))
    st.caption(caption)


def _coverage_verdict(s: rfui.Settings) -> None:
    g = rfui.verdict(s.key, s.causal)
    if g.holes_1d == 0:
        if s.mode == "2D":
            area = t("receptive_field.coverage.area_2d", extent=f"{g.extent:,}", pixels=f"{g.pixels_2d:,}")
        else:
            area = t("receptive_field.coverage.area_1d", extent=f"{g.extent:,}")
        st.success(t("receptive_field.coverage.no_gridding", area=area), icon=":material/check_circle:")
        return
    runs, left_out = rfui.hole_runs(g.runs)
    more = t("receptive_field.coverage.more_runs", n=left_out) if left_out else ""
    holes, extent = f"{g.holes_1d:,}", f"{g.extent:,}"
    if s.mode == "2D":
        what = t(
            "receptive_field.coverage.what_2d",
            holes=holes,
            extent=extent,
            holes_2d=f"{g.holes_2d:,}",
            pixels=f"{g.pixels_2d:,}",
            share=g.share_2d,
        )
    else:
        what = t("receptive_field.coverage.what_1d", holes=holes, extent=extent, share=g.share_1d)
    st.error(
        t("receptive_field.coverage.gridding", what=what, runs=runs, more=more), icon=":material/grid_off:"
    )


def coverage_section(s: rfui.Settings) -> None:
    """The exact coverage map, animated layer by layer, and the gridding verdict."""
    st.subheader(t("receptive_field.coverage.header"))
    st.markdown(t("receptive_field.coverage.text"))
    _coverage_animation(s)
    _coverage_verdict(s)


# ---------------------------------------------------------------- the effective field (gradient)


def _erf_refused(plan: rfui.ErfPlan) -> bool:
    """Say why the field falls back to 1D or is not computed; True when it is not."""
    extent = f"{plan.extent:,}"
    if plan.fell_back:
        st.info(
            t("receptive_field.erf.too_large_2d", extent=extent, limit=plan.limit, budget=f"{plan.budget:,}"),
            icon=":material/info:",
        )
    if plan.refusal == "too_wide":
        st.warning(
            t("receptive_field.erf.too_wide", extent=extent, limit=f"{MAX_ERF_EXTENT[1]:,}", ndim=1),
            icon=":material/hourglass_disabled:",
        )
    elif plan.refusal == "too_costly":
        st.warning(
            t("receptive_field.erf.too_costly", cost=f"{plan.cost:,}", budget=f"{plan.budget:,}"),
            icon=":material/warning:",
        )
    elif plan.refusal == "too_heavy" and plan.need is not None:
        st.warning(
            t(
                "receptive_field.erf.too_heavy",
                seconds=f"{plan.need.seconds:,.0f}",
                memory=format_bytes(plan.need.bytes),
                limit_s=f"{rfui.ROOM.seconds:g}",
                limit_mem=format_bytes(rfui.ROOM.bytes),
            ),
            icon=":material/hourglass_disabled:",
        )
    return plan.refusal is not None


def _erf_metrics(s: rfui.Settings, ndim: int, extent: int, grad: np.ndarray) -> None:
    share = mass_share(grad, MASS)
    cover_share = rfui.coverage_share(s.key, ndim, MASS)
    area = t("receptive_field.erf.pixels") if ndim == 2 else t("receptive_field.erf.offsets")
    m1, m2, m3 = st.columns([1, 1.4, 1.4])
    m1.metric(
        t("receptive_field.erf.extent"),
        f"{extent:,}×{extent:,}" if ndim == 2 else f"{extent:,}",
        help=t("receptive_field.erf.extent_help"),
    )
    m2.metric(
        t("receptive_field.erf.mass_gradient", mass=MASS, area=area),
        f"{share:.1%}",
        help=t("receptive_field.erf.mass_gradient_help", area=area),
    )
    m3.metric(
        t("receptive_field.erf.mass_paths", mass=MASS, area=area),
        f"{cover_share:.1%}",
        help=t("receptive_field.erf.mass_paths_help", area=area),
    )


def _erf_maps(view: FieldView, grad: np.ndarray, mask: np.ndarray, block: int) -> None:
    """Coverage and effective field side by side (2D)."""
    text = _figure_text()
    left, right = st.columns(2)
    _chart(
        cached_figure(
            coverage_map,
            view.level_2d(),
            view.hole_2d(),
            view.centres,
            t("receptive_field.erf.cover_map"),
            text=text,
            theme=figure_theme(),
        ),
        "rf_chart_cover_map",
        left,
    )
    _chart(
        cached_figure(
            erf_map,
            bin_mean(grad / grad.max() if grad.max() > 0 else grad, block),
            bin_mean(mask.astype(float), block) >= 0.5,
            view.centres,
            t("receptive_field.erf.erf_map"),
            text=text,
            theme=figure_theme(),
        ),
        "rf_chart_erf_map",
        right,
    )
    cells = t("receptive_field.erf.maps_cells", block=block) if block > 1 else ""
    st.caption(t("receptive_field.erf.maps_caption") + cells + t("receptive_field.erf.mirror_2d"))


def _erf_field(s: rfui.Settings, ndim: int, grad: np.ndarray) -> None:
    """The field on its drawing grid: two maps in 2D, one profile in 1D."""
    field = stack_field(s.layers, s.causal)
    grid = grid_for(field.start, field.stop, MAP_CELLS["2D" if ndim == 2 else "1D"])
    view = field_view(field, grid)
    block = grid[1]
    mask = mass_mask(grad, MASS)
    if ndim == 2:
        _erf_maps(view, grad, mask, block)
        return
    _chart(
        cached_figure(
            profile_1d,
            view.centres,
            normalized_profile(field.counts, block),
            normalized_profile(grad, block),
            view.hole,
            bin_mean(mask.astype(float), block) >= 0.5,
            t("receptive_field.erf.profile"),
            text=_figure_text(),
            theme=figure_theme(),
        ),
        "rf_chart_profile",
    )
    st.caption(t("receptive_field.erf.profile_caption") + t("receptive_field.erf.mirror_1d"))


def _erf_run_caption(s: rfui.Settings, plan: rfui.ErfPlan, result: ERF) -> None:
    if result.samples == 1:
        networks_text = t("receptive_field.erf.one_network")
    else:
        networks_text = t("receptive_field.erf.networks", n=result.samples)
    st.caption(
        t(
            "receptive_field.erf.run_caption",
            layers=len(s.layers),
            channels=result.channels,
            size="×".join([f"{plan.extent:,}"] * plan.ndim),
            networks=networks_text,
            device=result.device,
            ms=result.seconds * 1000,
        )
    )


def erf_section(s: rfui.Settings) -> None:
    """Coverage and the gradient-based effective field side by side (below the controls of ``s.erf``)."""
    erf = s.erf
    if erf is None:  # no stack: the section is not drawn
        return
    extent = rfui.growth(s.key)[-1].rf.size
    device = device_choice().device
    plan = rfui.erf_plan(s.layers, extent, s.ndim, erf, device.type)
    if _erf_refused(plan):
        return
    need = 0 if plan.need is None else plan.need.bytes
    try:
        with waiting_for_the_cpu(), st.spinner(t("receptive_field.erf.spinner", device=device.type.upper())):
            args = (erf.weights, erf.relu, erf.channels, erf.samples, erf.seed, str(device), need)
            result = rfui.erf(s.key, plan.ndim, *args)
    except budget.Busy:
        st.warning(t("workshop.busy"), icon=":material/hourglass_top:")
        return
    # the expected field is mirror-symmetric: averaging the mirror images removes noise, not signal
    grad = mirror_mean(result.grad)
    _erf_metrics(s, plan.ndim, extent, grad)
    _erf_field(s, plan.ndim, grad)
    _erf_run_caption(s, plan, result)


# ---------------------------------------------------------------- the HDC rule


def _hdc_formula() -> None:
    rule = r"M_n = r_n,\quad M_i = \max\big(M_{i+1} - 2r_i,\; M_{i+1} - 2(M_{i+1} - r_i),\; r_i\big),"
    goal = r"\text{@goal } M_2 \le K"
    if projector():  # one line is wider than a projector view
        latex(rule)
        latex(goal)
    else:
        latex(rule + r"\quad " + goal)


def _hdc_verdict(rule: HDCRule, k: int, holes_free: bool, truth: str) -> None:
    """The rule's verdict against the exact coverage: agreement, or why they disagree."""
    if rule.passes == holes_free:
        st.success(t("receptive_field.hdc.agree", truth=truth), icon=":material/check_circle:")
    elif rule.passes:
        why = rfui.hdc_reasons(rule, k)
        st.warning(
            t("receptive_field.hdc.disagree_pass", truth=truth, why=f": {'; '.join(why)}" if why else ""),
            icon=":material/report:",
        )
    else:
        why_text = t("receptive_field.hdc.fail_kernel", k=k) if k != 3 else ""
        st.warning(t("receptive_field.hdc.disagree_fail", why=why_text), icon=":material/report:")


def hdc_section(s: rfui.Settings) -> None:
    """The HDC rule step by step against the exact coverage."""
    st.subheader(t("receptive_field.hdc.header"))
    st.markdown(t("receptive_field.hdc.text"))
    _hdc_formula()
    g = rfui.verdict(s.key, s.causal)
    if g.holes_1d == 0:
        truth = t("receptive_field.hdc.no_holes")
    else:
        truth = t("receptive_field.hdc.holes", n=f"{g.holes_1d:,}")
    scope = hdc_scope(s.layers)
    if scope:
        st.info(t("receptive_field.hdc.scope", scope=scope, truth=truth), icon=":material/info:")
        return
    k = s.layers[0].kernel_size
    rule = hdc_rule([la.dilation for la in s.layers], k)
    if rule.m2 is None:
        st.info(t("receptive_field.hdc.two_layers"), icon=":material/info:")
        return
    latex("\\begin{aligned}" + "\\\\".join(rfui.hdc_lines(rule)) + "\\end{aligned}")
    ok = "\\le" if rule.passes else ">"
    verdict = t("receptive_field.hdc.passes") if rule.passes else t("receptive_field.hdc.fails")
    latex(f"M_2 = {rule.m2} {ok} K = {k}\\quad\\Rightarrow\\quad \\text{{{verdict}}}")
    _hdc_verdict(rule, k, g.holes_1d == 0, truth)


# ---------------------------------------------------------------- parallel branches (ASPP)


def _branch_maps(fields: list[Field], union: Field, names: list[str]) -> None:
    """Each branch's 2D field and their union, with holes marked."""
    grid = grid_for(union.start, union.stop, 161)
    views = [field_view(f, grid) for f in fields]
    union_level, union_hole = union_view_2d(fields, grid)
    _chart(
        cached_figure(
            branch_maps,
            names,
            [v.level_2d() for v in views] + [union_level],
            [v.hole_2d() for v in views] + [union_hole],
            views[0].centres,
            t("receptive_field.branch.figure"),
            text=_figure_text(),
            theme=figure_theme(),
        ),
        "rf_chart_branches",
    )
    cells = t("receptive_field.branch.cells", block=grid[1]) if grid[1] > 1 else ""
    st.caption(cells + t("receptive_field.branch.caption"))


def branch_section(s: rfui.Settings, number: int = 6) -> None:
    """Each parallel branch's field (ASPP) and their union."""
    st.subheader(t("receptive_field.branch.header", n=number))
    jump = rfui.growth(s.key)[-1].rf.stride
    st.markdown(t("receptive_field.branch.text", jump=jump, rates=", ".join(map(str, s.rates))))
    try:
        branches = rfui.branches(s.key, s.rates)
    except ValueError as err:
        st.error(t("receptive_field.branch.error", error=err), icon=":material/error:")
        return
    fields = [b.field for b in branches]
    union = union_field(fields)
    col = "receptive_field.branch.col."
    names = [t("receptive_field.branch.rate", rate=b.rate) for b in branches] + [
        t("receptive_field.branch.all")
    ]
    numeric = (t(col + "extent"), t(col + "holes"), t(col + "holes_2d"))
    data_table(
        pd.DataFrame(
            {
                t(col + "branch"): names,
                t(col + "gap"): [f"{b.tap_gap:,}" for b in branches] + ["—"],
                numeric[0]: [b.field.counts.size for b in branches] + [union.counts.size],
                numeric[1]: [b.holes for b in branches] + [union.holes],
                numeric[2]: [b.field.holes_2d for b in branches] + [union_holes_2d(fields)],
            }
        ),
        formats=dict.fromkeys(numeric, "localized"),
        key="rf_table_branches",
    )
    if s.mode == "2D":
        _branch_maps(fields, union, names)


# ---------------------------------------------------------------- schedule search


def suggest_section(s: rfui.Settings) -> None:
    """Search the hole-free schedule with the largest extent and apply it (below the controls of ``s.suggest``)."""
    sug = s.suggest
    try:
        found = rfui.suggestion(sug.layers, sug.kernel, sug.dmax)
    except ValueError as err:
        st.error(t("receptive_field.sug.error", error=err), icon=":material/error:")
        return
    rule = hdc_rule(list(found.dilations), found.kernel_size) if len(found.dilations) > 1 else None
    rule_text = ""
    if rule is not None:
        verdict = t("receptive_field.hdc.passes") if rule.passes else t("receptive_field.hdc.fails")
        rule_text = t("receptive_field.sug.rule", m2=rule.m2, verdict=verdict)
    st.success(
        t(
            "receptive_field.sug.result",
            dilations=", ".join(str(d) for d in found.dilations),
            extent=f"{found.extent:,}",
            visited=found.visited,
            rule=rule_text,
        ),
        icon=":material/auto_fix_high:",
    )
    st.caption(t("receptive_field.sug.caption"))
    st.button(
        t("receptive_field.sug.apply"),
        key="rf_sug_apply",
        on_click=_apply_suggestion,
        args=(found.dilations, found.kernel_size),
        help=t("receptive_field.sug.apply_help"),
        type="primary",
    )


# ---------------------------------------------------------------- the page


def lessons_bar() -> None:
    """The lesson presets, the one in view highlighted with its idea."""
    presets_bar(
        LESSONS,
        DEFAULTS,
        "rf_",
        lambda i: t(f"receptive_field.lesson.{i}"),
        lambda i: t(f"receptive_field.lesson.{i}.idea"),
    )


def render() -> None:
    """Draw the page: every setting read once (each control in its section), then one function per section."""
    _prepare_state()
    st.title(t("receptive_field.title"))
    st.markdown(t("receptive_field.intro"))
    bar = st.container()  # drawn last: the idea of the preset in view needs every control's value of this run
    s, areas = read_settings()
    sections = (growth_section, coverage_section, erf_section, hdc_section, branch_section, suggest_section)
    for area, section in zip(areas, sections, strict=True):
        if area is not None:
            with area:
                section(s)
    with bar:
        lessons_bar()


render()
