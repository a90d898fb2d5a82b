"""Cost: params and FLOPs by formula and by count, latency measured on this device, sweeps."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
import torch

from dsdcn import LayerSpec, effective_kernel_size, formula_cost, separable_ratio, separable_ratio_terms
from dsdcn.device import available_devices, available_memory
from dsdcn.figures.cost import (
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
from ui.common import device_choice
from ui.cost import Settings, cached_count, dtypes_for, forget_all, measure_all, recall, remember
from ui.separable import keep_in_range

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
KINDS = ("standard", "depthwise", "pointwise", "separable")
KIND_LABELS = {
    "standard": "standard k×k",
    "depthwise": "depthwise k×k (groups = C_in)",
    "pointwise": "pointwise 1×1",
    "separable": "separable (depthwise + pointwise)",
}
SAME_RF_LABELS = {"dense": "dense {e}×{e}", "dilated": "dilated {k}×{k}, d = {d}", "stack": "{n} × 3×3 stack"}
SAME_RF_LABELS["separable"] = "separable {k}×{k}, d = {d}"


def _number(key: str, label: str, help_text: str) -> int:
    low, high = LIMITS[key]
    keep_in_range(key, int(DEFAULTS[key]), low, high)
    return int(st.number_input(label, min_value=low, max_value=high, step=1, key=key, help=help_text))


def _choice(key: str, label: str, options: list[str], help_text: str, fmt=str) -> str:
    if st.session_state.get(key, DEFAULTS[key]) not in options:
        st.session_state[key] = DEFAULTS[key] if DEFAULTS[key] in options else options[0]
    elif key not in st.session_state:
        st.session_state[key] = DEFAULTS[key]
    return str(st.selectbox(label, options, key=key, help=help_text, format_func=fmt))


def _tex(n: int) -> str:
    # thousands separators that LaTeX does not space out
    return f"{n:,}".replace(",", "{,}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def _measured_row(name: str, result: Measurement | str) -> dict[str, object]:
    if isinstance(result, str):
        return {"layer": name, "median ms": None, "note": result}
    t = result.timing
    return {
        "layer": name,
        "median ms": t.median * 1e3,
        "25–75 % ms": f"{_ms(t.q1)} – {_ms(t.q3)}",
        "min – max ms": f"{_ms(t.best)} – {_ms(t.worst)}",
        "runs": t.runs,
        "GFLOP/s": result.gflops_per_s,
        "GB/s": result.gb_per_s,
        "note": "",
    }


def _median(result: Measurement | str | None) -> float | None:
    return result.timing.median if isinstance(result, Measurement) else None


def render() -> None:
    """Draw the Cost page."""
    st.title("Cost")
    st.markdown(
        "What a layer costs, three ways: **by formula** (weights and multiply-adds), **counted** on the "
        "real PyTorch module (`numel` of its weights, `torch.utils.flop_counter` on a forward pass) and "
        "**measured** (latency on this machine). The first two must agree exactly; the third is where "
        "the surprises are: fewer FLOPs do not always mean less time."
    )

    st.subheader("Input and layer")
    top = st.columns(4)
    with top[0]:
        h = _number("cost_h", "Height H", "Input height in pixels (1 to 4096).")
    with top[1]:
        w = _number("cost_w", "Width W", "Input width in pixels (1 to 4096).")
    with top[2]:
        c_in = _number("cost_c_in", "C_in", "Input channels (1 to 4096).")
    with top[3]:
        batch = _number("cost_batch", "Batch", "Images per forward pass (1 to 1024).")
    row = st.columns(5)
    with row[0]:
        c_out = _number(
            "cost_c_out", "C_out", "Output channels of the standard, pointwise and separable layers."
        )
    with row[1]:
        k = _number("cost_k", "Kernel size k", "Side of the k×k kernel (1 to 15).")
    with row[2]:
        d = _number("cost_d", "Dilation d", "Spacing of the taps (1 to 32); the pointwise layer has none.")
    with row[3]:
        s = _number(
            "cost_s", "Stride s", "Step between outputs (1 to 8). Padding is 'same': ceil(H/s) outputs."
        )
    with row[4]:
        m = _number("cost_m", "Depth multiplier m", "Depthwise kernels per input channel (1 to 8).")

    specs = {
        "standard": LayerSpec("standard", c_in, c_out, k, d, s),
        "depthwise": LayerSpec("depthwise", c_in, c_out, k, d, s, m),
        "pointwise": LayerSpec("pointwise", c_in, c_out, 1, 1, s),
        "separable": LayerSpec("separable", c_in, c_out, k, d, s, m),
    }
    k_eff = effective_kernel_size(k, d)

    # ---- formula against count --------------------------------------------------------------------
    st.subheader("Formula against count")
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
                "layer": KIND_LABELS[kind],
                "output (B, C, H, W)": " × ".join(str(v) for v in counted.output_shape),
                "params (formula)": f.params,
                "params (numel)": counted.params,
                "MACs (formula)": f.macs * batch,
                "FLOPs = 2×MACs (formula)": flops,
                "FLOPs (flop_counter, forward)": counted.flops,
                "equal": "✓" if equal else "✗",
            }
        )
    number = st.column_config.NumberColumn(format="localized")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={c: number for c in rows[0] if "(" in c and "output" not in c},
        key="cost_table_formula",
    )
    if all_equal:
        st.success(
            "Formula and count agree for every layer: params = numel of the module's weights, "
            "FLOPs = 2 × MACs as torch.utils.flop_counter counts them.",
            icon=":material/check:",
        )
    else:
        st.error("Formula and count differ for this shape; please report the settings.")
    st.caption(
        "FLOPs here are **2 × MACs** (a multiply-add is two operations), the convention of "
        "torch.utils.flop_counter; biases are not counted. Only the *forward* count is shown: the "
        "counter's backward count of grouped (depthwise) convolutions ignores the groups and comes out "
        f"{c_in}× too large for the weight gradient, so it is never used here."
    )
    sep = formula_cost(specs["separable"], h, w)
    std = formula_cost(specs["standard"], h, w)
    dw = formula_cost(specs["depthwise"], h, w)
    pw = formula_cost(specs["pointwise"], h, w)
    out_h, out_w = std.out_height, std.out_width
    with st.expander("The formulas with your numbers", expanded=False):
        st.latex(
            rf"H_\mathrm{{out}} = \left\lceil H/s \right\rceil = {out_h},\quad "
            rf"W_\mathrm{{out}} = {out_w}\quad(\text{{'same' padding}}),\qquad "
            rf"k_\mathrm{{eff}} = d(k-1)+1 = {k_eff}"
        )
        st.latex(
            rf"\text{{standard: }} C_\mathrm{{in}} C_\mathrm{{out}} k^2 = {c_in}\cdot{c_out}\cdot{k}^2"
            rf" = {_tex(std.params)}\ \text{{weights}},\quad \times H_\mathrm{{out}} W_\mathrm{{out}}"
            rf" = {_tex(std.macs)}\ \text{{MACs per image}}"
        )
        st.latex(
            rf"\text{{depthwise: }} C_\mathrm{{in}}\, m\, k^2 = {c_in}\cdot{m}\cdot{k}^2 = {_tex(dw.params)},"
            rf"\qquad \text{{pointwise: }} C_\mathrm{{in}} C_\mathrm{{out}} = {_tex(pw.params)}"
        )
        st.latex(
            rf"\text{{separable: }} C_\mathrm{{in}} m k^2 + C_\mathrm{{in}} m C_\mathrm{{out}} = {_tex(sep.params)},"
            rf"\qquad \frac{{\text{{separable}}}}{{\text{{standard}}}} = m\left(\frac{{1}}{{C_\mathrm{{out}}}}"
            rf" + \frac{{1}}{{k^2}}\right) = {separable_ratio(c_out, k, m):.4f}"
        )
        st.latex(r"\mathrm{FLOPs} = 2 \times \mathrm{MACs} \times \text{batch}")

    # ---- measured -------------------------------------------------------------------------------------
    st.subheader("Measured on this machine")
    default_device = device_choice().device.type
    devices = ["auto", *available_devices()]
    mcols = st.columns(4)
    with mcols[0]:
        device_key = _choice(
            "cost_device",
            "Device",
            devices,
            "Where to run the layers. 'auto' is the app's device (CUDA, then Apple MPS, then CPU).",
            fmt=lambda v: f"auto ({default_device.upper()})" if v == "auto" else v.upper(),
        )
    device = default_device if device_key == "auto" else device_key
    with mcols[1]:
        dtype = _choice(
            "cost_dtype",
            "Data type",
            list(dtypes_for(device)),
            "float32, or the 16-bit types this device runs convolutions in (probed once). CPUs mostly "
            "emulate float16, so it is slow there.",
        )
    with mcols[2]:
        memory_format = _choice(
            "cost_format",
            "Memory format",
            list(MEMORY_FORMATS),
            "contiguous = NCHW (PyTorch's default); channels_last = NHWC, often 2–3× faster for "
            "depthwise and pointwise layers on CPUs and for 16-bit types on GPUs.",
        )
    with mcols[3]:
        if device == "cpu":
            threads = _number(
                "cost_threads",
                "CPU threads (0 = all)",
                f"Intra-op threads during the measurement. 1 (the default) keeps timings steady when other "
                f"programs share the CPU: with more threads, one thread held up by another program stalls "
                f"the others. 0 uses torch's setting ({torch.get_num_threads()} here).",
            )
        else:
            threads = 0
            st.caption("Timed with CUDA events after a synchronisation." if device == "cuda" else "")
    with st.expander("Timing settings", expanded=False):
        tcols = st.columns(3)
        with tcols[0]:
            warmup = _number(
                "cost_warmup", "Warm-up runs", "Untimed runs first (caches, allocator, kernels)."
            )
        with tcols[1]:
            repeats = _number("cost_repeats", "Timed runs (at most)", "Runs kept for the median and spread.")
        with tcols[2]:
            if "cost_budget" not in st.session_state:
                st.session_state["cost_budget"] = DEFAULTS["cost_budget"]
            budget = float(
                st.number_input(
                    "Time budget per layer (s)",
                    min_value=0.05,
                    max_value=10.0,
                    step=0.05,
                    key="cost_budget",
                    help="Stop timing a layer after this many seconds (but keep at least 3 runs).",
                )
            )
    settings = Settings(device, dtype, memory_format, threads, warmup, repeats, budget)
    torch_dtype = parse_dtype(dtype)

    reach = same_receptive_field(c_in, c_out, k, d)
    n_stack = len(next(r for r in reach if r.name == "stack").specs)
    reach_names = {r.name: SAME_RF_LABELS[r.name].format(e=k_eff, k=k, d=d, n=n_stack) for r in reach}
    items = [(KIND_LABELS[kind], (spec,)) for kind, spec in specs.items()]
    items += [(reach_names[r.name], r.specs) for r in reach]
    biggest = max(memory_estimate(specs_, h, w, batch, torch_dtype) for _, specs_ in items)
    free = available_memory(torch.device(device))
    st.caption(
        f"The largest of these layers needs about **{format_bytes(biggest)}** at its peak "
        + (f"of **{format_bytes(free)}** free on {device.upper()}" if free is not None else "")
        + ". A layer that would not fit in half of the free memory, or that would take too long, is not "
        "started: it shows why instead."
    )
    key = ("main", tuple(items), h, w, batch, settings)
    bcols = st.columns([1.3, 1, 2.5])
    with bcols[0]:
        pressed = st.button(
            f"Measure on {device.upper()}",
            key="cost_measure",
            type="primary",
            icon=":material/timer:",
            help="Time the four layers and the same-receptive-field options. Results are cached per "
            "device, dtype and shape.",
        )
    with bcols[1]:
        again = st.button(
            "Measure again",
            key="cost_measure_again",
            help="Forget the cached timings and measure afresh (timings vary from run to run).",
        )
    if again:
        forget_all()
    if pressed or again:
        remember(key, measure_all(items, h, w, batch, settings, "Measuring"))
    results = recall(key)
    if results is None:
        st.info(
            f"Press **Measure on {device.upper()}** to time these layers ({len(items)} of them, "
            f"{warmup} warm-up + up to {repeats} timed runs each). Changing any input above asks for a "
            "fresh measurement.",
            icon=":material/timer:",
        )
    else:
        first = next((r for r in results.values() if isinstance(r, Measurement)), None)
        kind_results = [results[KIND_LABELS[kind]] for kind in KINDS]
        st.dataframe(
            pd.DataFrame([_measured_row(KIND_LABELS[kind], results[KIND_LABELS[kind]]) for kind in KINDS]),
            hide_index=True,
            column_config={
                "median ms": st.column_config.NumberColumn(format="%.3f"),
                "GFLOP/s": st.column_config.NumberColumn(format="%.2f"),
                "GB/s": st.column_config.NumberColumn(format="%.2f"),
            },
            key="cost_table_measured",
            placeholder="–",
        )
        noisy = [r for r in results.values() if isinstance(r, Measurement) and r.timing.noisy()]
        if noisy:
            st.warning(
                f"{len(noisy)} of {len(results)} timings are noisy (their middle half spans more than 1.5×): "
                "another program was competing for the device. Use 1 CPU thread, close other programs, "
                "or press Measure again.",
                icon=":material/warning:",
            )
        if first is not None:
            thread_note = f", {first.threads} CPU thread(s)" if first.device == "cpu" else ""
            st.caption(
                f"{first.device.upper()}, {first.dtype}, {first.memory_format}{thread_note}; batch {batch}. "
                f"Median of the timed runs after {warmup} warm-up runs, each synchronised"
                + (" (CUDA events)" if first.device == "cuda" else "")
                + "; the spread is the middle half (25–75 %) and the extremes. GFLOP/s = counted forward "
                "FLOPs ÷ median; GB/s = the least memory traffic (read input and weights once, write the "
                "output once, plus the intermediate of the separable layer) ÷ median."
            )
        st.plotly_chart(
            create_time_vs_flops_figure(
                [k_ for k_ in KINDS],
                [cached_count((specs[kind],), h, w, batch).flops for kind in KINDS],
                [_median(r) for r in kind_results],
                title="FLOPs and time, each as a share of the standard layer's",
            ),
            key="cost_fig_time_flops",
            config={"displayModeBar": False},
        )
        intensity = {kind: arithmetic_intensity(specs[kind], h, w, batch, torch_dtype) for kind in KINDS}
        st.markdown(
            "**Why the bars differ.** A layer is limited either by arithmetic or by memory. Its "
            "*arithmetic intensity* (FLOPs per byte moved) says which: "
            + ", ".join(f"{kind} {intensity[kind]:.1f}" for kind in KINDS)
            + " FLOP/byte here. A depthwise layer does only 2k² FLOPs per output value it writes, so it "
            "waits on memory (its GB/s is the number to watch), while a standard layer reuses each "
            "loaded value C_out times and keeps the arithmetic units busy. That is why a separable "
            "layer with many times fewer FLOPs is rarely that many times faster."
        )

    # ---- same receptive field --------------------------------------------------------------------------
    st.subheader("Same receptive field, different cost")
    st.markdown(
        f"A {k}×{k} kernel at dilation {d} spans **{k_eff}×{k_eff}** pixels. Four ways to see that far: "
        f"one dense {k_eff}×{k_eff} kernel, the dilated {k}×{k}, a stack of {n_stack} undilated 3×3 "
        f"layers (each adds 2 pixels of reach) and the depthwise-separable dilated {k}×{k} (stride 1)."
    )
    reach_rows = []
    for r in reach:
        f = formula_cost(r.specs, h, w)
        measured = results.get(reach_names[r.name]) if results is not None else None
        reach_rows.append(
            {
                "way": reach_names[r.name],
                "layers": len(r.specs),
                "extent (px)": r.extent,
                "params": f.params,
                "MACs": f.macs * batch,
                "median ms": None if _median(measured) is None else _median(measured) * 1e3,
                "note": measured if isinstance(measured, str) else "",
            }
        )
    st.dataframe(
        pd.DataFrame(reach_rows),
        hide_index=True,
        column_config={
            "params": number,
            "MACs": number,
            "median ms": st.column_config.NumberColumn(format="%.3f"),
        },
        key="cost_table_reach",
        placeholder="–",
    )
    st.plotly_chart(
        create_same_rf_figure(
            [row_["way"] for row_ in reach_rows],
            [row_["params"] for row_ in reach_rows],
            [row_["MACs"] for row_ in reach_rows],
            [None if row_["median ms"] is None else row_["median ms"] / 1e3 for row_ in reach_rows],
            title="Weights, MACs and time, each as a share of the dense kernel's",
        ),
        key="cost_fig_reach",
        config={"displayModeBar": False},
    )
    st.caption(
        "The extent is the span of input pixels one output can see (the stack reaches one pixel further "
        "when the span is even). Dilation reaches as far as the dense kernel with k² instead of "
        f"{k_eff}² weights, but leaves holes between its taps; the stack fills them with depth. "
        + ("Time appears after a measurement." if results is None else "")
    )

    # ---- sweeps -----------------------------------------------------------------------------------------
    st.subheader("Sweeps")
    ks = list(range(1, 16))
    outs = sorted({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, c_out})
    sc = st.columns(2)
    with sc[0]:
        st.plotly_chart(
            create_ratio_figure(
                ks,
                ratio_sweep_k(c_in, c_out, ks, m),
                [separable_ratio_terms(c_out, kk, m)[0] for kk in ks],
                [separable_ratio_terms(c_out, kk, m)[1] for kk in ks],
                "kernel size k",
                current=k,
                title=f"Separable ÷ standard against k (C_out = {c_out}, m = {m})",
            ),
            key="cost_fig_ratio_k",
            config={"displayModeBar": False},
        )
    with sc[1]:
        st.plotly_chart(
            create_ratio_figure(
                outs,
                ratio_sweep_out_channels(c_in, outs, k, m),
                [separable_ratio_terms(c, k, m)[0] for c in outs],
                [separable_ratio_terms(c, k, m)[1] for c in outs],
                "C_out (log scale)",
                current=c_out,
                log_x=True,
                title=f"Separable ÷ standard against C_out (k = {k}, m = {m})",
            ),
            key="cost_fig_ratio_cout",
            config={"displayModeBar": False},
        )
    st.caption(
        "Weights and MACs of the separable layer over the standard layer's (the same ratio), from "
        "dsdcn.conv_cost, with its two terms dashed: m/C_out (the depthwise stage's share) and m/k² "
        "(the pointwise stage's share). The saving grows with k and with C_out until the other term "
        "takes over; the vertical line marks your setting."
    )

    st.markdown("#### Latency against dilation: where FLOPs stop predicting time")
    st.markdown(
        f"Depthwise ({c_in}→{c_in}) and standard ({c_in}→{c_out}) {k}×{k} layers on the input above "
        "at dilations 1 to the maximum below. Their FLOPs do not change with d, so by FLOPs the lines "
        "would be flat."
    )
    dcols = st.columns([1, 1.4, 2.6])
    with dcols[0]:
        max_d = _number("cost_sweep_max_d", "Largest dilation", "The sweep runs d = 1 … this (2 to 32).")
    dilations = list(range(1, max_d + 1))
    sweep_specs = dilation_sweep_specs(c_in, c_out, k, dilations, s)
    sweep_items = [(f"{spec.kind} d = {spec.dilation}", (spec,)) for spec in sweep_specs]
    sweep_key = ("sweep", tuple(sweep_items), h, w, batch, settings)
    with dcols[1]:
        st.write("")
        sweep_pressed = st.button(
            "Run the dilation sweep",
            key="cost_sweep",
            icon=":material/show_chart:",
            help=f"{len(sweep_items)} measurements with the settings above.",
        )
    if sweep_pressed:
        remember(sweep_key, measure_all(sweep_items, h, w, batch, settings, "Sweeping"))
    sweep = recall(sweep_key)
    if sweep is None:
        st.info(
            f"Press **Run the dilation sweep** to time {len(sweep_items)} layers on {device.upper()}.",
            icon=":material/show_chart:",
        )
    else:
        kinds = ("depthwise", "standard")
        medians, q1, q3 = [], [], []
        for kind in kinds:
            runs = [sweep[f"{kind} d = {dd}"] for dd in dilations]
            medians.append([_median(r) for r in runs])
            q1.append([r.timing.q1 if isinstance(r, Measurement) else None for r in runs])
            q3.append([r.timing.q3 if isinstance(r, Measurement) else None for r in runs])
        on_cpu = device == "cpu"
        st.plotly_chart(
            create_dilation_figure(
                dilations,
                kinds,
                medians,
                q1,
                q3,
                mark=7 if on_cpu and max_d >= 7 else None,
                mark_text="d ≥ 7: oneDNN's slower depthwise path" if on_cpu else "",
            ),
            key="cost_fig_dilation",
            config={"displayModeBar": False},
        )
        noisy = sum(isinstance(r, Measurement) and r.timing.noisy() for r in sweep.values())
        if noisy >= max(2, len(sweep) // 8):
            st.warning(
                f"{noisy} of these {len(sweep)} timings are noisy (their middle half spans more than "
                "1.5×): another program was competing for the device. Use 1 CPU thread or run the "
                "sweep again.",
                icon=":material/warning:",
            )
        refused = [name for name, r in sweep.items() if isinstance(r, str)]
        if refused:
            st.warning(f"{len(refused)} of the sweep's layers were not measured: {sweep[refused[0]]}")
        slow = {kind: slowdown(medians[i]) for i, kind in enumerate(kinds)}
        worst = {kind: max((v for v in slow[kind] if v is not None), default=None) for kind in kinds}
        summary = ", ".join(
            f"{kind} up to {worst[kind]:.1f}× its d = 1 time" for kind in kinds if worst[kind] is not None
        )
        st.markdown(
            f"**What the sweep shows.** Measured here: {summary}, with identical FLOPs at every d. "
            "A standard convolution is compute-bound: its kernels reuse every loaded value across all "
            "output channels, and dilation only changes which addresses are read, so its time barely "
            "moves. A depthwise convolution is memory-bound (a few FLOPs per byte), so how it walks "
            "memory decides its speed: "
            + (
                "on CPUs, oneDNN's fast depthwise kernel handles dilations up to 6; from d = 7 PyTorch "
                "falls back to a slower path, 2.5–5× slower on this project's test machine, for exactly "
                "the same arithmetic. (A space-to-batch rewrite — undilated convolutions on the d×d "
                "phase grids — is exact and avoids it.)"
                if on_cpu
                else "on GPUs the library (cuDNN) picks different kernels for different dilations, and "
                "wider gaps scatter the reads over more cache lines."
            )
            + " Count FLOPs to compare designs; measure to know the time."
        )


render()
