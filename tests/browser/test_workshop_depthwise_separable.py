"""Workshop mode of the Depthwise separable page in a real browser: a copied link restores the view in a
new browser context; screenshots in Chinese and in the projector view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from ui.locales import en, zh

from .conftest import ARTIFACTS, assert_no_exception, new_browser_page, open_page, screenshot, wait_idle

CHART = '[data-testid="stPlotlyChart"]'
PATH = "depthwise-separable"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _wait_url(pg, key: str, value: str) -> None:
    pg.wait_for_function(f"() => new URLSearchParams(location.search).get('{key}') === '{value}'")


def _charts_drawn(pg) -> None:
    pg.wait_for_function(f"document.querySelectorAll('{CHART} .js-plotly-plot').length >= 3")


def test_a_copied_link_restores_the_view(browser, page, app_url: str) -> None:
    pg = page
    open_page(pg, app_url, PATH)
    _charts_drawn(pg)
    # a preset first, then two controls changed by hand
    pg.get_by_role("button", name=en.STRINGS["depthwise_separable.preset.more_outputs"]).click()
    _wait_url(pg, "ds_c_out", "512")
    wait_idle(pg)
    thumb = pg.get_by_role("slider", name=en.STRINGS["depthwise_separable.d"])
    thumb.focus()
    thumb.press("ArrowRight")
    thumb.press("ArrowRight")
    _wait_url(pg, "ds_d", "3")
    wait_idle(pg)
    box = pg.get_by_role("spinbutton", name=en.STRINGS["depthwise_separable.seed"])
    box.fill("42")
    box.press("Enter")
    _wait_url(pg, "ds_seed", "42")
    wait_idle(pg)
    pg.get_by_text("Dilation d = 3 changes none of these numbers").wait_for()
    copied = pg.url
    assert _query(copied) == {"ds_c_in": ["64"], "ds_c_out": ["512"], "ds_d": ["3"], "ds_seed": ["42"]}
    value_before = pg.locator('[data-testid="stMetricValue"]').first.inner_text()

    with new_browser_page(browser) as fresh:
        fresh.goto(copied)
        fresh.wait_for_selector('[data-testid="stApp"]')
        wait_idle(fresh)
        _charts_drawn(fresh)
        assert fresh.get_by_role("slider", name=en.STRINGS["depthwise_separable.d"]).input_value() == "3"
        assert (
            fresh.get_by_role("spinbutton", name=en.STRINGS["depthwise_separable.seed"]).input_value() == "42"
        )
        assert (
            fresh.get_by_role("spinbutton", name=en.STRINGS["depthwise_separable.c_out"]).input_value()
            == "512"
        )
        assert fresh.locator('[data-testid="stMetricValue"]').first.inner_text() == value_before
        fresh.get_by_text("Dilation d = 3 changes none of these numbers").wait_for()
        assert fresh.locator('[data-testid="stAlert"]').filter(has_text="link had values").count() == 0
        assert_no_exception(fresh)
        fresh.set_viewport_size({"width": 1400, "height": 1400})
        fresh.mouse.move(5, 5)
        fresh.wait_for_timeout(300)
        screenshot(fresh, "ds-workshop-link-restored")


def test_the_page_in_chinese_and_in_the_projector_view(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 1400, "height": 3000})
    open_page(pg, app_url, PATH, query="lang=中文&ds_m=2")
    _charts_drawn(pg)
    pg.get_by_role("heading", name=zh.STRINGS["depthwise_separable.title"]).first.wait_for()
    pg.get_by_role("button", name=zh.STRINGS["depthwise_separable.preset.why_cheap"]).click()
    _wait_url(pg, "ds_c_in", "64")
    wait_idle(pg)
    pg.get_by_text(zh.STRINGS["depthwise_separable.preset.why_cheap.idea"]).first.wait_for()
    assert_no_exception(pg)
    pg.mouse.move(5, 5)
    pg.wait_for_timeout(600)  # the preset's tooltip fades
    screenshot(pg, "ds-workshop-zh")

    open_page(pg, app_url, PATH, query="lang=中文&projector=true&ds_m=2")
    _charts_drawn(pg)
    assert_no_exception(pg)
    pg.mouse.move(5, 5)
    screenshot(pg, "ds-workshop-zh-projector")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.set_viewport_size({"width": 1400, "height": 1000})
    pg.locator(CHART).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / "ds-workshop-zh-projector-figures.png"))
    for name, heading in (("costs", "depthwise_separable.costs"), ("step", "depthwise_separable.step")):
        pg.get_by_role("heading", name=zh.STRINGS[heading]).first.evaluate(
            "e => e.scrollIntoView({block: 'start'})"
        )
        pg.wait_for_timeout(300)
        pg.screenshot(path=str(ARTIFACTS / f"ds-workshop-zh-projector-{name}.png"))
    pg.locator(CHART).last.evaluate("e => e.scrollIntoView({block: 'center'})")
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / "ds-workshop-zh-projector-step-figure.png"))
