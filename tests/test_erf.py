"""The effective receptive field (``dsdcn.erf``): gradients of real torch stacks, mass shares, cost."""

from __future__ import annotations

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
    coverage,
    coverage_2d,
    dilated_stack,
    effective_receptive_field,
    mass_share,
    receptive_field,
)
from dsdcn.erf import erf_cost, mass_mask

from .receptive_ref import CPU, random_weights, stacks_st, torch_gradient_1d


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
        # the defaults (uniform weights, no ReLU) on whatever device: one path to each of the 3 taps
        np.testing.assert_allclose(erf.grad, [1.0, 1.0, 1.0], rtol=1e-6)


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
