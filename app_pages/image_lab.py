"""Image lab: a filter bank run as real torch convolutions on your own image, at several dilations."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st
import torch

from dsdcn import budget
from dsdcn import filters as fl
from dsdcn.figures.imaging import ImagingText, create_response_heatmap, create_stats_chart
from dsdcn.geometry import effective_kernel_size, resolve_padding
from dsdcn.imaging import ImageError, image_digest
from dsdcn.receptive import Layer, holes
from ui import image_lab as lab
from ui.common import device_choice, refused, waiting_for_the_cpu
from ui.i18n import latex, plural, t
from ui.workshop import (
    data_table,
    figure_theme,
    keep_link_key,
    presets_bar,
    projector,
    show_chart,
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


# ---- labels


def _tr(group: str, code: object) -> str:
    """The label of an option code, e.g. ``_tr("kind", "dilated")``."""
    return t(f"image_lab.{group}.{code}")


def _labels(group: str, codes: tuple[object, ...]) -> dict[object, str]:
    """Option labels in the current language, fixed when the widget is drawn (a ``format_func``)."""
    return {code: _tr(group, code) for code in codes}


def _tab_label(code: str) -> str:
    return _tr("tab", code)


def _filter_label(code: fl.FilterCode) -> str:
    """A filter of a bank in the current language ("Gabor 45°", "随机 2")."""
    if code.number is None:
        return _tr("filter", code.kind)
    number = f"{code.number:g}°" if code.kind == "gabor" else f"{code.number:g}"
    return t(f"image_lab.filter_{code.kind}_n", n=number)


# ---- state and link


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


def _cap_dilations() -> None:
    """Refuse a pick past ``fl.MAX_DILATIONS`` dilations: the pills go back to the last accepted choice."""
    chosen = list(st.session_state.get("lab_dilations") or ())
    capped = lab.capped_dilations(chosen, st.session_state.get(_DILATIONS_KEPT, ()), fl.MAX_DILATIONS)
    if capped is not None:
        st.session_state["lab_dilations"] = capped
        st.session_state[_DILATIONS_CAPPED] = True


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
    codes = lab.possible_bank_codes()
    labels = {code.label for code in codes} | {_filter_label(code) for code in codes}
    return raw if raw in labels else None


def _write_coded(key: str) -> None:
    """Keep the code of the choice ``key`` (as it is in session state; the tab by its label) in the link."""
    value = st.session_state.get(key)
    if key == "lab_tab":
        value = _tab_code(value)
    if value is None or (key == "lab_compare" and isinstance(value, str)):  # unknown, or matched later
        return
    write_coded_link_value(key, value, DEFAULTS[key])


def _hold_tab_links() -> None:
    """The tabs are not drawn in this run: keep their link values for when they are."""
    for key in TAB_KEYS:
        keep_link_key(key)


# ---- coded choices: translated labels, the code in the link


def _choice(widget: Callable[..., object], key: str, **extra: object) -> str:
    """A radio or select box of the codes ``CODED[key]`` (label and help named after the key)."""
    group, codes = CODED[key]
    name = key.removeprefix("lab_")
    value = widget(
        t(f"image_lab.{name}"),
        list(codes),
        format_func=_labels(group, codes).__getitem__,
        key=key,
        index=codes.index(DEFAULTS[key]),
        help=t(f"image_lab.{name}_help"),
        **extra,
    )
    write_coded_link_value(key, value, DEFAULTS[key])
    return value  # type: ignore[return-value]


def _segments(key: str) -> str:
    """A segmented control of the codes ``CODED[key]``, one always chosen."""
    group, codes = CODED[key]
    name = key.removeprefix("lab_")
    value = st.segmented_control(
        t(f"image_lab.{name}"),
        list(codes),
        required=True,
        format_func=_labels(group, codes).__getitem__,
        key=key,
        default=DEFAULTS[key],
        help=t(f"image_lab.{name}_help"),
    )
    write_coded_link_value(key, value, DEFAULTS[key])
    return value  # type: ignore[return-value]


# ---- page


def render() -> None:
    """Draw the Image lab."""
    _prepare_state()
    st.title(t("image_lab.title"))
    st.markdown(t("image_lab.intro"))
    bar = st.container()
    picture = _image_section()
    settings = _controls()
    if not _results(picture, settings):
        _hold_tab_links()
    # drawn last, above the controls: a link's values reach session state only when their widgets are drawn
    with bar:
        _presets_bar()


def _presets_bar() -> None:
    presets_bar(
        _presets(),
        _defaults(),
        "lab_",
        lambda pid: t(f"image_lab.preset.{pid}"),
        lambda pid: t(f"image_lab.preset.{pid}.idea"),
    )


# ---- image


def _image_section() -> lab.Picture | None:
    """The image source (left) and the loaded image (right); None while there is no usable image."""
    left, right = st.columns([1, 1] if projector() else [1, 1.4], gap="large")
    with left:
        picked = _image_source()
    if picked is None:
        return None
    name, data = picked
    digest = image_digest(data)
    try:
        rgb, thumb = lab.decode(digest, data)
    except ImageError as exc:
        with right:
            st.error(t("image_lab.cannot_use", name=name, error=str(exc)), icon=":material/broken_image:")
        return None
    picture = lab.Picture(name, digest, rgb)
    with right:
        st.image(
            thumb,
            caption=t("image_lab.image_caption", name=name, w=picture.width, h=picture.height),
            width="content" if thumb.shape[1] >= 64 else 64,  # never wider than a phone's column
        )
        notes = lab.load_notes(data, rgb)
        if notes:
            st.caption(t("image_lab.loaded", notes="; ".join(notes)))
    return picture


def _image_source() -> tuple[str, bytes] | None:
    """The chosen sample or upload: (name, bytes), or None while nothing is uploaded."""
    if _segments("lab_source") == "upload":
        return _upload()
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


def _upload() -> tuple[str, bytes] | None:
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


# ---- controls


def _controls() -> lab.LabSettings:
    """Layer, filter and display controls; returns the settings."""
    st.subheader(t("image_lab.controls"))
    if projector():  # two wide columns, two rows: big labels and option buttons keep their width
        c1, c2 = st.columns(2, gap="large")
        c3, c4 = st.columns(2, gap="large")
    else:
        c1, c2, c3 = st.columns(3, gap="large")
        c4 = c3
    with c1:
        values = _layer_controls()
    with c2:
        values.update(_bank_controls())
    with c3:
        values.update(_dilation_controls(disabled=values["lab_kind"] == "standard"))
        values.update(_scale_controls())
    with c4:
        values.update(_output_controls())
    return lab.LabSettings.from_widgets(values)


def _layer_controls() -> dict[str, object]:
    st.markdown(f"**{t('image_lab.group_layer')}**")
    kind = _choice(st.radio, "lab_kind", captions=[_tr("kind_caption", k) for k in KINDS])
    kernel = st.select_slider(
        t("image_lab.kernel"),
        list(KERNELS),
        key="lab_kernel",
        value=DEFAULTS["lab_kernel"],
        bind="query-params",
        help=t("image_lab.kernel_help"),
    )
    channels = _segments("lab_channels")
    padding = _choice(st.selectbox, "lab_padding")
    return {"lab_kind": kind, "lab_kernel": kernel, "lab_channels": channels, "lab_padding": padding}


def _bank_controls() -> dict[str, object]:
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
    values: dict[str, object] = {"lab_filters": filters}
    for key in ("lab_gabor_n", "lab_random_n"):
        name = key.removeprefix("lab_")
        values[key] = st.slider(
            t(f"image_lab.{name}"),
            1,
            8,
            key=key,
            value=DEFAULTS[key],
            bind="query-params",
            help=t(f"image_lab.{name}_help"),
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
    return {**values, "lab_seed": seed}


def _dilation_controls(disabled: bool) -> dict[str, object]:
    st.markdown(f"**{t('image_lab.group_display')}**")
    dilations = st.pills(
        t("image_lab.dilations"),
        DILATION_OPTIONS,
        selection_mode="multi",
        key="lab_dilations",
        default=DEFAULTS["lab_dilations"],
        bind="query-params",
        wrap=True,
        disabled=disabled,
        help=t("image_lab.dilations_help", max=fl.MAX_DILATIONS),
        on_change=_cap_dilations,
    )
    if len(dilations or ()) > fl.MAX_DILATIONS:  # a link can ask for more than the pills allow
        dilations = list(dilations)[: fl.MAX_DILATIONS]
        st.session_state[_DILATIONS_CAPPED] = True
    if st.session_state.pop(_DILATIONS_CAPPED, False):
        st.caption(t("image_lab.dilations_capped", max=fl.MAX_DILATIONS))
    st.session_state[_DILATIONS_KEPT] = list(dilations or ())
    return {"lab_dilations": dilations}


def _scale_controls() -> dict[str, object]:
    norm = _choice(st.radio, "lab_norm")
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
    return {"lab_norm": norm, "lab_clip": clip, "lab_centre_zero": centre_zero}


def _output_controls() -> dict[str, object]:
    cmap = _choice(st.selectbox, "lab_cmap")
    view = _choice(st.radio, "lab_view", horizontal=True)
    device = _segments("lab_device")
    return {"lab_cmap": cmap, "lab_view": view, "lab_device": device}


# ---- checks and the run


def _results(picture: lab.Picture | None, s: lab.LabSettings) -> bool:
    """The checks, the arithmetic, the run and its tabs; False when no run is shown (nothing to run, a
    warning, too heavy or failed)."""
    if picture is None:
        return False
    checked = _checked(picture, s)
    if checked is None:
        return False
    s, bank = checked
    with st.expander(t("image_lab.arithmetic"), expanded=True):
        _formulas(s, picture.height, picture.width, bank)
    outcome = _run_maps(picture, s, bank)
    if outcome is None:
        return False
    run: fl.MapRun = outcome.result  # type: ignore[assignment]
    per_d = " · ".join(
        f"d = {d}: {sec * 1000:.0f} ms" for d, sec in zip(run.dilations, run.conv_seconds, strict=True)
    )
    _run_line(outcome, run.total_seconds, t("image_lab.what_maps"))
    st.caption(t("image_lab.conv_times", times=per_d))
    _tabs(picture, run, bank, s)
    _run_log()
    return True


def _checked(picture: lab.Picture, s: lab.LabSettings) -> tuple[lab.LabSettings, fl.FilterBank] | None:
    """The settings with the dilations this image can take, and the filter bank; None (after a warning)
    when there is nothing to run."""
    if not s.filters:
        st.warning(t("image_lab.no_filter"))
        return None
    if not s.dilations:
        st.warning(t("image_lab.no_dilation"))
        return None
    try:
        bank = fl.make_bank(s.filters, s.kernel, s.channels, s.gabor_n, s.random_n, s.seed)
    except ValueError as exc:
        st.warning(t("image_lab.bank_too_big", error=str(exc)))
        return None
    if s.kind == "standard":
        st.info(t("image_lab.standard_note"))
    s = replace(s, dilations=_checked_dilations(s, picture.height, picture.width))
    return (s, bank) if s.dilations else None


def _checked_dilations(s: lab.LabSettings, height: int, width: int) -> tuple[int, ...]:
    """The dilations the padding can serve for this image (warnings for the others)."""
    ok, left_out = fl.usable_dilations(height, width, s.kernel, s.dilations, s.padding)
    if left_out:
        rule = "image_lab.refused_reflect" if s.padding == "reflect" else "image_lab.refused_other"
        st.warning(
            " ".join(
                [
                    t(
                        rule,
                        padding=_tr("padding", s.padding),
                        w=width,
                        h=height,
                        ds=", ".join(map(str, left_out)),
                    ),
                    *([t("image_lab.refused_left_out")] if ok else []),
                    t("image_lab.refused_fix"),
                ]
            )
        )
    partial = lab.first_partial_dilation(height, width, s.kernel, ok)
    if partial is not None:
        d, inside = partial
        st.info(
            plural(
                "image_lab.taps_outside",
                inside,
                d=d,
                k=s.kernel,
                span=effective_kernel_size(s.kernel, d),
                w=width,
                h=height,
                inside=inside,
                taps=s.kernel**2,
                padding=_tr("padding", s.padding),
            ),
            icon=":material/info:",
        )
    return tuple(ok)


def _formulas(s: lab.LabSettings, height: int, width: int, bank: fl.FilterBank) -> None:
    """The arithmetic of this run, evaluated with the current values."""
    k = s.kernel
    ds = s.dilations
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
    cost = fl.layer_cost(s.kind, bank.channels, bank.size, k, height, width, ds[0])
    cols = st.columns(3)
    cols[0].metric(t("image_lab.weights"), f"{cost.params:,}", help=t("image_lab.weights_help"))
    cols[1].metric(
        t("image_lab.macs"),
        t("image_lab.macs_value", m=f"{cost.macs / 1e6:,.1f}"),
        help=t("image_lab.macs_help"),
    )
    cols[2].metric(t("image_lab.out_maps"), f"{cost.out_channels}", help=t("image_lab.out_maps_help"))


def _run_maps(picture: lab.Picture, s: lab.LabSettings, bank: fl.FilterBank) -> lab.Outcome | None:
    """The bank's run on the image (cached), or None when it is too heavy or fails (said on the page)."""
    device = str(lab.device_for(s.device))
    n_d = len(s.dilations)
    need = budget.bank_estimate(
        picture.height, picture.width, bank.channels, bank.size, s.kernel, s.kind, n_d, device.split(":")[0]
    )
    if _too_heavy(need, t("image_lab.fix_bank")):
        return None
    spinner = t("image_lab.spinner", f=bank.size, d=n_d, n=n_d * bank.size, device=device.upper())
    return _attempt(
        spinner,
        "image_lab.run_failed",
        lambda: lab.compute_maps(
            picture.digest,
            picture.rgb,
            s.grey,
            s.filters,
            s.kernel,
            s.gabor_n,
            s.random_n,
            s.seed,
            s.kind,
            s.dilations,
            s.padding,
            device,
        ),
    )


def _attempt(spinner: str, failed: str, compute: Callable[[], lab.Outcome]) -> lab.Outcome | None:
    """``compute()`` under a spinner; None when the server is busy or it fails (said on the page)."""
    with st.spinner(spinner), waiting_for_the_cpu():
        try:
            return compute()
        except budget.Busy:
            st.warning(t("image_lab.busy"), icon=":material/hourglass_top:")
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the page keeps working
            st.error(t(failed, error=exc))
    return None


def _too_heavy(need: budget.Estimate, fix: str) -> bool:
    """Say so (and return True) when ``need`` passes the room's budget: the run is not started."""
    return refused(need, "image_lab.too_heavy", fix=fix)


def _device_words(device: str) -> str:
    if device.startswith("cuda"):
        choice = device_choice()
        return choice.description if choice.device.type == "cuda" else "CUDA GPU"
    if device == "cpu":
        return t("image_lab.cpu_threads", n=torch.get_num_threads())
    return device.upper()


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


def _run_log() -> None:
    log = st.session_state.get("lab_run_log", [])
    if log:
        with st.expander(t("image_lab.run_log", n=len(log))):
            table = pd.DataFrame(log[-20:])
            table = table.rename(columns={c: t(f"image_lab.log.{c}") for c in table.columns})
            data_table(table, key="lab_log_table")


# ---- tabs


def _tabs(picture: lab.Picture, run: fl.MapRun, bank: fl.FilterBank, s: lab.LabSettings) -> None:
    """The tab bar; only the tab on screen is drawn (a tab bar with on_change="rerun" knows which one is open)."""
    labels = [_filter_label(code) for code in run.codes]
    tabs = st.tabs(
        [_tab_label(c) for c in TABS],
        default=_tab_label(str(DEFAULTS["lab_tab"])),
        key="lab_tab",
        on_change="rerun",
    )
    # the open tab's code in the link; the settings of the closed tabs (kept in session state) too
    for key in ("lab_tab", "lab_stat", "lab_stack_filter", "lab_compare"):
        _write_coded(key)
    panes: dict[str, Callable[[], None]] = {
        "maps": lambda: _maps_tab(run, bank, s, labels),
        "compare": lambda: _compare_tab(run, bank, s, labels),
        "stats": lambda: _stats_tab(run, labels),
        "stack": lambda: _stack_tab(picture, s),
        "download": lambda: _download_tab(picture, run, bank, s),
    }
    for tab, code in zip(tabs, TABS, strict=True):
        if tab.open is not False:
            with tab:
                panes[code]()


def _figure_text() -> ImagingText:
    return ImagingText(
        dilation=t("image_lab.fig_dilation"),
        bar_name=t("image_lab.fig_bar_name"),
        weight=t("image_lab.fig_weight"),
        offset_x=t("image_lab.fig_offset_x"),
        offset_y=t("image_lab.fig_offset_y"),
    )


def _chart(fig, key: str, name: str) -> None:
    show_chart(fig, key=key, name=name)


# ---- maps tab


# On a phone (under 640 px) Streamlit stacks columns: 8 filters x 4 dilations became one column 16,000 px
# long. The maps grid keeps its rows side by side there (small maps, each opens full screen on a tap).
_GRID_ON_PHONES = """<style>
@media (max-width: 640px) {
  .st-key-lab_maps_grid [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.25rem; }
  .st-key-lab_maps_grid [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; }
  .st-key-lab_maps_grid [data-testid="stColumn"] p { font-size: 0.7rem; overflow-wrap: anywhere; }
  .st-key-lab_maps_grid [data-testid="stCaptionContainer"] { font-size: 0.6rem; }
}
</style>"""


def _maps_tab(run: fl.MapRun, bank: fl.FilterBank, s: lab.LabSettings, labels: list[str]) -> None:
    lo, hi = lab.map_ranges(run, s)
    _maps_caption(run, s, lo, hi)
    st.html(_GRID_ON_PHONES)
    with st.container(key="lab_maps_grid"):
        _maps_grid(run, bank, s, labels, lo, hi)


def _maps_grid(
    run: fl.MapRun, bank: fl.FilterBank, s: lab.LabSettings, labels: list[str], lo: np.ndarray, hi: np.ndarray
) -> None:
    """A header of dilations, then one row per filter: its kernel and its map at every dilation."""
    header = st.columns([1.1] + [2] * len(run.dilations))
    header[0].markdown(f"**{t('image_lab.maps_filter')}**")
    for i, d in enumerate(run.dilations):
        header[i + 1].markdown(
            t("image_lab.maps_column", d=d, span=effective_kernel_size(bank.kernel_size, d))
        )
    # rendered once per run and scale (JPEG bytes, as st.image would encode the arrays), not on every rerun
    maps = lab.shown_maps(run, s.view)
    images = lab.map_jpegs(run.run_id, s.scale, s.cmap, s.zoom, maps, lo, hi)
    for j, label in enumerate(labels):
        _maps_row(run, bank, s, j, label, images, lo, hi)


def _maps_caption(run: fl.MapRun, s: lab.LabSettings, lo: np.ndarray, hi: np.ndarray) -> None:
    colour = (
        t("image_lab.maps_colour_depthwise")
        if run.map_channels == 3
        else t("image_lab.maps_colour_map", cmap=_tr("cmap", s.cmap))
    )
    parts = [t("image_lab.maps_caption", scale=_tr("maps_scale", s.norm)), colour]
    if s.centre_zero:
        parts.append(t("image_lab.maps_zero"))
    if s.clip:
        parts.append(t("image_lab.maps_clipped", pct=f"{fl.CLIP_PERCENT:g}"))
    parts.append(t("image_lab.maps_kernels"))
    st.caption(" ".join(parts))
    if s.norm == "shared":
        if run.map_channels == 1:
            st.image(fl.colorbar_image(s.cmap, 512, 18), width="content")
        st.caption(t("image_lab.maps_shared_scale", lo=f"{lo.flat[0]:+.3g}", hi=f"{hi.flat[0]:+.3g}"))


def _maps_row(
    run: fl.MapRun,
    bank: fl.FilterBank,
    s: lab.LabSettings,
    j: int,
    label: str,
    images: tuple[tuple[bytes, ...], ...],
    lo: np.ndarray,
    hi: np.ndarray,
) -> None:
    """Filter ``j``: its kernel (and range, per filter), then its map at every dilation."""
    cols = st.columns([1.1] + [2] * len(run.dilations))
    with cols[0]:
        st.markdown(f"**{label}**")
        st.image(lab.kernel_jpeg(bank.kernels[j, 0].numpy()), caption=t("image_lab.maps_kernel"))
        if s.norm == "per_filter":
            if run.map_channels == 1:
                st.image(lab.colorbar_jpeg(s.cmap, 128, 10))
            st.caption(f"{lo[0, j]:+.3g} … {hi[0, j]:+.3g}")
    for i, d in enumerate(run.dilations):
        caption = f"d = {d}"
        if s.norm == "per_map":
            caption += f" · {lo[i, j]:+.3g} … {hi[i, j]:+.3g}"
        cols[i + 1].image(images[i][j], caption=caption, width="stretch")


# ---- compare tab


def _compare_tab(run: fl.MapRun, bank: fl.FilterBank, s: lab.LabSettings, labels: list[str]) -> None:
    j = _compared_filter(run, labels)
    kernel = bank.kernels[j, 0].numpy()
    lo, hi = lab.map_ranges(run, s, "per_filter")
    maps = lab.shown_maps(run, s.view)[:, j]
    diffs, bound = fl.differences(maps, 0, s.clip_percent)
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
                lab.display_image(fl.render_map(maps[i], float(lo[i, j]), float(hi[i, j]), s.cmap), s.view),
                caption=t("image_lab.compare_map", d=d),
                width="stretch",
            )
            if i == 0:
                st.caption(t("image_lab.compare_reference"))
            else:
                diff_image = fl.render_map(lab.difference_map(diffs, i), -bound, bound, "diverging")
                st.image(
                    lab.display_image(diff_image, s.view),
                    caption=t(
                        "image_lab.compare_diff",
                        d=d,
                        d0=run.dilations[0],
                        mean=f"{run.stats.diff_mean_abs[i, j]:.3g}",
                    ),
                    width="stretch",
                )


def _compared_filter(run: fl.MapRun, labels: list[str]) -> int:
    """The filter chosen for the comparison (an older link's label or an index past the bank is put right)."""
    fixed = lab.compare_fix(st.session_state.get("lab_compare"), run.labels, labels)
    if fixed is not None:
        st.session_state["lab_compare"] = fixed
    j = st.selectbox(
        t("image_lab.compare"),
        list(range(len(labels))),
        format_func=lambda i: labels[i],
        key="lab_compare",
        index=0,
        help=t("image_lab.compare_help"),
    )
    write_coded_link_value("lab_compare", j, DEFAULTS["lab_compare"])
    return 0 if j is None or j >= len(labels) else j


# ---- statistics tab


def _stats_table(run: fl.MapRun, labels: list[str]) -> pd.DataFrame:
    """The statistics rows with translated filter names and column headers."""
    table = pd.DataFrame(run.stats.rows(labels, run.dilations))
    plain = ("filter", "dilation", "min", "max", "mean", "std", "mean_abs", "diff_mean_abs", "diff_max_abs")
    names = {c: t(f"image_lab.col.{c}") for c in plain}
    for pct in (fl.CLIP_PERCENT, 100 - fl.CLIP_PERCENT):
        names[f"p{pct:g}"] = t("image_lab.col.percentile", pct=f"{pct:g}")
    return table.rename(columns=names)


def _stats_tab(run: fl.MapRun, labels: list[str]) -> None:
    stat = _choice(st.selectbox, "lab_stat")
    name = _tr("stat", stat)
    fig = create_stats_chart(
        labels,
        run.dilations,
        lab.stat_values(run.stats, stat),
        t("image_lab.stats_title", stat=name),
        name,
        _figure_text(),
        theme=figure_theme(),
    )
    _chart(fig, "lab_stats_chart", "image-lab-statistics")
    st.caption(t("image_lab.stats_caption"))
    data_table(_stats_table(run, labels), key="lab_stats_table")


# ---- stack tab


def _stack_tab(picture: lab.Picture, s: lab.LabSettings) -> None:
    st.markdown(t("image_lab.stack_intro"))
    choice = _stack_choice()
    if choice is None:
        return
    outcome = _run_stacks(picture, s, choice)
    if outcome is None:
        return
    run: fl.StackRun = outcome.result  # type: ignore[assignment]
    _run_line(outcome, sum(run.seconds), t("image_lab.what_stacks"))
    los, his = fl.map_ranges(np.array([[run.minimum]]), np.array([[run.maximum]]), "shared", s.centre_zero)
    lo, hi = float(los[0, 0]), float(his[0, 0])
    _stack_maps(run, s, choice, lo, hi)
    if s.view == "whole":
        _stack_crops(run, s, lo, hi)
    st.caption(t("image_lab.stack_scale_note"))
    _stack_responses(run, choice)


def _stack_choice() -> lab.StackChoice | None:
    """The stack's filter and schedules, or None (after a warning) when a schedule cannot be read."""
    c1, c2, c3 = st.columns(3)
    stack_filter = _choice(c1.selectbox, "lab_stack_filter")
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
        return None
    return lab.StackChoice(stack_filter, sched_a, sched_b)


def _run_stacks(picture: lab.Picture, s: lab.LabSettings, choice: lab.StackChoice) -> lab.Outcome | None:
    """The two stacks' run (cached), or None when the padding cannot serve them, or too heavy, or failed."""
    k, h, w = s.kernel, picture.height, picture.width
    bad = lab.unservable_dilations(h, w, k, (*choice.a, *choice.b), s.padding)
    if bad:
        st.warning(
            t(
                "image_lab.stack_cannot_pad",
                padding=_tr("padding", s.padding),
                w=w,
                h=h,
                ds=", ".join(map(str, bad)),
            )
        )
        return None
    device = str(lab.device_for(s.device))
    need = budget.stacks_estimate(h, w, s.channels, k, (choice.a, choice.b), device.split(":")[0])
    extent = max(fl.stack_extent(k, choice.a), fl.stack_extent(k, choice.b))
    if _too_heavy(need, t("image_lab.fix_stack", extent=f"{extent:,}")):
        return None
    return _attempt(
        t("image_lab.stack_spinner"),
        "image_lab.stack_failed",
        lambda: lab.compute_stacks(
            picture.digest, picture.rgb, s.grey, choice.filter, k, choice.a, choice.b, s.padding, device
        ),
    )


def _stack_maps(run: fl.StackRun, s: lab.LabSettings, choice: lab.StackChoice, lo: float, hi: float) -> None:
    """Both stacks' maps in the view, and their difference."""
    shown = lab.shown_maps(run, s.view)
    diffs, bound = fl.differences(shown, 0, s.clip_percent)
    cols = st.columns(3)
    for i, (name, sched) in enumerate((("A", choice.a), ("B", choice.b))):
        layers = [Layer(s.kernel, 1, d) for d in sched]
        n_holes = len(holes(layers))
        extent = fl.stack_extent(s.kernel, sched)
        verdict = (
            t("image_lab.stack_holes", n=n_holes, extent=extent) if n_holes else t("image_lab.stack_no_holes")
        )
        cols[i].image(
            lab.display_image(fl.render_map(shown[i], lo, hi, s.cmap), s.view),
            caption=t(
                "image_lab.stack_caption",
                name=name,
                ds=", ".join(map(str, sched)),
                extent=extent,
                verdict=verdict,
            ),
            width="stretch",
        )
    cols[2].image(
        lab.display_image(fl.render_map(-lab.difference_map(diffs, 1), -bound, bound, "diverging"), s.view),
        caption=t("image_lab.stack_diff", bound=f"{bound:.3g}", mean=f"{run.diff_mean_abs:.3g}"),
        width="stretch",
    )


def _stack_crops(run: fl.StackRun, s: lab.LabSettings, lo: float, hi: float) -> None:
    """Under the whole image: the centre crops enlarged, and their difference."""
    _, _, ch, cw = run.crop_box
    cdiff, cbound = fl.differences(run.crop, 0, s.clip_percent)
    cols = st.columns(3)
    for i, name in enumerate(("A", "B")):
        cols[i].image(
            fl.zoom_nearest(fl.render_map(run.crop[i], lo, hi, s.cmap), 2),
            caption=t("image_lab.stack_crop", name=name, w=cw, h=ch),
            width="stretch",
        )
    cols[2].image(
        fl.zoom_nearest(fl.render_map(-lab.difference_map(cdiff, 1), -cbound, cbound, "diverging"), 2),
        caption=t("image_lab.stack_crop_diff", bound=f"{cbound:.3g}"),
        width="stretch",
    )


def _stack_responses(run: fl.StackRun, choice: lab.StackChoice) -> None:
    f1, f2 = st.columns(2)
    text = _figure_text()
    with f1:
        title_a = t("image_lab.stack_response", name="A", ds=", ".join(map(str, choice.a)))
        block_a = _response_chart(run.responses[0], title_a, text, "lab_resp_a", "image-lab-stack-a")
    with f2:
        title_b = t("image_lab.stack_response", name="B", ds=", ".join(map(str, choice.b)))
        block_b = _response_chart(run.responses[1], title_b, text, "lab_resp_b", "image-lab-stack-b")
    block = max(block_a, block_b)
    cells = t("image_lab.response_cells", block=block) if block > 1 else ""
    st.caption(t("image_lab.stack_response_caption") + cells)


def _response_chart(response: np.ndarray, title: str, text: ImagingText, key: str, name: str) -> int:
    """The response heatmap, in cells small enough for a screen (and a browser message); returns the
    cell side in offsets (1: every offset drawn)."""
    cells, centres = fl.response_cells(response, RESPONSE_CELLS)
    fig = create_response_heatmap(cells, title, text, theme=figure_theme())
    block = centres[1] - centres[0] if len(centres) > 1 else 1
    if block > 1:
        fig.update_traces(x=centres, y=centres)
    _chart(fig, key, name)
    return block


# ---- download tab


def _download_tab(picture: lab.Picture, run: fl.MapRun, bank: fl.FilterBank, s: lab.LabSettings) -> None:
    lo, hi = lab.map_ranges(run, s)
    notes = lab.zip_readme(picture.name, run, s)
    n = len(run.dilations) * len(run.labels)
    st.markdown(t("image_lab.download_intro", n=n, w=run.width, h=run.height))
    st.download_button(
        t("image_lab.download_zip"),
        data=lab.zip_maker(
            picture.rgb,
            s.grey,
            bank,
            s.kind,
            run.dilations,
            s.padding,
            lo,
            hi,
            s.cmap,
            run.stats,
            notes,
            str(lab.device_for(s.device)),
        ),
        file_name=f"image_lab_{s.kind}_maps.zip",
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


render()
