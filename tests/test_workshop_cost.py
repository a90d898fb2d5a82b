"""Workshop mode of the Cost page: links that reproduce the view, presets and reset, hostile links, Chinese."""

from __future__ import annotations

import ast
import json

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn.figures.cost import CostFigureTexts, create_ratio_figure, create_time_vs_flops_figure
from tests.conftest import chart_titles
from tests.links import link_of, open_link
from ui.locales.en.cost import STRINGS as EN
from ui.locales.zh.cost import STRINGS as ZH

from .conftest import ROOT

APP = str(ROOT / "app.py")
PAGE = "app_pages/cost.py"


def _page_dict(name: str) -> dict:
    # the page's literal DEFAULTS and PRESETS, read without running the page
    tree = ast.parse((ROOT / PAGE).read_text())
    node = next(n for n in tree.body if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == name)
    return ast.literal_eval(node.value)


DEFAULTS, PRESETS = _page_dict("DEFAULTS"), _page_dict("PRESETS")
NUMBER_KEYS = [k for k in DEFAULTS if k not in ("cost_device", "cost_dtype", "cost_format")]
SELECT_KEYS = ["cost_device", "cost_dtype", "cost_format"]
HOSTILE = ["<script>alert(1)</script>", "1e999", "-5", "NaN", "inf", "9" * 10_000, "A" * 10_000]


def _open(link: dict | None = None) -> AppTest:
    at = open_link(APP, link or {}, page=PAGE)
    assert not at.exception, at.exception
    return at


def _values(at: AppTest) -> dict[str, object]:
    out: dict[str, object] = {k: at.number_input(k).value for k in NUMBER_KEYS}
    out.update({k: at.selectbox(k).value for k in SELECT_KEYS})
    return out


def _specs(at: AppTest) -> list[str]:
    # decoded and dumped again: the raw spec escapes non-ASCII text unless plotly finds orjson
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def _texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader", "header")
    out = [str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind)]
    for kind in ("number_input", "selectbox", "button"):
        out += [str(e.label) for e in at.get(kind)]
    return out


@pytest.fixture(scope="module")
def fresh() -> AppTest:
    return _open()


def test_every_control_is_bound_and_defaults_stay_out_of_the_link(fresh: AppTest) -> None:
    at = fresh
    assert _values(at) == {k: DEFAULTS[k] for k in _values(at)}
    assert link_of(at) == {}
    # the page's own default, not the widget's minimum, is what Streamlit leaves out of the link
    at.number_input("cost_d").set_value(1).run()
    assert link_of(at) == {"cost_d": "1"}
    at.number_input("cost_d").set_value(DEFAULTS["cost_d"]).run()
    assert link_of(at) == {}


def test_link_round_trip_restores_controls_and_figures() -> None:
    at = _open()
    changes = {
        "cost_h": 20,
        "cost_w": 33,
        "cost_c_in": 8,
        "cost_batch": 2,
        "cost_c_out": 12,
        "cost_k": 5,
        "cost_d": 1,  # the widget's minimum: must still travel in the link
        "cost_s": 2,
        "cost_m": 2,
        "cost_warmup": 0,
        "cost_repeats": 3,
        "cost_sweep_max_d": 4,
        "cost_threads": 0,
    }
    for key, value in changes.items():
        at.number_input(key).set_value(value)
    at.number_input("cost_budget").set_value(0.5)
    at.selectbox("cost_dtype").set_value("bfloat16")
    at.selectbox("cost_format").set_value("channels_last")
    at.selectbox("cost_device").set_value("cpu").run()
    assert not at.exception
    link = link_of(at)
    assert link["cost_format"] == "channels_last" and link["cost_device"] == "CPU"  # labels, as shown
    again = _open(link)
    assert _values(again) == _values(at)
    assert _values(again)["cost_d"] == 1 and _values(again)["cost_budget"] == 0.5
    assert _specs(again) == _specs(at)
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_preset_click_link_round_trip_and_caption(preset: str) -> None:
    at = _open({"cost_h": "17", "cost_dtype": "bfloat16"})
    at.button(f"cost_preset_{preset}").click().run()
    assert not at.exception
    wanted = {**DEFAULTS, **PRESETS[preset]}
    assert _values(at) == {k: wanted[k] for k in _values(at)}
    idea = EN[f"cost.preset.{preset}.idea"]
    assert any(idea in c.value for c in at.caption)
    at.run()  # a rerun (as the browser's next message) before reading the link
    link = link_of(at)
    assert all(v == DEFAULTS[k] or k in link for k, v in wanted.items())
    again = _open(link)
    assert _values(again) == _values(at)
    assert any(idea in c.value for c in again.caption)
    assert _specs(again) == _specs(at)
    # reset: every control back to its default, nothing left in the link
    again.button("cost_reset").click().run()
    assert _values(again) == {k: DEFAULTS[k] for k in _values(again)}
    again.run()
    assert link_of(again) == {}
    assert not any(EN[f"cost.preset.{p}.idea"] in c.value for c in again.caption for p in PRESETS)


LINK_KEYS = [*DEFAULTS, "cost_unknown"]
GROUPS = [LINK_KEYS[i : i + 6] for i in range(0, len(LINK_KEYS), 6)]  # the notice names up to 8 keys


@pytest.mark.parametrize("bad", HOSTILE, ids=lambda b: b[:12])
def test_hostile_values_fall_back_to_defaults_with_a_notice(bad: str) -> None:
    for keys in GROUPS:
        at = _open(dict.fromkeys(keys, bad))
        assert _values(at) == {k: DEFAULTS[k] for k in _values(at)}, (keys, bad[:20])
        notice = " ".join(i.value for i in at.info)
        assert all(f"`{key}`" in notice for key in keys), (keys, bad[:20], notice)
        assert not any(bad in text for text in _texts(at) if len(bad) > 2), (keys, bad[:20])
        assert not any(at.query_params.get(key) in (bad, [bad]) for key in keys)


def test_overflowing_numbers_do_not_reach_the_widgets() -> None:
    # Streamlit's int number_input raises OverflowError for these; the page takes them out first
    at = _open({"cost_c_in": "1e999", "cost_k": "-inf", "cost_d": "5", "cost_batch": "9" * 400})
    assert _values(at)["cost_d"] == 5
    assert _values(at)["cost_c_in"] == DEFAULTS["cost_c_in"] and _values(at)["cost_k"] == DEFAULTS["cost_k"]
    notice = " ".join(i.value for i in at.info)
    assert "`cost_c_in`" in notice and "`cost_k`" in notice and "`cost_batch`" in notice


def test_chinese_page_with_controls_and_a_preset() -> None:
    at = _open({"lang": "中文", "cost_k": "5", "cost_format": ZH["cost.format.channels_last"]})
    assert at.title[0].value == ZH["cost.title"]
    assert _values(at)["cost_k"] == 5 and _values(at)["cost_format"] == "channels_last"
    labels = {e.label for e in at.get("number_input")} | {e.label for e in at.get("selectbox")}
    assert {ZH["cost.k"], ZH["cost.d"], ZH["cost.h"], ZH["cost.device"], ZH["cost.format"]} <= labels
    subheaders = [s.value for s in at.subheader]
    assert ZH["cost.formula_vs_count"] in subheaders and ZH["cost.same_rf"] in subheaders
    columns = list(at.dataframe[0].value.columns)
    assert ZH["cost.col.params_formula"] in columns and ZH["cost.col.equal"] in columns
    assert set(at.dataframe[0].value[ZH["cost.col.equal"]]) == {"✓"}
    assert at.success[0].value == ZH["cost.agree"]
    specs = " ".join(_specs(at))
    assert ZH["cost.fig.k_axis"] in specs and ZH["cost.fig.ratio_name"] in specs
    # the link keeps the Chinese label; a preset in Chinese shows its Chinese idea
    assert link_of(at)["cost_format"] == ZH["cost.format.channels_last"]
    at.button("cost_preset_pointwise_dominates").click().run()
    assert not at.exception
    assert any(ZH["cost.preset.pointwise_dominates.idea"] in c.value for c in at.caption)
    at.run()
    again = _open({**link_of(at), "lang": "中文"})
    assert _values(again) == _values(at)


def test_chinese_measurement_keeps_results_across_languages() -> None:
    at = _open({"cost_h": "8", "cost_w": "8", "cost_c_in": "2", "cost_c_out": "2", "cost_repeats": "3"})
    at.button("cost_measure").click().run()
    assert len(at.dataframe) == 3
    at.segmented_control("lang").set_value("中文").run()
    assert not at.exception
    assert len(at.dataframe) == 3  # results are kept under stable ids, not under translated names
    assert ZH["cost.col.median_ms"] in at.dataframe[1].value.columns
    assert any(ZH["cost.fig.time_flops_title"] in title for title in chart_titles(at))


def test_builders_take_their_texts() -> None:
    texts = CostFigureTexts(ratio_axis="R", log_scale_of="/ {name}")
    fig = create_ratio_figure(
        [1, 2], [1.0, 0.5], [0.1, 0.1], [1.0, 0.4], "x", names=("a", "b", "c"), texts=texts
    )
    assert fig.layout.yaxis.title.text == "R" and [tr.name for tr in fig.data] == ["a", "b", "c"]
    fig = create_time_vs_flops_figure(
        ["standard", "depthwise"], [4, 1], [2.0, 1.0], labels=["S", "D"], texts=texts
    )
    assert list(fig.data[0].x) == ["S", "D"] and fig.layout.yaxis.title.text == "/ S"
    default = create_time_vs_flops_figure(["standard", "depthwise"], [4, 1], [None, None])
    assert default.layout.yaxis.title.text == "÷ standard (log scale)"


def test_projector_view_enlarges_the_charts() -> None:
    plain = _open({"cost_k": "5"})
    big = _open({"cost_k": "5", "projector": "true"})
    assert not big.exception
    for small, large in zip(plain.get("plotly_chart"), big.get("plotly_chart"), strict=True):
        s, b = json.loads(small.proto.spec)["layout"], json.loads(large.proto.spec)["layout"]
        assert b["font"]["size"] > s["font"]["size"] and b["height"] > s["height"]
        assert b["title"]["font"]["size"] > s["title"]["font"]["size"]
    assert '"toImageButtonOptions"' in big.get("plotly_chart")[0].proto.config
