"""Offline: a workshop network may have no internet, so no page may ask the browser for anything that
is not served by the app itself (the favicon included)."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import assert_no_exception, open_page


def test_every_page_loads_from_the_app_alone(page, app_url: str) -> None:
    host = urlparse(app_url).netloc
    outside: list[str] = []
    page.on(
        "request", lambda req: outside.append(req.url) if urlparse(req.url).netloc not in (host, "") else None
    )
    for url_path in ("", "sampling-grid", "cost"):  # text and formulas, animations, charts
        open_page(page, app_url, url_path)
        assert_no_exception(page)
    icon = page.evaluate("document.querySelector('link[rel*=icon]')?.href || ''")
    assert urlparse(icon).netloc in (host, ""), icon
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside
