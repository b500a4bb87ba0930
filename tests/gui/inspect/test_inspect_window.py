"""Inside the network, wired in the window: the views follow the drawing and the training,
the confusion matrix fills after each epoch and on demand, probes learn."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, Qt

from handwrite.trainer import ArrayData
from tests.gui.strokes import drag, one

TRAINING, INSIDE, DRAWING, RESULTS = 0, 1, 2, 3


def _draw_one(window: Any, qtbot: Any) -> None:
    with qtbot.waitSignal(window.prediction_changed, timeout=2000):
        drag(window.canvas, one(window.canvas))


def test_the_tabs_follow_the_drawing_only_while_shown(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    assert [window.tabs.tabText(i) for i in range(4)] == [
        "Training",
        "Inside",
        "Your drawing",
        "Test results",
    ]
    window.tabs.setCurrentIndex(DRAWING)
    preprocess, saliency = window.preprocess_view, window.saliency_view
    with qtbot.waitSignals([preprocess.refreshed, saliency.refreshed], timeout=3000):
        _draw_one(window, qtbot)
    qtbot.waitUntil(lambda: not preprocess.is_stale() and not saliency.is_stale())
    assert preprocess.steps() is not None and len(preprocess.mosaic.tiles()) == 4
    assert saliency.saliency().shape == (28, 28)
    assert saliency.target_class() == int(window.predictor.probabilities.argmax())
    features = window.feature_map_view
    assert features.is_stale() and features.maps() is None  # hidden: nothing computed
    with qtbot.waitSignal(features.refreshed):
        window.tabs.setCurrentIndex(INSIDE)
    assert features.maps().shape == (32, 24, 24)  # the default cnn's first convolution
    assert window.filter_view.weights().shape == (32, 5, 5)

    with qtbot.waitSignal(features.refreshed):
        window.canvas.clear()
    assert features.maps() is None


def test_a_dot_is_not_a_digit(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.tabs.setCurrentIndex(DRAWING)
    c = window.canvas.surface_rect().center()
    with qtbot.waitSignal(window.preprocess_view.refreshed, timeout=3000):
        drag(window.canvas, [c, c + QPointF(2, 1)])
    qtbot.waitUntil(lambda: not window.preprocess_view.is_stale())
    assert any("almost no ink" in w for w in window.preprocess_view.warnings())
    assert window.preprocess_view.warning.isVisible()


def test_training_fills_the_confusion_matrix_moves_filters_and_probes(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any
) -> None:
    window = make_window()
    _draw_one(window, qtbot)
    probes = window.probe_panel
    probes.pin_button.click()
    window.mnist.set_data(small_data)
    panel = window.training_panel
    panel.set_settings(replace(panel.settings(), arch="mlp", dropout=0.0, batch_size=32, epochs=1))
    window.tabs.setCurrentIndex(INSIDE)
    filters = window.filter_view
    with qtbot.waitSignal(window.run.started, timeout=20_000):
        panel.start_button.click()
    qtbot.waitUntil(lambda: filters.kind() == "dense", timeout=20_000)  # the new mlp
    first = filters.weights().copy()
    assert not window.confusion_view.evaluate_button.isEnabled()  # not during training

    with qtbot.waitSignal(window.run.epoch_done, timeout=60_000):
        pass
    confusion = window.confusion_view.confusion()
    assert confusion.shape == (10, 10) and confusion.sum() == len(small_data.test_labels)
    wait_idle(window, 20_000)
    qtbot.waitUntil(lambda: not filters.is_stale(), timeout=20_000)
    assert not np.allclose(filters.weights(), first)
    assert window.confusion_view.evaluate_button.isEnabled()

    # The probe (in the hidden Training tab) catches up when shown, with the trained weights.
    with qtbot.waitSignal(probes.refreshed):
        window.tabs.setCurrentIndex(TRAINING)
    np.testing.assert_allclose(
        probes.probabilities(), window.model.predict_proba(probes.probes()), rtol=1e-5
    )


def test_evaluating_a_loaded_model_on_the_test_set(
    make_window: Any, qtbot: Any, trained_model_path: Path, mnist_dir: Path, wait_idle: Any
) -> None:
    window = make_window(model_path=trained_model_path, data_dir=mnist_dir)
    window.tabs.setCurrentIndex(RESULTS)
    view = window.confusion_view
    assert view.confusion() is None
    with qtbot.waitSignal(window.run.evaluated, timeout=60_000):
        qtbot.mouseClick(view.evaluate_button, Qt.MouseButton.LeftButton)
        assert view.progress.isVisible()  # the GUI goes on while the worker evaluates
    wait_idle(window, 5000)
    m = view.confusion()
    assert m.sum() == 10_000
    assert np.trace(m) / m.sum() > 0.8
    assert view.evaluate_button.isVisible() and not view.progress.isVisible()
    assert view.selected_cell() is not None and view.digits.count() > 0

    # Another model: the results of this one are gone.
    window.on_new_triggered()
    assert view.confusion() is None


def test_explanations_come_with_the_controls(make_window: Any) -> None:
    window = make_window()
    panel = window.training_panel
    assert "w<sup>(t+1)</sup>" in panel.lr_spin.toolTip()
    assert "How big a step" in panel.lr_spin.toolTip()  # the panel's own words stay
    assert "Srivastava" in panel.dropout_spin.toolTip()
    assert "Kingma" in panel.optimizer_combo.toolTip()
    assert "mini-batch" in panel.batch_spin.toolTip()
    assert "softmax" in window.probability_view.toolTip()
    for view in (
        window.filter_view,
        window.feature_map_view,
        window.saliency_view,
        window.preprocess_view,
        window.confusion_view,
        window.probe_panel,
    ):
        assert view.help.toolTip().startswith("<b>")
