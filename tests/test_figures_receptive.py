"""Receptive field figures (``dsdcn.figures.receptive``): compared as figure data, never rendered."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dsdcn import (
    PRESETS,
    branch_fields,
    coverage_2d,
    effective_receptive_field,
    receptive_field,
    stack_field,
    union_field,
)
from dsdcn.erf import mass_mask
from dsdcn.fieldmap import (
    field_view,
    grid_for,
    layer_views,
    normalized_profile,
)
from dsdcn.figures import receptive as figs

from .receptive_ref import CPU


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
        # HDC 1, 2, 5 on one axis, by hand: taps {-1,0,1} + {-2,0,2} + {-5,0,5} reach offsets -8..8 by
        # 1 or 2 paths; the profile is scaled so the largest is 1 (float64, rtol 1e-12)
        counts = np.array([1, 1, 2, 1, 2, 2, 2, 2, 1, 2, 2, 2, 2, 1, 2, 1, 1])
        np.testing.assert_array_equal(np.asarray(prof.data[0].x, dtype=float), np.arange(-8, 9))
        np.testing.assert_allclose(np.asarray(prof.data[0].y, dtype=float), counts / 2, rtol=1e-12)

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
