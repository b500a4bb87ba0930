"""From the canvas to the probabilities: the drawing flow, paced by a single-shot timer.

    canvas stroke -> (at most every ``interval_ms``) canvas bitmap -> preprocess to 28x28
    -> model -> softmax -> ``prediction_changed``

While the pen moves, a prediction is made at most every ``interval_ms`` (the timer is started
by the first change and not restarted by the next ones, so the answer follows the pen instead
of waiting for it to stop). When the pen is lifted the prediction is made at once.

The controller predicts with the model on show: the document's NumPy copy, which lives on
the GUI thread. It is never the training model: the trainer's snapshots are copied into it
(:meth:`handwrite.gui.document.ModelDocument.load_weights`), and :meth:`set_model` says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from handwrite.nn.model import Model
from handwrite.preprocess import EmptyDrawingError, PreprocessSteps, preprocess_steps

log = logging.getLogger(__name__)


class PredictionController(QObject):
    """Turns the canvas's drawing into probabilities with the GUI's own model copy.

    ``image_source``: returns the drawing, (H, W) float32 in [0, 1], ink bright. ``model``:
    a NumPy model in inference mode, used on the GUI thread only (it is not copied).

    Signals:

    - ``prediction_changed(object)``: (classes,) float32 probabilities, or None when there
      is nothing to recognise;
    - ``input_changed(object)``: the (28, 28) float32 image given to the model, or None.
    """

    prediction_changed = Signal(object)
    input_changed = Signal(object)

    def __init__(
        self,
        image_source: Callable[[], np.ndarray],
        model: Model,
        interval_ms: int = 40,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._image_source = image_source
        self._model = model
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.predict_now)
        self._has_drawing = False
        self._probabilities: np.ndarray | None = None
        self._steps: PreprocessSteps | None = None
        #: Seconds the last prediction took (preprocessing and model), for the curious.
        self.last_seconds = 0.0

    @property
    def steps(self) -> PreprocessSteps | None:
        """How the current drawing was preprocessed (None without one): the views that show
        the steps read them here instead of preprocessing the drawing again."""
        return self._steps

    @property
    def model(self) -> Model:
        """The model predicted with (GUI thread only; never hand it to another thread)."""
        return self._model

    @property
    def probabilities(self) -> np.ndarray | None:
        return self._probabilities

    def set_model(self, model: Model) -> None:
        """Predict with ``model`` from now on, and again now: another model, or the same
        one whose weights have changed (a training snapshot)."""
        self._model = model
        if self._has_drawing:
            self.predict_now()

    # -- slots for the canvas ------------------------------------------------------------
    def on_stroke_changed(self) -> None:
        self._has_drawing = True
        if not self._timer.isActive():
            self._timer.start()

    def on_stroke_finished(self) -> None:
        self._has_drawing = True
        self.predict_now()

    def on_cleared(self) -> None:
        self._has_drawing = False
        self._steps = None
        self._timer.stop()
        self._publish(None, None)

    # -- the work ------------------------------------------------------------------------
    def predict_now(self) -> None:
        """Preprocess the drawing and predict, now."""
        self._timer.stop()
        t0 = time.perf_counter()
        try:
            steps = preprocess_steps(self._image_source())
            x = steps.final
            p = self._model.predict_proba(x)[0]
        except EmptyDrawingError:  # a speck of ink: nothing to recognise yet
            self._steps = None
            self._publish(None, None)
            return
        except ValueError as exc:  # never expected; an answer is not worth a crash
            log.warning("prediction failed: %s", exc)
            self._steps = None
            self._publish(None, None)
            return
        self._steps = steps
        self.last_seconds = time.perf_counter() - t0
        self._publish(p, x)

    def _publish(self, p: np.ndarray | None, x: np.ndarray | None) -> None:
        if p is None and self._probabilities is None:
            return
        self._probabilities = p
        self.input_changed.emit(x)
        self.prediction_changed.emit(p)
