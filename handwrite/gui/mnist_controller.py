"""Getting MNIST for training: look for it in the background, offer to download it if missing.

    MnistController.request() -> MnistWorker (thread): load_mnist(download=False)
        found     -> ``loaded(data)``
        not found -> "Download it?" -> MnistWorker: download, progress -> QProgressDialog
                     (Cancel sets the worker's threading.Event; the download stops between
                     chunks and leaves no partial file) -> ``loaded`` / ``cancelled`` / error

``handwrite.mnist`` reports progress through a plain callback on the downloading thread; the
worker turns it into a queued signal, at most ``MAX_PROGRESS_RATE`` times a second.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from handwrite import mnist
from handwrite.gui import dialogs
from handwrite.gui.threads import ThreadController
from handwrite.trainer import DataSet

MAX_PROGRESS_RATE = 20.0


class MnistWorker(QObject):
    """Finds (and with ``download``, downloads) MNIST on the thread it is moved to.

    ``data_dir``: the only folder to look in (downloads then go there too); ``None``: the usual
    places (``HANDWRITE_DATA``, the cache) and downloads into the cache.
    """

    progress = Signal(str, int, int)  # file name, bytes done, bytes in total (-1: unknown)
    loaded = Signal(object)  # mnist.Mnist
    not_found = Signal(str)  # the explanation: what was tried
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, data_dir: Path | None, download: bool) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._download = download
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def cancel(self) -> None:
        """Stop a download between chunks (any thread)."""
        self._cancel.set()

    def _on_progress(self, name: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if done == 0 or now - self._last_progress >= 1.0 / MAX_PROGRESS_RATE or done == total:
            self._last_progress = now
            self.progress.emit(name, done, -1 if total is None else total)

    @Slot()
    def run(self) -> None:
        try:
            if self._download and self._data_dir is not None:
                mnist.fetch_mnist(self._data_dir, progress=self._on_progress, cancel=self._cancel)
            data = mnist.load_mnist(
                self._data_dir,
                download=self._download,
                progress=self._on_progress,
                cancel=self._cancel,
            )
        except mnist.DownloadCancelled:
            self.cancelled.emit()
        except mnist.MnistNotFoundError as exc:
            self.not_found.emit(str(exc))
        except mnist.DataError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - report, never crash the window
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.loaded.emit(data)
        finally:
            self.done.emit()


class MnistController(ThreadController):
    """Provides the training data: ``request()`` ends in ``loaded(data)``, or in
    ``unavailable()`` (not found and not downloaded, cancelled, or an error already shown).

    Not found, the user is asked to download MNIST or to choose a folder that holds it
    (``data_dir_chosen`` then tells the window, which remembers it).

    ``parent_widget``: where the questions, progress and errors are shown.
    """

    loaded = Signal(object)
    unavailable = Signal()
    data_dir_chosen = Signal(object)  # Path: the user pointed to a folder with MNIST

    def __init__(
        self,
        parent_widget: QWidget | None = None,
        data_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._data: DataSet | None = None
        self._dialog: QProgressDialog | None = None
        self._pending: Callable[[], None] | None = None
        self._shut_down = False

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
        """True while MNIST is being looked for or downloaded (``running_changed``)."""
        return self.is_running()

    def request(self) -> None:
        """Make the data available; answers with ``loaded`` or ``unavailable``."""
        if self._data is not None:
            self.loaded.emit(self._data)
        elif self._thread is None:
            self._start(download=False)

    # -- threads -------------------------------------------------------------------------
    def _start(self, download: bool) -> None:
        worker = MnistWorker(self.data_dir, download)
        worker.loaded.connect(self._on_loaded)
        worker.not_found.connect(self._on_not_found)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        worker.progress.connect(self._on_progress)
        if download:
            self._dialog = self._progress_dialog()
        self._launch(worker, "mnist", ())

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
        # Not connected to worker.cancel: the worker's thread is busy downloading and would
        # never deliver a queued call. cancel() sets a threading.Event, from this thread.
        dialog.canceled.connect(self.cancel)
        dialog.show()
        return dialog

    def _on_progress(self, name: str, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        mb = 1024 * 1024
        if total > 0:
            text = self.tr("Downloading {0}: {1:.1f} of {2:.1f} MB")
            dialog.setLabelText(text.format(name, done / mb, total / mb))
            dialog.setRange(0, 1000)
            # Last: a modal progress dialog processes events in setValue(), which may end
            # the download and close the dialog before it returns.
            dialog.setValue(int(1000 * min(done, total) / total))
        else:
            dialog.setLabelText(self.tr("Downloading {0}: {1:.1f} MB").format(name, done / mb))
            dialog.setRange(0, 0)

    def cancel(self) -> None:
        """Cancel a download in progress (as its dialog's Cancel button does)."""
        if self._worker is not None:
            self._worker.cancel()

    request_stop = cancel

    def shutdown(self, timeout_ms: int = int(1000 * (mnist.DOWNLOAD_TIMEOUT + 5))) -> bool:
        """Cancel and wait for the thread (closing the window); True when it has ended."""
        if self._thread is not None:
            self._shut_down = True  # outcomes arriving now start nothing
        return super().shutdown(timeout_ms)

    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        super()._on_thread_finished()
        self._close_dialog()
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect()
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    # -- outcomes (each is followed by _on_thread_finished) -----------------------------------
    def _after_thread(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the thread has ended (so that a new one may start)."""
        if not self._shut_down:
            self._pending = action

    def _on_loaded(self, data: DataSet) -> None:
        self._data = data
        self._after_thread(lambda: self.loaded.emit(data))

    def _on_not_found(self, message: str) -> None:
        downloading = self._dialog is not None
        self._after_thread(lambda: self._offer_download(message, downloading))

    def _offer_download(self, message: str, already_tried: bool) -> None:
        if already_tried:
            self._fail(message)
            return
        choice = dialogs.ask_for_mnist(self._parent_widget, message)
        if choice is dialogs.DataChoice.DOWNLOAD:
            self._start(download=True)
        elif choice is dialogs.DataChoice.CHOOSE_FOLDER:
            start = str(self.data_dir) if self.data_dir is not None else str(Path.home())
            folder = QFileDialog.getExistingDirectory(
                self._parent_widget, self.tr("The folder with the four MNIST files"), start
            )
            if not folder:
                self.unavailable.emit()
                return
            self.data_dir = Path(folder)
            self.data_dir_chosen.emit(self.data_dir)
            self._start(download=False)
        else:
            self.unavailable.emit()

    def _on_failed(self, message: str) -> None:
        self._after_thread(lambda: self._fail(message))

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
        self.unavailable.emit()

    def _on_cancelled(self) -> None:
        self._after_thread(self.unavailable.emit)
