"""Cost: params, FLOPs and measured latency (placeholder)."""

from ui.common import coming_soon

coming_soon(
    "Cost",
    [
        "params and MACs of standard, depthwise, pointwise and separable layers: formula against a count from the real module",
        "latency measured on your device, with its spread",
        "sweeps over kernel size, output channels and dilation, and the 'same receptive field' comparison",
    ],
)
