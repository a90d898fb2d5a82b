"""dsdcn: the library behind dsdcn explorer (dilated and depthwise-separable dilated convolutions).

Importable without Streamlit and without a GPU.
"""

from .cost import CONV_KINDS, Cost, conv_cost, separable_ratio, separable_ratio_terms
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
from .measure import (
    Counted,
    LayerSpec,
    Measurement,
    MeasurementRefused,
    Timing,
    build_module,
    counted_cost,
    formula_cost,
    measure_latency,
    same_receptive_field,
)
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
from .separable import (
    SeparableCosts,
    StepThrough,
    composed_kernel,
    equivalent_standard_conv,
    separable_costs,
    step_through,
)

__all__ = [
    "CONV_KINDS",
    "PADDING_MODES",
    "RF",
    "AxisSampling",
    "Cost",
    "Counted",
    "DSDilatedConv2d",
    "DeviceChoice",
    "GridSampling",
    "ImageError",
    "Layer",
    "LayerSpec",
    "Measurement",
    "MeasurementRefused",
    "SeparableCosts",
    "StepThrough",
    "Timing",
    "axis_sampling",
    "build_module",
    "check_padding_mode",
    "choose_device",
    "composed_kernel",
    "conv_cost",
    "counted_cost",
    "coverage",
    "coverage_2d",
    "effective_kernel_size",
    "equivalent_standard_conv",
    "formula_cost",
    "frame_outputs",
    "grid_sampling",
    "holes",
    "largest_dilation",
    "largest_kernel",
    "load_image",
    "measure_latency",
    "output_size",
    "padding_source",
    "pick_device",
    "receptive_field",
    "resolve_padding",
    "same_receptive_field",
    "sampling_problem",
    "sampling_taps",
    "separable_costs",
    "separable_ratio",
    "separable_ratio_terms",
    "smallest_input",
    "step_through",
]

__version__ = "0.1.0"
