"""Network page in a real browser: the default table and charts on a desktop, a preset in Chinese on a
phone's width in the projector view (link kept, no horizontal scroll)."""

from __future__ import annotations

from ui.locales import en, zh

from .conftest import assert_no_exception, new_browser_page, open_page, screenshot, wait_for_query, wait_idle

PATH = "network"
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'


def test_defaults_draw_table_and_charts_and_a_preset_keeps_its_link(page, app_url: str) -> None:
    pg = page
    open_page(pg, app_url, PATH)
    pg.get_by_role("heading", name=en.STRINGS["network.title"]).first.wait_for()
    pg.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 2", timeout=60_000)
    assert_no_exception(pg)
    assert "569 M" in pg.inner_text("body")
    pg.get_by_role("button", name=en.STRINGS["network.preset.resnet_stride"]).click()
    wait_for_query(pg, "nw_net", "resnet50_v1")
    wait_idle(pg)
    assert "483 px" in pg.inner_text("body")
    screenshot(pg, "network-desktop")


def test_chinese_projector_on_a_phone(browser, app_url: str) -> None:
    with new_browser_page(browser) as pg:
        pg.set_viewport_size({"width": 390, "height": 844})
        open_page(pg, app_url, PATH, "lang=%E4%B8%AD%E6%96%87&projector=true&nw_net=espnet_hff&nw_size=64")
        pg.get_by_role("heading", name=zh.STRINGS["network.title"]).first.wait_for()
        pg.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 2", timeout=60_000)
        assert_no_exception(pg)
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(pg, "network-phone-zh")
