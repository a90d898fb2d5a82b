"""AppTest of the Cost page: formula against count, a small measurement on CPU, sweeps, refusals."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dsdcn import LayerSpec, formula_cost

from .pages import open_page

PAGE = "app_pages/cost.py"


@pytest.fixture()
def page() -> AppTest:
    return open_page(PAGE)


def _small(at: AppTest, h: int = 12, c_in: int = 4, c_out: int = 8) -> AppTest:
    at.number_input("cost_h").set_value(h)
    at.number_input("cost_w").set_value(h)
    at.number_input("cost_c_in").set_value(c_in)
    at.number_input("cost_c_out").set_value(c_out)
    at.number_input("cost_repeats").set_value(3)
    at.number_input("cost_warmup").set_value(1)
    return at.run()


def test_defaults_formula_equals_count(page: AppTest) -> None:
    at = page
    formula = at.dataframe[0].value
    assert list(formula["equal"]) == ["✓"] * 4
    assert (formula["params (formula)"] == formula["params (numel)"]).all()
    assert (formula["FLOPs = 2×MACs (formula)"] == formula["FLOPs (flop_counter)"]).all()
    assert (formula["FLOPs = 2×MACs (formula)"] == 2 * formula["MACs (formula)"]).all()
    assert all(" " not in shape for shape in formula["output (B, C, H, W)"])  # one line (issue 15, defect 8)
    std = formula_cost(LayerSpec("standard", 32, 64, 3, 2), 56, 56)
    assert formula["params (formula)"][0] == std.params == 18_432
    assert at.success[0].value.startswith("Formula and count agree")
    # nothing is measured until the button is pressed
    assert any("Press **Measure on CPU**" in i.value for i in at.info)
    assert any("Run the dilation sweep" in i.value for i in at.info)
    # the ratio charts (formula only) and the same-receptive-field chart are there already
    assert len(at.get("plotly_chart")) == 3
    for key in ("cost_h", "cost_w", "cost_c_in", "cost_batch", "cost_c_out", "cost_k", "cost_d", "cost_s"):
        assert at.number_input(key).help, key


def test_small_measurement_on_cpu(page: AppTest) -> None:
    at = _small(page)
    at.button("cost_measure").click().run()
    assert not at.exception
    measured = at.dataframe[1].value
    assert len(measured) == 4
    assert (measured["median ms"] > 0).all()
    assert (measured["runs"] >= 3).all() and (measured["GFLOP/s"] > 0).all()
    reach = at.dataframe[2].value
    assert list(reach["extent (px)"]) == [5, 5, 5, 5]
    assert (reach["median ms"] > 0).all()
    assert any("CPU, float32, contiguous, 1 CPU thread(s)" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 4  # + FLOPs against time
    # a rerun without pressing keeps the results; a change of input asks for a fresh measurement
    at.run()
    assert len(at.dataframe) == 3
    at.number_input("cost_c_out").set_value(9).run()
    assert not at.exception
    assert len(at.dataframe) == 2
    assert any("Press **Measure on CPU**" in i.value for i in at.info)
    # going back to the measured shape shows its results again
    at.number_input("cost_c_out").set_value(8).run()
    assert len(at.dataframe) == 3


def test_dilation_sweep_and_measure_again(page: AppTest) -> None:
    at = _small(page, h=10, c_in=2, c_out=2)
    at.number_input("cost_sweep_max_d").set_value(3).run()
    at.button("cost_sweep").click().run()
    assert not at.exception
    assert any("What the sweep shows" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 4  # ratio ×2, same RF, dilation
    at.button("cost_measure_again").click().run()
    assert not at.exception
    assert len(at.dataframe[1].value) == 4


def test_bfloat16_channels_last_and_threads(page: AppTest) -> None:
    at = _small(page, h=8)
    assert "bfloat16" in at.selectbox("cost_dtype").options
    at.selectbox("cost_dtype").set_value("bfloat16")
    at.selectbox("cost_format").set_value("channels_last")
    at.number_input("cost_threads").set_value(0).run()
    at.button("cost_measure").click().run()
    assert not at.exception
    assert any("CPU, bfloat16, channels_last" in c.value for c in at.caption)


def test_huge_shape_is_refused_without_allocating(page: AppTest) -> None:
    at = page
    at.number_input("cost_h").set_value(4096)
    at.number_input("cost_w").set_value(4096)
    at.number_input("cost_c_in").set_value(4096)
    at.number_input("cost_batch").set_value(1024).run()
    assert not at.exception
    assert list(at.dataframe[0].value["equal"]) == ["✓"] * 4  # counted on the meta device
    at.button("cost_measure").click().run()
    assert not at.exception
    notes = list(at.dataframe[1].value["note"])
    assert all(n.startswith("not measured:") and "free" in n for n in notes)


def test_extreme_kernel_on_tiny_input(page: AppTest) -> None:
    at = page
    at.number_input("cost_h").set_value(1)
    at.number_input("cost_w").set_value(3)
    at.number_input("cost_k").set_value(15)
    at.number_input("cost_d").set_value(32)
    at.number_input("cost_s").set_value(8)
    at.number_input("cost_m").set_value(8).run()
    assert not at.exception
    assert list(at.dataframe[0].value["equal"]) == ["✓"] * 4
    # a 64 x 64 input: the dense 449 x 449 kernel (26 GFLOP, a 12 GiB im2col) is refused before it is built
    _small(at, h=64, c_in=4, c_out=4)
    at.button("cost_measure").click().run()
    assert not at.exception
    reach = at.dataframe[2].value
    assert reach["note"][0].startswith("not measured:")
    assert list(reach["extent (px)"]) == [449, 449, 449, 449]
    assert reach["layers"][2] == 224


def test_a_number_past_its_range_is_clamped_with_a_message(page: AppTest) -> None:
    """Typing 9999 into C_in (at most 4096) sets 4096 and says so, instead of a silent red box."""
    page.number_input(key="cost_c_in").set_value(9999).run()
    assert not page.exception
    assert page.number_input(key="cost_c_in").value == 4096
    assert any("9999 was set to 4096" in w.value for w in page.warning)
    page.number_input(key="cost_c_in").set_value(0).run()
    assert page.number_input(key="cost_c_in").value == 1
    assert any("0 was set to 1" in w.value for w in page.warning)
    page.number_input(key="cost_c_in").set_value(64).run()
    assert not [w for w in page.warning if "was set to" in w.value]
