"""Live curves of a training run: loss per batch (raw and smoothed), and per epoch.

As in the pyqtgraph examples, every curve is created once; new points only go into growing
NumPy buffers, and a GUI-thread ``QTimer`` (``REDRAW_MS``) hands the buffers to the curves with
``setData`` when something changed. Nothing is drawn from the worker thread or per batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from handwrite.gui.worker import BatchProgress
from handwrite.trainer import BatchDone, EpochDone, Started

REDRAW_MS = 100
#: Weight of the newest batch in the smoothed loss (an exponential moving average).
SMOOTHING = 0.05

RAW = (47, 111, 214, 70)
SMOOTH = (31, 78, 160)
VALIDATION = (214, 110, 31)
TEST = (42, 150, 90)
TRAIN = (47, 111, 214)


class _Buffer:
    """A growing float64 array with amortised O(1) appends."""

    def __init__(self) -> None:
        self._a = np.empty(1024)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        need = self.n + len(values)
        if need > len(self._a):
            grown = np.empty(max(need, 2 * len(self._a)))
            grown[: self.n] = self._a[: self.n]
            self._a = grown
        self._a[self.n : need] = values
        self.n = need

    def clear(self) -> None:
        self.n = 0

    @property
    def data(self) -> np.ndarray:
        return self._a[: self.n]


class _LogAxis(pg.AxisItem):
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


class TrainingPlot(QWidget):
    """Two plots over the epochs: the loss (log scale) and the accuracy in percent.

    Slots ``on_started``, ``on_batch_done`` and ``on_epoch_done`` take the worker's events.
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
            row=0, col=0, axisItems={"left": _LogAxis(orientation="left")}
        )
        self.accuracy_plot = self._view.addPlot(row=0, col=1)
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
            legend = plot.addLegend(
                offset=legend_offset, labelTextColor=foreground, brush=(255, 255, 255, 245)
            )
            legend.setZValue(100)  # above the curves, which may run under it
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
        self.validation_loss_curve = self.loss_plot.plot(
            pen=pg.mkPen(VALIDATION, width=2),
            symbol="o",
            symbolSize=7,
            symbolBrush=VALIDATION,
            symbolPen=None,
            name=self.tr("validation"),
        )
        self.train_accuracy_curve = self.accuracy_plot.plot(
            pen=pg.mkPen(TRAIN, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            symbol="t",
            symbolSize=7,
            symbolBrush=TRAIN,
            symbolPen=None,
            name=self.tr("training"),
        )
        self.validation_accuracy_curve = self.accuracy_plot.plot(
            pen=pg.mkPen(VALIDATION, width=2),
            symbol="o",
            symbolSize=7,
            symbolBrush=VALIDATION,
            symbolPen=None,
            name=self.tr("validation"),
        )
        self.test_accuracy_curve = self.accuracy_plot.plot(
            pen=pg.mkPen(TEST, width=2),
            symbol="s",
            symbolSize=7,
            symbolBrush=TEST,
            symbolPen=None,
            name=self.tr("test"),
        )

        self._batches_per_epoch = 1
        self._x = _Buffer()
        self._loss = _Buffer()
        self._smooth = _Buffer()
        self._ema: float | None = None
        self._epoch = _Buffer()
        self._val_epoch = _Buffer()
        self._val_loss = _Buffer()
        self._val_acc = _Buffer()
        self._test_epoch = _Buffer()
        self._test_acc = _Buffer()
        self._train_acc = _Buffer()
        self._dirty = False
        self.redraw_count = 0

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    # -- data in -------------------------------------------------------------------------
    def clear(self, batches_per_epoch: int = 1) -> None:
        """Forget every point (a new run begins)."""
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
        self._dirty = True
        # Follow the data again (setting the empty plots' ranges turned auto-range off).
        self.loss_plot.enableAutoRange()
        self.accuracy_plot.enableAutoRange(x=True)

    def show_history(self, history: dict[str, Any]) -> bool:
        """Show the curves of a past run: a model file's ``"history"`` (see
        :class:`~handwrite.gui.worker.RunHistory`), or a checkpoint's history with its
        ``batches_per_epoch``. Returns False (and shows nothing) when it does not fit."""
        try:
            bpe = int(history["batches_per_epoch"])
            steps = np.asarray(history["batch_step"], dtype=np.float64)
            losses = np.asarray(history["batch_loss"], dtype=np.float64)
            epochs = [int(e) for e in history["epoch"]]
            columns = {
                k: [float("nan") if v is None else float(v) for v in history[k]]
                for k in ("train_accuracy", "validation_loss", "validation_accuracy")
            }
            test = [float("nan") if v is None else float(v) for v in history["test_accuracy"]]
        except (KeyError, TypeError, ValueError):
            self.clear()
            return False
        if steps.shape != losses.shape or bpe < 1:
            self.clear()
            return False
        self.clear(bpe)
        b = BatchDone(0, 0, bpe, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
        self.on_batch_done(BatchProgress(b, steps, losses))
        for i, epoch in enumerate(epochs):

            def at(name: str, i: int = i) -> float | None:
                values = columns[name]
                v = values[i] if i < len(values) else float("nan")
                return None if np.isnan(v) else v

            t = test[i] if i < len(test) and not np.isnan(test[i]) else None
            self.on_epoch_done(
                EpochDone(
                    epoch - 1,
                    len(epochs),
                    float("nan"),
                    at("train_accuracy") or 0.0,
                    at("validation_loss"),
                    at("validation_accuracy"),
                    None,
                    t,
                    0.0,
                )
            )
        return True

    def on_started(self, event: Started) -> None:
        self.clear(event.batches_per_epoch)

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
