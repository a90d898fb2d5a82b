"""Torch as the reference for receptive-field tests: gradients of real conv1d stacks, random positive
weights, and hypothesis strategies for layer stacks."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from dsdcn import Layer

CPU = torch.device("cpu")


def torch_gradient_1d(layers, n: int, index: int, weights=None, pool="avg") -> np.ndarray:
    """|d out[index] / d input| of a 1-channel conv1d stack with the layers' own padding (zeros)."""
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    h = x + 1.0
    for i, layer in enumerate(layers):
        if layer.kind == "pool":
            if pool == "avg":
                w = torch.full((1, 1, layer.kernel_size), 1.0 / layer.kernel_size, dtype=torch.float64)
            else:
                raise AssertionError(pool)
        elif weights is None:
            w = torch.ones(1, 1, layer.kernel_size, dtype=torch.float64)
        else:
            w = weights[i]
        h = F.conv1d(h, w, stride=layer.stride, dilation=layer.dilation, padding=layer.padding)
    h[0, 0, index].backward()
    return x.grad[0, 0].abs().numpy()


def random_weights(layers, seed: int) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return [torch.rand(1, 1, la.kernel_size, generator=gen, dtype=torch.float64) + 0.5 for la in layers]


layer_st = st.builds(
    Layer,
    kernel_size=st.integers(1, 4),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 4),
    padding=st.integers(0, 3),
    kind=st.sampled_from(["conv", "conv", "pool"]),
)
stacks_st = st.lists(layer_st, min_size=1, max_size=4)
