"""The personal set's "not a digit" label: a drawing the model refuses is offered as "not a
digit", such a sample is stored with the label 10 and shown as ✗, the accuracy on the set
counts a refused "not a digit" sample as read right (a refused digit as wrong), and
fine-tuning a network with the "not a digit" output learns from those samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from handwrite.gui.drawing.canvas import CanvasView
from handwrite.gui.drawing.predictor import PredictionController
from handwrite.gui.personal.panel import NOT_A_DIGIT_MARK, PersonalPanel
from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.model import Model
from handwrite.personal import NOT_A_DIGIT_LABEL, PersonalDataset
from handwrite.refusal import Refusal
from tests.gui.refusing import refusing_model, save_refusing_model
from tests.gui.strokes import drag, one

PERSONAL = 4


def bar(canvas: Any) -> list[QPointF]:
    r = canvas.surface_rect()
    y = r.center().y()
    return [QPointF(r.left() + r.width() * (0.2 + 0.6 * i / 24), y) for i in range(25)]


def vertical() -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:15] = 255
    return image


def horizontal() -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    image[13:15, 4:24] = 255
    return image


def _panel(qtbot: Any, dataset: PersonalDataset, model: Model) -> PersonalPanel:
    panel = PersonalPanel(dataset, lambda: model)
    qtbot.addWidget(panel)
    panel.resize(520, 760)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_a_refused_drawing_is_offered_and_stored_as_not_a_digit(qtbot: Any, tmp_path: Path) -> None:
    model = refusing_model()
    path = tmp_path / "personal.npz"
    panel = _panel(qtbot, PersonalDataset(path), model)
    canvas = CanvasView()
    qtbot.addWidget(canvas)
    canvas.resize(280, 280)
    canvas.show()
    qtbot.waitExposed(canvas)
    predictor = PredictionController(canvas.image, model, interval_ms=10)
    canvas.stroke_finished.connect(predictor.on_stroke_finished)
    canvas.cleared.connect(predictor.on_cleared)
    predictor.input_changed.connect(panel.on_input_changed)
    predictor.answer_changed.connect(panel.on_answer_changed)

    with qtbot.waitSignal(predictor.answer_changed) as answered:
        drag(canvas, bar(canvas))
    assert answered.args[0].refused
    assert panel.selected_digit() == NOT_A_DIGIT_LABEL and panel.not_a_digit_button.isChecked()
    assert "<b>not a digit</b> (maybe 1," in panel.prompt_label.text()
    assert panel.add_button.text() == "Add as “not a digit”"
    with qtbot.waitSignal(panel.sample_added) as added:
        panel.add_button.click()
    assert added.args == [0, NOT_A_DIGIT_LABEL]
    with np.load(path, allow_pickle=False) as z:
        assert z["labels"].tolist() == [NOT_A_DIGIT_LABEL]
    assert "Added as not a digit" in panel.confirmation_label.text()
    # Refused, as labelled: read right, and shown as ✗.
    assert panel.sample_filter.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == NOT_A_DIGIT_MARK
    assert panel.accuracy() == 1.0

    # A digit is offered as that digit.
    canvas.clear()
    with qtbot.waitSignal(predictor.answer_changed) as answered:
        drag(canvas, one(canvas))
    assert not answered.args[0].refused
    assert panel.selected_digit() == 1 and not panel.not_a_digit_button.isChecked()
    panel.add_sample()
    assert panel.accuracy() == 1.0
    assert NOT_A_DIGIT_MARK in panel.counts_label.text()


def test_the_accuracy_counts_refusals(qtbot: Any, tmp_path: Path) -> None:
    dataset = PersonalDataset(tmp_path / "personal.npz")
    dataset.add(horizontal(), NOT_A_DIGIT_LABEL)  # refused: read right
    dataset.add(vertical(), 1)  # read right
    dataset.add(horizontal(), 4)  # refused: a digit not read
    dataset.add(vertical(), NOT_A_DIGIT_LABEL)  # read as a 1: wrong
    panel = _panel(qtbot, dataset, refusing_model())
    assert panel.accuracy() == 0.5
    assert panel.wrong_indices().tolist() == [2, 3]
    shown = [panel.sample_filter.index(i, 0).data(Qt.ItemDataRole.DisplayRole) for i in range(4)]
    assert shown == ["✗", "1", "4 → ✗", "✗ → 1"]
    assert "4 → ✗" in panel.mistakes_label.text() and "✗ → 1" in panel.mistakes_label.text()
    tooltip = panel.sample_filter.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "not a digit" in tooltip

    # A model that never refuses reads no "not a digit" sample right.
    never = _panel(qtbot, dataset, refusing_model(threshold=0.0))
    assert never.accuracy() == 0.25
    assert never.wrong_indices().tolist() == [0, 2, 3]


def test_the_window_offers_not_a_digit_for_a_refused_drawing(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(
        model_path=save_refusing_model(tmp_path / "refusing.npz"),
        personal_path=tmp_path / "personal.npz",
    )
    window.tabs.setCurrentIndex(PERSONAL)
    panel = window.personal_panel
    with qtbot.waitSignal(window.predictor.answer_changed):
        drag(window.canvas, bar(window.canvas))
    qtbot.waitUntil(lambda: window.predictor.answer is not None)
    assert window.predictor.answer.refused
    assert panel.selected_digit() == NOT_A_DIGIT_LABEL
    with qtbot.waitSignal(panel.sample_added):
        panel.add_button.click()
    assert panel.dataset.data.labels.tolist() == [NOT_A_DIGIT_LABEL]
    assert panel.accuracy() == 1.0


def test_fine_tuning_a_refusing_network_learns_the_not_a_digit_samples(
    make_window: Any, qtbot: Any, tmp_path: Path, mnist_dir: Path, wait_idle: Any
) -> None:
    model = Model.from_architecture(with_not_a_digit_output(presets.architecture("mlp")), seed=2)
    model.refusal = Refusal("not_a_digit_class", threshold=0.5)
    model.save(tmp_path / "refusing-mlp.npz")
    personal = tmp_path / "personal.npz"
    dataset = PersonalDataset(personal)
    for _ in range(3):
        dataset.add(horizontal(), NOT_A_DIGIT_LABEL)
        dataset.add(vertical(), 1)
    window = make_window(
        model_path=tmp_path / "refusing-mlp.npz", personal_path=personal, data_dir=mnist_dir
    )
    window.fine_tune.mnist_images = 600
    window.fine_tune.test_images = 200
    window.tabs.setCurrentIndex(PERSONAL)
    with qtbot.waitSignal(window.fine_tune.started, timeout=60_000) as started:
        window.personal_panel.fine_tune_requested.emit(1, 3e-4)
    data = started.args[0]
    # The samples labelled "not a digit" are in the run, as the 11th output's class.
    assert int((np.asarray(data.train_labels) == NOT_A_DIGIT_LABEL).sum()) > 0
    with qtbot.waitSignal(window.fine_tune.compared, timeout=120_000) as compared:
        pass
    wait_idle(window, 10_000)
    comparison = compared.args[0]
    assert comparison.personal_samples == 6
    assert window.model.has_not_a_digit_output and window.model.refuses
    assert window.personal_panel.accuracy() == pytest.approx(comparison.personal_after)
