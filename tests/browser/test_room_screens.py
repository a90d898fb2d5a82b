"""Every page on the screens of a room: in the projector view at 1280×720 no text is under 20 px (read from
the back row), the presentation mode hides the controls, and at a phone's 390 px nothing sticks out
sideways. Every visit also checks that the page opens without an exception and asks nothing of the
internet (a workshop network may have none; the favicon included). One visit per page and view (the
suite's time budget)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot
from ui.nav import PAGES
from ui.workshop import PROJECTOR_MIN_PX

URL_PATHS = ["", *(p.url_path for p in PAGES)]  # Home is served at the root

# The smallest visible text: every text node with a letter or digit in the page (sidebar included), HTML
# and SVG (plotly) alike, with its computed size. Left out: the hidden MathML copy of each formula, and
# KaTeX's sub- and superscripts, which are 70% of their formula by typographic convention (the formula's
# own text is measured, and the projector view draws formulas at 1.45× the text).
_SMALLEST = """() => {
  const found = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || !/[\\p{L}\\p{N}]/u.test(n.textContent)) continue;
    if (el.closest('.katex-mathml, .msupsub, .mtight, .modebar, [data-testid="stTooltipContent"]')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    found.push({px: parseFloat(style.fontSize), text: n.textContent.trim().slice(0, 30),
                where: (el.closest('[data-testid]') || el).getAttribute('data-testid')});
  }
  found.sort((a, b) => a.px - b.px);
  return found.slice(0, 5);
}"""

_SETTLED = """() => document.fonts.ready.then(() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))))"""

# Elements whose right edge passes the window, unless a scrolling box holds them (a tab bar, a table or
# a formula that scrolls inside its own frame) or they are hidden
_STICKING_OUT = """() => {
  const w = window.innerWidth;
  const scrolls = (e) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
  const out = [];
  document.querySelectorAll('[data-testid="stMain"] [data-testid]').forEach((e) => {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= w + 1) return;
    for (let p = e.parentElement; p && p.dataset.testid !== 'stMain'; p = p.parentElement) {
      if (scrolls(p) && p.getBoundingClientRect().right <= w + 1) return;
    }
    out.push({testid: e.dataset.testid, right: Math.round(box.right)});
  });
  return {page: document.documentElement.scrollWidth, window: w, out: out.slice(0, 5)};
}"""


def _watch_outside(pg, app_url: str) -> list[str]:
    """Requests of ``pg`` to any host but the app's, as they happen."""
    host = urlparse(app_url).netloc
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (host, "") else None)
    return outside


def _opened(pg, app_url: str, outside: list[str]) -> None:
    """The page's title is there, its placeholders are gone, no exception, nothing from the internet."""
    pg.locator("h1").first.wait_for()
    pg.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=30_000)
    assert_no_exception(pg)
    icon = pg.evaluate("document.querySelector('link[rel*=icon]')?.href || ''")
    assert urlparse(icon).netloc in (urlparse(app_url).netloc, ""), icon
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_projector_view_has_no_text_under_20px(browser, app_url: str, url_path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        outside = _watch_outside(pg, app_url)
        open_page(pg, app_url, url_path, "projector=true")
        _opened(pg, app_url, outside)
        # the projector's style is in the page (its root font is 22 px), fonts loaded, formulas fitted
        pg.wait_for_function("getComputedStyle(document.documentElement).fontSize === '22px'")
        pg.evaluate(_SETTLED)
        assert_no_exception(pg)
        smallest = pg.evaluate(_SMALLEST)
        assert smallest and smallest[0]["px"] >= PROJECTOR_MIN_PX - 0.01, f"{url_path}: {smallest}"
        screenshot(pg, f"room-projector-{url_path or 'home'}")
    finally:
        context.close()


def test_presentation_mode_hides_the_controls(browser, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        open_page(pg, app_url, "receptive-field", "projector=true&present=true")
        assert_no_exception(pg)
        main = '[data-testid="stMain"] '
        pg.locator(main + '[data-testid="stPlotlyChart"]').first.wait_for()  # the page is drawn
        widgets = [
            e
            for name in ("stSlider", "stSelectbox", "stButton", "stNumberInput", "stButtonGroup", "stRadio")
            for e in pg.locator(main + f'[data-testid="{name}"]').all()
        ]
        assert len(widgets) >= 3  # on the page, but not shown
        assert not [e for e in widgets if e.is_visible()]
        assert pg.locator(main + '[data-testid="stPlotlyChart"]').first.is_visible()
        assert pg.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').count() >= 2  # way back
        screenshot(pg, "room-presentation-receptive-field")
    finally:
        context.close()


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_phone_width_nothing_sticks_out(browser, app_url: str, url_path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        outside = _watch_outside(pg, app_url)
        open_page(pg, app_url, url_path, "lang=中文")
        _opened(pg, app_url, outside)
        pg.wait_for_timeout(300)
        found = pg.evaluate(_STICKING_OUT)
        assert found["page"] <= found["window"], found
        assert not found["out"], f"{url_path}: {found}"
        screenshot(pg, f"room-phone-{url_path or 'home'}")
    finally:
        context.close()
