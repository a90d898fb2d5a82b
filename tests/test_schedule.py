"""HDC rule, gridding verdict and schedule search (``dsdcn.schedule``), checked by exact coverage
and by the gradient of real torch stacks."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsdcn import (
    PRESETS,
    Layer,
    causal_stack,
    coverage,
    coverage_2d,
    dilated_stack,
    effective_receptive_field,
    gridding,
    hdc_rule,
    receptive_field,
    suggest_schedule,
)
from dsdcn.schedule import hdc_scope, hole_runs

from .receptive_ref import CPU, random_weights, torch_gradient_1d


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
