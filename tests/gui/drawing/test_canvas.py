"""The canvas: strokes from mouse events and from code, undo, clear, pen width, its image."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from handwrite.gui.drawing.canvas import CanvasView
from handwrite.gui.settings import PEN_WIDTH_RANGE
from tests.gui.strokes import drag, one, zero


@pytest.fixture
def canvas(qtbot: Any) -> CanvasView:
    view = CanvasView(pen_width=20)
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_starts_empty(canvas: CanvasView) -> None:
    image = canvas.image()
    assert canvas.is_empty()
    assert image.dtype == np.float32
    assert image.ndim == 2 and image.shape[0] == image.shape[1] > 100
    assert image.max() == 0.0
    assert canvas.objectName() == "canvas"


def test_mouse_stroke_emits_signals_and_leaves_bright_ink(canvas: CanvasView, qtbot: Any) -> None:
    changes: list[int] = []
    canvas.stroke_changed.connect(lambda: changes.append(1))
    with qtbot.waitSignal(canvas.stroke_finished, timeout=1000):
        drag(canvas, one(canvas))
    assert len(changes) >= 5  # one per move: the prediction can follow the pen
    image = canvas.image()
    assert image.max() == pytest.approx(1.0)
    h, w = image.shape
    # ink down the middle column, none in the corners; anti-aliased edges in between
    assert image[h // 2, w // 2] == pytest.approx(1.0)
    assert image[:10, :10].max() == 0.0
    assert ((image > 0.05) & (image < 0.95)).any()
    assert canvas.stroke_count() == 1


def test_moves_without_the_button_draw_nothing(canvas: CanvasView) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    for p in one(canvas):
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            p,
            QPointF(canvas.mapToGlobal(p.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas, event)
    assert canvas.is_empty()
    assert canvas.image().max() == 0.0


def test_draw_stroke_api_undo_and_clear(canvas: CanvasView, qtbot: Any) -> None:
    r = canvas.surface_rect()
    with qtbot.waitSignal(canvas.stroke_finished):
        canvas.draw_stroke(zero(canvas))
    after_zero = canvas.image().copy()
    with qtbot.waitSignal(canvas.stroke_finished):
        canvas.draw_stroke([(r.left() + 20, r.top() + 20), (r.right() - 20, r.bottom() - 20)])
    assert canvas.stroke_count() == 2
    assert canvas.image().sum() > after_zero.sum()

    with qtbot.waitSignal(canvas.stroke_finished):  # undo leaves a drawing: it settled again
        assert canvas.undo()
    np.testing.assert_allclose(canvas.image(), after_zero, atol=1 / 255)

    with qtbot.waitSignal(canvas.cleared):  # undoing the only stroke empties the canvas
        assert canvas.undo()
    assert canvas.is_empty() and canvas.image().max() == 0.0
    assert not canvas.undo()

    canvas.draw_stroke(one(canvas))
    with qtbot.waitSignal(canvas.cleared):
        canvas.clear()
    assert canvas.image().max() == 0.0
    with qtbot.assertNotEmitted(canvas.cleared):
        canvas.clear()


def test_keyboard_clear_and_undo(canvas: CanvasView, qtbot: Any) -> None:
    canvas.draw_stroke(one(canvas))
    canvas.draw_stroke(zero(canvas))
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.stroke_count() == 1
    with qtbot.waitSignal(canvas.cleared):
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.is_empty()


def test_pen_width_changes_the_ink_and_is_clamped(canvas: CanvasView) -> None:
    canvas.set_pen_width(6)
    canvas.draw_stroke(one(canvas))
    thin = float(canvas.image().sum())
    canvas.clear()
    canvas.set_pen_width(40)
    canvas.draw_stroke(one(canvas))
    thick = float(canvas.image().sum())
    assert thick > 4 * thin
    canvas.set_pen_width(1000)
    assert canvas.pen_width() == PEN_WIDTH_RANGE[1]
    canvas.set_pen_width(-3)
    assert canvas.pen_width() == PEN_WIDTH_RANGE[0]


def test_pressure_thins_the_stroke(canvas: CanvasView) -> None:
    canvas.draw_stroke(one(canvas), pressures=[1.0] * 25)
    full = float(canvas.image().sum())
    canvas.clear()
    canvas.draw_stroke(one(canvas), pressures=[0.1] * 25)
    light = float(canvas.image().sum())
    assert light < 0.7 * full
    with pytest.raises(ValueError, match="pressures"):
        canvas.draw_stroke(one(canvas), pressures=[1.0])


def test_drawing_keeps_its_shape_when_resized(canvas: CanvasView, qtbot: Any) -> None:
    canvas.draw_stroke(zero(canvas))
    before = canvas.image()
    canvas.resize(500, 400)
    qtbot.waitUntil(lambda: canvas.image().shape[0] != before.shape[0])
    after = canvas.image()
    assert after.shape[0] > before.shape[0]
    # the same drawing, scaled: ink covers about the same fraction of the sheet
    assert (after > 0.5).mean() == pytest.approx((before > 0.5).mean(), rel=0.25)


def _on_screen(canvas: CanvasView) -> np.ndarray:
    """What the window shows of the canvas now: (H, W, 3) uint8, from the window's backing
    store, where repaints of parts of the widget land. (``canvas.grab()`` would paint the
    whole widget afresh, and so hide a part that was not repainted.)"""
    shot = canvas.screen().grabWindow(canvas.winId()).toImage()
    return _pixels(shot.convertToFormat(QImage.Format.Format_RGB32))


def _painted(canvas: CanvasView) -> np.ndarray:
    """The whole canvas painted afresh, as :func:`_on_screen` pixels."""
    return _pixels(canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))


def _pixels(image: QImage) -> np.ndarray:
    words = image.bytesPerLine() // 4
    bgra = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return bgra.reshape(image.height(), words, 4)[:, : image.width(), :3].copy()


def test_the_hint_goes_with_the_first_stroke_after_clear(canvas: CanvasView, qtbot: Any) -> None:
    """After Clear the sheet says "Draw a digit here"; the next stroke repaints only its own
    pieces, and the rest of the hint must not stay behind on the screen."""
    from handwrite.gui.drawing.canvas import HINT

    def hint_pixels() -> int:
        """Pixels of the hint's colour across the middle of the sheet, where it is written."""
        sheet = canvas.surface_rect().toAlignedRect()
        y, x = sheet.center().y(), sheet.center().x()
        band = _on_screen(canvas)[y - 20 : y + 20, x - 100 : x + 100].astype(int)
        hint = np.array([HINT.blue(), HINT.green(), HINT.red()])
        return int((np.abs(band - hint).sum(axis=-1) < 40).sum())

    def inked(x: int, y: int) -> bool:
        return int(_on_screen(canvas)[y, x].sum()) < 300  # dark ink, not paper or hint

    # Each step is waited for on the screen, so that its repaint is not merged with the next.
    middle = canvas.surface_rect().toAlignedRect().center()
    drag(canvas, one(canvas))  # down the middle of the sheet, across the hint's place
    qtbot.waitUntil(lambda: inked(middle.x(), middle.y()))
    canvas.clear()
    qtbot.waitUntil(lambda: not inked(middle.x(), middle.y()))
    assert hint_pixels() > 100  # the empty sheet shows the hint again

    r = canvas.surface_rect()  # a short stroke in a corner, away from the hint
    drag(canvas, [QPointF(r.left() + 20, r.top() + 20 + i) for i in range(0, 20, 2)])
    qtbot.waitUntil(lambda: inked(round(r.left() + 20), round(r.top() + 30)))
    assert hint_pixels() == 0
    assert np.array_equal(_on_screen(canvas), _painted(canvas))  # nothing stale anywhere
