"""Cached process-wide resources and small widgets shared by the pages."""

from __future__ import annotations

import contextvars
import importlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
import torch

from dsdcn import budget, direct
from dsdcn.allocator import RestWatch, freeze_long_lived, release, tune_allocator
from dsdcn.budget import Estimate
from dsdcn.device import DeviceChoice, choose_device
from dsdcn.measure import LayerSpec, counted_cost, format_bytes
from ui.i18n import t


# once per process (a day at a time: tuning again changes nothing), before any page's heavy work
@st.cache_resource(show_spinner=False, max_entries=1, ttl="1d")
def allocator_tuned() -> bool:
    """glibc tuned (``dsdcn.tune_allocator``): big conv outputs reuse freed heap blocks, few per-thread
    heaps, memory given back after the last heavy request and at rest."""
    return tune_allocator()


# the modules the pages import, loaded before the freeze below (with the direct loop's compiled code and
# what torch's FLOP counter loads on first use)
LONG_LIVED_MODULES = (
    "dsdcn.figures",
    "dsdcn.filters",
    "dsdcn.training",
    "ui.cheatsheet",
    "ui.cost",
    "ui.cost_algorithms",
    "ui.image_lab",
    "ui.network",
    "ui.receptive_field",
    "ui.separable",
    "ui.training_lab",
)


# once per process (the freeze itself happens once whatever the cache does): the pages' modules loaded,
# the direct loop compiled, then all of it out of reach of the full garbage collection Streamlit runs
# after every script run (about 150 ms of CPU a rerun before, 3-6 ms after)
@st.cache_resource(show_spinner=False, max_entries=1, ttl="1d")
def long_lived_frozen() -> int:
    """Objects frozen by :func:`dsdcn.allocator.freeze_long_lived`, after the pages' modules loaded."""
    for name in LONG_LIVED_MODULES:
        importlib.import_module(name)
    if direct.available():
        direct.prepare("float32")
    # torch's FLOP counter loads dynamo, sympy and more on first use: 117,000 objects, 1.2 s
    counted_cost(LayerSpec("standard", 1, 1), 4, 4)
    return freeze_long_lived()


# after this many seconds of rest (the process under 2% of a core), the data caches are emptied: what the
# people who left computed (their photos, maps, trained results) is not kept for nobody, and an expired
# entry is otherwise only dropped when its cache is next used
REST_PURGE_SECONDS = 300
_PURGER: list[threading.Thread] = []


def _purge_at_rest(watch: RestWatch, period: float) -> None:
    while True:
        time.sleep(period)
        watch.look(time.process_time(), time.monotonic())
        if watch.due():
            st.cache_data.clear()
            release()


# one thread per process (a ttl rerun starts no second one)
@st.cache_resource(show_spinner=False, max_entries=1, ttl="1d")
def rest_purger() -> bool:
    """Start the thread that empties ``st.cache_data`` after :data:`REST_PURGE_SECONDS` of rest."""
    if not _PURGER:
        thread = threading.Thread(
            target=_purge_at_rest, args=(RestWatch(REST_PURGE_SECONDS), 30.0), name="dsdcn-rest", daemon=True
        )
        thread.start()
        _PURGER.append(thread)
    return True


# one entry of a few bytes; re-probed once a day
@st.cache_resource(show_spinner=False, max_entries=1, ttl="1d")
def device_choice() -> DeviceChoice:
    """The device probe, done once per process."""
    return choose_device("auto")


def device_badge() -> None:
    """One caption line: the device in use and torch's version."""
    choice = device_choice()
    st.caption(t("common.device", device=choice.description, torch=torch.__version__))
    if choice.reason:
        st.caption(choice.reason)


@lru_cache(maxsize=4)
def _template(name: str) -> dict[str, Any]:
    # plotly's template of that name as a figure's dict holds it
    return go.Figure(layout={"template": name}).to_dict()["layout"]["template"]


def figure_spec(fig: go.Figure) -> dict[str, Any]:
    """``fig`` as plotly's plain dict for a cache, without the default template: validating that template
    again is most of the time of ``go.Figure(spec)``, and the figure gets it back when it is made."""
    spec = fig.to_dict()
    default = pio.templates.default
    if isinstance(default, str) and spec.get("layout", {}).get("template") == _template(default):
        del spec["layout"]["template"]
    return spec


def figure_from_spec(spec: dict[str, Any]) -> go.Figure:
    """A figure of its own (validated as any figure is, free to restyle) from a :func:`figure_spec`."""
    return go.Figure(spec)


# 64 figures × under 1 MB of plotly dict each (a 2D coverage heatmap is the largest) ≤ 64 MB; dropped after
# an hour unused
@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _cached_spec(module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # the builder's figure, by its arguments (st.cache_data hands every caller its own copy)
    return figure_spec(getattr(importlib.import_module(module), name)(*args, **kwargs))


def cached_figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """``builder(*args, **kwargs)``, built once per distinct arguments: the figure builders of ``dsdcn.figures``
    are pure, and their arguments plain values, numpy arrays and frozen dataclasses of texts, which
    ``st.cache_data`` hashes. Each call returns a new figure the caller may restyle (a projector view)."""
    return figure_from_spec(_cached_spec(builder.__module__, builder.__qualname__, args, kwargs))


def refused(need: Estimate, text_key: str, **values: object) -> bool:
    """Say so in a warning (and return True) when ``need`` passes the room's budget: the caller runs
    nothing. The message ``text_key`` gets the estimate (``seconds``, ``memory``), the budget (``limit_s``,
    ``limit_mem``) and ``values``, such as ``fix``, the translated suggestion."""
    refusal = need.refusal()
    if refusal is None:
        return False
    text = t(
        text_key,
        seconds=f"{refusal.seconds:,.0f}",
        memory=format_bytes(refusal.bytes),
        limit_s=f"{refusal.budget.seconds:g}",
        limit_mem=format_bytes(refusal.budget.bytes),
        **values,
    )
    st.warning(text, icon=":material/hourglass_disabled:")
    return True


@contextmanager
def waiting_for_the_cpu() -> Iterator[None]:
    """While the block runs, a heavy request that has to queue behind others of this server says so in
    place ("waiting for the CPU: 2 requests ahead"); the notice goes when its turn comes. The request may
    wait inside an ``st.cache_data`` function: the notice is drawn in the context of this block (outside the
    cache), so it is neither recorded for replay nor refused as an element of an outer container."""
    slot = st.empty()
    outside = contextvars.copy_context()

    def show(ahead: int) -> None:
        if ahead:
            slot.info(t("workshop.waiting_cpu", ahead=ahead), icon=":material/hourglass_top:")
        else:
            slot.empty()

    try:
        with budget.on_wait(lambda ahead: outside.run(show, ahead)):
            yield
    finally:
        slot.empty()
