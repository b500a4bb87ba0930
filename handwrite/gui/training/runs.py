"""The runs of this session, to compare: their curves and settings, and what differs between
the runs compared. Qt-free.

    run = RecordedRun(3, RunSettings.of_config(config, train_images), RunCurves(per_epoch))
    run.curves.add_batches(steps, losses); run.curves.add_epoch(event)   # as it trains
    differing([a.settings, b.settings])   # ("optimizer", "lr"): label them "Adam, lr 0.001"

A run of the window, a model file's history (:meth:`RunCurves.from_metadata`,
:meth:`RunSettings.of_model`) and a variant of a one-click experiment are all a
:class:`RecordedRun`. The curves grow in NumPy buffers: the comparison plot draws them at its
own pace, and :attr:`RunCurves.version` tells it whether anything changed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from handwrite.gui.training.network import normalised_layers
from handwrite.nn.architectures import activation_of
from handwrite.nn.model import Model
from handwrite.trainer import EpochDone, TrainConfig, TrainingError, history_from_metadata

__all__ = [
    "COMPARED",
    "Buffer",
    "RecordedRun",
    "RunCurves",
    "RunSettings",
    "differing",
    "network_shape",
]

#: Weight of the newest batch in a run's smoothed loss (an exponential moving average).
SMOOTHING = 0.05


def _structure(architecture: dict[str, Any]) -> str:
    """The network's layers without its activations and dropout, as one comparable string:
    two runs whose networks differ only in those are the same network."""
    kept = [
        spec
        for spec in normalised_layers(architecture.get("layers", []))
        if spec.get("type") not in ("ReLU", "Sigmoid", "Tanh", "Dropout")
    ]
    return json.dumps(kept, sort_keys=True)


def network_shape(architecture: dict[str, Any]) -> str:
    """The network's sizes in a few characters: ``"784-300-10"`` for an MLP (its inputs and
    each fully connected layer's outputs), ``"conv 16-32, 128-10"`` for a CNN (each
    convolution's maps, then the fully connected layers); "" when it has no such layer."""
    layers = architecture.get("layers", [])
    maps = [str(s.get("out_channels")) for s in layers if s.get("type") == "Conv2D"]
    dense = [s for s in layers if s.get("type") == "Dense"]
    widths = [str(s.get("out_features")) for s in dense]
    if maps:
        return f"conv {'-'.join(maps)}, {'-'.join(widths)}" if widths else f"conv {'-'.join(maps)}"
    if dense:
        return "-".join([str(dense[0].get("in_features")), *widths])
    return ""


def _dropout(architecture: dict[str, Any]) -> float:
    """The largest dropout rate of the network (0: none)."""
    rates = [
        float(s.get("p", 0.0)) for s in architecture.get("layers", []) if s.get("type") == "Dropout"
    ]
    return max(rates, default=0.0)


@dataclass(frozen=True)
class RunSettings:
    """What a run was, as far as it is known (None: not known, e.g. a model file that does
    not say). ``network``: its name; ``structure``: its layers without the activations and
    dropout (compared, not shown); ``batch_size`` 0: the whole training set (batch gradient
    descent); ``dropout``: the largest rate; ``train_images``: the images it trained on.
    ``shape``: its sizes, shown with its name (:func:`network_shape`)."""

    network: str | None = None
    structure: str | None = None
    shape: str | None = None
    activation: str | None = None
    loss: str | None = None
    optimizer: str | None = None
    lr: float | None = None
    schedule: str | None = None
    batch_size: int | None = None
    epochs: int | None = None
    dropout: float | None = None
    weight_decay: float | None = None
    augment: bool | None = None
    train_images: int | None = None

    @classmethod
    def of_config(cls, config: TrainConfig, train_images: int | None = None) -> RunSettings:
        try:
            network = config.network()
        except TrainingError:
            network = {}
        return cls(
            network=config.network_name(),
            structure=_structure(network),
            shape=network_shape(network) or None,
            activation=activation_of(network),
            loss=network.get("loss"),
            optimizer=config.optimizer,
            lr=config.lr,
            schedule=config.schedule,
            batch_size=config.batch_size,
            epochs=config.epochs,
            dropout=_dropout(network),
            weight_decay=config.weight_decay,
            augment=config.augment,
            train_images=train_images,
        )

    @classmethod
    def of_model(cls, model: Model) -> RunSettings:
        """What a model file says of the run that made it: its training summary, its
        checkpoint's settings (when it has them) and its own network."""
        meta = model.metadata
        summary = meta.get("training") if isinstance(meta.get("training"), dict) else {}
        checkpoint = meta.get("checkpoint")
        config = checkpoint.get("config") if isinstance(checkpoint, dict) else None
        config = config if isinstance(config, dict) else {}
        architecture = model.architecture()

        def pick(key: str, kind: type | tuple[type, ...]) -> Any:
            for source in (config, summary):
                value = source.get(key)
                if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
                    return value
            return None

        lr = pick("lr", (int, float))
        decay = pick("weight_decay", (int, float))
        return cls(
            network=str(summary.get("architecture") or model.name),
            structure=_structure(architecture),
            shape=network_shape(architecture) or None,
            activation=activation_of(architecture),
            loss=model.loss.name,
            optimizer=pick("optimizer", str),
            lr=float(lr) if lr is not None else None,
            schedule=pick("schedule", str),
            batch_size=pick("batch_size", int),
            epochs=pick("epochs", int),
            dropout=_dropout(architecture),
            weight_decay=float(decay) if decay is not None else None,
            augment=pick("augment", bool),
            train_images=summary.get("train_images")
            if isinstance(summary.get("train_images"), int)
            else None,
        )


#: The settings that may tell runs apart, in the order a label names them.
COMPARED = tuple(f.name for f in fields(RunSettings) if f.name not in ("structure", "shape"))


def differing(settings: Sequence[RunSettings]) -> tuple[str, ...]:
    """The settings (names from :data:`COMPARED`) whose known values differ between the
    runs; the network counts as differing only when its layers do (not its name)."""
    out = []
    for name in COMPARED:
        key = "structure" if name == "network" else name
        known = {getattr(s, key) for s in settings if getattr(s, key) is not None}
        if len(known) > 1:
            out.append(name)
    return tuple(out)


class Buffer:
    """A growing float64 array with amortised O(1) appends."""

    def __init__(self) -> None:
        self._a = np.empty(256)
        self.n = 0

    def extend(self, values: Any) -> None:
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        need = self.n + len(values)
        if need > len(self._a):
            grown = np.empty(max(need, 2 * len(self._a)))
            grown[: self.n] = self._a[: self.n]
            self._a = grown
        self._a[self.n : need] = values
        self.n = need

    def clear(self) -> None:
        self.n = 0

    @property
    def data(self) -> np.ndarray:
        return self._a[: self.n]


class RunCurves:
    """A run's curves, growing as it trains: the batch losses (raw and smoothed) by step,
    and per epoch the training, validation and test accuracies (0-1; NaN where not
    measured) and the validation loss. ``version`` grows with every change."""

    def __init__(self, batches_per_epoch: int = 1) -> None:
        self.batches_per_epoch = max(1, int(batches_per_epoch))
        self.steps = Buffer()
        self.losses = Buffer()
        self.smooth = Buffer()
        self.epochs = Buffer()
        self.train_accuracy = Buffer()
        self.validation_loss = Buffer()
        self.validation_accuracy = Buffer()
        self.test_accuracy = Buffer()
        self._ema: float | None = None
        self.version = 0

    def add_batches(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Batches done: their step numbers (K,) and losses (K,); losses that are not
        finite and positive are left out (a log plot cannot show them)."""
        losses = np.asarray(losses, dtype=np.float64)
        keep = np.isfinite(losses) & (losses > 0)
        losses = losses[keep]
        if not len(losses):
            return
        smooth = np.empty_like(losses)
        ema = self._ema
        for i, loss in enumerate(losses):
            ema = loss if ema is None else (1 - SMOOTHING) * ema + SMOOTHING * loss
            smooth[i] = ema
        self._ema = ema
        self.steps.extend(np.asarray(steps, dtype=np.float64)[keep])
        self.losses.extend(losses)
        self.smooth.extend(smooth)
        self.version += 1

    def add_epoch(self, event: EpochDone) -> None:
        def value(v: float | None) -> float:
            return math.nan if v is None else float(v)

        self.epochs.extend([event.epoch + 1.0])
        self.train_accuracy.extend([event.train_accuracy])
        self.validation_loss.extend([value(event.validation_loss)])
        self.validation_accuracy.extend([value(event.validation_accuracy)])
        self.test_accuracy.extend([value(event.test_accuracy)])
        self.version += 1

    def load_history(self, metadata: dict[str, Any]) -> bool:
        """Add the curves of a model file's (or a checkpoint's) metadata; False when it
        has none, or none that fit."""
        found = history_from_metadata(metadata)
        if found is None:
            return False
        history, per_epoch = found
        self.batches_per_epoch = per_epoch
        try:
            self.add_batches(
                np.asarray(history.batch_step, np.float64),
                np.asarray(history.batch_loss, np.float64),
            )
            for i, epoch in enumerate(history.epoch):

                def at(values: list[Any], i: int = i) -> float | None:
                    return values[i] if i < len(values) else None

                self.add_epoch(
                    EpochDone(
                        int(epoch) - 1,
                        len(history.epoch),
                        math.nan,
                        float(at(history.train_accuracy) or 0.0),
                        at(history.validation_loss),
                        at(history.validation_accuracy),
                        at(history.test_loss),
                        at(history.test_accuracy),
                        0.0,
                    )
                )
        except (TypeError, ValueError):
            return False
        return True

    def loss_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """The smoothed loss against the epochs (fractions of an epoch)."""
        return self.steps.data / self.batches_per_epoch, self.smooth.data

    def accuracy_curve(self) -> tuple[np.ndarray, np.ndarray, str]:
        """The accuracy per epoch in percent: the validation accuracy, else the test
        accuracy, else the training accuracy; and which one it is."""
        for name, buffer in (
            ("validation", self.validation_accuracy),
            ("test", self.test_accuracy),
            ("training", self.train_accuracy),
        ):
            y = buffer.data
            if len(y) and np.isfinite(y).any():
                keep = np.isfinite(y)
                return self.epochs.data[keep], 100.0 * y[keep], name
        return np.zeros(0), np.zeros(0), "validation"

    def last_accuracy(self) -> float | None:
        """The last epoch's test accuracy, else its validation accuracy (0-1), or None."""
        for buffer in (self.test_accuracy, self.validation_accuracy):
            y = buffer.data
            if len(y) and math.isfinite(y[-1]):
                return float(y[-1])
        return None


@dataclass(eq=False)
class RecordedRun:
    """One run to compare: ``number`` (1, 2, ... in this session), ``settings``,
    ``curves``; ``origin``: ``"run"`` (trained in the window), ``"file"`` (a model file's
    history) or ``"experiment"`` (a variant of a one-click experiment); ``title``: the
    file's name or the experiment's variant (a display text or a translatable Phrase).
    ``running`` until it has ended; ``ended``: how (``"finished"``, ``"stopped"``,
    ``"failed"``)."""

    number: int
    settings: RunSettings
    curves: RunCurves
    origin: str = "run"
    title: Any = None
    running: bool = False
    ended: str = "finished"
