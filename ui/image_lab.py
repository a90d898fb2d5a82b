"""Streamlit side of the Image lab: samples, cached decoding and runs, and the ZIP download."""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st
import torch
from PIL import Image

from dsdcn import budget
from dsdcn import filters as fl
from dsdcn.device import pick_device
from dsdcn.imaging import inspect_image, load_image, thumbnail
from ui.i18n import CATALOGS, t
from ui.workshop import mark_link_value_ignored

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "samples"
MAX_SIDE = 2048
THUMB_SIDE = 512
MAX_SEED = 2**31 - 1
_SEED = re.compile(r"^[0-9]{1,10}$")


def parse_seed(raw: str) -> int | None:
    """A link's seed: digits only, 0 to :data:`MAX_SEED`; None when it is anything else."""
    if not isinstance(raw, str) or not _SEED.match(raw):
        return None
    value = int(raw)
    return value if value <= MAX_SEED else None


def parse_schedule_text(raw: str, max_chars: int) -> tuple[int, ...] | None:
    """A stack schedule such as ``"1, 2, 5"`` (at most ``max_chars``); None when it cannot be used."""
    if not isinstance(raw, str) or len(raw) > max_chars:
        return None
    try:
        return fl.parse_schedule(raw)
    except ValueError:
        return None


def drop_bad_link_value(key: str, valid: Callable[[str], bool]) -> None:
    """Report a link value of a widget not drawn in this run (a closed tab) that ``valid`` refuses.

    The value leaves the URL now; Streamlit drops it again (it is not an option) once the widget is drawn.
    """
    if key in st.session_state:
        return
    raw = st.query_params.get(key)
    if raw is None or valid(raw):
        return
    try:
        del st.query_params[key]
    except Exception:  # noqa: BLE001 - a parameter already bound to a widget is that widget's to check
        return
    mark_link_value_ignored(key)


def put_link_value(key: str, value: object, default: object) -> None:
    """Write a hand-managed value into the URL (left out at its default, as Streamlit does)."""
    text = None if value == default else str(value)
    if st.query_params.get(key) == text:
        return
    if text is None:
        del st.query_params[key]
    else:
        st.query_params[key] = text


def code_of_label(value: object, keys: Iterable[str]) -> str | None:
    """The catalogue key (of ``keys``) whose text in any language is ``value``, or None."""
    for catalogue in CATALOGS.values():
        for key in keys:
            if catalogue.get(key) == value:
                return key
    return None


@dataclass(frozen=True)
class LabSettings:
    """The page's controls, read once from the widgets (their link values already checked).

    Hashable: every field is a plain value or a tuple, so the settings can key a cache.
    """

    kind: str
    kernel: int
    grey: bool
    padding: str
    filters: tuple[str, ...]
    gabor_n: int
    random_n: int
    seed: int
    dilations: tuple[int, ...]
    norm: str
    centre_zero: bool
    clip: bool
    cmap: str
    view: str
    device: str

    @classmethod
    def from_widgets(cls, values: Mapping[str, object]) -> LabSettings:
        """The settings of the widget values ``values`` (keyed by widget key)."""
        kind = str(values["lab_kind"])
        dilations: Iterable[object] = values["lab_dilations"] or ()
        return cls(
            kind=kind,
            kernel=int(values["lab_kernel"]),
            grey=values["lab_channels"] == "grey",
            padding=str(values["lab_padding"]),
            filters=tuple(values["lab_filters"]),
            gabor_n=int(values["lab_gabor_n"]),
            random_n=int(values["lab_random_n"]),
            seed=int(values["lab_seed"]),
            dilations=(1,) if kind == "standard" else tuple(sorted(int(d) for d in dilations)),
            norm=str(values["lab_norm"]),
            centre_zero=bool(values["lab_centre_zero"]),
            clip=bool(values["lab_clip"]),
            cmap=str(values["lab_cmap"]),
            view=str(values["lab_view"]),
            device=str(values["lab_device"]),
        )

    @property
    def channels(self) -> int:
        """Input channels: 1 for grey, 3 for RGB."""
        return 1 if self.grey else 3

    @property
    def clip_percent(self) -> float:
        """The percentile clipped at each end (0 when clipping is off)."""
        return fl.CLIP_PERCENT if self.clip else 0.0

    @property
    def zoom(self) -> int:
        """How many times a shown map is enlarged (the crop twice)."""
        return 2 if self.view == "crop" else 1

    @property
    def scale(self) -> tuple[object, ...]:
        """Everything besides the run that chooses the shown maps and their range."""
        return (self.view, self.norm, self.clip, self.centre_zero)


@dataclass(frozen=True, eq=False)
class Picture:
    """The image in use: its name, the digest of its bytes and its pixels ``(H, W, 3)``."""

    name: str
    digest: str
    rgb: np.ndarray

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])


@dataclass(frozen=True)
class StackChoice:
    """The stack tab's filter and its two dilation schedules."""

    filter: str
    a: tuple[int, ...]
    b: tuple[int, ...]


def capped_dilations(chosen: Sequence[int], kept: Iterable[int], limit: int) -> list[int] | None:
    """A choice of more than ``limit`` dilations cut back: the ones of ``kept`` it still holds (all of it when
    none), the first ``limit``; None when the choice is within the limit."""
    if len(chosen) <= limit:
        return None
    kept = list(kept)
    still = [d for d in chosen if d in kept]
    return list(still or chosen)[:limit]


def first_partial_dilation(
    height: int, width: int, kernel: int, dilations: Iterable[int]
) -> tuple[int, int] | None:
    """The first of ``dilations`` whose taps do not all fall inside the image: ``(d, taps inside)``, or None."""
    for d in dilations:
        inside = fl.taps_inside(height, width, kernel, d)
        if inside < kernel**2:
            return d, inside
    return None


def unservable_dilations(
    height: int, width: int, kernel: int, dilations: Iterable[int], padding: str
) -> list[int]:
    """The dilations (sorted, once each) that ``padding`` cannot serve on this image."""
    bad = [d for d in dilations if d not in fl.usable_dilations(height, width, kernel, [d], padding)[0]]
    return sorted(set(bad))


def compare_fix(held: object, library_labels: Sequence[str], labels: Sequence[str]) -> int | None:
    """The compared filter to hold instead of ``held`` (an older link's label: its place in the bank; out of
    range: the first), or None when ``held`` can stay."""
    value = held
    if isinstance(held, str):
        names = [*library_labels, *labels]
        value = names.index(held) % len(labels) if held in names else 0
    if not 0 <= int(value or 0) < len(labels):
        value = 0
    return None if value is held else value


def difference_map(diffs: np.ndarray, i: int) -> np.ndarray:
    """The difference map ``i`` of ``fl.differences`` with its channels averaged into one."""
    return diffs[i] if diffs.shape[1] == 1 else diffs[i].mean(axis=0, keepdims=True)


def map_ranges(run: fl.MapRun, s: LabSettings, mode: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The range of every map of ``run`` on screen (``mode``: a normalisation other than the chosen one)."""
    low, high = (run.stats.low, run.stats.high) if s.clip else (run.stats.minimum, run.stats.maximum)
    return fl.map_ranges(low, high, mode or s.norm, s.centre_zero)


def shown_maps(run: fl.MapRun | fl.StackRun, view: str) -> np.ndarray:
    """The maps of the view: the centre crop or the preview of the whole image."""
    return run.crop if view == "crop" else run.preview


def display_image(image: np.ndarray, view: str) -> np.ndarray:
    """A rendered map as shown: the crop enlarged twice."""
    return fl.zoom_nearest(image, 2) if view == "crop" else image


def stat_values(stats: fl.MapStats, stat: str) -> np.ndarray:
    """The statistic ``stat`` of every map."""
    return {
        "std": stats.std,
        "mean_abs": stats.mean_abs,
        "diff_mean_abs": stats.diff_mean_abs,
        "max": stats.maximum,
        "min": stats.minimum,
    }[stat]


def load_notes(data: bytes, rgb: np.ndarray) -> list[str]:
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
                limit=MAX_SIDE,
            )
        )
    return notes


def zip_readme(name: str, run: fl.MapRun, s: LabSettings) -> str:
    """The README inside the ZIP: what the files are; in English like the file names."""
    clip_text = (
        f", clipped to the {fl.CLIP_PERCENT:g}..{100 - fl.CLIP_PERCENT:g} percentiles"
        if s.clip
        else ", min..max"
    )
    return (
        f"dsdcn explorer, Image lab\nimage: {name} ({run.width}x{run.height})\nlayer: {s.kind}, "
        f"k = {s.kernel}, padding {s.padding}, {'grey' if s.grey else 'RGB'} input\n"
        f"dilations: {', '.join(map(str, run.dilations))}\nfilters: {', '.join(run.labels)}\n"
        f"scale: {s.norm}{', zero at mid-scale' if s.centre_zero else ''}{clip_text}"
        f"; colour map {s.cmap}\n"
        "files: d{dilation}_{index}_{filter}.png at full resolution; stats.csv over the full-resolution maps\n"
    )


# one tuple of codes per max_count
@st.cache_data(show_spinner=False, max_entries=8, ttl="1d")
def possible_bank_codes(max_count: int = 8) -> tuple[fl.FilterCode, ...]:
    """Every filter a bank can hold (Gabor and random filters up to ``max_count``)."""
    names = [n for n in fl.FILTER_KINDS if n not in ("gabor", "random")]
    codes = list(fl.make_bank(names, 3, 1).codes)
    for n in range(1, max_count + 1):
        codes += [c for c in fl.make_bank(("gabor",), 3, 1, n).codes if c not in codes]
    codes += list(fl.make_bank(("random",), 3, 1, 1, max_count).codes)
    return tuple(codes)


@st.cache_data(show_spinner=False, max_entries=1, ttl="1h")
def sample_names() -> list[str]:
    """File names of the bundled samples."""
    return sorted(p.name for p in SAMPLES_DIR.glob("*.png"))


# the bundled samples: under 1 MB each
@st.cache_data(show_spinner=False, max_entries=8, ttl="1h")
def sample_bytes(name: str) -> bytes:
    """The bytes of one bundled sample."""
    return (SAMPLES_DIR / name).read_bytes()


# 2048²×3 bytes + a 512² thumbnail = 13 MB per image: 6 images ≤ 80 MB; gone 10 minutes after last use
@st.cache_data(show_spinner=False, max_entries=6, ttl="10m")
def decode(digest: str, _data: bytes, max_side: int = MAX_SIDE) -> tuple[np.ndarray, np.ndarray]:
    """The image as ``(H, W, 3)`` uint8 at full resolution (at most ``max_side``) and a display thumbnail.

    Raises ``dsdcn.ImageError`` (not cached) for an unusable file.
    """
    rgb = np.array(load_image(_data, max_side=max_side))
    return rgb, thumbnail(rgb, THUMB_SIDE)


def device_for(preference: str) -> torch.device:
    """``"auto"``: :func:`dsdcn.pick_device` (CUDA when present); ``"cpu"``: the CPU."""
    return pick_device() if preference == "auto" else torch.device("cpu")


@dataclass(frozen=True)
class Outcome:
    """A cached run: the result, the device it ran on, a fallback note and when it was computed."""

    result: fl.MapRun | fl.StackRun
    device: str
    fallback: fl.Fallback | None
    computed_at: float
    run_id: str


# a run keeps float16 previews (≤ 384²) and crops (192²): 11 MB for the default 4 dilations × 8 filters,
# 200 MB at most (8 dilations × 24 filters × 3 depthwise channels); 6 runs: ~70 MB usually, 1.2 GB at most
@st.cache_data(show_spinner=False, max_entries=6, ttl="10m")
def compute_maps(
    digest: str,
    _rgb: np.ndarray,
    grey: bool,
    filters: tuple[str, ...],
    kernel_size: int,
    gabor_orientations: int,
    random_count: int,
    seed: int,
    kind: str,
    dilations: tuple[int, ...],
    padding_mode: str,
    device: str,
) -> Outcome:
    """The bank at every dilation on the image (keyed by its digest and the settings), with CPU fallback."""
    bank = fl.make_bank(filters, kernel_size, 1 if grey else 3, gabor_orientations, random_count, seed)
    run_id = uuid.uuid4().hex

    h, w = int(_rgb.shape[0]), int(_rgb.shape[1])

    def run(dev: torch.device) -> fl.MapRun:
        need = budget.bank_estimate(
            h, w, bank.channels, bank.size, kernel_size, kind, len(dilations), dev.type
        )
        with budget.reserve(need.bytes, dev.type):  # counted with every other heavy request of the server
            x = fl.image_tensor(_rgb, grey, dev)
            return fl.run_bank(x, bank, kind, dilations, padding_mode, run_id=run_id)  # type: ignore[arg-type]

    result, used, fallback = fl.run_with_fallback(run, torch.device(device))
    return Outcome(result, str(used), fallback, time.time(), run_id)


# two schedules' previews and crops: under 1 MB a run
@st.cache_data(show_spinner=False, max_entries=12, ttl="10m")
def compute_stacks(
    digest: str,
    _rgb: np.ndarray,
    grey: bool,
    stack_filter: str,
    kernel_size: int,
    schedule_a: tuple[int, ...],
    schedule_b: tuple[int, ...],
    padding_mode: str,
    device: str,
) -> Outcome:
    """Two schedules of one filter on the image, with CPU fallback."""
    kernel = fl.make_bank((stack_filter,), kernel_size, 1, 1, 1, 0).kernels[0, 0]
    run_id = uuid.uuid4().hex

    h, w = int(_rgb.shape[0]), int(_rgb.shape[1])

    def run(dev: torch.device) -> fl.StackRun:
        need = budget.stacks_estimate(h, w, 1 if grey else 3, kernel_size, (schedule_a, schedule_b), dev.type)
        with budget.reserve(need.bytes, dev.type):
            x = fl.image_tensor(_rgb, grey, dev)
            return fl.run_stacks(x, kernel, schedule_a, schedule_b, padding_mode)

    result, used, fallback = fl.run_with_fallback(run, torch.device(device))
    return Outcome(result, str(used), fallback, time.time(), run_id)


def jpeg(image: np.ndarray) -> bytes:
    """An ``(h, w, 3)`` uint8 image as the JPEG ``st.image`` makes of such an array (quality 100): the same
    bytes, so an image shown from a cached rendering is the image shown before."""
    buf = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buf, format="JPEG", quality=100)
    return buf.getvalue()


def kernel_image(kernel: np.ndarray, side: int = 96) -> np.ndarray:
    """A ``(k, k)`` kernel drawn on the diverging map, zero at mid-scale, enlarged to about ``side`` pixels."""
    bound = float(np.abs(kernel).max()) or 1.0
    image = fl.render_map(kernel[None], -bound, bound, "diverging")
    return fl.zoom_nearest(image, max(1, side // kernel.shape[0]))


# kernel thumbnails of a few KB
@st.cache_data(show_spinner=False, max_entries=256, ttl="1h")
def kernel_jpeg(kernel: np.ndarray, side: int = 96) -> bytes:
    """:func:`kernel_image` as JPEG bytes (a kernel is small: it is its own cache key)."""
    return jpeg(kernel_image(kernel, side))


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def colorbar_jpeg(colormap: str, width: int, height: int) -> bytes:
    """``dsdcn.filters.colorbar_image`` as JPEG bytes."""
    return jpeg(fl.colorbar_image(colormap, width, height))


# JPEGs of one run's maps: ~50-150 KB a map, 32 maps by default (~3 MB); 12 renderings ≤ ~40 MB usually
@st.cache_data(show_spinner=False, max_entries=12, ttl="10m")
def map_jpegs(
    run_id: str,
    scale: tuple[object, ...],
    colormap: str,
    zoom: int,
    _maps: np.ndarray,
    _lo: np.ndarray,
    _hi: np.ndarray,
) -> tuple[tuple[bytes, ...], ...]:
    """The maps ``(D, F, M, h, w)`` of the run ``run_id`` rendered on ``colormap`` between ``_lo[i, j]`` and
    ``_hi[i, j]``, enlarged ``zoom`` times, as JPEG bytes: ``[i][j]`` for dilation ``i`` and filter ``j``.

    ``_maps``, ``_lo`` and ``_hi`` are not hashed: ``scale`` must name everything that chose them besides the
    run (the view, the normalisation, clipping, zero at mid-scale).
    """
    return tuple(
        tuple(
            jpeg(
                fl.zoom_nearest(
                    fl.render_map(_maps[i, j], float(_lo[i, j]), float(_hi[i, j]), colormap), zoom
                )
            )
            for j in range(_maps.shape[1])
        )
        for i in range(_maps.shape[0])
    )


def zip_maker(
    rgb: np.ndarray,
    grey: bool,
    bank: fl.FilterBank,
    kind: str,
    dilations: tuple[int, ...],
    padding_mode: str,
    lo: np.ndarray,
    hi: np.ndarray,
    colormap: str,
    stats: fl.MapStats,
    notes: str,
    device: str,
) -> Callable[[], bytes]:
    """A no-argument function building the ZIP of full-resolution maps when the download is clicked."""

    def make() -> bytes:
        def run(dev: torch.device) -> bytes:
            x = fl.image_tensor(rgb, grey, dev)
            return fl.maps_zip(x, bank, kind, dilations, padding_mode, lo, hi, colormap, stats, notes)  # type: ignore[arg-type]

        data, _, _ = fl.run_with_fallback(run, torch.device(device))
        return data

    return make
