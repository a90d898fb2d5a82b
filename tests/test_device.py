"""Device choice and its fallbacks (simulated where the hardware is absent)."""

from __future__ import annotations

import pytest
import torch

from dsdcn import choose_device, pick_device
from dsdcn import device as device_mod


def test_cpu_is_always_available() -> None:
    assert pick_device("cpu") == torch.device("cpu")
    assert choose_device("cpu").reason == ""


def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_mod, "_describe", lambda d: d.type)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_mod, "_mps_available", lambda: False)
    assert pick_device() == torch.device("cpu")
    monkeypatch.setattr(device_mod, "_mps_available", lambda: True)
    assert pick_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device() == torch.device("cuda")
    assert pick_device("mps") == torch.device("mps")


def test_unavailable_preference_falls_back_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_mod, "_mps_available", lambda: False)
    choice = choose_device("cuda")
    assert choice.device == torch.device("cpu")
    assert "CUDA" in choice.reason and "CPU" in choice.reason
    assert "MPS" in choose_device("mps").reason


def test_description_of_this_machine() -> None:
    choice = choose_device()
    assert choice.description
    assert choice.device.type in ("cuda", "mps", "cpu")


def test_bad_preference() -> None:
    with pytest.raises(ValueError, match="preference"):
        pick_device("tpu")  # type: ignore[arg-type]
