"""The Training lab's library: tasks where the receptive field decides, the models, and the race."""

from .defaults import DEFAULT_RACES, RaceDefaults
from .models import (
    ACTIVATIONS,
    MODEL_KINDS,
    ModelCost,
    ModelSpec,
    build_model,
    copy_weights,
    init_parameters,
    model_code,
    model_cost,
    model_layers,
    parse_model_code,
)
from .race import MAX_RACERS, Race, Racer, RaceRow, model_erf, reach, verdict
from .tasks import (
    FILTER_OPERATORS,
    TASKS,
    FilterTask,
    MemoryTask,
    OffsetTask,
    Task,
    grey_levels,
    wide_filter,
)

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_RACES",
    "FILTER_OPERATORS",
    "MAX_RACERS",
    "MODEL_KINDS",
    "TASKS",
    "FilterTask",
    "MemoryTask",
    "ModelCost",
    "ModelSpec",
    "OffsetTask",
    "Race",
    "RaceDefaults",
    "RaceRow",
    "Racer",
    "Task",
    "build_model",
    "copy_weights",
    "grey_levels",
    "init_parameters",
    "model_code",
    "model_cost",
    "model_erf",
    "model_layers",
    "parse_model_code",
    "reach",
    "verdict",
    "wide_filter",
]
