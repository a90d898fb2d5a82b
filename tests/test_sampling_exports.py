"""Slide-ready exports of the Sampling grid: the GIF at slide size and the PNG of the picked view
decode (Pillow), are at least 1280 pixels wide and carry their texts."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from dsdcn.figures.sampling_gif import (
    PALETTE,
    SLIDE_WIDTH_PX,
    SlideText,
    cjk_font,
    gif_frame_count,
    sampling_gif,
    sampling_png,
)
from dsdcn.sampling import GridSampling, axis_sampling, grid_sampling

LEGEND = (
    ("pixel", "input pixel"),
    ("tap", "tap (number = kernel position m)"),
    ("current", "the picked output"),
)
SLIDE = SlideText(
    "Sampling grid: 3×3 kernel, d = 2", "n = 7, k = 3, d = 2, s = 1, p = 2|2, padding mode = reflect", LEGEND
)


def _grid(
    n: int = 7, k: int = 3, s: int = 1, padding="same", d: int = 2, mode="reflect", ndim: int = 2
) -> GridSampling:
    return grid_sampling([axis_sampling(n, k, s, padding, d, mode)] * ndim)


def _decode(data: bytes, fmt: str) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == fmt
    image.load()
    return image


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 16)}


@pytest.mark.parametrize(
    "grid",
    [
        _grid(),
        _grid(ndim=1),
        _grid(n=32, k=11, d=16, s=8, mode="replicate"),
        _grid(n=1, k=1, d=1, padding="valid"),
    ],
    ids=["2d", "1d", "largest", "smallest"],
)
def test_slide_gif_is_wide_and_decodes(grid: GridSampling) -> None:
    image = _decode(sampling_gif(grid, slide=SLIDE), "GIF")
    assert image.width >= SLIDE_WIDTH_PX
    assert image.n_frames == gif_frame_count(grid)
    for i in range(image.n_frames):  # every frame decodes at the same size
        image.seek(i)
        assert image.size[0] >= SLIDE_WIDTH_PX
    assert PALETTE["tap"] in _colours(image.copy())  # the legend's chip, at least


def test_plain_gif_keeps_its_size() -> None:
    plain = _decode(sampling_gif(_grid()), "GIF")
    assert plain.width < SLIDE_WIDTH_PX  # the slide option only changes the slide export


def test_slide_gif_with_the_compare_panel() -> None:
    grid, one = _grid(), _grid(d=1)
    image = _decode(sampling_gif(grid, compare_with=one, slide=SLIDE), "GIF")
    assert image.width >= SLIDE_WIDTH_PX and image.n_frames == gif_frame_count(grid, compare_with=one)


@pytest.mark.parametrize("ndim", [1, 2])
def test_png_of_the_picked_view(ndim: int) -> None:
    grid = _grid(ndim=ndim)
    position = (1,) * ndim
    slide = _decode(sampling_png(grid, position, slide=SLIDE), "PNG")
    assert slide.width >= SLIDE_WIDTH_PX and slide.height > 300
    plain = _decode(sampling_png(grid, position), "PNG")
    assert plain.width < slide.width
    colours = _colours(slide)
    assert {PALETTE["tap"], PALETTE["current"], PALETTE["pad_copy"]} <= colours
    assert PALETTE["done"] not in colours | _colours(plain)  # a picked view has no outputs done


def test_png_outside_the_output_raises() -> None:
    with pytest.raises(ValueError):
        sampling_png(_grid(), (7, 0))


def test_the_texts_are_drawn() -> None:
    """A slide with texts differs from one without them, above and below the panels."""
    grid = _grid()
    bare = np.asarray(_decode(sampling_png(grid, (0, 0), slide=SlideText("", "", ())), "PNG").convert("L"))
    full = np.asarray(_decode(sampling_png(grid, (0, 0), slide=SLIDE), "PNG").convert("L"))
    assert (bare[:60] == 255).all() and (full[:60] < 128).any()  # the title
    assert full.shape[0] > bare.shape[0]  # the legend's row


@pytest.mark.skipif(cjk_font() is None, reason="no font with Chinese characters on this machine")
def test_chinese_texts_with_a_cjk_font() -> None:
    slide = SlideText(
        "采样网格：3×3 卷积核，d = 2", "填充方式 = reflect（镜像）", (("tap", "采样点"),), cjk_font()
    )
    image = _decode(sampling_png(_grid(), (0, 0), slide=slide), "PNG")
    assert image.width >= SLIDE_WIDTH_PX
