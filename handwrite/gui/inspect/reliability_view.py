"""How far the probabilities can be trusted: the reliability diagram of the test digits, the
expected calibration error, and how many test digits the model refuses.

    test probabilities (N, 10) and labels (N,) -> handwrite.calibration.reliability
        -> one bar per confidence bin: its height the share of right answers, the number
           on it how many digits fall in it; the diagonal, where calibrated bars end
        -> "ECE 0.8% · refused 0.3% · right among the answers given 99.4%"

The view computes nothing about the model: :class:`handwrite.gui.inspect.confusion_view.
ConfusionView` hands it the probabilities of the results it shows.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from handwrite.calibration import Reliability, reliability
from handwrite.gui import explanations, formatting
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.plot_style import plain_axes, styled_plot

BAR = QColor("#2f6fd6")
GAP = QColor("#d9480f")


class ReliabilityView(QWidget):
    """The reliability diagram and the calibration figures of a set of test results.

    :meth:`show_results` takes (N, K) probabilities, (N,) labels and, for a model that
    refuses, its refusal rate and its accuracy among the answers it gives; :meth:`clear`
    shows nothing.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reliability_view")
        self._reliability: Reliability | None = None
        self._refusal_rate: float | None = None
        self.help = explanations.help_button(explanations.calibration(), self)
        head = heading_row(self.tr("How sure, how right"), self.help)
        self.figures = QLabel()
        self.figures.setObjectName("calibration_figures")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)

        background = self.palette().base().color()
        self._foreground = foreground = self.palette().text().color()
        self.plot_widget = pg.PlotWidget(axisItems=plain_axes())
        self.plot_widget.setBackground(background)
        self.plot_widget.setMinimumHeight(200)
        self.plot = styled_plot(self.plot_widget.getPlotItem(), foreground)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("bottom", self.tr("Confidence (the top probability)"), color=foreground)
        self.plot.setLabel("left", self.tr("Share right"), color=foreground)
        self.plot.setXRange(0.0, 1.0, padding=0.02)
        # Room above the bars for their counts, written upwards.
        self.plot.setYRange(0.0, 1.3, padding=0.0)
        self.plot.getAxis("left").setTicks([[(v / 5, f"{v / 5:.1f}") for v in range(6)]])
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.diagonal = pg.PlotDataItem(
            [0.0, 1.0],
            [0.0, 1.0],
            pen=pg.mkPen(foreground.lighter(150), width=1, style=Qt.PenStyle.DashLine),
        )
        self.plot.addItem(self.diagonal)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.05, brush=BAR, pen=None)
        self.plot.addItem(self.bars)
        # Where each bar would end if its confidence were right: its mean confidence.
        self.gaps = pg.ScatterPlotItem(size=9, symbol="t1", brush=pg.mkBrush(GAP), pen=None)
        self.plot.addItem(self.gaps)
        self.legend = QLabel(
            self.tr(
                '<span style="color:{0}">■</span> the share right in each bin · '
                '<span style="color:{1}">▲</span> how sure it was there (mean confidence) · '
                "- - - where the two are equal"
            ).format(BAR.name(), GAP.name())
        )
        self.legend.setObjectName("caption")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self._count_items: list[pg.TextItem] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.figures)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.legend)
        self.clear()

    def __repr__(self) -> str:
        return f"ReliabilityView({self._reliability!r}, refusal_rate={self._refusal_rate})"

    def reliability(self) -> Reliability | None:
        """The diagram shown, or None."""
        return self._reliability

    def clear(self) -> None:
        self._reliability = None
        self._refusal_rate = None
        self.bars.setOpts(x=[], height=[])
        self.gaps.setData([], [])
        self._set_counts(np.zeros(0), np.zeros(0), np.zeros(0, np.int64))
        self.figures.setText(
            self.tr("After an evaluation: how often the network is right when it is this sure.")
        )

    def show_results(
        self,
        probabilities: np.ndarray,
        labels: np.ndarray,
        refusal_rate: float | None = None,
        accepted_accuracy: float | None = None,
    ) -> None:
        """The diagram of ``probabilities`` (N, K) against ``labels`` (N,); the refusal
        figures when the model refuses (None: it never does)."""
        rel = reliability(np.asarray(probabilities), np.asarray(labels))
        self._reliability, self._refusal_rate = rel, refusal_rate
        width = float(rel.edges[1] - rel.edges[0])
        centres = (rel.edges[:-1] + rel.edges[1:]) / 2.0
        shown = rel.counts > 0
        self.bars.setOpts(
            x=centres[shown], height=rel.accuracy[shown], width=width * 0.86, brush=BAR
        )
        self.gaps.setData(centres[shown], rel.confidence[shown])
        # The counts go above the bar and its triangle, whichever is higher.
        tops = np.maximum(rel.accuracy[shown], rel.confidence[shown])
        self._set_counts(centres[shown], tops, rel.counts[shown])
        n = int(rel.counts.sum())
        parts = [
            self.tr("Expected calibration error (ECE): <b>{0}</b> over {1:,} test digits").format(
                formatting.percent(rel.ece, 2), n
            )
        ]
        if refusal_rate is not None:
            parts.append(
                self.tr("refused as not a digit: <b>{0}</b>").format(
                    formatting.percent(refusal_rate, 2)
                )
            )
            if accepted_accuracy is not None and math.isfinite(accepted_accuracy):
                parts.append(
                    self.tr("right among the answers given: <b>{0}</b>").format(
                        formatting.percent(accepted_accuracy, 2)
                    )
                )
        else:
            parts.append(self.tr("this model never answers “not a digit”"))
        self.figures.setText(" · ".join(parts))

    def _set_counts(self, x: np.ndarray, tops: np.ndarray, counts: np.ndarray) -> None:
        """The number of digits in each bin, written upwards above ``tops`` (its bar and
        its triangle)."""
        for item in self._count_items:
            self.plot.removeItem(item)
        self._count_items = []
        font = QFont(self.font())
        font.setPixelSize(9)
        for xi, top, count in zip(x, tops, counts, strict=True):
            item = pg.TextItem(f"{int(count):,}", color=self._foreground, anchor=(0.0, 0.5))
            item.setFont(font)
            item.setAngle(90)
            item.setPos(float(xi), float(top) + 0.05)
            item.setZValue(10)  # over the bars
            self.plot.addItem(item)
            self._count_items.append(item)

    def count_texts(self) -> list[str]:
        """The numbers written on the bars, left to right."""
        return [item.toPlainText() for item in self._count_items]
