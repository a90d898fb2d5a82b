"""Sampling grid in a real browser: Play moves the taps; screenshots of the 2D compare, 1D, 2D and pick views."""

from __future__ import annotations

from PIL import Image

from dsdcn.figures.theme import PROJECTOR

from .conftest import ARTIFACTS, assert_no_exception, new_browser_page, open_page, screenshot, wait_idle

URL_PATH = "sampling-grid"
CHARTS = ".js-plotly-plot"


def _open(page, app_url: str, height: int = 1500) -> None:
    page.set_viewport_size({"width": 1400, "height": height})
    open_page(page, app_url, URL_PATH)
    page.get_by_role("heading", name="Sampling grid").first.wait_for()
    page.locator(CHARTS).first.wait_for()


def _current_value(page, chart: int) -> str:
    return page.locator(CHARTS).nth(chart).locator(".slider-group > .slider-label").text_content()


def _click_option(page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).click()
    wait_idle(page)


_ACTIVE = "() => document.querySelector('.st-key-sg_fig .js-plotly-plot').layout.sliders[0].active"
# the first tap's column in each panel (d = 1, then d = 2), or null where a panel shows no output
_FIRST_TAPS = (
    "() => document.querySelector('.st-key-sg_fig .js-plotly-plot').data"
    ".filter(t => t.name === 'tap numbers')"
    ".map(t => t.text.length ? Number((t.x._inputArray || t.x)[0]) : null)"  # plotly keeps typed arrays decoded there
)


def test_play_moves_both_panels_and_steps_by_button_and_key(page, app_url: str) -> None:
    """Issue 15, defect 7: both panels are one figure: one Play moves both, ◀/▶ and the arrow keys
    step one output, and the d = 2 panel shows the same output position as d = 1."""
    _open(page, app_url)
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-compare")
    chart = page.locator(CHARTS).first
    assert chart.evaluate("el => el.layout.updatemenus.length") == 1
    assert page.evaluate(_ACTIVE) == 0
    page.get_by_role("button", name="Next ▶").click()
    page.wait_for_function(f"({_ACTIVE})() == 1")
    assert _current_value(page, 0) == "output (0, 1)"
    page.mouse.click(5, 300)  # focus off the controls: the arrow keys step the animation
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"({_ACTIVE})() == 3")
    # output (0, 3): d = 1 reads from column 3; d = 2 has no output there and draws no taps
    assert page.evaluate(_FIRST_TAPS) == [3, None]
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"({_ACTIVE})() == 2")
    assert page.evaluate(_FIRST_TAPS) == [2, 2]  # both windows start at the same input column
    before = _current_value(page, 0)
    chart.locator(".updatemenu-button").first.click()  # ▶ Play
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).querySelector('.slider-group > .slider-label').textContent != text",
        arg=[CHARTS, before],
        timeout=10_000,
    )
    chart.locator(".updatemenu-button").nth(1).click()  # ❚❚ Pause
    assert_no_exception(page)


def test_1d_view(page, app_url: str) -> None:
    _open(page, app_url, height=1800)
    _click_option(page, "1D")
    _click_option(page, "same")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Padding mode").locator("input").click()
    page.get_by_role("option", name="reflect").click()
    wait_idle(page)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{CHARTS}')].every(el => el.data.some(t => t.name === 'padding'))"
        f" && document.querySelectorAll('{CHARTS}').length == 1"
    )
    assert page.get_by_text("reflect: copies a pixel").count() == 1
    assert_no_exception(page)
    screenshot(page, "sampling-grid-1d")


def test_2d_single_and_pick_a_cell(page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_text("Compare d = 1").click()
    wait_idle(page)
    _click_option(page, "same")
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    page.wait_for_function(f"document.querySelector('{CHARTS}').data.some(t => t.name === 'padding')")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-2d")
    _click_option(page, "Pick a cell")
    page.get_by_text("Taps in padding here").wait_for()
    page.wait_for_function(f"!document.querySelector('{CHARTS}').querySelector('.updatemenu-button')")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-pick")


def test_no_output_shows_what_to_change(page, app_url: str) -> None:
    _open(page, app_url, height=1000)
    dilation = page.get_by_role("slider").nth(2)
    dilation.focus()
    dilation.press("End")  # d = 16: a 3-tap kernel spans 33 > 7 pixels
    page.get_by_text("Change one of").wait_for()
    wait_idle(page)
    assert page.locator(CHARTS).count() == 0
    assert_no_exception(page)
    screenshot(page, "sampling-grid-no-output")


def _slider_value(page, index: int) -> str:
    return page.get_by_role("slider").nth(index).input_value()


def _download_gif(pg) -> tuple[Image.Image, str]:
    """Press "Download GIF"; the GIF as Pillow decodes it, and the file name the browser suggests."""
    with pg.expect_download() as download:
        pg.get_by_role("button", name="Download GIF").click()
    gif = Image.open(download.value.path())
    assert gif.format == "GIF"
    return gif, download.value.suggested_filename


def _chart_titles(pg) -> list[str]:
    # a chart's title is a bold line above it (ui.workshop.show_chart), which wraps on a phone
    return (
        pg.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p > strong')
        .filter(has_text="kernel")
        .all_inner_texts()
    )


def test_a_copied_link_opens_the_same_view(page, browser, app_url: str) -> None:
    _open(page, app_url, height=1000)
    dilation = page.get_by_role("slider").nth(2)
    dilation.focus()
    dilation.press("ArrowRight")  # d = 3
    page.wait_for_function("() => location.search.includes('sg_d=3')")
    wait_idle(page)
    page.get_by_text("Compare d = 1").click()
    page.wait_for_function("() => location.search.includes('sg_compare=false')")
    wait_idle(page)
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    link = page.url
    title = _chart_titles(page)
    assert title and all("kernel" in t for t in title)
    with new_browser_page(browser) as other:
        other.goto(link)
        other.get_by_role("heading", name="Sampling grid").first.wait_for()
        other.locator(CHARTS).first.wait_for()
        wait_idle(other)
        assert _slider_value(other, 2) == "3"
        assert other.locator(CHARTS).count() == 1
        assert _chart_titles(other) == title
        assert other.get_by_role("switch", name="Compare d = 1", exact=True).is_checked() is False
        assert_no_exception(other)
        # the GIF of this view: drawn on click, one frame per output (7x7 input, k3 d3: 1x1 output)
        gif, name = _download_gif(other)
        assert gif.n_frames == 1 and name == "dsdcn-sampling-grid.gif"
    # back on the first page, with the compare view on again: the GIF holds both panels, and has a
    # frame per output of the larger one (d = 1: 5×5; d = 3: 1×1)
    page.get_by_text("Compare d = 1").click()
    page.wait_for_function("() => !location.search.includes('sg_compare')")
    wait_idle(page)
    gif, name = _download_gif(page)
    assert gif.n_frames == 25 and name == "dsdcn-sampling-grid-compare.gif"
    ARTIFACTS.mkdir(exist_ok=True)
    gif.seek(12)
    gif.convert("RGB").save(ARTIFACTS / "sampling-grid-compare-gif-frame.png")


def test_chinese_and_projector_screenshots(page, app_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1700})
    open_page(page, app_url, URL_PATH, "lang=%E4%B8%AD%E6%96%87")
    page.get_by_role("heading", name="采样网格").first.wait_for()
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    assert_no_exception(page)
    assert page.get_by_text("卷积核跨度").count() >= 1
    screenshot(page, "sampling-grid-zh")
    page.get_by_role("button", name="镜像填充").click()
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('sg_mode=')")
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    assert_no_exception(page)
    screenshot(page, "sampling-grid-zh-preset")
    open_page(page, app_url, URL_PATH, "lang=%E4%B8%AD%E6%96%87&projector=true")
    page.get_by_role("heading", name="采样网格").first.wait_for()
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length == 1")
    assert page.locator(CHARTS).first.evaluate("el => el.layout.font.size") == PROJECTOR.font_size  # 22
    assert_no_exception(page)
    screenshot(page, "sampling-grid-zh-projector")
    open_page(
        page, app_url, URL_PATH, "projector=true&sg_dims=1D&sg_pad=same&sg_mode=reflect&sg_compare=false"
    )
    page.locator(CHARTS).first.wait_for()
    assert_no_exception(page)
    screenshot(page, "sampling-grid-projector-1d")
