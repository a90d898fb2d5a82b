"""Receptive field: how a stack's field grows, where it has holes (gridding) and what the gradient sees."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dsdcn import (
    CELL_LIMITS,
    PRESETS,
    STACK_COLUMNS,
    WEIGHT_INITS,
    GrowthRow,
    Layer,
    bin_mean,
    causal_stack,
    check_extent,
    dilated_stack,
    encode_stack,
    erf_cost,
    field_view,
    frame_indices,
    grid_for,
    hdc_rule,
    hdc_scope,
    mass_mask,
    mass_share,
    normalized_profile,
    parse_rates,
    parse_stack,
    stack_csv,
    stack_field,
    union_field,
    union_holes_2d,
    union_view_2d,
)
from dsdcn.budget import ROOM, erf_estimate
from dsdcn.erf import MAX_ERF_EXTENT, mirror_mean
from dsdcn.figures.receptive import (
    FigureText,
    branch_maps,
    coverage_animation_1d,
    coverage_animation_2d,
    coverage_map,
    erf_map,
    extent_figure,
    profile_1d,
    white_style,
)
from dsdcn.figures.theme import PROJECTOR, STANDARD, Theme
from dsdcn.measure import format_bytes
from ui import receptive_field as rfui
from ui.common import cached_figure, device_choice
from ui.i18n import latex, t
from ui.workshop import (
    apply_values,
    data_table,
    drop_link_value,
    keep_link_key,
    presets_bar,
    projector,
    show_chart,
    style_figure,
    take_choice_link_value,
    write_coded_link_value,
)

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


def _int_input(col, key: str, name: str, **extra: object) -> int:
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


def stack_values(key: str) -> dict[str, object]:
    """The controls a classic stack sets: the table, mode, causal padding and branch rates."""
    preset = PRESETS[key]
    return {
        "rf_stack": encode_stack(preset.layers),
        "rf_mode": "1D" if preset.mode == "1d" else "2D",
        "rf_causal": preset.causal,
        "rf_branches": ", ".join(str(r) for r in preset.branch_rates),
    }


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
ERF_2D_LIMIT = {"cpu": 320}  # largest extent for the 2D effective field per device type (else 1024)
ERF_BUDGET = {"cpu": 600_000_000}  # forward multiply-adds of an interactive backward pass (else 5e10)
MAX_FRAMES = 24
MASS = 0.95


def _figure_text() -> FigureText:
    """The figures' words in the current language."""
    return FigureText(**{name: t(f"receptive_field.fig.{name}") for name in FigureText.__dataclass_fields__})


def _theme() -> Theme:
    """The figure theme of the current view (projector or standard)."""
    return PROJECTOR if projector() else STANDARD


def _chart(fig, key: str, container=st) -> None:  # noqa: ANN001 - a plotly figure, a Streamlit container
    """Draw a figure in the projector style, with a toolbar camera that saves it as PNG.

    Beyond ``style_figure``: in the projector view the hole markers, the animation's slider label and
    subplot titles grow too.
    """
    style_figure(fig)
    fig.update_traces(line_width=0, selector={"fill": "tozeroy"})  # a shaded area keeps no outline
    theme: str | None = "streamlit"
    if projector():  # Streamlit's chart theme keeps its own font sizes: the projector theme's instead
        theme = None
        white_style(fig, PROJECTOR)  # white paper and large type from the theme object, in the figure
        fig.update_traces(marker={"size": 14}, selector={"mode": "markers"})
        if fig.layout.updatemenus:  # the title on its own line above the play buttons
            fig.update_layout(margin_t=140, title_y=0.99, title_yanchor="top")
    show_chart(fig, key=key, name=key.removeprefix("rf_chart_"), container=container, theme=theme)


def _init_state() -> None:
    for key in DEFAULTS:  # a control hidden this run (no stack, no effective field) is not an unknown value
        keep_link_key(key)
    # translated choices keep their code in the link (no ``bind``): read it before the widgets are drawn
    take_choice_link_value("rf_mode", MODES, lambda m: f"receptive_field.mode.{m}")
    take_choice_link_value("rf_erf_weights", WEIGHT_INITS, lambda w: f"receptive_field.erf.weights.{w}")
    # Widgets get their default through ``value=`` (or ``index=``/``default=``), not session state:
    # Streamlit leaves a widget's own default out of the link, so it must be the page's default.
    st.session_state.setdefault("rf_stack", DEFAULTS["rf_stack"])


def _check_link(first: bool) -> None:
    """Drop link values the widgets cannot take (defaults and a notice instead, never an error).

    Whole numbers are checked against their widget's range (Streamlit itself fails on ``1e999``);
    branch rates from a freshly opened link must parse (a typed bad value gets a warning instead).
    """
    for key, (low, high) in INT_RANGES.items():
        raw = st.query_params.get(key)
        if raw is not None and not (re.fullmatch(r"-?[0-9]{1,12}", raw) and low <= int(raw) <= high):
            drop_link_value(key)
    raw = st.query_params.get("rf_branches")
    if first and raw is not None:
        try:
            parse_rates(raw)
        except ValueError:
            drop_link_value("rf_branches")


def _stack_on_screen() -> str | None:
    """The classic stack whose settings are all on screen now, if any."""
    for key in CLASSICS:
        if all(st.session_state.get(k) == v for k, v in stack_values(key).items()):
            return key
    return None


def _apply_suggestion(dilations: tuple[int, ...], kernel_size: int) -> None:
    causal = st.session_state.get("rf_mode") == "1D" and st.session_state.get("rf_causal")
    layers = causal_stack(dilations, kernel_size) if causal else dilated_stack(dilations, kernel_size)
    st.session_state["rf_stack"] = encode_stack(layers)
    st.session_state["rf_branches"] = ""


def _layer_label(i: int, layer: Layer) -> str:
    what = t("receptive_field.pool") if layer.kind == "pool" else t("receptive_field.conv")
    parts = [f"{i}: {what} {layer.kernel_size}", f"d{layer.dilation}" if layer.dilation > 1 else ""]
    parts.append(f"/{layer.stride}" if layer.stride > 1 else "")
    return " ".join(p for p in parts if p)


def _sum_terms(rows: Sequence[GrowthRow]) -> str:
    terms = [f"{r.layer.dilation}\\cdot{r.layer.kernel_size - 1}\\cdot{r.jump_in}" for r in rows]
    head, tail = (2, 1) if projector() else (4, 2)  # the formula must fit the width of a projector view
    if len(terms) > head + tail + 1:
        terms = [*terms[:head], "\\cdots", *terms[-tail:]]
    return " + ".join(terms)


def stack_editor() -> tuple[tuple[Layer, ...], str, bool, tuple[int, ...]]:
    """Classic stacks, mode and the editable table: returns the valid layers, mode, causal flag and rates."""
    st.subheader(t("receptive_field.stack.header"))
    st.caption(t("receptive_field.stack.caption"), help=t("receptive_field.link_help"))
    classics = st.container()

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
    rates: tuple[int, ...] = ()
    try:
        rates = parse_rates(branch_text or "")
    except ValueError:  # the warning states the rule once (the library's reason would repeat it)
        st.warning(t("receptive_field.branches_ignored"), icon=":material/warning:")

    editor_key, base_rows = rfui.editor_table(str(DEFAULTS["rf_stack"]))
    frame = pd.DataFrame(base_rows, columns=list(STACK_COLUMNS))
    column_config = {
        "kind": st.column_config.SelectboxColumn(
            t("receptive_field.col.kind"),
            options=["conv", "pool"],
            format_func={k: t(f"receptive_field.{k}") for k in ("conv", "pool")}.get,
            default="conv",
            required=True,
            help=t("receptive_field.col.kind_help"),
        ),
        **{
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
        },
    }
    edited = st.data_editor(
        frame,
        key=editor_key,
        num_rows="dynamic",
        column_config=column_config,
        hide_index=True,
        width="stretch",
    )
    parsed = parse_stack(edited.to_dict("records"))
    code = rfui.table_drawn(parsed.layers)
    rfui.write_stack_link(code, str(DEFAULTS["rf_stack"]))
    on_screen = _stack_on_screen()
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
    for problem in parsed.problems:
        st.warning(
            t("receptive_field.row_left_out", row=problem.row, message=problem.message),
            icon=":material/warning:",
        )
    return parsed.layers, mode, bool(causal and mode == "1D"), rates


def growth_section(layers: Sequence[Layer], key: rfui.LayerKey) -> None:
    """Extent and effective stride per layer: formula, chart, table and its CSV."""
    st.subheader(t("receptive_field.growth.header"))
    rows = rfui.growth(key)
    last = rows[-1].rf
    st.markdown(t("receptive_field.growth.text"))
    latex(r"r_l = r_{l-1} + d_l\,(k_l-1)\,j_{l-1},\qquad j_l = j_{l-1}\,s_l,\qquad r_0 = j_0 = 1")
    latex(
        f"r_{{{len(rows)}}} = 1 + {_sum_terms(rows)} = {last.size:,},\\qquad j_{{{len(rows)}}} = {last.stride:,}"
    )
    labels = [_layer_label(r.index, r.layer) for r in rows]
    _chart(
        cached_figure(
            extent_figure,
            labels,
            [r.rf.size for r in rows],
            [r.rf.stride for r in rows],
            t("receptive_field.growth.figure"),
            text=_figure_text(),
        ),
        "rf_chart_extent",
    )
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


def coverage_section(layers: Sequence[Layer], key: rfui.LayerKey, mode: str, causal: bool) -> None:
    """The exact coverage map, animated layer by layer, and the gridding verdict."""
    st.subheader(t("receptive_field.coverage.header"))
    st.markdown(t("receptive_field.coverage.text"))
    picks = frame_indices(len(layers), MAX_FRAMES)
    frames = rfui.views(key, causal, ANIMATION_CELLS[mode], tuple(picks))
    labels = [_layer_label(i + 1, layers[i]) for i in picks]
    block = frames[-1].block
    cells = ""
    if block > 1:
        cells = t(f"receptive_field.coverage.cells_{mode.lower()}", block=block)
    text = _figure_text()
    if mode == "2D":
        fig = coverage_animation_2d(
            [v.level_2d() for v in frames],
            [v.hole_2d() for v in frames],
            frames[-1].centres,
            labels,
            t("receptive_field.coverage.figure_2d", cells=cells),
            text=text,
            theme=_theme(),
        )
    else:
        fig = coverage_animation_1d(
            [v.level for v in frames],
            [v.hole for v in frames],
            frames[-1].centres,
            labels,
            t("receptive_field.coverage.figure_1d", cells=cells),
            text=text,
            theme=_theme(),
        )
    _chart(fig, "rf_chart_coverage")
    caption = t("receptive_field.coverage.caption")
    if block > 1:
        caption += t("receptive_field.coverage.caption_cells")
    if len(picks) < len(layers):
        caption += t("receptive_field.coverage.caption_frames", shown=len(picks), total=len(layers))
    st.caption(caption)

    g = rfui.verdict(key, causal)
    if g.holes_1d == 0:
        if mode == "2D":
            area = t("receptive_field.coverage.area_2d", extent=f"{g.extent:,}", pixels=f"{g.pixels_2d:,}")
        else:
            area = t("receptive_field.coverage.area_1d", extent=f"{g.extent:,}")
        st.success(t("receptive_field.coverage.no_gridding", area=area), icon=":material/check_circle:")
        return
    runs = ", ".join(f"{a}" if a == b else f"{a}…{b}" for a, b in g.runs[:12])
    more = t("receptive_field.coverage.more_runs", n=len(g.runs) - 12) if len(g.runs) > 12 else ""
    if mode == "2D":
        what = t(
            "receptive_field.coverage.what_2d",
            holes=f"{g.holes_1d:,}",
            extent=f"{g.extent:,}",
            holes_2d=f"{g.holes_2d:,}",
            pixels=f"{g.pixels_2d:,}",
            share=g.share_2d,
        )
    else:
        what = t(
            "receptive_field.coverage.what_1d",
            holes=f"{g.holes_1d:,}",
            extent=f"{g.extent:,}",
            share=g.share_1d,
        )
    st.error(
        t("receptive_field.coverage.gridding", what=what, runs=runs, more=more), icon=":material/grid_off:"
    )


def erf_section(layers: Sequence[Layer], key: rfui.LayerKey, mode: str, causal: bool) -> None:
    """Coverage and the gradient-based effective field side by side."""
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
    extent = rfui.growth(key)[-1].rf.size
    device = device_choice().device
    ndim = 2 if mode == "2D" else 1
    limit = ERF_2D_LIMIT.get(device.type, 1024)
    budget = ERF_BUDGET.get(device.type, 50_000_000_000)
    networks = int(samples) if (relu or weights == "random") else 1
    if ndim == 1 and extent > MAX_ERF_EXTENT[1]:  # the room's budget: refused from sizes, before any work
        st.warning(
            t("receptive_field.erf.too_wide", extent=f"{extent:,}", limit=f"{MAX_ERF_EXTENT[1]:,}", ndim=1),
            icon=":material/hourglass_disabled:",
        )
        return
    if ndim == 2 and (extent > limit or erf_cost(layers, 2, int(channels), networks) > budget):
        st.info(
            t("receptive_field.erf.too_large_2d", extent=f"{extent:,}", limit=limit, budget=f"{budget:,}"),
            icon=":material/info:",
        )
        ndim = 1
        if extent > MAX_ERF_EXTENT[1]:
            st.warning(
                t(
                    "receptive_field.erf.too_wide",
                    extent=f"{extent:,}",
                    limit=f"{MAX_ERF_EXTENT[1]:,}",
                    ndim=1,
                ),
                icon=":material/hourglass_disabled:",
            )
            return
    cost = erf_cost(layers, ndim, int(channels), networks)
    if cost > budget:
        st.warning(
            t("receptive_field.erf.too_costly", cost=f"{cost:,}", budget=f"{budget:,}"),
            icon=":material/warning:",
        )
        return
    need = erf_estimate(cost, extent, ndim, int(channels), networks, len(layers))
    if need.bytes > ROOM.bytes:
        st.warning(
            t(
                "receptive_field.erf.too_heavy",
                seconds=f"{need.seconds:,.0f}",
                memory=format_bytes(need.bytes),
                limit_s=f"{ROOM.seconds:g}",
                limit_mem=format_bytes(ROOM.bytes),
            ),
            icon=":material/hourglass_disabled:",
        )
        return
    with st.spinner(t("receptive_field.erf.spinner", device=device.type.upper())):
        result = rfui.erf(
            key, ndim, str(weights), bool(relu), int(channels), int(samples), int(seed), str(device)
        )
    # the expected field is mirror-symmetric: averaging the mirror images removes noise, not signal
    grad = mirror_mean(result.grad)
    share = mass_share(grad, MASS)
    cover_share = rfui.coverage_share(key, ndim, MASS)
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
    grid_cells = MAP_CELLS["2D" if ndim == 2 else "1D"]
    field = stack_field(layers, causal)
    grid = grid_for(field.start, field.stop, grid_cells)
    view = field_view(field, grid)
    block = grid[1]
    mask = mass_mask(grad, MASS)
    text = _figure_text()
    if ndim == 2:
        left, right = st.columns(2)
        _chart(
            cached_figure(
                coverage_map,
                view.level_2d(),
                view.hole_2d(),
                view.centres,
                t("receptive_field.erf.cover_map"),
                text=text,
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
            ),
            "rf_chart_erf_map",
            right,
        )
        cells = t("receptive_field.erf.maps_cells", block=block) if block > 1 else ""
        st.caption(t("receptive_field.erf.maps_caption") + cells + t("receptive_field.erf.mirror_2d"))
    else:
        _chart(
            cached_figure(
                profile_1d,
                view.centres,
                normalized_profile(field.counts, block),
                normalized_profile(grad, block),
                view.hole,
                bin_mean(mask.astype(float), block) >= 0.5,
                t("receptive_field.erf.profile"),
                text=text,
            ),
            "rf_chart_profile",
        )
        st.caption(t("receptive_field.erf.profile_caption") + t("receptive_field.erf.mirror_1d"))
    if result.samples == 1:
        networks_text = t("receptive_field.erf.one_network")
    else:
        networks_text = t("receptive_field.erf.networks", n=result.samples)
    st.caption(
        t(
            "receptive_field.erf.run_caption",
            layers=len(layers),
            channels=result.channels,
            size="×".join([f"{extent:,}"] * ndim),
            networks=networks_text,
            device=result.device,
            ms=result.seconds * 1000,
        )
    )


def hdc_section(layers: Sequence[Layer], key: rfui.LayerKey, causal: bool) -> None:
    """The HDC rule step by step against the exact coverage."""
    st.subheader(t("receptive_field.hdc.header"))
    st.markdown(t("receptive_field.hdc.text"))
    rule = r"M_n = r_n,\quad M_i = \max\big(M_{i+1} - 2r_i,\; M_{i+1} - 2(M_{i+1} - r_i),\; r_i\big),"
    goal = r"\text{@goal } M_2 \le K"
    if projector():  # one line is wider than a projector view
        latex(rule)
        latex(goal)
    else:
        latex(rule + r"\quad " + goal)
    g = rfui.verdict(key, causal)
    truth = (
        t("receptive_field.hdc.no_holes")
        if g.holes_1d == 0
        else t("receptive_field.hdc.holes", n=f"{g.holes_1d:,}")
    )
    scope = hdc_scope(layers)
    if scope:
        st.info(t("receptive_field.hdc.scope", scope=scope, truth=truth), icon=":material/info:")
        return
    k = layers[0].kernel_size
    rule = hdc_rule([la.dilation for la in layers], k)
    if rule.m2 is None:
        st.info(t("receptive_field.hdc.two_layers"), icon=":material/info:")
        return
    lines = []
    for s in rule.steps:
        if s.candidates is None:
            lines.append(f"M_{{{s.i}}} &= r_{{{s.i}}} = {s.m}")
        else:
            a, b, c = s.candidates
            lines.append(
                f"M_{{{s.i}}} &= \\max({s.m_next} - 2\\cdot{s.rate},\\ {s.m_next} - 2({s.m_next} - {s.rate}),\\ "
                f"{s.rate}) = \\max({a}, {b}, {c}) = {s.m}"
            )
    if len(lines) > 8:
        lines = [*lines[:3], "&\\ \\vdots", *lines[-3:]]
    latex("\\begin{aligned}" + "\\\\".join(lines) + "\\end{aligned}")
    ok = "\\le" if rule.passes else ">"
    verdict = t("receptive_field.hdc.passes") if rule.passes else t("receptive_field.hdc.fails")
    latex(f"M_2 = {rule.m2} {ok} K = {k}\\quad\\Rightarrow\\quad \\text{{{verdict}}}")
    holes_free = g.holes_1d == 0
    if rule.passes == holes_free:
        st.success(t("receptive_field.hdc.agree", truth=truth), icon=":material/check_circle:")
        return
    if rule.passes:
        why = []
        if not rule.first_rate_is_one:
            why.append(t("receptive_field.hdc.why_r1", r1=rule.rates[0]))
        if rule.common_factor > 1:
            why.append(t("receptive_field.hdc.why_factor", factor=rule.common_factor))
        if k != 3:
            why.append(t("receptive_field.hdc.why_kernel", k=k))
        st.warning(
            t("receptive_field.hdc.disagree_pass", truth=truth, why=f": {'; '.join(why)}" if why else ""),
            icon=":material/report:",
        )
    else:
        why = t("receptive_field.hdc.fail_kernel", k=k) if k != 3 else ""
        st.warning(t("receptive_field.hdc.disagree_fail", why=why), icon=":material/report:")


def branch_section(
    layers: Sequence[Layer], key: rfui.LayerKey, rates: tuple[int, ...], mode: str, number: int
) -> None:
    """Each parallel branch's field (ASPP) and their union."""
    st.subheader(t("receptive_field.branch.header", n=number))
    jump = rfui.growth(key)[-1].rf.stride
    st.markdown(t("receptive_field.branch.text", jump=jump, rates=", ".join(map(str, rates))))
    try:
        branches = rfui.branches(key, rates)
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
    if mode != "2D":
        return
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
        ),
        "rf_chart_branches",
    )
    cells = t("receptive_field.branch.cells", block=grid[1]) if grid[1] > 1 else ""
    st.caption(cells + t("receptive_field.branch.caption"))


def suggest_section(number: int) -> None:
    """Search the hole-free schedule with the largest extent and apply it."""
    st.subheader(t("receptive_field.sug.header", n=number))
    st.markdown(t("receptive_field.sug.text"))
    c1, c2, c3 = st.columns(3)
    n = _int_input(c1, "rf_sug_layers", "sug.layers")
    k = _int_input(c2, "rf_sug_kernel", "sug.kernel")
    dmax = _int_input(c3, "rf_sug_dmax", "sug.dmax")
    try:
        s = rfui.suggestion(int(n), int(k), int(dmax))
    except ValueError as err:
        st.error(t("receptive_field.sug.error", error=err), icon=":material/error:")
        return
    rule = hdc_rule(list(s.dilations), s.kernel_size) if len(s.dilations) > 1 else None
    rule_text = ""
    if rule is not None:
        verdict = t("receptive_field.hdc.passes") if rule.passes else t("receptive_field.hdc.fails")
        rule_text = t("receptive_field.sug.rule", m2=rule.m2, verdict=verdict)
    st.success(
        t(
            "receptive_field.sug.result",
            dilations=", ".join(str(d) for d in s.dilations),
            extent=f"{s.extent:,}",
            visited=s.visited,
            rule=rule_text,
        ),
        icon=":material/auto_fix_high:",
    )
    st.caption(t("receptive_field.sug.caption"))
    st.button(
        t("receptive_field.sug.apply"),
        key="rf_sug_apply",
        on_click=_apply_suggestion,
        args=(s.dilations, s.kernel_size),
        help=t("receptive_field.sug.apply_help"),
        type="primary",
    )


def render() -> None:
    """Draw the page."""
    first = rfui.first_run()
    _init_state()
    rfui.read_stack_link()
    _check_link(first)
    st.title(t("receptive_field.title"))
    st.markdown(t("receptive_field.intro"))
    bar = st.container()
    layers, mode, causal, rates = stack_editor()
    if not layers:
        st.info(t("receptive_field.empty"), icon=":material/info:")
    else:
        try:
            check_extent(layers)
        except ValueError as err:
            st.error(f"{t('receptive_field.too_large')} {err}.", icon=":material/error:")
            layers = ()
    if layers:
        key = rfui.layer_key(layers)
        growth_section(layers, key)
        coverage_section(layers, key, mode, causal)
        erf_section(layers, key, mode, causal)
        hdc_section(layers, key, causal)
        if rates:
            branch_section(layers, key, rates, mode, 6)
    suggest_section(7 if layers and rates else 6 if layers else 2)
    with bar:  # drawn last: the idea of the preset in view needs every control's value of this run
        presets_bar(
            LESSONS,
            DEFAULTS,
            "rf_",
            lambda i: t(f"receptive_field.lesson.{i}"),
            lambda i: t(f"receptive_field.lesson.{i}.idea"),
        )


render()
