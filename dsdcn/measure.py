"""Real modules for each layer kind: counted params and FLOPs, and latency measured on a device.

Counting builds the modules on PyTorch's ``meta`` device (shapes only, nothing allocated) and runs
``torch.utils.flop_counter`` on the forward pass only: its backward count of grouped convolutions is
too large (it ignores ``groups`` in the weight gradient). FLOPs are ``2 * MACs``, bias not counted.

Measuring checks the memory the run needs against what the device has *before* allocating, warms up,
synchronises (CUDA events on a GPU) and keeps every run, so the median and the spread can be shown.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from . import budget, engine
from .cost import CONV_KINDS, ConvKind, Cost, conv_cost
from .device import available_memory, cpu_threads, synchronize
from .geometry import Padding, check_int, resolve_padding
from .layers import DSDilatedConv2d
from .receptive import Layer, receptive_field

DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}
MEMORY_FORMATS: tuple[str, ...] = ("contiguous", "channels_last")
SWEEP_KINDS: tuple[str, ...] = ("depthwise", "standard")
RefusalCode = Literal["refused", "busy", "failed"]


class MeasurementRefused(ValueError):
    """A measurement was not started (too much memory or too many FLOPs); the message says what to change.

    Also the value a caller keeps in place of a result it has no timing for: ``code`` says why
    (``refused``: this library refused it; ``busy``: the room's memory was held by other requests;
    ``failed``: torch raised, the message is its first line). Use ``of`` to make one from an error.
    """

    def __init__(self, message: str = "", code: RefusalCode = "refused") -> None:
        super().__init__(message)
        self.code: RefusalCode = code

    def __reduce__(self) -> tuple[type[MeasurementRefused], tuple[str, RefusalCode]]:
        return type(self), (str(self), self.code)

    @classmethod
    def of(cls, err: BaseException) -> MeasurementRefused:
        """``err`` as a value without its traceback: a refusal as it is, ``budget.Busy`` as ``busy``,
        anything else as ``failed`` with the first line of its message (at most 300 characters)."""
        if isinstance(err, MeasurementRefused):
            return cls(str(err), err.code)
        if isinstance(err, budget.Busy):
            return cls(str(err), "busy")
        return cls((str(err).splitlines() or [""])[0][:300], "failed")


@dataclass(frozen=True)
class LayerSpec:
    """One convolution layer of a given ``kind`` (see ``dsdcn.conv_cost`` for what each kind means)."""

    kind: ConvKind
    in_channels: int
    out_channels: int
    kernel_size: int = 3
    dilation: int = 1
    stride: int = 1
    depth_multiplier: int = 1
    padding: Padding = "same"
    bias: bool = False

    def __post_init__(self) -> None:
        if self.kind not in CONV_KINDS:
            raise ValueError(f"kind must be one of {', '.join(CONV_KINDS)}, got {self.kind!r}")
        check_int("in_channels", self.in_channels, 1)
        check_int("out_channels", self.out_channels, 1)
        check_int("kernel_size", self.kernel_size, 1)
        check_int("dilation", self.dilation, 1)
        check_int("stride", self.stride, 1)
        check_int("depth_multiplier", self.depth_multiplier, 1)
        resolve_padding(self.padding, self.kernel_size, self.dilation)

    @property
    def produced_channels(self) -> int:
        """Channels of the output: ``C_in*m`` for a depthwise layer, ``out_channels`` otherwise."""
        if self.kind == "depthwise":
            return self.in_channels * self.depth_multiplier
        return self.out_channels

    def cost(self, height: int, width: int) -> Cost:
        """Params and MACs from the formula (``dsdcn.conv_cost``) for one image."""
        return conv_cost(
            self.kind,
            self.in_channels,
            self.out_channels,
            self.kernel_size,
            height,
            width,
            stride=self.stride,
            dilation=self.dilation,
            padding=self.padding,
            depth_multiplier=self.depth_multiplier,
            bias=self.bias,
        )


Stack = Sequence[LayerSpec]


def _as_stack(specs: LayerSpec | Stack) -> tuple[LayerSpec, ...]:
    stack = (specs,) if isinstance(specs, LayerSpec) else tuple(specs)
    if not stack:
        raise ValueError("specs must hold at least one LayerSpec")
    for i, spec in enumerate(stack):
        if not isinstance(spec, LayerSpec):
            raise ValueError(f"specs[{i}] must be a LayerSpec, got {type(spec).__name__}")
        if i and spec.in_channels != stack[i - 1].produced_channels:
            raise ValueError(
                f"specs[{i}].in_channels must equal the channels produced by layer {i - 1} "
                f"({stack[i - 1].produced_channels}), got {spec.in_channels}"
            )
    return stack


def _conv(spec: LayerSpec, out_channels: int, kernel_size: int, dilation: int, groups: int) -> nn.Module:
    # nn.Conv2d with PyTorch's own padding when symmetric, an explicit ZeroPad2d in front otherwise
    left, right = resolve_padding(spec.padding, kernel_size, dilation)
    conv = nn.Conv2d(
        spec.in_channels,
        out_channels,
        kernel_size,
        stride=spec.stride,
        padding=left if left == right else 0,
        dilation=dilation,
        groups=groups,
        bias=spec.bias,
    )
    if left == right:
        return conv
    return nn.Sequential(nn.ZeroPad2d((left, right, left, right)), conv)


def _build_one(spec: LayerSpec) -> nn.Module:
    if spec.kind == "standard":
        return _conv(spec, spec.out_channels, spec.kernel_size, spec.dilation, 1)
    if spec.kind == "depthwise":
        return _conv(spec, spec.produced_channels, spec.kernel_size, spec.dilation, spec.in_channels)
    if spec.kind == "pointwise":
        return _conv(spec, spec.out_channels, 1, 1, 1)
    return DSDilatedConv2d(
        spec.in_channels,
        spec.out_channels,
        spec.kernel_size,
        dilation=spec.dilation,
        stride=spec.stride,
        padding=spec.padding,
        depth_multiplier=spec.depth_multiplier,
        bias=spec.bias,
    )


def build_module(
    specs: LayerSpec | Stack,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
    generator: torch.Generator | None = None,
) -> nn.Module:
    """The real torch module for ``specs`` (one layer, or an ``nn.Sequential`` for a stack).

    Weights are drawn from ``generator`` (on the CPU, scaled by ``1/sqrt(fan_in)``), never from
    torch's global random state. On the ``meta`` device nothing is allocated or drawn.
    """
    stack = _as_stack(specs)
    with torch.device("meta"):
        layers = [_build_one(s) for s in stack]
    module = layers[0] if len(layers) == 1 else nn.Sequential(*layers)
    module.eval()
    if torch.device(device).type == "meta":
        return module
    module = module.to_empty(device="cpu")
    gen = generator if generator is not None else torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in module.parameters():
            fan_in = p[0].numel() if p.dim() > 1 else 1
            p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))
    return module.to(device=device, dtype=dtype)


def formula_cost(specs: LayerSpec | Stack, height: int, width: int) -> Cost:
    """Params and MACs of a layer or a stack from the formula, for one image (``dsdcn.conv_cost``)."""
    stack = _as_stack(specs)
    params = macs = 0
    h, w = height, width
    for spec in stack:
        c = spec.cost(h, w)
        params += c.params
        macs += c.macs
        h, w = c.out_height, c.out_width
    return Cost(params, macs, h, w, stack[-1].produced_channels)


@dataclass(frozen=True)
class Counted:
    """Params by ``numel`` of the real module; forward FLOPs by ``torch.utils.flop_counter``."""

    params: int
    flops: int
    output_shape: tuple[int, ...]

    @property
    def macs(self) -> int:
        """``flops / 2`` (the counter reports 2 FLOPs per multiply-add)."""
        return self.flops // 2


def counted_cost(specs: LayerSpec | Stack, height: int, width: int, batch: int = 1) -> Counted:
    """Count params and forward FLOPs of the real module on a ``(batch, C_in, height, width)`` input.

    Runs on the ``meta`` device: any shape can be counted, nothing is allocated.
    """
    stack = _as_stack(specs)
    check_int("height", height, 1)
    check_int("width", width, 1)
    b = check_int("batch", batch, 1)
    formula_cost(stack, height, width)  # raises a readable ValueError for kernels wider than the input
    module = build_module(stack, device="meta")
    x = torch.empty(b, stack[0].in_channels, height, width, device="meta")
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        y = module(x)
    params = sum(p.numel() for p in module.parameters())
    return Counted(int(params), int(counter.get_total_flops()), tuple(y.shape))


def _bytes_of(dtype: torch.dtype) -> int:
    return torch.empty((), dtype=dtype, device="meta").element_size()


def _layer_tensors(spec: LayerSpec, batch: int, height: int, width: int) -> dict[str, int]:
    # element counts of the tensors one layer touches
    c = spec.cost(height, width)
    positions = c.out_height * c.out_width
    mid = spec.in_channels * spec.depth_multiplier if spec.kind == "separable" else 0
    k = 1 if spec.kind == "pointwise" else spec.kernel_size
    d = 1 if spec.kind == "pointwise" else spec.dilation
    left, right = resolve_padding(spec.padding, k, d)
    padded = 0
    if left != right:
        padded = batch * spec.in_channels * (height + left + right) * (width + left + right)
    # im2col buffer of a fallback (non-oneDNN / non-cuDNN) standard convolution, one image
    columns = spec.in_channels * k * k * positions if spec.kind == "standard" and k > 1 else 0
    return {
        "input": batch * spec.in_channels * height * width,
        "weights": c.params,
        "output": batch * c.out_channels * positions,
        "intermediate": batch * mid * positions,
        "padded": padded,
        "columns": columns,
        "out_height": c.out_height,
        "out_width": c.out_width,
    }


def memory_estimate(
    specs: LayerSpec | Stack, height: int, width: int, batch: int = 1, dtype: torch.dtype = torch.float32
) -> int:
    """Bytes a forward pass may hold at its peak (input, weights, every output, intermediates, padded
    copies and an im2col buffer), counted generously so a refusal errs on the safe side."""
    stack = _as_stack(specs)
    formula_cost(stack, height, width)
    total = batch * stack[0].in_channels * height * width
    h, w = height, width
    for spec in stack:
        t = _layer_tensors(spec, batch, h, w)
        total += t["weights"] + t["output"] + t["intermediate"] + t["padded"] + t["columns"]
        h, w = t["out_height"], t["out_width"]
    return total * _bytes_of(dtype)


def traffic_bytes(
    specs: LayerSpec | Stack, height: int, width: int, batch: int = 1, dtype: torch.dtype = torch.float32
) -> int:
    """Least memory traffic of a forward pass: every layer reads its input and weights once and writes
    its output once; a separable layer also writes and reads its intermediate. Bytes, for GB/s."""
    stack = _as_stack(specs)
    formula_cost(stack, height, width)
    total = 0
    h, w = height, width
    for spec in stack:
        t = _layer_tensors(spec, batch, h, w)
        total += t["input"] + t["weights"] + t["output"] + 2 * t["intermediate"]
        h, w = t["out_height"], t["out_width"]
    return total * _bytes_of(dtype)


def arithmetic_intensity(
    specs: LayerSpec | Stack, height: int, width: int, batch: int = 1, dtype: torch.dtype = torch.float32
) -> float:
    """Forward FLOPs per byte of least memory traffic (``traffic_bytes``). Low values (a few FLOP/byte,
    as for a depthwise layer) mean the layer waits on memory, not on arithmetic."""
    flops = 2 * formula_cost(specs, height, width).macs * check_int("batch", batch, 1)
    return flops / traffic_bytes(specs, height, width, batch, dtype)


def flop_limit(device: torch.device | str, dtype: torch.dtype = torch.float32) -> float:
    """Most FLOPs per forward pass a measurement is allowed, so one run stays around a second.

    CPU: 5e9 (5e8 in float16, which CPUs mostly emulate); GPUs: 2e12.
    """
    kind = torch.device(device).type
    if kind == "cpu":
        return 5e8 if dtype == torch.float16 else 5e9
    return 2e12


def format_bytes(n: int | float) -> str:
    """``1536 -> '1.5 KiB'``: bytes in binary units, for messages."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def check_fits(
    specs: LayerSpec | Stack,
    height: int,
    width: int,
    batch: int,
    device: torch.device | str,
    dtype: torch.dtype = torch.float32,
    fraction: float = 0.5,
    available: int | None = None,
) -> int:
    """Raise ``MeasurementRefused`` unless the estimate fits in ``fraction`` of the free memory, or the
    forward pass exceeds ``flop_limit``. Returns the estimate in bytes. Allocates nothing."""
    dev = torch.device(device)
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    needed = memory_estimate(specs, height, width, batch, dtype)
    free = available if available is not None else available_memory(dev)
    if free is not None and available is None:  # what other requests of this process hold is not free
        free = max(free - budget.reserved(dev.type), 0)
    if free is not None and needed > fraction * free:
        raise MeasurementRefused(
            f"this shape needs about {format_bytes(needed)} on {dev.type.upper()}, but only "
            f"{format_bytes(free)} is free (the limit is {fraction:.0%} of that); "
            f"reduce the batch, H x W or the channels"
        )
    flops = 2 * formula_cost(specs, height, width).macs * batch
    limit = flop_limit(dev, dtype)
    if flops > limit:
        raise MeasurementRefused(
            f"one forward pass is {flops / 1e9:,.1f} GFLOP, more than the {limit / 1e9:,.1f} GFLOP "
            f"allowed per run on {dev.type.upper()} in {dtype_name(dtype)}; "
            f"reduce the batch, H x W, the channels or the kernel"
        )
    return needed


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32 -> 'float32'``."""
    return str(dtype).removeprefix("torch.")


def parse_dtype(name: str) -> torch.dtype:
    """``'float16' -> torch.float16``; raises ``ValueError`` naming the allowed names."""
    if name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {name!r}")
    return DTYPES[name]


def supported_dtypes(device: torch.device | str) -> tuple[str, ...]:
    """Dtypes in which ``device`` runs a standard and a depthwise dilated conv (probed on a tiny input)."""
    dev = torch.device(device)
    found = []
    for name, dtype in DTYPES.items():
        if dev.type == "cuda" and dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
            continue
        try:
            x = torch.ones(1, 2, 6, 6, device=dev, dtype=dtype)
            w = torch.ones(2, 1, 3, 3, device=dev, dtype=dtype)
            torch.nn.functional.conv2d(x, w, padding=2, dilation=2, groups=2)
            torch.nn.functional.conv2d(x, torch.ones(3, 2, 3, 3, device=dev, dtype=dtype), padding=1)
            synchronize(dev)
        except (RuntimeError, TypeError, NotImplementedError):
            continue
        found.append(name)
    return tuple(found)


@dataclass(frozen=True)
class Timing:
    """Seconds of every timed run (after warm-up), with their median and spread."""

    times: tuple[float, ...]
    warmup: int

    @property
    def runs(self) -> int:
        """Number of timed runs."""
        return len(self.times)

    @property
    def median(self) -> float:
        """Median seconds per run."""
        return float(np.median(self.times))

    @property
    def q1(self) -> float:
        """25th percentile, seconds."""
        return float(np.percentile(self.times, 25))

    @property
    def q3(self) -> float:
        """75th percentile, seconds."""
        return float(np.percentile(self.times, 75))

    @property
    def best(self) -> float:
        """Fastest run, seconds."""
        return float(min(self.times))

    @property
    def worst(self) -> float:
        """Slowest run, seconds."""
        return float(max(self.times))

    def noisy(self, factor: float = 1.5) -> bool:
        """True when the middle half of the runs spans more than ``factor`` (q3 > factor * q1): something
        else was competing for the device while it was timed."""
        return self.q3 > factor * self.q1


def time_runs(
    fn: Callable[[], object],
    device: torch.device | str = "cpu",
    warmup: int = 2,
    repeats: int = 10,
    max_seconds: float = 1.0,
    min_repeats: int = 3,
) -> Timing:
    """Time ``fn`` after ``warmup`` untimed calls: ``repeats`` runs, fewer (at least ``min_repeats``)
    if they take longer than ``max_seconds`` in all. Synchronised: CUDA events on a GPU, a
    ``synchronize`` after each run elsewhere."""
    dev = torch.device(device)
    check_int("warmup", warmup, 0)
    n = check_int("repeats", repeats, 1)
    floor = min(check_int("min_repeats", min_repeats, 1), n)
    if not max_seconds > 0:
        raise ValueError(f"max_seconds must be positive, got {max_seconds}")
    for _ in range(warmup):
        fn()
    synchronize(dev)
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < n:
        if dev.type == "cuda":
            begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            begin.record()
            fn()
            end.record()
            end.synchronize()
            times.append(begin.elapsed_time(end) / 1e3)
        else:
            t0 = time.perf_counter()
            fn()
            synchronize(dev)
            times.append(time.perf_counter() - t0)
        if len(times) >= floor and time.perf_counter() - started > max_seconds:
            break
    return Timing(tuple(times), warmup)


@dataclass(frozen=True)
class Measurement:
    """Latency of one forward pass of a layer or stack on a device, with what it achieved."""

    device: str
    dtype: str
    memory_format: str
    batch: int
    height: int
    width: int
    timing: Timing
    flops: int
    traffic: int
    memory: int = 0
    threads: int = 0

    @property
    def gflops_per_s(self) -> float:
        """Counted forward FLOPs divided by the median time, in GFLOP/s."""
        return self.flops / self.timing.median / 1e9

    @property
    def gb_per_s(self) -> float:
        """Least memory traffic (``traffic_bytes``) divided by the median time, in GB/s."""
        return self.traffic / self.timing.median / 1e9


def measure_latency(
    specs: LayerSpec | Stack,
    height: int,
    width: int,
    batch: int = 1,
    device: torch.device | str = "cpu",
    dtype: str = "float32",
    memory_format: str = "contiguous",
    warmup: int = 2,
    repeats: int = 10,
    max_seconds: float = 1.0,
    memory_fraction: float = 0.5,
    seed: int = 0,
    threads: int | None = None,
) -> Measurement:
    """Build the real module, run it on a random ``(batch, C_in, height, width)`` input and time it.

    Refuses (``MeasurementRefused``) before allocating anything when the shape would not fit in
    ``memory_fraction`` of the device's free memory or exceeds ``flop_limit``. ``threads`` sets the
    CPU intra-op threads for the run (``dsdcn.device.cpu_threads``); None leaves torch's setting.
    """
    stack = _as_stack(specs)
    dev = torch.device(device)
    torch_dtype = parse_dtype(dtype)
    if memory_format not in MEMORY_FORMATS:
        raise ValueError(f"memory_format must be one of {', '.join(MEMORY_FORMATS)}, got {memory_format!r}")
    b = check_int("batch", batch, 1)
    memory = check_fits(stack, height, width, b, dev, torch_dtype, memory_fraction)
    counted = counted_cost(stack, height, width, b)
    traffic = traffic_bytes(stack, height, width, b, torch_dtype)
    fmt = torch.channels_last if memory_format == "channels_last" else torch.contiguous_format
    with budget.reserve(memory, dev.type):  # held, and counted, while the run lives
        gen = torch.Generator().manual_seed(seed)
        module = build_module(stack, dev, torch_dtype, gen).to(memory_format=fmt)
        x = torch.randn(b, stack[0].in_channels, height, width, generator=gen)
        x = x.to(device=dev, dtype=torch_dtype).contiguous(memory_format=fmt)
        with torch.inference_mode(), cpu_threads(threads if dev.type == "cpu" else None):
            timing = time_runs(lambda: module(x), dev, warmup, repeats, max_seconds)
    used_threads = (threads or torch.get_num_threads()) if dev.type == "cpu" else 0
    return Measurement(
        dev.type, dtype, memory_format, b, height, width, timing, counted.flops, traffic, memory, used_threads
    )


def slowdown(medians: Sequence[float | None]) -> list[float | None]:
    """Each time divided by the first (``None`` stays ``None``; all ``None`` if the first is missing)."""
    first = medians[0] if medians else None
    if first is None or first <= 0:
        return [None] * len(medians)
    return [None if t is None else t / first for t in medians]


@dataclass(frozen=True)
class SameReach:
    """One way to reach an extent of ``extent`` input pixels: its layers and its true extent."""

    name: str
    specs: tuple[LayerSpec, ...]
    extent: int


def same_receptive_field(
    in_channels: int, out_channels: int, kernel_size: int, dilation: int
) -> tuple[SameReach, ...]:
    """Four layers that see as far as a ``k x k`` kernel at dilation ``d`` (extent ``d*(k-1)+1``):

    ``dense`` (one undilated kernel of the effective size), ``dilated`` (the ``k x k`` at ``d``),
    ``stack`` (``ceil((extent-1)/2)`` undilated 3x3 layers, at least one) and ``separable`` (the
    depthwise-separable ``k x k`` at ``d``). All stride 1, ``"same"`` padding.
    """
    c_in = check_int("in_channels", in_channels, 1)
    c_out = check_int("out_channels", out_channels, 1)
    k = check_int("kernel_size", kernel_size, 1)
    d = check_int("dilation", dilation, 1)
    extent = d * (k - 1) + 1
    n = max(1, math.ceil((extent - 1) / 2))
    stack = (LayerSpec("standard", c_in, c_out, 3),) + tuple(
        LayerSpec("standard", c_out, c_out, 3) for _ in range(n - 1)
    )
    options = (
        ("dense", (LayerSpec("standard", c_in, c_out, extent),), [Layer(extent)]),
        ("dilated", (LayerSpec("standard", c_in, c_out, k, d),), [Layer(k, dilation=d)]),
        ("stack", stack, [Layer(3)] * n),
        ("separable", (LayerSpec("separable", c_in, c_out, k, d),), [Layer(k, dilation=d)]),
    )
    return tuple(SameReach(name, specs, receptive_field(rf)[-1].size) for name, specs, rf in options)


def _macs_ratio(in_channels: int, out_channels: int, kernel_size: int, depth_multiplier: int) -> float:
    """Separable over standard MACs (``conv_cost``, no bias) of one pixel."""
    separable = conv_cost(
        "separable", in_channels, out_channels, kernel_size, 1, 1, depth_multiplier=depth_multiplier
    )
    return separable.macs / conv_cost("standard", in_channels, out_channels, kernel_size, 1, 1).macs


def ratio_sweep_k(
    in_channels: int, out_channels: int, kernel_sizes: Sequence[int], depth_multiplier: int = 1
) -> list[float]:
    """Separable over standard MACs (``conv_cost``, no bias) for each kernel size."""
    return [_macs_ratio(in_channels, out_channels, k, depth_multiplier) for k in kernel_sizes]


def ratio_sweep_out_channels(
    in_channels: int, out_channel_counts: Sequence[int], kernel_size: int, depth_multiplier: int = 1
) -> list[float]:
    """Separable over standard MACs (``conv_cost``, no bias) for each ``C_out``."""
    return [_macs_ratio(in_channels, c, kernel_size, depth_multiplier) for c in out_channel_counts]


def dilation_sweep_specs(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    dilations: Sequence[int] = tuple(range(1, 17)),
    stride: int = 1,
    kinds: Sequence[str] = SWEEP_KINDS,
) -> list[LayerSpec]:
    """One ``LayerSpec`` per (kind, dilation), kinds outer: what the dilation sweep measures."""
    return [
        LayerSpec(kind, in_channels, out_channels, kernel_size, d, stride)  # type: ignore[arg-type]
        for kind in kinds
        for d in dilations
    ]


@dataclass(frozen=True)
class AlgorithmLatency:
    """Latency of one layer's ``k x k`` convolution by every exact algorithm of ``dsdcn.engine`` that
    applies to it (``timings`` in ``engine.ALGORITHMS`` order; ``nchw`` is torch's default call)."""

    dilation: int
    timings: dict[str, Timing]
    flops: int

    @property
    def winner(self) -> str:
        """The algorithm with the smallest median."""
        return min(self.timings, key=lambda name: self.timings[name].median)

    @property
    def speedup(self) -> float:
        """Torch's default median over the winner's (1.0 when the default wins)."""
        return self.timings["nchw"].median / self.timings[self.winner].median


def measure_algorithms(
    spec: LayerSpec,
    height: int,
    width: int,
    batch: int = 1,
    device: torch.device | str = "cpu",
    dtype: str = "float32",
    warmup: int = 2,
    repeats: int = 10,
    max_seconds: float = 1.0,
    memory_fraction: float = 0.5,
    seed: int = 0,
    threads: int | None = None,
) -> AlgorithmLatency:
    """Time the ``k x k`` convolution of ``spec`` (kind ``"standard"`` or ``"depthwise"``) by each exact
    algorithm on a random NCHW ``(batch, C_in, height, width)`` input, with ``time_runs``' warm-up and
    medians. Refuses (``MeasurementRefused``) before allocating when the run would not fit: the
    rearranging algorithms hold about two more copies of the input and output than torch's call."""
    if spec.kind not in ("standard", "depthwise"):
        raise ValueError(f"algorithms are compared on a 'standard' or 'depthwise' layer, got {spec.kind!r}")
    dev = torch.device(device)
    torch_dtype = parse_dtype(dtype)
    b = check_int("batch", batch, 1)
    memory = check_fits(spec, height, width, b, dev, torch_dtype, memory_fraction / 3)
    with budget.reserve(3 * memory, dev.type):
        return _time_algorithms(
            spec, height, width, b, dev, torch_dtype, warmup, repeats, max_seconds, seed, threads
        )


def _time_algorithms(
    spec: LayerSpec,
    height: int,
    width: int,
    b: int,
    dev: torch.device,
    torch_dtype: torch.dtype,
    warmup: int,
    repeats: int,
    max_seconds: float,
    seed: int,
    threads: int | None,
) -> AlgorithmLatency:
    gen = torch.Generator().manual_seed(seed)
    groups = spec.in_channels if spec.kind == "depthwise" else 1
    k, d, s = spec.kernel_size, spec.dilation, spec.stride
    weight = torch.randn(spec.produced_channels, spec.in_channels // groups, k, k, generator=gen) / k
    x = torch.randn(b, spec.in_channels, height, width, generator=gen)
    left, right = resolve_padding(spec.padding, k, d)
    if left != right:
        x, left = F.pad(x, (left, right, left, right)), 0
    x, weight = x.to(device=dev, dtype=torch_dtype), weight.to(device=dev, dtype=torch_dtype)
    shape = engine.conv_shape(x, weight, s, left, d, groups)
    timings: dict[str, Timing] = {}
    with torch.inference_mode(), cpu_threads(threads if dev.type == "cpu" else None):
        for name in engine.ALGORITHMS:
            if engine.applicable(name, shape):
                run = partial(engine.run_algorithm, name, x, weight, None, s, left, d, groups)
                timings[name] = time_runs(run, dev, warmup, repeats, max_seconds)
    flops = 2 * formula_cost(spec, height, width).macs * b
    return AlgorithmLatency(d, timings, flops)


def measurement_estimate(
    specs: LayerSpec | Stack,
    height: int,
    width: int,
    batch: int = 1,
    device: torch.device | str = "cpu",
    dtype: str = "float32",
    warmup: int = 2,
    repeats: int = 10,
    max_seconds: float = 1.0,
    algorithms: int = 1,
) -> budget.Estimate:
    """Wall time and memory of ``measure_latency`` (or, with ``algorithms`` > 1, ``measure_algorithms``
    timing that many algorithms) from sizes alone: each pass from its MACs and least memory traffic
    (``dsdcn.budget.pass_seconds``), as many passes as ``time_runs`` would make; allocates nothing."""
    dev = torch.device(device)
    torch_dtype = parse_dtype(dtype)
    b = check_int("batch", batch, 1)
    depthwise = cached = 0
    h, w = height, width
    for spec in _as_stack(specs):  # the depthwise part of each layer runs at its own (slow) rate
        c = spec.cost(h, w)
        if spec.kind in ("depthwise", "separable"):
            channels = spec.in_channels * spec.depth_multiplier
            macs = channels * spec.kernel_size**2 * c.out_height * c.out_width * b
            touched = (spec.in_channels * h * w + channels * c.out_height * c.out_width) * b
            if touched * _bytes_of(torch_dtype) <= budget.CACHED_BYTES:
                cached += macs
            else:
                depthwise += macs
        h, w = c.out_height, c.out_width
    dense = formula_cost(specs, height, width).macs * b - depthwise - cached
    traffic = traffic_bytes(specs, height, width, b, torch_dtype)
    one = budget.pass_seconds(dense, depthwise, traffic, dev.type, cached)
    seconds = algorithms * budget.timed_passes(one, warmup, repeats, max_seconds) + budget.MEASURE_OVERHEAD_S
    memory = memory_estimate(specs, height, width, b, torch_dtype) * (3 if algorithms > 1 else 1)
    return budget.Estimate(seconds, memory)
