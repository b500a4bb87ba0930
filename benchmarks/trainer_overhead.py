"""What the trainer adds to the core's own steps: :class:`handwrite.trainer.Trainer` against
bare ``model.train_step`` + ``optimizer.step()`` calls, in one process.

For each model (``mlp``, ``cnn``) and batch size, all train the same architecture with Adam
(lr 1e-3) on the same MNIST-shaped data, 60,000 images as MNIST's training set. The bare loop
takes contiguous slices of the preloaded images, and a second bare loop gathers its batches
in a shuffled order, as the trainer (and any training loop) must; the trainer does its whole
job per step (shuffled batches, the divergence guard, the events, the history) with the
per-layer diagnostics switched on, and its consumer only counts the events. Each loop runs
as three instances (``--instances``; where an instance's arrays land in memory moves its
speed by several percent), and a round times the same number of steps of every instance,
each in each place of the round in turn, a loop's time being its instances' mean; no round
crosses the end of a trainer's epoch (whose evaluation is not a step's cost). Prints, per
row, the median milliseconds per step and the median of the rounds' ratios trainer / bare
and trainer / shuffled bare (1.05: the trainer adds 5%) with its 95% bootstrap interval, by
the wall clock and by the process's CPU time (which counts the gathering thread's work
too); ``--json`` adds each loop's fastest round against the other's (other work on the
machine only ever adds time). On a machine shared with other work single rounds spread by
10-30%: the many short rounds are what make the median trustworthy.

    python benchmarks/trainer_overhead.py
    python benchmarks/trainer_overhead.py --models mlp --batch-sizes 64 --rounds 9 --json

``--gather`` measures instead the trainer against itself: its batches gathered ahead on a
worker thread (:mod:`handwrite.batches`) against each gathered at its step, alternating
rounds, whatever the step leaves free (the trainer itself gathers ahead only where the step
leaves a core free):

    OPENBLAS_NUM_THREADS=1 python benchmarks/trainer_overhead.py --models mlp --gather
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

import handwrite.trainer as trainer_module
from handwrite.nn import make_optimizer, presets
from handwrite.trainer import ArrayData, BatchDone, TrainConfig, Trainer

#: The images the loops train on: as many as MNIST's training digits.
TRAIN_IMAGES = 60000


def synthetic_images(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-shaped data: (n, 28, 28) uint8 with a fifth of the pixels lit, (n,) labels."""
    rng = np.random.default_rng(seed)
    images = np.where(rng.random((n, 28, 28)) > 0.8, 255, 0).astype(np.uint8)
    return images, rng.integers(0, 10, n).astype(np.uint8)


class Bare:
    """The core alone: zero_grad, train_step, step on consecutive slices (``shuffled``: on
    batches gathered in a shuffled order, as any training loop must)."""

    def __init__(
        self,
        arch: str,
        batch: int,
        images: np.ndarray,
        labels: np.ndarray,
        shuffled: bool = False,
    ) -> None:
        self.model = presets.build(arch).train()
        self.optimizer = make_optimizer("adam", self.model.parameters(), 1e-3)
        self.x = self.model.prepare_input(images)
        self.t = labels.astype(np.int64)
        self.batch = batch
        self.pos = 0
        self.order = np.random.default_rng(0).permutation(len(labels)) if shuffled else None

    def run(self, steps: int) -> tuple[float, float]:
        """Train ``steps`` batches; the wall-clock and CPU seconds taken."""
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            if self.pos + self.batch > len(self.t):
                self.pos = 0
            if self.order is None:
                xb = self.x[self.pos : self.pos + self.batch]
                tb = self.t[self.pos : self.pos + self.batch]
            else:
                idx = self.order[self.pos : self.pos + self.batch]
                xb, tb = np.take(self.x, idx, axis=0), np.take(self.t, idx)
            self.pos += self.batch
            self.optimizer.zero_grad()
            self.model.train_step(xb, tb)
            self.optimizer.step()
        return time.perf_counter() - start, time.process_time() - cpu


class WithTrainer:
    """The trainer's generator, advanced ``steps`` batches at a time; ``ahead`` (True or
    False) overrides its choice of gathering the batches ahead."""

    def __init__(self, config: TrainConfig, data: ArrayData, ahead: bool | None = None) -> None:
        self.trainer = Trainer(config, data)
        self.events: Iterator[Any] = self.trainer.run()
        self.batches_per_epoch = self.trainer.batches_per_epoch
        self.done = 0
        if ahead is not None:
            # The trainer decides when its run starts (the first event): as if a core were
            # free for the worker, or none.
            cores = trainer_module.available_cores
            trainer_module.available_cores = lambda: 1_000_000 if ahead else 1
            try:
                next(self.events)
            finally:
                trainer_module.available_cores = cores

    def run(self, steps: int) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        seen = 0
        for event in self.events:
            if isinstance(event, BatchDone):
                seen += 1
                if seen == steps:
                    break
        self.done += steps
        return time.perf_counter() - start, time.process_time() - cpu

    def skip_to_next_epoch(self) -> None:
        """Run on to the first step of the next epoch (untimed)."""
        for event in self.events:
            if isinstance(event, BatchDone) and event.batch == 0:
                self.done = 1
                return

    def room(self) -> int:
        """Steps left in this epoch."""
        return self.batches_per_epoch - self.done % self.batches_per_epoch


def median_interval(values: list[float], draws: int = 2000) -> list[float]:
    """The 95% bootstrap interval of the median of ``values`` (seeded: the same values give
    the same interval)."""
    rng = np.random.default_rng(0)
    a = np.asarray(values)
    medians = np.median(rng.choice(a, (draws, len(a))), axis=1)
    return [round(float(v), 4) for v in np.percentile(medians, [2.5, 97.5])]


def trainer_config(arch: str, batch: int, args: argparse.Namespace) -> TrainConfig:
    """The trainer's settings for ``arch`` at ``batch``: Adam at 1e-3, no validation split."""
    return TrainConfig(
        arch=arch,
        epochs=100,
        batch_size=batch,
        optimizer="adam",
        lr=1e-3,
        validation=0,
        diagnostics=not args.no_diagnostics,
        # The bare loops train the ten digits alone: so does the trainer here (negatives
        # would add a third more images to each step, work and not overhead).
        negatives=0.0,
    )


def measure(arch: str, batch: int, args: argparse.Namespace) -> dict[str, Any]:
    steps = args.steps or max(5, (1000 if arch == "cnn" else 16000) // batch)
    warmup = max(2, steps // 5)
    images, labels = synthetic_images(TRAIN_IMAGES)
    data = ArrayData(images, labels, images[:100], labels[:100])
    config = trainer_config(arch, batch, args)
    # Several instances of each loop: where an instance's arrays land in memory moves its
    # speed (two identical trainers in one process have read 8% apart), so each round's
    # time for a loop is the mean over its instances.
    runners: dict[str, list[Bare | WithTrainer]] = {
        "bare": [Bare(arch, batch, images, labels) for _ in range(args.instances)],
        "shuffled": [
            Bare(arch, batch, images, labels, shuffled=True) for _ in range(args.instances)
        ],
        "trainer": [WithTrainer(config, data) for _ in range(args.instances)],
    }
    for group in runners.values():
        for runner in group:
            runner.run(warmup)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
    turns = [(name, runner) for name, group in runners.items() for runner in group]
    for k in range(args.rounds):
        spent: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
        # Each runs in each place of the round in turn: none always follows the same one.
        at = k % len(turns)
        for name, runner in turns[at:] + turns[:at]:
            if isinstance(runner, WithTrainer) and runner.room() < steps:
                runner.skip_to_next_epoch()
            spent[name].append(runner.run(steps))
        for name, pairs in spent.items():
            times[name].append(
                (statistics.fmean(p[0] for p in pairs), statistics.fmean(p[1] for p in pairs))
            )
    row: dict[str, Any] = {
        "model": arch,
        "batch": batch,
        "steps_per_round": steps,
        "instances": args.instances,
    }
    for k, clock in enumerate(("wall", "cpu")):
        per_step = {name: [t[k] / steps for t in ts] for name, ts in times.items()}
        for name, values in per_step.items():
            row[f"{name}_ms_{clock}"] = 1e3 * statistics.median(values)
        for base in ("bare", "shuffled"):
            ratios = [t / b for t, b in zip(per_step["trainer"], per_step[base], strict=True)]
            suffix = "" if base == "bare" else "_shuffled"
            row[f"ratio{suffix}_{clock}"] = statistics.median(ratios)
            row[f"ratios{suffix}_{clock}"] = [round(r, 4) for r in ratios]
            row[f"ci{suffix}_{clock}"] = median_interval(ratios)
            # Other work on the machine only ever adds time: each loop's fastest round is
            # the closest to its own cost.
            row[f"ratio_fastest{suffix}_{clock}"] = min(per_step["trainer"]) / min(per_step[base])
    trained = runners["trainer"][0]
    assert isinstance(trained, WithTrainer)
    diagnostics = trained.trainer._diagnostics
    row["diagnostics_every"] = diagnostics.every if diagnostics is not None else None
    return row


def measure_gather(arch: str, batch: int, args: argparse.Namespace) -> dict[str, Any]:
    """The trainer with its batches gathered ahead against at each step (``--gather``)."""
    steps = args.steps or max(5, (2000 if arch == "cnn" else 20000) // batch)
    images, labels = synthetic_images(55000)
    data = ArrayData(images, labels, images[:100], labels[:100])
    config = trainer_config(arch, batch, args)
    runners = {"ahead": WithTrainer(config, data, True), "step": WithTrainer(config, data, False)}
    for runner in runners.values():
        runner.run(max(2, steps // 5))
    times: dict[str, list[float]] = {"ahead": [], "step": []}
    for _ in range(args.rounds):
        for name, runner in runners.items():
            if runner.room() < steps:
                runner.skip_to_next_epoch()
            times[name].append(runner.run(steps)[0] / steps)
    ratios = [a / b for a, b in zip(times["ahead"], times["step"], strict=True)]
    return {
        "model": arch,
        "batch": batch,
        "ahead_ms": 1e3 * statistics.median(times["ahead"]),
        "step_ms": 1e3 * statistics.median(times["step"]),
        "ratio": statistics.median(ratios),
        "ratios": [round(r, 4) for r in ratios],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn"], choices=["mlp", "cnn"])
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[64, 128])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument(
        "--instances", type=int, default=3, help="instances of each loop, averaged per round"
    )
    parser.add_argument("--steps", type=int, default=0, help="steps per round (default: auto)")
    parser.add_argument(
        "--no-diagnostics", action="store_true", help="measure the trainer without them"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--gather",
        action="store_true",
        help="the trainer's batches gathered ahead against at each step",
    )
    args = parser.parse_args(argv)
    if args.gather:
        rows = [measure_gather(m, b, args) for m in args.models for b in args.batch_sizes]
        if args.json:
            print(json.dumps({"rows": rows}, indent=2))
            return 0
        print("| model | batch | ahead (ms/step) | at each step (ms/step) | ahead / at each step |")
        print("|---|---:|---:|---:|---:|")
        for r in rows:
            print(
                f"| {r['model']} | {r['batch']} | {r['ahead_ms']:.2f} | {r['step_ms']:.2f} | "
                f"{r['ratio']:.3f} ({min(r['ratios']):.2f}-{max(r['ratios']):.2f}) |"
            )
        return 0
    rows = [measure(m, b, args) for m in args.models for b in args.batch_sizes]
    info = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "numpy": np.__version__,
        "diagnostics": not args.no_diagnostics,
    }
    if args.json:
        print(json.dumps({"info": info, "rows": rows}, indent=2))
        return 0
    print(f"# {info['machine']}; numpy {info['numpy']}; diagnostics {info['diagnostics']}")
    print(
        "| model | batch | bare ms/step | trainer ms/step | trainer / bare (wall) | (CPU) "
        "| trainer / bare shuffled (wall) | (CPU) | measured every |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def cell(r: dict[str, Any], key: str) -> str:
        low, high = r[f"ci{key}"]
        return f"{r[f'ratio{key}']:.3f} ({low:.3f}-{high:.3f})"

    for r in rows:
        print(
            f"| {r['model']} | {r['batch']} | {r['bare_ms_wall']:.2f} | "
            f"{r['trainer_ms_wall']:.2f} | {cell(r, '_wall')} | {cell(r, '_cpu')} | "
            f"{cell(r, '_shuffled_wall')} | {cell(r, '_shuffled_cpu')} | "
            f"{r['diagnostics_every']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
