"""Load test: N concurrent browser sessions on a room, directly and through the launcher's proxy.

Starts the app itself on loopback ports (``deploy/room.py``: one ``streamlit run`` process, or K behind
HAProxy), opens N headless Chromium pages (one browser process, a context of its own per session, so each is
a laptop with its own cookies), and has every session open a random page, then act for ``--duration``
seconds: nudge a slider, press a lesson preset, or go to another page, thinking ``--think`` seconds between
actions. Prints one row per setup:

    sessions | p50 | p95 | max action-to-idle | first page load p50 / p95 | server CPU | RSS start → peak → after

Action-to-idle: from the action until the page's script run has ended (the ``data-test-script-state``
attribute, watched in the page). Server CPU: CPU time of the app processes (and HAProxy) over the load, in
cores. RSS: the app processes together, after one warm-up visit, the peak during the load, and ``--settle``
seconds after every session closed. Chromium runs on the same machine: on a small machine it takes CPU from
the server and the times are upper bounds.

With ``--client ws`` the sessions are not browsers but clients of Streamlit's own websocket protocol
(``deploy/session_client.py``: the same pages and actions, timed from the rerun message to the server's "script
finished"): a room of 20 then costs the generator a few percent of a core instead of the cores the server
is measured on, and the times are the server's share of the wait, without the browser's drawing.

    python3 bench/bench_load.py --sessions 4                      # direct (K = 1) and proxy (K = cores)
    python3 bench/bench_load.py --client ws --sessions 20 --think 5,15   # a room, sized without browsers
    python3 bench/bench_load.py --sessions 10 --setups proxy:1,proxy:2 --think 5,15
    python3 bench/bench_load.py --image-lab                       # one 2048² Image lab session, RSS

Bounded: at most 60 sessions, 600 s per phase; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.headless import CHROMIUM, CHROMIUM_ARGS, IDLE  # noqa: E402
from deploy.room import Room, cores, start_room  # noqa: E402

# the share of a websocket session's actions that upload a photo to the Image lab, and the photos (1-3 MP)
UPLOAD_SHARE = 0.05
PHOTO_SIZES = ((1152, 864), (1632, 1224), (2000, 1500))
PAGES = ("", "sampling-grid", "depthwise-separable", "receptive-field", "cost", "image-lab", "training-lab")
MAX_SESSIONS = 60
MAX_SECONDS = 600
# a closed session is dropped after the server's disconnectedSessionTTL (30 s), and the allocator gives the
# memory back after 5 s of rest: the wait before an idle figure
IDLE_TRIM_S = 45
# every change of the script state, with the page's clock: the harness waits for a run that started after
# an action to end
WATCH = """
window.__runs = [];
new MutationObserver((records) => {
  for (const r of records) {
    const s = r.target.getAttribute && r.target.getAttribute('data-test-script-state');
    if (s) window.__runs.push({t: performance.now(), s});
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
DONE = """([t0, quiet]) => {
  const runs = window.__runs.filter(r => r.t > t0);
  if (!runs.some(r => r.s === 'running')) return false;
  const last = runs[runs.length - 1];
  return last.s === 'notRunning' && performance.now() - last.t > quiet
    && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]') !== null;
}"""
LAST_IDLE = "(t0) => { const r = window.__runs.filter(x => x.t > t0 && x.s === 'notRunning'); return r[r.length - 1].t; }"


def log(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- server side: CPU and memory of the room's processes, sampled ---------------------------------------
def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


class Sampler:
    """Sum of VmRSS of ``app_pids`` every ``period`` seconds (peak kept) and CPU seconds of ``pids``."""

    def __init__(self, room: Room, period: float = 0.25) -> None:
        self.room, self.period = room, period
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss_mb(self) -> float:
        return sum(_status_kb(p.pid, "VmRSS") for p in self.room.apps) / 1024

    def hwm_mb(self) -> float:
        return sum(_status_kb(p.pid, "VmHWM") for p in self.room.apps) / 1024

    def cpu_seconds(self) -> float:
        return sum(_cpu_seconds(pid) for pid in self.room.pids)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, sum(_status_kb(p.pid, "VmRSS") for p in self.room.apps))
            except (OSError, ValueError):
                pass
            self._stop.wait(self.period)

    def __enter__(self) -> Sampler:
        self.peak_kb = 0
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- client side: browser sessions ------------------------------------------------------------------------
@dataclass
class Record:
    """What the sessions saw: action-to-idle seconds, first page loads, actions with no run, errors."""

    actions: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    uploads: list[float] = field(default_factory=list)
    no_run: int = 0
    errors: list[str] = field(default_factory=list)


async def _act_and_wait(page, act, timeout_s: float = 90.0) -> float | None:
    """Seconds from ``act()`` until the run it started has ended; ``None`` when no run started within 3 s."""
    t0 = await page.evaluate("performance.now()")
    await act()
    try:
        await page.wait_for_function(DONE, arg=[t0, 250], timeout=3_000, polling=50)
    except Exception:  # no run seen yet: a slow start, or none at all
        seen = await page.evaluate("(t0) => window.__runs.some(r => r.t > t0 && r.s === 'running')", t0)
        if not seen:
            return None
        await page.wait_for_function(DONE, arg=[t0, 250], timeout=timeout_s * 1000, polling=100)
    return (await page.evaluate(LAST_IDLE, t0) - t0) / 1000


async def _first_load(page, url: str) -> float:
    t0 = time.perf_counter()
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=180_000)
    await page.wait_for_selector(IDLE, timeout=180_000)
    return time.perf_counter() - t0


async def _slider(page, rng: random.Random):
    sliders = page.locator('[data-testid="stMain"] [data-testid="stSlider"] [role="slider"]')
    n = await sliders.count()
    if n == 0:
        return None
    s = sliders.nth(rng.randrange(n))
    if not await s.is_visible() or await s.is_disabled():
        return None
    key = rng.choice(("ArrowRight", "ArrowLeft"))

    async def act() -> None:
        await s.focus()
        await s.press(key)

    return act


async def _preset(page, rng: random.Random):
    buttons = page.locator('[data-testid="stMain"] div[class*="preset_"] button')
    n = await buttons.count()
    if n == 0:
        return None
    b = buttons.nth(rng.randrange(n))
    if not await b.is_visible():
        return None
    return b.click


async def _navigate(page, rng: random.Random):
    links = page.locator('[data-testid="stSidebarNav"] a')
    n = await links.count()
    if n == 0:
        return None
    return links.nth(rng.randrange(n)).click


async def session(browser, base: str, seed: int, start_delay: float, duration: float,
                  think: tuple[float, float], rec: Record) -> None:
    """One laptop: open a random page, then act until ``duration`` has passed."""
    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        page.set_default_timeout(90_000)  # a click waits for a busy page
        await page.add_init_script(WATCH)
        rec.loads.append(await _first_load(page, f"{base}/{rng.choice(PAGES)}"))
        end = time.monotonic() + duration
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*think))
            kind = rng.choices(("slider", "preset", "navigate"), weights=(5, 3, 1))[0]
            act = await {"slider": _slider, "preset": _preset, "navigate": _navigate}[kind](page, rng)
            if act is None:
                act = await _preset(page, rng) or await _navigate(page, rng)
            if act is None:
                continue
            seconds = await _act_and_wait(page, act)
            if seconds is None:
                rec.no_run += 1
            else:
                rec.actions.append(seconds)
            exc = page.locator('[data-testid="stException"]')
            if await exc.count():
                text = " ".join((await exc.first.inner_text()).split())[:200]
                rec.errors.append(f"exception on {page.url}: {text}")
    except Exception as e:  # a lost connection or a timeout: counted, the others go on
        rec.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
    finally:
        await context.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _warm(browser, urls: list[str]) -> None:
    """One visit to the Home page of every process (imports torch and the pages), then closed."""
    for url in urls:
        context = await browser.new_context()
        page = await context.new_page()
        await _first_load(page, url + "/")
        await context.close()


# --- client side: sessions that speak Streamlit's websocket protocol (no browser) --------------------------
async def ws_session(base: str, seed: int, start_delay: float, duration: float, think: tuple[float, float],
                     rec: Record, photos: list[tuple[str, bytes]]) -> None:
    """One laptop as a protocol client (``deploy/session_client.py``): the same pages and actions, no drawing."""
    from deploy.session_client import WsSession

    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    s = WsSession(base, rng)
    try:
        first = await s.open(rng.choice(PAGES))
        rec.loads.append(first.seconds)
        rec.errors.extend(f"exception on /{s.page}: {e}" for e in first.exceptions)
        end = time.monotonic() + duration
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*think))
            if rng.random() < UPLOAD_SHARE:  # to the Image lab's uploader, then a 1-3 MP photo
                if not s.uploaders:
                    r = await s.run_page("image-lab", query="lab_source=upload")
                    rec.actions.append(r.seconds)
                    await asyncio.sleep(rng.uniform(*think))
                name, data = rng.choice(photos)
                r = await s.upload(name, data)
                if r.finished:
                    rec.uploads.append(r.seconds)
                if not any(name in t for t in r.texts):
                    rec.errors.append(f"upload of {name}: the page did not show it")
                rec.errors.extend(f"exception on /{s.page}: {e}" for e in r.exceptions)
                continue
            r = await s.act()
            if r is None:
                continue
            if r.finished:
                rec.actions.append(r.seconds)
            else:
                rec.no_run += 1
            rec.errors.extend(f"exception on /{s.page}: {e}" for e in r.exceptions)
    except Exception as e:  # a lost connection or a timeout: counted, the others go on
        rec.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}")
    finally:
        await s.close()


async def _warm_every_page(urls: list[str]) -> None:
    """Every page once in each process, as deploy/room.py does before it opens the room: the start RSS is
    then that of a room ready for people (imports, compiled loops, shared caches), what it returns to."""
    from deploy.session_client import visit_every_page

    for problems in await asyncio.gather(*(visit_every_page(url) for url in urls)):
        for p in problems:
            log(f"warm-up: {p}")


async def run_load(room: Room, n: int, duration: float, think: tuple[float, float], settle: float,
                   ramp: float, seed: int, client: str = "browser") -> dict[str, object]:
    """N sessions on ``room``, as browsers or as protocol clients; the row of the table."""
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:
        if client == "browser":
            from playwright.async_api import async_playwright

            pw = await stack.enter_async_context(async_playwright())
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stack.push_async_callback(browser.close)
        await _warm_every_page(room.app_urls)
        await asyncio.sleep(2)
        sampler = Sampler(room)
        rss_start = sampler.rss_mb()
        rec = Record()
        with sampler:
            cpu0, t0, mine0 = sampler.cpu_seconds(), time.monotonic(), time.process_time()
            if client == "browser":
                runs = (session(browser, room.url, seed + i, ramp * i / max(1, n), duration, think, rec) for i in range(n))
            else:
                photos = [(f"photo_{w}x{h}.jpg", photo_jpeg(w, h)) for w, h in PHOTO_SIZES]
                runs = (ws_session(room.url, seed + i, ramp * i / max(1, n), duration, think, rec, photos)
                        for i in range(n))
            await asyncio.gather(*runs)
            cpu1, t1, mine1 = sampler.cpu_seconds(), time.monotonic(), time.process_time()
    log(f"{n} sessions closed; RSS {sampler.rss_mb():.0f} MB; waiting {settle:g} s")
    await asyncio.sleep(settle)
    return {
        "n": n,
        "p50": _pct(rec.actions, 50),
        "p95": _pct(rec.actions, 95),
        "max": max(rec.actions, default=float("nan")),
        "actions": len(rec.actions),
        "per_min": 60 * len(rec.actions) / max(1e-9, t1 - t0),
        "load_p50": _pct(rec.loads, 50),
        "load_p95": _pct(rec.loads, 95),
        "uploads": rec.uploads,
        "cpu": (cpu1 - cpu0) / max(1e-9, t1 - t0),
        # the websocket clients' CPU (this process); Chromium's runs in processes of its own
        "client_cpu": (mine1 - mine0) / max(1e-9, t1 - t0) if client == "ws" else None,
        "rss": (rss_start, sampler.peak_kb / 1024, sampler.rss_mb()),
        "no_run": rec.no_run,
        "errors": rec.errors,
    }


# --- one Image lab session on a 2048² photo ---------------------------------------------------------------
def photo_jpeg(width: int, height: int) -> bytes:
    """A JPEG with edges and texture at every scale (made here, no download)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    base = 0.5 + 0.25 * np.sin(40 * x * (1 + y)) * np.cos(25 * y) + 0.1 * rng.standard_normal((height, width))
    rgb = np.stack([base, np.roll(base, 37, 0), (x > 0.5) * 0.6 + 0.2 * base], axis=-1)
    buf = io.BytesIO()
    Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8)).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def photo_2048(path: Path, side: int = 2048) -> Path:
    """A 2048×2048 JPEG (:func:`photo_jpeg`) written to ``path``."""
    path.write_bytes(photo_jpeg(side, side))
    return path


async def run_image_lab(room: Room, changes: int, settle: float) -> dict[str, object]:
    """Idle → upload a 2048² photo → change the dilations ``changes`` times → close → ``settle`` s: RSS and
    the seconds per change."""
    from playwright.async_api import async_playwright

    photo = photo_2048(Path(tempfile.mkdtemp(prefix="dsdcn-load-")) / "photo_2048.jpg")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await _warm(browser, room.app_urls)
        await asyncio.sleep(2)
        sampler = Sampler(room)
        idle_home = sampler.rss_mb()
        # one visit of the Image lab with its sample image: the imports, kernels and caches every visitor
        # shares are loaded once per process; what stays after a session ends is measured against this
        context = await browser.new_context()
        page = await context.new_page()
        await _first_load(page, room.url + "/image-lab")
        await page.get_by_text("Feature maps: computed at").first.wait_for(timeout=120_000)
        await context.close()
        await asyncio.sleep(IDLE_TRIM_S)
        idle = sampler.rss_mb()
        log(f"idle after Home {idle_home:.0f} MB; after one Image lab visit {idle:.0f} MB")
        with sampler:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            await page.add_init_script(WATCH)
            await _first_load(page, room.url + "/image-lab")
            log(f"Image lab open; RSS {sampler.rss_mb():.0f} MB")
            await page.get_by_text("Upload your own").click()
            await page.wait_for_selector(IDLE)
            uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
            t0 = time.perf_counter()
            await uploader.set_input_files(str(photo))
            await page.get_by_text("photo_2048.jpg · 2048×2048 px").wait_for(timeout=120_000)
            await page.get_by_text("Feature maps: computed at").first.wait_for(timeout=120_000)
            await page.wait_for_selector(IDLE, timeout=120_000)
            upload_s = time.perf_counter() - t0
            after_upload = sampler.rss_mb()
            log(f"uploaded in {upload_s:.1f} s; RSS {after_upload:.0f} MB")
            group = page.locator('[data-testid="stButtonGroup"]').filter(has_text="32")
            times = []
            for i in range(changes):
                pill = group.get_by_role("button", name=str((3, 5, 6, 12, 16, 24)[i // 2 % 6]), exact=True)
                seconds = await _act_and_wait(page, pill.click, timeout_s=120)
                if seconds is not None:
                    times.append(seconds)
                log(f"change {i + 1}: {seconds} s; RSS {sampler.rss_mb():.0f} MB")
            await context.close()
        await browser.close()
    peak = sampler.peak_kb / 1024
    closed = sampler.rss_mb()
    log(f"closed; RSS {closed:.0f} MB; waiting {settle:g} s")
    await asyncio.sleep(settle)
    return {
        "idle_home": idle_home,
        "idle": idle,
        "after_upload": after_upload,
        "peak": peak,
        "hwm": sampler.hwm_mb(),
        "closed": closed,
        "after": sampler.rss_mb(),
        "upload_s": upload_s,
        "changes": times,
    }


# --- the command line -------------------------------------------------------------------------------------
def _setups(text: str, k_default: int) -> list[tuple[str, int]]:
    out = []
    for item in text.split(","):
        kind, _, k = item.strip().partition(":")
        if kind not in ("direct", "proxy"):
            raise SystemExit(f"unknown setup {item!r}: direct or proxy:K")
        out.append((kind, 1 if kind == "direct" else int(k or k_default)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=4, help=f"concurrent sessions (at most {MAX_SESSIONS})")
    ap.add_argument("--setups", default=None, help="comma list of direct and proxy:K (default: direct,proxy:<cores>)")
    ap.add_argument("--duration", type=float, default=60, help="seconds each session acts after its first page")
    ap.add_argument("--think", default="1,4", help="seconds between actions, low,high (default 1,4)")
    ap.add_argument("--settle", type=float, default=60, help="seconds after the sessions close before the last RSS")
    ap.add_argument("--ramp", type=float, default=5, help="sessions start spread over this many seconds")
    ap.add_argument("--port", type=int, default=18501, help="loopback port of the room")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--image-lab", action="store_true", help="one 2048² Image lab session instead: RSS and times")
    ap.add_argument("--changes", type=int, default=20, help="dilation changes in --image-lab")
    ap.add_argument("--client", choices=("browser", "ws"), default="browser",
                    help="browser: headless Chromium pages (the drawing included); ws: Streamlit's websocket "
                         "protocol without a browser (the server's share, a light load generator)")
    args = ap.parse_args()

    def _term(*_: object) -> None:
        raise KeyboardInterrupt  # so that the room is stopped on the way out

    signal.signal(signal.SIGTERM, _term)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        raise SystemExit(f"--sessions must be 1 to {MAX_SESSIONS}")
    if args.duration > MAX_SECONDS or args.settle > MAX_SECONDS:
        raise SystemExit(f"--duration and --settle are at most {MAX_SECONDS} s")
    think = tuple(float(v) for v in args.think.split(","))
    setups = _setups(args.setups or ("direct" if args.image_lab else f"direct,proxy:{cores()}"), cores())
    generator = "Chromium" if args.client == "browser" or args.image_lab else "websocket clients, no browser"
    print(f"{cores()} cores; load generator ({generator}) on the same machine; think {think[0]:g}–{think[1]:g} s, "
          f"{args.duration:g} s per session, RSS {args.settle:g} s after close", flush=True)
    if not args.image_lab:
        print("| setup | sessions | p50 | p95 | max | actions/min | first page load p50 / p95 | server CPU "
              "| photo upload p50 / p95 (n) | server RSS start → peak → after | no run / errors | generator CPU |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for kind, k in setups:
        with start_room(k, port=args.port, address="127.0.0.1", haproxy=None if kind == "direct" else "haproxy") as room:
            name = "direct" if kind == "direct" else f"proxy, K = {k}"
            if args.image_lab:
                r = asyncio.run(run_image_lab(room, args.changes, args.settle))
                ch = r["changes"]
                print(f"Image lab, 2048² photo, {name}: upload {r['upload_s']:.1f} s; {len(ch)} dilation changes "
                      f"p50 {_pct(ch, 50):.2f} s, max {max(ch, default=float('nan')):.2f} s; RSS idle {r['idle']:.0f} MB "
                      f"(after Home only {r['idle_home']:.0f}) → after upload {r['after_upload']:.0f} → peak "
                      f"{r['peak']:.0f} (VmHWM {r['hwm']:.0f}) → at close {r['closed']:.0f} → {args.settle:g} s after "
                      f"{r['after']:.0f} MB; peak {r['peak'] - r['idle']:.0f} MB above idle, "
                      f"{r['after'] - r['idle']:+.0f} MB ({(r['after'] / r['idle'] - 1) * 100:+.0f}%) after")
                continue
            r = asyncio.run(run_load(room, args.sessions, args.duration, think, args.settle, args.ramp, args.seed,
                                     args.client))
            a, b, c = r["rss"]  # type: ignore[misc]
            gen = "n/a" if r["client_cpu"] is None else f"{100 * r['client_cpu']:.0f}% of a core"  # type: ignore[operator]
            errors = r["errors"]
            ups = r["uploads"]
            up = f"{_pct(ups, 50):.1f} / {_pct(ups, 95):.1f} s ({len(ups)})" if ups else "none"  # type: ignore[arg-type]
            print(f"| {name} | {r['n']} | {r['p50']:.2f} s | {r['p95']:.2f} s | {r['max']:.2f} s | {r['per_min']:.0f} "
                  f"| {r['load_p50']:.1f} / {r['load_p95']:.1f} s | {100 * r['cpu']:.0f}% of a core "  # type: ignore[operator]
                  f"| {up} | {a:.0f} → {b:.0f} → {c:.0f} MB | {r['no_run']} / {len(errors)} "
                  f"| {gen} |", flush=True)  # type: ignore[arg-type]
            for e in errors[:5]:  # type: ignore[index]
                print(f"    error: {e}", flush=True)


if __name__ == "__main__":
    main()
