"""Cost page."""

STRINGS: dict[str, str] = {
    "cost.title": "Cost",
    "cost.intro": (
        "What a layer costs, three ways: **by formula** (weights and multiply-adds), **counted** on the "
        "real PyTorch module (`numel` of its weights, `torch.utils.flop_counter` on a forward pass) and "
        "**measured** (latency on this machine). The first two must agree exactly; the third is where "
        "the surprises are: fewer FLOPs do not always mean less time."
    ),
    # presets: a button label and the one idea each tells
    "cost.preset.not_8x_faster": "Why not 8× faster?",
    "cost.preset.not_8x_faster.idea": (
        "128 → 128 channels, 3×3: the separable layer needs about 8× fewer FLOPs than the standard one "
        "(1/C_out + 1/k²). Press Measure: its time shrinks far less, because the depthwise stage waits "
        "on memory, not on arithmetic."
    ),
    "cost.preset.dilation_slows_depthwise": "Dilation slows depthwise",
    "cost.preset.dilation_slows_depthwise.idea": (
        "FLOPs do not change with the dilation. Run the dilation sweep: the depthwise layer gets slower "
        "as d grows (on CPUs it jumps from d = 7), while the standard layer barely moves."
    ),
    "cost.preset.pointwise_dominates": "1×1 dominates",
    "cost.preset.pointwise_dominates.idea": (
        "256 → 256 channels: the 1×1 pointwise stage holds C_out/(C_out + k²) = 97 % of the separable "
        "layer's weights and MACs. Making the k×k part cheaper still would gain almost nothing."
    ),
    "cost.preset.same_rf_three_ways": "Same field, three ways",
    "cost.preset.same_rf_three_ways.idea": (
        "A 7×7 view: one dense 7×7 kernel, a 3×3 at dilation 3, or three stacked 3×3 layers (and the "
        "separable 3×3 at d = 3). Compare their weights, MACs and time under 'Same receptive field'."
    ),
    # inputs
    "cost.input_and_layer": "Input and layer",
    "cost.h": "Height H",
    "cost.h_help": "Input height in pixels (1 to 4096).",
    "cost.w": "Width W",
    "cost.w_help": "Input width in pixels (1 to 4096).",
    "cost.c_in_help": "Input channels (1 to 4096).",
    "cost.batch": "Batch",
    "cost.batch_help": "Images per forward pass (1 to 1024).",
    "cost.c_out_help": "Output channels of the standard, pointwise and separable layers.",
    "cost.k": "Kernel size k",
    "cost.k_help": "Side of the k×k kernel (1 to 15).",
    "cost.d": "Dilation d",
    "cost.d_help": "Spacing of the taps (1 to 32); the pointwise layer has none.",
    "cost.s": "Stride s",
    "cost.s_help": "Step between outputs (1 to 8). Padding is 'same': ceil(H/s) outputs.",
    "cost.m": "Depth multiplier m",
    "cost.m_help": "Depthwise kernels per input channel (1 to 8).",
    # layer kinds
    "cost.kind.standard": "standard",
    "cost.kind.depthwise": "depthwise",
    "cost.kind.pointwise": "pointwise",
    "cost.kind.separable": "separable",
    "cost.kind_long.standard": "standard k×k",
    "cost.kind_long.depthwise": "depthwise k×k (groups = C_in)",
    "cost.kind_long.pointwise": "pointwise 1×1",
    "cost.kind_long.separable": "separable (depthwise + pointwise)",
    # formula against count
    "cost.formula_vs_count": "Formula against count",
    "cost.col.layer": "layer",
    "cost.col.output": "output (B, C, H, W)",
    "cost.col.params_formula": "params (formula)",
    "cost.col.params_numel": "params (numel)",
    "cost.col.macs_formula": "MACs (formula)",
    "cost.col.flops_formula": "FLOPs = 2×MACs (formula)",
    "cost.col.flops_counted": "FLOPs (flop_counter)",
    "cost.col.equal": "equal",
    "cost.agree": (
        "Formula and count agree for every layer: params = numel of the module's weights, "
        "FLOPs = 2 × MACs as torch.utils.flop_counter counts them."
    ),
    "cost.disagree": "Formula and count differ for this shape; please report the settings.",
    "cost.flops_note": (
        "FLOPs here are **2 × MACs** (a multiply-add is two operations), the convention of "
        "torch.utils.flop_counter; biases are not counted. Only the *forward* count is shown: the "
        "counter's backward count of grouped (depthwise) convolutions ignores the groups and comes out "
        "{c_in}× too large for the weight gradient, so it is never used here."
    ),
    "cost.formulas": "The formulas with your numbers",
    "cost.formulas_caption": (
        "Output size with 'same' padding, effective kernel size, weights and MACs of each layer, and the "
        "ratio of the separable layer to the standard one, evaluated with the values above."
    ),
    # measured
    "cost.measured": "Measured on this machine",
    "cost.device": "Device",
    "cost.device_help": "Where to run the layers. 'auto' is the app's device (CUDA, then Apple MPS, then CPU).",
    "cost.device_auto": "auto ({device})",
    "cost.dtype": "Data type",
    "cost.dtype_help": (
        "float32, or the 16-bit types this device runs convolutions in (probed once). CPUs mostly "
        "emulate float16, so it is slow there."
    ),
    "cost.format": "Memory format",
    "cost.format_help": (
        "contiguous = NCHW (PyTorch's default); channels_last = NHWC, often 2–3× faster for "
        "depthwise and pointwise layers on CPUs and for 16-bit types on GPUs."
    ),
    "cost.format.contiguous": "contiguous",
    "cost.format.channels_last": "channels_last",
    "cost.threads": "CPU threads (0 = all)",
    "cost.threads_help": (
        "Intra-op threads during the measurement. 1 (the default) keeps timings steady when other "
        "programs share the CPU: with more threads, one thread held up by another program stalls "
        "the others. 0 uses torch's setting ({n} here)."
    ),
    "cost.cuda_timing": "Timed with CUDA events after a synchronisation.",
    "cost.timing_settings": "Timing settings",
    "cost.warmup": "Warm-up runs",
    "cost.warmup_help": "Untimed runs first (caches, allocator, kernels).",
    "cost.repeats": "Timed runs (at most)",
    "cost.repeats_help": "Runs kept for the median and spread.",
    "cost.budget": "Time budget per layer (s)",
    "cost.budget_help": "Stop timing a layer after this many seconds (but keep at least 3 runs).",
    "cost.memory_peak": "The largest of these layers needs about **{size}** at its peak ",
    "cost.memory_free": "of **{free}** free on {device}",
    "cost.memory_refusal": (
        ". A layer that would not fit in half of the free memory, or that would take too long, is not "
        "started: it shows why instead."
    ),
    "cost.measure": "Measure on {device}",
    "cost.measure_help": (
        "Time the four layers and the same-receptive-field options. Results are cached per "
        "device, dtype and shape."
    ),
    "cost.measure_again": "Measure again",
    "cost.measure_again_help": "Forget the cached timings and measure afresh (timings vary from run to run).",
    "cost.measuring": "Measuring",
    "cost.not_measured": "not measured: {reason}",
    "cost.failed": "failed: {reason}",
    "cost.clamped": "{name} goes from {low} to {high}: {typed} was set to {used}.",
    "cost.no_reason": "the library gave no reason",
    "cost.press_measure": (
        "Press **Measure on {device}** to time these layers ({n} of them, "
        "{warmup} warm-up + up to {repeats} timed runs each). Changing any input above asks for a "
        "fresh measurement."
    ),
    "cost.col.median_ms": "median ms",
    "cost.col.iqr_ms": "25–75 % ms",
    "cost.col.range_ms": "min – max ms",
    "cost.col.runs": "runs",
    "cost.col.note": "note",
    "cost.noisy": (
        "{n} of {total} timings are noisy (their middle half spans more than 1.5×): "
        "another program was competing for the device. Use 1 CPU thread, close other programs, "
        "or press Measure again."
    ),
    "cost.thread_note": ", {n} CPU thread(s)",
    "cost.cuda_events": " (CUDA events)",
    "cost.measured_caption": (
        "{device}, {dtype}, {format}{threads}; batch {batch}. "
        "Median of the timed runs after {warmup} warm-up runs, each synchronised{events}; the spread is "
        "the middle half (25–75 %) and the extremes. GFLOP/s = counted forward "
        "FLOPs ÷ median; GB/s = the least memory traffic (read input and weights once, write the "
        "output once, plus the intermediate of the separable layer) ÷ median."
    ),
    "cost.list_sep": ", ",
    "cost.intensity_item": "{kind} {value:.1f}",
    "cost.why_bars_differ": (
        "**Why the bars differ.** A layer is limited either by arithmetic or by memory. Its "
        "*arithmetic intensity* (FLOPs per byte moved) says which: {values} FLOP/byte here. A depthwise "
        "layer does only 2k² FLOPs per output value it writes, so it waits on memory (its GB/s is the "
        "number to watch), while a standard layer reuses each loaded value C_out times and keeps the "
        "arithmetic units busy. That is why a separable layer with many times fewer FLOPs is rarely "
        "that many times faster."
    ),
    # same receptive field
    "cost.same_rf": "Same receptive field, different cost",
    "cost.same_rf_intro": (
        "A {k}×{k} kernel at dilation {d} spans **{e}×{e}** pixels. Four ways to see that far: "
        "one dense {e}×{e} kernel, the dilated {k}×{k}, a stack of {n} undilated 3×3 "
        "layers (each adds 2 pixels of reach) and the depthwise-separable dilated {k}×{k} (stride 1)."
    ),
    "cost.reach.dense": "dense {e}×{e}",
    "cost.reach.dilated": "dilated {k}×{k}, d = {d}",
    "cost.reach.stack": "{n} × 3×3 stack",
    "cost.reach.separable": "separable {k}×{k}, d = {d}",
    "cost.col.way": "way",
    "cost.col.layers": "layers",
    "cost.col.extent": "extent (px)",
    "cost.col.params": "params",
    "cost.col.macs": "MACs",
    "cost.same_rf_caption": (
        "The extent is the span of input pixels one output can see (the stack reaches one pixel further "
        "when the span is even). Dilation reaches as far as the dense kernel with k² instead of "
        "{e}² weights, but leaves holes between its taps; the stack fills them with depth. "
    ),
    "cost.time_after_measure": "Time appears after a measurement.",
    # sweeps
    "cost.sweeps": "Sweeps",
    "cost.ratio_caption": (
        "Weights and MACs of the separable layer over the standard layer's (the same ratio), from "
        "dsdcn.conv_cost, with its two terms dashed: m/C_out (the depthwise stage's share) and m/k² "
        "(the pointwise stage's share). The saving grows with k and with C_out until the other term "
        "takes over; the vertical line marks your setting."
    ),
    "cost.dilation_sweep": "Latency against dilation: where FLOPs stop predicting time",
    "cost.dilation_sweep_intro": (
        "Depthwise ({c_in}→{c_in}) and standard ({c_in}→{c_out}) {k}×{k} layers on the input above "
        "at dilations 1 to the maximum below. Their FLOPs do not change with d, so by FLOPs the lines "
        "would be flat."
    ),
    "cost.max_d": "Largest dilation",
    "cost.max_d_help": "The sweep runs d = 1 … this (2 to 32).",
    "cost.run_sweep": "Run the dilation sweep",
    "cost.run_sweep_help": "{n} measurements with the settings above.",
    "cost.sweeping": "Sweeping",
    "cost.sweep_item": "{kind} d = {d}",
    "cost.press_sweep": "Press **Run the dilation sweep** to time {n} layers on {device}.",
    "cost.sweep_noisy": (
        "{n} of these {total} timings are noisy (their middle half spans more than "
        "1.5×): another program was competing for the device. Use 1 CPU thread or run the "
        "sweep again."
    ),
    "cost.sweep_refused": "{n} of the sweep's layers were not measured: {reason}",
    "cost.slowdown_item": "{kind} up to {x:.1f}× its d = 1 time",
    "cost.sweep_shows": (
        "**What the sweep shows.** Measured here: {summary}, with identical FLOPs at every d. "
        "A standard convolution is compute-bound: its kernels reuse every loaded value across all "
        "output channels, and dilation only changes which addresses are read, so its time barely "
        "moves. A depthwise convolution is memory-bound (a few FLOPs per byte), so how it walks "
        "memory decides its speed: "
    ),
    "cost.sweep_cpu": (
        "on CPUs, oneDNN's fast depthwise kernel for the NCHW layout handles dilations up to 6; from d = 7 "
        "PyTorch falls back to a slower path (2.5–5× slower on an AVX2 AMD EPYC) for exactly the same "
        "arithmetic. The next section times exact algorithms that avoid it (space-to-batch: undilated "
        "convolutions on the d×d phase grids)."
    ),
    "cost.sweep_gpu": (
        "on GPUs the library (cuDNN) picks different kernels for different dilations, and "
        "wider gaps scatter the reads over more cache lines."
    ),
    "cost.sweep_moral": " Count FLOPs to compare designs; measure to know the time.",
    # figures
    "cost.fig.ratio_axis": "ratio (log scale)",
    "cost.fig.log_scale_of": "÷ {name} (log scale)",
    "cost.fig.dilation_axis": "dilation d",
    "cost.fig.ms_axis": "ms",
    "cost.fig.relative_axis": "relative to d = 1",
    "cost.fig.share_flops": "share of FLOPs",
    "cost.fig.share_time": "share of time",
    "cost.fig.time_flops_title": "FLOPs and time, each as a share of the standard layer's",
    "cost.fig.weights": "weights",
    "cost.fig.time": "time",
    "cost.fig.same_rf_title": "Weights, MACs and time, each as a share of the dense kernel's",
    "cost.fig.ratio_name": "separable ÷ standard",
    "cost.fig.k_axis": "kernel size k",
    "cost.fig.c_out_axis": "C_out (log scale)",
    "cost.fig.ratio_k_title": "Separable ÷ standard against k (C_out = {c_out}, m = {m})",
    "cost.fig.ratio_cout_title": "Separable ÷ standard against C_out (k = {k}, m = {m})",
    "cost.fig.onednn_mark": "d ≥ 7: oneDNN's slower depthwise path",
    "cost.fig.latency_panel": "latency (median, bars: 25–75 %)",
    "cost.fig.relative_panel": "time ÷ time at d = 1",
    "cost.fig.flops_flat": "FLOPs (same for every d)",
    # the room's budget (dsdcn.budget): a press estimated past it measures nothing
    "cost.too_heavy": (
        "**Not measured: too heavy for a shared server.** These {n} measurements would take about "
        "{seconds} s and {memory} of memory; one request may take at most {limit_s} s and {limit_mem}. {fix}"
    ),
    "cost.fix_measure": (
        "Lower the warm-up runs, the runs or the time per layer (Timing settings), or use a smaller "
        "H × W, batch or channel count."
    ),
    "cost.fix_sweep": (
        "Lower the largest dilation, the warm-up runs or the time per layer (Timing settings), or use a "
        "smaller H × W or channel count."
    ),
    "cost.busy": "The server is busy with other measurements; try again in a moment.",
}
