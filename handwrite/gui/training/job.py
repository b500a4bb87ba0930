"""Training in the background: a thin worker on a ``QThread`` re-emitting the trainer's events.

    dataset -> Trainer.run() (Qt-free generator, worker thread) -> TrainingWorker signals
    -> (queued) TrainingController signals on the GUI thread -> panel, plots, predictor

:class:`TrainingWorker` is a ``QObject`` moved to a ``QThread``: it builds the
:class:`~handwrite.trainer.Trainer` there (turning 60,000 images into floats takes a moment),
iterates :meth:`Trainer.run`, and emits one signal per event. Batch events can come hundreds
of times a second on a GPU; the worker gathers them and emits at most ``MAX_BATCH_RATE`` a
second, each carrying every loss since the last one (:class:`BatchProgress`), so the plots
miss nothing and the GUI thread is not flooded.

Cancellation is cooperative: :meth:`TrainingController.stop` asks the trainer to stop between
batches; the thread then ends on its own. ``QThread.terminate()`` is never used.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from handwrite.gui.threads import ThreadController
from handwrite.nn.backend import BackendError
from handwrite.nn.model import Model
from handwrite.nn.parallel import available_cores, default_threads
from handwrite.trainer import (
    BatchDone,
    Checkpoint,
    DataSet,
    EpochDone,
    Failed,
    Finished,
    Paused,
    Resumed,
    Snapshot,
    Started,
    TrainConfig,
    Trainer,
    TrainingError,
)

#: At most this many ``batch_done`` signals a second.
MAX_BATCH_RATE = 30.0


@dataclass(frozen=True)
class BatchProgress:
    """The batches finished since the previous ``batch_done`` signal.

    ``last``: the latest event (progress, speed, ETA); ``steps``, ``losses``: (K,) arrays of
    every batch's step number (int64) and loss (float64), oldest first.
    """

    last: BatchDone
    steps: np.ndarray
    losses: np.ndarray


@dataclass(frozen=True)
class RunHistory:
    """The curves of a finished run, as stored in model files' metadata under ``"history"``.

    ``data``: :meth:`History.to_json` plus ``"batches_per_epoch"``; at most
    ``handwrite.trainer.MAX_HISTORY_BATCHES`` batch losses are kept (evenly thinned), so files
    stay small.
    """

    data: dict[str, Any]

    @classmethod
    def of(cls, trainer: Trainer) -> RunHistory:
        return cls(trainer.history_metadata())


def window_training_threads() -> int:
    """Threads a training step may use while the window shows it: ``HANDWRITE_THREADS`` when
    set, else one core less than there are, so the window keeps a core to itself.

    On 2 cores, splitting steps over both cores made training in the window slower, not
    faster (246 instead of 281 batches in 12 s), and doubled the event-loop stalls (p99 26
    instead of 13 ms) and the stroke-to-probabilities time while training (8.4 instead of
    5.3 ms; ``benchmarks/gui_latency.py``): the GUI thread, the plots and two shards then
    compete for two cores and the GIL.
    """
    if os.environ.get("HANDWRITE_THREADS", "").strip():
        return default_threads()
    return max(1, available_cores() - 1)


class TrainingWorker(QObject):
    """Runs one training run on the thread it has been moved to.

    ``model``: continue training this model (it then belongs to the worker thread) instead of
    building the preset named in ``config``.
    """

    started = Signal(object)  # trainer.Started
    batch_done = Signal(object)  # BatchProgress
    epoch_done = Signal(object)  # trainer.EpochDone
    snapshot = Signal(object)  # trainer.Snapshot
    paused = Signal(object)  # trainer.Paused
    resumed = Signal(object)  # trainer.Resumed
    finished = Signal(object)  # trainer.Finished
    failed = Signal(object)  # trainer.Failed
    history = Signal(object)  # RunHistory, just before finished or failed
    checkpoint = Signal(object)  # trainer.Checkpoint, to save or continue the run later
    done = Signal()  # the run is over, whatever the outcome: the thread may quit

    def __init__(
        self,
        config: TrainConfig,
        data: DataSet,
        model: Model | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        super().__init__()
        self._config = config
        self._data = data
        self._model = model
        self._resume_from = checkpoint
        self._trainer: Trainer | None = None
        self._lock = threading.Lock()
        self._stop = False
        self._pause = False
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._last_batch: BatchDone | None = None
        self._last_emit = 0.0

    # -- control, from any thread ---------------------------------------------------------
    def request_stop(self) -> None:
        with self._lock:
            self._stop = True
            if self._trainer is not None:
                self._trainer.request_stop()

    def request_pause(self) -> None:
        with self._lock:
            self._pause = True
            if self._trainer is not None:
                self._trainer.request_pause()

    def request_resume(self) -> None:
        with self._lock:
            self._pause = False
            if self._trainer is not None:
                self._trainer.request_resume()

    # -- the run, on the worker thread ------------------------------------------------------
    @Slot()
    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # noqa: BLE001 - the app must survive any bug in a run
            self._flush()
            self.failed.emit(
                Failed(
                    f"training stopped because of an unexpected error: {exc}\n\n"
                    + "".join(traceback.format_exception(exc)[-3:]),
                    False,
                    self._trainer.step if self._trainer is not None else 0,
                )
            )
        finally:
            self.done.emit()

    def _run(self) -> None:
        try:
            if self._resume_from is not None and self._model is not None:
                trainer = Trainer.resume(
                    self._model,
                    self._resume_from,
                    self._data,
                    epochs=self._config.epochs,
                    device=self._config.device,
                )
            else:
                trainer = Trainer(self._config, self._data, self._model)
        except (TrainingError, BackendError, ValueError) as exc:
            self.failed.emit(Failed(str(exc), False, 0))
            return
        trainer.model.threads = window_training_threads()
        with self._lock:
            self._trainer = trainer
            if self._stop:
                trainer.request_stop()
            if self._pause:
                trainer.request_pause()
        for event in trainer.run():
            if isinstance(event, BatchDone):
                self._add_batch(event)
                continue
            self._flush()
            if isinstance(event, Snapshot):
                self.snapshot.emit(event)
            elif isinstance(event, EpochDone):
                self.epoch_done.emit(event)
            elif isinstance(event, Started):
                self.started.emit(event)
            elif isinstance(event, Paused):
                self.paused.emit(event)
            elif isinstance(event, Resumed):
                self.resumed.emit(event)
            elif isinstance(event, Finished):
                self.history.emit(RunHistory.of(trainer))
                self.checkpoint.emit(trainer.checkpoint())
                self.finished.emit(event)
            elif isinstance(event, Failed):
                # The trainer has put back the last good weights: let the GUI have them.
                self.snapshot.emit(
                    Snapshot(trainer.step, trainer.epoch, trainer.model.state_dict())
                )
                self.history.emit(RunHistory.of(trainer))
                if event.step > 0:
                    self.checkpoint.emit(trainer.checkpoint())
                self.failed.emit(event)

    def _add_batch(self, event: BatchDone) -> None:
        self._steps.append(event.step)
        self._losses.append(event.loss)
        self._last_batch = event
        if time.perf_counter() - self._last_emit >= 1.0 / MAX_BATCH_RATE:
            self._flush()

    def _flush(self) -> None:
        if self._last_batch is None:
            return
        progress = BatchProgress(
            self._last_batch,
            np.asarray(self._steps, dtype=np.int64),
            np.asarray(self._losses, dtype=np.float64),
        )
        self._steps, self._losses, self._last_batch = [], [], None
        self._last_emit = time.perf_counter()
        self.batch_done.emit(progress)


#: The worker's signals that the controller re-emits on the GUI thread.
_FORWARDED = (
    "started",
    "batch_done",
    "epoch_done",
    "snapshot",
    "paused",
    "resumed",
    "finished",
    "failed",
    "history",
    "checkpoint",
)


class TrainingController(ThreadController):
    """Owns the training thread and its worker; lives on the GUI thread.

    Its signals are the worker's, delivered on the GUI thread, plus ``running_changed(bool)``
    (True when a run starts, False once its thread has ended).
    """

    started = Signal(object)
    batch_done = Signal(object)
    epoch_done = Signal(object)
    snapshot = Signal(object)
    paused = Signal(object)
    resumed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    history = Signal(object)
    checkpoint = Signal(object)

    def start(
        self,
        config: TrainConfig,
        data: DataSet,
        model: Model | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        """Start a run in a new thread. Raises ``RuntimeError`` if one is running.

        ``model``: train this model (it then belongs to the worker thread) instead of a fresh
        one; with ``checkpoint`` too, continue that run where it stopped, up to
        ``config.epochs`` epochs in all.
        """
        worker = TrainingWorker(config, data, model, checkpoint)
        self._launch(worker, "training", _FORWARDED)

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.request_pause()

    def resume(self) -> None:
        if self._worker is not None:
            self._worker.request_resume()

    def stop(self) -> None:
        """Ask the run to stop after the current batch (returns at once)."""
        if self._worker is not None:
            self._worker.request_stop()

    request_stop = stop
