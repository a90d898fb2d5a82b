"""Build time and JSON size of the sampling-grid figure, default and largest settings.

Run from the repository root: ``python bench/bench_sampling_grid.py [repeats]``.
Prints, per case: frames, the median build time of ``sampling_figure`` (with min and max over the
repeats), the time of ``fig.to_json()`` and the size of that JSON (what Streamlit sends to the browser).
Target: build < 150 ms, JSON < 2 MB at the largest settings.
Then the GIF export (``sampling_gif``, Pillow): frames, median build time (min-max) and size, for
each case alone and for the compare view (the same case beside its d = 1 panel) where it has d > 1.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dsdcn.figures.sampling import sampling_figure  # noqa: E402
from dsdcn.figures.sampling_gif import gif_frame_count, sampling_gif  # noqa: E402
from dsdcn.sampling import axis_sampling, grid_sampling  # noqa: E402

# name: (per-axis (n, k, stride, padding, dilation), padding mode); rows first in 2D
CASES: dict[str, tuple[list[tuple], str]] = {
    "default 2D 7x7 k3 d2 valid": ([(7, 3, 1, "valid", 2)] * 2, "zeros"),
    "default compare panel d1": ([(7, 3, 1, "valid", 1)] * 2, "zeros"),
    "largest 2D 32x32 k11 d16 same replicate": ([(32, 11, 1, "same", 16)] * 2, "replicate"),
    "largest 2D 32x32 k11 d16 pad 80 zeros": ([(32, 11, 1, (80, 80), 16)] * 2, "zeros"),
    "largest 2D 32x32 k11 d16 pad 80 replicate": ([(32, 11, 1, (80, 80), 16)] * 2, "replicate"),
    "largest 2D 32x32 k1 pad 80 (192x192 out)": ([(32, 1, 1, (80, 80), 1)] * 2, "zeros"),
    "largest 2D 32x32 k11 d3 same reflect": ([(32, 11, 1, "same", 3)] * 2, "reflect"),
    "largest 1D 32 k11 d16 same replicate": ([(32, 11, 1, "same", 16)], "replicate"),
}


def main(repeats: int = 9) -> None:
    print(f"{'case':<44} {'frames':>6} {'build ms (min-max)':>22} {'to_json ms':>10} {'JSON MB':>8}")
    for name, (axes, mode) in CASES.items():
        grid = grid_sampling([axis_sampling(*a, mode) for a in axes])
        sampling_figure(grid)  # warm up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fig = sampling_figure(grid)
            times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        js = fig.to_json()
        to_json_ms = (time.perf_counter() - t0) * 1000
        spread = f"{statistics.median(times):6.1f} ({min(times):.1f}-{max(times):.1f})"
        print(f"{name:<44} {len(fig.frames):>6} {spread:>22} {to_json_ms:>10.1f} {len(js) / 1e6:>8.3f}")
    print(f"\n{'GIF case':<50} {'frames':>6} {'build ms (min-max)':>22} {'GIF MB':>8}")
    for name, (axes, mode) in CASES.items():
        grid = grid_sampling([axis_sampling(*a, mode) for a in axes])
        plain = grid_sampling([axis_sampling(*a[:4], 1, mode) for a in axes])
        for label, other in ((name, None), (f"{name} + d1", plain)):
            if other is not None and all(a[4] == 1 for a in axes):
                continue
            times = []
            for _ in range(max(3, repeats // 3)):
                t0 = time.perf_counter()
                data = sampling_gif(grid, compare_with=other)
                times.append((time.perf_counter() - t0) * 1000)
            spread = f"{statistics.median(times):6.0f} ({min(times):.0f}-{max(times):.0f})"
            frames = gif_frame_count(grid, compare_with=other)
            print(f"{label:<50} {frames:>6} {spread:>22} {len(data) / 1e6:>8.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
