"""Why it learns: the trainer's per-layer measurements drawn at the GUI's pace (gradient norms,
update/weight ratios, dead ReLUs, weights against the initial ones), and the training doctor's
diagnoses in plain words with a button that applies the fix to the next run."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from handwrite.doctor import Doctor
from handwrite.gui import language
from handwrite.gui.settings import TrainingSettings
from handwrite.gui.training.diagnostics_view import DiagnosticsView
from handwrite.gui.training.doctor_panel import DoctorPanel
from handwrite.gui.training.network import OWN
from handwrite.nn.architectures import MLPDesign, activation_of
from handwrite.trainer import ArrayData, Failed, LayerStats, TrainConfig, WeightHistograms

DEEP_SIGMOID = MLPDesign(hidden=(100,) * 5, activation="sigmoid").architecture()


def _deep_sigmoid(settings: TrainingSettings) -> TrainingSettings:
    """A deep sigmoid MLP by plain SGD, its layers measured: a run built to show the
    vanishing gradient (about 130 steps on the small set)."""
    return replace(
        settings,
        arch=OWN,
        architecture=DEEP_SIGMOID,
        optimizer="sgd",
        lr=0.1,
        schedule="constant",
        epochs=3,
        batch_size=32,
        augment=False,
        validation=300,
        diagnostics=True,
    )


@pytest.fixture
def _english() -> Any:
    language.uninstall()
    yield
    language.uninstall()


def _stats(steps: range, layers: int = 3, relus: int = 2) -> LayerStats:
    n = len(steps)
    return LayerStats(
        np.asarray(steps, np.int64),
        tuple(range(0, 2 * layers, 2)),
        np.tile(np.logspace(-4, -1, layers), (n, 1)),
        np.full((n, layers), 1e-3),
        tuple(range(1, 2 * relus, 2)),
        np.full((n, relus), 0.25),
    )


def test_the_layers_view_buffers_the_events_and_draws_on_its_timer(qtbot: Any) -> None:
    view = DiagnosticsView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.reset(MLPDesign(hidden=(100, 100)).architecture(), "test")
    view.show()
    qtbot.waitExposed(view)
    drawn = view.redraw_count
    for start in range(1, 401, 4):  # 100 events, as fast as a trainer sends them
        view.on_layer_stats(_stats(range(start, start + 4)))
    assert view.redraw_count == drawn  # nothing drawn per event
    qtbot.waitUntil(lambda: view.redraw_count > drawn, timeout=2000)
    assert view.layers() == (0, 2, 4)
    np.testing.assert_allclose(view.gradient_norms(0), np.full(400, 1e-4))
    assert len(view.dead_curves) == 2
    np.testing.assert_allclose(view.dead_curves[1].getData()[1], np.full(400, 25.0))
    assert "1,000 times smaller" in view.ratio_label.text()
    # a hidden view draws nothing; shown again, it catches up
    view.hide()
    count = view.redraw_count
    view.on_layer_stats(_stats(range(401, 405)))
    qtbot.wait(3 * 200)
    assert view.redraw_count == count
    view.show()
    qtbot.waitUntil(lambda: len(view.gradient_norms(0)) == 404, timeout=2000)


def test_the_axes_move_as_little_as_they_can(qtbot: Any) -> None:
    """Repainting the axes is what a frame costs: the steps span the whole run, and the log
    axes change only by whole decades when a value falls outside them."""
    view = DiagnosticsView()
    qtbot.addWidget(view)
    view.reset(MLPDesign(hidden=(100, 100)).architecture(), "test")
    view.set_steps(1000)
    view.on_layer_stats(_stats(range(1, 5)))  # gradients 1e-4 ... 1e-1
    view.redraw()
    x_range = view.gradient_plot.viewRange()[0]
    assert x_range[0] < 0 < 1000 < x_range[1] < 1050
    low, high = view.gradient_plot.viewRange()[1]
    assert -4.1 < low < -4 and -1 < high < -0.9  # log10 units
    stats = _stats(range(5, 9))
    view.on_layer_stats(dataclasses.replace(stats, gradient_norm=stats.gradient_norm * 0 + 0.01))
    view.redraw()
    assert view.gradient_plot.viewRange()[1] == [low, high]  # within the decades: unchanged
    view.on_layer_stats(dataclasses.replace(stats, gradient_norm=stats.gradient_norm * 1e-3))
    view.redraw()
    low, high = view.gradient_plot.viewRange()[1]
    assert -7.2 < low < -7 and -1 < high < -0.8
    assert view.gradient_plot.viewRange()[0] == x_range


def test_a_deep_sigmoid_run_in_the_window_shows_its_vanishing_gradient(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any, _english: Any
) -> None:
    window = make_window()
    window.mnist.set_data(small_data)
    tab = window.training_tab
    view = tab.diagnostics
    tab.views.setCurrentWidget(view)
    panel = window.training_panel
    panel.set_settings(_deep_sigmoid(panel.settings()))
    started: list[Any] = []
    window.run.started.connect(started.append)
    panel.start_button.click()
    wait_idle(window)
    # the trainer measures as often as costs it 1% of the training time: a few steps here
    qtbot.waitUntil(lambda: len(view.gradient_norms(view.layers()[-1])) >= 3, timeout=5000)
    dense = [i for i, s in enumerate(DEEP_SIGMOID["layers"]) if s["type"] == "Dense"]
    assert view.layers() == tuple(dense)
    first, last = view.gradient_norms(dense[0]), view.gradient_norms(dense[-1])
    assert len(first) == len(last) >= 3
    # the vanishing gradient, visible: the first layer's gradient is far below the last's
    assert np.nanmedian(first) < 0.05 * np.nanmedian(last)
    assert "times smaller" in view.ratio_label.text()
    assert len(view.update_curves) == len(dense)
    steps = started[0].total_batches  # the steps axis spans the whole run from its start
    assert steps < view.gradient_plot.viewRange()[0][1] < 1.05 * steps
    assert view.dead_curves == {} and "no ReLU" in view.dead_plot.titleLabel.text
    # the weights now, against those the run started from
    assert view.layer_combo.count() == len(dense)
    assert view.layer_combo.currentText().startswith("1: ")
    now = np.asarray(view.histogram_curve.getData()[1])
    initial = np.asarray(view.initial_curve.getData()[1])
    assert now.sum() == initial.sum() == 784 * 100
    assert not np.array_equal(now, initial)

    # the doctor saw it too, and its fix makes the next run's network ReLU
    doctor = tab.doctor
    kinds = [d.kind for d in doctor.diagnoses()]
    assert "vanishing_gradients" in kinds
    assert tab.views.tabText(tab.views.indexOf(doctor)) == f"Doctor ({len(kinds)})"
    # what it watched: the vanishing gradient found, the other checks passed
    checks = doctor.checks_label.text()
    assert "Vanishing gradients" in checks and "found at step" in checks
    assert checks.count("✓") == 6 - len(kinds) and "not measured" not in checks
    card = doctor.cards()[kinds.index("vanishing_gradients")]
    assert "times smaller" in card.message_label.text()
    assert card.fix_label.text().startswith("Try: Use ReLU instead of sigmoid")
    card.apply_button.click()
    settings = panel.settings()
    assert settings.arch == OWN and activation_of(settings.architecture) == "relu"
    assert len(settings.architecture["layers"]) == len(DEEP_SIGMOID["layers"])
    assert settings.lr == 0.1 and settings.optimizer == "sgd"  # the rest stays
    assert not card.apply_button.isEnabled() and "Applied" in card.apply_button.text()
    assert "Start a new run" in doctor.applied_label.text()


def test_a_run_without_measurements_says_how_to_get_them(
    make_window: Any, small_data: ArrayData, wait_idle: Any, _english: Any
) -> None:
    window = make_window()
    window.mnist.set_data(small_data)
    panel = window.training_panel
    panel.set_settings(replace(_deep_sigmoid(panel.settings()), diagnostics=False, epochs=1))
    panel.start_button.click()
    wait_idle(window)
    view = window.training_tab.diagnostics
    assert view.layers() == () and "Measure each layer" in view.subject_label.text()
    # the doctor says which of its checks needed the measurements
    checks = window.training_tab.doctor.checks_label.text()
    assert checks.count("not measured") == 2 and "Dead units" in checks


def test_the_doctor_explains_a_diverged_run_and_its_fix_lowers_the_learning_rate(
    make_window: Any, small_data: ArrayData, wait_idle: Any, dialog_log: Any, _english: Any
) -> None:
    window = make_window()
    window.mnist.set_data(small_data)
    panel = window.training_panel
    panel.set_settings(
        replace(panel.settings(), arch="mlp", architecture=None, optimizer="sgd", lr=900.0)
    )
    panel.start_button.click()
    wait_idle(window)
    assert dialog_log.errors  # the divergence is explained as before
    doctor = window.training_tab.doctor
    (card,) = doctor.cards()
    assert card.diagnosis.kind == "lr_too_high"
    assert card.title_label.text().startswith("<b>The learning rate is")
    assert "exploded" in card.message_label.text() and "900" in card.message_label.text()
    assert "In the latest run the doctor found 1 problem" in doctor.status_label.text()
    card.apply_button.click()
    assert panel.settings().lr == 90.0
    assert panel.settings().optimizer == "sgd" and panel.settings().arch == "mlp"
    # the next run starts without the last one's diagnoses
    panel.set_settings(replace(panel.settings(), lr=0.01, epochs=1))
    panel.start_button.click()
    wait_idle(window)
    assert doctor.cards() == []


def test_the_doctors_words_are_in_japanese(qtbot: Any) -> None:
    config = TrainConfig(arch="mlp", optimizer="sgd", lr=50.0)
    doctor = Doctor(config)
    (diagnosis,) = doctor.observe(Failed("diverged", True, 12, loss=float("inf")))
    assert language.install("ja")
    try:
        panel = DoctorPanel()
        qtbot.addWidget(panel)
        card = panel.show_diagnosis(diagnosis)
        title = card.title_label.text()
        assert "学習率が高すぎます" in title
        assert "50" in card.message_label.text()
        assert not card.message_label.text().isascii()
        assert "学習率" in card.fix_label.text() and "50 → 5" in card.fix_label.text()
        assert card.apply_button.text() == "次の学習に適用"
        assert "1" in panel.status_label.text() and not panel.status_label.text().isascii()
    finally:
        language.uninstall()


def test_weight_histograms_follow_the_layer_chosen(qtbot: Any) -> None:
    view = DiagnosticsView()
    qtbot.addWidget(view)
    view.reset(MLPDesign(hidden=(100,)).architecture(), "test")
    edges = (np.linspace(-1, 1, 5, dtype=np.float32), np.linspace(-2, 2, 5, dtype=np.float32))
    initial = (np.array([0, 5, 5, 0]), np.array([1, 2, 2, 1]))
    counts = (np.array([1, 4, 4, 1]), np.array([0, 3, 3, 0]))
    view.on_weight_histograms(WeightHistograms(10, (1, 3), edges, initial, counts, (0.0, 0.0)))
    assert [view.layer_combo.itemData(i) for i in range(view.layer_combo.count())] == [1, 3]
    view.redraw()
    np.testing.assert_array_equal(view.histogram_curve.getData()[1], counts[0])
    np.testing.assert_array_equal(view.initial_curve.getData()[1], initial[0])
    view.layer_combo.setCurrentIndex(1)
    np.testing.assert_array_equal(view.histogram_curve.getData()[1], counts[1])
    np.testing.assert_allclose(view.histogram_curve.getData()[0], edges[1])
