"""Evaluating a model on the test set in the background (10,000 digits take seconds).

    EvaluationController.start(model, images, labels)
        -> EvaluationWorker (QThread): evaluate_steps chunk by chunk, ``progress`` after each
        -> ``finished(Evaluation)``

The worker is given its own copy of the model (one model per thread). Cancellation is
cooperative: :meth:`EvaluationController.cancel` sets a ``threading.Event`` that the worker
checks between chunks; the thread then ends on its own.
"""

from __future__ import annotations

import threading
import traceback

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from handwrite.evaluation import evaluate_steps, evaluation_from_probabilities
from handwrite.gui.threads import ThreadController
from handwrite.nn.model import Model

#: Images per chunk: progress and cancellation happen between chunks.
CHUNK = 500


class EvaluationWorker(QObject):
    """Evaluates ``model`` on ``images`` (N, 28, 28) uint8 and ``labels`` (N,) on the thread
    it is moved to."""

    progress = Signal(int, int)  # images done, images in all
    finished = Signal(object)  # trainer.Evaluation
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, model: Model, images: np.ndarray, labels: np.ndarray) -> None:
        super().__init__()
        self._model = model
        self._images = images
        self._labels = labels
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop between chunks (any thread)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            steps = evaluate_steps(self._model, self._images, self._labels, chunk=CHUNK)
            while True:
                if self._cancel.is_set():
                    steps.close()
                    self.cancelled.emit()
                    return
                try:
                    progress = next(steps)
                except StopIteration as stop:
                    result = stop.value
                    break
                self.progress.emit(progress.done, progress.total)
            if result is None:
                k = len(self._model.classes)
                result = evaluation_from_probabilities(
                    np.zeros((0, k), np.float32), self._labels, self._model.loss.name
                )
            self.finished.emit(result)
        except Exception as exc:  # noqa: BLE001 - report, never crash the window
            self.failed.emit(
                f"{type(exc).__name__}: {exc}\n\n" + "".join(traceback.format_exception(exc)[-3:])
            )
        finally:
            self.done.emit()


class EvaluationController(ThreadController):
    """Owns the evaluation thread; lives on the GUI thread.

    Signals (on the GUI thread): ``progress(done, total)``, ``finished(Evaluation)``,
    ``failed(message)``, ``cancelled()``, and ``running_changed(bool)`` (False once the
    thread has ended).
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def start(self, model: Model, images: np.ndarray, labels: np.ndarray) -> None:
        """Evaluate a copy of ``model`` in a new thread. Raises ``RuntimeError`` if one runs."""
        worker = EvaluationWorker(model.copy(device="cpu").eval(), images, labels)
        self._launch(worker, "evaluation", ("progress", "finished", "failed", "cancelled"))

    def cancel(self) -> None:
        """Ask the evaluation to stop after the current chunk (returns at once)."""
        if self._worker is not None:
            self._worker.cancel()

    request_stop = cancel
