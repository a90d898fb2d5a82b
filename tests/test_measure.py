"""Counted cost, measurement and the separable step-through, checked against torch itself."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from dsdcn import measure as ms
from dsdcn.cost import CONV_KINDS, separable_ratio, separable_ratio_terms
from dsdcn.device import available_devices, available_memory, cpu_threads, synchronize
from dsdcn.layers import DSDilatedConv2d
from dsdcn.separable import (
    composed_kernel,
    equivalent_standard_conv,
    integer_module,
    separable_costs,
    step_through,
)

from .torch_count import torch_count

paddings = st.one_of(st.just("same"), st.just("valid"), st.integers(0, 3))


class TestFormulaEqualsCounted:
    @given(
        kind=st.sampled_from(CONV_KINDS),
        c_in=st.integers(1, 6),
        c_out=st.integers(1, 6),
        k=st.integers(1, 5),
        d=st.integers(1, 3),
        s=st.integers(1, 3),
        m=st.integers(1, 3),
        h=st.integers(1, 14),
        w=st.integers(1, 14),
        batch=st.integers(1, 2),
        padding=paddings,
        bias=st.booleans(),
    )
    def test_real_modules_on_cpu(self, kind, c_in, c_out, k, d, s, m, h, w, batch, padding, bias) -> None:
        spec = ms.LayerSpec(kind, c_in, c_out, k, d, s, m, padding, bias)
        try:
            formula = ms.formula_cost(spec, h, w)
        except ValueError:
            assume(False)
        module = ms.build_module(spec, "cpu", generator=torch.Generator().manual_seed(0))
        x = torch.randn(batch, c_in, h, w, generator=torch.Generator().manual_seed(1))
        params, flops, shape = torch_count(module, x)
        assert params == formula.params
        assert flops == 2 * formula.macs * batch  # the counter ignores bias
        assert shape == (batch, formula.out_channels, formula.out_height, formula.out_width)
        assert ms.counted_cost(spec, h, w, batch) == ms.Counted(params, flops, shape)

    @given(
        kind=st.sampled_from(CONV_KINDS),
        c_in=st.integers(1, 512),
        c_out=st.integers(1, 512),
        k=st.integers(1, 9),
        d=st.integers(1, 16),
        s=st.integers(1, 4),
        m=st.integers(1, 4),
        h=st.integers(1, 1024),
        w=st.integers(1, 1024),
        batch=st.integers(1, 64),
    )
    def test_large_shapes_on_meta(self, kind, c_in, c_out, k, d, s, m, h, w, batch) -> None:
        spec = ms.LayerSpec(kind, c_in, c_out, k, d, s, m)
        formula = ms.formula_cost(spec, h, w)
        counted = ms.counted_cost(spec, h, w, batch)
        assert counted.params == formula.params
        assert counted.flops == formula.flops * batch
        assert counted.macs == formula.macs * batch
        assert counted.output_shape == (batch, formula.out_channels, formula.out_height, formula.out_width)

    @pytest.mark.parametrize("c_in", [1, 4, 32])
    def test_backward_count_of_grouped_conv_is_wrong(self, c_in) -> None:
        # why only the forward count is shown: the counter ignores groups in the weight gradient, so a
        # depthwise layer's backward comes out as grad_input + C_in x grad_weight (truth: 2 x forward)
        module = ms.build_module(ms.LayerSpec("depthwise", c_in, c_in, 3))
        x = torch.randn(1, c_in, 16, 16, requires_grad=True)
        with FlopCounterMode(display=False) as counter:
            module(x).sum().backward()
        counts = {str(op): n for op, n in counter.get_flop_counts()["Global"].items()}
        forward = ms.counted_cost(ms.LayerSpec("depthwise", c_in, c_in, 3), 16, 16).flops
        assert counts["aten.convolution"] == forward
        assert counts["aten.convolution_backward"] == forward * (1 + c_in)

    def test_stack_sums_its_layers(self) -> None:
        stack = [
            ms.LayerSpec("standard", 3, 8, 3),
            ms.LayerSpec("separable", 8, 5, 3, dilation=2, depth_multiplier=2),
        ]
        x = torch.randn(2, 3, 11, 13)
        params, flops, shape = torch_count(ms.build_module(stack), x)
        formula = ms.formula_cost(stack, 11, 13)
        assert (params, flops) == (formula.params, 2 * formula.macs * 2)
        assert shape == (2, 5, 11, 13)

    def test_stack_channels_must_chain(self) -> None:
        with pytest.raises(ValueError, match=r"specs\[1\].in_channels"):
            ms.formula_cost([ms.LayerSpec("standard", 3, 8, 3), ms.LayerSpec("standard", 4, 8, 3)], 8, 8)
        with pytest.raises(ValueError, match="at least one"):
            ms.formula_cost([], 8, 8)


class TestModules:
    def test_depthwise_really_is_grouped(self) -> None:
        dw = ms.build_module(ms.LayerSpec("depthwise", 6, 99, 3, 2, depth_multiplier=2))
        assert isinstance(dw, nn.Conv2d) and dw.groups == 6 and dw.out_channels == 12
        sep = ms.build_module(ms.LayerSpec("separable", 6, 4, 3, 2))
        assert isinstance(sep, DSDilatedConv2d) and sep.depthwise.groups == 6

    def test_same_padding_any_stride_gives_ceil(self) -> None:
        # even effective kernel: asymmetric "same" padding through an explicit ZeroPad2d
        for kind in CONV_KINDS:
            spec = ms.LayerSpec(kind, 2, 3, 4, 1, 3)
            y = ms.build_module(spec)(torch.randn(1, 2, 10, 11))
            assert tuple(y.shape[2:]) == (4, 4)

    def test_weights_come_from_the_generator_only(self) -> None:
        spec = ms.LayerSpec("separable", 3, 4, 3)
        a = ms.build_module(spec, generator=torch.Generator().manual_seed(5))
        state = torch.random.get_rng_state()
        b = ms.build_module(spec, generator=torch.Generator().manual_seed(5))
        assert torch.equal(state, torch.random.get_rng_state())
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))

    def test_meta_allocates_nothing(self) -> None:
        module = ms.build_module(ms.LayerSpec("standard", 4096, 4096, 9), device="meta")
        assert module.weight.device.type == "meta"

    def test_spec_checks_its_arguments(self) -> None:
        with pytest.raises(ValueError, match="kind must be one of"):
            ms.LayerSpec("dilated", 1, 1)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="dilation must be at least 1"):
            ms.LayerSpec("standard", 1, 1, 3, 0)
        with pytest.raises(ValueError, match="padding"):
            ms.LayerSpec("standard", 1, 1, 3, padding="full")  # type: ignore[arg-type]

    def test_kernel_wider_than_input_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="wider than the padded input"):
            ms.counted_cost(ms.LayerSpec("standard", 1, 1, 5, 3, padding="valid"), 8, 8)


class TestRatio:
    @given(c_in=st.integers(1, 64), c_out=st.integers(1, 1024), k=st.integers(1, 11), m=st.integers(1, 4))
    def test_exact_for_any_multiplier(self, c_in, c_out, k, m) -> None:
        # counted weights of the real modules, as exact fractions
        sep = ms.build_module(ms.LayerSpec("separable", c_in, c_out, k, depth_multiplier=m), "meta")
        std = ms.build_module(ms.LayerSpec("standard", c_in, c_out, k), "meta")
        exact = Fraction(sum(p.numel() for p in sep.parameters()), sum(p.numel() for p in std.parameters()))
        assert exact == Fraction(m, c_out) + Fraction(m, k * k)
        assert separable_ratio(c_out, k, m) == pytest.approx(float(exact), rel=1e-12)

    def test_sweeps_follow_the_formula(self) -> None:
        ks = [1, 3, 5, 7, 9]
        assert ms.ratio_sweep_k(16, 64, ks, 2) == pytest.approx([separable_ratio(64, k, 2) for k in ks])
        cs = [1, 8, 256]
        assert ms.ratio_sweep_out_channels(16, cs, 3) == pytest.approx([separable_ratio(c, 3) for c in cs])

    def test_terms_add_up(self) -> None:
        first, second = separable_ratio_terms(64, 3, 2)
        assert (first, second) == (2 / 64, 2 / 9)
        assert first + second == pytest.approx(separable_ratio(64, 3, 2))

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValueError, match="out_channels must be at least 1"):
            separable_ratio(0, 3)
        with pytest.raises(ValueError, match="kernel_size must be at least 1"):
            separable_ratio_terms(4, 0)


class TestSeparableStages:
    @given(
        c_in=st.integers(1, 16),
        c_out=st.integers(1, 16),
        k=st.integers(1, 7),
        d=st.integers(1, 4),
        m=st.integers(1, 3),
        n=st.integers(1, 20),
    )
    def test_stage_costs_match_the_real_stages(self, c_in, c_out, k, d, m, n) -> None:
        costs = separable_costs(c_in, c_out, k, d, m, n, n)
        module = DSDilatedConv2d(c_in, c_out, k, d, depth_multiplier=m)
        x = torch.randn(1, c_in, n, n)
        left, right = module.pad
        xp = F.pad(x, (left, right, left, right)) if left != right else x
        with torch.no_grad(), FlopCounterMode(display=False) as fc_dw:
            mid = module.depthwise(xp)
        with torch.no_grad(), FlopCounterMode(display=False) as fc_pw:
            module.pointwise(mid)
        assert costs.depthwise.params == module.depthwise.weight.numel()
        assert costs.pointwise.params == module.pointwise.weight.numel()
        assert 2 * costs.depthwise.macs == fc_dw.get_total_flops()
        assert 2 * costs.pointwise.macs == fc_pw.get_total_flops()
        assert costs.separable.params == costs.depthwise.params + costs.pointwise.params
        assert costs.separable.macs == costs.depthwise.macs + costs.pointwise.macs
        assert costs.standard.params == nn.Conv2d(c_in, c_out, k, bias=False).weight.numel()
        naive = nn.Conv2d(c_in, c_in * m, k, bias=False).weight.numel() + module.pointwise.weight.numel()
        assert costs.naive.params == naive
        assert costs.ratio == pytest.approx(costs.ratio_formula, rel=1e-12)
        assert costs.share(costs.separable) == pytest.approx(costs.ratio, rel=1e-12)
        assert costs.share(costs.standard) == 1.0

    def test_per_position_macs_equal_weights(self) -> None:
        costs = separable_costs(32, 64, 3, 4)
        assert costs.separable.macs == costs.separable.params == 32 * 9 + 32 * 64


class TestStepThrough:
    @given(
        c_in=st.integers(1, 5),
        c_out=st.integers(1, 5),
        k=st.integers(1, 5),
        d=st.integers(1, 3),
        m=st.integers(1, 3),
        n=st.integers(1, 12),
        data=st.data(),
    )
    def test_both_ways_equal_the_module(self, c_in, c_out, k, d, m, n, data) -> None:
        g = torch.Generator().manual_seed(data.draw(st.integers(0, 1000)))
        module = integer_module(c_in, c_out, k, d, m, generator=g)
        x = torch.randint(-3, 4, (1, c_in, n, n), generator=g).float()
        o = data.draw(st.integers(0, c_out - 1))
        r, c = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
        s = step_through(module, x, o, r, c)
        with torch.no_grad():
            expected = float(module(x)[0, o, r, c])
        # integer weights and inputs: every sum is exact, so all four agree to the bit
        assert s.separable_value == s.standard_value == s.module_value == s.standard_module_value == expected
        np.testing.assert_array_equal(s.intermediate, s.intermediate_module)
        np.testing.assert_array_equal(s.separable_terms, s.standard_terms)

    def test_float_weights_agree_to_rounding(self) -> None:
        g = torch.Generator().manual_seed(3)
        module = DSDilatedConv2d(4, 6, 3, dilation=2, depth_multiplier=2).eval()
        with torch.no_grad():
            for p in module.parameters():
                p.copy_(torch.randn(p.shape, generator=g))
        x = torch.randn(1, 4, 9, 9, generator=g)
        s = step_through(module, x, 5, 0, 8)
        assert s.separable_value == pytest.approx(s.module_value, abs=1e-4)
        assert s.standard_value == pytest.approx(s.standard_module_value, abs=1e-4)

    def test_patch_reads_padding_as_zero(self) -> None:
        module = integer_module(1, 1, 3, 2)
        x = torch.arange(1.0, 26.0).reshape(1, 1, 5, 5)
        s = step_through(module, x, 0, 0, 0)
        assert s.rows.tolist() == [-2, 0, 2]
        assert s.patch[0].tolist() == [[0, 0, 0], [0, 1, 3], [0, 11, 13]]

    def test_equivalent_conv_with_bias_and_stride(self) -> None:
        module = DSDilatedConv2d(3, 4, 4, dilation=2, stride=2, depth_multiplier=2, bias=True).eval()
        x = torch.randn(2, 3, 13, 13)
        with torch.no_grad():
            torch.testing.assert_close(equivalent_standard_conv(module)(x), module(x), rtol=1e-4, atol=1e-5)

    def test_composed_kernel_shape(self) -> None:
        module = DSDilatedConv2d(3, 5, 3, depth_multiplier=2)
        assert tuple(composed_kernel(module).shape) == (5, 3, 3, 3)

    def test_bad_arguments(self) -> None:
        module = integer_module(2, 3, 3)
        x = torch.zeros(1, 2, 5, 5)
        with pytest.raises(ValueError, match="out_channel must be below C_out = 3"):
            step_through(module, x, 3, 0, 0)
        with pytest.raises(ValueError, match="row and col must be below"):
            step_through(module, x, 0, 5, 0)
        with pytest.raises(ValueError, match=r"x must have shape \(1, 2, H, W\)"):
            step_through(module, torch.zeros(1, 3, 5, 5), 0, 0, 0)
        with pytest.raises(ValueError, match="no bias"):
            step_through(DSDilatedConv2d(2, 3, bias=True), x, 0, 0, 0)


class TestMemoryAndRefusal:
    def test_estimate_covers_the_tensors(self) -> None:
        spec = ms.LayerSpec("separable", 8, 16, 3, 2)
        est = ms.memory_estimate(spec, 20, 20, 2)
        tensors = (2 * 8 * 400) + (2 * 16 * 400) + (2 * 8 * 400) + (8 * 9 + 8 * 16)
        assert est >= tensors * 4
        assert ms.memory_estimate(spec, 20, 20, 2, torch.float16) == est // 2

    def test_traffic_by_hand(self) -> None:
        spec = ms.LayerSpec("pointwise", 4, 8)
        assert ms.traffic_bytes(spec, 10, 10, 3) == 4 * (3 * 4 * 100 + 32 + 3 * 8 * 100)

    def test_arithmetic_intensity(self) -> None:
        dw = ms.LayerSpec("depthwise", 8, 8, 3)
        # depthwise: 2*k^2 FLOPs per output value, about one value read and one written (4 bytes each)
        assert 2.0 < ms.arithmetic_intensity(dw, 32, 32) < 9 * 2 / 8 + 0.01
        assert ms.arithmetic_intensity(ms.LayerSpec("standard", 64, 64, 3), 32, 32) > 50

    def test_too_big_is_refused_before_allocation(self, monkeypatch) -> None:
        def boom(*args, **kwargs):
            raise AssertionError("allocated")

        monkeypatch.setattr(ms, "build_module", boom)
        monkeypatch.setattr(ms.torch, "randn", boom)
        spec = ms.LayerSpec("standard", 1024, 1024, 3)
        with pytest.raises(ms.MeasurementRefused, match=r"needs about .* on CPU, but only .* is free"):
            ms.measure_latency(spec, 4096, 4096, batch=64)

    def test_limit_uses_the_given_free_memory(self) -> None:
        spec = ms.LayerSpec("depthwise", 4, 4)
        need = ms.memory_estimate(spec, 16, 16)
        assert ms.check_fits(spec, 16, 16, 1, "cpu", available=2 * need) == need
        with pytest.raises(ms.MeasurementRefused, match="reduce the batch"):
            ms.check_fits(spec, 16, 16, 1, "cpu", available=2 * need - 1)

    def test_too_many_flops_is_refused(self) -> None:
        spec = ms.LayerSpec("standard", 512, 512, 7)
        with pytest.raises(ms.MeasurementRefused, match="GFLOP allowed per run on CPU"):
            ms.check_fits(spec, 224, 224, 1, "cpu", available=2**50)
        with pytest.raises(ms.MeasurementRefused, match="float16"):
            ms.check_fits(
                ms.LayerSpec("standard", 64, 64, 3), 112, 112, 1, "cpu", torch.float16, available=2**50
            )

    def test_format_bytes(self) -> None:
        assert ms.format_bytes(1536) == "1.5 KiB"
        assert ms.format_bytes(100) == "100 B"
        assert ms.format_bytes(3 * 2**30) == "3.0 GiB"


class TestTiming:
    def test_warmup_and_repeats(self) -> None:
        calls = []
        t = ms.time_runs(lambda: calls.append(1), "cpu", warmup=3, repeats=7)
        assert len(calls) == 10 and t.runs == 7 and t.warmup == 3
        assert t.best <= t.q1 <= t.median <= t.q3 <= t.worst

    def test_noisy(self) -> None:
        assert not ms.Timing((1.0, 1.1, 1.2, 1.0), 0).noisy()
        assert ms.Timing((1.0, 1.0, 5.0, 5.0), 0).noisy()

    def test_time_budget_stops_early_but_keeps_the_minimum(self) -> None:
        t = ms.time_runs(lambda: sum(range(1000)), "cpu", warmup=0, repeats=1000, max_seconds=1e-9)
        assert t.runs == 3

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValueError, match="repeats must be at least 1"):
            ms.time_runs(lambda: None, repeats=0)
        with pytest.raises(ValueError, match="max_seconds must be positive"):
            ms.time_runs(lambda: None, max_seconds=0)

    @pytest.mark.parametrize("kind", CONV_KINDS)
    def test_measure_small_shape_on_cpu(self, kind) -> None:
        spec = ms.LayerSpec(kind, 4, 8, 3, 2)
        result = ms.measure_latency(spec, 12, 12, batch=2, repeats=3, warmup=1, threads=1)
        assert result.timing.runs == 3 and result.threads == 1
        assert result.flops == 2 * spec.cost(12, 12).macs * 2
        assert result.traffic == ms.traffic_bytes(spec, 12, 12, 2)
        assert result.gflops_per_s > 0 and result.gb_per_s > 0

    def test_measure_channels_last_and_bfloat16(self) -> None:
        spec = ms.LayerSpec("separable", 4, 8, 3, 2)
        result = ms.measure_latency(spec, 8, 8, dtype="bfloat16", memory_format="channels_last", repeats=2)
        assert (result.dtype, result.memory_format) == ("bfloat16", "channels_last")
        with pytest.raises(ValueError, match="dtype must be one of"):
            ms.measure_latency(spec, 8, 8, dtype="float64")
        with pytest.raises(ValueError, match="memory_format must be one of"):
            ms.measure_latency(spec, 8, 8, memory_format="nhwc")

    def test_supported_dtypes_on_cpu(self) -> None:
        assert ms.supported_dtypes("cpu")[0] == "float32"
        assert ms.parse_dtype("float16") is torch.float16
        assert ms.dtype_name(torch.bfloat16) == "bfloat16"


class TestSameReceptiveField:
    @pytest.mark.parametrize(("k", "d"), [(3, 1), (3, 2), (3, 5), (5, 3), (4, 3), (1, 4)])
    def test_extent_of_the_real_modules(self, k, d) -> None:
        # an impulse through each option (positive weights): the output's nonzero span is the extent
        options = ms.same_receptive_field(2, 3, k, d)
        assert [o.name for o in options] == ["dense", "dilated", "stack", "separable"]
        extent = d * (k - 1) + 1
        n = 2 * extent + 9
        x = torch.zeros(1, 2, n, n)
        x[0, :, n // 2, n // 2] = 1.0
        for option in options:
            module = ms.build_module(option.specs)
            with torch.no_grad():
                for p in module.parameters():
                    p.copy_(p.abs() + 0.1)
                y = module(x)[0, 0]
            hit = torch.nonzero((y != 0).any(dim=0)).flatten()  # columns an output reads the impulse in
            assert int(hit.max() - hit.min()) + 1 == option.extent
            if option.name == "stack":
                assert option.extent in (extent, extent + 1) or extent == 1
            else:
                assert option.extent == extent

    def test_dilation_leaves_cost_unchanged(self) -> None:
        options = {o.name: o for o in ms.same_receptive_field(16, 32, 3, 6)}
        dense = ms.formula_cost(options["dense"].specs, 40, 40)
        dilated = ms.formula_cost(options["dilated"].specs, 40, 40)
        assert dilated.params == 16 * 32 * 9 and dense.params == 16 * 32 * 13 * 13
        assert len(options["stack"].specs) == 6

    def test_slowdown(self) -> None:
        assert ms.slowdown([2.0, 4.0, None, 1.0]) == [1.0, 2.0, None, 0.5]
        assert ms.slowdown([None, 1.0]) == [None, None]
        assert ms.slowdown([]) == []

    def test_dilation_sweep_specs(self) -> None:
        specs = ms.dilation_sweep_specs(8, 16, 3, [1, 2])
        assert [(s.kind, s.dilation) for s in specs] == [
            ("depthwise", 1),
            ("depthwise", 2),
            ("standard", 1),
            ("standard", 2),
        ]


class TestDevice:
    def test_cpu_is_always_there(self) -> None:
        assert available_devices()[-1] == "cpu"
        free = available_memory(torch.device("cpu"))
        assert free is None or free > 0
        synchronize(torch.device("cpu"))

    def test_cpu_threads_restores(self) -> None:
        before = torch.get_num_threads()
        with cpu_threads(1):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == before
        with pytest.raises(ValueError, match="threads must be a positive integer"):
            with cpu_threads(0):
                pass
