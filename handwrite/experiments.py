"""One-click experiments: the lecture's comparisons, each a few short training runs on a
subset of MNIST that end in a plain-words conclusion measured from the runs. Qt-free.

    run = ExperimentRun(EXPERIMENTS["optimizers"], load_mnist())
    for event in run.run():          # VariantStarted, VariantEvent (a trainer event), ...
        ...
    # or: result = yield from run.run() inside another generator
    print(run.result.conclusion)     # "... momentum reached 95% after 437 steps; Adam ..."

An :class:`Experiment` is data: its variants (each a full
:class:`~handwrite.trainer.TrainConfig`) and a function that draws the conclusion from the
:class:`VariantResult`\\ s. Titles, questions, variant labels and conclusions are
:class:`~handwrite.translatable.Phrase`\\ s or templates marked for translation in the context
:data:`handwrite.translatable.EXPERIMENTS`. Each experiment is sized to finish within about
two minutes on a 2-core laptop (``benchmarks/experiments.py`` measures them).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from handwrite.dataset import DataSet
from handwrite.evaluation import evaluate
from handwrite.nn.architectures import CNNDesign, MLPDesign
from handwrite.trainer import (
    BatchDone,
    EpochDone,
    Event,
    Failed,
    Finished,
    LayerStats,
    Started,
    TrainConfig,
    Trainer,
)
from handwrite.translatable import EXPERIMENTS as CONTEXT
from handwrite.translatable import QT_TRANSLATE_NOOP, Phrase

__all__ = [
    "EXPERIMENTS",
    "Experiment",
    "ExperimentEvent",
    "ExperimentResult",
    "ExperimentRun",
    "Variant",
    "VariantEvent",
    "VariantFinished",
    "VariantResult",
    "VariantStarted",
]

#: Training accuracy is judged as the mean over this many consecutive batches.
ACCURACY_WINDOW = 50


def _phrase(template: str, **values: Any) -> Phrase:
    return Phrase(CONTEXT, template, values)


# ---------------------------------------------------------------------------------------
# What an experiment is, and what its runs give
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One run of an experiment: ``key`` (a short identifier), its ``label`` as the window
    shows it (a :class:`Phrase`) and the run's configuration."""

    key: str
    label: Phrase
    config: TrainConfig


@dataclass(frozen=True)
class VariantResult:
    """What one variant's run gave.

    ``train_images``: the images it trained on (the subset less the validation images).
    ``steps``, ``batch_loss``, ``batch_accuracy``: (S,) arrays, one entry per training step
    (int64, float64, float64). ``epoch_*``: one value per epoch (None where the set was
    empty). ``layers`` and ``gradient_norm``: with diagnostics, the indices of the layers
    with parameters and each one's median gradient norm over the run, (L,) float64;
    ``dead_share``: each ReLU layer's mean share of dead units. ``failed``: the trainer's
    message when the run diverged.
    """

    key: str
    label: Phrase
    config: TrainConfig
    train_images: int
    steps: np.ndarray
    batch_loss: np.ndarray
    batch_accuracy: np.ndarray
    epoch_train_loss: tuple[float, ...]
    epoch_train_accuracy: tuple[float, ...]
    epoch_validation_loss: tuple[float | None, ...]
    epoch_validation_accuracy: tuple[float | None, ...]
    epoch_test_loss: tuple[float | None, ...]
    epoch_test_accuracy: tuple[float | None, ...]
    layers: tuple[int, ...]
    gradient_norm: np.ndarray
    dead_share: np.ndarray
    seconds: float
    fitted: float | None = None
    failed: str | None = None
    failed_loss: float = math.nan

    def steps_to(self, accuracy: float, window: int = ACCURACY_WINDOW) -> int | None:
        """The first step at which the mean training accuracy of the last ``window``
        batches reached ``accuracy``; None if it never did."""
        acc = self.batch_accuracy
        if len(acc) < window:
            return None
        means = np.convolve(acc, np.ones(window) / window, mode="valid")
        hit = np.flatnonzero(means >= accuracy - 1e-12)
        return int(self.steps[hit[0] + window - 1]) if hit.size else None

    def best_mean_accuracy(self, window: int = ACCURACY_WINDOW) -> float:
        """The best mean training accuracy over ``window`` consecutive batches (0 when
        the run had fewer batches)."""
        if len(self.batch_accuracy) < window:
            return 0.0
        return float(np.convolve(self.batch_accuracy, np.ones(window) / window, "valid").max())

    @property
    def test_accuracy(self) -> float | None:
        """The test accuracy after the last epoch."""
        return self.epoch_test_accuracy[-1] if self.epoch_test_accuracy else None

    @property
    def train_accuracy(self) -> float | None:
        """The training accuracy of the last epoch (measured during it, with dropout)."""
        return self.epoch_train_accuracy[-1] if self.epoch_train_accuracy else None


@dataclass(frozen=True)
class Experiment:
    """A comparison: ``variants`` trained one after the other, then ``conclude`` draws the
    conclusion from their results. ``name``: the command line's name for it; ``title`` and
    ``question``: texts marked for translation."""

    name: str
    title: str
    question: str
    variants: tuple[Variant, ...]
    conclude: Callable[[dict[str, VariantResult]], Phrase]
    #: Whether to measure each trained network on its own training images (``fitted``).
    measure_fit: bool = False

    def variant(self, key: str) -> Variant:
        return next(v for v in self.variants if v.key == key)


@dataclass(frozen=True)
class ExperimentResult:
    """Every variant's result (by key, in order) and the conclusion drawn from them;
    ``stopped`` when the run was stopped before the end (then there is no conclusion)."""

    experiment: str
    results: dict[str, VariantResult]
    conclusion: Phrase | None
    seconds: float
    stopped: bool = False


# -- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantStarted:
    index: int
    variant: Variant


@dataclass(frozen=True)
class VariantEvent:
    """A trainer event of variant ``index`` (see :mod:`handwrite.trainer`)."""

    index: int
    key: str
    event: Event


@dataclass(frozen=True)
class VariantFinished:
    index: int
    result: VariantResult


ExperimentEvent = VariantStarted | VariantEvent | VariantFinished


# ---------------------------------------------------------------------------------------
# Running one
# ---------------------------------------------------------------------------------------


@dataclass
class _Recorder:
    """Collects one variant's curves from its trainer's events."""

    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    epochs: list[EpochDone] = field(default_factory=list)
    gradients: list[np.ndarray] = field(default_factory=list)
    dead: list[np.ndarray] = field(default_factory=list)
    layers: tuple[int, ...] = ()
    train_images: int = 0
    failed: str | None = None
    failed_loss: float = math.nan

    def add(self, event: Event) -> None:
        if isinstance(event, Started):
            self.train_images = event.train_size
        elif isinstance(event, BatchDone):
            self.steps.append(event.step)
            self.loss.append(event.loss)
            self.accuracy.append(event.accuracy)
        elif isinstance(event, EpochDone):
            self.epochs.append(event)
        elif isinstance(event, LayerStats):
            self.layers = event.layers
            self.gradients.append(event.gradient_norm)
            self.dead.append(event.dead_share)
        elif isinstance(event, Failed):
            self.failed = event.message
            self.failed_loss = event.loss

    def result(
        self, variant: Variant, seconds: float, fitted: float | None = None
    ) -> VariantResult:
        e = self.epochs
        grads = np.concatenate(self.gradients) if self.gradients else np.zeros((0, 0))
        dead = np.concatenate(self.dead) if self.dead else np.zeros((0, 0))
        return VariantResult(
            variant.key,
            variant.label,
            variant.config,
            self.train_images,
            np.asarray(self.steps, np.int64),
            np.asarray(self.loss, np.float64),
            np.asarray(self.accuracy, np.float64),
            tuple(x.train_loss for x in e),
            tuple(x.train_accuracy for x in e),
            tuple(x.validation_loss for x in e),
            tuple(x.validation_accuracy for x in e),
            tuple(x.test_loss for x in e),
            tuple(x.test_accuracy for x in e),
            self.layers,
            np.nanmedian(grads, axis=0) if grads.size else np.zeros(0),
            np.nanmean(dead, axis=0) if dead.size else np.zeros(0),
            seconds,
            fitted,
            self.failed,
            self.failed_loss,
        )


class ExperimentRun:
    """Runs an experiment's variants one after the other on ``data``.

    :meth:`run` is a generator of :class:`ExperimentEvent`\\ s that returns the
    :class:`ExperimentResult` (also kept in :attr:`result`). :meth:`request_stop`,
    :meth:`request_pause` and :meth:`request_resume` may be called from any thread: the
    current variant's trainer acts on them between batches (a stopped experiment runs no
    further variant; a pause carries over to the next variant). ``threads``: CPU threads per
    training step (None: the trainer's default).
    """

    def __init__(self, experiment: Experiment, data: DataSet, *, threads: int | None = None):
        self.experiment = experiment
        self.data = data
        self.threads = threads
        self.result: ExperimentResult | None = None
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._lock = threading.Lock()
        self._trainer: Trainer | None = None

    def request_stop(self) -> None:
        with self._lock:
            self._stop.set()
            if self._trainer is not None:
                self._trainer.request_stop()

    def request_pause(self) -> None:
        with self._lock:
            self._pause.set()
            if self._trainer is not None:
                self._trainer.request_pause()

    def request_resume(self) -> None:
        with self._lock:
            self._pause.clear()
            if self._trainer is not None:
                self._trainer.request_resume()

    @staticmethod
    def _fit(trainer: Trainer) -> float | None:
        """The trained model's accuracy on the images it trained on (inference mode)."""
        n = trainer.train_x.shape[0]
        images = np.asarray(trainer.data.train_images)[:n]
        labels = np.asarray(trainer.data.train_labels)[:n]
        result = evaluate(trainer.model, images, labels, threads=trainer.model.threads)
        return result.accuracy if result is not None else None

    def run(self) -> Generator[ExperimentEvent, None, ExperimentResult]:
        start = time.perf_counter()
        results: dict[str, VariantResult] = {}
        for index, variant in enumerate(self.experiment.variants):
            if self._stop.is_set():
                break
            trainer = Trainer(variant.config, self.data)
            if self.threads is not None:
                trainer.model.threads = self.threads
            with self._lock:
                self._trainer = trainer
                if self._stop.is_set():
                    trainer.request_stop()
                if self._pause.is_set():
                    trainer.request_pause()
            yield VariantStarted(index, variant)
            recorder = _Recorder()
            t0 = time.perf_counter()
            stopped = False
            for event in trainer.run():
                recorder.add(event)
                if isinstance(event, Finished):
                    stopped = event.stopped
                yield VariantEvent(index, variant.key, event)
            if stopped:
                break
            fitted = None
            if self.experiment.measure_fit and recorder.failed is None:
                fitted = self._fit(trainer)
            result = recorder.result(variant, time.perf_counter() - t0, fitted)
            results[variant.key] = result
            yield VariantFinished(index, result)
        with self._lock:
            self._trainer = None
        complete = len(results) == len(self.experiment.variants)
        conclusion = None
        if complete:
            failed = [r for r in results.values() if r.failed is not None]
            conclusion = _failure(failed[0]) if failed else self.experiment.conclude(results)
        self.result = ExperimentResult(
            self.experiment.name,
            results,
            conclusion,
            time.perf_counter() - start,
            stopped=not complete,
        )
        return self.result


_FAILED = QT_TRANSLATE_NOOP(
    "Experiments",
    "The run with {name} diverged (its loss became {loss:.3g}), so this comparison has no "
    "result: its learning rate {lr:g} is too large for this data.",
)


def _failure(result: VariantResult) -> Phrase:
    """The conclusion when a variant diverged."""
    return _phrase(_FAILED, name=result.label, loss=result.failed_loss, lr=result.config.lr)


# ---------------------------------------------------------------------------------------
# The experiments
# ---------------------------------------------------------------------------------------

#: Every experiment's runs evaluate on these first test images (and validate on the last
#: images of their training subset).
TEST_IMAGES = 2000

_BASE = TrainConfig(
    arch="mlp",
    epochs=1,
    batch_size=64,
    optimizer="sgd",
    lr=0.05,
    validation=0,
    test_limit=TEST_IMAGES,
    snapshot_seconds=1.0,
    # The lecture's comparisons are about learning the ten digits (squared error among them,
    # which cannot say "not a digit"): no negatives, each run as the lecture ran it.
    negatives=0.0,
)


def _config(**changes: Any) -> TrainConfig:
    # Not validated here (that builds every network's layers): the trainer does, and a test.
    return dataclasses.replace(_BASE, **changes)


def _pct(value: float | None) -> float:
    return value if value is not None else math.nan


# -- optimizers ---------------------------------------------------------------------------

_OPT_TARGET = 0.95
_OPT_REACHED = QT_TRANSLATE_NOOP("Experiments", "{name} reached {target:.0%} after {steps:,} steps")
_OPT_NOT_REACHED = QT_TRANSLATE_NOOP(
    "Experiments", "{name} did not reach {target:.0%} in {steps:,} steps (it got to {best:.1%})"
)
_OPT_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "Training accuracy over the last 50 batches: {first}; {second}; {third}. "
    "On the test digits: {name1} {test1:.1%}, {name2} {test2:.1%}, {name3} {test3:.1%}.",
)


def _reached(v: VariantResult, target: float) -> Phrase:
    """ "{name} reached 95% after 180 steps", or that it did not."""
    steps = v.steps_to(target)
    if steps is not None:
        return _phrase(_OPT_REACHED, name=v.label, target=target, steps=steps)
    done = int(v.steps[-1]) if len(v.steps) else 0
    return _phrase(
        _OPT_NOT_REACHED, name=v.label, target=target, steps=done, best=v.best_mean_accuracy()
    )


def _conclude_optimizers(r: dict[str, VariantResult]) -> Phrase:
    ranked = sorted(r.values(), key=lambda v: v.steps_to(_OPT_TARGET) or math.inf)
    return _phrase(
        _OPT_CONCLUSION,
        first=_reached(ranked[0], _OPT_TARGET),
        second=_reached(ranked[1], _OPT_TARGET),
        third=_reached(ranked[2], _OPT_TARGET),
        name1=ranked[0].label,
        test1=_pct(ranked[0].test_accuracy),
        name2=ranked[1].label,
        test2=_pct(ranked[1].test_accuracy),
        name3=ranked[2].label,
        test3=_pct(ranked[2].test_accuracy),
    )


_OPTIMIZER_DATA = {"limit": 30_000, "epochs": 3}
OPTIMIZERS = Experiment(
    "optimizers",
    QT_TRANSLATE_NOOP("Experiments", "SGD, momentum and Adam"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "The same network trained by plain gradient descent, by gradient descent with "
        "momentum and by Adam, all from the same initial weights: which learns in the "
        "fewest steps?",
    ),
    (
        Variant(
            "sgd",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "SGD")),
            _config(optimizer="sgd", lr=0.05, **_OPTIMIZER_DATA),
        ),
        Variant(
            "momentum",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "momentum")),
            _config(optimizer="momentum", lr=0.05, **_OPTIMIZER_DATA),
        ),
        Variant(
            "adam",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "Adam")),
            _config(optimizer="adam", lr=0.001, **_OPTIMIZER_DATA),
        ),
    ),
    _conclude_optimizers,
)


# -- sigmoid versus ReLU --------------------------------------------------------------------

_DEEP = (100, 100, 100, 100, 100)
_ACT_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "In the sigmoid network the first layer's gradient was {sigmoid_ratio:,.0f} times smaller "
    "than the last layer's (median over the run): the gradient vanishes on its way back "
    "through the layers. In the ReLU network the first layer's was {relu_ratio:.2g} times the "
    "last's. After {steps:,} steps the sigmoid network recognised {sigmoid_test:.1%} of the "
    "test digits, the ReLU network {relu_test:.1%}.",
)


def _first_to_last(v: VariantResult) -> float:
    g = v.gradient_norm
    return float(g[0] / g[-1]) if g.size >= 2 and g[-1] > 0 else math.nan


def _conclude_activations(r: dict[str, VariantResult]) -> Phrase:
    sig, relu = r["sigmoid"], r["relu"]
    ratio = _first_to_last(sig)
    return _phrase(
        _ACT_CONCLUSION,
        sigmoid_ratio=1 / ratio if ratio > 0 else math.inf,
        relu_ratio=_first_to_last(relu),
        steps=int(sig.steps[-1]) if len(sig.steps) else 0,
        sigmoid_test=_pct(sig.test_accuracy),
        relu_test=_pct(relu.test_accuracy),
    )


_ACT_DATA = {
    "limit": 20_000,
    "epochs": 3,
    "diagnostics": True,
    "diagnostics_every": 1,  # every step: the medians do not depend on the machine's speed
    "lr": 0.1,
}
ACTIVATIONS = Experiment(
    "activations",
    QT_TRANSLATE_NOOP("Experiments", "Sigmoid or ReLU in a deep network"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "Two networks of five hidden layers of 100 units, trained by plain SGD: one with the "
        "sigmoid function, one with ReLU. How large are the gradients that reach the first "
        "layers?",
    ),
    (
        Variant(
            "sigmoid",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "sigmoid")),
            _config(
                architecture=MLPDesign(hidden=_DEEP, activation="sigmoid").architecture(),
                **_ACT_DATA,
            ),
        ),
        Variant(
            "relu",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "ReLU")),
            _config(
                architecture=MLPDesign(hidden=_DEEP, activation="relu").architecture(),
                **_ACT_DATA,
            ),
        ),
    ),
    _conclude_activations,
)


# -- squared error versus cross-entropy ------------------------------------------------------

_LOSS_TARGET = 0.95
_LOSS_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "Training accuracy over the last 50 batches: {first}; {second}. On the test digits: "
    "cross-entropy {ce_test:.1%}, squared error {se_test:.1%}. Squared error fits all ten "
    "outputs to 0 and 1 as a regression; cross-entropy only asks the right digit's "
    "probability to grow.",
)


def _conclude_losses(r: dict[str, VariantResult]) -> Phrase:
    ce, se = r["cross_entropy"], r["squared_error"]
    ranked = sorted((ce, se), key=lambda v: v.steps_to(_LOSS_TARGET) or math.inf)
    return _phrase(
        _LOSS_CONCLUSION,
        first=_reached(ranked[0], _LOSS_TARGET),
        second=_reached(ranked[1], _LOSS_TARGET),
        ce_test=_pct(ce.test_accuracy),
        se_test=_pct(se.test_accuracy),
    )


_LOSS_DATA = {"limit": 30_000, "epochs": 3, "optimizer": "sgd", "lr": 0.1}
LOSSES = Experiment(
    "losses",
    QT_TRANSLATE_NOOP("Experiments", "Squared error or cross-entropy"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "The same network trained to minimise the squared error of its outputs against the "
        "one-hot targets, or the softmax cross-entropy: which learns to classify faster?",
    ),
    (
        Variant(
            "squared_error",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "squared error")),
            _config(architecture=MLPDesign(loss="squared_error").architecture(), **_LOSS_DATA),
        ),
        Variant(
            "cross_entropy",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "cross-entropy")),
            _config(architecture=MLPDesign().architecture(), **_LOSS_DATA),
        ),
    ),
    _conclude_losses,
)


# -- batch gradient descent versus mini-batch SGD ----------------------------------------------

_BATCH_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "In {epochs} passes over the same {images:,} images, mini-batch SGD ({batch} images a "
    "step) took {mini_steps:,} steps and recognised {mini_test:.1%} of the test digits; batch "
    "gradient descent took {epochs} steps, one per pass, and recognised {full_test:.1%}. "
    "Each of its steps cost as much as {ratio:,.0f} mini-batch steps.",
)


def _conclude_batch(r: dict[str, VariantResult]) -> Phrase:
    full, mini = r["batch"], r["minibatch"]
    mini_steps = int(mini.steps[-1]) if len(mini.steps) else 0
    full_steps = int(full.steps[-1]) if len(full.steps) else 0
    return _phrase(
        _BATCH_CONCLUSION,
        epochs=full.config.epochs,
        images=full.train_images,
        batch=mini.config.batch_size,
        mini_steps=mini_steps,
        mini_test=_pct(mini.test_accuracy),
        full_test=_pct(full.test_accuracy),
        ratio=mini_steps / max(full_steps, 1),
    )


_BATCH_DATA = {"limit": 10_000, "epochs": 20, "optimizer": "sgd", "lr": 0.1}
BATCH = Experiment(
    "batch",
    QT_TRANSLATE_NOOP("Experiments", "Batch gradient descent or mini-batch SGD"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "Gradient descent on the whole training set at once (one step per pass) against "
        "stochastic gradient descent on mini-batches of 64 images, for the same number of "
        "passes over the data.",
    ),
    (
        Variant(
            "batch",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "batch gradient descent")),
            _config(batch_size=0, **_BATCH_DATA),
        ),
        Variant(
            "minibatch",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "mini-batch SGD")),
            _config(batch_size=64, **_BATCH_DATA),
        ),
    ),
    _conclude_batch,
)


# -- dropout against overfitting ----------------------------------------------------------------

_DROP_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "Without dropout the network recognised {plain_fit:.1%} of its {images:,} training images "
    "but only {plain_test:.1%} of new digits, a gap of {plain_gap:.1f} points, and its loss "
    "on new digits rose from {plain_best:.3f} (epoch {plain_epoch}) to {plain_last:.3f}: it "
    "learned its training images by heart. With dropout: {drop_fit:.1%} of the training "
    "images, {drop_test:.1%} of new digits, a gap of {drop_gap:.1f} points.",
)


def _conclude_dropout(r: dict[str, VariantResult]) -> Phrase:
    plain, drop = r["plain"], r["dropout"]
    losses = [x if x is not None else math.inf for x in plain.epoch_test_loss]
    best = int(np.argmin(losses)) if losses else 0
    return _phrase(
        _DROP_CONCLUSION,
        images=plain.train_images,
        plain_fit=_pct(plain.fitted),
        plain_test=_pct(plain.test_accuracy),
        plain_gap=100 * (_pct(plain.fitted) - _pct(plain.test_accuracy)),
        plain_best=losses[best] if losses else math.nan,
        plain_epoch=best + 1,
        plain_last=losses[-1] if losses else math.nan,
        drop_fit=_pct(drop.fitted),
        drop_test=_pct(drop.test_accuracy),
        drop_gap=100 * (_pct(drop.fitted) - _pct(drop.test_accuracy)),
    )


_WIDE = (400, 400)
_DROP_DATA = {
    "limit": 1_000,
    "epochs": 30,
    "optimizer": "momentum",
    "lr": 0.05,
    "batch_size": 50,
}
DROPOUT = Experiment(
    "dropout",
    QT_TRANSLATE_NOOP("Experiments", "Dropout against overfitting"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "A large network trained for many passes over only 1,000 images learns them by heart "
        "and does worse on new ones. Does dropout (half the hidden units switched off at "
        "random in each step) cure it?",
    ),
    (
        Variant(
            "plain",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "without dropout")),
            _config(architecture=MLPDesign(hidden=_WIDE).architecture(), **_DROP_DATA),
        ),
        Variant(
            "dropout",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "with dropout")),
            _config(
                architecture=MLPDesign(
                    hidden=_WIDE, dropout=0.5, dropout_at="hidden"
                ).architecture(),
                **_DROP_DATA,
            ),
        ),
    ),
    _conclude_dropout,
    measure_fit=True,
)


# -- augmentation ---------------------------------------------------------------------------------

_AUG_CONCLUSION = QT_TRANSLATE_NOOP(
    "Experiments",
    "Trained on {images:,} images for {epochs} epochs, the network recognised {plain_test:.1%} "
    "of the test digits without augmentation and {aug_test:.1%} with it: {change}. On its "
    "own training images: {plain_fit:.1%} without augmentation, {aug_fit:.1%} with it.",
)
_FEWER = QT_TRANSLATE_NOOP("Experiments", "{share:.0%} fewer errors")
_MORE = QT_TRANSLATE_NOOP("Experiments", "{share:.0%} more errors")


def _conclude_augmentation(r: dict[str, VariantResult]) -> Phrase:
    plain, aug = r["plain"], r["augmented"]
    plain_err = 1 - _pct(plain.test_accuracy)
    aug_err = 1 - _pct(aug.test_accuracy)
    share = (plain_err - aug_err) / plain_err if plain_err > 0 else 0.0
    change = _phrase(_FEWER if share >= 0 else _MORE, share=abs(share))
    return _phrase(
        _AUG_CONCLUSION,
        images=plain.train_images,
        epochs=plain.config.epochs,
        plain_test=_pct(plain.test_accuracy),
        aug_test=_pct(aug.test_accuracy),
        change=change,
        plain_fit=_pct(plain.fitted),
        aug_fit=_pct(aug.fitted),
    )


_SMALL_CNN = CNNDesign(channels=(16, 32), hidden=(64,), dropout=0.0).architecture()
_AUG_DATA = {
    "limit": 2_000,
    "epochs": 12,
    "optimizer": "adam",
    "lr": 0.002,
    "schedule": "onecycle",
    "architecture": _SMALL_CNN,
}
AUGMENTATION = Experiment(
    "augmentation",
    QT_TRANSLATE_NOOP("Experiments", "With or without augmentation"),
    QT_TRANSLATE_NOOP(
        "Experiments",
        "A small convolutional network trained on 2,000 images as they are, or on copies "
        "randomly rotated, scaled, sheared and shifted anew in every epoch.",
    ),
    (
        Variant(
            "plain",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "without augmentation")),
            _config(**_AUG_DATA),
        ),
        Variant(
            "augmented",
            _phrase(QT_TRANSLATE_NOOP("Experiments", "with augmentation")),
            _config(augment=True, **_AUG_DATA),
        ),
    ),
    _conclude_augmentation,
    measure_fit=True,
)


#: Every experiment by its name, in the lecture's order.
EXPERIMENTS: dict[str, Experiment] = {
    e.name: e for e in (OPTIMIZERS, ACTIVATIONS, LOSSES, BATCH, DROPOUT, AUGMENTATION)
}
