"""The training loop: a Qt-free generator of events.

    trainer = Trainer(TrainConfig(arch="cnn", epochs=3), data)
    for event in trainer.run():
        ...   # BatchDone, EpochDone, Snapshot, Paused, Resumed, Finished or Failed
              # (and with diagnostics, LayerStats and WeightHistograms)

The command line prints the events with progress bars; the window's worker thread re-emits
them as Qt signals. :meth:`Trainer.request_stop` and :meth:`Trainer.request_pause` may be
called from any thread: they take effect between batches.

Training is reproducible and resumable exactly: the shuffle of each epoch, the dropout masks,
the augmentations and the negatives of each batch are drawn from generators seeded by
``(seed, epoch, batch)``, so a checkpoint only needs the weights, the optimizer state and the
position.

**Learning to say "not a digit".** With ``negatives`` above 0 (the default) the network gets
an 11th output, "not a digit", and every batch adds that share of drawings that are not
digits (:func:`handwrite.negatives.training_bank`, the same for every run on the same digits)
labelled with it; ``pen_look`` redraws a share of each batch's digits as pen strokes
(:class:`handwrite.penlook.PenLookAugment`). After every epoch the refusal is fitted on the
validation digits (:meth:`handwrite.refusal.Refusal.fit`): the temperature that makes the
probabilities honest, and the threshold that refuses ``refusal_rate`` of them. A run
without validation digits holds out :data:`REFUSAL_VALIDATION` training digits for it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import math
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from handwrite.augment import AugmentConfig, augment
from handwrite.batches import Batches
from handwrite.bounds import Bounds
from handwrite.dataset import ArrayData, DataSet
from handwrite.diagnostics import (
    STATS_SECONDS,
    DiagnosticsRecorder,
    LayerStats,
    WeightHistograms,
)
from handwrite.evaluation import evaluate, evaluate_steps
from handwrite.modelfile import read_model_file
from handwrite.negatives import training_bank
from handwrite.nn import presets
from handwrite.nn.architectures import (
    ArchitectureError,
    CNNDesign,
    check_architecture,
    with_not_a_digit_output,
)
from handwrite.nn.backend import device_name, get_backend
from handwrite.nn.layers import RandomLayer
from handwrite.nn.model import Model
from handwrite.nn.optim import DEFAULT_LR, OPTIMIZERS, Optimizer, OptimizerState, make_optimizer
from handwrite.nn.parallel import available_cores
from handwrite.penlook import PenLookAugment
from handwrite.refusal import DIGIT_CLASSES, REFUSING_CLASSES, Refusal
from handwrite.translatable import (
    QT_TRANSLATE_NOOP,
    Phrase,
    TranslatableError,
    error_phrase,
    phrase_of,
    verbatim,
)

__all__ = [
    "SCHEDULES",
    "SETTING_BOUNDS",
    "START_CONFIG",
    "START_NETWORK",
    "ArrayData",
    "BatchDone",
    "Bounds",
    "Checkpoint",
    "DataSet",
    "EpochDone",
    "PEN_LOOK_DIGITS",
    "REFUSAL_VALIDATION",
    "Event",
    "Failed",
    "Finished",
    "History",
    "LayerStats",
    "Paused",
    "Resumed",
    "Snapshot",
    "Started",
    "TrainConfig",
    "Trainer",
    "TrainingError",
    "WeightHistograms",
    "learning_rate",
    "negative_source",
]

SCHEDULES = ("constant", "onecycle", "cosine")

#: A batch loss above this multiple of the run's first loss (or of 1, if larger) counts as
#: divergence, like a NaN or infinite loss: a learning rate far too large makes the loss
#: explode by orders of magnitude long before it overflows.
DIVERGENCE_FACTOR = 50.0

#: The divergence guard copies the weights and optimizer state every this many steps (and
#: when the loss rises sharply, see :data:`RISE_FACTOR`): a failed run falls back to the
#: newest copy. A copy every step would cost a small model a good share of its step.
BACKUP_EVERY = 100
#: A batch loss above this multiple of the running mean of the losses (and above it by
#: :data:`RISE_MIN` at least, so that the noise of small losses does not count) takes a copy
#: at once: a run that starts to diverge keeps the weights from the start of the rise.
RISE_FACTOR = 3.0
RISE_MIN = 1.0

#: Batch losses kept in a model file's curves (evenly thinned beyond this).
MAX_HISTORY_BATCHES = 5000


class TrainingError(TranslatableError):
    """Training cannot start or continue (bad settings, a checkpoint that does not fit, ...)."""


#: The accepted values of the numeric training settings: :meth:`TrainConfig.validate`
#: enforces them, and the window's controls and remembered settings use the same ones.
#:
#: - ``lr``: below 1e-5 a run of this program's length hardly moves the weights. Above 1 the
#:   steps already overshoot for every preset, but a learning rate too large is a lesson the
#:   window teaches: the trainer stops a diverging run and says so. The upper end only refuses
#:   numbers that are no learning rate at all.
#: - ``epochs``: 1,000 passes over MNIST are days of CPU time; more is a typing error.
#: - ``batch_size``: MNIST has 60,000 training images; a larger batch is the whole set, which
#:   ``batch_size=0`` asks for (batch gradient descent).
#: - ``limit`` (training images used): MNIST's 60,000 at most; None uses them all.
#: - ``dropout``: beyond 0.9 fewer than one unit in ten carries the signal and the network
#:   stops learning.
#: - ``momentum``: below 1, or the velocity would never forget a gradient.
#: - ``weight_decay``: the usual values are 1e-5 to 1e-3; at 0.1 the decay already
#:   outweighs the loss's gradient and pulls every weight to 0.
#: - ``snapshot_seconds``: how often the weights are sent to the window; an hour is never.
#: - ``negatives``: negatives per batch as a share of its digits; beyond 2 the batches are
#:   mostly negatives and the digits learn slowly.
#: - ``pen_look``: a share of the digits.
#: - ``refusal_rate``: the share of validation digits refused; beyond a fifth the model
#:   refuses what it should read.
SETTING_BOUNDS: dict[str, Bounds] = {
    "lr": Bounds(1e-5, 1000.0),
    "epochs": Bounds(1, 1000, integer=True),
    "batch_size": Bounds(1, 60_000, integer=True),
    "limit": Bounds(1, 60_000, integer=True),
    "dropout": Bounds(0.0, 0.9),
    "momentum": Bounds(0.0, 0.999),
    "weight_decay": Bounds(0.0, 0.1),
    "snapshot_seconds": Bounds(0.0, 3600.0),
    "negatives": Bounds(0.0, 2.0),
    "pen_look": Bounds(0.0, 1.0),
    "refusal_rate": Bounds(0.0, 0.2),
}

#: Training digits a run with negatives but no validation digits holds out anyway, to fit
#: its refusal (the last ones of the training set, as validation digits are).
REFUSAL_VALIDATION = 1000
#: Training digits traced for the pen-look augmentation (a seeded choice among them all):
#: tracing costs a few milliseconds a digit, and each is redrawn with a new pen every time.
PEN_LOOK_DIGITS = 2000
#: What a checkpoint written before these settings existed trained with.
_SETTINGS_BEFORE_REFUSAL = {"negatives": 0.0, "pen_look": 0.0}


def _short(value: Any) -> str:
    """``repr(value)`` cut to a length fit for an error message (values come from files)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run. Validated by :meth:`validate`."""

    arch: str = presets.DEFAULT_PRESET
    epochs: int = 3
    batch_size: int = 64  # 0: the whole training set as one batch (batch gradient descent)
    optimizer: str = "adam"
    lr: float = DEFAULT_LR["adam"]
    momentum: float = 0.9
    weight_decay: float = 0.0
    dropout: float | None = None  # None: the preset's own rate
    schedule: str = "constant"
    augment: bool = False
    elastic: bool = False
    validation: int = 5000  # images held out of the training set (at most a tenth of it)
    limit: int | None = None  # train on the first N training images only
    test_limit: int | None = None  # evaluate on the first N test images only
    seed: int = 0
    device: str = "cpu"
    snapshot_seconds: float = 0.5
    #: Your own network: an architecture JSON as model files hold it (see
    #: :mod:`handwrite.nn.architectures`, whose designs write one); None trains the preset
    #: ``arch``. Treated as read-only.
    architecture: dict[str, Any] | None = None
    #: Per-layer diagnostics: :class:`~handwrite.diagnostics.LayerStats` and
    #: :class:`~handwrite.diagnostics.WeightHistograms` events.
    diagnostics: bool = False
    #: Measure every this many steps; 0: as often as keeps measuring under 1% of the time.
    diagnostics_every: int = 0
    #: Drawings that are not digits added to each batch, as a share of its digits (0.5: 64
    #: with 128 digits). Above 0 the network has the 11th output, "not a digit", and learns
    #: to refuse; 0 trains the ten digits alone, and the model never refuses. A network with
    #: the squared-error loss never learns to refuse (see :attr:`refusing`).
    negatives: float = 0.5
    #: The share of each batch's digits redrawn as pen strokes (uniform round pens, sparse
    #: points), so that the model reads drawings on a canvas as well as scans.
    pen_look: float = 0.0
    #: The share of validation digits the fitted refusal refuses (with ``negatives``).
    refusal_rate: float = 0.003

    def __hash__(self) -> int:
        # The architecture is a dict: hash its JSON, so that configs stay usable as keys.
        return hash(
            tuple(
                json.dumps(v, sort_keys=True) if isinstance(v, dict) else v
                for v in (getattr(self, f.name) for f in dataclasses.fields(self))
            )
        )

    def network(self) -> dict[str, Any]:
        """The architecture JSON this config trains: :attr:`architecture` (checked), or the
        preset ``arch`` with ``dropout``. Raises :class:`TrainingError` for a bad one."""
        if self.architecture is None:
            if self.arch not in presets.PRESETS:
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "unknown architecture {name!r}: use one of {choices}"
                        ),
                        name=self.arch,
                        choices=", ".join(presets.PRESETS),
                    )
                )
            arch = presets.architecture(self.arch, dropout=self.dropout)
        else:
            try:
                arch = check_architecture(self.architecture)
            except ArchitectureError as exc:
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "architecture: {problem}"), problem=exc.phrase
                    )
                ) from None
        if not self.refusing:
            if arch.get("classes") == list(REFUSING_CLASSES):  # an architecture that refused
                return with_not_a_digit_output(arch, refusing=False)
            return arch
        try:
            return with_not_a_digit_output(arch)
        except ArchitectureError as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "architecture: {problem}"), problem=exc.phrase
                )
            ) from None

    @property
    def refusing(self) -> bool:
        """Whether the run trains negatives (the network then learns to refuse): with
        ``negatives`` above 0 and the cross-entropy loss (a network trained with squared
        error has no softmax to say "not a digit" with, and trains the ten digits alone)."""
        loss = (self.architecture or {}).get("loss", "cross_entropy")
        return self.negatives > 0 and loss == "cross_entropy"

    def network_name(self) -> str:
        """What the run trains, in one word: the preset, or the architecture's own name."""
        if self.architecture is None:
            return self.arch
        return str(self.architecture.get("name") or "custom")

    def build_model(self) -> Model:
        """A freshly initialised model of :meth:`network`, seeded by ``seed``, on the CPU."""
        return Model.from_architecture(self.network(), seed=self.seed)

    def validate(self) -> TrainConfig:
        """Returns the config; raises :class:`TrainingError` naming the first bad setting
        and what it accepts (:data:`SETTING_BOUNDS` for the numbers)."""

        def check_int(name: str, low: int) -> None:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{name} must be an integer >= {low}, got {value}"
                        ),
                        name=name,
                        low=low,
                        value=_short(v),
                    )
                )

        def check_bounds(name: str, value: Any) -> None:
            bounds = SETTING_BOUNDS[name]
            if not bounds.admits(value):
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "{name} must be {bounds}, got {value}"),
                        name=name,
                        bounds=bounds.phrase(),
                        value=_short(value),
                    )
                )

        def check_choice(name: str, choices: tuple[str, ...], what: Phrase) -> None:
            v = getattr(self, name)
            if not isinstance(v, str) or v not in choices:
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "unknown {what} {value}: use one of {choices}"),
                        what=what,
                        value=_short(v),
                        choices=", ".join(choices),
                    )
                )

        if self.architecture is None:
            check_choice(
                "arch", presets.PRESETS, error_phrase(QT_TRANSLATE_NOOP("Errors", "architecture"))
            )
        elif self.dropout is not None:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "dropout sets a preset's dropout rate; with your own architecture, set "
                        'the Dropout layers\' "p" in it instead',
                    )
                )
            )
        check_choice(
            "optimizer", OPTIMIZERS, error_phrase(QT_TRANSLATE_NOOP("Errors", "optimizer"))
        )
        check_choice("schedule", SCHEDULES, error_phrase(QT_TRANSLATE_NOOP("Errors", "schedule")))
        if not isinstance(self.device, str):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "device must be a name such as 'cpu', got {value}"),
                    value=_short(self.device),
                )
            )
        for name in ("augment", "elastic"):
            if not isinstance(getattr(self, name), bool):
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "{name} must be true or false, got {value}"),
                        name=name,
                        value=_short(getattr(self, name)),
                    )
                )
        for name in (
            "lr",
            "epochs",
            "momentum",
            "weight_decay",
            "snapshot_seconds",
            "negatives",
            "pen_look",
            "refusal_rate",
        ):
            check_bounds(name, getattr(self, name))
        if self.batch_size != 0 or isinstance(self.batch_size, bool):  # 0: the whole set
            check_bounds("batch_size", self.batch_size)
        for name in ("limit", "dropout"):  # None: all the images, the preset's own dropout
            if getattr(self, name) is not None:
                check_bounds(name, getattr(self, name))
        check_int("validation", 0)
        check_int("seed", 0)
        if self.test_limit is not None:
            check_int("test_limit", 1)
        if not isinstance(self.diagnostics, bool):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{name} must be true or false, got {value}"),
                    name="diagnostics",
                    value=repr(self.diagnostics),
                )
            )
        check_int("diagnostics_every", 0)
        self.network()  # the architecture itself, once every setting it uses is known good
        return self


#: The network the window's Start trains by default: the ``cnn`` design with half its maps
#: (16 and 32) and a light dropout. It costs a third as much per image; in the same time it
#: trains more epochs and ends more accurate than the ``cnn``.
START_NETWORK = CNNDesign(channels=(16, 32), hidden=(128,), dropout=0.1, name="small cnn")

#: The settings the window's Start trains with unless changed: :data:`START_NETWORK` for four
#: epochs with Adam on a one-cycle schedule (Smith & Topin 2019) and augmented images, with the
#: per-layer diagnostics on; 1,000 images held out for the validation curves (enough to see
#: overfitting, and the rest train) and the refusal's fit; a quarter batch of negatives
#: beside each batch of digits (half a batch, as :class:`TrainConfig` has it, misses the
#: accuracy on some seeds in four epochs, and a fifth epoch misses the time).
#: ``benchmarks/default_run.py`` measures them against the goal: at least 99.3% on the MNIST
#: test digits within 90 seconds of training on a 2-core machine, with one core left to the
#: window, refusing at most 0.5% of them. (The command line keeps :class:`TrainConfig`'s own
#: defaults.)
START_CONFIG = TrainConfig(
    architecture=START_NETWORK.architecture(),
    epochs=4,
    batch_size=128,
    optimizer="adam",
    lr=0.004,
    schedule="onecycle",
    augment=True,
    validation=1000,
    diagnostics=True,
    negatives=0.25,
)


# ---------------------------------------------------------------------------------------
# Events (frozen: they cross threads)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    config: TrainConfig
    train_size: int
    validation_size: int
    test_size: int
    batches_per_epoch: int
    total_batches: int
    start_step: int  # > 0 when resuming
    device_name: str


@dataclass(frozen=True)
class BatchDone:
    epoch: int  # 0-based
    batch: int  # 0-based, within the epoch
    batches_per_epoch: int
    step: int  # batches done since the run began, over all epochs (1-based)
    total_batches: int
    loss: float
    accuracy: float  # on this batch, with dropout active
    lr: float
    images_per_second: float
    eta_seconds: float

    @property
    def progress(self) -> float:
        return self.step / self.total_batches if self.total_batches else 1.0


@dataclass(frozen=True)
class EpochDone:
    epoch: int  # 0-based
    epochs: int
    train_loss: float
    train_accuracy: float
    validation_loss: float | None
    validation_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    seconds: float
    confusion: np.ndarray | None = None  # (10, 10) test confusion, rows = true class
    test_probabilities: np.ndarray | None = None  # (N_test, 10) float32, for drilling down
    #: The refusal fitted after this epoch (None: the model never refuses); the model's
    #: :attr:`~handwrite.nn.model.Model.refusal`, which the snapshots' weights go with.
    refusal: Refusal | None = None
    #: With a refusal: the share of test digits refused, the accuracy among the rest, and
    #: the expected calibration error of the test probabilities.
    test_refusal_rate: float | None = None
    test_accepted_accuracy: float | None = None
    test_calibration_error: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """Host (NumPy) copies of the weights, for a model in another thread."""

    step: int
    epoch: int
    state: dict[str, np.ndarray]


@dataclass(frozen=True)
class Paused:
    step: int


@dataclass(frozen=True)
class Resumed:
    step: int


@dataclass(frozen=True)
class Finished:
    stopped: bool  # True when stopped early by request
    step: int
    epochs_done: int
    seconds: float
    summary: dict[str, Any]
    #: The model's refusal at the end (None: it never refuses), fitted to the final weights.
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Failed:
    """The run ended with a problem: ``message`` in English (what the command line prints),
    ``phrase`` the same message translatable (when none is given, the message as it is)."""

    message: str
    diverged: bool  # the loss or gradient became NaN or infinite (or the loss exploded);
    # the weights that last gave a finite loss were kept
    step: int
    loss: float = math.nan  # with ``diverged``: the loss (or gradient norm) that ended it
    phrase: Phrase | None = None

    def __post_init__(self) -> None:
        if self.phrase is None:
            object.__setattr__(self, "phrase", verbatim(self.message))


Event = (
    Started
    | BatchDone
    | EpochDone
    | Snapshot
    | Paused
    | Resumed
    | Finished
    | Failed
    | LayerStats
    | WeightHistograms
)


# ---------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------


def negative_source(data: DataSet) -> tuple[np.ndarray, np.ndarray]:
    """The digits a run's negatives are made from (:func:`handwrite.negatives.training_bank`):
    the first nine tenths of ``data``'s ``negative_source`` when it names one (see
    :class:`~handwrite.dataset.ArrayData`), else of its training set. Validation digits come
    from the last tenth at most, so none is among them, and every run on MNIST (the window's,
    the command line's, any ``limit`` or validation size, fine-tuning) gets the same bank."""
    source = getattr(data, "negative_source", None)
    images, labels = source if source is not None else (data.train_images, data.train_labels)
    keep = len(labels) - len(labels) // 10
    return np.asarray(images)[:keep], np.asarray(labels)[:keep]


def learning_rate(schedule: str, base: float, step: int, total: int) -> float:
    """The learning rate for 0-based ``step`` of ``total``.

    ``onecycle`` (Smith & Topin 2019): cosine warm-up from base/25 to base over the first 30%
    of steps, then cosine annealing to base/1e4. ``cosine``: from base down to base/100.
    """
    if schedule == "constant" or total <= 1:
        return base
    frac = step / (total - 1)
    if schedule == "cosine":
        low = base / 100
        return low + (base - low) * 0.5 * (1 + math.cos(math.pi * frac))
    if schedule == "onecycle":
        warm = 0.3
        start, end = base / 25, base / 1e4
        if frac < warm:
            return start + (base - start) * 0.5 * (1 - math.cos(math.pi * frac / warm))
        f = (frac - warm) / (1 - warm)
        return end + (base - end) * 0.5 * (1 + math.cos(math.pi * f))
    raise ValueError(f"unknown schedule {schedule!r}")


# ---------------------------------------------------------------------------------------
# The trainer
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """What resumes a run, besides the model's weights: the optimizer's state and the
    metadata (``"training"``, ``"history"`` and ``"checkpoint"``: settings and position).

    ``model.save(path, optimizer=c.optimizer, extra_metadata=c.metadata)`` writes it;
    :meth:`from_file` reads it back.
    """

    optimizer: OptimizerState
    metadata: dict[str, Any]

    @classmethod
    def from_file(
        cls, metadata: dict[str, Any], optimizer_arrays: dict[str, np.ndarray]
    ) -> Checkpoint:
        """The checkpoint a model file holds, from what
        :func:`~handwrite.modelfile.read_model_file` returns besides the model: its metadata
        and its optimizer arrays.

        Raises :class:`TrainingError` when the file is a plain model (no ``"checkpoint"`` or
        no ``"optimizer"`` entry: it cannot resume a run), or when an entry it resumes from is
        damaged or hand-edited out of shape: the optimizer's name, hyperparameters and steps,
        the position (``epoch``, ``batch_in_epoch``, ``step``, ``seconds``), the settings
        (checked as :meth:`TrainConfig.validate` checks them) and the curves
        (:meth:`History.from_json`). Whether the run fits the data is checked when it resumes
        (:meth:`Trainer.resume`).
        """
        optimizer = metadata.get("optimizer")
        if not isinstance(metadata.get("checkpoint"), dict) or not isinstance(optimizer, dict):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "a model file, but not a training checkpoint (it holds no optimizer "
                        "state to continue from)",
                    )
                )
            )
        try:
            name = optimizer["name"]
            hyper = optimizer.get("hyperparameters") or {}
            steps = optimizer["steps"]
            if not isinstance(name, str) or name not in OPTIMIZERS:
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "the checkpoint's optimizer entry is damaged (unknown optimizer "
                            "{name})",
                        ),
                        name=_short(name),
                    )
                )
            if not isinstance(hyper, dict) or not all(
                isinstance(k, str) and _numbers(v) for k, v in hyper.items()
            ):
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "the checkpoint's optimizer entry is damaged (hyperparameters {value} "
                            "are not numbers by name)",
                        ),
                        value=_short(hyper),
                    )
                )
            if not _COUNT.admits(steps):
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "the checkpoint's optimizer entry is damaged (steps {value} is not "
                            "a count)",
                        ),
                        value=_short(steps),
                    )
                )
            state = OptimizerState(name, dict(hyper), int(steps), optimizer_arrays)
        except KeyError as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "the checkpoint's optimizer entry is damaged (no {key!r} in it)"
                    ),
                    key=str(exc.args[0]),
                )
            ) from exc
        except (TypeError, ValueError) as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "the checkpoint's optimizer entry is damaged ({problem})"
                    ),
                    problem=str(exc),
                )
            ) from exc
        _check_position(metadata["checkpoint"])
        History.from_json(metadata.get("history"))
        return cls(state, metadata)

    @property
    def epochs_done(self) -> int:
        ckpt = self.metadata.get("checkpoint") or {}
        return int(ckpt.get("epoch", 0))


#: Any finite number, and a count (0 or more) of batches, epochs or steps.
_NUMBER = Bounds(-1e300, 1e300)
_COUNT = Bounds(0, 2**62, integer=True)


def _numbers(value: Any) -> bool:
    """Whether ``value`` is a number or a list of numbers (Adam's ``betas``)."""
    if isinstance(value, list):
        return all(_NUMBER.admits(v) for v in value)
    return _NUMBER.admits(value)


def _saved_config(config: dict[str, Any]) -> TrainConfig:
    """The settings a checkpoint holds (``config``: its JSON), not yet validated. A setting
    it lacks is the default, except those that came with refusing: a checkpoint without
    them trained without negatives and pen look, and goes on so."""
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    values = {**_SETTINGS_BEFORE_REFUSAL, **{k: v for k, v in config.items() if k in fields}}
    return TrainConfig(**values)


def _check_position(ckpt: dict[str, Any]) -> None:
    """Check a checkpoint's ``"checkpoint"`` entry (settings and position); raises
    :class:`TrainingError` naming the first value out of shape."""
    for key in ("epoch", "batch_in_epoch", "step"):
        if not _COUNT.admits(ckpt.get(key)):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "the checkpoint's {key!r} must be a count (0 or more), got {value}",
                    ),
                    key=key,
                    value=_short(ckpt.get(key)),
                )
            )
    for key, bounds in (("seconds", Bounds(0, 1e12)), ("batches_per_epoch", Bounds(1, 2**62))):
        if key in ckpt and not bounds.admits(ckpt[key]):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "the checkpoint's {key!r} must be {bounds}, got {value}"
                    ),
                    key=key,
                    bounds=bounds.phrase(),
                    value=_short(ckpt[key]),
                )
            )
    config = ckpt.get("config")
    if not isinstance(config, dict):
        raise TrainingError(
            error_phrase(QT_TRANSLATE_NOOP("Errors", "the checkpoint holds no settings ('config')"))
        )
    try:
        _saved_config(config).validate()
    except TrainingError as exc:
        raise TrainingError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "the checkpoint's settings are damaged: {problem}"),
                problem=exc.phrase,
            )
        ) from exc


@dataclass
class History:
    """Curves of a run, kept with checkpoints so that a reopened run shows them again."""

    batch_step: list[int] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    validation_loss: list[float | None] = field(default_factory=list)
    validation_accuracy: list[float | None] = field(default_factory=list)
    test_loss: list[float | None] = field(default_factory=list)
    test_accuracy: list[float | None] = field(default_factory=list)

    def to_json(self, max_batches: int = MAX_HISTORY_BATCHES) -> dict[str, list[Any]]:
        """Plain JSON; at most ``max_batches`` batch losses, evenly thinned, so that model
        files stay small however long the run."""
        out = dataclasses.asdict(self)
        steps, losses = self.batch_step, self.batch_loss
        if len(steps) > max_batches:
            keep = np.linspace(0, len(steps) - 1, max_batches).round().astype(int)
            steps = [steps[i] for i in keep]
            losses = [losses[i] for i in keep]
        out["batch_step"] = list(steps)
        out["batch_loss"] = [float(f"{v:.5g}") for v in losses]
        return out

    @classmethod
    def from_json(cls, data: Any) -> History:
        """The curves of a model file's ``"history"`` (None or absent: none). Raises
        :class:`TrainingError` naming the curve that holds anything but numbers (or null
        where a value may be missing), or step numbers that are not counts."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "the checkpoint's curves ('history') are {value}"),
                    value=_short(data),
                )
            )
        kwargs: dict[str, list[Any]] = {}
        for f in dataclasses.fields(cls):
            values = data.get(f.name, [])
            counts = f.name in ("batch_step", "epoch")
            may_miss = f.name.startswith(("validation", "test"))
            check = _COUNT if counts else _NUMBER
            if not isinstance(values, list) or not all(
                check.admits(v) or (may_miss and v is None) for v in values
            ):
                if counts:
                    template = QT_TRANSLATE_NOOP(
                        "Errors",
                        "the checkpoint's curve {name!r} must be a list of step numbers, got "
                        "{value}",
                    )
                else:
                    template = QT_TRANSLATE_NOOP(
                        "Errors",
                        "the checkpoint's curve {name!r} must be a list of numbers, got {value}",
                    )
                raise TrainingError(error_phrase(template, name=f.name, value=_short(values)))
            kwargs[f.name] = list(values)
        if len(kwargs["batch_step"]) != len(kwargs["batch_loss"]):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "the checkpoint's curves 'batch_step' and 'batch_loss' differ"
                    )
                )
            )
        return cls(**kwargs)


def history_from_metadata(metadata: dict[str, Any]) -> tuple[History, int] | None:
    """The curves a model file's metadata holds (``"history"``, as
    :meth:`Trainer.history_metadata` writes them) and the run's batches per epoch; None
    when there are none, or when they do not fit together."""
    data = metadata.get("history")
    if not isinstance(data, dict):
        return None
    per_epoch = data.get("batches_per_epoch")
    if isinstance(per_epoch, bool) or not isinstance(per_epoch, int) or per_epoch < 1:
        return None
    try:
        history = History.from_json(data)
    except TrainingError:
        return None
    return history, per_epoch


@dataclass
class _Backup:
    """The divergence guard's copy of the weights and the optimizer state (by parameter
    index and name), and the optimizer's step count then."""

    weights: list[Any] = field(default_factory=list)
    state: dict[tuple[int, str], Any] = field(default_factory=dict)
    steps: int = 0
    taken: bool = False


class Trainer:
    """Trains a model on a :class:`DataSet`; :meth:`run` yields events.

    ``model``: continue training this model (fine-tuning) instead of building the preset.
    Use :meth:`from_checkpoint` to resume a saved run exactly.
    """

    def __init__(
        self,
        config: TrainConfig,
        data: DataSet,
        model: Model | None = None,
        *,
        augment_config: AugmentConfig | None = None,
    ) -> None:
        self.config = config.validate()
        self.xp = get_backend(config.device)
        self.data = data
        if model is None:
            model = config.build_model()
        elif config.refusing and not model.has_not_a_digit_output:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "this network has no 'not a digit' output to learn negatives with; "
                        "set negatives to 0",
                    )
                )
            )
        self.model = model.to(config.device)
        self.optimizer: Optimizer = make_optimizer(
            config.optimizer,
            self.model.parameters(),
            config.lr,
            momentum=config.momentum,
            weight_decay=config.weight_decay,
        )
        cfg = augment_config or AugmentConfig()
        if config.elastic and cfg.elastic_alpha == 0:
            cfg = dataclasses.replace(cfg, elastic_alpha=1.5)
        self.augment_config = cfg
        self.history = History()
        self.epoch = 0  # position to continue from
        self.batch_in_epoch = 0
        self.step = 0
        self.seconds = 0.0
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._diagnostics: DiagnosticsRecorder | None = None
        self._batches: Batches | None = None  # made by run()
        self._good = _Backup()
        self._paused_for = 0.0
        #: The refusal's figures on the test digits after the last epoch (for the summary).
        self.test_refusal: dict[str, float] = {}
        self._prepare_data()

    # -- control from other threads ------------------------------------------------------
    def request_stop(self) -> None:
        """Stop between batches (also ends a pause)."""
        self._stop.set()

    def request_pause(self) -> None:
        self._pause.set()

    def request_resume(self) -> None:
        self._pause.clear()

    @property
    def paused(self) -> bool:
        return self._pause.is_set()

    @property
    def stop_requested(self) -> bool:
        """Whether :meth:`request_stop` was called (the run ends at the next batch)."""
        return self._stop.is_set()

    # -- data ----------------------------------------------------------------------------
    def _prepare_data(self) -> None:
        cfg = self.config
        images = np.asarray(self.data.train_images)
        labels = np.asarray(self.data.train_labels).astype(np.int64)
        if images.ndim != 3 or images.shape[1:] != self.model.input_shape[1:]:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "training images must be (N, 28, 28), got {shape}"),
                    shape=str(images.shape),
                )
            )
        if len(images) != len(labels):
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "training images and labels differ in number")
                )
            )
        if cfg.limit is not None:
            images, labels = images[: cfg.limit], labels[: cfg.limit]
        # The refusal is fitted on validation digits: a run without any holds some out.
        wanted = cfg.validation or (REFUSAL_VALIDATION if cfg.refusing else 0)
        n_val = min(wanted, len(images) // 10)
        if len(images) - n_val < 1:
            raise TrainingError(error_phrase(QT_TRANSLATE_NOOP("Errors", "no training images")))
        # MNIST's convention: the last images of the training set are the validation set.
        self.train_x = self._to_device(images[: len(images) - n_val])
        self.train_t = self.xp.asarray(labels[: len(images) - n_val])
        self.val_images, self.val_labels = (
            images[len(images) - n_val :],
            labels[len(images) - n_val :],
        )
        test_images, test_labels = self.data.test_images, self.data.test_labels
        if cfg.test_limit is not None:
            test_images, test_labels = test_images[: cfg.test_limit], test_labels[: cfg.test_limit]
        self.test_images, self.test_labels = np.asarray(test_images), np.asarray(test_labels)
        n = self.train_x.shape[0]
        self.batch_size = n if cfg.batch_size == 0 or cfg.batch_size > n else cfg.batch_size
        self.batches_per_epoch = math.ceil(n / self.batch_size)
        self.total_batches = self.batches_per_epoch * cfg.epochs
        train_digits = (images[: len(images) - n_val], labels[: len(images) - n_val])
        self.negatives_per_batch = 0
        self.negative_x: Any = None
        if cfg.refusing:
            try:
                bank = training_bank(negative_source(self.data))
            except (ImportError, RuntimeError, ValueError) as exc:  # no Hershey fonts, ...
                raise TrainingError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "cannot make the negatives: {problem}"),
                        problem=phrase_of(exc),
                    )
                ) from exc
            self.negative_x = self._to_device(bank)
            self.negatives_per_batch = max(1, round(cfg.negatives * self.batch_size))
        self.pen_look: PenLookAugment | None = None
        if cfg.pen_look > 0:
            digits = np.flatnonzero(train_digits[1] < DIGIT_CLASSES)  # not "not a digit"
            pick = np.sort(np.random.default_rng(0).permutation(digits)[:PEN_LOOK_DIGITS])
            self.pen_look = PenLookAugment(train_digits[0][pick])
            self.pen_look_labels = self.xp.asarray(train_digits[1][pick])

    def _to_device(self, images: np.ndarray) -> Any:
        x = self.model.prepare_input(images)
        return self.xp.asarray(x)

    # -- checkpoints ---------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The training summary stored in model files."""
        h = self.history
        cfg = self.config
        last = len(h.epoch) - 1
        return {
            "epochs": len(h.epoch),
            "architecture": cfg.network_name(),
            "loss": self.model.loss.name,
            "optimizer": cfg.optimizer,
            "lr": cfg.lr,
            "schedule": cfg.schedule,
            "batch_size": self.batch_size,
            "augment": cfg.augment,
            "negatives": cfg.negatives,
            "pen_look": cfg.pen_look,
            "refusal_rate": cfg.refusal_rate if cfg.refusing else None,
            "train_images": int(self.train_x.shape[0]),
            "validation_images": len(self.val_labels),
            "final_train_loss": h.train_loss[last] if last >= 0 else None,
            "final_validation_loss": h.validation_loss[last] if last >= 0 else None,
            "validation_accuracy": h.validation_accuracy[last] if last >= 0 else None,
            "test_loss": h.test_loss[last] if last >= 0 else None,
            "test_accuracy": h.test_accuracy[last] if last >= 0 else None,
            "test_images": len(self.test_labels),
            **self.test_refusal,
            "seconds": round(self.seconds, 2),
            "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }

    def history_metadata(self) -> dict[str, Any]:
        """The curves as stored in model files (``"history"``)."""
        return {**self.history.to_json(), "batches_per_epoch": self.batches_per_epoch}

    def checkpoint_metadata(self) -> dict[str, Any]:
        return {
            "training": self.summary(),
            "history": self.history_metadata(),
            "checkpoint": {
                "config": dataclasses.asdict(self.config),
                "epoch": self.epoch,
                "batch_in_epoch": self.batch_in_epoch,
                "step": self.step,
                "seconds": self.seconds,
                "batches_per_epoch": self.batches_per_epoch,
            },
        }

    def checkpoint(self) -> Checkpoint:
        """Host copies of everything needed to resume this run (with the model's weights)."""
        return Checkpoint(self.optimizer.snapshot(), self.checkpoint_metadata())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save weights, optimizer state, settings and curves (a resumable checkpoint)."""
        self.model.save(path, optimizer=self.optimizer, extra_metadata=self.checkpoint_metadata())

    @classmethod
    def from_checkpoint(
        cls,
        path: str | os.PathLike[str],
        data: DataSet,
        *,
        epochs: int | None = None,
        device: str | None = None,
    ) -> Trainer:
        """Resume the run saved at ``path``; ``epochs`` may extend it.

        Raises :class:`~handwrite.modelfile.ModelFileError` for a file that cannot be read,
        :class:`TrainingError` (naming the file) for one that cannot resume this run."""
        model, meta, optimizer_arrays = read_model_file(path)
        try:
            checkpoint = Checkpoint.from_file(meta, optimizer_arrays)
            return cls.resume(model, checkpoint, data, epochs=epochs, device=device)
        except TrainingError as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: {problem}"),
                    path=str(path),
                    problem=exc.phrase,
                )
            ) from exc
        except (TypeError, ValueError) as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: the checkpoint does not fit ({problem})"),
                    path=str(path),
                    problem=phrase_of(exc),
                )
            ) from exc

    @classmethod
    def resume(
        cls,
        model: Model,
        checkpoint: Checkpoint,
        data: DataSet,
        *,
        epochs: int | None = None,
        device: str | None = None,
    ) -> Trainer:
        """Continue a run from ``model`` (its weights) and ``checkpoint``; ``epochs`` may
        extend it. ``model`` then belongs to the trainer."""
        ckpt = checkpoint.metadata.get("checkpoint")
        if not isinstance(ckpt, dict) or not isinstance(ckpt.get("config"), dict):
            raise TrainingError(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "not a training checkpoint"))
            )
        _check_position(ckpt)
        history = History.from_json(checkpoint.metadata.get("history"))
        try:
            config = _saved_config(ckpt["config"])
            if epochs is not None:
                config = dataclasses.replace(config, epochs=epochs)
            if device is not None:
                config = dataclasses.replace(config, device=device)
            trainer = cls(config, data, model)
            trainer.optimizer.load_state_dict(
                checkpoint.optimizer.arrays, checkpoint.optimizer.steps
            )
            trainer.epoch = int(ckpt["epoch"])
            trainer.batch_in_epoch = int(ckpt["batch_in_epoch"])
            trainer.step = int(ckpt["step"])
            trainer.seconds = float(ckpt.get("seconds", 0.0))
        except (TypeError, ValueError, KeyError) as exc:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "the checkpoint does not fit ({problem})"),
                    problem=phrase_of(exc),
                )
            ) from exc
        if trainer.epoch > config.epochs:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "the run has done {epochs} epochs already; ask for more than that"
                    ),
                    epochs=trainer.epoch,
                )
            )
        if trainer.batch_in_epoch > trainer.batches_per_epoch:
            raise TrainingError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "the checkpoint stopped at batch {batch} of an epoch that has {batches} "
                        "batches with this data",
                    ),
                    batch=trainer.batch_in_epoch,
                    batches=trainer.batches_per_epoch,
                )
            )
        trainer.history = history
        return trainer

    # -- the loop ------------------------------------------------------------------------
    def _backup(self) -> None:
        """Copy the weights and optimizer state (into the arrays of the last copy): what
        :meth:`_restore` puts back."""
        xp = self.xp
        backup = self._good
        params = self.model.parameters()
        if len(backup.weights) != len(params):
            backup.weights = [xp.empty_like(p.data) for p in params]
        for dst, p in zip(backup.weights, params, strict=True):
            xp.copyto(dst, p.data)
        state = {}
        for i, arrays in self.optimizer.state.items():
            for name, a in arrays.items():
                dst = backup.state.get((i, name))
                if dst is None or dst.shape != a.shape:
                    dst = xp.empty_like(a)
                xp.copyto(dst, a)
                state[(i, name)] = dst
        backup.state = state
        backup.steps = self.optimizer.steps
        backup.taken = True

    def _restore(self) -> None:
        """Put back the newest copy (nothing before the first one)."""
        backup = self._good
        if not backup.taken:
            return
        for src, p in zip(backup.weights, self.model.parameters(), strict=True):
            self.xp.copyto(p.data, src)
        optimizer = self.optimizer
        for i in list(optimizer.state):
            for name in list(optimizer.state[i]):
                src = backup.state.get((i, name))
                if src is None:  # created since the copy: it did not exist then
                    del optimizer.state[i][name]
                else:
                    self.xp.copyto(optimizer.state[i][name], src)
            if not optimizer.state[i]:
                del optimizer.state[i]
        optimizer.steps = backup.steps

    def _add_pen_look_and_negatives(
        self, xb: Any, tb: Any, rng: np.random.Generator
    ) -> tuple[Any, Any]:
        """The batch with a share of its digits redrawn in pen look (other training digits,
        with their labels) and the negatives appended, labelled "not a digit"."""
        xp = self.xp
        cfg = self.config
        if self.pen_look is not None:
            redraw = np.flatnonzero(rng.random(len(tb)) < cfg.pen_look)
            if len(redraw):
                which = rng.integers(0, len(self.pen_look), len(redraw))
                xb = xb.copy()
                tb = tb.copy()
                at = xp.asarray(redraw)
                xb[at] = xp.asarray(self.pen_look(which, rng))
                tb[at] = self.pen_look_labels[xp.asarray(which)]
        if self.negatives_per_batch:
            pick = rng.integers(0, self.negative_x.shape[0], self.negatives_per_batch)
            xb = xp.concatenate([xb, xp.take(self.negative_x, xp.asarray(pick), axis=0)])
            tb = xp.concatenate([tb, xp.full(len(pick), DIGIT_CLASSES, dtype=tb.dtype)])
        return xb, tb

    def _fit_refusal(self, validation: Any) -> Refusal:
        """The refusal fitted on the validation digits' outputs: temperature and threshold
        (:meth:`handwrite.refusal.Refusal.fit`, ``refusal_rate`` of them refused)."""
        return Refusal.fit(
            "not_a_digit_class",
            validation.logits,
            validation.labels,
            refusal_rate=self.config.refusal_rate,
        )

    def _evaluate(self, images: np.ndarray, labels: np.ndarray) -> Iterator[Event]:
        """Evaluate chunk by chunk (:func:`handwrite.evaluation.evaluate_steps`), pausing and
        stopping between chunks like training does.

        A generator: ``result = yield from self._evaluate(...)`` gives the
        :class:`~handwrite.evaluation.Evaluation`, or None for an empty set or when stopped.
        """
        steps = evaluate_steps(self.model, images, labels, threads=self.model.threads)
        while True:
            yield from self._wait_while_paused()
            if self._stop.is_set():
                steps.close()
                return None
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def _snapshot(self) -> Snapshot:
        return Snapshot(self.step, self.epoch, self.model.state_dict())

    def _snapshots(self) -> Iterator[Event]:
        """A :class:`Snapshot` and, with diagnostics, the measurements so far and the weight
        histograms (computed from the snapshot's host copies)."""
        snapshot = self._snapshot()
        yield from self._flush_stats()
        yield snapshot
        if self._diagnostics is not None:
            yield self._diagnostics.histograms(snapshot.step, snapshot.state)

    def _flush_stats(self) -> Iterator[Event]:
        """The measurements not yet sent, as one :class:`LayerStats` (if any)."""
        if self._diagnostics is not None:
            stats = self._diagnostics.stats()
            if stats is not None:
                yield stats

    def _wait_while_paused(self) -> Iterator[Event]:
        if not self._pause.is_set() or self._stop.is_set():
            return
        yield from self._snapshots()  # the weights to draw and inspect with while paused
        yield Paused(self.step)
        t0 = time.perf_counter()
        while self._pause.is_set() and not self._stop.is_set():
            self._pause_wait()
        self._paused_for += time.perf_counter() - t0
        yield Resumed(self.step)

    def _pause_wait(self) -> None:
        # Wake at least every 50 ms so that a stop request ends the pause at once.
        self._stop.wait(0.05)

    def _diverged(self, problem: Phrase, value: float) -> Iterator[Event]:
        """End the run: the last good weights are in place; say so. ``value``: the loss (or
        gradient norm) that ended it."""
        self.model.eval()
        yield from self._flush_stats()
        message = error_phrase(
            QT_TRANSLATE_NOOP(
                "Errors",
                "training diverged: {problem}; the last good weights are kept. "
                "Try a smaller learning rate.",
            ),
            problem=problem,
        )
        yield Failed(message.text(), True, self.step, value, message)

    def run(self) -> Iterator[Event]:
        """Train, yielding events; ends with :class:`Finished` or :class:`Failed`.

        The divergence guard: a batch loss that comes out NaN, infinite or 50 times the
        first one (:data:`DIVERGENCE_FACTOR`) ends the run with the newest copy of the
        weights and optimizer state put back. Copies are taken before the first step, every
        :data:`BACKUP_EVERY` steps and when the loss rises sharply (:data:`RISE_FACTOR`), so
        the weights kept gave a finite loss (below the divergence limit) at most
        :data:`BACKUP_EVERY` steps before the failure. With diagnostics, a measured step
        whose gradient is not finite is refused before it is applied: the weights kept are
        then the very ones that gave that step its finite loss.
        """
        cfg = self.config
        self._diagnostics = (
            DiagnosticsRecorder(self.model, self.optimizer, cfg.diagnostics_every)
            if cfg.diagnostics
            else None
        )
        # Gathered ahead on a worker thread where the step leaves a core free for it.
        ahead = self.model.step_threads(self.batch_size) < available_cores()
        self._batches = Batches(self.train_x, self.train_t, self.batch_size, self.xp, ahead=ahead)
        try:
            yield from self._run()
        finally:
            self._batches.close()
            if self._diagnostics is not None:
                self._diagnostics.close()

    def _run(self) -> Iterator[Event]:
        cfg = self.config
        xp = self.xp
        model = self.model
        optimizer = self.optimizer
        diagnostics = self._diagnostics
        n = self.train_x.shape[0]
        yield Started(
            cfg,
            n,
            len(self.val_labels),
            len(self.test_labels),
            self.batches_per_epoch,
            self.total_batches,
            self.step,
            device_name(xp),
        )
        self._paused_for = 0.0
        run_start = time.perf_counter()
        seconds_before = self.seconds
        last_snapshot = last_stats = time.perf_counter()
        rate = 0.0  # images/s, smoothed
        step_time = 0.0  # seconds per batch, smoothed
        loss_limit = math.inf  # set by the first finite loss
        mean_loss = math.nan  # running mean of the batch losses, for the sharp-rise copies
        rise_limit = math.inf
        backed_up_at = self.step - BACKUP_EVERY  # the step (steps done) of the newest copy
        # A seeded generator per batch only when something draws from it: making one costs
        # as much as the rest of the trainer's work on a small model's step.
        draws = (
            cfg.augment
            or cfg.refusing
            or self.pen_look is not None
            or any(isinstance(layer, RandomLayer) for layer in model.layers)
        )
        pause, stop = self._pause, self._stop
        batches = self._batches
        history = self.history
        model.train()
        try:
            while self.epoch < cfg.epochs:
                epoch = self.epoch
                epoch_start = time.perf_counter()
                order = np.random.default_rng([cfg.seed, epoch]).permutation(n)
                if xp is not np:
                    order = xp.asarray(order)
                batches.epoch(order, self.batch_in_epoch)
                loss_sum = 0.0
                correct = 0
                seen = 0
                for b in range(self.batch_in_epoch, self.batches_per_epoch):
                    if pause.is_set():
                        yield from self._wait_while_paused()
                    if stop.is_set():
                        break
                    t0 = time.perf_counter()
                    xb, tb = batches.batch(b)
                    m = int(tb.shape[0])
                    if draws:
                        batch_rng = np.random.default_rng([cfg.seed, epoch, b])
                        xb, tb = self._add_pen_look_and_negatives(xb, tb, batch_rng)
                        if cfg.augment:
                            xb = augment(xb, batch_rng, self.augment_config)
                        model.reseed(batch_rng)
                    lr = learning_rate(cfg.schedule, cfg.lr, self.step, self.total_batches)
                    optimizer.lr = lr
                    measure = diagnostics is not None and diagnostics.due(self.step)
                    if measure:
                        diagnostics.begin_step()
                    optimizer.zero_grad()
                    loss, y = model.train_step(xb, tb)
                    if not loss <= loss_limit:  # NaN, infinite or exploded
                        if measure:
                            diagnostics.skip_step()
                        self._restore()
                        yield from self._diverged(
                            error_phrase(
                                QT_TRANSLATE_NOOP(
                                    "Errors",
                                    "the loss became {loss:.4g} at epoch {epoch}, batch {batch} "
                                    "(learning rate {lr:g})",
                                ),
                                loss=loss,
                                epoch=epoch + 1,
                                batch=b + 1,
                                lr=lr,
                            ),
                            loss,
                        )
                        return
                    if loss_limit == math.inf:
                        loss_limit = DIVERGENCE_FACTOR * max(loss, 1.0)
                    if self.step - backed_up_at >= BACKUP_EVERY or loss > rise_limit:
                        self._backup()
                        backed_up_at = self.step
                    mean_loss = loss if math.isnan(mean_loss) else 0.9 * mean_loss + 0.1 * loss
                    rise_limit = max(RISE_FACTOR * mean_loss, mean_loss + RISE_MIN)
                    if measure:
                        grad_sq = diagnostics.gradients()
                        if not math.isfinite(grad_sq):
                            diagnostics.skip_step()
                            yield from self._diverged(
                                error_phrase(
                                    QT_TRANSLATE_NOOP(
                                        "Errors",
                                        "the gradient became {norm:.4g} at epoch {epoch}, batch "
                                        "{batch} (learning rate {lr:g}); the step was not applied",
                                    ),
                                    norm=math.sqrt(grad_sq),
                                    epoch=epoch + 1,
                                    batch=b + 1,
                                    lr=lr,
                                ),
                                math.sqrt(grad_sq),
                            )
                            return
                        diagnostics.before_update()
                    optimizer.step()
                    self.step += 1
                    self.batch_in_epoch = b + 1
                    if measure:
                        diagnostics.after_update(self.step, step_time)
                    # The digits' accuracy: the negatives, when any, come after the digits.
                    if y.shape != (m, DIGIT_CLASSES):
                        y, tb = y[:m, :DIGIT_CLASSES], tb[:m]
                    hits = int(xp.count_nonzero(y.argmax(axis=1) == tb))
                    correct += hits
                    seen += m
                    loss_sum += loss * m
                    history.batch_step.append(self.step)
                    history.batch_loss.append(loss)
                    now = time.perf_counter()
                    dt = now - t0
                    step_time = dt if step_time == 0 else 0.9 * step_time + 0.1 * dt
                    rate = m / step_time
                    yield BatchDone(
                        epoch,
                        b,
                        self.batches_per_epoch,
                        self.step,
                        self.total_batches,
                        loss,
                        hits / m,
                        lr,
                        rate,
                        (self.total_batches - self.step) * step_time,
                    )
                    if diagnostics is not None and now - last_stats >= STATS_SECONDS:
                        last_stats = now
                        yield from self._flush_stats()
                    if now - last_snapshot >= cfg.snapshot_seconds:
                        last_snapshot = time.perf_counter()
                        yield from self._snapshots()
                if stop.is_set() and self.batch_in_epoch < self.batches_per_epoch:
                    break
                if not all(bool(xp.isfinite(p.data).all()) for p in model.parameters()):
                    self._restore()
                    yield from self._diverged(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "the weights became NaN or infinite")
                        ),
                        math.nan,
                    )
                    return
                model.eval()
                yield from self._flush_stats()
                val = yield from self._evaluate(self.val_images, self.val_labels)
                if val is not None and cfg.refusing:
                    model.refusal = self._fit_refusal(val)
                test = yield from self._evaluate(self.test_images, self.test_labels)
                model.train()
                h = self.history
                train_loss = loss_sum / seen if seen else float("nan")
                train_acc = correct / seen if seen else 0.0
                h.epoch.append(epoch + 1)
                h.train_loss.append(train_loss)
                h.train_accuracy.append(train_acc)
                h.validation_loss.append(val.loss if val else None)
                h.validation_accuracy.append(val.accuracy if val else None)
                h.test_loss.append(test.loss if test else None)
                h.test_accuracy.append(test.accuracy if test else None)
                if test is not None and model.refusal is not None:
                    self.test_refusal = {
                        "threshold": model.refusal.threshold,
                        "temperature": model.refusal.temperature,
                        "test_refusal_rate": test.refusal_rate,
                        "test_accepted_accuracy": test.accepted_accuracy,
                        "test_calibration_error": test.calibration_error,
                    }
                self.epoch += 1
                self.batch_in_epoch = 0
                self.seconds = seconds_before + time.perf_counter() - run_start - self._paused_for
                yield EpochDone(
                    epoch,
                    cfg.epochs,
                    train_loss,
                    train_acc,
                    val.loss if val else None,
                    val.accuracy if val else None,
                    test.loss if test else None,
                    test.accuracy if test else None,
                    time.perf_counter() - epoch_start,
                    test.confusion if test else None,
                    test.probabilities if test else None,
                    model.refusal,
                    test.refusal_rate if test and model.refuses else None,
                    test.accepted_accuracy if test and model.refuses else None,
                    test.calibration_error if test and model.refusal else None,
                )
                last_snapshot = time.perf_counter()
                yield from self._snapshots()
        finally:
            model.eval()
            self.seconds = seconds_before + time.perf_counter() - run_start - self._paused_for
        if cfg.refusing and (model.refusal is None or self.batch_in_epoch > 0):
            # Stopped within an epoch: the refusal fits the weights as they are now.
            val = evaluate(model, self.val_images, self.val_labels, threads=model.threads)
            if val is not None:
                model.refusal = self._fit_refusal(val)
        model.metadata["training"] = self.summary()
        model.metadata["history"] = self.history_metadata()
        yield from self._snapshots()
        yield Finished(
            self._stop.is_set() and self.epoch < cfg.epochs,
            self.step,
            self.epoch,
            self.seconds,
            self.summary(),
            model.refusal,
        )
