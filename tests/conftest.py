"""Shared test settings: the repository root on sys.path, hypothesis profiles, and what an AppTest page shows."""

from __future__ import annotations

import os
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


def element_text(at: Any) -> str:
    """Every element of an AppTest page as protobuf text (labels, values, help texts, captions, markdown,
    figure specs as sent; a spec escapes non-ASCII text unless plotly finds orjson)."""
    return "\n".join(
        str(node.proto) for node in _elements(at._tree) if getattr(node, "proto", None) is not None
    )
