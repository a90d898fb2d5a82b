"""Home page."""

STRINGS: dict[str, str] = {
    "home.title": "dsdcn explorer",
    "home.tagline": "The interactive lab for dilated and depthwise-separable dilated convolutions (DS-DCN)",
    "home.intro": (
        "A **dilated** convolution spaces its taps `d` pixels apart: the same weights reach further, "
        "with gaps between them. A **depthwise-separable** layer splits a convolution into one small "
        "kernel per channel and a 1×1 mix across channels: far fewer weights and multiply-adds. "
        "Each page below lets you change the settings and see the effect, with every number "
        "computed by a tested library and checked against PyTorch itself."
    ),
    "home.span_label": "Kernel span",
    "home.span_delta": "{k}×{k} kernel at dilation {d}",
    "home.span_value": "{e}×{e} pixels",
    "home.span_help": "Effective kernel size d·(k−1)+1: the reach grows, the number of weights stays k².",
    "home.std_label": "Weights, standard {c_in}→{c_out}",
    "home.std_help": "C_in·C_out·k², bias not counted.",
    "home.sep_label": "Weights, separable",
    "home.sep_delta": "{ratio:.1%} of standard",
    "home.sep_help": "C_in·k² + C_in·C_out for a depth multiplier of 1: a ratio of 1/C_out + 1/k².",
    "home.pages": "Pages",
    "home.machine": "This machine",
    "home.machine_text": (
        "Computations run on **{device}** with PyTorch `{torch}`. With a CUDA GPU the Cost and Image lab "
        "pages use it; otherwise everything runs on the CPU."
    ),
    "home.cheatsheet": "Cheat sheet",
    "home.notation": (
        "Per spatial axis: input size n, kernel size k, dilation d, stride s, padding p (left p_l, "
        "right p_r), channels C_in and C_out, depth multiplier m."
    ),
    "cheat.k_eff": "Effective kernel size",
    "cheat.output": "Output size (PyTorch)",
    "cheat.taps": "Where output i reads",
    "cheat.same": "'same' padding",
    "cheat.rf": "Receptive field of a stack",
    "cheat.weights": "Weights: standard vs depthwise separable",
    "cheat.ratio": "Cost ratio (m = 1)",
    "cheat.flops": "FLOPs (torch.utils.flop_counter)",
}
