"""A link does not depend on the language: a preset chosen in English, the language switched to 中文,
the address copied with the "Copy link" button and opened in another browser shows the same view."""

from __future__ import annotations

from playwright.sync_api import expect

from ui.locales.zh.sampling_grid import STRINGS as ZH
from ui.locales.zh.workshop import STRINGS as ZH_WORKSHOP

from .conftest import assert_no_exception, new_browser_page, open_page, wait_for_query, wait_idle


def test_a_preset_link_made_in_english_opens_in_chinese(page, app_url: str, browser) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    open_page(page, app_url, "sampling-grid")
    page.locator(".st-key-sg_preset_reflect_padding button").first.click()
    wait_for_query(page, "sg_mode", "reflect")
    wait_idle(page)
    page.locator(".st-key-lang").get_by_role("radio", name="中文").click()
    wait_for_query(page, "lang", "中文")
    wait_idle(page)
    wait_for_query(page, "sg_mode", "reflect")  # the code, in either language
    href = page.evaluate("location.href")
    page.locator("#sg_copy_link").first.click()
    page.get_by_text(ZH_WORKSHOP["workshop.copy_link_done"]).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == href

    with new_browser_page(browser) as fresh:
        fresh.goto(href)
        fresh.wait_for_selector('[data-testid="stApp"]')
        wait_idle(fresh)
        fresh.get_by_text(ZH["sampling_grid.preset.reflect_padding.idea"]).first.wait_for()
        assert_no_exception(fresh)
        main = fresh.locator('[data-testid="stMain"]')
        # the padding mode box shows the preset's choice (awaited: on a busy machine it is drawn a moment later)
        expect(main).to_contain_text(ZH["sampling_grid.mode.reflect"], timeout=30_000)
        assert ZH_WORKSHOP["workshop.link_ignored"].split("{")[0] not in main.inner_text()
        assert fresh.locator("#sg_copy_link").first.inner_text().endswith(ZH_WORKSHOP["workshop.copy_link"])
