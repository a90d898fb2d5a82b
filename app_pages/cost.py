"""Cost: params and FLOPs by formula and by count, latency measured on this device, sweeps."""

from __future__ import annotations

import math
import os

import pandas as pd
import streamlit as st
import torch

from dsdcn import LayerSpec, effective_kernel_size, formula_cost, separable_ratio, separable_ratio_terms
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
    Measurement,
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
    Settings,
    cached_count,
    dtypes_for,
    forget_all,
    measure_all,
    press_estimate,
    recall,
    refused_press,
    remember,
    style_cost_figure,
)
from ui.cost_algorithms import algorithm_section
from ui.i18n import latex, t
from ui.workshop import (
    data_table,
    drop_infinite_link_values,
    drop_link_value,
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
KINDS = ("standard", "depthwise", "pointwise", "separable")
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


def _measured_row(name: str, result: Measurement | str) -> dict[str, object]:
    if isinstance(result, str):
        return {t("cost.col.layer"): name, t("cost.col.median_ms"): None, t("cost.col.note"): result}
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


def _median(result: Measurement | str | None) -> float | None:
    return result.timing.median if isinstance(result, Measurement) else None


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


def render() -> None:
    """Draw the Cost page."""
    st.title(t("cost.title"))
    st.markdown(t("cost.intro"))
    drop_infinite_link_values(LIMITS)
    _drop_out_of_range_link_values()
    st.html(_WRAP_PRESETS)
    bar = st.container()  # presets: filled at the end, once every control holds its value
    texts = _figure_texts()

    st.subheader(t("cost.input_and_layer"))
    top = st.columns(4)
    with top[0]:
        h = _number("cost_h", t("cost.h"), t("cost.h_help"))
    with top[1]:
        w = _number("cost_w", t("cost.w"), t("cost.w_help"))
    with top[2]:
        c_in = _number("cost_c_in", "C_in", t("cost.c_in_help"))
    with top[3]:
        batch = _number("cost_batch", t("cost.batch"), t("cost.batch_help"))
    row = st.columns(5)
    with row[0]:
        c_out = _number("cost_c_out", "C_out", t("cost.c_out_help"))
    with row[1]:
        k = _number("cost_k", t("cost.k"), t("cost.k_help"))
    with row[2]:
        d = _number("cost_d", t("cost.d"), t("cost.d_help"))
    with row[3]:
        s = _number("cost_s", t("cost.s"), t("cost.s_help"))
    with row[4]:
        m = _number("cost_m", t("cost.m"), t("cost.m_help"))

    specs = {
        "standard": LayerSpec("standard", c_in, c_out, k, d, s),
        "depthwise": LayerSpec("depthwise", c_in, c_out, k, d, s, m),
        "pointwise": LayerSpec("pointwise", c_in, c_out, 1, 1, s),
        "separable": LayerSpec("separable", c_in, c_out, k, d, s, m),
    }
    k_eff = effective_kernel_size(k, d)

    # ---- formula against count --------------------------------------------------------------------
    st.subheader(t("cost.formula_vs_count"))
    rows = []
    all_equal = True
    for kind, spec in specs.items():
        f = formula_cost(spec, h, w)
        counted = cached_count((spec,), h, w, batch)
        flops = 2 * f.macs * batch
        equal = counted.params == f.params and counted.flops == flops
        all_equal &= equal
        rows.append(
            {
                t("cost.col.layer"): t(f"cost.kind_long.{kind}"),
                t("cost.col.output"): "×".join(str(v) for v in counted.output_shape),  # no spaces: one line
                t("cost.col.params_formula"): f.params,
                t("cost.col.params_numel"): counted.params,
                t("cost.col.macs_formula"): f.macs * batch,
                t("cost.col.flops_formula"): flops,
                t("cost.col.flops_counted"): counted.flops,
                t("cost.col.equal"): "✓" if equal else "✗",
            }
        )
    numeric = ("params_formula", "params_numel", "macs_formula", "flops_formula", "flops_counted")
    data_table(
        pd.DataFrame(rows),
        formats={t(f"cost.col.{c}"): "localized" for c in numeric},
        key="cost_table_formula",
    )
    if all_equal:
        st.success(t("cost.agree"), icon=":material/check:")
    else:
        st.error(t("cost.disagree"))
    st.caption(t("cost.flops_note", c_in=c_in))
    sep = formula_cost(specs["separable"], h, w)
    std = formula_cost(specs["standard"], h, w)
    dw = formula_cost(specs["depthwise"], h, w)
    pw = formula_cost(specs["pointwise"], h, w)
    out_h, out_w = std.out_height, std.out_width
    with st.expander(t("cost.formulas"), expanded=False):
        latex(
            rf"H_\mathrm{{out}} = \left\lceil H/s \right\rceil = {out_h},\quad "
            rf"W_\mathrm{{out}} = {out_w}\quad(\text{{@same_padding}}),\qquad "
            rf"k_\mathrm{{eff}} = d(k-1)+1 = {k_eff}"
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

    # ---- measured -------------------------------------------------------------------------------------
    st.subheader(t("cost.measured"))
    default_device = device_choice().device.type
    devices = ["auto", *available_devices()]
    mcols = st.columns(4)
    with mcols[0]:
        device_key = _choice(
            "cost_device",
            t("cost.device"),
            devices,
            t("cost.device_help"),
            fmt=lambda v: t("cost.device_auto", device=default_device.upper()) if v == "auto" else v.upper(),
        )
    device = default_device if device_key == "auto" else device_key
    dev = device.upper()
    with mcols[1]:
        dtype = _choice("cost_dtype", t("cost.dtype"), list(dtypes_for(device)), t("cost.dtype_help"))
    with mcols[2]:
        memory_format = _choice(
            "cost_format",
            t("cost.format"),
            list(MEMORY_FORMATS),
            t("cost.format_help"),
            fmt=lambda v: t(f"cost.format.{v}"),
        )
    with mcols[3]:
        if device == "cpu":
            threads = _number(
                "cost_threads", t("cost.threads"), t("cost.threads_help", n=torch.get_num_threads())
            )
        else:
            threads = 0
            st.caption(t("cost.cuda_timing") if device == "cuda" else "")
    with st.expander(t("cost.timing_settings"), expanded=False):
        tcols = st.columns(3)
        with tcols[0]:
            warmup = _number("cost_warmup", t("cost.warmup"), t("cost.warmup_help"))
        with tcols[1]:
            repeats = _number("cost_repeats", t("cost.repeats"), t("cost.repeats_help"))
        with tcols[2]:
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
    settings = Settings(device, dtype, memory_format, threads, warmup, repeats, budget)
    torch_dtype = parse_dtype(dtype)

    reach = same_receptive_field(c_in, c_out, k, d)
    n_stack = len(next(r for r in reach if r.name == "stack").specs)
    reach_names = {r.name: t(f"cost.reach.{r.name}", e=k_eff, k=k, d=d, n=n_stack) for r in reach}
    # results are kept under stable ids (not under texts that change with the language)
    items = [(kind, (spec,)) for kind, spec in specs.items()]
    items += [(f"reach_{r.name}", r.specs) for r in reach]
    display = {kind: _kind(kind) for kind in KINDS} | {f"reach_{r.name}": reach_names[r.name] for r in reach}
    biggest = max(memory_estimate(specs_, h, w, batch, torch_dtype) for _, specs_ in items)
    free = available_memory(torch.device(device))
    st.caption(
        t("cost.memory_peak", size=format_bytes(biggest))
        + (t("cost.memory_free", free=format_bytes(free), device=dev) if free is not None else "")
        + t("cost.memory_refusal")
    )
    key = ("main", tuple(items), h, w, batch, settings)
    buttons = st.container(horizontal=True)
    with buttons:
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
    if again:
        forget_all()
    if (pressed or again) and not refused_press(
        len(items), press_estimate(items, h, w, batch, settings), t("cost.fix_measure")
    ):
        remember(key, measure_all(items, h, w, batch, settings, t("cost.measuring"), display))
    results = recall(key)
    if results is None:
        st.info(
            t("cost.press_measure", device=dev, n=len(items), warmup=warmup, repeats=repeats),
            icon=":material/timer:",
        )
    else:
        first = next((r for r in results.values() if isinstance(r, Measurement)), None)
        kind_results = [results[kind] for kind in KINDS]
        data_table(
            pd.DataFrame([_measured_row(t(f"cost.kind_long.{kind}"), results[kind]) for kind in KINDS]),
            formats={t("cost.col.median_ms"): "%.3f", "GFLOP/s": "%.2f", "GB/s": "%.2f"},
            key="cost_table_measured",
        )
        noisy = [r for r in results.values() if isinstance(r, Measurement) and r.timing.noisy()]
        if noisy:
            st.warning(t("cost.noisy", n=len(noisy), total=len(results)), icon=":material/warning:")
        if first is not None:
            thread_note = t("cost.thread_note", n=first.threads) if first.device == "cpu" else ""
            st.caption(
                t(
                    "cost.measured_caption",
                    device=first.device.upper(),
                    dtype=first.dtype,
                    format=first.memory_format,
                    threads=thread_note,
                    batch=batch,
                    warmup=warmup,
                    events=t("cost.cuda_events") if first.device == "cuda" else "",
                )
            )
        fig = cached_figure(
            create_time_vs_flops_figure,
            list(KINDS),
            [cached_count((specs[kind],), h, w, batch).flops for kind in KINDS],
            [_median(r) for r in kind_results],
            names=(t("cost.fig.share_flops"), t("cost.fig.share_time")),
            title=t("cost.fig.time_flops_title"),
            labels=[_kind(kind) for kind in KINDS],
            texts=texts,
        )
        show_chart(style_cost_figure(fig), key="cost_fig_time_flops", name="cost-time-vs-flops")
        intensity = {kind: arithmetic_intensity(specs[kind], h, w, batch, torch_dtype) for kind in KINDS}
        st.markdown(
            t(
                "cost.why_bars_differ",
                values=t("cost.list_sep").join(
                    t("cost.intensity_item", kind=_kind(kind), value=intensity[kind]) for kind in KINDS
                ),
            )
        )

    # ---- same receptive field --------------------------------------------------------------------------
    st.subheader(t("cost.same_rf"))
    st.markdown(t("cost.same_rf_intro", k=k, d=d, e=k_eff, n=n_stack))
    reach_rows = []
    for r in reach:
        f = formula_cost(r.specs, h, w)
        measured = results.get(f"reach_{r.name}") if results is not None else None
        reach_rows.append(
            {
                t("cost.col.way"): reach_names[r.name],
                t("cost.col.layers"): len(r.specs),
                t("cost.col.extent"): r.extent,
                t("cost.col.params"): f.params,
                t("cost.col.macs"): f.macs * batch,
                t("cost.col.median_ms"): None if _median(measured) is None else _median(measured) * 1e3,
                t("cost.col.note"): measured if isinstance(measured, str) else "",
            }
        )
    data_table(
        pd.DataFrame(reach_rows),
        formats={
            t("cost.col.params"): "localized",
            t("cost.col.macs"): "localized",
            t("cost.col.median_ms"): "%.3f",
        },
        key="cost_table_reach",
    )
    medians_ms = [row_[t("cost.col.median_ms")] for row_ in reach_rows]
    fig = cached_figure(
        create_same_rf_figure,
        [row_[t("cost.col.way")] for row_ in reach_rows],
        [row_[t("cost.col.params")] for row_ in reach_rows],
        [row_[t("cost.col.macs")] for row_ in reach_rows],
        [None if v is None else v / 1e3 for v in medians_ms],
        series=(t("cost.fig.weights"), t("cost.col.macs"), t("cost.fig.time")),
        title=t("cost.fig.same_rf_title"),
        texts=texts,
    )
    show_chart(style_cost_figure(fig), key="cost_fig_reach", name="cost-same-receptive-field")
    st.caption(t("cost.same_rf_caption", e=k_eff) + (t("cost.time_after_measure") if results is None else ""))

    # ---- sweeps -----------------------------------------------------------------------------------------
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
        )
        show_chart(style_cost_figure(fig), key="cost_fig_ratio_k", name="cost-ratio-vs-k")
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
        )
        show_chart(style_cost_figure(fig), key="cost_fig_ratio_cout", name="cost-ratio-vs-c-out")
    st.caption(t("cost.ratio_caption"))

    st.markdown(f"#### {t('cost.dilation_sweep')}")
    st.markdown(t("cost.dilation_sweep_intro", c_in=c_in, c_out=c_out, k=k))
    dcols = st.columns([1, 2, 2])  # room for the button's label in large type (the projector view, 中文)
    with dcols[0]:
        max_d = _number("cost_sweep_max_d", t("cost.max_d"), t("cost.max_d_help"))
    dilations = list(range(1, max_d + 1))
    sweep_specs = dilation_sweep_specs(c_in, c_out, k, dilations, s)
    sweep_items = [(f"{spec.kind} d = {spec.dilation}", (spec,)) for spec in sweep_specs]
    sweep_display = {
        name: t("cost.sweep_item", kind=_kind(spec.kind), d=spec.dilation)
        for (name, _), spec in zip(sweep_items, sweep_specs, strict=True)
    }
    sweep_key = ("sweep", tuple(sweep_items), h, w, batch, settings)
    with dcols[1]:
        st.write("")
        sweep_pressed = st.button(
            t("cost.run_sweep"),
            key="cost_sweep",
            icon=":material/show_chart:",
            help=t("cost.run_sweep_help", n=len(sweep_items)),
        )
    if sweep_pressed and not refused_press(
        len(sweep_items), press_estimate(sweep_items, h, w, batch, settings), t("cost.fix_sweep")
    ):
        remember(
            sweep_key, measure_all(sweep_items, h, w, batch, settings, t("cost.sweeping"), sweep_display)
        )
    sweep = recall(sweep_key)
    if sweep is None:
        st.info(t("cost.press_sweep", n=len(sweep_items), device=dev), icon=":material/show_chart:")
    else:
        kinds = ("depthwise", "standard")
        medians, q1, q3 = [], [], []
        for kind in kinds:
            runs = [sweep[f"{kind} d = {dd}"] for dd in dilations]
            medians.append([_median(r) for r in runs])
            q1.append([r.timing.q1 if isinstance(r, Measurement) else None for r in runs])
            q3.append([r.timing.q3 if isinstance(r, Measurement) else None for r in runs])
        on_cpu = device == "cpu"
        fig = cached_figure(
            create_dilation_figure,
            dilations,
            kinds,
            medians,
            q1,
            q3,
            mark=7 if on_cpu and max_d >= 7 else None,
            mark_text=t("cost.fig.onednn_mark") if on_cpu else "",
            titles=(t("cost.fig.latency_panel"), t("cost.fig.relative_panel")),
            flops_name=t("cost.fig.flops_flat"),
            kind_names={kind: _kind(kind) for kind in kinds},
            texts=texts,
        )
        show_chart(style_cost_figure(fig), key="cost_fig_dilation", name="cost-dilation-sweep")
        noisy = sum(isinstance(r, Measurement) and r.timing.noisy() for r in sweep.values())
        if noisy >= max(2, len(sweep) // 8):
            st.warning(t("cost.sweep_noisy", n=noisy, total=len(sweep)), icon=":material/warning:")
        refused = [name for name, r in sweep.items() if isinstance(r, str)]
        if refused:
            st.warning(t("cost.sweep_refused", n=len(refused), reason=sweep[refused[0]]))
        slow = {kind: slowdown(medians[i]) for i, kind in enumerate(kinds)}
        worst = {kind: max((v for v in slow[kind] if v is not None), default=None) for kind in kinds}
        summary = t("cost.list_sep").join(
            t("cost.slowdown_item", kind=_kind(kind), x=worst[kind])
            for kind in kinds
            if worst[kind] is not None
        )
        st.markdown(
            t("cost.sweep_shows", summary=summary)
            + (t("cost.sweep_cpu") if on_cpu else t("cost.sweep_gpu"))
            + t("cost.sweep_moral")
        )

    algorithm_section(c_in, k, m, s, h, w, batch, max_d, settings, dev)

    # the threads control exists on the CPU only; elsewhere presets and reset leave it alone
    defaults = DEFAULTS if device == "cpu" else {k: v for k, v in DEFAULTS.items() if k != "cost_threads"}
    with bar:
        presets_bar(
            PRESETS, defaults, "cost_", lambda p: t(f"cost.preset.{p}"), lambda p: t(f"cost.preset.{p}.idea")
        )


render()
