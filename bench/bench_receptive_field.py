"""Benchmarks of the Receptive field page: is a 20-layer stack with dilations up to 512 interactive,
and does the effective field of a 128x128 extent take under a second on this device?

Run from the repository root: ``python bench/bench_receptive_field.py [--repeats N]``.
Prints the median and the spread (min .. max) of each measurement in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from dsdcn import (  # noqa: E402
    PRESETS,
    coverage,
    dilated_stack,
    effective_receptive_field,
    gridding,
    pick_device,
    receptive_field,
    stack_field,
    suggest_schedule,
)
from dsdcn.fieldmap import growth_table, layer_views  # noqa: E402

# 20 layers, 3x3, dilations 1..512 twice: extent 4,093 per axis
BIG = dilated_stack([1, 2, 4, 8, 16, 32, 64, 128, 256, 512] * 2)
# 7 layers, 3x3, dilations 1, 2, 4, 8, 16, 32, 1: extent 129 per axis (the 128x128 case)
ERF_128 = dilated_stack([1, 2, 4, 8, 16, 32, 1])
# the widest hole-free 20-layer schedule with dilations up to 512: extent 15,065
WIDEST = dilated_stack(suggest_schedule(20, 3, 512).dilations)


def measure(label: str, fn: Callable[[], object], repeats: int) -> None:
    """Run ``fn`` once to warm up, then ``repeats`` times; print median and spread in ms."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<68} median {statistics.median(times):9.1f} ms   spread {min(times):8.1f} .. {max(times):8.1f} ms"
    )


def page_run(rows: list[dict[str, object]]) -> Callable[[], object]:
    """A whole run of the page script in AppTest with ``rows`` in the table (caches cleared)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def run() -> None:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.session_state["rf_rows"] = rows
        at.switch_page("app_pages/receptive_field.py").run()
        assert not at.exception, at.exception

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-page", action="store_true", help="skip the whole-page AppTest runs")
    args = parser.parse_args()
    n = args.repeats
    device = pick_device()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {device}")
    r_big = receptive_field(BIG)[-1].size
    r_erf = receptive_field(ERF_128)[-1].size
    print(f"big stack: {len(BIG)} layers, max dilation 512, extent {r_big:,}; ERF stack extent {r_erf}")
    print()
    print("Coverage of the 20-layer stack (exact path counts)")
    measure("  coverage 1D (int64 path counts)", lambda: coverage(BIG), n)
    measure("  coverage 1D of the widest 20-layer schedule (extent 15,065)", lambda: coverage(WIDEST), n)
    measure("  gridding verdict", lambda: gridding(BIG), n)
    measure("  growth table (extent and holes after every layer)", lambda: growth_table(BIG), n)
    measure("  animation frames, 2D, 129x129 cells, 20 frames", lambda: layer_views(BIG, max_cells=129), n)
    measure("  animation frames, 1D, 1024 cells, 20 frames", lambda: layer_views(BIG, max_cells=1024), n)
    measure("  stack field for the side-by-side map", lambda: stack_field(BIG), n)
    print()
    print(f"Effective receptive field on {device} (forward + backward, as the page runs it)")
    r_wide = receptive_field(WIDEST)[-1].size
    vgg = PRESETS["vgg"].layers
    cases = (
        (2, ERF_128, f"{r_erf}x{r_erf}"),
        (2, vgg, "VGG-16 196x196"),
        (1, BIG, f"1D {r_big:,}"),
        (1, WIDEST, f"1D {r_wide:,}"),
    )
    for ndim, layers, what in cases:
        for weights, relu in (("uniform", False), ("random", True)):
            label = f"  {what}, {weights} weights, {'ReLU' if relu else 'linear'}, 4 channels, 8 networks"
            measure(
                label,
                lambda nd=ndim, la=layers, w=weights, r=relu: effective_receptive_field(la, nd, w, r),
                n,
            )
    print()
    print("Schedule search")
    measure("  suggest_schedule(20 layers, K=3, d_max=512)", lambda: suggest_schedule(20, 3, 512), n)
    measure("  suggest_schedule(32 layers, K=15, d_max=4096)", lambda: suggest_schedule(32, 15, 4096), n)
    if not args.no_page:
        from dsdcn.stack import stack_rows

        print()
        print("Whole page script run in AppTest, caches cleared (includes starting the app)")
        measure("  20-layer stack, dilations up to 512, 2D", page_run(stack_rows(BIG)), max(3, n // 2))
        measure(
            "  context module 1,1,2,4,8,16,1 (67x67), 2D",
            page_run(stack_rows(dilated_stack([1, 1, 2, 4, 8, 16, 1]))),
            max(3, n // 2),
        )


if __name__ == "__main__":
    main()
