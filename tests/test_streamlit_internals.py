"""The adapter over Streamlit's private internals (ui/streamlit_internals.py) against the installed Streamlit.

If one of these fails after a Streamlit upgrade, a private name moved: the module's docstring says where
to look. The app itself keeps working (the link check falls back to plain values).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui import streamlit_internals as internals

_SCRIPT = '''
import streamlit as st
from ui.streamlit_internals import current_url_value

st.slider("k", 1, 9, 3, key="k", bind="query-params")
st.toggle("t", key="t", bind="query-params")
st.multiselect("m", ["a", "b", "c"], default=["a"], key="m", bind="query-params")
st.selectbox("s", [1, 2, 4], format_func=lambda v: f"d = {v}", key="s", bind="query-params")
st.number_input("x", value=0.5, key="x")
for name in ("k", "t", "m", "s", "x", "nothing"):
    st.session_state["url_" + name] = current_url_value(name)
'''


def _run() -> AppTest:
    at = AppTest.from_string(_SCRIPT, default_timeout=30)
    return at.run()


def test_private_names_still_exist():
    from streamlit.runtime.state.common import user_key_from_element_id
    from streamlit.runtime.state.query_params import _coerce_value_for_query_url

    assert callable(user_key_from_element_id) and callable(_coerce_value_for_query_url)


def test_bound_widgets_lists_keys_values_defaults_and_binding():
    at = _run()
    widgets = {w.key: w for w in internals.bound_widgets(internals.session_state_of_apptest(at))}
    assert {"k", "t", "m", "s", "x"} <= set(widgets)
    assert (widgets["k"].value, widgets["k"].default, widgets["k"].bind) == (3, 3, "query-params")
    assert widgets["t"].value is False and widgets["t"].bind == "query-params"
    assert widgets["m"].value == ["a"] and widgets["m"].is_list
    assert not widgets["k"].is_list and not widgets["s"].is_list
    assert widgets["x"].bind is None


def test_url_values_are_what_streamlit_writes_in_the_url():
    at = _run()
    widgets = {w.key: w for w in internals.bound_widgets(internals.session_state_of_apptest(at))}
    assert widgets["k"].url_value(7) in ("7", ["7"])
    assert widgets["t"].url_value(True) == "true"
    assert widgets["m"].url_value(["b", "c"]) == ["b", "c"]
    assert widgets["s"].url_value(4) in ("d = 4", ["d = 4"])  # the option's label, as in the URL


def test_current_url_value_inside_a_run_and_outside():
    at = _run()
    assert at.session_state["url_k"] == ["3"]
    assert at.session_state["url_t"] == ["false"]
    assert at.session_state["url_m"] == ["a"]
    assert at.session_state["url_s"] == ["d = 1"]
    assert at.session_state["url_nothing"] is None
    assert internals.current_url_value("k") is None  # no script run here
