"""Sampling grid: where a dilated kernel reads, tap by tap, padding included (1D and 2D)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dsdcn import (
    GridSampling,
    axis_sampling,
    effective_kernel_size,
    grid_sampling,
    resolve_padding,
    sampling_problem,
)
from dsdcn.figures.sampling import (
    COLORS,
    LABELS,
    READER_LABELS,
    compare_frames,
    readers_figure,
    sampling_panels,
)
from dsdcn.figures.sampling_gif import SlideText, cjk_font, gif_frame_count, sampling_gif, sampling_png
from dsdcn.figures.theme import STANDARD, Theme
from dsdcn.sampling import largest_dilation, largest_kernel, smallest_input
from dsdcn.sampling_values import CellValues, PixelReaders, TapValue, cell_values, pixel_readers
from ui.common import figure_from_spec, figure_spec
from ui.i18n import CATALOGS, current_language, latex, ordinal, plural, t
from ui.workshop import (
    data_table,
    figure_theme,
    mark_link_value_ignored,
    presets_bar,
    projector,
    show_chart,
    take_choice_link_value,
    write_coded_link_value,
)

# Limits of the controls.
N_MAX, K_MAX, D_MAX, S_MAX, PAD_MAX = 32, 11, 16, 8, 80
AXES = ("", "_r", "_c")  # tied (and 1D), rows, columns
PADDINGS = ("valid", "same", "custom")
MODES = ("zeros", "reflect", "replicate", "circular")
VIEWS = ("animate", "pick", "reads")
AXIS_NAMES = ("n", "k", "d", "s", "pad", "pl", "pr")

# Every control's default, keyed by its widget key.
DEFAULTS: dict[str, object] = {
    "sg_dims": "2D",
    "sg_tied": True,
    "sg_view": "animate",
    "sg_compare": True,
    "sg_mode": "zeros",
    "sg_pick_r": 1,
    "sg_pick_c": 1,
    "sg_in_r": 2,
    "sg_in_c": 2,
    "sg_slide": False,
}
for _sfx in AXES:
    DEFAULTS.update(
        {f"sg_n{_sfx}": 7, f"sg_k{_sfx}": 3, f"sg_d{_sfx}": 2, f"sg_s{_sfx}": 1, f"sg_pad{_sfx}": "valid"}
    )
    DEFAULTS.update({f"sg_pl{_sfx}": 1, f"sg_pr{_sfx}": 1})

# Lesson presets: one idea each (the other controls go back to their defaults).
PRESETS: dict[str, dict[str, object]] = {
    "dilation_skips": {"sg_dims": "1D", "sg_n": 11, "sg_k": 3, "sg_d": 3, "sg_compare": True},
    "same_padding": {"sg_pad": "same", "sg_compare": False},
    "stride_skips": {"sg_dims": "1D", "sg_n": 16, "sg_k": 2, "sg_d": 1, "sg_s": 4, "sg_compare": False},
    "shared_factor": {"sg_dims": "1D", "sg_n": 16, "sg_k": 3, "sg_d": 2, "sg_s": 2, "sg_compare": False},
    "reflect_padding": {
        "sg_dims": "1D",
        "sg_n": 8,
        "sg_d": 2,
        "sg_pad": "same",
        "sg_mode": "reflect",
        "sg_compare": False,
    },
}

# the choices shown with translated labels: (widget key, label group, option codes)
_CODED = (
    *((f"sg_pad{sfx}", "pad", PADDINGS) for sfx in AXES),
    ("sg_mode", "mode", MODES),
    ("sg_view", "view", VIEWS),
)
_DRAWN = "_sg_drawn"  # keys of the widgets drawn in this run
_LINK_CHECKED = "_sg_link_checked"


def _init_state() -> None:
    # translated choices keep their code in the link (no ``bind``): read it before the widgets are drawn
    for key, group, codes in _CODED:
        take_choice_link_value(key, codes, lambda code, group=group: f"sampling_grid.{group}.{code}")
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    st.session_state[_DRAWN] = set()


def _drawn(key: str) -> str:
    st.session_state[_DRAWN].add(key)
    return key


def _names(group: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Option labels in the current language, keyed by their stable codes."""
    return {code: t(f"sampling_grid.{group}.{code}") for code in codes}


def _on_tie() -> None:
    """Keep the values when switching between tied and per-axis controls."""
    if st.session_state["sg_tied"]:
        for name in AXIS_NAMES:
            st.session_state[f"sg_{name}"] = st.session_state.get(f"sg_{name}_c", DEFAULTS[f"sg_{name}"])
    else:
        for name in AXIS_NAMES:
            for sfx in ("_r", "_c"):
                st.session_state[f"sg_{name}{sfx}"] = st.session_state.get(
                    f"sg_{name}", DEFAULTS[f"sg_{name}"]
                )


def _slider(label: str, lo: int, hi: int, key: str, help_key: str) -> int:
    return int(
        st.slider(
            label,
            lo,
            hi,
            value=int(DEFAULTS[key]),  # type: ignore[call-overload]
            key=_drawn(key),
            help=t(help_key),
            bind="query-params",
        )
    )


def _axis_controls(sfx: str) -> dict:
    """Sliders and padding choice for one axis; returns its settings."""
    if sfx:
        st.markdown(f"**{t(f'sampling_grid.axis.{sfx}')}**")
    # the padding choice beside the sliders; on its own row in the projector view (larger labels)
    c = st.columns([1, 1, 1, 1]) + st.columns([2, 3])[:1] if projector() else st.columns([1, 1, 1, 1, 1.3])
    with c[0]:
        n = _slider(t("sampling_grid.n"), 1, N_MAX, f"sg_n{sfx}", "sampling_grid.n_help")
    with c[1]:
        k = _slider(t("sampling_grid.k"), 1, K_MAX, f"sg_k{sfx}", "sampling_grid.k_help")
    with c[2]:
        d = _slider(t("sampling_grid.d"), 1, D_MAX, f"sg_d{sfx}", "sampling_grid.d_help")
    with c[3]:
        s = _slider(t("sampling_grid.s"), 1, S_MAX, f"sg_s{sfx}", "sampling_grid.s_help")
    with c[4]:
        kind = st.segmented_control(
            t("sampling_grid.pad"),
            PADDINGS,
            default=DEFAULTS[f"sg_pad{sfx}"],
            format_func=_names("pad", PADDINGS).__getitem__,
            key=_drawn(f"sg_pad{sfx}"),
            required=True,
            help=t("sampling_grid.pad_help"),
        )
        write_coded_link_value(f"sg_pad{sfx}", kind, DEFAULTS[f"sg_pad{sfx}"])
        padding: str | tuple[int, int] = str(kind)
        if kind == "custom":
            lc, rc = st.columns(2)
            first, second = ("p_top", "p_bottom") if sfx == "_r" else ("p_left", "p_right")
            # sliders, not number inputs: Streamlit 1.67 fails on an integer number input whose link
            # value is infinite (?sg_pl=1e999 raises OverflowError); its slider drops such values
            pads = []
            for col, name, label in ((lc, "pl", first), (rc, "pr", second)):
                with col:
                    pads.append(
                        _slider(
                            t(f"sampling_grid.{label}"),
                            0,
                            PAD_MAX,
                            f"sg_{name}{sfx}",
                            f"sampling_grid.{name}_help",
                        )
                    )
            padding = (int(pads[0]), int(pads[1]))
    return {"n": n, "k": k, "d": d, "s": s, "padding": padding}


def _controls() -> tuple[list[dict], str, str, bool]:
    """All widgets; returns the per-axis settings (rows first in 2D), mode, view and compare."""
    with st.container(border=True):
        # one row that wraps on narrow screens instead of squeezing the controls
        top = st.container(horizontal=True, wrap=True, gap="medium", vertical_alignment="bottom")
        with top:
            dims = st.segmented_control(
                t("sampling_grid.dims"),
                ("1D", "2D"),
                default=DEFAULTS["sg_dims"],
                key=_drawn("sg_dims"),
                required=True,
                help=t("sampling_grid.dims_help"),
                bind="query-params",
            )
            mode = st.selectbox(
                t("sampling_grid.mode"),
                MODES,
                index=MODES.index(str(DEFAULTS["sg_mode"])),
                format_func=_names("mode", MODES).__getitem__,
                key=_drawn("sg_mode"),
                help=t("sampling_grid.mode_help"),
                width=256 if projector() else 190,
            )
            write_coded_link_value("sg_mode", mode, DEFAULTS["sg_mode"])
            view = st.segmented_control(
                t("sampling_grid.view"),
                VIEWS,
                default=DEFAULTS["sg_view"],
                format_func=_names("view", VIEWS).__getitem__,
                key=_drawn("sg_view"),
                required=True,
                help=t("sampling_grid.view_help"),
            )
            write_coded_link_value("sg_view", view, DEFAULTS["sg_view"])
            compare = st.toggle(
                t("sampling_grid.compare"),
                value=bool(DEFAULTS["sg_compare"]),
                key=_drawn("sg_compare"),
                help=t("sampling_grid.compare_help"),
                bind="query-params",
            )
            tied = True
            if dims == "2D":
                tied = st.toggle(
                    t("sampling_grid.tied"),
                    value=bool(DEFAULTS["sg_tied"]),
                    key=_drawn("sg_tied"),
                    help=t("sampling_grid.tied_help"),
                    on_change=_on_tie,
                    bind="query-params",
                )
        if dims == "1D" or tied:
            one = _axis_controls("")
            axes = [one] if dims == "1D" else [one, dict(one)]
        else:
            axes = [_axis_controls("_r"), _axis_controls("_c")]
    return axes, str(mode), str(view), bool(compare)


def _axis_words(i: int, ndim: int) -> str:
    return "" if ndim == 1 else t("sampling_grid.where.rows" if i == 0 else "sampling_grid.where.cols")


def _upper_first(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _fixes(a: dict, mode: str, problem: str) -> list[str]:
    """What to change so that axis ``a`` can be convolved: the largest dilation and kernel, the smallest
    input that work, then ``"same"`` padding (kernel too wide) or another padding mode."""
    fixes = []
    d_ok = largest_dilation(a["n"], a["k"], a["padding"], mode, D_MAX)
    k_ok = largest_kernel(a["n"], a["d"], a["padding"], mode, K_MAX)
    n_ok = smallest_input(a["k"], a["d"], a["padding"], mode, N_MAX)
    if d_ok:
        fixes.append(t("sampling_grid.fix.d", d=d_ok))
    if k_ok:
        fixes.append(t("sampling_grid.fix.k", k=k_ok))
    too_wide = problem == "kernel_too_wide"
    if n_ok:
        fixes.append(t("sampling_grid.fix.n", n=n_ok))
    elif too_wide:
        fixes.append(t("sampling_grid.fix.n_none", n_max=N_MAX))
    if not too_wide:
        fixes.append(t("sampling_grid.fix.mode"))
    elif a["padding"] != "same":
        fixes.append(t("sampling_grid.fix.same"))
    return fixes


def _problem_text(a: dict, mode: str, problem: str, where: str) -> str:
    """Why axis ``a`` cannot be convolved: a kernel wider than the padded input, or reflect / circular
    padding wider than the input."""
    pl, pr = resolve_padding(a["padding"], a["k"], a["d"])
    if problem == "kernel_too_wide":
        return t(
            "sampling_grid.problem.too_wide",
            where=where,
            k=a["k"],
            d=a["d"],
            k1=a["k"] - 1,
            k_eff=effective_kernel_size(a["k"], a["d"]),
            padded=a["n"] + pl + pr,
            n=a["n"],
            pl=pl,
            pr=pr,
        )
    which = "reflect" if problem == "reflect_padding_too_wide" else "circular"
    return t(
        f"sampling_grid.problem.{which}",
        where=where,
        mode=t(f"sampling_grid.mode.{mode}"),
        pad=max(pl, pr),
        n=a["n"],
    )


def _explain_problem(axes: list[dict], mode: str) -> list[str]:
    """A sentence per axis that cannot be convolved, with what to change (empty when all is well)."""
    tied = len(axes) == 2 and axes[0] == axes[1]
    lines = []
    for i, a in enumerate(axes):
        problem = sampling_problem(a["n"], a["k"], a["padding"], a["d"], mode)
        if problem is None or (tied and i == 1):  # tied: say it once
            continue
        where = "" if len(axes) == 1 or axes[0] == axes[1] else _axis_words(i, len(axes))
        text = _problem_text(a, mode, problem, where)
        fixes = _fixes(a, mode, problem)
        lines.append(_upper_first(text) + "  \n" + t("sampling_grid.change_one", fixes=" · ".join(fixes)))
    return lines


def _labels() -> dict[str, str]:
    """The figure's texts in the current language."""
    return {name: t(f"sampling_grid.fig.{name}") for name in LABELS}


# a grid, its figure dict and its GIF are tens to hundreds of KB: 104 entries stay well under 100 MB
@st.cache_data(max_entries=64, ttl="1h", show_spinner=False)
def _grid(axes: tuple[tuple, ...], mode: str) -> GridSampling:
    return grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in axes])


@st.cache_data(max_entries=32, ttl="1h", show_spinner=False)
def _figure(
    panels: tuple[tuple[tuple, ...], ...],
    mode: str,
    position: tuple[int, ...] | None,
    width_px: int,
    max_height_px: int,
    titles: tuple[str, ...],
    labels: tuple[tuple[str, str], ...],
    theme: Theme = STANDARD,
) -> dict:
    # the figure as plotly's dict (a cached go.Figure is validated again when it is unpickled)
    fig = sampling_panels(
        [_grid(axes, mode) for axes in panels],
        position=position,
        width_px=width_px,
        max_height_px=max_height_px,
        titles=titles,
        labels=dict(labels),
        theme=theme,
    )
    return figure_spec(fig)


# a slide's texts: (title, settings, legend items, font file); None for the plain export
SlideSpec = tuple[str, str, tuple[tuple[str, str], ...], str | None]


@st.cache_data(max_entries=8, ttl="1h", show_spinner=False)
def _gif(
    axes: tuple[tuple, ...], mode: str, compare_axes: tuple[tuple, ...] | None, slide: SlideSpec | None = None
) -> bytes:
    compare_with = None if compare_axes is None else _grid(compare_axes, mode)
    text = None if slide is None else SlideText(*slide)
    return sampling_gif(_grid(axes, mode), compare_with=compare_with, slide=text)


@st.cache_data(max_entries=8, ttl="1h", show_spinner=False)
def _png(
    axes: tuple[tuple, ...],
    mode: str,
    compare_axes: tuple[tuple, ...] | None,
    position: tuple[int, ...],
    slide: SlideSpec | None,
) -> bytes:
    compare_with = None if compare_axes is None else _grid(compare_axes, mode)
    text = None if slide is None else SlideText(*slide)
    return sampling_png(_grid(axes, mode), position, compare_with=compare_with, slide=text)


def _key(axes: list[dict], dilation_one: bool = False) -> tuple[tuple, ...]:
    return tuple((a["n"], a["k"], a["s"], a["padding"], 1 if dilation_one else a["d"]) for a in axes)


def _by_axis(grid: GridSampling, value) -> str:
    """'5' in 1D or when both axes agree, '5×7' (rows × columns) otherwise."""
    values = [str(value(a)) for a in grid.axes]
    return values[0] if len(set(values)) == 1 and grid.ndim == 1 else "×".join(values)


def _per_axis(grid: GridSampling, value) -> str:
    """One value when the axes agree, else 'rows×columns'."""
    values = [str(value(a)) for a in grid.axes]
    return values[0] if len(set(values)) == 1 else "×".join(values)


def _title(grid: GridSampling, tr: Callable[..., str] = t) -> str:
    ks = _by_axis(grid, lambda a: a.kernel_size)
    ds = _per_axis(grid, lambda a: a.dilation)
    spans = _by_axis(grid, lambda a: a.k_eff)
    kernel = tr("sampling_grid.title.kernel_1d" if grid.ndim == 1 else "sampling_grid.title.kernel_2d", ks=ks)
    if all(a.dilation == 1 for a in grid.axes):
        return tr("sampling_grid.title.d1", kernel=kernel, spans=spans)
    return tr("sampling_grid.title.dilated", kernel=kernel, ds=ds, n_taps=grid.n_taps, spans=spans)


def _metrics(grid: GridSampling, position: tuple[int, ...] | None) -> None:
    # five in a row; three and two in the projector view, where the labels are larger
    c = st.columns(5) if not projector() else [*st.columns(3), *st.columns(3)[:2]]
    c[0].metric(
        t("sampling_grid.m.spans"), _by_axis(grid, lambda a: a.k_eff), help=t("sampling_grid.m.spans_help")
    )
    c[1].metric(
        t("sampling_grid.m.out"),
        _by_axis(grid, lambda a: a.out),
        delta=t("sampling_grid.m.out_delta", n=_by_axis(grid, lambda a: a.n)),
        delta_color="off",
        delta_arrow="off",
        help=t("sampling_grid.m.out_help"),
    )
    pads = _per_axis(grid, lambda a: f"{a.pad_left} | {a.pad_right}")
    if grid.ndim == 2 and not _same_axes(grid):
        r, col = grid.axes
        pads = f"{r.pad_left}|{r.pad_right}, {col.pad_left}|{col.pad_right}"
    c[2].metric(t("sampling_grid.m.pads"), pads, help=t("sampling_grid.m.pads_help"))
    total_taps = grid.n_outputs * grid.n_taps
    # the count as the value and "of N" under it: "238,680 of 239,121" does not fit a fifth of the page
    if position is None:
        c[3].metric(
            t("sampling_grid.m.pad_taps"),
            f"{grid.padding_taps:,}",
            delta=t("sampling_grid.m.pad_taps_of", total=f"{total_taps:,}"),
            delta_color="off",
            delta_arrow="off",
            help=t("sampling_grid.m.pad_taps_help"),
        )
    else:
        c[3].metric(
            t("sampling_grid.m.pad_taps_here"),
            f"{grid.padding_taps_of(position):,}",
            delta=t(
                "sampling_grid.m.pad_taps_here_of",
                total=grid.n_taps,
                count=f"{grid.padding_taps:,}",
                all=f"{total_taps:,}",
            ),
            delta_color="off",
            delta_arrow="off",
            help=t("sampling_grid.m.pad_taps_here_help"),
        )
    c[4].metric(
        t("sampling_grid.m.unread"), f"{grid.unread_share:.0%}", help=t("sampling_grid.m.unread_help")
    )


def _same_axes(grid: GridSampling) -> bool:
    """2D with identical settings on both axes (say things once)."""
    if grid.ndim == 1:
        return False
    r, c = grid.axes
    fields = ("n", "kernel_size", "stride", "dilation", "pad_left", "pad_right")
    return all(getattr(r, f) == getattr(c, f) for f in fields)


def _formulas(grid: GridSampling) -> None:
    axes = grid.axes[:1] if _same_axes(grid) else grid.axes
    for i, a in enumerate(axes):
        if grid.ndim == 2:
            name = "both" if len(axes) == 1 else ("rows" if i == 0 else "cols")
            st.markdown(f"**{t(f'sampling_grid.f.{name}')}**")
        latex(
            rf"\begin{{gathered}} k_\mathrm{{eff}} = d(k-1)+1 = {a.dilation}\cdot{a.kernel_size - 1}+1 = {a.k_eff}"
            rf" \\ p_l = {a.pad_left},\ p_r = {a.pad_right} \end{{gathered}}"
        )
        latex(
            r"\begin{aligned} o &= \left\lfloor \frac{n + p_l + p_r - d(k-1) - 1}{s} \right\rfloor + 1 \\ &= "
            rf"\left\lfloor \frac{{{a.n} + {a.pad_left} + {a.pad_right} - {a.k_eff - 1} - 1}}{{{a.stride}}} "
            rf"\right\rfloor + 1 = {a.out} \end{{aligned}}"
        )


def _skip_notes(grid: GridSampling) -> None:
    """Say why some input pixels reach no output (from the library's per-axis counts)."""
    if grid.unread_share == 0:
        return
    notes = []
    for i, a in enumerate(grid.axes):
        if a.unread == 0 or (i == 1 and _same_axes(grid)):
            continue
        where = "" if _same_axes(grid) else _axis_words(i, grid.ndim)
        kinds = a.unread_kinds()
        if kinds["between"]:
            notes.append(
                t(
                    "sampling_grid.note.between",
                    where=where,
                    s=a.stride,
                    k_eff=a.k_eff,
                    count=kinds["between"],
                )
            )
        if kinds["gap"]:
            if a.read_every > 1:
                text = t(
                    "sampling_grid.note.gap_factor",
                    where=where,
                    count=kinds["gap"],
                    s=a.stride,
                    d=a.dilation,
                    g=a.read_every,
                    nth=ordinal(a.read_every),
                )
            else:
                text = t("sampling_grid.note.gap", where=where, count=kinds["gap"])
            notes.append(text)
        if kinds["edge"]:
            if a.edge_leftover:
                text = t(
                    "sampling_grid.note.edge_leftover", where=where, count=kinds["edge"], left=a.edge_leftover
                )
            else:
                text = t("sampling_grid.note.edge", where=where, count=kinds["edge"])
            notes.append(text)
    st.info("  \n".join(_upper_first(n) for n in notes), icon=":material/visibility_off:")


def _index_sliders(
    sizes: tuple[int, ...], keys: list[str], labels: list[str], helps: list[str]
) -> tuple[int, ...]:
    """One slider per axis for an index below ``sizes`` (clamped to the current size; a size of 1
    is said, not asked)."""
    cols = st.columns(len(keys))
    position = []
    for col, key, label, help_key, size in zip(cols, keys, labels, helps, sizes, strict=True):
        current = int(st.session_state.get(key, 0))
        if current > size - 1:  # a smaller size: the nearest index (only when needed, so links still win)
            st.session_state[key] = size - 1
        if size == 1:
            col.caption(t("sampling_grid.pick_only", label=t(label)))
            position.append(0)
            continue
        with col:
            value = st.slider(
                t(label),
                0,
                size - 1,
                value=min(int(DEFAULTS[key]), size - 1),  # type: ignore[call-overload]
                key=_drawn(key),
                help=t(help_key),
                bind="query-params",
            )
        position.append(int(value))
    return tuple(position)


def _pick(grid: GridSampling) -> tuple[int, ...]:
    """Sliders for the output cell (clamped to the current output)."""
    if grid.ndim == 1:
        keys, labels, helps = ["sg_pick_c"], ["pick_index"], ["pick_c_help"]
    else:
        keys, labels, helps = (
            ["sg_pick_r", "sg_pick_c"],
            ["pick_row", "pick_col"],
            ["pick_r_help", "pick_c_help"],
        )
    return _index_sliders(
        grid.out_shape, keys, [f"sampling_grid.{x}" for x in labels], [f"sampling_grid.{x}" for x in helps]
    )


def _pick_input(grid: GridSampling) -> tuple[int, ...]:
    """Sliders for the input pixel of the reverse view (clamped to the current input)."""
    if grid.ndim == 1:
        keys, labels, helps = ["sg_in_c"], ["in_index"], ["in_c_help"]
    else:
        keys, labels, helps = ["sg_in_r", "sg_in_c"], ["in_row", "in_col"], ["in_r_help", "in_c_help"]
    return _index_sliders(
        tuple(a.n for a in grid.axes),
        keys,
        [f"sampling_grid.{x}" for x in labels],
        [f"sampling_grid.{x}" for x in helps],
    )


@st.cache_data(max_entries=64, ttl="1h", show_spinner=False)
def _pixel_readers(axes: tuple[tuple, ...], mode: str, pixel: tuple[int, ...]) -> PixelReaders:
    return pixel_readers(_grid(axes, mode), pixel)


def _readers_legend(grid: GridSampling) -> str:
    def chip(color: str, text: str) -> str:
        return f"<span style='background:{color};padding:0 0.6em;border-radius:3px'>&nbsp;</span> {text}"

    items = [
        chip(COLORS["tap"], t("sampling_grid.r.lg_picked")),
        chip(COLORS["tap"], t("sampling_grid.r.lg_out")),
    ]
    if grid.mode != "zeros":
        items.append(chip(COLORS["tap_pad"], t("sampling_grid.r.lg_copy")))
    if grid.unread_share > 0:
        items.append(chip(COLORS["unread"], t("sampling_grid.lg.unread")))
    return " &nbsp;&nbsp; ".join(items)


def _reverse(axes: tuple[tuple, ...], mode: str, grid: GridSampling, pixel: tuple[int, ...]) -> None:
    """The reverse view: the outputs that read one input pixel (figure and table), or that none does."""
    readers = _pixel_readers(axes, mode, pixel)
    labels = {name: t(f"sampling_grid.rfig.{name}") for name in READER_LABELS}
    fig = readers_figure(grid, readers, width_px=1000, max_height_px=380, labels=labels, theme=figure_theme())
    show_chart(
        fig,
        key="sg_readers_fig",
        name="sampling-grid-readers",
        config={"scrollZoom": False},
        theme=None,
    )
    st.markdown(_readers_legend(grid), unsafe_allow_html=True)
    where = _where(pixel)
    if readers.status == "hole":
        st.info(t("sampling_grid.r.hole", pixel=where), icon=":material/visibility_off:")
        return
    n_out = len(readers.outputs)
    st.markdown(
        plural("sampling_grid.r.summary", n_out, pixel=where, outputs=n_out, reads=len(readers.reads))
    )
    table = pd.DataFrame(
        {
            t("sampling_grid.r.col_output"): [_where(r.output) for r in readers.reads],
            t(f"sampling_grid.v.col_m_{grid.ndim}d"): [_where(r.m) for r in readers.reads],
            t("sampling_grid.r.col_at"): [
                t("sampling_grid.r.via", pos=_where(r.position)) if r.via_padding else _where(r.position)
                for r in readers.reads
            ],
        }
    )
    data_table(table, key="sg_readers_table", height=min(38 + 35 * len(readers.reads), 420))


def _taps_text(grid: GridSampling, position: tuple[int, ...]) -> str:
    if grid.ndim == 1:
        a = grid.axes[0]
        inputs = ", ".join(str(int(x)) for x in a.taps[position[0]])
        return t("sampling_grid.taps_1d", i=position[0], inputs=inputs)
    r, c = grid.axes
    rows = ", ".join(str(int(x)) for x in r.taps[position[0]])
    cols = ", ".join(str(int(x)) for x in c.taps[position[1]])
    return t("sampling_grid.taps_2d", r=position[0], c=position[1], rows=rows, cols=cols)


@st.cache_data(max_entries=64, ttl="1h", show_spinner=False)
def _cell_values(axes: tuple[tuple, ...], mode: str, position: tuple[int, ...]) -> CellValues:
    return cell_values(_grid(axes, mode), position)


def _where(pos: tuple[int, ...] | None) -> str:
    """An index as shown in the tables: ``3`` in 1D, ``(1, 2)`` in 2D."""
    if pos is None:
        return ""
    return str(pos[0]) if len(pos) == 1 else f"({pos[0]}, {pos[1]})"


def _number(value: float) -> int | float:
    """An example value as the table shows it: an integer when it is one."""
    return int(value) if float(value).is_integer() else float(value)


def _reads(tap: TapValue, mode: str) -> str:
    """What a tap reads, in words: a pixel, a zero of the padding, or a padding copy of a pixel."""
    where = _where(tap.position)
    if tap.kind == "pixel":
        return t("sampling_grid.v.pixel", pos=where)
    if tap.kind == "zero":
        return t("sampling_grid.v.zero", pos=where)
    return t("sampling_grid.v.copy", pos=where, src=_where(tap.source), mode=t(f"sampling_grid.mode.{mode}"))


def _torch_call(grid: GridSampling) -> str:
    """The torch call the output comes from, as code."""
    pads = [v for a in reversed(grid.axes) for v in (a.pad_left, a.pad_right)]
    mode = "constant" if grid.mode == "zeros" else grid.mode
    stride = _per_axis(grid, lambda a: a.stride).replace("×", ", ")
    dilation = _per_axis(grid, lambda a: a.dilation).replace("×", ", ")
    conv = "F.conv1d" if grid.ndim == 1 else "F.conv2d"
    return f"{conv}(F.pad(x, {tuple(pads)}, mode='{mode}'), w, stride={stride}, dilation={dilation})"


def _values(axes: tuple[tuple, ...], mode: str, grid: GridSampling, position: tuple[int, ...]) -> None:
    """The picked cell's taps with their values: position read, value, weight, product; their sum is
    the output torch computes (said, and checked)."""
    try:
        cv = _cell_values(axes, mode, position)
    except (ValueError, RuntimeError) as exc:  # torch refusing settings the page allowed: say so
        st.warning(t("sampling_grid.v.failed", error=str(exc)), icon=":material/error:")
        return
    st.markdown(f"##### {t('sampling_grid.v.title', pos=_where(position))}")
    st.caption(t(f"sampling_grid.v.example_{grid.ndim}d"))
    table = pd.DataFrame(
        {
            t(f"sampling_grid.v.col_m_{grid.ndim}d"): [_where(tap.m) for tap in cv.taps],
            t("sampling_grid.v.col_reads"): [_reads(tap, mode) for tap in cv.taps],
            t("sampling_grid.v.col_value"): [_number(tap.value) for tap in cv.taps],
            t("sampling_grid.v.col_weight"): [_number(tap.weight) for tap in cv.taps],
            t("sampling_grid.v.col_product"): [_number(tap.product) for tap in cv.taps],
        }
    )
    data_table(table, key="sg_values_table", height=min(38 + 35 * len(cv.taps), 420))
    terms = " + ".join(str(_number(tap.product)) for tap in cv.taps) if len(cv.taps) <= 12 else "…"
    if cv.matches:
        st.success(
            t(
                "sampling_grid.v.sum",
                n=len(cv.taps),
                terms=terms,
                total=_number(cv.total),
                pos=_where(position),
            )
            + "  \n"
            + t("sampling_grid.v.torch", output=_number(cv.output), call=_torch_call(grid)),
            icon=":material/check_circle:",
        )
    else:
        st.error(t("sampling_grid.v.mismatch", total=cv.total, output=cv.output), icon=":material/error:")


def _legend_items(grid: GridSampling, animated: bool, tr: Callable[..., str] = t) -> list[tuple[str, str]]:
    """The figure's colours and what they mean: (colour name, text)."""
    items = [
        ("pixel", tr("sampling_grid.lg.pixel")),
        ("tap", tr("sampling_grid.lg.tap_2d" if grid.ndim == 2 else "sampling_grid.lg.tap_1d")),
    ]
    if any(a.pad_left or a.pad_right for a in grid.axes):
        if grid.mode == "zeros":
            items.append(("pad_zero", tr("sampling_grid.lg.pad_zero")))
            items.append(("tap_pad", tr("sampling_grid.lg.tap_pad")))
        else:
            mode = tr(f"sampling_grid.mode.{grid.mode}")
            items.append(("pad_copy", tr("sampling_grid.lg.pad_copy", mode=mode)))
            items.append(("tap_pad", tr("sampling_grid.lg.tap_pad_copy")))
    if grid.unread_share > 0:
        items.append(("unread", tr("sampling_grid.lg.unread")))
    if animated:
        items.append(("done", tr("sampling_grid.lg.done")))
        items.append(("current", tr("sampling_grid.lg.current")))
    else:
        items.append(("current", tr("sampling_grid.lg.picked")))
    return items


def _legend(grid: GridSampling, animated: bool) -> str:
    def chip(color: str, text: str) -> str:
        return f"<span style='background:{color};padding:0 0.6em;border-radius:3px'>&nbsp;</span> {text}"

    items = [chip(COLORS[name], text) for name, text in _legend_items(grid, animated)]
    items.append(
        "<span style='border:2px dashed #e4572e;padding:0 0.6em'>&nbsp;</span> " + t("sampling_grid.lg.span")
    )
    return " &nbsp;&nbsp; ".join(items)


def _explain(mode: str) -> None:
    with st.expander(t("sampling_grid.explain"), icon=":material/school:"):
        st.markdown(t("sampling_grid.explain_text"))
        c = st.columns(2)
        with c[0]:
            st.markdown(t("sampling_grid.ex.k_eff"))
            latex(r"k_\mathrm{eff} = d\,(k-1) + 1")
            st.markdown(t("sampling_grid.ex.output"))
            latex(r"o = \left\lfloor \frac{n + p_l + p_r - d\,(k-1) - 1}{s} \right\rfloor + 1")
        with c[1]:
            st.markdown(t("sampling_grid.ex.reads"))
            latex(r"x\big[\,i\,s - p_l + d\,m\,\big],\quad m = 0,\dots,k-1")
            st.markdown(t("sampling_grid.ex.same"))
            latex(r"p_l + p_r = d\,(k-1),\quad p_l = \left\lfloor \tfrac{d(k-1)}{2} \right\rfloor")
        st.markdown(t("sampling_grid.explain_modes"))
        if mode != "zeros":
            st.caption(t("sampling_grid.current_mode", mode=t(f"sampling_grid.mode.{mode}")))


def _slide_spec(grid: GridSampling, animated: bool) -> SlideSpec:
    """The texts a slide export writes: the page's language when a font for it is found (else English)."""
    font = cjk_font()
    tr: Callable[..., str] = t
    if font is None and current_language() != "en":  # Pillow's own font has no Chinese
        tr = lambda key, **values: CATALOGS["en"][key].format(**values)  # noqa: E731
    pads = _per_axis(grid, lambda a: f"{a.pad_left}|{a.pad_right}")
    settings = tr(
        "sampling_grid.slide.settings",
        k=_per_axis(grid, lambda a: a.kernel_size),
        d=_per_axis(grid, lambda a: a.dilation),
        s=_per_axis(grid, lambda a: a.stride),
        p=pads.replace("×", ", "),
        n=_per_axis(grid, lambda a: a.n),
        mode=tr(f"sampling_grid.mode.{grid.mode}"),
    )
    title = tr("sampling_grid.slide.title", title=_title(grid, tr))
    return (title, settings, tuple(_legend_items(grid, animated, tr)), font)


def _slide_toggle() -> bool:
    return bool(
        st.toggle(
            t("sampling_grid.slide"),
            value=bool(DEFAULTS["sg_slide"]),
            key=_drawn("sg_slide"),
            help=t("sampling_grid.slide_help"),
            bind="query-params",
        )
    )


def _gif_download(
    key: tuple[tuple, ...], mode: str, grid: GridSampling, compare: tuple[tuple, GridSampling] | None
) -> None:
    """'Download GIF' of the animation (drawn on click), with the d = 1 panel when comparing, and how
    many frames it has; 'slide size' writes a title, the settings and a legend on it."""
    compare_key, compare_grid = compare if compare is not None else (None, None)
    frames = gif_frame_count(grid, compare_with=compare_grid)
    row = st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="medium")
    with row:
        slide = _slide_toggle()
    spec = _slide_spec(grid, True) if slide else None
    row.download_button(
        t("sampling_grid.gif"),
        data=lambda: _gif(key, mode, compare_key, spec),
        file_name=f"dsdcn-sampling-grid{'-compare' if compare is not None else ''}{'-slide' if slide else ''}.gif",
        mime="image/gif",
        key="sg_gif",
        help=t("sampling_grid.gif_help"),
        icon=":material/gif_box:",
        on_click="ignore",
    )
    st.caption(_gif_caption(grid, compare_grid, frames))


def _gif_caption(grid: GridSampling, compare_grid: GridSampling | None, frames: int) -> str:
    outputs = max(g.n_outputs for g in (grid, compare_grid) if g is not None)
    if compare_grid is None:
        layout = ""
    else:
        layout = t(f"sampling_grid.gif_layout.{grid.ndim}D", n1=compare_grid.n_outputs, n=grid.n_outputs)
    if frames < outputs:
        caption = t("sampling_grid.gif_caption_some", frames=frames, total=outputs)
        if layout:
            caption += " " + t("sampling_grid.gif_caption_both", layout=layout)
    elif layout:
        caption = plural("sampling_grid.gif_caption_compare", frames, frames=frames, layout=layout)
    else:
        caption = plural("sampling_grid.gif_caption_all", frames, frames=frames)
    return caption


def _png_download(specs: list[tuple[tuple, GridSampling]], mode: str, position: tuple[int, ...]) -> None:
    """'Download PNG' of the picked cell's view (drawn on click), slide size on request."""
    (key, grid), compare_key = specs[-1], (specs[0][0] if len(specs) > 1 else None)
    row = st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="medium")
    with row:
        slide = _slide_toggle()
    spec = _slide_spec(grid, False) if slide else None
    where = "-".join(str(p) for p in position)
    row.download_button(
        t("sampling_grid.png"),
        data=lambda: _png(key, mode, compare_key, position, spec),
        file_name=f"dsdcn-sampling-grid-{where}{'-slide' if slide else ''}.png",
        mime="image/png",
        key="sg_png",
        help=t("sampling_grid.png_help"),
        icon=":material/image:",
        on_click="ignore",
    )


def _specs(
    axes: list[dict], mode: str, grid: GridSampling, compare: bool
) -> list[tuple[tuple, GridSampling]]:
    """The panels to draw: the grid, after its d = 1 twin when comparing (and the dilation is not 1)."""
    specs = [(_key(axes), grid)]
    if compare and any(a.dilation > 1 for a in grid.axes):
        specs.insert(0, (_key(axes, dilation_one=True), _grid(_key(axes, dilation_one=True), mode)))
    return specs


def _chart(specs: list[tuple[tuple, GridSampling]], mode: str, position: tuple[int, ...] | None) -> None:
    """The figure: one panel, or in the compare view both panels (side by side in 2D, stacked in 1D)
    sharing its frames, its Play and its slider, so they move in step."""
    grid, compare_on = specs[-1][1], len(specs) > 1
    width_px = 1040 if compare_on and grid.ndim == 2 else 1000
    max_height_px = 560  # in the standard theme: the figure's theme makes it taller
    titles = tuple(_title(g) for _, g in specs)
    if compare_on and grid.ndim == 2:  # half the width each: the settings on a second line
        titles = tuple(re.sub(r"(: |：)", r"\1<br>", title, count=1) for title in titles)
    with st.spinner(t("sampling_grid.drawing")):
        fig = figure_from_spec(
            _figure(
                tuple(k for k, _ in specs),
                mode,
                position,
                width_px,
                max_height_px,
                titles,
                tuple(_labels().items()),
                figure_theme(),
            )
        )
        show_chart(
            fig,
            key="sg_fig",
            name="sampling-grid-compare" if compare_on else "sampling-grid",
            config={"scrollZoom": False},
            theme=None,
        )


def _animate_notes(axes: list[dict], mode: str, specs: list[tuple[tuple, GridSampling]]) -> None:
    """Under the animation: how many outputs it shows, how to play it, and the GIF."""
    grid, compare_on = specs[-1][1], len(specs) > 1
    shown = len(compare_frames([g for _, g in specs]))
    total = max(g.n_outputs for _, g in specs)
    if shown < total:
        st.caption(t("sampling_grid.too_many", total=total, shown=shown))
    st.caption(t("sampling_grid.play_caption"))
    if compare_on and specs[0][1].n_outputs != grid.n_outputs:
        st.caption(t("sampling_grid.play_caption_compare", n1=specs[0][1].n_outputs, n=grid.n_outputs))
    _gif_download(_key(axes), mode, grid, specs[0] if compare_on else None)


def _pick_notes(
    axes: list[dict], mode: str, specs: list[tuple[tuple, GridSampling]], position: tuple[int, ...]
) -> None:
    """Under the picked cell: where its taps read, then their values (table)."""
    grid = specs[-1][1]
    st.markdown(_taps_text(grid, position))
    if len(specs) > 1 and any(p >= o for p, o in zip(position, specs[1][1].out_shape, strict=True)):
        st.caption(t("sampling_grid.nearest"))
    _png_download(specs, mode, position)
    _values(_key(axes), mode, grid, position)


def _reads_view(axes: list[dict], mode: str, grid: GridSampling) -> None:
    """The page below the controls in the reverse view (pick an input pixel)."""
    pixel = _pick_input(grid)
    _metrics(grid, None)
    _reverse(_key(axes), mode, grid, pixel)
    _skip_notes(grid)
    _formulas(grid)
    _explain(mode)


def _body() -> None:
    axes, mode, view, compare = _controls()
    problems = _explain_problem(axes, mode)
    if problems:
        st.warning("\n\n".join(problems), icon=":material/block:")
        _explain(mode)
        return
    grid = _grid(_key(axes), mode)
    if view == "reads":
        _reads_view(axes, mode, grid)
        return
    position = _pick(grid) if view == "pick" else None
    _metrics(grid, position)
    specs = _specs(axes, mode, grid, compare)
    _chart(specs, mode, position)
    if position is None:
        _step_buttons()
    st.markdown(_legend(grid, position is None), unsafe_allow_html=True)
    if compare and len(specs) == 1:
        st.caption(t("sampling_grid.compare_nothing"))
    if position is not None:
        _pick_notes(axes, mode, specs, position)
    else:
        _animate_notes(axes, mode, specs)
    _skip_notes(grid)
    _formulas(grid)
    _explain(mode)


# Previous / next frame of the figure's animation, by button or by the arrow keys (Streamlit has no
# key events: a small script in the page steps plotly's own frames, so Play, the slider and the steps
# stay one animation). The listeners are added once per browser tab; they act only while the
# figure is on screen and leave arrow keys alone in inputs, sliders and other controls.
_STEP_HTML = """
<div class="sg-steps" style="display:flex;flex-wrap:wrap;gap:0.5rem;align-items:center">
<button type="button" data-sg-step="-1" title="{prev_help}" style="{style}">◀ {prev}</button>
<button type="button" data-sg-step="1" title="{next_help}" style="{style}">{next} ▶</button>
<span style="opacity:0.75">{hint}</span>
</div>
<script>
(() => {{
  if (window.__dsdcnSgSteps) return;
  window.__dsdcnSgSteps = true;
  const chart = () => document.querySelector(".st-key-sg_fig .js-plotly-plot");
  const step = (by) => {{
    const gd = chart();
    const slider = gd && gd.layout && gd.layout.sliders && gd.layout.sliders[0];
    if (!slider || !window.Plotly) return false;
    const n = slider.steps.length;
    const next = Math.min(n - 1, Math.max(0, (slider.active || 0) + by));
    window.Plotly.animate(gd, [slider.steps[next].args[0][0]], {{
      mode: "immediate", frame: {{duration: 0, redraw: true}}, transition: {{duration: 0}},
    }});
    return true;
  }};
  document.addEventListener("click", (e) => {{
    const b = e.target.closest && e.target.closest("[data-sg-step]");
    if (b) step(Number(b.dataset.sgStep));
  }});
  document.addEventListener("keydown", (e) => {{
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const t = e.target;
    const busy = "input, textarea, select, [contenteditable], [role=slider], [role=radio], [role=tab], "
      + "[role=option], [role=listbox], [role=combobox], [role=switch], [role=checkbox]";
    if (t && t.closest && t.closest(busy)) return;
    if (step(e.key === "ArrowRight" ? 1 : -1)) e.preventDefault();
  }});
}})();
</script>
"""


def _step_buttons() -> None:
    """◀ / ▶ buttons that step the animation one frame, and the arrow keys (see ``_STEP_HTML``)."""
    size = "1.25rem" if projector() else "1rem"
    style = (
        f"font-size:{size};padding:0.25rem 0.9rem;border-radius:0.5rem;border:1px solid #ccc;"
        "background:white;cursor:pointer"
    )
    st.html(
        _STEP_HTML.format(
            prev=t("sampling_grid.step_prev"),
            next=t("sampling_grid.step_next"),
            prev_help=t("sampling_grid.step_prev_help"),
            next_help=t("sampling_grid.step_next_help"),
            hint=t("sampling_grid.step_keys"),
            style=style,
        ),
        unsafe_allow_javascript=True,
    )


def _drop_hidden_link_values() -> None:
    """On the page's first run, link values of controls this view does not show are not used: take
    them out of the link (so a copied link holds only what is on screen) and name them in the notice."""
    if st.session_state.get(_LINK_CHECKED):
        return
    st.session_state[_LINK_CHECKED] = True
    hidden = set(DEFAULTS) - st.session_state[_DRAWN]
    for key in sorted(hidden & set(st.query_params.keys())):
        del st.query_params[key]
        mark_link_value_ignored(key)


def render() -> None:
    """Draw the Sampling grid page."""
    _init_state()
    st.title(t("sampling_grid.title"))
    st.markdown(f"#### {t('sampling_grid.tagline')}\n{t('sampling_grid.intro')}")
    bar = st.container()  # filled last: the preset in view is known once every control has its value
    _body()
    _drop_hidden_link_values()
    for (
        key,
        _group,
        _codes,
    ) in _CODED:  # a hand-kept choice off screen (per-axis padding when tied) leaves the link
        if key not in st.session_state[_DRAWN] and key in st.query_params:
            del st.query_params[key]
    with bar:
        presets_bar(
            PRESETS,
            DEFAULTS,
            "sg_",
            lambda p: t(f"sampling_grid.preset.{p}"),
            lambda p: t(f"sampling_grid.preset.{p}.idea"),
        )


render()
