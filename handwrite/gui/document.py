"""The document: the model on show, its file, and whether it holds unsaved training.

    File menu / start-up -> ModelDocument.open(path) -> read_model_file -> show(model)
        --model_replaced--> the views that start afresh (bars, test results)
        --model_changed--> the predictor and the views of the network (also after a
                           training snapshot, when only the weights change)
        --changed--> the title, the status bar, Continue (path, dirty, trained, checkpoint)
        --epochs_changed--> the view across epochs (the weights at the end of each epoch)
    Save -> model.save(path[, optimizer state]) (atomic) -> recent files, last model

The model on show is the document's own NumPy copy on the GUI thread: training runs on a
copy of its own and sends snapshots of the weights (:meth:`ModelDocument.load_weights`).
A model that holds the optimizer state of its run (a checkpoint) is saved with it, so the
file can continue the run later, here or with ``handwrite train --resume``. Questions and
errors are asked and shown over ``parent_widget``; the shipped default model is never
overwritten.

The weights at the end of each epoch of the run that made the model in this window are kept
with it (:class:`EpochWeights`, host copies: 0.7 MB an epoch for the ``cnn``), so a drawing
can be seen through every epoch. Model files hold only the final weights: a model opened
from a file has no epochs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from handwrite import resources
from handwrite.gui import dialogs
from handwrite.gui.settings import AppSettings
from handwrite.modelfile import ModelFileError, read_model_file
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.trainer import Checkpoint, TrainingError

#: The model shipped with handwrite, opened when no other model is asked for.
DEFAULT_MODEL_PATH = resources.default_model_path()
#: Models with more classes than this cannot be shown as bars.
MAX_CLASSES = 20


def _checkpoint_of(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Checkpoint | None:
    """The run state a model file holds, when it is a resumable checkpoint."""
    try:
        return Checkpoint.from_file(meta, arrays)
    except TrainingError:
        return None


@dataclass(frozen=True, eq=False)
class EpochWeights:
    """The weights at the end of one epoch of a run in this window.

    ``epoch``: the epochs done (1 after the first); ``state``: host NumPy copies of every
    parameter, as :meth:`Model.state_dict` names them; ``test_accuracy``: the accuracy on
    the test digits measured at the end of that epoch, or None.
    """

    epoch: int
    state: dict[str, np.ndarray]
    test_accuracy: float | None = None


@dataclass(frozen=True)
class DocumentState:
    """The document at one moment: :meth:`ModelDocument.restore` shows it again (a run that
    learned nothing puts back what was there before it; the window carries it into its
    rebuild in another language).

    ``trained``: the model has learned something (else its answers are guesses); ``dirty``:
    it holds training that is not saved; ``checkpoint``: the state that lets its run
    continue (and makes saved files resumable); ``epochs``: its run's weights epoch by epoch.
    """

    model: Model
    path: Path | None
    trained: bool
    dirty: bool
    checkpoint: Checkpoint | None
    epochs: tuple[EpochWeights, ...] = ()


class ModelDocument(QObject):
    """The model on show and its file; the File menu's work.

    Args:
        settings: where the recent files and the last model are remembered.
        default_path: the shipped model (opened when there is no other, never overwritten).
        parent_widget: where the questions and the errors are shown (and the QObject parent).

    Signals: ``model_replaced(object)`` (another model is on show; emitted before
    ``model_changed``), ``model_changed(object)`` (the model on show is another one or its
    weights changed), ``changed()`` (its file, dirty state, trained flag or checkpoint),
    ``opened(object)`` (the Path of a model file just opened: its curves may be shown),
    ``epochs_changed()`` (:attr:`epochs` changed), ``message(str, int)`` (for the status
    bar: the text and how long to show it, in ms).
    ``recent_menu``: File ▸ Open Recent, kept up to date here.
    """

    model_replaced = Signal(object)
    model_changed = Signal(object)
    changed = Signal()
    opened = Signal(object)
    epochs_changed = Signal()
    message = Signal(str, int)

    def __init__(
        self,
        settings: AppSettings,
        default_path: str | os.PathLike[str] | None = DEFAULT_MODEL_PATH,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self.settings = settings
        self.default_path = Path(default_path) if default_path else None
        self._model = presets.build("cnn").eval()
        self._path: Path | None = None
        self._trained = False
        self._dirty = False
        self._checkpoint: Checkpoint | None = None
        self._epochs: tuple[EpochWeights, ...] = ()
        self.recent_menu = QMenu(self.tr("Open &Recent"), parent_widget)
        self._fill_recent_menu()

    def __repr__(self) -> str:
        name = self._path.name if self._path else "untitled"
        return f"ModelDocument({name!r}, trained={self._trained}, dirty={self._dirty})"

    # -- what is on show -----------------------------------------------------------------
    @property
    def model(self) -> Model:
        """The model on show: a NumPy copy living on the GUI thread (never hand it to
        another thread)."""
        return self._model

    @property
    def path(self) -> Path | None:
        """Its file (resolved), or None for an unsaved model."""
        return self._path

    @property
    def trained(self) -> bool:
        return self._trained

    @property
    def dirty(self) -> bool:
        """True when the model holds training that is not saved in a file."""
        return self._dirty

    @property
    def checkpoint(self) -> Checkpoint | None:
        """The state that lets the model's run continue, or None."""
        return self._checkpoint

    @property
    def epochs(self) -> tuple[EpochWeights, ...]:
        """The weights at the end of each epoch of the model's run in this window, oldest
        first (empty for a model opened from a file)."""
        return self._epochs

    def add_epoch(self, weights: EpochWeights) -> None:
        """Keep the weights at the end of an epoch of the run under way."""
        self._epochs = (*self._epochs, weights)
        self.epochs_changed.emit()

    def name(self) -> str:
        """The file's name, or "untitled"."""
        return self._path.name if self._path else self.tr("untitled")

    def summary(self, in_training: bool) -> str:
        """One line for the status bar: the model, its network and its test accuracy."""
        training = self._model.metadata.get("training") or {}
        name = self.name()
        arch = training.get("architecture") or self._model.name or self.tr("network")
        acc = training.get("test_accuracy")
        if in_training:
            return self.tr("Model: {0}, in training").format(arch)
        if not self._trained:
            return self.tr("Model: {0}, untrained {1}").format(name, arch)
        if isinstance(acc, (int, float)):
            return self.tr("Model: {0} ({1}), test accuracy {2:.2%}").format(name, arch, acc)
        return self.tr("Model: {0} ({1})").format(name, arch)

    def state(self) -> DocumentState:
        return DocumentState(
            self._model, self._path, self._trained, self._dirty, self._checkpoint, self._epochs
        )

    def restore(self, state: DocumentState) -> None:
        """Show ``state`` again (from :meth:`state`)."""
        self.show(
            state.model,
            state.path,
            trained=state.trained,
            dirty=state.dirty,
            checkpoint=state.checkpoint,
            epochs=state.epochs,
        )

    def show(
        self,
        model: Model,
        path: Path | None = None,
        *,
        trained: bool,
        dirty: bool = False,
        checkpoint: Checkpoint | None = None,
        epochs: Sequence[EpochWeights] = (),
    ) -> None:
        """Show a NumPy copy of ``model``. ``checkpoint``: the state that lets its run
        continue; ``epochs``: its run's weights epoch by epoch; any other model change
        forgets them."""
        self._model = model.copy(device="cpu").eval()
        self._path = path
        self._trained = trained
        self._dirty = dirty
        self._checkpoint = checkpoint
        self._epochs = tuple(epochs)
        self.model_replaced.emit(self._model)
        self.model_changed.emit(self._model)
        self.changed.emit()
        self.epochs_changed.emit()

    def load_weights(self, state: dict[str, np.ndarray]) -> None:
        """Copy weights (a training snapshot: host arrays) into the model on show."""
        self._model.load_state_dict(state)
        self.model_changed.emit(self._model)

    def set_checkpoint(self, checkpoint: Checkpoint | None) -> None:
        self._checkpoint = checkpoint
        self.changed.emit()

    def set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.changed.emit()

    def finish_training(self, metadata: dict[str, Any], checkpoint: Checkpoint | None) -> None:
        """The model on show has been trained (a run ended after some steps): ``metadata``
        (its ``"training"`` summary, its ``"history"``) goes into the model's metadata; it is
        unsaved work now, and ``checkpoint`` continues its run."""
        self._model.metadata.update(metadata)
        self._trained = True
        self._dirty = True
        self._checkpoint = checkpoint
        self.changed.emit()

    def is_default(self, path: Path | None = None) -> bool:
        """Whether ``path`` (default: the model's file) is the shipped default model."""
        path = self._path if path is None else path.resolve()
        default = self.default_path.resolve() if self.default_path else None
        return path is not None and path == default

    # -- opening ---------------------------------------------------------------------------
    def open_first(self, model_path: str | os.PathLike[str] | None) -> None:
        """At start: the model asked for, else the last one used, else the default model,
        else an untrained cnn (saying so). Problems are shown once the window is up."""
        candidates: list[Path] = []
        if model_path is not None:
            candidates.append(Path(model_path))
        last = self.settings.last_model
        if last is not None and last.exists():  # a model deleted since: quietly skipped
            candidates.append(last)
        if self.default_path is not None and self.default_path.exists():
            candidates.append(self.default_path)
        errors: list[tuple[str, str]] = []
        for path in candidates:
            problem = self._load(path)
            if problem is None:
                if not self.is_default(path):
                    self._remember(path)
                break
            errors.append((str(path), problem))
        else:
            self.show(presets.build("cnn"), None, trained=False)
            where = self.default_path or resources.DEFAULT_MODEL
            self.message.emit(
                self.tr("No trained model found ({0}): starting with an untrained cnn.").format(
                    where
                ),
                15000,
            )
        if errors:
            if self._path is not None:
                instead = self.tr("The window opened {0} instead.").format(self._path.name)
            else:
                instead = self.tr("The window started with an untrained network instead.")
            # Shown once the window is up (and never from inside its constructor).
            QTimer.singleShot(0, lambda: self._report_open_errors(errors, instead))

    def _report_open_errors(self, errors: list[tuple[str, str]], instead: str) -> None:
        for path, problem in errors:
            self._report_open_error(path, problem, instead)

    def open_dialog(self) -> bool:
        """Ask for a model file and open it."""
        start = str(self._path.parent) if self._path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self._parent_widget, self.tr("Open a model"), start, self._file_filter()
        )
        return bool(path) and self.open(path)

    def open(self, path: str | os.PathLike[str]) -> bool:
        """Open a model file (asking first about unsaved training). On any problem an error
        dialog explains it and the model shown before stays."""
        if not self.maybe_save(self.tr("Save the trained model before opening another?")):
            return False
        path = Path(path)
        problem = self._load(path)
        if problem is not None:
            self._report_open_error(str(path), problem)
            if not path.exists():
                self.settings.remove_recent_file(path)
                self._fill_recent_menu()
            return False
        self._remember(path)
        self.message.emit(self.tr("Opened {0}").format(path.name), 5000)
        return True

    def _load(self, path: Path) -> str | None:
        """Show the model in ``path``; returns None, or the problem in words."""
        try:
            model, meta, optimizer_arrays = read_model_file(path)
        except ModelFileError as exc:
            return dialogs.problem_text(exc)
        except (OSError, ValueError) as exc:
            return dialogs.error_text(exc)
        if model.input_shape != (1, 28, 28):
            return self.tr(
                "the model expects images of shape {0}, but drawings are 28x28 pixels"
            ).format(model.input_shape)
        if len(model.answer_classes) > MAX_CLASSES:
            return self.tr("the model has {0} classes; at most {1} can be shown").format(
                len(model.answer_classes), MAX_CLASSES
            )
        training = model.metadata.get("training")
        trained = isinstance(training, dict) and bool(training.get("epochs"))
        self.show(
            model,
            path.resolve(),
            trained=trained or "checkpoint" in meta,
            checkpoint=_checkpoint_of(meta, optimizer_arrays),
        )
        self.opened.emit(path.resolve())
        return None

    def _report_open_error(self, path: str, problem: str, outcome: str | None = None) -> None:
        if outcome is None:
            outcome = self.tr("The model you had before is still loaded.")
        dialogs.show_error(
            self._parent_widget,
            self.tr("The model could not be opened"),
            self.tr("“{0}” is not a model this program can use: {1}.\n\n{2}").format(
                Path(path).name, problem, outcome
            ),
            f"{path}: {problem}",
        )

    def new(self, arch: str, dropout: float) -> bool:
        """Show a new untrained ``arch`` (asking first about unsaved training)."""
        if not self.maybe_save(self.tr("Save the trained model before starting a new one?")):
            return False
        self.show(presets.build(arch, dropout=dropout), None, trained=False)
        self.message.emit(self.tr("New untrained {0}").format(arch), 5000)
        return True

    # -- saving ----------------------------------------------------------------------------
    def maybe_save(self, question: str) -> bool:
        """Ask about unsaved training; False when the user cancels (or saving fails)."""
        if not self._dirty:
            return True
        choice = dialogs.ask_save_changes(self._parent_widget, question)
        if choice is dialogs.SaveChoice.SAVE:
            return self.save()
        return choice is dialogs.SaveChoice.DISCARD

    def save(self) -> bool:
        """Save to the model's file (the shipped default model is never overwritten)."""
        if self._path is None or self.is_default():
            return self.save_as()
        return self.save_to(self._path)

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        if self._path is not None and not self.is_default():
            suggested = str(self._path)
        else:
            suggested = str(Path.home() / f"{self._model.name or 'model'}.npz")
        path, _ = QFileDialog.getSaveFileName(
            self._parent_widget, self.tr("Save the model"), suggested, self._file_filter()
        )
        if not path:
            return False
        target = Path(path)
        return self.save_to(target if target.suffix else target.with_suffix(".npz"))

    def save_to(self, path: str | os.PathLike[str]) -> bool:
        """Write the model to ``path`` (atomically); an error dialog explains any failure."""
        path = Path(path)
        # With the run's optimizer state the file can continue the run later (here or with
        # "handwrite train --resume"); without it, it is a plain model with its curves.
        ckpt = self._checkpoint
        try:
            if ckpt is not None:
                self._model.save(path, optimizer=ckpt.optimizer, extra_metadata=ckpt.metadata)
            else:
                self._model.save(path)
        except ModelFileError as exc:
            dialogs.show_error(
                self._parent_widget,
                self.tr("The model could not be saved"),
                self.tr(
                    "Saving to “{0}” failed: {1}. Nothing was lost: try another folder."
                ).format(path.name, dialogs.problem_text(exc)),
                dialogs.error_text(exc),
            )
            return False
        self._path = path.resolve()
        self._dirty = False
        self._remember(path)
        self.changed.emit()
        self.message.emit(self.tr("Saved {0}").format(path), 5000)
        return True

    def _file_filter(self) -> str:
        return self.tr("handwrite models (*.npz);;All files (*)")

    # -- remembered files ------------------------------------------------------------------
    def _remember(self, path: Path) -> None:
        self.settings.add_recent_file(path)
        self.remember_last_model()
        self._fill_recent_menu()

    def remember_last_model(self) -> None:
        """Remember the model's file to open it next time (the default model: nothing)."""
        self.settings.last_model = None if self.is_default() else self._path

    def clear_recent_files(self) -> None:
        self.settings.recent_files = []
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files
        for i, path in enumerate(files):
            action = menu.addAction(f"&{i + 1} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open(p))
        if files:
            menu.addSeparator()
            menu.addAction(self.tr("Clear the list"), self.clear_recent_files)
        else:
            menu.addAction(self.tr("No recent models")).setEnabled(False)
