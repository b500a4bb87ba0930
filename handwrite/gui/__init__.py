"""The desktop window (PySide6 + pyqtgraph): the only package of handwrite that imports Qt.

Grouped by the window's areas:

- :mod:`~handwrite.gui.main_window` (``MainWindow``) lays the window out and wires it;
  :mod:`~handwrite.gui.app` (``main``) starts it.
- ``drawing/``: the canvas, the predictor (drawing -> answer), the input and probability views.
- ``training/``: the panel, the live curves, the probes, the run controller and the job its
  worker thread runs.
- ``inspect/``: filters, feature maps, preprocessing, saliency, the test results, the mosaic.
- ``personal/``: your own handwriting and fine-tuning on it.
- Shared: :mod:`~handwrite.gui.document` (the model on show, its file),
  :mod:`~handwrite.gui.worker` (the one thread worker), :mod:`~handwrite.gui.mnist_controller`
  (the MNIST digits on demand), :mod:`~handwrite.gui.settings`, :mod:`~handwrite.gui.language`,
  :mod:`~handwrite.gui.dialogs`, :mod:`~handwrite.gui.explanations`,
  :mod:`~handwrite.gui.formatting`, :mod:`~handwrite.gui.live_view`, the status bar, the icon.

``docs/architecture.md`` draws the two flows and the package map.
"""

from __future__ import annotations

from handwrite.gui.main_window import MainWindow
from handwrite.gui.settings import AppSettings

__all__ = ["AppSettings", "MainWindow"]
