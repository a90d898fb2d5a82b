"""Words inside LaTeX formulas (``\\text{@key}`` in a formula, see ``ui.i18n.tex``)."""

from __future__ import annotations

STRINGS: dict[str, str] = {
    "tex.standard": "standard",
    "tex.separable": "separable",
    "tex.depthwise": "depthwise",
    "tex.pointwise": "pointwise",
    "tex.weights": "weights",
    "tex.macs_per_image": "MACs per image",
    "tex.same_padding": "'same' padding",
    "tex.batch": "batch",
    "tex.centre": "centre",
    "tex.per_side": "per side",
    "tex.goal": "goal",
    "tex.vs": "vs",
    "tex.bias_not_counted": "bias not counted",
}
