"""Field views (``dsdcn.fieldmap``): field positions against torch, binned and 2D views, unions,
growth tables and path counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given

from dsdcn import (
    PRESETS,
    Layer,
    branch_fields,
    causal_stack,
    coverage,
    dilated_stack,
    gridding,
    path_counts,
    receptive_field,
    stack_field,
    union_field,
)
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

from .receptive_ref import stacks_st


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
        with pytest.raises(ValueError, match="must not be empty"):
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
