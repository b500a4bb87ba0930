"""Fine-tuning on your own handwriting: the Qt glue around one run of the app's trainer.

    start(epochs, lr)
      -> MNIST (MnistController: already loaded, or loaded in its thread)
      -> before: a copy of the current model; its accuracy on your samples (GUI thread, fast)
         and on the MNIST test digits (an EvaluationWorker thread: seconds for a CNN)
      -> fine_tune_data(your samples + MNIST) -> TrainingController.start(config, data,
         model=current.copy())  (the window's live curves follow that controller)
      -> finished: after = before + the last snapshot's weights -> install_model(after, note);
         after's accuracies (the last epoch's test accuracy, or another EvaluationWorker run)
      -> compared(FineTuneComparison)          undo() -> install_model(before, note), undone

Fine-tuning is ordinary training continued from the current weights with a small learning
rate, w(t+1) = w(t) − η∇E. MNIST is mixed into the training set so that the network keeps
what it knew: trained on a few dozen of your digits alone it would soon read everything as
one of them (catastrophic forgetting; McCloskey & Cohen 1989, French 1999).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from handwrite.evaluation import evaluate
from handwrite.gui.data import MnistController
from handwrite.gui.evaluation import EvaluationWorker
from handwrite.gui.worker import RunHistory, TrainingController
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.personal import PersonalData, PersonalDataset, fine_tune_data
from handwrite.trainer import (
    DataSet,
    EpochDone,
    Failed,
    Finished,
    Snapshot,
    Started,
    TrainConfig,
)

#: The defaults offered for a fine-tuning run: a few epochs, and Adam's step a third of usual.
DEFAULT_EPOCHS = 2
DEFAULT_LR = 3e-4
DIGITS = tuple("0123456789")


#: What :meth:`FineTuneController.undo` needs: the model from before the last fine-tuning,
#: and the weights that fine-tuning installed (undo is refused once they have changed).
UndoState = tuple[Model, dict[str, np.ndarray]]


def reads_digits(model: Model) -> bool:
    """True when ``model`` answers with the ten digits (the personal set's labels)."""
    return tuple(model.classes) == DIGITS and tuple(model.input_shape) == (1, 28, 28)


def personal_accuracy(model: Model, personal: PersonalData) -> float:
    """The fraction of the personal samples that ``model`` reads as their label (NaN when
    there are none). Fast: one ``predict_proba`` over (N, 28, 28) uint8 images."""
    if len(personal) == 0:
        return math.nan
    return evaluate(model, personal.images, personal.labels).accuracy


@dataclass(frozen=True)
class FineTuneComparison:
    """Accuracies (0-1; NaN when unknown) before and after a fine-tuning run.

    ``personal_*``: on the ``personal_samples`` samples of the set as it was at the start;
    ``mnist_*``: on the first ``mnist_test_images`` MNIST test digits.
    ``stopped``: the run was stopped before its last epoch.
    """

    personal_before: float
    personal_after: float
    mnist_before: float
    mnist_after: float
    personal_samples: int
    mnist_test_images: int
    epochs_done: int
    stopped: bool = False

    @property
    def personal_change(self) -> float:
        return self.personal_after - self.personal_before

    @property
    def mnist_change(self) -> float:
        return self.mnist_after - self.mnist_before


@dataclass
class _Run:
    """What one fine-tuning run has gathered so far (GUI thread only)."""

    epochs: int
    lr: float
    personal: PersonalData | None = None
    before: Model | None = None
    personal_before: float = math.nan
    mnist_before: float | None = None
    mnist_after: float | None = None
    personal_after: float = math.nan
    test_images: int = 0
    training: bool = False  # between TrainingController.start and its finished/failed
    state: dict[str, np.ndarray] | None = None  # the latest snapshot
    last_epoch: EpochDone | None = None
    history: RunHistory | None = None
    finished: Finished | None = None
    after_state: dict[str, np.ndarray] | None = None  # the weights installed at the end


class FineTuneController(QObject):
    """Runs fine-tuning on the app's single :class:`TrainingController` and compares.

    Args:
        training: the window's training controller (its plots show the run live).
        dataset: the personal data set.
        model_provider: returns the model the window predicts with now (GUI thread); it is
            only read and copied, never changed.
        install_model: ``install_model(model, note)`` makes ``model`` the window's model (a
            fresh copy it may keep); ``note`` says in plain words what happened.
        mnist: gives the MNIST digits (loaded on demand, in its own thread).
        mnist_images: how many MNIST training digits are mixed with the personal samples.
        test_images: MNIST test digits for the before/after comparison (None: all 10,000).
        device: ``"cpu"`` or ``"gpu"``, for the training run (settable).

    Signals:

    - ``started(object)``: the training run has been started on this
      :class:`~handwrite.trainer.ArrayData` (your samples mixed with MNIST; its test set is
      the MNIST test digits the run's ``EpochDone`` events refer to);
    - ``compared(object)``: a :class:`FineTuneComparison`; the new model is installed;
    - ``undone()``: the model from before fine-tuning is back;
    - ``failed(str)``: the run could not start or went wrong (plain words); the model from
      before is kept (or put back);
    - ``running_changed(bool)``: True from :meth:`start` until ``compared`` or ``failed``;
    - ``undo_available(bool)``: whether :meth:`undo` has something to undo.
    """

    started = Signal(object)
    compared = Signal(object)
    undone = Signal()
    failed = Signal(str)
    running_changed = Signal(bool)
    undo_available = Signal(bool)

    def __init__(
        self,
        training: TrainingController,
        dataset: PersonalDataset,
        model_provider: Callable[[], Model],
        install_model: Callable[[Model, str], None],
        mnist: MnistController,
        *,
        mnist_images: int = 6000,
        test_images: int | None = None,
        device: str = "cpu",
        seed: int = 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._training = training
        self._dataset = dataset
        self._model_provider = model_provider
        self._install_model = install_model
        self._mnist = mnist
        self.mnist_images = mnist_images
        self.test_images = test_images
        self.device = device
        self.seed = seed
        self._run: _Run | None = None
        self._waiting_for_data = False
        self._undo: UndoState | None = None
        self._threads: list[tuple[QThread, EvaluationWorker]] = []

        training.started.connect(self._on_training_started)
        training.snapshot.connect(self._on_snapshot)
        training.epoch_done.connect(self._on_epoch_done)
        training.history.connect(self._on_history)
        training.finished.connect(self._on_finished)
        training.failed.connect(self._on_failed)
        mnist.loaded.connect(self._on_mnist_loaded)
        mnist.unavailable.connect(self._on_mnist_unavailable)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def __repr__(self) -> str:
        return (
            f"FineTuneController(running={self.is_running()}, can_undo={self.can_undo()}, "
            f"samples={len(self._dataset)})"
        )

    # -- state ---------------------------------------------------------------------------
    def is_running(self) -> bool:
        """True from :meth:`start` until ``compared`` or ``failed``."""
        return self._run is not None

    def can_undo(self) -> bool:
        """True when the last fine-tuning can be undone."""
        return self._undo is not None

    def undo_state(self) -> UndoState | None:
        """What undoing the last fine-tuning needs, or None (see :meth:`restore_undo`)."""
        return self._undo

    def restore_undo(self, state: UndoState | None) -> None:
        """Make ``state`` (another controller's :meth:`undo_state`) the one to undo; the
        window hands it over when it rebuilds itself in another language."""
        if self._run is None:
            self._set_undo(state)

    # -- commands ------------------------------------------------------------------------
    @Slot(int, float)
    def start(self, epochs: int = DEFAULT_EPOCHS, lr: float = DEFAULT_LR) -> bool:
        """Fine-tune the current model on the personal set. Answers with ``started`` and
        later ``compared``, or with ``failed``; returns False when it cannot start now."""
        if self._run is not None:
            return self._refuse(self.tr("Fine-tuning is already running."))
        if self._training.is_running():
            return self._refuse(
                self.tr("A training run is in progress: wait until it ends, or stop it.")
            )
        if len(self._dataset) == 0:
            return self._refuse(
                self.tr("Add some of your own digits first: there is nothing to learn from yet.")
            )
        if not reads_digits(self._model_provider()):
            return self._refuse(self.tr("This network does not read the ten digits."))
        self._run = _Run(int(epochs), float(lr))
        self.running_changed.emit(True)
        data = self._mnist.data
        if data is not None:
            self._begin(data)
        else:
            self._waiting_for_data = True
            self._mnist.request()
        return self._run is not None

    @Slot()
    def undo(self) -> bool:
        """Put back the model from before the last fine-tuning; emits ``undone``."""
        if self._undo is None or self._run is not None:
            return False
        before, installed = self._undo
        self._set_undo(None)
        current = self._model_provider().state_dict()
        if set(current) != set(installed) or not all(
            np.array_equal(current[k], installed[k]) for k in installed
        ):
            self.failed.emit(
                self.tr(
                    "The network has changed since it was fine-tuned, so fine-tuning cannot "
                    "be undone any more."
                )
            )
            return False
        self._install_model(before.copy(), self.tr("Fine-tuning undone: the network is back."))
        self.undone.emit()
        return True

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel the evaluations in progress and wait for their threads (blocking; at exit).
        A training run is the TrainingController's to stop."""
        ended = True
        for thread, worker in list(self._threads):
            worker.cancel()
            ended = thread.wait(timeout_ms) and ended
        self._threads = [(t, w) for t, w in self._threads if t.isRunning()]
        return ended

    # -- the run -------------------------------------------------------------------------
    def _refuse(self, message: str) -> bool:
        self.failed.emit(message)
        return False

    def _begin(self, mnist: DataSet) -> None:
        run = self._run
        assert run is not None
        if self._training.is_running():
            self._fail(self.tr("A training run is in progress: wait until it ends, or stop it."))
            return
        current = self._model_provider()
        run.before = current.copy(device="cpu").eval()
        run.personal = self._dataset.data
        if len(run.personal) == 0:
            self._fail(self.tr("Add some of your own digits first: there is nothing to learn."))
            return
        run.personal_before = personal_accuracy(run.before, run.personal)
        n_test = len(mnist.test_labels)
        if self.test_images is not None:
            n_test = min(n_test, self.test_images)
        run.test_images = n_test
        try:
            data = fine_tune_data(
                run.personal, mnist, mnist_images=self.mnist_images, seed=self.seed
            )
            arch = current.name if current.name in presets.PRESETS else presets.DEFAULT_PRESET
            config = TrainConfig(
                arch=arch,
                epochs=run.epochs,
                optimizer="adam",
                lr=run.lr,
                augment=True,
                validation=0,
                test_limit=n_test,
                seed=self.seed,
                device=self.device,
            )
            run.training = True
            self._training.start(config, data, run.before.copy(device=self.device))
        except (ValueError, RuntimeError) as exc:
            run.training = False
            self._fail(str(exc))
            return
        self._evaluate_mnist(
            run.before.copy(),
            np.asarray(mnist.test_images[:n_test]),
            np.asarray(mnist.test_labels[:n_test]),
            "mnist_before",
        )
        self.started.emit(data)

    def _evaluate_mnist(
        self, model: Model, images: np.ndarray, labels: np.ndarray, field: str
    ) -> None:
        """Measure ``model`` on MNIST in a thread; the result goes into the run's ``field``."""
        run = self._run
        thread = QThread()
        thread.setObjectName("fine-tune evaluation")
        worker = EvaluationWorker(model, images, labels)
        worker.moveToThread(thread)

        def store(accuracy: float) -> None:
            if self._run is run:
                setattr(run, field, accuracy)
                self._maybe_compare()

        worker.finished.connect(lambda evaluation: store(evaluation.accuracy))
        worker.failed.connect(lambda _message: store(math.nan))
        thread.started.connect(worker.run)
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(lambda: self._on_thread_finished(thread))
        self._threads.append((thread, worker))
        thread.start()

    def _on_thread_finished(self, thread: QThread) -> None:
        thread.wait()
        self._threads = [(t, w) for t, w in self._threads if t is not thread]

    def _ours(self) -> _Run | None:
        run = self._run
        return run if run is not None and run.training else None

    def _on_training_started(self, event: Started) -> None:
        if self._ours() is None:
            # Another run makes another model: there is nothing to go back to.
            self._set_undo(None)
            if self._run is not None:  # still measuring the finished fine-tuning
                self._run.after_state = None

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        run = self._ours()
        if run is not None:
            run.state = snapshot.state

    def _on_epoch_done(self, event: EpochDone) -> None:
        run = self._ours()
        if run is not None:
            run.last_epoch = event

    def _on_history(self, history: RunHistory) -> None:
        run = self._ours()
        if run is not None:
            run.history = history

    def _on_finished(self, event: Finished) -> None:
        run = self._ours()
        if run is None:
            return
        run.training = False
        run.finished = event
        assert run.before is not None and run.personal is not None
        if event.step == 0 or run.state is None:  # stopped before the first batch
            self._fail(self.tr("Fine-tuning was stopped before it began; nothing changed."))
            return
        after = run.before.copy()
        after.load_state_dict(run.state)
        after.metadata["training"] = dict(event.summary)
        if run.history is not None:
            after.metadata["history"] = run.history.data
        after.metadata["fine_tuning"] = {
            "personal_samples": len(run.personal),
            "epochs": event.epochs_done,
            "lr": run.lr,
            "mnist_images": self.mnist_images,
            "base_training": run.before.metadata.get("training"),
        }
        run.personal_after = personal_accuracy(after, run.personal)
        last = run.last_epoch
        complete = not event.stopped and last is not None and last.epoch + 1 == event.epochs_done
        if complete and last is not None and last.test_accuracy is not None:
            run.mnist_after = last.test_accuracy
        else:  # stopped in the middle of an epoch: these weights have not been tested
            mnist = self._mnist.data
            if mnist is None:
                run.mnist_after = math.nan
            else:
                n = run.test_images
                self._evaluate_mnist(
                    after.copy(),
                    np.asarray(mnist.test_images[:n]),
                    np.asarray(mnist.test_labels[:n]),
                    "mnist_after",
                )
        note = self.tr("Fine-tuned on your {0} samples: it now reads {1} of them correctly.")
        self._install_model(after, note.format(len(run.personal), _percent(run.personal_after)))
        run.after_state = after.state_dict()
        self._maybe_compare()

    def _on_failed(self, event: Failed) -> None:
        run = self._ours()
        if run is None:
            return
        run.training = False
        if event.step > 0 and run.before is not None:
            # The window has been showing the run's snapshots: put the old network back.
            self._install_model(
                run.before.copy(),
                self.tr("Fine-tuning failed; the network from before is back."),
            )
        self._fail(event.message.split("\n\n")[0])

    def _maybe_compare(self) -> None:
        run = self._run
        if run is None or run.finished is None or run.training:
            return
        if run.mnist_before is None or run.mnist_after is None:
            return
        event = run.finished
        comparison = FineTuneComparison(
            personal_before=run.personal_before,
            personal_after=run.personal_after,
            mnist_before=run.mnist_before,
            mnist_after=run.mnist_after,
            personal_samples=len(run.personal) if run.personal is not None else 0,
            mnist_test_images=run.test_images,
            epochs_done=event.epochs_done,
            stopped=event.stopped,
        )
        self._run = None
        if run.before is not None and run.after_state is not None:
            self._set_undo((run.before, run.after_state))
        self.compared.emit(comparison)
        self.running_changed.emit(False)

    def _fail(self, message: str) -> None:
        for _thread, worker in self._threads:
            worker.cancel()
        self._run = None
        self._waiting_for_data = False
        self.failed.emit(message)
        self.running_changed.emit(False)

    def _set_undo(self, undo: UndoState | None) -> None:
        had = self._undo is not None
        self._undo = undo
        if had != (undo is not None):
            self.undo_available.emit(undo is not None)

    # -- MNIST arriving --------------------------------------------------------------------
    def _on_mnist_loaded(self, data: DataSet) -> None:
        if self._waiting_for_data and self._run is not None:
            self._waiting_for_data = False
            self._begin(data)

    def _on_mnist_unavailable(self) -> None:
        if self._waiting_for_data and self._run is not None:
            self._fail(self.tr("Fine-tuning needs the MNIST digits, which are not available."))


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1%}"
