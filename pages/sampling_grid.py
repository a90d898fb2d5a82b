"""Sampling grid: where a dilated kernel reads (placeholder)."""

from ui.common import coming_soon

coming_soon(
    "Sampling grid",
    [
        "kernel size, dilation, stride and padding (valid, same, custom; zeros, reflect, replicate, circular), 1D and 2D",
        "an animated figure: the taps sliding over the input, padding cells drawn, the output filling in",
        "the formulas evaluated live with your values",
    ],
)
