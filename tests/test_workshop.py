"""Workshop mode, app-wide: language and projector switches kept in the link, notices for bad link values."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.locales import en, zh
from ui.nav import PAGES

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
