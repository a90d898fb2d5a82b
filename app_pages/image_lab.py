"""Image lab: a filter bank run as real torch convolutions on your own image, at several dilations."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st
import torch

from dsdcn import filters as fl
from dsdcn.figures.imaging import create_response_heatmap, create_stats_chart
from dsdcn.geometry import effective_kernel_size, resolve_padding
from dsdcn.imaging import ImageError, image_digest, inspect_image
from dsdcn.receptive import Layer, holes
from ui import image_lab as lab
from ui.common import device_choice

# every control's default, keyed by its widget key (a later issue round-trips these through the URL)
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
    "lab_compare": 0,
    "lab_stat": "std",
    "lab_stack_filter": "box",
    "lab_stack_a": "2, 2, 2",
    "lab_stack_b": "1, 2, 5",
}

SAMPLE_LABELS = {
    "street_scene.png": "Street scene (photo-like, colour)",
    "line_drawing.png": "Line drawing (ink on white)",
    "test_pattern.png": "Test pattern (zone plate, star, checkerboards)",
}
FILTER_LABELS = {
    "sobel_x": "Sobel x",
    "sobel_y": "Sobel y",
    "laplacian": "Laplacian",
    "gaussian": "Gaussian",
    "gabor": "Gabor",
    "box": "Box",
    "identity": "Identity",
    "random": "Random",
}
KIND_LABELS = {
    "standard": "Standard",
    "dilated": "Dilated",
    "depthwise": "Depthwise (dilated)",
    "separable": "Depthwise separable (dilated)",
}
KIND_CAPTIONS = [
    "dense k×k, d = 1",
    "dense k×k, taps d apart",
    "groups = C: one map per channel",
    "depthwise, then 1×1 pointwise",
]
PADDING_LABELS = {
    "zeros": "zeros",
    "reflect": "reflect (mirror)",
    "replicate": "replicate (edge)",
    "circular": "circular (wrap)",
}
NORM_LABELS = {
    "per_map": "Per map",
    "per_filter": "Per filter (same scale across dilations)",
    "shared": "Shared by all maps",
}
CMAP_LABELS = {"grey": "Grey", "diverging": "Diverging (blue < 0 < red)", "viridis": "Viridis"}
VIEW_LABELS = {"whole": "Whole image (downscaled)", "crop": "Centre crop at 1:1 (zoomed ×2)"}
STAT_LABELS = {
    "std": "standard deviation",
    "mean_abs": "mean |value|",
    "diff_mean_abs": "mean |map − map at the first dilation|",
    "max": "maximum",
    "min": "minimum",
}
DILATION_OPTIONS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32]
STACK_FILTERS = ["box", "gaussian", "sobel_x", "sobel_y", "laplacian", "identity"]


def _image_source() -> tuple[str, bytes] | None:
    """The chosen sample or upload: (name, bytes), or None while nothing is uploaded."""
    source = st.segmented_control(
        "Image",
        ["sample", "upload"],
        default=DEFAULTS["lab_source"],
        required=True,
        format_func=lambda s: {"sample": "Bundled sample", "upload": "Upload your own"}[s],
        key="lab_source",
        help="Start from one of the bundled images, or upload a PNG, JPEG, WebP, BMP, GIF or TIFF file.",
    )
    if source == "upload":
        uploaded = st.file_uploader(
            "Upload an image",
            type=["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"],
            key="lab_upload",
            max_upload_size=50,
            help="Up to 50 MB. Larger than 2048 px on a side is shrunk to 2048 for the computation.",
        )
        if uploaded is None:
            st.info("Choose an image file to upload, or switch back to a bundled sample.")
            return None
        return uploaded.name, uploaded.getvalue()
    names = lab.sample_names()
    default = DEFAULTS["lab_sample"]
    name = st.selectbox(
        "Sample",
        names,
        index=names.index(default) if default in names else 0,
        format_func=lambda n: SAMPLE_LABELS.get(n, n),
        key="lab_sample",
        help="Images made for this lab (see assets/README.md): a photo-like scene, a drawing, a test chart.",
    )
    return name, lab.sample_bytes(name)


def _load_notes(data: bytes, rgb: np.ndarray) -> list[str]:
    """What loading did to the file, from its header."""
    info = inspect_image(data)
    if info is None:
        return []
    notes: list[str] = []
    if info.frames > 1:
        notes.append(f"animated {info.format} with {info.frames} frames: the first frame is used")
    if info.mode == "CMYK":
        notes.append("CMYK colours converted to RGB")
    if info.bits > 8:
        notes.append(f"{info.bits}-bit samples scaled to 8 bits")
    if info.mode in ("P", "PA"):
        notes.append("palette colours expanded to RGB")
    if info.has_alpha:
        notes.append("transparency flattened onto white")
    if info.orientation not in (0, 1):
        notes.append(f"turned upright as its EXIF orientation ({info.orientation}) asks")
    stored = info.size if info.orientation in (0, 1, 2, 3, 4) else info.size[::-1]
    if stored != (rgb.shape[1], rgb.shape[0]):
        notes.append(
            f"shrunk from {stored[0]}×{stored[1]} to {rgb.shape[1]}×{rgb.shape[0]} "
            f"(the limit is {lab.MAX_SIDE} px on the longer side)"
        )
    return notes


def _controls() -> dict[str, object]:
    """Layer, filter and display controls; returns the settings."""
    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        st.markdown("**Layer**")
        kind = st.radio(
            "Layer kind",
            list(KIND_LABELS),
            index=list(KIND_LABELS).index(DEFAULTS["lab_kind"]),
            format_func=KIND_LABELS.get,
            captions=KIND_CAPTIONS,
            key="lab_kind",
            help="How the filters become a torch layer. Standard: one dense conv at dilation 1. Dilated: "
            "the same with taps d pixels apart. Depthwise: every filter on every colour channel "
            "separately (groups = C). Separable: depthwise, then a 1×1 conv averaging the channels.",
        )
        kernel = st.select_slider(
            "Kernel size k",
            [3, 5, 7, 9, 11],
            value=DEFAULTS["lab_kernel"],
            key="lab_kernel",
            help="Every filter is k×k (odd, so 'same' padding is symmetric).",
        )
        channels = st.segmented_control(
            "Input channels",
            ["rgb", "grey"],
            default=DEFAULTS["lab_channels"],
            required=True,
            format_func=lambda c: {"rgb": "RGB (3)", "grey": "Grey (1)"}[c],
            key="lab_channels",
            help="Grey uses the luma 0.299 R + 0.587 G + 0.114 B; then every layer kind gives the same maps.",
        )
        padding = st.selectbox(
            "Padding ('same' size)",
            list(PADDING_LABELS),
            index=list(PADDING_LABELS).index(DEFAULTS["lab_padding"]),
            format_func=PADDING_LABELS.get,
            key="lab_padding",
            help="'Same' padding adds d·(k−1)/2 pixels on each side so every map keeps the image's size. "
            "What those pixels hold shows at the borders; the border band widens with d.",
        )
    with c2:
        st.markdown("**Filter bank**")
        filters = st.multiselect(
            "Filters",
            list(FILTER_LABELS),
            default=DEFAULTS["lab_filters"],
            format_func=FILTER_LABELS.get,
            key="lab_filters",
            wrap=True,
            help="Each filter becomes one output map (one per colour channel for a depthwise layer). "
            "Sobel x / y: horizontal / vertical gradient. Laplacian: second derivative (blobs, lines). "
            "Gaussian, Box: blur. Gabor: stripes at several orientations. Identity: a copy. Random: "
            "uniform weights as PyTorch initialises a layer.",
        )
        gabor_n = st.slider(
            "Gabor orientations",
            1,
            8,
            value=DEFAULTS["lab_gabor_n"],
            key="lab_gabor_n",
            help="Gabor filters at 0°, 180°/n, 2·180°/n, … (only used when Gabor is chosen).",
        )
        random_n = st.slider(
            "Random filters",
            1,
            8,
            value=DEFAULTS["lab_random_n"],
            key="lab_random_n",
            help="How many random filters (only used when Random is chosen).",
        )
        seed = st.number_input(
            "Random seed",
            0,
            2**31 - 1,
            value=DEFAULTS["lab_seed"],
            step=1,
            key="lab_seed",
            help="Random filters come from torch.Generator().manual_seed(seed): the same seed, the same filters.",
        )
    with c3:
        st.markdown("**Dilations and display**")
        dilations = st.pills(
            "Dilations to compare",
            DILATION_OPTIONS,
            selection_mode="multi",
            default=DEFAULTS["lab_dilations"],
            key="lab_dilations",
            wrap=True,
            disabled=kind == "standard",
            help="Each chosen dilation runs the whole bank once; the maps appear side by side. "
            "A standard layer always has d = 1.",
        )
        norm = st.radio(
            "Map scale",
            list(NORM_LABELS),
            index=list(NORM_LABELS).index(DEFAULTS["lab_norm"]),
            format_func=NORM_LABELS.get,
            key="lab_norm",
            help="How values become grey levels. Per map: each map stretched to its own min…max (shows "
            "detail, hides magnitude). Per filter: one scale for a filter at every dilation (compare "
            "dilations fairly). Shared: one scale for everything.",
        )
        clip = st.toggle(
            f"Clip the rarest {fl.CLIP_PERCENT:g} %",
            value=DEFAULTS["lab_clip"],
            key="lab_clip",
            help=f"Scale from the {fl.CLIP_PERCENT:g}th to the {100 - fl.CLIP_PERCENT:g}th percentile instead "
            "of min…max, so a few extreme pixels do not wash out the map. Off: the exact min…max.",
        )
        centre_zero = st.toggle(
            "Zero at mid-scale",
            value=DEFAULTS["lab_centre_zero"],
            key="lab_centre_zero",
            help="For maps with both signs, make the scale symmetric (−a…a): zero is mid-grey "
            "(white on the diverging map), and the sign of an edge is visible.",
        )
        cmap = st.selectbox(
            "Colour map",
            list(CMAP_LABELS),
            index=list(CMAP_LABELS).index(DEFAULTS["lab_cmap"]),
            format_func=CMAP_LABELS.get,
            key="lab_cmap",
            help="Colour map for one-channel maps. Depthwise maps of an RGB image are shown in colour.",
        )
        view = st.radio(
            "View",
            list(VIEW_LABELS),
            index=list(VIEW_LABELS).index(DEFAULTS["lab_view"]),
            format_func=VIEW_LABELS.get,
            key="lab_view",
            horizontal=True,
            help="Maps are computed at full resolution. Whole image: shrunk by area averaging for the "
            "screen, which hides pixel-level patterns. Crop: the centre at 1:1, enlarged ×2.",
        )
        device_pref = st.segmented_control(
            "Run on",
            ["auto", "cpu"],
            default=DEFAULTS["lab_device"],
            required=True,
            format_func=lambda p: {"auto": "Best device", "cpu": "CPU"}[p],
            key="lab_device",
            help="Best device: a CUDA GPU when there is one, else the CPU.",
        )
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
    st.latex(rf"k_\text{{eff}} = d\,(k-1)+1 \quad\Rightarrow\quad {spans}")
    st.latex(
        rf"p = \tfrac{{d\,(k-1)}}{{2}} \;\text{{per side}}:\; {pads} \qquad "
        rf"o = n + 2p - d\,(k-1) = n \;\;({height}\times{width})"
    )
    cost = fl.layer_cost(s["kind"], bank.channels, bank.size, k, height, width, ds[0])
    cols = st.columns(3)
    cols[0].metric(
        "Weights of this layer",
        f"{cost.params:,}",
        help="Counted from the weight shapes: dense F·C·k²; depthwise C·F·k²; separable C·F·k² + C·F·F. "
        "The same at every dilation.",
    )
    cols[1].metric(
        "Multiply-adds per dilation",
        f"{cost.macs / 1e6:,.1f} M",
        help="Weights × output positions: dilation adds none, it only spreads the taps.",
    )
    cols[2].metric("Output maps per dilation", f"{cost.out_channels}", help="F, or C·F for depthwise.")


def _ranges(run: fl.MapRun, s: dict[str, object], mode: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    low, high = (run.stats.low, run.stats.high) if s["clip"] else (run.stats.minimum, run.stats.maximum)
    return fl.map_ranges(low, high, mode or s["norm"], s["centre_zero"])


def _kernel_image(kernel: np.ndarray, side: int = 96) -> np.ndarray:
    bound = float(np.abs(kernel).max()) or 1.0
    image = fl.render_map(kernel[None], -bound, bound, "diverging")
    return fl.zoom_nearest(image, max(1, side // kernel.shape[0]))


def _shown(run: fl.MapRun, view: str) -> np.ndarray:
    return run.crop if view == "crop" else run.preview


def _display(image: np.ndarray, view: str) -> np.ndarray:
    return fl.zoom_nearest(image, 2) if view == "crop" else image


def _device_words(device: str) -> str:
    if device.startswith("cuda"):
        choice = device_choice()
        return choice.description if choice.device.type == "cuda" else "CUDA GPU"
    if device == "cpu":
        return f"CPU ({torch.get_num_threads()} threads)"
    return device.upper()


def _run_line(outcome: lab.Outcome, seconds: float, what: str) -> None:
    """Device and time of the run; a notice after an out-of-memory fallback; the session's run log."""
    seen = st.session_state.setdefault("lab_seen_runs", set())
    cached = outcome.run_id in seen
    seen.add(outcome.run_id)
    when = time.strftime("%H:%M:%S", time.localtime(outcome.computed_at))
    source = "shown from the cache; computed" if cached else "computed"
    st.caption(f"{what}: {source} at {when} on **{_device_words(outcome.device)}** in {seconds:.2f} s.")
    if outcome.fallback is not None:
        st.warning(
            f"The {outcome.fallback.device.upper()} ran out of memory ({outcome.fallback.error}); "
            "this run was repeated on the CPU. Try a smaller image or fewer filters and dilations "
            "to stay on the GPU.",
            icon=":material/memory:",
        )
    if not cached:
        log = st.session_state.setdefault("lab_run_log", [])
        log.append({"time": when, "what": what, "device": outcome.device, "seconds": round(seconds, 3)})


def _maps_tab(run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object]) -> None:
    lo, hi = _ranges(run, s)
    maps = _shown(run, s["view"])
    scale = {
        "per_map": "each map is stretched to its own range (shown under it)",
        "per_filter": "each row shares one scale across the dilations (shown left), so brightness "
        "compares across dilations",
        "shared": "every map shares the one scale below",
    }[s["norm"]]
    colour = (
        "Depthwise maps of an RGB image are shown in colour: each channel filtered on its own."
        if run.map_channels == 3
        else f"Colour map: {CMAP_LABELS[s['cmap']].lower()}."
    )
    st.caption(
        f"Rows: filters; columns: dilations. Scale: {scale}. {colour} "
        f"{'Mid-scale is zero for maps of both signs. ' if s['centre_zero'] else ''}"
        f"{'The rarest ' + format(fl.CLIP_PERCENT, 'g') + ' % at each end is clipped.' if s['clip'] else ''} "
        "Kernels: blue below zero, red above."
    )
    if s["norm"] == "shared":
        if run.map_channels == 1:
            st.image(fl.colorbar_image(s["cmap"], 512, 18), width=512)
        st.caption(f"{lo.flat[0]:+.3g}  ←  scale  →  {hi.flat[0]:+.3g}")
    header = st.columns([1.1] + [2] * len(run.dilations))
    header[0].markdown("**Filter**")
    for i, d in enumerate(run.dilations):
        header[i + 1].markdown(f"**d = {d}** · spans {effective_kernel_size(bank.kernel_size, d)} px")
    for j, label in enumerate(run.labels):
        cols = st.columns([1.1] + [2] * len(run.dilations))
        with cols[0]:
            st.markdown(f"**{label}**")
            st.image(_kernel_image(bank.kernels[j, 0].numpy()), caption="kernel")
            if s["norm"] == "per_filter":
                if run.map_channels == 1:
                    st.image(fl.colorbar_image(s["cmap"], 128, 10))
                st.caption(f"{lo[0, j]:+.3g} … {hi[0, j]:+.3g}")
        for i, d in enumerate(run.dilations):
            image = fl.render_map(maps[i, j], float(lo[i, j]), float(hi[i, j]), s["cmap"])
            caption = f"d = {d}"
            if s["norm"] == "per_map":
                caption += f" · {lo[i, j]:+.3g} … {hi[i, j]:+.3g}"
            cols[i + 1].image(_display(image, s["view"]), caption=caption, width="stretch")


def _compare_tab(run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object]) -> None:
    j = st.selectbox(
        "Filter to compare",
        list(range(len(run.labels))),
        index=min(int(DEFAULTS["lab_compare"]), len(run.labels) - 1),
        format_func=lambda i: run.labels[i],
        key="lab_compare",
        help="One filter at every dilation: its dilated footprint, its map and how the map changed.",
    )
    if j is None or j >= len(run.labels):
        j = 0
    kernel = bank.kernels[j, 0].numpy()
    lo, hi = _ranges(run, s, "per_filter")
    maps = _shown(run, s["view"])[:, j]
    diffs, bound = fl.differences(maps, 0, fl.CLIP_PERCENT if s["clip"] else 0.0)
    st.caption(
        f"Top: the {kernel.size} weights of the k×k kernel spread d pixels apart (white = zero between the taps). Middle: the "
        f"maps on one scale ({lo[0, j]:+.3g} … {hi[0, j]:+.3g}). Bottom: each map minus the map at "
        f"d = {run.dilations[0]}, on a diverging scale ±{bound:.3g} (blue: smaller, red: larger)."
    )
    cols = st.columns(len(run.dilations))
    for i, d in enumerate(run.dilations):
        with cols[i]:
            footprint = fl.dilate_kernel(kernel, d)
            st.image(
                _kernel_image(footprint, 160),
                caption=f"d = {d}: {footprint.shape[0]}×{footprint.shape[0]} footprint",
                width="stretch",
            )
            st.image(
                _display(fl.render_map(maps[i], float(lo[i, j]), float(hi[i, j]), s["cmap"]), s["view"]),
                caption=f"map at d = {d}",
                width="stretch",
            )
            if i == 0:
                st.caption("reference for the differences")
            else:
                diff_image = fl.render_map(
                    diffs[i] if diffs.shape[1] == 1 else diffs[i].mean(axis=0, keepdims=True),
                    -bound,
                    bound,
                    "diverging",
                )
                st.image(
                    _display(diff_image, s["view"]),
                    caption=f"d = {d} − d = {run.dilations[0]} · mean |Δ| {run.stats.diff_mean_abs[i, j]:.3g} "
                    f"(full resolution)",
                    width="stretch",
                )


def _stats_tab(run: fl.MapRun) -> None:
    stat = st.selectbox(
        "Statistic",
        list(STAT_LABELS),
        index=list(STAT_LABELS).index(DEFAULTS["lab_stat"]),
        format_func=STAT_LABELS.get,
        key="lab_stat",
        help="Computed over every pixel of every map at full resolution.",
    )
    values = {
        "std": run.stats.std,
        "mean_abs": run.stats.mean_abs,
        "diff_mean_abs": run.stats.diff_mean_abs,
        "max": run.stats.maximum,
        "min": run.stats.minimum,
    }[stat]
    fig = create_stats_chart(run.labels, run.dilations, values, f"{STAT_LABELS[stat]} per map", stat)
    st.plotly_chart(fig, key="lab_stats_chart")
    st.caption(
        "One group per filter, one bar per dilation. Derivative filters (Sobel, Laplacian) usually answer "
        "more strongly at larger d: their taps straddle bigger intensity steps."
    )
    table = pd.DataFrame(run.stats.rows(run.labels, run.dilations))
    st.dataframe(table, hide_index=True, key="lab_stats_table")


def _stack_tab(rgb: np.ndarray, digest: str, s: dict[str, object]) -> None:
    st.markdown(
        "Stack the **same** k×k filter in N layers (each channel on its own) with a dilation schedule. "
        "With `2, 2, 2` every tap of every layer lands on an even offset, so one output only ever sees "
        "the pixels of one parity: the input splits into four interleaved sub-images that never mix "
        "(**gridding**). Hybrid dilated convolution picks schedules such as `1, 2, 5` that leave no holes."
    )
    c1, c2, c3 = st.columns(3)
    stack_filter = c1.selectbox(
        "Filter in every layer",
        STACK_FILTERS,
        index=STACK_FILTERS.index(DEFAULTS["lab_stack_filter"]),
        format_func=FILTER_LABELS.get,
        key="lab_stack_filter",
        help="A smoothing filter (box, Gaussian) shows the holes best.",
    )
    text_a = c2.text_input(
        "Schedule A",
        value=DEFAULTS["lab_stack_a"],
        key="lab_stack_a",
        help=f"Dilations of the layers, e.g. 2, 2, 2 (1 to {fl.MAX_STACK_LAYERS} layers, each 1 to {fl.MAX_DILATION}).",
    )
    text_b = c3.text_input(
        "Schedule B",
        value=DEFAULTS["lab_stack_b"],
        key="lab_stack_b",
        help="The schedule to compare with, e.g. 1, 2, 5.",
    )
    try:
        sched_a, sched_b = fl.parse_schedule(text_a), fl.parse_schedule(text_b)
    except ValueError as exc:
        st.warning(f"{exc}. Enter the dilations as whole numbers separated by commas.")
        return
    k, h, w = s["kernel"], rgb.shape[0], rgb.shape[1]
    bad = [d for d in (*sched_a, *sched_b) if d not in fl.usable_dilations(h, w, k, [d], s["padding"])[0]]
    if bad:
        st.warning(
            f"{PADDING_LABELS[s['padding']]} padding cannot pad this {w}×{h} image for dilation "
            f"{', '.join(map(str, sorted(set(bad))))} (it needs the padding d·(k−1)/2 smaller than the "
            "shorter side). Choose zeros or replicate padding, or smaller dilations."
        )
        return
    with st.spinner("Running both stacks…"):
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
                str(lab.device_for(s["device"])),
            )
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the page keeps working
            st.error(f"The stacks could not be run: {type(exc).__name__}: {exc}")
            return
    run: fl.StackRun = outcome.result  # type: ignore[assignment]
    _run_line(outcome, sum(run.seconds), "Stacks")
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
            f"{n_holes} of {extent} offsets per axis never reach the output (gridding)"
            if n_holes
            else "no holes: every offset in the field reaches the output"
        )
        cols[i].image(
            _display(fl.render_map(shown[i], lo, hi, s["cmap"]), s["view"]),
            caption=f"{name}: d = {', '.join(map(str, sched))} · field {extent}×{extent} · {verdict}",
            width="stretch",
        )
    diff_map = diffs[1] if diffs.shape[1] == 1 else diffs[1].mean(axis=0, keepdims=True)
    cols[2].image(
        _display(fl.render_map(-diff_map, -bound, bound, "diverging"), s["view"]),
        caption=f"A − B (blue < 0 < red, ±{bound:.3g}) · mean |A − B| {run.diff_mean_abs:.3g} at full resolution",
        width="stretch",
    )
    if s["view"] == "whole":
        top, left, ch, cw = run.crop_box
        cdiff, cbound = fl.differences(run.crop, 0, fl.CLIP_PERCENT if s["clip"] else 0.0)
        cols = st.columns(3)
        for i, name in enumerate(("A", "B")):
            cols[i].image(
                fl.zoom_nearest(fl.render_map(run.crop[i], lo, hi, s["cmap"]), 2),
                caption=f"{name}: the centre {cw}×{ch} px at 1:1, enlarged ×2",
                width="stretch",
            )
        crop_diff = cdiff[1] if cdiff.shape[1] == 1 else cdiff[1].mean(axis=0, keepdims=True)
        cols[2].image(
            fl.zoom_nearest(fl.render_map(-crop_diff, -cbound, cbound, "diverging"), 2),
            caption=f"A − B in the centre crop (±{cbound:.3g})",
            width="stretch",
        )
    st.caption(
        "A and B share one scale. Gridding shows at 1:1 as a fine lattice or moiré wherever the image has "
        "texture (try the test pattern); shrinking the whole image averages it away."
    )
    f1, f2 = st.columns(2)
    f1.plotly_chart(
        create_response_heatmap(
            run.responses[0], f"A ({', '.join(map(str, sched_a))}): weight per input offset"
        ),
        key="lab_resp_a",
    )
    f2.plotly_chart(
        create_response_heatmap(
            run.responses[1], f"B ({', '.join(map(str, sched_b))}): weight per input offset"
        ),
        key="lab_resp_b",
    )
    st.caption(
        "How much each input pixel around an output contributes, found by running the stack on a single "
        "bright pixel. Grey cells are holes: no path of taps reaches them."
    )


def _download_tab(
    rgb: np.ndarray, run: fl.MapRun, bank: fl.FilterBank, s: dict[str, object], name: str
) -> None:
    lo, hi = _ranges(run, s)
    notes = (
        f"dsdcn explorer, Image lab\nimage: {name} ({run.width}x{run.height})\nlayer: {s['kind']}, "
        f"k = {s['kernel']}, padding {s['padding']}, {'grey' if s['grey'] else 'RGB'} input\n"
        f"dilations: {', '.join(map(str, run.dilations))}\nfilters: {', '.join(run.labels)}\n"
        f"scale: {s['norm']}{', zero at mid-scale' if s['centre_zero'] else ''}"
        f"{', clipped to the ' + format(fl.CLIP_PERCENT, 'g') + '..' + format(100 - fl.CLIP_PERCENT, 'g') + ' percentiles' if s['clip'] else ', min..max'}"
        f"; colour map {s['cmap']}\n"
        "files: d{dilation}_{index}_{filter}.png at full resolution; stats.csv over the full-resolution maps\n"
    )
    n = len(run.dilations) * len(run.labels)
    st.markdown(
        f"All **{n}** maps at full resolution ({run.width}×{run.height}) as PNGs, rendered with the scale "
        "and colour map chosen above, with `stats.csv` and a `README.txt` of the settings. The ZIP is "
        "made when you click: the maps are computed again at full resolution and compressed, which takes "
        "a few seconds for a 2048 px image (about 100 MB for 32 maps)."
    )
    st.download_button(
        "Download all maps (ZIP of PNGs)",
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
        help="PNG files named d{dilation}_{index}_{filter}.png.",
    )
    csv = pd.DataFrame(run.stats.rows(run.labels, run.dilations)).to_csv(index=False)
    st.download_button(
        "Download the statistics (CSV)",
        data=csv,
        file_name="image_lab_stats.csv",
        mime="text/csv",
        on_click="ignore",
        key="lab_csv",
        help="One row per map: min, max, mean, std, mean |value| and the difference to the first dilation.",
    )


def render() -> None:
    """Draw the Image lab."""
    lab.allocator_tuned()
    st.title("Image lab")
    st.markdown(
        "Run a bank of classic filters over a real image as **real PyTorch convolutions** and watch what "
        "dilation does: the same 3×3 weights, spread `d` pixels apart, see a wider neighbourhood, answer "
        "to coarser structure, and skip what lies between their taps. Every map is computed at full "
        "resolution (up to 2048 px a side) and only shrunk for the screen."
    )
    left, right = st.columns([1, 1.4], gap="large")
    with left:
        picked = _image_source()
    if picked is None:
        return
    name, data = picked
    digest = image_digest(data)
    try:
        rgb, thumb = lab.decode(digest, data)
    except ImageError as exc:
        with right:
            st.error(f"**{name}** cannot be used: {exc}", icon=":material/broken_image:")
        return
    height, width = rgb.shape[:2]
    with right:
        st.image(thumb, caption=f"{name} · {width}×{height} px", width=min(520, max(64, thumb.shape[1])))
        notes = _load_notes(data, rgb)
        if notes:
            st.caption("Loaded: " + "; ".join(notes) + ".")

    st.subheader("Layer and filters")
    s = _controls()
    if not s["filters"]:
        st.warning("Choose at least one filter in the filter bank.")
        return
    if not s["dilations"]:
        st.warning("Choose at least one dilation to compare.")
        return
    try:
        bank = fl.make_bank(
            s["filters"], s["kernel"], 1 if s["grey"] else 3, s["gabor_n"], s["random_n"], s["seed"]
        )
    except ValueError as exc:
        st.warning(f"{exc}. Choose fewer filters, Gabor orientations or random filters.")
        return
    if s["kind"] == "standard":
        st.info(
            "A standard layer has dilation 1. Choose a dilated, depthwise or separable layer to compare dilations."
        )
    ok, refused = fl.usable_dilations(height, width, s["kernel"], s["dilations"], s["padding"])
    if refused:
        st.warning(
            f"{PADDING_LABELS[s['padding']].capitalize()} padding cannot pad this {width}×{height} image for "
            f"d = {', '.join(map(str, refused))}: it needs the padding d·(k−1)/2 "
            f"{'smaller than' if s['padding'] == 'reflect' else 'at most'} the shorter side. "
            + ("Those dilations are left out. " if ok else "")
            + "Choose zeros or replicate padding, smaller dilations or a smaller kernel."
        )
        if not ok:
            return
    s["dilations"] = ok
    for d in ok:
        inside = fl.taps_inside(height, width, s["kernel"], d)
        if inside < s["kernel"] ** 2:
            st.info(
                f"At d = {d} the {s['kernel']}×{s['kernel']} kernel spans {effective_kernel_size(s['kernel'], d)} px, "
                f"wider than this {width}×{height} image allows: only {inside} of its {s['kernel'] ** 2} taps "
                f"at the centre pixel land inside the image; the rest read {s['padding']} padding. "
                "'Same' padding still keeps the map the image's size.",
                icon=":material/info:",
            )
            break

    with st.expander("The arithmetic of this run", expanded=True):
        _formulas(s, height, width, bank)

    device = str(lab.device_for(s["device"]))
    n_maps = len(s["dilations"]) * bank.size
    with st.spinner(
        f"Running {bank.size} filters × {len(s['dilations'])} dilations ({n_maps} maps) on {device.upper()}…"
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
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; the page keeps working
            st.error(
                f"The convolutions could not be run: {type(exc).__name__}: {exc}. Try a smaller image, "
                "fewer filters or fewer dilations."
            )
            return
    run: fl.MapRun = outcome.result  # type: ignore[assignment]
    per_d = " · ".join(
        f"d = {d}: {t * 1000:.0f} ms" for d, t in zip(run.dilations, run.conv_seconds, strict=True)
    )
    _run_line(outcome, run.total_seconds, "Feature maps")
    st.caption(
        f"Convolutions alone: {per_d} (the rest of the run is statistics and previews at full resolution)."
    )

    tabs = st.tabs(["Feature maps", "Compare dilations", "Statistics", "Stack and gridding", "Download"])
    with tabs[0]:
        _maps_tab(run, bank, s)
    with tabs[1]:
        _compare_tab(run, bank, s)
    with tabs[2]:
        _stats_tab(run)
    with tabs[3]:
        _stack_tab(rgb, digest, s)
    with tabs[4]:
        _download_tab(rgb, run, bank, s, name)
    log = st.session_state.get("lab_run_log", [])
    if log:
        with st.expander(f"Runs in this session ({len(log)})"):
            st.dataframe(pd.DataFrame(log[-20:]), hide_index=True, key="lab_log_table")


render()
