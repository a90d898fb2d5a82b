"""A direct dilated convolution on the CPU: one loop nest compiled by numba, no copies of the input.

Each output row is the sum, over the taps ``(i, j)`` of each input channel of its group, of one input row
(row ``r*s + i*d - p``) times the tap's weight, shifted by ``j*d - p`` columns. Padding is never built:
a zero-padding row or column is skipped, and a reflect, replicate or circular one reads the pixel it
copies. The inner loop runs over contiguous
memory and LLVM vectorises it; the few input rows an output row reads stay in cache, so a call costs
about as much as writing its output, at any dilation (torch's CPU kernels leave their fast paths at
larger dilations). It pays when the multiply-adds per output, ``C_in / groups * kh * kw``, are few
(depthwise layers, an RGB image); from :data:`MAX_TAPS` on, torch's matrix-product kernels do better.

numba is optional: without it, on a GPU, in other dtypes than float32/float64, or when autograd records
the call, the algorithm does not apply and the chooser times the others. The first call in a process
compiles the loop (about 2 s, or about 0.5 s from numba's on-disk cache): :func:`prepare` does that
outside any timing.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache, lru_cache
from types import ModuleType

import torch

from .geometry import output_size

#: the most multiply-adds per output (``C_in / groups * kh * kw``) the direct loop takes on
MAX_TAPS = 81
Pair = tuple[int, int]

# one call at a time: numba's thread pool is not safe to enter from two Python threads at once
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether numba is installed (the loop itself is compiled on first use)."""
    return importlib.util.find_spec("numba") is not None


def applies(device: str, dtype: str, taps: int, grad: bool) -> bool:
    """Whether the direct loop can run a call: on the CPU, in float32 or float64, with at most
    :data:`MAX_TAPS` multiply-adds per output, with no autograd graph to record, numba installed."""
    return (
        device == "cpu" and dtype in ("float32", "float64") and taps <= MAX_TAPS and not grad and available()
    )


@lru_cache(maxsize=1)
def _module() -> ModuleType:
    from . import _direct_loop

    return _direct_loop


@cache
def prepare(dtype: str = "float32") -> None:
    """Compile (or load from numba's cache) the loop for ``dtype``, once per process: about 2 s the
    first time, about 0.5 s from the cache."""
    x = torch.ones(1, 1, 1, 1, dtype=getattr(torch, dtype))
    conv2d(x, x, None, (1, 1), (0, 0), (1, 1), 1)


MODES = {"zeros": 0, "reflect": 1, "replicate": 2, "circular": 3}


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    padding_mode: str = "zeros",
) -> torch.Tensor:
    """``F.conv2d`` after ``F.pad`` in ``padding_mode`` (zero padding: ``F.conv2d`` itself) by the direct
    loop; an NCHW result on the CPU (float rounding differs from torch's kernels: the taps are summed in
    their own order). The caller checks the padding fits the mode (:func:`dsdcn.engine.conv_shape`)."""
    loop = _module().loop
    co = int(weight.shape[0])
    oh, ow = (
        output_size(int(x.shape[2 + a]), int(weight.shape[2 + a]), stride[a], padding[a], dilation[a])
        for a in (0, 1)
    )
    out = torch.empty(int(x.shape[0]), co, oh, ow, dtype=x.dtype)
    b = bias if bias is not None else torch.zeros(co, dtype=x.dtype)
    xs, ws, bs = (t.detach().contiguous().numpy() for t in (x, weight, b))
    import numba

    with _LOCK:
        numba.set_num_threads(max(1, min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)))
        loop(xs, ws, bs, out.numpy(), *stride, *padding, *dilation, groups, MODES[padding_mode])
    return out
