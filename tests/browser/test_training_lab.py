"""Training lab in a real browser: Play trains live (the step count and the loss curves grow), Pause stops the
race and shows what training did; the memory task in Chinese and the filter task from a link; a phone's width."""

from __future__ import annotations

from ui.locales import en, zh

from .conftest import assert_no_exception, open_page, screenshot, wait_idle

PATH = "training-lab"
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
# the status caption ("Step N of 300 · … steps/s · CPU") as a number, -1 while it is not on screen
STEP_JS = """() => {
    for (const e of document.querySelectorAll('[data-testid="stCaptionContainer"]')) {
        const m = e.innerText.match(/Step (\\d+) of 300/);
        if (m) return Number(m[1]);
    }
    return -1;
}"""
# points drawn on the loss chart, -1 while it is not on screen (a fragment rerun leaves stale, hidden copies
# of the chart for a moment: the visible one counts; plotly decodes the spec's arrays into _fullData)
POINTS_JS = """() => {
    for (const box of document.querySelectorAll('.st-key-tr_fig_loss')) {
        const plot = box.querySelector('.js-plotly-plot');
        if (box.getBoundingClientRect().height > 0 && plot && plot._fullData)
            return plot._fullData.reduce((n, trace) => n + (trace._length || 0), 0);
    }
    return -1;
}"""


def _charts_drawn(pg, count: int = 2) -> None:
    pg.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {count}", timeout=60_000)


def _step(pg) -> int:
    return int(pg.evaluate(STEP_JS))


def test_play_trains_live_and_pause_stops_the_race(page, app_url: str) -> None:
    pg = page
    open_page(pg, app_url, PATH)
    pg.get_by_role("heading", name=en.STRINGS["training_lab.title"]).first.wait_for()
    _charts_drawn(pg)
    assert _step(pg) == 0
    points = pg.evaluate(POINTS_JS)
    assert points >= 0, "the loss chart is not on the page"

    pg.get_by_role("button", name=en.STRINGS["training_lab.play"], exact=True).click()
    pg.wait_for_function(f"({STEP_JS})() >= 5", timeout=45_000)
    pg.wait_for_function(f"({POINTS_JS})() > {points}", timeout=15_000)
    assert_no_exception(pg)

    pg.get_by_role("button", name=en.STRINGS["training_lab.pause"], exact=True).click()
    pg.get_by_role("button", name=en.STRINGS["training_lab.play"], exact=True).wait_for(timeout=30_000)
    pg.get_by_role("heading", name=en.STRINGS["training_lab.results"]).first.wait_for(timeout=45_000)
    wait_idle(pg)
    paused_at = _step(pg)
    for _ in range(10):  # a chunk that was training when Pause was pressed may show its step a moment later
        pg.wait_for_timeout(500)
        if _step(pg) == paused_at:
            break
        paused_at = _step(pg)
    assert paused_at >= 5
    pg.wait_for_timeout(2_000)
    assert _step(pg) == paused_at  # the race stopped: no fragment trains on
    pg.get_by_role("heading", name=en.STRINGS["training_lab.erf"]).first.wait_for()
    pg.get_by_text(f"Step {paused_at} of 300").first.wait_for()
    assert_no_exception(pg)
    screenshot(pg, "training-lab-paused")


def test_the_memory_task_in_chinese_and_the_filter_task_from_links(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 1400, "height": 2400})
    open_page(pg, app_url, PATH, query="tr_task=memory&lang=中文")
    pg.get_by_role("heading", name=zh.STRINGS["training_lab.title"]).first.wait_for()
    pg.get_by_text(zh.STRINGS["training_lab.task.memory.about"][:20]).first.wait_for()
    pg.get_by_role("heading", name=zh.STRINGS["training_lab.coverage.1d"]).first.wait_for()
    _charts_drawn(pg)
    wait_idle(pg)
    assert_no_exception(pg)
    assert pg.locator('[data-testid="stAlert"]').filter(has_text="链接").count() == 0  # no link notice
    pg.mouse.move(5, 5)
    screenshot(pg, "training-lab-memory-zh")

    open_page(pg, app_url, PATH, query="tr_task=filter")
    pg.get_by_role("heading", name=en.STRINGS["training_lab.title"]).first.wait_for()
    pg.get_by_text(en.STRINGS["training_lab.task.filter.about"][:40]).first.wait_for()
    _charts_drawn(pg)
    wait_idle(pg)
    assert_no_exception(pg)
    assert pg.locator('[data-testid="stAlert"]').filter(has_text="link had values").count() == 0
    pg.mouse.move(5, 5)
    screenshot(pg, "training-lab-filter")


def test_a_phone_width_does_not_scroll_sideways(page, app_url: str) -> None:
    pg = page
    pg.set_viewport_size({"width": 390, "height": 844})
    open_page(pg, app_url, PATH)
    pg.get_by_role("heading", name=en.STRINGS["training_lab.title"]).first.wait_for()
    _charts_drawn(pg)
    wait_idle(pg)
    assert_no_exception(pg)
    widths = pg.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    screenshot(pg, "training-lab-phone")
