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
    effective_receptive_field,
    field_view,
    grid_for,
    gridding,
    growth_table,
    layer_views,
    mass_share,
    path_counts,
    stack_field,
    suggest_schedule,
)

LayerKey = tuple[tuple[int, int, int, int, str], ...]


def layer_key(layers: Sequence[Layer]) -> LayerKey:
    """A hashable key of a stack (ints and strings only)."""
    return tuple((la.kernel_size, la.stride, la.dilation, la.padding, la.kind) for la in layers)


def from_key(key: LayerKey) -> tuple[Layer, ...]:
    """The stack back from ``layer_key``."""
    return tuple(Layer(k, s, d, p, kind) for k, s, d, p, kind in key)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64)
def growth(key: LayerKey) -> list[GrowthRow]:
    """Growth table of the stack."""
    return growth_table(from_key(key))


@st.cache_data(show_spinner=False, max_entries=64)
def verdict(key: LayerKey, causal: bool) -> Gridding:
    """Gridding verdict of the stack."""
    return gridding(from_key(key), causal)


@st.cache_data(show_spinner=False, max_entries=32)
def views(key: LayerKey, causal: bool, max_cells: int, indices: tuple[int, ...]) -> list[FieldView]:
    """The field after the layers ``indices`` on one drawing grid."""
    return layer_views(from_key(key), causal, max_cells, indices)


@st.cache_data(show_spinner=False, max_entries=32)
def final_view(key: LayerKey, causal: bool, max_cells: int) -> FieldView:
    """The field of the whole stack on its own drawing grid."""
    field = stack_field(from_key(key), causal)
    return field_view(field, grid_for(field.start, field.stop, max_cells))


@st.cache_data(show_spinner=False, max_entries=32)
def coverage_share(key: LayerKey, ndim: int, mass: float) -> float:
    """Share of the extent holding ``mass`` of the paths (1D, or the square field in 2D)."""
    counts = path_counts(from_key(key)).astype(float)
    return mass_share(np.outer(counts, counts) if ndim == 2 else counts, mass)


@st.cache_data(show_spinner=False, max_entries=32)
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


@st.cache_data(show_spinner=False, max_entries=64)
def suggestion(n_layers: int, kernel_size: int, max_dilation: int) -> Suggestion:
    """The hole-free schedule with the largest extent."""
    return suggest_schedule(n_layers, kernel_size, max_dilation)


@st.cache_data(show_spinner=False, max_entries=16)
def branches(key: LayerKey, rates: tuple[int, ...]) -> list[Branch]:
    """Parallel branches (ASPP) after the stack."""
    return branch_fields(from_key(key), rates)
