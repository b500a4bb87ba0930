"""The pacing shared by the views that follow the drawing or the training.

A :class:`LiveView` is told that something changed (:meth:`LiveView.request_refresh`) as often
as it likes: on every prediction while the pen moves, on every snapshot of the weights. It
recomputes at most once per ``interval_ms`` (a single-shot GUI-thread ``QTimer``, started by
the first request and not restarted by the next ones, so the view follows the pen instead of
waiting for it to stop), and only while it is visible: a view in a hidden tab costs nothing
and catches up when it is shown.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class LiveView(QWidget):
    """Base class: subclasses implement :meth:`refresh` (the work, on the GUI thread).

    ``refreshed``: emitted after each refresh (tests wait on it). ``last_seconds``: how long
    the last refresh took.
    """

    refreshed = Signal()

    def __init__(self, interval_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(interval_ms)
        self._refresh_timer.timeout.connect(self._on_refresh_timeout)
        # On being shown: refresh once the tab has been painted, not before.
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(self._on_refresh_timeout)
        self._stale = False
        self.last_seconds = 0.0
        self.refresh_count = 0

    def is_stale(self) -> bool:
        """True when a change has not been shown yet."""
        return self._stale

    def is_scheduled(self) -> bool:
        """True while a refresh waits for its timer."""
        return self._refresh_timer.isActive() or self._show_timer.isActive()

    def request_refresh(self) -> None:
        """Something changed: refresh within ``interval_ms`` if visible, else when shown."""
        self._stale = True
        if self.isVisible() and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def refresh_now(self) -> None:
        """Refresh at once, visible or not."""
        self._refresh_timer.stop()
        self._show_timer.stop()
        self._stale = False
        t0 = time.perf_counter()
        self.refresh()
        self.last_seconds = time.perf_counter() - t0
        self.refresh_count += 1
        self.refreshed.emit()

    def refresh(self) -> None:
        raise NotImplementedError

    def _on_refresh_timeout(self) -> None:
        if self.isVisible():
            self.refresh_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self._refresh_timer.isActive():
            self._show_timer.start()
