"""The window's status bar: passing messages on the left; on the right, the model on show and
where the network runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from handwrite.nn.backend import device_name


class ModelStatusBar(QStatusBar):
    """``model_label``: the model on show (its file in the tooltip); ``backend_label``: the
    backend that trains (while a run is under way) or predicts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_label = QLabel()
        self.backend_label = QLabel()
        for label in (self.model_label, self.backend_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        self.show_backend(None)

    def show_model(self, summary: str, path: Path | None) -> None:
        """``summary``: the model in one line (:meth:`ModelDocument.summary`)."""
        self.model_label.setText(summary)
        self.model_label.setToolTip(str(path) if path else "")

    def show_backend(self, training_on: str | None) -> None:
        """``training_on``: the device a run trains on, or None when nothing trains (the
        window predicts with NumPy on the CPU in either case)."""
        here = device_name(np)
        if training_on is None:
            self.backend_label.setText(self.tr("Backend: {0}").format(here))
            self.backend_label.setToolTip(self.tr("Prediction runs on the CPU with NumPy"))
        else:
            self.backend_label.setText(self.tr("Backend: {0}").format(training_on))
            self.backend_label.setToolTip(
                self.tr("Training runs on {0}; drawing is recognised with {1}").format(
                    training_on, here
                )
            )
