"""Run on an accelerator; if it runs out of memory, run again on the CPU and say so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import torch

T = TypeVar("T")


@dataclass(frozen=True)
class Fallback:
    """Set when a run on ``device`` ran out of memory and was repeated on the CPU."""

    device: str
    error: str


def run_with_fallback(
    run: Callable[[torch.device], T], device: torch.device
) -> tuple[T, torch.device, Fallback | None]:
    """``run(device)``; if an accelerator runs out of memory, free its cache and ``run(cpu)`` instead.

    Returns the result, the device it ran on and, after a fallback, what happened. An out-of-memory
    error on the CPU itself is raised.
    """
    try:
        return run(device), device, None
    except torch.OutOfMemoryError as exc:
        if device.type == "cpu":
            raise
        if device.type == "cuda" and torch.cuda.is_available():
            torch.cuda.empty_cache()
        cpu = torch.device("cpu")
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return run(cpu), cpu, Fallback(str(device), first_line[:200])
