"""The personal panel: teach it a drawing, browse and delete samples (the file on disk
changes), the accuracy on your handwriting, and fine-tuning wired as the window wires it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from handwrite.gui.document import ModelDocument
from handwrite.gui.drawing.canvas import CanvasView
from handwrite.gui.drawing.predictor import PredictionController
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.personal import panel as personal_panel
from handwrite.gui.personal.fine_tune import FineTuneController
from handwrite.gui.personal.panel import PersonalPanel, open_personal_dataset
from handwrite.gui.settings import AppSettings
from handwrite.gui.training.run_controller import RunController
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.personal import PersonalDataset, to_uint8_image
from tests.gui.strokes import seven


class Holder:
    """Stands in for the window: its document shows the model it predicts with."""

    def __init__(self, model: Model, settings: Path) -> None:
        self.document = ModelDocument(AppSettings(settings), None)
        self.model = model

    @property
    def model(self) -> Model:
        return self.document.model

    @model.setter
    def model(self, model: Model) -> None:
        self.document.show(model, None, trained=True)

    def install(self, model: Model, note: str) -> None:
        self.document.show(model, None, trained=True, dirty=True)


@pytest.fixture
def holder(small_mlp: Model, tmp_path: Path) -> Holder:
    return Holder(small_mlp, tmp_path / "holder.ini")


@pytest.fixture
def make_panel(qtbot: Any, holder: Holder) -> Any:
    def make(dataset: PersonalDataset) -> PersonalPanel:
        panel = PersonalPanel(dataset, lambda: holder.model)
        qtbot.addWidget(panel)
        panel.resize(480, 760)
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return make


def reload(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels in the file on disk, read afresh."""
    with np.load(path, allow_pickle=False) as z:
        return z["images"], z["labels"]


def fill(dataset: PersonalDataset, images: np.ndarray, labels: np.ndarray) -> None:
    for image, label in zip(images, labels, strict=True):
        dataset.add(image, int(label))


def test_a_drawing_is_added_with_the_digit_picked(
    qtbot: Any, tmp_path: Path, make_panel: Any, holder: Holder
) -> None:
    path = tmp_path / "personal.npz"
    panel = make_panel(PersonalDataset(path))
    assert not panel.add_button.isEnabled()  # nothing drawn yet

    canvas = CanvasView()
    qtbot.addWidget(canvas)
    canvas.resize(280, 280)
    canvas.show()
    qtbot.waitExposed(canvas)
    predictor = PredictionController(canvas.image, holder.model, interval_ms=10)
    canvas.stroke_changed.connect(predictor.on_stroke_changed)
    canvas.stroke_finished.connect(predictor.on_stroke_finished)
    canvas.cleared.connect(predictor.on_cleared)
    predictor.input_changed.connect(panel.on_input_changed)
    predictor.prediction_changed.connect(panel.on_prediction_changed)

    with qtbot.waitSignal(predictor.prediction_changed) as predicted:
        canvas.draw_stroke(seven(canvas))
    answer = int(np.argmax(predicted.args[0]))
    assert panel.selected_digit() == answer  # the network's answer, preselected
    assert f"as <b>{answer}</b>" in panel.prompt_label.text()

    other = (answer + 1) % 10
    panel.digit_buttons[other].click()  # the user knows better ...
    with qtbot.waitSignal(predictor.prediction_changed):
        predictor.predict_now()
    assert panel.selected_digit() == other  # ... and a new answer does not overrule them
    panel.digit_buttons[7].click()
    assert panel.add_button.text() == "Add as “7”"
    with qtbot.waitSignal(panel.sample_added) as added:
        panel.add_button.click()
    assert added.args == [0, 7]

    images, labels = reload(path)
    assert labels.tolist() == [7]
    assert np.array_equal(images[0], to_uint8_image(panel.preview.image()))
    assert images[0].max() == 255
    assert panel.visible_sample_count() == 1
    shown = panel.sample_filter.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert shown.startswith("7")
    assert "Added as a 7" in panel.confirmation_label.text()
    assert not panel.add_button.isEnabled()  # the same drawing is not added twice ...
    with qtbot.waitSignal(predictor.input_changed):
        predictor.set_model(holder.model)  # ... even when a new model sees it again
    assert not panel.add_button.isEnabled()

    canvas.clear()
    assert panel.selected_digit() == 7 and not panel.add_button.isEnabled()
    with qtbot.waitSignal(predictor.prediction_changed):
        canvas.draw_stroke(seven(canvas))
    assert panel.add_button.isEnabled()
    assert panel.selected_digit() == answer  # preselected again for the new drawing


def test_selected_samples_are_deleted_from_the_file(
    qtbot: Any, tmp_path: Path, make_panel: Any, mnist_data: Any, monkeypatch: Any
) -> None:
    path = tmp_path / "personal.npz"
    dataset = PersonalDataset(path)
    images = np.asarray(mnist_data.test_images[:6])
    labels = np.asarray(mnist_data.test_labels[:6]).astype(np.uint8)
    fill(dataset, images, labels)
    panel = make_panel(dataset)
    assert panel.visible_sample_count() == 6
    asked: list[int] = []
    answer = [False]

    def ask(parent: Any, count: int) -> bool:
        asked.append(count)
        return answer[0]

    monkeypatch.setattr(personal_panel, "ask_delete_samples", ask)
    view, selection = panel.sample_view, panel.sample_view.selectionModel()
    assert not panel.delete_button.isEnabled()
    for row in (1, 4):
        selection.select(
            panel.sample_filter.index(row, 0), QItemSelectionModel.SelectionFlag.Select
        )
    assert panel.delete_button.isEnabled()

    panel.delete_button.click()  # "Cancel": nothing changes
    assert asked == [2] and len(reload(path)[1]) == 6

    answer[0] = True
    with qtbot.waitSignal(panel.samples_deleted) as deleted:
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert deleted.args == [2] and asked == [2, 2]
    kept_images, kept_labels = reload(path)
    keep = [0, 2, 3, 5]
    assert kept_labels.tolist() == labels[keep].tolist()
    assert np.array_equal(kept_images, images[keep])
    assert panel.visible_sample_count() == 4 and len(dataset) == 4


def test_delete_key_goes_to_the_browser_not_to_window_shortcuts(
    qtbot: Any, tmp_path: Path, holder: Holder, mnist_data: Any, monkeypatch: Any
) -> None:
    dataset = PersonalDataset(tmp_path / "personal.npz")
    fill(dataset, mnist_data.test_images[:2], mnist_data.test_labels[:2])
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = PersonalPanel(dataset, lambda: holder.model)
    window.setCentralWidget(panel)
    cleared: list[bool] = []
    clear = QAction("Clear Drawing", window)
    clear.setShortcut(QKeySequence(Qt.Key.Key_Delete))  # as the main window has
    clear.triggered.connect(lambda: cleared.append(True))
    window.addAction(clear)
    with qtbot.waitActive(window):  # window shortcuts act only in the active window
        window.show()
        window.activateWindow()
    monkeypatch.setattr(personal_panel, "ask_delete_samples", lambda parent, count: True)
    panel.sample_view.selectAll()
    panel.sample_view.setFocus()
    with qtbot.waitSignal(panel.samples_deleted):
        qtbot.keyClick(panel.sample_view, Qt.Key.Key_Delete)
    assert not cleared and len(dataset) == 0
    panel.mistakes_only_check.setFocus()
    qtbot.keyClick(panel.mistakes_only_check, Qt.Key.Key_Delete)
    assert cleared  # elsewhere, Delete still clears the drawing


def test_accuracy_on_your_handwriting(
    qtbot: Any, tmp_path: Path, make_panel: Any, holder: Holder, mnist_data: Any
) -> None:
    dataset = PersonalDataset(tmp_path / "personal.npz")
    upright = np.asarray(mnist_data.test_images[:12])
    sideways = np.rot90(np.asarray(mnist_data.test_images[12:20]), axes=(1, 2)).copy()
    images = np.concatenate([upright, sideways])
    labels = np.asarray(mnist_data.test_labels[:20]).astype(np.uint8)
    fill(dataset, images, labels)
    panel = make_panel(dataset)

    predicted = holder.model.predict(images)
    wrong = np.flatnonzero(predicted != labels)
    expected = 1 - len(wrong) / 20
    assert 0 < len(wrong) < 20
    assert panel.accuracy() == pytest.approx(expected)
    assert panel.wrong_indices().tolist() == wrong.tolist()
    text = panel.accuracy_label.text()
    assert f"{expected:.1%}" in text and f"({20 - len(wrong)} of 20)" in text
    first = int(wrong[0])
    mark = f"{labels[first]} → {predicted[first]}"
    assert mark in panel.mistakes_label.text()
    assert panel.sample_filter.index(first, 0).data(Qt.ItemDataRole.DisplayRole) == mark

    panel.mistakes_only_check.setChecked(True)
    assert panel.visible_sample_count() == len(wrong)
    panel.mistakes_only_check.setChecked(False)
    assert panel.visible_sample_count() == 20

    # Another model: measured again (soon, not at once: snapshots come twice a second).
    holder.model = presets.build("mlp", seed=3)
    untrained = float((holder.model.predict(images) == labels).mean())
    panel.on_model_changed()
    qtbot.waitUntil(lambda: f"{untrained:.1%}" in panel.accuracy_label.text(), timeout=3000)

    # A new sample: measured at once.
    dataset_labels = labels.tolist()
    panel.on_input_changed(upright[0].astype(np.float32) / 255)
    panel.add_sample(int(labels[0]))
    assert f"of {len(dataset_labels) + 1})" in panel.accuracy_label.text()


def test_a_sample_that_cannot_be_saved_is_explained_and_kept(
    tmp_path: Path, make_panel: Any, dialog_log: Any, mnist_data: Any
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    dataset = PersonalDataset(blocker / "personal.npz")
    panel = make_panel(dataset)
    image = mnist_data.test_images[0].astype(np.float32) / 255
    panel.on_input_changed(image)
    panel.digit_buttons[int(mnist_data.test_labels[0])].click()

    panel.add_button.click()
    assert dialog_log.errors, "the failure must be explained"
    title, message, details = dialog_log.errors[-1]
    assert "could not be saved" in title and "Nothing was lost" in message
    assert details and "not-a-folder" in details
    assert len(dataset) == 0 and panel.visible_sample_count() == 0
    assert panel.add_button.isEnabled()  # the drawing is still there: try again
    assert np.array_equal(panel.preview.image(), image)


def test_an_unreadable_set_is_kept_aside(tmp_path: Path, dialog_log: Any) -> None:
    path = tmp_path / "personal.npz"
    path.write_bytes(b"not an npz file")
    dataset = open_personal_dataset(None, path)
    assert len(dataset) == 0 and dataset.path == path
    kept = list(tmp_path.glob("personal.unreadable-*.npz"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"not an npz file"
    assert dialog_log.errors and kept[0].name in dialog_log.errors[-1][1]


@pytest.fixture
def wired(
    qtbot: Any, tmp_path: Path, make_panel: Any, holder: Holder, mnist_data: Any
) -> Iterator[tuple[PersonalPanel, FineTuneController, RunController]]:
    """The panel and a FineTuneController, wired as the main window wires them."""
    dataset = PersonalDataset(tmp_path / "personal.npz")
    pool = np.arange(50_000, 50_300)
    rows = np.concatenate([pool[mnist_data.train_labels[pool] == d][:6] for d in (1, 4, 7)])
    fill(
        dataset,
        np.rot90(np.asarray(mnist_data.train_images[rows]), axes=(1, 2)),
        mnist_data.train_labels[rows],
    )
    panel = make_panel(dataset)
    mnist = MnistController()
    mnist.set_data(mnist_data)
    runs = RunController(holder.document, mnist)
    fine_tune = FineTuneController(
        runs, dataset, lambda: holder.model, holder.install, mnist, test_images=1000
    )
    holder.document.model_changed.connect(panel.on_model_changed)
    runs.state_changed.connect(lambda state: panel.on_training_running_changed(state.training))
    panel.fine_tune_requested.connect(fine_tune.start)
    panel.undo_requested.connect(fine_tune.undo)
    fine_tune.started.connect(panel.on_fine_tune_started)
    fine_tune.running_changed.connect(panel.on_fine_tune_running_changed)
    fine_tune.compared.connect(panel.on_compared)
    fine_tune.failed.connect(panel.on_fine_tune_failed)
    fine_tune.undone.connect(panel.on_undone)
    fine_tune.undo_available.connect(panel.on_undo_available)
    yield panel, fine_tune, runs
    runs.shutdown()
    fine_tune.shutdown()


def test_fine_tune_and_undo_from_the_panel(qtbot: Any, wired: Any, holder: Holder) -> None:
    panel, fine_tune, _runs = wired
    before = holder.model.state_dict()
    accuracy_before = panel.accuracy()
    assert panel.fine_tune_button.isEnabled() and not panel.undo_button.isEnabled()
    assert panel.epochs_spin.value() == 2 and panel.lr_spin.value() == pytest.approx(3e-4)
    assert "w(t+1) = w(t) − η∇E" in panel.info_label.text()
    assert "forget" in panel.fine_tune_button.toolTip()

    panel.epochs_spin.setValue(1)
    with qtbot.waitSignal(fine_tune.compared, timeout=60_000) as compared:
        panel.fine_tune_button.click()
        assert not panel.fine_tune_button.isEnabled()
        assert "Fine-tuning for 1 epochs" in panel.status_label.text()
    c = compared.args[0]
    qtbot.waitUntil(lambda: panel.fine_tune_button.isEnabled(), timeout=10_000)
    assert c.epochs_done == 1 and c.personal_before == pytest.approx(accuracy_before)
    table = panel.comparison_table
    assert table.isVisible()
    assert table.item(0, 0).text() == f"{c.personal_before:.1%}"
    assert table.item(0, 1).text() == f"{c.personal_after:.1%}"
    assert table.item(1, 0).text() == f"{c.mnist_before:.1%}"
    assert table.item(1, 1).text() == f"{c.mnist_after:.1%}"
    assert table.item(0, 2).text().startswith("+")
    assert panel.accuracy() == pytest.approx(c.personal_after)
    assert panel.undo_button.isEnabled()

    with qtbot.waitSignal(fine_tune.undone):
        panel.undo_button.click()
    assert all(np.array_equal(holder.model.state_dict()[k], v) for k, v in before.items())
    assert not panel.undo_button.isEnabled() and not table.isVisible()
    assert panel.accuracy() == pytest.approx(accuracy_before)


def test_fine_tuning_needs_samples_and_an_idle_trainer(
    tmp_path: Path, make_panel: Any, mnist_data: Any
) -> None:
    dataset = PersonalDataset(tmp_path / "personal.npz")
    panel = make_panel(dataset)
    assert not panel.fine_tune_button.isEnabled()
    assert panel.accuracy() is None and panel.accuracy_label.text() == "No samples yet"
    panel.on_input_changed(mnist_data.test_images[0].astype(np.float32) / 255)
    panel.add_sample(int(mnist_data.test_labels[0]))
    assert panel.fine_tune_button.isEnabled()
    panel.on_training_running_changed(True)
    assert not panel.fine_tune_button.isEnabled()
    panel.on_training_running_changed(False)
    assert panel.fine_tune_button.isEnabled()


def test_the_window_wires_your_handwriting(qtbot, tmp_path) -> None:
    """Drawing, adding the drawing as a labelled sample, and the panel's tab in the window."""
    from handwrite.gui.main_window import MainWindow
    from handwrite.gui.settings import AppSettings
    from handwrite.personal import PersonalDataset
    from tests.gui.strokes import drag, one

    path = tmp_path / "mine.npz"
    window = MainWindow(
        settings=AppSettings(tmp_path / "s.ini"), default_model_path=None, personal_path=path
    )
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.personal_panel) >= 0
    with qtbot.waitSignal(window.prediction_changed, timeout=5000):
        drag(window.canvas, one(window.canvas))
    window.personal_panel.add_sample(1)
    assert PersonalDataset(path).data.labels.tolist() == [1]
