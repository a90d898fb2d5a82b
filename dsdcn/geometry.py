"""Convolution arithmetic along one spatial axis: sizes, padding and tap positions.

Conventions follow PyTorch: output ``o = floor((n + p_l + p_r - d*(k-1) - 1) / s) + 1`` and
output ``i`` reads inputs ``i*s - p_l + d*m`` for ``m = 0..k-1``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Padding = int | tuple[int, int] | Literal["same", "valid"]
PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]
PADDING_MODES: tuple[str, ...] = ("zeros", "reflect", "replicate", "circular")


def check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` naming ``name`` and the limit."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel in input pixels: ``d*(k-1) + 1``."""
    k = check_int("kernel_size", kernel_size, 1)
    d = check_int("dilation", dilation, 1)
    return d * (k - 1) + 1


def resolve_padding(padding: Padding, kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding as ``(left, right)``.

    ``"valid"`` is no padding. ``"same"`` pads ``d*(k-1)`` in total, ``floor(total/2)`` on the left and
    the rest on the right (PyTorch's rule); with stride ``s`` it gives ``ceil(n/s)`` outputs.
    """
    k_eff = effective_kernel_size(kernel_size, dilation)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0)
        if padding == "same":
            total = k_eff - 1
            return (total // 2, total - total // 2)
        raise ValueError(f"padding must be an int, a (left, right) pair, 'same' or 'valid', got {padding!r}")
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"padding as a pair must be (left, right), got {padding!r}")
        return (check_int("padding (left)", padding[0], 0), check_int("padding (right)", padding[1], 0))
    p = check_int("padding", padding, 0)
    return (p, p)


def output_size(n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1) -> int:
    """Number of outputs of a convolution or pooling over ``n`` inputs (PyTorch's formula).

    Raises ``ValueError`` when the dilated kernel is wider than the padded input.
    """
    n = check_int("n (input size)", n, 1)
    s = check_int("stride", stride, 1)
    k_eff = effective_kernel_size(kernel_size, dilation)
    left, right = resolve_padding(padding, kernel_size, dilation)
    padded = n + left + right
    if k_eff > padded:
        raise ValueError(
            f"dilated kernel is wider than the padded input: effective kernel size "
            f"d*(k-1)+1 = {k_eff} exceeds input size + padding = {padded}; "
            f"use a smaller kernel_size or dilation, more padding, or a larger input"
        )
    return (padded - k_eff) // s + 1


def sampling_taps(
    n: int, kernel_size: int, stride: int = 1, padding: Padding = 0, dilation: int = 1
) -> np.ndarray:
    """Input index read by each tap of each output, shape ``(out, kernel_size)``.

    An index outside ``[0, n)`` reads padding.
    """
    out = output_size(n, kernel_size, stride, padding, dilation)
    left, _ = resolve_padding(padding, kernel_size, dilation)
    starts = np.arange(out, dtype=np.int64) * stride - left
    return starts[:, None] + dilation * np.arange(kernel_size, dtype=np.int64)[None, :]


def padding_source(index: np.ndarray | int, n: int, mode: PaddingMode = "zeros") -> np.ndarray:
    """Real input index that each (possibly padding) index copies; ``-1`` where it reads a zero.

    Follows ``torch.nn.functional.pad``: ``reflect`` mirrors without repeating the edge,
    ``replicate`` repeats the edge, ``circular`` wraps around.
    """
    n = check_int("n (input size)", n, 1)
    idx = np.asarray(index, dtype=np.int64)
    if mode == "zeros":
        return np.where((idx >= 0) & (idx < n), idx, -1)
    if mode == "replicate":
        return np.clip(idx, 0, n - 1)
    if mode == "circular":
        return np.mod(idx, n)
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(idx)
        period = 2 * (n - 1)
        r = np.mod(idx, period)
        return np.where(r < n, r, period - r)
    raise ValueError(f"padding mode must be one of {', '.join(PADDING_MODES)}, got {mode!r}")


def check_padding_mode(mode: PaddingMode, n: int, padding: tuple[int, int]) -> None:
    """Raise ``ValueError`` where PyTorch would refuse this padding for this input size."""
    left, right = padding
    widest = max(left, right)
    if mode == "reflect" and widest >= n:
        raise ValueError(
            f"reflect padding must be smaller than the input: padding {widest} >= input size {n}; "
            f"use less padding, a larger input, or another padding mode"
        )
    if mode == "circular" and widest > n:
        raise ValueError(
            f"circular padding can wrap at most once: padding {widest} > input size {n}; "
            f"use less padding, a larger input, or another padding mode"
        )
    if mode not in PADDING_MODES:
        raise ValueError(f"padding mode must be one of {', '.join(PADDING_MODES)}, got {mode!r}")
