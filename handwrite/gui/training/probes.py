"""Probe digits: drawings pinned to watch the network learn them while it trains.

    "Pin this drawing" -> the current 28x28 input is kept as a probe
    model_changed (a snapshot of the weights while training, or another model)
        -> (at most every ``INTERVAL_MS``, while visible) one batch prediction of every probe
        -> each probe's card: its digit, the answer and its probability bars

Probes are kept in memory (:meth:`ProbePanel.probes` / :meth:`ProbePanel.set_probes`), in
the order they were pinned. Right-click a probe (or select it and press Delete) to remove it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui import explanations, formatting
from handwrite.gui.inspect.mosaic import ink
from handwrite.gui.live_view import LiveView
from handwrite.nn.model import Model

#: Predict the probes again at most this often while the weights change.
INTERVAL_MS = 300
MAX_PROBES = 40
THUMB = 56
BARS = 16

WINNER = QColor("#2f6fd6")
BAR = QColor("#9aa9c2")
TRACK = QColor(128, 128, 128, 45)


class _ProbeList(QListWidget):
    """A list that takes Delete and Backspace itself (the window's "Clear Drawing" action
    has them as shortcuts too) and reports them as ``delete_pressed``."""

    def __init__(self, panel: ProbePanel) -> None:
        super().__init__()
        self._panel = panel

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self._panel.remove_probe(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)


class ProbePanel(LiveView):
    """Pinned drawings, each with the network's current answer.

    Slots: ``on_model_changed(model)``, ``on_input_changed(x)`` (the predictor's (28, 28)
    input, or None: the drawing that "Pin" would keep).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("probe_panel")
        self._model: Model | None = None
        self._current: np.ndarray | None = None
        self._probes: list[np.ndarray] = []
        self._p: np.ndarray | None = None

        title = QLabel(self.tr("Probe digits"))
        title.setStyleSheet("font-weight: bold;")
        self.help = explanations.help_button(explanations.probes(), self)
        self.pin_button = QPushButton(self.tr("Pin this drawing"))
        self.pin_button.setToolTip(
            self.tr("Keep the digit on the canvas here, to watch the network learn it")
        )
        self.pin_button.clicked.connect(self._on_pin_clicked)
        self.pin_button.setEnabled(False)
        self.clear_button = QPushButton(self.tr("Remove all"))
        self.clear_button.clicked.connect(self.clear_probes)
        self.clear_button.setEnabled(False)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addWidget(self.help, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addStretch(1)
        head.addWidget(self.pin_button)
        head.addWidget(self.clear_button)

        self.hint = QLabel(
            self.tr("Pin a few drawings, then train: their answers change as the network learns.")
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("caption")

        self.list = _ProbeList(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(THUMB, THUMB + BARS + 2))
        self.list.setGridSize(
            QSize(THUMB + 16, THUMB + BARS + 10 + self.fontMetrics().lineSpacing())
        )
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_context_menu)
        self.list.setToolTip(self.tr("Right-click a probe to remove it"))
        self.list.setMinimumHeight(THUMB + BARS + 24 + self.fontMetrics().lineSpacing())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)

    def __repr__(self) -> str:
        return f"ProbePanel(probes={len(self._probes)})"

    # -- probes --------------------------------------------------------------------------
    def probes(self) -> np.ndarray:
        """The pinned inputs: (K, 28, 28) float32."""
        if not self._probes:
            return np.zeros((0, 28, 28), np.float32)
        return np.stack(self._probes)

    def probabilities(self) -> np.ndarray | None:
        """The latest answers for the probes: (K, classes) float32, or None."""
        return self._p

    def pin(self, x: np.ndarray | None = None) -> bool:
        """Pin ``x`` (default: the current drawing's input); False when there is nothing
        to pin or the panel is full."""
        x = self._current if x is None else np.asarray(x, dtype=np.float32)
        if x is None or len(self._probes) >= MAX_PROBES:
            return False
        self._probes.append(x.copy())
        item = QListWidgetItem()
        self.list.addItem(item)
        self._update_buttons()
        self.refresh_now()
        self.list.scrollToItem(item)
        return True

    def remove_probe(self, index: int) -> None:
        if 0 <= index < len(self._probes):
            del self._probes[index]
            self.list.takeItem(index)
            if self._p is not None:
                self._p = np.delete(self._p, index, axis=0) if self._probes else None
            self._update_buttons()

    def clear_probes(self) -> None:
        self._probes.clear()
        self.list.clear()
        self._p = None
        self._update_buttons()

    def set_probes(self, probes: np.ndarray) -> None:
        """Replace the probes by ``probes``: (K, 28, 28) float in [0, 1]."""
        self.clear_probes()
        for x in np.asarray(probes, dtype=np.float32)[:MAX_PROBES]:
            self._probes.append(x.copy())
            self.list.addItem(QListWidgetItem())
        self._update_buttons()
        self.refresh_now()

    def _update_buttons(self) -> None:
        self.pin_button.setEnabled(self._current is not None and len(self._probes) < MAX_PROBES)
        self.clear_button.setEnabled(bool(self._probes))
        self.hint.setVisible(not self._probes)

    def _on_pin_clicked(self) -> None:
        self.pin()

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            row = self.list.row(item)
            menu.addAction(self.tr("Remove this probe"), lambda: self.remove_probe(row))
        menu.addAction(self.tr("Remove all probes"), self.clear_probes).setEnabled(
            bool(self._probes)
        )
        menu.exec(self.list.viewport().mapToGlobal(pos))

    # -- slots ---------------------------------------------------------------------------
    def on_model_changed(self, model: Model) -> None:
        self._model = model
        self.request_refresh()

    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._current = None if x is None else np.asarray(x, dtype=np.float32)
        self._update_buttons()

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        model = self._model
        if model is None or not self._probes:
            return
        p = model.predict_proba(np.stack(self._probes))
        self._p = p
        for i, (x, pi) in enumerate(zip(self._probes, p, strict=True)):
            self._paint_item(self.list.item(i), x, pi, model.answer_classes)

    def _paint_item(
        self, item: QListWidgetItem, x: np.ndarray, p: np.ndarray, classes: tuple[str, ...]
    ) -> None:
        k = int(np.argmax(p))
        rgb = np.ascontiguousarray(ink(x))
        h, w, _ = rgb.shape
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        pixmap = QPixmap(THUMB, THUMB + BARS + 2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.drawImage(0, 0, image.scaled(THUMB, THUMB))
        n = len(p)
        bar_w = THUMB / n
        for j in range(n):
            x0 = round(j * bar_w)
            x1 = round((j + 1) * bar_w) - 1
            painter.fillRect(x0, THUMB + 2, x1 - x0, BARS, TRACK)
            height = round(BARS * float(p[j]))
            painter.fillRect(
                x0, THUMB + 2 + BARS - height, x1 - x0, height, WINNER if j == k else BAR
            )
        painter.end()
        item.setIcon(QIcon(pixmap))
        item.setText(f"{classes[k]} · {formatting.percent(float(p[k]), 0)}")
        ranked = np.argsort(p)[::-1][:3]
        item.setToolTip(
            self.tr("The network says: {0}. Right-click to remove.").format(
                ", ".join(f"{classes[j]} {formatting.percent(float(p[j]))}" for j in ranked)
            )
        )
