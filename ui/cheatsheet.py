"""The formula cheat sheet: (string key of the label, LaTeX), one place for every page that shows it."""

from __future__ import annotations

CHEATSHEET: tuple[tuple[str, str], ...] = (
    ("cheat.k_eff", r"k_\mathrm{eff} = d\,(k-1) + 1"),
    (
        "cheat.output",
        r"o = \left\lfloor \frac{n + p_l + p_r - d\,(k-1) - 1}{s} \right\rfloor + 1",
    ),
    ("cheat.taps", r"x\big[\,i\,s - p_l + d\,m\,\big],\quad m = 0,\dots,k-1"),
    (
        "cheat.same",
        r"p_l + p_r = d\,(k-1),\quad p_l = \left\lfloor \tfrac{d(k-1)}{2} \right\rfloor",
    ),
    (
        "cheat.rf",
        r"\begin{gathered} r_l = r_{l-1} + d_l\,(k_l-1)\,j_{l-1} \\ j_l = j_{l-1}\,s_l,\quad r_0 = j_0 = 1"
        r" \end{gathered}",
    ),
    (
        "cheat.weights",
        r"C_\mathrm{in} C_\mathrm{out} k^2 \quad\text{@vs}\quad "
        r"C_\mathrm{in}\, m\, k^2 + C_\mathrm{in}\, m\, C_\mathrm{out}",
    ),
    (
        "cheat.ratio",
        r"\frac{C_\mathrm{in} k^2 + C_\mathrm{in} C_\mathrm{out}}{C_\mathrm{in} C_\mathrm{out} k^2}"
        r" = \frac{1}{C_\mathrm{out}} + \frac{1}{k^2}",
    ),
    (
        "cheat.flops",
        r"\mathrm{FLOPs} = 2 \times \mathrm{MACs}\ \ (\text{@bias_not_counted})",
    ),
)
