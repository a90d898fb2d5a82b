"""Workshop mode of the Receptive field page: links that reproduce the view, lesson presets and reset,
hostile link values, the Chinese UI, the table's link code and its CSV export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dsdcn import PRESETS, Layer, decode_stack, encode_stack, receptive_field
from dsdcn.stack import CELL_LIMITS, CSV_COLUMNS, MAX_STACK_CODE, stack_csv
from tests.conftest import chart_titles, element_text
from tests.links import link_of, open_link
from ui.locales.en.receptive_field import STRINGS as EN
from ui.locales.zh.receptive_field import STRINGS as ZH

PAGE = "app_pages/receptive_field.py"
DEFAULTS = {
    "rf_stack": "c3d2,c3d2,c3d2",
    "rf_mode": "2D",
    "rf_causal": False,
    "rf_branches": "",
    "rf_erf_weights": "random",
    "rf_erf_relu": True,
    "rf_erf_channels": 6,
    "rf_erf_samples": 12,
    "rf_erf_seed": 0,
    "rf_sug_layers": 3,
    "rf_sug_kernel": 3,
    "rf_sug_dmax": 8,
}
BOUND = [k for k in DEFAULTS if k != "rf_stack"]
LESSONS = ("gridding", "hdc", "wavenet", "context", "aspp")


def page_link(at: AppTest) -> dict[str, str | list[str]]:
    """What the browser's address bar holds: what the server wrote (the table's code, values set by
    presets) with what the frontend writes for the widgets (``link_of``).

    One more run first, as the browser sends the widgets' new values after a preset: ``link_of``
    reads them from the widget state the frontend reports.
    """
    at.run()
    return {**at.query_params, **link_of(at)}


def open_page(link: dict | None = None) -> AppTest:
    at = open_link("app.py", link or {}, page=PAGE)
    assert not at.exception, at.exception
    return at


def controls(at: AppTest) -> dict[str, object]:
    return {k: at.session_state[k] for k in DEFAULTS}


def editor_key(at: AppTest) -> str:
    return f"rf_table_{at.session_state['_rf_table_version']}"


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure_data(at: AppTest) -> list[object]:
    """The data and titles of every chart (the layout's size depends on the projector switch only)."""
    return [(s["data"], s["layout"].get("title")) for s in specs(at)]


def all_text(at: AppTest) -> str:
    """Every element's content, as protobuf text (labels, values, markdown), and the figure specs decoded
    (the raw spec escapes non-ASCII text unless plotly finds orjson)."""
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    return "\n".join([element_text(at), *specs])


def lesson_caption(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption if c.value.startswith(":material/school:"))


# --- links -------------------------------------------------------------------------------------------


def test_link_reproduces_every_control_and_the_figures() -> None:
    at = open_page()
    at.button(key="rf_load_hdc").click().run()
    at.session_state[editor_key(at)] = {
        "edited_rows": {2: {"dilation": 3}},
        "added_rows": [{"kind": "pool", "kernel": 2, "stride": 2, "dilation": 1, "padding": 0}],
        "deleted_rows": [],
    }
    at.run()
    at.text_input(key="rf_branches").input("2, 4").run()
    at.radio(key="rf_erf_weights").set_value("uniform").run()
    at.number_input(key="rf_erf_samples").set_value(3).run()
    # the browser wrote rf_erf_samples=3 when it changed; it stays when the control is disabled next
    written = page_link(at)
    at.toggle(key="rf_erf_relu").set_value(False).run()
    assert at.number_input(key="rf_erf_samples").disabled
    at.number_input(key="rf_erf_channels").set_value(6).run()
    at.number_input(key="rf_erf_seed").set_value(7).run()
    at.number_input(key="rf_sug_layers").set_value(4).run()
    at.number_input(key="rf_sug_kernel").set_value(5).run()
    at.number_input(key="rf_sug_dmax").set_value(12).run()
    assert not at.exception
    assert at.session_state["rf_stack"] == "c3,c3d2,c3d3z5,p2s2"
    link = {**page_link(at), "rf_erf_samples": written["rf_erf_samples"]}
    assert link["rf_stack"] == "c3,c3d2,c3d3z5,p2s2"

    fresh = open_page(link)
    assert controls(fresh) == controls(at)
    assert not [i for i in fresh.info if "link" in i.value]  # nothing was ignored
    table = fresh.dataframe(key=editor_key(fresh)).value
    assert list(table["dilation"]) == [1, 2, 3, 1] and list(table["kind"]) == ["conv"] * 3 + ["pool"]
    assert figure_data(fresh) == figure_data(at)
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


def test_link_in_1d_with_causal_padding() -> None:
    at = open_page()
    at.button(key="rf_load_plain").click().run()
    at.button_group(key="rf_mode").set_value("1D").run()
    at.toggle(key="rf_causal").set_value(True).run()
    link = page_link(at)
    fresh = open_page(link)
    assert controls(fresh) == controls(at)
    assert figure_data(fresh) == figure_data(at)
    # back to 2D: the causal switch is disabled, and the link the browser wrote keeps it
    at.button_group(key="rf_mode").set_value("2D").run()
    fresh = open_page({**page_link(at), "rf_causal": link["rf_causal"]})
    assert fresh.session_state["rf_causal"] is True and fresh.toggle(key="rf_causal").disabled
    assert figure_data(fresh) == figure_data(at)


def test_table_edits_keep_the_editor_until_the_stack_is_set_from_outside() -> None:
    at = open_page()
    key = editor_key(at)
    at.session_state[key] = {"edited_rows": {0: {"dilation": 1}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert editor_key(at) == key and at.session_state["rf_stack"] == "c3z2,c3d2,c3d2"
    assert "rf_stack" in at.query_params
    at.button(key="rf_reset").click().run()
    assert editor_key(at) != key  # a fresh editor: the edits are gone
    assert controls(at) == DEFAULTS
    assert "rf_stack" not in at.query_params  # the default stays out of the link


def test_suggestion_is_in_the_link() -> None:
    at = open_page()
    at.number_input(key="rf_sug_layers").set_value(4).run()
    at.button(key="rf_sug_apply").click().run()
    fresh = open_page(page_link(at))
    assert fresh.session_state["rf_stack"] == at.session_state["rf_stack"] != DEFAULTS["rf_stack"]


# --- presets and reset -------------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_preset(lesson: str) -> None:
    at = open_page()
    at.number_input(key="rf_erf_seed").set_value(3).run()  # a preset sets every control
    at.button(key=f"rf_preset_{lesson}").click().run()
    assert not at.exception
    assert at.session_state["rf_erf_seed"] == 0
    assert EN[f"receptive_field.lesson.{lesson}.idea"] in lesson_caption(at)
    fresh = open_page(page_link(at))
    assert controls(fresh) == controls(at)
    assert EN[f"receptive_field.lesson.{lesson}.idea"] in lesson_caption(fresh)
    assert figure_data(fresh) == figure_data(at)
    fresh.button(key="rf_reset").click().run()
    assert controls(fresh) == DEFAULTS
    assert EN["receptive_field.lesson.gridding.idea"] in lesson_caption(fresh)  # the defaults are that lesson


def test_no_lesson_caption_off_the_presets() -> None:
    at = open_page()
    at.number_input(key="rf_erf_channels").set_value(2).run()
    assert lesson_caption(at) == ""


# --- hostile links -----------------------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", "1e999", "-5", "NaN", "x" * 10_000]
GROUPS = [["rf_stack", *BOUND[:6]], BOUND[6:]]


@pytest.mark.parametrize("value", HOSTILE, ids=["script", "1e999", "-5", "NaN", "10kB"])
@pytest.mark.parametrize("group", [0, 1])
def test_hostile_values_give_defaults_and_a_notice(value: str, group: int) -> None:
    keys = GROUPS[group]
    at = open_page({**{k: value for k in keys}, "rf_nonsense": value})
    assert controls(at) == DEFAULTS
    notice = "\n".join(i.value for i in at.info)
    for key in [*keys, "rf_nonsense"]:
        assert f"`{key}`" in notice, (key, notice)
    if value in ("<script>alert(1)</script>", "1e999") or len(value) > 100:
        assert value[:100] not in all_text(at)


def test_controls_of_a_hidden_section_are_not_reported() -> None:
    at = open_page({"rf_stack": "none", "rf_erf_channels": "6"})
    assert "The stack is empty" in "\n".join(i.value for i in at.info)
    assert not [i for i in at.info if "link" in i.value]


def test_repeated_and_empty_values() -> None:
    at = open_page({"rf_stack": ["c3", "c5"], "rf_erf_channels": "", "rf_mode": ["1D", "2D"]})
    assert not at.exception
    assert at.session_state["rf_erf_channels"] == 6  # the default


# --- Chinese -----------------------------------------------------------------------------------------


def test_page_in_chinese() -> None:
    at = open_page({"lang": "中文"})
    assert at.title[0].value == ZH["receptive_field.title"]
    subheaders = [s.value for s in at.subheader]
    assert ZH["receptive_field.stack.header"] in subheaders
    assert ZH["receptive_field.growth.header"] in subheaders
    labels = {w.label for w in (*at.number_input, *at.toggle, *at.radio, *at.text_input)}
    assert {
        ZH["receptive_field.erf.channels"],
        ZH["receptive_field.causal"],
        ZH["receptive_field.erf.weights"],
    } <= labels
    assert ZH["receptive_field.erf.extent"] in [m.label for m in at.metric]
    assert "**网格效应。**" in at.error[0].value
    table = at.dataframe[1].value  # the growth table
    assert ZH["receptive_field.growth.col.extent"] in table.columns
    assert ZH["receptive_field.growth.figure"] in chart_titles(at)
    buttons = {b.label for b in at.button}
    assert ZH["receptive_field.lesson.hdc"] in buttons and ZH["receptive_field.sug.apply"] in buttons
    assert at.get("download_button")[0].proto.label == ZH["receptive_field.csv"]


@pytest.mark.parametrize("lesson", ["wavenet", "aspp"])
def test_chinese_link_with_a_preset_and_other_controls(lesson: str) -> None:
    at = open_page({"lang": "中文"})
    at.button(key=f"rf_preset_{lesson}").click().run()
    at.radio(key="rf_erf_weights").set_value("uniform").run()
    at.number_input(key="rf_sug_dmax").set_value(20).run()
    link = page_link(at)
    assert (
        link["lang"] in ("中文", ["中文"])
        and link["rf_erf_weights"] == "uniform"  # the code, in every language
    )
    fresh = open_page(link)
    assert controls(fresh) == controls(at)
    assert figure_data(fresh) == figure_data(at)
    assert fresh.radio(key="rf_erf_weights").value == "uniform"
    text = all_text(fresh)
    assert (
        ZH["receptive_field.fig.path_count" if lesson == "wavenet" else "receptive_field.branch.all"] in text
    )


# --- the table's link code and its CSV ---------------------------------------------------------------

layers_strategy = st.lists(
    st.builds(
        Layer,
        kernel_size=st.integers(1, CELL_LIMITS["kernel"][1]),
        stride=st.integers(1, CELL_LIMITS["stride"][1]),
        dilation=st.integers(1, CELL_LIMITS["dilation"][1]),
        padding=st.integers(0, CELL_LIMITS["padding"][1]),
        kind=st.sampled_from(["conv", "pool"]),
    ),
    max_size=64,
)


@given(layers_strategy)
def test_stack_code_round_trips(layers: list[Layer]) -> None:
    code = encode_stack(layers)
    assert len(code) <= MAX_STACK_CODE
    assert decode_stack(code) == tuple(layers)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "c3,",
        "c0",
        "c32",
        "c3s17",
        "c3d4097",
        "c3z65537",
        "c03",
        "C3",
        "c3 ,c3",
        "c3d2d2",
        "c3s0",
        "c3d2 ",
        "t3",
        "c3;c3",
        "<script>alert(1)</script>",
        "1e999",
        "NaN",
        "-5",
        ",".join(["c3"] * 65),
        "c3," * 600 + "c3",
        "c" + "9" * 5000,
    ],
)
def test_stack_code_is_strict(text: str) -> None:
    with pytest.raises(ValueError, match="stack"):
        decode_stack(text)


def test_stack_code_examples() -> None:
    assert decode_stack("none") == ()
    assert decode_stack("c3d2,c3d2s2,p2s2") == (
        Layer(3, 1, 2, 2),
        Layer(3, 2, 2, 2),
        Layer(2, 2, 1, 0, "pool"),
    )
    assert decode_stack("c3s1d1z1") == decode_stack("c3z1d1") == (Layer(3, 1, 1, 1),)  # any order, defaults
    for preset in PRESETS.values():
        assert len(encode_stack(preset.layers)) < 100


def _parse_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows


@pytest.mark.parametrize("key", list(PRESETS))
def test_csv_of_every_preset(key: str) -> None:
    layers = PRESETS[key].layers
    rows = _parse_csv(stack_csv(layers))
    assert len(rows) == len(layers) and list(rows[0]) == list(CSV_COLUMNS)
    for i, (row, layer, rf) in enumerate(zip(rows, layers, receptive_field(layers), strict=True), start=1):
        assert int(row["layer"]) == i and row["kind"] == layer.kind
        assert (int(row["kernel"]), int(row["stride"]), int(row["dilation"]), int(row["padding"])) == (
            layer.kernel_size,
            layer.stride,
            layer.dilation,
            layer.padding,
        )
        assert (int(row["extent"]), int(row["effective_stride"]), int(row["effective_padding"])) == (
            rf.size,
            rf.stride,
            rf.padding,
        )


@given(layers_strategy)
def test_csv_matches_receptive_field(layers: list[Layer]) -> None:
    rows = _parse_csv(stack_csv(layers))
    got = [(int(r["extent"]), int(r["effective_stride"]), int(r["effective_padding"])) for r in rows]
    assert got == [(rf.size, rf.stride, rf.padding) for rf in receptive_field(layers)]


def test_page_offers_the_csv() -> None:
    at = open_page({"rf_stack": "c3d2,c3d2s2,p2s2"})
    button = at.get("download_button")[0].proto
    assert button.label == EN["receptive_field.csv"]
    assert not at.exception


# --- projector view and PNG export ---------------------------------------------------------------------


@pytest.mark.parametrize("lesson", ["aspp", "wavenet"])
def test_projector_view_makes_figures_bigger(lesson: str) -> None:
    normal = open_page({"rf_stack": "none"})
    normal.button(key=f"rf_preset_{lesson}").click().run()
    big = open_page({"projector": "true"})
    big.button(key=f"rf_preset_{lesson}").click().run()
    assert not big.exception
    for small, large in zip(specs(normal), specs(big), strict=True):
        assert large["layout"]["font"]["size"] > small["layout"].get("font", {}).get("size", 12)
        if "height" in small["layout"]:
            assert large["layout"]["height"] > small["layout"]["height"]
    configs = [json.loads(c.proto.config) for c in big.get("plotly_chart")]
    assert all(c["toImageButtonOptions"]["format"] == "png" for c in configs)
    assert {c["toImageButtonOptions"]["filename"] for c in configs} >= {"dsdcn-extent", "dsdcn-coverage"}
