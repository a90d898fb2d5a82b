"""AppTest of the Sampling grid's new controls: the values table of a picked cell, the reverse view
(which outputs read an input pixel) and the slide-size exports; defaults, extremes and links in
English and Chinese."""

from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from tests.links import link_of, widget
from tests.pages import open_page, set_controls
from ui.locales.en.sampling_grid import STRINGS as EN
from ui.locales.zh.sampling_grid import STRINGS as ZH

PAGE = "app_pages/sampling_grid.py"
WIDGETS = ("slider", "toggle", "selectbox", "button_group")


def _widget(at: AppTest, key: str):
    return widget(at, key, kinds=WIDGETS)


def _set(at: AppTest, **values: object) -> AppTest:
    return set_controls(at, "sg_", WIDGETS, **values)


def _table(at: AppTest, index: int = 0):
    return at.dataframe[index].value


def _sum(at: AppTest) -> int:
    """The output value the page says (the bold number after '='), checked against its torch line."""
    (box,) = at.success
    total = int(re.search(r"= \*\*(-?\d+)\*\*", box.value).group(1))
    torch_says = int(re.search(r"\*\*(-?\d+)\*\*[^*]*`F\.conv", box.value).group(1))
    assert total == torch_says
    return total


def _torch(n: int, k: int, d: int, s: int, pads: tuple[int, int], mode: str, at: tuple[int, int]) -> int:
    """The page's example output, computed here: x[r, c] = (3r + c) % 9 + 1, w = (m % 4) + 1."""
    r, c = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    x = torch.tensor((3 * r + c) % 9 + 1, dtype=torch.float64)[None, None]
    w = torch.tensor(np.arange(k * k) % 4 + 1, dtype=torch.float64).reshape(1, 1, k, k)
    padded = F.pad(x, (*pads, *pads), mode="constant" if mode == "zeros" else mode)
    return int(F.conv2d(padded, w, stride=s, dilation=d)[0, 0][at].item())


def test_values_table_by_default_and_its_sum_is_torch() -> None:
    at = _set(open_page(PAGE), view="pick")
    table = _table(at)
    assert list(table.columns) == [
        EN["sampling_grid.v.col_m_2d"],
        EN["sampling_grid.v.col_reads"],
        EN["sampling_grid.v.col_value"],
        EN["sampling_grid.v.col_weight"],
        EN["sampling_grid.v.col_product"],
    ]
    assert len(table) == 9 and table[EN["sampling_grid.v.col_m_2d"]].iloc[4] == "(1, 1)"
    products = table[EN["sampling_grid.v.col_product"]]
    assert (
        products == table[EN["sampling_grid.v.col_value"]] * table[EN["sampling_grid.v.col_weight"]]
    ).all()
    assert _sum(at) == int(products.sum()) == _torch(7, 3, 2, 1, (0, 0), "zeros", (1, 1))
    assert any("(3·r + c) mod 9 + 1" in c.value for c in at.caption)  # the example is stated


def test_values_at_the_extremes() -> None:
    at = open_page(
        PAGE,
        {"sg_view": "pick", "sg_n": "32", "sg_k": "11", "sg_d": "16", "sg_s": "8", "sg_pad": "same"}
        | {"sg_mode": "replicate", "sg_pick_r": "3", "sg_pick_c": "3", "sg_compare": "false"},
    )
    assert len(_table(at)) == 121
    assert _sum(at) == _torch(32, 11, 16, 8, (80, 80), "replicate", (3, 3))
    kinds = set(_table(at)[EN["sampling_grid.v.col_reads"]])
    assert any("copy of" in k for k in kinds)  # replicate padding: the copied pixel is named
    at = _set(at, n=1, k=1, d=1, s=1)
    assert len(_table(at)) == 1 and _sum(at) == 1  # x[0, 0] = 1, w = 1


def test_values_link_in_both_languages() -> None:
    link = {"sg_view": "pick", "sg_mode": "reflect", "sg_pad": "same", "sg_pick_r": "0", "sg_pick_c": "0"}
    en = open_page(PAGE, link)
    zh = open_page(PAGE, {**link, "lang": "中文"})
    expected = _torch(7, 3, 2, 1, (2, 2), "reflect", (0, 0))
    assert _sum(en) == _sum(zh) == expected
    assert list(zh.dataframe[0].value.columns)[1] == ZH["sampling_grid.v.col_reads"]
    assert any("复制" in v for v in zh.dataframe[0].value[ZH["sampling_grid.v.col_reads"]])
    assert any(
        "copy of (2, 2) (reflect)" in v for v in en.dataframe[0].value[EN["sampling_grid.v.col_reads"]]
    )
    assert {k: v for k, v in link_of(zh).items() if k != "lang"} == link_of(en)  # codes, not words


def test_reverse_view_defaults_hole_and_link() -> None:
    at = _set(open_page(PAGE), view="reads")
    assert _widget(at, "sg_in_r").value == 2 and _widget(at, "sg_in_c").value == 2
    table = _table(at)
    assert sorted(table[EN["sampling_grid.r.col_output"]]) == ["(0, 0)", "(0, 2)", "(2, 0)", "(2, 2)"]
    assert any("read by **4 outputs**" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 1  # the reverse figure
    # a stride that skips: pixel 6 is read by no output, said in both languages
    link = {
        "sg_view": "reads",
        "sg_dims": "1D",
        "sg_n": "16",
        "sg_k": "2",
        "sg_d": "1",
        "sg_s": "4",
        "sg_in_c": "6",
    }
    en = open_page(PAGE, link)
    assert any("No output reads input pixel **6**" in i.value for i in en.info)
    assert link_of(en)["sg_in_c"] == "6" and link_of(en)["sg_view"] == "reads"
    zh = open_page(PAGE, {**link, "lang": "中文"})
    assert any("没有输出读取输入像素 **6**" in i.value for i in zh.info)
    # extremes: the last pixel of the largest input, then a smaller input clamps the pixel
    at = open_page(
        PAGE, {"sg_view": "reads", "sg_n": "32", "sg_in_r": "31", "sg_in_c": "31", "sg_pad": "same"}
    )
    assert _widget(at, "sg_in_c").value == 31 and not at.exception
    at = _set(at, n=3)
    assert _widget(at, "sg_in_c").value == 2


def test_slide_size_option_in_both_views() -> None:
    at = open_page(PAGE)
    assert _widget(at, "sg_slide").value is False  # default: the plain GIF
    assert [b.key for b in at.get("download_button")] == ["sg_gif"]
    at = _set(at, slide=True)
    assert link_of(at)["sg_slide"] == "true"
    at = _set(at, view="pick")
    assert [b.key for b in at.get("download_button")] == ["sg_png"] and _widget(at, "sg_slide").value is True
    zh = open_page(PAGE, {"lang": "中文", "sg_view": "pick", "sg_slide": "true"})
    assert _widget(zh, "sg_slide").label == ZH["sampling_grid.slide"]
    assert zh.get("download_button")[0].proto.label == ZH["sampling_grid.png"]
