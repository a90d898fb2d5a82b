"""Cost page: the section that compares exact convolution algorithms."""

STRINGS: dict[str, str] = {
    "cost.algo.title": "Same arithmetic, different algorithms: which is fastest here?",
    "cost.algo.intro": (
        "The depthwise {k}×{k} stage above ({c_in}→{c_out} channels, stride {s}) computed by each exact "
        "algorithm of `dsdcn.engine`, at d = 1 … {max_d} on {device}: torch's default call on the usual "
        "NCHW layout, the same call in `channels_last`, **space-to-batch** (fold the d×d phase grids of the "
        "input into the batch and run the undilated kernel, in either layout), **unfold** (im2col and "
        "a matrix product) and **direct** (one compiled loop that adds shifted input rows into each output "
        "row, on the CPU when numba is installed). Every one gives the same numbers (to float rounding) with the same FLOPs; each "
        "picks its own memory layout, so the memory-format setting above does not apply."
    ),
    "cost.algo.run": "Compare algorithms",
    "cost.algo.run_help": "Times every algorithm at each of {n} dilations with the settings above.",
    "cost.algo.press": "Press **Compare algorithms** to time them at {n} dilations on {device}.",
    "cost.algo.timing": "Timing algorithms",
    "cost.algo.item": "d = {d}",
    "cost.algo.refused": "d = {d} was not measured: {reason}",
    "cost.algo.winners": "**Fastest here:** {runs}.",
    "cost.algo.run_item": "{name} at d = {span}",
    "cost.algo.best_gain": (
        " The largest gain over torch's default is {x:.1f}× at d = {d} ({default} → {best})."
    ),
    "cost.algo.no_gain": " Torch's default call is the fastest (within noise) at every d measured.",
    "cost.algo.why": (
        "**Why time changes at equal FLOPs:** a depthwise layer does a few FLOPs per byte, so how it "
        "walks memory decides its speed. The fast vectorised kernels exist only for some layouts and "
        "dilations (on CPUs oneDNN leaves its fast NCHW path from d = 7; in `channels_last` the fast path "
        "ends at other dilations, and it depends on the channel count); a tap d pixels away lands on "
        "another cache line; space-to-batch trades the dilated kernel for an undilated one at the cost "
        "of two rearranging copies; and the direct loop reads each input row from cache whatever d is, so "
        "its time stays flat at about the cost of writing the output. Which wins depends on the device, the channels and d, so the Image "
        'lab, the Training lab and `DSDilatedConv2d(algorithm="auto")` time the candidates on the first '
        "call of each shape and keep the fastest, as cuDNN's benchmark mode does."
    ),
    "cost.algo.name.nchw": "torch default (NCHW)",
    "cost.algo.name.channels_last": "channels_last",
    "cost.algo.name.space_to_batch": "space-to-batch (NCHW)",
    "cost.algo.name.space_to_batch_cl": "space-to-batch (channels_last)",
    "cost.algo.name.unfold": "unfold + matmul",
    "cost.algo.name.direct": "direct loop (numba)",
    "cost.algo.fig.dilation_axis": "dilation d",
    "cost.algo.fig.ms_axis": "ms per forward pass (median, log scale)",
    "cost.algo.fig.winner": "fastest at this d",
}
