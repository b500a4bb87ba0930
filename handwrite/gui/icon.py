"""The application's icon, painted at run time (no image file to install or lose)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from handwrite.gui.drawing.canvas import INK, PAPER


def paint_icon(size: int = 256) -> QPixmap:
    """A hand-drawn "7" on a sheet of paper, ``size`` pixels square."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    s = float(size)
    p.setPen(QPen(QColor("#c9c3b5"), s / 64))
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(s * 0.06, s * 0.06, s * 0.88, s * 0.88), s * 0.12, s * 0.12)
    path = QPainterPath(QPointF(s * 0.28, s * 0.3))
    path.quadTo(QPointF(s * 0.5, s * 0.27), QPointF(s * 0.72, s * 0.29))
    path.quadTo(QPointF(s * 0.55, s * 0.5), QPointF(s * 0.44, s * 0.76))
    pen = QPen(INK, s * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#2f6fd6"))
    p.drawEllipse(QPointF(s * 0.78, s * 0.74), s * 0.09, s * 0.09)
    p.end()
    return pix


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(paint_icon(size))
    return icon
