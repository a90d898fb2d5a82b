"""dsdcn: the library behind dsdcn explorer (dilated and depthwise-separable dilated convolutions).

Importable without Streamlit and without a GPU.
"""

from .allocator import tune_allocator
from .cost import (
    CONV_KINDS,
    Cost,
    conv_cost,
    separable_ratio,
    separable_ratio_terms,
)
from .device import (
    DeviceChoice,
    choose_device,
    pick_device,
)
from .erf import (
    ERF,
    WEIGHT_INITS,
    effective_receptive_field,
    mass_share,
)
from .fallback import run_with_fallback
from .fieldmap import (
    Branch,
    Field,
    branch_fields,
    path_counts,
    stack_field,
    union_field,
)
from .filters import (
    FILTER_KINDS,
    LAYER_KINDS,
    FilterBank,
    MapRun,
    MapStats,
    StackRun,
    feature_maps,
    make_bank,
    run_bank,
    run_stacks,
    stack_response,
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
from .imaging import (
    ImageError,
    ImageInfo,
    inspect_image,
    load_image,
)
from .layers import (
    DSDilatedConv1d,
    DSDilatedConv2d,
)
from .measure import (
    Counted,
    LayerSpec,
    Measurement,
    MeasurementRefused,
    build_module,
    counted_cost,
    formula_cost,
    measure_latency,
    same_receptive_field,
)
from .networks import NETWORK_CODES, Network, analyse, builtin
from .presets import (
    PRESETS,
    StackPreset,
    causal_stack,
    dilated_stack,
)
from .receptive import (
    RF,
    Layer,
    coverage,
    coverage_2d,
    holes,
    receptive_field,
)
from .sampling import (
    AxisSampling,
    GridSampling,
    axis_sampling,
    grid_sampling,
    sampling_problem,
)
from .schedule import (
    Gridding,
    HDCRule,
    Suggestion,
    gridding,
    hdc_rule,
    suggest_schedule,
)
from .separable import (
    SeparableCosts,
    StepThrough,
    composed_kernel,
    equivalent_standard_conv,
    separable_costs,
    step_through,
)
from .stack import (
    ParsedStack,
    decode_stack,
    encode_stack,
    parse_rates,
    parse_stack,
)

__all__ = [
    "AxisSampling",
    "Branch",
    "CONV_KINDS",
    "Cost",
    "Counted",
    "DSDilatedConv1d",
    "DSDilatedConv2d",
    "DeviceChoice",
    "ERF",
    "FILTER_KINDS",
    "Field",
    "FilterBank",
    "GridSampling",
    "Gridding",
    "HDCRule",
    "ImageError",
    "ImageInfo",
    "LAYER_KINDS",
    "Layer",
    "LayerSpec",
    "MapRun",
    "MapStats",
    "Measurement",
    "MeasurementRefused",
    "PADDING_MODES",
    "PRESETS",
    "ParsedStack",
    "RF",
    "SeparableCosts",
    "StackPreset",
    "StackRun",
    "StepThrough",
    "Suggestion",
    "WEIGHT_INITS",
    "axis_sampling",
    "branch_fields",
    "build_module",
    "causal_stack",
    "check_padding_mode",
    "choose_device",
    "composed_kernel",
    "conv_cost",
    "counted_cost",
    "coverage",
    "coverage_2d",
    "dilated_stack",
    "effective_kernel_size",
    "effective_receptive_field",
    "equivalent_standard_conv",
    "feature_maps",
    "formula_cost",
    "grid_sampling",
    "gridding",
    "hdc_rule",
    "holes",
    "inspect_image",
    "load_image",
    "make_bank",
    "mass_share",
    "measure_latency",
    "output_size",
    "padding_source",
    "parse_rates",
    "parse_stack",
    "path_counts",
    "pick_device",
    "receptive_field",
    "resolve_padding",
    "run_bank",
    "run_stacks",
    "run_with_fallback",
    "same_receptive_field",
    "sampling_problem",
    "sampling_taps",
    "separable_costs",
    "separable_ratio",
    "separable_ratio_terms",
    "stack_field",
    "stack_response",
    "decode_stack",
    "encode_stack",
    "step_through",
    "suggest_schedule",
    "tune_allocator",
    "union_field",
    "NETWORK_CODES",
    "Network",
    "analyse",
    "builtin",
]
__version__ = "0.1.0"
