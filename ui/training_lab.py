"""Streamlit side of the Training lab: one typed settings object read from the widgets and the link,
the task's data, and the race kept per session (freed on reset and when the session ends)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import streamlit as st
import torch

from dsdcn import budget
from dsdcn.device import pick_device
from dsdcn.figures.training import TrainingText
from dsdcn.imaging import ImageError, load_image
from dsdcn.training import (
    DEFAULT_RACES,
    FilterTask,
    MemoryTask,
    ModelSpec,
    OffsetTask,
    Race,
    Task,
    check_race,
    parse_model_code,
)
from dsdcn.training.tasks import MAX_BLANK, MAX_OFFSET, MAX_SIGMA
from ui.common import waiting_for_the_cpu
from ui.i18n import t

T = TypeVar("T")
_SERIALS = itertools.count()
SAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "samples"
SLOTS = (1, 2, 3, 4)
TASK_CODES = ("offset", "memory", "filter")
KIND_OPTIONS = ("off", "conv", "ds")
KERNELS = (1, 2, 3, 4, 5, 7)
WIDTHS = (2, 4, 8, 16, 32, 64)
LEARNING_RATES = (0.001, 0.002, 0.003, 0.005, 0.01, 0.03)
SAMPLES = ("test_pattern.png", "line_drawing.png", "street_scene.png")
SOURCES = ("sample", "upload")
OPERATORS = ("gauss", "dog")
DEVICES = ("auto", "cpu")
VIEWS = ("whole", "crop")
TRAIN_SIDE = 512  # an image is trained on at most this many pixels per side
MAX_RATES_TEXT = 40
RACE_KEY = "_tr_race"
PLAYING_KEY = "_tr_playing"
STEP_KEY = "_tr_step"


def task_values(task: str) -> dict[str, object]:
    # the widget values of a task's default comparison (models in the slots, the rest off)
    race = DEFAULT_RACES[task]
    values: dict[str, object] = {"tr_task": task}
    for slot in SLOTS:
        code = race.models[slot - 1] if slot <= len(race.models) else None
        kind, _, rates = (code or "off:").partition(":")
        values[f"tr_kind{slot}"] = kind
        values[f"tr_rates{slot}"] = (
            rates.replace(",", ", ") if rates else DEFAULTS.get(f"tr_rates{slot}", "1")
        )
    values.update(
        {"tr_kernel": race.kernel_size, "tr_width": race.width, "tr_act": race.activation, "tr_lr": race.lr}
    )
    values["tr_steps"] = race.steps
    return values


DEFAULTS: dict[str, object] = {
    "tr_task": "offset",
    "tr_kind1": "conv",
    "tr_rates1": "1, 2, 5",
    "tr_kind2": "conv",
    "tr_rates2": "2, 2, 2",
    "tr_kind3": "conv",
    "tr_rates3": "2, 4, 8",
    "tr_kind4": "ds",
    "tr_rates4": "1, 2, 5",
    "tr_kernel": 3,
    "tr_width": 8,
    "tr_act": "relu",
    "tr_lr": 0.01,
    "tr_seed": 0,
    "tr_steps": 300,
    "tr_dy": 3,
    "tr_dx": 1,
    "tr_blank": 24,
    "tr_source": "sample",
    "tr_sample": "test_pattern.png",
    "tr_op": "gauss",
    "tr_sigma": 3.0,
    "tr_device": "auto",
    "tr_view": "whole",
    "tr_recall": 1,
}

# Lesson presets: stable ids, each telling one idea; the controls not named go back to DEFAULTS.
PRESETS: dict[str, dict[str, object]] = {
    "hole": {**task_values("offset"), "tr_dy": 3, "tr_dx": 1},
    "even": {**task_values("offset"), "tr_dy": 4, "tr_dx": 2},
    "too_far": {
        **task_values("offset"),
        "tr_dy": 6,
        "tr_dx": 2,
        "tr_rates1": "1, 1, 1",
        "tr_kind2": "conv",
        "tr_rates2": "1, 1, 1, 1, 1, 1",
        "tr_rates3": "1, 2, 5",
        "tr_kind4": "off",
    },
    "memory": task_values("memory"),
    "long_memory": {
        **task_values("memory"),
        "tr_blank": 100,
        "tr_rates1": "1, 2, 4, 8, 16, 32, 64",
        "tr_rates2": "1, 2, 4, 8, 16, 32",
        "tr_rates3": "1, 2, 4, 8, 16, 32, 64",
        "tr_kind4": "off",
        "tr_steps": 400,
    },
    "gridding_image": task_values("filter"),
    "dog": {**task_values("filter"), "tr_op": "dog", "tr_sigma": 2.0},
    "separable": {
        **task_values("filter"),
        "tr_kind1": "conv",
        "tr_rates1": "1, 2, 5, 1, 2, 5",
        "tr_kind2": "ds",
        "tr_rates2": "1, 2, 5, 1, 2, 5",
        "tr_kind3": "off",
        "tr_kind4": "off",
        "tr_width": 16,
    },
}
LIMITS: dict[str, tuple[int, int]] = {
    "tr_dy": (-MAX_OFFSET, MAX_OFFSET),
    "tr_dx": (-MAX_OFFSET, MAX_OFFSET),
    "tr_blank": (1, MAX_BLANK),
    "tr_seed": (0, 9_999),
    "tr_steps": (10, 3_000),
}
SIGMA_RANGE = (0.5, min(MAX_SIGMA, 6.0))


@dataclass(frozen=True)
class Slot:
    """One model slot as the user set it: the spec, or the reason it is left out."""

    number: int
    spec: ModelSpec | None
    problem: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything the page shows, parsed and checked once (also the key of the race)."""

    task: str
    slots: tuple[Slot, ...]
    kernel: int
    width: int
    activation: str
    lr: float
    seed: int
    steps: int
    dy: int
    dx: int
    blank: int
    source: str
    sample: str
    operator: str
    sigma: float
    device: str
    image_digest: str = ""
    problems: tuple[str, ...] = field(default=())

    @property
    def specs(self) -> tuple[ModelSpec, ...]:
        """The models that take part (slots that are on and valid)."""
        return tuple(s.spec for s in self.slots if s.spec is not None)

    @property
    def numbers(self) -> tuple[int, ...]:
        """Slot number of each model taking part (names and colours follow the slot)."""
        return tuple(s.number for s in self.slots if s.spec is not None)

    @property
    def ndim(self) -> int:
        """1 for the copy-memory task (sequences), else 2 (images)."""
        return 1 if self.task == "memory" else 2

    def race_key(self) -> tuple[object, ...]:
        """What defines a race: a change of any of these starts a new one."""
        task_part: tuple[object, ...] = {
            "offset": (self.dy, self.dx),
            "memory": (self.blank,),
            "filter": (self.image_digest, self.operator, self.sigma),
        }[self.task]
        return (self.task, task_part, self.specs, self.lr, self.seed, self.device)


def link_defaults(task: str) -> dict[str, object]:
    """The value of every control when the link does not name it: the task's default comparison over
    the page defaults (a link that only says ``?tr_task=memory`` opens the memory lesson)."""
    return {**DEFAULTS, **task_values(task if task in TASK_CODES else "offset")}


def parse_link_rates(raw: str) -> str | None:
    """A link's rates text, kept as typed when it reads as rates (``1,2,5``); None otherwise."""
    return raw if parse_rates_text(raw) is not None else None


def parse_link_steps(raw: str) -> int | None:
    """A link's 'stop after' value: digits within the control's range; None otherwise."""
    low, high = LIMITS["tr_steps"]
    if not raw.isdigit() or len(raw) > 6:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def parse_rates_text(text: object) -> tuple[int, ...] | None:
    """Rates typed as ``1, 2, 5`` (commas or spaces); None when they are not 1–10 whole numbers 1–64."""
    if not isinstance(text, str) or len(text) > MAX_RATES_TEXT:
        return None
    parts = [p for p in text.replace(",", " ").split() if p]
    try:
        spec = parse_model_code("conv:" + ",".join(parts))
    except ValueError:
        return None
    return spec.rates


def read_slot(number: int, kind: str, rates_text: str, kernel: int, width: int, activation: str) -> Slot:
    """A slot's model, or why it is left out (in the page's language)."""
    if kind == "off":
        return Slot(number, None)
    rates = parse_rates_text(rates_text)
    if rates is None:
        return Slot(number, None, t("training_lab.bad_rates", n=number))
    return Slot(number, ModelSpec(kind, rates, kernel, width, activation))  # type: ignore[arg-type]


def model_name(spec: ModelSpec, number: int, ndim: int = 2) -> str:
    """``#1 Dilated 1, 2, 5``, ``#2 Standard 3×3 ×3`` or ``#4 DS-DCN 1, 2, 5`` in the page's language."""
    rates = ", ".join(map(str, spec.rates))
    if spec.kind == "ds":
        return t("training_lab.name.ds", n=number, rates=rates)
    if not spec.dilated:
        k = spec.kernel_size
        kernel = f"{k}×{k}" if ndim == 2 else f"k = {k}"
        return t("training_lab.name.standard", n=number, layers=len(spec.rates), kernel=kernel)
    return t("training_lab.name.dilated", n=number, rates=rates)


# 4 × 512×512×3 bytes = 3 MB
@st.cache_data(show_spinner=False, max_entries=4, ttl="1h")
def sample_rgb(name: str) -> np.ndarray:
    """A bundled sample as an RGB array (at most ``TRAIN_SIDE`` per side)."""
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r}")
    image = load_image((SAMPLES_DIR / name).read_bytes(), max_side=TRAIN_SIDE)
    return np.asarray(image)


# 4 × 512×512×3 bytes = 3 MB
@st.cache_data(show_spinner=False, max_entries=4, ttl="15m")
def upload_rgb(digest: str, _data: bytes) -> np.ndarray:
    """An uploaded image as an RGB array (at most ``TRAIN_SIDE`` per side); ``ImageError`` if unusable."""
    return np.asarray(load_image(_data, max_side=TRAIN_SIDE))


def make_task(s: Settings, image: np.ndarray | None) -> Task:
    """The task of ``s`` (``image`` for the wide-filter task); ``ValueError`` when it cannot be built."""
    if s.task == "offset":
        return OffsetTask(s.dy, s.dx)
    if s.task == "memory":
        return MemoryTask(blank=s.blank)
    if image is None:
        raise ImageError(t("training_lab.no_image"))
    return filter_task(s.image_digest, s.operator, s.sigma, image)


# 6 tasks × (a 512² image + its float32 target) ≈ 6 × 2 MB
@st.cache_resource(show_spinner=False, max_entries=6, ttl="30m")
def filter_task(digest: str, operator: str, sigma: float, _image: np.ndarray) -> FilterTask:
    """The wide-filter task of one image (its target computed once per process; read-only)."""
    return FilterTask(_image, operator, sigma)  # type: ignore[arg-type]


def device_for(preference: str) -> torch.device:
    """``"auto"``: CUDA or MPS when present, else the CPU; ``"cpu"``: the CPU."""
    return pick_device() if preference == "auto" else torch.device("cpu")


@dataclass
class RaceState:
    """The race of this session, the settings key it was built for and a message after a GPU fallback
    or a failed step (in the page's language)."""

    key: tuple[object, ...]
    race: Race
    note: str = ""
    memo: dict[str, object] = field(default_factory=dict)
    memo_steps: int = -1
    serial: int = field(default_factory=lambda: next(_SERIALS))  # tells races apart, even reset ones

    def remember(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per training step count: a rerun of a paused race (a changed view, a
        language switch) reuses the predictions, fields and losses instead of running the models again."""
        if self.memo_steps != self.race.steps:
            self.memo.clear()
            self.memo_steps = self.race.steps
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]  # type: ignore[return-value]


def current_race(s: Settings, task: Task) -> RaceState:
    """This session's race for ``s``: kept while the settings stay, rebuilt (at step 0) when they change."""
    state: RaceState | None = st.session_state.get(RACE_KEY)
    key = s.race_key()
    if state is None or state.key != key:
        check_race(task, s.specs)
        state = RaceState(key, Race(task, s.specs, seed=s.seed, lr=s.lr, device=device_for(s.device)))
        st.session_state[RACE_KEY] = state
    return state


def reset_race() -> None:
    """Drop this session's race (its memory is freed); the next run starts a new one, paused."""
    st.session_state.pop(RACE_KEY, None)
    st.session_state[PLAYING_KEY] = False


def playing() -> bool:
    """Whether the race is running."""
    return bool(st.session_state.get(PLAYING_KEY, False))


def set_playing(value: bool) -> None:
    """Start or pause the race (a button callback)."""
    st.session_state[PLAYING_KEY] = value


def ask_step() -> None:
    """Ask for one training step on the next run (a button callback): pauses the race first."""
    st.session_state[PLAYING_KEY] = False
    st.session_state[STEP_KEY] = True


def train(state: RaceState, seconds: float, max_steps: int) -> None:
    """Train the race for about ``seconds`` (at most ``max_steps`` steps) in its turn on the server's queue
    for heavy work, saying so while it waits. A GPU out of memory moves the race to the CPU (noted); any
    other failure (the CPU out of memory) pauses it with a message; a turn that does not come in time
    says the server is busy (a playing race tries again on its next redraw)."""
    try:
        with waiting_for_the_cpu(), budget.reserve(0, state.race.device.type):
            _, fallback = state.race.train_for(seconds, max_steps)
    except budget.Busy:
        st.warning(t("workshop.busy"), icon=":material/hourglass_top:")
        return
    except RuntimeError as exc:
        set_playing(False)
        state.note = t("training_lab.failed", error=str(exc).split("\n", 1)[0][:200])
        return
    if fallback:
        state.note = t("training_lab.oom", error=fallback)


def run_pending_step(state: RaceState) -> None:
    """Train the one step asked for by the Step button, if any."""
    if st.session_state.pop(STEP_KEY, False):
        train(state, 0.0, 1)


def figure_text() -> TrainingText:
    """Every word of the Training lab figures in the page's language."""
    return TrainingText(**{f.name: t(f"training_lab.fig.{f.name}") for f in fields(TrainingText)})


FIGURES_KEY = "_tr_figures"


def memo_figure(name: str, identity: tuple[object, ...], build: Callable[[], Any]) -> Any:
    """This session's figure ``name``, built again only when ``identity`` changed (one kept per name)."""
    figures: dict[str, tuple[tuple[object, ...], Any]] = st.session_state.setdefault(FIGURES_KEY, {})
    kept = figures.get(name)
    if kept is None or kept[0] != identity:
        kept = (identity, build())
        figures[name] = kept
    return kept[1]
