"""Links in AppTests: the query string a browser would show for the current view, and a page opened from one.

Streamlit's frontend writes a bound widget's value into the URL when a person changes it; AppTest has
no frontend, so `link_of` asks Streamlit's own serializer of each bound widget (`bind="query-params"`)
for the value it would put there, leaving out the widgets at their defaults as Streamlit does.
"""

from __future__ import annotations

from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.state.query_params import _coerce_value_for_query_url
from streamlit.testing.v1 import AppTest

Link = dict[str, str | list[str]]


def link_of(at: AppTest) -> Link:
    """The query parameters of the view `at` shows now (bound widgets off their defaults)."""
    state = at.session_state._state._state  # SafeSessionState -> SessionState
    widgets = state._new_widget_state
    link: Link = {}
    for widget_id, meta in widgets.widget_metadata.items():
        if getattr(meta, "bind", None) != "query-params" or widget_id not in widgets:
            continue
        key = user_key_from_element_id(widget_id)
        value = widgets[widget_id]
        if key is None or value == meta.deserializer(None):
            continue
        coerced = _coerce_value_for_query_url(meta.serializer(value), meta.value_type)
        if isinstance(coerced, list) and len(coerced) == 1 and meta.value_type != "string_array_value":
            coerced = coerced[0]
        link[key] = coerced
    return link


def open_link(script: str, link: Link, *, page: str | None = None, timeout: float = 60) -> AppTest:
    """A fresh AppTest of `script` (optionally switched to `page`) opened with the query `link`."""
    at = AppTest.from_file(script, default_timeout=timeout)
    for key, value in link.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    return at.run()
