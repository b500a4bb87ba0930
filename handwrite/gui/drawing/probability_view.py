"""The network's answer: the winning digit, large, over ten probability bars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from handwrite.gui import formatting
from handwrite.nn.model import DIGITS

WINNER = QColor("#2f6fd6")
BAR = QColor("#9aa9c2")
TRACK = QColor(128, 128, 128, 40)
UNSURE = QColor("#c07a18")

#: Below this probability the answer is shown as a guess.
SURE = 0.6


class ProbabilityView(QWidget):
    """Ten horizontal bars, one per class, and the most probable class in large type.

    :meth:`set_probabilities` takes a (10,) float vector summing to 1, or ``None`` to show
    the empty state (nothing drawn yet).
    """

    def __init__(self, parent: QWidget | None = None, classes: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilities")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 300)
        self._classes = tuple(classes) if classes is not None else DIGITS
        self._p: np.ndarray | None = None

    def sizeHint(self) -> QSize:
        return QSize(240, 400)

    def probabilities(self) -> np.ndarray | None:
        return self._p

    def classes(self) -> tuple[str, ...]:
        return self._classes

    def set_classes(self, classes: Sequence[str]) -> None:
        """Label the bars with ``classes`` (clears the probabilities shown)."""
        self._classes = tuple(str(c) for c in classes)
        self.set_probabilities(None)

    def set_probabilities(self, p: np.ndarray | None) -> None:
        """Show ``p``: (len(classes),) probabilities, or ``None`` for nothing."""
        if p is None:
            self._p = None
        else:
            a = np.asarray(p, dtype=np.float64).reshape(-1)
            if a.shape != (len(self._classes),):
                raise ValueError(f"expected {len(self._classes)} probabilities, got {a.shape}")
            self._p = a
        self.setAccessibleDescription(self.answer_text())
        self.update()

    def answer_text(self) -> str:
        """The answer in words (also the widget's accessible description)."""
        if self._p is None:
            return self.tr("Draw a digit")
        k = int(self._p.argmax())
        best = self._p[k]
        if best >= SURE:
            return self.tr("It is a {0} ({1:.0%} sure)").format(self._classes[k], best)
        second = int(np.argsort(self._p)[-2])
        return self.tr("A {0} ({1:.0%}) or a {2} ({3:.0%})?").format(
            self._classes[k], best, self._classes[second], self._p[second]
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        text = pal.windowText().color()
        muted = QColor(text)
        muted.setAlpha(110)
        w, h = float(self.width()), float(self.height())

        # The answer: about a third of the height.
        head = min(h * 0.36, 170.0)
        big = QFont(self.font())
        big.setPixelSize(max(24, int(head * 0.72)))
        big.setWeight(QFont.Weight.DemiBold)
        small = QFont(self.font())
        small.setPixelSize(max(11, int(head * 0.11)))
        k = int(self._p.argmax()) if self._p is not None else -1
        sure = self._p is not None and self._p[k] >= SURE
        painter.setFont(big)
        if self._p is None:
            painter.setPen(muted)
            painter.drawText(QRectF(0, 0, w, head * 0.82), Qt.AlignmentFlag.AlignCenter, "?")
        else:
            painter.setPen(WINNER if sure else UNSURE)
            painter.drawText(
                QRectF(0, 0, w, head * 0.82), Qt.AlignmentFlag.AlignCenter, self._classes[k]
            )
        answer = self.answer_text()
        # Shrink the line until it fits the width.
        while small.pixelSize() > 9 and QFontMetrics(small).horizontalAdvance(answer) > w - 4:
            small.setPixelSize(small.pixelSize() - 1)
        painter.setFont(small)
        painter.setPen(text if self._p is not None else muted)
        painter.drawText(QRectF(0, head * 0.8, w, head * 0.2), Qt.AlignmentFlag.AlignCenter, answer)

        # The bars.
        top = head + 8.0
        n = len(self._classes)
        row = (h - top - 4.0) / n
        label_w = 22.0
        pct_w = 48.0
        bar_x = label_w + 6.0
        bar_w = max(10.0, w - bar_x - pct_w - 4.0)
        font = QFont(self.font())
        font.setPixelSize(int(max(10, min(16, row * 0.55))))
        painter.setFont(font)
        for i, name in enumerate(self._classes):
            y = top + i * row
            bar_h = max(4.0, row * 0.62)
            by = y + (row - bar_h) / 2.0
            painter.setPen(text if i == k else muted)
            painter.drawText(
                QRectF(0, y, label_w, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(QRectF(bar_x, by, bar_w, bar_h), 3, 3)
            if self._p is not None:
                value = float(self._p[i])
                painter.setBrush(WINNER if i == k else BAR)
                painter.drawRoundedRect(QRectF(bar_x, by, max(0.0, bar_w * value), bar_h), 3, 3)
                painter.setPen(text if i == k else muted)
                painter.drawText(
                    QRectF(bar_x + bar_w + 4, y, pct_w, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    formatting.probability(value),
                )
        painter.end()
