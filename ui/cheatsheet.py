"""The formula cheat sheet (LaTeX), one place for every page that shows it."""

from __future__ import annotations

CHEATSHEET: tuple[tuple[str, str], ...] = (
    ("Effective kernel size", r"k_\mathrm{eff} = d\,(k-1) + 1"),
    (
        "Output size (PyTorch)",
        r"o = \left\lfloor \frac{n + p_l + p_r - d\,(k-1) - 1}{s} \right\rfloor + 1",
    ),
    ("Where output i reads", r"x\big[\,i\,s - p_l + d\,m\,\big],\quad m = 0,\dots,k-1"),
    (
        "'same' padding",
        r"p_l + p_r = d\,(k-1),\quad p_l = \left\lfloor \tfrac{d(k-1)}{2} \right\rfloor",
    ),
    (
        "Receptive field of a stack",
        r"r_l = r_{l-1} + d_l\,(k_l-1)\,j_{l-1},\quad j_l = j_{l-1}\,s_l,\quad r_0 = j_0 = 1",
    ),
    (
        "Weights: standard vs depthwise separable",
        r"C_\mathrm{in} C_\mathrm{out} k^2 \quad\text{vs}\quad "
        r"C_\mathrm{in}\, m\, k^2 + C_\mathrm{in}\, m\, C_\mathrm{out}",
    ),
    (
        "Cost ratio (m = 1)",
        r"\frac{C_\mathrm{in} k^2 + C_\mathrm{in} C_\mathrm{out}}{C_\mathrm{in} C_\mathrm{out} k^2}"
        r" = \frac{1}{C_\mathrm{out}} + \frac{1}{k^2}",
    ),
    (
        "FLOPs (torch.utils.flop_counter)",
        r"\mathrm{FLOPs} = 2 \times \mathrm{MACs}\ \ (\text{bias not counted})",
    ),
)
