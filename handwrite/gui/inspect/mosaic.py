"""Small images in a grid, drawn as crisp pixels: filters, feature maps, saliency, steps.

:class:`MosaicView` shows a sequence of :class:`Tile` s (an RGB or grey image, a caption, and
optionally a box and a point drawn over it) in a grid that fits the widget. The colour maps
here turn float arrays into RGB: :func:`diverging` (blue - white - red, centred on 0, for
weights and signed activations) and :func:`ink` (the 28x28 digit as the network sees it).

The images are converted to ``QImage`` once per :meth:`MosaicView.set_tiles`; painting only
scales them (without smoothing, so each weight or pixel stays a visible square). With
``track_pixels`` the view says which pixel of which tile is under the pointer and which one
is clicked (a feature map's unit), and outlines one marked pixel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

#: Blue for negative values, red for positive ones (ColorBrewer RdBu ends).
NEGATIVE = np.array([33, 102, 172], np.float32)
POSITIVE = np.array([178, 24, 43], np.float32)
ZERO = np.array([247, 247, 247], np.float32)
#: The digit as MNIST has it: bright ink on a near-black field.
FIELD = np.array([16, 19, 24], np.float32)
INK = np.array([255, 255, 255], np.float32)

MARK = QColor("#f5a524")
BOX = QColor("#e8590c")
GAP = 4
MARGIN = 2
#: Layouts whose tiles are at least this fraction of the largest possible count as equal.
NEARLY = 0.9
CAPTION_LINES = 2


def _ramp(a: np.ndarray, b: np.ndarray, levels: int = 256) -> np.ndarray:
    """A (levels, 3) uint8 lookup table from colour ``a`` to colour ``b``."""
    t = np.linspace(0.0, 1.0, levels, dtype=np.float32)[:, None]
    return (a + (b - a) * t + 0.5).astype(np.uint8)


#: Lookup tables (a colour map is one gather: cheaper than arithmetic on three channels).
_DIVERGING = np.concatenate([_ramp(NEGATIVE, ZERO, 129)[:-1], _ramp(ZERO, POSITIVE, 129)])
_INK = _ramp(FIELD, INK)
_PAPER = _ramp(np.array([251, 250, 246], np.float32), np.array([31, 36, 48], np.float32))


def _levels(t: np.ndarray, top: int) -> np.ndarray:
    """Indices 0..top for ``t`` in [0, 1] (rounded)."""
    return (np.clip(t, 0.0, 1.0) * top + 0.5).astype(np.intp)


def diverging(a: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Blue (-scale) - white (0) - red (+scale): ``a`` (...,) float -> (..., 3) uint8.

    ``scale``: the value shown at full colour (default: ``max |a|``; values beyond are
    clipped). An all-zero array is all white.
    """
    a = np.asarray(a, dtype=np.float32)
    if scale is None:
        scale = float(np.abs(a).max()) if a.size else 0.0
    if not scale > 0:
        return _DIVERGING[np.full(a.shape, 128, np.intp)]
    return _DIVERGING[_levels(a * np.float32(0.5 / scale) + np.float32(0.5), 256)]


def ink(a: np.ndarray) -> np.ndarray:
    """Bright ink on a dark field: ``a`` (...,) float in [0, 1] -> (..., 3) uint8."""
    return _INK[_levels(np.asarray(a, dtype=np.float32), 255)]


def paper(a: np.ndarray) -> np.ndarray:
    """Dark ink on light paper, as on the canvas: ``a`` (...,) float in [0, 1] -> uint8 RGB."""
    return _PAPER[_levels(np.asarray(a, dtype=np.float32), 255)]


def as_grid(v: np.ndarray) -> np.ndarray:
    """A vector (F,) as a near-square (rows, cols) image, padded with zeros at the end."""
    v = np.asarray(v).reshape(-1)
    cols = max(1, math.ceil(math.sqrt(len(v))))
    rows = max(1, math.ceil(len(v) / cols))
    grid = np.zeros(rows * cols, dtype=v.dtype)
    grid[: len(v)] = v
    return grid.reshape(rows, cols)


@dataclass(frozen=True, eq=False)
class Tile:
    """One image of a mosaic.

    Attributes:
        image: (h, w, 3) uint8 RGB (see :func:`diverging`, :func:`ink`).
        caption: a line or two shown under the image ("" for none).
        tooltip: shown when the pointer rests on the tile.
        box: (top, left, bottom, right) in image pixels (edges; bottom/right exclusive),
            outlined over the image.
        mark: (row, col) in pixel indices (the centre of pixel ``i`` is at ``i``), marked with
            a small cross-hair.
        smooth: scale smoothly (for a large image shown small, e.g. the whole drawing).
    """

    image: np.ndarray
    caption: str = ""
    tooltip: str = ""
    box: tuple[float, float, float, float] | None = None
    mark: tuple[float, float] | None = None
    smooth: bool = False


class MosaicView(QWidget):
    """A grid of :class:`Tile` s fitted to the widget, each image as large as it fits.

    ``columns``: a fixed number of columns, or None to choose the number that makes the
    tiles largest. Emits ``tile_clicked(int)`` with the index of a clicked tile. With
    ``track_pixels``, also ``pixel_hovered(object)``: ``(tile, row, col)`` of the pixel
    under the pointer whenever it changes, None when the pointer leaves the images; and
    ``pixel_clicked(object)``: ``(tile, row, col)`` of a clicked pixel.
    """

    tile_clicked = Signal(int)
    pixel_hovered = Signal(object)
    pixel_clicked = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        columns: int | None = None,
        placeholder: str = "",
        max_tile: int = 220,
        track_pixels: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(80, 60)
        self._columns = columns
        self._placeholder = placeholder
        self._max_tile = max_tile
        self._tiles: list[Tile] = []
        self._images: list[QImage] = []
        #: Rectangles of the images from the last layout, in widget coordinates.
        self._rects: list[QRectF] = []
        self._caption_h = 0.0
        self._cell = (0.0, 0.0)
        self._track_pixels = track_pixels
        self._hovered: tuple[int, int, int] | None = None
        self._marked: tuple[int, int, int] | None = None
        self.setMouseTracking(track_pixels)

    def __repr__(self) -> str:
        return f"MosaicView(tiles={len(self._tiles)}, columns={self._columns})"

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    # -- content -------------------------------------------------------------------------
    def tiles(self) -> list[Tile]:
        return list(self._tiles)

    def set_tiles(self, tiles: Sequence[Tile], columns: int | None = None) -> None:
        """Show ``tiles`` (an empty sequence shows the placeholder text)."""
        self._tiles = list(tiles)
        if columns is not None:
            self._columns = columns
        self._images = []
        for tile in self._tiles:
            rgb = np.ascontiguousarray(tile.image, dtype=np.uint8)
            if rgb.ndim != 3 or rgb.shape[2] != 3:
                raise ValueError(f"a tile's image must be (h, w, 3) uint8, got {rgb.shape}")
            h, w, _ = rgb.shape
            # QImage does not own the buffer: copy while the array is alive.
            self._images.append(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())
        self._layout()
        self.update()

    def placeholder(self) -> str:
        """The text shown when there are no tiles."""
        return self._placeholder

    def marked_pixel(self) -> tuple[int, int, int] | None:
        return self._marked

    def set_marked_pixel(self, pixel: tuple[int, int, int] | None) -> None:
        """Outline pixel ``(tile, row, col)`` (None: none)."""
        if pixel != self._marked:
            self._marked = pixel
            self.update()

    # -- layout --------------------------------------------------------------------------
    def _caption_height(self) -> float:
        if not any(t.caption for t in self._tiles):
            return 0.0
        # Measured, not lines x lineSpacing(): glyphs from a fallback font (e.g. Japanese
        # in a Latin UI font) can make a line taller than the widget font's line spacing.
        metrics = self.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        height = max(
            metrics.boundingRect(
                QRect(0, 0, 10_000, 10_000), flags, "\n".join(t.caption.split("\n")[:CAPTION_LINES])
            ).height()
            for t in self._tiles
            if t.caption
        )
        return float(height) + 2.0

    def _cell_aspect(self) -> float:
        """Width / height of the largest image (tiles share one cell size)."""
        return max((img.width() / max(1, img.height()) for img in self._images), default=1.0)

    def _grid(self, n: int) -> tuple[int, int, float]:
        """(columns, rows, height of an image's cell): among the layouts whose images are
        nearly the largest possible, the one with the fewest empty places."""
        w, h = float(self.width() - 2 * MARGIN), float(self.height() - 2 * MARGIN)
        caption = self._caption_height()
        aspect = self._cell_aspect()
        choices = [self._columns] if self._columns else range(1, n + 1)
        layouts = []
        for cols in choices:
            rows = math.ceil(n / cols)
            cell_w = (w - GAP * (cols - 1)) / cols
            cell_h = (h - GAP * (rows - 1)) / rows - caption
            side = min(cell_w / aspect, cell_h, float(self._max_tile))
            layouts.append((cols, rows, max(1.0, side)))
        largest = max(side for _, _, side in layouts)
        near = [layout for layout in layouts if layout[2] >= NEARLY * largest]
        return min(near, key=lambda c: (c[0] * c[1] - n, -c[2], -c[0]))

    def _layout(self) -> None:
        self._rects = []
        n = len(self._images)
        if not n:
            return
        cols, rows, side = self._grid(n)
        aspect = self._cell_aspect()
        cell_w, cell_h = side * aspect, side
        caption = self._caption_height()
        total_w = cols * cell_w + GAP * (cols - 1)
        total_h = rows * (cell_h + caption) + GAP * (rows - 1)
        x0 = (self.width() - total_w) / 2.0
        y0 = max(float(MARGIN), (self.height() - total_h) / 2.0)
        for i, img in enumerate(self._images):
            r, c = divmod(i, cols)
            x = x0 + c * (cell_w + GAP)
            y = y0 + r * (cell_h + caption + GAP)
            # The image keeps its own aspect ratio inside the cell; whole screen pixels per
            # image pixel when it is small, so every square is the same size.
            scale = min(cell_w / img.width(), cell_h / img.height())
            if scale >= 3 and not self._tiles[i].smooth:
                scale = math.floor(scale)
            iw, ih = img.width() * scale, img.height() * scale
            self._rects.append(
                QRectF(round(x + (cell_w - iw) / 2), round(y + (cell_h - ih) / 2), iw, ih)
            )
        self._caption_h = caption
        self._cell = (cell_w, cell_h)

    def resizeEvent(self, event: object) -> None:
        self._layout()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def tile_rect(self, index: int) -> QRectF:
        """Where tile ``index``'s image is drawn, in widget coordinates."""
        return QRectF(self._rects[index])

    def tile_at(self, pos: QPointF) -> int | None:
        """The index of the tile under ``pos`` (widget coordinates), or None."""
        for i, rect in enumerate(self._rects):
            if rect.adjusted(-GAP / 2, -GAP / 2, GAP / 2, self._caption_h).contains(pos):
                return i
        return None

    def pixel_at(self, pos: QPointF) -> tuple[int, int, int] | None:
        """``(tile, row, col)`` of the image pixel under ``pos`` (widget coordinates), or
        None outside the images."""
        for i, rect in enumerate(self._rects):
            if rect.contains(pos):
                img = self._images[i]
                col = int((pos.x() - rect.left()) * img.width() / rect.width())
                row = int((pos.y() - rect.top()) * img.height() / rect.height())
                return i, min(row, img.height() - 1), min(col, img.width() - 1)
        return None

    def pixel_center(self, tile: int, row: int, col: int) -> QPointF:
        """Where the centre of pixel ``(row, col)`` of ``tile`` is drawn (widget coordinates)."""
        rect, img = self._rects[tile], self._images[tile]
        return QPointF(
            rect.left() + (col + 0.5) * rect.width() / img.width(),
            rect.top() + (row + 0.5) * rect.height() / img.height(),
        )

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.palette().windowText().color()
        if not self._images:
            muted = QColor(text)
            muted.setAlpha(120)
            painter.setPen(muted)
            painter.drawText(
                QRectF(self.rect()).adjusted(8, 8, -8, -8),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
            painter.end()
            return
        frame = QColor(text)
        frame.setAlpha(60)
        caption_font = self.font()
        marked = self._marked
        for i, (tile, img, rect) in enumerate(
            zip(self._tiles, self._images, self._rects, strict=True)
        ):
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, tile.smooth)
            painter.drawImage(rect, img)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(frame, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
            sx = rect.width() / img.width()
            sy = rect.height() / img.height()
            if tile.box is not None:
                top, left, bottom, right = tile.box
                painter.setPen(QPen(BOX, 2))
                painter.drawRect(
                    QRectF(
                        rect.left() + left * sx,
                        rect.top() + top * sy,
                        (right - left) * sx,
                        (bottom - top) * sy,
                    )
                )
            if tile.mark is not None:
                row, col = tile.mark
                p = QPointF(rect.left() + (col + 0.5) * sx, rect.top() + (row + 0.5) * sy)
                arm = max(5.0, min(rect.width(), rect.height()) * 0.06)
                for color, width in ((QColor(0, 0, 0, 160), 4.0), (MARK, 2.0)):
                    painter.setPen(QPen(color, width))
                    painter.drawLine(p - QPointF(arm, 0), p + QPointF(arm, 0))
                    painter.drawLine(p - QPointF(0, arm), p + QPointF(0, arm))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            if marked is not None and marked[0] == i:
                _, row, col = marked
                cell = QRectF(rect.left() + col * sx, rect.top() + row * sy, sx, sy)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(QColor(0, 0, 0, 200), 3))
                painter.drawRect(cell.adjusted(-1, -1, 1, 1))
                painter.setPen(QPen(MARK, 2))
                painter.drawRect(cell.adjusted(-1, -1, 1, 1))
            if tile.caption:
                painter.setFont(caption_font)
                painter.setPen(text)
                cell_w = self._cell[0]
                caption_rect = QRectF(
                    rect.center().x() - cell_w / 2 - GAP / 2,
                    rect.bottom() + 1,
                    cell_w + GAP,
                    self._caption_h,
                )
                painter.drawText(
                    caption_rect,
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    tile.caption,
                )
        painter.end()

    # -- interaction ---------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.tile_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            if self._track_pixels:
                pixel = self.pixel_at(event.position())
                if pixel is not None:
                    self.pixel_clicked.emit(pixel)
            self.tile_clicked.emit(index)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._track_pixels:
            self._hover(self.pixel_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._track_pixels:
            self._hover(None)
        super().leaveEvent(event)

    def _hover(self, pixel: tuple[int, int, int] | None) -> None:
        if pixel != self._hovered:
            self._hovered = pixel
            self.pixel_hovered.emit(pixel)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.tile_at(QPointF(event.pos()))
            if index is not None and self._tiles[index].tooltip:
                QToolTip.showText(event.globalPos(), self._tiles[index].tooltip, self)
            elif self.toolTip():
                QToolTip.showText(event.globalPos(), self.toolTip(), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
