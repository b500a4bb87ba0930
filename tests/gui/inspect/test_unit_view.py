"""One unit's arithmetic: the numbers shown are the forward pass's own, a hovered unit is
shown at the view's pace, and its receptive field is outlined on the input and the canvas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from handwrite.arithmetic import (
    ActivationArithmetic,
    ConvArithmetic,
    LcnArithmetic,
    PoolArithmetic,
    receptive_field,
    trace_image,
)
from handwrite.canvas_map import canvas_map
from handwrite.gui.inspect.feature_map_view import FeatureMapView
from handwrite.gui.inspect.number_grid import cell_text
from handwrite.gui.inspect.unit_view import (
    UnitView,
    arithmetic_chain,
    number,
    put_in,
)
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.preprocess import PreprocessSteps, preprocess_steps
from tests.gui.inspect.test_inspect_views import shown
from tests.gui.strokes import drag, seven

INSIDE = 1


def drawing_steps() -> PreprocessSteps:
    """A "7" on a 300x300 canvas, preprocessed: its 28x28 input is ``steps.final``."""
    canvas = np.zeros((300, 300), np.float32)
    canvas[60:80, 90:220] = 1.0
    for i in range(160):
        canvas[80 + i, 200 - i // 2 : 216 - i // 2] = 1.0
    return preprocess_steps(canvas)


def traced_value(model: Model, x: np.ndarray, unit: tuple[int, ...]) -> float:
    """The unit's value in the model's own forward pass."""
    y = model.trace(x[None, None])[unit[0]]
    return float(np.asarray(y)[0][unit[1:]])


def make_views(qtbot: Any, model: Model, steps: PreprocessSteps) -> tuple[FeatureMapView, UnitView]:
    maps = shown(qtbot, FeatureMapView(), (520, 520))
    unit = shown(qtbot, UnitView(lambda: steps), (560, 760))
    maps.unit_hovered.connect(unit.on_unit_hovered)
    maps.unit_selected.connect(unit.on_unit_selected)
    for view in (maps, unit):
        view.on_model_changed(model)
        view.on_input_changed(steps.final)
    return maps, unit


def mouse(widget: Any, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def click(widget: Any, pos: QPointF) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mouse(widget, QEvent.Type.MouseButtonPress, pos, left)
    mouse(widget, QEvent.Type.MouseButtonRelease, pos, none)


@pytest.mark.parametrize("arch", ["cnn", "cnn-lcn", "lenet", "mlp"])
def test_the_arithmetic_shown_is_the_forward_pass_at_every_unit(qtbot: Any, arch: str) -> None:
    """For a unit of every layer offered in the feature maps (clicked there), the value the
    view writes is the value ``Model.trace`` computed, and each step ends where the next
    begins."""
    model = presets.build(arch, seed=3)
    steps = drawing_steps()
    x = steps.final
    maps, view = make_views(qtbot, model, steps)
    for layer in maps.layer_indices():
        with qtbot.waitSignal(maps.refreshed):
            maps.set_layer(layer)
        tiles = maps.mosaic.tiles()
        tile = len(tiles) // 2
        height, width = tiles[tile].image.shape[:2]
        pixel = (tile, height // 2, min(width - 1, width // 2 + 1))
        with qtbot.waitSignal(maps.unit_selected) as selected:
            click(maps.mosaic, maps.mosaic.pixel_center(*pixel))
        unit = selected.args[0]
        assert unit is not None and unit[0] == layer
        with qtbot.waitSignal(view.refreshed):
            pass
        assert view.unit() == unit
        expected = traced_value(model, x, unit)
        assert view.value() == pytest.approx(expected, rel=1e-5, abs=1e-6)
        assert f"<b>{number(view.value())}</b>" in view.summary.text()
        chain = view.arithmetic()
        assert len(view.cards()) == len(chain) and chain
        # each step's value is what the next one reads
        for before, after in zip(chain, chain[1:], strict=False):
            if isinstance(after, ActivationArithmetic):
                assert after.input == pytest.approx(before.value, rel=1e-5, abs=1e-6)
            if isinstance(after, PoolArithmetic) and after.winner is not None:
                assert after.value == pytest.approx(before.value, rel=1e-5, abs=1e-6)
        for step in chain:
            assert step.value == pytest.approx(
                traced_value(model, x, (step.layer, *step.unit)), rel=1e-5, abs=1e-6
            )
        assert maps.mosaic.marked_pixel() == pixel  # the selected unit is outlined


def test_a_relu_after_max_pooling_is_shown_with_its_convolution(qtbot: Any) -> None:
    model = presets.build("cnn", seed=1)
    x = drawing_steps().final
    outputs = trace_image(model, x)
    chain = arithmetic_chain(model, x, (2, 5, 6, 6), outputs)  # conv -> max pool -> ReLU
    assert [type(s) for s in chain] == [ConvArithmetic, PoolArithmetic, ActivationArithmetic]
    conv, pool, relu = chain
    top, left, _, _ = pool.input_box
    assert conv.unit == (5, top + pool.winner[0], left + pool.winner[1])
    assert conv.value == pytest.approx(float(pool.window.max()))
    assert relu.value == max(0.0, pool.value)
    # a ReLU right after a convolution comes with it, not as a step of its own
    lcn = presets.build("cnn-lcn", seed=1)
    chain = arithmetic_chain(lcn, x, (1, 2, 10, 10), trace_image(lcn, x))
    assert [type(s) for s in chain] == [ConvArithmetic]
    assert chain[0].activation is not None and chain[0].activation.layer == 1
    chain = arithmetic_chain(lcn, x, (2, 2, 10, 10), trace_image(lcn, x))
    assert [type(s) for s in chain] == [LcnArithmetic]


def test_formulas_and_cells_write_the_numbers(qtbot: Any) -> None:
    assert put_in("max(0, x)", -0.25) == "max(0, -0.25)"
    assert put_in("1 / (1 + exp(-x))", -0.25) == "1 / (1 + exp(0.25))"
    assert put_in("1 / (1 + exp(-x))", 2.0) == "1 / (1 + exp(-2))"
    assert put_in("tanh(x)", 1.5) == "tanh(1.5)"
    assert [cell_text(v) for v in (0.0, 0.534, -1.234, 12.6, 0.0004)] == [
        "0",
        "0.53",
        "-1.2",
        "13",
        "4e-4",
    ]


def test_a_conv_card_shows_the_patch_kernel_and_products_of_a_chosen_channel(
    qtbot: Any,
) -> None:
    model = presets.build("cnn", seed=2)
    steps = drawing_steps()
    _, view = make_views(qtbot, model, steps)
    with qtbot.waitSignal(view.refreshed):
        view.on_unit_selected((3, 7, 4, 3))  # the second convolution: 32 input channels
    (card,) = view.cards()
    step = view.arithmetic()[0]
    assert isinstance(step, ConvArithmetic) and step.patch.shape == (32, 5, 5)
    c = card.channel()
    sums = step.products.reshape(32, -1).sum(axis=1)
    assert c == int(np.argmax(np.abs(sums)))  # the channel that adds the most, at first
    np.testing.assert_array_equal(card.row.inputs.values(), step.patch[c])
    np.testing.assert_array_equal(card.row.weights.values(), step.kernel[c])
    np.testing.assert_array_equal(card.row.products.values(), step.products[c])
    assert number(step.total) in card.formula.text() and number(step.value) in card.formula.text()
    with qtbot.waitSignal(card.strip.chosen):
        card.strip.grid.cell_clicked.emit(0, 4)
    assert card.channel() == 4
    np.testing.assert_array_equal(card.row.weights.values(), step.kernel[4])
    np.testing.assert_array_equal(card.row.products.values(), step.products[4])


def test_hovering_shows_a_unit_at_the_views_pace_and_leaving_returns_to_the_selection(
    qtbot: Any,
) -> None:
    model = presets.build("cnn", seed=4)
    steps = drawing_steps()
    maps, view = make_views(qtbot, model, steps)
    with qtbot.waitSignal(maps.refreshed):
        maps.set_layer(0)
    with qtbot.waitSignal(view.refreshed):
        maps.select_unit((0, 2, 10, 10))
    assert view.unit() == (0, 2, 10, 10)
    refreshes = view.refresh_count
    hovered: list[object] = []
    maps.unit_hovered.connect(hovered.append)
    none = Qt.MouseButton.NoButton
    with qtbot.waitSignal(view.refreshed):
        for col in range(4, 20):  # a quick sweep along a row of channel 5's map
            mouse(maps.mosaic, QEvent.Type.MouseMove, maps.mosaic.pixel_center(5, 12, col), none)
    assert len(hovered) == 16 and hovered[-1] == (0, 5, 12, 19)
    assert view.refresh_count - refreshes < len(hovered)  # paced, not one per move
    qtbot.waitUntil(lambda: not view.is_scheduled())
    assert view.unit() == (0, 5, 12, 19)
    assert view.value() == pytest.approx(traced_value(model, steps.final, (0, 5, 12, 19)))
    with qtbot.waitSignal(view.refreshed):
        QApplication.sendEvent(maps.mosaic, QEvent(QEvent.Type.Leave))
    assert hovered[-1] is None and view.unit() == (0, 2, 10, 10)
    # clicking the selected unit again lets it go
    with qtbot.waitSignal(maps.unit_selected) as selected:
        click(maps.mosaic, maps.mosaic.pixel_center(2, 10, 10))
    assert selected.args == [None]


def test_the_receptive_field_is_outlined_on_the_input_and_the_drawing(qtbot: Any) -> None:
    model = presets.build("cnn", seed=5)
    steps = drawing_steps()
    _, view = make_views(qtbot, model, steps)
    fields: list[object] = []
    view.canvas_field_changed.connect(fields.append)
    unit = (3, 1, 2, 5)
    with qtbot.waitSignal(view.refreshed):
        view.on_unit_selected(unit)
    field = receptive_field(model, unit).clipped()
    input_tile, drawing_tile = view.fields.tiles()
    assert input_tile.box == (field.top, field.left, field.bottom, field.right)
    mapping = canvas_map(steps)
    top, left, bottom, right = mapping.rect_to_canvas(
        field.top, field.left, field.bottom, field.right
    )
    side = steps.normalized.shape[0]
    expected = (top / side, left / side, bottom / side, right / side)
    np.testing.assert_allclose(fields[-1], expected, rtol=1e-6)
    np.testing.assert_allclose(view.canvas_field(), expected, rtol=1e-6)
    assert drawing_tile.box is not None
    with qtbot.waitSignal(view.refreshed):
        view.on_input_changed(None)  # the drawing is cleared
    assert view.arithmetic() == [] and fields[-1] is None and view.fields.tiles() == []
    assert view.summary.text() == ""


def test_the_window_outlines_the_field_on_the_canvas(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    with qtbot.waitSignal(window.prediction_changed, timeout=3000):
        drag(window.canvas, seven(window.canvas))
    window.tabs.setCurrentIndex(INSIDE)
    maps, view, canvas = window.feature_map_view, window.unit_view, window.canvas
    qtbot.waitUntil(lambda: maps.maps() is not None)
    with qtbot.waitSignal(view.refreshed):
        maps.select_unit((0, 3, 12, 12))
    marked = canvas.marked_rect()
    assert marked is not None and marked == view.canvas_field()
    assert all(0.0 <= v <= 1.0 for v in marked) and marked[0] < marked[2]
    assert view.value() == pytest.approx(
        traced_value(window.model, window.predictor.steps.final, (0, 3, 12, 12)), rel=1e-5
    )
    window.tabs.setCurrentIndex(0)  # hidden: the outline goes
    assert canvas.marked_rect() is None
    with qtbot.waitSignal(view.refreshed):
        window.tabs.setCurrentIndex(INSIDE)
    assert canvas.marked_rect() == marked
    with qtbot.waitSignal(view.refreshed):
        window.canvas.clear()
    assert canvas.marked_rect() is None


def test_the_arithmetic_is_written_in_japanese(qtbot: Any) -> None:
    """Every card's texts, also those its base class writes, come in the window's language."""
    from handwrite.gui import language

    if not language.install("ja"):
        pytest.skip("the Japanese translation is not compiled")
    try:
        model = presets.build("cnn-lcn", seed=0)
        _, view = make_views(qtbot, model, drawing_steps())
        with qtbot.waitSignal(view.refreshed):
            view.on_unit_selected((3, 4, 5, 5))  # max pooling of a normalization
        lcn, pool = view.cards()
        assert lcn.title.text().startswith("第 3 層") and "局所平均" in lcn.formula.text()
        assert pool.title.text().startswith("第 4 層") and "最大値" in pool.formula.text()
        assert view.summary.text().startswith("第 4 層")
        with qtbot.waitSignal(view.refreshed):
            view.on_unit_selected((1, 4, 5, 5))  # a ReLU after a convolution
        (conv,) = view.cards()
        assert any("入力パッチ" in label.text() for label in conv.findChildren(type(conv.title)))
        assert "（ReLU）" in conv.formula.text()
    finally:
        language.uninstall()
