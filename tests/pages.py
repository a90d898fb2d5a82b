"""A page in AppTests: opened from a link with no exception, and its controls set as a person sets them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from .links import WIDGET_KINDS, Link, open_link, widget


def open_page(page: str, link: Link | None = None, timeout: float = 30) -> AppTest:
    """``page`` (a script path) opened from the query ``link`` in a fresh AppTest of ``app.py``; the run
    must end without an exception."""
    at = open_link("app.py", link or {}, page=page, timeout=timeout)
    assert not at.exception, at.exception
    return at


def set_controls(
    at: AppTest, prefix: str, kinds: tuple[str, ...] = WIDGET_KINDS, **values: object
) -> AppTest:
    """Set the control ``prefix + name`` to each value, one change per run as a person makes them (so
    callbacks such as a page's axis tie run between them); every run must end without an exception."""
    for name, value in values.items():
        widget(at, f"{prefix}{name}", kinds=kinds).set_value(value)
        at.run()
        assert not at.exception, at.exception
    return at
