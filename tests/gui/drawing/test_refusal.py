"""The window's "Not a digit?": a drawing the model refuses reads so, with the best guess
greyed out beside it and the digit score under its threshold; a digit is answered as before;
a model that never refuses shows its answers as before; one forward pass per drawing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF

from handwrite.gui.drawing.predictor import DrawingAnswer, features_and_logits
from handwrite.gui.drawing.probability_view import ProbabilityView
from tests.gui.refusing import THRESHOLD, refusing_model, save_refusing_model
from tests.gui.strokes import drag, one


def bar(canvas: Any) -> list[QPointF]:
    """A horizontal stroke across the middle of the sheet: no digit."""
    r = canvas.surface_rect()
    y = r.center().y()
    return [QPointF(r.left() + r.width() * (0.2 + 0.6 * i / 24), y) for i in range(25)]


def _answer(window: Any, qtbot: Any, points: list[QPointF]) -> DrawingAnswer:
    window.canvas.clear()
    with qtbot.waitSignal(window.predictor.answer_changed, timeout=2000):
        drag(window.canvas, points)
    qtbot.waitUntil(lambda: window.predictor.answer is not None, timeout=2000)
    return window.predictor.answer


def test_a_refused_drawing_reads_not_a_digit_with_the_guess_beside_it(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(model_path=save_refusing_model(tmp_path / "refusing.npz"))
    assert window.model.refuses
    # The bars are the ten digits: the 11th output is no answer.
    assert window.probability_view.classes() == tuple(str(d) for d in range(10))
    assert window.digit_score_view.threshold() == THRESHOLD

    seen: list[Any] = []
    window.prediction_changed.connect(seen.append)
    answer = _answer(window, qtbot, bar(window.canvas))
    assert answer.refused and answer.digit_score < THRESHOLD and answer.threshold == THRESHOLD
    assert answer.best_guess == 1
    # The views that follow the probabilities get the ten digits', summing to 1.
    assert seen[-1] is not None and seen[-1].shape == (10,)
    assert abs(float(seen[-1].sum()) - 1.0) < 1e-5

    view = window.probability_view
    assert view.refused()
    guess = float(answer.probabilities[1])
    assert view.answer_text() == f"Not a digit? (maybe 1, {guess:.0%})"
    assert view.accessibleDescription() == view.answer_text()
    score_view = window.digit_score_view
    assert score_view.bar.isVisibleTo(window)
    assert (
        score_view.label.text()
        == f"Looks like a digit: {answer.digit_score:.0%} (not a digit under 50%)"
    )


def test_a_digit_is_answered_as_before(make_window: Any, qtbot: Any, tmp_path: Path) -> None:
    window = make_window(model_path=save_refusing_model(tmp_path / "refusing.npz"))
    answer = _answer(window, qtbot, one(window.canvas))
    assert not answer.refused and answer.digit_score > 0.99
    assert not window.probability_view.refused()
    assert window.probability_view.answer_text() == "It is a 1 (100% sure)"
    label = window.digit_score_view.label
    assert label.text() == "Looks like a digit: 100% (not a digit under 50%)"

    # Cleared: nothing to answer, and the refusal goes with the drawing.
    with qtbot.waitSignal(window.predictor.answer_changed) as blocker:
        window.canvas.clear()
    assert blocker.args == [None]
    assert window.probability_view.answer_text() == "Draw a digit"
    assert label.text() == "Looks like a digit: – (not a digit under 50%)"


def test_a_model_that_never_refuses_answers_as_before(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(model_path=save_refusing_model(tmp_path / "never.npz", threshold=0.0))
    assert not window.model.refuses
    answer = _answer(window, qtbot, bar(window.canvas))
    assert not answer.refused and answer.threshold is None
    assert not window.probability_view.refused()
    assert window.probability_view.answer_text().startswith("It is a 1")
    score_view = window.digit_score_view
    assert score_view.threshold() is None and not score_view.bar.isVisibleTo(window)
    assert score_view.label.text() == "This model never answers “not a digit”."


def test_the_answer_and_the_map_come_from_one_forward_pass(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(model_path=save_refusing_model(tmp_path / "refusing.npz"))
    calls: list[str] = []
    for layer in window.model.layers:
        forward = layer.forward

        def counted(x: Any, forward: Any = forward, name: str = layer.type_name) -> Any:
            calls.append(name)
            return forward(x)

        layer.forward = counted  # type: ignore[method-assign]
    answer = _answer(window, qtbot, bar(window.canvas))
    assert calls == ["Flatten", "Dense"], calls
    features = window.predictor.features
    assert features is not None and features.shape == (784,)

    # The same outputs as the model's own forward pass.
    x = np.zeros((1, 28, 28), np.float32)
    x[0, 13:15, 4:24] = 1.0
    model = refusing_model()
    f, z = features_and_logits(model, x)
    np.testing.assert_allclose(z, model.logits(x), rtol=1e-6)
    np.testing.assert_allclose(f, x.reshape(1, -1))
    assert DrawingAnswer.of(model, z).refused and answer.refused


def test_the_probability_view_greys_the_bars_of_a_refused_drawing(qtbot: Any) -> None:
    view = ProbabilityView()
    qtbot.addWidget(view)
    view.resize(230, 420)
    p = np.full(10, 0.02, np.float32)
    p[4] = 0.82
    view.set_answer(DrawingAnswer(p, 0.1, False, 0.5))
    accepted = view.grab().toImage()
    view.set_answer(DrawingAnswer(p, 0.1, True, 0.5))
    refused = view.grab().toImage()
    assert view.answer_text() == "Not a digit? (maybe 4, 82%)"

    def blue_pixels(image: Any) -> int:  # the winner's colour, #2f6fd6
        return sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if image.pixelColor(x, y).name() == "#2f6fd6"
        )

    assert blue_pixels(accepted) > 100
    assert blue_pixels(refused) == 0


def test_the_question_mark_explains_refusal(make_window: Any) -> None:
    window = make_window()
    text = window.digit_score_view.help.toolTip()
    assert text.startswith("<b>") and "11th output" in text and "version 1" in text
