"""AppTest of the Receptive field page: defaults, every preset, edited tables with bad rows, extremes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn import PRESETS, Layer, dilated_stack, encode_stack, receptive_field, suggest_schedule

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/receptive_field.py"


def open_page(**state: object) -> AppTest:
    """The page, switched to from Home with ``state`` (session-state values) set before its first run."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def editor_key(at: AppTest) -> str:
    """Key of the layer table's editor (it gets a fresh key whenever the stack is set from outside)."""
    return f"rf_table_{at.session_state['_rf_table_version']}"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def chart_keys(at: AppTest) -> set[str]:
    return {e.key for e in at.get("plotly_chart")}


@pytest.fixture(scope="module")
def shared() -> AppTest:
    return open_page()


def test_defaults(shared: AppTest) -> None:
    at = shared
    assert at.title[0].value == "Receptive field"
    assert at.session_state["rf_stack"] == "c3d2,c3d2,c3d2"
    assert metrics(at)["Extent"] == "13×13"
    assert "Gridding." in texts(at.error) and "120 of the 169 pixels" in texts(at.error)
    assert "-5, -3, -1, 1, 3, 5" in texts(at.error)
    assert "assumes r₁ = 1" in texts(at.warning)
    assert "Dilations 1, 3, 8" in texts(at.success)
    assert {"rf_chart_extent", "rf_chart_coverage", "rf_chart_cover_map", "rf_chart_erf_map"} <= chart_keys(
        at
    )
    latex = texts(at.latex)
    assert "= 13," in latex and "M_2 = 2" in latex
    # every control carries a help text
    for widget in (*at.number_input, *at.toggle, *at.radio, *at.text_input, *at.button):
        assert widget.help, widget.key


EXPECTED_EXTENT = {
    "plain": "9×9",
    "gridding": "13×13",
    "hdc": "17×17",
    "sawtooth": "33×33",
    "context": "67×67",
    "wavenet": "1,024",
    "aspp": "203×203",
    "vgg": "196×196",
}


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset(shared: AppTest, key: str) -> None:
    at = shared
    at.button(key=f"rf_load_{key}").click().run()
    assert not at.exception
    assert at.session_state["rf_stack"] == encode_stack(PRESETS[key].layers)
    assert metrics(at)["Extent"] == EXPECTED_EXTENT[key]
    assert at.dataframe(key=editor_key(at)).value.shape[0] == len(PRESETS[key].layers)
    assert not [w for w in at.warning if "left out" in w.value]
    keys = chart_keys(at)
    assert {"rf_chart_extent", "rf_chart_coverage"} <= keys
    if key == "wavenet":
        assert at.session_state["rf_mode"] == "1D" and at.session_state["rf_causal"]
        assert "rf_chart_profile" in keys
        assert "agree: no holes" in texts(at.success)
    else:
        assert {"rf_chart_cover_map", "rf_chart_erf_map"} <= keys
    if key == "aspp":
        assert "rf_chart_branches" in keys
        branch_table = at.dataframe[-1].value
        assert list(branch_table["holes per axis"]) == [0, 0, 170, 0]
        assert list(branch_table["holes in 2D"]) == [0, 0, 779**2 - 609**2, 65280]
        assert "pooling layers" in texts(at.info)
    if key in ("hdc", "sawtooth", "context", "plain"):
        assert "No gridding." in texts(at.success)


def test_edited_table_with_invalid_rows() -> None:
    at = open_page()
    at.button(key="rf_load_hdc").click().run()
    # row 2 (dilation 2) loses its kernel, row 3 gets dilation 0... typed as text; one new row, half filled
    at.session_state[editor_key(at)] = {
        "edited_rows": {1: {"kernel": None}, 2: {"dilation": 5000}},
        "added_rows": [{"kind": "pool", "kernel": 2}],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    warnings = texts(at.warning)
    assert "Row 2 (counted from the top) is left out: kernel is empty" in warnings
    assert "Row 3 (counted from the top) is left out: dilation must be from 1 to 4096, got 5000" in warnings
    assert "Row 4 (counted from the top) is left out: stride is empty" in warnings
    # the rest still works: only row 1 (3x3, d=1) is left
    assert metrics(at)["Extent"] == "3×3"
    assert "No gridding." in texts(at.success)
    assert {"rf_chart_coverage", "rf_chart_erf_map"} <= chart_keys(at)


def test_deleted_row() -> None:
    at = open_page()
    at.button(key="rf_load_hdc").click().run()
    at.session_state[editor_key(at)] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.exception
    # dilations 2, 5 without the 1: offsets 0, 2, 4, 5, 7, 9, 10, 12, 14 of 15 are reached
    assert metrics(at)["Extent"] == "15×15"
    assert "6 of the 15 offsets per axis are holes" in texts(at.error)


def test_rule_fails_but_no_holes() -> None:
    at = open_page(rf_stack=encode_stack(dilated_stack([9, 3, 1])))
    assert "No gridding." in texts(at.success)
    assert "The rule fails, but the exact coverage has no holes" in texts(at.warning)
    assert "M_2 = 5 >" in texts(at.latex)


def test_bad_kind_in_an_edited_row() -> None:
    at = open_page()
    at.session_state[editor_key(at)] = {
        "edited_rows": {1: {"kind": "transpose"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "Row 2 (counted from the top) is left out: kind must be conv or pool" in texts(at.warning)
    assert metrics(at)["Extent"] == "9×9"
    assert "Gridding." in texts(at.error)


def test_empty_table() -> None:
    at = open_page()
    at.session_state[editor_key(at)] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0, 1, 2]}
    at.run()
    assert not at.exception
    assert "The stack is empty" in texts(at.info)
    assert "Dilations" in texts(at.success)  # the suggestion still works
    assert at.subheader[-1].value.startswith("2 · Suggest")


def test_extent_too_large() -> None:
    at = open_page(rf_stack=encode_stack([Layer(3, 16)] * 6 + [Layer(3, 1, 4096)]))
    assert "more than the 4,194,304" in texts(at.error)
    assert "Dilations" in texts(at.success)


def test_too_much_work() -> None:
    at = open_page(rf_stack=encode_stack([Layer(31, 1, 4096)] * 13))
    assert "additions, more than the 200,000,000" in texts(at.error)


def test_costly_effective_field_is_skipped() -> None:
    at = open_page(
        rf_stack=encode_stack(dilated_stack([1, 2, 4, 8, 16, 32, 64, 128, 256, 512] * 2)),
        rf_erf_channels=16,
        rf_erf_samples=32,
    )
    assert "multiply-adds, more than" in texts(at.warning)
    assert "No gridding." in texts(at.success)  # the rest of the page is there


def test_twenty_layers_large_dilations_in_2d() -> None:
    layers = dilated_stack([1, 2, 4, 8, 16, 32, 64, 128, 256, 512] * 2)
    at = open_page(rf_stack=encode_stack(layers))
    extent = receptive_field(layers)[-1].size
    assert metrics(at)["Extent"] == f"{extent:,}"  # the effective field falls back to 1D
    assert "computed for the 1D version" in texts(at.info)
    assert "A cell is drawn red only when all its pixels are holes" in texts(at.caption)
    assert "No gridding." in texts(at.success)


def test_uniform_weights_without_relu_is_the_coverage() -> None:
    at = open_page()
    at.button(key="rf_load_context").click().run()
    at.radio(key="rf_erf_weights").set_value("uniform").run()
    at.toggle(key="rf_erf_relu").set_value(False).run()
    assert not at.exception
    m = metrics(at)
    assert m["95% of |gradient| in"] == m["95% of the paths in"]
    assert at.number_input(key="rf_erf_samples").disabled


def test_extreme_erf_settings() -> None:
    at = open_page()
    at.button(key="rf_load_hdc").click().run()
    at.number_input(key="rf_erf_channels").set_value(16).run()
    at.number_input(key="rf_erf_samples").set_value(32).run()
    at.number_input(key="rf_erf_seed").set_value(2**31 - 1).run()
    assert not at.exception
    assert "averaged over 32 networks" in texts(at.caption)


def test_1d_mode_and_causal() -> None:
    at = open_page()
    at.button(key="rf_load_hdc").click().run()
    at.button_group(key="rf_mode").set_value("1D").run()
    assert not at.exception and metrics(at)["Extent"] == "17"
    assert "rf_chart_profile" in chart_keys(at)
    at.toggle(key="rf_causal").set_value(True).run()
    assert not at.exception
    assert at.toggle(key="rf_causal").value


def test_suggest_and_apply() -> None:
    at = open_page()
    at.number_input(key="rf_sug_layers").set_value(4).run()
    at.number_input(key="rf_sug_kernel").set_value(3).run()
    at.number_input(key="rf_sug_dmax").set_value(5).run()
    s = suggest_schedule(4, 3, 5)
    assert f"Dilations {', '.join(map(str, s.dilations))}" in texts(at.success)
    at.button(key="rf_sug_apply").click().run()
    assert not at.exception
    table = at.dataframe(key=editor_key(at)).value
    assert list(table["dilation"]) == list(s.dilations)
    assert metrics(at)["Extent"] == f"{s.extent}×{s.extent}"
    assert "No gridding." in texts(at.success)
    assert at.get("caption")[0].value.startswith("One click")  # no lesson preset in view


def test_suggest_extremes() -> None:
    at = open_page()
    at.number_input(key="rf_sug_layers").set_value(32).run()
    at.number_input(key="rf_sug_kernel").set_value(15).run()
    at.number_input(key="rf_sug_dmax").set_value(4096).run()
    assert not at.exception
    assert "with no holes" in texts(at.success)


def test_bad_branch_rates() -> None:
    at = open_page()
    at.text_input(key="rf_branches").input("6, twelve").run()
    assert not at.exception
    assert "Branch rates ignored" in texts(at.warning)
    at.text_input(key="rf_branches").input("2, 4").run()
    assert not at.exception
    assert "rf_chart_branches" in chart_keys(at)
