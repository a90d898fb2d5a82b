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
    grid: GridSampling, width_px: int = 900, max_height_px: int = 640, cell_px: int | None = None
) -> GifLayout:
    """Cell sizes and positions of the GIF for ``grid`` (cells are 3 to 40 pixels wide, or ``cell_px``)."""
    cols = grid.axes[-1]
    cell = (
        int(cell_px) if cell_px is not None else int(np.clip(_fit_cell(grid, width_px, max_height_px), 3, 40))
    )
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
    grids: list[GridSampling], width_px: int = 900, max_height_px: int = 640
) -> tuple[list[GifLayout], int, int]:
    """Layouts of the panels of one GIF, in the GIF's own coordinates, and its width and height.

    One grid: :func:`gif_layout`. Two or more (a compare view): one cell size for all; 1D panels are
    stacked with input index 0 at the same x, 2D panels stand side by side in ``width_px`` together.
    """
    if len(grids) == 1:
        lay = gif_layout(grids[0], width_px, max_height_px)
        return [lay], lay.width, lay.height
    if len({g.ndim for g in grids}) != 1:
        raise ValueError("the panels of one GIF must all be 1D or all be 2D")
    if grids[0].ndim == 1:
        lead = max(g.axes[0].pad_left for g in grids)
        span = max(lead - g.axes[0].pad_left + g.axes[0].padded_size for g in grids)
        cell = int(np.clip((width_px - 2 * MARGIN_PX) / span, 3, 40))
        out: list[GifLayout] = []
        y = 0
        for g in grids:
            lay = _moved(gif_layout(g, cell_px=cell), (lead - g.axes[0].pad_left) * cell, y)
            out.append(lay)
            y += lay.height
        return out, max(MIN_WIDTH_PX, 2 * MARGIN_PX + span * cell), y
    share = width_px // len(grids)
    cell = int(np.clip(min(_fit_cell(g, share, max_height_px) for g in grids), 3, 40))
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


def _moving_cells(
    canvas: np.ndarray, grid: GridSampling, lay: GifLayout, flat: int | None, gap: int, done: int = 0
) -> _Taps | None:
    """Paint what one output position changes in a panel: the output's state, the window and taps.
    ``flat=None``: the panel has no output at this frame's position; its first ``done`` outputs are done."""
    # the output: done before this position (row-major), pending after, this one current
    order = np.arange(grid.n_outputs).reshape(grid.out_shape)
    states = np.where(order < (done if flat is None else flat), _INDEX["done"], _INDEX["pending"])
    if flat is not None:
        states[grid.unravel(flat)] = _INDEX["current"]
    if grid.ndim == 2:
        _blit(canvas, lay.out_x0, lay.out_y0, states, lay.cell_w, lay.cell_h, gap)
    else:
        for i, index in enumerate(states):
            _fill(canvas, lay.output_cell((i,)), int(index), gap)
    if flat is None:
        return None
    pos = grid.unravel(flat)
    taps = grid.taps_of(pos)
    src = grid.sources_of(pos)
    inside = np.ones(len(taps), dtype=bool)
    for i, a in enumerate(grid.axes):
        inside &= (taps[:, i] >= 0) & (taps[:, i] < a.n)
    tr = taps[:, 0] if grid.ndim == 2 else np.zeros(len(taps), dtype=np.int64)
    tc = taps[:, -1]
    # the window: the dilated kernel's span
    first = lay.input_cell(int(tr.min()), int(tc.min()))
    last = lay.input_cell(int(tr.max()), int(tc.max()))
    _outline(canvas, (first[0] - 1, first[1] - 1, last[2] + 1, last[3] + 1), _INDEX["tap"], 2)
    for m in range(len(taps)):
        tap_index = _INDEX["tap"] if inside[m] else _INDEX["tap_pad"]
        _fill(canvas, lay.input_cell(int(tr[m]), int(tc[m])), tap_index, gap)
    # pixels that padding taps copy: outlined
    copies = (~inside) & (src[:, 0] >= 0)
    if copies.any() and lay.cell_w >= 8:
        sr = src[copies, 0] if grid.ndim == 2 else np.zeros(int(copies.sum()), dtype=np.int64)
        for r, c in {(int(a), int(b)) for a, b in zip(sr, src[copies, -1], strict=True)}:
            _outline(canvas, lay.input_cell(r, c), _INDEX["copy"], 2, inset=2)
    return _Taps(pos, tr, tc)


def _panel_text(
    draw: ImageDraw.ImageDraw, grid: GridSampling, lay: GifLayout, taps: _Taps | None, gap: int, pos: tuple[int, ...]
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


def sampling_gif(
    grid: GridSampling,
    *,
    compare_with: GridSampling | None = None,
    max_frames: int | None = None,
    width_px: int = 900,
    max_height_px: int = 640,
) -> bytes:
    """An animated GIF of the kernel sliding over the input: one frame per animated output position.

    The frames are the positions :func:`~dsdcn.sampling.frame_outputs` picks with the same bound as
    the plotly animation (``max_frames``, default :func:`~dsdcn.figures.sampling.frame_budget`).
    Tap cells are filled with ``COLORS["tap"]`` (``COLORS["tap_pad"]`` when they read padding) and
    numbered by kernel position; see :func:`gif_layout` for where each cell lies. ``compare_with``
    (the same kernel at dilation 1) adds a first panel that moves with this one; see
    :func:`gif_panels` for where the panels lie and :func:`gif_frame_count` for the frames.
    """
    grids = [grid] if compare_with is None else [compare_with, grid]
    lays, width, height = gif_panels(grids, width_px, max_height_px)
    gap = 1 if lays[0].cell_w >= 6 else 0
    palette = [v for name in _PALETTE_NAMES for v in PALETTE[name]]
    base = np.zeros((height, width), dtype=np.uint8)
    for g, lay in zip(grids, lays, strict=True):
        _static_cells(base, g, lay, gap)

    frames: list[Image.Image] = []
    lead = max(range(len(grids)), key=lambda i: grids[i].n_outputs)
    for flats in _frame_flats(grids, max_frames):
        canvas = base.copy()
        pos = grids[lead].unravel(int(flats[lead]))  # type: ignore[arg-type]  # the lead has every position
        taps = [
            _moving_cells(canvas, g, lay, f, gap, done_before(g, pos))
            for g, lay, f in zip(grids, lays, flats, strict=True)
        ]
        image = Image.fromarray(canvas, mode="P")
        image.putpalette(palette)
        draw = ImageDraw.Draw(image)
        for g, lay, tp in zip(grids, lays, taps, strict=True):
            _panel_text(draw, g, lay, tp, gap, pos)
        frames.append(image)

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
