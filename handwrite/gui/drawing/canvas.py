"""The drawing canvas: smooth round strokes from a mouse, a pen or code; it only emits signals.

The canvas shows dark ink on light paper, but keeps the ink as the alpha channel of a
transparent layer, so :meth:`CanvasView.image` hands out what the model wants: ink bright
(1.0) on a dark background (0.0), anti-aliased.

Strokes are painted incrementally into that layer as the pointer moves: each new point adds
one quadratic Bézier piece between the midpoints of the last segments (a smooth curve through
the pointer's path), and only that piece's rectangle is repainted. The strokes are also kept
as points in surface units (0..1 of the square drawing surface), so the layer can be painted
again at another size (the widget resized) or without the last stroke (undo).

Signals:

- ``stroke_changed``: ink was added (pen down, each move);
- ``stroke_finished``: the drawing settled: the pen was lifted, or a stroke was undone;
- ``cleared``: the canvas became empty (Clear, or undoing the only stroke).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from handwrite.gui.settings import DEFAULT_PEN_WIDTH, PEN_WIDTH_RANGE

PAPER = QColor("#fbfaf6")
INK = QColor("#1f2430")
PAPER_EDGE = QColor("#d9d5ca")
HINT = QColor("#b9b4a8")
#: The outline of a marked region (a unit's receptive field).
MARKED = QColor("#e8590c")

#: Points closer than this (device pixels) to the previous one are skipped.
_MIN_STEP = 0.75


@dataclass
class Stroke:
    """One pen-down-to-pen-up stroke; coordinates in surface units (0..1 of the side)."""

    width: float  # pen width in surface units
    points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, pressure


class CanvasView(QWidget):
    """A square sheet of paper to draw a digit on.

    The sheet is the largest square that fits in the widget (with a small margin), so the
    digit keeps its shape when the window is resized. Public API: :meth:`image`,
    :meth:`draw_stroke`, :meth:`clear`, :meth:`undo`, :meth:`set_pen_width`,
    :meth:`set_marked_rect`.
    """

    stroke_changed = Signal()
    stroke_finished = Signal()
    cleared = Signal()

    MARGIN = 6

    def __init__(self, parent: QWidget | None = None, pen_width: int = DEFAULT_PEN_WIDTH) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setToolTip(
            self.tr(
                "Draw a digit with the mouse or a pen.\nEsc: clear   Ctrl+Z: undo the last stroke"
            )
        )
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._pen_width = float(pen_width)
        self._ink = QImage()
        self._tablet_down = False
        self._marked: tuple[float, float, float, float] | None = None
        self.set_pen_width(pen_width)

    def __repr__(self) -> str:
        return f"CanvasView(strokes={len(self._strokes)}, pen_width={self._pen_width:g})"

    # -- geometry ------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def surface_rect(self) -> QRectF:
        """The square sheet, in widget coordinates."""
        side = max(1.0, min(self.width(), self.height()) - 2.0 * self.MARGIN)
        return QRectF((self.width() - side) / 2.0, (self.height() - side) / 2.0, side, side)

    def _surface_pixels(self) -> int:
        return max(1, round(self.surface_rect().width() * self.devicePixelRatioF()))

    def _to_surface(self, pos: QPointF) -> tuple[float, float]:
        r = self.surface_rect()
        return (pos.x() - r.x()) / r.width(), (pos.y() - r.y()) / r.height()

    def _ensure_layer(self) -> None:
        """(Re)create the ink layer at the sheet's size in device pixels, repainting strokes."""
        side = self._surface_pixels()
        if self._ink.isNull() or self._ink.width() != side:
            self._ink = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
            self._repaint_layer()

    def _repaint_layer(self) -> None:
        self._ink.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self._ink)
        try:
            for stroke in self._strokes:
                self._paint_stroke(painter, stroke)
            if self._current is not None:
                self._paint_stroke(painter, self._current, finished=False)
        finally:
            painter.end()
        self.update()

    # -- public API ----------------------------------------------------------------------
    def image(self) -> np.ndarray:
        """The drawing: (H, W) float32 in [0, 1], ink bright (1.0) on a dark background (0.0).

        H == W == the sheet's side in device pixels.
        """
        self._ensure_layer()
        img = self._ink
        h, w = img.height(), img.width()
        words = np.frombuffer(img.constBits(), np.uint32, count=h * img.bytesPerLine() // 4)
        argb = words.reshape(h, img.bytesPerLine() // 4)[:, :w]
        # ARGB32 premultiplied: the alpha byte is the top byte of each 32-bit pixel.
        return (argb >> 24).astype(np.float32) * np.float32(1.0 / 255.0)

    def is_empty(self) -> bool:
        return not self._strokes and self._current is None

    def stroke_count(self) -> int:
        """Finished strokes on the sheet."""
        return len(self._strokes)

    def strokes(self) -> tuple[Stroke, ...]:
        """Copies of the finished strokes, for :meth:`set_strokes` (the window keeps the
        drawing when it rebuilds itself in another language)."""
        return tuple(Stroke(s.width, list(s.points)) for s in self._strokes)

    def set_strokes(self, strokes: Sequence[Stroke]) -> None:
        """Replace the drawing by ``strokes`` (from :meth:`strokes`); emits
        ``stroke_finished``, or ``cleared`` when there are none."""
        self._strokes = [Stroke(s.width, list(s.points)) for s in strokes]
        self._current = None
        self._redraw_strokes()

    def pen_width(self) -> int:
        return round(self._pen_width)

    def marked_rect(self) -> tuple[float, float, float, float] | None:
        return self._marked

    def set_marked_rect(self, rect: tuple[float, float, float, float] | None) -> None:
        """Outline ``rect``, (top, left, bottom, right) in fractions of the sheet's side (0
        to 1, as the strokes are kept, so it stays on the drawing when the sheet is
        resized), over the drawing (the window marks a unit's receptive field); None
        removes it."""
        rect = None if rect is None else tuple(float(v) for v in rect)  # type: ignore[assignment]
        if rect != self._marked:
            self._marked = rect
            self.update()

    def set_pen_width(self, width: int) -> None:
        """Pen width for the next strokes, in logical pixels (clamped to ``PEN_WIDTH_RANGE``)."""
        low, high = PEN_WIDTH_RANGE
        self._pen_width = float(min(max(int(width), low), high))
        self._update_cursor()

    def draw_stroke(
        self,
        points: Iterable[QPointF | tuple[float, float]],
        pressures: Sequence[float] | None = None,
    ) -> None:
        """Draw one stroke through ``points`` (widget coordinates), as a pen would.

        ``pressures``: one value in [0, 1] per point (default full pressure). Emits
        ``stroke_changed`` and then ``stroke_finished``.
        """
        pts = [p if isinstance(p, QPointF) else QPointF(float(p[0]), float(p[1])) for p in points]
        if not pts:
            return
        if pressures is not None and len(pressures) != len(pts):
            raise ValueError(f"{len(pts)} points but {len(pressures)} pressures")
        press = list(pressures) if pressures is not None else [1.0] * len(pts)
        self._begin(pts[0], press[0], notify=False)
        for p, q in zip(pts[1:], press[1:], strict=True):
            self._extend(p, q, notify=False)
        self.stroke_changed.emit()
        self._finish()

    def clear(self) -> None:
        """Remove every stroke. Emits ``cleared`` when there was something to remove."""
        if self.is_empty():
            return
        self._strokes.clear()
        self._current = None
        if not self._ink.isNull():
            self._ink.fill(Qt.GlobalColor.transparent)
        self.update()
        self.cleared.emit()

    def undo(self) -> bool:
        """Remove the last finished stroke; returns False when there was none."""
        if self._current is not None or not self._strokes:
            return False
        self._strokes.pop()
        self._redraw_strokes()
        return True

    def _redraw_strokes(self) -> None:
        """Repaint the ink from the stroke list, then say whether a drawing is left."""
        if self._ink.isNull():
            self._ensure_layer()
        else:
            self._repaint_layer()
        if self._strokes:
            self.stroke_finished.emit()
        else:
            self.cleared.emit()

    # -- strokes -------------------------------------------------------------------------
    def _begin(self, pos: QPointF, pressure: float, notify: bool = True) -> None:
        self._ensure_layer()
        hinted = self.is_empty()
        side = self.surface_rect().width()
        x, y = self._to_surface(pos)
        self._current = Stroke(self._pen_width / side, [(x, y, _clamp(pressure))])
        self._paint_piece(self._current, 0)
        if hinted:
            # The empty sheet shows "Draw a digit here" across it; the pieces of the stroke
            # only repaint their own rectangles, which would leave the rest of the hint.
            self.update()
        if notify:
            self.stroke_changed.emit()

    def _extend(self, pos: QPointF, pressure: float, notify: bool = True) -> None:
        stroke = self._current
        if stroke is None:
            return
        x, y = self._to_surface(pos)
        px, py, _ = stroke.points[-1]
        if math.hypot(x - px, y - py) * self._ink.width() < _MIN_STEP:
            return
        stroke.points.append((x, y, _clamp(pressure)))
        self._paint_piece(stroke, len(stroke.points) - 1)
        if notify:
            self.stroke_changed.emit()

    def _finish(self) -> None:
        stroke, self._current = self._current, None
        if stroke is None:
            return
        self._paint_piece(stroke, len(stroke.points), finished=True)
        self._strokes.append(stroke)
        self.stroke_finished.emit()

    def _paint_piece(self, stroke: Stroke, i: int, finished: bool = False) -> None:
        """Paint the piece of ``stroke`` that point ``i`` completes, and repaint its rectangle."""
        painter = QPainter(self._ink)
        try:
            rect = self._piece(painter, stroke, i, finished)
        finally:
            painter.end()
        if rect is not None:
            scale = self.surface_rect().width() / self._ink.width()
            origin = self.surface_rect().topLeft()
            widget_rect = QRectF(
                origin.x() + rect.x() * scale,
                origin.y() + rect.y() * scale,
                rect.width() * scale,
                rect.height() * scale,
            )
            self.update(widget_rect.toAlignedRect().adjusted(-2, -2, 2, 2))

    def _paint_stroke(self, painter: QPainter, stroke: Stroke, finished: bool = True) -> None:
        for i in range(len(stroke.points)):
            self._piece(painter, stroke, i, False)
        if finished:
            self._piece(painter, stroke, len(stroke.points), True)

    def _piece(self, painter: QPainter, stroke: Stroke, i: int, finished: bool) -> QRectF | None:
        """Draw the piece of ``stroke`` ending at point ``i`` (``finished``: the tail after the
        last midpoint). Returns its bounding rectangle in layer pixels."""
        side = self._ink.width()
        pts = stroke.points
        n = len(pts)

        def at(k: int) -> QPointF:
            return QPointF(pts[k][0] * side, pts[k][1] * side)

        def mid(a: int, b: int) -> QPointF:
            return (at(a) + at(b)) * 0.5

        path = QPainterPath()
        if finished:
            if n < 2:
                return None
            path.moveTo(mid(n - 2, n - 1) if n > 2 else at(0))
            path.lineTo(at(n - 1))
            pressure = pts[n - 1][2]
        elif i == 0:
            path.moveTo(at(0))
            path.lineTo(at(0))
            pressure = pts[0][2]
        elif i == 1:
            path.moveTo(at(0))
            path.lineTo(mid(0, 1))
            pressure = 0.5 * (pts[0][2] + pts[1][2])
        else:
            path.moveTo(mid(i - 2, i - 1))
            path.quadTo(at(i - 1), mid(i - 1, i))
            pressure = pts[i - 1][2]
        width = stroke.width * side * _pressure_scale(pressure)
        pen = QPen(
            INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if path.length() == 0:
            painter.drawPoint(path.pointAtPercent(0))
        else:
            painter.drawPath(path)
        return path.boundingRect().adjusted(-width, -width, width, width)

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        self._ensure_layer()
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        sheet = self.surface_rect()
        painter.fillRect(sheet, PAPER)
        painter.drawImage(sheet, self._ink, QRectF(self._ink.rect()))
        painter.setPen(QPen(PAPER_EDGE, 1))
        painter.drawRect(sheet.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._marked is not None and not self.is_empty():
            top, left, bottom, right = self._marked
            scale = sheet.width()
            marked = QRectF(
                sheet.x() + left * scale,
                sheet.y() + top * scale,
                (right - left) * scale,
                (bottom - top) * scale,
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(MARKED, 2, Qt.PenStyle.DashLine))
            painter.drawRect(marked)
        if self.is_empty():
            painter.setPen(HINT)
            font = painter.font()
            font.setPointSizeF(max(10.0, sheet.width() / 22))
            painter.setFont(font)
            painter.drawText(sheet, Qt.AlignmentFlag.AlignCenter, self.tr("Draw a digit here"))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._ensure_layer()
        super().resizeEvent(event)

    def _update_cursor(self) -> None:
        d = max(6, round(self._pen_width))
        pix = QPixmap(d + 4, d + 4)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(QColor(255, 255, 255, 200), 2.5))
        p.drawEllipse(QRectF(2, 2, d, d))
        p.setPen(QPen(QColor(0, 0, 0, 200), 1))
        p.drawEllipse(QRectF(2, 2, d, d))
        p.end()
        self.setCursor(QCursor(pix))

    # -- input ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is None:
            self._begin(event.position(), 1.0)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), 1.0)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend(event.position(), 1.0, notify=False)
            self._finish()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: like the mouse, with the stroke's width following the pressure."""
        kind = event.type()
        pressure = event.pressure()
        if kind == QTabletEvent.Type.TabletPress and self._current is None:
            self._tablet_down = True
            self._begin(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletMove and self._tablet_down:
            self._extend(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletRelease and self._tablet_down:
            self._tablet_down = False
            self._finish()
        event.accept()  # no synthesized mouse events follow

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        else:
            super().keyPressEvent(event)


def _clamp(pressure: float) -> float:
    return min(max(float(pressure), 0.0), 1.0)


def _pressure_scale(pressure: float) -> float:
    """Pen width factor for a pressure in [0, 1]; the mouse gives 1.0 (full width)."""
    return 0.35 + 0.65 * pressure
