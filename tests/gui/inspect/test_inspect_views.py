"""Inside the network, view by view: filters, feature maps, saliency, preprocessing steps,
the confusion matrix and probe digits, each on a small model (no MNIST needed)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from handwrite.gui.inspect.confusion_view import MAX_LISTED, ConfusionView
from handwrite.gui.inspect.feature_map_view import FeatureMapView
from handwrite.gui.inspect.filter_view import FilterView
from handwrite.gui.inspect.mosaic import MosaicView, Tile, diverging
from handwrite.gui.inspect.preprocess_view import PreprocessView
from handwrite.gui.inspect.saliency_view import SaliencyView
from handwrite.gui.training.probes import ProbePanel
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.nn.optim import SGD
from handwrite.preprocess import preprocess_steps
from handwrite.trainer import EpochDone


def one_digit() -> np.ndarray:
    """A "1" as the network sees it: (28, 28) float32."""
    x = np.zeros((28, 28), np.float32)
    x[4:24, 13:15] = 1.0
    x[4:24, 12] = x[4:24, 15] = 0.4
    return x


def train_step(model: Model, seed: int = 0, lr: float = 0.5) -> None:
    """One SGD step on random images: enough to change every weight."""
    rng = np.random.default_rng(seed)
    x = rng.random((16, 1, 28, 28), dtype=np.float32)
    t = rng.integers(0, 10, 16)
    model.train()
    model.zero_grad()
    model.train_step(x, t)
    SGD(model.parameters(), lr=lr).step()
    model.zero_grad()
    model.eval()


def shown(qtbot: Any, widget: Any, size: tuple[int, int] = (520, 480)) -> Any:
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# -- filters -------------------------------------------------------------------------------
def test_filters_of_a_cnn_change_after_a_training_step(qtbot: Any) -> None:
    model = presets.build("cnn-lcn")
    view = shown(qtbot, FilterView())
    with qtbot.waitSignal(view.refreshed):
        view.on_model_changed(model)
    before = view.weights().copy()
    assert view.kind() == "conv" and before.shape == (32, 5, 5)
    np.testing.assert_array_equal(before, model.layers[0].params["weight"].data[:, 0])
    tiles = view.mosaic.tiles()
    assert len(tiles) == 32 and tiles[0].image.shape == (5, 5, 3)

    train_step(model)
    with qtbot.waitSignal(view.refreshed):
        view.on_model_changed(model)  # a snapshot: same model object, new weights
    assert view.weights().shape == (32, 5, 5)
    assert not np.allclose(view.weights(), before)


def test_filters_of_an_mlp_are_first_layer_weights_as_images(qtbot: Any) -> None:
    model = presets.build("mlp")
    view = shown(qtbot, FilterView())
    with qtbot.waitSignal(view.refreshed):
        view.on_model_changed(model)
    assert view.kind() == "dense"
    assert view.weights().shape == (100, 28, 28)
    np.testing.assert_array_equal(
        view.weights()[7].reshape(-1), model.layers[1].params["weight"].data[7]
    )
    assert "100 of 100 units" in view.subtitle.text()


def test_snapshots_are_throttled_and_hidden_views_wait(qtbot: Any) -> None:
    model = presets.build("cnn")
    view = shown(qtbot, FilterView())
    with qtbot.waitSignal(view.refreshed):
        for _ in range(20):  # a burst of snapshots: one redraw
            view.on_model_changed(model)
    assert view.refresh_count == 1 and not view.is_scheduled()

    view.hide()
    view.on_model_changed(model)
    assert view.is_stale() and not view.is_scheduled()  # no work while hidden
    with qtbot.waitSignal(view.refreshed):
        view.show()  # catches up when shown
    assert view.refresh_count == 2 and not view.is_stale()


# -- feature maps ----------------------------------------------------------------------------
def test_feature_maps_of_every_layer_and_the_lcn_before_and_after(qtbot: Any) -> None:
    model = presets.build("cnn-lcn")
    view = shown(qtbot, FeatureMapView())
    view.on_model_changed(model)
    # conv, ReLU, LCN, pool, conv, pool, ReLU, then the hidden dense layer and its ReLU
    assert view.layer_indices() == [0, 1, 2, 3, 4, 5, 6, 8, 9]
    assert view.layer_index() == 0  # the first convolution by default
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(one_digit())
    trace = model.trace(one_digit()[None, None])
    assert view.maps().shape == (32, 24, 24)
    np.testing.assert_allclose(view.maps(), trace[0][0], rtol=1e-6)
    assert view.before_maps() is None and not view.before_mosaic.isVisible()
    assert len(view.mosaic.tiles()) == 32

    with qtbot.waitSignal(view.refreshed):
        view.set_layer(2)  # local contrast normalization: its input beside its output
    assert view.maps().shape == view.before_maps().shape == (32, 24, 24)
    np.testing.assert_allclose(view.before_maps(), trace[1][0], rtol=1e-6)  # after ReLU
    np.testing.assert_allclose(view.maps(), trace[2][0], rtol=1e-5)
    assert view.before_maps().min() >= 0.0 and view.maps().min() < 0.0
    assert view.before_mosaic.isVisible()
    assert "contrast normalization" in view.help.toolTip()

    with qtbot.waitSignal(view.refreshed):
        view.set_layer(4)
    assert view.maps().shape == (64, 8, 8)
    first = view.maps().copy()
    train_step(model)
    with qtbot.waitSignal(view.refreshed):
        view.on_model_changed(model)
    assert view.layer_index() == 4  # the choice survives a snapshot
    assert view.maps().shape == (64, 8, 8) and not np.allclose(view.maps(), first)

    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(None)
    assert view.maps() is None and view.mosaic.tiles() == []


def test_feature_maps_of_an_mlp_show_its_hidden_units(qtbot: Any) -> None:
    model = presets.build("mlp")
    view = shown(qtbot, FeatureMapView())
    view.on_model_changed(model)
    assert view.layer_indices() == [1, 2, 3, 4]
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(one_digit())
    assert view.maps().shape == (1, 10, 10)
    expected = model.trace(one_digit()[None, None])[1][0]
    np.testing.assert_allclose(view.maps().reshape(-1), expected, rtol=1e-6)


# -- saliency --------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ["mlp", "cnn-lcn"])
def test_saliency_has_the_input_shape_and_follows_the_chosen_class(qtbot: Any, arch: str) -> None:
    model = presets.build(arch)
    view = shown(qtbot, SaliencyView())
    view.on_model_changed(model)
    x = one_digit()
    p = model.predict_proba(x)[0]
    view.on_prediction_changed(p)
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(x)
    s = view.saliency()
    assert s.shape == (28, 28) and s.dtype == np.float32
    assert np.isfinite(s).all() and np.abs(s).max() > 0
    assert view.target_class() == int(p.argmax())
    np.testing.assert_allclose(s, model.input_gradient(x[None, None], [int(p.argmax())])[0, 0])
    assert [t.image.shape for t in view.mosaic.tiles()] == [(28, 28, 3), (28, 28, 3)]
    assert all(param.grad.max() == 0 for param in model.parameters())  # left clean

    other = (int(p.argmax()) + 1) % 10
    with qtbot.waitSignal(view.refreshed):
        view.set_class(other)
    assert view.target_class() == other
    assert not np.allclose(view.saliency(), s)


# -- preprocessing ---------------------------------------------------------------------------
def _sheet(draw: str) -> np.ndarray:
    a = np.zeros((200, 200), np.float32)
    if draw == "one":
        a[40:160, 92:108] = 1.0
    elif draw == "dot":
        a[99:102, 99:102] = 1.0
    elif draw == "dash":
        a[95:105, 30:170] = 1.0
    elif draw == "blob":
        a[40:160, 50:150] = 1.0
    return a


@pytest.mark.parametrize(
    ("draw", "p", "expected"),
    [
        ("one", 0.95, None),
        ("one", 0.3, "unsure"),
        ("dot", 0.95, "almost no ink"),
        ("dash", 0.95, "wider than tall"),
        ("blob", 0.95, "mostly ink"),
    ],
)
def test_preprocessing_steps_and_warnings(
    qtbot: Any, draw: str, p: float, expected: str | None
) -> None:
    sheet = _sheet(draw)
    steps = preprocess_steps(sheet)
    view = shown(qtbot, PreprocessView(lambda: steps))
    probs = np.full(10, (1 - p) / 9, np.float32)
    probs[1] = p
    view.on_prediction_changed(probs)
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(np.zeros((28, 28), np.float32))
    steps = view.steps()
    assert steps is not None and steps.final.shape == (28, 28)
    tiles = view.mosaic.tiles()
    assert len(tiles) == 4
    assert tiles[0].box is not None and tiles[3].mark is not None
    assert tiles[3].image.shape == (28, 28, 3)
    if expected is None:
        assert view.warnings() == []
        assert not view.warning.isVisible()
    else:
        assert any(expected in w for w in view.warnings()), view.warnings()
        assert view.warning.isVisible()
        assert view.warning.text().startswith("This doesn't look like a digit")


def test_preprocessing_view_is_empty_without_a_drawing(qtbot: Any) -> None:
    view = shown(qtbot, PreprocessView(lambda: None))
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(None)
    assert view.steps() is None and view.mosaic.tiles() == [] and not view.warning.isVisible()


# -- confusion matrix ------------------------------------------------------------------------
def _results(n: int = 400, k: int = 10, seed: int = 0) -> tuple[np.ndarray, np.ndarray, Any]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)).astype(np.float32)
    logits[np.arange(n), labels] += 2.0  # mostly right, with mistakes in many cells
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    return images, labels, p.astype(np.float32)


def _click_cell(qtbot: Any, view: ConfusionView, row: int, column: int) -> None:
    table = view.table
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_confusion_matrix_counts_and_the_digits_behind_a_cell(qtbot: Any) -> None:
    images, labels, p = _results()
    view = shown(qtbot, ConfusionView(), (560, 700))
    view.set_test_set(images, labels)
    event = EpochDone(1, 3, 0.5, 0.8, None, None, 0.6, 0.7, 1.0, None, p)
    view.on_epoch_done(event)
    m = view.confusion()
    assert m.shape == (10, 10) and m.sum() == len(labels)
    predicted = p.argmax(axis=1)
    assert "After epoch 2 of 3" in view.status.text()
    assert view.table.item(3, 10).text().endswith("%")  # per-class accuracy column

    off = m.copy()
    np.fill_diagonal(off, 0)
    row, column = np.unravel_index(int(off.argmax()), off.shape)
    with qtbot.waitSignal(view.cell_selected) as blocker:
        _click_cell(qtbot, view, int(row), int(column))
    assert blocker.args == [row, column]
    expected = np.flatnonzero((labels == row) & (predicted == column))
    listed = view.listed_indices()
    assert len(expected) == m[row, column] > 0
    assert sorted(listed) == sorted(expected)
    assert view.digits.count() == len(expected)
    # the surest mistakes first
    assert np.all(np.diff(p[listed, column]) <= 0)
    shown_ids = [view.digits.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(listed))]
    assert shown_ids == list(listed)

    with qtbot.waitSignal(view.cell_selected):
        _click_cell(qtbot, view, 4, 4)  # the diagonal: the right answers, least sure first
    assert (
        sorted(view.listed_indices())
        == sorted(np.flatnonzero((labels == 4) & (predicted == 4)))[: min(MAX_LISTED, m[4, 4])]
    )
    assert np.all(np.diff(p[view.listed_indices(), 4]) >= 0)

    view.clear()
    assert view.confusion() is None and view.digits.count() == 0


def test_confusion_view_asks_for_an_evaluation(qtbot: Any) -> None:
    view = shown(qtbot, ConfusionView())
    with qtbot.waitSignal(view.evaluate_requested):
        qtbot.mouseClick(view.evaluate_button, Qt.MouseButton.LeftButton)
    view.set_busy(True)
    assert view.progress.isVisible() and not view.evaluate_button.isVisible()
    view.on_progress(5, 10)
    assert view.progress.value() == 500
    with qtbot.waitSignal(view.cancel_requested):
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)


# -- probes ----------------------------------------------------------------------------------
def test_probes_are_pinned_updated_after_a_snapshot_and_removed(qtbot: Any) -> None:
    model = presets.build("mlp")
    panel = shown(qtbot, ProbePanel(), (520, 200))
    panel.on_model_changed(model)
    assert not panel.pin_button.isEnabled()  # nothing drawn yet
    panel.on_input_changed(one_digit())
    assert panel.pin_button.isEnabled()
    qtbot.mouseClick(panel.pin_button, Qt.MouseButton.LeftButton)
    zero = np.zeros((28, 28), np.float32)
    zero[6:22, 8:20] = 1.0
    zero[9:19, 11:17] = 0.0
    assert panel.pin(zero)
    assert panel.probes().shape == (2, 28, 28)
    before = panel.probabilities().copy()
    np.testing.assert_allclose(before, model.predict_proba(panel.probes()), rtol=1e-6)
    assert panel.list.item(0).text().startswith(str(int(before[0].argmax())))

    train_step(model, lr=2.0)
    with qtbot.waitSignal(panel.refreshed):
        panel.on_model_changed(model)  # a snapshot
    after = panel.probabilities()
    assert after.shape == (2, 10) and not np.allclose(after, before)
    np.testing.assert_allclose(after, model.predict_proba(panel.probes()), rtol=1e-6)

    panel.list.setCurrentRow(0)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert panel.probes().shape == (1, 28, 28)
    np.testing.assert_array_equal(panel.probes()[0], zero)
    assert panel.probabilities().shape == (1, 10)
    panel.remove_probe(0)
    assert panel.list.count() == 0 and not panel.clear_button.isEnabled()


# -- the mosaic ------------------------------------------------------------------------------
def test_mosaic_tiles_are_clickable(qtbot: Any) -> None:
    view = shown(qtbot, MosaicView(), (300, 200))
    tiles = [Tile(diverging(np.full((5, 5), v))) for v in (-1.0, 0.0, 1.0, 0.5)]
    view.set_tiles(tiles)
    rect = view.tile_rect(2)
    with qtbot.waitSignal(view.tile_clicked) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == [2]
    assert view.tile_at(rect.center()) == 2
    assert view.tile_at(QPointF(1, 1)) is None  # the margin
    np.testing.assert_array_equal(diverging(np.array([0.0]))[0], [247, 247, 247])
    assert tuple(diverging(np.array([1.0, -1.0]))[0]) == (178, 24, 43)
