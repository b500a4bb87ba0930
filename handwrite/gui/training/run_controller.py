"""Running, pausing, continuing, stopping and evaluating: one controller, one explicit state.

    train(settings) / continue_run(settings) / start(config, data, model)
        STARTING: MnistController.request(on_loaded) -> the document shows the model trained
        -> TrainingJob.run() on a GeneratorWorker's thread
        -> RUNNING <-> PAUSED (pause, resume), STOPPING (stop)
        -> the job's RunResult, once the thread has ended: the document gets the final
           weights, the summary, the curves and the checkpoint (or, when the run took no
           step, what it showed before) -> IDLE
    evaluate()
        EVALUATING: MnistController.request(on_loaded)
        -> evaluate_steps(the model on show, the test digits) on a GeneratorWorker
        -> evaluated(Evaluation) -> IDLE

The state is :class:`RunState`; what belongs to the run or evaluation under way (the
document to restore, the job and its worker, what to call when it ends) is one frozen
record, replaced as the run goes on. A request that arrives late (the MNIST digits after
Stop, the values of an evaluation cancelled since) finds another record and does nothing.
The trainer's events are re-emitted once, here, for the panel, the plots and the views;
snapshots of the weights go straight into the document, and the one that follows each
epoch's end is kept there too (:class:`~handwrite.gui.document.EpochWeights`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from handwrite.evaluation import Evaluation, evaluate_steps, evaluation_from_probabilities
from handwrite.gui import dialogs
from handwrite.gui.document import DocumentState, EpochWeights, ModelDocument
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.settings import TrainingSettings
from handwrite.gui.training.job import BatchProgress, RunResult, TrainingJob
from handwrite.gui.worker import GeneratorWorker
from handwrite.nn.model import Model
from handwrite.trainer import (
    DataSet,
    EpochDone,
    Failed,
    Finished,
    Paused,
    Resumed,
    Snapshot,
    Started,
    TrainConfig,
)

#: Test digits per chunk of an evaluation: its progress and cancellation come between chunks.
EVALUATION_CHUNK = 500


class RunState(enum.Enum):
    """What the run controller is doing."""

    IDLE = "idle"
    STARTING = "starting"  # getting the MNIST digits, then preparing the images
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"  # asked to stop: the run ends after the current batch
    EVALUATING = "evaluating"  # the model on show on the test digits (getting them first)

    @property
    def training(self) -> bool:
        """True from a run's request until its thread has ended."""
        return self in (RunState.STARTING, RunState.RUNNING, RunState.PAUSED, RunState.STOPPING)


@dataclass(frozen=True)
class _Training:
    """A training run, from its request until its thread has ended."""

    settings: TrainingSettings | None  # what train()/continue_run() asked for (None: start())
    continuing: bool = False
    on_ended: Callable[[RunResult], None] | None = None
    before: DocumentState | None = None  # what the document showed before the run
    earlier: dict[str, Any] | None = None  # a continued checkpoint's metadata (its curves)
    job: TrainingJob | None = None  # None while the digits load
    worker: GeneratorWorker | None = None
    then: Callable[[], None] | None = None  # called once the run has ended (to close)


@dataclass(frozen=True)
class _Evaluation:
    """An evaluation of the model on show, from its request until its thread has ended."""

    model: Model  # the model evaluated: its results are shown only while it is on show
    worker: GeneratorWorker | None = None  # None while the digits load


class RunController(QObject):
    """Trains the document's model (or another) and evaluates it, one thing at a time.

    Args:
        document: the model on show; a run shows its snapshots there and leaves its result.
        mnist: gives the MNIST digits (loaded on demand, in its own thread).
        parent_widget: where errors are shown (and the QObject parent).

    Signals (on the GUI thread): ``state_changed(object)`` (a :class:`RunState`),
    ``data_chosen(object)`` (the DataSet a run or an evaluation is about to use: its test
    set is what the results refer to), the trainer's events ``started``, ``batch_done``
    (:class:`~handwrite.gui.training.job.BatchProgress`), ``epoch_done``, ``paused``,
    ``resumed``, ``finished`` and ``failed``; ``continued(object)`` (after ``started`` when
    the run continues a checkpoint: its metadata, with the curves so far);
    ``evaluation_progress(int, int)`` (images done, in all), ``evaluated(object)`` (the
    Evaluation of the model on show); ``message(str, int)`` (for the status bar).
    """

    state_changed = Signal(object)
    data_chosen = Signal(object)
    started = Signal(object)
    continued = Signal(object)
    batch_done = Signal(object)
    epoch_done = Signal(object)
    paused = Signal(object)
    resumed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    evaluation_progress = Signal(int, int)
    evaluated = Signal(object)
    message = Signal(str, int)

    def __init__(
        self,
        document: ModelDocument,
        mnist: MnistController,
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._document = document
        self._mnist = mnist
        self._parent_widget = parent_widget
        self._state = RunState.IDLE
        self._current: _Training | _Evaluation | None = None
        #: Cancelled evaluations whose thread has not ended yet (waited for at shutdown).
        self._cancelled: set[GeneratorWorker] = set()
        #: The run's last epoch end, until the snapshot of its weights arrives.
        self._epoch_end: EpochDone | None = None

    def __repr__(self) -> str:
        return f"RunController({self._state.value})"

    @property
    def state(self) -> RunState:
        return self._state

    def _set_state(self, state: RunState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)

    # -- training --------------------------------------------------------------------------
    def train(self, settings: TrainingSettings) -> None:
        """Get the digits, then train a fresh model of ``settings`` (the document shows it;
        the model shown before comes back if the run is stopped before its first step)."""
        self._request_data(_Training(settings))

    def continue_run(self, settings: TrainingSettings) -> None:
        """Get the digits, then continue the document's run (its checkpoint) for
        ``settings.epochs`` more epochs, with the run's own settings."""
        if self._document.checkpoint is not None:
            self._request_data(_Training(settings, continuing=True))

    def start(
        self,
        config: TrainConfig,
        data: DataSet,
        model: Model,
        *,
        on_ended: Callable[[RunResult], None] | None = None,
    ) -> None:
        """Train a copy of ``model`` on ``data`` now, on ``config.device`` (fine-tuning: the
        document shows the run's weights as it goes). ``on_ended(result)``: called once its
        thread has ended. Raises ``RuntimeError`` while another run is under way."""
        if self._state.training:
            raise RuntimeError("a training run is under way")
        self.cancel_evaluation()
        record = _Training(None, on_ended=on_ended, before=self._document.state())
        self._launch(record, TrainingJob(config, data, model.copy()))

    def _request_data(self, record: _Training) -> None:
        if self._state.training:
            return
        self.cancel_evaluation()
        if self._mnist.data is None:
            self.message.emit(self.tr("Getting the MNIST digits…"), 0)
        self._get_digits(record, RunState.STARTING, self._on_training_data)

    def _get_digits(
        self,
        record: _Training | _Evaluation,
        state: RunState,
        then: Callable[[Any, DataSet], None],
    ) -> None:
        """Make ``record`` the current one, in ``state``, and ask for the MNIST digits:
        ``then(record, data)`` follows, unless it has been stopped or cancelled by then."""
        self._current = record
        self._set_state(state)
        self._mnist.request(
            lambda data: then(record, data) if self._current is record else None,
            lambda: self._on_no_data(record),
        )

    def _on_training_data(self, record: _Training, data: DataSet) -> None:
        assert record.settings is not None
        self.message.emit("", 0)
        document = self._document
        record = replace(record, before=document.state())
        checkpoint = document.checkpoint
        if record.continuing and checkpoint is not None:
            config = record.settings.config(epochs=checkpoint.epochs_done + record.settings.epochs)
            # The trainer continues a copy; the document keeps showing (and saving) its own,
            # refreshed by the snapshots.
            job = TrainingJob(config, data, document.model.copy(), checkpoint)
            record = replace(record, earlier=checkpoint.metadata)
            document.set_checkpoint(None)
        else:
            config = record.settings.config()
            # The document's copy: the architecture the trainer builds; snapshots fill it in.
            document.show(config.build_model(), None, trained=False)
            job = TrainingJob(config, data)
        self._launch(record, job)

    def _launch(self, record: _Training, job: TrainingJob) -> None:
        worker = GeneratorWorker(job.run(), "training")
        worker.yielded.connect(self._on_event)
        worker.finished.connect(self._on_run_ended)
        worker.errored.connect(self._on_run_errored)
        self._current = replace(record, job=job, worker=worker)
        self._epoch_end = None
        self.data_chosen.emit(job.data)
        self._set_state(RunState.STARTING)
        worker.start()

    def pause(self) -> None:
        run = self._current
        if isinstance(run, _Training) and run.job is not None and self._state is RunState.RUNNING:
            run.job.request_pause()

    def resume(self) -> None:
        run = self._current
        if isinstance(run, _Training) and run.job is not None and self._state is RunState.PAUSED:
            run.job.request_resume()

    def stop(self, then: Callable[[], None] | None = None) -> None:
        """Stop the run after the current batch (returns at once); ``then()``: called once
        it has ended (at once when nothing trains)."""
        run = self._current
        if not isinstance(run, _Training):
            if then is not None:
                QTimer.singleShot(0, then)
            return
        if run.job is None:  # still getting the digits: a download stops, the rest is dropped
            self._mnist.cancel()
            self._current = None
            self._set_state(RunState.IDLE)
            if then is not None:
                QTimer.singleShot(0, then)
            return
        self._current = replace(run, then=then or run.then)
        run.job.request_stop()
        self._set_state(RunState.STOPPING)

    def _on_no_data(self, record: _Training | _Evaluation) -> None:
        if self._current is not record:
            return
        self._current = None
        self._set_state(RunState.IDLE)
        self.message.emit(self.tr("Training needs the MNIST digits."), 8000)

    def _on_event(self, event: object) -> None:
        if isinstance(event, BatchProgress):
            self.batch_done.emit(event)
        elif isinstance(event, Snapshot):
            self._document.load_weights(event.state)
            end = self._epoch_end
            if end is not None and event.epoch == end.epoch + 1:  # the weights the epoch left
                self._document.add_epoch(EpochWeights(event.epoch, event.state, end.test_accuracy))
            self._epoch_end = None
        elif isinstance(event, EpochDone):
            self._epoch_end = event
            # The refusal fitted after the epoch goes with the weights the next snapshot brings.
            self._document.model.refusal = event.refusal
            self.epoch_done.emit(event)
        elif isinstance(event, Started):
            if self._state is RunState.STARTING:
                self._set_state(RunState.RUNNING)
            self.started.emit(event)
            run = self._current
            if isinstance(run, _Training) and run.earlier is not None:
                self.continued.emit(run.earlier)
        elif isinstance(event, Paused):
            if self._state is not RunState.STOPPING:
                self._set_state(RunState.PAUSED)
            self.paused.emit(event)
        elif isinstance(event, Resumed):
            if self._state is not RunState.STOPPING:
                self._set_state(RunState.RUNNING)
            self.resumed.emit(event)
        elif isinstance(event, Finished):
            self.finished.emit(event)
        elif isinstance(event, Failed):
            self.failed.emit(event)

    def _on_run_ended(self, result: RunResult) -> None:
        run = self._current
        assert isinstance(run, _Training) and run.before is not None
        self._current = None
        end, document = result.end, self._document
        if end.step == 0:  # nothing learned: what was on show before comes back
            document.restore(run.before)
            if isinstance(end, Finished):
                self.message.emit(self.tr("Training stopped before it began."), 8000)
        else:
            if result.state is not None:
                document.load_weights(result.state)  # a diverged run's last good weights
            metadata: dict[str, Any] = {}
            if isinstance(end, Finished):
                metadata["training"] = dict(end.summary)
                document.model.refusal = end.refusal
            if result.checkpoint is not None:
                metadata["history"] = result.checkpoint.metadata["history"]
            document.finish_training(metadata, result.checkpoint)
            if isinstance(end, Finished):
                self.message.emit(self._finished_text(end), 15000)
        self._set_state(RunState.IDLE)
        if run.on_ended is not None:
            run.on_ended(result)
        if run.then is not None:
            QTimer.singleShot(0, run.then)
        if isinstance(end, Failed):
            self._explain(end)

    def _finished_text(self, event: Finished) -> str:
        acc = event.summary.get("test_accuracy")
        message = self.tr("Training stopped.") if event.stopped else self.tr("Training done.")
        if isinstance(acc, (int, float)):
            # {0}: the sentence before ("Training done."), so that the two read as one text.
            message = self.tr("{0} {1:.2%} of the test digits recognised.").format(message, acc)
        return message

    def _on_run_errored(self, exc: BaseException) -> None:
        """The job never raises; should it still, the run ends as a failure."""
        failed = Failed(f"{type(exc).__name__}: {exc}", False, 0)
        self.failed.emit(failed)
        self._on_run_ended(RunResult(failed, None, None))

    def _explain(self, event: Failed) -> None:
        if event.diverged:
            title = self.tr("Training went wrong")
            text = self.tr(
                "The network stopped learning: its error grew without bound (it diverged). "
                "This usually means the learning rate is too high: try a smaller one, "
                "e.g. a tenth of it. The last good weights are kept."
            )
        else:
            title = self.tr("Training could not run")
            text = self.tr("Training stopped with this problem:\n\n{0}").format(
                dialogs.phrase_text(event.phrase).split("\n\n")[0]
            )
        dialogs.show_error(self._parent_widget, title, text, dialogs.phrase_text(event.phrase))

    # -- evaluation on the test set --------------------------------------------------------
    def evaluate(self) -> None:
        """Evaluate the model on show on the MNIST test set (getting the digits first)."""
        if self._state is not RunState.IDLE:
            return
        self._get_digits(
            _Evaluation(self._document.model), RunState.EVALUATING, self._on_evaluation_data
        )

    def _on_evaluation_data(self, record: _Evaluation, data: DataSet) -> None:
        self.message.emit("", 0)
        model = record.model.copy(device="cpu").eval()  # one model per thread
        images, labels = data.test_images, data.test_labels
        steps = evaluate_steps(model, images, labels, chunk=EVALUATION_CHUNK)
        worker = GeneratorWorker(steps, "evaluation")
        worker.yielded.connect(lambda p: self.evaluation_progress.emit(p.done, p.total))
        worker.finished.connect(lambda evaluation: self._on_evaluated(worker, evaluation))
        worker.errored.connect(lambda exc: self._on_evaluation_errored(worker, exc))
        worker.aborted.connect(lambda: self._cancelled.discard(worker))
        self._current = replace(record, worker=worker)
        self.data_chosen.emit(data)
        worker.start()

    def cancel_evaluation(self) -> None:
        """Stop an evaluation (its thread ends after the current chunk); IDLE at once."""
        record = self._current
        if not isinstance(record, _Evaluation):
            return
        if record.worker is not None:
            record.worker.abort()
            self._cancelled.add(record.worker)
        self._current = None
        self._set_state(RunState.IDLE)

    def _end_evaluation(self, worker: GeneratorWorker) -> _Evaluation | None:
        """``worker``'s thread has ended: the evaluation it ran, over now (IDLE), or None when
        it had been cancelled."""
        self._cancelled.discard(worker)
        record = self._current
        if not isinstance(record, _Evaluation) or record.worker is not worker:
            return None
        self._current = None
        self._set_state(RunState.IDLE)
        return record

    def _on_evaluated(self, worker: GeneratorWorker, evaluation: Evaluation | None) -> None:
        record = self._end_evaluation(worker)
        if record is None:
            return
        if evaluation is None:  # no test digits
            k = len(record.model.answer_classes)
            evaluation = evaluation_from_probabilities(
                np.zeros((0, k), np.float32), np.zeros(0, np.int64), record.model.loss.name
            )
        # Shown only for the model it was computed with (another may be on show by now).
        if record.model is self._document.model:
            self.evaluated.emit(evaluation)

    def _on_evaluation_errored(self, worker: GeneratorWorker, exc: BaseException) -> None:
        if self._end_evaluation(worker) is None:
            return
        message = f"{type(exc).__name__}: {exc}"
        dialogs.show_error(
            self._parent_widget,
            self.tr("The evaluation failed"),
            self.tr("The test digits could not be recognised: {0}").format(message),
            message,
        )

    # -- closing ---------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the run or the evaluation and wait for their threads (blocking; at exit).
        True when every thread has ended."""
        record = self._current
        ended = True
        if isinstance(record, _Training) and record.job is not None:
            record.job.request_stop()
            assert record.worker is not None
            ended = record.worker.wait(timeout_ms)
        self.cancel_evaluation()
        for worker in list(self._cancelled):
            ended = worker.wait(timeout_ms) and ended
        if isinstance(self._current, _Training) and self._current.job is None:
            self._current = None  # the digits were still loading: nothing to start
            self._set_state(RunState.IDLE)
        return ended
