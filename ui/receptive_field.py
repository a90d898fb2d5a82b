"""Streamlit-side helpers of the Receptive field page: cached calls into ``dsdcn`` keyed on plain tuples."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from dsdcn import (
    ERF,
    Branch,
    FieldView,
    Gridding,
    GrowthRow,
    Layer,
    Suggestion,
    branch_fields,
    decode_stack,
    effective_receptive_field,
    encode_stack,
    field_view,
    grid_for,
    gridding,
    growth_table,
    layer_views,
    mass_share,
    path_counts,
    stack_field,
    stack_rows,
    suggest_schedule,
)
from ui.workshop import keep_link_key, mark_link_value_ignored

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
    key: LayerKey, ndim: int, weights: str, relu: bool, channels: int, samples: int, seed: int, device: str
) -> ERF:
    """Effective receptive field from a real backward pass on ``device``."""
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
