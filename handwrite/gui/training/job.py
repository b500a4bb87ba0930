"""One training run, or one experiment, as the window's worker thread runs it: Qt-free
generators of events.

    TrainingJob(config, data, doctor=True).run()    (on a GeneratorWorker's thread)
        -> Started, BatchProgress (batches gathered), EpochDone, Snapshot, LayerStats,
           WeightHistograms, Diagnosis (the training doctor's), Paused, Resumed,
           then Finished or Failed
        returns a RunResult: the final weights and the checkpoint to save or continue
    ExperimentJob(experiment, data).run()
        -> VariantStarted, VariantEvent (its trainer's events, batches gathered; no
           snapshots), VariantFinished
        returns the ExperimentResult (its conclusion)

The job builds the :class:`~handwrite.trainer.Trainer` on the worker thread (turning 60,000
images into floats takes a moment) and passes its events on. Batch events can come hundreds
of times a second on a GPU: the job gathers them into one :class:`BatchProgress` at most
``MAX_BATCH_RATE`` times a second, carrying every loss since the last one, so the plots miss
nothing and the GUI thread is not flooded. Snapshots keep the trainer's own pace
(``TrainConfig.snapshot_seconds``).

The events do not carry the optimizer's state, so the job returns it (with the curves) in
its :class:`RunResult`; and since a diverged run puts back the last good weights after its
last snapshot, the result carries the final weights too. Nothing on the GUI thread touches
the trainer. :meth:`TrainingJob.request_stop`, :meth:`~TrainingJob.request_pause` and
:meth:`~TrainingJob.request_resume` may be called from any thread, before the trainer exists
too; they act between batches. With ``doctor``, the training doctor
(:class:`handwrite.doctor.Doctor`) reads every event here, batch by batch, and its diagnoses
come as events too. This module imports no Qt.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Generator, Iterator
from dataclasses import dataclass

import numpy as np

from handwrite.dataset import DataSet
from handwrite.doctor import Diagnosis, Doctor
from handwrite.experiments import (
    Experiment,
    ExperimentEvent,
    ExperimentResult,
    ExperimentRun,
    VariantEvent,
)
from handwrite.nn.backend import BackendError
from handwrite.nn.model import Model
from handwrite.nn.parallel import available_cores, default_threads
from handwrite.trainer import (
    BatchDone,
    Checkpoint,
    Event,
    Failed,
    Finished,
    Snapshot,
    TrainConfig,
    Trainer,
    TrainingError,
)
from handwrite.translatable import phrase_of

#: At most this many BatchProgress events a second.
MAX_BATCH_RATE = 30.0


@dataclass(frozen=True)
class BatchProgress:
    """The batches finished since the previous BatchProgress.

    ``last``: the latest event (progress, speed, ETA); ``steps``, ``losses``: (K,) arrays of
    every batch's step number (int64) and loss (float64), oldest first.
    """

    last: BatchDone
    steps: np.ndarray
    losses: np.ndarray


@dataclass(frozen=True)
class RunResult:
    """What a run leaves besides its events (the value :meth:`TrainingJob.run` returns).

    ``end``: its last event; ``state``: the final weights (host NumPy copies; None when the
    trainer could not be built or broke down); ``checkpoint``: the optimizer state and the
    metadata (``"training"``, ``"history"``: the curves, ``"checkpoint"``) that let the run
    be saved and continued, None when it took no step.
    """

    end: Finished | Failed
    state: dict[str, np.ndarray] | None
    checkpoint: Checkpoint | None


def window_training_threads() -> int:
    """Threads a training step may use while the window shows it: ``HANDWRITE_THREADS`` when
    set, else one core less than there are, so the window keeps a core to itself.

    On two cores, splitting the steps over both made training in the window slower, not
    faster, and the window less responsive: the GUI thread, the plots and two shards then
    compete for two cores and the GIL (``benchmarks/gui_latency.py`` measures it).
    """
    if os.environ.get("HANDWRITE_THREADS", "").strip():
        return default_threads()
    return max(1, available_cores() - 1)


class TrainingJob:
    """One training run, for a worker thread to run with :meth:`run`.

    ``model``: train this model (it then belongs to the worker thread) instead of building
    the network of ``config``; with ``checkpoint`` too, continue that run where it
    stopped, up to ``config.epochs`` epochs in all. ``doctor``: diagnose the run
    (:class:`~handwrite.doctor.Diagnosis` events).
    """

    def __init__(
        self,
        config: TrainConfig,
        data: DataSet,
        model: Model | None = None,
        checkpoint: Checkpoint | None = None,
        *,
        doctor: bool = False,
    ) -> None:
        self.config = config
        self.data = data
        self._model = model
        self._resume_from = checkpoint
        self._doctor = doctor
        self._lock = threading.Lock()
        self._trainer: Trainer | None = None
        self._stop = False
        self._pause = False

    def __repr__(self) -> str:
        return f"TrainingJob({self.config.arch!r}, epochs={self.config.epochs})"

    # -- control, from any thread ---------------------------------------------------------
    def request_stop(self) -> None:
        """Stop after the current batch (also ends a pause)."""
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
    def run(self) -> Generator[Event | BatchProgress | Diagnosis, None, RunResult]:
        """Build the trainer and train: the trainer's events, batches gathered into
        :class:`BatchProgress`, and the doctor's diagnoses after the event that led to each;
        returns the :class:`RunResult`. Never raises: a bad setting or an unexpected error
        ends the run with a :class:`~handwrite.trainer.Failed`."""
        try:
            trainer = self._build()
        except (TrainingError, BackendError, ValueError) as exc:
            failed = Failed(str(exc), False, 0, phrase=phrase_of(exc))
            yield failed
            return RunResult(failed, None, None)
        doctor = Doctor() if self._doctor else None
        pending = _Batches()
        try:
            for event in trainer.run():
                found = doctor.observe(event) if doctor is not None else ()
                if isinstance(event, BatchDone):
                    progress = pending.add(event)
                    if progress is not None:
                        yield progress
                    yield from found
                    continue
                progress = pending.flush()
                if progress is not None:
                    yield progress
                if isinstance(event, Finished | Failed):
                    state = trainer.model.state_dict()
                    checkpoint = trainer.checkpoint() if trainer.step > 0 else None
                    yield event
                    yield from found
                    return RunResult(event, state, checkpoint)
                yield event
                yield from found
        except Exception as exc:  # noqa: BLE001 - the window must survive any bug in a run
            progress = pending.flush()
            if progress is not None:
                yield progress
            failed = Failed(
                f"training stopped because of an unexpected error: {exc}\n\n"
                + "".join(traceback.format_exception(exc)[-3:]),
                False,
                trainer.step,
            )
            yield failed
            return RunResult(failed, None, None)
        raise AssertionError("the trainer ended without Finished or Failed")

    def _build(self) -> Trainer:
        if self._resume_from is not None and self._model is not None:
            trainer = Trainer.resume(
                self._model,
                self._resume_from,
                self.data,
                epochs=self.config.epochs,
                device=self.config.device,
            )
        else:
            trainer = Trainer(self.config, self.data, self._model)
        trainer.model.threads = window_training_threads()
        with self._lock:
            self._trainer = trainer
            if self._stop:
                trainer.request_stop()
            if self._pause:
                trainer.request_pause()
        return trainer


class _Batches:
    """Gathers batch events into a BatchProgress at most ``MAX_BATCH_RATE`` times a second."""

    def __init__(self) -> None:
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._last: BatchDone | None = None
        self._emitted = 0.0

    def add(self, event: BatchDone) -> BatchProgress | None:
        """Keep ``event``; the gathered batches when it is time to pass them on."""
        self._steps.append(event.step)
        self._losses.append(event.loss)
        self._last = event
        if time.perf_counter() - self._emitted >= 1.0 / MAX_BATCH_RATE:
            return self.flush()
        return None

    def flush(self) -> BatchProgress | None:
        """The batches gathered so far (None when there are none)."""
        if self._last is None:
            return None
        progress = BatchProgress(
            self._last,
            np.asarray(self._steps, dtype=np.int64),
            np.asarray(self._losses, dtype=np.float64),
        )
        self._steps, self._losses, self._last = [], [], None
        self._emitted = time.perf_counter()
        return progress


class ExperimentJob:
    """One of the lecture's experiments (:class:`~handwrite.experiments.ExperimentRun`), for
    a worker thread to run with :meth:`run`; its steps use the window's training threads.

    :meth:`request_stop`, :meth:`request_pause` and :meth:`request_resume` may be called
    from any thread; the variant training acts on them between batches.
    """

    def __init__(self, experiment: Experiment, data: DataSet) -> None:
        self.experiment = experiment
        self.data = data
        self._run = ExperimentRun(experiment, data, threads=window_training_threads())

    def __repr__(self) -> str:
        return f"ExperimentJob({self.experiment.name!r})"

    def request_stop(self) -> None:
        self._run.request_stop()

    def request_pause(self) -> None:
        self._run.request_pause()

    def request_resume(self) -> None:
        self._run.request_resume()

    def run(self) -> Generator[ExperimentEvent, None, ExperimentResult]:
        """The experiment's events, each variant's batches gathered into
        :class:`BatchProgress` (inside :class:`~handwrite.experiments.VariantEvent`) and its
        snapshots left out (nothing shows a variant's weights); returns the result."""
        events = self._run.run()
        pending = _Batches()
        key: tuple[int, str] = (0, "")

        def flush() -> Iterator[VariantEvent]:
            progress = pending.flush()
            if progress is not None:
                yield VariantEvent(key[0], key[1], progress)

        while True:
            try:
                event = next(events)
            except StopIteration as end:
                yield from flush()
                return end.value
            if isinstance(event, VariantEvent):
                inner = event.event
                if isinstance(inner, BatchDone):
                    if (event.index, event.key) != key:
                        yield from flush()
                        key = (event.index, event.key)
                    progress = pending.add(inner)
                    if progress is not None:
                        yield VariantEvent(event.index, event.key, progress)
                    continue
                if isinstance(inner, Snapshot):
                    continue
            yield from flush()
            yield event
