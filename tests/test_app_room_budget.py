"""Links that would hurt the whole room (issue 15): each gives a translated message, no exception box,
and the refusal comes from the estimate, before the work (so each visit stays fast)."""

from __future__ import annotations

import time

import pytest

from tests.links import Link, open_link

STACK = {"lab_tab": "stack", "lab_stack_a": "64 64 64 64 64 64 64 64"}
FILTERS = ["sobel_x", "sobel_y", "laplacian", "gaussian", "gabor", "box", "identity", "random"]
COST = {
    "cost_h": "4096",
    "cost_w": "4096",
    "cost_c_in": "16",
    "cost_c_out": "16",
    "cost_k": "3",
    "cost_d": "2",
    "cost_warmup": "20",
    "cost_repeats": "200",
    "cost_budget": "10",
}
# (page, link, button pressed after opening or None, what the message says in English / in Chinese)
CASES: dict[str, tuple[str, Link, str | None, tuple[str, str]]] = {
    "rf_2d": (
        "receptive_field",
        {"rf_stack": "c2s16,c2s16,c2s16,c2d1000"},
        None,
        ("effective field is not computed", "未计算有效感受野"),
    ),
    "rf_1d": (
        "receptive_field",
        {"rf_stack": "c2s16,c2s16,c2s16,c2d1000", "rf_mode": "1D"},
        None,
        ("effective field is not computed", "未计算有效感受野"),
    ),
    "stack_k9": ("image_lab", {**STACK, "lab_kernel": "9"}, None, ("Not run: too heavy", "未运行")),
    "stack_k7": ("image_lab", {**STACK, "lab_kernel": "7"}, None, ("Not run: too heavy", "未运行")),
    "largest_bank": (
        "image_lab",
        {
            "lab_filters": FILTERS,
            "lab_gabor_n": "8",
            "lab_random_n": "8",
            "lab_kernel": "11",
            "lab_kind": "depthwise",
            "lab_dilations": ["1", "2", "3", "4", "5", "6", "8", "12"],
        },
        None,
        ("Not run: too heavy", "未运行"),
    ),
    "cost_measure": ("cost", COST, "cost_measure", ("Not measured: too heavy", "未测量")),
    "cost_sweep": (
        "cost",
        {**COST, "cost_sweep_max_d": "32"},
        "cost_sweep",
        ("Not measured: too heavy", "未测量"),
    ),
}


@pytest.mark.parametrize("language", ["English", "中文"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_heavy_link_is_refused_with_a_message(case: str, language: str) -> None:
    page, link, button, (english, chinese) = CASES[case]
    started = time.process_time()
    at = open_link("app.py", {**link, "lang": language}, page=f"app_pages/{page}.py")
    if button is not None:
        at = at.button(key=button).click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [w.value for w in at.warning]
    assert any((english if language == "English" else chinese) in text for text in said), said
    # the refusal comes from sizes: the heavy work (minutes of CPU) never started
    assert time.process_time() - started < 60
