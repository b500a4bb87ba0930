"""The training doctor: watches a run's events and says, in plain words, what is going wrong
and what to try, as a change to the next run's settings. Qt-free.

    doctor = Doctor()
    for event in trainer.run():
        for diagnosis in doctor.observe(event):
            print(diagnosis.message)                      # a Phrase: template + numbers
            if diagnosis.fix is not None:
                next_config = diagnosis.fix.apply(config)   # what the window's button does

It reads the batch losses and accuracies (:class:`~handwrite.trainer.BatchDone`), the
epochs' training and validation curves (:class:`~handwrite.trainer.EpochDone`), the
per-layer measurements (:class:`~handwrite.diagnostics.LayerStats`, with
``TrainConfig(diagnostics=True)``) and a divergence (:class:`~handwrite.trainer.Failed`),
and diagnoses, each at most once a run:

- ``lr_too_high``: the loss exploded, or rose well above its best level and stays there;
- ``lr_too_low``: the loss hardly moves and the steps hardly change the weights;
- ``overfitting``: the validation loss rises again while the training loss keeps falling;
- ``vanishing_gradients``: the first layer's gradient is 100 times smaller than the last's;
- ``dead_units``: half of a ReLU layer's units give 0 for every image of a batch;
- ``stalled``: the loss has stopped improving far from a good fit.

Messages and fixes are :class:`~handwrite.translatable.Phrase`\\ s in the context
:data:`handwrite.translatable.DOCTOR`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from handwrite.nn.architectures import ACTIVATIONS, activation_of, with_activation, with_dropout
from handwrite.nn.layers import LAYER_TYPES
from handwrite.nn.optim import DEFAULT_LR
from handwrite.trainer import (
    SETTING_BOUNDS,
    BatchDone,
    EpochDone,
    Event,
    Failed,
    LayerStats,
    Started,
    TrainConfig,
)
from handwrite.translatable import DOCTOR as CONTEXT
from handwrite.translatable import LAYERS as LAYERS_CONTEXT
from handwrite.translatable import QT_TRANSLATE_NOOP, Phrase

__all__ = ["DIAGNOSES", "Diagnosis", "Doctor", "Fix"]

#: The kinds of diagnosis. The layer measurements (vanishing gradients, dead units, tiny
#: updates) need a run with ``TrainConfig(diagnostics=True)``; the others do not.
DIAGNOSES = (
    "lr_too_high",
    "vanishing_gradients",
    "dead_units",
    "lr_too_low",
    "overfitting",
    "stalled",
)

#: Batch losses are judged in windows of this many batches (their mean).
WINDOW = 50
#: The doctor waits for this many batches before judging the loss's course.
SETTLE = 100
#: Rising: the last window's mean loss above this multiple of the best window's.
RISE = 1.5
#: Flat: after SETTLE batches the loss has fallen by less than this share of its start...
FLAT = 0.05
#: ... and the largest update/weight ratio (when measured) is below this.
TINY_UPDATE = 1e-4
#: Vanishing: the first layer's gradient norm below this share of the last layer's.
VANISHING = 1e-2
#: Dead: a ReLU layer with at least this share of dead units (mean over a window).
DEAD = 0.5
#: Stalled: no window of the last STALL batches has a mean loss 1% below the best window
#: before them, after the loss had fallen (not flat from the start), while the training
#: accuracy stays below GOOD_FIT.
STALL = 300
GOOD_FIT = 0.98
#: Overfitting: the validation loss at least this share above its lowest, reached at least
#: two epochs before, while the training loss kept falling.
OVERFIT = 0.1


def _phrase(template: str, **values: Any) -> Phrase:
    return Phrase(CONTEXT, template, values)


def _activation_title(activation: str) -> Phrase:
    """The name of an activation (``"sigmoid"``, as :func:`activation_of` gives it) as its
    layer titles itself, translated with the message: 「シグモイド」 in Japanese."""
    layer = LAYER_TYPES[ACTIVATIONS[activation]]
    return Phrase(LAYERS_CONTEXT, layer.title)


@dataclass(frozen=True)
class Fix:
    """A change to the next run: ``changes`` are :class:`~handwrite.trainer.TrainConfig`
    fields and their new values; ``description`` says it in words."""

    description: Phrase
    changes: Mapping[str, Any] = field(default_factory=dict)

    def apply(self, config: TrainConfig) -> TrainConfig:
        """``config`` with the changes made (validated)."""
        return dataclasses.replace(config, **self.changes).validate()


@dataclass(frozen=True)
class Diagnosis:
    """What the doctor found at ``step``: ``kind`` (one of :data:`DIAGNOSES`), a message
    with the measured numbers, and a fix for the next run (None when there is none to
    offer)."""

    kind: str
    step: int
    message: Phrase
    fix: Fix | None


# -- the messages ----------------------------------------------------------------------------

_DIVERGED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The loss exploded at step {step:,} (it became {loss:.3g}): the learning rate {lr:g} "
    "makes the steps overshoot.",
)
_RISING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The loss went down to {best:.3f} and is back up at {now:.3f} (mean of the last {window} "
    "batches): the learning rate {lr:g} is too high, the steps overshoot the minimum.",
)
_FLAT = QT_TRANSLATE_NOOP(
    "Doctor",
    "After {steps:,} steps the loss has fallen only {drop:.1%} (from {start:.3f} to "
    "{now:.3f}): the learning rate {lr:g} is too low, the weights hardly move.",
)
_VANISHING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The gradient reaching the first layer is {ratio:,.0f} times smaller than the last "
    "layer's: it vanishes on its way back through the {activation} layers, and the first "
    "layers hardly learn.",
)
_DEAD = QT_TRANSLATE_NOOP(
    "Doctor",
    "{share:.0%} of the units of layer {layer} are dead: their ReLU gives 0 for every image, "
    "so they no longer learn. Too large steps often push them there.",
)
_OVERFITTING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The network is overfitting: the validation loss was lowest at epoch {best_epoch} "
    "({best:.3f}) and has risen to {now:.3f}, while the training loss kept falling to "
    "{train:.3f}. It is learning the training images by heart.",
)
_STALLED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The loss has not improved for {steps:,} steps (it stays near {loss:.3f}) and the "
    "training accuracy is stuck at {accuracy:.1%}.",
)

_LR_DOWN = QT_TRANSLATE_NOOP("Doctor", "Divide the learning rate by 10 ({old:g} → {new:g})")
_LR_UP = QT_TRANSLATE_NOOP("Doctor", "Multiply the learning rate by 10 ({old:g} → {new:g})")
_TO_RELU = QT_TRANSLATE_NOOP(
    "Doctor",
    "Use ReLU instead of {activation} (the initial weights follow: He instead of Glorot)",
)
_ADD_DROPOUT = QT_TRANSLATE_NOOP("Doctor", "Add dropout ({p:.0%} of the units, at random)")
_AUGMENT = QT_TRANSLATE_NOOP("Doctor", "Train on randomly shifted and rotated copies")
_DECAY = QT_TRANSLATE_NOOP("Doctor", "Add weight decay ({decay:g})")
_ADAM = QT_TRANSLATE_NOOP("Doctor", "Use Adam (learning rate {lr:g})")
_ONECYCLE = QT_TRANSLATE_NOOP("Doctor", "Use the one-cycle learning-rate schedule")


# -- the fixes ---------------------------------------------------------------------------------


def _scaled_lr(config: TrainConfig, factor: float, template: str) -> Fix | None:
    bounds = SETTING_BOUNDS["lr"]
    new = float(f"{min(max(config.lr * factor, bounds.low), bounds.high):.3g}")
    if new == config.lr:
        return None
    return Fix(_phrase(template, old=config.lr, new=new), {"lr": new})


def _to_relu(config: TrainConfig) -> Fix | None:
    network = config.network()
    activation = activation_of(network)
    if activation in (None, "relu"):
        return None
    changes = {"architecture": with_activation(network, "relu"), "dropout": None}
    return Fix(_phrase(_TO_RELU, activation=_activation_title(activation)), changes)


def _against_overfitting(config: TrainConfig) -> Fix:
    network = config.network()
    rates = [s.get("p", 0.0) for s in network["layers"] if s.get("type") == "Dropout"]
    if max(rates, default=0.0) < 0.5:
        if config.architecture is None:
            changes: dict[str, Any] = {"dropout": 0.5}
        else:
            changes = {"architecture": with_dropout(network, 0.5)}
        return Fix(_phrase(_ADD_DROPOUT, p=0.5), changes)
    if not config.augment:
        return Fix(_phrase(_AUGMENT), {"augment": True})
    return Fix(_phrase(_DECAY, decay=1e-4), {"weight_decay": max(config.weight_decay, 1e-4)})


def _unstall(config: TrainConfig) -> Fix | None:
    if config.optimizer != "adam":
        lr = DEFAULT_LR["adam"]
        return Fix(_phrase(_ADAM, lr=lr), {"optimizer": "adam", "lr": lr})
    if config.schedule != "onecycle":
        return Fix(_phrase(_ONECYCLE), {"schedule": "onecycle"})
    return None


# -- the doctor --------------------------------------------------------------------------------


class Doctor:
    """Diagnoses one run from its events. ``config``: the run's settings (else taken from
    its :class:`~handwrite.trainer.Started` event); the fixes change it."""

    def __init__(self, config: TrainConfig | None = None) -> None:
        self.config = config
        self.diagnoses: list[Diagnosis] = []
        self._found: set[str] = set()
        self._losses: list[float] = []
        self._accuracies: list[float] = []
        self._step = 0
        self._window_means: list[float] = []  # mean loss of each full window
        self._best_window = math.inf
        self._ratios: list[np.ndarray] = []  # recent first/last gradient norm ratios
        self._updates: list[np.ndarray] = []  # recent update/weight ratios (S, L)
        self._dead: list[np.ndarray] = []  # recent dead shares (S, R)
        self._relu_layers: tuple[int, ...] = ()
        self._epochs: list[EpochDone] = []
        # the activation of the run's network, once known
        self._activation = activation_of(config.network()) if config is not None else None

    # -- feeding ---------------------------------------------------------------------------
    def observe(self, event: Event) -> list[Diagnosis]:
        """Take in one event; returns the diagnoses it led to (usually none)."""
        if isinstance(event, Started):
            if self.config is None:
                self.config = event.config
                self._activation = activation_of(self.config.network())
            return []
        if self.config is None:
            return []
        found: list[Diagnosis] = []
        if isinstance(event, BatchDone):
            self._step = event.step
            self._losses.append(event.loss)
            self._accuracies.append(event.accuracy)
            if len(self._losses) % WINDOW == 0:
                self._window_ended()
                found += self._check_loss()
        elif isinstance(event, LayerStats):
            self._add_stats(event)
            found += self._check_layers()
        elif isinstance(event, EpochDone):
            self._epochs.append(event)
            found += self._check_epochs()
        elif isinstance(event, Failed) and event.diverged:
            found += self._diagnose(
                "lr_too_high",
                _phrase(_DIVERGED, step=event.step + 1, loss=event.loss, lr=self.config.lr),
                _scaled_lr(self.config, 0.1, _LR_DOWN),
            )
        return found

    def _diagnose(self, kind: str, message: Phrase, fix: Fix | None) -> list[Diagnosis]:
        if kind in self._found:
            return []
        self._found.add(kind)
        diagnosis = Diagnosis(kind, self._step, message, fix)
        self.diagnoses.append(diagnosis)
        return [diagnosis]

    def _window_ended(self) -> None:
        mean = float(np.mean(self._losses[-WINDOW:]))
        self._window_means.append(mean)
        self._best_window = min(self._best_window, mean)

    def _add_stats(self, stats: LayerStats) -> None:
        """Keep about the last WINDOW measured steps."""
        g = stats.gradient_norm
        if g.shape[1] >= 3:
            with np.errstate(divide="ignore", invalid="ignore"):
                self._ratios.append(g[:, 0] / g[:, -1])
        self._updates.append(stats.update_ratio)
        self._relu_layers = stats.relu_layers
        if stats.dead_share.size:
            self._dead.append(stats.dead_share)
        for rows in (self._ratios, self._updates, self._dead):
            while sum(len(r) for r in rows) > WINDOW and len(rows) > 1:
                rows.pop(0)

    # -- the rules -------------------------------------------------------------------------
    def _check_loss(self) -> list[Diagnosis]:
        cfg = self.config
        assert cfg is not None
        n = len(self._losses)
        found: list[Diagnosis] = []
        if n < SETTLE or len(self._window_means) < 2:
            return found
        now = self._window_means[-1]
        if now > RISE * self._best_window:
            found += self._diagnose(
                "lr_too_high",
                _phrase(_RISING, best=self._best_window, now=now, window=WINDOW, lr=cfg.lr),
                _scaled_lr(cfg, 0.1, _LR_DOWN),
            )
        start = float(np.mean(self._losses[: min(20, n)]))
        drop = (start - now) / start if start > 0 else 0.0
        tiny = self._largest_update() < TINY_UPDATE if self._updates else True
        if drop < FLAT and tiny and "vanishing_gradients" not in self._found:
            found += self._diagnose(
                "lr_too_low",
                _phrase(
                    _FLAT, steps=self._step, drop=max(drop, 0.0), start=start, now=now, lr=cfg.lr
                ),
                _scaled_lr(cfg, 10.0, _LR_UP),
            )
        accuracy = float(np.mean(self._accuracies[-WINDOW:]))
        span = STALL // WINDOW
        if n >= 2 * STALL and drop >= FLAT and accuracy < GOOD_FIT:
            recent = min(self._window_means[-span:])
            before = min(self._window_means[:-span])
            if recent > 0.99 * before and "lr_too_high" not in self._found:
                found += self._diagnose(
                    "stalled",
                    _phrase(_STALLED, steps=STALL, loss=now, accuracy=accuracy),
                    _unstall(cfg),
                )
        return found

    def _largest_update(self) -> float:
        rows = np.concatenate(self._updates)
        rows = rows[np.isfinite(rows).all(axis=1)]
        return float(np.median(rows, axis=0).max()) if rows.size else math.inf

    def _check_layers(self) -> list[Diagnosis]:
        cfg = self.config
        assert cfg is not None
        found: list[Diagnosis] = []
        if self._step < SETTLE // 2:
            return found
        if self._ratios:
            ratios = np.concatenate(self._ratios)
            ratios = ratios[np.isfinite(ratios)]
            ratio = float(np.median(ratios)) if ratios.size else math.nan
            activation = self._activation
            # In a ReLU network, gradients that do not reach the first layer are stopped by
            # dead units: that diagnosis says so.
            if ratio < VANISHING and activation != "relu":
                found += self._diagnose(
                    "vanishing_gradients",
                    _phrase(
                        _VANISHING,
                        ratio=1 / ratio if ratio > 0 else math.inf,
                        activation=_activation_title(activation or "sigmoid"),
                    ),
                    _to_relu(cfg),
                )
        if self._dead:
            dead = np.concatenate(self._dead)
            dead = dead[np.isfinite(dead).all(axis=1)]
            shares = dead.mean(axis=0) if len(dead) else np.zeros(0)
            worst = int(np.argmax(shares)) if shares.size else -1
            if worst >= 0 and shares[worst] >= DEAD:
                found += self._diagnose(
                    "dead_units",
                    _phrase(_DEAD, share=float(shares[worst]), layer=self._relu_layers[worst]),
                    _scaled_lr(cfg, 0.1, _LR_DOWN),
                )
        return found

    def _check_epochs(self) -> list[Diagnosis]:
        cfg = self.config
        assert cfg is not None
        epochs = self._epochs
        val = [e.validation_loss for e in epochs]
        if any(v is None for v in val):
            val = [e.test_loss for e in epochs]  # no validation set: the test set stands in
        if len(epochs) < 3 or any(v is None for v in val):
            return []
        losses = [float(v) for v in val]  # type: ignore[arg-type]
        best = int(np.argmin(losses))
        now = losses[-1]
        train_then, train_now = epochs[best].train_loss, epochs[-1].train_loss
        if (
            len(losses) - 1 - best >= 2
            and now > (1 + OVERFIT) * losses[best]
            and train_now < train_then
        ):
            return self._diagnose(
                "overfitting",
                _phrase(
                    _OVERFITTING,
                    best_epoch=best + 1,
                    best=losses[best],
                    now=now,
                    train=train_now,
                ),
                _against_overfitting(cfg),
            )
        return []
