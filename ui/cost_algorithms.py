"""Cost page section: the depthwise stage timed by every exact algorithm of ``dsdcn.engine`` against d.

Slow by nature, so it waits for a button, shows progress per dilation, and caches each dilation's
timings per (layer, shape, settings) for the process; the results a user asked for stay in the session
under the same key, so a changed input shows nothing stale.
"""

from __future__ import annotations

import streamlit as st

from dsdcn.engine import ALGORITHMS
from dsdcn.figures.algorithms import AlgorithmFigureText, create_algorithm_figure, fastest
from dsdcn.measure import AlgorithmLatency, LayerSpec, MeasurementRefused, measure_algorithms
from ui.cost import (
    PageSettings,
    Settings,
    attempt,
    press_estimate,
    recall,
    refusal_text,
    refused_press,
    remember,
)
from ui.i18n import t
from ui.workshop import figure_theme, show_chart

Timed = dict[int, AlgorithmLatency | MeasurementRefused]  # by dilation


# 256 timings of a few KB each
@st.cache_data(show_spinner=False, max_entries=256, ttl="1h")
def cached_algorithms(
    spec: LayerSpec, height: int, width: int, batch: int, settings: Settings
) -> AlgorithmLatency:
    """``measure_algorithms`` with the page's timing settings, cached per all of them."""
    return measure_algorithms(
        spec,
        height,
        width,
        batch,
        **settings.timing(),  # type: ignore[arg-type]
    )


def _measure(specs: list[LayerSpec], height: int, width: int, batch: int, settings: Settings) -> Timed:
    # one dilation at a time behind a progress bar; a refusal or a runtime error becomes its value
    bar = st.progress(0.0, text=t("cost.algo.timing"))
    out: Timed = {}
    for i, spec in enumerate(specs):
        bar.progress(i / len(specs), text=f"{t('cost.algo.timing')}: {t('cost.algo.item', d=spec.dilation)}")
        out[spec.dilation] = attempt(cached_algorithms, spec, height, width, batch, settings)
    bar.empty()
    return out


def _name(algorithm: str) -> str:
    return t(f"cost.algo.name.{algorithm}")


def _winner_runs(dilations: list[int], winners: list[str | None]) -> str:
    # "NCHW at d = 1–6, space-to-batch at d = 7–16": consecutive dilations with the same winner
    runs: list[tuple[str, int, int]] = []
    for d, name in zip(dilations, winners, strict=True):
        if name is None:
            continue
        if runs and runs[-1][0] == name and runs[-1][2] == d - 1:
            runs[-1] = (name, runs[-1][1], d)
        else:
            runs.append((name, d, d))
    items = [
        t("cost.algo.run_item", name=_name(name), span=str(a) if a == b else f"{a}–{b}")
        for name, a, b in runs
    ]
    return t("cost.list_sep").join(items)


def _specs(page: PageSettings) -> list[LayerSpec]:
    # the depthwise stage of the page's layer at every dilation of the sweep
    return [
        LayerSpec("depthwise", page.c_in, page.c_in * page.m, page.k, d, page.s, page.m)
        for d in page.dilations
    ]


def _pressed(page: PageSettings, specs: list[LayerSpec]) -> bool:
    # the button was pressed, and the press fits the room's budget (else the page says so)
    if not st.button(
        t("cost.algo.run"),
        key="cost_algo_run",
        icon=":material/speed:",
        help=t("cost.algo.run_help", n=len(specs)),
    ):
        return False
    items = [(sp.dilation, (sp,)) for sp in specs]
    estimate = press_estimate(items, page.h, page.w, page.batch, page.how, len(ALGORITHMS))
    return not refused_press(len(specs), estimate, t("cost.fix_sweep"))


def algorithm_section(page: PageSettings) -> None:
    """The section: intro, the button, then the chart of every algorithm against d and what it shows."""
    st.markdown(f"#### {t('cost.algo.title')}")
    st.markdown(
        t(
            "cost.algo.intro",
            k=page.k,
            c_in=page.c_in,
            c_out=page.c_in * page.m,
            s=page.s,
            max_d=page.max_d,
            device=page.dev,
        )
    )
    specs = _specs(page)
    key = page.key("algorithms", specs)
    if _pressed(page, specs):
        remember(key, _measure(specs, page.h, page.w, page.batch, page.how))
    results = recall(key)
    if results is None:
        st.info(t("cost.algo.press", n=page.max_d, device=page.dev), icon=":material/speed:")
        return
    _show(page.dilations, results)


def _show(dilations: list[int], results: Timed) -> None:
    # the chart, a warning per dilation not timed, the winners and why
    medians = {
        a: [
            r.timings[a].median if isinstance(r, AlgorithmLatency) and a in r.timings else None
            for r in results.values()
        ]
        for a in ALGORITHMS
    }
    text = AlgorithmFigureText(
        t("cost.algo.fig.dilation_axis"), t("cost.algo.fig.ms_axis"), t("cost.algo.fig.winner")
    )
    fig = create_algorithm_figure(dilations, medians, {a: _name(a) for a in ALGORITHMS}, text, figure_theme())
    show_chart(fig, key="cost_fig_algorithms", name="cost-algorithms")
    for d, r in results.items():
        if isinstance(r, MeasurementRefused):
            st.warning(t("cost.algo.refused", d=d, reason=refusal_text(r)), icon=":material/warning:")
    st.markdown(
        t(
            "cost.algo.winners",
            runs=_winner_runs(dilations, [fastest(medians, i) for i in range(len(dilations))]),
        )
        + _gain(results)
    )
    st.markdown(t("cost.algo.why"))


def _gain(results: Timed) -> str:
    # the dilation where the fastest algorithm beats torch's default call by the most
    timed = [(d, r) for d, r in results.items() if isinstance(r, AlgorithmLatency)]
    if not timed:
        return ""
    d, best = max(timed, key=lambda item: item[1].speedup)
    if best.speedup < 1.1:
        return t("cost.algo.no_gain")
    return t(
        "cost.algo.best_gain",
        x=best.speedup,
        d=d,
        default=f"{best.timings['nchw'].median * 1e3:.2f} ms",
        best=f"{_name(best.winner)} {best.timings[best.winner].median * 1e3:.2f} ms",
    )
