"""Time the Image lab's run: a 2048x2048 RGB image through a bank of 8 filters at 4 dilations.

Run from the repository root: ``python bench/bench_image_lab.py [--repeats N] [--no-tune] [--quick]``.
Prints medians and spreads (min, max, interquartile range) of whole runs (convolutions, full-resolution
statistics, previews and crops), of the convolutions alone, and of the steps around them. The allocator
comparison runs this script again in a child process with ``--no-tune`` (mallopt is process-wide).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from dsdcn import filters as fl  # noqa: E402
from dsdcn.device import pick_device  # noqa: E402
from dsdcn.imaging import load_image  # noqa: E402

BANK = ("sobel_x", "sobel_y", "laplacian", "gaussian", "gabor")  # 8 filters with 4 Gabor orientations
DILATIONS = (1, 2, 4, 8)
SIDE = 2048


def photo(side: int = SIDE) -> np.ndarray:
    """The bundled street scene enlarged to ``side x side`` with a little noise: a photo-sized input."""
    base = Image.open(ROOT / "assets" / "samples" / "street_scene.png").convert("RGB")
    big = np.asarray(base.resize((side, side), Image.Resampling.LANCZOS), dtype=np.float32)
    noise = np.random.default_rng(0).normal(0, 2.0, big.shape).astype(np.float32)
    return np.clip(big + noise, 0, 255).astype(np.uint8)


def spread(times: list[float]) -> str:
    """Median, min, max and interquartile range of ``times`` in seconds."""
    t = sorted(times)
    q = statistics.quantiles(t, n=4) if len(t) >= 2 else [t[0], t[0], t[0]]
    return (
        f"median {statistics.median(t):.3f} s  min {t[0]:.3f}  max {t[-1]:.3f}  "
        f"IQR {q[2] - q[0]:.3f}  (n={len(t)})"
    )


def time_it(fn, repeats: int) -> tuple[float, list[float]]:
    """First (cold) call, then ``repeats`` timed calls."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return cold, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-tune", action="store_true", help="leave glibc's malloc thresholds alone")
    parser.add_argument("--quick", action="store_true", help="only the main figure (used by the child run)")
    args = parser.parse_args()

    tuned = False if args.no_tune else fl.tune_allocator()
    torch.set_grad_enabled(False)
    device = pick_device()
    rgb = photo()
    x = fl.image_tensor(rgb, device=device)
    bank = fl.make_bank(BANK, 3, 3, gabor_orientations=4)
    print(
        f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads, "
        f"allocator thresholds raised: {tuned}"
    )
    print(f"input {SIDE}x{SIDE} RGB, {bank.size} filters ({', '.join(bank.labels)}), dilations {DILATIONS}")

    kinds = ("dilated",) if args.quick else ("dilated", "depthwise", "separable")
    for kind in kinds:
        runs: list[fl.MapRun] = []
        cold, times = time_it(
            lambda kind=kind, runs=runs: runs.append(fl.run_bank(x, bank, kind, DILATIONS, "replicate")),
            args.repeats,
        )
        conv = [sum(r.conv_seconds) for r in runs[1:]]
        print(
            f"\n[{kind}] whole run (maps {SIDE}x{SIDE}, stats, previews): {spread(times)}; first run {cold:.3f} s"
        )
        print(f"[{kind}] convolutions alone, 4 dilations:             {spread(conv)}")
        per_d = np.median(np.array([r.conv_seconds for r in runs[1:]]), axis=0)
        print(
            f"[{kind}] median per dilation: "
            + ", ".join(f"d={d} {t * 1000:.0f} ms" for d, t in zip(DILATIONS, per_d, strict=True))
        )
    if args.quick:
        return

    # the steps around the run, as the page does them
    png = io.BytesIO()
    Image.fromarray(rgb).save(png, format="PNG", compress_level=1)
    data = png.getvalue()
    _, t_decode = time_it(lambda: load_image(data), max(3, args.repeats // 2))
    _, t_tensor = time_it(lambda: fl.image_tensor(rgb, device=device), args.repeats)
    print(f"\ndecode a {len(data) / 2**20:.1f} MB PNG (load_image): {spread(t_decode)}")
    print(f"uint8 -> float tensor on {device}:        {spread(t_tensor)}")
    run = fl.run_bank(x, bank, "dilated", DILATIONS, "replicate")
    lo, hi = fl.map_ranges(run.stats.low, run.stats.high, "per_filter")
    _, t_zip = time_it(lambda: fl.maps_zip(x, bank, "dilated", DILATIONS, "replicate", lo, hi), 1)
    size = len(fl.maps_zip(x, bank, "dilated", DILATIONS, "replicate", lo, hi)) / 2**20
    print(f"ZIP of all 32 full-resolution PNGs ({size:.0f} MB):  {spread(t_zip)}")
    kernel = torch.from_numpy(fl.box_kernel(3).astype(np.float32))
    _, t_stack = time_it(lambda: fl.run_stacks(x, kernel, (2, 2, 2), (1, 2, 5), "replicate"), args.repeats)
    print(f"two 3-layer stacks (2,2,2 and 1,2,5):      {spread(t_stack)}")

    # why depthwise runs in channels_last (results are bit-identical; tests check it)
    w = torch.randn(3 * 8, 1, 3, 3)
    xc = x.contiguous(memory_format=torch.channels_last)
    for d in (1, 8):
        _, a = time_it(lambda d=d: F.conv2d(x, w, padding=d, dilation=d, groups=3), 3)
        _, b = time_it(lambda d=d: F.conv2d(xc, w, padding=d, dilation=d, groups=3), 3)
        print(
            f"depthwise 3->24 at d={d}: default layout median {statistics.median(a):.3f} s, channels_last {statistics.median(b):.3f} s"
        )

    # the allocator: the same main figure in a child process that leaves glibc's thresholds alone
    if not args.no_tune:
        print("\n--- the same run without raising glibc's malloc thresholds (child process) ---")
        out = subprocess.run(
            [sys.executable, __file__, "--no-tune", "--quick", "--repeats", str(args.repeats)],
            capture_output=True,
            text=True,
            check=False,
        )
        print(out.stdout.strip() or out.stderr.strip())


if __name__ == "__main__":
    main()
