"""The Training lab's Streamlit-side helpers that need no running page: settings parsing and memoisation."""

from __future__ import annotations

from dsdcn.training import ModelSpec, OffsetTask, Race
from ui import training_lab as lab


def test_a_paused_race_computes_each_view_once_per_step() -> None:
    state = lab.RaceState(("key",), Race(OffsetTask(1, 1), [ModelSpec("conv", (1,))]))
    calls: list[int] = []

    def compute() -> int:
        calls.append(state.race.steps)
        return len(calls)

    assert state.remember("eval", compute) == 1
    assert state.remember("eval", compute) == 1  # a rerun of the paused race: reused
    state.race.step(1)
    assert state.remember("eval", compute) == 2  # one more step: computed anew
    assert calls == [0, 1]


def test_rates_text() -> None:
    assert lab.parse_rates_text("1, 2, 5") == (1, 2, 5)
    assert lab.parse_rates_text("1 2  5") == (1, 2, 5)
    for bad in ("", "0", "abc", "65", "1," * 11, "1" * 41, None, 5):
        assert lab.parse_rates_text(bad) is None, bad
    assert lab.parse_link_rates("<script>") is None
    assert lab.parse_link_steps("300") == 300
    for bad in ("5", "3001", "1e3", "-10", "9" * 20):
        assert lab.parse_link_steps(bad) is None, bad


def test_link_defaults_follow_the_task() -> None:
    memory = lab.link_defaults("memory")
    assert memory["tr_kernel"] == 2 and memory["tr_rates1"] == "1, 2, 4, 8, 16"
    assert lab.link_defaults("unknown") == lab.link_defaults("offset")
    assert lab.link_defaults("offset")["tr_rates2"] == lab.DEFAULTS["tr_rates2"]


def test_a_figure_is_built_again_only_when_what_it_shows_changed() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(
        """
import streamlit as st
from ui import training_lab as lab
built = st.session_state.setdefault("built", [])
key = st.session_state.get("key", 1)
lab.memo_figure("fig", (key,), lambda: built.append(key) or f"figure {key}")
lab.memo_figure("other", (0,), lambda: built.append("other") or "other")
"""
    )
    at.run()
    at.run()
    assert at.session_state["built"] == [1, "other"]
    at.session_state["key"] = 2
    at.run()
    assert at.session_state["built"] == [1, "other", 2]
