"""AppTest of the Sampling grid page: defaults, extremes, settings with no output, every control."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.links import widget

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/sampling_grid.py"


@pytest.fixture()
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30).run()
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _charts(app: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in app.get("plotly_chart")]


def _widget(at: AppTest, key: str):
    return widget(at, key)


def _apply(app: AppTest, **values) -> AppTest:
    for key, value in values.items():
        _widget(app, f"sg_{key}").set_value(value)
    app.run()
    assert not app.exception, app.exception
    return app


def test_defaults_show_dilation_side_by_side(at: AppTest) -> None:
    m = _metrics(at)
    assert m["Kernel spans"] == "5×5"
    assert m["Output size"] == "3×3"
    assert m["Pixels never read"] == "0%"
    charts = _charts(at)
    assert len(charts) == 1  # compare: dilation 1 beside dilation 2, in one figure
    titles = [a["text"] for a in charts[0]["layout"]["annotations"]]
    assert "d = 1" in titles[0] and "d = 2" in titles[1]
    assert len(charts[0]["frames"]) == 25  # one per d = 1 output; the d = 2 panel moves with them
    assert not at.warning
    assert at.latex  # formulas filled in
    assert any("= 3" in latex.value for latex in at.latex)


def test_one_play_drives_both_panels_in_step(at: AppTest) -> None:
    """Issue 15, defect 7: one figure, one Play, one slider and one set of frames for both panels,
    aligned by output position, with step buttons and arrow keys."""
    (spec,) = _charts(at)
    layout, frames = spec["layout"], spec["frames"]
    assert len(layout["updatemenus"]) == 1 and len(layout["sliders"]) == 1
    assert [s["args"][0][0] for s in layout["sliders"][0]["steps"]] == [f["name"] for f in frames]
    taps = [i for i, t in enumerate(spec["data"]) if t.get("name") == "tap numbers"]
    assert [spec["data"][i]["xaxis"] for i in taps] == ["x", "x3"]  # d = 1 panel, d = 2 panel
    for f in frames:  # every frame moves both panels
        assert set(taps) <= set(f["traces"])
    # frame 3 is output (0, 3): d = 1 reads columns 3..5; d = 2 has no output (0, 3), so no taps
    third = frames[3]
    numbers = [f for i, f in zip(third["traces"], third["data"], strict=True) if i in taps]
    assert layout["sliders"][0]["steps"][3]["label"] == "(0, 3)"
    assert len(numbers[0]["text"]) == 9 and numbers[1]["text"] == []
    assert any("sg-steps" in h.proto.body and "ArrowRight" in h.proto.body for h in at.get("html"))
    assert any("One **Play** drives both panels" in c.value for c in at.caption)


def test_largest_settings(at: AppTest) -> None:
    _apply(at, n=32, k=11, d=16, s=8, pad="same", mode="replicate")
    m = _metrics(at)
    assert m["Kernel spans"] == "161×161"
    assert m["Output size"] == "4×4"  # ceil(32 / 8)
    assert len(_charts(at)) == 1
    _apply(at, s=1)
    charts = _charts(at)
    assert 0 < len(charts[0]["frames"]) < 1024
    assert any("too many to animate" in c.value for c in at.caption)


def test_smallest_settings(at: AppTest) -> None:
    _apply(at, n=1, k=1, d=1, s=1)
    m = _metrics(at)
    assert m["Output size"] == "1×1"
    assert any("already 1" in c.value for c in at.caption)  # compare has nothing to compare
    assert len(_charts(at)) == 1


def test_no_output_explains_what_to_change(at: AppTest) -> None:
    _apply(at, n=32, k=11, d=16, pad="valid")
    assert not at.exception
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "161 pixels" in text and "Change one of" in text and "dilation **≤ 3**" in text
    assert not at.get("plotly_chart")
    assert at.expander  # the explanation still works
    _apply(at, d=3)
    assert not at.warning and _charts(at)


def test_reflect_padding_too_wide(at: AppTest) -> None:
    _apply(at, n=4, k=3, d=4, pad="same", mode="reflect")
    assert len(at.warning) == 1 and "reflect" in at.warning[0].value
    _apply(at, mode="replicate")
    assert not at.warning
    spec = _charts(at)[0]
    assert "x3" in [t.get("xaxis") for t in spec["data"] if t.get("name") == "padding"]  # the d = 4 panel


def test_1d(at: AppTest) -> None:
    _apply(at, dims="1D", compare=False, pad="same", mode="circular")
    m = _metrics(at)
    assert m["Kernel spans"] == "5" and m["Output size"] == "7"
    assert m["Padding per side"] == "2 | 2"
    charts = _charts(at)
    assert len(charts) == 1 and charts[0]["layout"]["yaxis"]["ticktext"] == ["input", "output"]


def test_per_axis_settings_keep_values_and_differ(at: AppTest) -> None:
    _apply(at, n=9)
    _apply(at, tied=False)
    assert _widget(at, "sg_n_r").value == 9 and _widget(at, "sg_n_c").value == 9
    _apply(at, n_r=5, k_c=5, d_c=1, pad_c="custom")
    _apply(at, pl_c=0, pr_c=3)
    m = _metrics(at)
    assert m["Kernel spans"] == "5×5"
    assert m["Output size"] == "1×8"  # rows (5-5)/1+1, columns (9+3-5)/1+1
    assert m["Padding per side"] == "0|0, 0|3"
    _apply(at, tied=True)
    assert _widget(at, "sg_n").value == 9  # the column settings become the tied ones


def test_pick_a_cell(at: AppTest) -> None:
    _apply(at, view="pick", pad="same", compare=False)
    _apply(at, pick_r=0, pick_c=6)
    m = _metrics(at)
    assert m["Taps in padding here"] == "5"
    delta = next(x.proto.delta for x in at.metric if x.label == "Taps in padding here")
    assert delta.startswith("of 9 here")
    assert any("reads rows -2, 0, 2 × columns 4, 6, 8" in md.value for md in at.markdown)
    spec = _charts(at)[0]
    assert not spec.get("frames")
    # a smaller input clamps the picked cell instead of failing
    _apply(at, n=3)
    assert not at.exception and _widget(at, "sg_pick_c").value == 2


def test_stride_larger_than_span_is_explained(at: AppTest) -> None:
    _apply(at, dims="1D", n=16, k=2, d=1, s=4)
    assert _metrics(at)["Pixels never read"] == "50%"
    assert any("larger than the kernel's span" in i.value for i in at.info)
    _apply(at, k=3, d=2, s=2)
    assert any("share the factor **2**" in i.value for i in at.info)
