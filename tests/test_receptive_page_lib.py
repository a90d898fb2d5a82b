"""Library of the Receptive field page: ERF, HDC rule, gridding verdict, schedule search, presets,
stack parsing, field views and figures. Checked against torch itself wherever torch can say it."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from dsdcn import (
    PRESETS,
    Layer,
    branch_fields,
    causal_stack,
    coverage,
    coverage_2d,
    dilated_stack,
    effective_receptive_field,
    gridding,
    hdc_rule,
    mass_share,
    parse_rates,
    parse_stack,
    path_counts,
    receptive_field,
    stack_field,
    suggest_schedule,
    union_field,
)
from dsdcn.erf import erf_cost, mass_mask
from dsdcn.fieldmap import (
    bin_mean,
    check_extent,
    field_start,
    field_view,
    frame_indices,
    grid_for,
    growth_table,
    layer_views,
    normalized_profile,
    prefix_fields,
    union_holes_2d,
    union_view_2d,
)
from dsdcn.figures import receptive as figs
from dsdcn.schedule import hdc_scope, hole_runs
from dsdcn.stack import stack_rows

CPU = torch.device("cpu")

# ---------------------------------------------------------------- helpers (torch as the reference)


def torch_gradient_1d(layers, n: int, index: int, weights=None, pool="avg") -> np.ndarray:
    """|d out[index] / d input| of a 1-channel conv1d stack with the layers' own padding (zeros)."""
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    h = x + 1.0
    for i, layer in enumerate(layers):
        if layer.kind == "pool":
            if pool == "avg":
                w = torch.full((1, 1, layer.kernel_size), 1.0 / layer.kernel_size, dtype=torch.float64)
            else:
                raise AssertionError(pool)
        elif weights is None:
            w = torch.ones(1, 1, layer.kernel_size, dtype=torch.float64)
        else:
            w = weights[i]
        h = F.conv1d(h, w, stride=layer.stride, dilation=layer.dilation, padding=layer.padding)
    h[0, 0, index].backward()
    return x.grad[0, 0].abs().numpy()


def random_weights(layers, seed: int) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return [torch.rand(1, 1, la.kernel_size, generator=gen, dtype=torch.float64) + 0.5 for la in layers]


layer_st = st.builds(
    Layer,
    kernel_size=st.integers(1, 4),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 4),
    padding=st.integers(0, 3),
    kind=st.sampled_from(["conv", "conv", "pool"]),
)
stacks_st = st.lists(layer_st, min_size=1, max_size=4)


# ---------------------------------------------------------------- effective receptive field


class TestERF:
    def test_hand_check_uniform_is_path_count(self) -> None:
        # {0, 2, 4} + {0, 1, 2}: offsets 0..6 reached by 1, 1, 2, 1, 2, 1, 1 paths
        stack = [Layer(3, 1, 2), Layer(3, 1, 1)]
        erf = effective_receptive_field(stack, ndim=1, weights="uniform", relu=False, device=CPU)
        assert erf.grad.tolist() == [1, 1, 2, 1, 2, 1, 1]
        erf2 = effective_receptive_field(stack, ndim=2, weights="uniform", relu=False, device=CPU)
        np.testing.assert_allclose(erf2.grad, np.outer(erf.grad, erf.grad))

    @given(stacks_st, st.integers(1, 3))
    def test_uniform_no_relu_proportional_to_coverage(self, layers, channels) -> None:
        erf = effective_receptive_field(
            layers, ndim=1, weights="uniform", relu=False, channels=channels, device=CPU
        )
        counts = coverage(layers).astype(np.float64)
        np.testing.assert_allclose(erf.grad / erf.grad.sum(), counts / counts.sum(), rtol=1e-5, atol=1e-12)

    def test_uniform_no_relu_equals_coverage_2d(self) -> None:
        layers = PRESETS["context"].layers
        erf = effective_receptive_field(layers, ndim=2, weights="uniform", relu=False, device=CPU)
        np.testing.assert_allclose(erf.grad, coverage_2d(layers).astype(np.float64), rtol=1e-5)

    @given(stacks_st, st.integers(0, 1000))
    def test_support_equals_coverage_support_random(self, layers, seed) -> None:
        erf = effective_receptive_field(
            layers, ndim=1, weights="random", relu=False, samples=2, seed=seed, device=CPU
        )
        assert np.array_equal(erf.grad > 0, coverage(layers) > 0)

    @given(stacks_st, st.integers(0, 1000))
    def test_against_an_independent_torch_stack(self, layers, seed) -> None:
        # the one output of an input one field wide is an interior output of a large padded input
        rf = receptive_field(layers)
        r, j, p = rf[-1].size, rf[-1].stride, rf[-1].padding
        weights = random_weights(layers, seed)
        n = r + 2 * p + 4 * j + 8
        index = (p + 2 * j + 3) // j + 1
        start = index * j - p
        assert start >= 0 and start + r <= n
        ref = torch_gradient_1d(layers, n, index, weights)
        mine = effective_receptive_field(layers, ndim=1, weights="uniform", relu=False, device=CPU).grad
        # support and field position agree with torch; with uniform weights the values agree too
        assert np.array_equal(ref[start : start + r] > 0, mine > 0)
        assert not ref[:start].any() and not ref[start + r :].any()
        ref_uniform = torch_gradient_1d(layers, n, index)
        np.testing.assert_allclose(ref_uniform[start : start + r], mine, rtol=1e-6)

    def test_gridding_holes_get_no_gradient_with_relu(self) -> None:
        layers = PRESETS["gridding"].layers
        erf = effective_receptive_field(
            layers, ndim=2, weights="random", relu=True, samples=4, seed=3, device=CPU
        )
        odd = np.arange(erf.grad.shape[0]) % 2 == 1
        assert not erf.grad[odd].any() and not erf.grad[:, odd].any()
        assert erf.grad[~odd][:, ~odd].min() > 0

    def test_relu_changes_the_field(self) -> None:
        layers = dilated_stack([1, 1, 1])
        lin = effective_receptive_field(layers, ndim=2, weights="uniform", relu=False, device=CPU)
        nonlin = effective_receptive_field(
            layers, ndim=2, weights="uniform", relu=True, samples=4, device=CPU
        )
        assert nonlin.samples == 4 and lin.samples == 1
        assert not np.allclose(lin.normalized, nonlin.normalized)

    def test_seeded_and_reproducible(self) -> None:
        layers = dilated_stack([1, 2, 5])
        a = effective_receptive_field(layers, ndim=2, weights="random", relu=True, seed=7, device=CPU)
        b = effective_receptive_field(layers, ndim=2, weights="random", relu=True, seed=7, device=CPU)
        c = effective_receptive_field(layers, ndim=2, weights="random", relu=True, seed=8, device=CPU)
        np.testing.assert_array_equal(a.grad, b.grad)
        assert not np.array_equal(a.grad, c.grad)

    def test_deep_plain_stack_is_concentrated(self) -> None:
        # Luo et al.: for n plain layers the effective field fills a shrinking share of the extent
        shares = [
            mass_share(
                effective_receptive_field(dilated_stack([1] * n), 2, "random", True, 4, 4, device=CPU).grad
            )
            for n in (2, 8, 20)
        ]
        assert shares[0] > shares[1] > shares[2]
        assert shares[2] < 0.4

    def test_huge_path_counts_stay_finite(self) -> None:
        layers = [Layer(9, 1, 1)] * 20  # 9**40 paths at the centre in 2D: float64 is used
        erf = effective_receptive_field(layers, ndim=2, weights="uniform", relu=False, channels=1, device=CPU)
        exact = coverage_2d(layers)
        assert np.isfinite(erf.grad).all()
        centre = exact.shape[0] // 2
        assert math.isclose(erf.grad[centre, centre], float(exact[centre, centre]), rel_tol=1e-9)

    def test_pool_with_dilation(self) -> None:
        layers = [Layer(2, 2, 1, 0, "pool"), Layer(3, 1, 2, 0, "pool")]
        erf = effective_receptive_field(layers, ndim=1, weights="uniform", relu=False, device=CPU)
        counts = coverage(layers).astype(float)
        np.testing.assert_allclose(erf.grad, counts / (2 * 3))

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"ndim": 3}, "ndim"),
            ({"weights": "ones"}, "weights"),
            ({"channels": 0}, "channels"),
            ({"samples": 0}, "samples"),
            ({"seed": -1}, "seed"),
        ],
    )
    def test_bad_arguments(self, kwargs, match) -> None:
        with pytest.raises(ValueError, match=match):
            effective_receptive_field([Layer(3)], device=CPU, **kwargs)

    @pytest.mark.parametrize("key, ndim", [("vgg", 2), ("aspp", 1), ("context", 2), ("wavenet", 1)])
    def test_cost_against_torch_flop_counter(self, key, ndim) -> None:
        from torch.utils.flop_counter import FlopCounterMode

        layers = PRESETS[key].layers
        c, b = 3, 2
        r = receptive_field(layers)[-1].size
        conv = F.conv1d if ndim == 1 else F.conv2d
        h = torch.zeros(1, b * c, *([r] * ndim))
        with FlopCounterMode(display=False) as counter:
            for la in layers:
                shape = (b * c, 1 if la.kind == "pool" else c, *([la.kernel_size] * ndim))
                groups = b * c if la.kind == "pool" else b
                h = conv(h, torch.zeros(shape), stride=la.stride, dilation=la.dilation, groups=groups)
        assert h.shape[-1] == 1
        assert erf_cost(layers, ndim, c, b) * 2 == counter.get_total_flops()

    def test_extent_limit(self) -> None:
        with pytest.raises(ValueError, match="too large"):
            effective_receptive_field(dilated_stack([512] * 2), ndim=2, device=CPU)

    def test_default_device_is_picked(self) -> None:
        erf = effective_receptive_field([Layer(3)], ndim=1)
        assert erf.device in ("cpu", "cuda", "cuda:0", "mps")


class TestMassShare:
    def test_hand_values(self) -> None:
        assert mass_share(np.array([8.0, 1.0, 1.0, 0.0]), 0.8) == 0.25
        assert mass_share(np.array([8.0, 1.0, 1.0, 0.0]), 0.85) == 0.5
        assert mass_share(np.ones(20), 0.95) == 0.95
        assert mass_share(np.zeros(3)) == 0.0

    def test_mask_holds_the_mass(self) -> None:
        rng = np.random.default_rng(0)
        values = rng.random((17, 17)) ** 4
        mask = mass_mask(values, 0.95)
        assert values[mask].sum() >= 0.95 * values.sum()
        assert mask.sum() == round(mass_share(values, 0.95) * values.size)
        # the smallest such set: dropping its smallest entry loses the mass
        assert values[mask].sum() - values[mask].min() < 0.95 * values.sum()

    @pytest.mark.parametrize("mass", [0.0, 1.5])
    def test_bad_mass(self, mass) -> None:
        with pytest.raises(ValueError, match="mass"):
            mass_share(np.ones(3), mass)

    def test_negative(self) -> None:
        with pytest.raises(ValueError, match="non-negative"):
            mass_share(np.array([1.0, -1.0]))


# ---------------------------------------------------------------- HDC rule and gridding verdict


class TestHDC:
    def test_paper_examples(self) -> None:
        ok = hdc_rule([1, 2, 5], 3)
        assert ok.m2 == 2 and ok.passes
        bad = hdc_rule([1, 2, 9], 3)
        assert bad.m2 == 5 and bad.passes is False

    def test_steps(self) -> None:
        rule = hdc_rule([1, 2, 9], 3)
        assert [(s.i, s.m) for s in rule.steps] == [(3, 9), (2, 5)]
        assert rule.steps[1].candidates == (5, -5, 2)
        assert rule.steps[0].candidates is None

    def test_paper_examples_agree_with_coverage(self) -> None:
        assert gridding(dilated_stack([1, 2, 5])).holes_1d == 0
        assert gridding(dilated_stack([1, 2, 9])).holes_1d > 0

    def test_rule_misses_gridding_when_first_rate_is_not_one(self) -> None:
        rule = hdc_rule([2, 2, 2], 3)
        assert rule.passes and not rule.first_rate_is_one and rule.common_factor == 2
        assert gridding(dilated_stack([2, 2, 2])).holes_1d == 6

    def test_rule_depends_on_order_coverage_does_not(self) -> None:
        assert hdc_rule([1, 3, 9], 3).passes and not hdc_rule([9, 3, 1], 3).passes
        assert hdc_rule([9, 3, 1], 3).m2 == 5
        assert gridding(dilated_stack([9, 3, 1])).holes_1d == gridding(dilated_stack([1, 3, 9])).holes_1d == 0

    def test_single_layer(self) -> None:
        rule = hdc_rule([4], 3)
        assert rule.m2 is None and rule.passes is None

    def test_bad_rates(self) -> None:
        with pytest.raises(ValueError, match="rate"):
            hdc_rule([], 3)
        with pytest.raises(ValueError, match="rate 2"):
            hdc_rule([1, 0], 3)

    def test_scope(self) -> None:
        assert hdc_scope(dilated_stack([1, 2, 5])) == ""
        assert "pooling" in hdc_scope(PRESETS["vgg"].layers)
        assert "strided" in hdc_scope([Layer(3, 2)])
        assert "kernel sizes" in hdc_scope([Layer(3), Layer(5)])
        assert "empty" in hdc_scope([])


class TestGridding:
    def test_two_two_two(self) -> None:
        g = gridding(PRESETS["gridding"].layers)
        assert g.extent == 13 and g.start == -6
        assert g.offsets == (-5, -3, -1, 1, 3, 5)
        assert g.runs == ((-5, -5), (-3, -3), (-1, -1), (1, 1), (3, 3), (5, 5))
        assert g.holes_2d == 169 - 49 and g.pixels_2d == 169

    def test_2d_holes_match_the_outer_product(self) -> None:
        layers = dilated_stack([1, 3, 7])
        g = gridding(layers)
        assert g.holes_2d == int((coverage_2d(layers) == 0).sum())

    def test_causal_offsets(self) -> None:
        g = gridding(causal_stack([2, 2], 2), causal=True)
        assert g.start == -4 and g.offsets == (-3, -1)

    def test_hole_runs(self) -> None:
        assert hole_runs([]) == ()
        assert hole_runs([1, 2, 3, 7]) == ((1, 3), (7, 7))


# ---------------------------------------------------------------- schedule search


def brute_force_best(n: int, k: int, dmax: int) -> int:
    """Largest hole-free extent over every schedule (any order), by exact coverage."""
    best = 0
    for dil in itertools.product(range(1, dmax + 1), repeat=n):
        counts = coverage([Layer(k, 1, d) for d in dil])
        if counts.all():
            best = max(best, counts.size)
    return best


def torch_reaches_everything(dilations, k: int, seed: int = 0) -> bool:
    """A real conv1d stack with positive random weights: does every input offset get gradient?"""
    layers = [Layer(k, 1, d) for d in dilations]
    r = receptive_field(layers)[-1].size
    grad = torch_gradient_1d(layers, r, 0, random_weights(layers, seed))
    return bool((grad > 0).all())


class TestSuggest:
    @pytest.mark.parametrize(
        "n, k, dmax", [(n, k, d) for n in (1, 2, 3) for k in (2, 3) for d in (1, 2, 4, 6)]
    )
    def test_matches_exhaustive_search(self, n, k, dmax) -> None:
        s = suggest_schedule(n, k, dmax)
        assert s.extent == brute_force_best(n, k, dmax)

    def test_four_layers_exhaustive(self) -> None:
        assert suggest_schedule(4, 3, 7).extent == brute_force_best(4, 3, 7)

    @given(st.integers(1, 12), st.integers(2, 7), st.integers(1, 600))
    def test_no_holes_by_coverage(self, n, k, dmax) -> None:
        s = suggest_schedule(n, k, dmax)
        assert len(s.dilations) == n and max(s.dilations) <= dmax
        assert list(s.dilations) == sorted(s.dilations)
        counts = coverage([Layer(k, 1, d) for d in s.dilations])
        assert counts.size == s.extent and counts.all()

    @pytest.mark.parametrize("n, k, dmax", [(3, 3, 8), (4, 3, 5), (5, 2, 16), (3, 5, 9), (6, 3, 4)])
    def test_no_holes_by_torch_gradient(self, n, k, dmax) -> None:
        s = suggest_schedule(n, k, dmax)
        assert torch_reaches_everything(s.dilations, k)
        erf = effective_receptive_field(
            dilated_stack(s.dilations, k), ndim=2, weights="random", relu=True, device=CPU
        )
        assert (erf.grad > 0).all()

    @given(st.lists(st.integers(1, 12), min_size=1, max_size=5), st.integers(2, 4))
    def test_never_beaten_by_a_random_hole_free_schedule(self, dilations, k) -> None:
        counts = coverage([Layer(k, 1, d) for d in dilations])
        if counts.all():
            assert suggest_schedule(len(dilations), k, max(dilations)).extent >= counts.size

    def test_classic_answers(self) -> None:
        assert suggest_schedule(3, 3, 16).dilations == (1, 3, 9)
        assert suggest_schedule(10, 2, 512).dilations == tuple(2**i for i in range(10))

    def test_large_search_is_fast(self) -> None:
        assert suggest_schedule(32, 15, 4096).visited < 1000
        s = suggest_schedule(20, 3, 4096)
        assert s.visited < 1000 and coverage([Layer(3, 1, d) for d in s.dilations]).all()

    @pytest.mark.parametrize(
        "args, match",
        [
            ((0, 3, 4), "n_layers"),
            ((33, 3, 4), "n_layers"),
            ((3, 1, 4), "kernel_size"),
            ((3, 16, 4), "kernel_size"),
            ((3, 3, 0), "max_dilation"),
            ((3, 3, 5000), "max_dilation"),
        ],
    )
    def test_bad_arguments(self, args, match) -> None:
        with pytest.raises(ValueError, match=match):
            suggest_schedule(*args)


# ---------------------------------------------------------------- presets


def torch_stack_2d(layers, x: torch.Tensor) -> torch.Tensor:
    """Run the stack as real torch layers (1 channel, ones weights, average pooling)."""
    for layer in layers:
        if layer.kind == "pool":
            x = F.avg_pool2d(x, layer.kernel_size, layer.stride, layer.padding, count_include_pad=True)
            assert layer.dilation == 1
        else:
            w = torch.ones(1, 1, layer.kernel_size, layer.kernel_size, dtype=x.dtype)
            x = F.conv2d(x, w, stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
    return x


class TestPresets:
    EXPECTED = {  # extent, effective stride, holes per axis
        "plain": (9, 1, 0),
        "gridding": (13, 1, 6),
        "hdc": (17, 1, 0),
        "sawtooth": (33, 1, 0),
        "context": (67, 1, 0),
        "wavenet": (1024, 1, 0),
        "aspp": (203, 16, 0),
        "vgg": (196, 16, 0),
    }

    def test_all_there(self) -> None:
        assert set(PRESETS) == set(self.EXPECTED)

    @pytest.mark.parametrize("key", sorted(EXPECTED))
    def test_extent_stride_holes(self, key) -> None:
        preset = PRESETS[key]
        rf = receptive_field(preset.layers)[-1]
        g = gridding(preset.layers, preset.causal)
        assert (rf.size, rf.stride, g.holes_1d) == self.EXPECTED[key]
        assert parse_stack(stack_rows(preset.layers)).layers == preset.layers

    def test_dilations(self) -> None:
        assert [la.dilation for la in PRESETS["context"].layers] == [1, 1, 2, 4, 8, 16, 1]
        assert [la.dilation for la in PRESETS["sawtooth"].layers] == [1, 2, 5, 1, 2, 5]
        wave = PRESETS["wavenet"]
        assert wave.mode == "1d" and wave.causal and {la.kernel_size for la in wave.layers} == {2}
        assert [la.dilation for la in wave.layers] == [2**i for i in range(10)]
        assert PRESETS["aspp"].branch_rates == (6, 12, 18)
        assert sum(la.kind == "pool" for la in PRESETS["vgg"].layers) == 4

    @pytest.mark.parametrize("key", ["aspp", "vgg"])
    def test_output_stride_and_field_in_real_torch(self, key) -> None:
        layers = PRESETS[key].layers
        rf = receptive_field(layers)[-1]
        n = 512
        x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)
        out = torch_stack_2d(layers, x + 1.0)
        assert math.ceil(n / out.shape[-1]) in (16, 17)  # output stride 16
        i = out.shape[-1] // 2
        out[0, 0, i, i].backward()
        rows = np.flatnonzero(x.grad[0, 0].abs().sum(dim=1).numpy() > 0)
        assert rows.size == rf.size and rows[0] == i * rf.stride - rf.padding == i * 16 + field_start(layers)

    def test_aspp_branches(self) -> None:
        branches = branch_fields(PRESETS["aspp"].layers, PRESETS["aspp"].branch_rates)
        assert [b.tap_gap for b in branches] == [96, 192, 288]
        assert [b.holes for b in branches] == [0, 0, 170]
        assert [b.field.counts.size for b in branches] == [395, 587, 779]
        union = union_field([b.field for b in branches])
        assert union.holes == 0 and union.counts.size == 779
        # the union of the three branch fields, as torch sees it: one output reading all branches
        start = min(b.field.start for b in branches)
        for b in branches:
            lo = b.field.start - start
            assert (union.counts[lo : lo + b.field.counts.size] >= b.field.counts).all()


# ---------------------------------------------------------------- stack parsing


class TestParse:
    def test_valid_rows_and_cell_types(self) -> None:
        rows = [
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 2, "padding": 2},
            {"kind": "pool", "kernel": 2.0, "stride": "2", "dilation": 1, "padding": 0},
            {"kind": None, "kernel": np.int64(5), "stride": 1.0, "dilation": 1, "padding": 2},
        ]
        parsed = parse_stack(rows)
        assert parsed.problems == ()
        assert parsed.layers == (Layer(3, 1, 2, 2), Layer(2, 2, 1, 0, "pool"), Layer(5, 1, 1, 2))
        assert parsed.rows == (1, 2, 3)

    def test_bad_rows_are_left_out_with_a_message(self) -> None:
        rows = [
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": float("nan"), "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": 3, "stride": 0, "dilation": 1, "padding": 1},
            {"kind": "deconv", "kernel": 3, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": 2.5, "stride": 1, "dilation": 1, "padding": 1},
            {"kind": "conv", "kernel": "three", "stride": 1, "dilation": 1, "padding": 1},
            {"kind": None, "kernel": None, "stride": None, "dilation": None, "padding": None},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 99999, "padding": 1},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 1, "padding": -1},
            {"kind": "conv", "kernel": 3, "stride": 1, "dilation": 2, "padding": 2},
        ]
        parsed = parse_stack(rows)
        assert parsed.rows == (1, 10)
        messages = {p.row: p.message for p in parsed.problems}
        assert "kernel is empty" in messages[2]
        assert "stride must be from 1 to 16, got 0" in messages[3]
        assert "kind must be conv or pool" in messages[4]
        assert "whole number" in messages[5] and "whole number" in messages[6]
        assert messages[7] == "the row is empty"
        assert "dilation must be from 1 to 4096" in messages[8]
        assert "padding must be from 0" in messages[9]

    def test_max_layers(self) -> None:
        parsed = parse_stack(stack_rows([Layer(3)] * 5), max_layers=3)
        assert len(parsed.layers) == 3 and [p.row for p in parsed.problems] == [4, 5]

    def test_rates(self) -> None:
        assert parse_rates("") == ()
        assert parse_rates(" 6, 12 ;18 ") == (6, 12, 18)
        for bad, match in (
            ("6, x", "whole numbers"),
            ("0", "from 1"),
            ("1 " * 9, "at most 8"),
            ("-3", "whole"),
        ):
            with pytest.raises(ValueError, match=match):
                parse_rates(bad)


# ---------------------------------------------------------------- field views


class TestFields:
    @given(stacks_st)
    def test_symmetric_field_start_against_torch(self, layers) -> None:
        rf = receptive_field(layers)[-1]
        n = rf.size + 2 * rf.padding + 6 * rf.stride + 8
        x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
        h = x + 1.0
        for la in layers:
            if la.padding * 2 + n < la.effective_kernel_size:
                return
            w = torch.ones(1, 1, la.kernel_size, dtype=torch.float64) / la.kernel_size
            h = F.conv1d(h, w, stride=la.stride, dilation=la.dilation, padding=la.padding)
        i = h.shape[-1] // 2
        h[0, 0, i].backward()
        support = np.flatnonzero(x.grad[0, 0].numpy() > 0)
        start = i * rf.stride + field_start(layers)
        lo, hi = max(start, 0), min(start + rf.size, n)
        expected = stack_field(layers).counts[lo - start : hi - start]
        assert np.array_equal(support, lo + np.flatnonzero(expected > 0))

    @pytest.mark.parametrize("dilations, k", [([1, 2, 4, 8], 2), ([1, 2, 3], 3)])
    def test_causal_field_against_torch(self, dilations, k) -> None:
        layers = causal_stack(dilations, k)
        r = receptive_field(layers)[-1].size
        n = 3 * r
        x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
        h = x + 1.0
        for la in layers:
            h = F.conv1d(
                F.pad(h, (la.padding, 0)), torch.ones(1, 1, k, dtype=torch.float64), dilation=la.dilation
            )
        assert h.shape[-1] == n
        t = 2 * r
        h[0, 0, t].backward()
        support = np.flatnonzero(x.grad[0, 0].numpy() > 0)
        assert support[0] == t + field_start(layers, causal=True) and support[-1] == t

    def test_prefix_fields_and_views(self) -> None:
        layers = PRESETS["gridding"].layers
        fields = prefix_fields(layers)
        assert [f.start for f in fields] == [-2, -4, -6] and [f.counts.size for f in fields] == [5, 9, 13]
        views = layer_views(layers, max_cells=201)
        assert all(v.block == 1 and v.level.size == 13 for v in views)
        first = views[0]
        assert first.inside.tolist() == [False] * 4 + [True] * 5 + [False] * 4
        assert first.hole.tolist() == [False] * 5 + [True, False, True] + [False] * 5
        assert np.isnan(first.level[0]) and first.level[6] == 0.0
        np.testing.assert_allclose(views[-1].level_2d()[6, 6], 2 * math.log10(coverage(layers)[6]))
        assert views[-1].hole_2d().sum() == 120

    def test_binned_view(self) -> None:
        field = stack_field(dilated_stack([1, 8]))
        grid = grid_for(field.start, field.stop, 5)
        assert grid == (field.start, 4, 5)
        view = field_view(field, grid)
        counts = field.counts  # 1 1 1 0 0 0 0 0 1 1 1 0 0 0 0 0 1 1 1 (19 offsets)
        assert counts.tolist() == [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1]
        assert view.hole.tolist() == [False, True, False, True, False]
        assert view.inside.all() and view.centres.tolist() == [-7.5, -3.5, 0.5, 4.5, 8.5]
        with pytest.raises(ValueError, match="grid"):
            field_view(field, (0, 1, 3))

    def test_union(self) -> None:
        a = stack_field([Layer(3, 1, 1, 1)])
        b = stack_field([Layer(3, 1, 3, 3)])
        u = union_field([a, b])
        assert u.start == -3 and u.counts.tolist() == [1, 0, 1, 2, 1, 0, 1]
        with pytest.raises(ValueError):
            union_field([])

    def test_union_in_2d_against_the_sum_of_outer_products(self) -> None:
        branches = branch_fields(PRESETS["aspp"].layers, PRESETS["aspp"].branch_rates)
        fields = [b.field for b in branches]
        union = union_field(fields)
        n = union.counts.size
        total = np.zeros((n, n))
        for f in fields:
            c = np.zeros(n)
            c[f.start - union.start : f.stop - union.start] = f.counts
            total += np.outer(c, c)
        assert union.holes == 0 and union_holes_2d(fields) == int((total == 0).sum()) == 65280
        level, hole = union_view_2d(fields, grid_for(union.start, union.stop, n))
        assert np.array_equal(hole, total == 0)
        np.testing.assert_allclose(level, np.log10(np.where(total > 0, total, np.nan)))
        # binned: a cell is a hole exactly when all its pixels are
        grid = grid_for(union.start, union.stop, 100)
        _, block, cells = grid
        level, hole = union_view_2d(fields, grid)
        padded = np.zeros((cells * block, cells * block), dtype=bool)
        padded[:n, :n] = total > 0
        any_reached = padded.reshape(cells, block, cells, block).any(axis=(1, 3))
        assert block > 1 and np.array_equal(hole, ~any_reached)
        assert branches[2].field.holes_2d == 779**2 - (779 - 170) ** 2
        with pytest.raises(ValueError, match="fields"):
            union_holes_2d([fields[0]] * 9)

    def test_growth_table(self) -> None:
        layers = PRESETS["aspp"].layers
        rows = growth_table(layers)
        rf = receptive_field(layers)
        assert [r.rf for r in rows] == rf
        assert 1 + sum(r.term for r in rows) == rf[-1].size
        assert [r.jump_in for r in rows][:3] == [1, 2, 4]
        assert growth_table(PRESETS["gridding"].layers)[-1].holes == 6

    def test_bin_mean_and_profile(self) -> None:
        np.testing.assert_allclose(bin_mean(np.arange(16.0).reshape(4, 4), 2), [[2.5, 4.5], [10.5, 12.5]])
        np.testing.assert_allclose(bin_mean(np.ones((3, 3)), 2), np.ones((2, 2)))
        assert normalized_profile(np.zeros(4)).tolist() == [0, 0, 0, 0]

    def test_frame_indices(self) -> None:
        assert frame_indices(3, 24) == [0, 1, 2]
        picks = frame_indices(64, 24)
        assert len(picks) == 24 and picks[0] == 0 and picks[-1] == 63
        assert frame_indices(5, 1) == [4]

    def test_check_extent(self) -> None:
        assert check_extent([Layer(3)])[-1].size == 3
        with pytest.raises(ValueError, match="spans"):
            check_extent([Layer(3, 16)] * 6 + [Layer(3, 1, 4096)])
        with pytest.raises(ValueError, match="additions"):
            check_extent([Layer(31, 1, 4096)] * 13)

    @given(stacks_st)
    def test_path_counts_equal_coverage(self, layers) -> None:
        counts = path_counts(layers)
        assert counts.dtype == np.int64 and np.array_equal(counts, coverage(layers))

    def test_path_counts_beyond_int64(self) -> None:
        layers = [Layer(9, 1, 1)] * 21 + [Layer(9, 1, 3)]  # 9**22 > 2**62: coverage needs Python ints
        exact = coverage(layers)
        fast = path_counts(layers)
        assert exact.dtype == object and fast.dtype == np.float64
        np.testing.assert_allclose(fast, exact.astype(float), rtol=1e-12)
        assert np.array_equal(fast == 0, exact == 0)
        assert gridding(layers).holes_1d == int((exact == 0).sum())
        assert path_counts([]).tolist() == [1]

    def test_layer_views_subset(self) -> None:
        layers = PRESETS["context"].layers
        every = layer_views(layers)
        some = layer_views(layers, indices=[0, 6])
        assert len(some) == 2
        np.testing.assert_array_equal(some[1].level, every[6].level)
        np.testing.assert_array_equal(some[0].hole, every[0].hole)

    def test_twenty_layers_large_dilations(self) -> None:
        layers = dilated_stack([1, 2, 4, 8, 16, 32, 64, 128, 256, 512] * 2)
        views = layer_views(layers, max_cells=129)
        assert len(views) == 20 and views[-1].level.size <= 129
        assert gridding(layers).holes_1d == 0


# ---------------------------------------------------------------- figures


class TestFigures:
    def test_coverage_animation_2d(self) -> None:
        views = layer_views(PRESETS["gridding"].layers)
        fig = figs.coverage_animation_2d(
            [v.level_2d() for v in views],
            [v.hole_2d() for v in views],
            views[-1].centres,
            ["a", "b", "c"],
            "t",
        )
        assert len(fig.frames) == 3 and fig.layout.sliders[0].active == 2
        z = np.asarray(fig.data[0].z)
        zmin = fig.data[0].zmin
        holes = z < 0
        assert holes.sum() == 120 and np.allclose(z[holes], zmin / 2)
        first = np.asarray(fig.frames[0].data[0].z)
        assert np.isnan(first).sum() == 169 - 25  # outside the first layer's 5x5 field
        json.loads(fig.to_json())

    def test_coverage_animation_1d(self) -> None:
        views = layer_views(PRESETS["wavenet"].layers, causal=True, max_cells=1024)
        fig = figs.coverage_animation_1d(
            [v.level for v in views],
            [v.hole for v in views],
            views[-1].centres,
            [str(i) for i in range(10)],
            "t",
        )
        assert len(fig.frames) == 10
        z0 = np.asarray(fig.frames[0].data[0].z)
        assert np.isnan(z0[1:]).all() and not np.isnan(z0[0]).all()

    def test_maps_and_profile(self) -> None:
        layers = PRESETS["hdc"].layers
        view = field_view(stack_field(layers), grid_for(-8, 9, 257))
        erf = effective_receptive_field(layers, ndim=2, device=CPU)
        fig = figs.erf_map(erf.normalized, mass_mask(erf.grad), view.centres, "e")
        assert fig.data[0].zmax == 1.0 and len(fig.data) == 2
        cov = figs.coverage_map(view.level_2d(), view.hole_2d(), view.centres, "c")
        assert np.nanmax(np.asarray(cov.data[0].z)) == pytest.approx(
            np.log10(coverage_2d(layers).max()), rel=1e-6
        )
        prof = figs.profile_1d(
            view.centres, normalized_profile(stack_field(layers).counts), None, view.hole, None, "p"
        )
        assert len(prof.data) == 1

    def test_outline_of_one_cell_is_its_square(self) -> None:
        mask = np.zeros((3, 3), dtype=bool)
        mask[1, 1] = True
        fig = figs.erf_map(np.eye(3), mask, np.array([-1.0, 0.0, 1.0]), "e")
        xs, ys = np.asarray(fig.data[1].x, dtype=float), np.asarray(fig.data[1].y, dtype=float)
        assert np.isnan(xs).sum() == 4  # four edges
        corners = {(x, y) for x, y in zip(xs, ys, strict=True) if not np.isnan(x)}
        assert corners == {(-0.5, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.5, 0.5)}

    def test_extent_figure_log_axis(self) -> None:
        rf = receptive_field(PRESETS["wavenet"].layers)
        fig = figs.extent_figure(
            [str(i) for i in range(10)], [r.size for r in rf], [r.stride for r in rf], "x"
        )
        assert fig.layout.yaxis.type == "log"
        assert list(fig.data[0].y) == [r.size for r in rf]

    def test_branch_maps(self) -> None:
        branches = branch_fields(PRESETS["aspp"].layers, (6, 18))
        union = union_field([b.field for b in branches])
        grid = grid_for(union.start, union.stop, 161)
        views = [field_view(b.field, grid) for b in branches]
        fig = figs.branch_maps(
            ["6", "18"], [v.level_2d() for v in views], [v.hole_2d() for v in views], views[0].centres, "b"
        )
        assert len(fig.data) == 2 and fig.data[1].showscale and not fig.data[0].showscale
        assert (np.asarray(fig.data[1].z) < 0).any() and not (np.asarray(fig.data[0].z) < 0).any()
