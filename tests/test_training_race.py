"""dsdcn.training's tasks and race against torch itself: each task's batches against a shifted copy, an
oracle model and a reference 2D convolution; ``reach`` against a gradient probe of the real model; the
race's determinism, its untouched global RNG, its table against numel and FlopCounterMode; and the two
lessons of the Training lab (HDC reaches the offset where gridding cannot, a field that covers the delay
copies memory where a shorter one cannot)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dsdcn import coverage, coverage_2d, receptive_field
from dsdcn.training import (
    DEFAULT_RACES,
    FilterTask,
    MemoryTask,
    ModelSpec,
    OffsetTask,
    Race,
    build_model,
    hole_count,
    model_cost,
    model_erf,
    model_field,
    model_layers,
    parse_model_code,
    reach,
    verdict,
    wide_filter,
)
from dsdcn.training.models import Activation
from dsdcn.training.tasks import gaussian_kernel

from .test_training_models import all_ones, input_gradient, model_specs
from .torch_count import torch_count


def image(h: int = 64, w: int = 64, seed: int = 0) -> np.ndarray:
    """A random grey image (any scale: the task normalises it)."""
    return np.random.default_rng(seed).normal(5.0, 3.0, (h, w))


def reference_filter(img: torch.Tensor, operator: str, sigma: float, mode: str = "reflect") -> torch.Tensor:
    """``img`` (2D, float64) under one 2D convolution with the outer product of the 1D Gaussian, padded by
    ``mode`` in both axes at once; a difference of Gaussians uses ``σ`` and ``1.6σ``."""

    def blur(s: float) -> torch.Tensor:
        g = torch.from_numpy(gaussian_kernel(s))
        r = g.numel() // 2
        padded = F.pad(img[None, None], (r, r, r, r), mode=mode)
        return F.conv2d(padded, torch.outer(g, g)[None, None])[0, 0]

    return blur(sigma) - blur(1.6 * sigma) if operator == "dog" else blur(sigma)


def spec(code: str, kernel_size: int = 3, width: int = 4, activation: Activation = "relu") -> ModelSpec:
    """A spec from its code."""
    return parse_model_code(code, kernel_size, width, activation)


def probe_reach_2d(model_spec: ModelSpec, dy: int, dx: int) -> str:
    """``reach`` as the real model sees it, made linear with all weights 1: is input ``(c+dy, c+dx)`` in
    the gradient of output ``(c, c)`` (reached), inside the gradient's bounding box (hole) or beyond it
    (outside)?"""
    linear = replace(model_spec, activation="none")
    r = receptive_field(model_layers(linear, 2))[-1].size
    n = 2 * max(r, 2 * max(abs(dy), abs(dx)) + 1) + 1  # every path to the centre output stays inside
    c = n // 2
    x = torch.randn(1, 1, n, n, dtype=torch.float64)
    grad = input_gradient(all_ones(build_model(linear, 2, 1, 1)), x, (c, c))
    if grad[c + dy, c + dx] != 0:
        return "reached"
    rows, cols = torch.nonzero(grad, as_tuple=True)
    inside = rows.min() <= c + dy <= rows.max() and cols.min() <= c + dx <= cols.max()
    return "hole" if inside else "outside"


def probe_reach_1d(model_spec: ModelSpec, delay: int) -> str:
    """The same in 1D: is input ``t - delay`` in the gradient of the last output ``t``?"""
    linear = replace(model_spec, activation="none")
    r = receptive_field(model_layers(linear, 1))[-1].size
    length = max(r, delay + 1) + 2
    t = length - 1
    x = torch.randn(1, 1, length, dtype=torch.float64)
    grad = input_gradient(all_ones(build_model(linear, 1, 1, 1)), x, (t,))
    if grad[t - delay] != 0:
        return "reached"
    return "hole" if int(torch.nonzero(grad).min()) <= t - delay else "outside"


# ---- 5. reach


@pytest.mark.parametrize(
    ("code", "task", "expected"),
    [
        ("conv:2,2,2", OffsetTask(3, 1), "hole"),
        ("conv:1,2,5", OffsetTask(3, 1), "reached"),
        ("ds:1,2,5", OffsetTask(3, 1), "reached"),
        ("conv:2,4,8", OffsetTask(3, 1), "hole"),
        ("conv:1,1,1", OffsetTask(5, 3), "outside"),
        ("conv:1,1,1", OffsetTask(3, 3), "reached"),
    ],
)
def test_reach_on_offsets(code: str, task: OffsetTask, expected: str) -> None:
    s = spec(code)
    assert reach(s, task) == expected
    assert probe_reach_2d(s, task.dy, task.dx) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("conv:1,2,4,8,16", "reached"), ("ds:1,2,4,8,16", "reached"), ("conv:1,2,4,8", "outside")],
)
def test_reach_on_copy_memory(code: str, expected: str) -> None:
    task = MemoryTask(blank=24)
    s = spec(code, kernel_size=2, activation="none")
    assert reach(s, task) == expected
    # on the task's own batch: does the first recall output depend on the first symbol?
    x, _ = task.sample(torch.Generator().manual_seed(0), batch=1)
    model = all_ones(build_model(s, 1, task.in_channels, task.out_channels)).float()
    x.requires_grad_(True)
    model(x)[0, :, task.symbols + task.blank].sum().backward()
    assert x.grad is not None
    assert bool(x.grad[0, :, 0].ne(0).any()) == (expected == "reached")


def test_reach_on_a_wide_filter_is_any() -> None:
    assert reach(spec("conv:2,2,2"), FilterTask(image())) == "any"


@settings(max_examples=25)
@given(
    model_spec=model_specs(2, max_rate=6, max_layers=3, max_width=2, activations=("none",)),
    dy=st.integers(-16, 16),
    dx=st.integers(-16, 16),
)
def test_reach_equals_gradient_probe_2d(model_spec: ModelSpec, dy: int, dx: int) -> None:
    assert reach(model_spec, OffsetTask(dy, dx)) == probe_reach_2d(model_spec, dy, dx)


@settings(max_examples=25)
@given(
    model_spec=model_specs(1, max_rate=8, max_layers=4, max_width=2, activations=("none",)),
    symbols=st.integers(1, 6),
    blank=st.integers(1, 40),
)
def test_reach_equals_gradient_probe_1d(model_spec: ModelSpec, symbols: int, blank: int) -> None:
    task = MemoryTask(symbols=symbols, blank=blank)
    assert reach(model_spec, task) == probe_reach_1d(model_spec, task.delay)


# ---- 6. tasks


@given(
    dy=st.integers(-16, 16),
    dx=st.integers(-16, 16),
    size=st.integers(1, 10),
    batch=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_offset_task_target_is_the_shifted_input(dy: int, dx: int, size: int, batch: int, seed: int) -> None:
    task = OffsetTask(dy, dx, size=size, batch=batch)
    x, y = task.sample(torch.Generator().manual_seed(seed))
    m = task.margin
    assert x.shape == (batch, 1, size + 2 * m, size + 2 * m) and y.shape == (batch, 1, size, size)
    # the perfect model moves input (i + dy, j + dx) to output (i, j): torch.roll by (-dy, -dx)
    oracle = torch.roll(x, shifts=(-dy, -dx), dims=(-2, -1))
    assert torch.equal(task.scored(oracle), y)
    assert task.loss(oracle, y).item() == 0.0
    assert task.target_offset == (dy, dx)


def test_offset_task_baseline_is_predicting_zero() -> None:
    task = OffsetTask(3, 1)
    x, y = task.sample(torch.Generator().manual_seed(0), batch=512)
    assert abs(task.loss(torch.zeros_like(x), y).item() - task.baseline) < 0.1
    assert task.baseline == 1.0


@given(
    symbols=st.integers(1, 5),
    alphabet=st.integers(2, 6),
    blank=st.integers(1, 30),
    batch=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_memory_task_batches(symbols: int, alphabet: int, blank: int, batch: int, seed: int) -> None:
    task = MemoryTask(symbols=symbols, alphabet=alphabet, blank=blank, batch=batch)
    x, y = task.sample(torch.Generator().manual_seed(seed))
    length = 2 * symbols + blank
    assert task.length == length and task.delay == symbols + blank
    assert x.shape == (batch, alphabet + 2, length) and y.shape == (batch, symbols)
    assert x.dtype == torch.float32 and y.dtype == torch.long
    assert torch.equal(x.sum(dim=1), torch.ones(batch, length)) and set(x.unique().tolist()) <= {0.0, 1.0}
    seq = x.argmax(dim=1)  # the class at each step
    assert torch.equal(seq[:, :symbols], y) and bool(((y >= 1) & (y <= alphabet)).all())
    marker = symbols + blank - 1
    assert bool((seq[:, marker] == alphabet + 1).all())
    rest = torch.cat([seq[:, symbols:marker], seq[:, marker + 1 :]], dim=1)
    assert bool((rest == 0).all())
    assert task.in_channels == alphabet + 2 and task.out_channels == alphabet + 1
    # a causal oracle: read the input `delay` steps back, classes 0..alphabet, and be sure of it
    oracle = 50.0 * torch.roll(x, shifts=task.delay, dims=-1)[:, : alphabet + 1]
    assert task.loss(oracle, y).item() < 1e-6
    # a uniform guess among the symbols (never the blank, class 0) scores the baseline ln(alphabet)
    uniform = torch.zeros(batch, alphabet + 1, length)
    uniform[:, 0] = -math.inf
    torch.testing.assert_close(task.loss(uniform, y), torch.tensor(task.baseline))
    uniform[:, 0] = -1e9
    torch.testing.assert_close(task.loss(uniform, y), torch.tensor(math.log(alphabet)))


@settings(max_examples=20)
@given(
    operator=st.sampled_from(["gauss", "dog"]),
    sigma=st.floats(0.2, 8.0),
    h=st.integers(40, 64),
    w=st.integers(40, 64),
)
def test_wide_filter_equals_2d_reference(operator: str, sigma: float, h: int, w: int) -> None:
    img = image(h, w)
    expected = reference_filter(torch.from_numpy(img), operator, sigma)
    # one 2D convolution against two 1D passes in float64
    torch.testing.assert_close(
        torch.from_numpy(wide_filter(img, operator, sigma)), expected, rtol=1e-9, atol=1e-9
    )


def test_wide_filter_replicates_where_the_image_is_too_small_to_reflect() -> None:
    img = image(5, 6)
    expected = reference_filter(torch.from_numpy(img), "gauss", 2.0, mode="replicate")
    torch.testing.assert_close(
        torch.from_numpy(wide_filter(img, "gauss", 2.0)), expected, rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize("sigma", [0.3, 1.0, 2.5, 8.0])
def test_gaussian_kernel(sigma: float) -> None:
    g = gaussian_kernel(sigma)
    r = g.size // 2
    assert g.size == 2 * max(math.ceil(3 * sigma), 1) + 1
    assert math.isclose(g.sum(), 1.0) and np.allclose(g, g[::-1])
    assert math.isclose(g[r + 1] / g[r], math.exp(-1 / (2 * sigma**2)))


@pytest.mark.parametrize("operator", ["gauss", "dog"])
def test_filter_task_target_and_crops(operator: str) -> None:
    img = image(40, 44)
    sigma, size, margin = 1.0, 8, 4  # the Gaussian's radius is 3: inside the margin
    task = FilterTask(img, operator, sigma, size=size, batch=6, margin=margin)
    assert task.target.shape == (1, 1, 40, 44)
    torch.testing.assert_close(
        task.target.std(unbiased=False).double(), torch.tensor(1.0, dtype=torch.float64)
    )
    grey = torch.from_numpy((img - img.mean()) / img.std())
    full = reference_filter(grey, operator, sigma)
    scale = float(full.std(unbiased=False))
    torch.testing.assert_close(task.target[0, 0].double(), full / scale, rtol=1e-5, atol=1e-5)
    x, y = task.sample(torch.Generator().manual_seed(1))
    assert x.shape == (6, 1, size + 2 * margin, size + 2 * margin) and y.shape == (6, 1, size, size)
    if operator == "gauss":
        # an oracle that filters its own crop: the scored outputs' windows lie inside the crop, so if the
        # crops line up with the target it scores (almost) zero
        g = torch.from_numpy(gaussian_kernel(sigma)).float()
        r = g.numel() // 2
        oracle = F.conv2d(x, torch.outer(g, g)[None, None], padding=r) / scale
        torch.testing.assert_close(task.scored(oracle), y, rtol=1e-4, atol=1e-4)
        assert task.loss(oracle, y).item() < 1e-8


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OffsetTask(17, 0), "dy"),
        (lambda: OffsetTask(0, -17), "dx"),
        (lambda: OffsetTask(1.5, 0), "dy"),
        (lambda: OffsetTask(size=0), "size"),
        (lambda: MemoryTask(blank=0), "blank"),
        (lambda: MemoryTask(blank=257), "blank"),
        (lambda: MemoryTask(alphabet=1), "alphabet"),
        (lambda: MemoryTask(symbols=0), "symbols"),
        (lambda: FilterTask(image(), sigma=0.0), "sigma"),
        (lambda: FilterTask(image(), sigma=9.0), "sigma"),
        (lambda: FilterTask(image(), sigma=math.nan), "sigma"),
        (lambda: FilterTask(image(), "dog", sigma=9.0), "sigma"),
        (lambda: FilterTask(image(), "box"), "operator"),
        (lambda: FilterTask(image(31, 64), size=8, margin=4), "at least 32"),
        (lambda: FilterTask(image(50, 80)), "at least 56"),
        (lambda: FilterTask(image(80, 80), size=24, margin=30), "at least 84"),
        (lambda: FilterTask(np.zeros(64)), "image"),
        (lambda: wide_filter(np.zeros(40)), "2D"),
        (lambda: Race(OffsetTask(), []), "1 to 4"),
        (lambda: Race(OffsetTask(), [ModelSpec()] * 5), "1 to 4"),
        (lambda: Race(OffsetTask(), [ModelSpec()], lr=0.0), "lr"),
        (lambda: Race(OffsetTask(), [ModelSpec()], seed=-1), "seed"),
    ],
)
def test_bad_inputs_are_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_difference_of_gaussians_takes_every_sigma() -> None:
    # the outer Gaussian of a DoG is 1.6σ: up to 12.8 for σ = 8, which the kernel must accept
    out = wide_filter(image(64, 64), "dog", 8.0)
    assert out.shape == (64, 64) and np.isfinite(out).all()


# ---- 7. determinism and the global RNG


def small_race(seed: int) -> Race:
    """Two small models on a small offset task."""
    return Race(
        OffsetTask(2, 1, size=6, batch=2), [spec("conv:1,2", width=4), spec("ds:1,2", width=4)], seed=seed
    )


def test_same_seed_same_curves_other_seed_other_curves() -> None:
    a, b, c = small_race(3), small_race(3), small_race(4)
    for race in (a, b, c):
        race.step(20)
    for i in range(2):
        assert a.racers[i].losses == b.racers[i].losses and len(a.racers[i].losses) == 20
        assert a.racers[i].losses != c.racers[i].losses
        for key, value in a.racers[i].initial.items():
            assert torch.equal(value, b.racers[i].initial[key])
    assert a.eval_losses() == b.eval_losses()


@pytest.mark.parametrize(
    "task",
    [
        OffsetTask(2, 1, size=6, batch=2),
        MemoryTask(blank=4, batch=2),
        FilterTask(image(), size=8, batch=2, margin=4),
    ],
    ids=["offset", "memory", "filter"],
)
def test_race_never_touches_the_global_rng(task: OffsetTask | MemoryTask | FilterTask) -> None:
    before = torch.random.get_rng_state()
    kernel = 2 if task.ndim == 1 else 3
    race = Race(task, [spec("conv:1,2", kernel), spec("ds:1,2", kernel)], seed=5)
    race.step(3)
    race.eval_losses()
    race.rows()
    race.initial_model(0)
    race.trained_model(1)
    race.predict(0, race.held_out()[0])
    assert torch.equal(torch.random.get_rng_state(), before)


def test_initial_and_trained_models() -> None:
    race = small_race(0)
    start = {k: v.clone() for k, v in race.racers[0].model.state_dict().items()}
    race.step(3)
    initial, trained = race.initial_model(0), race.trained_model(0)
    for key, value in initial.state_dict().items():
        assert torch.equal(value, start[key])
    x = race.held_out()[0]
    with torch.no_grad():
        torch.testing.assert_close(trained(x), race.predict(0, x))
        assert not torch.equal(initial(x), trained(x))


# ---- 8. the two lessons (numbers from the issue)


def test_lesson_hdc_reaches_the_offset_gridding_does_not() -> None:
    d = DEFAULT_RACES["offset"]
    specs = [parse_model_code(c, d.kernel_size, d.width, d.activation) for c in ("conv:1,2,5", "conv:2,2,2")]
    assert [s.code for s in specs] == [c for c in d.models if c in ("conv:1,2,5", "conv:2,2,2")]
    race = Race(OffsetTask(3, 1), specs, seed=0, lr=d.lr)
    race.step(300)
    hdc, gridding = race.eval_losses()
    assert hdc < 0.05
    assert gridding > 0.8
    assert [row.verdict for row in race.rows()] == ["learned", "stuck"]


def test_lesson_a_field_that_covers_the_delay_copies_memory() -> None:
    d = DEFAULT_RACES["memory"]
    specs = [
        parse_model_code(c, d.kernel_size, d.width, d.activation) for c in ("conv:1,2,4,8,16", "conv:1,2,4,8")
    ]
    task = MemoryTask()
    assert task.blank == 24
    race = Race(task, specs, seed=0, lr=d.lr)
    race.step(d.steps)
    covers, short = race.eval_losses()
    assert covers < 0.1 * task.baseline
    assert abs(short - task.baseline) <= 0.05 * task.baseline


# ---- 9. moving, the results table, verdicts, the effective field


def test_race_to_cpu_keeps_training() -> None:
    moved, stayed = small_race(1), small_race(1)
    moved.step(5)
    moved.to("cpu")
    moved.step(5)
    stayed.step(10)
    assert moved.device == torch.device("cpu")
    for a, b in zip(moved.racers, stayed.racers, strict=True):
        assert len(a.losses) == 10 and all(math.isfinite(v) for v in a.losses)
        assert a.losses == b.losses
        for state in a.optimizer.state.values():
            assert all(v.device.type == "cpu" for v in state.values() if isinstance(v, torch.Tensor))


@pytest.mark.parametrize(
    ("task", "codes", "expected"),
    [
        (
            OffsetTask(3, 1, size=8, batch=2),
            ("conv:1,2,5", "conv:2,2,2", "ds:1,2,5", "conv:1,1"),
            # conv:2,2,2 reaches the even offsets of 13 per axis only: 13² - 7² cells are holes
            [(17, 0, "reached"), (13, 13**2 - 7**2, "hole"), (17, 0, "reached"), (5, 0, "outside")],
        ),
        (
            MemoryTask(blank=6, batch=2),
            ("conv:1,2,4,8", "conv:3,3,3,3", "ds:1,2,4"),
            # delay 10; conv:3,3,3,3 reaches the multiples of 3 only, of a field of 13 steps
            [(16, 0, "reached"), (13, 8, "hole"), (8, 0, "outside")],
        ),
    ],
    ids=["offset", "memory"],
)
def test_rows_against_torch_and_the_field(
    task: OffsetTask | MemoryTask, codes: tuple[str, ...], expected: list[tuple[int, int, str]]
) -> None:
    kernel = 2 if task.ndim == 1 else 3
    specs = [spec(c, kernel) for c in codes]
    race = Race(task, specs, seed=2)
    race.step(2)
    x = race.held_out()[0][:1]
    rows, losses = race.rows(), race.eval_losses()
    for row, racer, model_spec, loss in zip(rows, race.racers, specs, losses, strict=True):
        # the racer's own weights in torch's plain modules: a count under the algorithm chooser would also
        # count its trial runs (and space-to-batch's rounded-up phase grids)
        plain = build_model(model_spec, task.ndim, task.in_channels, task.out_channels)
        plain.load_state_dict(racer.model.state_dict())
        params, flops, _ = torch_count(plain, x)
        torch.testing.assert_close(plain(x), racer.model(x), rtol=1e-4, atol=1e-4)
        cost = model_cost(model_spec, task.ndim, task.in_channels, task.out_channels, math.prod(x.shape[2:]))
        assert row.params == params == cost.params
        assert row.macs * 2 == flops and row.macs == cost.macs
        layers = model_layers(model_spec, task.ndim)
        assert row.rf == receptive_field(layers)[-1].size
        counts = coverage(layers) if task.ndim == 1 else coverage_2d(layers)
        assert row.holes == int((counts == 0).sum())
        assert row.reach == reach(model_spec, task)
        assert row.loss == loss and row.verdict == verdict(loss, task.baseline)
        assert (row.code, row.kind, row.rates, row.steps) == (
            model_spec.code,
            model_spec.kind,
            model_spec.rates,
            2,
        )
        assert math.isfinite(row.ms_per_step) and row.ms_per_step > 0
    assert [(r.rf, r.holes, r.reach) for r in rows] == expected


@pytest.mark.parametrize(
    ("loss", "baseline", "expected"),
    [
        (0.0, 1.0, "learned"),
        (0.19, 1.0, "learned"),
        (0.2, 1.0, "learning"),
        (0.5, 1.0, "learning"),
        (0.8, 1.0, "learning"),
        (0.81, 1.0, "stuck"),
        (5.0, 1.0, "stuck"),
        (math.nan, 1.0, "stuck"),
        (math.inf, 1.0, "stuck"),
        (0.1 * math.log(4), math.log(4), "learned"),
        (math.log(4), math.log(4), "stuck"),
    ],
)
def test_verdict_thresholds(loss: float, baseline: float, expected: str) -> None:
    assert verdict(loss, baseline) == expected


@settings(max_examples=20)
@given(
    nspec=st.sampled_from([1, 2]).flatmap(
        lambda n: st.tuples(
            st.just(n), model_specs(n, max_rate=4, max_layers=3, max_width=3, activations=("none",))
        )
    ),
    c_in=st.integers(1, 2),
)
def test_model_erf_of_a_linear_model_is_its_coverage(nspec: tuple[int, ModelSpec], c_in: int) -> None:
    ndim, model_spec = nspec
    layers = model_layers(model_spec, ndim)
    r = receptive_field(layers)[-1].size
    model = all_ones(build_model(model_spec, ndim, c_in, 2)).float()
    erf = model_erf(model, model_spec, ndim, c_in, torch.Generator().manual_seed(0), samples=2)
    assert erf.shape == (r,) * ndim
    assert erf.max() == 1.0
    cov = coverage(layers) if ndim == 1 else coverage_2d(layers)
    assert np.array_equal(erf != 0, cov > 0)


@pytest.mark.parametrize("ndim", [1, 2])
def test_model_erf_of_a_random_model(ndim: int) -> None:
    model_spec = spec("ds:1,3", kernel_size=3, activation="gelu")
    model = build_model(model_spec, ndim, 2, 1)
    r = receptive_field(model_layers(model_spec, ndim))[-1].size
    erf = model_erf(model, model_spec, ndim, 2, torch.Generator().manual_seed(0))
    assert erf.shape == (r,) * ndim and erf.max() == 1.0 and erf.min() >= 0.0
    assert isinstance(model, nn.Module) and model.training  # the caller's model is left as it was


def test_filter_race_compares_with_predicting_zero_on_its_held_out_crops() -> None:
    """Crops can hold more flat areas than the whole image: a race's baseline is its own batch's."""
    image = np.indices((64, 64)).sum(axis=0) % 7 * 1.0
    task = FilterTask(image, "gauss", 2.0, size=8, margin=4)
    race = Race(task, [ModelSpec("conv", (1, 2))], seed=1)
    _, y = race.held_out()
    zero = task.loss(torch.zeros((y.shape[0], 1, 16, 16)), y).item()
    assert race.baseline == pytest.approx(zero, rel=1e-6)
    assert race.rows()[0].verdict == verdict(race.eval_losses()[0], race.baseline)


def test_a_gpu_out_of_memory_moves_the_race_to_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated: the race believes it is on a GPU and the first chunk runs out of memory."""
    race = Race(OffsetTask(1, 1), [ModelSpec("conv", (1,))], seed=0)
    race.device = torch.device("cuda")  # no GPU here: only the fallback path is exercised
    calls = {"n": 0}
    original = Race.run_for

    def fail_once(self: Race, seconds: float, max_steps: int | None = None) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB\nmore details")
        return original(self, seconds, max_steps)

    monkeypatch.setattr(Race, "run_for", fail_once)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    steps, error = race.train_for(0.0, 2)
    assert steps == 0 and error == "CUDA out of memory. Tried to allocate 2.00 GiB"
    assert race.device.type == "cpu"
    steps, error = race.train_for(0.0, 2)
    assert steps >= 1 and error is None and race.steps == steps


def test_out_of_memory_on_the_cpu_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    race = Race(OffsetTask(1, 1), [ModelSpec("conv", (1,))], seed=0)

    def fail(self: Race, seconds: float, max_steps: int | None = None) -> int:
        raise torch.OutOfMemoryError("out of memory")

    monkeypatch.setattr(Race, "run_for", fail)
    with pytest.raises(torch.OutOfMemoryError):
        race.train_for(0.0, 1)


def test_the_filter_holdout_covers_the_image_on_a_grid() -> None:
    image = np.random.default_rng(0).normal(size=(80, 96))
    task = FilterTask(image, "gauss", 2.0, size=8, margin=4)
    a = task.holdout(torch.Generator().manual_seed(1), 32)
    b = task.holdout(torch.Generator().manual_seed(2), 32)
    assert a[0].shape == (25, 1, 16, 16) and a[1].shape == (25, 1, 8, 8)
    torch.testing.assert_close(a[0], b[0], rtol=0, atol=0)  # the same crops whatever the seed
    torch.testing.assert_close(a[0][0], task.image[0, :, :16, :16], rtol=0, atol=0)  # top-left corner
    torch.testing.assert_close(a[0][-1], task.image[0, :, -16:, -16:], rtol=0, atol=0)  # bottom-right


def test_the_held_out_curve_is_recorded_at_step_zero_and_every_few_steps() -> None:
    race = Race(OffsetTask(1, 1), [ModelSpec("conv", (1,)), ModelSpec("ds", (1, 2))], seed=2, eval_every=4)
    race.step(9)
    assert race.eval_steps == [0, 4, 8]
    assert all(len(r.held_out) == 3 for r in race.racers)
    race.step(3)
    assert race.eval_steps[-1] == 12 and [r.held_out[-1] for r in race.racers] == race.eval_losses()
    fresh = Race(OffsetTask(1, 1), [ModelSpec("conv", (1,)), ModelSpec("ds", (1, 2))], seed=2, eval_every=4)
    assert [r.held_out[0] for r in race.racers] == fresh.eval_losses()  # step 0: the initial weights


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([0.6, 0.55, 0.5, 0.52, 0.5, 0.51, 0.5, 0.53, 0.5, 0.5], "plateau"),  # flat for 10 points
        ([0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.52, 0.5], "learning"),  # still falling
        ([0.5] * 9, "learning"),  # too short a curve to tell
        ([0.5] * 9 + [0.1], "learned"),
        ([0.5] * 9 + [0.9], "stuck"),
    ],
)
def test_a_curve_that_stopped_falling_between_the_thresholds_is_a_plateau(
    history: list[float], expected: str
) -> None:
    assert verdict(history[-1], 1.0, history) == expected


def test_race_verdicts_read_the_held_out_curve() -> None:
    race = Race(OffsetTask(1, 1), [ModelSpec("conv", (1,))], seed=0, eval_every=1)
    race.racers[0].held_out[:] = [0.5] * 10
    race.eval_steps[:] = list(range(10))
    race.steps = 9
    race._eval_cache = (9, [0.5])
    assert race.verdicts() == ["plateau"] and race.rows()[0].verdict == "plateau"


@pytest.mark.parametrize("code", ["conv:1,2,5", "conv:2,2,2", "ds:2,4,8", "conv:1"])
def test_model_field_is_the_field_the_rest_of_the_library_counts(code: str) -> None:
    spec = parse_model_code(code)
    task = OffsetTask(3, 1)
    seen = model_field(spec, task)
    layers = model_layers(spec, 2)
    assert seen.rf == receptive_field(layers)[-1].size
    assert seen.holes == int((coverage_2d(layers) == 0).sum()) == hole_count(spec, 2)
    assert seen.reach == reach(spec, task)
