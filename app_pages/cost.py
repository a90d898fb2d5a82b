"""Cost: params and FLOPs by formula and by count, latency measured on this device, sweeps."""

from __future__ import annotations

import math
import os
from collections.abc import Hashable
from typing import NamedTuple

import pandas as pd
import streamlit as st
import torch
from streamlit.delta_generator import DeltaGenerator

from dsdcn import formula_cost, separable_ratio, separable_ratio_terms
from dsdcn.device import available_devices, available_memory
from dsdcn.figures.cost import (
    CostFigureTexts,
    create_dilation_figure,
    create_ratio_figure,
    create_same_rf_figure,
    create_time_vs_flops_figure,
)
from dsdcn.measure import (
    MEMORY_FORMATS,
    SWEEP_KINDS,
    LayerSpec,
    Measurement,
    MeasurementRefused,
    SameReach,
    arithmetic_intensity,
    dilation_sweep_specs,
    format_bytes,
    memory_estimate,
    parse_dtype,
    ratio_sweep_k,
    ratio_sweep_out_channels,
    same_receptive_field,
    slowdown,
)
from ui.common import cached_figure, device_choice
from ui.cost import (
    KINDS,
    Items,
    PageSettings,
    Result,
    Settings,
    cached_count,
    dtypes_for,
    forget_all,
    measure_all,
    press_estimate,
    recall,
    refusal_text,
    refused_press,
    remember,
)
from ui.cost_algorithms import algorithm_section
from ui.i18n import latex, t
from ui.workshop import (
    data_table,
    drop_infinite_link_values,
    drop_link_value,
    figure_theme,
    presets_bar,
    projector,
    show_chart,
)

# Every control's default, keyed by its widget key.
DEFAULTS: dict[str, int | float | str] = {
    "cost_h": 56,
    "cost_w": 56,
    "cost_c_in": 32,
    "cost_batch": 1,
    "cost_c_out": 64,
    "cost_k": 3,
    "cost_d": 2,
    "cost_s": 1,
    "cost_m": 1,
    "cost_device": "auto",
    "cost_dtype": "float32",
    "cost_format": "contiguous",
    "cost_threads": 1,
    "cost_warmup": 2,
    "cost_repeats": 10,
    "cost_budget": 0.25,
    "cost_sweep_max_d": 16,
}
LIMITS: dict[str, tuple[int, int]] = {
    "cost_h": (1, 4096),
    "cost_w": (1, 4096),
    "cost_c_in": (1, 4096),
    "cost_batch": (1, 1024),
    "cost_c_out": (1, 4096),
    "cost_k": (1, 15),
    "cost_d": (1, 32),
    "cost_s": (1, 8),
    "cost_m": (1, 8),
    "cost_threads": (0, os.cpu_count() or 1),
    "cost_warmup": (0, 20),
    "cost_repeats": (3, 200),
    "cost_sweep_max_d": (2, 32),
}
# Lesson presets: one idea each (ids stable; texts in ui/locales/*/cost.py as cost.preset.<id>[.idea]).
PRESETS: dict[str, dict[str, int | float | str]] = {
    "not_8x_faster": {"cost_c_in": 128, "cost_c_out": 128, "cost_k": 3},
    "dilation_slows_depthwise": {"cost_c_in": 64, "cost_c_out": 64, "cost_d": 8, "cost_sweep_max_d": 12},
    "pointwise_dominates": {"cost_h": 28, "cost_w": 28, "cost_c_in": 256, "cost_c_out": 256, "cost_d": 1},
    "same_rf_three_ways": {"cost_c_in": 64, "cost_c_out": 64, "cost_k": 3, "cost_d": 3},
}
# preset buttons wrap their label instead of cutting it (Chinese and the projector view need it)
_WRAP_PRESETS = """<style>
[class*="st-key-cost_preset_"] button, .st-key-cost_reset button { height: 100%; }
[class*="st-key-cost_preset_"] button p, .st-key-cost_reset button p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


_CLAMPED = "_cost_clamped"  # (key, typed, used) of a typed number that was out of range


def _clamp(key: str) -> None:
    """A typed number out of range is set to the nearest bound, and the page says so.

    The widget has no ``min_value``/``max_value``: with them the browser only paints the box red and
    keeps the old value, without a word.
    """
    low, high = LIMITS[key]
    typed = st.session_state.get(key)
    if typed is not None and not low <= typed <= high:
        used = min(max(int(typed), low), high)
        st.session_state[key] = used
        st.session_state[_CLAMPED] = (key, int(typed), used)


def _drop_out_of_range_link_values() -> None:
    """A link value out of range is dropped (and named), as the widget's own bounds used to do."""
    for key, (low, high) in LIMITS.items():
        raw = st.query_params.get_all(key)
        if not raw or key in st.session_state:
            continue
        try:
            value = float(raw[-1])
        except ValueError:
            continue  # not a number: the widget's own validation drops it
        if math.isfinite(value) and not low <= value <= high:
            drop_link_value(key)


def _number(key: str, label: str, help_text: str) -> int:
    low, high = LIMITS[key]
    value = st.number_input(
        label,
        value=int(DEFAULTS[key]),
        step=1,
        key=key,
        help=help_text,
        bind="query-params",
        on_change=_clamp,
        args=(key,),
    )
    clamped = st.session_state.get(_CLAMPED)
    if clamped is not None and clamped[0] == key:
        del st.session_state[_CLAMPED]
        st.warning(t("cost.clamped", name=label, typed=clamped[1], low=low, high=high, used=clamped[2]))
    return int(min(max(int(value), low), high))


def _choice(key: str, label: str, options: list[str], help_text: str, fmt=str) -> str:
    # labels fixed now, in this run's language: Streamlit (and AppTest) may format outside the run
    labels = {option: fmt(option) for option in options}
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = DEFAULTS[key] if DEFAULTS[key] in options else options[0]
    index = options.index(str(DEFAULTS[key])) if DEFAULTS[key] in options else 0
    return str(
        st.selectbox(
            label,
            options,
            index=index,
            key=key,
            help=help_text,
            format_func=labels.__getitem__,
            bind="query-params",
        )
    )


def _tex(n: int) -> str:
    # thousands separators that LaTeX does not space out
    return f"{n:,}".replace(",", "{,}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def _measured_row(name: str, result: Result) -> dict[str, object]:
    if isinstance(result, MeasurementRefused):
        return {
            t("cost.col.layer"): name,
            t("cost.col.median_ms"): None,
            t("cost.col.note"): refusal_text(result),
        }
    timing = result.timing
    return {
        t("cost.col.layer"): name,
        t("cost.col.median_ms"): timing.median * 1e3,
        t("cost.col.iqr_ms"): f"{_ms(timing.q1)} – {_ms(timing.q3)}",
        t("cost.col.range_ms"): f"{_ms(timing.best)} – {_ms(timing.worst)}",
        t("cost.col.runs"): timing.runs,
        "GFLOP/s": result.gflops_per_s,
        "GB/s": result.gb_per_s,
        t("cost.col.note"): "",
    }


def _stat(result: Result | None, name: str) -> float | None:
    # one statistic of a timing (median, q1, q3); None for a result without a timing
    return getattr(result.timing, name) if isinstance(result, Measurement) else None


def _median(result: Result | None) -> float | None:
    return _stat(result, "median")


def _figure_texts() -> CostFigureTexts:
    return CostFigureTexts(
        ratio_axis=t("cost.fig.ratio_axis"),
        log_scale_of=t("cost.fig.log_scale_of", name="{name}"),
        dilation_axis=t("cost.fig.dilation_axis"),
        ms_axis=t("cost.fig.ms_axis"),
        relative_axis=t("cost.fig.relative_axis"),
    )


def _kind(kind: str) -> str:
    return t(f"cost.kind.{kind}")


# ---- the page's places and its settings ----------------------------------------------------------------


class _Slots(NamedTuple):
    """The page's places, made in page order: the controls are read first, each drawn in its place, then
    every section draws into its own (a container shows where it was made, whenever it is filled)."""

    bar: DeltaGenerator  # presets: filled at the end, once every control holds its value
    layer: DeltaGenerator
    formula: DeltaGenerator
    measure: DeltaGenerator
    measured: DeltaGenerator
    reach: DeltaGenerator
    ratios: DeltaGenerator
    sweep_intro: DeltaGenerator
    sweep_cols: list[DeltaGenerator]
    sweep: DeltaGenerator
    algorithms: DeltaGenerator


def _slots() -> _Slots:
    bar, layer, formula, measure, measured, reach, ratios, sweep_intro = (st.container() for _ in range(8))
    sweep_cols = st.columns([1, 2, 2])  # room for the button's label in large type (the projector view, 中文)
    sweep, algorithms = st.container(), st.container()
    return _Slots(
        bar, layer, formula, measure, measured, reach, ratios, sweep_intro, sweep_cols, sweep, algorithms
    )


_LAYER_ROWS = (("h", "w", "c_in", "batch"), ("c_out", "k", "d", "s", "m"))
_SYMBOLS = {"c_in": "C_in", "c_out": "C_out"}  # labels that are symbols in every language


def _layer_inputs() -> dict[str, int]:
    """The input and the layer: one number box per value, in two rows."""
    st.subheader(t("cost.input_and_layer"))
    values: dict[str, int] = {}
    for names in _LAYER_ROWS:
        for column, name in zip(st.columns(len(names)), names, strict=True):
            with column:
                label = _SYMBOLS.get(name) or t(f"cost.{name}")
                values[name] = _number(f"cost_{name}", label, t(f"cost.{name}_help"))
    return values


def _threads_input(device: str) -> int:
    # CPU threads (0: torch's default) on the CPU; elsewhere a note on how the GPU is timed
    if device == "cpu":
        return _number("cost_threads", t("cost.threads"), t("cost.threads_help", n=torch.get_num_threads()))
    st.caption(t("cost.cuda_timing") if device == "cuda" else "")
    return 0


def _timing_inputs() -> tuple[int, int, float]:
    """Warm-up runs, timed runs and the most seconds a measurement may take, in an expander."""
    with st.expander(t("cost.timing_settings"), expanded=False):
        columns = st.columns(3)
        with columns[0]:
            warmup = _number("cost_warmup", t("cost.warmup"), t("cost.warmup_help"))
        with columns[1]:
            repeats = _number("cost_repeats", t("cost.repeats"), t("cost.repeats_help"))
        with columns[2]:
            budget = float(
                st.number_input(
                    t("cost.budget"),
                    min_value=0.05,
                    max_value=10.0,
                    value=float(DEFAULTS["cost_budget"]),
                    step=0.05,
                    key="cost_budget",
                    help=t("cost.budget_help"),
                    bind="query-params",
                )
            )
    return warmup, repeats, budget


def _measure_inputs() -> Settings:
    """How to measure: device, dtype, memory format, CPU threads, then the timing settings."""
    st.subheader(t("cost.measured"))
    default_device = device_choice().device.type
    devices = ["auto", *available_devices()]
    columns = st.columns(4)
    with columns[0]:
        device_key = _choice(
            "cost_device",
            t("cost.device"),
            devices,
            t("cost.device_help"),
            fmt=lambda v: t("cost.device_auto", device=default_device.upper()) if v == "auto" else v.upper(),
        )
    device = default_device if device_key == "auto" else device_key
    with columns[1]:
        dtype = _choice("cost_dtype", t("cost.dtype"), list(dtypes_for(device)), t("cost.dtype_help"))
    with columns[2]:
        memory_format = _choice(
            "cost_format",
            t("cost.format"),
            list(MEMORY_FORMATS),
            t("cost.format_help"),
            fmt=lambda v: t(f"cost.format.{v}"),
        )
    with columns[3]:
        threads = _threads_input(device)
    warmup, repeats, budget = _timing_inputs()
    return Settings(device, dtype, memory_format, threads, warmup, repeats, budget)


def _read_settings(slots: _Slots) -> PageSettings:
    """Every control of the page, each drawn in its place, read (and clamped) once; link values that no
    control could take are dropped (and named) first."""
    drop_infinite_link_values(LIMITS)
    _drop_out_of_range_link_values()
    with slots.layer:
        layer = _layer_inputs()
    with slots.measure:
        how = _measure_inputs()
    with slots.sweep_cols[0]:
        max_d = _number("cost_sweep_max_d", t("cost.max_d"), t("cost.max_d_help"))
    return PageSettings(**layer, how=how, max_d=max_d)


# ---- formula against count ----------------------------------------------------------------------------


def _count_row(page: PageSettings, kind: str, spec: LayerSpec) -> tuple[dict[str, object], bool]:
    # one layer's params and FLOPs by formula and by count, and whether they agree
    f = formula_cost(spec, page.h, page.w)
    counted = cached_count((spec,), page.h, page.w, page.batch)
    flops = 2 * f.macs * page.batch
    equal = counted.params == f.params and counted.flops == flops
    row = {
        t("cost.col.layer"): t(f"cost.kind_long.{kind}"),
        t("cost.col.output"): "×".join(str(v) for v in counted.output_shape),  # no spaces: one line
        t("cost.col.params_formula"): f.params,
        t("cost.col.params_numel"): counted.params,
        t("cost.col.macs_formula"): f.macs * page.batch,
        t("cost.col.flops_formula"): flops,
        t("cost.col.flops_counted"): counted.flops,
        t("cost.col.equal"): "✓" if equal else "✗",
    }
    return row, equal


def _formulas(page: PageSettings) -> None:
    """The formulas with this layer's numbers in, in an expander."""
    c_in, c_out, k, m = page.c_in, page.c_out, page.k, page.m
    cost = {kind: formula_cost(spec, page.h, page.w) for kind, spec in page.specs.items()}
    std, dw, pw, sep = cost["standard"], cost["depthwise"], cost["pointwise"], cost["separable"]
    with st.expander(t("cost.formulas"), expanded=False):
        latex(
            rf"H_\mathrm{{out}} = \left\lceil H/s \right\rceil = {std.out_height},\quad "
            rf"W_\mathrm{{out}} = {std.out_width}\quad(\text{{@same_padding}}),\qquad "
            rf"k_\mathrm{{eff}} = d(k-1)+1 = {page.k_eff}"
        )
        latex(
            rf"\text{{@standard: }} C_\mathrm{{in}} C_\mathrm{{out}} k^2 = {c_in}\cdot{c_out}\cdot{k}^2"
            rf" = {_tex(std.params)}\ \text{{@weights}},\quad \times H_\mathrm{{out}} W_\mathrm{{out}}"
            rf" = {_tex(std.macs)}\ \text{{@macs_per_image}}"
        )
        latex(
            rf"\text{{@depthwise: }} C_\mathrm{{in}}\, m\, k^2 = {c_in}\cdot{m}\cdot{k}^2 = {_tex(dw.params)},"
            rf"\qquad \text{{@pointwise: }} C_\mathrm{{in}} C_\mathrm{{out}} = {_tex(pw.params)}"
        )
        latex(
            rf"\text{{@separable: }} C_\mathrm{{in}} m k^2 + C_\mathrm{{in}} m C_\mathrm{{out}} = {_tex(sep.params)},"
            rf"\qquad \frac{{\text{{@separable}}}}{{\text{{@standard}}}} = m\left(\frac{{1}}{{C_\mathrm{{out}}}}"
            rf" + \frac{{1}}{{k^2}}\right) = {separable_ratio(c_out, k, m):.4f}"
        )
        latex(r"\mathrm{FLOPs} = 2 \times \mathrm{MACs} \times \text{@batch}")
        st.caption(t("cost.formulas_caption"))


def _formula_section(page: PageSettings) -> None:
    """Params and FLOPs of the four layers by formula and by count, whether they agree, the formulas."""
    st.subheader(t("cost.formula_vs_count"))
    checked = [_count_row(page, kind, spec) for kind, spec in page.specs.items()]
    numeric = ("params_formula", "params_numel", "macs_formula", "flops_formula", "flops_counted")
    data_table(
        pd.DataFrame([row for row, _ in checked]),
        formats={t(f"cost.col.{c}"): "localized" for c in numeric},
        key="cost_table_formula",
    )
    if all(equal for _, equal in checked):
        st.success(t("cost.agree"), icon=":material/check:")
    else:
        st.error(t("cost.disagree"))
    st.caption(t("cost.flops_note", c_in=page.c_in))
    _formulas(page)


# ---- measured ---------------------------------------------------------------------------------------------


def _reach(page: PageSettings) -> tuple[tuple[SameReach, ...], dict[str, str], int]:
    """The ways to the same receptive field, their names, and how many layers the stack has."""
    reach = same_receptive_field(page.c_in, page.c_out, page.k, page.d)
    n_stack = len(next(r for r in reach if r.name == "stack").specs)
    names = {r.name: t(f"cost.reach.{r.name}", e=page.k_eff, k=page.k, d=page.d, n=n_stack) for r in reach}
    return reach, names, n_stack


def _main_items(page: PageSettings) -> tuple[Items, dict[Hashable, str]]:
    """What one press measures, under stable ids (a kind, ``("reach", way)``), and the names it shows."""
    reach, names, _ = _reach(page)
    items: list[tuple[Hashable, tuple[LayerSpec, ...]]] = [
        (kind, (spec,)) for kind, spec in page.specs.items()
    ]
    items += [(("reach", r.name), r.specs) for r in reach]
    display: dict[Hashable, str] = {kind: _kind(kind) for kind in KINDS}
    display |= {("reach", r.name): names[r.name] for r in reach}
    return items, display


def _memory_caption(page: PageSettings, items: Items) -> None:
    # the largest peak of one measurement, the free memory, and that a run past it is refused
    torch_dtype = parse_dtype(page.how.dtype)
    biggest = max(memory_estimate(specs, page.h, page.w, page.batch, torch_dtype) for _, specs in items)
    free = available_memory(torch.device(page.how.device))
    st.caption(
        t("cost.memory_peak", size=format_bytes(biggest))
        + (t("cost.memory_free", free=format_bytes(free), device=page.dev) if free is not None else "")
        + t("cost.memory_refusal")
    )


def _measure_buttons(dev: str) -> tuple[bool, bool]:
    """Measure, and measure again (afresh); whether each was pressed."""
    with st.container(horizontal=True):
        pressed = st.button(
            t("cost.measure", device=dev),
            key="cost_measure",
            type="primary",
            icon=":material/timer:",
            help=t("cost.measure_help"),
        )
        again = st.button(
            t("cost.measure_again"), key="cost_measure_again", help=t("cost.measure_again_help")
        )
    return pressed, again


def _measured_caption(page: PageSettings, results: dict[Hashable, Result]) -> None:
    # how the timings were taken, read from the first measurement
    first = next((r for r in results.values() if isinstance(r, Measurement)), None)
    if first is None:
        return
    thread_note = t("cost.thread_note", n=first.threads) if first.device == "cpu" else ""
    st.caption(
        t(
            "cost.measured_caption",
            device=first.device.upper(),
            dtype=first.dtype,
            format=first.memory_format,
            threads=thread_note,
            batch=page.batch,
            warmup=page.how.warmup,
            events=t("cost.cuda_events") if first.device == "cuda" else "",
        )
    )


def _time_vs_flops(page: PageSettings, results: dict[Hashable, Result], texts: CostFigureTexts) -> None:
    """FLOPs and time of each layer as shares of the standard layer's, and why the bars differ."""
    specs = page.specs
    fig = cached_figure(
        create_time_vs_flops_figure,
        list(KINDS),
        [cached_count((specs[kind],), page.h, page.w, page.batch).flops for kind in KINDS],
        [_median(results[kind]) for kind in KINDS],
        names=(t("cost.fig.share_flops"), t("cost.fig.share_time")),
        title=t("cost.fig.time_flops_title"),
        labels=[_kind(kind) for kind in KINDS],
        texts=texts,
        theme=figure_theme(),
    )
    show_chart(fig, key="cost_fig_time_flops", name="cost-time-vs-flops")
    torch_dtype = parse_dtype(page.how.dtype)
    intensity = {
        kind: arithmetic_intensity(specs[kind], page.h, page.w, page.batch, torch_dtype) for kind in KINDS
    }
    st.markdown(
        t(
            "cost.why_bars_differ",
            values=t("cost.list_sep").join(
                t("cost.intensity_item", kind=_kind(kind), value=intensity[kind]) for kind in KINDS
            ),
        )
    )


def _measured_results(page: PageSettings, results: dict[Hashable, Result], texts: CostFigureTexts) -> None:
    """The timings of the four layers: the table, a warning when noisy, how they were taken, the chart."""
    data_table(
        pd.DataFrame([_measured_row(t(f"cost.kind_long.{kind}"), results[kind]) for kind in KINDS]),
        formats={t("cost.col.median_ms"): "%.3f", "GFLOP/s": "%.2f", "GB/s": "%.2f"},
        key="cost_table_measured",
    )
    noisy = [r for r in results.values() if isinstance(r, Measurement) and r.timing.noisy()]
    if noisy:
        st.warning(t("cost.noisy", n=len(noisy), total=len(results)), icon=":material/warning:")
    _measured_caption(page, results)
    _time_vs_flops(page, results, texts)


def _measured_section(page: PageSettings, texts: CostFigureTexts) -> dict[Hashable, Result] | None:
    """The memory a press needs, the buttons, then the timings (or what a press would do); the results."""
    items, display = _main_items(page)
    _memory_caption(page, items)
    key = page.key("main", items)
    pressed, again = _measure_buttons(page.dev)
    if again:
        forget_all()
    if (pressed or again) and not refused_press(
        len(items), press_estimate(items, page.h, page.w, page.batch, page.how), t("cost.fix_measure")
    ):
        remember(key, measure_all(items, page.h, page.w, page.batch, page.how, t("cost.measuring"), display))
    results = recall(key)
    if results is None:
        st.info(
            t(
                "cost.press_measure",
                device=page.dev,
                n=len(items),
                warmup=page.how.warmup,
                repeats=page.how.repeats,
            ),
            icon=":material/timer:",
        )
    else:
        _measured_results(page, results, texts)
    return results


# ---- same receptive field ---------------------------------------------------------------------------------


def _reach_row(page: PageSettings, way: SameReach, name: str, measured: Result | None) -> dict[str, object]:
    # one way to the receptive field: its layers, extent, cost by formula and time if measured
    f = formula_cost(way.specs, page.h, page.w)
    median = _median(measured)
    return {
        t("cost.col.way"): name,
        t("cost.col.layers"): len(way.specs),
        t("cost.col.extent"): way.extent,
        t("cost.col.params"): f.params,
        t("cost.col.macs"): f.macs * page.batch,
        t("cost.col.median_ms"): None if median is None else median * 1e3,
        t("cost.col.note"): refusal_text(measured) if isinstance(measured, MeasurementRefused) else "",
    }


def _same_rf_section(
    page: PageSettings, results: dict[Hashable, Result] | None, texts: CostFigureTexts
) -> None:
    """Three ways to the same receptive field: the table, the chart (times once measured)."""
    reach, names, n_stack = _reach(page)
    st.subheader(t("cost.same_rf"))
    st.markdown(t("cost.same_rf_intro", k=page.k, d=page.d, e=page.k_eff, n=n_stack))
    measured = results or {}
    rows = [_reach_row(page, r, names[r.name], measured.get(("reach", r.name))) for r in reach]
    data_table(
        pd.DataFrame(rows),
        formats={
            t("cost.col.params"): "localized",
            t("cost.col.macs"): "localized",
            t("cost.col.median_ms"): "%.3f",
        },
        key="cost_table_reach",
    )
    medians_ms = [row[t("cost.col.median_ms")] for row in rows]
    fig = cached_figure(
        create_same_rf_figure,
        [row[t("cost.col.way")] for row in rows],
        [row[t("cost.col.params")] for row in rows],
        [row[t("cost.col.macs")] for row in rows],
        [None if v is None else v / 1e3 for v in medians_ms],
        series=(t("cost.fig.weights"), t("cost.col.macs"), t("cost.fig.time")),
        title=t("cost.fig.same_rf_title"),
        texts=texts,
        theme=figure_theme(),
    )
    show_chart(fig, key="cost_fig_reach", name="cost-same-receptive-field")
    st.caption(
        t("cost.same_rf_caption", e=page.k_eff) + (t("cost.time_after_measure") if results is None else "")
    )


# ---- sweeps -----------------------------------------------------------------------------------------------


def _ratio_sweeps(page: PageSettings, texts: CostFigureTexts) -> None:
    """Separable ÷ standard against k and against C_out, by formula."""
    c_in, c_out, k, m = page.c_in, page.c_out, page.k, page.m
    st.subheader(t("cost.sweeps"))
    ks = list(range(1, 16))
    outs = sorted({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, c_out})
    ratio_names = (t("cost.fig.ratio_name"), "m/C_out", "m/k²")
    # side by side; one under the other in the projector view, where their titles need the width
    sc = [st.container(), st.container()] if projector() else st.columns(2)
    terms_k = [separable_ratio_terms(c_out, kk, m) for kk in ks]
    terms_out = [separable_ratio_terms(c, k, m) for c in outs]
    with sc[0]:
        fig = cached_figure(
            create_ratio_figure,
            ks,
            ratio_sweep_k(c_in, c_out, ks, m),
            [term[0] for term in terms_k],
            [term[1] for term in terms_k],
            t("cost.fig.k_axis"),
            current=k,
            names=ratio_names,
            title=t("cost.fig.ratio_k_title", c_out=c_out, m=m),
            texts=texts,
            theme=figure_theme(),
        )
        show_chart(fig, key="cost_fig_ratio_k", name="cost-ratio-vs-k")
    with sc[1]:
        fig = cached_figure(
            create_ratio_figure,
            outs,
            ratio_sweep_out_channels(c_in, outs, k, m),
            [term[0] for term in terms_out],
            [term[1] for term in terms_out],
            t("cost.fig.c_out_axis"),
            current=c_out,
            log_x=True,
            names=ratio_names,
            title=t("cost.fig.ratio_cout_title", k=k, m=m),
            texts=texts,
            theme=figure_theme(),
        )
        show_chart(fig, key="cost_fig_ratio_cout", name="cost-ratio-vs-c-out")
    st.caption(t("cost.ratio_caption"))


def _sweep_chart(page: PageSettings, sweep: dict[Hashable, Result], texts: CostFigureTexts) -> list[list]:
    """Latency (and relative latency) against d, per kind; returns the medians, per kind, per d."""
    runs = [[sweep[(kind, d)] for d in page.dilations] for kind in SWEEP_KINDS]
    medians, q1, q3 = ([[_stat(r, stat) for r in row] for row in runs] for stat in ("median", "q1", "q3"))
    fig = cached_figure(
        create_dilation_figure,
        page.dilations,
        SWEEP_KINDS,
        medians,
        q1,
        q3,
        mark=7 if page.on_cpu and page.max_d >= 7 else None,
        mark_text=t("cost.fig.onednn_mark") if page.on_cpu else "",
        titles=(t("cost.fig.latency_panel"), t("cost.fig.relative_panel")),
        flops_name=t("cost.fig.flops_flat"),
        kind_names={kind: _kind(kind) for kind in SWEEP_KINDS},
        texts=texts,
        theme=figure_theme(),
    )
    show_chart(fig, key="cost_fig_dilation", name="cost-dilation-sweep")
    return medians


def _sweep_warnings(sweep: dict[Hashable, Result]) -> None:
    # many noisy timings; timings refused (the first one's reason)
    noisy = sum(isinstance(r, Measurement) and r.timing.noisy() for r in sweep.values())
    if noisy >= max(2, len(sweep) // 8):
        st.warning(t("cost.sweep_noisy", n=noisy, total=len(sweep)), icon=":material/warning:")
    refused = [r for r in sweep.values() if isinstance(r, MeasurementRefused)]
    if refused:
        st.warning(t("cost.sweep_refused", n=len(refused), reason=refusal_text(refused[0])))


def _sweep_summary(page: PageSettings, medians: list[list]) -> None:
    # the worst slowdown per kind, and what it means on this device
    slow = {kind: slowdown(medians[i]) for i, kind in enumerate(SWEEP_KINDS)}
    worst = {kind: max((v for v in slow[kind] if v is not None), default=None) for kind in SWEEP_KINDS}
    summary = t("cost.list_sep").join(
        t("cost.slowdown_item", kind=_kind(kind), x=worst[kind])
        for kind in SWEEP_KINDS
        if worst[kind] is not None
    )
    st.markdown(
        t("cost.sweep_shows", summary=summary)
        + (t("cost.sweep_cpu") if page.on_cpu else t("cost.sweep_gpu"))
        + t("cost.sweep_moral")
    )


def _dilation_sweep(page: PageSettings, slots: _Slots, texts: CostFigureTexts) -> None:
    """Depthwise and standard layers timed at every dilation up to ``max_d``, on demand."""
    with slots.sweep_intro:
        st.markdown(f"#### {t('cost.dilation_sweep')}")
        st.markdown(t("cost.dilation_sweep_intro", c_in=page.c_in, c_out=page.c_out, k=page.k))
    specs = dilation_sweep_specs(page.c_in, page.c_out, page.k, page.dilations, page.s)
    items: Items = [((spec.kind, spec.dilation), (spec,)) for spec in specs]
    display = {name: t("cost.sweep_item", kind=_kind(name[0]), d=name[1]) for name, _ in items}
    key = page.key("sweep", items)
    with slots.sweep_cols[1]:
        st.write("")
        pressed = st.button(
            t("cost.run_sweep"),
            key="cost_sweep",
            icon=":material/show_chart:",
            help=t("cost.run_sweep_help", n=len(items)),
        )
    with slots.sweep:
        if pressed and not refused_press(
            len(items), press_estimate(items, page.h, page.w, page.batch, page.how), t("cost.fix_sweep")
        ):
            remember(
                key, measure_all(items, page.h, page.w, page.batch, page.how, t("cost.sweeping"), display)
            )
        sweep = recall(key)
        if sweep is None:
            st.info(t("cost.press_sweep", n=len(items), device=page.dev), icon=":material/show_chart:")
            return
        medians = _sweep_chart(page, sweep, texts)
        _sweep_warnings(sweep)
        _sweep_summary(page, medians)


# ---- the page -----------------------------------------------------------------------------------------------


def _presets(bar: DeltaGenerator, page: PageSettings) -> None:
    # the threads control exists on the CPU only; elsewhere presets and reset leave it alone
    defaults = DEFAULTS if page.on_cpu else {key: v for key, v in DEFAULTS.items() if key != "cost_threads"}
    with bar:
        presets_bar(
            PRESETS, defaults, "cost_", lambda p: t(f"cost.preset.{p}"), lambda p: t(f"cost.preset.{p}.idea")
        )


def render() -> None:
    """Draw the Cost page: every control read once into one ``PageSettings``, then one function per section."""
    st.title(t("cost.title"))
    st.markdown(t("cost.intro"))
    st.html(_WRAP_PRESETS)
    slots = _slots()
    page = _read_settings(slots)
    texts = _figure_texts()
    with slots.formula:
        _formula_section(page)
    with slots.measured:
        results = _measured_section(page, texts)
    with slots.reach:
        _same_rf_section(page, results, texts)
    with slots.ratios:
        _ratio_sweeps(page, texts)
    _dilation_sweep(page, slots, texts)
    with slots.algorithms:
        algorithm_section(page)
    _presets(slots.bar, page)


render()
