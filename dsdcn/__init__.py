"""dsdcn: the library behind dsdcn explorer (dilated and depthwise-separable dilated convolutions).

Importable without Streamlit and without a GPU.
"""

from .cost import CONV_KINDS, Cost, conv_cost
from .device import DeviceChoice, choose_device, pick_device
from .geometry import (
    PADDING_MODES,
    check_padding_mode,
    effective_kernel_size,
    output_size,
    padding_source,
    resolve_padding,
    sampling_taps,
)
from .imaging import ImageError, load_image
from .layers import DSDilatedConv2d
from .receptive import RF, Layer, coverage, coverage_2d, holes, receptive_field
from .sampling import (
    AxisSampling,
    GridSampling,
    axis_sampling,
    frame_outputs,
    grid_sampling,
    largest_dilation,
    largest_kernel,
    sampling_problem,
    smallest_input,
)

__all__ = [
    "CONV_KINDS",
    "PADDING_MODES",
    "RF",
    "AxisSampling",
    "GridSampling",
    "Cost",
    "DSDilatedConv2d",
    "DeviceChoice",
    "ImageError",
    "Layer",
    "axis_sampling",
    "check_padding_mode",
    "choose_device",
    "conv_cost",
    "coverage",
    "coverage_2d",
    "effective_kernel_size",
    "frame_outputs",
    "grid_sampling",
    "holes",
    "largest_dilation",
    "largest_kernel",
    "load_image",
    "output_size",
    "padding_source",
    "pick_device",
    "receptive_field",
    "resolve_padding",
    "sampling_problem",
    "sampling_taps",
    "smallest_input",
]

__version__ = "0.1.0"
