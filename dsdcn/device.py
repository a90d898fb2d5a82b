"""Device choice (CUDA, then Apple MPS, then CPU) with a reason a person can read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import torch

DevicePreference = Literal["auto", "cuda", "mps", "cpu"]
DEVICE_PREFERENCES: tuple[str, ...] = ("auto", "cuda", "mps", "cpu")


@dataclass(frozen=True)
class DeviceChoice:
    """The device picked, a one-line description and, if the preference fell back, why."""

    device: torch.device
    description: str
    reason: str = ""


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _describe(device: torch.device) -> str:
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        props = torch.cuda.get_device_properties(index)
        return f"CUDA GPU: {props.name} ({props.total_memory / 2**30:.0f} GiB)"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return f"CPU ({torch.get_num_threads()} threads)"


def choose_device(preference: DevicePreference = "auto") -> DeviceChoice:
    """Pick a device for ``preference``; an unavailable one falls back with a reason."""
    if preference not in DEVICE_PREFERENCES:
        raise ValueError(f"preference must be one of {', '.join(DEVICE_PREFERENCES)}, got {preference!r}")
    cuda, mps = torch.cuda.is_available(), _mps_available()
    reason = ""
    if preference == "cuda" and not cuda:
        reason = "CUDA was asked for but this PyTorch build sees no CUDA GPU"
    elif preference == "mps" and not mps:
        reason = "Apple MPS was asked for but is not available here"
    if preference == "cpu":
        device = torch.device("cpu")
    elif preference in ("auto", "cuda") and cuda:
        device = torch.device("cuda")
    elif preference in ("auto", "mps") and mps:
        device = torch.device("mps")
    elif cuda:
        device = torch.device("cuda")
    else:
        device = torch.device("cpu")
    if reason:
        reason += f"; using {device.type.upper()} instead."
    return DeviceChoice(device, _describe(device), reason)


def pick_device(preference: DevicePreference = "auto") -> torch.device:
    """CUDA, then Apple MPS, then CPU; ``choose_device`` gives the reason for a fallback."""
    return choose_device(preference).device


def available_devices() -> tuple[str, ...]:
    """Device types usable here, GPUs first: some of ``"cuda"``, ``"mps"``, then always ``"cpu"``."""
    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available():
        found.append("mps")
    return (*found, "cpu")


def synchronize(device: torch.device) -> None:
    """Wait until the work queued on ``device`` has finished (nothing to wait for on the CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def _meminfo_available() -> int | None:
    # MemAvailable from /proc/meminfo (Linux), in bytes
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def _cgroup_available() -> int | None:
    # room left under a cgroup v2 memory limit (containers), in bytes
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            limit = f.read().strip()
        if limit == "max":
            return None
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as f:
            used = int(f.read().strip())
        return max(int(limit) - used, 0)
    except (OSError, ValueError):
        return None


def available_memory(device: torch.device) -> int | None:
    """Bytes that can still be allocated on ``device`` (free GPU memory, or available RAM); None if unknown."""
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    if device.type == "mps":
        mps = getattr(torch, "mps", None)
        if mps is not None and hasattr(mps, "recommended_max_memory"):
            return max(int(mps.recommended_max_memory()) - int(mps.driver_allocated_memory()), 0)
        return _meminfo_available()
    known = [b for b in (_meminfo_available(), _cgroup_available()) if b is not None]
    return min(known) if known else None


@contextmanager
def cpu_threads(threads: int | None) -> Iterator[None]:
    """Run the block with ``threads`` intra-op CPU threads, then restore the old count (None: unchanged).

    The setting is process-wide: other work in the same process sees it while the block runs.
    """
    if threads is None:
        yield
        return
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive integer or None, got {threads!r}")
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(old)
