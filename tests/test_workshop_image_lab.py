"""Image lab in workshop mode: links that reproduce the view, lesson presets and reset, hostile links, Chinese."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.locales.en.image_lab import STRINGS as EN
from ui.locales.zh.image_lab import STRINGS as ZH

from .conftest import element_text
from .links import Link, link_of, open_link

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/image_lab.py"


def _page_constant(name: str) -> object:
    """A literal assigned at the top of the page (DEFAULTS, PRESETS), read without running the page."""
    tree = ast.parse((ROOT / PAGE).read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


DEFAULTS: dict[str, object] = _page_constant("DEFAULTS")  # type: ignore[assignment]
PRESETS: dict[str, dict[str, object]] = _page_constant("PRESETS")  # type: ignore[assignment]

# the widget kind of every control (AppTest looks a widget up by kind and key)
KINDS = {
    "lab_source": "segmented_control",
    "lab_sample": "selectbox",
    "lab_kind": "radio",
    "lab_filters": "multiselect",
    "lab_gabor_n": "slider",
    "lab_random_n": "slider",
    "lab_seed": "number_input",
    "lab_kernel": "select_slider",
    "lab_channels": "segmented_control",
    "lab_padding": "selectbox",
    "lab_dilations": "pills",
    "lab_device": "segmented_control",
    "lab_norm": "radio",
    "lab_centre_zero": "toggle",
    "lab_clip": "toggle",
    "lab_cmap": "selectbox",
    "lab_view": "radio",
    "lab_compare": "selectbox",
    "lab_stat": "selectbox",
    "lab_stack_filter": "selectbox",
    "lab_stack_a": "text_input",
    "lab_stack_b": "text_input",
}
HAND_MANAGED = ("lab_seed", "lab_stack_a", "lab_stack_b")
HOSTILE = ["<script>alert(1)</script>", "1e999", "-5", "NaN", "9" * 10_000]


def _open(link: Link | None = None) -> AppTest:
    at = open_link(APP, link or {}, page=PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def _tab(at: AppTest, code: str, strings: dict[str, str] = EN) -> AppTest:
    # AppTest cannot click a tab: open it through its state, as a click would
    at.session_state["lab_tab"] = strings[f"image_lab.tab.{code}"]
    return at.run()


def _link(at: AppTest) -> Link:
    """What the browser's address bar would hold: bound widgets, hand-managed values and the open tab."""
    at.run()  # a value set by a callback reaches AppTest's widget tree on the next run
    link = link_of(at)
    for key in HAND_MANAGED:
        if key in at.query_params:
            link[key] = at.query_params[key]
    return link  # the open tab is there by its code, written by the page


def _widget(at: AppTest, key: str):
    return getattr(at, KINDS[key])(key=key)


def _values(at: AppTest) -> dict[str, object]:
    """The value of every control drawn now."""
    values: dict[str, object] = {"lab_tab": at.session_state["lab_tab"]}
    for key in KINDS:
        try:
            values[key] = _widget(at, key).value
        except KeyError:
            continue
    return values


def _figures(at: AppTest) -> list[str]:
    # decoded and dumped again: the raw spec escapes non-ASCII text unless plotly finds orjson
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def _caption_text(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def _same_view(first: AppTest, second: AppTest) -> None:
    assert _values(second) == _values(first)
    assert _figures(second) == _figures(first)
    assert [i.proto.imgs[0].caption for i in second.image] == [i.proto.imgs[0].caption for i in first.image]


def test_a_link_reproduces_the_controls_and_the_statistics_chart() -> None:
    at = _open()
    # several values, one run (AppTest sends every widget's state with the run)
    at.selectbox(key="lab_sample").set_value("line_drawing.png")
    at.radio(key="lab_kind").set_value("depthwise")
    at.select_slider(key="lab_kernel").set_value(5)
    at.selectbox(key="lab_padding").set_value("reflect")
    at.multiselect(key="lab_filters").set_value(["sobel_x", "gabor", "random"])
    at.slider(key="lab_gabor_n").set_value(3)
    at.slider(key="lab_random_n").set_value(1)
    at.number_input(key="lab_seed").set_value(42)
    at.pills(key="lab_dilations").set_value([1, 3, 6])
    at.radio(key="lab_norm").set_value("shared")
    at.toggle(key="lab_clip").set_value(False)
    at.selectbox(key="lab_cmap").set_value("viridis")
    at.radio(key="lab_view").set_value("crop")
    at.segmented_control(key="lab_device").set_value("cpu").run()
    _tab(at, "stats")
    at.selectbox(key="lab_stat").set_value("max").run()
    assert not at.exception and not at.error
    link = _link(at)
    assert link["lab_seed"] == "42" and link["lab_tab"] == "stats"  # the tab by its code
    again = _open(link)
    _same_view(at, again)
    assert _values(again)["lab_stat"] == "max" and len(_figures(again)) == 1


def test_a_link_reproduces_the_stack_tab_and_the_compare_tab() -> None:
    at = _tab(_open(), "stack")
    at.selectbox(key="lab_stack_filter").set_value("gaussian")
    at.text_input(key="lab_stack_a").set_value("1, 3")
    at.text_input(key="lab_stack_b").set_value("3, 3, 3")
    at.segmented_control(key="lab_channels").set_value("grey").run()
    assert not at.exception and not at.warning
    again = _open(_link(at))
    _same_view(at, again)
    assert len(_figures(again)) == 2  # both response heatmaps, same data

    _tab(at, "compare")
    at.selectbox(key="lab_compare").set_value(4).run()  # Gabor 0°
    again = _open(_link(at))
    assert _values(again)["lab_compare"] == 4
    _same_view(at, again)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_round_trips_and_shows_its_idea(preset: str) -> None:
    at = _open()
    at.button(key=f"lab_preset_{preset}").click().run()
    assert not at.exception and not at.error and not at.warning
    idea = EN[f"image_lab.preset.{preset}.idea"]
    assert idea in _caption_text(at)
    values = _values(at)
    for key, value in PRESETS[preset].items():
        want = EN[f"image_lab.tab.{value}"] if key == "lab_tab" else value
        assert values.get(key, want) == want, key
    again = _open(_link(at))
    assert idea in _caption_text(again)
    _same_view(at, again)


def test_reset_brings_the_defaults_back() -> None:
    at = _open()
    defaults = _values(at)
    at.button(key="lab_preset_gridding").click().run()
    at.number_input(key="lab_seed").set_value(7).run()
    assert _values(at) != defaults
    at.button(key="lab_reset").click().run()
    assert not at.exception
    assert _values(at) == defaults
    assert _link(at) == {}
    assert not any(text in _caption_text(at) for text in (EN[f"image_lab.preset.{p}.idea"] for p in PRESETS))


@pytest.mark.parametrize("value", HOSTILE, ids=["script", "1e999", "-5", "NaN", "10kB"])
def test_hostile_link_values_give_defaults_and_a_notice(value: str) -> None:
    keys = [*KINDS, "lab_tab"]
    for start in range(0, len(keys), 8):  # the notice names up to 8 values
        batch = keys[start : start + 8]
        at = _open(dict.fromkeys(batch, value))
        assert not at.exception and not at.error
        notice = " ".join(i.value for i in at.info)
        assert all(f"`{key}`" in notice for key in batch), (batch, notice)
        now = _values(at)
        for key in batch:
            if key in now and key != "lab_tab":
                assert now[key] == DEFAULTS[key], key
        assert now["lab_tab"] == EN["image_lab.tab.maps"]
        if value not in ("-5", "NaN"):  # short numbers may occur in any number the page prints
            assert value not in element_text(at)


def test_an_unknown_key_is_named_and_dropped() -> None:
    at = _open({"lab_nonsense": "1", "lab_kind": "Depthwise (dilated)"})
    assert "`lab_nonsense`" in " ".join(i.value for i in at.info)
    assert "lab_nonsense" not in at.query_params
    assert at.radio(key="lab_kind").value == "depthwise"


def test_upload_in_a_link_asks_for_the_file_and_keeps_the_settings() -> None:
    link = {"lab_source": "Upload your own", "lab_kind": "Depthwise (dilated)", "lab_tab": "Statistics"}
    at = _open({**link, "lab_stat": "maximum", "lab_stack_a": "1, 3"})
    assert not at.info or "lab_" not in " ".join(i.value for i in at.info)  # nothing refused
    assert "cannot carry the image itself" in " ".join(i.value for i in at.info)
    assert at.radio(key="lab_kind").value == "depthwise"
    assert at.query_params["lab_stack_a"] == "1, 3" and at.query_params["lab_stat"] == "maximum"


def test_the_page_in_chinese() -> None:
    at = _open({"lang": "中文"})
    assert not at.error and not at.warning
    assert at.title[0].value == ZH["image_lab.title"]
    assert at.radio(key="lab_kind").label == ZH["image_lab.kind"]
    assert at.multiselect(key="lab_filters").label == ZH["image_lab.filters"]
    assert at.pills(key="lab_dilations").label == ZH["image_lab.dilations"]
    assert [tab.label for tab in at.tabs] == [
        ZH[f"image_lab.tab.{c}"] for c in ("maps", "compare", "stats", "stack", "download")
    ]
    assert ZH["image_lab.what_maps"] in _caption_text(at)
    assert "Feature maps" not in element_text(at)


def test_a_chinese_link_with_controls_and_a_preset_round_trips() -> None:
    at = _open({"lang": "中文"})
    at.button(key="lab_preset_sobel").click().run()
    at.radio(key="lab_kind").set_value("separable")
    at.radio(key="lab_view").set_value("crop").run()
    _tab(at, "stack", ZH)
    at.text_input(key="lab_stack_b").set_value("1, 2, 4").run()
    assert not at.exception and not at.error
    link = _link(at)
    assert link["lang"] in ("中文", ["中文"]) and link["lab_kind"] == "separable"
    again = _open(link)
    _same_view(at, again)
    assert [tab.label for tab in again.tabs][3] == ZH["image_lab.tab.stack"]
    # the language switch keeps the open tab and the preset's idea
    again.segmented_control(key="lang").set_value("English").run()
    assert not again.exception
    assert again.session_state["lab_tab"] == EN["image_lab.tab.stack"]
    assert _values(again)["lab_stack_b"] == "1, 2, 4"


def test_hidden_and_disabled_controls_survive_a_link() -> None:
    # dilations are disabled for a standard layer, Gabor orientations unused without Gabor: a copied link
    # still carries them, so switching back shows what the sender had
    at = _open()
    at.pills(key="lab_dilations").set_value([2, 16])
    at.slider(key="lab_gabor_n").set_value(6)
    at.multiselect(key="lab_filters").set_value(["box"]).run()
    before = _link(at)
    at.radio(key="lab_kind").set_value("standard").run()  # after: a disabled widget takes no new value
    assert at.pills(key="lab_dilations").disabled
    # AppTest keeps no state for a disabled widget; the browser's URL keeps its parameter (checked by hand)
    again = _open({**before, **_link(at)})
    _same_view(at, again)
    again.radio(key="lab_kind").set_value("dilated")
    again.multiselect(key="lab_filters").set_value(["gabor"]).run()
    assert again.pills(key="lab_dilations").value == [2, 16]
    assert _tab(again, "compare").selectbox(key="lab_compare").options[-1] == "Gabor 150°"
