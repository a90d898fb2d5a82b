"""Workshop mode: links that reproduce the view, presets and reset, projector view, language switch.

Every page control is a widget with a page-prefixed ``key`` and ``bind="query-params"`` (Streamlit's own
URL binding: a change updates the URL, a link restores the value, invalid values are dropped). This
module adds what Streamlit does not: a notice for link values that were dropped, presets and reset,
and the app-wide projector and language switches.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import plotly.io as pio
import streamlit as st

from dsdcn.figures.theme import PROJECTOR, STANDARD, Theme
from ui.i18n import CATALOGS, LANGUAGES, t
from ui.streamlit_internals import current_url_value

LANG_KEY = "lang"
PROJECTOR_KEY = "projector"
PRESENT_KEY = "present"
GLOBAL_KEYS = (LANG_KEY, PROJECTOR_KEY, PRESENT_KEY)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_]{1,40}$")
_MANUAL_IGNORED = "_workshop_ignored"
_MANUAL_KEYS = "_workshop_link_keys"
_PROJECTOR_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"] { font-size: 1.15rem !important; }
  h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.9rem !important; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] p,
  [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 2.6rem !important; }
  /* nothing under 20 px (PROJECTOR_MIN_PX) at 1280×720: values in inputs, selects and tags, buttons,
     tabs, slider values, tables, metric labels, inline code, expander titles */
  input, textarea, button, [data-baseweb="select"] div, [data-baseweb="tag"] span,
  [data-testid="stTab"] p, [data-testid="stTable"] td, [data-testid="stTable"] th,
  [data-testid="stSliderThumbValue"], [data-testid="stSliderTickBarMin"],
  [data-testid="stSliderTickBarMax"], [data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"] div,
  [data-testid="stExpander"] summary p, [data-testid="stTooltipContent"] p,
  [data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small,
  [data-testid="stSidebarNav"] span, [data-testid="stMultiSelectTagsContainer"] span,
  [data-testid="stCode"] pre, [data-testid="stCode"] code { font-size: 1rem !important; }
  [data-testid="stMarkdownContainer"] code, [data-testid="stCaptionContainer"] code { font-size: 0.92em !important; }
  /* the page's width goes to the figures: Streamlit's side padding grows with the bigger root font */
  [data-testid="stMainBlockContainer"] { padding: 2.5rem 1.2rem 3rem !important; max-width: none !important; }
  .katex { font-size: 1.45em !important; }
  .katex-display { overflow-x: auto; overflow-y: hidden; }
  .katex-display > .katex { padding-right: 2px; }  /* KaTeX's last superscript sticks out 2px */
</style>
"""
# Presentation mode: the page's controls are hidden, what they set stays on screen (the sidebar keeps the
# switches, so the view can be left again)
_PRESENT_CSS = """
<style>
  [data-testid="stMain"] [data-testid="stElementContainer"]:has(> [data-testid="stSlider"],
    > [data-testid="stNumberInput"], > [data-testid="stSelectbox"], > [data-testid="stMultiSelect"],
    > [data-testid="stRadio"], > [data-testid="stButtonGroup"], > [data-testid="stCheckbox"],
    > [data-testid="stTextInput"], > [data-testid="stTextArea"], > [data-testid="stFileUploader"],
    > [data-testid="stButton"], > [data-testid="stSelectSlider"], > [data-testid="stDataFrameResizable"]),
  [data-testid="stMain"] [data-testid="stElementContainer"]:has(.stButton, .stSlider, .stSelectbox,
    .stNumberInput, .stMultiSelect, .stRadio, .stCheckbox, .stSelectSlider, .stButtonGroup, .stTextInput,
    .stFileUploader),
  [data-testid="stHeader"] { display: none !important; }
</style>
"""
# Scale a displayed formula (`st.latex`) down to the width of its column when it would not fit: the
# projector's bigger font makes long formulas wider than a column, and a cut formula is a wrong one.
# A formula is measured again when its text or its column's width changes (a rerun, an expander opened).
_FIT_FORMULAS_JS = """
<script>
(() => {
  if (window.__dsdcnFitFormulas) return;
  window.__dsdcnFitFormulas = true;
  let seen = new WeakMap();
  const watched = new WeakSet();
  const sizes = new ResizeObserver(() => queue());
  const fit = (box) => {
    const k = box.querySelector('.katex');
    const column = box.closest('[data-testid="stMarkdown"]') || box.parentElement;
    // the width left to the formula: up to its column's right edge, less the help icon's margin
    const room = Math.floor(column.getBoundingClientRect().right - box.getBoundingClientRect().left) - 12;
    if (!watched.has(column)) { watched.add(column); sizes.observe(column); }
    if (!k || box.clientWidth === 0 || room <= 0) return;
    const stamp = room + '|' + box.textContent;
    if (seen.get(box) === stamp) return;
    k.style.removeProperty('font-size');
    // text and spacing do not scale exactly with the font size: measure again, at most a few times
    for (let i = 0; i < 4 && k.scrollWidth > room; i++) {
      // on a screen (not a phone) never under 21 px, so that no part (a fraction's digits are 0.99×) is
      // under PROJECTOR_MIN_PX, 20 px; what still does not fit scrolls
      const floor = window.innerWidth >= 800 ? 21 : 0;
      const size = Math.max(floor, parseFloat(getComputedStyle(k).fontSize) * (room - 1) / k.scrollWidth);
      k.style.setProperty('font-size', size.toFixed(2) + 'px', 'important');
    }
    seen.set(box, stamp);
  };
  let queued = false;
  const fitAll = () => {
    queued = false;
    document.querySelectorAll('.katex-display').forEach(fit);
  };
  const queue = () => { if (!queued) { queued = true; requestAnimationFrame(fitAll); } };
  new MutationObserver(queue).observe(document.body, {childList: true, subtree: true, characterData: true});
  sizes.observe(document.body);
  window.addEventListener('resize', queue);
  // KaTeX's fonts arrive after the first drawing and change every width: measure everything again
  const again = () => { seen = new WeakMap(); queue(); };
  document.fonts.addEventListener('loadingdone', again);
  document.fonts.ready.then(again);
  queue();
})();
</script>
"""


def projector() -> bool:
    """Whether the projector view (bigger fonts, thicker lines, bigger figures) is on."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def presenting() -> bool:
    """Whether the presentation mode (projector view without the page's controls) is on."""
    return projector() and bool(st.session_state.get(PRESENT_KEY, False))


def sidebar_switches() -> None:
    """The app-wide language and projector switches, kept in the URL."""
    st.segmented_control(
        t("workshop.language"),
        list(LANGUAGES.values()),
        default=LANGUAGES["en"],
        key=LANG_KEY,
        bind="query-params",
        required=True,
        help=t("workshop.language_help"),
    )
    st.toggle(
        t("workshop.projector"),
        key=PROJECTOR_KEY,
        bind="query-params",
        help=t("workshop.projector_help"),
    )
    if projector():
        st.toggle(
            t("workshop.present"), key=PRESENT_KEY, bind="query-params", help=t("workshop.present_help")
        )
        css = _PROJECTOR_CSS + (_PRESENT_CSS if presenting() else "")
        st.html(css + _FIT_FORMULAS_JS, unsafe_allow_javascript=True)


def figure_theme() -> Theme:
    """The figure builders' theme of this view: ``PROJECTOR`` in the projector view, else ``STANDARD``."""
    return PROJECTOR if projector() else STANDARD


# The smallest text the projector view lets through, in CSS pixels: readable from the back of a room on
# a 1280×720 projector (measured in the browser by tests/browser/test_room_screens.py)
PROJECTOR_MIN_PX = 20


@functools.cache
def _template(name: str) -> dict[str, Any]:
    # a plotly template as the plain dict a figure's spec holds (made once; callers must not change it)
    return pio.templates[name].to_plotly_json()


def _raise_fonts(node: Any, minimum: float) -> None:
    # every font size under `minimum` in a plotly dict (layout, colorbar, ...) raised to it, in place
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":
                continue
            if isinstance(value, dict) and (key == "font" or key.endswith("font")):
                size = value.get("size")
                if isinstance(size, numbers.Real) and size < minimum:
                    value["size"] = minimum
            _raise_fonts(value, minimum)
    elif isinstance(node, list):
        for value in node:
            _raise_fonts(value, minimum)


def _white_template(layout: dict[str, Any]) -> None:
    # plotly's grey default or Streamlit's (small fonts, drawn by Streamlit's own chart theme): plotly's white
    if layout.get("template") in (None, _template("plotly"), _template(str(pio.templates.default))):
        layout["template"] = copy.deepcopy(_template("plotly_white"))


def _log_decades(layout: dict[str, Any]) -> None:
    # log axes without their own ticks labelled at decades only (plotly's in-between labels are 3/4 size)
    for name, axis in layout.items():
        log = isinstance(axis, dict) and name.startswith(("xaxis", "yaxis")) and axis.get("type") == "log"
        if log and "tickvals" not in axis and "dtick" not in axis:
            axis["dtick"] = 1


def _raise_trace_fonts(spec: dict[str, Any], minimum: float) -> None:
    # colorbars, markers and bar labels of every trace at least `minimum` px, in place
    layout = spec["layout"]
    for trace in spec.get("data", []):
        _raise_fonts({"colorbar": trace.get("colorbar"), "marker": trace.get("marker")}, minimum)
        if trace.get("type") in ("bar", "pie", "funnel"):
            _raise_fonts({k: v for k, v in trace.items() if k.endswith("font")}, minimum)
            # plotly shrinks a label to fit its bar: not under the minimum (it may pass the bar's end)
            layout["uniformtext"] = {"minsize": minimum, "mode": "show"}


def _all_traces(spec: dict[str, Any]) -> list[dict[str, Any]]:
    # the traces of a figure's spec and of all its frames
    return [*spec.get("data", []), *(tr for f in spec.get("frames", []) for tr in f.get("data", []))]


def projector_spec(fig: Any, minimum: float = PROJECTOR_MIN_PX) -> dict[str, Any]:
    """A figure (or its plotly dict) as a dict whose every text is at least ``minimum`` px: layout, axes,
    legend, annotations, buttons, sliders, colorbars and bar labels; log axes labelled at decades only
    (plotly draws its own in-between labels at 3/4 size). Text inside heatmap cells keeps its size: it is
    sized to fit its cell."""
    spec = copy.deepcopy(fig) if isinstance(fig, dict) else fig.to_dict()
    layout = spec.setdefault("layout", {})
    _white_template(layout)
    font = layout.setdefault("font", {})
    font["size"] = max(float(font.get("size") or 12), minimum)
    _raise_fonts(layout, minimum)
    _log_decades(layout)
    _raise_trace_fonts(spec, minimum)
    for frame in spec.get("frames", []):
        _raise_fonts(frame.get("layout", {}), minimum)
    for trace in _all_traces(spec):
        _drop_small_cell_text(trace, minimum)
    return spec


def _drop_small_cell_text(trace: dict[str, Any], minimum: float) -> None:
    # text sized to fit cells (coordinates in a grid's cells) that would be under `minimum`: not drawn in
    # the projector view, where it cannot be read from the room (the hover still shows it)
    size = (trace.get("textfont") or {}).get("size")
    if not isinstance(size, numbers.Real) or size >= minimum or trace.get("type") in ("bar", "pie", "funnel"):
        return
    mode = trace.get("mode")
    if isinstance(mode, str) and "text" in mode:
        kept = "+".join(m for m in mode.split("+") if m != "text")
        trace["mode"] = kept or "none"
    if trace.get("texttemplate"):
        trace["texttemplate"] = ""


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~<>])")


def _take_title(fig: Any) -> str:
    # the figure's title as plain text, removed from the figure (a dict or a go.Figure, changed in place)
    # and the room plotly kept for it above the plot given back (not where buttons sit there)
    if isinstance(fig, dict):
        layout = fig.get("layout", {})
        title = layout.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        if text:
            layout["title"] = {**title, "text": ""} if isinstance(title, dict) else ""
            if not layout.get("updatemenus"):
                margin = layout.setdefault("margin", {})
                margin["t"] = min(margin.get("t", 100), 30)
    else:
        text = fig.layout.title.text
        if text:
            fig.layout.title.text = None
            if not fig.layout.updatemenus:
                fig.layout.margin.t = min(100 if fig.layout.margin.t is None else fig.layout.margin.t, 30)
    return re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", " ", str(text or ""))).strip()


def show_chart(
    fig: Any,
    *,
    key: str,
    name: str,
    container: Any = st,
    config: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """``st.plotly_chart`` with the app's toolbar (a sharp PNG named ``dsdcn-<name>``).

    The figure's title is drawn above it as text, which wraps on a phone (plotly cuts a long title and
    draws animation buttons over it). Bar labels too small to read at the page's width are hidden (the
    hover still shows them). In the projector view no text is smaller than :data:`PROJECTOR_MIN_PX`.
    ``config`` adds to (or overrides) the toolbar's plotly config.
    """
    title = _take_title(fig)
    if projector():  # Streamlit's chart theme sets its own small fonts: plotly's, with the sizes above
        kwargs["theme"] = None
        fig = projector_spec(fig)
    elif any(_trace_type(trace) == "bar" for trace in _traces(fig)):
        _set_layout(fig, "uniformtext", {"minsize": 12, "mode": "hide"})
    if title:
        container.markdown("**" + _MARKDOWN_SPECIAL.sub(r"\\\1", title) + "**")
    container.plotly_chart(fig, key=key, config={**plotly_config(name), **(config or {})}, **kwargs)


def _traces(fig: Any) -> list[Any]:
    # a figure's traces: dicts (a plotly dict) or trace objects (a go.Figure)
    return list(fig.get("data", [])) if isinstance(fig, dict) else list(fig.data)


def _trace_type(trace: Any) -> str | None:
    return trace.get("type") if isinstance(trace, dict) else getattr(trace, "type", None)


def _set_layout(fig: Any, key: str, value: Any) -> None:
    if isinstance(fig, dict):
        fig.setdefault("layout", {}).setdefault(key, value)
    elif not fig.layout[key].to_plotly_json():  # not set by the figure's builder
        fig.update_layout({key: value})


def plotly_config(filename: str) -> dict[str, Any]:
    """``config=`` for ``st.plotly_chart``: the toolbar's camera saves a sharp PNG named for the figure."""
    scale = 3 if projector() else 2
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"dsdcn-{filename}", "scale": scale},
    }


def _cell_text(value: Any, fmt: str | None, placeholder: str) -> str:
    """One cell of a plain table as text: ``fmt`` is "localized" (thousands separators) or a printf format."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return placeholder
    if fmt is not None and isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:,}" if fmt == "localized" else fmt % value
    if isinstance(value, float):  # as the grid shows a float: at most 4 decimals, no trailing zeros
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


INT64_MAX = 2**63 - 1


def _huge_ints_as_text(data: Any) -> tuple[Any, list[str]]:
    """``data`` with every column that holds an integer beyond 64 bits written as text ("1,234,…"):
    Arrow, and so the data grid, cannot carry it (a traceback otherwise). Returns the names changed."""
    changed = []
    for name in data.columns:
        values = data[name]
        if values.dtype == object and any(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) and abs(int(v)) > INT64_MAX
            for v in values
        ):
            changed.append(name)
    if not changed:
        return data, []
    data = data.copy()
    for name in changed:
        data[name] = [
            f"{v:,}" if isinstance(v, numbers.Integral) and not isinstance(v, bool) else str(v)
            for v in data[name]
        ]
    return data, changed


def data_table(
    data: Any,
    *,
    key: str | None = None,
    formats: Mapping[str, str] | None = None,
    height: int | None = None,
    placeholder: str = "–",
) -> None:
    """A read-only table: ``st.dataframe``, or in the projector view a plain ``st.table``.

    The data grid draws on a canvas that the projector's bigger font cannot reach; a plain table takes
    it and wraps to the page. ``formats`` maps a numeric column to "localized" or a printf format such
    as "%.3f"; both views show the same text. Empty cells show ``placeholder``.
    """
    formats = dict(formats or {})
    data, as_text = _huge_ints_as_text(data)
    for name in as_text:
        formats.pop(name, None)
    if projector():
        shown = data.copy()
        for name in shown.columns:
            shown[name] = [_cell_text(v, formats.get(name), placeholder) for v in shown[name]]
        long = height is not None and len(shown) > 10  # a long table scrolls, as the grid does
        st.table(shown, hide_index=True, height=int(height * 1.6) if long else "content")
        return
    st.dataframe(
        data,
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(name, format=fmt) for name, fmt in formats.items()
        },
        height=height or "auto",
        key=key,
        placeholder=placeholder,
    )


def snapshot_link() -> dict[str, list[str]]:
    """The raw query parameters of this run (every value of a repeated one): take it before any widget."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _is_current(key: str, raw: list[str]) -> bool:
    # a parameter equal to its widget's (default) value is dropped from the URL without being wrong
    if key not in st.session_state:
        return False
    serialized = current_url_value(key)  # by the widget's own serializer: option labels, lists
    if serialized is not None:
        return [v.lower() for v in serialized] == [v.lower() for v in raw] or _same_number(serialized, raw)
    value = st.session_state[key]
    if isinstance(value, bool):
        return raw[-1].lower() == str(value).lower()
    return _same_number([str(value)], raw) or raw[-1] == str(value)


def _same_number(a: list[str], b: list[str]) -> bool:
    try:
        return len(a) == len(b) and all(float(x) == float(y) for x, y in zip(a, b, strict=True))
    except ValueError:
        return False


def ignored_link_values(before: Mapping[str, list[str]]) -> list[str]:
    """Names of link parameters the page could not use: invalid (dropped by their widget) or unknown.

    Unknown ones (no widget of that key on this page) are removed from the URL too.
    """
    now = st.query_params.to_dict()
    manual = st.session_state.get(_MANUAL_KEYS, set())
    dropped = [k for k, raw in before.items() if k not in now and not _is_current(k, raw)]
    unknown = [k for k in now if k in before and k not in st.session_state and k not in manual]
    for key in unknown:
        del st.query_params[key]
    reported = [k for k in st.session_state.pop(_MANUAL_IGNORED, []) if k not in dropped + unknown]
    return dropped + unknown + reported


def link_notice(before: Mapping[str, list[str]]) -> None:
    """A short notice naming the link values that were ignored (values are never shown)."""
    ignored = ignored_link_values(before)
    if not ignored:
        return
    names = [k for k in ignored if _SAFE_NAME.match(k)]
    shown = ", ".join(f"`{k}`" for k in names[:8]) or t("workshop.some_settings")
    st.info(t("workshop.link_ignored", names=shown), icon=":material/link_off:")


def apply_values(values: Mapping[str, Any]) -> None:
    """Set widget values in session state (use as an ``on_click`` callback, before widgets draw).

    Programmatic sets of bound widgets update the URL too, so a preset's link is shareable at once.
    """
    for key, value in values.items():
        st.session_state[key] = value


def mark_link_value_ignored(key: str) -> None:
    """Report a link value that a page parsed by hand and could not use (named in the link notice)."""
    ignored = st.session_state.setdefault(_MANUAL_IGNORED, [])
    if key not in ignored:
        ignored.append(key)


def drop_link_value(key: str) -> None:
    """Remove a link value before its widget is drawn, so the widget starts from its default; name it.

    Streamlit seeds a bound widget from the query string the session was opened with, not from
    ``st.query_params``, so both are cleared.
    """
    from streamlit.runtime.state import get_session_state

    with get_session_state().query_params() as params:
        if key in params:
            params.remove_param(key)
        params.set_initial_query_params_from_current()
    mark_link_value_ignored(key)


def drop_infinite_link_values(keys: Iterable[str]) -> None:
    """Drop link values that are infinite as numbers (``1e999``, ``inf``) before the widgets are drawn.

    Streamlit 1.67 seeds a bound integer ``number_input`` with ``int(float(raw))``, which raises
    ``OverflowError`` for these instead of dropping them; every other bad value (text, ``NaN``, out of
    range) the widget drops itself.
    """
    for key in keys:
        raw = st.query_params.get_all(key)
        if not raw:
            continue
        try:
            finite = math.isfinite(float(raw[-1]))
        except (ValueError, OverflowError):
            finite = True  # not a number: the widget's own validation drops it
        if not finite:
            drop_link_value(key)


def keep_link_key(key: str) -> None:
    """Keep a hand-managed link parameter (one no widget is bound to) out of the 'unknown' list."""
    st.session_state.setdefault(_MANUAL_KEYS, set()).add(key)


# a plain button that copies the page address (query string included) in the browser: the clipboard API
# where the page is a secure context (https, localhost), else a hidden text area and the copy command,
# else a prompt holding the link; the confirmation shows beside the button for a moment
_COPY_LINK_HTML = """
<span style="display:inline-flex;align-items:center;gap:0.5rem;flex-wrap:wrap">
<button type="button" id="{id}" title="{help}" aria-label="{label}" style="font:inherit;color:inherit;
background:transparent;border:1px solid rgba(128,128,128,0.45);border-radius:0.5rem;padding:0.25rem 0.75rem;
min-height:2.5rem;cursor:pointer;white-space:nowrap;display:inline-flex;align-items:center;gap:0.4rem">
{label}</button>
<span id="{id}_done" role="status" aria-live="polite" style="font-size:0.875em;opacity:0.8"></span>
</span>
<script>
(() => {{
  const button = document.getElementById({id_js});
  if (!button || button.dataset.ready) return;
  button.dataset.ready = "1";
  const done = document.getElementById({id_js} + "_done");
  const say = () => {{
    done.textContent = {done_js};
    clearTimeout(button.hideTimer);
    button.hideTimer = setTimeout(() => {{ done.textContent = ""; }}, 2500);
  }};
  button.addEventListener("click", async () => {{
    const url = window.location.href;
    try {{ await navigator.clipboard.writeText(url); say(); return; }} catch (err) {{}}
    const area = document.createElement("textarea");
    area.value = url;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try {{ copied = document.execCommand("copy"); }} catch (err) {{}}
    area.remove();
    if (copied) say(); else window.prompt({manual_js}, url);
  }});
}})();
</script>
"""


def _js_string(text: str) -> str:
    # a JavaScript string literal that cannot end the <script> element it sits in
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")


def copy_link_button(container: Any, element_id: str) -> None:
    """A "Copy link" button: puts the page address, with its query string (the view), on the clipboard."""
    label, help_text = t("workshop.copy_link"), t("workshop.copy_link_help")
    container.html(
        _COPY_LINK_HTML.format(
            id=html.escape(element_id),
            id_js=_js_string(element_id),
            label=html.escape(label),
            help=html.escape(help_text),
            done_js=_js_string(t("workshop.copy_link_done")),
            manual_js=_js_string(t("workshop.copy_link_manual")),
        ),
        width="content",
        unsafe_allow_javascript=True,
    )


def presets_bar(
    presets: Mapping[str, Mapping[str, Any]],
    defaults: Mapping[str, Any],
    prefix: str,
    label: Callable[[str], str],
    describe: Callable[[str], str],
) -> str | None:
    """One button per lesson preset and a reset to defaults; the idea of the preset in view, if any.

    ``presets`` maps a stable preset id to the widget values it sets (the rest go back to ``defaults``);
    ``label(id)`` and ``describe(id)`` give its button text and its one-sentence idea. Returns the id of
    the preset whose values are all on screen now (or ``None``), after showing its idea as a caption.
    """
    row = st.container(horizontal=True, wrap=True, gap="small")
    for preset_id, values in presets.items():
        row.button(
            label(preset_id),
            key=f"{prefix}preset_{preset_id}",
            on_click=apply_values,
            args=({**defaults, **values},),
            help=describe(preset_id),
            icon=":material/school:",
            wrap=True,
        )
    row.button(
        t("workshop.reset"),
        key=f"{prefix}reset",
        on_click=apply_values,
        args=(dict(defaults),),
        icon=":material/restart_alt:",
        help=t("workshop.reset_help"),
    )
    copy_link_button(row, f"{prefix}copy_link")
    for preset_id, values in presets.items():
        wanted = {**defaults, **values}
        if all(st.session_state.get(k) == v for k, v in wanted.items()):
            st.caption(f":material/school: **{label(preset_id)}** · {describe(preset_id)}")
            return preset_id
    return None


def take_parsed_link_value(key: str, parse: Callable[[str], object | None]) -> None:
    """Before drawing a widget whose link value the page keeps by hand: on the first run, put
    ``parse(raw)`` of the link's ``?key=raw`` into session state, or report the value if it gives None.

    Used for choices whose options are shown through a translated ``format_func`` (Streamlit's binding
    would write the translated label into the URL, so a link made in one language would not open in
    the other) and for values whose default depends on other settings. ``write_coded_link_value``
    keeps the URL after the widget is drawn.
    """
    keep_link_key(key)
    if key in st.session_state:
        return
    raw = st.query_params.get(key)
    if raw is None:
        return
    value = parse(raw)
    if value is None:
        del st.query_params[key]
        mark_link_value_ignored(key)
        return
    st.session_state[key] = value


def take_coded_link_value(key: str, codes: Sequence[object]) -> None:
    """``take_parsed_link_value`` for a choice among ``codes``: the link holds ``str(code)``."""
    take_parsed_link_value(key, lambda raw: next((code for code in codes if str(code) == raw), None))


def write_coded_link_value(key: str, value: object, default: object) -> None:
    """Keep ``?key=code`` in the URL after the widget is drawn: the value's code, or nothing at the default."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


def _choice_parser(codes: Sequence[object], label_key: Callable[[Any], str] | None) -> Callable[[str], Any]:
    # a link value is an option's code, or (older links) its label in any language
    by_text: dict[str, object] = {str(code): code for code in codes}
    if label_key is not None:
        for catalogue in CATALOGS.values():
            for code in codes:
                text = catalogue.get(label_key(code))
                if text is not None:
                    by_text.setdefault(text, code)
    return by_text.get


def take_choice_link_value(
    key: str, codes: Sequence[object], label_key: Callable[[Any], str] | None = None
) -> None:
    """``take_coded_link_value`` that also accepts an option's label (``t(label_key(code))``) in any
    language: links made before the link held codes still open."""
    take_parsed_link_value(key, _choice_parser(codes, label_key))


def take_choices_link_value(
    key: str, codes: Sequence[object], label_key: Callable[[Any], str] | None = None
) -> None:
    """``take_choice_link_value`` for a multi-choice widget (``?key=a&key=b``; ``?key=`` is none chosen).

    Values the page cannot use are left out (the others are kept) and the key is named in the notice.
    """
    keep_link_key(key)
    if key in st.session_state:
        return
    raw = st.query_params.get_all(key)
    if not raw:
        return
    parse = _choice_parser(codes, label_key)
    parsed = [parse(r) for r in raw if r != ""]
    chosen = list(dict.fromkeys(p for p in parsed if p is not None))
    if len(chosen) < len(parsed):
        mark_link_value_ignored(key)
    if parsed and not chosen:  # nothing usable: the default
        del st.query_params[key]
        return
    st.session_state[key] = chosen


def write_choices_link_value(key: str, values: Iterable[object] | None, default: Iterable[object]) -> None:
    """``write_coded_link_value`` for a multi-choice widget: one ``?key=code`` per chosen option."""
    chosen = [str(v) for v in values or ()]
    if chosen == [str(v) for v in default]:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != (chosen or [""]):
        st.query_params[key] = chosen or [""]
