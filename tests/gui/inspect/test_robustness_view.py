"""Robustness curves in the window: measured in the background with the partial curves
growing, two models side by side, cancellable, and gone when another model is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from handwrite.gui.inspect.robustness_view import RobustnessView
from handwrite.nn import presets
from handwrite.robustness import PERTURBATIONS, robustness
from handwrite.trainer import ArrayData
from tests.gui.inspect.test_inspect_views import shown

ROBUSTNESS = 7
LEVELS = sum(len(p.levels) for p in PERTURBATIONS)


def digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random "digits": enough to measure on, without MNIST."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 255, (n, 28, 28), dtype=np.uint8), np.arange(n) % 10


def test_two_models_are_measured_side_by_side_as_the_curves_grow(qtbot: Any) -> None:
    model, other = presets.build("mlp", seed=0), presets.build("mlp", seed=1)
    view = shown(qtbot, RobustnessView(), (900, 600))
    view.on_model_replaced(model)
    view.set_other_model(other, "other.npz (mlp)")
    assert view.model_names() == ("this model (mlp)", "other.npz (mlp)")
    assert "other.npz (mlp)" in view.legend.text() and view.remove_button.isVisible()
    images, labels = digits(40)
    progress: list[tuple[int, int]] = []
    view.progress_changed.connect(lambda done, total: progress.append((done, total)))
    partial: list[int] = []

    def count_measured(_done: int, _total: int) -> None:
        result = view.result()
        partial.append(sum(int(np.isfinite(a).sum()) for a in result.accuracy))

    view.progress_changed.connect(count_measured)
    with qtbot.waitSignal(view.measured, timeout=60_000) as measured:
        view.start(images, labels)
        assert view.is_running() and not view.measure_button.isEnabled()
    result = measured.args[0]
    assert result.complete and result.model_names == view.model_names()
    assert progress[-1] == (2 * LEVELS, 2 * LEVELS) and len(progress) == 2 * LEVELS
    assert partial == sorted(partial) and partial[0] == 1  # the curves grew point by point
    expected = robustness([model, other], images, labels)  # the same digits, the same changes
    for p, got, want in zip(PERTURBATIONS, result.accuracy, expected.accuracy, strict=True):
        np.testing.assert_allclose(got, want)
        for m, curve in enumerate(view.curves[p.name]):
            xs, ys = curve.getData()
            np.testing.assert_allclose(xs, p.levels)
            np.testing.assert_allclose(ys, 100 * want[m])
    assert not view.is_running() and view.measure_button.isEnabled()
    assert "recognised unchanged" in view.status.text()

    view.on_model_changed(model)  # new weights: the curves are of the weights before
    assert "changed since" in view.status.text() and view.result() is result
    view.on_model_replaced(presets.build("mlp", seed=2))  # another model: they are gone
    assert view.result() is None
    for curves in view.curves.values():
        for curve in curves:
            xs, _ = curve.getData()
            assert xs is None or len(xs) == 0


def test_a_measurement_can_be_cancelled(qtbot: Any) -> None:
    view = shown(qtbot, RobustnessView(), (900, 600))
    view.on_model_replaced(presets.build("cnn", seed=0))
    images, labels = digits(300)
    with qtbot.waitSignal(view.progress_changed, timeout=60_000):
        view.start(images, labels)
    assert view.cancel_button.isVisible()
    with qtbot.waitSignal(view.stopped, timeout=60_000):
        view.cancel_button.click()
    assert not view.is_running() and view.measure_button.isEnabled()
    assert not view.cancel_button.isVisible() and "Cancelled" in view.status.text()
    result = view.result()  # the curves so far stay
    measured = sum(int(np.isfinite(a).sum()) for a in result.accuracy)
    assert 1 <= measured < LEVELS and not result.complete


def test_the_window_measures_the_model_on_show_on_mnist_test_digits(
    make_window: Any, qtbot: Any, small_data: ArrayData, trained_model_path: Path
) -> None:
    window = make_window(model_path=trained_model_path)
    window.mnist.set_data(small_data)
    view = window.robustness_view
    window.tabs.setCurrentIndex(ROBUSTNESS)
    view.digits_combo.setCurrentIndex(view.digits_combo.findData(1000))
    with qtbot.waitSignal(view.progress_changed, timeout=20_000):
        view.measure_button.click()
    assert view.result().n_images == len(small_data.test_labels)  # 300: all of them
    with qtbot.waitSignal(view.stopped, timeout=60_000):
        view.cancel()
    rotation = view.result().accuracy[0][0]
    assert rotation[0] > 0.9  # the shipped model, on unchanged test digits


def test_comparing_with_a_model_file(
    qtbot: Any, tmp_path: Path, trained_model_path: Path, dialog_log: Any
) -> None:
    view = shown(qtbot, RobustnessView(), (900, 600))
    view.on_model_replaced(presets.build("mlp"))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    assert not view.open_other(broken)
    assert dialog_log.errors and "broken.npz" in dialog_log.errors[-1][1]
    assert view.other_name() is None
    assert view.open_other(trained_model_path)
    assert view.other_name().startswith(trained_model_path.name)
    view.remove_button.click()
    assert view.other_name() is None and view.model_names() == ("this model (mlp)",)


def test_the_curves_survive_a_change_of_language(
    make_window: Any, qtbot: Any, trained_model_path: Path
) -> None:
    from handwrite.gui import language

    window = make_window(model_path=trained_model_path)
    view = window.robustness_view
    view.set_other_model(presets.build("mlp", seed=0), "other.npz (mlp)")
    images, labels = digits(20)
    with qtbot.waitSignal(view.measured, timeout=60_000):
        view.start(images, labels)
    result = view.result()
    try:
        assert window.set_language("ja")
        view = window.robustness_view  # made again, in Japanese
        assert view.result() is result and view.other_name() == "other.npz (mlp)"
        assert view.measure_button.text() == "測定" and "このモデル" in view.legend.text()
        xs, ys = view.curves["rotation"][1].getData()
        np.testing.assert_allclose(ys, 100 * result.accuracy[0][1])
    finally:
        language.uninstall()
