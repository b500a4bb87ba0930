"""The desktop window (PySide6 + pyqtgraph): the only package of handwrite that imports Qt.

- :mod:`~handwrite.gui.main_window` wires the application: :class:`MainWindow`.
- Widgets: :mod:`~handwrite.gui.canvas` (``CanvasView``), :mod:`~handwrite.gui.input_view`
  (``NetworkInputView``), :mod:`~handwrite.gui.probability_view` (``ProbabilityView``),
  :mod:`~handwrite.gui.training_panel` (``TrainingPanel``), :mod:`~handwrite.gui.training_plot`
  (``TrainingPlot``).
- Glue: :mod:`~handwrite.gui.predictor` (``PredictionController``), :mod:`~handwrite.gui.worker`
  (``TrainingWorker``, ``TrainingController``), :mod:`~handwrite.gui.data` (``MnistController``).
- :mod:`~handwrite.gui.settings` (``AppSettings``), :mod:`~handwrite.gui.dialogs`, and
  :mod:`~handwrite.gui.app` (``main``).
"""

from __future__ import annotations

from handwrite.gui.main_window import MainWindow
from handwrite.gui.settings import AppSettings

__all__ = ["AppSettings", "MainWindow"]
