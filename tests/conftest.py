"""Shared test settings: the repository root on sys.path, hypothesis profiles, and what an AppTest page shows."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))


def _elements(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


def chart_titles(at: Any) -> list[str]:
    """The chart titles on an AppTest page: ``ui.workshop.show_chart`` draws each as a bold line of
    markdown above its chart (it wraps on a phone), with markdown's characters escaped."""
    values = [m.value for m in at.markdown]
    return [re.sub(r"\\(.)", r"\1", v[2:-2]) for v in values if v.startswith("**") and v.endswith("**")]


def element_text(at: Any) -> str:
    """Every element of an AppTest page as protobuf text (labels, values, help texts, captions, markdown,
    figure specs as sent; a spec escapes non-ASCII text unless plotly finds orjson)."""
    return "\n".join(
        str(node.proto) for node in _elements(at._tree) if getattr(node, "proto", None) is not None
    )


# Suite time per part (unit, AppTest, browser), printed at the end of every run: CI must stay under
# 15 minutes on a 2-core machine, and this says where the time goes.
_PART_SECONDS: dict[str, float] = {}
_PART_TESTS: dict[str, set[str]] = {}
_APPTEST_FILES: dict[str, bool] = {}


def _part(nodeid: str, keywords: Any) -> str:
    """``browser``, ``AppTest`` or ``unit``: by marker, then by whether the test file drives AppTest."""
    if "browser" in keywords:
        return "browser"
    path = nodeid.split("::", 1)[0]
    if path not in _APPTEST_FILES:
        try:
            _APPTEST_FILES[path] = "AppTest" in (ROOT / path).read_text(encoding="utf-8")
        except OSError:
            _APPTEST_FILES[path] = False
    return "AppTest" if _APPTEST_FILES[path] else "unit"


def pytest_runtest_logreport(report: Any) -> None:
    """Add each phase's duration (setup, call, teardown) to its part."""
    part = _part(report.nodeid, report.keywords)
    _PART_SECONDS[part] = _PART_SECONDS.get(part, 0.0) + report.duration
    _PART_TESTS.setdefault(part, set()).add(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per part: tests and seconds."""
    if not _PART_SECONDS:
        return
    terminalreporter.section("suite time per part")
    for part in ("unit", "AppTest", "browser"):
        if part in _PART_SECONDS:
            terminalreporter.write_line(
                f"{part:8} {len(_PART_TESTS[part]):4d} tests  {_PART_SECONDS[part]:7.1f} s"
            )
    terminalreporter.write_line(
        f"{'total':8} {sum(map(len, _PART_TESTS.values())):4d} tests  {sum(_PART_SECONDS.values()):7.1f} s"
    )
