"""Network: a whole network layer by layer, its receptive field and where its cost lives."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import torch

from dsdcn.device import pick_device
from dsdcn.figures import networks as nf
from dsdcn.networks import BUILTINS, NETWORK_CODES, Analysis, Network
from dsdcn.networks.latency import LayerTime, check_measurable, time_layers
from dsdcn.networks.zoo import PUBLISHED_TOLERANCE, tf_same
from ui import network as nw
from ui.i18n import t
from ui.workshop import (
    apply_values,
    data_table,
    drop_infinite_link_values,
    figure_theme,
    presets_bar,
    projector,
    show_chart,
    take_coded_link_value,
    take_parsed_link_value,
    write_coded_link_value,
)


def _chart(key: str, build: Callable[[], go.Figure]) -> None:
    show_chart(build(), key=key, name=key.removeprefix("nw_fig_"))


def _on_net_change() -> None:
    # a new network brings its usual input size
    apply_values({"nw_size": nw.default_size(str(st.session_state.get("nw_net", nw.DEFAULTS["nw_net"])))})


def _select(
    key: str, options: tuple[str, ...], group: str, on_change: Callable[[], None] | None = None
) -> str:
    take_coded_link_value(key, options)
    st.session_state.setdefault(key, nw.DEFAULTS[key])
    value = st.selectbox(
        t(f"network.{key}"),
        options,
        format_func=lambda code: t(f"network.{group}.{code}"),
        key=key,
        on_change=on_change,
        help=t(f"network.{key}_help"),
    )
    write_coded_link_value(key, value, nw.DEFAULTS[key])
    return str(value)


def _source() -> str:
    """Where the network comes from: a built-in, a stack code or an ONNX upload."""
    take_coded_link_value("nw_source", nw.SOURCES)
    source = st.segmented_control(
        t("network.nw_source"),
        nw.SOURCES,
        default=nw.DEFAULTS["nw_source"],
        required=True,
        format_func=lambda code: t(f"network.source.{code}"),
        key="nw_source",
        help=t("network.nw_source_help"),
    )
    write_coded_link_value("nw_source", source, nw.DEFAULTS["nw_source"])
    return str(source)


def _stack_input() -> str:
    take_parsed_link_value("nw_stack", nw.parse_link_stack)
    st.session_state.setdefault("nw_stack", nw.DEFAULTS["nw_stack"])
    stack = st.text_input(
        t("network.nw_stack"), key="nw_stack", max_chars=400, help=t("network.nw_stack_help")
    )
    write_coded_link_value("nw_stack", stack, nw.DEFAULTS["nw_stack"])
    return str(stack)


def _upload() -> bytes | None:
    upload = st.file_uploader(
        t("network.upload"),
        type=["onnx"],
        key="nw_upload",
        max_upload_size=nw.MAX_UPLOAD_MB,
        help=t("network.upload_help"),
    )
    return upload.getvalue() if upload is not None else None


def _network_input(source: str) -> tuple[str, str, bytes | None]:
    """The shown source's own control: (network code, stack code, uploaded bytes), the others' defaults."""
    # the network and the stack code keep their values while another source is shown (and presets match)
    take_coded_link_value("nw_net", NETWORK_CODES)
    take_parsed_link_value("nw_stack", nw.parse_link_stack)
    for key in ("nw_net", "nw_stack"):
        st.session_state.setdefault(key, nw.DEFAULTS[key])
    net, stack = str(nw.DEFAULTS["nw_net"]), str(nw.DEFAULTS["nw_stack"])
    if source == "builtin":
        return _select("nw_net", NETWORK_CODES, "net", _on_net_change), stack, None
    if source == "stack":
        return net, _stack_input(), None
    return net, stack, _upload()


def _size_input(source: str) -> int:
    return int(
        st.number_input(
            t("network.nw_size"),
            *nw.SIZE_LIMITS,
            value=int(nw.DEFAULTS["nw_size"]),  # type: ignore[call-overload]
            step=1,
            key="nw_size",
            bind="query-params",
            disabled=source == "onnx",
            help=t("network.nw_size_help"),
        )
    )


def _separable_toggle() -> bool:
    return bool(
        st.toggle(
            t("network.nw_sep"),
            key="nw_sep",
            value=bool(nw.DEFAULTS["nw_sep"]),
            bind="query-params",
            help=t("network.nw_sep_help"),
        )
    )


def _settings() -> tuple[nw.Settings, bytes | None]:
    """Every control, read once."""
    source = _source()
    cols = st.columns(1 if projector() else [3, 2, 2])
    with cols[0]:
        net, stack, data = _network_input(source)
    with cols[1 % len(cols)]:
        size = _size_input(source)
    with cols[2 % len(cols)]:
        sep = _separable_toggle()
    s = nw.Settings(source, net, size, stack, sep, nw.digest(data) if data else "")
    return s, data


def _network(s: nw.Settings, data: bytes | None) -> Network | None:
    """The chosen network, or None after a message saying why not."""
    if s.source == "builtin":
        return (
            nw.builtin_analysis(s.net, s.size).network
            if _analysable(lambda: nw.builtin_analysis(s.net, s.size))
            else None
        )
    if s.source == "stack":
        try:
            return nw.stack_network(s.stack, s.size)
        except ValueError as exc:
            st.warning(t("network.bad_stack", error=str(exc)), icon=":material/warning:")
            return None
    if data is None:
        st.info(t("network.upload_prompt"), icon=":material/upload_file:")
        return None
    got = nw.onnx_import(s.onnx_digest, data)
    if isinstance(got, nw.OnnxProblem):
        st.error(nw.onnx_message(got), icon=":material/block:")
        return None
    if got.folded:
        st.caption(t("network.onnx.folded", ops=", ".join(f"{op} ×{n}" for op, n in got.folded)))
    if got.shape_mismatches:
        st.warning(
            t("network.onnx.mismatch", names=", ".join(got.shape_mismatches[:10])), icon=":material/warning:"
        )
    return got.network


def _analysable(compute: Callable[[], object]) -> bool:
    try:
        compute()
    except ValueError as exc:
        st.warning(t("network.cannot", error=str(exc)), icon=":material/warning:")
        return False
    return True


def _total_metrics(a: Analysis) -> None:
    tot = a.totals
    end = a.row(a.network.endpoint) if a.network.endpoint else a.rows[-1]
    per_row = 2 if projector() else 3
    values = [
        (t("network.m.params"), nw.human(tot.params)),
        (t("network.m.macs"), nw.human(tot.macs)),
        (t("network.m.flops"), nw.human(tot.flops)),
        (t("network.m.memory"), nw.human(tot.memory) + "B"),
        (t("network.m.rf", endpoint=end.layer.name), t("network.m.rf_value", rf=end.rf)),
        (t("network.m.jump", endpoint=end.layer.name), f"{end.jump:,}"),
    ]
    for first in range(0, len(values), per_row):  # row by row: a phone stacks them in reading order
        for col, (label, value) in zip(st.columns(per_row), values[first : first + per_row], strict=False):
            col.metric(label, value)


def _published_row(key: str, pub: int, here: int, endpoint: str | None) -> dict[str, str]:
    # one published figure against this page's: the field, jump and padding exactly, the counts within
    # PUBLISHED_TOLERANCE
    exact = key in ("rf", "jump", "padding")
    ok = here == pub if exact else abs(here - pub) <= PUBLISHED_TOLERANCE * pub
    return {
        t("network.pub.what"): t(f"network.pub.{key}", endpoint=endpoint),
        t("network.pub.published"): f"{pub:,}",
        t("network.pub.here"): f"{here:,}",
        t("network.pub.verdict"): t("network.pub.ok" if ok else "network.pub.off"),
    }


def _published(s: nw.Settings, a: Analysis) -> None:
    """A built-in network's published figures against this page's (a separable rewrite has none)."""
    entry = BUILTINS.get(s.net) if s.source == "builtin" and not s.separable else None
    if entry is None or not entry.published:
        return
    endpoint = a.network.endpoint
    kinds = ("maxpool",) if s.net.startswith("resnet") else ("conv", "maxpool")
    tf = nw.analysis_of(tf_same(a.network, kinds))
    here = {
        "rf": a.row(endpoint).rf,
        "jump": a.row(endpoint).jump,
        "padding": tf.row(endpoint).padding,
        "params": a.totals.params,
        "macs": a.totals.macs,
    }
    rows = [_published_row(key, pub, here[key], endpoint) for key, pub in entry.published.items()]
    st.markdown(f"**{t('network.published', source=entry.source)}**")
    if a.network.size != (entry.default_size,) * a.network.ndim:
        st.caption(
            t("network.pub.size", size=entry.default_size, here="×".join(str(n) for n in a.network.size))
        )
    data_table(pd.DataFrame(rows), key="nw_published")
    if "padding" in entry.published:
        st.caption(t("network.pub.tf_padding", diff=a.row(endpoint).padding - tf.row(endpoint).padding))


def _totals(s: nw.Settings, a: Analysis) -> None:
    """Totals, the convention, and the published figures checked."""
    st.subheader(t("network.totals"))
    _total_metrics(a)
    st.caption(t("network.convention", size="×".join(str(n) for n in a.network.size)))
    _published(s, a)


def _table(a: Analysis) -> None:
    st.subheader(t("network.layers"))
    data_table(nw.table_frame(a), key="nw_table", formats=nw.number_formats(), height=420)
    st.caption(t("network.table_caption"))
    if a.misaligned:
        st.warning(t("network.misaligned", names=", ".join(a.misaligned[:12])), icon=":material/call_split:")


def _charts(a: Analysis) -> None:
    st.subheader(t("network.charts"))
    names = [r.layer.name for r in a.rows]
    fields = [r.rf for r in a.rows]
    size = max(a.network.size)
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    with left:
        _chart(
            "nw_fig_field", lambda: nf.field_over_depth(names, fields, size, nw.figure_text(), figure_theme())
        )
        past = next((i for i, f in enumerate(fields) if f > size), None)
        if past is None:
            st.caption(t("network.field_short", rf=fields[-1], size=size))
        else:
            st.caption(t("network.field_caption", n=past + 1, name=names[past]))
    with right:
        _chart(
            "nw_fig_cost",
            lambda: nf.cost_per_layer(
                names, [r.params for r in a.rows], [r.macs for r in a.rows], nw.figure_text(), figure_theme()
            ),
        )
        if a.totals.macs:
            top = max(a.rows, key=lambda r: r.macs)
            st.caption(
                t("network.cost_caption", share=f"{top.macs / a.totals.macs:.0%}", name=top.layer.name)
            )


def _separable(net: Network) -> None:
    st.subheader(t("network.separable"))
    report = nw.separable_of(net)
    if not report.layers:
        st.info(t("network.sep.none"), icon=":material/info:")
        return
    st.markdown(
        t(
            "network.sep.summary",
            n=len(report.layers),
            macs=f"{report.macs_kept:.1%}",
            params=f"{report.params_kept:.1%}",
        )
    )
    untouched = report.untouched_macs / report.before.totals.macs if report.before.totals.macs else 0.0
    st.caption(t("network.sep.why", untouched=f"{untouched:.0%}"))
    rows = [
        {
            t("network.sep.layer"): s.name,
            t("network.sep.macs_before"): s.macs_before,
            t("network.sep.macs_after"): s.macs_after,
            t("network.sep.kept"): f"{s.macs_kept:.1%}",
        }
        for s in report.layers
    ]
    fmt = {t("network.sep.macs_before"): "localized", t("network.sep.macs_after"): "localized"}
    data_table(pd.DataFrame(rows), key="nw_sep_table", formats=fmt, height=300)


def _latency_report(times: list[LayerTime]) -> None:
    """The measured total, the slowest layer's share of time against its share of MACs, and each layer."""
    timed = [x for x in times if x.median is not None]
    total = sum(x.median for x in timed) or 1e-12  # type: ignore[misc]
    slow = max(timed, key=lambda x: x.median)  # type: ignore[arg-type, return-value]
    all_macs = sum(x.macs for x in timed) or 1
    st.markdown(
        t(
            "network.lat.total",
            ms=total * 1e3,
            name=slow.name,
            share=f"{slow.median / total:.0%}",
            macs_share=f"{slow.macs / all_macs:.0%}",
        )  # type: ignore[operator]
    )
    rows = [
        {t("network.lat.layer"): x.name, t("network.lat.ms"): x.median * 1e3, t("network.lat.macs"): x.macs}
        for x in timed
    ]  # type: ignore[operator]
    data_table(
        pd.DataFrame(rows),
        key="nw_latency",
        formats={t("network.lat.ms"): "%.3f", t("network.lat.macs"): "localized"},
        height=300,
    )


def _measure(net: Network, device: torch.device) -> list[LayerTime] | None:
    """Every layer timed under a progress bar, or None after a warning (out of memory on the device);
    the bar is cleared once the times are in."""
    bar = st.progress(0.0)

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("network.measuring", done=done, total=total))

    try:
        times = time_layers(net, device, progress)
    except (RuntimeError, ValueError) as exc:  # out of memory on the device
        st.warning(t("network.too_big", error=str(exc).splitlines()[0][:200]), icon=":material/warning:")
        return None
    bar.empty()
    return times


def _latency(net: Network) -> None:
    """Each layer timed on the device, on request."""
    st.subheader(t("network.latency"))
    device = pick_device()
    st.caption(t("network.latency_intro", device=str(device)))
    try:
        check_measurable(net)
    except ValueError as exc:
        st.info(t("network.too_big", error=str(exc)), icon=":material/timer_off:")
        return
    if not st.button(
        t("network.measure"), key="nw_measure", icon=":material/timer:", help=t("network.measure_help")
    ):
        return
    times = _measure(net, device)
    if times is not None:
        _latency_report(times)


def _exports(s: nw.Settings, net: Network) -> None:
    st.subheader(t("network.exports"))
    files = nw.exports(net)
    row = st.container(horizontal=True, wrap=True, gap="small")
    for key, ext, mime in (
        ("csv", "csv", "text/csv"),
        ("md", "md", "text/markdown"),
        ("tex", "tex", "text/x-tex"),
        ("py", "py", "text/x-python"),
    ):
        row.download_button(
            t(f"network.{key}"),
            files[key],
            file_name=f"{net.name}.{ext}",
            mime=mime,
            key=f"nw_dl_{key}",
            icon=":material/download:",
        )
    with st.expander(t("network.show_code")):
        st.code(files["py"], language="python")


def render() -> None:
    """Draw the Network page."""
    drop_infinite_link_values(("nw_size",))
    st.title(t("network.title"))
    st.markdown(t("network.intro"))
    bar = st.container()
    s, data = _settings()
    with bar:
        presets_bar(
            nw.PRESETS,
            nw.DEFAULTS,
            "nw_",
            lambda pid: t(f"network.preset.{pid}"),
            lambda pid: t(f"network.preset.{pid}.idea"),
        )
    base = _network(s, data)
    if base is None:
        return
    net = nw.rewritten(base, s.separable)
    try:
        a = nw.analysis_of(net)
    except ValueError as exc:
        st.warning(t("network.cannot", error=str(exc)), icon=":material/warning:")
        return
    _totals(s, a)
    _table(a)
    _charts(a)
    if s.separable:
        _separable(base)
    _latency(net)
    _exports(s, net)


render()
