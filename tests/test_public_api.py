"""``dsdcn.__all__`` is the library's public API: every name exists, the README lists each one, and no
page-only helper (drawing grids, table columns, link codes) is in it."""

from __future__ import annotations

import re
from pathlib import Path

import dsdcn

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_public_name_exists_and_the_readme_lists_it() -> None:
    assert len(dsdcn.__all__) == len(set(dsdcn.__all__))
    table = README[README.index("### The library's public API") :]
    listed = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", table))
    for name in dsdcn.__all__:
        assert hasattr(dsdcn, name), name
    assert set(dsdcn.__all__) <= listed, sorted(set(dsdcn.__all__) - listed)


def test_page_helpers_stay_in_their_modules() -> None:
    for name in ("field_view", "grid_for", "frame_indices", "stack_csv", "CELL_LIMITS", "render_map", "Timing"):
        assert name not in dsdcn.__all__ and not hasattr(dsdcn, name), name
