"""Workshop mode of the Cost page in a real browser: a copied link reopens the view in a new page,
presets update the link; screenshots in Chinese and in the projector view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from ui.locales.zh.cost import STRINGS as ZH

from .conftest import ARTIFACTS, assert_no_exception, new_browser_page, open_page, screenshot, wait_idle

CHART = '[data-testid="stPlotlyChart"]'
CAPTION = '[data-testid="stCaptionContainer"]'


def _query(pg) -> dict[str, list[str]]:
    return parse_qs(urlparse(pg.url).query)


def _set_number(pg, label: str, value: int) -> None:
    box = pg.get_by_role("spinbutton", name=label, exact=True)
    box.fill(str(value))
    box.press("Enter")


def test_copied_link_reopens_the_view(browser, page, app_url: str) -> None:
    pg = page
    open_page(pg, app_url, "cost")
    pg.get_by_text("Formula and count agree for every layer").wait_for()
    _set_number(pg, "Dilation d", 1)  # the widget's minimum: still in the link
    pg.wait_for_function("location.search.includes('cost_d=1')")
    wait_idle(pg)
    _set_number(pg, "C_out", 48)
    pg.wait_for_function("location.search.includes('cost_c_out=48')")
    wait_idle(pg)
    pg.get_by_text("Separable ÷ standard against k (C_out = 48, m = 1)").first.wait_for()
    link = pg.url
    assert _query(pg) == {"cost_d": ["1"], "cost_c_out": ["48"]}

    with new_browser_page(browser) as pg2:
        pg2.goto(link)
        wait_idle(pg2)
        pg2.get_by_text("Separable ÷ standard against k (C_out = 48, m = 1)").first.wait_for()
        # the number boxes take the link's values a moment after the page is drawn
        expect(pg2.get_by_role("spinbutton", name="Dilation d", exact=True)).to_have_value(
            "1", timeout=30_000
        )
        expect(pg2.get_by_role("spinbutton", name="C_out", exact=True)).to_have_value("48", timeout=30_000)
        assert_no_exception(pg2)
        # a preset sets its values and puts them in the link at once; its idea is shown
        pg2.get_by_role("button", name="1×1 dominates").click()
        pg2.mouse.move(5, 5)
        pg2.locator(CAPTION, has_text="holds C_out/(C_out + k²) = 97 %").wait_for()
        pg2.wait_for_function("location.search.includes('cost_c_in=256')")
        wait_idle(pg2)
        query = _query(pg2)
        assert query["cost_c_out"] == ["256"] and query["cost_h"] == ["28"] and "cost_d" in query
        assert pg2.get_by_role("spinbutton", name="C_in", exact=True).input_value() == "256"
        screenshot(pg2, "cost-workshop-en-preset")
        # reset: defaults back, the link empty
        pg2.get_by_role("button", name="Reset", exact=True).click()
        pg2.wait_for_function("!location.search.includes('cost_')")
        wait_idle(pg2)
        assert pg2.get_by_role("spinbutton", name="C_in", exact=True).input_value() == "32"


def test_chinese_and_projector_screenshots(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 1400, "height": 4600})
    open_page(pg, app_url, "cost", "lang=中文&cost_h=32&cost_w=32")
    pg.get_by_text(ZH["cost.agree"]).wait_for()
    pg.get_by_role("button", name=ZH["cost.preset.not_8x_faster"]).click()
    pg.mouse.move(5, 5)
    pg.locator(CAPTION, has_text=ZH["cost.preset.not_8x_faster.idea"]).wait_for()
    wait_idle(pg)
    pg.get_by_role("button", name=ZH["cost.measure"].format(device="CPU")).click()
    pg.get_by_text(ZH["cost.fig.time_flops_title"]).wait_for(timeout=60_000)
    pg.wait_for_function(f"document.querySelectorAll('{CHART}').length === 4")
    wait_idle(pg)
    assert_no_exception(pg)
    assert "lang=" in pg.url and "cost_c_in=128" in pg.url
    pg.mouse.move(5, 5)
    screenshot(pg, "cost-workshop-zh")

    open_page(pg, app_url, "cost", "lang=中文&projector=true&cost_k=5")
    pg.get_by_text(ZH["cost.agree"]).wait_for()
    pg.wait_for_function(f"document.querySelectorAll('{CHART} .js-plotly-plot').length === 3")
    assert_no_exception(pg)
    pg.mouse.move(5, 5)
    screenshot(pg, "cost-workshop-zh-projector")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.set_viewport_size({"width": 1280, "height": 800})  # a projector's screen, top of the page
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(ARTIFACTS / "cost-workshop-zh-projector-top.png"))
