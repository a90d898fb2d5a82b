"""One theme for the projector view: every figure builder takes ``theme``; the standard theme draws what the
builders drew before the theme existed, the projector theme draws every text, line and figure at least as
large (and no figure text under 20 px)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from dsdcn.figures import cost as fc
from dsdcn.figures import imaging as fi
from dsdcn.figures import receptive as fr
from dsdcn.figures import sampling as fsm
from dsdcn.figures import separable as fs
from dsdcn.figures.theme import PROJECTOR, STANDARD, Theme, themed
from dsdcn.sampling import axis_sampling, grid_sampling
from dsdcn.sampling_values import pixel_readers

_C = np.arange(-3, 4, dtype=float)
_LEVEL = np.ones((7, 7))
_HOLE = np.eye(7, dtype=bool)
_GRID_1D = grid_sampling([axis_sampling(9, 3, 1, "same", 2, "zeros")])
_GRID_2D = grid_sampling([axis_sampling(9, 3, 1, "same", 2, "zeros")] * 2)
_GRID_2D_D1 = grid_sampling([axis_sampling(9, 3, 1, "same", 1, "zeros")] * 2)

BUILDERS: dict[str, Callable[[Theme], go.Figure]] = {
    "cost_ratio": lambda th: fc.create_ratio_figure(
        [1, 3, 5], [0.5, 0.2, 0.1], [0.1, 0.1, 0.1], [0.4, 0.1, 0.04], "k", current=3, title="T", theme=th
    ),
    "cost_dilation": lambda th: fc.create_dilation_figure(
        [1, 2, 3],
        ["standard", "separable"],
        [[1, 2, 3], [0.5, 0.6, None]],
        [[0.9, 1.8, 2.7], [0.4, 0.5, None]],
        [[1.1, 2.2, 3.3], [0.6, 0.7, None]],
        mark=2,
        mark_text="m",
        title="T",
        theme=th,
    ),
    "cost_time_flops": lambda th: fc.create_time_vs_flops_figure(
        ["standard", "separable"], [10, 2], [1.0, 0.5], title="T", theme=th
    ),
    "cost_same_rf": lambda th: fc.create_same_rf_figure(
        ["a", "b"], [10, 2], [100, 20], [1.0, None], theme=th
    ),
    "separable": lambda th: fs.create_separable_figure(3, 4, 1, 3, 2, theme=th),
    "standard": lambda th: fs.create_standard_figure(3, 4, 3, 2, theme=th),
    "step": lambda th: fs.create_step_figure(
        np.ones((3, 3)), np.ones((1, 3, 3)), np.ones(1), np.ones((3, 3)), theme=th
    ),
    "stats": lambda th: fi.create_stats_chart(["a", "b"], [1, 2], np.ones((2, 2)), "T", "y", theme=th),
    "response": lambda th: fi.create_response_heatmap(np.arange(9.0).reshape(3, 3) - 4, "T", theme=th),
    "extent": lambda th: fr.extent_figure(["l1", "l2"], [3, 5], [1, 2], "T", theme=th),
    "coverage_map": lambda th: fr.coverage_map(_LEVEL, _HOLE, _C, "T", theme=th),
    "erf_map": lambda th: fr.erf_map(_LEVEL / 2, _LEVEL > 0, _C, "T", theme=th),
    "profile": lambda th: fr.profile_1d(
        _C, np.ones(7) / 2, np.ones(7) / 3, np.arange(7) % 2 == 0, np.ones(7, bool), "T", theme=th
    ),
    "branches": lambda th: fr.branch_maps(["a", "b"], [_LEVEL, _LEVEL], [_HOLE, _HOLE], _C, "T", theme=th),
    "coverage_1d": lambda th: fr.coverage_animation_1d(
        [np.ones(7), np.ones(7)], [np.zeros(7, bool)] * 2, _C, ["l1", "l2"], "T", theme=th
    ),
    "sampling_1d": lambda th: fsm.sampling_panels([_GRID_1D], titles=["a"], theme=th),
    "sampling_compare_2d": lambda th: fsm.sampling_panels(
        [_GRID_2D_D1, _GRID_2D], titles=["a", "b"], theme=th
    ),
    "readers_2d": lambda th: fsm.readers_figure(_GRID_2D, pixel_readers(_GRID_2D, (4, 4)), theme=th),
}


def _sizes(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    # every font size, line width, marker size and height of a plotly dict, by its path
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "template":
                yield from _sizes(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from _sizes(value, f"{path}[{i}]")
    elif isinstance(node, int | float) and not isinstance(node, bool):
        if path.endswith((".size", ".width", "layout.height")) and "error_" not in path:
            yield path, float(node)


def _layout_font(spec: dict) -> float:
    return spec["layout"].get("font", {}).get("size", 12)  # plotly's default where a builder sets none


THEMED = [
    fc.create_ratio_figure,
    fc.create_dilation_figure,
    fc.create_time_vs_flops_figure,
    fc.create_same_rf_figure,
    fs.create_separable_figure,
    fs.create_standard_figure,
    fs.create_step_figure,
    fi.create_stats_chart,
    fi.create_response_heatmap,
    fr.extent_figure,
    fr.coverage_map,
    fr.erf_map,
    fr.profile_1d,
    fr.branch_maps,
    fr.coverage_animation_1d,
    fr.coverage_animation_2d,
    fsm.sampling_panels,
    fsm.readers_figure,
]


@pytest.mark.parametrize("builder", THEMED, ids=lambda b: b.__name__)
def test_every_builder_takes_the_theme_with_the_standard_one_by_default(builder: Callable) -> None:
    default = inspect.signature(builder).parameters["theme"].default
    assert default is STANDARD or (default is None and builder.__module__.endswith("receptive"))


@pytest.mark.parametrize("name", BUILDERS)
def test_the_standard_theme_changes_nothing(name: str) -> None:
    fig = BUILDERS[name](STANDARD)
    before = fig.to_json()
    assert themed(fig, STANDARD) is fig and fig.to_json() == before


@pytest.mark.parametrize("name", BUILDERS)
def test_the_projector_theme_draws_everything_at_least_as_large(name: str) -> None:
    plain = BUILDERS[name](STANDARD).to_plotly_json()
    big = BUILDERS[name](PROJECTOR).to_plotly_json()
    plain_sizes, big_sizes = dict(_sizes(plain)), dict(_sizes(big))
    smaller = {
        path: (size, big_sizes.get(path))
        for path, size in plain_sizes.items()
        if path in big_sizes and big_sizes[path] < size and ".frames" not in path
    }
    assert not smaller
    assert _layout_font(big) >= max(_layout_font(plain), PROJECTOR.font_size)
    if "height" in plain["layout"]:
        assert big["layout"]["height"] >= plain["layout"]["height"]
    for ann in big["layout"].get("annotations", []):
        assert ann.get("font", {}).get("size", 0) >= 20
    for axis in (v for k, v in big["layout"].items() if k.startswith(("xaxis", "yaxis"))):
        assert axis.get("tickfont", {}).get("size", 0) >= 20


def test_the_standard_theme_keeps_the_builders_own_sizes() -> None:
    """The sizes the builders drew before the theme existed, pinned (the standard view is unchanged)."""
    ratio = BUILDERS["cost_ratio"](STANDARD)
    assert ratio.layout.height == 380 and ratio.layout.font.size == 15 and ratio.layout.title.font.size == 17
    assert [tr.line.width for tr in ratio.data] == [3, 2, 2]
    assert BUILDERS["cost_dilation"](STANDARD).layout.height == 420
    step = BUILDERS["step"](STANDARD)
    assert step.layout.height == 260 and step.data[0].textfont.size == 14
    assert BUILDERS["stats"](STANDARD).layout.height == 420
    extent = BUILDERS["extent"](STANDARD)
    assert extent.layout.height == 460 and extent.layout.paper_bgcolor is None  # no white style here
    assert BUILDERS["coverage_map"](STANDARD).layout.height == 520


def test_the_projector_theme_sizes() -> None:
    sep_plain, sep_big = BUILDERS["separable"](STANDARD), BUILDERS["separable"](PROJECTOR)
    # a drawing sized by its width hint keeps its height; thin lines grow in proportion (1.8×)
    assert sep_big.layout.height == sep_plain.layout.height
    for a, b in zip(sep_plain.data, sep_big.data, strict=True):
        if a.line.width is not None:
            assert b.line.width == pytest.approx(a.line.width * PROJECTOR.line_width / STANDARD.line_width)
    step = BUILDERS["step"](PROJECTOR)
    assert step.data[0].textfont.size == 22 and step.layout.height == PROJECTOR.tall(260)
    ratio = BUILDERS["cost_ratio"](PROJECTOR)
    assert ratio.layout.title.font.size == PROJECTOR.title_size
    assert all(tr.line.width >= PROJECTOR.line_width for tr in ratio.data)  # drawn lines: the theme's width
    profile = BUILDERS["profile"](PROJECTOR)
    assert profile.layout.paper_bgcolor == "white"  # white paper in the projector view (theme=None there)
    sampling = BUILDERS["sampling_1d"](PROJECTOR)
    to_output = [tr for tr in sampling.data if tr.name == "to output"]
    assert to_output and all(tr.line.width == PROJECTOR.line_width for tr in to_output)
    assert all(tr.line.width == 0 for tr in sampling.data if tr.name in ("taps", "taps in padding"))


def test_theme_helpers() -> None:
    assert STANDARD.growth == 1 and STANDARD.tall(380) == 380 and STANDARD.text(13) == 13
    assert PROJECTOR.growth > 1.35  # figures at least as tall as the projector view's old 1.35×
    assert PROJECTOR.tall(380) == PROJECTOR.height and PROJECTOR.text(14) == PROJECTOR.font_size
    fig = go.Figure(go.Scatter(y=[1, 2], line={"width": 0.5}), layout={"height": 300})
    assert themed(fig, STANDARD).to_plotly_json() == go.Figure(fig).to_plotly_json()
    big = themed(go.Figure(fig), PROJECTOR)
    assert big.data[0].line.width == pytest.approx(0.9) and big.layout.height == PROJECTOR.tall(300)
    assert big.data[0].marker.size == PROJECTOR.marker_size  # plotly's 6 grown, at least the theme's size
