"""The one thread worker: a generator run on a QThread, its values re-emitted on the GUI
thread, its end signalled once the thread has ended, and cooperative cancellation."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Generator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QThread

from handwrite.gui.worker import GeneratorWorker


def counting(n: int, seen: list[Any]) -> Generator[int, None, str]:
    """Yields 0..n-1 (noting the thread each runs on), returns "done"."""
    for i in range(n):
        seen.append(QThread.currentThread())
        yield i
    return "done"


def test_values_then_the_return_value_arrive_on_the_gui_thread(qtbot: Any) -> None:
    threads: list[Any] = []
    worker = GeneratorWorker(counting(5, threads), "count")
    log: list[tuple[str, Any]] = []
    worker.started.connect(lambda: log.append(("started", QThread.currentThread())))
    worker.yielded.connect(lambda v: log.append(("yielded", v)))

    def finished(value: str) -> None:
        log.append(("finished", value))
        assert not worker.is_running()  # the thread has ended before its end is told

    worker.finished.connect(finished)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    gui = QThread.currentThread()
    assert log[0] == ("started", gui)
    assert log[1:] == [("yielded", i) for i in range(5)] + [("finished", "done")]
    assert threads and all(t is not gui for t in threads)  # the generator ran elsewhere
    with pytest.raises(RuntimeError, match="make a new worker"):
        worker.start()


def test_an_exception_is_reported_not_raised(qtbot: Any) -> None:
    def failing() -> Generator[int, None, None]:
        yield 1
        raise ValueError("the data do not fit")

    worker = GeneratorWorker(failing(), "failing")
    values: list[int] = []
    worker.yielded.connect(values.append)
    with qtbot.waitSignal(worker.errored, timeout=5000) as errored:
        worker.start()
    exc = errored.args[0]
    assert isinstance(exc, ValueError) and "do not fit" in str(exc)
    assert exc.__traceback__ is not None  # for the details of an error dialog
    assert values == [1] and not worker.is_running()


def test_abort_closes_the_generator_between_values(qtbot: Any) -> None:
    """abort() is checked before each value: the generator is closed where it yielded, so
    its clean-up runs, and aborted() comes instead of finished()."""
    go_on = threading.Event()
    cleaned_up = threading.Event()
    produced: list[int] = []

    def endless() -> Generator[int, None, None]:
        try:
            i = 0
            while True:
                produced.append(i)
                yield i
                i += 1
                go_on.wait(5)
        finally:
            cleaned_up.set()

    worker = GeneratorWorker(endless(), "endless")
    finished: list[object] = []
    worker.finished.connect(finished.append)
    with qtbot.waitSignal(worker.yielded, timeout=5000):
        worker.start()
    with qtbot.waitSignal(worker.aborted, timeout=5000):
        worker.abort()
        assert worker.is_aborting()
        go_on.set()
    assert cleaned_up.is_set() and not finished
    assert len(produced) <= 2  # at most the value being made when abort() came


def test_wait_delivers_what_is_left_in_order_before_returning(qtbot: Any) -> None:
    """A caller that blocks on wait() (closing the window) still gets every value, then the
    end, before wait() returns; the signals do not come again afterwards."""
    worker = GeneratorWorker(counting(50, []), "count")
    log: list[Any] = []
    worker.yielded.connect(log.append)
    worker.finished.connect(lambda value: log.append(value))
    worker.start()
    assert worker.wait(5000)
    assert log == [*range(50), "done"] and not worker.is_running()
    QCoreApplication.processEvents()  # nothing arrives later: wait() emptied the queue
    assert log == [*range(50), "done"]
    assert GeneratorWorker(counting(1, []), "idle").wait(10)  # never started: nothing to wait


def test_a_dropped_worker_keeps_running_until_its_thread_ends(qtbot: Any) -> None:
    """Dropping the last reference to a running worker must not destroy its QThread."""
    release = threading.Event()
    ended = threading.Event()

    def slow() -> Generator[int, None, None]:
        yield 0
        release.wait(5)
        ended.set()

    worker = GeneratorWorker(slow(), "slow")
    worker.start()
    kept = weakref.ref(worker)
    del worker
    assert kept() in GeneratorWorker._running  # alive while its thread runs
    release.set()
    qtbot.waitUntil(lambda: ended.is_set() and kept() not in GeneratorWorker._running)
