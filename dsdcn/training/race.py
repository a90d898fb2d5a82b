"""A training race: several models learn one task on the same batches, step by step, timed.

Everything random (data, initial weights) comes from ``torch.Generator`` objects seeded from one
``seed``: the same seed gives the same curves on the same machine, and the global RNG of a server
shared by many users is never touched.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch
from torch import nn

from ..device import synchronize
from ..geometry import check_int
from ..receptive import coverage, receptive_field
from .models import ModelCost, ModelSpec, build_model, init_parameters, model_cost, model_layers
from .tasks import Task

Reach = Literal["reached", "hole", "outside", "any"]
Verdict = Literal["learned", "learning", "plateau", "stuck"]
PLATEAU_WINDOW = 5  # held-out points (every ``eval_every`` steps) compared for a plateau
MAX_RACERS = 4
EVAL_BATCH = 32
MAX_HISTORY = 20_000
MAX_FIELD: dict[int, int] = {1: 1024, 2: 129}  # widest field trained (steps in 1D, pixels in 2D)
MAX_STEP_MACS = 2_000_000_000  # multiply-adds of one race step (all models, forward and backward)


@dataclass(frozen=True)
class ModelField:
    """What a model sees on a task: its extent ``rf`` (pixels or steps), its ``holes`` (cells of the
    2D coverage map, steps in 1D) and whether the input each scored output needs is reached."""

    rf: int
    holes: int
    reach: Reach


def model_field(spec: ModelSpec, task: Task) -> ModelField:
    """The field of ``spec`` on ``task``, from one exact coverage (``dsdcn.coverage``) of its layers.

    ``reach`` is ``"reached"``, ``"hole"`` (inside the extent but no path reaches it: gridding),
    ``"outside"`` (beyond the extent), or ``"any"`` for a task with no single offset (the wide filter).
    In 2D the holes are the ``r² - (r - h)²`` cells of the ``r x r`` map with ``h`` holes per axis.
    """
    layers = model_layers(spec, task.ndim)
    counts = coverage(layers)
    rf = receptive_field(layers)[-1]
    field_reach = _reach(counts, rf.padding, task.target_offset)
    return ModelField(rf=rf.size, holes=_holes(counts, task.ndim), reach=field_reach)


def _reach(counts: np.ndarray, padding: int, offsets: tuple[int, ...]) -> Reach:
    # the field of output 0 starts at input -padding: offset ``off`` is entry ``off + padding``
    if not offsets:
        return "any"
    found = []
    for off in offsets:
        index = off + padding
        if not 0 <= index < counts.size:
            found.append("outside")
        else:
            found.append("reached" if counts[index] > 0 else "hole")
    if "outside" in found:
        return "outside"
    return "hole" if "hole" in found else "reached"


def reach(spec: ModelSpec, task: Task) -> Reach:
    """``model_field(spec, task).reach``."""
    return model_field(spec, task).reach


def _holes(counts: np.ndarray, ndim: int) -> int:
    # holes of a 1D coverage; in 2D the cells of its outer product with itself
    h = int((counts == 0).sum())
    return h if ndim == 1 else counts.size**2 - (counts.size - h) ** 2


def hole_count(spec: ModelSpec, ndim: int) -> int:
    """Input positions inside the model's extent that no path reaches (``ModelField.holes``)."""
    return _holes(coverage(model_layers(spec, ndim)), ndim)


def check_race(task: Task, specs: Sequence[ModelSpec]) -> None:
    """Refuse a race this lab does not train: fields wider than ``MAX_FIELD`` (their coverage and
    effective field would not fit on a screen) or steps above ``MAX_STEP_MACS`` (seconds per step on a
    CPU). ``ValueError`` names the model and the limit."""
    if not 1 <= len(specs) <= MAX_RACERS:
        raise ValueError(f"a race has 1 to {MAX_RACERS} models, got {len(specs)}")
    limit = MAX_FIELD[task.ndim]
    for spec in specs:
        r = receptive_field(model_layers(spec, task.ndim))[-1].size
        if r > limit:
            raise ValueError(f"model {spec.code} has a field of {r}; at most {limit} is trained here")
    macs = step_macs(task, specs)
    if macs > MAX_STEP_MACS:
        raise ValueError(
            f"one step would take {macs / 1e9:.1f} G multiply-adds; at most {MAX_STEP_MACS / 1e9:.0f} G"
        )


def step_macs(task: Task, specs: Sequence[ModelSpec]) -> int:
    """Multiply-adds of one race step: every model's forward on a batch, times 3 for the backward pass."""
    x, _ = task.sample(torch.Generator().manual_seed(0), batch=1)
    n = _positions(x)
    per_sample = sum(model_cost(s, task.ndim, task.in_channels, task.out_channels, n).macs for s in specs)
    return 3 * task.batch * per_sample


def verdict(loss: float, baseline: float, history: Sequence[float] = ()) -> Verdict:
    """``"learned"`` below a fifth of the baseline, ``"stuck"`` above 80% of it; in between
    ``"plateau"`` when the held-out ``history`` (oldest first, ending at ``loss``) gained less than 10% over
    its last ``PLATEAU_WINDOW`` points against the ``PLATEAU_WINDOW`` before, else ``"learning"``.

    >>> verdict(0.5, 1.0), verdict(0.5, 1.0, [0.6, 0.5, 0.55, 0.5, 0.52] * 2)
    ('learning', 'plateau')
    """
    if not math.isfinite(loss) or loss > 0.8 * baseline:
        return "stuck"
    if loss < 0.2 * baseline:
        return "learned"
    recent = [v for v in history[-2 * PLATEAU_WINDOW :] if math.isfinite(v)]
    if len(recent) == 2 * PLATEAU_WINDOW and min(recent[PLATEAU_WINDOW:]) > 0.9 * min(
        recent[:PLATEAU_WINDOW]
    ):
        return "plateau"
    return "learning"


@dataclass
class Racer:
    """One model in the race: its spec, module, optimiser and history (one loss and time per step)."""

    spec: ModelSpec
    model: nn.Module
    optimizer: torch.optim.Optimizer
    initial: dict[str, torch.Tensor]
    cost: ModelCost
    losses: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    held_out: list[float] = field(default_factory=list)  # held-out loss at ``Race.eval_steps``

    @property
    def ms_per_step(self) -> float:
        """Median milliseconds of one training step (forward, backward, update), NaN before any."""
        return float(np.median(self.seconds) * 1000) if self.seconds else math.nan


@dataclass(frozen=True)
class RaceRow:
    """One line of the results table (codes and numbers; the page translates)."""

    code: str
    kind: str
    rates: tuple[int, ...]
    params: int
    macs: int
    rf: int
    holes: int
    reach: Reach
    ms_per_step: float
    loss: float
    verdict: Verdict
    steps: int


class Race:
    """Train ``specs`` on ``task`` side by side: each step draws one batch that every model trains on.

    ``lr`` is Adam's learning rate. Model ``i`` is initialised from a generator seeded with
    ``seed * 1000 + i + 1``; batches come from one seeded with ``seed``; a fixed held-out batch (seed
    ``seed + 7_777_777``) gives the evaluation loss, and ``baseline`` the "learned nothing" loss on it.
    The held-out loss is recorded at step 0 and every ``eval_every`` steps (``eval_steps``, and each
    racer's ``held_out``): the curves the page draws.
    """

    def __init__(
        self,
        task: Task,
        specs: Sequence[ModelSpec],
        seed: int = 0,
        lr: float = 0.01,
        device: torch.device | str = "cpu",
        eval_every: int = 10,
    ) -> None:
        if not 1 <= len(specs) <= MAX_RACERS:
            raise ValueError(f"a race has 1 to {MAX_RACERS} models, got {len(specs)}")
        if not (isinstance(lr, float | int) and 0 < lr <= 1):
            raise ValueError(f"lr must be in (0, 1], got {lr!r}")
        self.task = task
        self.seed = check_int("seed", seed, 0)
        self.lr = float(lr)
        self.device = torch.device(device)
        self.steps = 0
        self._data = torch.Generator().manual_seed(self.seed)
        held_out = torch.Generator().manual_seed(self.seed + 7_777_777)
        self._eval = task.holdout(held_out, EVAL_BATCH)
        self.baseline = task.baseline_of(self._eval[1])
        positions = _positions(self._eval[0])
        self.racers: list[Racer] = []
        for i, spec in enumerate(specs):
            model = _unfilled_model(spec, task)
            init_parameters(model, torch.Generator().manual_seed(self.seed * 1000 + i + 1))
            initial = copy.deepcopy(model.state_dict())
            model.to(self.device)
            optimizer = torch.optim.Adam(model.parameters(), lr=self.lr)
            cost = model_cost(spec, task.ndim, task.in_channels, task.out_channels, positions)
            self.racers.append(Racer(spec, model, optimizer, initial, cost))
        self.eval_every = check_int("eval_every", eval_every, 1)
        self.eval_steps: list[int] = []
        self._eval_cache: tuple[int, list[float]] = (-1, [])
        self._record_eval()

    def _record_eval(self) -> None:
        # the held-out loss of every model at this step, for the curves (bounded like the history)
        losses = self.eval_losses()
        self.eval_steps.append(self.steps)
        for racer, loss in zip(self.racers, losses, strict=True):
            racer.held_out.append(loss)
        if len(self.eval_steps) > MAX_HISTORY:
            del self.eval_steps[0]
            for racer in self.racers:
                del racer.held_out[0]

    def step(self, count: int = 1) -> None:
        """Train every model on ``count`` new batches (the same batches for all)."""
        for _ in range(check_int("count", count, 0)):
            x, y = self.task.sample(self._data)
            x, y = x.to(self.device), y.to(self.device)
            for racer in self.racers:
                racer.model.train()
                synchronize(self.device)
                start = time.perf_counter()
                racer.optimizer.zero_grad(set_to_none=True)
                loss = self.task.loss(racer.model(x), y)
                loss.backward()
                racer.optimizer.step()
                value = float(loss.detach().cpu())
                racer.seconds.append(time.perf_counter() - start)
                racer.losses.append(value)
                if len(racer.losses) > MAX_HISTORY:
                    del racer.losses[0], racer.seconds[0]
            self.steps += 1
            if self.steps % self.eval_every == 0:
                self._record_eval()

    def run_for(self, seconds: float, max_steps: int | None = None) -> int:
        """Step until ``seconds`` of wall time have passed (at least one step) or ``max_steps`` more
        steps are done; returns the steps taken."""
        start = time.perf_counter()
        taken = 0
        while max_steps is None or taken < max_steps:
            self.step()
            taken += 1
            if time.perf_counter() - start >= seconds:
                break
        return taken

    def train_for(self, seconds: float, max_steps: int | None = None) -> tuple[int, str | None]:
        """``run_for`` that survives a GPU running out of memory: the race moves to the CPU and goes on.

        Returns the steps taken and, after a fallback, the error text (else None).
        """
        try:
            return self.run_for(seconds, max_steps), None
        except torch.OutOfMemoryError as error:
            if self.device.type == "cpu":
                raise
            for racer in self.racers:  # a step cut short leaves its model untouched or updated: both fine
                racer.optimizer.zero_grad(set_to_none=True)
            self.to("cpu")
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
            return 0, str(error).split("\n", 1)[0][:200]

    def eval_losses(self) -> list[float]:
        """Each model's loss on the fixed held-out batch (computed once per step count)."""
        if self._eval_cache[0] == self.steps:
            return list(self._eval_cache[1])
        x, y = (t.to(self.device) for t in self._eval)
        out = []
        with torch.no_grad():
            for racer in self.racers:
                racer.model.eval()
                out.append(float(self.task.loss(racer.model(x), y).cpu()))
        self._eval_cache = (self.steps, out)
        return list(out)

    def predict(self, index: int, x: torch.Tensor) -> torch.Tensor:
        """Model ``index``'s output for ``x`` (on the CPU)."""
        racer = self.racers[index]
        racer.model.eval()
        with torch.no_grad():
            return racer.model(x.to(self.device)).cpu()

    def held_out(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The held-out batch ``(x, y)`` (on the CPU)."""
        return self._eval

    def to(self, device: torch.device | str) -> None:
        """Move the models and their optimiser state to ``device`` (e.g. to the CPU after a GPU ran out
        of memory)."""
        self.device = torch.device(device)
        for racer in self.racers:
            racer.model.to(self.device)
            for state in racer.optimizer.state.values():
                for key, value in state.items():
                    if isinstance(value, torch.Tensor) and value.dim() > 0:
                        state[key] = value.to(self.device)

    def _history(self, racer: Racer, loss: float) -> list[float]:
        # the held-out curve up to now, ending at ``loss`` (recorded already when the step is on the grid)
        if self.eval_steps and self.eval_steps[-1] == self.steps:
            return list(racer.held_out)
        return [*racer.held_out, loss]

    def verdicts(self, losses: Sequence[float] | None = None) -> list[Verdict]:
        """Each model's verdict now, from its held-out loss and curve."""
        losses = self.eval_losses() if losses is None else list(losses)
        return [
            verdict(loss, self.baseline, self._history(r, loss))
            for r, loss in zip(self.racers, losses, strict=True)
        ]

    def initial_model(self, index: int) -> nn.Module:
        """A copy of model ``index`` as it was before training (on the CPU)."""
        racer = self.racers[index]
        model = _unfilled_model(racer.spec, self.task)
        model.load_state_dict(racer.initial)
        return model

    def trained_model(self, index: int) -> nn.Module:
        """A copy of model ``index`` as it is now (on the CPU)."""
        return copy.deepcopy(self.racers[index].model).to("cpu")

    def rows(self) -> list[RaceRow]:
        """The results table: one row per model."""
        losses = self.eval_losses()
        out = []
        for racer, loss, judged in zip(self.racers, losses, self.verdicts(losses), strict=True):
            seen = model_field(racer.spec, self.task)
            out.append(
                RaceRow(
                    code=racer.spec.code,
                    kind=racer.spec.kind,
                    rates=racer.spec.rates,
                    params=racer.cost.params,
                    macs=racer.cost.macs,
                    rf=seen.rf,
                    holes=seen.holes,
                    reach=seen.reach,
                    ms_per_step=racer.ms_per_step,
                    loss=loss,
                    verdict=judged,
                    steps=self.steps,
                )
            )
        return out


def _unfilled_model(spec: ModelSpec, task: Task) -> nn.Module:
    # built on the meta device, so torch's default initialisation draws nothing from the global RNG;
    # the caller fills every parameter (init_parameters or load_state_dict)
    with torch.device("meta"):
        model = build_model(spec, task.ndim, task.in_channels, task.out_channels, algorithm="auto")
    return model.to_empty(device="cpu")


def _positions(x: torch.Tensor) -> int:
    # output positions of one input sample: every layer keeps the size
    return int(np.prod(x.shape[2:]))


def model_erf(
    model: nn.Module,
    spec: ModelSpec,
    ndim: int,
    in_channels: int,
    generator: torch.Generator,
    samples: int = 8,
) -> np.ndarray:
    """The effective receptive field of a (trained) model: ``|d out / d x|`` of one output over an input
    exactly one field wide, summed over output channels, averaged over input channels and ``samples``
    standard-normal inputs. 2D: the centre output of an ``r x r`` input; 1D (causal): the last output of
    ``r`` steps. Shape ``(r,)`` or ``(r, r)``, scaled so that its largest entry is 1."""
    r = receptive_field(model_layers(spec, ndim))[-1].size
    model = copy.deepcopy(model).to("cpu").eval()
    x = torch.randn((check_int("samples", samples, 1), in_channels, *((r,) * ndim)), generator=generator)
    x.requires_grad_(True)
    out = model(x)
    if ndim == 2:
        out[..., r // 2, r // 2].sum().backward()
    else:
        out[..., r - 1].sum().backward()
    grad = x.grad.abs().mean(dim=(0, 1)).to(torch.float64).numpy()
    top = float(grad.max())
    return grad / top if top > 0 else grad
