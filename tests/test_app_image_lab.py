"""The Image lab page under Streamlit's AppTest: defaults, every control's extremes, good and bad uploads."""

from __future__ import annotations

import pytest
import streamlit as st
import torch
from streamlit.testing.v1 import AppTest

import ui.image_lab as lab_ui
from dsdcn import filters as fl
from ui.i18n import t

from .image_lab_corpus import bad_files, good_files

PAGE = "app_pages/image_lab.py"


def _open() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _open_tab(at: AppTest, code: str) -> AppTest:
    """Open a tab of the page (only the open tab is drawn); AppTest has no tab clicks, so by its state."""
    at.session_state["lab_tab"] = t(f"image_lab.tab.{code}")
    return at.run()


def _texts(elements) -> str:
    return " | ".join(str(e.value) for e in elements)


def _image_captions(at: AppTest) -> str:
    return " | ".join(c for image in at.image for c in image.captions)


def _upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    if at.segmented_control(key="lab_source").value != "upload":
        at.segmented_control(key="lab_source").set_value("upload").run()
    at.file_uploader(key="lab_upload").set_value((name, data, mime)).run()
    return at


def test_defaults_show_maps_device_and_time() -> None:
    at = _open()
    assert not at.error and not at.warning
    # 8 filters x 4 dilations of maps, kernels, footprints, the input image
    assert len(at.image) >= 32 + 8
    captions = _texts(at.caption)
    assert "Feature maps: computed at" in captions and "CPU" in captions
    assert "d = 8:" in captions  # per-dilation convolution times
    assert at.pills(key="lab_dilations").value == [1, 2, 4, 8]
    assert len(at.tabs) == 5
    _open_tab(at, "download")
    assert at.download_button(key="lab_zip") is not None
    assert any("k_\\text{eff}" in latex.value for latex in at.latex)


@pytest.mark.parametrize("sample", ["line_drawing.png", "test_pattern.png"])
def test_other_samples(sample: str) -> None:
    at = _open()
    at.selectbox(key="lab_sample").set_value(sample).run()
    assert not at.exception and not at.error
    assert sample in _image_captions(at)


def test_every_layer_kind_and_grey_input() -> None:
    at = _open()
    for kind in fl.LAYER_KINDS:
        at.radio(key="lab_kind").set_value(kind).run()
        assert not at.exception and not at.error, kind
        if kind == "standard":
            assert "standard layer has dilation 1" in _texts(at.info)
    at.segmented_control(key="lab_channels").set_value("grey").run()
    assert not at.exception and not at.error


def test_display_options() -> None:
    at = _open()
    at.radio(key="lab_norm").set_value("shared").run()
    at.selectbox(key="lab_cmap").set_value("diverging").run()
    at.radio(key="lab_view").set_value("crop").run()
    at.toggle(key="lab_clip").set_value(False).run()
    at.toggle(key="lab_centre_zero").set_value(False).run()
    assert not at.exception and not at.error
    at.radio(key="lab_norm").set_value("per_map").run()
    _open_tab(at, "compare")
    at.selectbox(key="lab_compare").set_value(3).run()
    _open_tab(at, "stats")
    at.selectbox(key="lab_stat").set_value("diff_mean_abs").run()
    assert not at.exception and not at.error


def test_extreme_settings() -> None:
    at = _open()
    at.selectbox(key="lab_sample").set_value("line_drawing.png").run()
    at.multiselect(key="lab_filters").set_value(list(fl.FILTER_KINDS)).run()
    at.slider(key="lab_gabor_n").set_value(8).run()
    at.slider(key="lab_random_n").set_value(8).run()
    at.number_input(key="lab_seed").set_value(2**31 - 1).run()
    at.select_slider(key="lab_kernel").set_value(11).run()
    at.pills(key="lab_dilations").set_value([1, 32]).run()
    assert not at.exception and not at.error
    _open_tab(at, "compare")
    assert len(at.selectbox(key="lab_compare").options) == 6 + 8 + 8  # every filter, 8 Gabor, 8 random
    # reflect padding of 5 * 32 = 160 px still fits a 512 px image
    at.selectbox(key="lab_padding").set_value("reflect").run()
    assert not at.exception and not at.error and not at.warning


def test_empty_choices_warn_and_the_page_recovers() -> None:
    at = _open()
    at.multiselect(key="lab_filters").set_value([]).run()
    assert not at.exception and "at least one filter" in _texts(at.warning)
    at.multiselect(key="lab_filters").set_value(["box"]).run()
    at.pills(key="lab_dilations").set_value([]).run()
    assert not at.exception and "at least one dilation" in _texts(at.warning)
    at.pills(key="lab_dilations").set_value([2]).run()
    assert not at.exception and not at.warning and len(at.image) >= 2


def test_bad_schedule_warns() -> None:
    at = _open_tab(_open(), "stack")
    at.text_input(key="lab_stack_a").set_value("1, two").run()
    assert not at.exception and "whole number" in _texts(at.warning)
    assert "two" not in _texts(at.warning)  # what was typed is not echoed
    at.text_input(key="lab_stack_a").set_value("1 2 3 4 5 6 7 8 9").run()
    assert not at.exception and "1 to 8 dilations" in _texts(at.warning)
    at.text_input(key="lab_stack_a").set_value("2, 2, 2, 2").run()
    assert not at.exception and not at.warning


def test_good_uploads_work() -> None:
    at = _open()
    for name, (data, mime) in good_files().items():
        _upload(at, name, data, mime)
        assert not at.exception, name
        assert not at.error, (name, _texts(at.error))
        assert len(at.image) >= 8, name
    # the last one (4000x2) was shrunk to the size limit, and the caption says so
    assert "shrunk from 4000×2 to 2048×1" in _texts(at.caption)


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("cmyk.jpg", "CMYK colours converted to RGB"),
        ("grey16.png", "16-bit samples scaled to 8 bits"),
        ("animated.gif", "3 frames: the first frame is used"),
        ("rgba.png", "transparency flattened onto white"),
        ("exif_rotated.jpg", "EXIF orientation (6)"),
    ],
)
def test_odd_files_say_what_loading_did(name: str, note: str) -> None:
    at = _open()
    data, mime = good_files()[name]
    _upload(at, name, data, mime)
    assert not at.exception and not at.error
    assert note in _texts(at.caption)
    if name == "exif_rotated.jpg":
        assert "32×64 px" in _image_captions(at)  # stored 64x32, turned upright


def test_bad_uploads_give_messages_and_the_page_keeps_working() -> None:
    at = _open()
    expected = {
        "empty.png": "empty",
        "random.png": "not an image",
        "notes.png": "not an image",
        "truncated.png": "truncated or damaged",
        "bomb.png": "decompression bomb",
    }
    for name, (data, mime) in bad_files().items():
        _upload(at, name, data, mime)
        assert not at.exception, name
        assert expected[name] in _texts(at.error), (name, _texts(at.error))
    data, mime = good_files()["gradient.png"]
    _upload(at, "gradient.png", data, mime)
    assert not at.exception and not at.error and len(at.image) >= 32


def test_tiny_image_and_impossible_padding() -> None:
    at = _open()
    data, mime = good_files()["one_pixel.png"]
    _upload(at, "one_pixel.png", data, mime)
    assert not at.exception and not at.error
    assert "only 1 of its 9 taps" in _texts(at.info)
    at.selectbox(key="lab_padding").set_value("reflect").run()
    assert not at.exception and not at.error
    assert "cannot pad this 1×1 image" in _texts(at.warning)
    at.selectbox(key="lab_padding").set_value("circular").run()
    assert not at.exception and "cannot pad" in _texts(at.warning)
    at.selectbox(key="lab_padding").set_value("zeros").run()
    assert not at.exception and not at.warning and len(at.image) >= 32


def test_out_of_memory_on_the_gpu_falls_back_to_the_cpu(monkeypatch) -> None:
    # a device that runs out of memory: the 'meta' device stands in for a GPU, the runner fails on it
    real_bank, real_stacks = fl.run_bank, fl.run_stacks

    def failing(real):
        def run(x, *args, **kwargs):
            if x.device.type != "cpu":
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 9.00 GiB")
            return real(x, *args, **kwargs)

        return run

    monkeypatch.setattr(fl, "run_bank", failing(real_bank))
    monkeypatch.setattr(fl, "run_stacks", failing(real_stacks))
    monkeypatch.setattr(lab_ui, "device_for", lambda preference: torch.device("meta"))
    at = _open()
    assert not at.error
    warnings = _texts(at.warning)
    assert "META ran out of memory" in warnings and "repeated on the CPU" in warnings
    assert "on **CPU" in _texts(at.caption)
    assert len(at.image) >= 32


DILATION_OPTIONS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32]  # the pills of the page


def test_dilations_are_capped_at_the_library_limit() -> None:
    """The pills refuse a ninth dilation (with a notice) instead of the page refusing the run."""
    at = _open()
    assert str(fl.MAX_DILATIONS) in at.pills(key="lab_dilations").help
    at.pills(key="lab_dilations").set_value(DILATION_OPTIONS[:8]).run()
    assert not at.error
    at.pills(key="lab_dilations").set_value(DILATION_OPTIONS).run()  # 11: one pick past the limit
    assert not at.exception and not at.error
    assert at.pills(key="lab_dilations").value == DILATION_OPTIONS[:8]
    assert "At most 8 dilations" in " ".join(c.value for c in at.caption)
    assert "ValueError" not in " ".join(e.value for e in at.error)
