"""Training lab figures for each task's default comparison: speed, time to verdict and memory.

    python bench/bench_training_lab.py [--threads N] [--steps N] [--tasks offset,memory,filter] [--seed N]
                                       [--algorithm auto|nchw|channels_last|space_to_batch|...]

For every task in ``dsdcn.training.DEFAULT_RACES`` (offset (3, 1); copy memory; Gaussian σ = 3 on the
grey test pattern) it trains the default race once and prints:

1. a table per model: params, MACs per sample, receptive field, holes (2D: cells), reach, median ms
   per training step, eval loss at steps 0, 50, 100, 200, 300 and the verdict at the end; then the
   race's steps per second;
2. time to verdict (against the race's baseline, as the page judges): checking the eval loss every 10
   steps, the first checkpoint from which each model's verdict no longer changes until the last step,
   in steps and in seconds of training (the race's ``Racer.seconds`` summed over all models, as the
   page spends them); then the checkpoint from which the whole verdict holds and the learned and stuck
   curves are apart, and the same time at the models' median step times (robust to a busy CPU);
3. memory: the process RSS before building the race, after building it and after training, and the
   bytes of parameters, gradients and Adam state;
4. a summary of the median ms per training step of every model, with its spread and its ratio to the
   fastest model of its task.

Figures are medians from one run on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from dsdcn import engine  # noqa: E402
from dsdcn.training import (  # noqa: E402
    DEFAULT_RACES,
    TASKS,
    FilterTask,
    MemoryTask,
    OffsetTask,
    Race,
    verdict,
)

CHECK_EVERY = 10
LOSS_STEPS = (0, 50, 100, 200, 300)
TARGET_S = 30.0
SAMPLE = ROOT / "assets" / "samples" / "test_pattern.png"


def make_task(name: str):
    """The task of the page's default comparison for ``name``."""
    if name == "offset":
        return OffsetTask(3, 1)
    if name == "memory":
        return MemoryTask()
    grey = np.asarray(Image.open(SAMPLE).convert("L"), dtype=np.float64)
    return FilterTask(grey, "gauss", 3.0)


def cpu_model() -> str:
    """The CPU's "model name" from /proc/cpuinfo, else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def rss_mib() -> float:
    """The process's resident set now (VmRSS), in MiB; the peak (max RSS) where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def peak_rss_mib() -> float:
    """The process's peak resident set (getrusage max RSS), in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def tensor_bytes(tensors) -> int:
    """Sum of numel * element_size over ``tensors`` (non-tensors skipped)."""
    return sum(t.numel() * t.element_size() for t in tensors if isinstance(t, torch.Tensor))


def state_bytes(race: Race) -> tuple[int, int, int]:
    """Bytes of the race's parameters, gradients and Adam state (exp_avg, exp_avg_sq, step)."""
    params = grads = adam = 0
    for racer in race.racers:
        ps = list(racer.model.parameters())
        params += tensor_bytes(ps)
        grads += tensor_bytes(p.grad for p in ps)
        adam += sum(tensor_bytes(state.values()) for state in racer.optimizer.state.values())
    return params, grads, adam


def settled_at(verdicts: list[str]) -> int:
    """Index of the first checkpoint from which the verdict equals the last one to the end."""
    i = len(verdicts) - 1
    while i > 0 and verdicts[i - 1] == verdicts[-1]:
        i -= 1
    return i


def apart(losses: list[float], baseline: float) -> bool:
    """The learned and stuck curves are clearly apart: best learned < 0.2 * baseline and worst stuck
    > 0.8 * baseline, when both kinds exist (vacuously true otherwise)."""
    kinds = [verdict(v, baseline) for v in losses]
    learned = [v for v, k in zip(losses, kinds, strict=True) if k == "learned"]
    stuck = [v for v, k in zip(losses, kinds, strict=True) if k == "stuck"]
    if not learned or not stuck:
        return True
    worst_stuck = max(v if math.isfinite(v) else math.inf for v in stuck)
    return min(learned) < 0.2 * baseline and worst_stuck > 0.8 * baseline


def fmt_loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def run_task(name: str, steps: int, seed: int) -> dict[str, object]:
    """Train the default race of ``name`` for ``steps`` steps and print its figures."""
    defaults = DEFAULT_RACES[name]
    gc.collect()
    rss_start = rss_mib()
    task = make_task(name)
    specs = defaults.specs()
    gc.collect()
    rss_before = rss_mib()
    t0 = time.perf_counter()
    race = Race(task, specs, seed=seed, lr=defaults.lr)
    build_s = time.perf_counter() - t0
    rss_built = rss_mib()

    # the race's own baseline (predicting 0 / a uniform guess on its held-out batch) where the library
    # has one, as the page's verdicts use; else the task's closed-form one
    baseline = float(getattr(race, "baseline", task.baseline))
    check_steps = [0]
    check_losses = [race.eval_losses()]
    check_train_s = [0.0]  # seconds of training, summed over the race's models
    check_wall_s = [0.0]  # wall time of race.step calls (sampling included, evaluations excluded)
    wall = 0.0
    for done in range(1, steps + 1):
        t = time.perf_counter()
        race.step()
        wall += time.perf_counter() - t
        if done % CHECK_EVERY == 0 or done == steps:
            check_steps.append(done)
            check_losses.append(race.eval_losses())
            check_train_s.append(sum(sum(r.seconds) for r in race.racers))
            check_wall_s.append(wall)
    gc.collect()
    rss_trained = rss_mib()
    params_b, grads_b, adam_b = state_bytes(race)
    rows = race.rows()

    print(f"== {name}: {task.__class__.__name__}", end="")
    if name == "offset":
        print(f"(dy={task.dy}, dx={task.dx}), size {task.size}, batch {task.batch}", end="")
    elif name == "memory":
        print(
            f"(symbols {task.symbols}, alphabet {task.alphabet}, blank {task.blank}), batch {task.batch}",
            end="",
        )
    else:
        print(
            f"({SAMPLE.name} grey, {task.operator}, sigma {task.sigma}), "
            f"size {task.size}, batch {task.batch}",
            end="",
        )
    print(
        f"; kernel {defaults.kernel_size}, width {defaults.width}, {defaults.activation}, "
        f"Adam lr {defaults.lr}, {steps} steps, seed {seed}; baseline {baseline:.4f} of the held-out batch "
        f"(task's {task.baseline:.4f}) "
        f"(learned < {0.2 * baseline:.4f}, stuck > {0.8 * baseline:.4f})"
    )
    print()

    # 1. the table
    shown = [s for s in LOSS_STEPS if s <= steps]
    if steps not in shown:
        shown.append(steps)
    by_step = dict(zip(check_steps, check_losses, strict=True))
    loss_heads = "".join(f"{'loss@' + str(s):>10}" for s in shown)
    print(
        f"{'model':<20}{'params':>8}{'MACs/sample':>13}{'RF':>5}{'holes':>7}{'reach':>9}{'ms/step':>9}"
        f"{loss_heads}  verdict"
    )
    for i, row in enumerate(rows):
        losses = "".join(f"{fmt_loss(by_step[s][i] if s in by_step else None):>10}" for s in shown)
        print(
            f"{row.code:<20}{row.params:>8,}{row.macs:>13,}{row.rf:>5}{row.holes:>7}{row.reach:>9}"
            f"{row.ms_per_step:>9.2f}{losses}  {row.verdict}"
        )
    train_s = check_train_s[-1]
    print(
        f"race: {steps} steps in {wall:.2f} s of race.step wall time ({steps / wall:.1f} steps/s, all "
        f"{len(rows)} models); models' own step time summed {train_s:.2f} s; "
        f"building the race {build_s * 1e3:.1f} ms"
    )
    print()

    # 2. time to verdict
    final = [verdict(v, baseline, [c[i] for c in check_losses]) for i, v in enumerate(check_losses[-1])]
    print(
        f"time to verdict (eval every {CHECK_EVERY} steps; seconds = training time of the whole race, summed)"
    )
    print(f"{'model':<20}{'final':>9}{'settled at step':>17}{'race s':>9}{'own s':>8}{'race wall s':>13}")
    settle_idx = []
    for i, row in enumerate(rows):
        # checkpoint 0 is the untrained model: a verdict counts as settled from the first trained one on
        trail = [
            verdict(losses[i], baseline, [c[i] for c in check_losses[: j + 2]])
            for j, losses in enumerate(check_losses[1:])
        ]
        k = settled_at(trail) + 1
        settle_idx.append(k)
        own = sum(race.racers[i].seconds[: check_steps[k]])
        print(
            f"{row.code:<20}{final[i]:>9}{check_steps[k]:>17}{check_train_s[k]:>9.2f}{own:>8.2f}"
            f"{check_wall_s[k]:>13.2f}"
        )
    race_ms = sum(row.ms_per_step for row in rows)  # one race step at the models' median step times
    k_all = max(settle_idx)
    while k_all < len(check_steps) and not all(apart(ls, baseline) for ls in check_losses[k_all:]):
        k_all += 1
    kinds = sorted(set(final))
    decided = "learning" not in final
    both = "learned" in final and "stuck" in final
    t_median = math.nan
    if k_all < len(check_steps):
        t_all = check_train_s[k_all]
        t_median = check_steps[k_all] * race_ms / 1e3
        within = "within" if t_all <= TARGET_S else "OVER"
        what = (
            "whole verdict shown"
            if decided
            else "verdicts settled, but not decided (a model still learning),"
        )
        print(
            f"{what} at step {check_steps[k_all]}: {t_all:.2f} s of training "
            f"({check_wall_s[k_all]:.2f} s race wall) — {within} the {TARGET_S:.0f} s target; "
            f"at the median step times {t_median:.2f} s"
        )
    else:
        t_all = math.nan
        print("whole verdict never shown: the curves are not apart at the end")
    learned = [v for v, f in zip(check_losses[-1], final, strict=True) if f == "learned"]
    stuck = [v for v, f in zip(check_losses[-1], final, strict=True) if f == "stuck"]
    gap = (
        f"; closest stuck / learned loss ratio {min(stuck) / max(learned):.1f}x" if learned and stuck else ""
    )
    print(
        f"final verdicts: {', '.join(kinds)}; decided (no 'learning'): {'yes' if decided else 'NO'}; "
        f"both learned and stuck: {'yes' if both else 'no'}{gap}"
    )
    print()

    # 3. memory
    mib = 2**20
    print("memory (process RSS, MiB; the allocator keeps freed pages, so later tasks start higher)")
    print(
        f"  start {rss_start:.1f}, task built {rss_before:.1f}, race built {rss_built:.1f} "
        f"(+{rss_built - rss_before:.1f}), trained {rss_trained:.1f} (+{rss_trained - rss_built:.1f}); "
        f"peak so far {peak_rss_mib():.1f}"
    )
    total_b = params_b + grads_b + adam_b
    print(
        f"  race tensors: params {params_b:,} B + Adam state {adam_b:,} B = {params_b + adam_b:,} B "
        f"({(params_b + adam_b) / mib:.3f} MiB); with gradients {total_b:,} B"
    )
    print()

    step_ms = [
        (row.code, [s * 1e3 for s in racer.seconds]) for row, racer in zip(rows, race.racers, strict=True)
    ]
    del race
    gc.collect()
    return {"name": name, "steps": step_ms, "verdict_s": t_all, "median_s": t_median, "decided": decided}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's own)")
    parser.add_argument("--steps", type=int, default=None, help="steps per race (default: each task's own)")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--algorithm",
        default="auto",
        choices=["auto", *engine.ALGORITHMS],
        help="2D convolutions: the chooser's pick per shape (auto, as the page runs) or one forced",
    )
    args = parser.parse_args()
    engine.CHOOSER.force = None if args.algorithm == "auto" else args.algorithm
    names = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in names if t not in DEFAULT_RACES]
    if unknown:
        parser.error(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(DEFAULT_RACES)}")
    if args.steps is not None and args.steps < 1:
        parser.error("--steps must be at least 1")
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads"
        f"{' (set by --threads)' if args.threads is not None else ' (torch default)'}, "
        f"Python {platform.python_version()}, CPU {cpu_model()} ({os.cpu_count()} cores), "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"tasks {', '.join(names)}; 2D convolution algorithm: {args.algorithm}; RSS at start {rss_mib():.1f} MiB"
    )
    print()

    start = time.perf_counter()
    results = [run_task(n, args.steps or DEFAULT_RACES[n].steps, args.seed) for n in names]

    print("one training step per model (forward, backward, Adam update), ms")
    print(f"{'task':<8}{'model':<20}{'median':>8}{'p25':>8}{'p75':>8}{'min':>8}{'max':>8}{'x fastest':>11}")
    for res in results:
        medians = [statistics.median(ts) for _, ts in res["steps"]]
        fastest = min(medians)
        for (code, ts), med in zip(res["steps"], medians, strict=True):
            q1, _, q3 = statistics.quantiles(ts, n=4) if len(ts) >= 2 else (ts[0], ts[0], ts[0])
            print(
                f"{res['name']:<8}{code:<20}{med:>8.2f}{q1:>8.2f}{q3:>8.2f}{min(ts):>8.2f}{max(ts):>8.2f}"
                f"{med / fastest:>10.2f}x"
            )
    print()
    shown = ", ".join(
        f"{r['name']} {r['verdict_s']:.1f} s (at median step times {r['median_s']:.1f} s)"
        f"{'' if r['decided'] else ' undecided'}"
        for r in results
    )
    print(f"time to the whole verdict (target {TARGET_S:.0f} s): {shown}")
    load = os.getloadavg()[0]
    busy = (
        " (above the CPU count: other work shared the CPU, times are inflated)"
        if load > (os.cpu_count() or 1)
        else ""
    )
    print(
        f"threads {torch.get_num_threads()}; whole script {time.perf_counter() - start:.1f} s; "
        f"peak RSS {peak_rss_mib():.1f} MiB; load average {load:.2f}{busy}"
    )


if __name__ == "__main__":
    main()
