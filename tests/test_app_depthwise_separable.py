"""AppTest of the Depthwise separable page: defaults, extreme settings, shrinking ranges, the step-through."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn import separable_costs

from .pages import open_page

PAGE = "app_pages/depthwise_separable.py"


@pytest.fixture()
def page() -> AppTest:
    return open_page(PAGE)


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _step_values(at: AppTest) -> list[str]:
    return [
        _metric(at, "Separable module"),
        _metric(at, "Standard conv with the composed kernel"),
        _metric(at, "By hand"),
    ]


def test_defaults(page: AppTest) -> None:
    at = page
    assert at.title[0].value == "Depthwise separable"
    costs = separable_costs(8, 16, 3, 2, 1)
    assert _metric(at, "Separable costs") == f"{costs.ratio:.1%} of standard"
    table = at.dataframe[0].value
    assert list(table["weights"]) == [72, 128, 200, 1152, 704]
    assert len(at.get("plotly_chart")) == 3
    values = _step_values(at)
    assert len(set(values)) == 1
    assert at.success[0].value.startswith("All ways agree")
    assert any(r"\frac{1}{16}" in x.value for x in at.latex)
    for key in ("ds_c_in", "ds_c_out", "ds_m", "ds_k", "ds_d", "ds_n", "ds_seed"):
        widget = at.number_input(key) if key in ("ds_c_in", "ds_c_out", "ds_n", "ds_seed") else at.slider(key)
        assert widget.help, key


def test_depth_multiplier_uses_the_exact_formula(page: AppTest) -> None:
    at = page
    at.slider("ds_m").set_value(3).run()
    assert not at.exception
    costs = separable_costs(8, 16, 3, 2, 3)
    assert costs.ratio == pytest.approx(3 * (1 / 16 + 1 / 9))
    assert _metric(at, "Separable costs") == f"{costs.ratio:.1%} of standard"
    assert any("m = 3" in c.value for c in at.caption)
    assert len(set(_step_values(at))) == 1


def test_extreme_settings(page: AppTest) -> None:
    at = page
    at.number_input("ds_c_in").set_value(512)
    at.number_input("ds_c_out").set_value(512)
    at.slider("ds_m").set_value(4)
    at.slider("ds_k").set_value(9)
    at.slider("ds_d").set_value(8)
    at.number_input("ds_n").set_value(1024)
    at.run()
    assert not at.exception
    assert len(set(_step_values(at))) == 1
    at.number_input("ds_c_in").set_value(1)
    at.number_input("ds_c_out").set_value(1)
    at.slider("ds_m").set_value(1)
    at.slider("ds_k").set_value(1)
    at.slider("ds_d").set_value(1)
    at.number_input("ds_n").set_value(1)
    at.run()
    assert not at.exception
    assert _metric(at, "Separable costs") == "200.0% of standard"  # 1x1 kernel, C_out = 1: no saving


def test_step_through_follows_the_controls_and_ranges_shrink(page: AppTest) -> None:
    at = page
    at.slider("ds_k").set_value(7)
    at.slider("ds_d").set_value(3).run()  # step input grows to 21 x 21
    at.number_input("ds_row").set_value(20)
    at.number_input("ds_col").set_value(0)
    at.number_input("ds_out_channel").set_value(15)
    at.number_input("ds_channel").set_value(7).run()
    assert not at.exception
    assert len(set(_step_values(at))) == 1
    assert "y[15, 20, 0]" in at.success[0].value
    # smaller kernel and fewer channels: the out-of-range choices are clamped, not an error
    at.slider("ds_k").set_value(3)
    at.slider("ds_d").set_value(1)
    at.number_input("ds_c_out").set_value(4)
    at.number_input("ds_c_in").set_value(2).run()
    assert not at.exception
    assert at.number_input("ds_row").value == 6
    assert at.number_input("ds_out_channel").value == 3
    assert at.number_input("ds_channel").value == 1
    assert len(set(_step_values(at))) == 1


def test_bad_values_in_state_are_clamped(page: AppTest) -> None:
    at = page
    at.session_state["ds_c_in"] = 100_000
    at.session_state["ds_k"] = -4
    at.run()
    assert not at.exception
    assert 1 <= at.number_input("ds_c_in").value <= 512
    assert 1 <= at.slider("ds_k").value <= 9
    assert len(set(_step_values(at))) == 1
