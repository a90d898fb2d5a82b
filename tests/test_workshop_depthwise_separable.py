"""Workshop mode on the Depthwise separable page: links that reproduce the view, presets and reset,
hostile link values, the page in Chinese, the projector view of its figures."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dsdcn.figures.separable import SeparableTexts, create_separable_figure, create_step_figure
from ui.locales import en, zh

from .conftest import ROOT, chart_titles
from .links import link_of, open_link

APP = str(ROOT / "app.py")
PAGE = "app_pages/depthwise_separable.py"
NUMBERS = ("ds_c_in", "ds_c_out", "ds_n", "ds_out_channel", "ds_row", "ds_col", "ds_channel", "ds_seed")
SLIDERS = ("ds_m", "ds_k", "ds_d")
DEFAULTS = {
    "ds_c_in": 8,
    "ds_c_out": 16,
    "ds_m": 1,
    "ds_k": 3,
    "ds_d": 2,
    "ds_n": 56,
    "ds_out_channel": 0,
    "ds_row": 3,
    "ds_col": 3,
    "ds_channel": 0,
    "ds_seed": 0,
}
PRESET_IDS = ("why_cheap", "k1_no_gain", "more_outputs", "depth_multiplier", "dilation_free")
HOSTILE = ["<script>alert(1)</script>", "1e999", "-5", "NaN", "x" * 10_000, "-inf"]


def _open(link: dict | None = None) -> AppTest:
    at = open_link(APP, link or {}, page=PAGE, timeout=30)
    assert not at.exception, at.exception
    return at


def _link(at: AppTest) -> dict:
    """The link of the view. ``link_of`` reads widget state, which takes a value set by code (a preset, a
    clamp) one run later than the URL does, so run once more first (as any next interaction would)."""
    return link_of(at.run())


def _values(at: AppTest) -> dict[str, int]:
    out = {key: at.number_input(key=key).value for key in NUMBERS}
    out |= {key: at.slider(key=key).value for key in SLIDERS}
    return out


def _view(at: AppTest) -> dict:
    """What the page shows: its controls, figure data, tables, metrics and the check of the step-through."""
    return {
        "controls": _values(at),
        "figures": [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")],
        "tables": [df.value.to_dict("list") for df in at.dataframe],
        "metrics": [(m.label, m.value) for m in at.metric],
        "success": [s.value for s in at.success],
    }


def _texts(at: AppTest) -> list[str]:
    """Every text a person can read (markdown, captions, notices, titles, labels, metrics, buttons)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "latex"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [w.label for w in (*at.number_input, *at.slider, *at.button)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [" ".join(map(str, df.value.columns)) for df in at.dataframe]
    return out


def test_a_link_reproduces_the_view() -> None:
    at = _open()
    at.number_input(key="ds_c_in").set_value(1)  # equal to the widget minimum: must still be in the link
    at.number_input(key="ds_c_out").set_value(5)
    at.slider(key="ds_m").set_value(2)
    at.slider(key="ds_k").set_value(1)
    at.slider(key="ds_d").set_value(5)
    at.number_input(key="ds_n").set_value(1024)
    at.run()
    at.number_input(key="ds_out_channel").set_value(4)
    at.number_input(key="ds_row").set_value(0)
    at.number_input(key="ds_col").set_value(6)
    at.number_input(key="ds_seed").set_value(77)
    at.run()
    assert not at.exception
    link = link_of(at)
    assert link == {
        "ds_c_in": "1",
        "ds_c_out": "5",
        "ds_m": "2",
        "ds_k": "1",
        "ds_d": "5",
        "ds_n": "1024",
        "ds_out_channel": "4",
        "ds_row": "0",
        "ds_col": "6",
        "ds_seed": "77",
    }
    fresh = _open(link)
    assert _view(fresh) == _view(at)
    assert not fresh.info  # every value of the link was used


def test_a_value_clamped_by_a_shrinking_range_is_what_the_link_holds() -> None:
    at = _open()
    at.number_input(key="ds_out_channel").set_value(15)
    at.number_input(key="ds_channel").set_value(7)
    at.slider(key="ds_k").set_value(9)
    at.slider(key="ds_d").set_value(3).run()  # step input 25 x 25
    at.number_input(key="ds_row").set_value(24).run()
    at.number_input(key="ds_c_out").set_value(4)
    at.number_input(key="ds_c_in").set_value(2)
    at.slider(key="ds_k").set_value(3)
    at.slider(key="ds_d").set_value(1).run()  # step input 7 x 7
    assert not at.exception
    link = _link(at)
    assert (link["ds_out_channel"], link["ds_channel"], link["ds_row"]) == ("3", "1", "6")
    assert _view(_open(link)) == _view(at)


def test_a_link_value_in_a_range_set_by_other_link_values_is_kept() -> None:
    at = _open({"ds_k": "7", "ds_d": "3", "ds_row": "20", "ds_c_out": "32", "ds_out_channel": "31"})
    assert (at.number_input(key="ds_row").value, at.number_input(key="ds_out_channel").value) == (20, 31)
    assert "y[31, 20, 3]" in at.success[0].value
    assert not at.info


def test_the_default_view_has_an_empty_link() -> None:
    at = _open()
    assert link_of(at) == {}
    assert _values(at) == DEFAULTS


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_every_preset_round_trips_and_names_its_idea(preset: str) -> None:
    at = _open()
    at.button(key=f"ds_preset_{preset}").click().run()
    assert not at.exception
    label = en.STRINGS[f"depthwise_separable.preset.{preset}"]
    idea = en.STRINGS[f"depthwise_separable.preset.{preset}.idea"]
    assert any(label in c.value and idea in c.value for c in at.caption)
    link = _link(at)
    assert link
    assert link == dict(at.query_params)  # the URL holds the preset at once
    fresh = _open(link)
    assert _view(fresh) == _view(at)
    assert any(label in c.value for c in fresh.caption)
    fresh.button(key="ds_reset").click().run()
    assert _values(fresh) == DEFAULTS
    assert _link(fresh) == {}
    assert not any(label in c.value for c in fresh.caption)


def test_presets_tell_what_they_claim() -> None:
    def ratio_after(preset: str) -> str:
        at = _open()
        at.button(key=f"ds_preset_{preset}").click().run()
        return next(m.value for m in at.metric if m.label == "Separable costs")

    assert ratio_after("why_cheap") == "12.7% of standard"  # 1/64 + 1/9
    assert float(ratio_after("k1_no_gain").split("%")[0]) > 100  # 1/64 + 1
    assert ratio_after("dilation_free") == ratio_after("why_cheap")  # dilation costs nothing


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_link_values_give_defaults_and_a_notice(value: str) -> None:
    keys = list(DEFAULTS)
    # the notice names up to 8 values: two links of at most 7 page keys and one unknown key
    for group in (keys[:6], keys[6:]):
        at = _open({**{key: value for key in group}, "ds_bogus": value})
        assert _values(at) == DEFAULTS
        notice = " ".join(n.value for n in at.info)
        for key in [*group, "ds_bogus"]:
            assert f"`{key}`" in notice, (key, notice)
        assert not any(value in text for text in _texts(at))
        assert link_of(at) == {}


def test_the_page_in_chinese() -> None:
    at = _open({"lang": "中文"})
    zh_ = zh.STRINGS
    assert at.title[0].value == zh_["depthwise_separable.title"]
    assert at.number_input(key="ds_c_in").label == zh_["depthwise_separable.c_in"]
    assert at.slider(key="ds_d").label == zh_["depthwise_separable.d"]
    assert at.number_input(key="ds_seed").label == zh_["depthwise_separable.seed"]
    assert [s.value for s in at.subheader] == [
        zh_["depthwise_separable.stages"],
        zh_["depthwise_separable.costs"],
        zh_["depthwise_separable.step"],
    ]
    columns = list(at.dataframe[0].value.columns)
    assert columns[:4] == [
        zh_[f"depthwise_separable.col.{c}"] for c in ("layer", "formula", "weights", "macs_pixel")
    ]
    assert at.dataframe[0].value.iloc[0, 0] == zh_["depthwise_separable.row.depthwise"]
    assert at.metric[0].label == zh_["depthwise_separable.ratio_label"]
    assert at.button(key="ds_preset_why_cheap").label == zh_["depthwise_separable.preset.why_cheap"]
    figures = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    titles = chart_titles(at)
    assert titles[:2] == [
        zh_["depthwise_separable.fig.separable_title"],
        zh_["depthwise_separable.fig.standard_title"],
    ]
    assert zh_["depthwise_separable.fig.middle_header"].format(mid=8) in [
        a["text"] for a in figures[0]["annotations"]
    ]
    assert figures[2]["annotations"][-1]["text"] == zh_["depthwise_separable.panel.composed"].format(o=0, c=0)
    assert at.success[0].value.startswith("所有算法一致")
    # no English sentence left in the captions
    assert not any("the" in c.value.split() for c in at.caption)


def test_chinese_with_a_preset_and_other_controls() -> None:
    at = _open({"lang": "中文", "ds_seed": "9", "ds_channel": "5"})
    at.button(key="ds_preset_depth_multiplier").click().run()
    assert not at.exception
    assert any(zh.STRINGS["depthwise_separable.preset.depth_multiplier.idea"] in c.value for c in at.caption)
    assert any(
        zh.STRINGS["depthwise_separable.multiplier_caption"].format(m=4) in c.value for c in at.caption
    )
    link = _link(at)
    assert link["lang"] == ["中文"] and link["ds_m"] == "4"
    fresh = _open(link)
    assert _view(fresh) == _view(at)
    at2 = _open({"lang": "中文", "ds_seed": "9", "ds_channel": "5", "ds_m": "3", "ds_c_in": "2"})
    # channel 5 of 2 input channels is out of range when the link is opened: the default, and a notice
    assert (at2.number_input(key="ds_seed").value, at2.number_input(key="ds_channel").value) == (9, 0)
    assert "`ds_channel`" in at2.info[0].value


def test_projector_view_scales_the_figures_without_flattening_their_lines() -> None:
    plain = _open()
    big = _open({"projector": "true"})
    for a, b in zip(plain.get("plotly_chart"), big.get("plotly_chart"), strict=True):
        fa, fb = json.loads(a.proto.spec), json.loads(b.proto.spec)
        assert fb["layout"]["height"] > fa["layout"]["height"]
        wa = [t.get("line", {}).get("width") for t in fa["data"]]
        wb = [t.get("line", {}).get("width") for t in fb["data"]]
        for x, y in zip(wa, wb, strict=True):
            if x is not None:
                assert y == pytest.approx(1.8 * x)
    # the cost table is a plain table in the projector view, with the same numbers
    shown = big.table[0].value
    assert list(shown.iloc[:, 2]) == [f"{v:,}" for v in plain.dataframe[0].value.iloc[:, 2]]
    assert json.loads(big.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]["filename"] == (
        "dsdcn-separable"
    )


def test_builders_draw_the_texts_they_are_given() -> None:
    texts = SeparableTexts(middle_header="M={mid}", tip_input="IN {c}", step_composed="COMP", step_hover="H")
    fig = create_separable_figure(3, 2, 2, 3, 2, texts=texts)
    assert "M=6" in [a.text for a in fig.layout.annotations]
    assert "IN 0" in fig.data[-1].hovertext
    assert fig.layout.title.text == "Depthwise separable"
    step = create_step_figure(np.zeros((3, 3)), np.ones((1, 3, 3)), np.ones(1), np.ones((3, 3)), texts=texts)
    assert step.layout.annotations[-1].text == "COMP"
    assert {t.hovertemplate for t in step.data} == {"H"}


def test_a_preset_over_a_link_gives_no_notice() -> None:
    at = _open({"ds_m": "2"})
    assert not at.info
    at.button(key="ds_preset_why_cheap").click().run()
    assert not at.info, [n.value for n in at.info]
