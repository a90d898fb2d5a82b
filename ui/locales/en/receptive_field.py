"""Receptive field page."""

STRINGS: dict[str, str] = {
    "receptive_field.title": "Receptive field",
    "receptive_field.intro": (
        "Every output of a stack of convolutions reads a window of the input: its **receptive field**. "
        "Its *extent* grows with every layer — with dilation, fast and without new weights. But the "
        "pixels inside the extent are not all read: with dilation the field can break into **holes** "
        "(gridding), and even where it is whole, the **effective** field — how strongly each pixel moves "
        "the output — is concentrated near the centre. Build a stack, or load a classic one, and see all three."
    ),
    # lesson presets
    "receptive_field.lesson.gridding": "Gridding",
    "receptive_field.lesson.gridding.idea": (
        "Three layers at rate 2 (2, 2, 2): equal rates reach only every second pixel, so 3 of 4 pixels of the field are holes."
    ),
    "receptive_field.lesson.hdc": "HDC fixes it",
    "receptive_field.lesson.hdc.idea": (
        "Rates 1, 2, 5 share no common factor: they fill every hole, and the field still grows to 17."
    ),
    "receptive_field.lesson.wavenet": "WaveNet",
    "receptive_field.lesson.wavenet.idea": (
        "Doubling dilations of kernel 2: 10 causal layers see 1,024 past samples with no holes."
    ),
    "receptive_field.lesson.context": "Context",
    "receptive_field.lesson.context.idea": (
        "The context module (1, 1, 2, 4, 8, 16, 1): exponential dilations grow the field to 67 in 7 layers, yet the gradient stays near the centre."
    ),
    "receptive_field.lesson.aspp": "ASPP",
    "receptive_field.lesson.aspp.idea": (
        "ASPP (rates 6, 12, 18 after output stride 16): the widest branch's taps are 288 pixels apart and leave holes between them."
    ),
    # classic stacks
    "receptive_field.stack.plain": "Plain 3×3 ×4",
    "receptive_field.stack.plain.text": "Four undilated 3×3 convs: the extent grows by 2 per layer, no holes.",
    "receptive_field.stack.gridding": "Gridding 2, 2, 2",
    "receptive_field.stack.gridding.text": "Three 3×3 convs at dilation 2: only even offsets reach the output.",
    "receptive_field.stack.hdc": "HDC 1, 2, 5",
    "receptive_field.stack.hdc.text": (
        "Hybrid Dilated Convolution (Wang et al., 2018): rates chosen so no holes remain."
    ),
    "receptive_field.stack.sawtooth": "Sawtooth (1, 2, 5)×2",
    "receptive_field.stack.sawtooth.text": "The HDC group repeated, as in a deeper network.",
    "receptive_field.stack.context": "Context module",
    "receptive_field.stack.context.text": "Yu & Koltun (2016): 3×3 convs at dilations 1, 1, 2, 4, 8, 16, 1.",
    "receptive_field.stack.wavenet": "WaveNet 1D",
    "receptive_field.stack.wavenet.text": (
        "Causal 1D convs of kernel 2 at dilations 1, 2, 4, …, 512 (van den Oord et al., 2016)."
    ),
    "receptive_field.stack.aspp": "ASPP 6, 12, 18",
    "receptive_field.stack.aspp.text": (
        "A ResNet-like trunk with output stride 16, then parallel 3×3 branches at rates 6, 12, 18 (DeepLab v3)."
    ),
    "receptive_field.stack.vgg": "VGG-16",
    "receptive_field.stack.vgg.text": (
        "3×3 convs with 2×2 max pooling (stride 2), up to conv5_3 (Simonyan & Zisserman, 2015)."
    ),
    # 1 · the stack
    "receptive_field.stack.header": "1 · The stack",
    "receptive_field.stack.caption": (
        "One click loads a classic stack; then edit any cell, add rows at the bottom or delete rows."
    ),
    "receptive_field.mode": "Mode",
    "receptive_field.mode.2D": "2D",
    "receptive_field.mode.1D": "1D",
    "receptive_field.mode_help": (
        "2D: square kernels on an image (the 2D field is the outer product of the 1D one). 1D: a sequence model."
    ),
    "receptive_field.causal": "Causal padding",
    "receptive_field.causal_help": (
        "1D only: every layer pads d·(k−1) on the left, so output t sees only inputs up to t "
        "(the padding column is then not used)."
    ),
    "receptive_field.branches": "Parallel branches after the stack (ASPP rates)",
    "receptive_field.branches_placeholder": "e.g. 6, 12, 18",
    "receptive_field.branches_help": (
        "Rates of parallel 3×3 branches read after the last layer, as in ASPP (DeepLab). "
        "Leave empty for a plain stack."
    ),
    "receptive_field.branches_ignored": "Branch rates ignored: use whole numbers from 1 to 4096, at most 8, separated by commas.",
    "receptive_field.col.kind": "kind",
    "receptive_field.col.kind_help": "conv or pool (average/max pooling)",
    "receptive_field.col.kernel": "kernel",
    "receptive_field.col.kernel_help": "kernel size k",
    "receptive_field.col.stride": "stride",
    "receptive_field.col.stride_help": "stride s",
    "receptive_field.col.dilation": "dilation",
    "receptive_field.col.dilation_help": "dilation d (pooling too)",
    "receptive_field.col.padding": "padding",
    "receptive_field.col.padding_help": "padding p on each side: it moves the field, not its shape",
    "receptive_field.row_left_out": (
        "Row {row} (counted from the top) is left out: {message}. The other rows still count."
    ),
    "receptive_field.csv": "Download CSV",
    "receptive_field.csv_help": (
        "The layer table with the extent, effective stride and effective padding after each layer, "
        "for slides or a spreadsheet."
    ),
    "receptive_field.link_help": (
        "The link keeps the table as a short code, one token per layer: c3d2 (conv 3, dilation 2), "
        "c3s2 (stride 2), p2s2 (pool 2, stride 2), z for padding other than 'same'."
    ),
    "receptive_field.empty": "The stack is empty: add a row to the table or load a preset.",
    "receptive_field.too_large": "This stack is too large to draw: use fewer or smaller layers.",
    "receptive_field.conv": "conv",
    "receptive_field.pool": "pool",
    # 2 · growth
    "receptive_field.growth.header": "2 · How far the field reaches",
    "receptive_field.growth.text": (
        "Each layer widens the field by its effective kernel minus one, **measured in input pixels**: "
        "a layer after a stride sees its input through the jump $j$ of the layers below."
    ),
    "receptive_field.growth.figure": "Extent and stride per layer",
    "receptive_field.growth.col.layer": "layer",
    "receptive_field.growth.col.k_eff": "k_eff",
    "receptive_field.growth.col.jump_in": "j in",
    "receptive_field.growth.col.term": "adds d(k−1)j",
    "receptive_field.growth.col.extent": "extent r",
    "receptive_field.growth.col.stride": "stride j",
    "receptive_field.growth.col.padding": "padding P",
    "receptive_field.growth.col.holes": "holes (1D)",
    "receptive_field.growth.caption": (
        r"$k_\mathrm{eff} = d\,(k-1)+1$; the padding $P = \sum_l p_l\, j_{l-1}$ says where the field "
        r"starts (offset $-P$)."
    ),
    # 3 · coverage
    "receptive_field.coverage.header": "3 · Which input pixels reach one output",
    "receptive_field.coverage.text": (
        "Count the **paths** from each input pixel to one output through the stack: a pixel with no "
        "path is a **hole** — it lies inside the extent but never influences the output (gridding). "
        "The counts are exact integers (a convolution of the layers' tap combs)."
    ),
    "receptive_field.coverage.cells_2d": " (each cell is {block}×{block} input pixels)",
    "receptive_field.coverage.cells_1d": " (each cell is {block} input pixels)",
    "receptive_field.coverage.figure_2d": "Paths from each input pixel to one output{cells}",
    "receptive_field.coverage.figure_1d": "Paths from each input offset, layer by layer{cells}",
    "receptive_field.coverage.caption": (
        "Colour: number of paths on a log scale; red: holes; grey: outside the field. Press ▶ to watch the "
        "field grow layer by layer, or drag the slider."
    ),
    "receptive_field.coverage.caption_cells": (
        " A cell is drawn red only when all its pixels are holes; the counts below are exact."
    ),
    "receptive_field.coverage.caption_frames": " {shown} of the {total} layers are shown as frames.",
    "receptive_field.coverage.area_2d": "{extent}×{extent} = {pixels} pixels",
    "receptive_field.coverage.area_1d": "{extent} offsets",
    "receptive_field.coverage.no_gridding": (
        "**No gridding.** Every one of the {area} of the extent reaches the output."
    ),
    "receptive_field.coverage.more_runs": " and {n} more runs",
    "receptive_field.coverage.what_2d": (
        "{holes} of the {extent} offsets per axis are holes: {holes_2d} of the {pixels} pixels of the 2D "
        "field ({share:.0%}) never reach the output."
    ),
    "receptive_field.coverage.what_1d": "{holes} of the {extent} offsets ({share:.0%}) never reach the output.",
    "receptive_field.coverage.gridding": "**Gridding.** {what} Holes at offsets {runs}{more}.",
    # 4 · effective field
    "receptive_field.erf.header": "4 · What the gradient sees: the effective receptive field",
    "receptive_field.erf.text": (
        "Luo et al. (2016): run the stack, take **one output** and back-propagate to the input. The "
        "gradient magnitude says how much each input pixel moves that output. It is not uniform: for a deep "
        "stack of plain 3×3 layers it is close to a Gaussian that fills only a small part of the extent "
        "(its width grows like √n, the extent like n). Dilation spreads it out; holes get nothing. With "
        "uniform weights and no ReLU the gradient *is* the path count; random weights and ReLU change it."
    ),
    "receptive_field.erf.weights": "Weights",
    "receptive_field.erf.weights.uniform": "uniform (all equal)",
    "receptive_field.erf.weights.random": "random (PyTorch's default init)",
    "receptive_field.erf.weights_help": (
        "Uniform: every weight 1/C, so the gradient equals the path count exactly. Random: "
        "U(−b, b), b = 1/√(C·k²), from a seeded generator."
    ),
    "receptive_field.erf.relu": "ReLU",
    "receptive_field.erf.relu_help": "A ReLU after every conv but the last; the gradient then depends on the input.",
    "receptive_field.erf.channels": "Channels",
    "receptive_field.erf.channels_help": "Channels C of every layer.",
    "receptive_field.erf.samples": "Networks averaged",
    "receptive_field.erf.samples_help": (
        "The gradient is averaged over this many independent networks, each with its own random "
        "weights and random normal input (one network when nothing is random)."
    ),
    "receptive_field.erf.seed": "Seed",
    "receptive_field.erf.seed_help": "Seed of the weights and inputs.",
    "receptive_field.erf.too_large_2d": (
        "The extent is {extent}×{extent} pixels: too large for an interactive backward pass in 2D on "
        "this device (at most {limit}×{limit}, {budget} multiply-adds). The effective field is "
        "computed for the 1D version of the stack (one axis)."
    ),
    "receptive_field.erf.too_costly": (
        "The backward pass would take {cost} multiply-adds, more than {budget} for an interactive "
        "answer on this device: use fewer channels or networks, or a smaller stack. The exact coverage "
        "above does not depend on it."
    ),
    "receptive_field.erf.spinner": "Backward pass on {device}…",
    "receptive_field.erf.pixels": "pixels",
    "receptive_field.erf.offsets": "offsets",
    "receptive_field.erf.extent": "Extent",
    "receptive_field.erf.extent_help": "The receptive field's extent r (pixels per axis).",
    "receptive_field.erf.mass_gradient": "{mass:.0%} of |gradient| in",
    "receptive_field.erf.mass_gradient_help": (
        "The smallest share of the input {area} (largest gradients first) that holds 95% of the gradient mass."
    ),
    "receptive_field.erf.mass_paths": "{mass:.0%} of the paths in",
    "receptive_field.erf.mass_paths_help": (
        "The same for the exact path counts (what uniform weights without ReLU give), as a share of the {area}."
    ),
    "receptive_field.erf.cover_map": "Exact coverage (paths)",
    "receptive_field.erf.erf_map": "Effective field |∂y/∂x|",
    "receptive_field.erf.maps_caption": (
        "Left: exact path counts (log colour, red holes). Right: gradient magnitude on a linear scale "
        "(share of its maximum, white = 0); the orange line encloses the pixels that hold 95% of it."
    ),
    "receptive_field.erf.mirror_2d": (
        " The gradient map is the mean of its 8 mirror images (flips and transposes): the expected field "
        "of these square kernels has those symmetries, so the mean keeps its shape and averages away the "
        "noise of the random draws, as 8× more networks would."
    ),
    "receptive_field.erf.mirror_1d": (
        " The gradient is the mean of the profile and its mirror image: the expected field is symmetric, "
        "so this averages away noise of the random draws, as twice the networks would."
    ),
    "receptive_field.erf.maps_cells": " Each cell is {block}×{block} input pixels.",
    "receptive_field.erf.profile": "Path count and gradient along the field (each scaled to its maximum)",
    "receptive_field.erf.profile_caption": (
        "Purple: exact path counts; green: gradient magnitude; red crosses: holes; shaded: the "
        "offsets that together hold 95% of the gradient."
    ),
    "receptive_field.erf.one_network": "1 network",
    "receptive_field.erf.networks": "averaged over {n} networks",
    "receptive_field.erf.run_caption": (
        "Backward pass of {layers} layers × {channels} channels on an input of {size} ({networks}) on "
        "**{device}**: {ms:.0f} ms. Pooling layers are averaged (the gradient of max pooling picks one "
        "pixel per window and depends on the input)."
    ),
    # 5 · HDC
    "receptive_field.hdc.header": "5 · The HDC rule against the exact coverage",
    "receptive_field.hdc.text": (
        "Wang et al. (2018) give a rule for choosing rates $r_1, …, r_n$ of $K×K$ layers without holes: "
        "$M_i$ is the largest gap between reached pixels, computed from the top layer down; the goal is "
        "$M_2 \\le K$. The rule assumes $r_1 = 1$ and was derived for 3×3 kernels."
    ),
    "receptive_field.hdc.no_holes": "no holes",
    "receptive_field.hdc.holes": "{n} holes per axis",
    "receptive_field.hdc.scope": (
        "The HDC rule covers stride-1 stacks of one kernel size; this stack is out of its scope "
        "because {scope}. The exact coverage above is the verdict: {truth}."
    ),
    "receptive_field.hdc.two_layers": "The rule needs at least two layers.",
    "receptive_field.hdc.passes": "passes",
    "receptive_field.hdc.fails": "fails",
    "receptive_field.hdc.agree": "The rule and the exact coverage agree: {truth}.",
    "receptive_field.hdc.why_r1": "the rule assumes r₁ = 1, here r₁ = {r1}",
    "receptive_field.hdc.why_factor": "all rates share the factor {factor}, so only its multiples are reached",
    "receptive_field.hdc.why_kernel": "the rule was derived for 3×3 kernels, here K = {k}",
    "receptive_field.hdc.disagree_pass": (
        "**The rule and the coverage disagree.** The rule passes, but the exact coverage has {truth}{why}. "
        "The coverage is the truth."
    ),
    "receptive_field.hdc.disagree_fail": (
        "**The rule and the coverage disagree.** The rule fails, but the exact coverage has no holes: "
        "the rule is sufficient, not necessary (it depends on the order of the layers, while the "
        "coverage of a stride-1 stack does not){why}. The coverage is the truth."
    ),
    "receptive_field.hdc.fail_kernel": "; it was derived for 3×3 kernels, here K = {k}",
    # 6 · branches
    "receptive_field.branch.header": "{n} · Parallel branches (ASPP)",
    "receptive_field.branch.text": (
        "After the stack (output stride {jump}), parallel 3×3 branches at rates {rates} read the same "
        "features; their taps are rate × {jump} input pixels apart. A branch has holes when that gap "
        "exceeds the field of the stack below it. (DeepLab also adds a 1×1 branch, whose field is the "
        "stack's, and image pooling, whose field is the whole image.)"
    ),
    "receptive_field.branch.error": "Branches not shown: the branches' field is too large to compute ({error}).",
    "receptive_field.branch.col.branch": "branch",
    "receptive_field.branch.col.gap": "tap gap (pixels)",
    "receptive_field.branch.col.extent": "extent",
    "receptive_field.branch.col.holes": "holes per axis",
    "receptive_field.branch.col.holes_2d": "holes in 2D",
    "receptive_field.branch.rate": "rate {rate}",
    "receptive_field.branch.all": "all branches",
    "receptive_field.branch.figure": "Field of each branch, and of all of them read together (one shared grid)",
    "receptive_field.branch.cells": "Each cell is {block}×{block} input pixels; red cells are all holes. ",
    "receptive_field.branch.caption": (
        "Read together, a pixel counts when some branch reaches both its row and its column, so "
        "the union can have holes in 2D (its corners and edges) even when every offset is reached along "
        "one axis."
    ),
    # 7 · suggestion
    "receptive_field.sug.header": "{n} · Suggest a schedule",
    "receptive_field.sug.text": (
        "For $n$ stride-1 layers of kernel $K$ with dilations up to $d_{\\max}$: the schedule with **no "
        "holes** and the **largest extent**, found by a branch-and-bound search checked with exact coverage."
    ),
    "receptive_field.sug.layers": "Layers n",
    "receptive_field.sug.layers_help": "Number of layers.",
    "receptive_field.sug.kernel": "Kernel K",
    "receptive_field.sug.kernel_help": "Kernel size of every layer.",
    "receptive_field.sug.dmax": "Largest dilation",
    "receptive_field.sug.dmax_help": "No dilation above this.",
    "receptive_field.sug.error": "No suggestion for these settings ({error}).",
    "receptive_field.sug.rule": " HDC rule: M₂ = {m2} ({verdict}).",
    "receptive_field.sug.result": (
        "**Dilations {dilations}** — extent {extent} with no holes ({visited} prefixes visited).{rule}"
    ),
    "receptive_field.sug.caption": (
        "The coverage of a stride-1 stack does not depend on the order of its layers, so the schedule is "
        "listed in ascending order."
    ),
    "receptive_field.sug.apply": "Apply this schedule",
    "receptive_field.sug.apply_help": "Replace the stack above with this schedule.",
    # figures
    "receptive_field.fig.hole": "hole",
    "receptive_field.fig.paths": "paths",
    "receptive_field.fig.hover_2d": (
        "offset x %{x}, y %{y}<br>log₁₀ paths %{z:.2f} (below 0: hole)<extra></extra>"
    ),
    "receptive_field.fig.hover_1d": "offset %{x}<br>%{y}<br>log₁₀ paths %{z:.2f} (below 0: hole)<extra></extra>",
    "receptive_field.fig.play": "▶ Play",
    "receptive_field.fig.pause": "❚❚ Pause",
    "receptive_field.fig.after_layer": "after layer ",
    "receptive_field.fig.offset_x_px": "input offset x (pixels)",
    "receptive_field.fig.offset_y_px": "input offset y (pixels)",
    "receptive_field.fig.offset_x": "input offset x",
    "receptive_field.fig.offset_y": "input offset y",
    "receptive_field.fig.offset_1d": "input offset (pixels, relative to the output)",
    "receptive_field.fig.gradient": "|gradient|",
    "receptive_field.fig.hover_erf": "offset x %{x}, y %{y}<br>|gradient| %{z:.3f} of max<extra></extra>",
    "receptive_field.fig.mass": "95% of the gradient",
    "receptive_field.fig.path_count": "path count (exact)",
    "receptive_field.fig.erf_line": "|gradient| (effective field)",
    "receptive_field.fig.share": "share of the maximum",
    "receptive_field.fig.extent": "extent r (pixels)",
    "receptive_field.fig.stride": "effective stride j",
    # the room's budget (dsdcn.budget)
    "receptive_field.erf.too_wide": (
        "**The effective field is not computed:** this stack's field is {extent} pixels wide, and the "
        "gradient is computed for fields up to {limit} pixels per axis in {ndim}D. Use fewer strided "
        "layers, smaller strides or smaller dilations; the extent and coverage above are exact at any size."
    ),
    "receptive_field.erf.too_heavy": (
        "**The effective field is not computed: too heavy for a shared server.** It would take about "
        "{seconds} s and {memory} of memory; one request may take at most {limit_s} s and {limit_mem}. "
        "Lower the channels or the networks, or use a smaller stack."
    ),
}
