"""The sampling-grid animation as an animated GIF, drawn with Pillow (no browser, no plotly).

One frame per animated output position: the same positions as :func:`dsdcn.figures.sampling.sampling_figure`
(all of them, or :func:`~dsdcn.figures.sampling.frame_budget` evenly spread ones when there are more).
Each frame shows the padded input with the taps of that output numbered by kernel position (row-major,
as in the figure), the dilated kernel's span as an outline, the pixels that padding taps copy outlined,
and the output filling in. Text is digits only, so the GIF needs no font for any language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..sampling import GridSampling, frame_outputs
from .sampling import COLORS, frame_budget

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


def gif_layout(grid: GridSampling, width_px: int = 900, max_height_px: int = 640) -> GifLayout:
    """Cell sizes and positions of the GIF for ``grid`` (cells are 3 to 40 pixels wide)."""
    cols = grid.axes[-1]
    if grid.ndim == 2:
        rows = grid.axes[0]
        gap_cells = max(2, round(0.06 * (cols.padded_size + cols.out)))
        span_w = cols.padded_size + gap_cells + cols.out
        fit = min(
            (width_px - 2 * MARGIN_PX) / span_w, (max_height_px - HEADER_PX - MARGIN_PX) / rows.padded_size
        )
        cell = int(np.clip(fit, 3, 40))
        width = 2 * MARGIN_PX + span_w * cell
        height = HEADER_PX + rows.padded_size * cell + MARGIN_PX
        return GifLayout(
            ndim=2,
            cell_w=cell,
            cell_h=cell,
            width=width,
            height=height,
            in_x0=MARGIN_PX,
            in_y0=HEADER_PX,
            out_x0=MARGIN_PX + (cols.padded_size + gap_cells) * cell,
            out_y0=HEADER_PX,
            pad_left=cols.pad_left,
            pad_top=rows.pad_left,
            out_left=(),
        )
    cell_w = int(np.clip((width_px - 2 * MARGIN_PX) / cols.padded_size, 3, 40))
    cell_h = max(cell_w, 28)
    out_x = cols.taps[:, 0] + (cols.k_eff - 1) / 2.0  # under the middle of each window, as in the figure
    out_left = tuple(int(round(MARGIN_PX + (x + cols.pad_left) * cell_w)) for x in out_x)
    return GifLayout(
        ndim=1,
        cell_w=cell_w,
        cell_h=cell_h,
        width=2 * MARGIN_PX + cols.padded_size * cell_w,
        height=HEADER_PX + 3 * cell_h + MARGIN_PX,
        in_x0=MARGIN_PX,
        in_y0=HEADER_PX,
        out_x0=MARGIN_PX,
        out_y0=HEADER_PX + 2 * cell_h,
        pad_left=cols.pad_left,
        pad_top=0,
        out_left=out_left,
    )


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


def _position_text(pos: tuple[int, ...]) -> str:
    return f"({pos[0]})" if len(pos) == 1 else f"({pos[0]}, {pos[1]})"


def gif_frame_count(grid: GridSampling, max_frames: int | None = None) -> int:
    """Number of frames :func:`sampling_gif` draws: every output, or the animation's bound when more."""
    limit = frame_budget(grid.n_taps) if max_frames is None else int(max_frames)
    return len(frame_outputs(grid.n_outputs, limit))


def sampling_gif(
    grid: GridSampling,
    *,
    max_frames: int | None = None,
    width_px: int = 900,
    max_height_px: int = 640,
) -> bytes:
    """An animated GIF of the kernel sliding over the input: one frame per animated output position.

    The frames are the positions :func:`~dsdcn.sampling.frame_outputs` picks with the same bound as
    the plotly animation (``max_frames``, default :func:`~dsdcn.figures.sampling.frame_budget`).
    Tap cells are filled with ``COLORS["tap"]`` (``COLORS["tap_pad"]`` when they read padding) and
    numbered by kernel position; see :func:`gif_layout` for where each cell lies.
    """
    lay = gif_layout(grid, width_px, max_height_px)
    limit = frame_budget(grid.n_taps) if max_frames is None else int(max_frames)
    flats = frame_outputs(grid.n_outputs, limit).tolist()
    gap = 1 if lay.cell_w >= 6 else 0
    numbers = lay.cell_w >= MIN_NUMBER_CELL_PX
    font = ImageFont.load_default(size=max(9, int(min(lay.cell_w, lay.cell_h) * 0.5)))
    header_font = ImageFont.load_default(size=18)
    palette = [v for name in _PALETTE_NAMES for v in PALETTE[name]]

    # the static part: input pixels (read or not) and padding cells
    base = np.zeros((lay.height, lay.width), dtype=np.uint8)
    rows_ax = grid.axes[0] if grid.ndim == 2 else None
    cols_ax = grid.axes[-1]
    pad_index = _INDEX["pad_copy" if grid.mode != "zeros" else "pad_zero"]
    reached = grid.reached if rows_ax is not None else grid.reached[None, :]
    real = np.where(reached, _INDEX["pixel"], _INDEX["unread"])
    cells = np.full((rows_ax.padded_size if rows_ax is not None else 1, cols_ax.padded_size), pad_index)
    top = rows_ax.pad_left if rows_ax is not None else 0
    cells[top : top + real.shape[0], cols_ax.pad_left : cols_ax.pad_left + cols_ax.n] = real
    _blit(base, lay.in_x0, lay.in_y0, cells, lay.cell_w, lay.cell_h, gap)

    out_shape = grid.out_shape
    frames: list[Image.Image] = []
    for flat in flats:
        canvas = base.copy()
        pos = grid.unravel(flat)
        # the output: done before this position (row-major), pending after, this one current
        order = np.arange(grid.n_outputs).reshape(out_shape)
        states = np.where(order < flat, _INDEX["done"], _INDEX["pending"])
        states[pos] = _INDEX["current"]
        if grid.ndim == 2:
            _blit(canvas, lay.out_x0, lay.out_y0, states, lay.cell_w, lay.cell_h, gap)
        else:
            for i, index in enumerate(states):
                _fill(canvas, lay.output_cell((i,)), int(index), gap)
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
        image = Image.fromarray(canvas, mode="P")
        image.putpalette(palette)
        draw = ImageDraw.Draw(image)
        draw.text((MARGIN_PX, 6), _position_text(pos), fill=_INDEX["text"], font=header_font)
        if grid.ndim == 1:  # a line from each tap down to the output cell
            ox0, oy0, ox1, _ = lay.output_cell(pos)
            for m in range(len(taps)):
                x0, _, x1, y1 = lay.input_cell(0, int(tc[m]))
                draw.line(
                    [((x0 + x1) // 2, y1 + 2), ((ox0 + ox1) // 2, oy0 - 3)], fill=_INDEX["tap"], width=2
                )
        if numbers:
            for m in range(len(taps)):
                x0, y0, x1, y1 = lay.input_cell(int(tr[m]), int(tc[m]))
                draw.text(
                    ((x0 + x1 - gap) / 2, (y0 + y1 - gap) / 2),
                    str(m),
                    fill=_INDEX["number"],
                    font=font,
                    anchor="mm",
                )
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
