"""The projector view never cuts a formula: every `st.latex` fits its column (scaled down or broken into
lines), on Home and the Sampling grid, in English and Chinese, on a wide screen and a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot
from ui.locales.en import STRINGS as EN
from ui.locales.zh import STRINGS as ZH

# every displayed formula: how wide its content is against the width it is given
_WIDTHS = """() => [...document.querySelectorAll('.katex-display')]
    .filter(e => e.clientWidth > 0)
    .map(e => ({scroll: e.scrollWidth, client: e.clientWidth, text: e.textContent.slice(0, 40)}))"""


# each page in each language once, at a desktop or a phone width (the suite's time budget)
@pytest.mark.parametrize(
    ("width", "height", "views"),
    [
        (1440, 900, [("", "English"), ("sampling-grid", "中文")]),
        (390, 844, [("", "中文"), ("sampling-grid", "English")]),
    ],
)
def test_projector_formulas_fit_their_column(
    browser, app_url: str, width: int, height: int, views: list[tuple[str, str]]
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        for url_path, lang in views:
            open_page(pg, app_url, url_path, f"projector=true&lang={lang}")
            if url_path:  # open the explanation, whose formulas sit in two narrow columns
                explain = (EN if lang == "English" else ZH)["sampling_grid.explain"]
                pg.locator('[data-testid="stExpander"] summary').filter(has_text=explain).click()
            pg.wait_for_timeout(1200)  # fonts and the fitting settle
            widths = pg.evaluate(_WIDTHS)
            assert len(widths) >= (8 if not url_path else 4), widths
            cut = [w for w in widths if w["scroll"] > w["client"] + 1]
            assert not cut, f"{url_path or 'home'} {lang} {width}px: {cut}"
            assert_no_exception(pg)
            screenshot(pg, f"projector-formulas-{url_path or 'home'}-{'en' if lang == 'English' else 'zh'}-{width}")
    finally:
        context.close()

