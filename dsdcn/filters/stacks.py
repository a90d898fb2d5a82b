"""Stacks: the same filter N times with a dilation schedule on a real image (gridding), and the stack's response."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from ..device import synchronize
from ..geometry import check_int
from ..stack import parse_rates
from .maps import MAX_DILATION, _same_conv, check_padding
from .run import _to_half, centre_crop_box, preview_size

MAX_STACK_LAYERS = 8


def parse_schedule(text: str) -> tuple[int, ...]:
    """``"1, 2, 5"`` -> ``(1, 2, 5)``: :func:`dsdcn.stack.parse_rates` with 1 to :data:`MAX_STACK_LAYERS`
    dilations of at most :data:`MAX_DILATION`."""
    rates = parse_rates(text, max_rates=MAX_STACK_LAYERS, max_rate=MAX_DILATION)
    if not rates:
        raise ValueError("schedule must list at least one dilation, such as '1, 2, 5'")
    return rates


def stack_extent(kernel_size: int, schedule: Sequence[int]) -> int:
    """Receptive-field extent of the stack: ``1 + sum d_l*(k-1)``."""
    k = check_int("kernel_size", kernel_size, 1)
    return 1 + sum(check_int("dilation", d, 1) * (k - 1) for d in schedule)


def run_stack(
    x: torch.Tensor, kernel: torch.Tensor, schedule: Sequence[int], padding_mode: str = "zeros"
) -> torch.Tensor:
    """``kernel`` (``(k, k)``) applied to every channel of ``x`` once per dilation in ``schedule``.

    Each layer is a depthwise conv (``groups = C``, "same" padding), so a colour image stays a colour
    image. Returns ``(1, C, H, W)``.
    """
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be square with an odd size, got shape {tuple(kernel.shape)}")
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"x must be a (1, C, H, W) tensor, got shape {tuple(x.shape)}")
    c, h, w = int(x.shape[1]), int(x.shape[2]), int(x.shape[3])
    k = int(kernel.shape[0])
    weight = kernel.to(device=x.device, dtype=x.dtype).expand(c, 1, k, k).contiguous()
    y = x.contiguous(memory_format=torch.channels_last)
    for d in schedule:
        check_int("dilation", d, 1)
        check_padding(h, w, k, d, padding_mode)
        y = _same_conv(y, weight, d, padding_mode, c)
    return y


def stack_response(kernel: torch.Tensor | np.ndarray, schedule: Sequence[int]) -> np.ndarray:
    """Weight of each input offset in one output of the stack, ``(R, R)`` float64, ``R`` = extent.

    Entry ``[R//2 + dy, R//2 + dx]`` multiplies the input ``dy, dx`` pixels from the output; an exact 0
    inside the extent is a hole only if no path reaches it (see :func:`dsdcn.coverage_2d`). Found by
    shift-and-add (float64), the response growing layer by layer: layer ``l`` adds its ``k^2`` weights
    times the response so far, shifted by ``d_l`` per tap (``dsdcn.budget.response_adds`` operations;
    13x faster here than convolving an impulse of the full extent, and equal to it).
    """
    w = np.asarray(torch.as_tensor(kernel).cpu().numpy() if isinstance(kernel, torch.Tensor) else kernel)
    w = w.astype(np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be square with an odd size, got shape {tuple(w.shape)}")
    k = int(w.shape[0])
    stack_extent(k, schedule)
    out = np.ones((1, 1))
    for d in schedule:
        r = out.shape[0]
        grown = np.zeros((r + d * (k - 1),) * 2)
        scratch = np.empty_like(out)
        for m in range(k):
            for n in range(k):
                if w[m, n] != 0.0:
                    np.multiply(out, w[m, n], out=scratch)
                    grown[m * d : m * d + r, n * d : n * d + r] += scratch
        out = grown
    return out


def response_cells(response: np.ndarray, max_cells: int = 257) -> tuple[np.ndarray, list[int]]:
    """A response (odd ``R x R``) reduced to at most ``max_cells`` cells a side for drawing, and the offset
    at the centre of each cell. Cells are ``b x b`` blocks (``b`` odd, the centre cell centred on offset 0)
    holding their mean; a cell is exactly 0 only where its whole block is (holes stay visible as blanks
    when they fill a cell). ``b = 1`` (the response itself) when ``R <= max_cells``."""
    r = np.asarray(response, dtype=np.float64)
    size = int(r.shape[0])
    check_int("max_cells", max_cells, 1)
    b = max(1, math.ceil(size / max_cells))
    b += 1 - b % 2
    n = math.ceil(size / b)
    n += 1 - n % 2
    pad = (n * b - size) // 2
    padded = np.zeros((n * b, n * b))
    padded[pad : pad + size, pad : pad + size] = r
    blocks = padded.reshape(n, b, n, b)
    mean = blocks.mean(axis=(1, 3))
    touched = (blocks != 0).any(axis=(1, 3))
    tiny = np.finfo(np.float64).tiny
    cells = np.where(touched & (mean == 0), tiny, mean)  # a block reached by paths is never blank
    return cells, [(i - n // 2) * b for i in range(n)]


@dataclass(frozen=True)
class StackRun:
    """Two schedules of the same filter on one image (A, then B), reduced for display.

    ``preview``/``crop``: ``(2, C, h, w)`` float16 as in :class:`MapRun`; ``responses``: the stacks'
    weights per input offset (:func:`stack_response`); ``diff_mean_abs``/``diff_max_abs``: ``|A - B|``
    over the full-resolution outputs.
    """

    schedules: tuple[tuple[int, ...], tuple[int, ...]]
    preview: np.ndarray
    crop: np.ndarray
    crop_box: tuple[int, int, int, int]
    responses: tuple[np.ndarray, np.ndarray]
    minimum: float
    maximum: float
    diff_mean_abs: float
    diff_max_abs: float
    seconds: tuple[float, float]
    device: str


def run_stacks(
    x: torch.Tensor,
    kernel: torch.Tensor,
    schedule_a: Sequence[int],
    schedule_b: Sequence[int],
    padding_mode: str = "zeros",
    preview_side: int = 384,
    crop_side: int = 192,
) -> StackRun:
    """:func:`run_stack` for two schedules on ``x``; both outputs reduced to previews and a centre crop."""
    device = x.device
    h, w = int(x.shape[2]), int(x.shape[3])
    ph, pw = preview_size(h, w, preview_side)
    top, left, ch, cw = centre_crop_box(h, w, crop_side)
    outs: list[torch.Tensor] = []
    seconds: list[float] = []
    with torch.inference_mode():
        for schedule in (schedule_a, schedule_b):
            synchronize(device)
            t0 = time.perf_counter()
            outs.append(run_stack(x, kernel, schedule, padding_mode)[0])
            synchronize(device)
            seconds.append(time.perf_counter() - t0)
        both = torch.stack(outs)
        preview = _to_half(F.adaptive_avg_pool2d(both, (ph, pw)))
        crop = _to_half(both[:, :, top : top + ch, left : left + cw])
        diff = (outs[0] - outs[1]).reshape(-1)
        lo, hi = float(both.amin()), float(both.amax())
        dmean = float(torch.linalg.vector_norm(diff, ord=1)) / diff.numel()
        dmax = float(diff.abs().amax())
    responses = (stack_response(kernel.cpu(), schedule_a), stack_response(kernel.cpu(), schedule_b))
    return StackRun(
        schedules=(tuple(schedule_a), tuple(schedule_b)),
        preview=preview,
        crop=crop,
        crop_box=(top, left, ch, cw),
        responses=responses,
        minimum=lo,
        maximum=hi,
        diff_mean_abs=dmean,
        diff_max_abs=dmax,
        seconds=(seconds[0], seconds[1]),
        device=str(device),
    )
