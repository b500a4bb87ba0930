"""Getting MNIST for a run or an evaluation: found quietly, or offered for download.

    MnistController.request(on_loaded, on_unavailable)
        loaded already -> on_loaded(data) at once
        else a GeneratorWorker runs find_mnist(download=False) (Qt-free)
            found     -> on_loaded(data), for every request waiting
            not found -> "Download it?" -> find_mnist(download=True): progress -> a
                         QProgressDialog (Cancel stops the download between chunks; it
                         leaves no partial file) -> on_loaded / on_unavailable
            or "Choose the folder" -> find_mnist(that folder) -> on_loaded / on_unavailable

``handwrite.mnist`` yields the download's progress from its generator forms; the worker
thread passes it on at most ``MAX_PROGRESS_RATE`` times a second.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from handwrite import mnist
from handwrite.gui import dialogs
from handwrite.gui.worker import GeneratorWorker
from handwrite.trainer import DataSet

#: At most this many progress updates a second reach the dialog.
MAX_PROGRESS_RATE = 20.0

T = TypeVar("T")


def find_mnist(
    data_dir: Path | None, download: bool, cancel: threading.Event
) -> Generator[mnist.DownloadProgress, None, mnist.Mnist]:
    """What the loading thread runs (no Qt): find MNIST and, with ``download``, download it.

    ``data_dir``: the only folder to look in (downloads then go there too); None: the usual
    places (``HANDWRITE_DATA``, the cache), downloading into the cache. ``cancel``: stops a
    download from another thread even while it waits for a server.
    """
    if download and data_dir is not None:  # load_mnist only looks in a folder it is given
        yield from _paced(mnist.fetch_mnist_steps(data_dir, cancel=cancel))
    steps = mnist.load_mnist_steps(data_dir, download=download, cancel=cancel)
    return (yield from _paced(steps))


def _paced(
    steps: Generator[mnist.DownloadProgress, None, T],
) -> Generator[mnist.DownloadProgress, None, T]:
    """``steps`` with at most ``MAX_PROGRESS_RATE`` progress events a second (the start and
    the end of each file always pass); closing it closes ``steps``."""
    last = 0.0
    try:
        while True:
            try:
                event = next(steps)
            except StopIteration as stop:
                return stop.value
            now = time.perf_counter()
            if event.done == 0 or event.done == event.total or now - last >= 1 / MAX_PROGRESS_RATE:
                last = now
                yield event
    finally:
        steps.close()


class MnistController(QObject):
    """Provides the MNIST digits to whoever asks (:meth:`request`).

    Not found, the user is asked to download MNIST or to choose a folder that holds it
    (``data_dir_chosen(object)`` then tells the window, which remembers the Path).

    ``parent_widget``: where the questions, progress and errors are shown.
    """

    data_dir_chosen = Signal(object)

    def __init__(
        self,
        parent_widget: QWidget | None = None,
        data_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._data: DataSet | None = None
        self._waiting: list[tuple[Callable[[DataSet], None], Callable[[], None] | None]] = []
        self._worker: GeneratorWorker | None = None
        self._cancel = threading.Event()
        self._dialog: QProgressDialog | None = None
        #: True while the dialog's setValue() runs (and processes events).
        self._in_set_value = False

    def __repr__(self) -> str:
        state = "loaded" if self._data is not None else "busy" if self._worker else "idle"
        return f"MnistController({state}, waiting={len(self._waiting)})"

    @property
    def data(self) -> DataSet | None:
        """The data set, once loaded."""
        return self._data

    def set_data(self, data: DataSet) -> None:
        """Use ``data`` (any :class:`~handwrite.trainer.DataSet`) instead of MNIST's files."""
        self._data = data

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The download's progress dialog while one is shown."""
        return self._dialog

    def is_busy(self) -> bool:
        """True while MNIST is being looked for or downloaded."""
        return self._worker is not None

    def request(
        self,
        on_loaded: Callable[[DataSet], None],
        on_unavailable: Callable[[], None] | None = None,
    ) -> None:
        """Call ``on_loaded(data)`` once the digits are there: at once when they are loaded
        already, else after looking for them (and perhaps downloading them) in a worker
        thread. ``on_unavailable()``: they were not found and not downloaded, the download
        was cancelled, or an error (already shown) stopped it. Either is called once."""
        if self._data is not None:
            on_loaded(self._data)
            return
        self._waiting.append((on_loaded, on_unavailable))
        if self._worker is None:
            self._start(download=False)

    def cancel(self) -> None:
        """Cancel a download in progress (as its dialog's Cancel button does). Looking
        through the folders is not cancelled: it is quick, and its result is kept for the
        next request."""
        if self._worker is not None and self._dialog is not None:
            self._stop_worker()

    def shutdown(self, timeout_ms: int = int(1000 * (mnist.DOWNLOAD_TIMEOUT + 5))) -> bool:
        """Cancel, forget the requests and wait for the thread (closing the window); True when
        it has ended."""
        self._waiting.clear()  # outcomes arriving now start nothing
        worker = self._worker
        if worker is None:
            return True
        self._stop_worker()
        return worker.wait(timeout_ms)

    def _stop_worker(self) -> None:
        assert self._worker is not None
        self._cancel.set()  # also wakes a download that waits for a server or for npm
        self._worker.abort()

    # -- the worker ----------------------------------------------------------------------
    def _start(self, download: bool) -> None:
        self._cancel = threading.Event()
        worker = GeneratorWorker(find_mnist(self.data_dir, download, self._cancel), "mnist")
        worker.yielded.connect(self._on_progress)
        worker.finished.connect(self._on_loaded)
        worker.errored.connect(lambda exc: self._on_failed(exc, downloading=download))
        worker.aborted.connect(self._on_cancelled)
        self._worker = worker
        if download:
            self._dialog = self._progress_dialog()
        worker.start()

    def _progress_dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(
            self.tr("Connecting…"), self.tr("Cancel"), 0, 0, self._parent_widget
        )
        dialog.setWindowTitle(self.tr("Downloading MNIST"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        return dialog

    def _on_progress(self, event: mnist.DownloadProgress) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        mb = 1024 * 1024
        name, done, total = event.name, event.done, event.total
        if total:
            text = self.tr("Downloading {0}: {1:.1f} of {2:.1f} MB")
            dialog.setLabelText(text.format(name, done / mb, total / mb))
            dialog.setRange(0, 1000)
            # Last: a modal progress dialog processes events in setValue(), which may end
            # the download and close the dialog before it returns; the dialog is deleted
            # only once setValue() has returned (see _ended).
            self._in_set_value = True
            try:
                dialog.setValue(int(1000 * min(done, total) / total))
            finally:
                self._in_set_value = False
            if self._dialog is not dialog:  # closed meanwhile
                dialog.deleteLater()
        else:
            dialog.setLabelText(self.tr("Downloading {0}: {1:.1f} MB").format(name, done / mb))
            dialog.setRange(0, 0)

    def _ended(self) -> None:
        """The thread has ended: close the dialog, so that another run may start."""
        self._worker = None
        if self._dialog is not None:
            self._dialog.canceled.disconnect()
            self._dialog.close()
            # Inside the dialog's setValue() (which processes events), a deferred delete
            # could run before setValue() returns to a deleted dialog: _on_progress
            # deletes it then.
            if not self._in_set_value:
                self._dialog.deleteLater()
            self._dialog = None

    # -- outcomes (each comes once the thread has ended) -------------------------------------
    def _on_loaded(self, data: DataSet) -> None:
        self._ended()
        self._data = data
        waiting, self._waiting = self._waiting, []
        for on_loaded, _ in waiting:
            on_loaded(data)

    def _on_failed(self, exc: BaseException, downloading: bool) -> None:
        self._ended()
        if not self._waiting:
            return
        if isinstance(exc, mnist.DownloadCancelled):
            self._give_up()
        elif isinstance(exc, mnist.MnistNotFoundError) and not downloading:
            self._offer_download(dialogs.error_text(exc))
        elif isinstance(exc, mnist.DataError):
            self._fail(dialogs.error_text(exc))
        else:
            self._fail(f"{type(exc).__name__}: {exc}")

    def _on_cancelled(self) -> None:
        self._ended()
        self._give_up()

    def _offer_download(self, message: str) -> None:
        choice = dialogs.ask_for_mnist(self._parent_widget, message)
        if choice is dialogs.DataChoice.DOWNLOAD:
            self._start(download=True)
        elif choice is dialogs.DataChoice.CHOOSE_FOLDER:
            start = str(self.data_dir) if self.data_dir is not None else str(Path.home())
            folder = QFileDialog.getExistingDirectory(
                self._parent_widget, self.tr("The folder with the four MNIST files"), start
            )
            if not folder:
                self._give_up()
                return
            self.data_dir = Path(folder)
            self.data_dir_chosen.emit(self.data_dir)
            self._start(download=False)
        else:
            self._give_up()

    def _fail(self, message: str) -> None:
        dialogs.show_error(
            self._parent_widget,
            self.tr("MNIST could not be loaded"),
            self.tr(
                "The training digits could not be found or downloaded. The details say where "
                "the program looked and how to put the files in place by hand."
            ),
            message,
        )
        self._give_up()

    def _give_up(self) -> None:
        waiting, self._waiting = self._waiting, []
        for _, on_unavailable in waiting:
            if on_unavailable is not None:
                on_unavailable()
