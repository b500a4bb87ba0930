"""What the window remembers between sessions, behind a small typed class over ``QSettings``.

The class is injected into the window, so tests hand it a temporary INI file::

    window = MainWindow(settings=AppSettings(tmp_path / "handwrite.ini"))

Every value is read defensively: a missing, damaged or hand-edited entry gives the default,
never an exception. ``VERSION`` is stored with the values; a file written by a newer layout is
read as far as it fits, and one written by an older layout is upgraded (or reset) by
:meth:`AppSettings._migrate`.

A key added later needs no new version when its absence reads as its default:
``view/language`` is such a key; a file without it (or with a value this version does not
know) follows the system's language, and versions of handwrite without it ignore it.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, QSettings

from handwrite.bounds import Bounds
from handwrite.gui.training.network import OWN
from handwrite.nn import presets
from handwrite.nn.architectures import ArchitectureError, check_architecture
from handwrite.nn.optim import OPTIMIZERS
from handwrite.nn.presets import DEFAULT_PRESET, PRESETS, default_dropout
from handwrite.trainer import SCHEDULES, SETTING_BOUNDS, START_CONFIG, TrainConfig
from handwrite.untrusted import InputError, parse_json

ORGANIZATION = "handwrite"
APPLICATION = "handwrite"

#: Pen widths the canvas accepts, in logical pixels.
PEN_WIDTH_RANGE = (4, 60)
DEFAULT_PEN_WIDTH = 22
MAX_RECENT_FILES = 8
#: The remembered language choices: follow the system (""), English, Japanese.
LANGUAGE_CHOICES = ("", "en", "ja")


def _start_architecture() -> dict[str, Any]:
    return copy.deepcopy(START_CONFIG.architecture) if START_CONFIG.architecture else {}


#: Images held out for validation: none, up to a tenth of MNIST's training images.
_VALIDATION = Bounds(0, 6000, integer=True)


@dataclass(frozen=True)
class TrainingSettings:
    """The choices of the training panel; :meth:`config` turns them into a ``TrainConfig``.

    The defaults are the window's Start defaults, :data:`handwrite.trainer.START_CONFIG`.
    ``arch``: a preset (with its ``dropout`` rate), or ``"own"``
    (:data:`~handwrite.gui.training.network.OWN`): the network is ``architecture``, the
    architecture JSON (read-only). ``limit``: train on the first N MNIST training images only
    (None: all of them), handy for a quick run on a CPU. ``validation``: the images held out
    for the validation curves. ``diagnostics``: measure each layer while training (the
    gradients, the updates, the dead units, the weights). ``negatives``, ``pen_look`` and
    ``refusal_rate``: learning to say "not a digit" (as :class:`~handwrite.trainer.TrainConfig`
    has them; ``negatives`` 0 trains a network that never refuses).
    """

    arch: str = OWN
    optimizer: str = START_CONFIG.optimizer
    lr: float = START_CONFIG.lr
    batch_size: int = START_CONFIG.batch_size
    epochs: int = START_CONFIG.epochs
    dropout: float = default_dropout(DEFAULT_PRESET)
    augment: bool = START_CONFIG.augment
    elastic: bool = START_CONFIG.elastic
    schedule: str = START_CONFIG.schedule
    limit: int | None = START_CONFIG.limit
    device: str = START_CONFIG.device
    architecture: dict[str, Any] | None = field(default_factory=_start_architecture)
    weight_decay: float = START_CONFIG.weight_decay
    validation: int = START_CONFIG.validation
    diagnostics: bool = START_CONFIG.diagnostics
    negatives: float = START_CONFIG.negatives
    pen_look: float = START_CONFIG.pen_look
    refusal_rate: float = START_CONFIG.refusal_rate

    def network(self) -> dict[str, Any]:
        """The architecture JSON of the network: ``architecture``, or the preset's."""
        if self.arch == OWN and self.architecture is not None:
            return self.architecture
        return presets.architecture(self.arch, dropout=self.dropout)

    def config(self, **overrides: Any) -> TrainConfig:
        """The trainer's configuration (validated by the trainer itself)."""
        own = self.arch == OWN
        values = {
            "arch": TrainConfig.arch if own else self.arch,
            "architecture": self.architecture if own else None,
            "optimizer": self.optimizer,
            "lr": self.lr,
            "batch_size": self.batch_size,
            "epochs": self.epochs,
            "dropout": None if own else self.dropout,
            "augment": self.augment,
            "elastic": self.augment and self.elastic,
            "schedule": self.schedule,
            "limit": self.limit,
            "device": self.device,
            "weight_decay": self.weight_decay,
            "validation": self.validation,
            "diagnostics": self.diagnostics,
            "negatives": self.negatives,
            "pen_look": self.pen_look,
            "refusal_rate": self.refusal_rate,
        }
        values.update(overrides)
        return TrainConfig(**values)

    @classmethod
    def from_config(
        cls, config: TrainConfig, like: TrainingSettings | None = None
    ) -> TrainingSettings:
        """The settings that give ``config`` (what the panel keeps of it; the rest as in
        ``like``, else the defaults): the training doctor's fixes come back this way."""
        base = like if like is not None else cls()
        own = config.architecture is not None
        return dataclasses.replace(
            base,
            arch=OWN if own else config.arch,
            architecture=config.architecture if own else None,
            dropout=base.dropout
            if own
            else config.dropout
            if config.dropout is not None
            else default_dropout(config.arch),
            optimizer=config.optimizer,
            lr=config.lr,
            batch_size=config.batch_size,
            epochs=config.epochs,
            augment=config.augment,
            elastic=config.elastic,
            schedule=config.schedule,
            limit=config.limit,
            device=config.device,
            weight_decay=config.weight_decay,
            validation=config.validation,
            diagnostics=config.diagnostics,
            negatives=config.negatives,
            pen_look=config.pen_look,
            refusal_rate=config.refusal_rate,
        )

    def checked(self) -> TrainingSettings:
        """A copy with every out-of-range value (``handwrite.trainer.SETTING_BOUNDS``, as the
        trainer checks them) replaced by its default; your own network must pass
        :func:`~handwrite.nn.architectures.check_architecture`, else the default network
        (with its architecture) comes instead."""
        d = TrainingSettings()

        def within(name: str) -> bool:
            return SETTING_BOUNDS[name].admits(getattr(self, name))

        ok = {
            "arch": self.arch in PRESETS or (self.arch == OWN and _good(self.architecture)),
            "optimizer": self.optimizer in OPTIMIZERS,
            "lr": within("lr"),
            "batch_size": within("batch_size"),
            "epochs": within("epochs"),
            "dropout": within("dropout"),
            "augment": isinstance(self.augment, bool),
            "elastic": isinstance(self.elastic, bool),
            "schedule": self.schedule in SCHEDULES,
            "limit": self.limit is None or within("limit"),
            "device": self.device in ("cpu", "gpu"),
            "architecture": self.architecture is None or _good(self.architecture),
            "weight_decay": within("weight_decay"),
            "validation": _VALIDATION.admits(self.validation),
            "diagnostics": isinstance(self.diagnostics, bool),
            "negatives": within("negatives"),
            "pen_look": within("pen_look"),
            "refusal_rate": within("refusal_rate"),
        }
        if not ok["arch"]:  # the network is the two together
            ok["architecture"] = False
        return TrainingSettings(
            **{f.name: getattr(self if ok[f.name] else d, f.name) for f in fields(self)}
        )


def _good(architecture: Any) -> bool:
    """Whether ``architecture`` is one a network can be trained from."""
    try:
        check_architecture(architecture)
    except (ArchitectureError, TypeError, ValueError, RecursionError):
        return False
    return True


def _open(path: str | os.PathLike[str] | None) -> QSettings:
    if path is None:
        return QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )
    return QSettings(str(path), QSettings.Format.IniFormat)


def _language(value: Any) -> str:
    return value if value in LANGUAGE_CHOICES else ""


class AppSettings:
    """Typed access to the remembered settings.

    ``path``: an INI file to use (tests, portable installs); ``None``: the platform's usual
    place for ``handwrite/handwrite``.
    """

    #: Bump when the meaning of a stored key changes, and teach :meth:`_migrate` the old one.
    VERSION = 1

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._qs = _open(path)
        self._migrate()

    @staticmethod
    def stored_language(path: str | os.PathLike[str] | None = None) -> str:
        """The remembered :attr:`language`, read without touching the file (the application
        installs its translations before the window, and its settings, exist)."""
        return _language(_open(path).value("view/language"))

    def __repr__(self) -> str:
        return f"AppSettings({self.path!r})"

    @property
    def path(self) -> str:
        """The file the settings live in."""
        return self._qs.fileName()

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings also does it on its own)."""
        self._qs.sync()

    def _migrate(self) -> None:
        stored = self._int("version", 0)
        if stored == 0 and self._qs.allKeys():
            self._qs.clear()  # written before versioning existed: nothing worth keeping
        if stored < self.VERSION:
            self._qs.setValue("version", self.VERSION)

    # -- low-level typed reads -------------------------------------------------------------
    def _int(self, key: str, default: int) -> int:
        value = self._qs.value(key)
        try:
            return int(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def _str(self, key: str, default: str | None) -> str | None:
        value = self._qs.value(key)
        return value if isinstance(value, str) and value else default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # -- window --------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        """``QWidget.saveGeometry()`` of the main window, or None."""
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        """``QMainWindow.saveState()`` (tool bars, docks), or None."""
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        """``QSplitter.saveState()`` of the split between drawing and training, or None."""
        return self._bytes("window/splitter")

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/splitter", value)

    @property
    def probes(self) -> np.ndarray:
        """The pinned probe digits, (K, 28, 28) float32 in [0, 1] (stored as 8-bit pixels);
        empty when none were kept or the stored value is damaged."""
        raw = self._bytes("view/probes")
        size = 28 * 28
        if raw is None or len(bytes(raw)) % size:
            return np.zeros((0, 28, 28), np.float32)
        pixels = np.frombuffer(bytes(raw), np.uint8).reshape(-1, 28, 28)
        return pixels.astype(np.float32) / np.float32(255.0)

    @probes.setter
    def probes(self, value: np.ndarray) -> None:
        a = np.clip(np.asarray(value, dtype=np.float32).reshape(-1, 28, 28), 0.0, 1.0)
        self._qs.setValue("view/probes", QByteArray(np.rint(a * 255).astype(np.uint8).tobytes()))

    # -- view ----------------------------------------------------------------------------
    @property
    def language(self) -> str:
        """The language chosen in the View menu: ``"en"``, ``"ja"``, or ``""`` to follow
        the system's locale (see :mod:`handwrite.gui.language`)."""
        return _language(self._qs.value("view/language"))

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("view/language", _language(value))

    # -- drawing -------------------------------------------------------------------------
    @property
    def pen_width(self) -> int:
        low, high = PEN_WIDTH_RANGE
        return min(max(self._int("canvas/pen_width", DEFAULT_PEN_WIDTH), low), high)

    @pen_width.setter
    def pen_width(self, value: int) -> None:
        self._qs.setValue("canvas/pen_width", int(value))

    # -- model files ---------------------------------------------------------------------
    @property
    def last_model(self) -> Path | None:
        """The model file open when the window last closed (None: the default model)."""
        value = self._str("files/last_model", None)
        return Path(value) if value else None

    @last_model.setter
    def last_model(self, value: str | os.PathLike[str] | None) -> None:
        if value is None:
            self._qs.remove("files/last_model")
        else:
            self._qs.setValue("files/last_model", str(value))

    @property
    def recent_files(self) -> list[Path]:
        """Model files opened or saved lately, the latest first."""
        try:
            items = parse_json(self._str("files/recent", "[]") or "[]")
        except InputError:  # not JSON, nested thousands deep, ...: forgotten
            return []
        if not isinstance(items, list):
            return []
        return [Path(p) for p in items if isinstance(p, str) and p][:MAX_RECENT_FILES]

    @recent_files.setter
    def recent_files(self, value: list[Path]) -> None:
        items = [str(p) for p in value][:MAX_RECENT_FILES]
        self._qs.setValue("files/recent", json.dumps(items))

    def add_recent_file(self, path: str | os.PathLike[str]) -> list[Path]:
        """Put ``path`` first in the recent files; returns the new list."""
        path = Path(path).resolve()
        files = [path] + [p for p in self.recent_files if p != path]
        self.recent_files = files
        return self.recent_files

    def remove_recent_file(self, path: str | os.PathLike[str]) -> list[Path]:
        path = Path(path).resolve()
        self.recent_files = [p for p in self.recent_files if p != path]
        return self.recent_files

    # -- data ----------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path | None:
        """A folder holding MNIST chosen by the user (None: look in the usual places)."""
        value = self._str("data/dir", None)
        return Path(value) if value else None

    @data_dir.setter
    def data_dir(self, value: str | os.PathLike[str] | None) -> None:
        if value is None:
            self._qs.remove("data/dir")
        else:
            self._qs.setValue("data/dir", str(value))

    # -- training ------------------------------------------------------------------------
    @property
    def training(self) -> TrainingSettings:
        """The training panel's last choices (defaults for anything missing or damaged)."""
        try:
            data = parse_json(self._str("training/settings", "{}") or "{}")
        except InputError:  # not JSON, nested thousands deep, ...: the defaults
            data = {}
        if not isinstance(data, dict):
            data = {}
        known = {f.name for f in fields(TrainingSettings)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("lr", "dropout", "weight_decay"):  # JSON writes 1.0 as 1
            if isinstance(values.get(name), int) and not isinstance(values.get(name), bool):
                values[name] = float(values[name])
        if "arch" in values and "architecture" not in values:
            values["architecture"] = None  # written before your own networks: a preset
        return TrainingSettings(**values).checked()

    @training.setter
    def training(self, value: TrainingSettings) -> None:
        self._qs.setValue("training/settings", json.dumps(asdict(value)))
