"""Latency of each layer of a network on a device, measured (warm-up and median as on the Cost page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from ..measure import time_runs
from .table import MERGES, Network, analyse
from .torch_build import layer_input_shape, layer_module

MAX_MACS = 40_000_000_000  # a whole network measured on demand stays within seconds
MAX_BYTES = 2_000_000_000  # the largest activation any one layer may read or write (float32)


@dataclass(frozen=True)
class LayerTime:
    """Median latency of one layer (seconds; ``None`` for merges, which are not timed) and its MACs."""

    name: str
    median: float | None
    macs: int


def check_measurable(net: Network) -> None:
    """``ValueError`` when timing every layer would take too long or too much memory."""
    a = analyse(net)
    if a.totals.macs > MAX_MACS:
        raise ValueError(f"{a.totals.macs:,} MACs is more than {MAX_MACS:,}: choose a smaller input")
    biggest = max(r.memory for r in a.rows)
    if biggest > MAX_BYTES:
        raise ValueError(
            f"one layer's output takes {biggest:,} bytes, more than {MAX_BYTES:,}: choose a smaller input"
        )


def time_layers(
    net: Network,
    device: torch.device | str = "cpu",
    progress: Callable[[int, int], None] | None = None,
    warmup: int = 1,
    repeats: int = 5,
    max_seconds: float = 0.3,
    seed: int = 0,
) -> list[LayerTime]:
    """Each layer alone on a random input of its shape, after ``warmup`` runs: the median of ``repeats``
    (fewer when they take over ``max_seconds``). ``progress(done, total)`` after each layer."""
    check_measurable(net)
    rows = analyse(net).rows
    dev = torch.device(device)
    gen = torch.Generator().manual_seed(seed)
    out: list[LayerTime] = []
    for i, row in enumerate(rows):
        if row.layer.kind in MERGES:
            out.append(LayerTime(row.layer.name, None, row.macs))
        else:
            module = layer_module(net, i).to(dev).eval()
            x = torch.randn(1, *layer_input_shape(net, i), generator=gen).to(dev)
            with torch.inference_mode():
                timing = time_runs(lambda m=module, x=x: m(x), dev, warmup, repeats, max_seconds)
            out.append(LayerTime(row.layer.name, timing.median, row.macs))
        if progress is not None:
            progress(i + 1, len(rows))
    return out
