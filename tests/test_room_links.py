"""Links that must not hurt a room: each opens with a message or a result, never an exception box."""

from __future__ import annotations

from tests.links import open_link

from .conftest import ROOT

APP = str(ROOT / "app.py")


def test_cost_numbers_beyond_64_bits_are_shown_as_text() -> None:
    link = {
        "cost_batch": "1024",
        "cost_c_in": "4096",
        "cost_c_out": "4096",
        "cost_h": "4096",
        "cost_k": "15",
        "cost_w": "4096",
    }
    at = open_link(APP, link, page="app_pages/cost.py")
    assert not at.exception, at.exception
    formula = at.dataframe[0].value
    assert list(formula["equal"]) == ["✓"] * 4
    flops = formula["FLOPs = 2×MACs (formula)"]
    assert flops.iloc[0] == f"{2 * 1024 * 4096**2 * 4096**2 * 15**2:,}"
