"""Live curves of a training run: loss per batch (raw and smoothed), and per epoch.

As in the pyqtgraph examples, every curve is created once; new points only go into growing
NumPy buffers, and a GUI-thread ``QTimer`` (``REDRAW_MS``) hands the buffers to the curves with
``setData`` when something changed. Nothing is drawn from the worker thread or per batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from handwrite.gui.training.job import BatchProgress
from handwrite.gui.training.runs import Buffer
from handwrite.trainer import BatchDone, EpochDone, Started, history_from_metadata

REDRAW_MS = 100
#: Weight of the newest batch in the smoothed loss (an exponential moving average).
SMOOTHING = 0.05

RAW = (47, 111, 214, 70)
SMOOTH = (31, 78, 160)
VALIDATION = (214, 110, 31)
TEST = (42, 150, 90)
TRAIN = (47, 111, 214)
#: The legends' background: white, see-through enough for a curve beneath to show.
LEGEND_BACKGROUND = (255, 255, 255, 150)


def _epoch_curve(
    plot: pg.PlotItem,
    color: tuple[int, ...],
    symbol: str,
    name: str,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> pg.PlotDataItem:
    """A curve with a point per epoch, each marked with ``symbol`` in ``color``."""
    return plot.plot(
        pen=pg.mkPen(color, width=2, style=style),
        symbol=symbol,
        symbolSize=7,
        symbolBrush=color,
        symbolPen=None,
        name=name,
    )


class LogAxis(pg.AxisItem):
    """A log axis labelled only at 1, 2 and 5 times a power of ten (the other nine-per-decade
    labels crowd each other)."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = []
        for v in values:
            x = 10.0 ** float(v) * scale
            mantissa = x / 10.0 ** np.floor(np.log10(x) + 1e-9)
            keep = any(abs(mantissa - m) < 1e-6 for m in (1.0, 2.0, 5.0))
            strings.append(f"{x:g}" if keep else "")
        return strings


class EpochAxis(pg.AxisItem):
    """An axis in epochs, with the numbers as they are. pyqtgraph scales a range below 1
    by an SI prefix, so a fifth of the first epoch would read "200" under "epoch (x0.001)";
    ``enableAutoSIPrefix(False)`` alone does not stop it in every version (pyqtgraph
    issue #2899), so the prefix is never computed here."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom")
        self.enableAutoSIPrefix(False)

    def updateAutoSIPrefix(self) -> None:
        self.autoSIPrefixScale = 1.0
        self.labelUnitPrefix = ""
        self._updateLabel()


class TrainingPlot(QWidget):
    """Two plots over the epochs: the loss (log scale) and the accuracy in percent.

    Slots ``on_started``, ``on_batch_done`` and ``on_epoch_done`` take a run's events;
    :meth:`show_curves` shows a past run's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_plot")
        background = self.palette().base().color()
        foreground = self.palette().text().color()
        self._view = pg.GraphicsLayoutWidget()
        self._view.setBackground(background)
        self._view.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        self.loss_plot = self._view.addPlot(
            row=0, col=0, axisItems={"left": LogAxis(orientation="left"), "bottom": EpochAxis()}
        )
        self.accuracy_plot = self._view.addPlot(row=0, col=1, axisItems={"bottom": EpochAxis()})
        # Legends where the curves are not: loss falls (top right is free), accuracy rises.
        for plot, title, legend_offset in (
            (self.loss_plot, self.tr("Loss"), (-8, 8)),
            (self.accuracy_plot, self.tr("Accuracy (%)"), (-8, -36)),
        ):
            plot.setTitle(title, color=foreground)
            plot.showGrid(x=False, y=True, alpha=0.12)
            plot.setLabel("bottom", self.tr("epoch"), color=foreground)
            plot.setMenuEnabled(False)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(foreground)
                plot.getAxis(axis).setPen(pg.mkPen(foreground.lighter(150)))
            # Above the curves, which may run under it (in a short plot the legend covers
            # much of it), on a see-through background so that they still show.
            legend = plot.addLegend(
                offset=legend_offset, labelTextColor=foreground, brush=LEGEND_BACKGROUND
            )
            legend.setZValue(100)
        self.loss_plot.setLogMode(y=True)
        self.loss_plot.setYRange(-2, 0.5, padding=0)  # log10: 0.01 to 3
        self.accuracy_plot.setYRange(80, 100, padding=0.02)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setXRange(0, 1, padding=0.02)

        self.raw_loss_curve = self.loss_plot.plot(
            pen=pg.mkPen(RAW, width=1), name=self.tr("batch loss")
        )
        self.raw_loss_curve.setDownsampling(auto=True, method="peak")
        self.raw_loss_curve.setClipToView(True)
        self.smooth_loss_curve = self.loss_plot.plot(
            pen=pg.mkPen(SMOOTH, width=2.5), name=self.tr("smoothed")
        )
        self.validation_loss_curve = _epoch_curve(
            self.loss_plot, VALIDATION, "o", self.tr("validation")
        )
        self.train_accuracy_curve = _epoch_curve(
            self.accuracy_plot, TRAIN, "t", self.tr("training"), Qt.PenStyle.DashLine
        )
        self.validation_accuracy_curve = _epoch_curve(
            self.accuracy_plot, VALIDATION, "o", self.tr("validation")
        )
        self.test_accuracy_curve = _epoch_curve(self.accuracy_plot, TEST, "s", self.tr("test"))

        self._batches_per_epoch = 1
        self._x = Buffer()
        self._loss = Buffer()
        self._smooth = Buffer()
        self._ema: float | None = None
        self._epoch = Buffer()
        self._val_epoch = Buffer()
        self._val_loss = Buffer()
        self._val_acc = Buffer()
        self._test_epoch = Buffer()
        self._test_acc = Buffer()
        self._train_acc = Buffer()
        self._dirty = False
        self.redraw_count = 0

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    # -- data in -------------------------------------------------------------------------
    def clear(self, batches_per_epoch: int = 1, validation: bool = True) -> None:
        """Forget every point (a new run begins). ``validation``: whether the run has a
        validation set (else its legend entries go)."""
        self._batches_per_epoch = max(1, int(batches_per_epoch))
        for b in (
            self._x,
            self._loss,
            self._smooth,
            self._epoch,
            self._val_epoch,
            self._val_loss,
            self._val_acc,
            self._test_epoch,
            self._test_acc,
            self._train_acc,
        ):
            b.clear()
        self._ema = None
        self._dirty = False
        self._set_curves()  # empty now: the ranges below must not fit the last run's points
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setXRange(0, 1, padding=0.02)
            plot.enableAutoRange(x=True)  # follow the new run's points as they come
        self.loss_plot.enableAutoRange(y=True)
        self._list_in_legends(validation)

    def _list_in_legends(self, validation: bool) -> None:
        """Name the curves in the legends, the validation ones only when there is a
        validation set (a run without one would list curves that never show)."""
        validation_curves = (self.validation_loss_curve, self.validation_accuracy_curve)
        loss = (self.raw_loss_curve, self.smooth_loss_curve, self.validation_loss_curve)
        accuracy = (
            self.train_accuracy_curve,
            self.validation_accuracy_curve,
            self.test_accuracy_curve,
        )
        for plot, curves in ((self.loss_plot, loss), (self.accuracy_plot, accuracy)):
            plot.legend.clear()
            for curve in curves:
                if validation or curve not in validation_curves:
                    plot.legend.addItem(curve, curve.name())

    def has_validation_legend(self) -> bool:
        """Whether the legends name the validation curves."""
        return all(
            plot.legend.getLabel(curve) is not None
            for plot, curve in (
                (self.loss_plot, self.validation_loss_curve),
                (self.accuracy_plot, self.validation_accuracy_curve),
            )
        )

    def show_curves(self, metadata: dict[str, Any]) -> bool:
        """Show the curves of a past run: those in a model file's (or a checkpoint's)
        metadata (see :func:`handwrite.trainer.history_from_metadata`). Returns False (and
        shows nothing) when there are none or they do not fit."""
        curves = history_from_metadata(metadata)
        if curves is None:
            self.clear()
            return False
        history, per_epoch = curves

        def column(values: list[Any]) -> np.ndarray:
            return np.array([np.nan if v is None else float(v) for v in values], np.float64)

        try:
            steps = column(history.batch_step)
            losses = column(history.batch_loss)
            epochs = [int(e) for e in history.epoch]
            train = column(history.train_accuracy)
            val_loss = column(history.validation_loss)
            val_acc = column(history.validation_accuracy)
            test = column(history.test_accuracy)
        except (TypeError, ValueError):
            self.clear()
            return False
        self.clear(per_epoch, validation=bool(np.isfinite(val_acc).any()))
        b = BatchDone(0, 0, per_epoch, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
        self.on_batch_done(BatchProgress(b, steps, losses))

        def at(values: np.ndarray, i: int) -> float | None:
            return float(values[i]) if i < len(values) and np.isfinite(values[i]) else None

        for i, epoch in enumerate(epochs):
            self.on_epoch_done(
                EpochDone(
                    epoch - 1,
                    len(epochs),
                    float("nan"),
                    at(train, i) or 0.0,
                    at(val_loss, i),
                    at(val_acc, i),
                    None,
                    at(test, i),
                    0.0,
                )
            )
        return True

    def on_started(self, event: Started) -> None:
        self.clear(event.batches_per_epoch, validation=event.validation_size > 0)

    def on_batch_done(self, progress: BatchProgress) -> None:
        losses = np.asarray(progress.losses, dtype=np.float64)
        finite = np.isfinite(losses) & (losses > 0)
        steps = np.asarray(progress.steps, dtype=np.float64)[finite]
        losses = losses[finite]
        if not len(losses):
            return
        smooth = np.empty_like(losses)
        for i, loss in enumerate(losses):
            # Started at the first loss, so the curve is not dragged towards 0 at the start.
            ema = loss if self._ema is None else (1 - SMOOTHING) * self._ema + SMOOTHING * loss
            self._ema = smooth[i] = ema
        self._x.extend(steps / self._batches_per_epoch)
        self._loss.extend(losses)
        self._smooth.extend(smooth)
        self._dirty = True

    def on_epoch_done(self, event: EpochDone) -> None:
        x = event.epoch + 1.0
        self._epoch.extend([x])
        self._train_acc.extend([100.0 * event.train_accuracy])
        if event.validation_loss is not None and event.validation_accuracy is not None:
            self._val_epoch.extend([x])
            self._val_loss.extend([max(event.validation_loss, 1e-6)])
            self._val_acc.extend([100.0 * event.validation_accuracy])
        if event.test_accuracy is not None:
            self._test_epoch.extend([x])
            self._test_acc.extend([100.0 * event.test_accuracy])
        self._dirty = True

    # -- drawing -------------------------------------------------------------------------
    def redraw(self) -> None:
        """Hand the buffers to the curves (the timer calls this; tests may too)."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        self._set_curves()

    def _set_curves(self) -> None:
        self.raw_loss_curve.setData(self._x.data, self._loss.data)
        self.smooth_loss_curve.setData(self._x.data, self._smooth.data)
        self.validation_loss_curve.setData(self._val_epoch.data, self._val_loss.data)
        self.train_accuracy_curve.setData(self._epoch.data, self._train_acc.data)
        self.validation_accuracy_curve.setData(self._val_epoch.data, self._val_acc.data)
        self.test_accuracy_curve.setData(self._test_epoch.data, self._test_acc.data)
        accuracies = np.concatenate([self._train_acc.data, self._val_acc.data, self._test_acc.data])
        if len(accuracies):
            low = float(min(accuracies.min(), 90.0))
            self.accuracy_plot.setYRange(max(0.0, np.floor(low / 5) * 5), 100, padding=0.02)

    def batch_points(self) -> int:
        """Batches plotted so far."""
        return self._x.n

    def epoch_points(self) -> int:
        return self._epoch.n
