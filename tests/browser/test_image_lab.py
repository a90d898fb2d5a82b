"""Image lab in a real browser: upload a photo-like JPEG, see the maps, change a slider, see a bad file refused."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from .conftest import ARTIFACTS, ROOT, assert_no_exception, new_browser_page, open_page, screenshot, wait_idle

MAPS = '[data-testid="stMain"] [data-testid="stImage"] img'


def _tall(page, height: int = 3400) -> None:
    # the main area scrolls inside the page: a tall viewport shows all of it in one screenshot
    page.set_viewport_size({"width": 1400, "height": height})


def test_upload_shows_maps_and_dilations(page, app_url: str, tmp_path: Path) -> None:
    open_page(page, app_url, "image-lab")
    page.get_by_role("heading", name="Image lab").first.wait_for()
    assert_no_exception(page)

    photo = tmp_path / "street.jpg"
    Image.open(ROOT / "assets" / "samples" / "street_scene.png").save(photo, quality=90)
    page.get_by_text("Upload your own").click()
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.wait_for(state="attached")
    uploader.set_input_files(str(photo))
    page.get_by_text("street.jpg · 512×384 px").wait_for()
    page.get_by_text("Feature maps: computed at").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    # input image + 8 kernels + 8 colour bars + 32 maps
    assert page.locator(MAPS).count() >= 1 + 32
    for d in (1, 2, 4, 8):
        assert page.get_by_text(f"d = {d} · spans").count() == 1
    _tall(page)
    screenshot(page, "image-lab-upload-maps")

    # a slider by keyboard: 5 Gabor orientations add 144°
    page.set_viewport_size({"width": 1400, "height": 1000})
    slider = page.get_by_role("slider", name="Gabor orientations")
    slider.focus()
    slider.press("ArrowRight")
    page.get_by_text("Gabor 144°").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)

    page.get_by_role("tab", name="Compare dilations").click()
    page.get_by_text("d = 8: 17×17 footprint").first.wait_for()
    _tall(page, 2600)
    screenshot(page, "image-lab-compare")


def test_gridding_on_the_test_pattern(page, app_url: str) -> None:
    open_page(page, app_url, "image-lab")
    page.get_by_test_id("stSelectbox").filter(has_text="Sample").click()
    page.get_by_role("option", name="Test pattern (zone plate, star, checkerboards)").click()
    page.get_by_text("test_pattern.png · 512×512 px").wait_for()
    wait_idle(page)
    page.get_by_role("tab", name="Stack and gridding").click()
    page.get_by_text("6 of 13 offsets per axis never reach the output").wait_for()
    page.get_by_text("no holes: every offset").first.wait_for()
    assert_no_exception(page)
    _tall(page, 2600)
    screenshot(page, "image-lab-gridding")


def test_bad_file_gives_a_message(page, app_url: str, tmp_path: Path) -> None:
    open_page(page, app_url, "image-lab")
    page.get_by_text("Upload your own").click()
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is a text file, not an image\n" * 10)
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.wait_for(state="attached")
    uploader.set_input_files(str(bad))
    page.get_by_text("This file is not an image that can be read").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    # and a good one after it works
    good = tmp_path / "tiny.png"
    buf = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 30, 30)).save(buf, format="PNG")
    good.write_bytes(buf.getvalue())
    uploader.set_input_files(str(good))
    page.get_by_text("tiny.png · 1×1 px").wait_for()
    page.get_by_text("only 1 of its 9 taps").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    screenshot(page, "image-lab-tiny")


def test_a_copied_link_opens_the_same_view_in_a_new_browser(page, browser, app_url: str) -> None:
    open_page(page, app_url, "image-lab")
    page.get_by_text("Feature maps: computed at").wait_for()
    # a slider by keyboard, a radio and a tab: each change writes the link
    slider = page.get_by_role("slider", name="Gabor orientations")
    slider.focus()
    slider.press("ArrowLeft")
    page.wait_for_url("**lab_gabor_n=3**")
    page.get_by_text("Depthwise (dilated)").click()
    page.wait_for_url("**lab_kind=**")
    wait_idle(page)
    page.get_by_role("tab", name="Stack and gridding").click()
    page.wait_for_url("**lab_tab=**")
    schedule = page.get_by_role("textbox", name="Schedule B")
    schedule.fill("1, 3")
    schedule.press("Enter")
    page.wait_for_url("**lab_stack_b=**")
    wait_idle(page)
    link = page.url

    with new_browser_page(browser) as other:
        other.goto(link)
        other.get_by_text("Feature maps: computed at").wait_for()
        wait_idle(other)
        assert_no_exception(other)
        assert other.get_by_role("slider", name="Gabor orientations").input_value() == "3"
        assert other.get_by_role("radio", name="Depthwise (dilated)").is_checked()
        assert other.get_by_role("tab", name="Stack and gridding").get_attribute("aria-selected") == "true"
        assert other.get_by_role("textbox", name="Schedule B").input_value() == "1, 3"
        other.get_by_text("B: d = 1, 3").first.wait_for()


def test_screenshots_in_chinese_and_in_projector_view(page, app_url: str) -> None:
    open_page(page, app_url, "image-lab", "lang=中文")
    page.get_by_role("heading", name="图像实验室").first.wait_for()
    page.get_by_text("特征图：").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _tall(page, 3000)
    wait_idle(page)
    screenshot(page, "image-lab-zh")

    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(page, app_url, "image-lab", "lang=中文&projector=true&lab_tab=统计")
    page.get_by_role("heading", name="图像实验室").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _tall(page, 4400)
    wait_idle(page)
    screenshot(page, "image-lab-zh-projector-stats")

    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(
        page,
        app_url,
        "image-lab",
        "projector=true&lab_tab=Stack+and+gridding&lab_sample=Test+pattern+(zone+plate,+star,+checkerboards)",
    )
    page.get_by_text("6 of 13 offsets per axis never reach the output").wait_for()
    page.locator(".js-plotly-plot").nth(1).wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _tall(page, 4400)
    wait_idle(page)
    screenshot(page, "image-lab-projector-stack")
    # the two response heatmaps, below the fold of that screenshot
    page.set_viewport_size({"width": 1400, "height": 1000})
    charts = page.locator('[data-testid="stHorizontalBlock"]').filter(has=page.locator(".js-plotly-plot"))
    charts.last.screenshot(path=str(ARTIFACTS / "image-lab-projector-heatmaps.png"))
