"""A small grid of numbers on coloured cells: an input patch, a kernel, their products.

:class:`NumberGrid` paints an (h, w) array as squares coloured blue - white - red
(:func:`~handwrite.gui.inspect.mosaic.diverging`) with each value written in its square when
the squares are large enough to hold it (a 5x5 kernel), and as colours alone when they are not
(a 28x28 weight image); the pointer's tooltip gives any cell's value. Cells can be dimmed (the
zero padding around a map) and one can be outlined (the winner of a max pooling).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from handwrite.gui.inspect.mosaic import MARK, diverging

#: Cells at least this many pixels wide show their number.
NUMBER_CELL = 22
#: Cell sizes the grid asks for: with numbers, and as colours only (for the longest side).
NUMBERED_CELL = 30
PICTURE_SIDE = 150
#: Most cells a side may have for the grid to ask for room for numbers.
NUMBERED_SIDE = 9
DIMMED = QColor(200, 200, 200)


def cell_text(value: float) -> str:
    """A value short enough for its cell: ``0.53``, ``-1.2``, ``12``, ``0``."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    a = abs(value)
    if a >= 9.95:
        return f"{value:.0f}"
    if a >= 0.995:
        return f"{value:.1f}"
    if a >= 0.005:
        return f"{value:.2f}"
    return f"{value:.0e}".replace("e-0", "e-")


class NumberGrid(QWidget):
    """An (h, w) array of numbers as coloured squares. Emits ``cell_clicked(int, int)``
    (row, column) when a cell is clicked.

    ``label``: names a cell in its tooltip, e.g. ``"x"`` gives "x[2, 3] = 0.53". ``cell``:
    the side of a cell it asks for, in pixels (default: room for numbers on small grids, a
    picture about ``PICTURE_SIDE`` wide on large ones).
    """

    cell_clicked = Signal(int, int)

    def __init__(
        self, label: str = "", parent: QWidget | None = None, cell: float | None = None
    ) -> None:
        super().__init__(parent)
        self._cell_size = cell
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._label = label
        self._values = np.zeros((0, 0), np.float32)
        self._colors = np.zeros((0, 0, 3), np.uint8)
        self._dimmed: np.ndarray | None = None
        self._marked: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"NumberGrid({self._label!r}, shape={self._values.shape})"

    def values(self) -> np.ndarray:
        """The values shown, (h, w) float32."""
        return self._values.copy()

    def set_values(
        self,
        values: np.ndarray,
        scale: float | None = None,
        dimmed: np.ndarray | None = None,
        marked: tuple[int, int] | None = None,
    ) -> None:
        """Show ``values`` ((h, w), or (n,) as one row).

        ``scale``: the value at full colour (default the largest magnitude); ``dimmed``:
        (h, w) bool, cells drawn grey (padding); ``marked``: (row, col) of a cell outlined.
        """
        v = np.asarray(values, np.float32)
        if v.ndim == 1:
            v = v[None, :]
        if v.shape != self._values.shape:
            self.updateGeometry()
        self._values = v
        self._colors = diverging(v, scale)
        self._dimmed = None if dimmed is None else np.asarray(dimmed, bool)
        self._marked = marked
        self.update()

    # -- geometry ------------------------------------------------------------------------
    def _preferred_cell(self) -> float:
        if self._cell_size is not None:
            return self._cell_size
        h, w = self._values.shape
        if max(h, w) <= NUMBERED_SIDE:
            return NUMBERED_CELL
        return max(3.0, PICTURE_SIDE / max(h, w, 1))

    def sizeHint(self) -> QSize:
        h, w = self._values.shape
        cell = self._preferred_cell()
        return QSize(math.ceil(w * cell) + 2, math.ceil(h * cell) + 2)

    def minimumSizeHint(self) -> QSize:
        h, w = self._values.shape
        if self._cell_size is not None:
            cell = min(self._cell_size, 4.0)
        else:
            cell = min(self._preferred_cell(), 3.0 if max(h, w) > NUMBERED_SIDE else 12.0)
        return QSize(math.ceil(w * cell) + 2, math.ceil(h * cell) + 2)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        h, w = self._values.shape
        if not w:
            return 0
        return math.ceil(min((width - 2) / w, self._preferred_cell() * 1.25) * h) + 2

    def _cell(self) -> tuple[float, QPointF]:
        """(side of a cell, top-left corner of the grid) in widget coordinates."""
        h, w = self._values.shape
        if not h or not w:
            return 0.0, QPointF(0, 0)
        side = min((self.width() - 2) / w, (self.height() - 2) / h, self._preferred_cell() * 1.25)
        side = max(1.0, side)
        x0 = (self.width() - side * w) / 2.0
        y0 = (self.height() - side * h) / 2.0
        return side, QPointF(x0, y0)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(row, col) of the cell under ``pos``, or None."""
        side, origin = self._cell()
        h, w = self._values.shape
        if side <= 0:
            return None
        col = math.floor((pos.x() - origin.x()) / side)
        row = math.floor((pos.y() - origin.y()) / side)
        return (row, col) if 0 <= row < h and 0 <= col < w else None

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        h, w = self._values.shape
        if not h or not w:
            return
        side, origin = self._cell()
        painter = QPainter(self)
        numbers = side >= NUMBER_CELL
        if numbers:
            font = QFont(self.font())
            font.setPixelSize(max(8, int(side * 0.34)))
            painter.setFont(font)
        grid = QColor(255, 255, 255) if numbers else None
        for r in range(h):
            for c in range(w):
                rect = QRectF(origin.x() + c * side, origin.y() + r * side, side, side)
                dimmed = self._dimmed is not None and bool(self._dimmed[r, c])
                rgb = self._colors[r, c]
                color = DIMMED if dimmed else QColor(int(rgb[0]), int(rgb[1]), int(rgb[2]))
                painter.fillRect(rect, color)
                if grid is not None:
                    painter.setPen(QPen(grid, 1))
                    painter.drawRect(rect)
                if numbers and not dimmed:
                    light = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 150
                    painter.setPen(QColor(20, 20, 20) if light else QColor(250, 250, 250))
                    painter.drawText(
                        rect, Qt.AlignmentFlag.AlignCenter, cell_text(float(self._values[r, c]))
                    )
        if self._marked is not None:
            r, c = self._marked
            rect = QRectF(origin.x() + c * side, origin.y() + r * side, side, side)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0, 200), 4))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.setPen(QPen(MARK, 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(self.palette().windowText().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(origin.x(), origin.y(), side * w, side * h))
        painter.end()

    # -- interaction ---------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.cell_clicked.emit(*cell)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            if cell is not None:
                r, c = cell
                value = float(self._values[r, c])
                if self._values.shape[0] == 1:
                    where = f"{self._label}[{c}]"
                else:
                    where = f"{self._label}[{r}, {c}]"
                QToolTip.showText(event.globalPos(), f"{where} = {value:.6g}", self)
            elif self.toolTip():
                QToolTip.showText(event.globalPos(), self.toolTip(), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
