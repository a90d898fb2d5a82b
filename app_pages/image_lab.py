"""Image lab: a filter bank run as real torch convolutions on your own image, at several dilations."""

from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd
import streamlit as st
import torch

from dsdcn import budget
from dsdcn import filters as fl
from dsdcn.figures.imaging import ImagingText, create_response_heatmap, create_stats_chart
from dsdcn.geometry import effective_kernel_size, resolve_padding
from dsdcn.imaging import ImageError, image_digest, inspect_image
from dsdcn.receptive import Layer, holes
from ui import image_lab as lab
from ui.common import device_choice, refused
from ui.i18n import latex, plural, t
from ui.workshop import (
    data_table,
    keep_link_key,
    presets_bar,
    projector,
    show_chart,
    style_figure,
    take_choice_link_value,
    take_choices_link_value,
    take_parsed_link_value,
    write_choices_link_value,
    write_coded_link_value,
)

# every control's default, keyed by its widget key; every control round-trips through the URL parameter of
# its key: bound by Streamlit, or by hand (the seed and the two schedules, whose link text is checked first)
DEFAULTS: dict[str, object] = {
    "lab_source": "sample",
    "lab_sample": "street_scene.png",
    "lab_kind": "dilated",
    "lab_filters": ["sobel_x", "sobel_y", "laplacian", "gaussian", "gabor"],
    "lab_gabor_n": 4,
    "lab_random_n": 2,
    "lab_seed": 0,
    "lab_kernel": 3,
    "lab_channels": "rgb",
    "lab_padding": "replicate",
    "lab_dilations": [1, 2, 4, 8],
    "lab_device": "auto",
    "lab_norm": "per_filter",
    "lab_centre_zero": True,
    "lab_clip": True,
    "lab_cmap": "grey",
    "lab_view": "whole",
    "lab_tab": "maps",  # a tab code; the widget holds its label in the current language
    "lab_compare": 0,
    "lab_stat": "std",
    "lab_stack_filter": "box",
    "lab_stack_a": "2, 2, 2",
    "lab_stack_b": "1, 2, 5",
}

# lesson presets: one idea each; the controls they do not name go back to DEFAULTS
PRESETS: dict[str, dict[str, object]] = {
    "coarser": {
        "lab_sample": "test_pattern.png",
        "lab_filters": ["gabor"],
        "lab_gabor_n": 2,
        "lab_dilations": [1, 2, 4, 8],
    },
    "gridding": {
        "lab_sample": "test_pattern.png",
        "lab_filters": ["box"],
        "lab_dilations": [2],
        "lab_view": "crop",
        "lab_tab": "stack",
        "lab_stack_filter": "box",
        "lab_stack_a": "2, 2, 2",
        "lab_stack_b": "1, 2, 5",
    },
    "colours": {
        "lab_kind": "depthwise",
        "lab_filters": ["laplacian", "gaussian"],
        "lab_dilations": [1, 4],
    },
    "sobel": {
        "lab_sample": "line_drawing.png",
        "lab_filters": ["sobel_x", "sobel_y"],
        "lab_dilations": [1, 2, 4],
        "lab_cmap": "diverging",
    },
}

SAMPLES = ("street_scene.png", "line_drawing.png", "test_pattern.png")
FILTERS = ("sobel_x", "sobel_y", "laplacian", "gaussian", "gabor", "box", "identity", "random")
KINDS = ("standard", "dilated", "depthwise", "separable")
PADDINGS = ("zeros", "reflect", "replicate", "circular")
NORMS = ("per_map", "per_filter", "shared")
CMAPS = ("grey", "diverging", "viridis")
VIEWS = ("whole", "crop")
STATS = ("std", "mean_abs", "diff_mean_abs", "max", "min")
TABS = ("maps", "compare", "stats", "stack", "download")
KERNELS = (3, 5, 7, 9, 11)
DILATION_OPTIONS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32]
_DILATIONS_KEPT = "_lab_dilations_kept"  # the last accepted choice of dilations
_DILATIONS_CAPPED = "_lab_dilations_capped"  # a pick past the limit was refused in this run


def _cap_dilations() -> None:
    """Refuse a pick past ``fl.MAX_DILATIONS`` dilations: the pills go back to the last accepted choice."""
    chosen = list(st.session_state.get("lab_dilations") or ())
    if len(chosen) > fl.MAX_DILATIONS:
        kept = [d for d in chosen if d in st.session_state.get(_DILATIONS_KEPT, ())]
        st.session_state["lab_dilations"] = (kept or chosen)[: fl.MAX_DILATIONS]
        st.session_state[_DILATIONS_CAPPED] = True


STACK_FILTERS = ("box", "gaussian", "sobel_x", "sobel_y", "laplacian", "identity")
# settings shown inside the tabs: they wait in the link while the tabs cannot be drawn (no image yet)
TAB_KEYS = ("lab_tab", "lab_compare", "lab_stat", "lab_stack_filter", "lab_stack_a", "lab_stack_b")
SCHEDULE_CHARS = 40
RESPONSE_CELLS = 257  # most cells a side of a stack's response heatmap (what a screen shows)
# choices shown with translated labels keep their code in the link, by hand (no ``bind``: Streamlit would
# write the label of this run's language): widget key -> (label group, option codes)
CODED: dict[str, tuple[str, tuple[object, ...]]] = {
    "lab_source": ("source", ("sample", "upload")),
    "lab_sample": ("sample", SAMPLES),
    "lab_kind": ("kind", KINDS),
    "lab_channels": ("channels", ("rgb", "grey")),
    "lab_padding": ("padding", PADDINGS),
    "lab_norm": ("norm", NORMS),
    "lab_cmap": ("cmap", CMAPS),
    "lab_view": ("view", VIEWS),
    "lab_device": ("device", ("auto", "cpu")),
    "lab_stat": ("stat", STATS),
    "lab_stack_filter": ("filter", STACK_FILTERS),
    "lab_tab": ("tab", TABS),
}
# the filter names of the library's bank labels ("Sobel x", "Gabor 45°", "Random 2")
_LIBRARY_NAMES = {
    "Sobel x": "sobel_x",
    "Sobel y": "sobel_y",
    "Laplacian": "laplacian",
    "Gaussian": "gaussian",
    "Box": "box",
    "Identity": "identity",
}
_NUMBERED = re.compile(r"^(Gabor|Random) (.+)$")


def _tr(group: str, code: object) -> str:
    """The label of an option code, e.g. ``_tr("kind", "dilated")``."""
    return t(f"image_lab.{group}.{code}")


def _labels(group: str, codes: tuple[object, ...]) -> dict[object, str]:
    """Option labels in the current language, fixed when the widget is drawn (a ``format_func``)."""
    return {code: _tr(group, code) for code in codes}


def _tab_label(code: str) -> str:
    return _tr("tab", code)


def _bank_label(label: str) -> str:
    """A bank label of the library in the current language."""
    if label in _LIBRARY_NAMES:
        return _tr("filter", _LIBRARY_NAMES[label])
    match = _NUMBERED.match(label)
    if match:
        kind, rest = match.groups()
        return t(f"image_lab.filter_{kind.lower()}_n", n=rest)
    return label


def _defaults() -> dict[str, object]:
    """DEFAULTS as widget values (the tab by its label in the current language); lists copied."""
    values = {k: list(v) if isinstance(v, list) else v for k, v in DEFAULTS.items()}
    values["lab_tab"] = _tab_label(str(DEFAULTS["lab_tab"]))
    return values


def _presets() -> dict[str, dict[str, object]]:
    return {
        pid: {k: _tab_label(str(v)) if k == "lab_tab" else v for k, v in values.items()}
        for pid, values in PRESETS.items()
    }


def _prepare_state() -> None:
    """Check hand-validated link values, then put every default in session state (a link value wins)."""
    take_parsed_link_value("lab_seed", lab.parse_seed)
    for key in ("lab_stack_a", "lab_stack_b"):
        take_parsed_link_value(key, lambda raw: raw if lab.parse_schedule_text(raw, SCHEDULE_CHARS) else None)
    # translated choices: the link holds the code (older links the label); the widgets inside a tab are
    # drawn only while their tab is open, so every one is read now
    for key, (group, codes) in CODED.items():
        take_choice_link_value(key, codes, lambda code, group=group: f"image_lab.{group}.{code}")
    take_choices_link_value("lab_filters", FILTERS, lambda code: f"image_lab.filter.{code}")
    take_parsed_link_value("lab_compare", _compare_link_value)
    # Every widget also declares its DEFAULTS value (value=/index=/default=): Streamlit leaves a widget's
    # declared default out of the link, so it must be the page's default; the value in session state wins
    # (Streamlit only logs that both are given). The schedules, drawn only while their tab is open, are
    # kept in session state while it is closed.
    for key in ("lab_stack_a", "lab_stack_b", "lab_stat", "lab_stack_filter", "lab_compare"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    for key, value in _defaults().items():
        st.session_state.setdefault(key, value)
    # the tab is held by its label: after a language switch, the same tab in the new language
    tab = st.session_state.get("lab_tab")
    code = tab if tab in TABS else _tab_code(tab)
    if code is not None:
        st.session_state["lab_tab"] = _tab_label(str(code))


def _tab_code(label: object) -> str | None:
    """The code of a tab label in any language (None if it is none)."""
    code = lab.code_of_label(label, [f"image_lab.tab.{c}" for c in TABS])
    return None if code is None else code.rsplit(".", 1)[1]


def _compare_link_value(raw: str) -> int | str | None:
    """The compared filter of a link: its index in the bank, or (older links) its label, matched once the
    bank is known."""
    if re.fullmatch(r"[0-9]{1,2}", raw):
        return int(raw)
    labels = set(lab.possible_bank_labels()) | {_bank_label(label) for label in lab.possible_bank_labels()}
    return raw if raw in labels else None


def _write_coded(key: str) -> None:
    """Keep the code of the choice ``key`` (as it is in session state; the tab by its label) in the link."""
    value = st.session_state.get(key)
    if key == "lab_tab":
        value = _tab_code(value)
    if value is None or (key == "lab_compare" and isinstance(value, str)):  # unknown, or matched later
        return
    write_coded_link_value(key, value, DEFAULTS[key])


def _image_source() -> tuple[str, bytes] | None:
    """The chosen sample or upload: (name, bytes), or None while nothing is uploaded."""
    source = st.segmented_control(
        t("image_lab.source"),
        ["sample", "upload"],
        required=True,
        format_func=_labels("source", ("sample", "upload")).__getitem__,
        key="lab_source",
        default=DEFAULTS["lab_source"],
        help=t("image_lab.source_help"),
    )
    write_coded_link_value("lab_source", source, DEFAULTS["lab_source"])
    if source == "upload":
        uploaded = st.file_uploader(
            t("image_lab.upload"),
            type=["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"],
            key="lab_upload",
            max_upload_size=50,
            help=t("image_lab.upload_help"),
        )
        if uploaded is None:
            st.info(t("image_lab.upload_prompt"), icon=":material/upload_file:")
            return None
        return uploaded.name, uploaded.getvalue()
    names = [n for n in SAMPLES if n in lab.sample_names()]
    name = st.selectbox(
        t("image_lab.sample"),
        names,
        format_func=_labels("sample", SAMPLES).__getitem__,
        key="lab_sample",
        index=names.index(DEFAULTS["lab_sample"]) if DEFAULTS["lab_sample"] in names else 0,
        help=t("image_lab.sample_help"),
    )
    write_coded_link_value("lab_sample", name, DEFAULTS["lab_sample"])
    return name, lab.sample_bytes(name)


def _load_notes(data: bytes, rgb: np.ndarray) -> list[str]:
    """What loading did to the file, from its header."""
    info = inspect_image(data)
    if info is None:
        return []
    notes: list[str] = []
    if info.frames > 1:
        notes.append(t("image_lab.note_frames", format=info.format, frames=info.frames))
    if info.mode == "CMYK":
        notes.append(t("image_lab.note_cmyk"))
    if info.bits > 8:
        notes.append(t("image_lab.note_bits", bits=info.bits))
    if info.mode in ("P", "PA"):
        notes.append(t("image_lab.note_palette"))
    if info.has_alpha:
        notes.append(t("image_lab.note_alpha"))
    if info.orientation not in (0, 1):
        notes.append(t("image_lab.note_exif", orientation=info.orientation))
    stored = info.size if info.orientation in (0, 1, 2, 3, 4) else info.size[::-1]
    if stored != (rgb.shape[1], rgb.shape[0]):
        notes.append(
            t(
                "image_lab.note_shrunk",
                w0=stored[0],
                h0=stored[1],
                w=rgb.shape[1],
                h=rgb.shape[0],
                limit=lab.MAX_SIDE,
            )
        )
    return notes


def _controls() -> dict[str, object]:
    """Layer, filter and display controls; returns the settings."""
    if projector():  # two wide columns, two rows: big labels and option buttons keep their width
        c1, c2 = st.columns(2, gap="large")
        c3, c4 = st.columns(2, gap="large")
    else:
        c1, c2, c3 = st.columns(3, gap="large")
        c4 = c3
    with c1:
        st.markdown(f"**{t('image_lab.group_layer')}**")
        kind = st.radio(
            t("image_lab.kind"),
            list(KINDS),
            format_func=_labels("kind", KINDS).__getitem__,
            captions=[_tr("kind_caption", k) for k in KINDS],
            key="lab_kind",
            index=KINDS.index(DEFAULTS["lab_kind"]),
            help=t("image_lab.kind_help"),
        )
        write_coded_link_value("lab_kind", kind, DEFAULTS["lab_kind"])
        kernel = st.select_slider(
            t("image_lab.kernel"),
            list(KERNELS),
            key="lab_kernel",
            value=DEFAULTS["lab_kernel"],
            bind="query-params",
            help=t("image_lab.kernel_help"),
        )
        channels = st.segmented_control(
            t("image_lab.channels"),
            ["rgb", "grey"],
            required=True,
            format_func=_labels("channels", ("rgb", "grey")).__getitem__,
            key="lab_channels",
            default=DEFAULTS["lab_channels"],
            help=t("image_lab.channels_help"),
        )
        write_coded_link_value("lab_channels", channels, DEFAULTS["lab_channels"])
        padding = st.selectbox(
            t("image_lab.padding"),
            list(PADDINGS),
            format_func=_labels("padding", PADDINGS).__getitem__,
            key="lab_padding",
            index=PADDINGS.index(DEFAULTS["lab_padding"]),
            help=t("image_lab.padding_help"),
        )
        write_coded_link_value("lab_padding", padding, DEFAULTS["lab_padding"])
    with c2:
        st.markdown(f"**{t('image_lab.group_bank')}**")
        filters = st.multiselect(
            t("image_lab.filters"),
            list(FILTERS),
            format_func=_labels("filter", FILTERS).__getitem__,
            key="lab_filters",
            default=DEFAULTS["lab_filters"],
            wrap=True,
            help=t("image_lab.filters_help"),
        )
        write_choices_link_value("lab_filters", filters, DEFAULTS["lab_filters"])
        gabor_n = st.slider(
            t("image_lab.gabor_n"),
            1,
            8,
            key="lab_gabor_n",
            value=DEFAULTS["lab_gabor_n"],
            bind="query-params",
            help=t("image_lab.gabor_n_help"),
        )
        random_n = st.slider(
            t("image_lab.random_n"),
            1,
            8,
            key="lab_random_n",
            value=DEFAULTS["lab_random_n"],
            bind="query-params",
            help=t("image_lab.random_n_help"),
        )
        seed = st.number_input(
            t("image_lab.seed"),
            0,
            lab.MAX_SEED,
            step=1,
            key="lab_seed",
            value=DEFAULTS["lab_seed"],
            help=t("image_lab.seed_help"),
        )
        lab.put_link_value("lab_seed", int(seed), DEFAULTS["lab_seed"])
    with c3:
        st.markdown(f"**{t('image_lab.group_display')}**")
        dilations = st.pills(
            t("image_lab.dilations"),
            DILATION_OPTIONS,
            selection_mode="multi",
            key="lab_dilations",
            default=DEFAULTS["lab_dilations"],
            bind="query-params",
            wrap=True,
            disabled=kind == "standard",
            help=t("image_lab.dilations_help", max=fl.MAX_DILATIONS),
            on_change=_cap_dilations,
        )
        if len(dilations or ()) > fl.MAX_DILATIONS:  # a link can ask for more than the pills allow
            dilations = list(dilations)[: fl.MAX_DILATIONS]
            st.session_state[_DILATIONS_CAPPED] = True
        if st.session_state.pop(_DILATIONS_CAPPED, False):
            st.caption(t("image_lab.dilations_capped", max=fl.MAX_DILATIONS))
        st.session_state[_DILATIONS_KEPT] = list(dilations or ())
        norm = st.radio(
            t("image_lab.norm"),
            list(NORMS),
            format_func=_labels("norm", NORMS).__getitem__,
            key="lab_norm",
            index=NORMS.index(DEFAULTS["lab_norm"]),
            help=t("image_lab.norm_help"),
        )
        write_coded_link_value("lab_norm", norm, DEFAULTS["lab_norm"])
        clip = st.toggle(
            t("image_lab.clip", pct=f"{fl.CLIP_PERCENT:g}"),
            key="lab_clip",
            value=DEFAULTS["lab_clip"],
            bind="query-params",
            help=t("image_lab.clip_help", pct=f"{fl.CLIP_PERCENT:g}", top=f"{100 - fl.CLIP_PERCENT:g}"),
        )
        centre_zero = st.toggle(
            t("image_lab.centre_zero"),
            key="lab_centre_zero",
            value=DEFAULTS["lab_centre_zero"],
            bind="query-params",
            help=t("image_lab.centre_zero_help"),
        )
    with c4:
        cmap = st.selectbox(
            t("image_lab.cmap"),
            list(CMAPS),
            format_func=_labels("cmap", CMAPS).__getitem__,
            key="lab_cmap",
            index=CMAPS.index(DEFAULTS["lab_cmap"]),
            help=t("image_lab.cmap_help"),
        )
        write_coded_link_value("lab_cmap", cmap, DEFAULTS["lab_cmap"])
        view = st.radio(
            t("image_lab.view"),
            list(VIEWS),
            format_func=_labels("view", VIEWS).__getitem__,
            key="lab_view",
            index=VIEWS.index(DEFAULTS["lab_view"]),
            horizontal=True,
            help=t("image_lab.view_help"),
        )
        write_coded_link_value("lab_view", view, DEFAULTS["lab_view"])
        device_pref = st.segmented_control(
            t("image_lab.device"),
            ["auto", "cpu"],
            required=True,
            format_func=_labels("device", ("auto", "cpu")).__getitem__,
            key="lab_device",
            default=DEFAULTS["lab_device"],
            help=t("image_lab.device_help"),
        )
        write_coded_link_value("lab_device", device_pref, DEFAULTS["lab_device"])
    return {
        "kind": kind,
        "kernel": int(kernel),
        "grey": channels == "grey",
        "padding": padding,
        "filters": tuple(filters),
        "gabor_n": int(gabor_n),
        "random_n": int(random_n),
        "seed": int(seed),
        "dilations": (1,) if kind == "standard" else tuple(sorted(int(d) for d in dilations or ())),
        "norm": norm,
        "centre_zero": bool(centre_zero),
        "clip": bool(clip),
        "cmap": cmap,
        "view": view,
        "device": device_pref,
    }


def _formulas(s: dict[str, object], height: int, width: int, bank: fl.FilterBank) -> None:
    """The arithmetic of this run, evaluated with the current values."""
    k = s["kernel"]
    ds = s["dilations"]
    spans = ", \\; ".join(f"d={d}: {effective_kernel_size(k, d)}" for d in ds)
    pads = ", \\; ".join(f"d={d}: {resolve_padding('same', k, d)[0]}" for d in ds)
    k_eff = r"k_\text{eff} = d\,(k-1)+1"
    pad = r"p = \tfrac{d\,(k-1)}{2} \;\text{@per_side}"
    out = rf"o = n + 2p - d\,(k-1) = n \;\;({height}\times{width})"
    if projector() or len(ds) > 4:  # formula above its values where the large type would overflow
        for first, second in ((k_eff, spans), (pad, pads)):
            latex(rf"\begin{{gathered}} {first} \\ {second} \end{{gathered}}")
        latex(out)
    else:
        latex(rf"{k_eff} \quad\Rightarrow\quad {spans}")
        latex(rf"{pad}:\; {pads} \qquad {out}")
    cost = fl.layer_cost(s["kind"], bank.channels, bank.size, k, height, width, ds[0])
    cols = st.columns(3)
    cols[0].metric(t("image_lab.weights"), f"{cost.params:,}", help=t("image_lab.weights_help"))
    cols[1].metric(
        t("image_lab.macs"),
        t("image_lab.macs_value", m=f"{cost.macs / 1e6:,.1f}"),
        help=t("image_lab.macs_help"),
    )
    cols[2].metric(t("image_lab.out_maps"), f"{cost.out_channels}", help=t("image_lab.out_maps_help"))


def _ranges(run: fl.MapRun, s: dict[str, object], mode: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    low, high = (run.stats.low, run.stats.high) if s["clip"] else (run.stats.minimum, run.stats.maximum)
    return fl.map_ranges(low, high, mode or s["norm"], s["centre_zero"])


def _shown(run: fl.MapRun, view: str) -> np.ndarray:
    return run.crop if view == "crop" else run.preview


def _display(image: np.ndarray, view: str) -> np.ndarray:
    return fl.zoom_nearest(image, 2) if view == "crop" else image


def _device_words(device: str) -> str:
    if device.startswith("cuda"):
        choice = device_choice()
        return choice.description if choice.device.type == "cuda" else "CUDA GPU"
    if device == "cpu":
        return t("image_lab.cpu_threads", n=torch.get_num_threads())
    return device.upper()


def _figure_text() -> ImagingText:
    return ImagingText(
        dilation=t("image_lab.fig_dilation"),
        bar_name=t("image_lab.fig_bar_name"),
        weight=t("image_lab.fig_weight"),
        offset_x=t("image_lab.fig_offset_x"),
        offset_y=t("image_lab.fig_offset_y"),
    )


def _chart(fig, key: str, name: str) -> None:
    style_figure(fig)
    if projector():  # Streamlit's chart theme sets its own small tick, legend and title fonts: name them
        fig.update_layout(title_font_size=26, legend_font_size=20, legend_title_font_size=20)
        fig.update_xaxes(tickfont_size=20, title_font_size=22)
        fig.update_yaxes(tickfont_size=20, title_font_size=22)
        fig.update_traces(
            colorbar_tickfont_size=18, colorbar_title_font_size=20, selector={"type": "heatmap"}
        )
    show_chart(fig, key=key, name=name)


def _run_line(outcome: lab.Outcome, seconds: float, what: str) -> None:
    """Device and time of the run; a notice after an out-of-memory fallback; the session's run log."""
    seen = st.session_state.setdefault("lab_seen_runs", set())
    cached = outcome.run_id in seen
    seen.add(outcome.run_id)
    when = time.strftime("%H:%M:%S", time.localtime(outcome.computed_at))
    line = "image_lab.run_cached" if cached else "image_lab.run_fresh"
    st.caption(t(line, what=what, when=when, device=_device_words(outcome.device), seconds=f"{seconds:.2f}"))
    if outcome.fallback is not None:
        st.warning(
            t("image_lab.oom", device=outcome.fallback.device.upper(), error=outcome.fallback.error),
            icon=":material/memory:",
        )
    if not cached:
        log = st.session_state.setdefault("lab_run_log", [])
        log.append({"time": when, "what": what, "device": outcome.device, "seconds": round(seconds, 3)})


def _maps_tab(run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object], labels: list[str]) -> None:
    lo, hi = _ranges(run, s)
    maps = _shown(run, s["view"])
    scale = _tr("maps_scale", s["norm"])
    colour = (
        t("image_lab.maps_colour_depthwise")
        if run.map_channels == 3
        else t("image_lab.maps_colour_map", cmap=_tr("cmap", s["cmap"]))
    )
    parts = [t("image_lab.maps_caption", scale=scale), colour]
    if s["centre_zero"]:
        parts.append(t("image_lab.maps_zero"))
    if s["clip"]:
        parts.append(t("image_lab.maps_clipped", pct=f"{fl.CLIP_PERCENT:g}"))
    parts.append(t("image_lab.maps_kernels"))
    st.caption(" ".join(parts))
    if s["norm"] == "shared":
        if run.map_channels == 1:
            st.image(fl.colorbar_image(s["cmap"], 512, 18), width="content")
        st.caption(t("image_lab.maps_shared_scale", lo=f"{lo.flat[0]:+.3g}", hi=f"{hi.flat[0]:+.3g}"))
    header = st.columns([1.1] + [2] * len(run.dilations))
    header[0].markdown(f"**{t('image_lab.maps_filter')}**")
    for i, d in enumerate(run.dilations):
        header[i + 1].markdown(
            t("image_lab.maps_column", d=d, span=effective_kernel_size(bank.kernel_size, d))
        )
    # rendered once per run and scale (JPEG bytes, as st.image would encode the arrays), not on every rerun
    scale = (s["view"], s["norm"], s["clip"], s["centre_zero"])
    images = lab.map_jpegs(run.run_id, scale, s["cmap"], 2 if s["view"] == "crop" else 1, maps, lo, hi)
    for j, label in enumerate(labels):
        cols = st.columns([1.1] + [2] * len(run.dilations))
        with cols[0]:
            st.markdown(f"**{label}**")
            st.image(lab.kernel_jpeg(bank.kernels[j, 0].numpy()), caption=t("image_lab.maps_kernel"))
            if s["norm"] == "per_filter":
                if run.map_channels == 1:
                    st.image(lab.colorbar_jpeg(s["cmap"], 128, 10))
                st.caption(f"{lo[0, j]:+.3g} … {hi[0, j]:+.3g}")
        for i, d in enumerate(run.dilations):
            caption = f"d = {d}"
            if s["norm"] == "per_map":
                caption += f" · {lo[i, j]:+.3g} … {hi[i, j]:+.3g}"
            cols[i + 1].image(images[i][j], caption=caption, width="stretch")


def _compare_tab(run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object], labels: list[str]) -> None:
    held = st.session_state.get("lab_compare")
    if isinstance(held, str):  # an older link's filter label: its place in this bank
        names = [*run.labels, *labels]
        st.session_state["lab_compare"] = names.index(held) % len(labels) if held in names else 0
    if not 0 <= int(st.session_state.get("lab_compare") or 0) < len(labels):
        st.session_state["lab_compare"] = 0
    j = st.selectbox(
        t("image_lab.compare"),
        list(range(len(labels))),
        format_func=lambda i: labels[i],
        key="lab_compare",
        index=0,
        help=t("image_lab.compare_help"),
    )
    write_coded_link_value("lab_compare", j, DEFAULTS["lab_compare"])
    if j is None or j >= len(labels):
        j = 0
    kernel = bank.kernels[j, 0].numpy()
    lo, hi = _ranges(run, s, "per_filter")
    maps = _shown(run, s["view"])[:, j]
    diffs, bound = fl.differences(maps, 0, fl.CLIP_PERCENT if s["clip"] else 0.0)
    st.caption(
        t(
            "image_lab.compare_caption",
            n=kernel.size,
            lo=f"{lo[0, j]:+.3g}",
            hi=f"{hi[0, j]:+.3g}",
            d0=run.dilations[0],
            bound=f"{bound:.3g}",
        )
    )
    cols = st.columns(len(run.dilations))
    for i, d in enumerate(run.dilations):
        with cols[i]:
            footprint = fl.dilate_kernel(kernel, d)
            st.image(
                lab.kernel_jpeg(footprint, 160),
                caption=t("image_lab.compare_footprint", d=d, n=footprint.shape[0]),
                width="stretch",
            )
            st.image(
                _display(fl.render_map(maps[i], float(lo[i, j]), float(hi[i, j]), s["cmap"]), s["view"]),
                caption=t("image_lab.compare_map", d=d),
                width="stretch",
            )
            if i == 0:
                st.caption(t("image_lab.compare_reference"))
            else:
                diff_image = fl.render_map(
                    diffs[i] if diffs.shape[1] == 1 else diffs[i].mean(axis=0, keepdims=True),
                    -bound,
                    bound,
                    "diverging",
                )
                st.image(
                    _display(diff_image, s["view"]),
                    caption=t(
                        "image_lab.compare_diff",
                        d=d,
                        d0=run.dilations[0],
                        mean=f"{run.stats.diff_mean_abs[i, j]:.3g}",
                    ),
                    width="stretch",
                )


def _stats_table(run: fl.MapRun, labels: list[str]) -> pd.DataFrame:
    """The statistics rows with translated filter names and column headers."""
    table = pd.DataFrame(run.stats.rows(labels, run.dilations))
    plain = ("filter", "dilation", "min", "max", "mean", "std", "mean_abs", "diff_mean_abs", "diff_max_abs")
    names = {c: t(f"image_lab.col.{c}") for c in plain}
    for pct in (fl.CLIP_PERCENT, 100 - fl.CLIP_PERCENT):
        names[f"p{pct:g}"] = t("image_lab.col.percentile", pct=f"{pct:g}")
    return table.rename(columns=names)


def _stats_tab(run: fl.MapRun, labels: list[str]) -> None:
    stat = st.selectbox(
        t("image_lab.stat"),
        list(STATS),
        format_func=_labels("stat", STATS).__getitem__,
        key="lab_stat",
        index=STATS.index(DEFAULTS["lab_stat"]),
        help=t("image_lab.stat_help"),
    )
    write_coded_link_value("lab_stat", stat, DEFAULTS["lab_stat"])
    values = {
        "std": run.stats.std,
        "mean_abs": run.stats.mean_abs,
        "diff_mean_abs": run.stats.diff_mean_abs,
        "max": run.stats.maximum,
        "min": run.stats.minimum,
    }[stat]
    name = _tr("stat", stat)
    fig = create_stats_chart(
        labels, run.dilations, values, t("image_lab.stats_title", stat=name), name, _figure_text()
    )
    _chart(fig, "lab_stats_chart", "image-lab-statistics")
    st.caption(t("image_lab.stats_caption"))
    data_table(_stats_table(run, labels), key="lab_stats_table")


def _too_heavy(need: budget.Estimate, fix: str) -> bool:
    """Say so (and return True) when ``need`` passes the room's budget: the run is not started."""
    return refused(need, "image_lab.too_heavy", fix=fix)


def _response_chart(response: np.ndarray, title: str, text: ImagingText, key: str, name: str) -> int:
    """The response heatmap, in cells small enough for a screen (and a browser message); returns the
    cell side in offsets (1: every offset drawn)."""
    cells, centres = fl.response_cells(response, RESPONSE_CELLS)
    fig = create_response_heatmap(cells, title, text)
    block = centres[1] - centres[0] if len(centres) > 1 else 1
    if block > 1:
        fig.update_traces(x=centres, y=centres)
    _chart(fig, key, name)
    return block


def _stack_tab(rgb: np.ndarray, digest: str, s: dict[str, object]) -> None:
    st.markdown(t("image_lab.stack_intro"))
    c1, c2, c3 = st.columns(3)
    stack_filter = c1.selectbox(
        t("image_lab.stack_filter"),
        list(STACK_FILTERS),
        format_func=_labels("filter", STACK_FILTERS).__getitem__,
        key="lab_stack_filter",
        index=STACK_FILTERS.index(DEFAULTS["lab_stack_filter"]),
        help=t("image_lab.stack_filter_help"),
    )
    write_coded_link_value("lab_stack_filter", stack_filter, DEFAULTS["lab_stack_filter"])
    text_a = c2.text_input(
        t("image_lab.stack_a"),
        key="lab_stack_a",
        value=DEFAULTS["lab_stack_a"],
        max_chars=SCHEDULE_CHARS,
        help=t("image_lab.stack_a_help", layers=fl.MAX_STACK_LAYERS, dmax=fl.MAX_DILATION),
    )
    text_b = c3.text_input(
        t("image_lab.stack_b"),
        key="lab_stack_b",
        value=DEFAULTS["lab_stack_b"],
        max_chars=SCHEDULE_CHARS,
        help=t("image_lab.stack_b_help"),
    )
    lab.put_link_value("lab_stack_a", text_a, DEFAULTS["lab_stack_a"])
    lab.put_link_value("lab_stack_b", text_b, DEFAULTS["lab_stack_b"])
    sched_a = lab.parse_schedule_text(text_a, SCHEDULE_CHARS)
    sched_b = lab.parse_schedule_text(text_b, SCHEDULE_CHARS)
    if sched_a is None or sched_b is None:
        which = t("image_lab.stack_a") if sched_a is None else t("image_lab.stack_b")
        st.warning(
            t("image_lab.bad_schedule", which=which, layers=fl.MAX_STACK_LAYERS, dmax=fl.MAX_DILATION),
            icon=":material/edit_note:",
        )
        return
    k, h, w = s["kernel"], rgb.shape[0], rgb.shape[1]
    bad = [d for d in (*sched_a, *sched_b) if d not in fl.usable_dilations(h, w, k, [d], s["padding"])[0]]
    if bad:
        st.warning(
            t(
                "image_lab.stack_cannot_pad",
                padding=_tr("padding", s["padding"]),
                w=w,
                h=h,
                ds=", ".join(map(str, sorted(set(bad)))),
            )
        )
        return
    device = str(lab.device_for(s["device"]))
    need = budget.stacks_estimate(h, w, 1 if s["grey"] else 3, k, (sched_a, sched_b), device.split(":")[0])
    extent = max(fl.stack_extent(k, sched_a), fl.stack_extent(k, sched_b))
    if _too_heavy(need, t("image_lab.fix_stack", extent=f"{extent:,}")):
        return
    with st.spinner(t("image_lab.stack_spinner")):
        try:
            outcome = lab.compute_stacks(
                digest,
                rgb,
                s["grey"],
                stack_filter,
                k,
                sched_a,
                sched_b,
                s["padding"],
                device,
            )
        except budget.Busy:
            st.warning(t("image_lab.busy"), icon=":material/hourglass_top:")
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the page keeps working
            st.error(t("image_lab.stack_failed", error=exc))
            return
    run: fl.StackRun = outcome.result  # type: ignore[assignment]
    _run_line(outcome, sum(run.seconds), t("image_lab.what_stacks"))
    shown = run.crop if s["view"] == "crop" else run.preview
    los, his = fl.map_ranges(np.array([[run.minimum]]), np.array([[run.maximum]]), "shared", s["centre_zero"])
    lo, hi = float(los[0, 0]), float(his[0, 0])
    diffs, bound = fl.differences(shown, 0, fl.CLIP_PERCENT if s["clip"] else 0.0)
    cols = st.columns(3)
    for i, (name, sched) in enumerate((("A", sched_a), ("B", sched_b))):
        layers = [Layer(k, 1, d) for d in sched]
        n_holes = len(holes(layers))
        extent = fl.stack_extent(k, sched)
        verdict = (
            t("image_lab.stack_holes", n=n_holes, extent=extent) if n_holes else t("image_lab.stack_no_holes")
        )
        cols[i].image(
            _display(fl.render_map(shown[i], lo, hi, s["cmap"]), s["view"]),
            caption=t(
                "image_lab.stack_caption",
                name=name,
                ds=", ".join(map(str, sched)),
                extent=extent,
                verdict=verdict,
            ),
            width="stretch",
        )
    diff_map = diffs[1] if diffs.shape[1] == 1 else diffs[1].mean(axis=0, keepdims=True)
    cols[2].image(
        _display(fl.render_map(-diff_map, -bound, bound, "diverging"), s["view"]),
        caption=t("image_lab.stack_diff", bound=f"{bound:.3g}", mean=f"{run.diff_mean_abs:.3g}"),
        width="stretch",
    )
    if s["view"] == "whole":
        _, _, ch, cw = run.crop_box
        cdiff, cbound = fl.differences(run.crop, 0, fl.CLIP_PERCENT if s["clip"] else 0.0)
        cols = st.columns(3)
        for i, name in enumerate(("A", "B")):
            cols[i].image(
                fl.zoom_nearest(fl.render_map(run.crop[i], lo, hi, s["cmap"]), 2),
                caption=t("image_lab.stack_crop", name=name, w=cw, h=ch),
                width="stretch",
            )
        crop_diff = cdiff[1] if cdiff.shape[1] == 1 else cdiff[1].mean(axis=0, keepdims=True)
        cols[2].image(
            fl.zoom_nearest(fl.render_map(-crop_diff, -cbound, cbound, "diverging"), 2),
            caption=t("image_lab.stack_crop_diff", bound=f"{cbound:.3g}"),
            width="stretch",
        )
    st.caption(t("image_lab.stack_scale_note"))
    f1, f2 = st.columns(2)
    text = _figure_text()
    with f1:
        title_a = t("image_lab.stack_response", name="A", ds=", ".join(map(str, sched_a)))
        block_a = _response_chart(run.responses[0], title_a, text, "lab_resp_a", "image-lab-stack-a")
    with f2:
        title_b = t("image_lab.stack_response", name="B", ds=", ".join(map(str, sched_b)))
        block_b = _response_chart(run.responses[1], title_b, text, "lab_resp_b", "image-lab-stack-b")
    block = max(block_a, block_b)
    cells = t("image_lab.response_cells", block=block) if block > 1 else ""
    st.caption(t("image_lab.stack_response_caption") + cells)


def _download_tab(
    rgb: np.ndarray, run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object], name: str
) -> None:
    lo, hi = _ranges(run, s)
    clip_text = (
        f", clipped to the {fl.CLIP_PERCENT:g}..{100 - fl.CLIP_PERCENT:g} percentiles"
        if s["clip"]
        else ", min..max"
    )
    # the README inside the ZIP describes the files; it stays in English like the file names
    notes = (
        f"dsdcn explorer, Image lab\nimage: {name} ({run.width}x{run.height})\nlayer: {s['kind']}, "
        f"k = {s['kernel']}, padding {s['padding']}, {'grey' if s['grey'] else 'RGB'} input\n"
        f"dilations: {', '.join(map(str, run.dilations))}\nfilters: {', '.join(run.labels)}\n"
        f"scale: {s['norm']}{', zero at mid-scale' if s['centre_zero'] else ''}{clip_text}"
        f"; colour map {s['cmap']}\n"
        "files: d{dilation}_{index}_{filter}.png at full resolution; stats.csv over the full-resolution maps\n"
    )
    n = len(run.dilations) * len(run.labels)
    st.markdown(t("image_lab.download_intro", n=n, w=run.width, h=run.height))
    st.download_button(
        t("image_lab.download_zip"),
        data=lab.zip_maker(
            rgb,
            s["grey"],
            bank,
            s["kind"],
            run.dilations,
            s["padding"],
            lo,
            hi,
            s["cmap"],
            run.stats,
            notes,
            str(lab.device_for(s["device"])),
        ),
        file_name=f"image_lab_{s['kind']}_maps.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key="lab_zip",
        help=t("image_lab.download_zip_help"),
    )
    csv = pd.DataFrame(run.stats.rows(run.labels, run.dilations)).to_csv(index=False)
    st.download_button(
        t("image_lab.download_csv"),
        data=csv,
        file_name="image_lab_stats.csv",
        mime="text/csv",
        on_click="ignore",
        key="lab_csv",
        help=t("image_lab.download_csv_help"),
    )


def _hold_tab_links() -> None:
    """The tabs are not drawn in this run: keep their link values for when they are."""
    for key in TAB_KEYS:
        keep_link_key(key)


def _checked_dilations(s: dict[str, object], height: int, width: int) -> tuple[int, ...]:
    """The dilations the padding can serve for this image (warnings for the others)."""
    ok, refused = fl.usable_dilations(height, width, s["kernel"], s["dilations"], s["padding"])
    if refused:
        rule = "image_lab.refused_reflect" if s["padding"] == "reflect" else "image_lab.refused_other"
        st.warning(
            " ".join(
                [
                    t(
                        rule,
                        padding=_tr("padding", s["padding"]),
                        w=width,
                        h=height,
                        ds=", ".join(map(str, refused)),
                    ),
                    *([t("image_lab.refused_left_out")] if ok else []),
                    t("image_lab.refused_fix"),
                ]
            )
        )
    for d in ok:
        inside = fl.taps_inside(height, width, s["kernel"], d)
        if inside < s["kernel"] ** 2:
            st.info(
                plural(
                    "image_lab.taps_outside",
                    inside,
                    d=d,
                    k=s["kernel"],
                    span=effective_kernel_size(s["kernel"], d),
                    w=width,
                    h=height,
                    inside=inside,
                    taps=s["kernel"] ** 2,
                    padding=_tr("padding", s["padding"]),
                ),
                icon=":material/info:",
            )
            break
    return tuple(ok)


def render() -> None:
    """Draw the Image lab."""
    lab.allocator_tuned()
    _prepare_state()
    st.title(t("image_lab.title"))
    st.markdown(t("image_lab.intro"))
    bar = st.container()
    _body()
    # drawn last, above the controls: a link's values reach session state only when their widgets are drawn
    with bar:
        presets_bar(
            _presets(),
            _defaults(),
            "lab_",
            lambda pid: t(f"image_lab.preset.{pid}"),
            lambda pid: t(f"image_lab.preset.{pid}.idea"),
        )


def _body() -> None:
    """Everything below the presets."""
    left, right = st.columns([1, 1] if projector() else [1, 1.4], gap="large")
    with left:
        picked = _image_source()
    rgb: np.ndarray | None = None
    name, digest = "", ""
    if picked is not None:
        name, data = picked
        digest = image_digest(data)
        try:
            rgb, thumb = lab.decode(digest, data)
        except ImageError as exc:
            with right:
                st.error(t("image_lab.cannot_use", name=name, error=str(exc)), icon=":material/broken_image:")
        else:
            height, width = rgb.shape[:2]
            with right:
                st.image(
                    thumb,
                    caption=t("image_lab.image_caption", name=name, w=width, h=height),
                    width="content" if thumb.shape[1] >= 64 else 64,  # never wider than a phone's column
                )
                notes = _load_notes(data, rgb)
                if notes:
                    st.caption(t("image_lab.loaded", notes="; ".join(notes)))

    st.subheader(t("image_lab.controls"))
    s = _controls()
    if rgb is None:
        _hold_tab_links()
        return
    height, width = rgb.shape[:2]
    if not s["filters"]:
        st.warning(t("image_lab.no_filter"))
        _hold_tab_links()
        return
    if not s["dilations"]:
        st.warning(t("image_lab.no_dilation"))
        _hold_tab_links()
        return
    try:
        bank = fl.make_bank(
            s["filters"], s["kernel"], 1 if s["grey"] else 3, s["gabor_n"], s["random_n"], s["seed"]
        )
    except ValueError as exc:
        st.warning(t("image_lab.bank_too_big", error=str(exc)))
        _hold_tab_links()
        return
    if s["kind"] == "standard":
        st.info(t("image_lab.standard_note"))
    s["dilations"] = _checked_dilations(s, height, width)
    if not s["dilations"]:
        _hold_tab_links()
        return

    with st.expander(t("image_lab.arithmetic"), expanded=True):
        _formulas(s, height, width, bank)

    device = str(lab.device_for(s["device"]))
    n_d, kind = len(s["dilations"]), s["kind"]
    need = budget.bank_estimate(
        height, width, bank.channels, bank.size, s["kernel"], kind, n_d, device.split(":")[0]
    )
    if _too_heavy(need, t("image_lab.fix_bank")):
        _hold_tab_links()
        return
    n_maps = len(s["dilations"]) * bank.size
    with st.spinner(
        t("image_lab.spinner", f=bank.size, d=len(s["dilations"]), n=n_maps, device=device.upper())
    ):
        try:
            outcome = lab.compute_maps(
                digest,
                rgb,
                s["grey"],
                s["filters"],
                s["kernel"],
                s["gabor_n"],
                s["random_n"],
                s["seed"],
                s["kind"],
                s["dilations"],
                s["padding"],
                device,
            )
        except budget.Busy:
            st.warning(t("image_lab.busy"), icon=":material/hourglass_top:")
            _hold_tab_links()
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the page keeps working
            st.error(t("image_lab.run_failed", error=exc))
            _hold_tab_links()
            return
    run: fl.MapRun = outcome.result  # type: ignore[assignment]
    per_d = " · ".join(
        f"d = {d}: {sec * 1000:.0f} ms" for d, sec in zip(run.dilations, run.conv_seconds, strict=True)
    )
    _run_line(outcome, run.total_seconds, t("image_lab.what_maps"))
    st.caption(t("image_lab.conv_times", times=per_d))
    labels = [_bank_label(label) for label in run.labels]

    tabs = st.tabs(
        [_tab_label(c) for c in TABS],
        default=_tab_label(str(DEFAULTS["lab_tab"])),
        key="lab_tab",
        on_change="rerun",
    )
    # the open tab's code in the link; the settings of the closed tabs (kept in session state) too
    for key in ("lab_tab", "lab_stat", "lab_stack_filter", "lab_compare"):
        _write_coded(key)
    panes = dict(zip(TABS, tabs, strict=True))
    # only the tab on screen is drawn (a tab bar with on_change="rerun" knows which one is open)
    if panes["maps"].open is not False:
        with panes["maps"]:
            _maps_tab(run, bank, s, labels)
    if panes["compare"].open is not False:
        with panes["compare"]:
            _compare_tab(run, bank, s, labels)
    if panes["stats"].open is not False:
        with panes["stats"]:
            _stats_tab(run, labels)
    if panes["stack"].open is not False:
        with panes["stack"]:
            _stack_tab(rgb, digest, s)
    if panes["download"].open is not False:
        with panes["download"]:
            _download_tab(rgb, run, bank, s, name)
    log = st.session_state.get("lab_run_log", [])
    if log:
        with st.expander(t("image_lab.run_log", n=len(log))):
            table = pd.DataFrame(log[-20:])
            table = table.rename(columns={c: t(f"image_lab.log.{c}") for c in table.columns})
            data_table(table, key="lab_log_table")


render()
