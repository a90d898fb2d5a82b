"""Workshop mode of the Sampling grid page: links that reproduce the view, presets and reset, hostile
links, the page in Chinese and in projector view."""

from __future__ import annotations

import functools
import json

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn.figures.theme import PROJECTOR
from tests.conftest import chart_titles, element_text
from tests.links import Link, link_of, widget
from tests.pages import open_page, set_controls
from ui.locales.en.sampling_grid import STRINGS as EN
from ui.locales.zh.sampling_grid import STRINGS as ZH

PAGE = "app_pages/sampling_grid.py"
WIDGETS = ("slider", "number_input", "toggle", "selectbox", "button_group")
PRESET_IDS = ("dilation_skips", "same_padding", "stride_skips", "shared_factor", "reflect_padding")


def _widget(at: AppTest, key: str):
    return widget(at, key, kinds=WIDGETS)


def _set(at: AppTest, **values: object) -> AppTest:
    return set_controls(at, "sg_", WIDGETS, **values)


def _controls(at: AppTest) -> dict[str, object]:
    """Every sg_ control on screen and its value."""
    return {w.key: w.value for kind in WIDGETS for w in at.get(kind) if w.key and w.key.startswith("sg_")}


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@functools.cache
def _defaults() -> tuple[tuple[str, object], ...]:
    """The controls of a fresh page (opened once per test session)."""
    return tuple(_controls(open_page(PAGE)).items())


def _round_trip(at: AppTest, link: Link | None = None) -> AppTest:
    """Open a fresh page with the link of `at` and check it shows the same controls and figures."""
    link = link_of(at) if link is None else link
    again = open_page(PAGE, link)
    assert _controls(again) == _controls(at)
    assert _specs(again) == _specs(at)
    assert [m.value for m in again.metric] == [m.value for m in at.metric]
    return again


SCENARIOS = {
    # values at a slider's minimum and a toggle switched off (the widgets' own defaults are the page's)
    "2d-minimums": {"compare": False, "d": 1, "k": 1, "n": 1},
    "2d-per-axis-custom-pick": {
        "n": 9,
        "tied": False,
        "n_r": 5,
        "k_c": 5,
        "d_c": 1,
        "pad_c": "custom",
        "pl_c": 0,
        "pr_c": 3,
        "mode": "replicate",
        "view": "pick",
        "pick_c": 6,
    },
    "1d-compare-reflect": {"dims": "1D", "n": 12, "k": 4, "d": 3, "s": 2, "pad": "same", "mode": "reflect"},
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_link_reproduces_the_view(name: str) -> None:
    at = _set(open_page(PAGE), **SCENARIOS[name])
    _round_trip(at)


def test_hidden_controls_still_reproduce_the_screen() -> None:
    # per-axis values, then 1D: the 1D view uses the tied controls, the per-axis ones are hidden
    at = _set(open_page(PAGE), tied=False, n_r=5, d_c=3)
    _set(at, dims="1D")
    again = _round_trip(at)
    _set(again, dims="2D")  # the tie comes back on in a fresh page: the link had no hidden values
    assert _widget(again, "sg_tied").value is True
    # untied then tied again: the column values become the tied ones, and the link says so
    at = _set(open_page(PAGE), tied=False, n_c=11, k_c=5)
    _set(at, tied=True)
    assert _widget(at, "sg_n").value == 11
    assert dict(at.query_params) == {"sg_n": "11", "sg_k": "5"}  # the callback's values reach the URL
    _round_trip(at.run())  # link_of reads widget states, which catch up with a callback's sets next run


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_every_preset_round_trips_with_its_idea(preset: str) -> None:
    at = open_page(PAGE)
    at.button(key=f"sg_preset_{preset}").click().run()
    assert not at.exception
    caption = f"**{EN[f'sampling_grid.preset.{preset}']}** · {EN[f'sampling_grid.preset.{preset}.idea']}"
    assert any(caption in c.value for c in at.caption)
    # the preset's callback sets the URL itself (the server's query params are what the browser shows);
    # link_of reads the widgets' states, which catch up on the next run
    link = dict(at.query_params)
    again = _round_trip(at, link)
    assert link_of(at.run()) == link_of(again)
    assert any(caption in c.value for c in again.caption)


def test_presets_show_their_idea_on_screen() -> None:
    at = open_page(PAGE)
    at.button(key="sg_preset_stride_skips").click().run()
    assert next(m.value for m in at.metric if m.label == "Pixels never read") == "50%"
    at.button(key="sg_preset_shared_factor").click().run()
    assert any("share the factor **2**" in i.value for i in at.info)
    at.button(key="sg_preset_same_padding").click().run()
    assert next(m.value for m in at.metric if m.label == "Output size") == "7×7"


def test_reset_brings_the_defaults_back() -> None:
    fresh = dict(_defaults())
    at = _set(open_page(PAGE), n=12, compare=False, mode="circular", pad="same")
    at.button(key="sg_preset_reflect_padding").click().run()
    at.button(key="sg_reset").click().run()
    assert not at.exception
    assert _controls(at) == fresh
    assert dict(at.query_params) == {}


BOUND_KEYS = [
    ["sg_dims", "sg_view", "sg_compare", "sg_mode", "sg_n", "sg_k", "sg_d"],
    ["sg_s", "sg_pad", "sg_pl", "sg_pr", "sg_tied", "sg_pick_r", "sg_pick_c"],
    ["sg_n_r", "sg_k_r", "sg_d_r", "sg_s_r", "sg_pad_r", "sg_pl_r", "sg_pr_r"],
    ["sg_n_c", "sg_k_c", "sg_d_c", "sg_s_c", "sg_pad_c", "sg_pl_c", "sg_pr_c"],
]
SCRIPT = "<script>alert(1)</script>"
LONG = "A" * 10_000
HOSTILE = [SCRIPT, "1e999", "-5", "NaN", LONG]


@pytest.mark.parametrize("value", HOSTILE, ids=["script", "huge", "negative", "nan", "10kB"])
def test_hostile_links_give_defaults_and_a_notice(value: str) -> None:
    fresh = dict(_defaults())
    for keys in BOUND_KEYS:
        at = open_page(PAGE, {**{k: value for k in keys}, "sg_bogus": value})
        assert _controls(at) == fresh  # every control at its default
        notice = " ".join(i.value for i in at.info)
        for key in [*keys, "sg_bogus"]:
            assert f"`{key}`" in notice, (key, notice)
        text = element_text(at)
        if value in (SCRIPT, LONG):
            assert value not in text
        assert "sg_bogus" not in at.query_params


def test_a_hostile_value_in_a_visible_control_keeps_the_rest_of_the_link() -> None:
    at = open_page(
        PAGE, {"sg_tied": "false", "sg_n_r": "5", "sg_k_c": SCRIPT, "sg_pad_c": "custom", "sg_pl_c": "1e999"}
    )
    assert _widget(at, "sg_n_r").value == 5 and _widget(at, "sg_pad_c").value == "custom"
    assert _widget(at, "sg_k_c").value == 3 and _widget(at, "sg_pl_c").value == 1
    notice = " ".join(i.value for i in at.info)
    assert "`sg_k_c`" in notice and "`sg_pl_c`" in notice and "`sg_n_r`" not in notice


def _zh(at: AppTest) -> None:
    assert not at.exception
    assert at.title[0].value == ZH["sampling_grid.title"]
    labels = {w.label for kind in WIDGETS for w in at.get(kind) if w.key and w.key.startswith("sg_")}
    assert ZH["sampling_grid.dims"] in labels and ZH["sampling_grid.compare"] in labels
    assert not labels & {EN["sampling_grid.dims"], EN["sampling_grid.compare"], EN["sampling_grid.mode"]}
    metric_labels = {m.label for m in at.metric}
    assert ZH["sampling_grid.m.spans"] in metric_labels and ZH["sampling_grid.m.unread"] in metric_labels
    assert any(ZH["sampling_grid.explain"] in e.label for e in at.expander)
    for spec in _specs(at):  # one panel: the title above the figure; compare panels: a title above each
        layout = spec["layout"]
        titles = [a["text"] for a in layout.get("annotations", [])] or chart_titles(at)
        assert titles and all("卷积核" in title and "kernel" not in title for title in titles)


def test_the_page_in_chinese() -> None:
    at = open_page(PAGE, {"lang": "中文"})
    _zh(at)
    assert any(b.label == ZH["sampling_grid.preset.dilation_skips"] for b in at.button)
    # with non-default controls, their option labels in Chinese
    at = open_page(
        PAGE, {"lang": "中文", "sg_mode": ZH["sampling_grid.mode.reflect"], "sg_pad": "same", "sg_dims": "1D"}
    )
    _zh(at)
    assert _widget(at, "sg_mode").value == "reflect" and not at.info
    # a preset in Chinese: its idea in Chinese, and its link keeps the language
    at.button(key="sg_preset_reflect_padding").click().run()
    _zh(at)
    idea = ZH["sampling_grid.preset.reflect_padding.idea"]
    assert any(idea in c.value for c in at.caption)
    again = _round_trip(at, dict(at.query_params))
    _zh(again)
    assert any(idea in c.value for c in again.caption)


def test_problem_messages_in_chinese() -> None:
    at = open_page(PAGE, {"lang": "中文", "sg_n": "32", "sg_k": "11", "sg_d": "16"})
    assert not at.exception and len(at.warning) == 1
    assert "改变以下任一项" in at.warning[0].value and "161 个像素" in at.warning[0].value


def test_projector_view_bigger_text() -> None:
    at = open_page(PAGE, {"projector": "true", "sg_compare": "false"})
    spec = _specs(at)[0]
    assert spec["layout"]["font"]["size"] == PROJECTOR.font_size  # the projector theme's, at least 20
    taps = next(t for t in spec["data"] if t.get("name") == "taps")
    assert taps["line"]["width"] == 0  # filled taps keep their size
    assert len(spec["frames"]) == 9


def test_gif_download_is_offered_with_its_frame_count() -> None:
    at = open_page(PAGE)  # compare on: d = 1 (5×5 outputs) beside d = 2 (3×3), both in the GIF
    assert any(b.key == "sg_gif" for b in at.get("download_button"))
    assert any(
        "25 frames and both panels" in c.value and "(9 outputs) beside it" in c.value for c in at.caption
    )
    at = _set(at, dims="1D")  # stacked: d = 1 on top
    assert any("(5 outputs) on top, your dilation (3 outputs) under it" in c.value for c in at.caption)
    at = _set(at, dims="2D", compare=False)
    assert any("9 frames, one per output" in c.value for c in at.caption)
    at = _set(at, n=32, d=1, pad="same", compare=False)
    assert any("100 frames" in c.value and "1024" in c.value for c in at.caption)


def test_switching_language_keeps_the_view() -> None:
    at = _set(open_page(PAGE), mode="reflect", view="pick", pad="custom", dims="1D")
    before = _controls(at)
    _widget(at, "lang").set_value("中文").run()
    assert not at.exception and _controls(at) == before
    link = link_of(at)
    assert link["sg_mode"] == "reflect"  # option codes, the same in every language
    _zh(_round_trip(at))
