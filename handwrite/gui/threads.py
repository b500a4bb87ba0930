"""One background job at a time: a worker ``QObject`` on its own ``QThread``.

A controller lives on the GUI thread and owns the thread; the worker has a ``run()`` slot and
a ``done`` signal emitted last, whatever the outcome. Cancellation is cooperative (each
controller says how to ask its worker to stop); the thread is never terminated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal


class ThreadController(QObject):
    """Base of the controllers that run one worker at a time.

    ``running_changed(bool)``: True when a job starts, False once its thread has ended.
    Subclasses implement :meth:`request_stop` (ask the worker to stop; returns at once).
    """

    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: Any = None

    def is_running(self) -> bool:
        """True from the start of a job until its thread has ended."""
        return self._thread is not None

    def _launch(self, worker: QObject, name: str, forward: Iterable[str]) -> None:
        """Run ``worker`` on a new thread named ``name``, re-emitting its signals ``forward``
        (same names) from this controller. Raises ``RuntimeError`` if a job is running."""
        if self._thread is not None:
            raise RuntimeError(f"{name} is already running")
        thread = QThread()
        thread.setObjectName(name)
        worker.moveToThread(thread)
        for signal in forward:
            getattr(worker, signal).connect(getattr(self, signal))
        thread.started.connect(worker.run)
        # Direct: quit from the worker thread itself, so that a GUI thread blocked in
        # shutdown() (wait) does not have to deliver it.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        thread.start()
        self.running_changed.emit(True)

    def request_stop(self) -> None:
        raise NotImplementedError

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Ask the job to stop and wait for its thread (blocking; at exit); True when ended."""
        thread = self._thread
        if thread is None:
            return True
        self.request_stop()
        ended = thread.wait(timeout_ms)
        if ended:
            self._on_thread_finished()
        return ended

    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None:
            return
        # ``finished`` is emitted just before the thread ends: let it end, then let Python
        # delete the worker and the thread (no deleteLater racing with the garbage collector).
        thread.wait()
        self._thread, self._worker = None, None
        self.running_changed.emit(False)
