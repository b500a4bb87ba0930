"""The Training tab: the controls above, the live curves, and the pinned probes below them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from handwrite.gui.training.panel import TrainingPanel
from handwrite.gui.training.plot import TrainingPlot
from handwrite.gui.training.probes import ProbePanel


class TrainingTab(QWidget):
    """Lays out ``panel`` (:class:`TrainingPanel`), ``plot`` (:class:`TrainingPlot`) and
    ``probes`` (:class:`ProbePanel`); the curves take three quarters of the spare height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = TrainingPanel()
        self.plot = TrainingPlot()
        self.probes = ProbePanel()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(self.probes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(split, 1)

    def show_curves(self, name: str, metadata: dict[str, Any]) -> bool:
        """Show the curves a model's ``metadata`` holds and say whose they are (``name``:
        its file); without curves, clear the plots and invite to train. True when shown."""
        if not self.plot.show_curves(metadata):
            self.panel.show_history_note(None, {})
            return False
        training = metadata.get("training")
        self.panel.show_history_note(name, training if isinstance(training, dict) else {})
        return True
