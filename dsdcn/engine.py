"""Exact algorithms for dilated (dense and grouped) 2D convolutions, and a per-shape chooser.

Every algorithm computes ``F.conv2d(x, weight, bias, stride, padding, dilation, groups)``, with zero
padding or (``padding_mode``) after ``F.pad`` in reflect, replicate or circular mode, as ``nn.Conv2d``
does; they agree to float rounding, not bit for bit (different kernels sum in different orders).
Which is fastest depends on the device, the CPU, the channel count and the dilation, so the chooser
times them on first use of a shape and keeps the winner for the process, like cuDNN's benchmark mode;
like cuDNN's workspace limit, a fast algorithm with a large scratch gives way to a lean one nearly as fast.

- ``nchw``: torch's default call on a contiguous (NCHW) input.
- ``channels_last``: the same call on an NHWC (``channels_last``) input; the output is ``channels_last``.
- ``space_to_batch``: pad, fold the ``d x d`` phase grids of the input into the batch, run the
  *undilated* convolution, unfold (stride 1). A dilated conv is an undilated conv on each phase grid.
- ``space_to_batch_cl``: the same fold done in NHWC memory (rows of ``C`` values move together),
  undilated ``channels_last`` convolution; the output is ``channels_last``.
- ``unfold``: im2col (``F.unfold``) and one batched matrix product per group; refused when the column
  matrix would pass :data:`UNFOLD_BYTES`.
- ``direct``: one loop nest compiled by numba (:mod:`dsdcn.direct`) that sums shifted input rows into
  each output row, padding read in place, no copy of the input: on the CPU, with few taps per output
  (depthwise layers, RGB images), without autograd.

Example: ``conv2d(x, w, padding=8, dilation=8, groups=32)`` times the algorithms on the first call for
that shape, then runs the winner; ``conv2d(..., algorithm="space_to_batch")`` forces one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, get_args

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import direct
from .device import synchronize
from .geometry import check_int, check_padding_mode

Algorithm = Literal["nchw", "channels_last", "space_to_batch", "space_to_batch_cl", "unfold", "direct"]
ALGORITHMS: tuple[Algorithm, ...] = get_args(Algorithm)
#: largest im2col matrix the ``unfold`` algorithm builds, bytes
UNFOLD_BYTES = 256 * 2**20
#: timed runs per candidate after its warm-up run
TRIAL_RUNS = 3
#: a candidate whose warm-up run is this many times slower than the best so far is not timed further
GIVE_UP_FACTOR = 4.0
#: the chooser times a larger call on a band of its rows (first image only) with an output this big
PROBE_BYTES = 16 * 2**20
#: scratch memory above which the fastest algorithm gives way to a leaner one that is nearly as fast
WORKSPACE_BYTES = 64 * 2**20
#: how much slower (as a factor) that leaner algorithm may be
LEAN_SLACK = 1.3

Pair = tuple[int, int]


def _pair(name: str, value: int | tuple[int, int]) -> Pair:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


@dataclass(frozen=True)
class ConvShape:
    """Everything that decides which algorithm is fastest: the chooser's cache key.

    ``size`` is the input's ``(H, W)``; ``layout`` is ``"nchw"`` or ``"channels_last"`` (the input's
    memory format); ``threads`` is torch's intra-op CPU thread count when the shape was seen; ``grad``
    whether autograd records the call (algorithms without a backward do not apply then);
    ``padding_mode`` how the ``padding`` is filled (``zeros``, ``reflect``, ``replicate``, ``circular``).
    """

    device: str
    dtype: str
    batch: int
    in_channels: int
    out_channels: int
    size: Pair
    kernel: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    groups: int
    layout: str
    threads: int
    grad: bool = False
    padding_mode: str = "zeros"


def conv_shape(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> ConvShape:
    """The :class:`ConvShape` of a ``conv2d`` call; raises ``ValueError`` on shapes torch would refuse."""
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"x and weight must be 4D, got {tuple(x.shape)} and {tuple(weight.shape)}")
    s, p, d = _pair("stride", stride), _pair("padding", padding), _pair("dilation", dilation)
    n, c, h, w = (int(v) for v in x.shape)
    co, cg, kh, kw = (int(v) for v in weight.shape)
    if groups < 1 or c != cg * groups or co % groups:
        raise ValueError(f"weight {tuple(weight.shape)} does not fit {c} input channels in {groups} groups")
    _check_axes((h, w), (kh, kw), s, p, d, padding_mode)
    cl = x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous()
    return ConvShape(
        device=str(x.device),
        dtype=str(x.dtype).removeprefix("torch."),
        batch=n,
        in_channels=c,
        out_channels=co,
        size=(h, w),
        kernel=(kh, kw),
        stride=s,
        padding=p,
        dilation=d,
        groups=int(groups),
        layout="channels_last" if cl else "nchw",
        threads=torch.get_num_threads(),
        grad=torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad),
        padding_mode=padding_mode,
    )


def _check_axes(size: Pair, kernel: Pair, s: Pair, p: Pair, d: Pair, padding_mode: str) -> None:
    # per axis: positive stride and dilation, padding >= 0 that the mode can fill, a dilated kernel that fits
    if min(s) < 1 or min(d) < 1 or min(p) < 0:
        raise ValueError(f"stride and dilation must be >= 1 and padding >= 0, got {s}, {d}, {p}")
    for n, pad, dil, k in zip(size, p, d, kernel, strict=True):
        if n + 2 * pad < dil * (k - 1) + 1:
            raise ValueError(f"the dilated kernel ({dil * (k - 1) + 1}) is larger than the padded input")
        check_padding_mode(padding_mode, n, (pad, pad))  # type: ignore[arg-type]


def workspace_bytes(algorithm: Algorithm, shape: ConvShape) -> int:
    """Estimated scratch memory of one call beyond its input and output, bytes (measured on a 2048² RGB
    image: torch's NCHW call about 2x the input, its ``channels_last`` one a copy of the input,
    space-to-batch two input copies and one or two output copies, unfold its column matrix; the direct
    loop nothing, or a dense copy of an input in another layout)."""
    elem = torch.finfo(getattr(torch, shape.dtype)).bits // 8
    oh, ow = output_size(shape)
    x_bytes = shape.batch * shape.in_channels * shape.size[0] * shape.size[1] * elem
    y_bytes = shape.batch * shape.out_channels * oh * ow * elem
    nchw = shape.layout == "nchw"
    return {
        "nchw": 2 * x_bytes,
        "channels_last": 0 if not nchw else x_bytes,
        "space_to_batch": 2 * x_bytes + y_bytes,
        "space_to_batch_cl": 2 * x_bytes + 2 * y_bytes,
        "unfold": _unfold_bytes(shape) + y_bytes,
        "direct": 0 if nchw else x_bytes,
    }[algorithm]


def _lean_winner(shape: ConvShape, timed: dict[str, float]) -> str:
    # the fastest, unless its scratch passes WORKSPACE_BYTES and a leaner algorithm is within LEAN_SLACK
    fastest = min(timed, key=timed.__getitem__)
    if workspace_bytes(fastest, shape) <= WORKSPACE_BYTES:  # type: ignore[arg-type]
        return fastest
    near = [name for name, t in timed.items() if t <= LEAN_SLACK * timed[fastest]]
    return min(near, key=lambda name: (workspace_bytes(name, shape), timed[name]))  # type: ignore[arg-type]


def _unfold_bytes(shape: ConvShape) -> int:
    oh, ow = output_size(shape)
    kh, kw = shape.kernel
    return (
        shape.batch
        * shape.in_channels
        * kh
        * kw
        * oh
        * ow
        * torch.finfo(getattr(torch, shape.dtype)).bits
        // 8
    )


def output_size(shape: ConvShape) -> Pair:
    """``(H_out, W_out)`` of the call: ``floor((n + 2p - d(k-1) - 1) / s) + 1`` per axis."""
    return tuple(  # type: ignore[return-value]
        _out_len(*axis)
        for axis in zip(shape.size, shape.padding, shape.dilation, shape.kernel, shape.stride, strict=True)
    )


def applicable(algorithm: Algorithm, shape: ConvShape) -> bool:
    """Whether ``algorithm`` can run ``shape``: space-to-batch needs stride 1 and a dilation above 1;
    ``unfold`` needs its column matrix under :data:`UNFOLD_BYTES`; ``direct`` needs the CPU, float32
    or float64, few taps per output and no autograd (:func:`dsdcn.direct.applies`)."""
    if algorithm in ("space_to_batch", "space_to_batch_cl"):
        return shape.stride == (1, 1) and max(shape.dilation) > 1
    if algorithm == "unfold":
        return _unfold_bytes(shape) <= UNFOLD_BYTES
    if algorithm == "direct":
        taps = shape.in_channels // shape.groups * shape.kernel[0] * shape.kernel[1]
        return direct.applies(shape.device, shape.dtype, taps, shape.grad)
    return algorithm in ALGORITHMS


def _nchw(
    x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, s: Pair, p: Pair, d: Pair, g: int
) -> torch.Tensor:
    return F.conv2d(x.contiguous(), w, b, s, p, d, g)


def _channels_last(
    x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, s: Pair, p: Pair, d: Pair, g: int
) -> torch.Tensor:
    cl = torch.channels_last
    return F.conv2d(x.contiguous(memory_format=cl), w.contiguous(memory_format=cl), b, s, p, d, g)


def _out_len(n: int, p: int, d: int, k: int, s: int) -> int:
    # PyTorch's output length of one axis
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _fold(x: torch.Tensor, w: torch.Tensor, p: Pair, d: Pair) -> tuple[tuple[int, int, int, int], Pair, Pair]:
    # the zero padding (left, right, top, bottom) that rounds each padded axis up to whole phases of the
    # dilation, the phase grid's size (rows, cols) and the output size (stride 1)
    h, wd = x.shape[-2:]
    kh, kw = w.shape[-2:]
    rows, cols = -(-(h + 2 * p[0]) // d[0]), -(-(wd + 2 * p[1]) // d[1])
    pad = (p[1], cols * d[1] - wd - p[1], p[0], rows * d[0] - h - p[0])
    return pad, (rows, cols), (_out_len(h, p[0], d[0], kh, 1), _out_len(wd, p[1], d[1], kw, 1))


def _space_to_batch(
    x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, s: Pair, p: Pair, d: Pair, g: int
) -> torch.Tensor:
    # output (i, j) reads x_pad[i + dh*m, j + dw*n]: phase (i % dh, j % dw), row i // dh + m of that phase
    n, c = x.shape[:2]
    dh, dw = d
    pad, (a, bb), (oh, ow) = _fold(x, w, p, d)
    xp = F.pad(x, pad)
    xb = xp.reshape(n, c, a, dh, bb, dw).permute(0, 3, 5, 1, 2, 4).reshape(n * dh * dw, c, a, bb)
    y = F.conv2d(xb, w, b, 1, 0, 1, g)
    co, ya, yb = y.shape[1:]
    y = y.reshape(n, dh, dw, co, ya, yb).permute(0, 3, 4, 1, 5, 2).reshape(n, co, ya * dh, yb * dw)
    return y if (ya * dh, yb * dw) == (oh, ow) else y[:, :, :oh, :ow].contiguous()


def _space_to_batch_cl(
    x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, s: Pair, p: Pair, d: Pair, g: int
) -> torch.Tensor:
    # the same fold in NHWC memory: every move copies a row of C values
    n, c = x.shape[:2]
    dh, dw = d
    pad, (a, bb), (oh, ow) = _fold(x, w, p, d)
    xh = F.pad(x.permute(0, 2, 3, 1), (0, 0, *pad))
    xb = xh.reshape(n, a, dh, bb, dw, c).permute(0, 2, 4, 1, 3, 5).reshape(n * dh * dw, a, bb, c)
    y = F.conv2d(xb.permute(0, 3, 1, 2), w.contiguous(memory_format=torch.channels_last), b, 1, 0, 1, g)
    co, ya, yb = y.shape[1:]
    yh = y.permute(0, 2, 3, 1).reshape(n, dh, dw, ya, yb, co).permute(0, 3, 1, 4, 2, 5)
    out = yh.reshape(n, ya * dh, yb * dw, co)
    if (ya * dh, yb * dw) != (oh, ow):
        out = out[:, :oh, :ow].contiguous()
    return out.permute(0, 3, 1, 2)


def _unfold(
    x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, s: Pair, p: Pair, d: Pair, g: int
) -> torch.Tensor:
    n, c, h, wd = x.shape
    co, cg, kh, kw = w.shape
    oh, ow = _out_len(h, p[0], d[0], kh, s[0]), _out_len(wd, p[1], d[1], kw, s[1])
    cols = F.unfold(x, (kh, kw), dilation=d, padding=p, stride=s)  # (N, C*kh*kw, L), channel-major
    cols = cols.reshape(n, g, cg * kh * kw, oh * ow)
    y = torch.matmul(w.reshape(g, co // g, cg * kh * kw), cols)  # (N, g, co/g, L)
    y = y.reshape(n, co, oh, ow)
    return y if b is None else y + b.reshape(1, co, 1, 1)


_RUNNERS: dict[str, Callable[..., torch.Tensor]] = {
    "nchw": _nchw,
    "channels_last": _channels_last,
    "space_to_batch": _space_to_batch,
    "space_to_batch_cl": _space_to_batch_cl,
    "unfold": _unfold,
}


def _run(
    name: str, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, shape: ConvShape
) -> torch.Tensor:
    # one call of an applicable algorithm; the direct loop reads any padding in place, the others (in
    # _RUNNERS) take reflect, replicate or circular padding as F.pad first (nn.Conv2d's way), then none
    p, mode = shape.padding, shape.padding_mode
    if name == "direct":
        return direct.conv2d(x, weight, bias, shape.stride, p, shape.dilation, shape.groups, mode)
    if mode != "zeros" and p != (0, 0):
        x, p = F.pad(x, (p[1], p[1], p[0], p[0]), mode=mode), (0, 0)
    return _RUNNERS[name](x, weight, bias, shape.stride, p, shape.dilation, shape.groups)


def run_algorithm(
    algorithm: Algorithm,
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> torch.Tensor:
    """``F.conv2d`` (after ``F.pad`` in ``padding_mode`` unless zeros) computed by ``algorithm``;
    ``ValueError`` when it does not apply to this shape."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose from {', '.join(ALGORITHMS)}")
    shape = conv_shape(x, weight, stride, padding, dilation, groups, padding_mode)
    if not applicable(algorithm, shape):
        raise ValueError(f"algorithm {algorithm!r} does not apply to this convolution")
    return _run(algorithm, x, weight, bias, shape)


@dataclass(frozen=True)
class Choice:
    """The chooser's verdict for one shape: seconds per candidate (median of the timed runs; the
    warm-up run alone for a candidate given up on, ``given_up``) and the winner: the fastest, or, when
    the fastest's scratch (:func:`workspace_bytes`) passes :data:`WORKSPACE_BYTES`, the leanest of those
    at most :data:`LEAN_SLACK` times slower (a 2048² image lab run then does not hold torch's 100 MB+
    conv scratch for a few per cent of speed)."""

    shape: ConvShape
    seconds: dict[str, float]
    given_up: tuple[str, ...]
    winner: Algorithm

    def speedup(self, baseline: str = "nchw") -> float | None:
        """``baseline`` seconds over the winner's (None when the baseline was not timed)."""
        base = self.seconds.get(baseline)
        return None if base is None else base / self.seconds[self.winner]


def time_algorithms(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
    candidates: tuple[Algorithm, ...] = ALGORITHMS,
    runs: int = TRIAL_RUNS,
    padding_mode: str = "zeros",
) -> Choice:
    """Time every applicable candidate: one warm-up run, then ``runs`` timed runs (synchronised on a
    GPU); a candidate whose warm-up is :data:`GIVE_UP_FACTOR` times slower than the best so far is not
    timed further. ``nchw`` always runs first: it is the reference. A call whose output passes
    :data:`PROBE_BYTES` is timed on :func:`probe_input` (a band of rows of the first image, same
    layout): which kernel torch picks depends on layout, channels and dilation, not on the height.
    The winner weighs memory too (:class:`Choice`)."""
    shape = conv_shape(x, weight, stride, padding, dilation, groups, padding_mode)
    x = probe_input(x, shape)
    probe = conv_shape(x, weight, stride, padding, dilation, groups, padding_mode)
    order = ["nchw", *(a for a in candidates if a != "nchw")]
    seconds: dict[str, float] = {}
    given_up: list[str] = []
    with torch.no_grad():
        for name in order:
            if not applicable(name, shape):  # type: ignore[arg-type]
                continue
            run = partial(_run, name, x, weight, bias, probe)
            if name == "direct":
                direct.prepare(shape.dtype)  # compiling the loop is not part of its time
            synchronize(x.device)
            t0 = time.perf_counter()
            run()
            synchronize(x.device)
            warm = time.perf_counter() - t0
            best = min(seconds.values(), default=None)
            if best is not None and warm > GIVE_UP_FACTOR * best:
                seconds[name] = warm
                given_up.append(name)
                continue
            times = []
            for _ in range(max(1, runs)):
                t0 = time.perf_counter()
                run()
                synchronize(x.device)
                times.append(time.perf_counter() - t0)
            seconds[name] = float(np.median(times))
    timed = {k: v for k, v in seconds.items() if k not in given_up}
    winner = _lean_winner(shape, timed)
    return Choice(shape, seconds, tuple(given_up), winner)  # type: ignore[arg-type]


def probe_input(x: torch.Tensor, shape: ConvShape, max_bytes: int = PROBE_BYTES) -> torch.Tensor:
    """``x`` itself when the call's output is at most ``max_bytes``; else the first image's top rows,
    as few as give about ``max_bytes`` of output (never fewer than the dilated kernel needs), copied
    once into ``x``'s memory layout."""
    oh, ow = output_size(shape)
    elem = x.element_size()
    if shape.batch * shape.out_channels * oh * ow * elem <= max_bytes:
        return x
    per_row = shape.out_channels * ow * elem * shape.stride[0]
    span = shape.dilation[0] * (shape.kernel[0] - 1) + 1
    least = max(span - 2 * shape.padding[0], shape.padding[0] + 1, 1)  # reflect pads need more rows
    rows = min(shape.size[0], max(least, max_bytes // max(per_row, 1)))
    fmt = torch.channels_last if shape.layout == "channels_last" else torch.contiguous_format
    return x[:1, :, :rows].contiguous(memory_format=fmt)


#: verdicts a chooser keeps, the least recently used dropped first: a server meets new shapes with every
#: image size (the Image lab's bands: two shapes per dilation), a verdict is under 1 KB
MAX_SHAPES = 1024


class Chooser:
    """Process-wide memory of the fastest algorithm per :class:`ConvShape` (thread-safe), for at most
    ``max_shapes`` shapes.

    ``force`` pins one algorithm for every shape it applies to (None: choose by timing)."""

    def __init__(self, candidates: tuple[Algorithm, ...] = ALGORITHMS, max_shapes: int = MAX_SHAPES) -> None:
        unknown = set(candidates) - set(ALGORITHMS)
        if unknown or not candidates:
            raise ValueError(f"unknown algorithms {sorted(unknown)}; choose from {', '.join(ALGORITHMS)}")
        self.max_shapes = check_int("max_shapes", max_shapes, 1)
        self.candidates = tuple(candidates)
        self.force: Algorithm | None = None
        self._choices: dict[ConvShape, Choice] = {}
        self._lock = threading.Lock()

    def choices(self) -> tuple[Choice, ...]:
        """Every verdict so far, oldest first."""
        with self._lock:
            return tuple(self._choices.values())

    def clear(self) -> None:
        """Forget every verdict (the next call of each shape times again)."""
        with self._lock:
            self._choices.clear()

    def choose(
        self,
        x: torch.Tensor,
        weight: torch.Tensor,
        bias: torch.Tensor | None = None,
        stride: int | Pair = 1,
        padding: int | Pair = 0,
        dilation: int | Pair = 1,
        groups: int = 1,
        padding_mode: str = "zeros",
    ) -> Algorithm:
        """The algorithm to use for this call: the forced one if it applies, else the remembered
        winner of its shape, timing the candidates on the first call of a shape."""
        shape = conv_shape(x, weight, stride, padding, dilation, groups, padding_mode)
        if self.force is not None and applicable(self.force, shape):
            return self.force
        with self._lock:
            known = self._choices.pop(shape, None)
            if known is not None:
                self._choices[shape] = known  # the most recently used last
        if known is None:
            known = time_algorithms(
                x, weight, bias, stride, padding, dilation, groups, self.candidates, padding_mode=padding_mode
            )
            with self._lock:
                known = self._choices.setdefault(shape, known)
                while len(self._choices) > self.max_shapes:
                    del self._choices[next(iter(self._choices))]
        return known.winner


#: the chooser :func:`conv2d` uses by default
CHOOSER = Chooser()


def conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
    algorithm: Algorithm | Literal["auto"] = "auto",
    chooser: Chooser | None = None,
    padding_mode: str = "zeros",
) -> torch.Tensor:
    """``F.conv2d`` by the fastest exact algorithm for this shape, or by ``algorithm``; ``padding`` is
    zeros or, by ``padding_mode``, reflect, replicate or circular (as ``nn.Conv2d`` pads).

    ``(N, C_in, H, W)``, weight ``(C_out, C_in / groups, kh, kw)`` -> ``(N, C_out, H_out, W_out)``.
    The result is dense in memory, NCHW or ``channels_last`` (by the algorithm); its values agree with
    ``F.conv2d`` to rounding.
    """
    if algorithm == "auto":
        algorithm = (chooser or CHOOSER).choose(
            x, weight, bias, stride, padding, dilation, groups, padding_mode
        )
    return run_algorithm(algorithm, x, weight, bias, stride, padding, dilation, groups, padding_mode)


class ChosenConv2d(nn.Conv2d):
    """An ``nn.Conv2d`` (same parameters, same ``state_dict``) whose forward runs :func:`conv2d`:
    ``algorithm="auto"`` picks the fastest exact algorithm per input shape, or name one to force it; a
    named one that does not apply to a call (``direct`` while training, space-to-batch at d = 1) gives
    way to the chooser for that call.

    Count FLOPs on a plain ``nn.Conv2d`` with the same weights: ``torch.utils.flop_counter`` would also
    count the chooser's trial runs of a new shape and the algorithms' own work (space-to-batch computes
    the rounded-up phase grids)."""

    def __init__(
        self, *args: object, algorithm: Algorithm | Literal["auto"] = "auto", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if algorithm != "auto" and algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}; choose from auto, {', '.join(ALGORITHMS)}")
        if isinstance(self.padding, str):
            raise ValueError("ChosenConv2d takes numeric padding; resolve 'same' / 'valid' first")
        self.algorithm = algorithm

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, H, W) -> (N, C_out, H_out, W_out)``."""
        args = (self.stride, self.padding, self.dilation, self.groups)
        algorithm = self.algorithm
        if algorithm != "auto":
            shape = conv_shape(x, self.weight, *args, self.padding_mode)  # type: ignore[arg-type]
            algorithm = algorithm if applicable(algorithm, shape) else "auto"  # type: ignore[arg-type]
        return conv2d(
            x,
            self.weight,
            self.bias,
            *args,  # type: ignore[arg-type]
            algorithm=algorithm,  # type: ignore[arg-type]
            padding_mode=self.padding_mode,
        )

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, algorithm={self.algorithm}"
