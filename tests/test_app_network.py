"""AppTest of the Network page: defaults, every preset, extremes, stack code, ONNX uploads, hostile links,
both languages."""

from __future__ import annotations

import io
import warnings

import pytest
import torch
from streamlit.testing.v1 import AppTest
from torch import nn

import ui.network as nw
from ui.locales.en import STRINGS as EN
from ui.locales.zh import STRINGS as ZH

from .links import Link, link_of, open_link

PAGE = "app_pages/network.py"


def _open(link: Link | None = None) -> AppTest:
    at = open_link("app.py", link or {}, page=PAGE, timeout=60)
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, key: str) -> str:
    label = EN[f"network.m.{key}"].split("{")[0]
    return next(str(m.value) for m in at.metric if m.label.startswith(label))


def _texts(at: AppTest) -> str:
    return " | ".join(
        str(e.value)
        for kind in ("caption", "markdown", "info", "warning", "error")
        for e in getattr(at, kind)
    )


def test_defaults_show_mobilenet_v1_checked_against_its_published_figures() -> None:
    at = _open()
    assert at.title[0].value == EN["network.title"]
    assert (
        _metric(at, "params") == "4.21 M"
        and _metric(at, "macs") == "569 M"
        and _metric(at, "flops") == "1.14 G"
    )
    published = at.dataframe[0].value
    assert list(published[EN["network.pub.verdict"]]) == [EN["network.pub.ok"]] * len(published)
    assert len(at.dataframe[1].value) == 29  # the layer table: every row
    assert len(at.get("plotly_chart")) == 2 and len(at.get("download_button")) == 4


@pytest.mark.parametrize("preset", list(nw.PRESETS))
def test_each_preset_states_its_idea_and_keeps_it_in_the_link(preset: str) -> None:
    at = _open()
    at.button(key=f"nw_preset_{preset}").click()
    at.run()
    assert not at.exception, at.exception
    assert EN[f"network.preset.{preset}.idea"] in _texts(at)
    expected = {
        "resnet_stride": "483 px",
        "deeplab_os": "1,003 px",
        "espnet_hff": "33 px",
        "wavenet": "2,048 px",
        "separable": "212 px",
    }
    assert _metric(at, "rf").startswith(expected[preset])
    if preset == "separable":
        assert EN["network.separable"] in [s.value for s in at.subheader]
        fresh = _open(link_of(at))  # the link reproduces the view
        assert _metric(fresh, "rf") == _metric(at, "rf") and _metric(fresh, "macs") == _metric(at, "macs")


def test_extremes_give_messages_not_tracebacks() -> None:
    at = _open({"nw_net": "vgg16", "nw_size": "1"})
    assert any(EN["network.cannot"].split(":")[0] in w.value for w in at.warning)
    at = _open({"nw_net": "deeplab_os8", "nw_size": "65536"})
    assert any(
        EN["network.too_big"].split(":")[0] in i.value for i in at.info
    )  # latency refused, table shown
    assert len(at.dataframe) >= 1


def test_stack_code_source_and_a_bad_code() -> None:
    at = _open({"nw_source": "stack", "nw_stack": "c3d2,c3d4s2,p2s2", "nw_size": "64"})
    assert _metric(at, "rf").startswith("15 px")  # 1 + 2·2 = 5, + 2·4 = 13 (then stride 2), pool: + 1·2 = 15
    at.text_input(key="nw_stack").set_value("c3,zz")
    at.run()
    assert not at.exception and any(EN["network.bad_stack"].split(":")[0] in w.value for w in at.warning)


def _onnx_bytes() -> bytes:
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=2, dilation=2), nn.ReLU(), nn.Conv2d(8, 4, 3, stride=2, padding=1)
    )
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), torch.randn(1, 3, 32, 32), buf, dynamo=False)
    return buf.getvalue()


def test_onnx_uploads_good_and_bad() -> None:
    at = _open({"nw_source": "onnx"})
    assert EN["network.upload_prompt"] in _texts(at)
    at.file_uploader(key="nw_upload").set_value(
        ("model.onnx", b"\x08\x07garbage" * 10, "application/octet-stream")
    )
    at.run()
    assert not at.exception and any(EN["network.onnx.not_onnx"] in e.value for e in at.error)
    at.file_uploader(key="nw_upload").set_value(("model.onnx", _onnx_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error
    assert _metric(at, "rf").startswith("7 px")  # 1 + 2·2 = 5, then a 3×3 at stride 1: 7


@pytest.mark.parametrize("lang, strings", [("English", EN), ("中文", ZH)])
def test_an_onnx_whose_layers_do_not_fit_together_gets_a_message(lang: str, strings: dict[str, str]) -> None:
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 9, 9])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = [helper.make_node("Conv", ["x"], ["y"])]  # a convolution without its weight
    data = helper.make_model(helper.make_graph(nodes, "g", [x], [y])).SerializeToString()
    at = _open({"nw_source": "onnx", "lang": lang})
    at.file_uploader(key="nw_upload").set_value(("bad.onnx", data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    head = strings["network.onnx.malformed"].split("{")[0]
    assert any(e.value.startswith(head) and "Conv_0" in e.value for e in at.error)


@pytest.mark.parametrize(
    "link",
    [
        {"nw_net": "<script>alert(1)</script>"},
        {"nw_size": "1e999"},
        {"nw_stack": "x" * 5000, "nw_source": "stack"},
        {"nw_source": "zz"},
    ],
)
def test_hostile_links_fall_back_with_a_notice(link: Link) -> None:
    at = _open(link)
    assert any(
        f"`{next(iter(k for k in link if k != 'nw_source' or link[k] == 'zz'))}`" in n.value for n in at.info
    )
    assert "<script>" not in _texts(at)


def test_chinese() -> None:
    at = _open({"lang": "中文", "nw_net": "espnet_hff", "nw_size": "64"})
    assert at.title[0].value == ZH["network.title"]
    assert ZH["network.col.holes"] in at.dataframe[0].value.columns


def test_a_link_to_a_preset_shows_its_idea() -> None:
    at = _open({"nw_net": "espnet_hff", "nw_size": "64"})
    assert EN["network.preset.espnet_hff.idea"] in _texts(at)
