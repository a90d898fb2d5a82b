"""dsdcn: the library behind dsdcn explorer (dilated and depthwise-separable dilated convolutions).

Importable without Streamlit and without a GPU.
"""

from .cost import CONV_KINDS, Cost, conv_cost
from .device import DeviceChoice, choose_device, pick_device
from .erf import ERF, WEIGHT_INITS, effective_receptive_field, mass_mask, mass_share
from .fieldmap import (
    Branch,
    Field,
    FieldView,
    GrowthRow,
    bin_mean,
    branch_fields,
    check_extent,
    field_start,
    field_view,
    frame_indices,
    grid_for,
    growth_table,
    layer_views,
    normalized_profile,
    prefix_fields,
    stack_field,
    union_field,
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
from .imaging import ImageError, load_image
from .layers import DSDilatedConv2d
from .presets import PRESETS, StackPreset, causal_stack, dilated_stack, same_conv
from .receptive import RF, Layer, coverage, coverage_2d, holes, receptive_field
from .schedule import (
    Gridding,
    HDCRule,
    HDCStep,
    Suggestion,
    gridding,
    hdc_rule,
    hdc_scope,
    hole_runs,
    suggest_schedule,
)
from .stack import CELL_LIMITS, STACK_COLUMNS, ParsedStack, RowProblem, parse_rates, parse_stack, stack_rows

__all__ = [
    "CELL_LIMITS",
    "CONV_KINDS",
    "ERF",
    "PADDING_MODES",
    "PRESETS",
    "RF",
    "STACK_COLUMNS",
    "WEIGHT_INITS",
    "Branch",
    "Cost",
    "DSDilatedConv2d",
    "DeviceChoice",
    "Field",
    "FieldView",
    "Gridding",
    "GrowthRow",
    "HDCRule",
    "HDCStep",
    "ImageError",
    "Layer",
    "ParsedStack",
    "RowProblem",
    "StackPreset",
    "Suggestion",
    "bin_mean",
    "branch_fields",
    "causal_stack",
    "check_extent",
    "check_padding_mode",
    "choose_device",
    "conv_cost",
    "coverage",
    "coverage_2d",
    "dilated_stack",
    "effective_kernel_size",
    "effective_receptive_field",
    "field_start",
    "field_view",
    "frame_indices",
    "grid_for",
    "gridding",
    "growth_table",
    "hdc_rule",
    "hdc_scope",
    "hole_runs",
    "holes",
    "layer_views",
    "load_image",
    "mass_mask",
    "mass_share",
    "normalized_profile",
    "output_size",
    "padding_source",
    "parse_rates",
    "parse_stack",
    "pick_device",
    "prefix_fields",
    "receptive_field",
    "resolve_padding",
    "same_conv",
    "sampling_taps",
    "stack_field",
    "stack_rows",
    "suggest_schedule",
    "union_field",
]

__version__ = "0.1.0"
