"""Why it learns (or does not): each layer's gradient norm and update/weight ratio (log
scales), the share of dead ReLUs, and the weights against the weights the run started from.

The trainer measures (``TrainConfig(diagnostics=True)``): :class:`~handwrite.trainer.LayerStats`
about ten times a second, each with every measured step since the last, and
:class:`~handwrite.trainer.WeightHistograms` with each snapshot. Here they only go into
buffers; the curves are made once per run (one per layer) and a ``REDRAW_MS`` GUI timer hands
the buffers to them with ``setData``, and only while the view is shown: a hidden tab costs
nothing and catches up when it is shown.

Repainting the plots' axes (their tick labels) is most of what a frame costs, so the axes
move as little as they can: the step axes span the whole run from its start (its number of
steps is known), the log axes grow by whole decades when a value falls outside them, and the
histogram is set again only when new weights or another layer come.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handwrite import translatable
from handwrite.gui import explanations
from handwrite.gui.training.plot import LogAxis
from handwrite.gui.training.runs import Buffer
from handwrite.nn.layers import LAYER_TYPES
from handwrite.trainer import LayerStats, Started, WeightHistograms

REDRAW_MS = 200
#: The first/last gradient ratio is the median over this many of the latest measured steps.
RATIO_STEPS = 50
#: An update/weight ratio about this large is a healthy step (Karpathy's rule of thumb).
HEALTHY_UPDATE = 1e-3
#: A colour per layer, from the input (dark blue) to the output (red).
LAYER_COLOURS = (
    (49, 54, 149),
    (69, 117, 180),
    (116, 173, 209),
    (102, 189, 99),
    (254, 224, 144),
    (253, 174, 97),
    (244, 109, 67),
    (215, 48, 39),
    (165, 0, 38),
)


def layer_colour(position: int, count: int) -> tuple[int, int, int]:
    """The colour of the ``position``-th of ``count`` layers: the first dark blue, the last
    red, the others between."""
    if count <= 1:
        return LAYER_COLOURS[0]
    k = round(position * (len(LAYER_COLOURS) - 1) / (count - 1))
    return LAYER_COLOURS[k]


def layer_label(index: int, spec: dict[str, Any]) -> str:
    """ "1: Fully connected", "3: Convolution 5×5": the layer's position and its own name
    (:attr:`handwrite.nn.layers.Layer.title`), in the language shown."""
    cls = LAYER_TYPES.get(spec.get("type"))
    if cls is None:
        return str(index)
    title = QCoreApplication.translate(translatable.LAYERS, cls.title)
    try:
        title = title.format(**{k: v for k, v in spec.items() if k != "type"})
    except (KeyError, IndexError, ValueError):
        pass
    return f"{index}: {title}"


class DiagnosticsView(QWidget):
    """Four plots of one run's layers: gradient norms, update/weight ratios, dead ReLUs and
    a weight histogram (the layer chosen in ``layer_combo``; the initial weights as a faint
    outline). Slots: :meth:`on_started` (or :meth:`reset` for an experiment's variant),
    :meth:`on_layer_stats`, :meth:`on_weight_histograms`.

    ``gradient_curves``, ``update_curves`` (by layer index) and ``dead_curves`` (by ReLU
    layer index) are the curves; ``ratio_label`` says how much smaller the first layer's
    gradient is than the last's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnostics_view")
        background = self.palette().base().color()
        self._foreground = foreground = self.palette().text().color()
        self.subject_label = QLabel(
            self.tr("Train with “Measure each layer” on to see inside each layer here.")
        )
        self.subject_label.setWordWrap(True)
        self.ratio_label = QLabel()
        self.ratio_label.setObjectName("gradient_ratio")
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip(self.tr("The layer whose weights the histogram shows"))
        self.layer_combo.currentIndexChanged.connect(self._on_layer_chosen)
        helps = QHBoxLayout()
        helps.setContentsMargins(0, 0, 0, 0)
        for text, explanation in (
            (self.tr("Gradients"), explanations.vanishing_gradient()),
            (self.tr("Updates"), explanations.update_ratio()),
            (self.tr("Dead units"), explanations.dead_units()),
            (self.tr("Weights"), explanations.weight_histograms()),
        ):
            helps.addWidget(QLabel(text))
            helps.addWidget(explanations.help_button(explanation))
            helps.addSpacing(6)
        helps.addStretch(1)
        helps.addWidget(QLabel(self.tr("Weights of")))
        helps.addWidget(self.layer_combo)

        self._view = pg.GraphicsLayoutWidget()
        self._view.setBackground(background)
        self._view.setMinimumHeight(260)
        self.gradient_plot = self._view.addPlot(
            row=0, col=0, axisItems={"left": LogAxis(orientation="left")}
        )
        self.update_plot = self._view.addPlot(
            row=0, col=1, axisItems={"left": LogAxis(orientation="left")}
        )
        self.dead_plot = self._view.addPlot(row=1, col=0)
        self.histogram_plot = self._view.addPlot(row=1, col=1)
        for plot, title, x in (
            (self.gradient_plot, self.tr("Gradient norm ‖∂E/∂w‖ per layer"), self.tr("step")),
            (self.update_plot, self.tr("Update / weight ‖Δw‖/‖w‖"), self.tr("step")),
            (self.dead_plot, self.tr("Dead ReLUs (%)"), self.tr("step")),
            (self.histogram_plot, self.tr("Weights: now and at the start"), self.tr("weight")),
        ):
            plot.setTitle(title, color=foreground)
            plot.showGrid(x=False, y=True, alpha=0.12)
            plot.setLabel("bottom", x, color=foreground)
            plot.setMenuEnabled(False)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(foreground)
                plot.getAxis(axis).setPen(pg.mkPen(foreground.lighter(150)))
        self.gradient_plot.setLogMode(y=True)
        self.update_plot.setLogMode(y=True)
        self.dead_plot.setYRange(0, 100, padding=0.02)
        self.update_plot.addItem(
            pg.InfiniteLine(
                pos=np.log10(HEALTHY_UPDATE),
                angle=0,
                pen=pg.mkPen((120, 120, 120), width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
            )
        )
        self.gradient_legend = self.gradient_plot.addLegend(
            offset=(-4, 4),
            labelTextColor=foreground,
            labelTextSize="8pt",
            brush=(255, 255, 255, 200),
            colCount=2,
            verSpacing=-6,
        )
        self.gradient_legend.setZValue(100)
        self.histogram_curve = self.histogram_plot.plot(
            stepMode="center",
            fillLevel=0,
            brush=(69, 117, 180, 120),
            pen=pg.mkPen((49, 54, 149), width=1),
        )
        self.initial_curve = self.histogram_plot.plot(
            stepMode="center",
            pen=pg.mkPen((120, 120, 120, 170), width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
        )
        legend = self.histogram_plot.addLegend(
            offset=(-6, 6), labelTextColor=foreground, brush=(255, 255, 255, 220)
        )
        legend.addItem(self.histogram_curve, self.tr("now"))
        legend.addItem(self.initial_curve, self.tr("at the start"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.subject_label)
        layout.addLayout(helps)
        layout.addWidget(self.ratio_label)
        layout.addWidget(self._view, 1)

        self.gradient_curves: dict[int, pg.PlotDataItem] = {}
        self.update_curves: dict[int, pg.PlotDataItem] = {}
        self.dead_curves: dict[int, pg.PlotDataItem] = {}
        self._labels: dict[int, str] = {}
        self._layers: tuple[int, ...] = ()
        self._relu_layers: tuple[int, ...] = ()
        self._steps = Buffer()
        self._gradients: list[Buffer] = []
        self._updates: list[Buffer] = []
        self._dead: list[Buffer] = []
        self._histograms: WeightHistograms | None = None
        self._histogram_drawn = True  # the histogram shown is the latest
        self._decades: dict[Any, tuple[int, int]] = {}  # each log plot's range, in decades
        self._dirty = False
        self.redraw_count = 0
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._on_timer)
        self._timer.start()

    # -- data in -----------------------------------------------------------------------------
    def on_started(self, event: Started) -> None:
        """A run in the window starts: forget the last one's measurements."""
        try:
            network = event.config.network()
        except Exception:  # noqa: BLE001 - a run that cannot be built says so elsewhere
            network = {"layers": []}
        if event.config.diagnostics:
            subject = self.tr("The layers of {0}, as it trains.").format(
                event.config.network_name()
            )
        else:
            subject = self.tr(
                "This run does not measure its layers: switch on “Measure each layer” "
                "(Learning) and start again."
            )
        self.reset(network, subject)
        self.set_steps(event.total_batches)

    def reset(self, network: dict[str, Any], subject: str) -> None:
        """Forget every measurement; the next ones are of ``network`` (its architecture
        JSON), described as ``subject``."""
        specs = network.get("layers", [])
        self._labels = {i: layer_label(i, spec) for i, spec in enumerate(specs)}
        self.subject_label.setText(subject)
        self._clear_curves()
        self._histograms = None
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self.layer_combo.blockSignals(False)
        self.histogram_curve.setData([], [])
        self.initial_curve.setData([], [])
        self.ratio_label.setText("")
        self._decades = {}
        for plot in (self.gradient_plot, self.update_plot):
            plot.enableAutoRange(y=True)
        self.set_steps(None)
        self._dirty = False

    def set_steps(self, total: int | None) -> None:
        """The run's number of steps, the steps axes' span (None: not known, the axes follow
        the steps measured)."""
        for plot in (self.gradient_plot, self.update_plot, self.dead_plot):
            if total:
                plot.setXRange(0, total, padding=0.02)
            else:
                plot.enableAutoRange(x=True)

    def _clear_curves(self) -> None:
        self._layers = ()
        self._relu_layers = ()
        self._steps = Buffer()
        self._gradients, self._updates, self._dead = [], [], []
        for plot, curves in (
            (self.gradient_plot, self.gradient_curves),
            (self.update_plot, self.update_curves),
            (self.dead_plot, self.dead_curves),
        ):
            for curve in curves.values():
                plot.removeItem(curve)
            curves.clear()
        self.gradient_legend.clear()

    def _make_curves(self, stats: LayerStats) -> None:
        """The run's curves, made once: one per layer with parameters, one per ReLU."""
        self._layers, self._relu_layers = stats.layers, stats.relu_layers
        count = len(stats.layers)
        for position, index in enumerate(stats.layers):
            colour = layer_colour(position, count)
            pen = pg.mkPen(colour, width=1.5)
            gradient = self.gradient_plot.plot(pen=pen)
            update = self.update_plot.plot(pen=pen)
            for curve in (gradient, update):
                curve.setDownsampling(auto=True, method="mean")
                curve.setClipToView(True)
            self.gradient_curves[index] = gradient
            self.update_curves[index] = update
            self.gradient_legend.addItem(gradient, self._labels.get(index, str(index)))
        for position, index in enumerate(stats.relu_layers):
            colour = layer_colour(position, len(stats.relu_layers))
            curve = self.dead_plot.plot(pen=pg.mkPen(colour, width=1.5))
            curve.setDownsampling(auto=True, method="mean")
            self.dead_curves[index] = curve
        self.dead_plot.setTitle(
            self.tr("Dead ReLUs (%)")
            if stats.relu_layers
            else self.tr("Dead ReLUs (%): this network has no ReLU"),
            color=self._foreground,
        )
        self._gradients = [Buffer() for _ in stats.layers]
        self._updates = [Buffer() for _ in stats.layers]
        self._dead = [Buffer() for _ in stats.relu_layers]

    def on_layer_stats(self, stats: LayerStats) -> None:
        if not len(stats.steps):
            return
        if stats.layers != self._layers or not self.gradient_curves:
            self._clear_curves()  # the first measurements of this run's network
            self._make_curves(stats)
        self._steps.extend(stats.steps)
        for k in range(len(stats.layers)):
            self._gradients[k].extend(stats.gradient_norm[:, k])
            self._updates[k].extend(stats.update_ratio[:, k])
        for k in range(len(stats.relu_layers)):
            self._dead[k].extend(100.0 * stats.dead_share[:, k])
        self._dirty = True

    def on_weight_histograms(self, histograms: WeightHistograms) -> None:
        self._histograms = histograms
        self._histogram_drawn = False
        if self.layer_combo.count() != len(histograms.layers):
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for index in histograms.layers:
                self.layer_combo.addItem(self._labels.get(index, str(index)), index)
            self.layer_combo.blockSignals(False)
        self._dirty = True

    def _on_layer_chosen(self, _index: int) -> None:
        self._histogram_drawn = False
        self._dirty = True
        self.redraw()

    # -- drawing -----------------------------------------------------------------------------
    def _on_timer(self) -> None:
        if self._dirty and self.isVisible():
            self.redraw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self.redraw)

    def redraw(self) -> None:
        """Hand the buffers to the curves (the timer calls this while shown; tests may)."""
        self._dirty = False
        self.redraw_count += 1
        x = self._steps.data
        for plot, curves, buffers in (
            (self.gradient_plot, self.gradient_curves, self._gradients),
            (self.update_plot, self.update_curves, self._updates),
        ):
            values = [_positive(b.data) for b in buffers]
            for index, y in zip(self._layers, values, strict=True):
                curves[index].setData(x, y)
            self._fit_decades(plot, values)
        for k, index in enumerate(self._relu_layers):
            self.dead_curves[index].setData(x, self._dead[k].data)
        self._show_ratio()
        self._show_histogram()

    def _show_ratio(self) -> None:
        if len(self._layers) < 2 or not self._steps.n:
            self.ratio_label.setText("")
            return
        first = self._gradients[0].data[-RATIO_STEPS:]
        last = self._gradients[-1].data[-RATIO_STEPS:]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = first / last
        ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
        if not ratio.size:
            self.ratio_label.setText("")
            return
        median = float(np.median(ratio))
        if median < 1:
            text = self.tr(
                "The first layer's gradient is {0:,.0f} times smaller than the last layer's "
                "(median of the latest steps)."
            ).format(1 / median)
        else:
            text = self.tr(
                "The first layer's gradient is {0:.2g} times the last layer's (median of the "
                "latest steps)."
            ).format(median)
        self.ratio_label.setText(text)

    def _fit_decades(self, plot: Any, values: list[np.ndarray]) -> None:
        """Show every value of the log plot ``plot``: its range in whole decades, changed
        only when a value falls outside it."""
        finite = [v[np.isfinite(v)] for v in values]
        finite = [v for v in finite if v.size]
        if not finite:
            return
        low = math.floor(math.log10(min(float(v.min()) for v in finite)))
        high = math.ceil(math.log10(max(float(v.max()) for v in finite)))
        high = max(high, low + 1)
        shown = self._decades.get(plot)
        if shown is not None and shown[0] <= low and high <= shown[1]:
            return
        if shown is not None:
            low, high = min(low, shown[0]), max(high, shown[1])
        self._decades[plot] = (low, high)
        plot.enableAutoRange(y=False)
        plot.setYRange(low, high, padding=0.02)

    def _show_histogram(self) -> None:
        h = self._histograms
        index = self.layer_combo.currentData()
        if h is None or index not in h.layers or self._histogram_drawn:
            return
        self._histogram_drawn = True
        k = h.layers.index(index)
        self.histogram_curve.setData(h.edges[k], h.counts[k])
        self.initial_curve.setData(h.edges[k], h.initial[k])

    def gradient_norms(self, layer: int) -> np.ndarray:
        """The gradient norms plotted for ``layer`` (an index into the network's layers)."""
        curve = self.gradient_curves.get(layer)
        return np.zeros(0) if curve is None or curve.yData is None else np.asarray(curve.yData)

    def layers(self) -> tuple[int, ...]:
        """The layers plotted (those with parameters), input first."""
        return self._layers


def _positive(values: np.ndarray) -> np.ndarray:
    """``values`` with zeros and non-finite values as NaN (a log plot leaves them out)."""
    out = np.array(values, dtype=np.float64)
    out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out
