"""Fine-tuning on your own handwriting: one run on the window's run controller, compared.

    start(epochs, lr)
      -> MNIST (MnistController.request: already loaded, or loaded in its thread)
      -> before: a copy of the current model; its accuracy on your samples (GUI thread, fast)
         and on the MNIST test digits (evaluate_steps on a GeneratorWorker: seconds for a CNN)
      -> fine_tune_data(your samples + MNIST) -> RunController.start(config, data, model)
         (the window's live curves and views follow the run like any other)
      -> the run's result: after = before + its final weights -> install_model(after, note);
         after's accuracies (the last epoch's test accuracy, or another evaluation)
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
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from handwrite.evaluation import Evaluation, evaluate_steps
from handwrite.gui import dialogs, formatting
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.training.job import RunResult
from handwrite.gui.training.run_controller import EVALUATION_CHUNK, RunController
from handwrite.gui.worker import GeneratorWorker
from handwrite.nn import presets
from handwrite.nn.model import DIGITS, Model
from handwrite.personal import PersonalData, PersonalDataset, fine_tune_data, read_right
from handwrite.trainer import DataSet, Failed, Started, TrainConfig, history_from_metadata

#: The defaults offered for a fine-tuning run: a few epochs, and Adam's step a third of usual.
DEFAULT_EPOCHS = 2
DEFAULT_LR = 3e-4


#: What :meth:`FineTuneController.undo` needs: the model from before the last fine-tuning,
#: and the weights that fine-tuning installed (undo is refused once they have changed).
UndoState = tuple[Model, dict[str, np.ndarray]]


#: Negatives per batch (a share of its digits) when fine-tuning a network with the "not a
#: digit" output: it keeps learning to refuse, from the same bank as any run on MNIST.
FINE_TUNE_NEGATIVES = 0.25


def reads_digits(model: Model) -> bool:
    """True when ``model`` answers with the ten digits (the personal set's labels), with or
    without the "not a digit" output."""
    return tuple(model.answer_classes) == DIGITS and tuple(model.input_shape) == (1, 28, 28)


def personal_accuracy(model: Model, personal: PersonalData) -> float:
    """The fraction of the personal samples that ``model`` reads as their label (NaN when
    there are none; a "not a digit" sample is read right when refused,
    :func:`handwrite.personal.read_right`). Fast: one forward pass over (N, 28, 28) uint8
    images."""
    if len(personal) == 0:
        return math.nan
    return float(read_right(model, personal).mean())


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


@dataclass
class _Run:
    """What one fine-tuning run has gathered so far (GUI thread only)."""

    epochs: int
    lr: float
    personal: PersonalData | None = None
    mnist: DataSet | None = None
    before: Model | None = None
    personal_before: float = math.nan
    mnist_before: float | None = None  # None: still being measured
    mnist_after: float | None = None
    personal_after: float = math.nan
    test_images: int = 0
    training: bool = False  # from RunController.start until the run's result
    epochs_done: int = 0
    stopped: bool = False
    ended: bool = False  # the run's result has come
    after_state: dict[str, np.ndarray] | None = None  # the weights installed at the end


class FineTuneController(QObject):
    """Runs fine-tuning on the window's :class:`RunController` and compares.

    Args:
        run: the window's run controller (its plots and views show the run live).
        dataset: the personal data set.
        model_provider: returns the model the window shows (read on the GUI thread).
        install_model: shows a model in the window, with a note for the status bar; called
            with the fine-tuned model, and with the one from before on Undo or when
            fine-tuning failed after the window had shown the run's weights.
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
        run: RunController,
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
        self._runs = run
        self._dataset = dataset
        self._model_provider = model_provider
        self._install_model = install_model
        self._mnist = mnist
        self.mnist_images = mnist_images
        self.test_images = test_images
        self.device = device
        self.seed = seed
        self._run: _Run | None = None
        self._undo: UndoState | None = None
        self._evaluations: set[GeneratorWorker] = set()

        run.started.connect(self._on_training_started)
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
        if self._runs.state.training:
            return self._refuse(
                self.tr("A training run is in progress: wait until it ends, or stop it.")
            )
        if len(self._dataset) == 0:
            return self._refuse(
                self.tr("Add some of your own digits first: there is nothing to learn from yet.")
            )
        if not reads_digits(self._model_provider()):
            return self._refuse(self.tr("This network does not read the ten digits."))
        run = self._run = _Run(int(epochs), float(lr))
        self.running_changed.emit(True)
        self._mnist.request(lambda data: self._begin(run, data), lambda: self._no_mnist(run))
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
        A training run is the RunController's to stop."""
        ended = True
        for worker in list(self._evaluations):
            ended = worker.stop(timeout_ms) and ended
        return ended

    # -- the run -------------------------------------------------------------------------
    def _refuse(self, message: str) -> bool:
        self.failed.emit(message)
        return False

    def _no_mnist(self, run: _Run) -> None:
        if self._run is run:
            self._fail(self.tr("Fine-tuning needs the MNIST digits, which are not available."))

    def _begin(self, run: _Run, mnist: DataSet) -> None:
        if self._run is not run:
            return
        if self._runs.state.training:
            self._fail(self.tr("A training run is in progress: wait until it ends, or stop it."))
            return
        current = self._model_provider()
        run.before = current.copy(device="cpu").eval()
        run.personal = self._dataset.data
        run.mnist = mnist
        if len(run.personal) == 0:
            self._fail(self.tr("Add some of your own digits first: there is nothing to learn."))
            return
        run.personal_before = personal_accuracy(run.before, run.personal)
        n_test = len(mnist.test_labels)
        if self.test_images is not None:
            n_test = min(n_test, self.test_images)
        run.test_images = n_test
        try:
            # A network with the "not a digit" output learns from those samples too, and
            # keeps learning negatives; a ten-output one has no class for them.
            refusing = run.before.has_not_a_digit_output
            data = fine_tune_data(
                run.personal,
                mnist,
                mnist_images=self.mnist_images,
                seed=self.seed,
                not_a_digit=refusing,
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
                # Fewer negatives than a run from scratch: the network knows them already,
                # and the batches are for your digits (measured: MNIST kept within a point).
                negatives=FINE_TUNE_NEGATIVES if refusing else 0.0,
            )
            run.training = True
            self._runs.start(
                config, data, run.before, on_ended=lambda result: self._on_run_ended(run, result)
            )
        except (ValueError, RuntimeError) as exc:
            run.training = False
            self._fail(dialogs.error_text(exc))
            return
        self._evaluate_mnist(run, run.before.copy(), "mnist_before")
        self.started.emit(data)

    def _evaluate_mnist(self, run: _Run, model: Model, field: str) -> None:
        """Measure ``model`` on the run's MNIST test digits in a worker thread; the accuracy
        goes into the run's ``field`` (NaN when the evaluation fails)."""
        assert run.mnist is not None
        n = run.test_images
        images, labels = run.mnist.test_images[:n], run.mnist.test_labels[:n]
        steps = evaluate_steps(
            model, np.asarray(images), np.asarray(labels), chunk=EVALUATION_CHUNK
        )
        worker = GeneratorWorker(steps, "fine-tune evaluation")

        def store(evaluation: Evaluation | None) -> None:
            self._evaluations.discard(worker)
            if self._run is run:
                setattr(run, field, math.nan if evaluation is None else evaluation.accuracy)
                self._maybe_compare()

        worker.finished.connect(store)
        worker.errored.connect(lambda _exc: store(None))
        worker.aborted.connect(lambda: self._evaluations.discard(worker))
        self._evaluations.add(worker)
        worker.start()

    def _on_training_started(self, event: Started) -> None:
        run = self._run
        if run is None or not run.training:
            # Another run makes another model: there is nothing to go back to.
            self._set_undo(None)
            if run is not None:  # still measuring the finished fine-tuning
                run.after_state = None

    def _on_run_ended(self, run: _Run, result: RunResult) -> None:
        if self._run is not run:
            return
        run.training = False
        end = result.end
        assert run.before is not None and run.personal is not None
        if isinstance(end, Failed):
            if end.step > 0:
                # The window has been showing the run's weights: put the old network back.
                self._install_model(
                    run.before.copy(),
                    self.tr("Fine-tuning failed; the network from before is back."),
                )
            self._fail(dialogs.phrase_text(end.phrase).split("\n\n")[0])
            return
        if end.step == 0 or result.state is None:  # stopped before the first batch
            self._fail(self.tr("Fine-tuning was stopped before it began; nothing changed."))
            return
        after = run.before.copy()
        after.load_state_dict(result.state)
        after.metadata["training"] = dict(end.summary)
        curves = history_from_metadata(result.checkpoint.metadata) if result.checkpoint else None
        if curves is not None:
            after.metadata["history"] = result.checkpoint.metadata["history"]
        after.metadata["fine_tuning"] = {
            "personal_samples": len(run.personal),
            "epochs": end.epochs_done,
            "lr": run.lr,
            "mnist_images": self.mnist_images,
            "base_training": run.before.metadata.get("training"),
        }
        run.personal_after = personal_accuracy(after, run.personal)
        run.epochs_done, run.stopped, run.ended = end.epochs_done, end.stopped, True
        history = curves[0] if curves is not None else None
        tested = history.test_accuracy[-1] if history is not None and history.epoch else None
        complete = not end.stopped and history is not None and history.epoch[-1] == end.epochs_done
        if complete and tested is not None:
            run.mnist_after = tested
        else:  # stopped in the middle of an epoch: these weights have not been tested
            self._evaluate_mnist(run, after.copy(), "mnist_after")
        note = self.tr("Fine-tuned on your {0} samples: it now reads {1} of them correctly.")
        self._install_model(
            after, note.format(len(run.personal), formatting.percent(run.personal_after))
        )
        run.after_state = after.state_dict()
        self._maybe_compare()

    def _maybe_compare(self) -> None:
        run = self._run
        if run is None or not run.ended or run.mnist_before is None or run.mnist_after is None:
            return
        comparison = FineTuneComparison(
            personal_before=run.personal_before,
            personal_after=run.personal_after,
            mnist_before=run.mnist_before,
            mnist_after=run.mnist_after,
            personal_samples=len(run.personal) if run.personal is not None else 0,
            mnist_test_images=run.test_images,
            epochs_done=run.epochs_done,
            stopped=run.stopped,
        )
        self._run = None
        if run.before is not None and run.after_state is not None:
            self._set_undo((run.before, run.after_state))
        self.compared.emit(comparison)
        self.running_changed.emit(False)

    def _fail(self, message: str) -> None:
        for worker in self._evaluations:
            worker.abort()
        self._run = None
        self.failed.emit(message)
        self.running_changed.emit(False)

    def _set_undo(self, undo: UndoState | None) -> None:
        had = self._undo is not None
        self._undo = undo
        if had != (undo is not None):
            self.undo_available.emit(undo is not None)
