"""Depthwise separable: the two stages per channel, their weights and MACs, one output computed both ways."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from dsdcn import effective_kernel_size, separable_costs
from dsdcn.figures.separable import (
    SeparableTexts,
    create_separable_figure,
    create_standard_figure,
    create_step_figure,
)
from dsdcn.separable import SeparableCosts, StepThrough
from ui.i18n import latex, t
from ui.separable import (
    cached_step_through,
    clamp_in_range,
    figure_texts,
    page_css,
    step_input_size,
)
from ui.workshop import (
    data_table,
    drop_infinite_link_values,
    figure_theme,
    presets_bar,
    projector,
    show_chart,
)

# Every control's default, keyed by its widget key. Each widget is bound to the URL parameter of its
# key; a value equal to its default is left out of the link.
DEFAULTS: dict[str, int] = {
    "ds_c_in": 8,
    "ds_c_out": 16,
    "ds_m": 1,
    "ds_k": 3,
    "ds_d": 2,
    "ds_n": 56,
    "ds_out_channel": 0,
    "ds_row": 3,
    "ds_col": 3,
    "ds_channel": 0,
    "ds_seed": 0,
}
LIMITS: dict[str, tuple[int, int]] = {
    "ds_c_in": (1, 512),
    "ds_c_out": (1, 512),
    "ds_m": (1, 4),
    "ds_k": (1, 9),
    "ds_d": (1, 8),
    "ds_n": (1, 1024),
    "ds_seed": (0, 10_000),
}
# Lesson presets: stable ids, each telling one idea; the controls not named go back to DEFAULTS.
PRESETS: dict[str, dict[str, int]] = {
    "why_cheap": {"ds_c_in": 64, "ds_c_out": 64, "ds_k": 3, "ds_d": 1},
    "k1_no_gain": {"ds_c_in": 64, "ds_c_out": 64, "ds_k": 1, "ds_d": 1},
    "more_outputs": {"ds_c_in": 64, "ds_c_out": 512, "ds_k": 3, "ds_d": 1},
    "depth_multiplier": {"ds_c_in": 64, "ds_c_out": 64, "ds_m": 4, "ds_k": 3, "ds_d": 1},
    "dilation_free": {"ds_c_in": 64, "ds_c_out": 64, "ds_k": 3, "ds_d": 4},
}


def _number(key: str, label: str, help_text: str, high: int | None = None) -> int:
    # the widget's own default is the page default, so a link leaves out exactly the default values
    low, top = LIMITS.get(key, (0, 0))
    top = high if high is not None else top
    clamp_in_range(key, low, top)
    default = min(max(DEFAULTS[key], low), top)
    return int(
        st.number_input(
            label,
            min_value=low,
            max_value=top,
            value=default,
            step=1,
            key=key,
            help=help_text,
            bind="query-params",
        )
    )


def _slider(key: str, label: str, help_text: str) -> int:
    low, high = LIMITS[key]
    clamp_in_range(key, low, high)
    return int(
        st.slider(
            label,
            min_value=low,
            max_value=high,
            value=DEFAULTS[key],
            step=1,
            key=key,
            help=help_text,
            bind="query-params",
        )
    )


def _chart(fig, key: str) -> None:
    show_chart(fig, key=key, name=key.removeprefix("ds_fig_"))


def _slots(*widths: int) -> list:
    # one row of columns, or in the projector view rows of at most 3 (labels in a bigger font need room)
    if not projector():
        return list(st.columns(sum(widths)))
    out: list = []
    for n in widths:
        out += st.columns(n)
    return out


def _tex(n: int) -> str:
    # thousands separators that LaTeX does not space out
    return f"{n:,}".replace(",", "{,}")


@dataclass(frozen=True)
class Settings:
    """Every control of the page, read once from its widget (and so from the link), clamped to its range."""

    c_in: int
    c_out: int
    m: int
    k: int
    d: int
    n: int
    out_channel: int
    row: int
    col: int
    channel: int
    seed: int

    @property
    def k_eff(self) -> int:
        """The dilated kernel's span."""
        return effective_kernel_size(self.k, self.d)

    @property
    def size(self) -> int:
        """Side of the step-through's input."""
        return step_input_size(self.k_eff)


def _layer_inputs(cols: list) -> dict[str, int]:
    # the layer's six controls, one to a slot
    with cols[0]:
        c_in = _number("ds_c_in", t("depthwise_separable.c_in"), t("depthwise_separable.c_in_help"))
    with cols[1]:
        c_out = _number("ds_c_out", t("depthwise_separable.c_out"), t("depthwise_separable.c_out_help"))
    with cols[2]:
        m = _slider("ds_m", t("depthwise_separable.m"), t("depthwise_separable.m_help"))
    with cols[3]:
        k = _slider("ds_k", t("depthwise_separable.k"), t("depthwise_separable.k_help"))
    with cols[4]:
        d = _slider("ds_d", t("depthwise_separable.d"), t("depthwise_separable.d_help"))
    with cols[5]:
        n = _number("ds_n", t("depthwise_separable.n"), t("depthwise_separable.n_help"))
    return {"c_in": c_in, "c_out": c_out, "m": m, "k": k, "d": d, "n": n}


def _step_inputs(cols: list, c_in: int, c_out: int, size: int) -> dict[str, int]:
    # the step-through's five controls, one to a slot; their ranges follow the layer's
    with cols[0]:
        o = _number(
            "ds_out_channel",
            t("depthwise_separable.out_channel"),
            t("depthwise_separable.out_channel_help"),
            c_out - 1,
        )
    with cols[1]:
        row = _number(
            "ds_row",
            t("depthwise_separable.row"),
            t("depthwise_separable.row_help", last=size - 1, size=size),
            size - 1,
        )
    with cols[2]:
        col = _number(
            "ds_col", t("depthwise_separable.col"), t("depthwise_separable.col_help", last=size - 1), size - 1
        )
    with cols[3]:
        channel = _number(
            "ds_channel", t("depthwise_separable.channel"), t("depthwise_separable.channel_help"), c_in - 1
        )
    with cols[4]:
        seed = _number("ds_seed", t("depthwise_separable.seed"), t("depthwise_separable.seed_help"))
    return {"out_channel": o, "row": row, "col": col, "channel": channel, "seed": seed}


def _settings(layer_cols: list, step_cols: list) -> Settings:
    """The page's settings from its widgets: the layer's in ``layer_cols``, the step-through's in ``step_cols``."""
    layer = _layer_inputs(layer_cols)
    size = step_input_size(effective_kernel_size(layer["k"], layer["d"]))
    return Settings(**layer, **_step_inputs(step_cols, layer["c_in"], layer["c_out"], size))


def _kernels(m: int) -> str:
    return t("depthwise_separable.kernels_one") if m == 1 else t("depthwise_separable.kernels_many", m=m)


def _stages(s: Settings, texts: SeparableTexts) -> None:
    """The two stages drawn per channel, next to the standard convolution."""
    st.subheader(t("depthwise_separable.stages"))
    # in the projector view the two figures are drawn one above the other, each the full width
    big = projector()
    left, right = (st.container(), st.container()) if big else st.columns(2)
    hint = 860 if big else 480
    with left:
        _chart(
            create_separable_figure(
                s.c_in, s.c_out, s.m, s.k, s.d, texts=texts, width_hint=hint, theme=figure_theme()
            ),
            "ds_fig_separable",
        )
    with right:
        _chart(
            create_standard_figure(
                s.c_in, s.c_out, s.k, s.d, texts=texts, width_hint=hint, theme=figure_theme()
            ),
            "ds_fig_standard",
        )
    st.caption(
        t(
            "depthwise_separable.stages_caption",
            kernels=_kernels(s.m),
            k=s.k,
            e=s.k_eff,
            total=f"{s.c_in * s.c_out:,}",
        )
    )


def _cost_table(s: Settings, costs: SeparableCosts, per_pixel: SeparableCosts) -> None:
    col_weights = t("depthwise_separable.col.weights")
    col_pixel = t("depthwise_separable.col.macs_pixel")
    col_total = t("depthwise_separable.col.macs_total", n=s.n)
    col_share = t("depthwise_separable.col.share")
    stages = ("depthwise", "pointwise", "separable", "standard", "naive")
    table = pd.DataFrame(
        {
            t("depthwise_separable.col.layer"): [t(f"depthwise_separable.row.{r}") for r in stages],
            t("depthwise_separable.col.formula"): [
                "C_in·m·k²",
                "C_in·m·C_out",
                "C_in·m·k² + C_in·m·C_out",
                "C_in·C_out·k²",
                "C_in·(C_in·m)·k² + C_in·m·C_out",
            ],
            col_weights: [getattr(per_pixel, r).params for r in stages],
            col_pixel: [getattr(per_pixel, r).macs for r in stages],
            col_total: [getattr(costs, r).macs for r in stages],
            col_share: [per_pixel.share(getattr(per_pixel, r)) for r in stages],
        }
    )
    data_table(
        table,
        key="ds_table",
        formats={col_weights: "localized", col_pixel: "localized", col_total: "localized", col_share: "%.4f"},
    )
    st.caption(t("depthwise_separable.costs_caption", n=s.n, pixels=f"{s.n * s.n:,}"))


def _ratio(s: Settings, costs: SeparableCosts, per_pixel: SeparableCosts) -> None:
    ratio_cols = [st.container(), st.container()] if projector() else st.columns([3, 2])
    with ratio_cols[0]:
        latex(
            r"\frac{\text{@separable}}{\text{@standard}} = "
            r"\frac{C_\mathrm{in}\,m\,k^2 + C_\mathrm{in}\,m\,C_\mathrm{out}}{C_\mathrm{in}\,C_\mathrm{out}\,k^2}"
            r" = m\left(\frac{1}{C_\mathrm{out}} + \frac{1}{k^2}\right)"
        )
        latex(
            rf"= {s.m}\left(\frac{{1}}{{{s.c_out}}} + \frac{{1}}{{{s.k * s.k}}}\right) = {costs.ratio_formula:.4f}"
            rf"\quad\left(= \frac{{{_tex(per_pixel.separable.params)}}}{{{_tex(per_pixel.standard.params)}}}\right)"
        )
    with ratio_cols[1]:
        metrics = st.columns(2) if projector() else [st.container(), st.container()]
        metrics[0].metric(
            t("depthwise_separable.ratio_label"),
            t("depthwise_separable.ratio_value", ratio=costs.ratio),
            help=t("depthwise_separable.ratio_help"),
        )
        metrics[1].metric(
            t("depthwise_separable.saving_label"),
            # below 1 the separable layer costs more: say "8× more", never "0.1× fewer"
            t("depthwise_separable.saving_value", times=1 / costs.ratio)
            if costs.ratio <= 1
            else t("depthwise_separable.saving_value_more", times=costs.ratio),
            help=t("depthwise_separable.saving_help"),
        )


def _costs(s: Settings) -> None:
    """Weights and MACs of each stage, and the separable layer's ratio to the standard one."""
    costs = separable_costs(s.c_in, s.c_out, s.k, s.d, s.m, s.n, s.n)
    per_pixel = separable_costs(s.c_in, s.c_out, s.k, s.d, s.m)
    st.subheader(t("depthwise_separable.costs"))
    _cost_table(s, costs, per_pixel)
    _ratio(s, costs, per_pixel)
    if s.m > 1:
        st.caption(t("depthwise_separable.multiplier_caption", m=s.m))
    st.caption(t("depthwise_separable.dilation_caption", d=s.d, e=s.k_eff, k=s.k))


def _step_result(s: Settings, step: StepThrough) -> None:
    result = st.columns(3)
    result[0].metric(
        t("depthwise_separable.module_label"),
        f"{step.module_value:g}",
        help=t("depthwise_separable.module_help"),
    )
    result[1].metric(
        t("depthwise_separable.standard_label"),
        f"{step.standard_module_value:g}",
        help=t("depthwise_separable.standard_help"),
    )
    result[2].metric(
        t("depthwise_separable.hand_label"),
        f"{step.separable_value:g}",
        help=t("depthwise_separable.hand_help"),
    )
    agree = step.module_value == step.standard_module_value == step.separable_value == step.standard_value
    if agree:
        st.success(
            t(
                "depthwise_separable.agree",
                o=s.out_channel,
                row=s.row,
                col=s.col,
                value=f"{step.module_value:g}",
            ),
            icon=":material/check:",
        )
    else:
        st.error(t("depthwise_separable.differ"))


def _step_detail(s: Settings, step: StepThrough) -> None:
    o, row, col, c_in, m = s.out_channel, s.row, s.col, s.c_in, s.m
    rows_in = ", ".join(str(int(r)) for r in step.rows)
    cols_in = ", ".join(str(int(c)) for c in step.cols)
    st.caption(
        t("depthwise_separable.taps_caption", row=row, col=col, rows=rows_in, cols=cols_in, last=s.size - 1)
    )
    detail = pd.DataFrame(
        {
            t("depthwise_separable.col.channel"): np.arange(c_in),
            t("depthwise_separable.col.middle"): [
                ", ".join(f"{v:g}" for v in step.intermediate[c * m : (c + 1) * m]) for c in range(c_in)
            ],
            t("depthwise_separable.col.pointwise"): [
                ", ".join(f"{v:g}" for v in step.pointwise_weights[c * m : (c + 1) * m]) for c in range(c_in)
            ],
            t("depthwise_separable.col.sep_sum"): step.separable_terms,
            t("depthwise_separable.col.std_sum"): step.standard_terms,
        }
    )
    data_table(detail, height=min(38 + 35 * c_in, 320), key="ds_step_table")
    by_stages = rf"\sum_c \underbrace{{\sum_j P[{o},c\,m+j]\; z_{{c\,m+j}}}}_{{\text{{@separable}}}}"
    by_kernel = rf"\sum_c \underbrace{{\sum_{{u,v}} W[{o},c,u,v]\; x[c, \cdot]}}_{{\text{{@standard}}}}"
    if projector():  # two lines: the formula in the projector's bigger font is wider than the page
        latex(
            rf"\begin{{aligned}} y[{o},{row},{col}] &= {by_stages} \\ &= {by_kernel} = {step.separable_value:g}"
            r"\end{aligned}"
        )
    else:
        latex(rf"y[{o},{row},{col}] = {by_stages} = {by_kernel} = {step.separable_value:g}")


def _step_figure(s: Settings, step: StepThrough, texts: SeparableTexts) -> None:
    c, m = s.channel, s.m
    _chart(
        create_step_figure(
            step.patch[c],
            step.depthwise_kernels[c * m : (c + 1) * m],
            step.pointwise_weights[c * m : (c + 1) * m],
            step.composed[c],
            titles=[
                t("depthwise_separable.panel.input", c=c),
                *(
                    t(
                        "depthwise_separable.panel.depthwise",
                        q=c * m + j,
                        p=f"{step.pointwise_weights[c * m + j]:g}",
                    )
                    for j in range(m)
                ),
                t("depthwise_separable.panel.composed", o=s.out_channel, c=c),
            ],
            texts=texts,
            theme=figure_theme(),
        ),
        "ds_fig_step",
    )
    st.caption(
        t(
            "depthwise_separable.step_caption",
            c=c,
            k=s.k,
            kernels=_kernels(m),
            sep=f"{step.separable_terms[c]:g}",
            std=f"{step.standard_terms[c]:g}",
        )
    )


def _step_through(s: Settings, texts: SeparableTexts) -> None:
    """One output computed by the module, by the standard convolution and by hand, and one channel's share."""
    with st.spinner(t("depthwise_separable.running")):
        step = cached_step_through(
            s.c_in, s.c_out, s.k, s.d, s.m, s.size, s.seed, s.out_channel, s.row, s.col
        )
    _step_result(s, step)
    _step_detail(s, step)
    _step_figure(s, step, texts)


def _presets() -> None:
    st.html(page_css())
    presets_bar(
        PRESETS,
        DEFAULTS,
        "ds_",
        lambda pid: t(f"depthwise_separable.preset.{pid}"),
        lambda pid: t(f"depthwise_separable.preset.{pid}.idea"),
    )


def render() -> None:
    """Draw the Depthwise separable page."""
    drop_infinite_link_values(DEFAULTS)
    st.title(t("depthwise_separable.title"))
    st.markdown(t("depthwise_separable.intro"))
    # drawn here, filled in last: which preset is on screen is known once every widget has its value
    presets = st.container()
    layer_cols = _slots(3, 3)
    # the stages and the costs sit above the step-through's inputs, and are drawn once every setting is read
    middle = st.container()
    st.subheader(t("depthwise_separable.step"))
    st.markdown(t("depthwise_separable.step_intro"))
    s = _settings(layer_cols, _slots(3, 2))
    texts = figure_texts()
    with middle:
        _stages(s, texts)
        _costs(s)
    _step_through(s, texts)
    with presets:
        _presets()


render()
