"""Workshop mode, app-wide: language and projector switches kept in the link, notices for bad link values."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.locales import en, zh
from ui.nav import PAGES
from ui.workshop import _cell_text

from .conftest import ROOT
from .links import link_of, open_link

APP = str(ROOT / "app.py")
HOSTILE = [
    "<script>alert(1)</script>",
    "1e999",
    "-5",
    "NaN",
    "x" * 10_000,
    "<img src=x onerror=alert(1)>",
]


def _texts(at: AppTest) -> list[str]:
    """Every text a person can read on the page (markdown, captions, notices, titles, labels)."""
    out: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "header",
        "subheader",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def test_language_and_projector_round_trip_through_the_link() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.button_group(key="lang").set_value("中文")
    at.toggle(key="projector").set_value(True)
    at.run()
    link = link_of(at)
    assert link == {"lang": ["中文"], "projector": "true"}
    fresh = open_link(APP, link)
    assert not fresh.exception
    assert fresh.title[0].value == zh.STRINGS["home.title"]
    assert fresh.toggle(key="projector").value is True
    assert fresh.button_group(key="lang").value == "中文"
    assert any(zh.STRINGS["home.pages"] in s.value for s in fresh.subheader)


def test_projector_view_adds_its_style() -> None:
    plain = AppTest.from_file(APP, default_timeout=30).run()
    big = open_link(APP, {"projector": "true"})
    assert not big.exception
    assert len(big.get("html")) == len(plain.get("html")) + 1


@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_projector_view_shows_read_only_tables_as_plain_tables(info) -> None:
    """The grid draws on a canvas the projector's font cannot reach: its read-only tables become plain
    tables with the same rows; only the Receptive field's editable stack stays a grid."""
    plain = open_link(APP, {}, page=info.path)
    big = open_link(APP, {"projector": "true"}, page=info.path)
    assert not plain.exception and not big.exception
    editors = 1 if info.url_path == "receptive-field" else 0
    assert len(big.dataframe) == editors
    assert len(big.table) == len(plain.dataframe) - editors + len(plain.table)
    grids = [d.value for d in plain.dataframe][editors:]
    for grid, table in zip(grids, [t.value for t in big.table], strict=False):
        assert list(table.columns) == list(grid.columns) and len(table) == len(grid)


def test_plain_table_cells_read_as_the_grid_shows_them() -> None:
    assert _cell_text(1234567, "localized", "–") == "1,234,567"
    assert _cell_text(0.123456, "%.3f", "–") == "0.123"
    assert _cell_text(0.1, None, "–") == "0.1" and _cell_text(2.0, None, "–") == "2"
    assert _cell_text(1 / 3, None, "–") == "0.3333"
    assert _cell_text(None, "%.3f", "–") == "–" and _cell_text(float("nan"), None, "–") == "–"
    assert _cell_text(np.int64(4096), "localized", "–") == "4,096"
    assert _cell_text("too big for memory", "%.3f", "–") == "too big for memory"
    assert _cell_text(True, "localized", "–") == "True"


@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_every_page_opens_in_chinese(info) -> None:
    at = open_link(APP, {"lang": "中文"}, page=info.path)
    assert not at.exception
    title = at.title[0].value
    assert title != en.STRINGS[info.key + ".title"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title


def test_navigation_titles_follow_the_language() -> None:
    at = open_link(APP, {"lang": "中文"})
    assert not at.exception
    cards = {link.proto.label.strip("*") for link in at.get("page_link")}
    assert cards == {zh.STRINGS[info.key + ".title"] for info in PAGES}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("key", ["lang", "projector"])
def test_hostile_global_values_fall_back_with_a_notice(key: str, value: str) -> None:
    at = open_link(APP, {key: value})
    assert not at.exception
    assert at.title[0].value == en.STRINGS["home.title"]
    assert any(f"`{key}`" in n.value for n in at.info), [n.value for n in at.info]
    assert not any(value in text for text in _texts(at))


def test_unknown_link_keys_are_named_removed_and_never_shown() -> None:
    at = open_link(APP, {"zz_unknown": "<b>x</b>", "<script>": "1"})
    assert not at.exception
    notices = [n.value for n in at.info]
    assert any("`zz_unknown`" in n for n in notices)
    assert not any("<script>" in text or "<b>x</b>" in text for text in _texts(at))
    assert "zz_unknown" not in at.query_params


def test_a_clean_link_gives_no_notice() -> None:
    at = open_link(APP, {"lang": "English"})
    assert not at.exception
    assert not at.info
