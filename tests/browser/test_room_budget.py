"""A link that would hurt the whole room (issue 15) opens in the browser with a message, no exception box.

Before the budget this link showed "ValueError: extent 4096274 is too large for the effective field".
"""

from __future__ import annotations

from .conftest import assert_no_exception, open_page


def test_a_field_too_wide_for_the_gradient_gives_a_message(page, app_url: str) -> None:
    open_page(page, app_url, "receptive-field", "rf_stack=c2s16,c2s16,c2s16,c2d1000&rf_mode=1D")
    page.get_by_text("The effective field is not computed", exact=False).first.wait_for(timeout=60_000)
    assert_no_exception(page)
