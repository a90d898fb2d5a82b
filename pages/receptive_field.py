"""Receptive field: growth, holes and the effective field of a stack (placeholder)."""

from ui.common import coming_soon

coming_soon(
    "Receptive field",
    [
        "an editable stack of conv and pooling layers, with presets (plain 3×3, gridding 2,2,2, HDC 1,2,5, WaveNet, ASPP, VGG)",
        "extent and effective stride per layer, the exact coverage map with its holes",
        "the gradient-based effective receptive field, a gridding verdict and a schedule suggestion",
    ],
)
