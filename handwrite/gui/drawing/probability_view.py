"""The network's answer: the winning digit, large, over ten probability bars; or, when the
model refuses the drawing, "Not a digit?" with its best guess greyed out beside it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from handwrite.gui import formatting
from handwrite.gui.drawing.predictor import DrawingAnswer
from handwrite.nn.model import DIGITS

WINNER = QColor("#2f6fd6")
BAR = QColor("#9aa9c2")
TRACK = QColor(128, 128, 128, 40)
UNSURE = QColor("#c07a18")
#: "Not a digit?": the answer's colour, and the bars', greyed out.
REFUSED = QColor("#7a8291")
REFUSED_BAR = QColor("#c9ced6")

#: Below this probability the answer is shown as a guess.
SURE = 0.6


class ProbabilityView(QWidget):
    """Ten horizontal bars, one per class, and the most probable class in large type.

    :meth:`set_answer` takes the model's :class:`DrawingAnswer` (its (10,) probabilities,
    and whether it refuses the drawing), or ``None`` to show the empty state (nothing drawn
    yet); :meth:`set_probabilities` the probabilities of a model that never refuses.
    """

    def __init__(self, parent: QWidget | None = None, classes: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilities")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 300)
        self._classes = tuple(classes) if classes is not None else DIGITS
        self._p: np.ndarray | None = None
        self._refused = False

    def sizeHint(self) -> QSize:
        return QSize(240, 400)

    def probabilities(self) -> np.ndarray | None:
        return self._p

    def classes(self) -> tuple[str, ...]:
        return self._classes

    def refused(self) -> bool:
        """Whether the answer shown is "Not a digit?"."""
        return self._refused

    def set_classes(self, classes: Sequence[str]) -> None:
        """Label the bars with ``classes`` (clears the probabilities shown)."""
        self._classes = tuple(str(c) for c in classes)
        self.set_probabilities(None)

    def set_probabilities(self, p: np.ndarray | None) -> None:
        """Show ``p``: (len(classes),) probabilities, or ``None`` for nothing (an answer
        that is not refused)."""
        self.set_answer(None if p is None else DrawingAnswer.accepting(p))

    def set_answer(self, answer: DrawingAnswer | None) -> None:
        """Show ``answer`` (its probabilities: (len(classes),)), or ``None`` for nothing."""
        if answer is None:
            self._p = None
            self._refused = False
        else:
            a = np.asarray(answer.probabilities, dtype=np.float64).reshape(-1)
            if a.shape != (len(self._classes),):
                raise ValueError(f"expected {len(self._classes)} probabilities, got {a.shape}")
            self._p = a
            self._refused = bool(answer.refused)
        self.setAccessibleDescription(self.answer_text())
        self.update()

    def answer_text(self) -> str:
        """The answer in words (also the widget's accessible description)."""
        if self._p is None:
            return self.tr("Draw a digit")
        k = int(self._p.argmax())
        best = self._p[k]
        if self._refused:
            return self.tr("Not a digit? (maybe {0}, {1:.0%})").format(self._classes[k], best)
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
        refused = self._p is not None and self._refused
        painter.setFont(big)
        if self._p is None:
            painter.setPen(muted)
            painter.drawText(QRectF(0, 0, w, head * 0.82), Qt.AlignmentFlag.AlignCenter, "?")
        elif refused:
            self._paint_refused(painter, QRectF(0, 0, w, head * 0.82), big, k, muted)
        else:
            painter.setPen(WINNER if sure else UNSURE)
            painter.drawText(
                QRectF(0, 0, w, head * 0.82), Qt.AlignmentFlag.AlignCenter, self._classes[k]
            )
        answer = self.answer_text() if not refused else self._maybe_text(k)
        # Shrink the line until it fits the width.
        while small.pixelSize() > 9 and QFontMetrics(small).horizontalAdvance(answer) > w - 4:
            small.setPixelSize(small.pixelSize() - 1)
        painter.setFont(small)
        painter.setPen(text if self._p is not None and not refused else muted)
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
        winner = REFUSED if refused else WINNER
        others = REFUSED_BAR if refused else BAR
        for i, name in enumerate(self._classes):
            y = top + i * row
            bar_h = max(4.0, row * 0.62)
            by = y + (row - bar_h) / 2.0
            painter.setPen(text if i == k and not refused else muted)
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
                painter.setBrush(winner if i == k else others)
                painter.drawRoundedRect(QRectF(bar_x, by, max(0.0, bar_w * value), bar_h), 3, 3)
                painter.setPen(text if i == k and not refused else muted)
                painter.drawText(
                    QRectF(bar_x + bar_w + 4, y, pct_w, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    formatting.probability(value),
                )
        painter.end()

    def _maybe_text(self, k: int) -> str:
        """The best guess of a refused drawing, for the line under "Not a digit?"."""
        assert self._p is not None
        return self.tr("maybe {0} ({1:.0%})").format(self._classes[k], self._p[k])

    def _paint_refused(
        self, painter: QPainter, rect: QRectF, big: QFont, k: int, muted: QColor
    ) -> None:
        """ "Not a digit?" in the answer's place, with the best guess greyed out beside it."""
        assert self._p is not None
        words = self.tr("Not a digit?")
        font = QFont(big)
        guess_font = QFont(big)
        # The words take the line; the guess, greyed, about as tall as they are.
        font.setPixelSize(max(12, int(rect.height() * 0.34)))
        guess_font.setPixelSize(max(12, int(rect.height() * 0.5)))
        gap = 8.0
        guess = self._classes[k]
        while font.pixelSize() > 10:
            needed = (
                QFontMetrics(font).horizontalAdvance(words)
                + gap
                + QFontMetrics(guess_font).horizontalAdvance(guess)
            )
            if needed <= rect.width() - 8:
                break
            font.setPixelSize(font.pixelSize() - 1)
            guess_font.setPixelSize(max(10, guess_font.pixelSize() - 1))
        words_w = QFontMetrics(font).horizontalAdvance(words)
        guess_w = QFontMetrics(guess_font).horizontalAdvance(guess)
        x = rect.left() + (rect.width() - words_w - gap - guess_w) / 2.0
        painter.setFont(font)
        painter.setPen(REFUSED)
        painter.drawText(
            QRectF(x, rect.top(), words_w + 2, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            words,
        )
        painter.setFont(guess_font)
        painter.setPen(muted)
        painter.drawText(
            QRectF(x + words_w + gap, rect.top(), guess_w + 2, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            guess,
        )
