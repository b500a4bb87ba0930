"""From the canvas to the probabilities: the drawing flow, paced by a single-shot timer.

    canvas stroke -> (at most every ``interval_ms``) canvas bitmap -> preprocess to 28x28
    -> model -> softmax -> ``prediction_changed``
                 the last hidden layer -> ``features_changed`` (for the map of what it knows)

While the pen moves, a prediction is made at most every ``interval_ms`` (the timer is started
by the first change and not restarted by the next ones, so the answer follows the pen instead
of waiting for it to stop). When the pen is lifted the prediction is made at once.

The controller predicts with the model on show: the document's NumPy copy, which lives on
the GUI thread. It is never the training model: the trainer's snapshots are copied into it
(:meth:`handwrite.gui.document.ModelDocument.load_weights`), and :meth:`set_model` says so.

The one forward pass per drawing gives both the probabilities and the values of the last
hidden layer (:func:`handwrite.embedding.hidden_features_and_probabilities`), so the map view
places the drawing among the test digits without a second pass through the network.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from handwrite.embedding import hidden_features_and_probabilities, hidden_layer
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
    - ``input_changed(object)``: the (28, 28) float32 image given to the model, or None;
    - ``features_changed(object)``: the (F,) float32 values of the model's last hidden layer
      (the input of its output layer) for that image, or None (also for a model without a
      fully connected output layer). Emitted after ``input_changed``, before
      ``prediction_changed``.
    """

    prediction_changed = Signal(object)
    input_changed = Signal(object)
    features_changed = Signal(object)

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
        self._features: np.ndarray | None = None
        self._steps: PreprocessSteps | None = None
        self._has_hidden = _has_hidden_layer(model)
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

    @property
    def features(self) -> np.ndarray | None:
        """The last hidden layer's (F,) float32 values for the drawing, or None."""
        return self._features

    def set_model(self, model: Model) -> None:
        """Predict with ``model`` from now on, and again now: another model, or the same
        one whose weights have changed (a training snapshot)."""
        self._model = model
        self._has_hidden = _has_hidden_layer(model)
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
        self._publish(None, None, None)

    # -- the work ------------------------------------------------------------------------
    def predict_now(self) -> None:
        """Preprocess the drawing and predict, now."""
        self._timer.stop()
        t0 = time.perf_counter()
        try:
            steps = preprocess_steps(self._image_source())
            x = steps.final
            if self._has_hidden:
                features, probabilities = hidden_features_and_probabilities(self._model, x)
                f, p = features[0], probabilities[0]
            else:
                f, p = None, self._model.predict_proba(x)[0]
        except EmptyDrawingError:  # a speck of ink: nothing to recognise yet
            self._steps = None
            self._publish(None, None, None)
            return
        except ValueError as exc:  # never expected; an answer is not worth a crash
            log.warning("prediction failed: %s", exc)
            self._steps = None
            self._publish(None, None, None)
            return
        self._steps = steps
        self.last_seconds = time.perf_counter() - t0
        self._publish(p, x, f)

    def _publish(self, p: np.ndarray | None, x: np.ndarray | None, f: np.ndarray | None) -> None:
        if p is None and self._probabilities is None:
            return
        self._probabilities = p
        self._features = f
        self.input_changed.emit(x)
        self.features_changed.emit(f)
        self.prediction_changed.emit(p)


def _has_hidden_layer(model: Model) -> bool:
    """Whether the model's output layer is fully connected (its input can be mapped)."""
    try:
        hidden_layer(model)
    except ValueError:
        return False
    return True
