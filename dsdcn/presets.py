"""Layer-stack presets: classic schedules from the literature, as plain data.

Names and descriptions a person reads live in the page; here are only the stacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .geometry import check_int
from .receptive import Layer

StackMode = Literal["1d", "2d"]


@dataclass(frozen=True)
class StackPreset:
    """A stack, the mode it is meant for, causal padding (1D) and parallel branch rates (ASPP)."""

    key: str
    layers: tuple[Layer, ...]
    mode: StackMode = "2d"
    causal: bool = False
    branch_rates: tuple[int, ...] = ()


def same_conv(kernel_size: int, dilation: int = 1, stride: int = 1) -> Layer:
    """A conv layer with symmetric "same" padding ``d*(k-1)//2``."""
    k = check_int("kernel_size", kernel_size, 1)
    d = check_int("dilation", dilation, 1)
    return Layer(k, stride, d, d * (k - 1) // 2, "conv")


def dilated_stack(dilations: Sequence[int], kernel_size: int = 3) -> tuple[Layer, ...]:
    """Stride-1 conv layers of one kernel size at the given dilations, "same" padding."""
    return tuple(same_conv(kernel_size, d) for d in dilations)


def causal_stack(dilations: Sequence[int], kernel_size: int = 2) -> tuple[Layer, ...]:
    """Stride-1 conv layers for a causal 1D stack; ``padding`` holds the left padding ``d*(k-1)``."""
    k = check_int("kernel_size", kernel_size, 1)
    return tuple(Layer(k, 1, d, d * (k - 1), "conv") for d in dilations)


def _aspp_backbone() -> tuple[Layer, ...]:
    # a ResNet-like trunk with output stride 16: stem 7x7/2, max pool 3x3/2, then stages of 3x3
    # convs whose last layer strides by 2; extent 203 input pixels
    stem = (Layer(7, 2, 1, 3), Layer(3, 2, 1, 1, "pool"))
    stage = (same_conv(3), same_conv(3), same_conv(3))
    down = (Layer(3, 2, 1, 1),)
    return stem + stage + down + stage + down + stage


def _vgg16() -> tuple[Layer, ...]:
    # VGG-16 up to conv5_3: blocks of 3x3 convs separated by 2x2 max pooling with stride 2
    out: list[Layer] = []
    for i, convs in enumerate((2, 2, 3, 3, 3)):
        if i:
            out.append(Layer(2, 2, 1, 0, "pool"))
        out.extend(same_conv(3) for _ in range(convs))
    return tuple(out)


PRESETS: dict[str, StackPreset] = {
    p.key: p
    for p in (
        StackPreset("plain", dilated_stack([1, 1, 1, 1])),
        StackPreset("gridding", dilated_stack([2, 2, 2])),
        StackPreset("hdc", dilated_stack([1, 2, 5])),
        StackPreset("sawtooth", dilated_stack([1, 2, 5, 1, 2, 5])),
        StackPreset("context", dilated_stack([1, 1, 2, 4, 8, 16, 1])),
        StackPreset("wavenet", causal_stack([2**i for i in range(10)], 2), mode="1d", causal=True),
        StackPreset("aspp", _aspp_backbone(), branch_rates=(6, 12, 18)),
        StackPreset("vgg", _vgg16()),
    )
}
