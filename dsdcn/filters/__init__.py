"""Filter banks run as real torch convolutions on an image: the engine of the Image lab.

Shapes, written out once:

- an image tensor is ``(1, C, H, W)`` float32 in ``[0, 1]`` (``C = 3`` for RGB, ``1`` for grey);
- a :class:`FilterBank` holds ``F`` kernels for every input channel, ``(F, C, k, k)``;
- the maps of one dilation are ``(F, M, H, W)``: ``M = C`` for a depthwise layer (each channel keeps its
  own map), ``M = 1`` for the layers that mix channels (standard, dilated, separable).

Every layer kind is one or two plain ``F.conv2d`` calls with "same" padding (the output keeps the
input's size at every dilation; ``k`` is odd). The same bank drives every kind:

- ``standard`` / ``dilated``: a dense conv (``groups = 1``) with weight ``kernels / C`` (each filter on
  every channel, channels averaged); ``standard`` is the ``d = 1`` case;
- ``depthwise``: ``groups = C``, depth multiplier ``F``: output channel ``c*F + f`` is filter ``f`` on
  channel ``c``;
- ``separable``: that depthwise conv, then a pointwise ``1 x 1`` conv ``C*F -> F`` averaging the channels
  of each filter. It gives the dense layer's maps (the dense kernel factors exactly), by another route.

Example: an impulse through a dilated 3x3 box filter lights the taps ``d`` pixels apart.

>>> import torch
>>> bank = make_bank(("box",), kernel_size=3, channels=1)
>>> x = torch.zeros(1, 1, 7, 7); x[0, 0, 3, 3] = 1.0
>>> maps = feature_maps(x, bank, "dilated", dilation=2, padding_mode="zeros")
>>> (maps[0, 0, 3] != 0).int().tolist()
[0, 1, 0, 1, 0, 1, 0]
"""

from __future__ import annotations

from ..allocator import tune_allocator
from ..fallback import Fallback, run_with_fallback
from .kernels import (
    FILTER_KINDS,
    MAX_FILTERS,
    MAX_KERNEL_SIZE,
    FilterBank,
    FilterCode,
    FilterKind,
    box_kernel,
    dilate_kernel,
    gabor_kernel,
    gaussian_kernel,
    gaussian_sigma,
    identity_kernel,
    laplacian_kernel,
    make_bank,
    sobel_kernel,
)
from .maps import (
    LAYER_KINDS,
    LUMA,
    MAX_DILATION,
    LayerKind,
    check_padding,
    feature_maps,
    image_tensor,
    layer_cost,
    layer_weights,
    taps_inside,
    usable_dilations,
)
from .raster import (
    COLORMAP_ANCHORS,
    COLORMAPS,
    NORMALISATIONS,
    colorbar_image,
    colormap_lut,
    differences,
    map_ranges,
    maps_zip,
    png_bytes,
    render_map,
    to_uint8,
    zoom_nearest,
)
from .run import (
    BAND_BYTES,
    CLIP_PERCENT,
    MAX_DILATIONS,
    PERCENTILE_PIXELS,
    STAT_BLOCK_BYTES,
    STAT_BLOCK_BYTES_LARGE,
    STAT_RETRY_SECONDS,
    MapRun,
    MapStats,
    band_rows,
    centre_crop_box,
    percentile_step,
    preview_size,
    run_bank,
)
from .stacks import (
    MAX_STACK_LAYERS,
    StackRun,
    parse_schedule,
    response_cells,
    run_stack,
    run_stacks,
    stack_extent,
    stack_response,
)

__all__ = [
    "BAND_BYTES",
    "band_rows",
    "CLIP_PERCENT",
    "COLORMAPS",
    "COLORMAP_ANCHORS",
    "FILTER_KINDS",
    "Fallback",
    "FilterBank",
    "FilterCode",
    "FilterKind",
    "LAYER_KINDS",
    "LUMA",
    "LayerKind",
    "MAX_DILATION",
    "MAX_DILATIONS",
    "MAX_FILTERS",
    "MAX_KERNEL_SIZE",
    "MAX_STACK_LAYERS",
    "MapRun",
    "MapStats",
    "NORMALISATIONS",
    "PERCENTILE_PIXELS",
    "STAT_BLOCK_BYTES",
    "STAT_BLOCK_BYTES_LARGE",
    "STAT_RETRY_SECONDS",
    "StackRun",
    "box_kernel",
    "centre_crop_box",
    "check_padding",
    "colorbar_image",
    "colormap_lut",
    "differences",
    "dilate_kernel",
    "feature_maps",
    "gabor_kernel",
    "gaussian_kernel",
    "gaussian_sigma",
    "identity_kernel",
    "image_tensor",
    "laplacian_kernel",
    "layer_cost",
    "layer_weights",
    "make_bank",
    "map_ranges",
    "maps_zip",
    "parse_schedule",
    "percentile_step",
    "png_bytes",
    "preview_size",
    "render_map",
    "response_cells",
    "run_bank",
    "run_stack",
    "run_stacks",
    "run_with_fallback",
    "sobel_kernel",
    "stack_extent",
    "stack_response",
    "taps_inside",
    "to_uint8",
    "tune_allocator",
    "usable_dilations",
    "zoom_nearest",
]
