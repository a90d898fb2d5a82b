"""Sampling grid page."""

STRINGS: dict[str, str] = {
    "sampling_grid.title": "Sampling grid",
    "sampling_grid.tagline": "Where does each weight of a dilated kernel read?",
    "sampling_grid.intro": (
        "Pick the kernel size, dilation, stride and padding; watch the taps slide over the input and "
        "the output fill in."
    ),
    # presets
    "sampling_grid.preset.dilation_skips": "Dilation gaps",
    "sampling_grid.preset.dilation_skips.idea": (
        "The same 3 weights at dilation 1 and 3: the span grows from 3 to 7 pixels, the taps leave gaps."
    ),
    "sampling_grid.preset.same_padding": "Same size",
    "sampling_grid.preset.same_padding.idea": (
        "'same' pads d·(k−1) cells in total, so with stride 1 the output is as large as the input."
    ),
    "sampling_grid.preset.stride_skips": "Stride skips",
    "sampling_grid.preset.stride_skips.idea": (
        "A stride larger than the kernel's span jumps over inputs: half of the pixels reach no output."
    ),
    "sampling_grid.preset.shared_factor": "Shared factor",
    "sampling_grid.preset.shared_factor.idea": (
        "Stride 2 and dilation 2: every tap lands on an even pixel, the odd ones are never read."
    ),
    "sampling_grid.preset.reflect_padding": "Reflect copies",
    "sampling_grid.preset.reflect_padding.idea": (
        "With reflect padding a tap outside the input reads a mirrored real pixel instead of a zero."
    ),
    # controls
    "sampling_grid.dims": "Dimensions",
    "sampling_grid.dims_help": (
        "1D: a row of pixels (like audio or text). 2D: an image; each axis has its own settings."
    ),
    "sampling_grid.tied": "Tie axes",
    "sampling_grid.tied_help": "On: rows and columns share every setting (square kernel). Off: set them per axis.",
    "sampling_grid.view": "View",
    "sampling_grid.view_help": (
        "Animate: the kernel slides over every output (Play/Pause, step slider). "
        "Pick a cell: choose one output and see where its taps read and the values they add up. "
        "Pick a pixel: choose one input pixel and see every output that reads it."
    ),
    "sampling_grid.view.animate": "Animate",
    "sampling_grid.view.pick": "Pick a cell",
    "sampling_grid.view.reads": "Pick a pixel",
    "sampling_grid.compare": "Compare d = 1",
    "sampling_grid.compare_help": (
        "Show the same kernel at dilation 1 next to your dilation: same weights, different reach."
    ),
    "sampling_grid.mode": "Padding mode",
    "sampling_grid.mode_help": (
        "What padding cells hold: zeros; reflect (mirror without repeating the edge); "
        "replicate (repeat the edge pixel); circular (wrap around). Same names as PyTorch's padding_mode."
    ),
    "sampling_grid.mode.zeros": "zeros",
    "sampling_grid.mode.reflect": "reflect",
    "sampling_grid.mode.replicate": "replicate",
    "sampling_grid.mode.circular": "circular",
    "sampling_grid.axis._r": "Rows (height)",
    "sampling_grid.axis._c": "Columns (width)",
    "sampling_grid.n": "Input size n",
    "sampling_grid.n_help": "Number of input pixels along this axis.",
    "sampling_grid.k": "Kernel size k",
    "sampling_grid.k_help": "Number of taps (weights) along this axis. Even sizes work too.",
    "sampling_grid.d": "Dilation d",
    "sampling_grid.d_help": "Spacing between taps: d − 1 pixels are skipped between neighbouring taps.",
    "sampling_grid.s": "Stride s",
    "sampling_grid.s_help": "How far the kernel moves from one output to the next.",
    "sampling_grid.pad": "Padding",
    "sampling_grid.pad_help": (
        "valid: no padding. same: pad d·(k−1) in total so that stride 1 keeps the size. "
        "custom: choose left and right (top and bottom for rows)."
    ),
    "sampling_grid.pad.valid": "valid",
    "sampling_grid.pad.same": "same",
    "sampling_grid.pad.custom": "custom",
    "sampling_grid.p_left": "p left",
    "sampling_grid.p_right": "p right",
    "sampling_grid.p_top": "p top",
    "sampling_grid.p_bottom": "p bottom",
    "sampling_grid.pl_help": "Padding cells before the first pixel (left, or top for rows).",
    "sampling_grid.pr_help": "Padding cells after the last pixel (right, or bottom for rows).",
    "sampling_grid.pick_index": "Output index",
    "sampling_grid.pick_row": "Output row",
    "sampling_grid.pick_col": "Output column",
    "sampling_grid.pick_r_help": "Row of the output cell whose taps are shown.",
    "sampling_grid.pick_c_help": "Column (1D: index) of the output cell whose taps are shown.",
    "sampling_grid.pick_only": "{label}: 0 (the only one)",
    # problems
    "sampling_grid.where.rows": "rows: ",
    "sampling_grid.where.cols": "columns: ",
    "sampling_grid.fix.d": "dilation **≤ {d}**",
    "sampling_grid.fix.k": "kernel size **≤ {k}**",
    "sampling_grid.fix.n": "input size **≥ {n}**",
    "sampling_grid.fix.n_none": "an input wider than {n_max} pixels (more than this page allows)",
    "sampling_grid.fix.same": "padding **same** (always fits with zeros or replicate)",
    "sampling_grid.fix.mode": "padding mode **zeros** or **replicate** (any amount)",
    "sampling_grid.problem.too_wide": (
        "{where}a {k}-tap kernel at dilation {d} spans **{k_eff} pixels** (d·(k−1)+1 = {d}·{k1}+1), "
        "but the padded input has only **{padded}** ({n} + {pl} + {pr} padding). "
        "No output fits: there is nothing to compute."
    ),
    "sampling_grid.problem.reflect": (
        "{where}**{mode}** padding must be smaller than the input (PyTorch refuses otherwise): "
        "this needs {pad} padding cells on one side for an input of {n}."
    ),
    "sampling_grid.problem.circular": (
        "{where}**{mode}** padding must be at most the input (PyTorch refuses otherwise): "
        "this needs {pad} padding cells on one side for an input of {n}."
    ),
    "sampling_grid.change_one": "Change one of: {fixes}.",
    # titles
    "sampling_grid.title.kernel_1d": "{ks}-tap kernel",
    "sampling_grid.title.kernel_2d": "{ks} kernel",
    "sampling_grid.title.d1": "{kernel}, d = 1: span {spans}",
    "sampling_grid.title.dilated": "{kernel}, d = {ds}: same {n_taps} weights, span {spans}",
    # metrics
    "sampling_grid.m.spans": "Kernel spans",
    "sampling_grid.m.spans_help": (
        "Effective kernel size d·(k−1)+1 per axis: how far apart the first and last tap are, plus one."
    ),
    "sampling_grid.m.out": "Output size",
    "sampling_grid.m.out_delta": "input {n}",
    "sampling_grid.m.out_help": "floor((n + p_l + p_r − d·(k−1) − 1) / s) + 1 per axis (PyTorch's formula).",
    "sampling_grid.m.pads": "Padding per side",
    "sampling_grid.m.pads_help": (
        "Padding cells before | after the input: left | right; in 2D with different axes, top|bottom, left|right."
    ),
    "sampling_grid.m.pad_taps": "Taps in padding",
    "sampling_grid.m.pad_taps_help": (
        "Over all outputs: how many of the taps read a padding cell instead of a real pixel."
    ),
    "sampling_grid.m.pad_taps_of": "of {total}",
    "sampling_grid.m.pad_taps_here_of": "of {total} here · all outputs: {count} of {all}",
    "sampling_grid.m.pad_taps_here": "Taps in padding here",
    "sampling_grid.m.pad_taps_here_help": "How many taps of the picked output read a padding cell.",
    "sampling_grid.m.unread": "Pixels never read",
    "sampling_grid.m.unread_help": (
        "Share of input pixels whose value reaches no output at all (padding copies count as reads)."
    ),
    # formulas and notes
    "sampling_grid.f.both": "Rows and columns",
    "sampling_grid.f.rows": "Rows",
    "sampling_grid.f.cols": "Columns",
    "sampling_grid.note.between": (
        "{where}stride **{s}** is larger than the kernel's span **{k_eff}**: "
        "the pixels between two windows are skipped ({count} in all)."
    ),
    "sampling_grid.note.gap_factor": (
        "{where}{count} pixel(s) fall in the gaps between the taps and stride {s} and dilation {d} share "
        "the factor **{g}**, so every tap lands on the same phase: only every {nth} pixel can be read."
    ),
    "sampling_grid.note.gap": (
        "{where}{count} pixel(s) fall in the gaps between the taps and no other window's taps land on them."
    ),
    "sampling_grid.note.edge_leftover": (
        "{where}{count} pixel(s) at the edge are never reached: "
        "the last {left} padded position(s) do not fit another stride."
    ),
    "sampling_grid.note.edge": "{where}{count} pixel(s) at the edge are never reached.",
    "sampling_grid.taps_1d": "Output **{i}** reads inputs {inputs}.",
    "sampling_grid.taps_2d": "Output **({r}, {c})** reads rows {rows} × columns {cols}.",
    # values of the picked cell
    "sampling_grid.v.title": "Values at output {pos}: tap by tap",
    "sampling_grid.v.example_1d": (
        "Example numbers, the same on every screen: input pixel i holds (i mod 9) + 1 (1, 2, …, 9, 1, …); "
        "weight m is (m mod 4) + 1 (1, 2, 3, 4, 1, …). Padding cells hold 0 (zeros) or a copy of a pixel."
    ),
    "sampling_grid.v.example_2d": (
        "Example numbers, the same on every screen: input pixel (r, c) holds (3·r + c) mod 9 + 1 "
        "(integers 1 to 9); weight (m_r, m_c), counted row by row as m = m_r·k + m_c, is (m mod 4) + 1 "
        "(1, 2, 3, 4, 1, …). Padding cells hold 0 (zeros) or a copy of a pixel."
    ),
    "sampling_grid.v.col_m_1d": "tap m",
    "sampling_grid.v.col_m_2d": "tap (m_r, m_c)",
    "sampling_grid.v.col_reads": "reads input",
    "sampling_grid.v.col_value": "input value",
    "sampling_grid.v.col_weight": "weight",
    "sampling_grid.v.col_product": "input × weight",
    "sampling_grid.v.pixel": "{pos}",
    "sampling_grid.v.zero": "padding {pos}: 0",
    "sampling_grid.v.copy": "padding {pos}: copy of {src} ({mode})",
    "sampling_grid.v.sum": "Sum of the {n} products: {terms} = **{total}**, the value of output {pos}.",
    "sampling_grid.v.torch": "PyTorch computes **{output}** there: `{call}`",
    "sampling_grid.v.mismatch": (
        "The table's sum ({total}) differs from PyTorch's output ({output}): this is a bug, please report it."
    ),
    "sampling_grid.v.failed": "PyTorch could not compute these values: {error}",
    # the reverse view: who reads an input pixel
    "sampling_grid.in_index": "Input pixel",
    "sampling_grid.in_row": "Input row",
    "sampling_grid.in_col": "Input column",
    "sampling_grid.in_r_help": "Row of the input pixel whose readers are shown.",
    "sampling_grid.in_c_help": "Column (1D: index) of the input pixel whose readers are shown.",
    "sampling_grid.r.lg_picked": "the picked input pixel",
    "sampling_grid.r.lg_out": "output that reads it (number = tap m, row by row in 2D)",
    "sampling_grid.r.lg_copy": "padding cell through which it is read (a copy of it)",
    "sampling_grid.r.hole": (
        "No output reads input pixel **{pixel}**: it falls in a gap between the taps, is skipped by the "
        "stride, or lies past the last window (see why below). Changing it changes no output."
    ),
    "sampling_grid.r.summary": (
        "Input pixel **{pixel}** is read by **{outputs} outputs**, {reads} reads in all (one output can "
        "read it through several taps, e.g. through a padding copy):"
    ),
    "sampling_grid.r.summary_one": "Input pixel **{pixel}** is read by **{outputs} output**, {reads} read(s) in all:",
    "sampling_grid.r.col_output": "output",
    "sampling_grid.r.col_at": "reads it at",
    "sampling_grid.r.via": "padding {pos} (a copy)",
    "sampling_grid.rfig.input": "input",
    "sampling_grid.rfig.output": "output",
    "sampling_grid.rfig.hover_in_1d": "input %{x}<extra></extra>",
    "sampling_grid.rfig.hover_in_2d": "input (row %{y}, col %{x})<extra></extra>",
    "sampling_grid.rfig.hover_out_1d": "output %{x}<br>taps: %{text}<extra></extra>",
    "sampling_grid.rfig.hover_out_2d": "output (row %{y}, col %{x})<br>taps: %{text}<extra></extra>",
    # legend
    "sampling_grid.lg.pixel": "input pixel",
    "sampling_grid.lg.tap_1d": "tap (number = kernel position m)",
    "sampling_grid.lg.tap_2d": "tap (number = kernel position m, row by row)",
    "sampling_grid.lg.pad_zero": "padding (holds 0)",
    "sampling_grid.lg.pad_copy": "padding ({mode}: copies a pixel)",
    "sampling_grid.lg.tap_pad": "tap reading padding",
    "sampling_grid.lg.tap_pad_copy": "tap reading padding · dotted: the pixel it copies",
    "sampling_grid.lg.unread": "pixel no output reads",
    "sampling_grid.lg.done": "output computed",
    "sampling_grid.lg.current": "output being computed",
    "sampling_grid.lg.picked": "the picked output",
    "sampling_grid.lg.span": "the kernel's span (k_eff)",
    # captions
    "sampling_grid.drawing": "Drawing the grid…",
    "sampling_grid.compare_nothing": "Compare is on, but the dilation is already 1: raise it to see the difference.",
    "sampling_grid.nearest": "The dilated layer has fewer outputs; its panel shows the nearest one.",
    "sampling_grid.too_many": (
        "{total} output positions are too many to animate lightly: the animation shows {shown} of them, "
        "evenly spread. Use *Pick a cell* to see any one."
    ),
    "sampling_grid.play_caption": (
        "Press **Play**, or drag the slider under the figure: each step is one output. The dashed box is "
        "the kernel's span; only the numbered cells are read, the cells between them are the gaps "
        "that dilation leaves. Hover a cell for details."
    ),
    "sampling_grid.play_caption_compare": (
        "One **Play** drives both panels, and both show the same output position, so both windows start "
        "at the same input place. d = 1 has {n1} outputs, your dilation {n}: where its wider span no "
        "longer fits, the dilated panel has no output and shows no window (its outputs so far stay done)."
    ),
    "sampling_grid.step_prev": "Previous",
    "sampling_grid.step_next": "Next",
    "sampling_grid.step_prev_help": "One output back (or press ←)",
    "sampling_grid.step_next_help": "One output on (or press →)",
    "sampling_grid.step_keys": "or the ← → keys: one output per step",
    "sampling_grid.gif": "Download GIF",
    "sampling_grid.gif_help": (
        "The animation of your settings as an animated GIF for slides: one frame per output position, "
        "taps numbered as in the figure."
    ),
    "sampling_grid.slide": "Slide size",
    "sampling_grid.slide_help": (
        "Export at slide size (1280 pixels wide or more, larger cells) with a title, the settings "
        "(k, d, s, p, padding mode) and a legend written on the image."
    ),
    "sampling_grid.slide.title": "Sampling grid: {title}",
    "sampling_grid.slide.settings": "n = {n}, k = {k}, d = {d}, s = {s}, p = {p}, padding mode = {mode}",
    "sampling_grid.png": "Download PNG",
    "sampling_grid.png_help": "This view as a PNG image (the picked output, its taps numbered) for slides.",
    "sampling_grid.gif_caption_all": "The GIF has {frames} frames, one per output position.",
    "sampling_grid.gif_caption_all_one": "The GIF has {frames} frame: there is one output position.",
    "sampling_grid.gif_caption_some": (
        "The GIF has {frames} frames: {total} output positions are bounded the way the animation is "
        "(evenly spread, first and last included)."
    ),
    "sampling_grid.gif_caption_compare": (
        "The GIF has {frames} frames and both panels, moving together across the input: {layout}."
    ),
    "sampling_grid.gif_caption_compare_one": "The GIF has {frames} frame with both panels: {layout}.",
    "sampling_grid.gif_caption_both": "Both panels are in it, moving together: {layout}.",
    "sampling_grid.gif_layout.1D": "d = 1 ({n1} outputs) on top, your dilation ({n} outputs) under it",
    "sampling_grid.gif_layout.2D": "d = 1 ({n1} outputs) on the left, your dilation ({n} outputs) beside it",
    # explanation
    "sampling_grid.explain": "Explain: dilation, padding and the formulas",
    "sampling_grid.explain_text": (
        "**Same weights, wider reach.** A dilated kernel keeps its k taps (k² in 2D) but spaces them "
        "`d` pixels apart. The weights do not change in number, only where they read: the span grows "
        "to `d·(k−1)+1`. That is how a network sees further without more parameters or multiply-adds.\n\n"
        "**The gaps.** Between two taps, `d−1` pixels are skipped by this output. With stride 1 the "
        "neighbouring outputs read them, but stacking several layers with the same dilation keeps "
        "missing the same pixels (gridding; see the *Receptive field* page). A stride larger than the "
        "span skips input pixels entirely."
    ),
    "sampling_grid.ex.k_eff": "Effective kernel size",
    "sampling_grid.ex.output": "Output size (PyTorch)",
    "sampling_grid.ex.reads": "Where output i reads, tap m",
    "sampling_grid.ex.same": "'same' padding",
    "sampling_grid.explain_modes": (
        "**Padding modes** (what a tap outside the input reads): *zeros* reads 0; *reflect* mirrors "
        "without repeating the edge (…x₂ x₁ | x₀ x₁ x₂…); *replicate* repeats the edge pixel; "
        "*circular* wraps around to the other end. Reflect needs less padding than the input size, "
        "circular at most the input size.\n\n"
        "PyTorch's `nn.Conv2d(padding='same')` only accepts stride 1; with a larger stride this page "
        "still pads `d·(k−1)` in total, which gives ⌈n/s⌉ outputs."
    ),
    "sampling_grid.current_mode": "Current mode: {mode}. Hover a padding cell to see which pixel it copies.",
    # figure labels (plotly hover templates keep their %{...} fields)
    "sampling_grid.fig.input": "input",
    "sampling_grid.fig.output": "output",
    "sampling_grid.fig.input_row": "input",
    "sampling_grid.fig.output_row": "output",
    "sampling_grid.fig.col": "column",
    "sampling_grid.fig.play": "▶ Play",
    "sampling_grid.fig.pause": "❚❚ Pause",
    "sampling_grid.fig.slider": "output ",
    "sampling_grid.fig.hover_pixel_1d": "input x%{x}<extra></extra>",
    "sampling_grid.fig.hover_pixel_2d": "input pixel (row %{y}, col %{x})<extra></extra>",
    "sampling_grid.fig.hover_zero_1d": "padding at %{x}: reads 0<extra></extra>",
    "sampling_grid.fig.hover_zero_2d": "padding (row %{y}, col %{x}): reads 0<extra></extra>",
    "sampling_grid.fig.hover_copy_1d": "padding at %{x}: copies x%{customdata[0]}<extra></extra>",
    "sampling_grid.fig.hover_copy_2d": (
        "padding (row %{y}, col %{x}): copies pixel (%{customdata[0]}, %{customdata[1]})<extra></extra>"
    ),
    "sampling_grid.fig.hover_tap_1d": "tap %{text} reads %{x}<extra></extra>",
    "sampling_grid.fig.hover_tap_2d": "tap %{text} reads (row %{y}, col %{x})<extra></extra>",
    "sampling_grid.fig.hover_out_1d": (
        "output %{customdata[0]}<br>reads inputs %{customdata[1]} to %{customdata[2]} in steps of {d}"
        "<br>%{customdata[3]} taps in padding<extra></extra>"
    ),
    "sampling_grid.fig.hover_out_2d_short": "output (row %{y}, col %{x})<extra></extra>",
    "sampling_grid.fig.hover_out_2d": (
        "output (row %{y}, col %{x})<br>reads rows %{customdata[0]} to %{customdata[1]} in steps of {dr}"
        "<br>and columns %{customdata[2]} to %{customdata[3]} in steps of {dc}"
        "<br>%{customdata[4]} taps in padding<extra></extra>"
    ),
}
