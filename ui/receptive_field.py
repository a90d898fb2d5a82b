"""Streamlit-side helpers of the Receptive field page: cached calls into ``dsdcn`` keyed on plain tuples, the
layer table in the link, the page's settings (one frozen dataclass) and the pure choices behind its sections."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from dsdcn import (
    ERF,
    PRESETS,
    Branch,
    Gridding,
    HDCRule,
    Layer,
    Suggestion,
    branch_fields,
    budget,
    causal_stack,
    decode_stack,
    dilated_stack,
    effective_receptive_field,
    encode_stack,
    gridding,
    mass_share,
    parse_rates,
    path_counts,
    stack_field,
    suggest_schedule,
)
from dsdcn.budget import ROOM, Estimate, erf_estimate
from dsdcn.erf import MAX_ERF_EXTENT, erf_cost
from dsdcn.fieldmap import FieldView, GrowthRow, check_extent, field_view, grid_for, growth_table, layer_views
from dsdcn.stack import stack_rows
from ui.i18n import t
from ui.workshop import drop_link_value, keep_link_key, mark_link_value_ignored

LayerKey = tuple[tuple[int, int, int, int, str], ...]


def layer_key(layers: Sequence[Layer]) -> LayerKey:
    """A hashable key of a stack (ints and strings only)."""
    return tuple((la.kernel_size, la.stride, la.dilation, la.padding, la.kind) for la in layers)


def from_key(key: LayerKey) -> tuple[Layer, ...]:
    """The stack back from ``layer_key``."""
    return tuple(Layer(k, s, d, p, kind) for k, s, d, p, kind in key)  # type: ignore[arg-type]


# the caches of this page hold tables and fields of a few KB to ~1 MB (ERF maps): ≤ 100 MB together
@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def growth(key: LayerKey) -> list[GrowthRow]:
    """Growth table of the stack."""
    return growth_table(from_key(key))


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def verdict(key: LayerKey, causal: bool) -> Gridding:
    """Gridding verdict of the stack."""
    return gridding(from_key(key), causal)


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def views(key: LayerKey, causal: bool, max_cells: int, indices: tuple[int, ...]) -> list[FieldView]:
    """The field after the layers ``indices`` on one drawing grid."""
    return layer_views(from_key(key), causal, max_cells, indices)


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def final_view(key: LayerKey, causal: bool, max_cells: int) -> FieldView:
    """The field of the whole stack on its own drawing grid."""
    field = stack_field(from_key(key), causal)
    return field_view(field, grid_for(field.start, field.stop, max_cells))


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def coverage_share(key: LayerKey, ndim: int, mass: float) -> float:
    """Share of the extent holding ``mass`` of the paths (1D, or the square field in 2D)."""
    counts = path_counts(from_key(key)).astype(float)
    return mass_share(np.outer(counts, counts) if ndim == 2 else counts, mass)


@st.cache_data(show_spinner=False, max_entries=32, ttl="1h")
def erf(
    key: LayerKey,
    ndim: int,
    weights: str,
    relu: bool,
    channels: int,
    samples: int,
    seed: int,
    device: str,
    need_bytes: int = 0,
) -> ERF:
    """Effective receptive field from a real backward pass on ``device``, in its turn on the server's
    queue for heavy work with ``need_bytes`` reserved (``budget.Busy`` when the turn does not come)."""
    with budget.reserve(need_bytes, device.split(":")[0]):
        return effective_receptive_field(
            from_key(key),
            ndim=ndim,
            weights=weights,  # type: ignore[arg-type]
            relu=relu,
            channels=channels,
            samples=samples,
            seed=seed,
            device=device,
        )


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def suggestion(n_layers: int, kernel_size: int, max_dilation: int) -> Suggestion:
    """The hole-free schedule with the largest extent."""
    return suggest_schedule(n_layers, kernel_size, max_dilation)


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def branches(key: LayerKey, rates: tuple[int, ...]) -> list[Branch]:
    """Parallel branches (ASPP) after the stack."""
    return branch_fields(from_key(key), rates)


# --- the layer table in the link -------------------------------------------------------------------
# ``st.data_editor`` has no ``bind``: the page keeps the stack as its short code (``encode_stack``) in
# ``st.session_state[STACK_KEY]`` and in the link parameter of the same name, managed here by hand.
STACK_KEY = "rf_stack"
_LINK_SEEN = "_rf_stack_link"  # the value this page last read from or wrote to the link
_DRAWN = "_rf_stack_drawn"  # the code of the table as the editor showed it in the last run
_VERSION = "_rf_table_version"  # bumped to give the editor a fresh key (and drop its edits)
_ROWS = "_rf_table_rows"  # the editor's base rows
_CHECKED = "_rf_link_checked"


def first_run() -> bool:
    """True once per session: the run that opened the page from a link."""
    if st.session_state.get(_CHECKED):
        return False
    st.session_state[_CHECKED] = True
    return True


def read_stack_link() -> None:
    """Load the stack from the link when the link changed from outside (a link opened, pasted or edited).

    A value that does not parse is dropped from the link and named in the link notice.
    """
    keep_link_key(STACK_KEY)
    raw = st.query_params.get(STACK_KEY)
    if raw is None or raw == st.session_state.get(_LINK_SEEN):
        return
    try:
        layers = decode_stack(raw)
    except ValueError:
        mark_link_value_ignored(STACK_KEY)
        del st.query_params[STACK_KEY]
        st.session_state[_LINK_SEEN] = None
        return
    st.session_state[STACK_KEY] = encode_stack(layers)
    st.session_state[_LINK_SEEN] = raw


def write_stack_link(code: str, default: str) -> None:
    """Put the stack's code in the link (left out at its default; a link that already says it is kept)."""
    raw = st.query_params.get(STACK_KEY)
    if raw is not None and _decodes_to(raw, code):
        st.session_state[_LINK_SEEN] = raw
        return
    if code == default:
        if raw is not None:
            del st.query_params[STACK_KEY]
        st.session_state[_LINK_SEEN] = None
        return
    st.query_params[STACK_KEY] = code
    st.session_state[_LINK_SEEN] = code


def _decodes_to(raw: str, code: str) -> bool:
    try:
        return encode_stack(decode_stack(raw)) == code
    except ValueError:
        return False


def editor_table(default: str) -> tuple[str, list[dict[str, object]]]:
    """The editor's key and base rows for the stack in ``st.session_state[STACK_KEY]``.

    When the stack was set from outside the editor (a preset, reset, suggestion or link) the editor
    gets a fresh key, so the edits it kept for the old table are dropped.
    """
    code = st.session_state.get(STACK_KEY, default)
    try:
        layers = decode_stack(code)
    except ValueError:
        code, layers = default, decode_stack(default)
        st.session_state[STACK_KEY] = code
    version = st.session_state.setdefault(_VERSION, 0)
    if code != st.session_state.get(_DRAWN):
        version += 1
        st.session_state[_VERSION] = version
        st.session_state[_ROWS] = stack_rows(layers)
    key = f"rf_table_{version}"
    if key not in st.session_state or _ROWS not in st.session_state:
        st.session_state[_ROWS] = stack_rows(layers)
    return key, st.session_state[_ROWS]


def table_drawn(layers: Sequence[Layer]) -> str:
    """Record the stack the editor shows now (its valid rows); returns its code."""
    code = encode_stack(layers)
    st.session_state[STACK_KEY] = code
    st.session_state[_DRAWN] = code
    return code


# --- the page's settings, read once from its widgets and the link ------------------------------------
ERF_2D_LIMIT = {"cpu": 320}  # largest extent for the 2D effective field per device type (else 1024)
ERF_BUDGET = {"cpu": 600_000_000}  # forward multiply-adds of an interactive backward pass (else 5e10)
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


@dataclass(frozen=True)
class ErfSettings:
    """The effective field's controls."""

    weights: str
    relu: bool
    channels: int
    samples: int
    seed: int

    @property
    def networks(self) -> int:
        """Random networks the field is averaged over (one when every draw gives the same field)."""
        return self.samples if (self.relu or self.weights == "random") else 1


@dataclass(frozen=True)
class SuggestSettings:
    """The schedule search's controls."""

    layers: int
    kernel: int
    dmax: int


@dataclass(frozen=True)
class Settings:
    """Every control of the page, read once from its widget (and so from the link) and validated.

    Hashable (plain values and frozen dataclasses), so it can key a cache.
    """

    layers: tuple[Layer, ...]  # the valid stack; empty when there is none or it is too large
    mode: str  # "2D" or "1D"
    causal: bool  # causal padding, only ever True in 1D
    rates: tuple[int, ...]  # the parallel branches' rates (ASPP); () when none or they do not parse
    erf: ErfSettings | None  # None when there is no stack (its controls are not drawn)
    suggest: SuggestSettings

    @property
    def key(self) -> LayerKey:
        """The stack's cache key."""
        return layer_key(self.layers)

    @property
    def ndim(self) -> int:
        """Dimensions of the mode."""
        return 2 if self.mode == "2D" else 1

    @property
    def suggest_number(self) -> int:
        """The schedule search's section number."""
        return suggest_number(bool(self.layers), bool(self.rates))


def suggest_number(has_stack: bool, has_rates: bool) -> int:
    """The schedule search's section number: after the stack's five (and the branches') sections, or 2."""
    if not has_stack:
        return 2
    return 7 if has_rates else 6


def stack_values(key: str) -> dict[str, object]:
    """The controls a classic stack sets: the table, mode, causal padding and branch rates."""
    preset = PRESETS[key]
    return {
        "rf_stack": encode_stack(preset.layers),
        "rf_mode": "1D" if preset.mode == "1d" else "2D",
        "rf_causal": preset.causal,
        "rf_branches": ", ".join(str(r) for r in preset.branch_rates),
    }


def stack_on_screen(state: Mapping[str, object], keys: Sequence[str]) -> str | None:
    """The first stack of ``keys`` whose settings are all in ``state`` now, if any."""
    for key in keys:
        if all(state.get(k) == v for k, v in stack_values(key).items()):
            return key
    return None


def branch_rates(text: str) -> tuple[int, ...] | None:
    """The branch rates of ``text`` (``()`` for none), or None when the text does not parse."""
    try:
        return parse_rates(text)
    except ValueError:
        return None


def extent_problem(layers: Sequence[Layer]) -> str | None:
    """Why the page cannot compute the stack's field exactly (the library's reason), or None."""
    try:
        check_extent(layers)
    except ValueError as err:
        return str(err)
    return None


def suggested_stack(dilations: Sequence[int], kernel_size: int, causal: bool) -> str:
    """The code of the stack of a suggested schedule."""
    layers = causal_stack(dilations, kernel_size) if causal else dilated_stack(dilations, kernel_size)
    return encode_stack(layers)


def whole_number_ok(raw: str, low: int, high: int) -> bool:
    """True when a link value is a whole number a widget of range ``low``…``high`` can take."""
    return bool(_WHOLE_NUMBER.fullmatch(raw)) and low <= int(raw) <= high


def check_link(first: bool, ranges: Mapping[str, tuple[int, int]]) -> None:
    """Drop link values the widgets cannot take (defaults and a notice instead, never an error).

    Whole numbers are checked against their widget's range (Streamlit itself fails on ``1e999``);
    branch rates from a freshly opened link must parse (a typed bad value gets a warning instead).
    """
    for key, (low, high) in ranges.items():
        raw = st.query_params.get(key)
        if raw is not None and not whole_number_ok(raw, low, high):
            drop_link_value(key)
    raw = st.query_params.get("rf_branches")
    if first and raw is not None and branch_rates(raw) is None:
        drop_link_value("rf_branches")


# --- the effective field: what can be computed -----------------------------------------------------


@dataclass(frozen=True)
class ErfPlan:
    """What the effective field section computes: its dimensions, or why it refuses (from sizes only).

    ``refusal`` is None, ``"too_wide"``, ``"too_costly"`` or ``"too_heavy"``; ``fell_back`` says a 2D
    field was too large and the 1D one is shown instead.
    """

    ndim: int
    extent: int
    limit: int
    budget: int
    fell_back: bool
    refusal: str | None = None
    cost: int = 0
    need: Estimate | None = None


def erf_plan(layers: Sequence[Layer], extent: int, ndim: int, erf: ErfSettings, device_type: str) -> ErfPlan:
    """Choose the effective field's dimensions within the device's limits and the room's budget."""
    limit = ERF_2D_LIMIT.get(device_type, 1024)
    budget = ERF_BUDGET.get(device_type, 50_000_000_000)
    fell_back = ndim == 2 and (extent > limit or erf_cost(layers, 2, erf.channels, erf.networks) > budget)
    if fell_back:
        ndim = 1
    plan = ErfPlan(ndim, extent, limit, budget, fell_back)
    if ndim == 1 and extent > MAX_ERF_EXTENT[1]:  # the room's budget: refused from sizes, before any work
        return replace(plan, refusal="too_wide")
    cost = erf_cost(layers, ndim, erf.channels, erf.networks)
    if cost > budget:
        return replace(plan, refusal="too_costly", cost=cost)
    need = erf_estimate(cost, extent, ndim, erf.channels, erf.networks, len(layers))
    refusal = "too_heavy" if need.bytes > ROOM.bytes else None
    return replace(plan, refusal=refusal, cost=cost, need=need)


# --- words and formulas of the page --------------------------------------------------------------


def layer_label(i: int, layer: Layer) -> str:
    """A layer's short label: number, kind, kernel, dilation and stride."""
    what = t("receptive_field.pool") if layer.kind == "pool" else t("receptive_field.conv")
    parts = [f"{i}: {what} {layer.kernel_size}", f"d{layer.dilation}" if layer.dilation > 1 else ""]
    parts.append(f"/{layer.stride}" if layer.stride > 1 else "")
    return " ".join(p for p in parts if p)


def sum_terms(rows: Sequence[GrowthRow], narrow: bool) -> str:
    """The growth formula's terms in LaTeX, the middle ones elided (fewer in a ``narrow`` view)."""
    terms = [f"{r.layer.dilation}\\cdot{r.layer.kernel_size - 1}\\cdot{r.jump_in}" for r in rows]
    head, tail = (2, 1) if narrow else (4, 2)  # the formula must fit the width of a projector view
    if len(terms) > head + tail + 1:
        terms = [*terms[:head], "\\cdots", *terms[-tail:]]
    return " + ".join(terms)


def hole_runs(runs: Sequence[tuple[int, int]], shown: int = 12) -> tuple[str, int]:
    """The first ``shown`` hole runs as text (``a`` or ``a…b``) and how many more there are."""
    text = ", ".join(f"{a}" if a == b else f"{a}…{b}" for a, b in runs[:shown])
    return text, max(0, len(runs) - shown)


def hdc_lines(rule: HDCRule) -> list[str]:
    """The HDC rule's steps as LaTeX ``aligned`` lines (the middle ones elided beyond eight)."""
    lines = []
    for s in rule.steps:
        if s.candidates is None:
            lines.append(f"M_{{{s.i}}} &= r_{{{s.i}}} = {s.m}")
        else:
            a, b, c = s.candidates
            lines.append(
                f"M_{{{s.i}}} &= \\max({s.m_next} - 2\\cdot{s.rate},\\ {s.m_next} - 2({s.m_next} - {s.rate}),\\ "
                f"{s.rate}) = \\max({a}, {b}, {c}) = {s.m}"
            )
    if len(lines) > 8:
        lines = [*lines[:3], "&\\ \\vdots", *lines[-3:]]
    return lines


def hdc_reasons(rule: HDCRule, k: int) -> list[str]:
    """Why a passing rule can still leave holes: the assumptions of the rule this stack breaks."""
    why = []
    if not rule.first_rate_is_one:
        why.append(t("receptive_field.hdc.why_r1", r1=rule.rates[0]))
    if rule.common_factor > 1:
        why.append(t("receptive_field.hdc.why_factor", factor=rule.common_factor))
    if k != 3:
        why.append(t("receptive_field.hdc.why_kernel", k=k))
    return why
