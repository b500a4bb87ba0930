"""The Test results tab says how far the probabilities can be trusted: the reliability
diagram of the test digits, the expected calibration error and, for a model that refuses,
the share of test digits refused, after an evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from handwrite.calibration import reliability
from handwrite.evaluation import evaluate
from handwrite.gui.inspect.confusion_view import ConfusionView, Refused
from handwrite.mnist import load_mnist
from tests.gui.refusing import refusing_model, save_refusing_model

RESULTS = 3


def _drawings() -> tuple[np.ndarray, np.ndarray]:
    """Twelve vertical strokes labelled 1 (read right), four labelled 7 (read wrong), and
    four horizontal bars labelled 4 (refused, and read wrong): (20, 28, 28) uint8, (20,)."""
    images = np.zeros((20, 28, 28), np.uint8)
    images[:16, 4:24, 13:15] = 255
    images[16:, 13:15, 4:24] = 255
    labels = np.array([1] * 12 + [7] * 4 + [4] * 4, np.int64)
    return images, labels


def test_an_evaluation_shows_the_reliability_diagram_and_the_refusals(qtbot: Any) -> None:
    view = ConfusionView()
    qtbot.addWidget(view)
    images, labels = _drawings()
    evaluation = evaluate(refusing_model(), images, labels)
    assert evaluation.refusal_rate == 0.2
    view.set_test_set(images, labels)
    view.set_refuses(True)
    view.show_evaluation(evaluation)

    shown = view.reliability_view.reliability()
    assert shown is not None
    expected = reliability(evaluation.probabilities, labels)
    np.testing.assert_array_equal(shown.counts, expected.counts)
    assert shown.ece == evaluation.calibration_error > 0
    # One number per bar with digits in it, summing to every test digit.
    texts = view.reliability_view.count_texts()
    assert len(texts) == int((expected.counts > 0).sum()) >= 2
    assert sum(int(t.replace(",", "")) for t in texts) == 20
    figures = view.reliability_view.figures.text()
    assert f"{evaluation.calibration_error:.2%}" in figures
    assert "refused as not a digit: <b>20.00%</b>" in figures
    assert f"{evaluation.accepted_accuracy:.2%}" in figures
    assert "Refused as not a digit: 20.00%." in view.status.text()
    assert view.refused() == Refused(0.2, evaluation.accepted_accuracy)

    # A language rebuild carries it over; a cleared view shows none.
    twin = ConfusionView()
    qtbot.addWidget(twin)
    view.pages.setCurrentIndex(1)
    twin.restore(view.state())
    assert twin.refused() == view.refused() and twin.pages.currentIndex() == 1
    assert twin.reliability_view.reliability().ece == shown.ece
    view.clear()
    assert view.reliability_view.reliability() is None
    assert view.reliability_view.count_texts() == []


def test_a_model_that_never_refuses_has_its_calibration_alone(qtbot: Any) -> None:
    view = ConfusionView()
    qtbot.addWidget(view)
    images, labels = _drawings()
    evaluation = evaluate(refusing_model(threshold=0.0), images, labels)
    view.set_test_set(images, labels)
    view.set_refuses(False)
    view.show_evaluation(evaluation)
    assert view.refused() is None
    figures = view.reliability_view.figures.text()
    assert "never answers “not a digit”" in figures and "refused" not in figures
    assert "Refused" not in view.status.text()


def test_evaluating_a_refusing_model_in_the_window(
    make_window: Any, qtbot: Any, tmp_path: Path, mnist_dir: Path, wait_idle: Any
) -> None:
    model_path = save_refusing_model(tmp_path / "refusing.npz")
    window = make_window(model_path=model_path, data_dir=mnist_dir)
    window.tabs.setCurrentIndex(RESULTS)
    view = window.confusion_view
    assert view.reliability_view.reliability() is None
    with qtbot.waitSignal(window.run.evaluated, timeout=60_000):
        qtbot.mouseClick(view.evaluate_button, Qt.MouseButton.LeftButton)
    wait_idle(window, 5000)
    # The matrix is of the ten digits; the figures are the model's own on the test digits.
    assert view.confusion().shape == (10, 10)
    test = load_mnist(mnist_dir)
    expected = evaluate(refusing_model(), test.test_images, test.test_labels)
    shown = view.reliability_view.reliability()
    assert shown is not None and int(shown.counts.sum()) == 10_000
    assert abs(shown.ece - expected.calibration_error) < 1e-9
    assert view.refused() is not None
    assert view.refused().rate == expected.refusal_rate > 0
    view.pages.setCurrentIndex(1)
    assert view.reliability_view.isVisible()
    assert "ECE" in view.reliability_view.help.toolTip()
