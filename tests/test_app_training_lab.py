"""AppTest of the Training lab: defaults, every preset, each task trained a few steps, extremes, bad rates,
uploads, the same seed giving the same curves, and Reset.

AppTest runs no timers, so the live fragment never reruns by itself: training is driven by the Step button
(one batch per click).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

import ui.training_lab as lab
from dsdcn.training import DEFAULT_RACES, FilterTask, MemoryTask, ModelSpec, OffsetTask, Task, model_cost
from ui.locales.en import STRINGS as EN

from .links import Link
from .pages import open_page

PAGE = "app_pages/training_lab.py"
WEIGHTS = " weights · "  # the model cards' captions: "1,257 weights · 596,288 MACs per sample · …"


def _open(link: Link | None = None) -> AppTest:
    return open_page(PAGE, link, timeout=60)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _step(at: AppTest, times: int = 1) -> AppTest:
    """Train ``times`` batches with the Step button (one per click and run)."""
    for _ in range(times):
        at.button(key="tr_one_step").click()
        _run(at)
    return at


def _status(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Step "))


def _cards(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if WEIGHTS in c.value]


def _texts(elements) -> str:
    return " | ".join(str(e.value) for e in elements)


def _task(code: str) -> Task:
    """The task the page builds by default for ``code`` (the filter's positions do not depend on the image)."""
    if code == "offset":
        return OffsetTask(lab.DEFAULTS["tr_dy"], lab.DEFAULTS["tr_dx"])
    if code == "memory":
        return MemoryTask(blank=lab.DEFAULTS["tr_blank"])
    return FilterTask(np.random.default_rng(0).random((64, 64, 3)), "gauss", lab.DEFAULTS["tr_sigma"])


def _costs(task: Task, specs: list[ModelSpec]) -> list[tuple[int, int]]:
    x, _ = task.sample(torch.Generator().manual_seed(0), batch=1)
    positions = int(np.prod(x.shape[2:]))
    return [
        (c.params, c.macs)
        for c in (model_cost(s, task.ndim, task.in_channels, task.out_channels, positions) for s in specs)
    ]


def _table_costs(at: AppTest) -> list[tuple[int, int]]:
    table = at.dataframe[0].value
    return [(int(p), int(m)) for p, m in zip(table["weights"], table["MACs per sample"], strict=True)]


def _png(side: int) -> bytes:
    buf = io.BytesIO()
    noise = np.random.default_rng(1).integers(0, 256, (side, side, 3), dtype=np.uint8)
    Image.fromarray(noise).save(buf, "PNG")
    return buf.getvalue()


def test_defaults() -> None:
    at = _open()
    assert at.title[0].value == "Training lab"
    assert not at.warning and not at.error
    assert at.segmented_control(key="tr_task").value == "offset"
    costs = _costs(_task("offset"), DEFAULT_RACES["offset"].specs())
    cards = _cards(at)
    assert len(cards) == 4
    for card, (params, macs) in zip(cards, costs, strict=True):
        assert card.startswith(f"{params:,} weights · {macs:,} MACs per sample"), card
    assert costs[3][0] < costs[0][0]  # the DS-DCN twin of 1, 2, 5 has fewer weights
    assert "Where each model can look" in [s.value for s in at.subheader]
    assert "tr_fig_coverage" in {c.key for c in at.get("plotly_chart")}
    assert "tr_fig_loss" in {c.key for c in at.get("plotly_chart")}
    assert _status(at).startswith("Step 0 of 300")
    assert "Press Play" in _texts(at.info)
    assert not at.dataframe  # no results before training
    assert {b.key for b in at.button} >= {"tr_go", "tr_one_step", "tr_restart", "tr_reset"}


def test_every_preset_sets_its_values() -> None:
    at = _open()
    checks = {
        "hole": {"tr_task": "offset", "tr_dy": 3, "tr_dx": 1},
        "even": {"tr_dy": 4, "tr_dx": 2},
        "too_far": {"tr_dy": 6, "tr_kind4": "off", "tr_rates2": "1, 1, 1, 1, 1, 1"},
        "memory": {"tr_task": "memory", "tr_kernel": 2, "tr_width": 16},
        "long_memory": {"tr_task": "memory", "tr_blank": 100, "tr_steps": 400, "tr_kind4": "off"},
        "gridding_image": {"tr_task": "filter", "tr_lr": 0.002, "tr_act": "none"},
        "dog": {"tr_task": "filter", "tr_op": "dog", "tr_sigma": 2.0},
        "separable": {"tr_task": "filter", "tr_kind2": "ds", "tr_kind3": "off", "tr_width": 16},
    }
    assert set(checks) == set(lab.PRESETS)
    for preset, values in checks.items():
        at.button(key=f"tr_preset_{preset}").click()
        _run(at)
        for key, value in values.items():
            assert at.session_state[key] == value, (preset, key)
        assert f"**{EN[f'training_lab.preset.{preset}']}**" in _texts(at.caption), preset
        assert not at.warning and not at.error, (preset, _texts(at.warning), _texts(at.error))
        shown = {**lab.DEFAULTS, **lab.PRESETS[preset]}
        assert len(_cards(at)) == sum(shown[f"tr_kind{n}"] != "off" for n in lab.SLOTS), preset
    at.button(key="tr_reset").click()
    _run(at)
    assert at.segmented_control(key="tr_task").value == "offset"
    assert at.selectbox(key="tr_kernel").value == lab.DEFAULTS["tr_kernel"]
    assert at.text_input(key="tr_rates2").value == lab.DEFAULTS["tr_rates2"]


def _after_training(at: AppTest, task: str, specs: list[ModelSpec], steps: int) -> None:
    """The sections drawn after training, while paused: prediction, ERF before/after, results, downloads."""
    assert _status(at).startswith(f"Step {steps} of 300")
    headers = [s.value for s in at.subheader]
    for header in (
        EN[f"training_lab.prediction.{task}"],
        EN["training_lab.erf"],
        EN["training_lab.results"],
    ):
        assert header in headers, (header, headers)
    charts = {c.key for c in at.get("plotly_chart")}
    assert {"tr_fig_erf", "tr_fig_recall" if task == "memory" else "tr_fig_prediction"} <= charts
    table = at.dataframe[0].value
    assert len(table) == len(specs)
    assert list(table["steps"]) == [steps] * len(specs)
    assert np.isfinite(table["held-out loss"]).all()
    assert _table_costs(at) == _costs(_task(task), specs)
    assert len(at.get("download_button")) == 2


@pytest.mark.parametrize("task", ["offset", "memory"])
def test_a_task_trains_step_by_step(task: str) -> None:
    at = _open()
    if task != "offset":
        at.segmented_control(key="tr_task").set_value(task)  # by hand: loads the task's comparison
        _run(at)
    defaults = DEFAULT_RACES[task]
    assert at.selectbox(key="tr_kernel").value == defaults.kernel_size
    assert at.selectbox(key="tr_width").value == defaults.width
    specs = defaults.specs()
    assert len(_cards(at)) == len(specs)
    _step(at, 2)
    _after_training(at, task, specs, 2)
    # the DS-DCN claim, measured: the DS-DCN model against the dense one with its rates
    claim = [i.value for i in at.info if "of its weights" in i.value]
    rows = at.dataframe[0].value
    ds = next(i for i, s in enumerate(specs) if s.kind == "ds")
    dense = next(i for i, s in enumerate(specs) if s.kind == "conv" and s.rates == specs[ds].rates)
    share = rows["weights"][ds] / rows["weights"][dense]
    assert len(claim) == 1 and f"with {share:.0%} of its weights" in claim[0], claim
    if task == "memory":  # whose recall is shown: a choice drawn only after training
        assert at.selectbox(key="tr_recall").value == 1
        at.selectbox(key="tr_recall").set_value(3)
        _run(at)
        assert at.selectbox(key="tr_recall").value == 3
        assert _status(at).startswith("Step 2 of 300")  # a view change trains nothing


def test_the_filter_task_plays_and_pauses() -> None:
    """Play trains a chunk per run of the live fragment (AppTest runs it once per run); Pause shows the results.
    The link's view (drawn only after training) waits until then."""
    at = _open({"tr_view": "crop"})
    at.segmented_control(key="tr_task").set_value("filter")
    _run(at)
    specs = DEFAULT_RACES["filter"].specs()
    assert len(_cards(at)) == len(specs) and not at.warning
    at.button(key="tr_go").click()
    _run(at)
    assert at.button(key="tr_stop") is not None  # Play became Pause
    assert EN["training_lab.after_when_paused"] in _texts(at.caption)
    assert not at.dataframe
    steps = int(_status(at).split()[1])
    assert steps >= 1
    at.button(key="tr_stop").click()
    _run(at)
    assert int(_status(at).split()[1]) == steps  # paused: nothing trained on this run
    _after_training(at, "filter", specs, steps)
    assert at.selectbox(key="tr_view").value == "crop"


def test_extremes() -> None:
    at = _open()
    # the widest and deepest models in every slot: refused with a clear warning, no race
    at.selectbox(key="tr_width").set_value(64)
    deepest = ", ".join(["64"] * 10)
    for n in lab.SLOTS:
        at.text_input(key=f"tr_rates{n}").set_value(deepest)
    _run(at)
    assert "not trained here" in _texts(at.warning), _texts(at.warning)
    assert not _cards(at)
    # the farthest offsets train
    at.button(key="tr_reset").click()
    _run(at)
    at.slider(key="tr_dy").set_value(16)
    at.slider(key="tr_dx").set_value(-16)
    _run(at)
    assert "(16, -16) lies outside its field" in _texts(at.caption)
    _step(at)
    assert _status(at).startswith("Step 1 of")
    # the biggest kernel on an image task trains
    at.selectbox(key="tr_kernel").set_value(7)
    _run(at)
    assert len(_cards(at)) == 4 and not at.warning
    _step(at)
    assert len(at.dataframe[0].value) == 4
    # an even kernel cannot be padded symmetrically on an image
    at.selectbox(key="tr_kernel").set_value(2)
    _run(at)
    assert "Image tasks need an odd kernel size (k = 2" in _texts(at.warning)
    assert not _cards(at)
    # the longest blank of the memory task trains
    at.segmented_control(key="tr_task").set_value("memory")
    _run(at)
    at.slider(key="tr_blank").set_value(256)
    _run(at)
    assert "delay of 260 steps" in _texts(at.caption)
    _step(at)
    assert not at.warning and len(at.dataframe[0].value) == 4


@pytest.mark.parametrize(
    "text", ["abc", "0", "1,2,3,4,5,6,7,8,9,10,11", "1, " * 15], ids=["word", "zero", "11", "45"]
)
def test_bad_rates_leave_one_model_out(text: str) -> None:
    at = _open()
    at.text_input(key="tr_rates2").set_value(text)
    _run(at)
    assert "Model 2 is left out" in _texts(at.warning), _texts(at.warning)
    cards = _cards(at)
    assert len(cards) == 3  # the other models still race
    assert "tr_fig_coverage" in {c.key for c in at.get("plotly_chart")}


def test_no_model_on() -> None:
    at = _open()
    for n in lab.SLOTS:
        at.selectbox(key=f"tr_kind{n}").set_value("off")
    _run(at)
    assert "Switch at least one model on" in _texts(at.info)
    assert not at.warning and not _cards(at)


def test_uploads() -> None:
    at = _open({"tr_task": "filter"})
    at.selectbox(key="tr_source").set_value("upload")
    _run(at)
    assert "Upload an image" in _texts(at.warning)
    at.file_uploader(key="tr_upload").set_value(("notes.png", b"these are notes, not pixels", "image/png"))
    _run(at)
    assert "This image cannot be used" in _texts([*at.warning, *at.error])
    assert not _cards(at)
    at.file_uploader(key="tr_upload").set_value(("tiny.png", _png(10), "image/png"))
    _run(at)
    assert "This image cannot be used" in _texts(at.error) and "pixels on each side" in _texts(at.error)
    assert not _cards(at)
    at.file_uploader(key="tr_upload").set_value(("noise.png", _png(80), "image/png"))
    _run(at)
    assert not at.warning and not at.error
    assert len(_cards(at)) == 4


def _losses_after_three_steps() -> tuple[AppTest, list[float]]:
    at = _open({"tr_seed": "7", "tr_kind3": "off", "tr_kind4": "off"})
    _step(at, 3)
    table = at.dataframe[0].value
    assert list(table["steps"]) == [3, 3]
    return at, list(table["held-out loss"])


def test_same_seed_same_curves_and_reset() -> None:
    at, first = _losses_after_three_steps()
    _, second = _losses_after_three_steps()
    assert first == second
    at.button(key="tr_restart").click()
    _run(at)
    assert _status(at).startswith("Step 0 of 300")
    assert not at.dataframe and "Press Play" in _texts(at.info)


def test_play_stops_by_itself_after_stop_after_and_a_new_seed_starts_over() -> None:
    at = _open({"tr_steps": "10", "tr_kind3": "off", "tr_kind4": "off"})
    at.button(key="tr_go").click()
    for _ in range(30):  # each run of the live fragment trains a chunk (half a second at most)
        _run(at)
        if "tr_stop" not in {b.key for b in at.button}:  # the race paused itself
            break
    assert _status(at).startswith("Step 10 of 10")
    assert "Finished after 10 steps" in _texts(at.caption)
    assert at.button(key="tr_go").disabled and at.button(key="tr_one_step").disabled
    assert list(at.dataframe[0].value["steps"]) == [10, 10]
    at.number_input(key="tr_seed").set_value(5)
    _run(at)
    assert _status(at).startswith("Step 0 of 10") and not at.dataframe
