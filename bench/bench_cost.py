"""Cost page figures for its default shape: formula against count (must be equal), measured latencies.

    python bench/bench_cost.py [--device cpu] [--dtype float32] [--threads 1] [--repeats 30]

Prints, for standard / depthwise / pointwise / separable on a (1, 32, 56, 56) input with C_out = 64,
k = 3, d = 2: params and FLOPs by formula and by count; then median latency with its spread
(25-75 % and min-max), GFLOP/s and GB/s; then the same-receptive-field options and the dilation sweep.
Exits with status 1 if formula and count differ.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from dsdcn.device import choose_device  # noqa: E402
from dsdcn.measure import (  # noqa: E402
    LayerSpec,
    MeasurementRefused,
    counted_cost,
    dilation_sweep_specs,
    formula_cost,
    measure_latency,
    same_receptive_field,
)

H = W = 56
C_IN, C_OUT, K, D, S, M, BATCH = 32, 64, 3, 2, 1, 1, 1
KINDS = ("standard", "depthwise", "pointwise", "separable")


def _specs() -> dict[str, LayerSpec]:
    return {
        "standard": LayerSpec("standard", C_IN, C_OUT, K, D, S),
        "depthwise": LayerSpec("depthwise", C_IN, C_OUT, K, D, S, M),
        "pointwise": LayerSpec("pointwise", C_IN, C_OUT, 1, 1, S),
        "separable": LayerSpec("separable", C_IN, C_OUT, K, D, S, M),
    }


def _line(name: str, result) -> str:
    t = result.timing
    return (
        f"{name:<22} median {t.median * 1e3:8.3f} ms  25-75% {t.q1 * 1e3:7.3f}-{t.q3 * 1e3:<7.3f}  "
        f"min-max {t.best * 1e3:7.3f}-{t.worst * 1e3:<8.3f} runs {t.runs:3d}  "
        f"{result.gflops_per_s:8.2f} GFLOP/s  {result.gb_per_s:6.2f} GB/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", help="auto, cuda, mps or cpu")
    parser.add_argument("--dtype", default="float32", help="float32, float16 or bfloat16")
    parser.add_argument("--format", default="contiguous", help="contiguous or channels_last")
    parser.add_argument(
        "--threads", type=int, default=1, help="CPU threads while timing (0: torch's default)"
    )
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per layer at most")
    parser.add_argument("--max-dilation", type=int, default=16)
    args = parser.parse_args()

    device = choose_device(args.device).device  # type: ignore[arg-type]
    print(f"torch {torch.__version__}, device {device}, dtype {args.dtype}, format {args.format}, ", end="")
    print(f"threads {args.threads or torch.get_num_threads()}, load average {os.getloadavg()[0]:.2f}")
    print(f"input (B, C, H, W) = ({BATCH}, {C_IN}, {H}, {W}); C_out {C_OUT}, k {K}, d {D}, s {S}, m {M}\n")

    specs = _specs()
    ok = True
    print(f"{'layer':<12}{'params formula':>16}{'params numel':>14}{'FLOPs 2xMACs':>16}{'FLOPs counted':>16}")
    for kind in KINDS:
        f = formula_cost(specs[kind], H, W)
        c = counted_cost(specs[kind], H, W, BATCH)
        equal = f.params == c.params and 2 * f.macs * BATCH == c.flops
        ok &= equal
        print(
            f"{kind:<12}{f.params:>16,}{c.params:>14,}{2 * f.macs * BATCH:>16,}{c.flops:>16,}"
            f"  {'equal' if equal else 'DIFFERENT'}"
        )
    print()

    def measure(layers):
        return measure_latency(
            layers,
            H,
            W,
            BATCH,
            device=device,
            dtype=args.dtype,
            memory_format=args.format,
            warmup=args.warmup,
            repeats=args.repeats,
            max_seconds=args.budget,
            threads=args.threads or None,
        )

    def run(name: str, layers) -> float | None:
        try:
            r = measure(layers)
        except MeasurementRefused as err:
            print(f"{name:<22} not measured: {err}")
            return None
        print(_line(name, r))
        return r.timing.median

    started = time.perf_counter()
    print("measured latency")
    for kind in KINDS:
        run(kind, specs[kind])
    print("\nsame receptive field")
    for option in same_receptive_field(C_IN, C_OUT, K, D):
        f = formula_cost(option.specs, H, W)
        run(f"{option.name} ({len(option.specs)} layer{'s' if len(option.specs) > 1 else ''})", option.specs)
        print(f"{'':<22} extent {option.extent}, params {f.params:,}, MACs {f.macs:,}")
    print("\ndilation sweep (median ms)")
    dilations = list(range(1, args.max_dilation + 1))
    sweep = dilation_sweep_specs(C_IN, C_OUT, K, dilations, S)
    for kind in ("depthwise", "standard"):
        times = []
        for spec in (s for s in sweep if s.kind == kind):
            times.append(measure(spec).timing.median * 1e3)
        print(f"{kind:<10} " + " ".join(f"d{d}:{t:.3f}" for d, t in zip(dilations, times, strict=True)))
        if times:
            print(f"{'':<10} slowest / d=1: {max(times) / times[0]:.2f}x")
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    if not ok:
        print("formula and count differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
