"""The room's budget (dsdcn.budget): estimates against real runs at small sizes, refusals, reservations."""

from __future__ import annotations

import contextlib
import threading
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dsdcn import budget, measure
from dsdcn import filters as fl
from dsdcn.measure import LayerSpec, measurement_estimate

from .cpu_queue import queue_held


def _impulse_response(kernel: np.ndarray, schedule: tuple[int, ...]) -> np.ndarray:
    # the stack run on an impulse by torch itself, flipped (convolutions are cross-correlations)
    w = torch.from_numpy(np.asarray(kernel, dtype=np.float64))[None, None]
    size = fl.stack_extent(w.shape[-1], schedule)
    y = torch.zeros(1, 1, size, size, dtype=torch.float64)
    y[0, 0, size // 2, size // 2] = 1.0
    for d in schedule:
        y = F.conv2d(y, w, padding=d * (w.shape[-1] - 1) // 2, dilation=d)
    return torch.flip(y[0, 0], dims=(0, 1)).numpy()


@pytest.mark.parametrize(
    ("kernel", "schedule"),
    [(fl.box_kernel(3), (1, 2, 5)), (fl.sobel_kernel(5), (2, 3)), (fl.laplacian_kernel(7), (4, 1))],
)
def test_shift_and_add_response_is_torchs(kernel: np.ndarray, schedule: tuple[int, ...]) -> None:
    ours = fl.stack_response(kernel, schedule)
    ref = _impulse_response(kernel, schedule)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-15)
    assert ((ours == 0) == (ref == 0)).all()  # holes exactly where torch has them


def test_response_cells_keep_small_responses_and_shrink_large_ones() -> None:
    small = fl.stack_response(fl.box_kernel(3), (2, 2, 2))
    cells, centres = fl.response_cells(small, 257)
    assert np.array_equal(cells, small) and centres == list(range(-6, 7))
    big = fl.stack_response(fl.box_kernel(3), (64,) * 5)  # 641 offsets a side
    cells, centres = fl.response_cells(big, 257)
    block = centres[1] - centres[0]
    assert cells.shape[0] <= 257 and cells.shape[0] % 2 == 1 and block % 2 == 1
    assert 0 in centres  # the centre cell sits on offset 0
    # cells hold block means: the total weight is kept (float64, 1e-12 relative)
    assert float(cells.sum()) * block**2 == pytest.approx(float(big.sum()), rel=1e-12)


def test_estimated_previews_are_the_real_arrays() -> None:
    x = torch.rand(1, 3, 40, 56)
    bank = fl.make_bank(("sobel_x", "gaussian"), 3, 3)
    for kind in ("dilated", "depthwise"):
        run = fl.run_bank(x, bank, kind, (1, 2))
        est = budget.bank_estimate(40, 56, 3, bank.size, 3, kind, 2)
        kept = run.preview.nbytes + run.crop.nbytes
        assert est.bytes >= kept + x.nbytes


def test_estimated_memory_holds_the_real_output() -> None:
    spec = LayerSpec("standard", 8, 16, 3, 2)
    module = measure.build_module(spec, "cpu", torch.float32)
    y = module(torch.zeros(2, 8, 24, 24))
    assert measurement_estimate(spec, 24, 24, 2).bytes >= y.nbytes + 2 * 8 * 24 * 24 * 4


def _cpu_seconds(fn) -> float:  # noqa: ANN001 - a callable
    # CPU time over the threads torch uses: the wall time of a quiet machine (other helpers load this one)
    fn()
    start = time.process_time()
    fn()
    return (time.process_time() - start) / torch.get_num_threads()


def test_estimated_times_are_upper_ish_at_small_sizes() -> None:
    # stated factor: the estimate is at least a third of the real CPU time and at most 40 times it
    x = torch.rand(1, 3, 128, 128)
    bank = fl.make_bank(("sobel_x", "gabor"), 5, 3, 4)
    real = _cpu_seconds(lambda: fl.run_bank(x, bank, "depthwise", (1, 2, 4)))
    est = budget.bank_estimate(128, 128, 3, bank.size, 5, "depthwise", 3).seconds
    assert real / 3 <= est <= 40 * real, (est, real)
    kernel = fl.gaussian_kernel(5)
    real = _cpu_seconds(lambda: fl.stack_response(kernel, (8, 8, 8, 8)))
    est = budget.response_adds(5, (8, 8, 8, 8)) / budget.RATES["scatter_adds"]
    assert real / 3 <= est <= 40 * real, (est, real)


def test_estimated_measurement_time_is_upper_ish_at_small_sizes() -> None:
    # the same stated factor for a whole measurement (warm-up, timed runs), one thread
    for spec in (LayerSpec("standard", 16, 32, 3, 2), LayerSpec("depthwise", 32, 32, 3, 4)):
        real = _cpu_seconds(lambda s=spec: measure.measure_latency(s, 64, 64, threads=1, max_seconds=0.1))
        real *= torch.get_num_threads()  # one thread: its CPU time is its wall time
        est = measurement_estimate(spec, 64, 64, max_seconds=0.1).seconds
        assert real / 3 <= est <= 40 * real, (spec.kind, est, real)


# what the lessons ask for must fit the budget (sizes of app_pages/cost.py's DEFAULTS and PRESETS and of the
# Image lab's DEFAULTS and PRESETS on its largest sample, 512 x 512)
COST_LESSONS = {
    "default": (56, 32, 64, 2, 16),
    "not_8x_faster": (56, 128, 128, 2, 16),
    "dilation_slows_depthwise": (56, 64, 64, 8, 12),
    "pointwise_dominates": (28, 256, 256, 1, 16),
    "same_rf_three_ways": (56, 64, 64, 3, 16),
}


@pytest.mark.parametrize("lesson", list(COST_LESSONS))
def test_the_lessons_are_not_refused(lesson: str) -> None:
    from dsdcn.engine import ALGORITHMS
    from dsdcn.measure import dilation_sweep_specs, same_receptive_field

    hw, c_in, c_out, d, max_d = COST_LESSONS[lesson]

    def press(items: list, algorithms: int = 1) -> budget.Estimate:
        total = budget.Estimate(0.0, 0)
        for specs in items:
            total += measurement_estimate(specs, hw, hw, 1, "cpu", "float32", 2, 10, 0.25, algorithms)
        return total

    kinds = [
        LayerSpec(k, c_in, c_out, 1 if k == "pointwise" else 3, 1 if k == "pointwise" else d)
        for k in ("standard", "depthwise", "pointwise", "separable")
    ]
    main = [(s,) for s in kinds] + [r.specs for r in same_receptive_field(c_in, c_out, 3, d)]
    sweep = [(s,) for s in dilation_sweep_specs(c_in, c_out, 3, range(1, max_d + 1))]
    algos = [(LayerSpec("depthwise", c_in, c_in, 3, dd),) for dd in range(1, max_d + 1)]
    assert press(main).refusal() is None
    assert press(sweep).refusal() is None
    assert press(algos, len(ALGORITHMS)).refusal() is None
    bank = budget.bank_estimate(512, 512, 3, 22, 3, "depthwise", 4)  # every filter kind at k = 3
    assert bank.refusal() is None
    assert budget.stacks_estimate(512, 512, 3, 3, [(2, 2, 2), (1, 2, 5)]).refusal() is None


def test_timed_passes_count_what_time_runs_does() -> None:
    assert budget.timed_passes(0.01, 2, 10, 1.0) == pytest.approx(0.12)  # all 10 repeats fit
    assert budget.timed_passes(1.0, 0, 200, 10.0) == pytest.approx(11.0)  # stops after crossing 10 s
    assert budget.timed_passes(5.0, 20, 200, 0.25) == pytest.approx(115.0)  # warm-up, then 3 at least


def test_refusal_names_the_first_budget_passed() -> None:
    assert budget.Estimate(1.0, 10).refusal() is None
    assert budget.Estimate(11.0, 10).refusal().reason == "time"
    assert budget.Estimate(11.0, 2 << 30).refusal().reason == "memory"
    both = budget.Estimate(6.0, 10) + budget.Estimate(6.0, 20)
    assert both == budget.Estimate(12.0, 20)
    assert budget.extent_refusal(5, 4).reason == "extent" and budget.extent_refusal(4, 4) is None


def test_reservations_are_counted_and_a_second_request_waits() -> None:
    gib = 1 << 30
    order: list[str] = []
    with budget.reserve(gib // 2 + 1):
        assert budget.reserved() >= gib // 2 + 1
        with pytest.raises(budget.Busy):  # a second large request cannot fit while the first runs
            with budget.reserve(gib // 2 + 1, wait=0.05):
                pass

        def second() -> None:
            with budget.reserve(gib // 2 + 1, wait=10):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.1)
        order.append("first done")
    t.join(10)
    assert order == ["first done", "second"]
    assert budget.reserved() == 0


def test_free_memory_excludes_what_others_reserved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measure, "available_memory", lambda dev: 2 << 30)
    spec = LayerSpec("depthwise", 16, 16, 3)
    needed = measure.memory_estimate(spec, 2048, 2048)  # ~0.5 GiB: fits half of 2 GiB, not half of 1 GiB
    assert (1 << 29) < needed < (1 << 30)
    assert measure.check_fits(spec, 2048, 2048, 1, "cpu") == needed
    with budget.reserve(1 << 30):
        with pytest.raises(measure.MeasurementRefused):
            measure.check_fits(spec, 2048, 2048, 1, "cpu")


def test_heavy_requests_queue_first_come_first_served_and_say_how_many_are_ahead() -> None:
    """One heavy request runs at a time (even small ones); the others wait in order, and a waiting request
    is told how many run or wait before it, then 0 when it starts."""
    order: list[str] = []
    told: dict[str, list[int]] = {"b": [], "c": []}
    started = threading.Event()

    def request(name: str, hold: float) -> None:
        with budget.on_wait(told[name].append) if name in told else contextlib.nullcontext():
            with budget.reserve(1 << 20, wait=10):
                order.append(name)
                started.set()
                time.sleep(hold)

    a = threading.Thread(target=request, args=("a", 0.4))
    a.start()
    assert started.wait(5)
    b = threading.Thread(target=request, args=("b", 0.05))
    b.start()
    deadline = time.monotonic() + 5
    while budget.waiting() < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    c = threading.Thread(target=request, args=("c", 0.05))
    c.start()
    for th in (a, b, c):
        th.join(10)
    assert order == ["a", "b", "c"]
    assert told["b"] == [1, 0]  # a runs: one ahead; then it starts
    assert told["c"][0] == 2 and told["c"][-1] == 0  # a runs, b waits: two ahead
    assert budget.reserved() == 0 and budget.waiting() == 0


def test_a_request_inside_a_running_one_does_not_wait_for_itself() -> None:
    with budget.reserve(1 << 20, wait=0.05):
        with budget.reserve(1 << 20, wait=0.05):  # the same thread: only its bytes are added
            assert budget.reserved() >= 2 << 20
    assert budget.reserved() == 0


def test_a_request_that_waits_too_long_is_refused_and_leaves_the_queue() -> None:
    told: list[int] = []
    with queue_held():
        with budget.on_wait(told.append), pytest.raises(budget.Busy, match="requests ahead of this one: 1"):
            with budget.reserve(1 << 20, wait=0.1):
                pass
        assert told == [1] and budget.waiting() == 0
    assert budget.reserved() == 0
