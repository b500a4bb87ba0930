"""Start the window: ``handwrite`` and ``handwrite gui [MODEL]`` call :func:`main`."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from handwrite import __version__
from handwrite.desktop import APP_ID
from handwrite.gui import dialogs, language
from handwrite.gui.icon import app_icon
from handwrite.gui.main_window import MainWindow
from handwrite.gui.settings import APPLICATION, ORGANIZATION, AppSettings
from handwrite.nn.backend import limit_blas_threads

log = logging.getLogger(__name__)


def _install_excepthook(window: MainWindow) -> None:
    """A bug in a slot shows a dialog instead of ending the program (and losing work)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error:\n%s", text)
        dialogs.show_error(
            window,
            QCoreApplication.translate("app", "Something went wrong"),
            QCoreApplication.translate(
                "app",
                "An unexpected error happened; the program carries on and nothing was lost. "
                "If it happens again, please report it with the details below.",
            ),
            text,
        )

    sys.excepthook = hook


def _install_translations(app: QApplication) -> str:
    """Install the translations of the remembered language (View ▸ Language; by default the
    system's: Japanese on a Japanese system, else English) before any widget exists.

    ``app`` must be the running application. Returns the language shown; without its
    ``.qm`` file (see :mod:`handwrite.gui.language`) that is English, silently.
    """
    assert QCoreApplication.instance() is app
    wanted = language.effective(AppSettings.stored_language())
    language.install(wanted)
    return language.current()


def main(model_path: str | None = None) -> int:
    """Create the application and the window (opening ``model_path`` if given); run it.

    Returns the exit status of the event loop.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("handwrite")
    # Lets the desktop match the window with its menu entry (handwrite desktop install).
    app.setDesktopFileName(APP_ID)
    app.setStyle("Fusion")
    app.setWindowIcon(app_icon())
    _install_translations(app)
    # Training and drawing share the CPU: one BLAS thread per caller keeps the GUI thread's
    # predictions from queueing behind the trainer's (see handwrite.nn.backend.limit_blas_threads).
    limit_blas_threads(1)
    pg.setConfigOptions(antialias=True)
    window = MainWindow(model_path=model_path)
    _install_excepthook(window)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    status = int(app.exec())
    window.shutdown()
    del window  # delete the window (and its pyqtgraph items) before the application
    return status
