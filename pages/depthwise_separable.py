"""Depthwise separable: the two stages per channel (placeholder)."""

from ui.common import coming_soon

coming_soon(
    "Depthwise separable",
    [
        "C_in, C_out, depth multiplier, kernel size and dilation",
        "the depthwise stage (one kernel per channel) and the pointwise 1×1 mixing, drawn per channel",
        "weights and MACs of each stage against a standard layer, and one output computed both ways",
    ],
)
