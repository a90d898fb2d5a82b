"""Device choice (CUDA, then Apple MPS, then CPU) with a reason a person can read."""

from __future__ import annotations

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
