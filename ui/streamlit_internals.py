"""The private Streamlit internals the app and its tests read, in one place.

Streamlit has no public way to ask "what would this bound widget (``bind="query-params"``) write in the
URL now?". The link checks need it (a parameter equal to its widget's value is dropped from the URL
without being wrong), and the AppTests need it to build the link a browser would show. Both read the
widget registry of a session (``SessionState._new_widget_state``: widget ids, their metadata and values)
and Streamlit's own URL formatter (``query_params._coerce_value_for_query_url``).

Everything private is touched only here, and ``tests/test_streamlit_internals.py`` checks it against the
installed Streamlit. If a release moves one of these names: that test fails first and says which; the app
keeps working (:func:`current_url_value` returns ``None`` and the link check falls back to comparing
plain values), and the fix is in this module alone: find the new name in Streamlit's
``runtime/state/`` package (``git log -S _coerce_value_for_query_url``), or drop this module if Streamlit
gains a public API for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["BoundWidget", "bound_widgets", "current_url_value", "session_state_of_apptest"]


@dataclass(frozen=True)
class BoundWidget:
    """One keyed widget of a session, as Streamlit registered it."""

    key: str  # the widget's user key
    value: Any  # its current value (the widget's, not a value set through session state)
    default: Any  # the value it has when nothing chose one
    bind: str | None  # "query-params" when the widget is bound to the URL
    is_list: bool  # the URL holds a list of strings (a multiselect); sliders' one-item lists are not
    _to_url: Callable[[Any], str | list[str]]

    def url_value(self, value: Any | None = None) -> str | list[str]:
        """What Streamlit writes in the URL for ``value`` (default: the widget's current value)."""
        return self._to_url(self.value if value is None else value)


def _url_formatter(meta: Any) -> Callable[[Any], str | list[str]]:
    from streamlit.runtime.state.query_params import _coerce_value_for_query_url

    return lambda value: _coerce_value_for_query_url(meta.serializer(value), meta.value_type)


def bound_widgets(session_state: Any) -> list[BoundWidget]:
    """Every keyed widget with a value in ``session_state`` (Streamlit's ``SessionState`` object)."""
    from streamlit.runtime.state.common import user_key_from_element_id

    widgets = session_state._new_widget_state
    found = []
    for widget_id, meta in widgets.widget_metadata.items():
        key = user_key_from_element_id(widget_id)
        if key is None or widget_id not in widgets:
            continue
        found.append(
            BoundWidget(
                key=key,
                value=widgets[widget_id],
                default=meta.deserializer(None),
                bind=getattr(meta, "bind", None),
                is_list=meta.value_type == "string_array_value",
                _to_url=_url_formatter(meta),
            )
        )
    return found


def current_url_value(key: str) -> list[str] | None:
    """What Streamlit would write in the URL for widget ``key`` in this script run, as a list of values
    (``None`` outside a run, for an unknown key, or when the internals moved)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is None:
            return None
        for widget in bound_widgets(ctx.session_state._state):
            if widget.key == key:
                value = widget.url_value()
                return value if isinstance(value, list) else [value]
    except Exception:  # Streamlit internals moved: the caller falls back to a plain comparison
        return None
    return None


def session_state_of_apptest(at: Any) -> Any:
    """Streamlit's ``SessionState`` behind an ``AppTest``'s ``session_state`` (for :func:`bound_widgets`)."""
    return at.session_state._state._state  # SafeSessionState -> SessionState
