"""Depthwise separable: the two stages per channel, their weights and MACs, one output computed both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dsdcn import effective_kernel_size, separable_costs
from dsdcn.figures.separable import create_separable_figure, create_standard_figure, create_step_figure
from ui.separable import cached_step_through, keep_in_range, step_input_size

# Every control's default, keyed by its widget key (None: decided from the other controls).
DEFAULTS: dict[str, int | None] = {
    "ds_c_in": 8,
    "ds_c_out": 16,
    "ds_m": 1,
    "ds_k": 3,
    "ds_d": 2,
    "ds_n": 56,
    "ds_out_channel": 0,
    "ds_row": None,
    "ds_col": None,
    "ds_channel": 0,
    "ds_seed": 0,
}
LIMITS: dict[str, tuple[int, int]] = {
    "ds_c_in": (1, 512),
    "ds_c_out": (1, 512),
    "ds_m": (1, 4),
    "ds_k": (1, 9),
    "ds_d": (1, 8),
    "ds_n": (1, 1024),
    "ds_seed": (0, 10_000),
}


def _number(key: str, label: str, help_text: str, high: int | None = None) -> int:
    low, top = LIMITS.get(key, (0, high if high is not None else 0))
    top = high if high is not None else top
    default = DEFAULTS[key] if DEFAULTS[key] is not None else low
    keep_in_range(key, default, low, top)
    return int(st.number_input(label, min_value=low, max_value=top, step=1, key=key, help=help_text))


def _slider(key: str, label: str, help_text: str) -> int:
    low, high = LIMITS[key]
    keep_in_range(key, DEFAULTS[key], low, high)
    return int(st.slider(label, min_value=low, max_value=high, step=1, key=key, help=help_text))


def _tex(n: int) -> str:
    # thousands separators that LaTeX does not space out
    return f"{n:,}".replace(",", "{,}")


def render() -> None:
    """Draw the Depthwise separable page."""
    st.title("Depthwise separable")
    st.markdown(
        "A standard convolution gives **every output channel its own k×k kernel on every input channel**. "
        "A depthwise-separable layer splits that work in two: a **depthwise** stage (one k×k kernel per "
        "input channel, `groups = C_in`, applied to that channel only; a depth multiplier `m` gives each "
        "channel `m` kernels) and a **pointwise** stage (a 1×1 convolution that mixes the `C_in·m` "
        "channels into `C_out`). Dilation spaces the taps of the depthwise kernel apart: it reaches "
        "further with the same weights."
    )

    cols = st.columns(6)
    with cols[0]:
        c_in = _number("ds_c_in", "C_in (input channels)", "Channels of the input, 1 to 512.")
    with cols[1]:
        c_out = _number("ds_c_out", "C_out (output channels)", "Channels the layer produces, 1 to 512.")
    with cols[2]:
        m = _slider("ds_m", "Depth multiplier m", "Depthwise kernels per input channel (1 to 4).")
    with cols[3]:
        k = _slider("ds_k", "Kernel size k", "Side of the depthwise (and standard) kernel, 1 to 9.")
    with cols[4]:
        d = _slider("ds_d", "Dilation d", "Gap between taps: d − 1 pixels are skipped between them (1 to 8).")
    with cols[5]:
        n = _number(
            "ds_n",
            "Input size H = W",
            "Side of the input image, for the total multiply-adds (stride 1, 'same' padding).",
        )
    k_eff = effective_kernel_size(k, d)
    costs = separable_costs(c_in, c_out, k, d, m, n, n)
    per_pixel = separable_costs(c_in, c_out, k, d, m)

    st.subheader("The two stages, channel by channel")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            create_separable_figure(c_in, c_out, m, k, d, title="Depthwise separable"),
            key="ds_fig_separable",
            config={"displayModeBar": False},
        )
    with right:
        st.plotly_chart(
            create_standard_figure(c_in, c_out, k, d, title="Standard"),
            key="ds_fig_standard",
            config={"displayModeBar": False},
        )
    st.caption(
        f"Each coloured row is one input channel. **Left:** channel c meets only its own {m} depthwise "
        f"kernel{'s' if m > 1 else ''} ({k}×{k} taps spread over {k_eff}×{k_eff} pixels: the empty cells are "
        f"the dilation gaps), giving the middle channels z; the pointwise stage then gives each output "
        f"y one number (a dot) per middle channel and sums its column. **Right:** a standard layer "
        f"needs a full {k}×{k} kernel at every crossing, {c_in * c_out:,} kernels in all. At most 8 rows "
        f"and 8 outputs are drawn; hover for details."
    )

    st.subheader("Weights and multiply-adds")
    table = pd.DataFrame(
        {
            "layer": [
                "depthwise stage",
                "pointwise stage",
                "depthwise separable (both)",
                "standard",
                "'separable' without groups (a common bug)",
            ],
            "formula": [
                "C_in·m·k²",
                "C_in·m·C_out",
                "C_in·m·k² + C_in·m·C_out",
                "C_in·C_out·k²",
                "C_in·(C_in·m)·k² + C_in·m·C_out",
            ],
            "weights": [
                per_pixel.depthwise.params,
                per_pixel.pointwise.params,
                per_pixel.separable.params,
                per_pixel.standard.params,
                per_pixel.naive.params,
            ],
            "MACs per output pixel": [
                per_pixel.depthwise.macs,
                per_pixel.pointwise.macs,
                per_pixel.separable.macs,
                per_pixel.standard.macs,
                per_pixel.naive.macs,
            ],
            f"MACs on {n}×{n}": [
                costs.depthwise.macs,
                costs.pointwise.macs,
                costs.separable.macs,
                costs.standard.macs,
                costs.naive.macs,
            ],
        }
    )
    table["÷ standard"] = [
        per_pixel.share(c)
        for c in (
            per_pixel.depthwise,
            per_pixel.pointwise,
            per_pixel.separable,
            per_pixel.standard,
            per_pixel.naive,
        )
    ]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "weights": st.column_config.NumberColumn(format="localized"),
            "MACs per output pixel": st.column_config.NumberColumn(format="localized"),
            f"MACs on {n}×{n}": st.column_config.NumberColumn(format="localized"),
            "÷ standard": st.column_config.NumberColumn(format="%.4f"),
        },
        key="ds_table",
    )
    st.caption(
        "Bias not counted. A multiply-add (MAC) is one multiplication and one addition; FLOP counters "
        "such as torch.utils.flop_counter report 2 FLOPs per MAC. Every output pixel costs the same "
        f"number of MACs as there are weights, so the totals are that times {n}×{n} = {n * n:,} output "
        "pixels ('same' padding, stride 1). The last row is code that calls itself depthwise separable "
        "but forgets `groups = C_in`: two full convolutions, no saving."
    )

    ratio_cols = st.columns([3, 2])
    with ratio_cols[0]:
        st.latex(
            r"\frac{\text{separable}}{\text{standard}} = "
            r"\frac{C_\mathrm{in}\,m\,k^2 + C_\mathrm{in}\,m\,C_\mathrm{out}}{C_\mathrm{in}\,C_\mathrm{out}\,k^2}"
            r" = m\left(\frac{1}{C_\mathrm{out}} + \frac{1}{k^2}\right)"
        )
        st.latex(
            rf"= {m}\left(\frac{{1}}{{{c_out}}} + \frac{{1}}{{{k * k}}}\right) = {costs.ratio_formula:.4f}"
            rf"\quad\left(= \frac{{{_tex(per_pixel.separable.params)}}}{{{_tex(per_pixel.standard.params)}}}\right)"
        )
    with ratio_cols[1]:
        st.metric(
            "Separable costs",
            f"{costs.ratio:.1%} of standard",
            help="Weights or MACs of the separable layer divided by the standard layer's (the same ratio).",
        )
        st.metric(
            "Saving",
            f"{1 / costs.ratio:.1f}× fewer",
            help="Standard over separable: how many times fewer weights and multiply-adds.",
        )
    if m > 1:
        st.caption(
            f"With a depth multiplier m = {m} both terms are multiplied by m: the 1/C_out + 1/k² of most "
            "tutorials holds for m = 1 only."
        )
    st.caption(
        f"Dilation d = {d} changes none of these numbers: the kernel spans {k_eff}×{k_eff} pixels "
        f"with the same {k}×{k} weights."
    )

    st.subheader("One output, computed both ways")
    st.markdown(
        "A separable layer is a standard convolution in disguise: its kernel for output o and input "
        "channel c is the depthwise kernel of c weighted by the pointwise weight, "
        r"$W[o,c] = \sum_j P[o, c\,m+j]\,D[c\,m+j]$. Below, a layer with small integer weights runs on a "
        "small integer input, so every sum is exact and the two ways must agree to the last digit."
    )
    size = step_input_size(k_eff)
    step_cols = st.columns(5)
    with step_cols[0]:
        o = _number("ds_out_channel", "Output channel o", "Which output channel to compute.", c_out - 1)
    with step_cols[1]:
        keep_in_range("ds_row", size // 2 if DEFAULTS["ds_row"] is None else DEFAULTS["ds_row"], 0, size - 1)
        row = _number("ds_row", "Row", f"Output row, 0 to {size - 1} (the input is {size}×{size}).", size - 1)
    with step_cols[2]:
        keep_in_range("ds_col", size // 2 if DEFAULTS["ds_col"] is None else DEFAULTS["ds_col"], 0, size - 1)
        col = _number("ds_col", "Column", f"Output column, 0 to {size - 1}.", size - 1)
    with step_cols[3]:
        channel = _number(
            "ds_channel", "Input channel to inspect", "Which input channel to show in detail.", c_in - 1
        )
    with step_cols[4]:
        seed = _number("ds_seed", "Random seed", "Seed of the integer weights and input (0 to 10000).")

    with st.spinner("Running the layer…"):
        s = cached_step_through(c_in, c_out, k, d, m, size, seed, o, row, col)

    result = st.columns(3)
    result[0].metric(
        "Separable module: y",
        f"{s.module_value:g}",
        help="dsdcn.DSDilatedConv2d (depthwise then pointwise) run on the input; the value at (o, row, col).",
    )
    result[1].metric(
        "Standard conv with the composed kernel: y",
        f"{s.standard_module_value:g}",
        help="An nn.Conv2d whose weight is W[o,c] = Σ_j P[o,cm+j]·D[cm+j], run on the same input.",
    )
    result[2].metric(
        "By hand, stage by stage",
        f"{s.separable_value:g}",
        help="The sums below, from the input values under the taps.",
    )
    agree = s.module_value == s.standard_module_value == s.separable_value == s.standard_value
    if agree:
        st.success(f"All ways agree: y[{o}, {row}, {col}] = {s.module_value:g}.", icon=":material/check:")
    else:
        st.error("The values differ; this should not happen. Please report the settings.")

    rows_in = ", ".join(str(int(r)) for r in s.rows)
    cols_in = ", ".join(str(int(c)) for c in s.cols)
    st.caption(
        f"The taps of output ({row}, {col}) read input rows {rows_in} and columns {cols_in} "
        f"(indices outside 0…{size - 1} are 'same' padding and read 0)."
    )
    detail = pd.DataFrame(
        {
            "input channel c": np.arange(c_in),
            "middle z (depthwise outputs)": [
                ", ".join(f"{v:g}" for v in s.intermediate[c * m : (c + 1) * m]) for c in range(c_in)
            ],
            "pointwise weights P[o, ·]": [
                ", ".join(f"{v:g}" for v in s.pointwise_weights[c * m : (c + 1) * m]) for c in range(c_in)
            ],
            "separable: Σ P·z": s.separable_terms,
            "standard: Σ W[o,c]·x": s.standard_terms,
        }
    )
    st.dataframe(detail, hide_index=True, height=min(38 + 35 * c_in, 320), key="ds_step_table")
    st.latex(
        rf"y[{o},{row},{col}] = \sum_c \underbrace{{\sum_j P[{o},c\,m+j]\; z_{{c\,m+j}}}}_{{\text{{separable}}}}"
        rf" = \sum_c \underbrace{{\sum_{{u,v}} W[{o},c,u,v]\; x[c, \cdot]}}_{{\text{{standard}}}}"
        rf" = {s.separable_value:g}"
    )

    c = channel
    st.plotly_chart(
        create_step_figure(
            s.patch[c],
            s.depthwise_kernels[c * m : (c + 1) * m],
            s.pointwise_weights[c * m : (c + 1) * m],
            s.composed[c],
            titles=[
                f"input x[{c}] under the taps",
                *(f"depthwise D[{c * m + j}] (P = {s.pointwise_weights[c * m + j]:g})" for j in range(m)),
                f"composed W[{o},{c}]",
            ],
        ),
        key="ds_fig_step",
        config={"displayModeBar": False},
    )
    st.caption(
        f"Input channel {c}: the {k}×{k} input values the taps read, its depthwise kernel"
        f"{'s' if m > 1 else ''} and the composed standard kernel. Multiply the input with a depthwise "
        f"kernel and sum: that is z; times P and summed over the kernels gives {s.separable_terms[c]:g}, "
        f"exactly what the composed kernel gives ({s.standard_terms[c]:g})."
    )


render()
