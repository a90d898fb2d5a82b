"""The sampling-grid animation as an animated GIF, drawn with Pillow (no browser, no plotly).

One frame per animated output position: the same positions as the page's figure,
:func:`dsdcn.figures.sampling.compare_frames` (all of them, or :func:`~dsdcn.figures.sampling.frame_budget`
evenly spread ones when there are more).
Each frame shows the padded input with the taps of that output numbered by kernel position (row-major,
as in the figure), the dilated kernel's span as an outline, the pixels that padding taps copy outlined,
and the output filling in. With ``compare_with`` (the same kernel at dilation 1) both panels move
together, as the page's compare view does, aligned by output position (a panel with no output at a
frame's position shows no window): stacked in 1D with input index 0 aligned, side by side in 2D, with
the same cell size. Text is ASCII only ("d = 2 (3)"), so the GIF needs no font for any language.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..sampling import GridSampling
from .sampling import COLORS, compare_frames, done_before

# palette index of each colour (index 0 is the background)
_PALETTE_NAMES = (
    "background",
    "pixel",
    "unread",
    "pad_zero",
    "pad_copy",
    "tap",
    "tap_pad",
    "copy",
    "pending",
    "done",
    "current",
    "text",
    "number",
)
_RGB_OVERRIDES = {"background": "#ffffff", "number": "#ffffff"}
PALETTE: dict[str, tuple[int, int, int]] = {
    name: tuple(int(h[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[misc]
    for name, h in ((n, _RGB_OVERRIDES.get(n) or COLORS[n]) for n in _PALETTE_NAMES)
}
_INDEX = {name: i for i, name in enumerate(_PALETTE_NAMES)}
HEADER_PX = 30
MARGIN_PX = 12
MIN_NUMBER_CELL_PX = 14  # smaller cells carry no tap numbers
MIN_WIDTH_PX = 240  # room for a panel's header, however narrow its grid
MAX_CELL_PX = 40  # cells of the plain GIF are at most this wide
SLIDE_WIDTH_PX = 1280  # slide exports: at least this wide (a 16:9 slide at 720p)
SLIDE_MAX_CELL_PX = 64
SLIDE_MAX_PANEL_HEIGHT_PX = 560


@dataclass(frozen=True)
class GifLayout:
    """Where the cells of a sampling GIF lie (pixels; boxes are ``(x0, y0, x1, y1)``, end exclusive)."""

    ndim: int
    cell_w: int
    cell_h: int
    width: int
    height: int
    in_x0: int  # left edge of padded input column -pad_left
    in_y0: int  # top edge of padded input row -pad_top (2D) or of the input row (1D)
    out_x0: int  # 2D: left edge of output column 0
    out_y0: int  # top edge of output row 0 (2D) or of the output row (1D)
    pad_left: int
    pad_top: int
    out_left: tuple[int, ...]  # 1D: left edge of each output cell

    def input_cell(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Box of input cell ``(row, col)`` (input indices: negative or past the end is padding; 1D: row 0)."""
        x0 = self.in_x0 + (col + self.pad_left) * self.cell_w
        y0 = self.in_y0 + ((row + self.pad_top) * self.cell_h if self.ndim == 2 else 0)
        return x0, y0, x0 + self.cell_w, y0 + self.cell_h

    def output_cell(self, position: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Box of an output cell (``(i,)`` in 1D, ``(row, col)`` in 2D)."""
        if self.ndim == 1:
            x0 = self.out_left[position[0]]
            return x0, self.out_y0, x0 + self.cell_w, self.out_y0 + self.cell_h
        x0 = self.out_x0 + position[1] * self.cell_w
        y0 = self.out_y0 + position[0] * self.cell_h
        return x0, y0, x0 + self.cell_w, y0 + self.cell_h


def _fit_cell(grid: GridSampling, width_px: int, max_height_px: int) -> float:
    """The cell size (pixels, before clipping) at which ``grid`` fills ``width_px`` × ``max_height_px``."""
    cols = grid.axes[-1]
    if grid.ndim == 2:
        gap_cells = max(2, round(0.06 * (cols.padded_size + cols.out)))
        span_w = cols.padded_size + gap_cells + cols.out
        return min(
            (width_px - 2 * MARGIN_PX) / span_w,
            (max_height_px - HEADER_PX - MARGIN_PX) / grid.axes[0].padded_size,
        )
    return (width_px - 2 * MARGIN_PX) / cols.padded_size


def gif_layout(
    grid: GridSampling,
    width_px: int = 900,
    max_height_px: int = 640,
    cell_px: int | None = None,
    max_cell_px: int = MAX_CELL_PX,
) -> GifLayout:
    """Cell sizes and positions of the GIF for ``grid`` (cells are 3 to ``max_cell_px`` pixels wide,
    or ``cell_px``)."""
    cols = grid.axes[-1]
    fit = int(np.clip(_fit_cell(grid, width_px, max_height_px), 3, max_cell_px))
    cell = int(cell_px) if cell_px is not None else fit
    if grid.ndim == 2:
        rows = grid.axes[0]
        gap_cells = max(2, round(0.06 * (cols.padded_size + cols.out)))
        span_w = cols.padded_size + gap_cells + cols.out
        return GifLayout(
            ndim=2,
            cell_w=cell,
            cell_h=cell,
            width=max(MIN_WIDTH_PX, 2 * MARGIN_PX + span_w * cell),
            height=HEADER_PX + rows.padded_size * cell + MARGIN_PX,
            in_x0=MARGIN_PX,
            in_y0=HEADER_PX,
            out_x0=MARGIN_PX + (cols.padded_size + gap_cells) * cell,
            out_y0=HEADER_PX,
            pad_left=cols.pad_left,
            pad_top=rows.pad_left,
            out_left=(),
        )
    cell_h = max(cell, 28)
    out_x = cols.taps[:, 0] + (cols.k_eff - 1) / 2.0  # under the middle of each window, as in the figure
    out_left = tuple(int(round(MARGIN_PX + (x + cols.pad_left) * cell)) for x in out_x)
    return GifLayout(
        ndim=1,
        cell_w=cell,
        cell_h=cell_h,
        width=max(MIN_WIDTH_PX, 2 * MARGIN_PX + cols.padded_size * cell),
        height=HEADER_PX + 3 * cell_h + MARGIN_PX,
        in_x0=MARGIN_PX,
        in_y0=HEADER_PX,
        out_x0=MARGIN_PX,
        out_y0=HEADER_PX + 2 * cell_h,
        pad_left=cols.pad_left,
        pad_top=0,
        out_left=out_left,
    )


def _moved(lay: GifLayout, dx: int, dy: int) -> GifLayout:
    """``lay`` drawn ``dx``, ``dy`` pixels further right and down (its size unchanged)."""
    return replace(
        lay,
        in_x0=lay.in_x0 + dx,
        in_y0=lay.in_y0 + dy,
        out_x0=lay.out_x0 + dx,
        out_y0=lay.out_y0 + dy,
        out_left=tuple(x + dx for x in lay.out_left),
    )


def gif_panels(
    grids: list[GridSampling], width_px: int = 900, max_height_px: int = 640, max_cell_px: int = MAX_CELL_PX
) -> tuple[list[GifLayout], int, int]:
    """Layouts of the panels of one GIF, in the GIF's own coordinates, and its width and height.

    One grid: :func:`gif_layout`. Two or more (a compare view): one cell size for all; 1D panels are
    stacked with input index 0 at the same x, 2D panels stand side by side in ``width_px`` together.
    """
    if len(grids) == 1:
        lay = gif_layout(grids[0], width_px, max_height_px, max_cell_px=max_cell_px)
        return [lay], lay.width, lay.height
    if len({g.ndim for g in grids}) != 1:
        raise ValueError("the panels of one GIF must all be 1D or all be 2D")
    if grids[0].ndim == 1:
        lead = max(g.axes[0].pad_left for g in grids)
        span = max(lead - g.axes[0].pad_left + g.axes[0].padded_size for g in grids)
        cell = int(np.clip((width_px - 2 * MARGIN_PX) / span, 3, max_cell_px))
        out: list[GifLayout] = []
        y = 0
        for g in grids:
            lay = _moved(gif_layout(g, cell_px=cell), (lead - g.axes[0].pad_left) * cell, y)
            out.append(lay)
            y += lay.height
        return out, max(MIN_WIDTH_PX, 2 * MARGIN_PX + span * cell), y
    share = width_px // len(grids)
    cell = int(np.clip(min(_fit_cell(g, share, max_height_px) for g in grids), 3, max_cell_px))
    out, x = [], 0
    for g in grids:
        lay = gif_layout(g, cell_px=cell)
        out.append(_moved(lay, x, 0))
        x += lay.width
    return out, x, max(lay.height for lay in out)


def _fill(canvas: np.ndarray, box: tuple[int, int, int, int], index: int, gap: int) -> None:
    x0, y0, x1, y1 = box
    canvas[y0 : y1 - gap, x0 : x1 - gap] = index


def _blit(canvas: np.ndarray, x0: int, y0: int, cells: np.ndarray, cw: int, ch: int, gap: int) -> None:
    """Paint a grid of cells (palette indices) with its top-left corner at ``(x0, y0)``."""
    block = np.repeat(np.repeat(cells.astype(np.uint8), ch, axis=0), cw, axis=1)
    if gap:
        block[ch - gap :: ch, :] = _INDEX["background"]
        block[:, cw - gap :: cw] = _INDEX["background"]
    canvas[y0 : y0 + block.shape[0], x0 : x0 + block.shape[1]] = block


def _outline(
    canvas: np.ndarray, box: tuple[int, int, int, int], index: int, width: int, inset: int = 0
) -> None:
    x0, y0, x1, y1 = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
    h, w = canvas.shape
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    canvas[y0 : y0 + width, x0:x1] = index
    canvas[y1 - width : y1, x0:x1] = index
    canvas[y0:y1, x0 : x0 + width] = index
    canvas[y0:y1, x1 - width : x1] = index


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``size`` pixels (loaded once per size)."""
    return ImageFont.load_default(size=size)


def _header_text(grid: GridSampling, pos: tuple[int, ...]) -> str:
    dilations = [a.dilation for a in grid.axes]
    d = str(dilations[0]) if len(set(dilations)) == 1 else "(" + ", ".join(map(str, dilations)) + ")"
    where = f"({pos[0]})" if len(pos) == 1 else f"({pos[0]}, {pos[1]})"
    return f"d = {d}   {where}"


def _frame_flats(grids: list[GridSampling], max_frames: int | None) -> list[tuple[int | None, ...]]:
    """For each frame, the flat output index each panel shows (``None``: none at that position): the
    page's frames, :func:`~dsdcn.figures.sampling.compare_frames`."""
    return compare_frames(grids, max_frames)


def gif_frame_count(
    grid: GridSampling, max_frames: int | None = None, compare_with: GridSampling | None = None
) -> int:
    """Number of frames :func:`sampling_gif` draws: every output, or the animation's bound when more
    (with ``compare_with``, the larger count of the two panels)."""
    grids = [grid] if compare_with is None else [compare_with, grid]
    return len(_frame_flats(grids, max_frames))


def _static_cells(canvas: np.ndarray, grid: GridSampling, lay: GifLayout, gap: int) -> None:
    """Paint the parts of a panel that never change: input pixels (read or not) and padding cells."""
    rows_ax = grid.axes[0] if grid.ndim == 2 else None
    cols_ax = grid.axes[-1]
    pad_index = _INDEX["pad_copy" if grid.mode != "zeros" else "pad_zero"]
    reached = grid.reached if rows_ax is not None else grid.reached[None, :]
    real = np.where(reached, _INDEX["pixel"], _INDEX["unread"])
    cells = np.full((rows_ax.padded_size if rows_ax is not None else 1, cols_ax.padded_size), pad_index)
    top = rows_ax.pad_left if rows_ax is not None else 0
    cells[top : top + real.shape[0], cols_ax.pad_left : cols_ax.pad_left + cols_ax.n] = real
    _blit(canvas, lay.in_x0, lay.in_y0, cells, lay.cell_w, lay.cell_h, gap)


@dataclass(frozen=True)
class _Taps:
    """The output a panel shows in a frame, and the cell row and column of each of its taps."""

    pos: tuple[int, ...]
    rows: np.ndarray
    cols: np.ndarray


def _output_states(grid: GridSampling, flat: int | None, done: int, static: bool) -> np.ndarray:
    """Palette index of each output: done before this position (row-major), pending after, this one
    current (``static``: a picked output, none done; ``flat=None``: the first ``done`` outputs done)."""
    order = np.arange(grid.n_outputs).reshape(grid.out_shape)
    states = np.where(order < (done if flat is None else flat), _INDEX["done"], _INDEX["pending"])
    if static:  # one picked output: no "done so far"
        states[:] = _INDEX["pending"]
    if flat is not None:
        states[grid.unravel(flat)] = _INDEX["current"]
    return states


def _paint_outputs(
    canvas: np.ndarray, grid: GridSampling, lay: GifLayout, states: np.ndarray, gap: int
) -> None:
    # the output cells in their states: a grid in 2D, a row of cells (each under its window) in 1D
    if grid.ndim == 2:
        _blit(canvas, lay.out_x0, lay.out_y0, states, lay.cell_w, lay.cell_h, gap)
    else:
        for i, index in enumerate(states):
            _fill(canvas, lay.output_cell((i,)), int(index), gap)


def _inside(grid: GridSampling, taps: np.ndarray) -> np.ndarray:
    # per tap: True where it reads the input itself, False where it reads padding
    inside = np.ones(len(taps), dtype=bool)
    for i, a in enumerate(grid.axes):
        inside &= (taps[:, i] >= 0) & (taps[:, i] < a.n)
    return inside


def _paint_taps(canvas: np.ndarray, lay: GifLayout, taps: _Taps, inside: np.ndarray, gap: int) -> None:
    # the window (the dilated kernel's span) outlined, and each tap's cell filled
    tr, tc = taps.rows, taps.cols
    first = lay.input_cell(int(tr.min()), int(tc.min()))
    last = lay.input_cell(int(tr.max()), int(tc.max()))
    _outline(canvas, (first[0] - 1, first[1] - 1, last[2] + 1, last[3] + 1), _INDEX["tap"], 2)
    for m in range(len(tc)):
        tap_index = _INDEX["tap"] if inside[m] else _INDEX["tap_pad"]
        _fill(canvas, lay.input_cell(int(tr[m]), int(tc[m])), tap_index, gap)


def _paint_copies(
    canvas: np.ndarray, grid: GridSampling, lay: GifLayout, src: np.ndarray, inside: np.ndarray
) -> None:
    # the pixels that padding taps copy, outlined (on cells large enough to show it)
    copies = (~inside) & (src[:, 0] >= 0)
    if not (copies.any() and lay.cell_w >= 8):
        return
    sr = src[copies, 0] if grid.ndim == 2 else np.zeros(int(copies.sum()), dtype=np.int64)
    for r, c in {(int(a), int(b)) for a, b in zip(sr, src[copies, -1], strict=True)}:
        _outline(canvas, lay.input_cell(r, c), _INDEX["copy"], 2, inset=2)


def _moving_cells(
    canvas: np.ndarray,
    grid: GridSampling,
    lay: GifLayout,
    flat: int | None,
    gap: int,
    done: int = 0,
    static: bool = False,
) -> _Taps | None:
    """Paint what one output position changes in a panel: the output's state, the window and taps.
    ``flat=None``: the panel has no output at this frame's position; its first ``done`` outputs are done;
    ``static``: a picked output (no outputs done)."""
    _paint_outputs(canvas, grid, lay, _output_states(grid, flat, done, static), gap)
    if flat is None:
        return None
    pos = grid.unravel(flat)
    taps = grid.taps_of(pos)
    inside = _inside(grid, taps)
    tr = taps[:, 0] if grid.ndim == 2 else np.zeros(len(taps), dtype=np.int64)
    cells = _Taps(pos, tr, taps[:, -1])
    _paint_taps(canvas, lay, cells, inside, gap)
    _paint_copies(canvas, grid, lay, grid.sources_of(pos), inside)
    return cells


def _panel_text(
    draw: ImageDraw.ImageDraw,
    grid: GridSampling,
    lay: GifLayout,
    taps: _Taps | None,
    gap: int,
    pos: tuple[int, ...],
) -> None:
    """Draw a panel's header, the lines from the taps to the output (1D) and the tap numbers
    (``taps=None``: no output at ``pos``, said in the header)."""
    header = _header_text(grid, pos) + ("  no output" if taps is None else "")
    draw.text((lay.in_x0, lay.in_y0 - HEADER_PX + 6), header, fill=_INDEX["text"], font=_font(18))
    if taps is None:
        return
    n = len(taps.cols)
    if grid.ndim == 1:  # a line from each tap down to the output cell
        ox0, oy0, ox1, _ = lay.output_cell(pos)
        for m in range(n):
            x0, _, x1, y1 = lay.input_cell(0, int(taps.cols[m]))
            draw.line([((x0 + x1) // 2, y1 + 2), ((ox0 + ox1) // 2, oy0 - 3)], fill=_INDEX["tap"], width=2)
    if lay.cell_w >= MIN_NUMBER_CELL_PX:
        font = _font(max(9, int(min(lay.cell_w, lay.cell_h) * 0.5)))
        for m in range(n):
            x0, y0, x1, y1 = lay.input_cell(int(taps.rows[m]), int(taps.cols[m]))
            draw.text(
                ((x0 + x1 - gap) / 2, (y0 + y1 - gap) / 2),
                str(m),
                fill=_INDEX["number"],
                font=font,
                anchor="mm",
            )


@dataclass(frozen=True)
class SlideText:
    """What a slide export writes around the panels (already in the reader's language).

    ``legend``: ``(colour name of :data:`PALETTE`, text)`` pairs; ``font_path``: a TrueType/OpenType
    font that has the texts' characters (``None``: Pillow's built-in font, Latin text only).
    """

    title: str
    settings: str
    legend: tuple[tuple[str, str], ...] = ()
    font_path: str | None = None


@functools.lru_cache(maxsize=16)
def _text_font(size: int, path: str | None) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The slide's font at ``size`` pixels: ``path``, or Pillow's built-in font."""
    if path is None:
        return _font(size)
    return ImageFont.truetype(path, size)


# signs Pillow's built-in font lacks, written with ones it has
_PLAIN = str.maketrans({"×": "x", "−": "-", "…": "...", "·": "*", "’": "'", "–": "-"})


def _plain(slide: SlideText) -> SlideText:
    """``slide`` with the signs the built-in font lacks replaced (when it has no font of its own)."""
    if slide.font_path is not None:
        return slide
    return replace(
        slide,
        title=slide.title.translate(_PLAIN),
        settings=slide.settings.translate(_PLAIN),
        legend=tuple((c, text.translate(_PLAIN)) for c, text in slide.legend),
    )


def _legend_rows(
    draw: ImageDraw.ImageDraw, legend: tuple[tuple[str, str], ...], font, width: int
) -> list[list[tuple[str, str, int]]]:
    """The legend's chips laid out in rows no wider than ``width``: (colour, text, item width)."""
    rows: list[list[tuple[str, str, int]]] = [[]]
    used = 0
    for color, text in legend:
        w = 28 + int(draw.textlength(text, font=font)) + 28
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0
        rows[-1].append((color, text, w))
        used += w
    return [r for r in rows if r]


_TITLE_PX, _SETTINGS_PX, _LEGEND_PX, _LEGEND_ROW_PX, _SLIDE_PAD_PX = 34, 24, 20, 34, 28


def _slide_size(slide: SlideText, panels_w: int, panels_h: int) -> tuple[int, int, int, int]:
    """Width and height of a slide, and where its panels go (x, y)."""
    width = max(SLIDE_WIDTH_PX, panels_w + 2 * _SLIDE_PAD_PX)
    probe = ImageDraw.Draw(Image.new("P", (1, 1)))
    font = _text_font(_LEGEND_PX, slide.font_path)
    n_rows = len(_legend_rows(probe, slide.legend, font, width - 2 * _SLIDE_PAD_PX)) if slide.legend else 0
    top = _SLIDE_PAD_PX + _TITLE_PX + 12 + _SETTINGS_PX + 16
    height = top + panels_h + 12 + n_rows * _LEGEND_ROW_PX + _SLIDE_PAD_PX
    return width, height, (width - panels_w) // 2, top


def _on_slide(frame: Image.Image, slide: SlideText, palette: list[int]) -> Image.Image:
    """``frame`` centred on a slide with the title and settings above and the legend below."""
    slide = _plain(slide)
    width, height, x0, y0 = _slide_size(slide, frame.width, frame.height)
    out = Image.new("P", (width, height), _INDEX["background"])
    out.putpalette(palette)
    out.paste(frame, (x0, y0))
    draw = ImageDraw.Draw(out)
    pad = _SLIDE_PAD_PX
    draw.text((pad, pad), slide.title, fill=_INDEX["text"], font=_text_font(_TITLE_PX, slide.font_path))
    settings_y = pad + _TITLE_PX + 12
    draw.text(
        (pad, settings_y), slide.settings, fill=_INDEX["text"], font=_text_font(_SETTINGS_PX, slide.font_path)
    )
    font = _text_font(_LEGEND_PX, slide.font_path)
    y = y0 + frame.height + 12
    for row in _legend_rows(draw, slide.legend, font, width - 2 * pad):
        x = pad
        for color, text, w in row:
            draw.rectangle((x, y + 4, x + 20, y + 24), fill=_INDEX[color], outline=_INDEX["text"])
            draw.text((x + 28, y + 4), text, fill=_INDEX["text"], font=font)
            x += w
        y += _LEGEND_ROW_PX
    return out


def _panels_image(
    grids: list[GridSampling],
    lays: list[GifLayout],
    size: tuple[int, int],
    flats: tuple[int | None, ...],
    pos: tuple[int, ...],
    static: bool = False,
) -> Image.Image:
    """One frame: every panel showing its output ``flats[i]`` (the frame's position is ``pos``)."""
    width, height = size
    gap = 1 if lays[0].cell_w >= 6 else 0
    canvas = np.zeros((height, width), dtype=np.uint8)
    for g, lay in zip(grids, lays, strict=True):
        _static_cells(canvas, g, lay, gap)
    taps = [
        _moving_cells(canvas, g, lay, f, gap, done_before(g, pos), static)
        for g, lay, f in zip(grids, lays, flats, strict=True)
    ]
    image = Image.fromarray(canvas, mode="P")
    image.putpalette([v for name in _PALETTE_NAMES for v in PALETTE[name]])
    draw = ImageDraw.Draw(image)
    for g, lay, tp in zip(grids, lays, taps, strict=True):
        _panel_text(draw, g, lay, tp, gap, pos)
    return image


def _panel_layouts(
    grids: list[GridSampling], width_px: int, max_height_px: int, slide: SlideText | None
) -> tuple[list[GifLayout], int, int]:
    if slide is None:
        return gif_panels(grids, width_px, max_height_px)
    return gif_panels(grids, SLIDE_WIDTH_PX - 2 * _SLIDE_PAD_PX, SLIDE_MAX_PANEL_HEIGHT_PX, SLIDE_MAX_CELL_PX)


def sampling_gif(
    grid: GridSampling,
    *,
    compare_with: GridSampling | None = None,
    max_frames: int | None = None,
    width_px: int = 900,
    max_height_px: int = 640,
    slide: SlideText | None = None,
) -> bytes:
    """An animated GIF of the kernel sliding over the input: one frame per animated output position.

    The frames are the positions :func:`~dsdcn.sampling.frame_outputs` picks with the same bound as
    the plotly animation (``max_frames``, default :func:`~dsdcn.figures.sampling.frame_budget`).
    Tap cells are filled with ``COLORS["tap"]`` (``COLORS["tap_pad"]`` when they read padding) and
    numbered by kernel position; see :func:`gif_layout` for where each cell lies. ``compare_with``
    (the same kernel at dilation 1) adds a first panel that moves with this one; see
    :func:`gif_panels` for where the panels lie and :func:`gif_frame_count` for the frames.
    ``slide``: slide size (at least :data:`SLIDE_WIDTH_PX` wide, larger cells) with its title,
    settings and legend written on every frame.
    """
    grids = [grid] if compare_with is None else [compare_with, grid]
    lays, width, height = _panel_layouts(grids, width_px, max_height_px, slide)
    palette = [v for name in _PALETTE_NAMES for v in PALETTE[name]]
    frames: list[Image.Image] = []
    lead = max(range(len(grids)), key=lambda i: grids[i].n_outputs)
    for flats in _frame_flats(grids, max_frames):
        pos = grids[lead].unravel(int(flats[lead]))  # type: ignore[arg-type]  # the lead has every position
        image = _panels_image(grids, lays, (width, height), flats, pos)
        frames.append(image if slide is None else _on_slide(image, slide, palette))

    duration = int(np.clip(9000 / len(frames), 150, 700))
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=duration,
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buf.getvalue()


def sampling_png(
    grid: GridSampling,
    position: tuple[int, ...],
    *,
    compare_with: GridSampling | None = None,
    slide: SlideText | None = None,
    width_px: int = 900,
    max_height_px: int = 640,
) -> bytes:
    """A PNG of one picked output (the static view): its taps numbered, its span outlined; with
    ``compare_with`` the same position (clamped to its output) in a first panel; ``slide`` as in
    :func:`sampling_gif`. Raises ``ValueError`` for a position outside the output."""
    grid.taps_of(tuple(position))  # raises ValueError outside the output
    grids = [grid] if compare_with is None else [compare_with, grid]
    lays, width, height = _panel_layouts(grids, width_px, max_height_px, slide)
    flats = []
    for g in grids:
        clamped = tuple(min(int(p), o - 1) for p, o in zip(position, g.out_shape, strict=True))
        flats.append(int(np.ravel_multi_index(clamped, g.out_shape)))
    image = _panels_image(grids, lays, (width, height), tuple(flats), tuple(int(p) for p in position), True)
    if slide is not None:
        image = _on_slide(image, slide, [v for name in _PALETTE_NAMES for v in PALETTE[name]])
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


# fonts that have Chinese characters, where common systems keep them (slide texts in Chinese)
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` on this machine that Pillow can open, or ``None``."""
    for path in CJK_FONTS:
        try:
            ImageFont.truetype(path, 12)
        except OSError:
            continue
        return path
    return None
