"""From the canvas to the probabilities: the drawing flow, paced by a single-shot timer.

    canvas stroke -> (at most every ``interval_ms``) canvas bitmap -> preprocess to 28x28
    -> model -> logits -> Model.answer_from_logits -> ``answer_changed`` (the digit
                 probabilities, the digit score, refused or not) and ``prediction_changed``
                 the last hidden layer -> ``features_changed`` (for the map of what it knows)

While the pen moves, a prediction is made at most every ``interval_ms`` (the timer is started
by the first change and not restarted by the next ones, so the answer follows the pen instead
of waiting for it to stop). When the pen is lifted the prediction is made at once.

The controller predicts with the model on show: the document's NumPy copy, which lives on
the GUI thread. It is never the training model: the trainer's snapshots are copied into it
(:meth:`handwrite.gui.document.ModelDocument.load_weights`), and :meth:`set_model` says so.

The one forward pass per drawing gives both the network's outputs (logits) and the values of
the last hidden layer: the layers up to the output layer give the hidden values
(:func:`handwrite.embedding.hidden_features`), the output layer and any after it turn those
into the logits. So the map view places the drawing among the test digits without a second
pass through the network, and the answer (:meth:`handwrite.Model.answer_from_logits`: the ten
digit probabilities, how much the drawing looks like a digit, and whether the model refuses
it) comes from the same outputs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from handwrite.embedding import hidden_features, hidden_layer
from handwrite.nn.backend import to_numpy
from handwrite.nn.model import Model
from handwrite.preprocess import EmptyDrawingError, PreprocessSteps, preprocess_steps

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class DrawingAnswer:
    """What the model answers for one drawing.

    Attributes:
        probabilities: (K,) float32, the probabilities of the classes it answers with (the
            ten digits, also for a network with the "not a digit" output); sum to 1.
        digit_score: how much the drawing looks like any digit at all, in [0, 1].
        refused: whether the model says "not a digit" (its digit score is under its
            threshold).
        threshold: the digit score under which the model refuses, or None for a model that
            never refuses (then ``refused`` is always False).
    """

    probabilities: np.ndarray
    digit_score: float
    refused: bool
    threshold: float | None

    @classmethod
    def of(cls, model: Model, z: np.ndarray) -> DrawingAnswer:
        """The answer of ``model`` for one drawing's logits ``z``: (1, len(model.classes))."""
        answer = model.answer_from_logits(z)
        refusal = model.refusal
        threshold = refusal.threshold if refusal is not None and model.refuses else None
        return cls(
            np.asarray(answer.probabilities[0], np.float32),
            float(answer.digit_score[0]),
            bool(answer.refused[0]),
            threshold,
        )

    @classmethod
    def accepting(cls, probabilities: np.ndarray) -> DrawingAnswer:
        """The answer of a model that never refuses, from its (K,) probabilities."""
        p = np.asarray(probabilities, np.float32).reshape(-1)
        k = len(p)
        score = float(np.clip((p.max() - 1 / k) / (1 - 1 / k), 0.0, 1.0)) if k > 1 else 1.0
        return cls(p, score, False, None)

    @property
    def best_guess(self) -> int:
        """The most probable class, refused or not."""
        return int(self.probabilities.argmax())

    def __repr__(self) -> str:
        verdict = "refused" if self.refused else f"digit {self.best_guess}"
        return f"DrawingAnswer({verdict}, digit_score={self.digit_score:.3f})"


class PredictionController(QObject):
    """Turns the canvas's drawing into probabilities with the GUI's own model copy.

    ``image_source``: returns the drawing, (H, W) float32 in [0, 1], ink bright. ``model``:
    a NumPy model in inference mode, used on the GUI thread only (it is not copied).

    Signals:

    - ``answer_changed(object)``: the :class:`DrawingAnswer`, or None when there is nothing
      to recognise;
    - ``prediction_changed(object)``: the answer's (classes,) float32 probabilities (the
      ten digits for a network with the "not a digit" output), or None; emitted after
      ``answer_changed``;
    - ``input_changed(object)``: the (28, 28) float32 image given to the model, or None;
    - ``features_changed(object)``: the (F,) float32 values of the model's last hidden layer
      (the input of its output layer) for that image, or None (also for a model without a
      fully connected output layer). Emitted after ``input_changed``, before
      ``answer_changed``.
    """

    answer_changed = Signal(object)
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
        self._answer: DrawingAnswer | None = None
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
        """The answer's (K,) float32 probabilities for the drawing, or None."""
        return None if self._answer is None else self._answer.probabilities

    @property
    def answer(self) -> DrawingAnswer | None:
        """The model's answer for the drawing, or None."""
        return self._answer

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
                features, z = features_and_logits(self._model, x)
                f = features[0]
            else:
                f, z = None, self._model.logits(x)
            answer = DrawingAnswer.of(self._model, z)
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
        self._publish(answer, x, f)

    def _publish(
        self, answer: DrawingAnswer | None, x: np.ndarray | None, f: np.ndarray | None
    ) -> None:
        if answer is None and self._answer is None:
            return
        self._answer = answer
        self._features = f
        self.input_changed.emit(x)
        self.features_changed.emit(f)
        self.answer_changed.emit(answer)
        self.prediction_changed.emit(None if answer is None else answer.probabilities)


def features_and_logits(model: Model, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The last hidden layer's values and the network's outputs, from one forward pass:
    ((N, F) float32, (N, len(classes)) float32) for ``images`` as
    :func:`handwrite.embedding.hidden_features` takes them.

    The hidden values are the input of the output layer (a ``Dense`` layer takes (N, F)), so
    the output layer and the layers after it finish the pass from them.
    """
    stop = hidden_layer(model)
    features = hidden_features(model, images)
    was_training = model.training
    model.eval()
    try:
        y = model.xp.asarray(features)
        for layer in model.layers[stop:]:
            y = layer.forward(y)
    finally:
        model.train(was_training)
    return features, np.asarray(to_numpy(y), np.float32)


def _has_hidden_layer(model: Model) -> bool:
    """Whether the model's output layer is fully connected (its input can be mapped)."""
    try:
        hidden_layer(model)
    except ValueError:
        return False
    return True
