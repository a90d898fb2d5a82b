"""Time the Image lab's run: an RGB photo through a bank of 8 filters at dilations 1, 2, 4, 8.

Run from the repository root:

    python bench/bench_image_lab.py [--threads 2] [--side 2048] [--repeats 7] [--kinds dilated,depthwise]
                                    [--quick] [--no-tune] [--memory] [--thread-runs 12]

For every layer kind (dilated, depthwise, separable) it prints the median of whole runs
(``run_bank``: convolutions, full-resolution statistics, percentiles, previews and crops), the median
of the convolutions alone in the same runs (``MapRun.conv_seconds``), their ratio and the time spent
after the convolutions, with spreads (min, max, interquartile range). The target is a whole run of at
most 2 s for every kind at 2048 x 2048 with 2 threads. The first (cold) run, in which the conv chooser
times its algorithms, is shown apart. Without ``--quick`` it then times the steps around a run as the page
does them and, in a child process with ``--no-tune``, the same runs with glibc's malloc thresholds left
alone (mallopt is process-wide). ``--memory`` prints the peak resident memory of a cold and a warm run
per kind instead; ``--thread-runs N`` the resident memory of N runs made in new threads (as the server
makes them) with glibc's 8 per-thread heaps per core, with them capped at 2, and capped with the release
after each run (thresholds raised in all three).
The machine may be shared: compare medians and ratios of one run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from dsdcn import filters as fl  # noqa: E402
from dsdcn.device import pick_device  # noqa: E402
from dsdcn.filters import run as fr  # noqa: E402
from dsdcn.imaging import load_image  # noqa: E402

BANK = ("sobel_x", "sobel_y", "laplacian", "gaussian", "gabor")  # 8 filters with 4 Gabor orientations
DILATIONS = (1, 2, 4, 8)
SIDE = 2048
KINDS = ("dilated", "depthwise", "separable")
TARGET_SECONDS = 2.0


def photo(side: int = SIDE) -> np.ndarray:
    """The bundled street scene enlarged to ``side x side`` with a little noise: a photo-sized input."""
    base = Image.open(ROOT / "assets" / "samples" / "street_scene.png").convert("RGB")
    big = np.asarray(base.resize((side, side), Image.Resampling.LANCZOS), dtype=np.float32)
    noise = np.random.default_rng(0).normal(0, 2.0, big.shape).astype(np.float32)
    return np.clip(big + noise, 0, 255).astype(np.uint8)


def load() -> str:
    """The 1, 5 and 15 minute load averages: other processes on the cores slow every figure."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def spread(times: list[float]) -> str:
    """Median, min, max and interquartile range of ``times`` in seconds."""
    t = sorted(times)
    q = statistics.quantiles(t, n=4) if len(t) >= 2 else [t[0], t[0], t[0]]
    return (
        f"median {statistics.median(t):.3f} s  min {t[0]:.3f}  max {t[-1]:.3f}  "
        f"IQR {q[2] - q[0]:.3f}  (n={len(t)})"
    )


def time_it(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
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


def bench_kind(x: torch.Tensor, bank: fl.FilterBank, kind: str, repeats: int) -> tuple[float, float]:
    """Print the figures of one layer kind; return the whole-run and conv-only medians."""
    runs: list[fl.MapRun] = []
    cold, times = time_it(
        lambda: runs.append(fl.run_bank(x, bank, kind, DILATIONS, "replicate")),  # type: ignore[arg-type]
        repeats,
    )
    timed = runs[1:]
    conv = [sum(r.conv_seconds) for r in timed]
    after = [r.total_seconds - sum(r.conv_seconds) for r in timed]
    whole_median, conv_median = statistics.median(times), statistics.median(conv)
    per_d = np.median(np.array([r.conv_seconds for r in timed]), axis=0)
    print(f"\n[{kind}] whole run:          {spread(times)}; first run {cold:.3f} s")
    print(f"[{kind}] convolutions alone: {spread(conv)}")
    print(f"[{kind}] after the convs:    {spread(after)}")
    print(
        f"[{kind}] per dilation (conv): "
        + ", ".join(f"d={d} {t * 1000:.0f} ms" for d, t in zip(DILATIONS, per_d, strict=True))
    )
    print(
        f"[{kind}] whole median {whole_median:.3f} s, conv-only median {conv_median:.3f} s, "
        f"ratio {whole_median / conv_median:.2f}"
    )
    return whole_median, conv_median


def steps_around(x: torch.Tensor, rgb: np.ndarray, bank: fl.FilterBank, repeats: int) -> None:
    """The steps around a run, as the page does them."""
    device = x.device
    png = io.BytesIO()
    Image.fromarray(rgb).save(png, format="PNG", compress_level=1)
    data = png.getvalue()
    _, t_decode = time_it(lambda: load_image(data), max(3, repeats // 2))
    _, t_tensor = time_it(lambda: fl.image_tensor(rgb, device=device), repeats)
    print(f"\ndecode a {len(data) / 2**20:.1f} MB PNG (load_image): {spread(t_decode)}")
    print(f"uint8 -> float tensor on {device}:        {spread(t_tensor)}")
    run = fl.run_bank(x, bank, "dilated", DILATIONS, "replicate")
    lo, hi = fl.map_ranges(run.stats.low, run.stats.high, "per_filter")
    _, t_zip = time_it(lambda: fl.maps_zip(x, bank, "dilated", DILATIONS, "replicate", lo, hi), 1)
    size = len(fl.maps_zip(x, bank, "dilated", DILATIONS, "replicate", lo, hi)) / 2**20
    print(f"ZIP of all 32 full-resolution PNGs ({size:.0f} MB):  {spread(t_zip)}")
    kernel = torch.from_numpy(fl.box_kernel(3).astype(np.float32))
    _, t_stack = time_it(lambda: fl.run_stacks(x, kernel, (2, 2, 2), (1, 2, 5), "replicate"), repeats)
    print(f"two 3-layer stacks (2,2,2 and 1,2,5):      {spread(t_stack)}")
    # the layouts a depthwise conv can run in (results agree to float rounding)
    w = torch.randn(3 * 8, 1, 3, 3, device=device)
    xc = x.contiguous(memory_format=torch.channels_last)
    for d in (1, 8):
        _, a = time_it(lambda d=d: F.conv2d(x, w, padding=d, dilation=d, groups=3), 3)
        _, b = time_it(lambda d=d: F.conv2d(xc, w, padding=d, dilation=d, groups=3), 3)
        print(
            f"depthwise 3->24 at d={d}: default layout median {statistics.median(a):.3f} s, "
            f"channels_last {statistics.median(b):.3f} s"
        )


def _vm(key: str) -> int:
    """A ``/proc/self/status`` figure in bytes (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def memory_child(kind: str, threads: int, side: int) -> None:
    """One process: the photo loaded, a small run to load every kernel, then the peak resident memory of a
    cold and of a warm 2048² run above what the process held with the image (the page's own setting)."""
    fl.tune_allocator()
    torch.set_num_threads(threads)
    torch.set_grad_enabled(False)
    x = fl.image_tensor(photo(side))
    bank = fl.make_bank(BANK, 3, 3, gabor_orientations=4)
    fl.run_bank(x[..., :64, :64].contiguous(), bank, kind, DILATIONS, "replicate")  # type: ignore[arg-type]
    base = _vm("VmRSS:")
    peaks = []
    for _ in range(2):  # cold (the chooser times its algorithms), then warm
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the high-water mark
        fl.run_bank(x, bank, kind, DILATIONS, "replicate")  # type: ignore[arg-type]
        peaks.append((_vm("VmHWM:") - base) / 2**20)
    print(f"{kind:<10} cold {peaks[0]:>6.0f} MB  warm {peaks[1]:>6.0f} MB   (bands of {fr.BAND_BYTES >> 20} MB)")


def memory(kinds: tuple[str, ...], threads: int, side: int) -> None:
    """Peak memory above the loaded image, one child process per kind (so one kind's heap does not hide
    another's); the room's target is 400 MB above idle for a whole 2048² session."""
    print(f"peak resident memory of one run above the loaded {side}x{side} image, {threads} threads")
    for kind in kinds:
        cmd = [sys.executable, __file__, "--memory-child", kind, "--threads", str(threads), "--side", str(side)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        print(out.stdout.strip() or out.stderr.strip().splitlines()[-1])


THREAD_SETUPS = {
    "8 heaps per core": {"arena_max": None, "release": False},
    "heaps capped at 2": {"arena_max": 2, "release": False},
    "capped + release": {"arena_max": 2, "release": True},
}


def threads_child(setup: str, runs: int, threads: int, side: int) -> None:
    """One process: ``runs`` Image lab runs (random kinds, 2-6 dilations), each in a new thread as the
    server runs a rerun; peak and final RSS above the start. ``setup`` names the allocator settings."""
    import random
    import threading

    from dsdcn import allocator

    conf = THREAD_SETUPS[setup]
    fl.tune_allocator(arena_max=conf["arena_max"])  # type: ignore[arg-type]
    torch.set_num_threads(threads)
    rgb = photo(side)
    bank = fl.make_bank(BANK, 3, 3, gabor_orientations=4)

    def one(ds: tuple[int, ...], kind: str) -> None:
        with torch.inference_mode():
            fl.run_bank(fl.image_tensor(rgb), bank, kind, ds, "replicate")  # type: ignore[arg-type]
        if conf["release"]:
            allocator.release()

    warm = threading.Thread(target=one, args=((1,), "dilated"))
    warm.start()
    warm.join()
    allocator.release()
    base = _vm("VmRSS:")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    rng = random.Random(0)
    for _ in range(runs):
        ds = tuple(sorted(rng.sample((1, 2, 3, 4, 5, 6, 8, 12, 16, 24), rng.randint(2, 6))))
        t = threading.Thread(target=one, args=(ds, rng.choice(KINDS)))
        t.start()
        t.join()
    peak, after = (_vm("VmHWM:") - base) / 2**20, (_vm("VmRSS:") - base) / 2**20
    print(f"{setup:<18} peak {peak:>6.0f} MB   after the runs {after:>6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    parser.add_argument("--side", type=int, default=SIDE, help=f"image side in pixels (default {SIDE})")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per kind after a cold one")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated layer kinds")
    parser.add_argument("--no-tune", action="store_true", help="leave glibc's malloc thresholds alone")
    parser.add_argument("--quick", action="store_true", help="only the per-kind figures")
    parser.add_argument(
        "--memory", action="store_true", help="peak memory of a run per kind (a child process each) instead"
    )
    parser.add_argument("--memory-child", default="", help=argparse.SUPPRESS)
    parser.add_argument(
        "--thread-runs",
        type=int,
        default=0,
        help="N runs, each in a new thread as the server runs reruns: RSS above the start per allocator setup",
    )
    parser.add_argument("--threads-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.threads, args.side)
        return
    if args.threads_child:
        threads_child(args.threads_child, args.thread_runs, args.threads, args.side)
        return
    if args.thread_runs:
        print(f"{args.thread_runs} Image lab runs at {args.side}² in new threads, RSS above the start (one process each)")
        for setup in THREAD_SETUPS:
            cmd = [sys.executable, __file__, "--threads-child", setup, "--thread-runs", str(args.thread_runs)]
            out = subprocess.run([*cmd, "--threads", str(args.threads), "--side", str(args.side)],
                                 capture_output=True, text=True, check=False)
            print(out.stdout.strip() or out.stderr.strip().splitlines()[-1])
        return
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = [k for k in kinds if k not in fl.LAYER_KINDS or k == "standard"]
    if unknown or args.threads < 1 or args.side < 1 or args.repeats < 1:
        parser.error(f"kinds among dilated, depthwise, separable (got {unknown}); positive numbers")

    if args.memory:
        memory(kinds, args.threads, args.side)
        return
    tuned = False if args.no_tune else fl.tune_allocator()
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    device = pick_device()
    rgb = photo(args.side)
    x = fl.image_tensor(rgb, device=device)
    bank = fl.make_bank(BANK, 3, 3, gabor_orientations=4)
    print(
        f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads, "
        f"allocator thresholds raised: {tuned}, load average {load()}"
    )
    print(
        f"input {args.side}x{args.side} RGB, {bank.size} filters ({', '.join(bank.labels)}), "
        f"dilations {DILATIONS}"
    )

    summary = {kind: bench_kind(x, bank, kind, args.repeats) for kind in kinds}
    print(
        f"\nsummary ({args.side}x{args.side}, {torch.get_num_threads()} threads; target whole <= {TARGET_SECONDS:g} s)"
    )
    print(f"{'kind':<10} {'whole':>8} {'conv':>8} {'ratio':>6}   (load average now {load()})")
    for kind, (whole, conv) in summary.items():
        mark = "ok" if whole <= TARGET_SECONDS else "over"
        print(f"{kind:<10} {whole:>7.3f}s {conv:>7.3f}s {whole / conv:>6.2f}  {mark}")
    if args.quick:
        return

    steps_around(x, rgb, bank, args.repeats)
    if not args.no_tune:
        print("\n--- the same runs without raising glibc's malloc thresholds (child process) ---")
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--no-tune",
                "--quick",
                "--repeats",
                str(args.repeats),
                "--threads",
                str(args.threads),
                "--side",
                str(args.side),
                "--kinds",
                ",".join(kinds),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        print(out.stdout.strip() or out.stderr.strip())


if __name__ == "__main__":
    main()
