"""Rerun time of every page of the app at its defaults, as Streamlit's AppTest sees it (budget 300 ms).

Run from the repository root:

    python bench/bench_pages.py [--repeats 7] [--pages home,cost] [--profile cost]

Per page (names are the URL paths of ``ui/nav.py``: home, sampling-grid, depthwise-separable,
receptive-field, cost, image-lab, training-lab): a fresh ``AppTest`` of ``app.py`` opens the page
(``switch_page``) and runs it once (cold: first run of the page in this process, caches empty unless an
earlier page filled them), then reruns it ``--repeats`` times unchanged (warm). Prints the cold time and
the warm median, min and max in ms, then one line per page with the budget and PASS or FAIL (warm median
against 300 ms). Exits with status 1 if any page fails. The time includes AppTest's own work (a script
thread, the element tree, and compiling ``app.py`` and the page again on every run, which a server does
once), so it is an upper bound on what a server spends per rerun. The machine's load moves these times:
compare runs made one after the other.

``--shares`` prints, per page, the share of its warm reruns spent on plotly figures, JSON/protobuf
serialisation, tables, torch, numpy, Streamlit itself, the library and the page code (cProfile self time
by the file of each function). ``--profile PAGE`` also prints a cProfile of that page's warm reruns (top 25 by cumulative time). The
script runs on a thread AppTest starts for each run, so the profiler is switched on there through
``threading.setprofile`` (only that thread: one profiler over two threads mixes their times).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.logger import set_log_level  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.nav import HOME, PAGES  # noqa: E402

BUDGET_MS = 300.0
set_log_level("error")  # before the config is read: AppTest's bare-mode warning
PAGE_PATHS: dict[str, str] = {p.url_path: p.path for p in (HOME, *PAGES)}


def _open(path: str) -> AppTest:
    """A fresh AppTest of the app on the page at ``path`` (the first run of the app, then the switch)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    set_log_level("error")  # again once the config is read (it sets the level): widget-policy warnings
    if path != HOME.path:
        at.switch_page(path)
    return at


def _check(at: AppTest, name: str) -> None:
    if at.exception:
        raise SystemExit(f"{name}: the page raised: {at.exception[0].value}")


# where a rerun's time goes, by the file each function lives in (first match wins)
BUCKETS: dict[str, tuple[str, ...]] = {
    "plotly figures": ("/plotly/", "/dsdcn/figures/"),
    "JSON / protobuf": ("/json/", "/orjson", "/google/protobuf/", "_pb2"),
    "tables (pandas, arrow)": ("/pandas/", "/pyarrow/", "/narwhals/"),
    "torch": ("/torch/",),
    "numpy": ("/numpy/",),
    "Streamlit": ("/streamlit/",),
    "dsdcn library": ("/dsdcn/",),
    "pages and ui": ("/app_pages/", "/ui/", "app.py"),
    "built-ins": ("~",),  # C functions: locks and waits, copies, hashing, str/dict work
    "stdlib": ("/lib/python3.",),
}


class _ThreadProfile:
    """cProfile of the script thread of every run while it is on (AppTest starts one per run); other
    threads (st.spinner's timer) are left out: one profiler over two threads at once mixes their times."""

    def __init__(self) -> None:
        self.profile = cProfile.Profile()

    def __enter__(self) -> _ThreadProfile:
        profile = self.profile

        # called once as each new thread starts: the script thread hands over to cProfile
        def start(frame, event, arg):
            sys.setprofile(None)
            if threading.current_thread().name == "ScriptRunner.scriptThread":
                profile.enable()
            return None

        threading.setprofile(start)
        return self

    def __exit__(self, *exc) -> None:
        threading.setprofile(None)
        self.profile.disable()

    def shares(self) -> dict[str, float]:
        """Share of the profiled self time spent in each kind of work (by the file of each function)."""
        totals: dict[str, float] = dict.fromkeys([*BUCKETS, "other"], 0.0)
        for (filename, _, _), (_, _, self_time, _, _) in pstats.Stats(self.profile).stats.items():  # type: ignore[attr-defined]
            path = filename.replace("\\", "/")
            bucket = next((b for b, marks in BUCKETS.items() if any(m in path for m in marks)), "other")
            totals[bucket] += self_time
        whole = sum(totals.values()) or 1.0
        return {k: v / whole for k, v in totals.items()}

    def report(self, top: int = 25) -> str:
        out = io.StringIO()
        pstats.Stats(self.profile, stream=out).sort_stats("cumulative").print_stats(top)
        return out.getvalue()


def bench_page(
    name: str, repeats: int, profile: bool = False, shares: dict[str, dict[str, float]] | None = None
) -> tuple[float, list[float], str]:
    """Cold time (ms), warm times (ms) and, when asked, the cProfile report of the warm reruns (and their
    shares by kind of work into ``shares[name]``)."""
    at = _open(PAGE_PATHS[name])
    t0 = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - t0) * 1e3
    _check(at, name)
    warm: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        at.run()
        warm.append((time.perf_counter() - t0) * 1e3)
        _check(at, name)
    report = ""
    if profile or shares is not None:
        with _ThreadProfile() as prof:
            for _ in range(repeats):
                at.run()
        report = prof.report() if profile else ""
        if shares is not None:
            shares[name] = prof.shares()
    return cold, warm, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="warm reruns per page (default 7)")
    parser.add_argument("--pages", default="", help="comma list of pages (URL paths); default: all")
    parser.add_argument("--profile", default="", help="a page to profile (cProfile of its warm reruns)")
    parser.add_argument(
        "--shares", action="store_true", help="per page, where its warm reruns spend their time (cProfile)"
    )
    args = parser.parse_args()
    names = [n.strip() for n in args.pages.split(",") if n.strip()] or list(PAGE_PATHS)
    if args.profile and args.profile not in names:
        names.append(args.profile)
    unknown = [n for n in names if n not in PAGE_PATHS]
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; pages: {', '.join(PAGE_PATHS)}")
    results: dict[str, tuple[float, list[float]]] = {}
    shares: dict[str, dict[str, float]] | None = {} if args.shares else None
    print(f"{'page':<22} {'cold ms':>9} {'warm median':>12} {'min':>8} {'max':>8}  (repeats {args.repeats})")
    for name in names:
        cold, warm, report = bench_page(name, args.repeats, profile=name == args.profile, shares=shares)
        results[name] = (cold, warm)
        print(
            f"{name:<22} {cold:9.0f} {statistics.median(warm):12.0f} {min(warm):8.0f} {max(warm):8.0f}",
            flush=True,
        )
        if report:
            print(f"\ncProfile of {args.repeats} warm reruns of {name}:\n{report}")
    if shares:
        print("\nshare of each page's warm rerun time (cProfile self time, profiler overhead included):")
        cols = [*BUCKETS, "other"]
        print(f"{'page':<22} " + " ".join(f"{c[:14]:>14}" for c in cols))
        for name, share in shares.items():
            print(f"{name:<22} " + " ".join(f"{share[c]:>14.0%}" for c in cols))
    print(f"\nbudget {BUDGET_MS:.0f} ms (warm median):")
    failed = 0
    for name, (_, warm) in results.items():
        ok = statistics.median(warm) < BUDGET_MS
        failed += not ok
        print(f"  {name:<22} {statistics.median(warm):6.0f} ms  {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
