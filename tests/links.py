"""Links in AppTests: the query string a browser would show for the current view, and a page opened from one.

Streamlit's frontend writes a bound widget's value into the URL when a person changes it; AppTest has
no frontend, so `link_of` asks Streamlit's own serializer of each bound widget (`bind="query-params"`)
for the value it would put there, leaving out the widgets at their defaults as Streamlit does.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.streamlit_internals import bound_widgets, session_state_of_apptest

ROOT = Path(__file__).resolve().parents[1]
Link = dict[str, str | list[str]]


def link_of(at: AppTest) -> Link:
    """The query parameters of the view `at` shows now (bound widgets off their defaults)."""
    link: Link = {}
    bound = set()
    for widget in bound_widgets(session_state_of_apptest(at)):
        if widget.bind != "query-params":
            continue
        bound.add(widget.key)
        # a value set through session state (a preset) wins over the widget's last frontend value
        value = at.session_state[widget.key] if widget.key in at.session_state else widget.value
        if value == widget.default:
            continue
        coerced = widget.url_value(value)
        if isinstance(coerced, list) and len(coerced) == 1 and not widget.is_list:
            coerced = coerced[0]
        link[widget.key] = coerced
    # values a page keeps in the URL by hand (codes of translated choices): what the script wrote there
    for key, value in at.query_params.items():
        if key not in bound and key not in link:
            link[key] = value[-1] if isinstance(value, list) and len(value) == 1 else value
    return link


def open_link(script: str, link: Link, *, page: str | None = None, timeout: float = 60) -> AppTest:
    """A fresh AppTest of `script` (relative to the repository root) opened with the query `link`, on `page` (a script path) if given.

    AppTest always starts on the default page; for another page, the first run (which sets the
    app-wide switches from the link) is followed by a switch to `page` with the whole link again, so
    the page's widgets are created from it as they are when a browser opens the link.
    """
    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)  # relative to the repository
    for key, value in link.items():
        at.query_params[key] = value
    at.run()
    if page is None:
        return at
    at.switch_page(page)
    for key, value in link.items():
        at.query_params[key] = value
    return at.run()


WIDGET_KINDS = ("slider", "number_input", "toggle", "selectbox", "button_group")


def widget(at: AppTest, key: str, kinds: tuple[str, ...] = WIDGET_KINDS):
    """The control with ``key`` among the drawn widgets of ``kinds`` (``KeyError`` when none is drawn)."""
    for kind in kinds:
        for w in at.get(kind):
            if w.key == key:
                return w
    raise KeyError(key)
