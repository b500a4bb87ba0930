"""The 28x28 image the network sees: the drawing after preprocessing, one square per pixel."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BACKGROUND = QColor("#101318")
GRID = QColor(255, 255, 255, 18)
FRAME = QColor("#3a3f4a")
HINT = QColor("#6b7280")


class NetworkInputView(QWidget):
    """Shows a (28, 28) float32 image in [0, 1], ink bright on dark, as MNIST digits look.

    Pixels are drawn as crisp squares (no smoothing) with a faint grid, so one can see how
    coarse the network's view is. :meth:`set_image` with ``None`` shows an empty field.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("network_input")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(84, 84)
        self.setToolTip(
            self.tr(
                "What the network sees: your drawing cropped, scaled into a 20x20 box and "
                "centred by its centre of mass in a 28x28 field, as the MNIST digits were."
            )
        )
        self._array: np.ndarray | None = None
        self._qimage = QImage()

    def sizeHint(self) -> QSize:
        return QSize(168, 168)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def image(self) -> np.ndarray | None:
        """The image shown: (H, W) float32 in [0, 1], or None."""
        return self._array

    def set_image(self, image: np.ndarray | None) -> None:
        """Show ``image``: (H, W) float in [0, 1], ink bright; ``None`` for nothing."""
        if image is None:
            self._array, self._qimage = None, QImage()
        else:
            a = np.asarray(image, dtype=np.float32)
            if a.ndim != 2:
                raise ValueError(f"expected a 2-D image, got shape {a.shape}")
            grey = np.ascontiguousarray(np.clip(a, 0.0, 1.0) * 255.0 + 0.5, dtype=np.uint8)
            h, w = grey.shape
            # QImage does not own the buffer: keep the array alive alongside it, then copy.
            self._qimage = QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
            self._array = a
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = float(min(self.width(), self.height()))
        box = QRectF((self.width() - side) / 2.0, (self.height() - side) / 2.0, side, side)
        painter.fillRect(box, BACKGROUND)
        if not self._qimage.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(box, self._qimage)
            n = self._qimage.width()
            step = side / n
            if step >= 5:
                painter.setPen(QPen(GRID, 1))
                for k in range(1, n):
                    x = box.left() + k * step
                    y = box.top() + k * step
                    painter.drawLine(round(x), round(box.top()), round(x), round(box.bottom()))
                    painter.drawLine(round(box.left()), round(y), round(box.right()), round(y))
        else:
            painter.setPen(HINT)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "28 × 28")
        painter.setPen(QPen(FRAME, 1))
        painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()
