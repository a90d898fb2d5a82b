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
    stack_field,
    union_field,
    union_holes_2d,
    union_view_2d,
)
from dsdcn.figures.receptive import (
    branch_maps,
    coverage_animation_1d,
    coverage_animation_2d,
    coverage_map,
    erf_map,
    extent_figure,
    profile_1d,
)
from ui import receptive_field as rfui
from ui.common import device_choice
from ui.workshop import apply_values, presets_bar

# Every control's default, keyed by its widget key (``rf_stack`` is the table's code, see ui/receptive_field).
DEFAULTS: dict[str, object] = {
    "rf_stack": encode_stack(PRESETS["gridding"].layers),
    "rf_mode": "2D",
    "rf_causal": False,
    "rf_branches": "",
    "rf_erf_weights": "random",
    "rf_erf_relu": True,
    "rf_erf_channels": 4,
    "rf_erf_samples": 8,
    "rf_erf_seed": 0,
    "rf_sug_layers": 3,
    "rf_sug_kernel": 3,
    "rf_sug_dmax": 8,
}

PRESET_TEXT: dict[str, tuple[str, str]] = {
    "plain": ("Plain 3×3 ×4", "Four undilated 3×3 convs: the extent grows by 2 per layer, no holes."),
    "gridding": ("Gridding 2, 2, 2", "Three 3×3 convs at dilation 2: only even offsets reach the output."),
    "hdc": (
        "HDC 1, 2, 5",
        "Hybrid Dilated Convolution (Wang et al., 2018): rates chosen so no holes remain.",
    ),
    "sawtooth": ("Sawtooth 1, 2, 5, 1, 2, 5", "The HDC group repeated, as in a deeper network."),
    "context": ("Context module", "Yu & Koltun (2016): 3×3 convs at dilations 1, 1, 2, 4, 8, 16, 1."),
    "wavenet": (
        "WaveNet 1D",
        "Causal 1D convs of kernel 2 at dilations 1, 2, 4, …, 512 (van den Oord et al., 2016).",
    ),
    "aspp": (
        "ASPP 6, 12, 18",
        "A ResNet-like trunk with output stride 16, then parallel 3×3 branches at rates 6, 12, 18 (DeepLab v3).",
    ),
    "vgg": (
        "VGG-16",
        "3×3 convs with 2×2 max pooling (stride 2), up to conv5_3 (Simonyan & Zisserman, 2015).",
    ),
}


def stack_values(key: str) -> dict[str, object]:
    """The controls a classic stack sets: the table, mode, causal padding and branch rates."""
    preset = PRESETS[key]
    return {
        "rf_stack": encode_stack(preset.layers),
        "rf_mode": "1D" if preset.mode == "1d" else "2D",
        "rf_causal": preset.causal,
        "rf_branches": ", ".join(str(r) for r in preset.branch_rates),
    }


# Lesson presets: one idea each (ids are stable: they name the preset in the tests and the strings).
LESSONS: dict[str, dict[str, object]] = {
    key: stack_values(key) for key in ("gridding", "hdc", "wavenet", "context", "aspp")
}
LESSON_TEXT: dict[str, tuple[str, str]] = {
    "gridding": (
        "Gridding (2, 2, 2)",
        "Equal rates reach only every second pixel: 3 of 4 pixels of the field are holes.",
    ),
    "hdc": (
        "HDC fixes it (1, 2, 5)",
        "Rates without a common factor fill every hole, and the field still grows to 17.",
    ),
    "wavenet": (
        "WaveNet 1D",
        "Doubling dilations of kernel 2: 10 causal layers see 1,024 past samples with no holes.",
    ),
    "context": (
        "Context module",
        "Exponential dilations grow the field to 67 in 7 layers, yet the gradient stays near the centre.",
    ),
    "aspp": (
        "ASPP",
        "Branch rates times the output stride 16: the widest branch leaves holes between its taps.",
    ),
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
WEIGHT_TEXT = {"uniform": "uniform (all equal)", "random": "random (PyTorch's default init)"}
ANIMATION_CELLS = {"2D": 129, "1D": 1024}  # drawing grid of the animation, cells per axis
MAP_CELLS = {"2D": 257, "1D": 2048}  # drawing grid of the side-by-side maps
ERF_2D_LIMIT = {"cpu": 320}  # largest extent for the 2D effective field per device type (else 1024)
ERF_BUDGET = {"cpu": 600_000_000}  # forward multiply-adds of an interactive backward pass (else 5e10)
MAX_FRAMES = 24
MASS = 0.95


def _init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _check_link(first: bool) -> None:
    """Drop link values the widgets cannot take (defaults and a notice instead, never an error).

    Whole numbers are checked against their widget's range (Streamlit itself fails on ``1e999``);
    branch rates from a freshly opened link must parse (a typed bad value gets a warning instead).
    """
    for key, (low, high) in INT_RANGES.items():
        raw = st.query_params.get(key)
        if raw is not None and not (re.fullmatch(r"-?[0-9]{1,12}", raw) and low <= int(raw) <= high):
            rfui.drop_link_value(key)
    raw = st.query_params.get("rf_branches")
    if first and raw is not None:
        try:
            parse_rates(raw)
        except ValueError:
            rfui.drop_link_value("rf_branches")


def _stack_on_screen() -> str | None:
    """The classic stack whose settings are all on screen now, if any."""
    for key in PRESET_TEXT:
        if all(st.session_state.get(k) == v for k, v in stack_values(key).items()):
            return key
    return None


def _apply_suggestion(dilations: tuple[int, ...], kernel_size: int) -> None:
    causal = st.session_state.get("rf_mode") == "1D" and st.session_state.get("rf_causal")
    layers = causal_stack(dilations, kernel_size) if causal else dilated_stack(dilations, kernel_size)
    st.session_state["rf_stack"] = encode_stack(layers)
    st.session_state["rf_branches"] = ""


def _layer_label(i: int, layer: Layer) -> str:
    what = "pool" if layer.kind == "pool" else "conv"
    parts = [f"{i}: {what} {layer.kernel_size}", f"d{layer.dilation}" if layer.dilation > 1 else ""]
    parts.append(f"/{layer.stride}" if layer.stride > 1 else "")
    return " ".join(p for p in parts if p)


def _sum_terms(rows: Sequence[GrowthRow]) -> str:
    terms = [f"{r.layer.dilation}\\cdot{r.layer.kernel_size - 1}\\cdot{r.jump_in}" for r in rows]
    if len(terms) > 7:
        terms = [*terms[:4], "\\cdots", *terms[-2:]]
    return " + ".join(terms)


def stack_editor() -> tuple[tuple[Layer, ...], str, bool, tuple[int, ...]]:
    """Presets, mode and the editable table: returns the valid layers, mode, causal flag and branch rates."""
    st.subheader("1 · The stack")
    st.caption("One click loads a classic stack; then edit any cell, add rows at the bottom or delete rows.")
    classics = st.container()

    left, mid, right = st.columns([1, 1, 2])
    mode = left.segmented_control(
        "Mode",
        MODES,
        key="rf_mode",
        bind="query-params",
        required=True,
        help="2D: square kernels on an image (the 2D field is the outer product of the 1D one). "
        "1D: a sequence model.",
    )
    mode = mode or "2D"
    causal = mid.toggle(
        "Causal padding",
        key="rf_causal",
        bind="query-params",
        disabled=mode != "1D",
        help="1D only: every layer pads d·(k−1) on the left, so output t sees only inputs up to t "
        "(the padding column is then not used).",
    )
    branch_text = right.text_input(
        "Parallel branches after the stack (ASPP rates)",
        key="rf_branches",
        bind="query-params",
        max_chars=60,
        placeholder="e.g. 6, 12, 18",
        help="Rates of parallel 3×3 branches read after the last layer, as in ASPP (DeepLab). "
        "Leave empty for a plain stack.",
    )
    rates: tuple[int, ...] = ()
    try:
        rates = parse_rates(branch_text or "")
    except ValueError as err:
        st.warning(f"Branch rates ignored: {err}.", icon=":material/warning:")

    editor_key, base_rows = rfui.editor_table(str(DEFAULTS["rf_stack"]))
    frame = pd.DataFrame(base_rows, columns=list(STACK_COLUMNS))
    column_config = {
        "kind": st.column_config.SelectboxColumn(
            "kind",
            options=["conv", "pool"],
            default="conv",
            required=True,
            help="conv or pool (average/max pooling)",
        ),
        **{
            name: st.column_config.NumberColumn(
                name,
                min_value=CELL_LIMITS[name][0],
                max_value=CELL_LIMITS[name][1],
                step=1,
                default=default,
                format="%d",
                help=text,
            )
            for name, default, text in (
                ("kernel", 3, "kernel size k"),
                ("stride", 1, "stride s"),
                ("dilation", 1, "dilation d (pooling too)"),
                ("padding", 1, "padding p on each side: it moves the field, not its shape"),
            )
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
    for i, (key, (label, text)) in enumerate(PRESET_TEXT.items()):
        cols[i % 4].button(
            label,
            key=f"rf_load_{key}",
            help=text,
            on_click=apply_values,
            args=(stack_values(key),),
            type="primary" if on_screen == key else "secondary",
            width="stretch",
        )
    if on_screen is not None:
        classics.caption(f":material/layers: **{PRESET_TEXT[on_screen][0]}** · {PRESET_TEXT[on_screen][1]}")
    for problem in parsed.problems:
        st.warning(
            f"Row {problem.row} (counted from the top) is left out: {problem.message}. "
            "The other rows still count.",
            icon=":material/warning:",
        )
    return parsed.layers, mode, bool(causal and mode == "1D"), rates


def growth_section(layers: Sequence[Layer], key: rfui.LayerKey) -> None:
    """Extent and effective stride per layer: formula, chart and table."""
    st.subheader("2 · How far the field reaches")
    rows = rfui.growth(key)
    last = rows[-1].rf
    st.markdown(
        "Each layer widens the field by its effective kernel minus one, **measured in input pixels**: "
        "a layer after a stride sees its input through the jump $j$ of the layers below."
    )
    st.latex(r"r_l = r_{l-1} + d_l\,(k_l-1)\,j_{l-1},\qquad j_l = j_{l-1}\,s_l,\qquad r_0 = j_0 = 1")
    st.latex(
        f"r_{{{len(rows)}}} = 1 + {_sum_terms(rows)} = {last.size:,},\\qquad j_{{{len(rows)}}} = {last.stride:,}"
    )
    labels = [_layer_label(r.index, r.layer) for r in rows]
    st.plotly_chart(
        extent_figure(
            labels, [r.rf.size for r in rows], [r.rf.stride for r in rows], "Extent and stride per layer"
        ),
        key="rf_chart_extent",
    )
    st.dataframe(
        pd.DataFrame(
            {
                "layer": labels,
                "k_eff": [r.effective_kernel for r in rows],
                "j in": [r.jump_in for r in rows],
                "adds d(k−1)j": [r.term for r in rows],
                "extent r": [r.rf.size for r in rows],
                "stride j": [r.rf.stride for r in rows],
                "padding P": [r.rf.padding for r in rows],
                "holes (1D)": [r.holes for r in rows],
            }
        ),
        hide_index=True,
        height=min(400, 38 + 35 * len(rows)),
    )
    st.caption("k_eff = d(k−1)+1; padding P = Σ p_l j_{l−1} says where the field starts (offset −P).")


def coverage_section(layers: Sequence[Layer], key: rfui.LayerKey, mode: str, causal: bool) -> None:
    """The exact coverage map, animated layer by layer, and the gridding verdict."""
    st.subheader("3 · Which input pixels reach one output")
    st.markdown(
        "Count the **paths** from each input pixel to one output through the stack: a pixel with no "
        "path is a **hole** — it lies inside the extent but never influences the output (gridding). "
        "The counts are exact integers (a convolution of the layers' tap combs)."
    )
    picks = frame_indices(len(layers), MAX_FRAMES)
    frames = rfui.views(key, causal, ANIMATION_CELLS[mode], tuple(picks))
    labels = [_layer_label(i + 1, layers[i]) for i in picks]
    block = frames[-1].block
    shown = f" (each cell is {block}×{block} input pixels)" if mode == "2D" and block > 1 else ""
    if mode == "1D" and block > 1:
        shown = f" (each cell is {block} input pixels)"
    if mode == "2D":
        fig = coverage_animation_2d(
            [v.level_2d() for v in frames],
            [v.hole_2d() for v in frames],
            frames[-1].centres,
            labels,
            f"Paths from each input pixel to one output{shown}",
        )
    else:
        fig = coverage_animation_1d(
            [v.level for v in frames],
            [v.hole for v in frames],
            frames[-1].centres,
            labels,
            f"Paths from each input offset, layer by layer{shown}",
        )
    st.plotly_chart(fig, key="rf_chart_coverage")
    caption = (
        "Colour: number of paths on a log scale; red: holes; grey: outside the field. Press ▶ to watch the "
        "field grow layer by layer, or drag the slider."
    )
    if block > 1:
        caption += " A cell is drawn red only when all its pixels are holes; the counts below are exact."
    if len(picks) < len(layers):
        caption += f" {len(picks)} of the {len(layers)} layers are shown as frames."
    st.caption(caption)

    g = rfui.verdict(key, causal)
    if g.holes_1d == 0:
        area = (
            f"{g.extent:,}×{g.extent:,} = {g.pixels_2d:,} pixels" if mode == "2D" else f"{g.extent:,} offsets"
        )
        st.success(
            f"**No gridding.** Every one of the {area} of the extent reaches the output.",
            icon=":material/check_circle:",
        )
        return
    runs = ", ".join(f"{a}" if a == b else f"{a}…{b}" for a, b in g.runs[:12])
    more = f" and {len(g.runs) - 12} more runs" if len(g.runs) > 12 else ""
    if mode == "2D":
        what = (
            f"{g.holes_1d:,} of the {g.extent:,} offsets per axis are holes: {g.holes_2d:,} of the "
            f"{g.pixels_2d:,} pixels of the 2D field ({g.share_2d:.0%}) never reach the output."
        )
    else:
        what = f"{g.holes_1d:,} of the {g.extent:,} offsets ({g.share_1d:.0%}) never reach the output."
    st.error(f"**Gridding.** {what} Holes at offsets {runs}{more}.", icon=":material/grid_off:")


def erf_section(layers: Sequence[Layer], key: rfui.LayerKey, mode: str, causal: bool) -> None:
    """Coverage and the gradient-based effective field side by side."""
    st.subheader("4 · What the gradient sees: the effective receptive field")
    st.markdown(
        "Luo et al. (2016): run the stack, take **one output** and back-propagate to the input. The "
        "gradient magnitude says how much each input pixel moves that output. It is not uniform: for a deep "
        "stack of plain 3×3 layers it is close to a Gaussian that fills only a small part of the extent "
        "(its width grows like √n, the extent like n). Dilation spreads it out; holes get nothing. With "
        "uniform weights and no ReLU the gradient *is* the path count; random weights and ReLU change it."
    )
    st.latex(
        r"\mathrm{ERF}(x) = \left|\frac{\partial\, y_{\text{centre}}}{\partial\, \mathrm{input}(x)}\right|"
    )
    c1, c2, c3, c4, c5 = st.columns([2, 1, 1, 1, 1])
    weights = c1.radio(
        "Weights",
        WEIGHT_INITS,
        key="rf_erf_weights",
        bind="query-params",
        format_func=WEIGHT_TEXT.get,
        horizontal=True,
        help="Uniform: every weight 1/C, so the gradient equals the path count exactly. Random: "
        "U(−b, b), b = 1/√(C·k²), from a seeded generator.",
    )
    relu = c2.toggle(
        "ReLU",
        key="rf_erf_relu",
        bind="query-params",
        help="A ReLU after every conv but the last; the gradient then depends on the input.",
    )
    channels = c3.number_input(
        "Channels",
        min_value=INT_RANGES["rf_erf_channels"][0],
        max_value=INT_RANGES["rf_erf_channels"][1],
        step=1,
        key="rf_erf_channels",
        bind="query-params",
        help="Channels C of every layer.",
    )
    samples = c4.number_input(
        "Networks averaged",
        min_value=INT_RANGES["rf_erf_samples"][0],
        max_value=INT_RANGES["rf_erf_samples"][1],
        step=1,
        key="rf_erf_samples",
        bind="query-params",
        help="The gradient is averaged over this many independent networks, each with its own random "
        "weights and random normal input (one network when nothing is random).",
        disabled=not relu and weights == "uniform",
    )
    seed = c5.number_input(
        "Seed",
        min_value=INT_RANGES["rf_erf_seed"][0],
        max_value=INT_RANGES["rf_erf_seed"][1],
        step=1,
        key="rf_erf_seed",
        bind="query-params",
        help="Seed of the weights and inputs.",
    )
    extent = rfui.growth(key)[-1].rf.size
    device = device_choice().device
    ndim = 2 if mode == "2D" else 1
    limit = ERF_2D_LIMIT.get(device.type, 1024)
    budget = ERF_BUDGET.get(device.type, 50_000_000_000)
    networks = int(samples) if (relu or weights == "random") else 1
    if ndim == 2 and (extent > limit or erf_cost(layers, 2, int(channels), networks) > budget):
        st.info(
            f"The extent is {extent:,}×{extent:,} pixels: too large for an interactive backward pass in 2D on "
            f"this device (at most {limit}×{limit}, {budget:,} multiply-adds). The effective field is "
            "computed for the 1D version of the stack (one axis).",
            icon=":material/info:",
        )
        ndim = 1
    cost = erf_cost(layers, ndim, int(channels), networks)
    if cost > budget:
        st.warning(
            f"The backward pass would take {cost:,} multiply-adds, more than {budget:,} for an interactive "
            "answer on this device: use fewer channels or networks, or a smaller stack. The exact coverage "
            "above does not depend on it.",
            icon=":material/warning:",
        )
        return
    with st.spinner(f"Backward pass on {device.type.upper()}…"):
        result = rfui.erf(
            key, ndim, str(weights), bool(relu), int(channels), int(samples), int(seed), str(device)
        )
    share = mass_share(result.grad, MASS)
    cover_share = rfui.coverage_share(key, ndim, MASS)
    area = "pixels" if ndim == 2 else "offsets"
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Extent",
        f"{extent:,}×{extent:,}" if ndim == 2 else f"{extent:,}",
        help="The receptive field's extent r (pixels per axis).",
    )
    m2.metric(
        f"{MASS:.0%} of |gradient| in",
        f"{share:.1%} of the {area}",
        help="The smallest set of input pixels (largest gradients first) that holds 95% of the gradient mass.",
    )
    m3.metric(
        f"{MASS:.0%} of the paths in",
        f"{cover_share:.1%} of the {area}",
        help="The same for the exact path counts (what uniform weights without ReLU give).",
    )
    grid_cells = MAP_CELLS["2D" if ndim == 2 else "1D"]
    field = stack_field(layers, causal)
    grid = grid_for(field.start, field.stop, grid_cells)
    view = field_view(field, grid)
    block = grid[1]
    mask = mass_mask(result.grad, MASS)
    if ndim == 2:
        left, right = st.columns(2)
        left.plotly_chart(
            coverage_map(view.level_2d(), view.hole_2d(), view.centres, "Exact coverage (paths)"),
            key="rf_chart_cover_map",
        )
        right.plotly_chart(
            erf_map(
                bin_mean(result.normalized, block),
                bin_mean(mask.astype(float), block) >= 0.5,
                view.centres,
                "Effective field |∂y/∂x|",
            ),
            key="rf_chart_erf_map",
        )
        st.caption(
            "Left: exact path counts (log colour, red holes). Right: gradient magnitude on a linear scale "
            "(share of its maximum, white = 0); the orange line encloses the pixels that hold 95% of it."
            + (f" Each cell is {block}×{block} input pixels." if block > 1 else "")
        )
    else:
        st.plotly_chart(
            profile_1d(
                view.centres,
                normalized_profile(field.counts, block),
                normalized_profile(result.grad, block),
                view.hole,
                bin_mean(mask.astype(float), block) >= 0.5,
                "Path count and gradient along the field (each scaled to its maximum)",
            ),
            key="rf_chart_profile",
        )
        st.caption(
            "Purple: exact path counts; green: gradient magnitude; red crosses: holes; shaded: the "
            "offsets that together hold 95% of the gradient."
        )
    networks = "1 network" if result.samples == 1 else f"averaged over {result.samples} networks"
    st.caption(
        f"Backward pass of {len(layers)} layers × {result.channels} channels on an input of "
        f"{'×'.join([f'{extent:,}'] * ndim)} ({networks}) on **{result.device}**: "
        f"{result.seconds * 1000:.0f} ms. Pooling layers are averaged (the gradient of max pooling "
        "picks one pixel per window and depends on the input)."
    )


def hdc_section(layers: Sequence[Layer], key: rfui.LayerKey, causal: bool) -> None:
    """The HDC rule step by step against the exact coverage."""
    st.subheader("5 · The HDC rule against the exact coverage")
    st.markdown(
        "Wang et al. (2018) give a rule for choosing rates $r_1, …, r_n$ of $K×K$ layers without holes: "
        "$M_i$ is the largest gap between reached pixels, computed from the top layer down; the goal is "
        "$M_2 \\le K$. The rule assumes $r_1 = 1$ and was derived for 3×3 kernels."
    )
    st.latex(
        r"M_n = r_n,\quad M_i = \max\big(M_{i+1} - 2r_i,\; M_{i+1} - 2(M_{i+1} - r_i),\; r_i\big),"
        r"\quad \text{goal } M_2 \le K"
    )
    g = rfui.verdict(key, causal)
    scope = hdc_scope(layers)
    if scope:
        st.info(
            f"The HDC rule covers stride-1 stacks of one kernel size; this stack is out of its scope "
            f"because {scope}. The exact coverage above is the verdict: "
            f"{'no holes' if g.holes_1d == 0 else f'{g.holes_1d:,} holes per axis'}.",
            icon=":material/info:",
        )
        return
    k = layers[0].kernel_size
    rule = hdc_rule([la.dilation for la in layers], k)
    if rule.m2 is None:
        st.info("The rule needs at least two layers.", icon=":material/info:")
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
    st.latex("\\begin{aligned}" + "\\\\".join(lines) + "\\end{aligned}")
    ok = "\\le" if rule.passes else ">"
    st.latex(
        f"M_2 = {rule.m2} {ok} K = {k}\\quad\\Rightarrow\\quad \\text{{{'passes' if rule.passes else 'fails'}}}"
    )
    holes_free = g.holes_1d == 0
    truth = "no holes" if holes_free else f"{g.holes_1d:,} holes per axis"
    if rule.passes == holes_free:
        st.success(f"The rule and the exact coverage agree: {truth}.", icon=":material/check_circle:")
        return
    if rule.passes:
        why = []
        if not rule.first_rate_is_one:
            why.append(f"the rule assumes r₁ = 1, here r₁ = {rule.rates[0]}")
        if rule.common_factor > 1:
            why.append(f"all rates share the factor {rule.common_factor}, so only its multiples are reached")
        if k != 3:
            why.append(f"the rule was derived for 3×3 kernels, here K = {k}")
        st.warning(
            f"**The rule and the coverage disagree.** The rule passes, but the exact coverage has {truth}"
            + (f": {'; '.join(why)}." if why else ".")
            + " The coverage is the truth.",
            icon=":material/report:",
        )
    else:
        st.warning(
            "**The rule and the coverage disagree.** The rule fails, but the exact coverage has no holes: "
            "the rule is sufficient, not necessary (it depends on the order of the layers, while the "
            "coverage of a stride-1 stack does not)"
            + (f"; it was derived for 3×3 kernels, here K = {k}" if k != 3 else "")
            + ". The coverage is the truth.",
            icon=":material/report:",
        )


def branch_section(layers: Sequence[Layer], key: rfui.LayerKey, rates: tuple[int, ...], mode: str) -> None:
    """Each parallel branch's field (ASPP) and their union."""
    st.subheader("6 · Parallel branches (ASPP)")
    jump = rfui.growth(key)[-1].rf.stride
    st.markdown(
        f"After the stack (output stride {jump}), parallel 3×3 branches at rates {', '.join(map(str, rates))} read "
        f"the same features; their taps are rate × {jump} input pixels apart. A branch has holes when that gap "
        "exceeds the field of the stack below it. (DeepLab also adds a 1×1 branch, whose field is the "
        "stack's, and image pooling, whose field is the whole image.)"
    )
    try:
        branches = rfui.branches(key, rates)
    except ValueError as err:
        st.error(f"Branches not shown: {err}.", icon=":material/error:")
        return
    fields = [b.field for b in branches]
    union = union_field(fields)
    st.dataframe(
        pd.DataFrame(
            {
                "branch": [f"rate {b.rate}" for b in branches] + ["all branches"],
                "tap gap (pixels)": [f"{b.tap_gap:,}" for b in branches] + ["—"],
                "extent": [b.field.counts.size for b in branches] + [union.counts.size],
                "holes per axis": [b.holes for b in branches] + [union.holes],
                "holes in 2D": [b.field.holes_2d for b in branches] + [union_holes_2d(fields)],
            }
        ),
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(name, format="localized")
            for name in ("extent", "holes per axis", "holes in 2D")
        },
    )
    if mode != "2D":
        return
    grid = grid_for(union.start, union.stop, 161)
    views = [field_view(f, grid) for f in fields]
    union_level, union_hole = union_view_2d(fields, grid)
    titles = [f"rate {b.rate}" for b in branches] + ["all branches"]
    st.plotly_chart(
        branch_maps(
            titles,
            [v.level_2d() for v in views] + [union_level],
            [v.hole_2d() for v in views] + [union_hole],
            views[0].centres,
            "Field of each branch, and of all of them read together (one shared grid)",
        ),
        key="rf_chart_branches",
    )
    cells = f"Each cell is {grid[1]}×{grid[1]} input pixels; red cells are all holes. " if grid[1] > 1 else ""
    st.caption(
        cells + "Read together, a pixel counts when some branch reaches both its row and its column, so "
        "the union can have holes in 2D (its corners and edges) even when every offset is reached along "
        "one axis."
    )


def suggest_section(number: int) -> None:
    """Search the hole-free schedule with the largest extent and apply it."""
    st.subheader(f"{number} · Suggest a schedule")
    st.markdown(
        "For $n$ stride-1 layers of kernel $K$ with dilations up to $d_{\\max}$: the schedule with **no "
        "holes** and the **largest extent**, found by a branch-and-bound search checked with exact coverage."
    )
    c1, c2, c3 = st.columns(3)
    n = c1.number_input(
        "Layers n",
        min_value=INT_RANGES["rf_sug_layers"][0],
        max_value=INT_RANGES["rf_sug_layers"][1],
        step=1,
        key="rf_sug_layers",
        bind="query-params",
        help="Number of layers.",
    )
    k = c2.number_input(
        "Kernel K",
        min_value=INT_RANGES["rf_sug_kernel"][0],
        max_value=INT_RANGES["rf_sug_kernel"][1],
        step=1,
        key="rf_sug_kernel",
        bind="query-params",
        help="Kernel size of every layer.",
    )
    dmax = c3.number_input(
        "Largest dilation",
        min_value=INT_RANGES["rf_sug_dmax"][0],
        max_value=INT_RANGES["rf_sug_dmax"][1],
        step=1,
        key="rf_sug_dmax",
        bind="query-params",
        help="No dilation above this.",
    )
    try:
        s = rfui.suggestion(int(n), int(k), int(dmax))
    except ValueError as err:
        st.error(f"No suggestion: {err}.", icon=":material/error:")
        return
    dil = ", ".join(str(d) for d in s.dilations)
    rule = hdc_rule(list(s.dilations), s.kernel_size) if len(s.dilations) > 1 else None
    rule_text = "" if rule is None else f" HDC rule: M₂ = {rule.m2} ({'passes' if rule.passes else 'fails'})."
    st.success(
        f"**Dilations {dil}** — extent {s.extent:,} with no holes ({s.visited} prefixes visited).{rule_text}",
        icon=":material/auto_fix_high:",
    )
    st.caption(
        "The coverage of a stride-1 stack does not depend on the order of its layers, so the schedule is "
        "listed in ascending order."
    )
    st.button(
        "Apply this schedule",
        key="rf_sug_apply",
        on_click=_apply_suggestion,
        args=(s.dilations, s.kernel_size),
        help="Replace the stack above with this schedule.",
        type="primary",
    )


def render() -> None:
    """Draw the page."""
    first = rfui.first_run()
    _init_state()
    rfui.read_stack_link()
    _check_link(first)
    st.title("Receptive field")
    st.markdown(
        "Every output of a stack of convolutions reads a window of the input: its **receptive field**. "
        "Its *extent* grows with every layer — with dilation, fast and without new weights. But the "
        "pixels inside the extent are not all read: with dilation the field can break into **holes** "
        "(gridding), and even where it is whole, the **effective** field — how strongly each pixel moves "
        "the output — is concentrated near the centre. Build a stack, or load a classic one, and see all three."
    )
    bar = st.container()
    layers, mode, causal, rates = stack_editor()
    if not layers:
        st.info("The stack is empty: add a row to the table or load a preset.", icon=":material/info:")
    else:
        try:
            check_extent(layers)
        except ValueError as err:
            st.error(f"{err}.", icon=":material/error:")
            layers = ()
    if layers:
        key = rfui.layer_key(layers)
        growth_section(layers, key)
        coverage_section(layers, key, mode, causal)
        erf_section(layers, key, mode, causal)
        hdc_section(layers, key, causal)
        if rates:
            branch_section(layers, key, rates, mode)
    suggest_section(7 if layers and rates else 6 if layers else 2)
    with bar:  # drawn last: the idea of the preset in view needs every control's value of this run
        presets_bar(LESSONS, DEFAULTS, "rf_", lambda i: LESSON_TEXT[i][0], lambda i: LESSON_TEXT[i][1])


render()
