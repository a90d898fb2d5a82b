"""Training lab: small models race on tasks where the receptive field decides what they can learn."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import torch

from dsdcn.figures import training as tf
from dsdcn.imaging import ImageError, image_digest
from dsdcn.receptive import coverage_2d, receptive_field
from dsdcn.training import ACTIVATIONS, Race, RaceRow, Task, model_code, model_erf, model_field, model_layers
from ui import training_lab as lab
from ui.i18n import current_language, t
from ui.workshop import (
    apply_values,
    data_table,
    drop_infinite_link_values,
    figure_theme,
    keep_link_key,
    presets_bar,
    projector,
    show_chart,
    take_coded_link_value,
    take_parsed_link_value,
    write_coded_link_value,
)

LIVE_SECONDS = 0.5  # training per live redraw: Pause and the other controls answer within a second


def _labels(group: str, codes: tuple[object, ...]) -> dict[object, str]:
    # option labels in the current language, fixed when the widget is drawn (a format_func)
    return {code: t(f"training_lab.{group}.{code}") for code in codes}


def _chart(key: str, identity: tuple[object, ...], build: Callable[[], go.Figure]) -> None:
    # a figure is built (plotly validates every property: ~100 ms for a grid of panels) only when what
    # it shows changed: ``identity`` plus the language and the view
    fig = lab.memo_figure(key, (*identity, current_language(), projector()), build)
    show_chart(fig, key=key, name=key.removeprefix("tr_fig_"))


def _default(key: str) -> object:
    # what a link that does not name `key` means: the chosen task's default comparison, then DEFAULTS
    return lab.link_defaults(str(st.session_state.get("tr_task", "offset")))[key]


def _select(key: str, options: tuple[object, ...], group: str | None = None) -> object:
    # a selectbox of codes: the link holds the code (language-independent), the box shows its label
    take_coded_link_value(key, options)
    st.session_state.setdefault(key, _default(key))
    labels = _labels(group, options) if group else {o: str(o) for o in options}
    value = st.selectbox(
        t(f"training_lab.{key}"),
        options,
        format_func=labels.__getitem__,
        key=key,
        help=t(f"training_lab.{key}_help"),
    )
    write_coded_link_value(key, value, _default(key))
    return value


def _slider(key: str, low: float | int, high: float | int, step: float | int = 1) -> float | int:
    return st.slider(
        t(f"training_lab.{key}"),
        min_value=low,
        max_value=high,
        value=lab.DEFAULTS[key],
        step=step,
        key=key,
        bind="query-params",
        help=t(f"training_lab.{key}_help"),
    )


def _on_task_change() -> None:
    # a new task brings its own default comparison (models, kernel, width, rate)
    apply_values(lab.task_values(str(st.session_state.get("tr_task", "offset"))))


def _task_controls() -> dict[str, object]:
    """The task and its own settings."""
    take_coded_link_value("tr_task", lab.TASK_CODES)
    task = st.segmented_control(
        t("training_lab.tr_task"),
        lab.TASK_CODES,
        default=lab.DEFAULTS["tr_task"],
        required=True,
        format_func=_labels("task", lab.TASK_CODES).__getitem__,
        key="tr_task",
        on_change=_on_task_change,
        help=t("training_lab.tr_task_help"),
    )
    write_coded_link_value("tr_task", task, lab.DEFAULTS["tr_task"])
    st.caption(t(f"training_lab.task.{task}.about"))
    out: dict[str, object] = {"task": task}
    cols = st.columns(3)
    if task == "offset":
        with cols[0]:
            out["dy"] = int(_slider("tr_dy", *lab.LIMITS["tr_dy"]))
        with cols[1]:
            out["dx"] = int(_slider("tr_dx", *lab.LIMITS["tr_dx"]))
    elif task == "memory":
        with cols[0]:
            out["blank"] = int(_slider("tr_blank", *lab.LIMITS["tr_blank"]))
    else:
        with cols[0]:
            out["source"] = _select("tr_source", lab.SOURCES, "source")
            if out["source"] == "sample":
                out["sample"] = _select("tr_sample", lab.SAMPLES, "sample")
            else:
                out["upload"] = st.file_uploader(
                    t("training_lab.upload"),
                    type=["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"],
                    key="tr_upload",
                    max_upload_size=50,
                    help=t("training_lab.upload_help"),
                )
        with cols[1]:
            out["operator"] = _select("tr_op", lab.OPERATORS, "op")
        with cols[2]:
            out["sigma"] = float(_slider("tr_sigma", *lab.SIGMA_RANGE, 0.5))
    return out


def _model_controls() -> list[tuple[str, str]]:
    """The four model slots: kind and dilation rates each."""
    cols = st.columns(2 if projector() else 4)
    picked = []
    for i, slot in enumerate(lab.SLOTS):
        with cols[i % len(cols)]:
            kind = _select(f"tr_kind{slot}", lab.KIND_OPTIONS, "kind")
            key = f"tr_rates{slot}"
            take_parsed_link_value(key, lab.parse_link_rates)
            st.session_state.setdefault(key, _default(key))
            rates = st.text_input(
                t("training_lab.tr_rates", n=slot),
                max_chars=lab.MAX_RATES_TEXT,
                key=key,
                disabled=kind == "off",
                help=t("training_lab.tr_rates_help"),
            )
            write_coded_link_value(key, rates, _default(key))
            picked.append((str(kind), str(rates)))
    return picked


def _training_controls() -> dict[str, object]:
    """Kernel, width, activation, learning rate, seed, steps and device (shared by every model)."""
    cols = st.columns(4 if projector() else 7)
    out: dict[str, object] = {}
    with cols[0]:
        out["kernel"] = int(_select("tr_kernel", lab.KERNELS))  # type: ignore[arg-type]
    with cols[1]:
        out["width"] = int(_select("tr_width", lab.WIDTHS))  # type: ignore[arg-type]
    with cols[2]:
        out["activation"] = _select("tr_act", ACTIVATIONS, "act")
    with cols[3 % len(cols)]:
        out["lr"] = float(_select("tr_lr", lab.LEARNING_RATES))  # type: ignore[arg-type]
    with cols[4 % len(cols)]:
        out["seed"] = int(
            st.number_input(
                t("training_lab.tr_seed"),
                *lab.LIMITS["tr_seed"],
                value=int(lab.DEFAULTS["tr_seed"]),
                step=1,
                key="tr_seed",
                bind="query-params",
                help=t("training_lab.tr_seed_help"),
            )
        )
    with cols[5 % len(cols)]:
        take_parsed_link_value("tr_steps", lab.parse_link_steps)
        st.session_state.setdefault("tr_steps", _default("tr_steps"))
        out["steps"] = int(
            st.number_input(
                t("training_lab.tr_steps"),
                *lab.LIMITS["tr_steps"],
                step=50,
                key="tr_steps",
                help=t("training_lab.tr_steps_help"),
            )
        )
        write_coded_link_value("tr_steps", out["steps"], _default("tr_steps"))
    with cols[6 % len(cols)]:
        out["device"] = _select("tr_device", lab.DEVICES, "device")
    return out


def _image(task_values: dict[str, object]) -> tuple[np.ndarray | None, str, str]:
    """The wide-filter task's image: (RGB array or None, digest, problem in the page's language)."""
    if task_values.get("task") != "filter":
        return None, "", ""
    if task_values.get("source") == "upload":
        uploaded = task_values.get("upload")
        if uploaded is None:
            return None, "", t("training_lab.upload_prompt")
        data = uploaded.getvalue()  # type: ignore[attr-defined]
        digest = image_digest(data)
        try:
            return lab.upload_rgb(digest, data), digest, ""
        except ImageError as exc:
            return None, "", t("training_lab.cannot_use", error=str(exc))
    name = str(task_values.get("sample", lab.DEFAULTS["tr_sample"]))
    return lab.sample_rgb(name), f"sample:{name}", ""


def _settings() -> tuple[lab.Settings, np.ndarray | None]:
    """Every control, read once into the typed settings (and the task's image)."""
    task_values = _task_controls()
    st.subheader(t("training_lab.models"))
    slots_raw = _model_controls()
    train = _training_controls()
    image, digest, image_problem = _image(task_values)
    slots = tuple(
        lab.read_slot(n, kind, rates, train["kernel"], train["width"], str(train["activation"]))
        for n, (kind, rates) in zip(lab.SLOTS, slots_raw, strict=True)
    )
    problems = [s.problem for s in slots if s.problem]
    if image_problem:
        problems.append(image_problem)
    s = lab.Settings(
        task=str(task_values["task"]),
        slots=slots,
        kernel=int(train["kernel"]),
        width=int(train["width"]),
        activation=str(train["activation"]),
        lr=float(train["lr"]),
        seed=int(train["seed"]),
        steps=int(train["steps"]),
        dy=int(task_values.get("dy", lab.DEFAULTS["tr_dy"])),
        dx=int(task_values.get("dx", lab.DEFAULTS["tr_dx"])),
        blank=int(task_values.get("blank", lab.DEFAULTS["tr_blank"])),
        source=str(task_values.get("source", lab.DEFAULTS["tr_source"])),
        sample=str(task_values.get("sample", lab.DEFAULTS["tr_sample"])),
        operator=str(task_values.get("operator", lab.DEFAULTS["tr_op"])),
        sigma=float(task_values.get("sigma", lab.DEFAULTS["tr_sigma"])),
        device=str(train["device"]),
        image_digest=digest,
        problems=tuple(problems),
    )
    return s, image


def _task_of(s: lab.Settings, image: np.ndarray | None) -> Task | None:
    """The task, or None after a message saying why it cannot be built."""
    if s.ndim == 2 and s.kernel % 2 == 0:
        st.warning(t("training_lab.odd_kernel", k=s.kernel), icon=":material/warning:")
        return None
    if s.task == "filter" and image is None:
        return None  # the reason (no upload yet, an unusable file) is among the settings' problems
    try:
        return lab.make_task(s, image)
    except ValueError as exc:  # an image too small for the crops
        st.error(t("training_lab.cannot_use", error=str(exc)), icon=":material/broken_image:")
        return None


def _share(loss: float, baseline: float) -> str:
    # a loss as a share of the baseline: "<1%" rather than a "0%" that reads as exact
    share = loss / baseline if baseline > 0 else float("nan")
    return "<1%" if 0 <= share < 0.005 else f"{share:.0%}"


def _names(s: lab.Settings) -> list[str]:
    return [lab.model_name(spec, n, s.ndim) for spec, n in zip(s.specs, s.numbers, strict=True)]


def _reach_words(s: lab.Settings, task: Task, code: str) -> str:
    if code == "any":
        return ""
    if s.task == "offset":
        return t(f"training_lab.reach.{code}", target=f"({s.dy}, {s.dx})")
    return t(f"training_lab.reach.memory.{code}", delay=task.delay)  # type: ignore[union-attr]


def _model_cards(s: lab.Settings, task: Task, race: Race) -> None:
    """One card per model: its cost, field, holes, whether it reaches the target, and its code."""
    cols = st.columns(2 if projector() else max(len(s.specs), 1))
    for i, (racer, name) in enumerate(zip(race.racers, _names(s), strict=True)):
        seen = model_field(racer.spec, task)
        with cols[i % len(cols)], st.container(border=True):
            st.markdown(f"**{name}**")
            st.caption(
                t(
                    "training_lab.card",
                    params=f"{racer.cost.params:,}",
                    macs=f"{racer.cost.macs:,}",
                    rf=seen.rf,
                    unit=t(f"training_lab.unit.{task.ndim}d"),
                    holes=seen.holes,
                )
            )
            words = _reach_words(s, task, seen.reach)
            if words:
                st.caption(words)
            with st.expander(t("training_lab.show_code")):
                st.code(
                    model_code(racer.spec, task.ndim, task.in_channels, task.out_channels), language="python"
                )


def _coverage_figure(s: lab.Settings, task: Task) -> None:
    """Each model's exact coverage with the target marked (2D), or its reach against the delay (1D)."""
    names = _names(s)
    fields = [receptive_field(model_layers(spec, task.ndim))[-1] for spec in s.specs]
    target = (s.dy, s.dx) if s.task == "offset" else None

    def build() -> go.Figure:
        if task.ndim == 1:
            return tf.memory_reach(
                [f.size for f in fields], names, task.delay, text=lab.figure_text(), theme=figure_theme()
            )  # type: ignore[union-attr]
        counts = [coverage_2d(model_layers(spec, 2)) for spec in s.specs]
        return tf.coverage_panels(
            counts,
            names,
            target,
            [f.padding for f in fields],
            columns=2,  # two per row: readable on a phone and on a projector, not too tall on a desktop
            text=lab.figure_text(),
            theme=figure_theme(),
        )

    st.subheader(t(f"training_lab.coverage.{task.ndim}d"))
    _chart("tr_fig_coverage", (s.task, s.specs, tuple(names), target, s.blank), build)
    st.caption(t(f"training_lab.coverage_caption.{s.task}"))


def _controls_row(s: lab.Settings, race: Race) -> None:
    """Play / Pause, one step, reset."""
    row = st.container(horizontal=True, gap="small")
    done = race.steps >= s.steps
    if lab.playing():
        row.button(
            t("training_lab.pause"),
            key="tr_stop",
            icon=":material/pause:",
            on_click=lab.set_playing,
            args=(False,),
            help=t("training_lab.pause_help"),
        )
    else:
        row.button(
            t("training_lab.play"),
            key="tr_go",
            icon=":material/play_arrow:",
            type="primary",
            disabled=done,
            on_click=lab.set_playing,
            args=(True,),
            help=t("training_lab.play_help"),
        )
    row.button(
        t("training_lab.step"),
        key="tr_one_step",
        icon=":material/skip_next:",
        on_click=lab.ask_step,
        disabled=done,
        help=t("training_lab.step_help"),
    )
    row.button(
        t("training_lab.reset"),
        key="tr_restart",
        icon=":material/replay:",
        on_click=lab.reset_race,
        help=t("training_lab.reset_help"),
    )
    if done:
        st.caption(t("training_lab.finished", steps=s.steps))


def _live(s: lab.Settings, state: lab.RaceState) -> None:
    """The part redrawn while the race runs: it trains a short chunk, then draws the curves."""
    playing = lab.playing()

    @st.fragment(run_every=0.2 if playing else None)
    def live() -> None:
        race = state.race
        if lab.playing() and race.steps < s.steps:
            _train_chunk(s, state)
        _status(s, state)
        names = _names(s)
        curves = [r.held_out for r in race.racers]  # held-out losses: smooth, and what the verdict reads
        left, right = (st.container(), st.container()) if projector() else st.columns([3, 1], gap="medium")
        with left:
            _chart(
                "tr_fig_loss",
                (state.serial, race.steps, tuple(names)),
                lambda: tf.loss_race(
                    curves,
                    names,
                    race.baseline,
                    steps=race.eval_steps,
                    text=lab.figure_text(),
                    theme=figure_theme(),
                ),
            )
        with right:
            _live_metrics(s, state)
        if lab.playing() and race.steps >= s.steps:
            lab.set_playing(False)
            st.rerun(scope="app")

    live()


def _train_chunk(s: lab.Settings, state: lab.RaceState) -> None:
    """Train for about ``LIVE_SECONDS``; a GPU out of memory moves the race to the CPU, anything else
    that fails (the CPU out of memory) pauses it with a message instead of a traceback."""
    lab.train(state, LIVE_SECONDS, s.steps - state.race.steps)


def _status(s: lab.Settings, state: lab.RaceState) -> None:
    race = state.race
    recent = min(50, len(race.racers[0].seconds))  # steps per second over the last 50 steps
    total = sum(sum(r.seconds[-recent:]) for r in race.racers) if recent else 0.0
    steps_per_s = recent / total if total > 0 else 0.0
    st.caption(
        t(
            "training_lab.status",
            steps=race.steps,
            total=s.steps,
            rate=f"{steps_per_s:.1f}",
            device=str(race.device).upper(),
        )
    )
    if state.note:
        st.warning(state.note, icon=":material/memory:")


def _live_metrics(s: lab.Settings, state: lab.RaceState) -> None:
    """Each model's loss on the held-out batch and its verdict."""
    race = state.race
    if race.steps == 0:
        st.info(t("training_lab.press_play"), icon=":material/play_circle:")
        return
    losses = race.eval_losses()
    verdicts = race.verdicts(losses)
    cols = st.columns(2) if projector() else [st.container()]
    for i, (loss, name) in enumerate(zip(losses, _names(s), strict=True)):
        code = verdicts[i]
        cols[i % len(cols)].metric(
            name,
            f"{loss:.4f}",
            t(f"training_lab.verdict.{code}", share=_share(loss, race.baseline)),
            delta_color={"learned": "normal", "learning": "off", "plateau": "orange", "stuck": "inverse"}[
                code
            ],
            delta_arrow="off",
            help=t("training_lab.metric_help", baseline=f"{race.baseline:.3f}"),
        )
        cols[i % len(cols)].caption(t("training_lab.ms_per_step", ms=f"{race.racers[i].ms_per_step:.1f}"))


def _erfs(race: Race, seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    # each model's effective field at initialisation and now, on the same random inputs
    before, after = [], []
    for i, racer in enumerate(race.racers):
        task = race.task
        gen = torch.Generator().manual_seed(seed)
        before.append(model_erf(race.initial_model(i), racer.spec, task.ndim, task.in_channels, gen))
        gen = torch.Generator().manual_seed(seed)
        after.append(model_erf(race.trained_model(i), racer.spec, task.ndim, task.in_channels, gen))
    return before, after


def _erf_section(s: lab.Settings, state: lab.RaceState) -> None:
    """Effective receptive field of each model at initialisation and now."""
    st.subheader(t("training_lab.erf"))
    before, after = state.remember("erf", lambda: _erfs(state.race, s.seed))
    names = _names(s)
    _chart(
        "tr_fig_erf",
        (state.serial, state.race.steps, tuple(names)),
        lambda: tf.erf_panels(before, after, names, text=lab.figure_text(), theme=figure_theme()),
    )
    st.caption(t("training_lab.erf_caption"))


def _predictions(race: Race) -> list[np.ndarray]:
    # input, target and every model's output: one held-out noise image (offset) or the whole image
    task = race.task
    if task.kind == "offset":
        x, y = race.held_out()
        outs = [task.scored(race.predict(i, x[:1]))[0, 0].numpy() for i in range(len(race.racers))]  # type: ignore[union-attr]
        return [task.scored(x[:1])[0, 0].numpy(), y[0, 0].numpy(), *outs]  # type: ignore[union-attr]
    image, target = task.image, task.target  # type: ignore[union-attr]
    outs = [race.predict(i, image)[0, 0].numpy() for i in range(len(race.racers))]
    return [image[0, 0].numpy(), target[0, 0].numpy(), *outs]


def _prediction_section(s: lab.Settings, state: lab.RaceState) -> None:
    """One held-out example (offset), the whole image (filter) or one recalled sequence (memory)."""
    st.subheader(t(f"training_lab.prediction.{s.task}"))
    names = _names(s)
    if s.task == "memory":
        _recall(s, state, names)
        return
    images = state.remember("predictions", lambda: _predictions(state.race))
    view = _select("tr_view", lab.VIEWS, "view") if s.task == "filter" else "whole"
    if view == "crop":
        h, w = images[0].shape
        c0, c1 = max(h // 2 - 64, 0), max(w // 2 - 64, 0)
        images = [im[c0 : c0 + 128, c1 : c1 + 128] for im in images]
    titles = [t("training_lab.input"), t("training_lab.target"), *names]
    _chart(
        "tr_fig_prediction",
        (state.serial, state.race.steps, view, tuple(names)),
        lambda: tf.image_panels(images, titles, text=lab.figure_text(), theme=figure_theme()),
    )
    st.caption(t(f"training_lab.prediction_caption.{s.task}"))


def _recall(s: lab.Settings, state: lab.RaceState, names: list[str]) -> None:
    race = state.race
    choices = tuple(range(1, len(names) + 1))
    if st.session_state.get("tr_recall", 1) not in choices:  # fewer models than before
        st.session_state["tr_recall"] = 1
    take_coded_link_value("tr_recall", choices)
    st.session_state.setdefault("tr_recall", 1)
    labels = dict(zip(choices, names, strict=True))
    pick = st.selectbox(
        t("training_lab.tr_recall"),
        choices,
        format_func=labels.__getitem__,
        key="tr_recall",
        help=t("training_lab.tr_recall_help"),
    )
    write_coded_link_value("tr_recall", pick, lab.DEFAULTS["tr_recall"])
    index = min(int(pick), len(choices)) - 1
    x, y = race.held_out()
    logits = race.task.scored(race.predict(index, x[:1]))[0]  # type: ignore[union-attr]
    probs = torch.softmax(logits, dim=0).numpy()
    _chart(
        "tr_fig_recall",
        (state.serial, race.steps, index),
        lambda: tf.recall_panel(probs, y[0].tolist(), text=lab.figure_text(), theme=figure_theme()),
    )
    st.caption(t("training_lab.prediction_caption.memory"))


def _results_table(race: Race, rows: list[RaceRow], names: list[str]) -> None:
    """One row per model: cost, field, speed, final loss and verdict."""
    col = {
        k: t(f"training_lab.col.{k}")
        for k in ("model", "params", "macs", "rf", "holes", "ms", "loss", "verdict", "steps")
    }
    table = pd.DataFrame(
        {
            col["model"]: names,
            col["params"]: [r.params for r in rows],
            col["macs"]: [r.macs for r in rows],
            col["rf"]: [r.rf for r in rows],
            col["holes"]: [r.holes for r in rows],
            col["ms"]: [round(r.ms_per_step, 2) for r in rows],
            col["loss"]: [r.loss for r in rows],
            col["verdict"]: [
                t(f"training_lab.verdict.{r.verdict}", share=_share(r.loss, race.baseline)) for r in rows
            ],
            col["steps"]: [r.steps for r in rows],
        }
    )
    data_table(
        table,
        key="tr_table",
        formats={
            col["params"]: "localized",
            col["macs"]: "localized",
            col["ms"]: "%.2f",
            col["loss"]: "%.4f",
        },
    )


def _curves(race: Race) -> pd.DataFrame:
    """Every model's training loss of each batch and its held-out loss every few steps, one row a step."""
    curves = pd.DataFrame({"step": np.arange(1, len(race.racers[0].losses) + 1)})
    held = pd.Series(race.eval_steps)
    for i, r in enumerate(race.racers):
        curves[f"{i + 1}:{r.spec.code} train"] = r.losses
        curves[f"{i + 1}:{r.spec.code} held-out"] = (
            pd.Series(r.held_out, index=held).reindex(curves["step"]).to_numpy()
        )
    return curves


def _downloads(race: Race, rows: list[RaceRow]) -> None:
    """The results table and the loss curves as CSV."""
    csv_rows = pd.DataFrame([r.__dict__ for r in rows])
    curves = _curves(race)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        t("training_lab.download_table"),
        csv_rows.to_csv(index=False),
        "dsdcn-training-results.csv",
        "text/csv",
        key="tr_dl_table",
        icon=":material/download:",
        help=t("training_lab.download_table_help"),
    )
    row.download_button(
        t("training_lab.download_curves"),
        curves.to_csv(index=False),
        "dsdcn-training-curves.csv",
        "text/csv",
        key="tr_dl_curves",
        icon=":material/download:",
        help=t("training_lab.download_curves_help"),
    )


def _results(s: lab.Settings, state: lab.RaceState) -> None:
    """The results table and the downloads (table and loss curves as CSV)."""
    st.subheader(t("training_lab.results"))
    race = state.race
    rows = race.rows()
    names = _names(s)
    _results_table(race, rows, names)
    _separable_claim(rows, names)
    _downloads(race, rows)


def _separable_claim(rows: list, names: list[str]) -> None:
    """The DS-DCN claim, measured: each DS-DCN model against the dense model with the same rates."""
    for i, ds in enumerate(rows):
        dense = next((j for j, r in enumerate(rows) if r.kind == "conv" and r.rates == ds.rates), None)
        if ds.kind != "ds" or dense is None:
            continue
        other = rows[dense]
        st.info(
            t(
                "training_lab.claim",
                ds=names[i],
                dense=names[dense],
                loss_ds=f"{ds.loss:.4f}",
                loss_dense=f"{other.loss:.4f}",
                params=f"{ds.params / other.params:.0%}",
                macs=f"{ds.macs / other.macs:.0%}",
                time=f"{ds.ms_per_step / other.ms_per_step:.1f}",
            ),
            icon=":material/balance:",
        )


def _after(s: lab.Settings, state: lab.RaceState) -> None:
    """What training did: drawn when the race is paused or finished."""
    race = state.race
    if race.steps == 0:
        return
    if lab.playing():
        st.caption(t("training_lab.after_when_paused"))
        return
    _prediction_section(s, state)
    _erf_section(s, state)
    _results(s, state)


def render() -> None:
    """Draw the Training lab."""
    drop_infinite_link_values(("tr_seed",))
    for key in ("tr_view", "tr_recall"):  # drawn only after training: their link values wait until then
        keep_link_key(key)
    st.title(t("training_lab.title"))
    st.markdown(t("training_lab.intro"))
    bar = st.container()
    s, image = _settings()
    with bar:
        presets_bar(
            lab.PRESETS,
            lab.DEFAULTS,
            "tr_",
            lambda pid: t(f"training_lab.preset.{pid}"),
            lambda pid: t(f"training_lab.preset.{pid}.idea"),
        )
    for problem in s.problems:
        st.warning(problem, icon=":material/warning:")
    task = _task_of(s, image)
    if task is None or not s.specs:
        if task is not None:
            st.info(t("training_lab.no_models"), icon=":material/info:")
        return
    try:
        state = lab.current_race(s, task)
    except ValueError as exc:
        st.warning(t("training_lab.refused", error=str(exc)), icon=":material/block:")
        return
    lab.run_pending_step(state)
    _model_cards(s, task, state.race)
    _coverage_figure(s, task)
    st.subheader(t("training_lab.race"))
    _controls_row(s, state.race)
    _live(s, state)
    _after(s, state)


render()
