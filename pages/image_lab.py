"""Image lab: real convolutions on the user's image (placeholder)."""

from ui.common import coming_soon

coming_soon(
    "Image lab",
    [
        "upload an image or pick a bundled sample",
        "filter banks (Sobel, Laplacian, Gaussian, Gabor, random) at several dilations, run as real torch convolutions",
        "feature maps side by side, gridding artefacts of a stack on a real image, timing and a ZIP download",
    ],
)
