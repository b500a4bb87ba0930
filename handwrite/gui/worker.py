"""One thread worker for every background job: a Qt-free generator run on its own ``QThread``.

    worker = GeneratorWorker(evaluate_steps(model, images, labels), name="evaluation")
    worker.yielded.connect(on_progress)       # each value the generator yields
    worker.finished.connect(on_evaluation)    # the value it returns
    worker.start()
    ...
    worker.abort()                            # cooperative: between two values

The compute code knows nothing of Qt: it is a generator that yields events or progress and
returns its result (the training job, :func:`handwrite.evaluation.evaluate_steps`,
:func:`handwrite.mnist.load_mnist_steps`). The worker runs it on a ``QThread`` of its own and
re-emits, on the GUI thread (queued across threads, so receivers never run on the worker
thread):

- ``started()``: the generator began running;
- ``yielded(object)``: each value it yields, in order;
- then exactly one of ``finished(object)`` (the value it returned), ``errored(object)`` (the
  exception it raised, its traceback attached) or ``aborted()`` (:meth:`abort` was called
  and the generator was closed where it had yielded, so its ``finally`` blocks ran).

The last signal comes only once the thread has ended: whoever handles it may start the next
job at once, and a thread that is still winding down is never dropped. Cancellation is
cooperative: :meth:`abort` sets a ``threading.Event`` that the thread checks between two
values. A generator that may block for long between yields needs its own way to be woken
(``handwrite.mnist`` takes a ``threading.Event`` for that); ``QThread.terminate()`` is never
used. This is the pattern of superqt's and napari's ``GeneratorWorker`` (there on a thread
pool).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Generator
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal


class _Outcome(enum.Enum):
    FINISHED = "finished"
    ERRORED = "errored"
    ABORTED = "aborted"


class _Thread(QThread):
    """Iterates the generator. Its signals are emitted on this thread and delivered, queued,
    to the :class:`GeneratorWorker` that lives on the GUI thread."""

    began = Signal()
    produced = Signal(object)

    def __init__(self, generator: Generator[Any, Any, Any], abort: threading.Event) -> None:
        super().__init__()
        self._generator = generator
        self._abort = abort
        #: How the generator ended, and its value; read on the GUI thread once the thread
        #: has ended.
        self.outcome: tuple[_Outcome, Any] = (_Outcome.ABORTED, None)

    def run(self) -> None:
        self.began.emit()
        generator = self._generator
        try:
            while True:
                if self._abort.is_set():
                    generator.close()
                    self.outcome = (_Outcome.ABORTED, None)
                    return
                try:
                    value = next(generator)
                except StopIteration as stop:
                    self.outcome = (_Outcome.FINISHED, stop.value)
                    return
                self.produced.emit(value)
        except Exception as exc:  # noqa: BLE001 - the owner reports it; the window survives
            self.outcome = (_Outcome.ERRORED, exc)


class GeneratorWorker(QObject):
    """Runs one generator on its own ``QThread``; lives on the GUI thread.

    ``generator``: a generator object (its body runs on the worker thread: a generator does
    nothing until it is first iterated). ``name``: the thread's name, for debuggers.

    A worker runs once: :meth:`start` it, then make another for the next job.
    """

    started = Signal()
    yielded = Signal(object)
    finished = Signal(object)
    errored = Signal(object)
    aborted = Signal()

    #: Workers whose thread runs: kept alive here, so that dropping the last reference to a
    #: running worker never destroys a running QThread.
    _running: ClassVar[set[GeneratorWorker]] = set()

    def __init__(
        self,
        generator: Generator[Any, Any, Any],
        name: str = "worker",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._generator: Generator[Any, Any, Any] | None = generator
        self._name = name
        self._abort = threading.Event()
        self._thread: _Thread | None = None

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "new" if self._generator else "done"
        return f"GeneratorWorker({self._name!r}, {state})"

    def start(self) -> None:
        """Start the thread (returns at once). Raises ``RuntimeError`` when started before."""
        if self._generator is None:
            raise RuntimeError(f"{self!r} has run already: make a new worker")
        queued = Qt.ConnectionType.QueuedConnection
        thread = _Thread(self._generator, self._abort)
        thread.setObjectName(self._name)
        thread.began.connect(self.started, queued)
        thread.produced.connect(self.yielded, queued)
        thread.finished.connect(self._on_thread_finished, queued)
        self._generator = None
        self._thread = thread
        GeneratorWorker._running.add(self)
        thread.start()

    def abort(self) -> None:
        """Ask the generator to stop before its next value (any thread; returns at once)."""
        self._abort.set()

    def is_aborting(self) -> bool:
        return self._abort.is_set()

    def is_running(self) -> bool:
        """True from :meth:`start` until the last signal (the thread has ended then)."""
        return self._thread is not None

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the thread has ended, then deliver what it left (the values not yet
        delivered, then the last signal) before returning. False on a timeout."""
        thread = self._thread
        if thread is None:
            return True
        if not thread.wait(timeout_ms):
            return False
        # The queued values and the thread's end wait in the event queue: deliver them now,
        # in order, instead of after whatever the caller does next.
        QCoreApplication.sendPostedEvents(self, 0)
        self._on_thread_finished()
        return True

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """:meth:`abort`, then :meth:`wait` (blocking: for closing the window). False on a
        timeout."""
        self.abort()
        return self.wait(timeout_ms)

    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None:
            return  # delivered already by wait()
        thread.wait()  # ``finished`` is emitted just before the thread really ends
        self._thread = None
        GeneratorWorker._running.discard(self)
        outcome, value = thread.outcome
        if outcome is _Outcome.FINISHED:
            self.finished.emit(value)
        elif outcome is _Outcome.ERRORED:
            self.errored.emit(value)
        else:
            self.aborted.emit()
