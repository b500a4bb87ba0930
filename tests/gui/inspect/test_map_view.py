"""The map of what the network knows: fitted in the background, the drawing's point moving
with the drawing, a test digit under the pointer, refits paced while training."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from handwrite.embedding import hidden_features
from handwrite.gui.inspect import map_view as map_module
from handwrite.gui.inspect.map_view import MapView
from handwrite.nn import presets
from handwrite.trainer import ArrayData
from tests.gui.inspect.test_inspect_views import one_digit, shown, train_step
from tests.gui.strokes import drag, one, seven

MAP = 5


def mapped(qtbot: Any, data: ArrayData, arch: str = "mlp") -> tuple[MapView, Any]:
    """A shown MapView of ``arch`` (untrained) with ``data``'s test digits mapped."""
    model = presets.build(arch, seed=0)
    view = shown(qtbot, MapView(), (700, 520))
    asked: list[int] = []

    def source(on_loaded: Any, on_unavailable: Any) -> None:
        asked.append(1)
        on_loaded(data)

    view.set_digit_source(source)
    view.on_model_changed(model)
    with qtbot.waitSignal(view.embedding_changed, timeout=20_000):
        view.map_button.click()
    assert asked == [1]
    return view, model


def test_the_map_places_the_test_digits_and_the_drawing(qtbot: Any, small_data: ArrayData) -> None:
    view, model = mapped(qtbot, small_data)
    embedding = view.embedding()
    n = len(small_data.test_labels)  # 300: fewer than the 2,000 asked for, so all of them
    assert embedding.points.shape == (n, 2) and embedding.mean.shape == (100,)
    for k, item in enumerate(view.digit_items):
        assert len(item.data) == int((embedding.labels == k).sum())
    assert not view.map_button.isVisible() and not view.is_fitting()
    assert "300 test digits" in view.status.text()
    assert view.point() is None  # no drawing yet

    x = one_digit()
    with qtbot.waitSignal(view.refreshed):
        view.on_features_changed(hidden_features(model, x)[0])
    np.testing.assert_allclose(view.point(), embedding.project(model, x), rtol=1e-5, atol=1e-5)
    assert len(view.point_item.data) == 1
    with qtbot.waitSignal(view.refreshed):
        view.on_features_changed(None)
    assert view.point() is None and len(view.point_item.data) == 0


def test_pointing_at_a_dot_shows_its_test_digit(qtbot: Any, small_data: ArrayData) -> None:
    view, _ = mapped(qtbot, small_data)
    embedding = view.embedding()
    plot_box = view.plot_widget.getPlotItem().getViewBox()
    i = int(np.argmin(np.abs(embedding.points).sum(axis=1)))  # a dot near the middle
    scene = plot_box.mapViewToScene(QPointF(*map(float, embedding.points[i])))
    pos = QPointF(view.plot_widget.mapFromScene(scene))
    viewport = view.plot_widget.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        pos,
        QPointF(viewport.mapToGlobal(pos.toPoint())),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)
    hovered = view.hovered_index()
    assert hovered is not None
    # the dot under the pointer is within a few pixels of the one aimed at
    assert np.abs(embedding.points[hovered] - embedding.points[i]).max() < 1.0
    (tile,) = view.inset.tiles()
    assert tile.caption == f"a test “{int(embedding.labels[hovered])}”"
    assert tile.image.shape == (28, 28, 3)
    view.hover(None)
    assert view.inset.tiles() == [] and len(view.hover_item.data) == 0


def test_new_weights_refit_the_map_at_most_every_few_seconds_while_shown(
    qtbot: Any, small_data: ArrayData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(map_module, "REFIT_SECONDS", 0.5)
    view, model = mapped(qtbot, small_data)
    first = view.embedding()
    assert view.fit_count == 1
    with qtbot.waitSignal(view.embedding_changed, timeout=20_000):
        for seed in range(3):  # three snapshots in quick succession: one refit
            train_step(model, seed=seed, lr=0.05)
            view.on_model_changed(model)
    second = view.embedding()
    assert view.fit_count == 2 and second is not first
    np.testing.assert_array_equal(second.labels, first.labels)  # the same digits
    # the axes follow the previous map: the points moved less than their spread
    moved = np.linalg.norm(second.points - first.points, axis=1).mean()
    assert moved < np.linalg.norm(first.points - first.points.mean(axis=0), axis=1).mean()

    view.hide()  # a hidden map does nothing
    train_step(model, seed=9, lr=0.05)
    view.on_model_changed(model)
    qtbot.wait(700)
    assert view.fit_count == 2 and not view.is_fitting()
    with qtbot.waitSignal(view.embedding_changed, timeout=20_000):
        view.show()
    assert view.fit_count == 3


def test_a_fit_can_be_cancelled(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(map_module, "DIGITS", 20_000)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (20_000, 28, 28), dtype=np.uint8)  # slow enough to cancel
    labels = np.arange(20_000) % 10
    data = ArrayData(images[:10], labels[:10], images, labels)
    view = shown(qtbot, MapView(), (700, 520))
    view.set_digit_source(lambda on_loaded, _on_unavailable: on_loaded(data))
    view.on_model_changed(presets.build("cnn", seed=0))
    with qtbot.waitSignal(view.progress.valueChanged, timeout=20_000):
        view.map_button.click()
    assert view.is_fitting() and view.cancel_button.isVisible()
    view.cancel_button.click()
    qtbot.waitUntil(lambda: not view.is_fitting(), timeout=20_000)
    assert view.embedding() is None and view.status.text() == "Cancelled."
    assert view.map_button.isVisible() and not view.cancel_button.isVisible()


def test_the_window_moves_the_point_with_the_drawing(
    make_window: Any, qtbot: Any, trained_model_path: Any, small_data: ArrayData
) -> None:
    window = make_window(model_path=trained_model_path)
    window.mnist.set_data(small_data)
    view = window.map_view
    window.tabs.setCurrentIndex(MAP)
    with qtbot.waitSignal(view.embedding_changed, timeout=20_000):
        view.map_button.click()
    embedding, model = view.embedding(), window.model

    def draw(points: list[QPointF]) -> np.ndarray:
        window.canvas.clear()
        with qtbot.waitSignal(view.refreshed, timeout=3000):
            drag(window.canvas, points)
        qtbot.waitUntil(lambda: not view.is_scheduled() and not view.is_stale())
        x = window.predictor.steps.final
        # the predictor's one forward pass gave the features and the probabilities
        np.testing.assert_allclose(window.predictor.features, hidden_features(model, x)[0], 1e-5)
        np.testing.assert_allclose(
            window.predictor.probabilities, model.predict_proba(x)[0], rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(view.point(), embedding.project(model, x), 1e-4, 1e-4)
        return view.point()

    a = draw(one(window.canvas))
    b = draw(seven(window.canvas))
    assert np.linalg.norm(a - b) > 0.5  # the point moved with the drawing
    with qtbot.waitSignal(view.refreshed, timeout=3000):
        window.canvas.clear()
    assert view.point() is None
