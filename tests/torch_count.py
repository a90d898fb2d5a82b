"""What torch itself counts for a module: the reference the cost tests compare formulas with."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def torch_count(module: nn.Module, x: torch.Tensor) -> tuple[int, int, tuple[int, ...]]:
    """Parameters by ``numel``, forward FLOPs by ``torch.utils.flop_counter`` and the output shape of
    ``module(x)``, run without gradients."""
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        y = module(x)
    return sum(p.numel() for p in module.parameters()), counter.get_total_flops(), tuple(y.shape)
