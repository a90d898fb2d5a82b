"""The Receptive field page's effective field and the Training lab's steps take their turn on the server's
queue for heavy work: while other requests hold it for longer than a request may wait, the page says the
server is busy (no traceback, nothing computed), and the next run computes as usual."""

from __future__ import annotations

import pytest

import ui.receptive_field as rfui
from dsdcn import budget
from ui.locales.en import STRINGS as EN
from ui.locales.zh import STRINGS as ZH

from .cpu_queue import queue_held
from .links import open_link

BUSY = EN["workshop.busy"]


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests wait 0.3 s for their turn instead of 30 s."""
    real = budget.reserve
    monkeypatch.setattr(
        budget, "reserve", lambda nbytes, device_type="cpu", wait=0.3: real(nbytes, device_type, 0.3)
    )


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_the_effective_field_waits_its_turn_and_says_busy(short_wait: None) -> None:
    rfui.erf.clear()
    with queue_held():
        at = open_link("app.py", {}, page="app_pages/receptive_field.py")
        assert not at.exception, at.exception
        assert BUSY in _warnings(at)
        assert "rf_chart_erf_map" not in {c.key for c in at.get("plotly_chart")}
    at.run()  # the queue is free again
    assert not at.exception, at.exception
    assert BUSY not in _warnings(at)
    assert budget.reserved() == 0 and budget.waiting() == 0


def test_the_busy_message_in_chinese(short_wait: None) -> None:
    rfui.erf.clear()
    with queue_held():
        at = open_link("app.py", {"lang": "中文"}, page="app_pages/receptive_field.py")
    assert not at.exception, at.exception
    assert ZH["workshop.busy"] in _warnings(at)


def test_a_training_step_waits_its_turn_and_says_busy(short_wait: None) -> None:
    at = open_link("app.py", {}, page="app_pages/training_lab.py", timeout=60)
    with queue_held():
        at.button(key="tr_one_step").click().run()
        assert not at.exception, at.exception
        assert BUSY in _warnings(at)
        assert next(c.value for c in at.caption if c.value.startswith("Step ")).startswith("Step 0 ")
    at.button(key="tr_one_step").click().run()
    assert not at.exception, at.exception
    assert BUSY not in _warnings(at)
    assert next(c.value for c in at.caption if c.value.startswith("Step ")).startswith("Step 1 ")
    assert budget.reserved() == 0 and budget.waiting() == 0
