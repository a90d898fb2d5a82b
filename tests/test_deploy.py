"""The room launcher's proxy configuration, its thread split, and memory given back after heavy work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deploy.room import COOKIE, HEALTH, check_config, haproxy_config, threads_per_process

ROOT = Path(__file__).resolve().parents[1]
HAPROXY = shutil.which("haproxy")


def _needs_haproxy() -> None:
    if HAPROXY is None:
        message = "haproxy is not installed (apt-get install -y haproxy)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize(("k", "n_cores", "threads"), [(1, 2, 2), (2, 2, 1), (3, 2, 1), (2, 16, 8), (3, 16, 5)])
def test_threads_split_the_cores(k: int, n_cores: int, threads: int) -> None:
    assert threads_per_process(k, n_cores) == threads
    assert k * threads_per_process(k, n_cores) <= max(n_cores, k)


def test_threads_refuse_no_process() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        threads_per_process(0, 2)


def test_config_is_sticky_and_checked() -> None:
    cfg = haproxy_config([8601, 8602, 8603], 8501, "0.0.0.0")
    servers = [line.split() for line in cfg.splitlines() if line.strip().startswith("server ")]
    assert [s[1:3] for s in servers] == [["app1", "127.0.0.1:8601"], ["app2", "127.0.0.1:8602"], ["app3", "127.0.0.1:8603"]]
    assert all("check" in s and s[s.index("cookie") + 1] == s[1] for s in servers)
    assert f"cookie {COOKIE} insert indirect nocache" in cfg  # the browser stays on its process
    assert f"option httpchk GET {HEALTH}" in cfg and "option redispatch" in cfg
    assert "timeout tunnel 1h" in cfg  # an idle websocket is not cut
    assert "bind 0.0.0.0:8501" in cfg
    with pytest.raises(ValueError, match="at least one"):
        haproxy_config([], 8501)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_haproxy_accepts_the_launcher_config(k: int, tmp_path: Path) -> None:
    _needs_haproxy()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(haproxy_config([8601 + i for i in range(k)], 8501, "127.0.0.1"))
    result = check_config(cfg)
    assert result.returncode == 0, result.stdout + result.stderr


def test_haproxy_accepts_the_compose_config(tmp_path: Path) -> None:
    _needs_haproxy()
    env = {**os.environ, "APP_HOST": "app", "COOKIE_KEY": "k"}
    result = subprocess.run(
        [str(HAPROXY), "-c", "-f", str(ROOT / "deploy" / "haproxy-compose.cfg")],
        capture_output=True, text=True, timeout=30, env=env, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_launcher_check_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "deploy/room.py", "--check", "-k", "2", "--run-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "haproxy.cfg").read_text().count("\n    server app") == 2


def test_tune_allocator_refuses_a_bad_rest_time() -> None:
    from dsdcn.allocator import tune_allocator

    with pytest.raises(ValueError, match="trim_idle_seconds"):
        tune_allocator(trim_idle_seconds=0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux only")
def test_memory_goes_back_when_the_process_rests() -> None:
    """With ``tune_allocator``, 400 MB of freed tensors stay in the process while it works (no page faults on
    the next op) and go back to the system within a few seconds of rest (tolerance: 100 MB)."""
    script = textwrap.dedent(
        """
        import time, torch
        from dsdcn.allocator import tune_allocator

        def rss():
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))

        assert tune_allocator(trim_idle_seconds=0.5)
        base = rss()
        for _ in range(3):
            xs = [torch.ones(25 * 2**20) for _ in range(4)]  # 4 x 100 MB, touched
            del xs
        kept = rss() - base
        time.sleep(2.5)
        print(kept, rss() - base)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    kept, after = (int(v) for v in out.stdout.split())
    assert kept > 200  # freed blocks stayed in the heap for the next op
    assert after < 100  # and went back once the process rested


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux only")
def test_memory_freed_while_resting_goes_back_too() -> None:
    """Memory freed after the rest's trim, without work (a closed session dropped by the server's timer),
    goes back within a few more rest periods (tolerance: 100 MB)."""
    script = textwrap.dedent(
        """
        import time, torch
        from dsdcn import allocator

        def rss():
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))

        assert allocator.tune_allocator(trim_idle_seconds=0.25)
        base = rss()
        xs = [torch.ones(25 * 2**20) for _ in range(4)]  # 4 x 100 MB, held by a session
        held = rss() - base
        time.sleep(1.0)  # the process rests: its first trim has nothing to give back
        del xs  # the session is dropped while the process rests
        kept = rss() - base
        time.sleep(0.25 * (allocator.REST_TRIM_PERIODS + 3))
        print(held, kept, rss() - base)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    held, kept, after = (int(v) for v in out.stdout.split())
    assert held > 350 and kept > 200  # freed, but still in the heap
    assert after < 100  # given back with no work in between


def test_every_cache_is_bounded_in_size_and_time() -> None:
    """A room's memory stays bounded: every ``st.cache_data``/``st.cache_resource`` of the app has
    ``max_entries`` and ``ttl``."""
    import ast

    unbounded = []
    for path in sorted([ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                target = call.func if call else deco
                if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                    given = {k.arg for k in call.keywords} if call else set()
                    if not {"max_entries", "ttl"} <= given:
                        unbounded.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not unbounded, "caches without max_entries and ttl: " + ", ".join(unbounded)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux only")
def test_memory_goes_back_when_the_last_heavy_request_ends() -> None:
    """The room's queue hands a finished request's freed blocks back at once when no other heavy request
    runs (no rest needed), and not while another one still runs (tolerance: 100 MB)."""
    script = textwrap.dedent(
        """
        import torch
        from dsdcn import allocator, budget

        def rss():
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))

        assert allocator.tune_allocator(trim_idle_seconds=None)
        base = rss()
        with budget.reserve(2**20, "cpu"):
            with budget.reserve(2**20, "cpu"):  # a nested reservation ending releases nothing yet
                xs = [torch.ones(25 * 2**20) for _ in range(4)]  # 4 x 100 MB, touched
                del xs
            inner = rss() - base
        print(inner, rss() - base)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    inner, after = (int(v) for v in out.stdout.split())
    assert inner > 200  # still working: the freed blocks stay for the next op
    assert after < 100  # the last request ended: they went back


def test_release_without_tuning_does_nothing() -> None:
    script = "from dsdcn import allocator; print(allocator.release())"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_long_lived_objects_are_frozen_once_and_garbage_is_still_collected() -> None:
    # after the freeze a full collection scans only what was made since (Streamlit runs one after every
    # script run); a second call freezes nothing more; new cycles are still collected
    script = textwrap.dedent(
        """
        import gc
        import torch, plotly.graph_objects
        from dsdcn.allocator import freeze_long_lived
        before = len(gc.get_objects())
        frozen = freeze_long_lived()
        after = len(gc.get_objects())
        junk = [[] for _ in range(1000)]
        assert freeze_long_lived() == frozen and gc.get_freeze_count() <= frozen  # nothing more frozen
        cycle = []
        cycle.append(cycle)
        del cycle
        print(before, frozen, after, gc.collect())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    before, frozen, after, collected = (int(v) for v in out.stdout.split())
    assert before > 100_000 and frozen >= before - 1_000  # torch and plotly: module-level objects
    assert after < 1_000
    assert collected >= 1  # the cycle made after the freeze


def test_rest_watch_counts_quiet_looks_and_is_due_once_per_rest() -> None:
    from dsdcn.allocator import RestWatch

    watch = RestWatch(after=60, idle_share=0.02)
    looks = [(0.0, 0), (0.1, 30), (0.2, 60), (0.25, 90), (0.3, 120), (5.0, 150), (5.0, 180), (5.1, 240)]
    seen = []
    for cpu, wall in looks:  # 0.1 s of CPU in 30 s is 0.3%: quiet; 4.7 s in 30 s is busy
        seen.append((watch.look(cpu, wall), watch.due()))
    assert seen == [
        (0.0, False),
        (30.0, False),
        (60.0, True),  # due at the first look after 60 s of rest
        (90.0, False),  # and only once in that rest
        (120.0, False),
        (0.0, False),  # work ends the rest
        (30.0, False),
        (90.0, True),  # a new rest is due again
    ]
    with pytest.raises(ValueError, match="after"):
        RestWatch(after=0)
