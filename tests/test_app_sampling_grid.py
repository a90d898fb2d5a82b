"""AppTest of the Sampling grid page: defaults, extremes, settings with no output, every control."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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


def _widget(app: AppTest, key: str):
    for kind in ("slider", "number_input", "toggle", "selectbox", "button_group"):
        for w in app.get(kind):
            if w.key == key:
                return w
    raise KeyError(key)


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
    assert len(charts) == 2  # compare: dilation 1 beside dilation 2
    assert "d = 1" in charts[0]["layout"]["title"]["text"]
    assert "d = 2" in charts[1]["layout"]["title"]["text"]
    assert len(charts[1]["frames"]) == 9 and len(charts[0]["frames"]) == 25
    assert not at.warning
    assert at.latex  # formulas filled in
    assert any("= 3" in latex.value for latex in at.latex)


def test_largest_settings(at: AppTest) -> None:
    _apply(at, n=32, k=11, d=16, s=8, pad="same", mode="replicate")
    m = _metrics(at)
    assert m["Kernel spans"] == "161×161"
    assert m["Output size"] == "4×4"  # ceil(32 / 8)
    assert len(_charts(at)) == 2
    _apply(at, s=1)
    charts = _charts(at)
    assert 0 < len(charts[1]["frames"]) < 1024
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
    spec = _charts(at)[1]
    assert any(t.get("name") == "padding" for t in spec["data"])


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
    assert m["Taps in padding here"] == "5 of 9"
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
