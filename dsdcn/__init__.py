"""dsdcn: the library behind dsdcn explorer (dilated and depthwise-separable dilated convolutions).

Importable without Streamlit and without a GPU.
"""

from .cost import CONV_KINDS, Cost, conv_cost
from .device import DeviceChoice, choose_device, pick_device
from .filters import (
    FILTER_KINDS,
    LAYER_KINDS,
    FilterBank,
    MapRun,
    MapStats,
    StackRun,
    feature_maps,
    layer_weights,
    make_bank,
    map_ranges,
    maps_zip,
    render_map,
    run_bank,
    run_stacks,
    run_with_fallback,
    stack_response,
    tune_allocator,
)
from .geometry import (
    PADDING_MODES,
    check_padding_mode,
    effective_kernel_size,
    output_size,
    padding_source,
    resolve_padding,
    sampling_taps,
)
from .imaging import ImageError, ImageInfo, image_digest, inspect_image, load_image
from .layers import DSDilatedConv2d
from .receptive import RF, Layer, coverage, coverage_2d, holes, receptive_field

__all__ = [
    "CONV_KINDS",
    "FILTER_KINDS",
    "LAYER_KINDS",
    "FilterBank",
    "ImageInfo",
    "MapRun",
    "MapStats",
    "StackRun",
    "feature_maps",
    "image_digest",
    "inspect_image",
    "layer_weights",
    "make_bank",
    "map_ranges",
    "maps_zip",
    "render_map",
    "run_bank",
    "run_stacks",
    "run_with_fallback",
    "stack_response",
    "tune_allocator",
    "PADDING_MODES",
    "RF",
    "Cost",
    "DSDilatedConv2d",
    "DeviceChoice",
    "ImageError",
    "Layer",
    "check_padding_mode",
    "choose_device",
    "conv_cost",
    "coverage",
    "coverage_2d",
    "effective_kernel_size",
    "holes",
    "load_image",
    "output_size",
    "padding_source",
    "pick_device",
    "receptive_field",
    "resolve_padding",
    "sampling_taps",
]

__version__ = "0.1.0"
