"""Time the exact convolution algorithms of ``dsdcn.engine`` and the chooser against torch's default call.

Run from the repository root: ``python bench/bench_engine.py [--channels 32] [--side 512] [--threads 1]
[--dense] [--repeats 7] [--dilations 1,2,3,4,6,8,12,16,24,32]``.

Default shape: depthwise 3x3, 1 x 32 x 512 x 512, fp32, zero "same" padding, on the CPU with glibc's
allocator thresholds raised (as the app runs). Per dilation it prints the median of every algorithm, the
chooser's pick, the chooser's own time (``engine.conv2d`` once the pick is known) and two ratios measured
in the same run: chooser / torch's default (``F.conv2d`` on the NCHW input) and chooser / one copy of the
output tensor (the least any algorithm must spend writing it). Quote the ratios; the machine is shared.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from dsdcn import engine  # noqa: E402
from dsdcn.allocator import tune_allocator  # noqa: E402
from dsdcn.device import synchronize  # noqa: E402


def median_seconds(fn, repeats: int, device: torch.device) -> float:
    """Median of ``repeats`` synchronised calls after one warm-up call."""
    fn()
    synchronize(device)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        synchronize(device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--side", type=int, default=512)
    parser.add_argument("--kernel", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dense", action="store_true", help="dense conv (groups 1) instead of depthwise")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dilations", default="1,2,3,4,6,8,12,16,24,32")
    args = parser.parse_args()

    tune_allocator()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    c, k = args.channels, args.kernel
    groups = 1 if args.dense else c
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(1, c, args.side, args.side, generator=gen).to(device)
    w = torch.randn(c, c // groups, k, k, generator=gen).to(device)
    out = torch.empty_like(x)
    copy = median_seconds(lambda: out.copy_(x), args.repeats, device)
    kind = "dense" if args.dense else "depthwise"
    print(
        f"{kind} {k}x{k}, 1 x {c} x {args.side} x {args.side}, fp32, {device}, {args.threads} thread(s), "
        f"torch {torch.__version__}; one output copy {copy * 1e3:.1f} ms"
    )
    names = engine.ALGORITHMS
    print("   d  " + "  ".join(f"{n:>17}" for n in names) + "      pick  chooser  /default  /copy  trial s")
    worst_d, worst_default, worst_ratio = 0, 0.0, 0.0
    ratios = []
    with torch.inference_mode():
        for d in (int(v) for v in args.dilations.split(",")):
            default, cells, pick, chosen, trial = one_dilation(x, w, d, groups, args.repeats, device)
            ratio = chosen / default
            ratios.append(ratio)
            if default > worst_default:
                worst_d, worst_default, worst_ratio = d, default, ratio
            print(
                f"{d:>4}  " + "  ".join(cells) + f"  {pick:>8}  {chosen * 1e3:>5.1f} ms  {ratio:>7.2f}  "
                f"{chosen / copy:>5.1f}  {trial:>6.2f}"
            )
    print(
        f"chooser / default: max {max(ratios):.2f} over the dilations (target <= 1.0); "
        f"{worst_ratio:.2f} at d = {worst_d}, where the default is slowest (target <= 0.6)"
    )


def one_dilation(
    x: torch.Tensor, w: torch.Tensor, d: int, groups: int, repeats: int, device: torch.device
) -> tuple[float, list[str], str, float, float]:
    """Torch's default, every algorithm (table cells), the fresh chooser's pick, its time and its trial."""
    pad = d * (w.shape[-1] - 1) // 2
    shape = engine.conv_shape(x, w, 1, pad, d, groups)
    default = median_seconds(lambda: F.conv2d(x, w, None, 1, pad, d, groups), repeats, device)
    cells = []
    for name in engine.ALGORITHMS:
        if not engine.applicable(name, shape):
            cells.append(f"{'-':>17}")
            continue
        t = median_seconds(
            lambda name=name: engine.run_algorithm(name, x, w, None, 1, pad, d, groups), repeats, device
        )
        cells.append(f"{t * 1e3:>14.1f} ms")
    chooser = engine.Chooser()
    t0 = time.perf_counter()
    pick = chooser.choose(x, w, None, 1, pad, d, groups)
    trial = time.perf_counter() - t0
    chosen = median_seconds(
        lambda: engine.conv2d(x, w, None, 1, pad, d, groups, chooser=chooser), repeats, device
    )
    return default, cells, pick, chosen, trial


if __name__ == "__main__":
    main()
