"""Drawing in the window gives live predictions: real mouse strokes -> prediction_changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tests.gui.strokes import drag, one, seven, zero


def _draw(window: Any, qtbot: Any, points: list) -> np.ndarray:
    with qtbot.waitSignal(window.prediction_changed, timeout=2000) as blocker:
        drag(window.canvas, points)
    # a timer-paced prediction may come first: the answer after the pen is lifted is the last
    qtbot.waitUntil(lambda: window.predictor.probabilities is not None, timeout=2000)
    p = window.predictor.probabilities
    assert blocker.args[0] is not None
    return p


def test_a_drawn_one_and_zero_are_recognised(
    make_window: Any, qtbot: Any, trained_model_path: Path
) -> None:
    window = make_window(model_path=trained_model_path)
    assert window.document.path == trained_model_path.resolve()

    p = _draw(window, qtbot, one(window.canvas))
    assert p.shape == (10,) and p.dtype == np.float32
    assert abs(float(p.sum()) - 1.0) < 1e-4
    assert int(p.argmax()) == 1, p
    # the views show the same answer and the 28x28 input
    np.testing.assert_allclose(window.probability_view.probabilities(), p)
    seen = window.input_view.image()
    assert seen is not None and seen.shape == (28, 28) and seen.max() == 1.0

    with qtbot.waitSignal(window.prediction_changed) as blocker:
        window.canvas.clear()
    assert blocker.args == [None]
    assert window.probability_view.probabilities() is None
    assert window.input_view.image() is None

    p = _draw(window, qtbot, zero(window.canvas))
    assert int(p.argmax()) == 0, p
    window.canvas.clear()
    p = _draw(window, qtbot, seven(window.canvas))
    assert int(p.argmax()) == 7, p


def test_predictions_follow_the_pen_while_drawing(make_window: Any, qtbot: Any) -> None:
    """Before the pen is lifted, the timer already produces an answer."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    window = make_window()
    canvas = window.canvas
    left = Qt.MouseButton.LeftButton
    points = one(canvas)

    def send(kind: QEvent.Type, p: QPointF, button: Qt.MouseButton) -> None:
        g = QPointF(canvas.mapToGlobal(p.toPoint()))
        QApplication.sendEvent(
            canvas, QMouseEvent(kind, p, g, button, left, Qt.KeyboardModifier.NoModifier)
        )

    send(QEvent.Type.MouseButtonPress, points[0], left)
    with qtbot.waitSignal(window.prediction_changed, timeout=2000) as blocker:
        for p in points[1:]:
            send(QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton)
    assert blocker.args[0] is not None
    assert canvas.stroke_count() == 0  # still drawing
    QApplication.sendEvent(
        canvas,
        QMouseEvent(
            QEvent.Type.MouseButtonRelease,
            points[-1],
            QPointF(canvas.mapToGlobal(points[-1].toPoint())),
            left,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    assert canvas.stroke_count() == 1


def test_undo_and_clear_through_the_edit_actions(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.canvas.draw_stroke(one(window.canvas))
    window.canvas.draw_stroke(zero(window.canvas))
    window.undo_action.trigger()
    assert window.canvas.stroke_count() == 1
    with qtbot.waitSignal(window.prediction_changed) as blocker:
        window.clear_action.trigger()
    assert blocker.args == [None]
    assert window.canvas.is_empty()


def test_missing_default_model_starts_untrained_and_says_so(make_window: Any) -> None:
    window = make_window()
    assert window.model.name == "cnn"
    assert window.drawing_panel.notice.isVisible()
    assert "untrained" in window.status.model_label.text()
    assert "NumPy" in window.status.backend_label.text()
