"""The Home cards lead to their pages, and a shared link is the first thing a new server serves. (Every page
opening without an exception, at a phone's width and in the projector view: ``test_room_screens.py``.)"""

from __future__ import annotations

import pytest

from ui.nav import PAGES

from .conftest import (
    assert_no_exception,
    dialogs_seen,
    new_browser_page,
    open_page,
    record_dialogs,
)


def test_home_cards_link_to_pages(page, app_url: str) -> None:
    open_page(page, app_url)
    page.get_by_role("link", name=PAGES[0].title).first.click()
    page.wait_for_url(f"**/{PAGES[0].url_path}")
    page.get_by_role("heading", name=PAGES[0].title).first.wait_for()
    assert_no_exception(page)


@pytest.mark.parametrize("info", [p for p in PAGES if "-" in p.url_path][:1], ids=lambda p: p.url_path)
def test_shared_link_opens_its_page_on_a_fresh_server(browser, fresh_app_url: str, info) -> None:
    """A link pasted into a chat is the first request a new server sees: it must open that page, no dialog."""
    with new_browser_page(browser) as pg:
        record_dialogs(pg)
        open_page(pg, fresh_app_url, info.url_path)
        pg.get_by_role("heading", name=info.title).first.wait_for()
        pg.wait_for_timeout(500)
        assert dialogs_seen(pg) == []
        assert pg.url.endswith(f"/{info.url_path}")
        assert_no_exception(pg)
