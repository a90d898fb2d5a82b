"""The default comparison of each task: the models and settings whose curves tell its lesson.

Plain data (codes and numbers); the page names and explains them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Activation, ModelSpec, parse_model_code


@dataclass(frozen=True)
class RaceDefaults:
    """Models (as codes), kernel size, width, activation, Adam's learning rate and steps to a verdict."""

    models: tuple[str, ...]
    kernel_size: int
    width: int
    activation: Activation
    lr: float
    steps: int

    def specs(self) -> list[ModelSpec]:
        """The models as specs."""
        return [parse_model_code(c, self.kernel_size, self.width, self.activation) for c in self.models]


DEFAULT_RACES: dict[str, RaceDefaults] = {
    # offset (3, 1): HDC reaches it, the gridding schedules have a hole there, DS-DCN learns it too
    "offset": RaceDefaults(("conv:1,2,5", "conv:2,2,2", "conv:2,4,8", "ds:1,2,5"), 3, 8, "relu", 0.01, 300),
    # blank 24 + 4 symbols: a causal field of 32 steps covers the delay of 28, one of 16 does not
    "memory": RaceDefaults(("conv:1,2,4,8,16", "conv:1,2,4,8", "ds:1,2,4,8,16", "conv:1,1,1,1,1"), 2, 16, "relu", 0.01, 300),
    # Gaussian σ = 3 on the test pattern: the gridding stack leaves a checkerboard, HDC does not; the target
    # is a linear filter, so the models are linear too (with ReLU the gridding stack learns nothing at all)
    "filter": RaceDefaults(
        ("conv:1,2,5,1,2,5", "conv:2,2,2,2,2,2", "ds:1,2,5,1,2,5", "conv:1,1,1,1,1,1"), 3, 8, "none", 0.002, 300
    ),
}
