"""Start a room on one machine: K ``streamlit run app.py`` processes behind HAProxy, with sticky sessions.

Streamlit keeps each session's state in the process its websocket reached, and one process runs one script
at a time (Python's interpreter lock). K processes use K cores; HAProxy in front sends every laptop to one of
them and keeps it there with a cookie, so the websocket, the uploads and the media of a session reach the
process that holds it. Health checks on ``/_stcore/health`` take a dead process out: its people reconnect to
another one (their page and settings come back from the link; a trained model or an upload does not).

    python3 deploy/room.py                      # K = number of cores, shared at http://<address>:8501
    python3 deploy/room.py --processes 2 --port 8080
    python3 deploy/room.py --check              # write the HAProxy configuration and check it, start nothing

Stops every process it started on Ctrl+C (or SIGTERM). Needs ``haproxy`` for K > 1
(Debian/Ubuntu: ``sudo apt-get install -y haproxy``); K = 1 runs Streamlit on the public port directly.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEALTH = "/_stcore/health"
COOKIE = "DSDCN_APP"
# the README's sizing rule (RSS, MB): one app process with its pages loaded, one session on the light pages,
# one Image lab computation on a 2048² photo while it runs (bench/bench_load.py --image-lab)
PROCESS_MB = 650
SESSION_MB = 40
IMAGE_RUN_MB = 250


def cores() -> int:
    """CPU cores this process may run on (the affinity mask where there is one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def threads_per_process(processes: int, n_cores: int | None = None) -> int:
    """Torch/OpenMP threads per app process so that K processes together use the cores once: ``cores // K``,
    at least 1."""
    if processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    return max(1, (n_cores or cores()) // processes)


def haproxy_config(
    app_ports: Sequence[int],
    port: int,
    address: str = "0.0.0.0",
    app_address: str = "127.0.0.1",
) -> str:
    """HAProxy's configuration for a room: ``address:port`` in front of the apps on ``app_address:app_ports``.

    New sessions go to the process with the fewest open connections (a session holds one websocket); a
    cookie (``DSDCN_APP``) keeps a browser on its process; a process that fails its health check is taken
    out and its browsers are sent to another one (``redispatch``). Timeouts are long so that an idle
    websocket (a student reading) is not cut.
    """
    if not app_ports:
        raise ValueError("a room needs at least one app port")
    servers = "\n".join(
        f"    server app{i} {app_address}:{p} check cookie app{i} inter 2s fall 2 rise 2"
        for i, p in enumerate(app_ports, start=1)
    )
    return f"""# written by deploy/room.py: {len(app_ports)} streamlit processes behind one address
global
    maxconn 4096

defaults
    mode http
    option redispatch
    retries 3
    timeout connect 5s
    timeout http-request 30s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    timeout client-fin 10s

frontend room
    bind {address}:{port}
    default_backend apps

backend apps
    balance leastconn
    cookie {COOKIE} insert indirect nocache httponly
    option httpchk GET {HEALTH}
    http-check expect string ok
{servers}
"""


def check_config(path: Path, haproxy: str = "haproxy") -> subprocess.CompletedProcess[str]:
    """``haproxy -c -f path``: HAProxy's own check of a configuration file."""
    return subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30)


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port free on ``address`` right now."""
    with socket.socket() as s:
        s.bind((address, 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    """True when the Streamlit (or proxy) at ``url`` answers its health check with ``ok``."""
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def wait_healthy(
    proc: subprocess.Popen[bytes], url: str, deadline: float, name: str, log: Path | str
) -> None:
    """Wait until ``url`` is healthy; ``RuntimeError`` naming ``name`` and its ``log`` when ``proc`` ends first
    or ``deadline`` (a ``time.monotonic()`` value) passes."""
    while not healthy(url):
        if proc.poll() is not None:
            raise RuntimeError(f"{name} ended (exit {proc.returncode}); see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer {HEALTH} at {url} in time")
        time.sleep(0.25)


def app_command(port: int, address: str) -> list[str]:
    """``streamlit run app.py`` on ``address:port``, headless."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]


@dataclass
class Room:
    """A running room: its public URL, the app processes and the proxy (``None`` when K = 1)."""

    url: str
    apps: list[subprocess.Popen[bytes]]
    app_urls: list[str]
    proxy: subprocess.Popen[bytes] | None = None
    run_dir: Path | None = None
    commands: list[list[str]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def pids(self) -> list[int]:
        """Process ids of the apps (then the proxy)."""
        return [p.pid for p in self.apps] + ([self.proxy.pid] if self.proxy else [])

    def spawn(self, i: int) -> subprocess.Popen[bytes]:
        """Start app process ``i`` (from 0) with its command, logging to ``run_dir/app<i+1>.log``."""
        assert self.run_dir is not None
        log = open(self.run_dir / f"app{i + 1}.log", "ab")  # noqa: SIM115
        return subprocess.Popen(
            self.commands[i],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def restart_dead(self) -> list[int]:
        """Start again every app process that ended (its sessions reconnect through the proxy to a live
        one meanwhile); the numbers (from 1) of those restarted."""
        dead = [i for i, p in enumerate(self.apps) if p.poll() is not None]
        for i in dead:
            self.apps[i] = self.spawn(i)
        return [i + 1 for i in dead]

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the proxy and the apps (kill what does not end within ``timeout`` seconds)."""
        procs = ([self.proxy] if self.proxy else []) + self.apps
        for p in procs:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + timeout
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Room:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_room(
    processes: int | None = None,
    port: int = 8501,
    address: str = "0.0.0.0",
    base_port: int | None = None,
    threads: int | None = None,
    run_dir: Path | None = None,
    timeout: float = 90.0,
    haproxy: str | None = None,
) -> Room:
    """Start K app processes on loopback ports (``base_port``, ``base_port + 1``, ...; free ports when
    ``None``), each with ``threads`` torch/OpenMP threads (``cores // K`` when ``None``), then HAProxy on
    ``address:port``; wait until every one answers its health check. K = 1 without a proxy: the app itself
    listens on ``address:port``. ``RuntimeError`` with the reason when something does not start."""
    k = processes or cores()
    n_threads = threads or threads_per_process(k)
    proxy_bin = haproxy or shutil.which("haproxy")
    use_proxy = k > 1 or haproxy is not None
    if use_proxy and proxy_bin is None:
        raise RuntimeError(
            f"{k} app processes need HAProxy in front of them: install it (Debian/Ubuntu: "
            "sudo apt-get install -y haproxy) or start one process with --processes 1"
        )
    tmp = None
    if run_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="dsdcn-room-")
        run_dir = Path(tmp.name)
    run_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(n_threads)
    env["PYTHONUNBUFFERED"] = "1"
    # one cookie secret for the room (Streamlit takes it from the environment only): an upload's XSRF cookie
    # made by one process is then accepted by another after a failover
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(16))
    if use_proxy:
        ports = [base_port + i if base_port else free_port() for i in range(k)]
        app_host = "127.0.0.1"
    else:
        ports = [port]
        app_host = address
    local = "127.0.0.1" if app_host in ("0.0.0.0", "::") else app_host
    app_urls = [f"http://{local}:{p}" for p in ports]
    commands = [app_command(p, app_host) for p in ports]
    room = Room(
        url=app_urls[0], apps=[], app_urls=app_urls, run_dir=run_dir, commands=commands, env=env, _tmp=tmp
    )
    room.apps = [room.spawn(i) for i in range(k)]
    apps = room.apps
    try:
        deadline = time.monotonic() + timeout
        for i, (proc, url) in enumerate(zip(apps, app_urls, strict=True), start=1):
            wait_healthy(proc, url, deadline, f"app process {i}", run_dir / f"app{i}.log")
        if use_proxy:
            assert proxy_bin is not None
            cfg = run_dir / "haproxy.cfg"
            cfg.write_text(haproxy_config(ports, port, address))
            checked = check_config(cfg, proxy_bin)
            if checked.returncode != 0:
                raise RuntimeError(f"haproxy rejected {cfg}: {checked.stdout}{checked.stderr}".strip())
            room.proxy = subprocess.Popen(
                [proxy_bin, "-db", "-f", str(cfg)],
                stdout=open(run_dir / "haproxy.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            room.url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{port}"
            wait_healthy(room.proxy, room.url, deadline, "haproxy", run_dir / "haproxy.log")
    except BaseException:
        room.stop()
        raise
    return room


def warm(urls: Sequence[str], timeout: float = 300.0) -> list[str]:
    """Run every page once in each process at ``urls`` (together), so the first people in do not wait for
    imports, compiled loops and shared caches; the problems seen (none when all went well)."""
    try:
        from deploy.session_client import visit_every_page
    except ImportError:  # run as a script: this folder is on the path, not the repository
        from session_client import visit_every_page  # type: ignore[no-redef]

    async def every() -> list[list[str] | BaseException]:
        return await asyncio.gather(*(visit_every_page(u, timeout) for u in urls), return_exceptions=True)

    problems: list[str] = []
    for url, seen in zip(urls, asyncio.run(every()), strict=True):
        if isinstance(seen, BaseException):
            problems.append(f"{url}: {type(seen).__name__}: {seen}")
        else:
            problems += [f"{url}{p}" for p in seen]
    return problems


def _warm_later(room: Room, numbers: Sequence[int]) -> None:
    # restarted processes (numbered from 1), warmed in the background once they answer their health check
    def run() -> None:
        urls = [room.app_urls[i - 1] for i in numbers]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(healthy(u) for u in urls):
            time.sleep(1)
        warm(urls)

    threading.Thread(target=run, daemon=True).start()


def share_addresses(port: int) -> list[str]:
    """Addresses of this machine others in the room can open (from ``hostname -I`` where it exists)."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        out = []
    hosts = [h for h in out if ":" not in h] or [socket.gethostname()]
    return [f"http://{h}:{port}" for h in hosts]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: start a room and wait, or ``--check`` the proxy configuration."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--processes", "-k", type=int, default=None, help="app processes (default: one per core)")
    ap.add_argument("--port", type=int, default=8501, help="the public port (default 8501)")
    ap.add_argument("--address", default="0.0.0.0", help="the public address (default: every interface)")
    ap.add_argument(
        "--base-port", type=int, default=8601, help="first loopback port of the apps (default 8601)"
    )
    ap.add_argument(
        "--threads", type=int, default=None, help="torch threads per process (default cores // K)"
    )
    ap.add_argument(
        "--run-dir", type=Path, default=None, help="where logs and haproxy.cfg go (default: a temp dir)"
    )
    ap.add_argument(
        "--check", action="store_true", help="write haproxy.cfg, run haproxy -c on it, start nothing"
    )
    ap.add_argument(
        "--no-warm", action="store_true", help="open the room at once, without running every page first"
    )
    args = ap.parse_args(argv)
    k = args.processes or cores()
    if k < 1:
        ap.error("--processes must be at least 1")
    if args.check:
        run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="dsdcn-room-"))
        run_dir.mkdir(parents=True, exist_ok=True)
        cfg = run_dir / "haproxy.cfg"
        cfg.write_text(haproxy_config([args.base_port + i for i in range(k)], args.port, args.address))
        if shutil.which("haproxy") is None:
            print(f"wrote {cfg}; haproxy is not installed, so it was not checked")
            return 0
        result = check_config(cfg)
        print(f"{cfg}: {(result.stdout + result.stderr).strip() or 'ok'}")
        return result.returncode
    n_threads = args.threads or threads_per_process(k)
    print(f"starting {k} app process(es), {n_threads} torch thread(s) each ...", flush=True)
    try:
        room = start_room(k, args.port, args.address, args.base_port, args.threads, args.run_dir)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if not args.no_warm:
        print("warming up: every page once in each process ...", flush=True)
        t0 = time.monotonic()
        problems = warm(room.app_urls)
        for problem in problems[:10]:
            print(f"warning: warm-up: {problem}", file=sys.stderr)
        print(f"warm in {time.monotonic() - t0:.0f} s", flush=True)
    shared = share_addresses(args.port) if args.address in ("0.0.0.0", "::") else [room.url]
    print(f"the room is open: share {' or '.join(shared)}  (here: {room.url})")
    print(
        f"memory: about {PROCESS_MB * k} MB for the processes + {SESSION_MB} MB per session, and "
        f"{IMAGE_RUN_MB} MB more while an Image lab computation on a 2048² photo runs"
    )
    print(f"logs and haproxy.cfg in {room.run_dir}; Ctrl+C stops the room", flush=True)
    try:
        while not stop:
            if room.proxy is not None and room.proxy.poll() is not None:
                print(f"error: haproxy ended; see {room.run_dir}/haproxy.log", file=sys.stderr)
                return 1
            restarted = room.restart_dead()
            for i in restarted:
                print(
                    f"app process {i} ended: started again (its sessions reconnect to another process)",
                    file=sys.stderr,
                    flush=True,
                )
            if restarted and not args.no_warm:
                _warm_later(room, restarted)
            time.sleep(1)
    finally:
        room.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
