"""Sampling grid: where a dilated kernel reads, tap by tap, padding included (1D and 2D)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dsdcn import (
    GridSampling,
    axis_sampling,
    effective_kernel_size,
    frame_outputs,
    grid_sampling,
    largest_dilation,
    largest_kernel,
    resolve_padding,
    sampling_problem,
    smallest_input,
)
from dsdcn.figures.sampling import (
    COLORS,
    frame_budget,
    sampling_figure,
    shared_cell_px,
    shared_x_range,
)

# Limits of the controls.
N_MAX, K_MAX, D_MAX, S_MAX, PAD_MAX = 32, 11, 16, 8, 80
AXES = ("", "_r", "_c")  # tied (and 1D), rows, columns
AXIS_NAME = {"_r": "Rows (height)", "_c": "Columns (width)"}
PADDINGS = ("valid", "same", "custom")
MODES = ("zeros", "reflect", "replicate", "circular")
VIEWS = ("Animate", "Pick a cell")

# Every control's default, keyed by its widget key.
DEFAULTS: dict[str, object] = {
    "sg_dims": "2D",
    "sg_tied": True,
    "sg_view": "Animate",
    "sg_compare": True,
    "sg_mode": "zeros",
    "sg_pick_r": 1,
    "sg_pick_c": 1,
}
for _sfx in AXES:
    DEFAULTS.update(
        {f"sg_n{_sfx}": 7, f"sg_k{_sfx}": 3, f"sg_d{_sfx}": 2, f"sg_s{_sfx}": 1, f"sg_pad{_sfx}": "valid"}
    )
    DEFAULTS.update({f"sg_pl{_sfx}": 1, f"sg_pr{_sfx}": 1})

HELP = {
    "dims": "1D: a row of pixels (like audio or text). 2D: an image; each axis has its own settings.",
    "tied": "On: rows and columns share every setting (square kernel). Off: set them per axis.",
    "view": "Animate: the kernel slides over every output (Play/Pause, step slider). "
    "Pick a cell: choose one output and see exactly where its taps read.",
    "compare": "Show the same kernel at dilation 1 next to your dilation: same weights, different reach.",
    "mode": "What padding cells hold: zeros; reflect (mirror without repeating the edge); "
    "replicate (repeat the edge pixel); circular (wrap around). Same names as PyTorch's padding_mode.",
    "n": "Number of input pixels along this axis.",
    "k": "Number of taps (weights) along this axis. Even sizes work too.",
    "d": "Spacing between taps: d − 1 pixels are skipped between neighbouring taps.",
    "s": "How far the kernel moves from one output to the next.",
    "pad": "valid: no padding. same: pad d·(k−1) in total so that stride 1 keeps the size. "
    "custom: choose left and right (top and bottom for rows).",
    "pl": "Padding cells before the first pixel (left, or top for rows).",
    "pr": "Padding cells after the last pixel (right, or bottom for rows).",
    "pick_r": "Row of the output cell whose taps are shown.",
    "pick_c": "Column (1D: index) of the output cell whose taps are shown.",
}


def _init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _on_tie() -> None:
    """Keep the values when switching between tied and per-axis controls."""
    names = ("n", "k", "d", "s", "pad", "pl", "pr")
    if st.session_state["sg_tied"]:
        for name in names:
            st.session_state[f"sg_{name}"] = st.session_state.get(f"sg_{name}_c", DEFAULTS[f"sg_{name}"])
    else:
        for name in names:
            for sfx in ("_r", "_c"):
                st.session_state[f"sg_{name}{sfx}"] = st.session_state.get(
                    f"sg_{name}", DEFAULTS[f"sg_{name}"]
                )


def _axis_controls(sfx: str, label: str | None) -> dict:
    """Sliders and padding choice for one axis; returns its settings."""
    if label:
        st.markdown(f"**{label}**")
    c = st.columns([1, 1, 1, 1, 1.3])
    n = c[0].slider("Input size n", 1, N_MAX, key=f"sg_n{sfx}", help=HELP["n"])
    k = c[1].slider("Kernel size k", 1, K_MAX, key=f"sg_k{sfx}", help=HELP["k"])
    d = c[2].slider("Dilation d", 1, D_MAX, key=f"sg_d{sfx}", help=HELP["d"])
    s = c[3].slider("Stride s", 1, S_MAX, key=f"sg_s{sfx}", help=HELP["s"])
    with c[4]:
        kind = st.segmented_control("Padding", PADDINGS, key=f"sg_pad{sfx}", required=True, help=HELP["pad"])
        padding: str | tuple[int, int] = kind
        if kind == "custom":
            lc, rc = st.columns(2)
            first, second = ("top", "bottom") if sfx == "_r" else ("left", "right")
            pl = lc.number_input(f"p {first}", 0, PAD_MAX, key=f"sg_pl{sfx}", help=HELP["pl"])
            pr = rc.number_input(f"p {second}", 0, PAD_MAX, key=f"sg_pr{sfx}", help=HELP["pr"])
            padding = (int(pl), int(pr))
    return {"n": int(n), "k": int(k), "d": int(d), "s": int(s), "padding": padding}


def _controls() -> tuple[list[dict], str, str, bool]:
    """All widgets; returns the per-axis settings (rows first in 2D), mode, view and compare."""
    with st.container(border=True):
        # one row that wraps on narrow screens instead of squeezing the controls
        top = st.container(horizontal=True, wrap=True, gap="medium", vertical_alignment="bottom")
        with top:
            dims = st.segmented_control(
                "Dimensions", ("1D", "2D"), key="sg_dims", required=True, help=HELP["dims"]
            )
            mode = st.selectbox("Padding mode", MODES, key="sg_mode", help=HELP["mode"], width=190)
            view = st.segmented_control("View", VIEWS, key="sg_view", required=True, help=HELP["view"])
            compare = st.toggle("Compare d = 1", key="sg_compare", help=HELP["compare"])
            tied = True
            if dims == "2D":
                tied = st.toggle("Tie axes", key="sg_tied", help=HELP["tied"], on_change=_on_tie)
        if dims == "1D" or tied:
            one = _axis_controls("", None)
            axes = [one] if dims == "1D" else [one, dict(one)]
        else:
            axes = [_axis_controls("_r", AXIS_NAME["_r"]), _axis_controls("_c", AXIS_NAME["_c"])]
    return axes, str(mode), str(view), bool(compare)


def _axis_words(i: int, ndim: int) -> str:
    return "" if ndim == 1 else ("Rows: " if i == 0 else "Columns: ")


def _explain_problem(axes: list[dict], mode: str) -> list[str]:
    """A sentence per axis that cannot be convolved, with what to change (empty when all is well)."""
    lines = []
    for i, a in enumerate(axes):
        problem = sampling_problem(a["n"], a["k"], a["padding"], a["d"], mode)
        if problem is None:
            continue
        if len(axes) == 2 and i == 1 and axes[0] == axes[1]:
            continue  # tied: say it once
        where = "" if len(axes) == 1 or axes[0] == axes[1] else _axis_words(i, len(axes)).lower()
        k_eff = effective_kernel_size(a["k"], a["d"])
        pl, pr = resolve_padding(a["padding"], a["k"], a["d"])
        fixes = []
        d_ok = largest_dilation(a["n"], a["k"], a["padding"], mode, D_MAX)
        k_ok = largest_kernel(a["n"], a["d"], a["padding"], mode, K_MAX)
        n_ok = smallest_input(a["k"], a["d"], a["padding"], mode, N_MAX)
        if d_ok:
            fixes.append(f"dilation **≤ {d_ok}**")
        if k_ok:
            fixes.append(f"kernel size **≤ {k_ok}**")
        if n_ok:
            fixes.append(f"input size **≥ {n_ok}**")
        elif problem == "kernel_too_wide":
            fixes.append(f"an input wider than {N_MAX} pixels (more than this page allows)")
        if problem == "kernel_too_wide":
            text = (
                f"{where}a {a['k']}-tap kernel at dilation {a['d']} spans **{k_eff} pixels** "
                f"(d·(k−1)+1 = {a['d']}·{a['k'] - 1}+1), but the padded input has only "
                f"**{a['n'] + pl + pr}** ({a['n']} + {pl} + {pr} padding). No output fits: there is nothing to compute."
            )
            if a["padding"] != "same":
                fixes.append("padding **same** (always fits with zeros or replicate)")
        else:
            limit = "smaller than" if problem == "reflect_padding_too_wide" else "at most"
            text = (
                f"{where}**{mode}** padding must be {limit} the input (PyTorch refuses otherwise): "
                f"this needs {max(pl, pr)} padding cells on one side for an input of {a['n']}."
            )
            fixes.append("padding mode **zeros** or **replicate** (any amount)")
        lines.append(text[0].upper() + text[1:] + "  \nChange one of: " + " · ".join(fixes) + ".")
    return lines


@st.cache_data(max_entries=64, show_spinner=False)
def _grid(axes: tuple[tuple, ...], mode: str) -> GridSampling:
    return grid_sampling([axis_sampling(n, k, s, padding, d, mode) for n, k, s, padding, d in axes])


@st.cache_data(max_entries=32, show_spinner=False)
def _figure(
    axes: tuple[tuple, ...],
    mode: str,
    position: tuple[int, ...] | None,
    width_px: int,
    cell_px: float | None,
    x_range: tuple[float, float] | None,
    title: str,
) -> go.Figure:
    grid = _grid(axes, mode)
    return sampling_figure(
        grid, position=position, width_px=width_px, cell_px=cell_px, x_range=x_range, title=title
    )


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


def _title(grid: GridSampling) -> str:
    ks = _by_axis(grid, lambda a: a.kernel_size)
    ds = _per_axis(grid, lambda a: a.dilation)
    spans = _by_axis(grid, lambda a: a.k_eff)
    kernel = f"{ks}-tap kernel" if grid.ndim == 1 else f"{ks} kernel"
    if all(a.dilation == 1 for a in grid.axes):
        return f"{kernel}, d = 1: span {spans}"
    return f"{kernel}, d = {ds}: same {grid.n_taps} weights, span {spans}"


def _metrics(grid: GridSampling, position: tuple[int, ...] | None) -> None:
    c = st.columns(5)
    c[0].metric(
        "Kernel spans",
        _by_axis(grid, lambda a: a.k_eff),
        help="Effective kernel size d·(k−1)+1 per axis: how far apart the first and last tap are, plus one.",
    )
    c[1].metric(
        "Output size",
        _by_axis(grid, lambda a: a.out),
        delta=f"input {_by_axis(grid, lambda a: a.n)}",
        delta_color="off",
        delta_arrow="off",
        help="floor((n + p_l + p_r − d·(k−1) − 1) / s) + 1 per axis (PyTorch's formula).",
    )
    pads = _per_axis(grid, lambda a: f"{a.pad_left} | {a.pad_right}")
    if grid.ndim == 2 and not _same_axes(grid):
        r, col = grid.axes
        pads = f"{r.pad_left}|{r.pad_right}, {col.pad_left}|{col.pad_right}"
    c[2].metric(
        "Padding per side",
        pads,
        help="Padding cells before | after the input: left | right; in 2D with different axes, "
        "top|bottom, left|right.",
    )
    total_taps = grid.n_outputs * grid.n_taps
    if position is None:
        c[3].metric(
            "Taps in padding",
            f"{grid.padding_taps} of {total_taps}",
            help="Over all outputs: how many of the taps read a padding cell instead of a real pixel.",
        )
    else:
        c[3].metric(
            "Taps in padding here",
            f"{grid.padding_taps_of(position)} of {grid.n_taps}",
            delta=f"all outputs: {grid.padding_taps} of {total_taps}",
            delta_color="off",
            delta_arrow="off",
            help="How many taps of the picked output read a padding cell.",
        )
    c[4].metric(
        "Pixels never read",
        f"{grid.unread_share:.0%}",
        help="Share of input pixels whose value reaches no output at all (padding copies count as reads).",
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
            st.markdown(
                "**Rows and columns**" if len(axes) == 1 else ("**Rows**" if i == 0 else "**Columns**")
            )
        st.latex(
            rf"k_\mathrm{{eff}} = d(k-1)+1 = {a.dilation}\cdot{a.kernel_size - 1}+1 = {a.k_eff}"
            rf"\qquad p_l = {a.pad_left},\ p_r = {a.pad_right}"
        )
        st.latex(
            r"o = \left\lfloor \frac{n + p_l + p_r - d(k-1) - 1}{s} \right\rfloor + 1 = "
            rf"\left\lfloor \frac{{{a.n} + {a.pad_left} + {a.pad_right} - {a.k_eff - 1} - 1}}{{{a.stride}}} "
            rf"\right\rfloor + 1 = {a.out}"
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
                f"{where}stride **{a.stride}** is larger than the kernel's span **{a.k_eff}**: "
                f"the pixels between two windows are skipped ({kinds['between']} in all)."
            )
        if kinds["gap"]:
            why = (
                f"stride {a.stride} and dilation {a.dilation} share the factor **{a.read_every}**, so every "
                f"tap lands on the same phase: only every {a.read_every}th pixel can be read"
                if a.read_every > 1
                else "no other window's taps land on them"
            )
            notes.append(f"{where}{kinds['gap']} pixel(s) fall in the gaps between the taps and {why}.")
        if kinds["edge"]:
            notes.append(
                f"{where}{kinds['edge']} pixel(s) at the edge are never reached: "
                f"the last {a.edge_leftover} padded position(s) do not fit another stride."
                if a.edge_leftover
                else f"{where}{kinds['edge']} pixel(s) at the edge are never reached."
            )
    st.info("  \n".join(notes), icon=":material/visibility_off:")


def _pick(grid: GridSampling) -> tuple[int, ...]:
    """Sliders for the output cell (clamped to the current output)."""
    keys = ["sg_pick_c"] if grid.ndim == 1 else ["sg_pick_r", "sg_pick_c"]
    labels = ["Output index"] if grid.ndim == 1 else ["Output row", "Output column"]
    cols = st.columns(len(keys))
    position = []
    for col, key, label, size in zip(cols, keys, labels, grid.out_shape, strict=True):
        st.session_state[key] = min(int(st.session_state.get(key, 0)), size - 1)
        if size == 1:
            col.caption(f"{label}: 0 (the only one)")
            position.append(0)
            continue
        position.append(
            int(
                col.slider(
                    label, 0, size - 1, key=key, help=HELP["pick_r" if key == "sg_pick_r" else "pick_c"]
                )
            )
        )
    return tuple(position)


def _taps_text(grid: GridSampling, position: tuple[int, ...]) -> str:
    if grid.ndim == 1:
        a = grid.axes[0]
        return f"Output **{position[0]}** reads inputs {', '.join(str(int(x)) for x in a.taps[position[0]])}."
    r, c = grid.axes
    rows = ", ".join(str(int(x)) for x in r.taps[position[0]])
    cols = ", ".join(str(int(x)) for x in c.taps[position[1]])
    return f"Output **({position[0]}, {position[1]})** reads rows {rows} × columns {cols}."


def _legend(grid: GridSampling, animated: bool) -> str:
    def chip(color: str, text: str) -> str:
        return f"<span style='background:{color};padding:0 0.6em;border-radius:3px'>&nbsp;</span> {text}"

    items = [
        chip(COLORS["pixel"], "input pixel"),
        chip(
            COLORS["tap"],
            "tap (number = kernel position m" + (", row by row" if grid.ndim == 2 else "") + ")",
        ),
    ]
    if any(a.pad_left or a.pad_right for a in grid.axes):
        if grid.mode == "zeros":
            items.append(chip(COLORS["pad_zero"], "padding (holds 0)"))
        else:
            items.append(chip(COLORS["pad_copy"], f"padding ({grid.mode}: copies a pixel)"))
        items.append(
            chip(
                COLORS["tap_pad"],
                "tap reading padding" + ("" if grid.mode == "zeros" else " · dotted: the pixel it copies"),
            )
        )
    if grid.unread_share > 0:
        items.append(chip(COLORS["unread"], "pixel no output reads"))
    if animated:
        items.append(chip(COLORS["done"], "output computed"))
        items.append(chip(COLORS["current"], "output being computed"))
    else:
        items.append(chip(COLORS["current"], "the picked output"))
    items.append(
        "<span style='border:2px dashed #e4572e;padding:0 0.6em'>&nbsp;</span> the kernel's span (k_eff)"
    )
    return " &nbsp;&nbsp; ".join(items)


def _explain(mode: str) -> None:
    with st.expander("Explain: dilation, padding and the formulas", icon=":material/school:"):
        st.markdown(
            "**Same weights, wider reach.** A dilated kernel keeps its k taps (k² in 2D) but spaces them "
            "`d` pixels apart. The weights do not change in number, only where they read: the span grows "
            "to `d·(k−1)+1`. That is how a network sees further without more parameters or multiply-adds.\n\n"
            "**The gaps.** Between two taps, `d−1` pixels are skipped by this output. With stride 1 the "
            "neighbouring outputs read them, but stacking several layers with the same dilation keeps "
            "missing the same pixels (gridding; see the *Receptive field* page). A stride larger than the "
            "span skips input pixels entirely."
        )
        c = st.columns(2)
        with c[0]:
            st.markdown("Effective kernel size")
            st.latex(r"k_\mathrm{eff} = d\,(k-1) + 1")
            st.markdown("Output size (PyTorch)")
            st.latex(r"o = \left\lfloor \frac{n + p_l + p_r - d\,(k-1) - 1}{s} \right\rfloor + 1")
        with c[1]:
            st.markdown("Where output i reads, tap m")
            st.latex(r"x\big[\,i\,s - p_l + d\,m\,\big],\quad m = 0,\dots,k-1")
            st.markdown("'same' padding")
            st.latex(r"p_l + p_r = d\,(k-1),\quad p_l = \left\lfloor \tfrac{d(k-1)}{2} \right\rfloor")
        st.markdown(
            "**Padding modes** (what a tap outside the input reads): *zeros* reads 0; *reflect* mirrors "
            "without repeating the edge (…x₂ x₁ | x₀ x₁ x₂…); *replicate* repeats the edge pixel; "
            "*circular* wraps around to the other end. Reflect needs less padding than the input size, "
            "circular at most the input size.\n\n"
            "PyTorch's `nn.Conv2d(padding='same')` only accepts stride 1; with a larger stride this page "
            "still pads `d·(k−1)` in total, which gives ⌈n/s⌉ outputs."
        )
        if mode != "zeros":
            st.caption(f"Current mode: {mode}. Hover a padding cell to see which pixel it copies.")


def render() -> None:
    """Draw the Sampling grid page."""
    _init_state()
    st.title("Sampling grid")
    st.markdown(
        "#### Where does each weight of a dilated kernel read?\n"
        "Pick the kernel size, dilation, stride and padding; watch the taps slide over the input and "
        "the output fill in."
    )
    axes, mode, view, compare = _controls()
    problems = _explain_problem(axes, mode)
    if problems:
        st.warning("\n\n".join(problems), icon=":material/block:")
        _explain(mode)
        return

    grid = _grid(_key(axes), mode)
    position = None
    if view == "Pick a cell":
        position = _pick(grid)
    _metrics(grid, position)

    compare_on = compare and any(a.dilation > 1 for a in grid.axes)
    specs = [(_key(axes), grid)]
    if compare_on:
        specs.insert(0, (_key(axes, dilation_one=True), _grid(_key(axes, dilation_one=True), mode)))
    side_by_side = compare_on and grid.ndim == 2  # 1D rows are wide and short: stack them
    columns = st.columns(len(specs)) if side_by_side else [st.container() for _ in specs]
    width_px = 520 if side_by_side else 1000
    cell_px = shared_cell_px([g for _, g in specs], width_px) if side_by_side else None
    x_range = shared_x_range([g for _, g in specs]) if compare_on and grid.ndim == 1 else None
    with st.spinner("Drawing the grid…"):
        for i, (col, (key, g)) in enumerate(zip(columns, specs, strict=True)):
            pos = None
            if position is not None:
                pos = tuple(min(p, o - 1) for p, o in zip(position, g.out_shape, strict=True))
            fig = _figure(key, mode, pos, width_px, cell_px, x_range, _title(g))
            col.plotly_chart(
                fig,
                key=f"sg_fig_{i}",
                config={"displayModeBar": False, "scrollZoom": False},
                theme=None,
            )
    st.markdown(_legend(grid, position is None), unsafe_allow_html=True)
    if compare and not compare_on:
        st.caption("Compare is on, but the dilation is already 1: raise it to see the difference.")
    if position is not None:
        st.markdown(_taps_text(grid, position))
        if compare_on and any(p >= o for p, o in zip(position, specs[1][1].out_shape, strict=True)):
            st.caption("The dilated layer has fewer outputs; its panel shows the nearest one.")
    else:
        for g in (s[1] for s in specs):
            shown = len(frame_outputs(g.n_outputs, frame_budget(g.n_taps)))
            if shown < g.n_outputs:
                st.caption(
                    f"{g.n_outputs} output positions are too many to animate lightly: the animation shows "
                    f"{shown} of them, evenly spread. Use *Pick a cell* to see any one."
                )
        st.caption(
            "Press **Play**, or drag the slider under the figure: each step is one output. The dashed box is "
            "the kernel's span; only the numbered cells are read, the cells between them are the gaps "
            "that dilation leaves. Hover a cell for details."
        )
    _skip_notes(grid)
    _formulas(grid)
    _explain(mode)


render()
