"""AppTest of the Cost page's algorithm comparison: timed on demand, the chart, the winners, refusals, 中文."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn import engine
from dsdcn.figures.algorithms import create_algorithm_figure, fastest
from tests.links import open_link
from ui.locales.en.cost_algorithms import STRINGS as EN
from ui.locales.zh.cost_algorithms import STRINGS as ZH

from .conftest import ROOT

APP = str(ROOT / "app.py")
PAGE = "app_pages/cost.py"
SMALL = {
    "cost_h": "10",
    "cost_w": "12",
    "cost_c_in": "3",
    "cost_c_out": "4",
    "cost_warmup": "0",
    "cost_repeats": "3",
}


def _open(link: dict[str, str]) -> AppTest:
    at = open_link(APP, link, page=PAGE)
    assert not at.exception, at.exception
    return at


def _algorithm_figure(at: AppTest) -> dict:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(s for s in specs if any(tr.get("marker", {}).get("symbol") == "star" for tr in s["data"]))


def test_waits_for_the_button_then_draws_every_algorithm_and_the_winners() -> None:
    at = _open({**SMALL, "cost_sweep_max_d": "3"})
    assert any(EN["cost.algo.press"].split("**")[0] in i.value for i in at.info)
    charts = len(at.get("plotly_chart"))
    at.button("cost_algo_run").click().run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == charts + 1
    fig = _algorithm_figure(at)
    names = [tr["name"] for tr in fig["data"]]
    for algorithm in ("nchw", "channels_last", "space_to_batch", "space_to_batch_cl"):
        assert EN[f"cost.algo.name.{algorithm}"] in names
    star = fig["data"][-1]
    assert star["x"] == [1, 2, 3] and len(star["customdata"]) == 3
    assert any(m.value.startswith("**Fastest here:**") for m in at.markdown)
    assert any("Why time changes at equal FLOPs" in m.value for m in at.markdown)
    # a changed input shows nothing stale: it waits for the button again
    at.number_input("cost_h").set_value(11).run()
    assert len(at.get("plotly_chart")) == charts


def test_stride_two_has_no_space_to_batch_and_chinese_texts() -> None:
    at = _open({**SMALL, "cost_sweep_max_d": "2", "cost_s": "2", "lang": "中文"})
    at.button("cost_algo_run").click().run()
    assert not at.exception
    names = [tr["name"] for tr in _algorithm_figure(at)["data"]]
    assert ZH["cost.algo.name.nchw"] in names and ZH["cost.algo.name.space_to_batch"] not in names
    assert any(m.value.startswith("**在这里最快：**") for m in at.markdown)


def test_a_huge_shape_is_refused_per_dilation_without_a_traceback() -> None:
    at = _open(
        {
            "cost_h": "4096",
            "cost_w": "4096",
            "cost_c_in": "4096",
            "cost_batch": "1024",
            "cost_sweep_max_d": "2",
        }
    )
    at.button("cost_algo_run").click().run()
    assert not at.exception
    refused = [w.value for w in at.warning if w.value.startswith("d = ")]
    assert len(refused) == 2 and all("not measured" in w for w in refused)


def test_the_figure_marks_the_smallest_median_at_each_dilation() -> None:
    medians = {"nchw": [1.0, 3.0, 2.0], "channels_last": [2.0, 1.0, None], "unfold": [None, None, None]}
    fig = create_algorithm_figure([1, 2, 3], medians)
    star = fig.data[-1]
    assert list(star.customdata) == ["nchw", "channels_last", "nchw"]
    assert list(star.y) == pytest.approx([1e3, 1e3, 2e3])
    assert [tr.name for tr in fig.data[:-1]] == ["nchw", "channels_last"]  # nothing timed: no line
    assert fastest(medians, 2) == "nchw" and fastest({"nchw": [None]}, 0) is None
    with pytest.raises(ValueError, match="medians"):
        create_algorithm_figure([1, 2], {"nchw": [1.0]})
    assert set(medians) <= set(engine.ALGORITHMS)
