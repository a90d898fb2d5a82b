"""Depthwise separable page."""

STRINGS: dict[str, str] = {
    "depthwise_separable.title": "Depthwise separable",
    "depthwise_separable.intro": (
        "A standard convolution gives **every output channel its own k×k kernel on every input channel**. "
        "A depthwise-separable layer splits that work in two: a **depthwise** stage (one k×k kernel per "
        "input channel, `groups = C_in`, applied to that channel only; a depth multiplier `m` gives each "
        "channel `m` kernels) and a **pointwise** stage (a 1×1 convolution that mixes the `C_in·m` "
        "channels into `C_out`). Dilation spaces the taps of the depthwise kernel apart: it reaches "
        "further with the same weights."
    ),
    # presets
    "depthwise_separable.preset.why_cheap": "Why it is cheap",
    "depthwise_separable.preset.why_cheap.idea": (
        "64 → 64 channels, 3×3: the separable layer needs 1/64 + 1/9 ≈ 12.7% of the weights and "
        "multiply-adds, about 8× fewer."
    ),
    "depthwise_separable.preset.k1_no_gain": "k = 1 gains nothing",
    "depthwise_separable.preset.k1_no_gain.idea": (
        "With a 1×1 kernel there is nothing to split: the depthwise stage only adds weights, so the "
        "separable layer costs more than the standard one (1/C_out + 1 > 1)."
    ),
    "depthwise_separable.preset.more_outputs": "More outputs, more saving",
    "depthwise_separable.preset.more_outputs.idea": (
        "With 512 output channels the 1/C_out term almost vanishes: the saving nears its limit of k² = 9× "
        "for a 3×3 kernel."
    ),
    "depthwise_separable.preset.depth_multiplier": "Depth multiplier",
    "depthwise_separable.preset.depth_multiplier.idea": (
        "m = 4 kernels per input channel multiply both terms by 4: the separable layer now costs about half "
        "of the standard one; 1/C_out + 1/k² holds for m = 1 only."
    ),
    "depthwise_separable.preset.dilation_free": "Dilation is free",
    "depthwise_separable.preset.dilation_free.idea": (
        "Dilation 4 spreads the same 3×3 weights over 9×9 pixels: the reach grows, the weights and "
        "multiply-adds stay exactly the same."
    ),
    # controls
    "depthwise_separable.c_in": "C_in (input channels)",
    "depthwise_separable.c_in_help": "Channels of the input, 1 to 512.",
    "depthwise_separable.c_out": "C_out (output channels)",
    "depthwise_separable.c_out_help": "Channels the layer produces, 1 to 512.",
    "depthwise_separable.m": "Depth multiplier m",
    "depthwise_separable.m_help": "Depthwise kernels per input channel (1 to 4).",
    "depthwise_separable.k": "Kernel size k",
    "depthwise_separable.k_help": "Side of the depthwise (and standard) kernel, 1 to 9.",
    "depthwise_separable.d": "Dilation d",
    "depthwise_separable.d_help": "Gap between taps: d − 1 pixels are skipped between them (1 to 8).",
    "depthwise_separable.n": "Input size H = W",
    "depthwise_separable.n_help": (
        "Side of the input image, for the total multiply-adds (stride 1, 'same' padding), 1 to 1024."
    ),
    # stage figures
    "depthwise_separable.stages": "The two stages, channel by channel",
    "depthwise_separable.fig.separable_title": "Depthwise separable",
    "depthwise_separable.fig.standard_title": "Standard",
    "depthwise_separable.fig.input_header": "input<br>C_in<br>= {c_in}",
    "depthwise_separable.fig.depthwise_header": "depth-<br>wise {k}×{k}<br>d = {d}",
    "depthwise_separable.fig.middle_header": "middle<br>C_in·m<br>= {mid}",
    "depthwise_separable.fig.pointwise_header": "pointwise 1×1<br>C_out = {c_out}",
    "depthwise_separable.fig.standard_header": "C_in×C_out = {kernels} kernels<br>{k}×{k}, d = {d}",
    "depthwise_separable.fig.more_inputs": "+{n} more",
    "depthwise_separable.fig.more_outputs": "+{n}",
    "depthwise_separable.fig.tip_input": "input channel {c}",
    "depthwise_separable.fig.tip_depthwise": (
        "depthwise kernel {q}: {k}×{k} at dilation {d}, reads input channel {c} only"
    ),
    "depthwise_separable.fig.tip_middle": "intermediate channel {q} (from input channel {c})",
    "depthwise_separable.fig.tip_pointwise": "pointwise weight P[{o}, {q}]: one number",
    "depthwise_separable.fig.tip_output": "output channel {o} = sum of its column",
    "depthwise_separable.fig.tip_kernel": "kernel W[{o}, {c}]: {k}×{k} at dilation {d}",
    "depthwise_separable.fig.step_input": "input under the taps",
    "depthwise_separable.fig.step_depthwise": "depthwise D{j} (P = {p})",
    "depthwise_separable.fig.step_composed": "composed kernel",
    "depthwise_separable.fig.step_hover": "row %{y}, col %{x}: %{z:.4g}<extra></extra>",
    "depthwise_separable.stages_caption": (
        "Each coloured row is one input channel. **Left:** channel c meets only its own {kernels} "
        "({k}×{k} taps spread over {e}×{e} pixels: the empty cells are the dilation gaps), giving the "
        "middle channels z; the pointwise stage then gives each output y one number (a dot) per middle "
        "channel and sums its column. **Right:** a standard layer needs a full {k}×{k} kernel at every "
        "crossing, {total} kernels in all. At most 8 rows and 8 outputs are drawn; hover for details."
    ),
    "depthwise_separable.kernels_one": "depthwise kernel",
    "depthwise_separable.kernels_many": "{m} depthwise kernels",
    # cost table
    "depthwise_separable.costs": "Weights and multiply-adds",
    "depthwise_separable.col.layer": "layer",
    "depthwise_separable.col.formula": "formula",
    "depthwise_separable.col.weights": "weights",
    "depthwise_separable.col.macs_pixel": "MACs per output pixel",
    "depthwise_separable.col.macs_total": "MACs on {n}×{n}",
    "depthwise_separable.col.share": "÷ standard",
    "depthwise_separable.row.depthwise": "depthwise stage",
    "depthwise_separable.row.pointwise": "pointwise stage",
    "depthwise_separable.row.separable": "depthwise separable (both)",
    "depthwise_separable.row.standard": "standard",
    "depthwise_separable.row.naive": "'separable' without groups (a common bug)",
    "depthwise_separable.costs_caption": (
        "Bias not counted. A multiply-add (MAC) is one multiplication and one addition; FLOP counters "
        "such as torch.utils.flop_counter report 2 FLOPs per MAC. Every output pixel costs the same "
        "number of MACs as there are weights, so the totals are that times {n}×{n} = {pixels} output "
        "pixels ('same' padding, stride 1). The last row is code that calls itself depthwise separable "
        "but forgets `groups = C_in`: two full convolutions, no saving."
    ),
    "depthwise_separable.ratio_label": "Separable costs",
    "depthwise_separable.ratio_value": "{ratio:.1%} of standard",
    "depthwise_separable.ratio_help": (
        "Weights or MACs of the separable layer divided by the standard layer's (the same ratio)."
    ),
    "depthwise_separable.saving_label": "Saving",
    "depthwise_separable.saving_value": "{times:.1f}× fewer",
    "depthwise_separable.saving_value_more": "{times:.1f}× more",
    "depthwise_separable.saving_help": (
        "Standard over separable: how many times fewer weights and multiply-adds (or more, when the "
        "separable layer costs more)."
    ),
    "depthwise_separable.multiplier_caption": (
        "With a depth multiplier m = {m} both terms are multiplied by m: the 1/C_out + 1/k² of most "
        "tutorials holds for m = 1 only."
    ),
    "depthwise_separable.dilation_caption": (
        "Dilation d = {d} changes none of these numbers: the kernel spans {e}×{e} pixels with the same "
        "{k}×{k} weights."
    ),
    # step-through
    "depthwise_separable.step": "One output, computed both ways",
    "depthwise_separable.step_intro": (
        "A separable layer is a standard convolution in disguise: its kernel for output o and input "
        "channel c is the depthwise kernel of c weighted by the pointwise weight, "
        "$W[o,c] = \\sum_j P[o, c\\,m+j]\\,D[c\\,m+j]$. Below, a layer with small integer weights runs on "
        "a small integer input, so every sum is exact and the two ways must agree to the last digit."
    ),
    "depthwise_separable.out_channel": "Output channel o",
    "depthwise_separable.out_channel_help": "Which output channel to compute (0 to C_out − 1).",
    "depthwise_separable.row": "Row",
    "depthwise_separable.row_help": "Output row, 0 to {last} (the input is {size}×{size}).",
    "depthwise_separable.col": "Column",
    "depthwise_separable.col_help": "Output column, 0 to {last}.",
    "depthwise_separable.channel": "Input channel to inspect",
    "depthwise_separable.channel_help": "Which input channel to show in detail (0 to C_in − 1).",
    "depthwise_separable.seed": "Random seed",
    "depthwise_separable.seed_help": "Seed of the integer weights and input (0 to 10000).",
    "depthwise_separable.running": "Running the layer…",
    "depthwise_separable.module_label": "Separable module: y",
    "depthwise_separable.module_help": (
        "dsdcn.DSDilatedConv2d (depthwise then pointwise) run on the input; the value at (o, row, col)."
    ),
    "depthwise_separable.standard_label": "Standard conv with the composed kernel: y",
    "depthwise_separable.standard_help": (
        "An nn.Conv2d whose weight is W[o,c] = Σ_j P[o,cm+j]·D[cm+j], run on the same input."
    ),
    "depthwise_separable.hand_label": "By hand, stage by stage",
    "depthwise_separable.hand_help": "The sums below, from the input values under the taps.",
    "depthwise_separable.agree": "All ways agree: y[{o}, {row}, {col}] = {value}.",
    "depthwise_separable.differ": "The values differ; this should not happen. Please report the settings.",
    "depthwise_separable.taps_caption": (
        "The taps of output ({row}, {col}) read input rows {rows} and columns {cols} (indices outside "
        "0…{last} are 'same' padding and read 0)."
    ),
    "depthwise_separable.col.channel": "input channel c",
    "depthwise_separable.col.middle": "middle z (depthwise outputs)",
    "depthwise_separable.col.pointwise": "pointwise weights P[o, ·]",
    "depthwise_separable.col.sep_sum": "separable: Σ P·z",
    "depthwise_separable.col.std_sum": "standard: Σ W[o,c]·x",
    "depthwise_separable.panel.input": "input x[{c}]<br>under the taps",
    "depthwise_separable.panel.depthwise": "depthwise D[{q}]<br>(P = {p})",
    "depthwise_separable.panel.composed": "composed<br>W[{o},{c}]",
    "depthwise_separable.step_caption": (
        "Input channel {c}: the {k}×{k} input values the taps read, its {kernels} and the composed "
        "standard kernel. Multiply the input with a depthwise kernel and sum: that is z; times P and "
        "summed over the kernels gives {sep}, exactly what the composed kernel gives ({std})."
    ),
}
