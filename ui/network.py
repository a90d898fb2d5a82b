"""Streamlit-side helpers of the Network page: defaults, presets, settings and cached analyses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dsdcn.figures.networks import NetworkText
from dsdcn.networks import BUILTINS, NETWORK_CODES, Analysis, Network, analyse, builtin, from_stack
from dsdcn.networks.export import to_csv, to_latex, to_markdown
from dsdcn.networks.separable import SeparableReport, make_separable, separable_report
from dsdcn.networks.torch_build import torch_code
from dsdcn.stack import decode_stack
from ui.i18n import t

if TYPE_CHECKING:  # the onnx package takes seconds to import: only when a file is uploaded
    from dsdcn.onnx import OnnxImport

SOURCES: tuple[str, ...] = ("builtin", "stack", "onnx")
SIZE_LIMITS = (1, 65536)
STACK_CHANNELS = 32
MAX_UPLOAD_MB = 50  # the server's limit (.streamlit/config.toml)
DEFAULTS: dict[str, object] = {
    "nw_source": "builtin",
    "nw_net": "mobilenet_v1",
    "nw_size": 224,
    "nw_stack": "c3,c3d2,c3d4,c3d8",
    "nw_sep": False,
}
# lesson presets: the values they set (the rest go back to DEFAULTS); their idea is in the locale
PRESETS: dict[str, dict[str, object]] = {
    "resnet_stride": {"nw_net": "resnet50_v1", "nw_size": 224},
    "deeplab_os": {"nw_net": "deeplab_os8", "nw_size": 512},
    "espnet_hff": {"nw_net": "espnet_hff", "nw_size": 64},
    "wavenet": {"nw_net": "wavenet", "nw_size": 16000},
    "separable": {"nw_net": "vgg16", "nw_size": 224, "nw_sep": True},
}
# the network each preset is compared with, named in its idea
PRESET_PARTNER = {"resnet_stride": "resnet50_v15", "deeplab_os": "deeplab_os16", "espnet_hff": "espnet_plain"}


@dataclass(frozen=True)
class Settings:
    """Everything the page reads from its controls."""

    source: str
    net: str
    size: int
    stack: str
    separable: bool
    onnx_digest: str = ""


def default_size(code: str) -> int:
    """The input size a built-in network is usually shown at."""
    return BUILTINS[code].default_size if code in BUILTINS else int(DEFAULTS["nw_size"])  # type: ignore[arg-type]


def parse_link_net(raw: str) -> str | None:
    """A built-in network's code from the link, or None."""
    return raw if raw in NETWORK_CODES else None


def parse_link_stack(raw: str) -> str | None:
    """A stack code from the link that decodes, or None."""
    try:
        decode_stack(raw)
    except ValueError:
        return None
    return raw


# layer tables and reports of a few KB each: the five caches stay under a few MB
@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def builtin_analysis(code: str, size: int) -> Analysis:
    """The analysed table of a built-in network (cached: the page answers at once)."""
    return analyse(builtin(code, size))


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def stack_network(stack: str, size: int) -> Network:
    """The Receptive field page's stack as a network of ``STACK_CHANNELS`` channels."""
    return from_stack(decode_stack(stack), STACK_CHANNELS, size)


@dataclass(frozen=True)
class OnnxProblem:
    """Why an upload gave no table: ``OnnxError``'s code, details and English message."""

    code: str
    details: tuple[str, ...]
    error: str


@st.cache_data(show_spinner=False, max_entries=8, ttl="30m")
def onnx_import(digest: str, _data: bytes) -> OnnxImport | OnnxProblem:
    """The uploaded model read into a table, or the problem (cached by the file's digest)."""
    from dsdcn.onnx import OnnxError, read_onnx

    try:
        return read_onnx(_data)
    except OnnxError as exc:
        return OnnxProblem(exc.code, exc.details, str(exc))


def digest(data: bytes) -> str:
    """A short content hash of an upload."""
    return hashlib.sha256(data).hexdigest()[:16]


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def analysis_of(net: Network) -> Analysis:
    """The analysed table of any network (networks are frozen, hashable by value)."""
    return analyse(net)


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def separable_of(net: Network) -> SeparableReport:
    """The separable rewrite and its savings."""
    return separable_report(net)


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def exports(net: Network) -> dict[str, str]:
    """CSV, Markdown, LaTeX and PyTorch code of the network."""
    a = analyse(net)
    return {"csv": to_csv(a), "md": to_markdown(a), "tex": to_latex(a), "py": torch_code(net)}


def rewritten(net: Network, separable: bool) -> Network:
    """The network as shown: separable when asked."""
    return make_separable(net) if separable else net


COLUMN_KEYS: tuple[str, ...] = (
    "layer", "kind", "kernel", "stride", "dilation", "groups", "c_in", "c_out", "out_size", "rf", "jump",
    "padding", "holes", "params", "macs", "flops", "memory", "misaligned",
)  # fmt: skip


def table_frame(a: Analysis) -> pd.DataFrame:
    """The per-layer table with column titles in the page's language."""
    records = []
    for r in a.rows:
        la = r.layer
        shaped = la.kind not in ("add", "concat", "gap", "fc")
        records.append(
            {
                "layer": la.name,
                "kind": t(f"network.kind.{la.kind}"),
                "kernel": la.kernel if shaped else None,
                "stride": la.stride if shaped else None,
                "dilation": la.dilation if shaped else None,
                "groups": la.groups if la.kind == "conv" else None,
                "c_in": r.c_in,
                "c_out": r.c_out,
                "out_size": "×".join(str(n) for n in r.out_size),
                "rf": r.rf,
                "jump": r.jump,
                "padding": r.padding,
                "holes": r.holes if r.holes >= 0 else None,
                "params": r.params,
                "macs": r.macs,
                "flops": r.flops,
                "memory": r.memory,
                "misaligned": "⚠" if r.misaligned else "",
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(COLUMN_KEYS))
    return frame.rename(columns={k: t(f"network.col.{k}") for k in COLUMN_KEYS})


def number_formats() -> dict[str, str]:
    """Thousands separators for the big numbers (keyed by translated column title)."""
    return {
        t(f"network.col.{k}"): "localized" for k in ("params", "macs", "flops", "memory", "rf", "padding")
    }


def figure_text() -> NetworkText:
    """Every word of the figures in the page's language."""
    return NetworkText(**{f.name: t(f"network.fig.{f.name}") for f in fields(NetworkText)})


def onnx_message(problem: OnnxProblem) -> str:
    """An ONNX problem in the page's language."""
    return t(f"network.onnx.{problem.code}", details=", ".join(problem.details), error=problem.error)


def human(n: float) -> str:
    """1234567 -> '1.23 M' (k, M, G, T)."""
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:,.0f}"
