"""How much the drawing looks like a digit at all: the digit score, with the threshold under
which the model answers "not a digit".

    +------------------------------------------+
    | Looks like a digit: 12%               (?) |
    | [####|------------------------------]     |   the bar: the score; the tick: the threshold
    +------------------------------------------+

For a model that never refuses (a version-1 model file, or one trained without negatives) the
view says so in one line, and shows no bar. The "?" explains how refusal works.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from handwrite.gui import explanations
from handwrite.gui.drawing.predictor import DrawingAnswer

ACCEPTED = QColor("#2f6fd6")
REFUSED = QColor("#7a8291")
TRACK = QColor(128, 128, 128, 40)
THRESHOLD = QColor("#c07a18")


class DigitScoreBar(QWidget):
    """A horizontal bar: the digit score in [0, 1], and a tick at the threshold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._score: float | None = None
        self._threshold = 0.0

    def sizeHint(self) -> QSize:
        return QSize(200, 14)

    def set_values(self, score: float | None, threshold: float) -> None:
        """The score shown (None: none, only the threshold) and the threshold."""
        self._score = score
        self._threshold = threshold
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        w, h = float(self.width()), float(self.height())
        bar = QRectF(1.0, 3.0, w - 2.0, h - 6.0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(bar, 3, 3)
        if self._score is not None:
            painter.setBrush(ACCEPTED if self._score >= self._threshold else REFUSED)
            filled = QRectF(bar.left(), bar.top(), bar.width() * self._score, bar.height())
            painter.drawRoundedRect(filled, 3, 3)
        x = bar.left() + bar.width() * self._threshold
        painter.setBrush(THRESHOLD)
        painter.drawRect(QRectF(x - 1.0, 0.0, 2.0, h))
        painter.end()


class DigitScoreView(QWidget):
    """The digit score of the drawing and the model's threshold.

    :meth:`set_answer` takes the predictor's :class:`DrawingAnswer` (or None: nothing drawn);
    :meth:`set_threshold` the threshold of the model on show (None: it never refuses).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digit_score")
        self._threshold: float | None = None
        self._answer: DrawingAnswer | None = None
        self.label = QLabel()
        self.label.setObjectName("caption")
        self.label.setWordWrap(True)
        self.help = explanations.help_button(explanations.refusal(), self)
        self.bar = DigitScoreBar()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.help, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.bar)
        self._show()

    def __repr__(self) -> str:
        return f"DigitScoreView(threshold={self._threshold}, answer={self._answer!r})"

    def threshold(self) -> float | None:
        return self._threshold

    def set_threshold(self, threshold: float | None) -> None:
        """The model on show refuses under ``threshold``, or never (None)."""
        self._threshold = threshold
        self._show()

    def set_answer(self, answer: DrawingAnswer | None) -> None:
        self._answer = answer
        if answer is not None and answer.threshold != self._threshold:
            self._threshold = answer.threshold
        self._show()

    def _show(self) -> None:
        t, answer = self._threshold, self._answer
        self.bar.setVisible(t is not None)
        if t is None:
            self.label.setText(self.tr("This model never answers “not a digit”."))
            self.label.setToolTip("")
            return
        tip = self.tr(
            "How much the drawing looks like a digit at all. Under the mark ({0:.0%}) the "
            "model answers “not a digit”."
        ).format(t)
        self.bar.setToolTip(tip)
        self.label.setToolTip(tip)
        if answer is None:
            self.label.setText(
                self.tr("Looks like a digit: – (not a digit under {0:.0%})").format(t)
            )
            self.bar.set_values(None, t)
        else:
            self.label.setText(
                self.tr("Looks like a digit: {0:.0%} (not a digit under {1:.0%})").format(
                    answer.digit_score, t
                )
            )
            self.bar.set_values(answer.digit_score, t)
