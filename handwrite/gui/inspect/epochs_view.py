"""The drawing through the epochs of the run: what the network made of it after each one.

    document epochs_changed (the weights at the end of each epoch of the run in this window)
    predictor input_changed (the 28x28 input)
        -> (at most every ``INTERVAL_MS``, while visible) a scratch copy of the model loads
           each epoch's weights: the drawing's probabilities after every epoch (a curve per
           digit), and at the epoch the slider picks, its probabilities (bars), its saliency
           and the chosen layer's feature maps

So a person sees when the network learned their digit, and how its filters' answers
changed on the way. The probabilities of every epoch are computed once per drawing (one
forward pass an epoch); moving the slider recomputes only the saliency and the maps of the
epoch it stops at. Model files keep only the final weights, so a model opened from a file
has no epochs to show, and the view says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui import explanations, formatting
from handwrite.gui.document import EpochWeights
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.feature_map_view import LayerCombo
from handwrite.gui.inspect.map_view import COLORS
from handwrite.gui.inspect.mosaic import MosaicView, Tile, as_grid, diverging
from handwrite.gui.inspect.plot_style import plain_axes, styled_plot
from handwrite.gui.inspect.saliency_view import saliency_overlay
from handwrite.gui.live_view import LiveView
from handwrite.nn.model import Model

#: Recompute at most this often while the pen moves or the slider slides.
INTERVAL_MS = 80
#: Feature maps are shown at most this large.
MAX_TILE = 90


class EpochsView(LiveView):
    """The drawing's probabilities, saliency and feature maps after each epoch of the run.

    Slots: ``on_model_changed(model)``, ``on_input_changed(x)`` ((28, 28) float32 or None),
    ``on_epochs_changed(epochs)`` (the document's :class:`EpochWeights`, oldest first),
    ``set_layer(index)`` (show the layer at ``model.layers[index]``, as the feature maps do).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("epochs_view")
        self._model: Model | None = None
        self._scratch: Model | None = None
        self._architecture: str | None = None
        self._x: np.ndarray | None = None
        self._epochs: tuple[EpochWeights, ...] = ()
        self._all_probabilities: np.ndarray | None = None  # (E, classes) for the drawing
        self._saliency: np.ndarray | None = None
        self._maps: np.ndarray | None = None

        self.help = explanations.help_button(explanations.across_epochs(), self)
        head = heading_row(self.tr("Your drawing across the epochs"), self.help)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(self.tr("The epoch whose weights are shown"))
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.epoch_label = QLabel()
        self.epoch_label.setMinimumWidth(160)
        slider_row = QHBoxLayout()
        slider_row.setContentsMargins(0, 0, 0, 0)
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.epoch_label)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("caption")

        background = self.palette().base().color()
        foreground = self.palette().text().color()
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(background)
        self.plots.setMinimumHeight(170)
        self.bars_plot = self.plots.addPlot(row=0, col=0, axisItems=plain_axes())
        self.curves_plot = self.plots.addPlot(row=0, col=1, axisItems=plain_axes())
        self.plots.ci.layout.setColumnStretchFactor(0, 2)
        self.plots.ci.layout.setColumnStretchFactor(1, 3)
        for plot, text in (
            (self.bars_plot, self.tr("Probabilities at this epoch")),
            (self.curves_plot, self.tr("Probability of each digit, epoch by epoch")),
        ):
            styled_plot(plot, foreground, text)
            plot.setMouseEnabled(x=False, y=False)
            plot.setYRange(0, 1, padding=0.02)
        self.curves_plot.setLabel("bottom", self.tr("epoch"), color=foreground)
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7)
        self.bars_plot.addItem(self.bars)
        self.bars_plot.setXRange(-0.6, 9.6, padding=0)
        self.curves: list[pg.PlotDataItem] = []
        self.epoch_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(foreground, width=1))
        self.curves_plot.addItem(self.epoch_line)

        self.saliency_mosaic = MosaicView(
            placeholder=self.tr("Draw a digit to see it through the epochs"), max_tile=150
        )
        self.layer_combo = LayerCombo()
        self.layer_combo.currentIndexChanged.connect(lambda _i: self.request_refresh())
        self.maps_mosaic = MosaicView(max_tile=MAX_TILE)
        maps_head = QHBoxLayout()
        maps_head.setContentsMargins(0, 0, 0, 0)
        maps_head.addWidget(QLabel(self.tr("Feature maps of")))
        maps_head.addWidget(self.layer_combo, 1)
        maps = QVBoxLayout()
        maps.setContentsMargins(0, 0, 0, 0)
        maps.addLayout(maps_head)
        maps.addWidget(self.maps_mosaic, 1)
        lower = QHBoxLayout()
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.saliency_mosaic, 2)
        lower.addLayout(maps, 3)
        # what is shown for a drawing, hidden while there are no epochs
        self._content = QWidget()
        content = QVBoxLayout(self._content)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.plots, 2)
        content.addLayout(lower, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(slider_row)
        layout.addWidget(self.notice)
        layout.addWidget(self._content, 1)
        layout.addStretch(1)
        self._show_epochs_state()

    def __repr__(self) -> str:
        return f"EpochsView(epochs={len(self._epochs)}, shown={self.epoch()})"

    # -- what is shown -------------------------------------------------------------------
    def epochs(self) -> tuple[EpochWeights, ...]:
        return self._epochs

    def epoch(self) -> int | None:
        """The epoch shown (its number: 1 after the first epoch), or None."""
        if not self._epochs:
            return None
        return self._epochs[self.slider.value()].epoch

    def set_epoch(self, epoch: int) -> None:
        """Show the weights after epoch ``epoch`` (one of :meth:`epochs`' numbers)."""
        numbers = [e.epoch for e in self._epochs]
        self.slider.setValue(numbers.index(epoch))

    def probabilities(self) -> np.ndarray | None:
        """The drawing's probabilities after the epoch shown, (classes,) float32, or None."""
        if self._all_probabilities is None or not self._epochs:
            return None
        return self._all_probabilities[self.slider.value()].copy()

    def all_probabilities(self) -> np.ndarray | None:
        """The drawing's probabilities after every epoch, (epochs, classes) float32."""
        return None if self._all_probabilities is None else self._all_probabilities.copy()

    def saliency(self) -> np.ndarray | None:
        return self._saliency

    def maps(self) -> np.ndarray | None:
        """The chosen layer's output at the epoch shown ((C, H, W); a vector as one grid)."""
        return self._maps

    def layer_index(self) -> int | None:
        """The position in ``model.layers`` of the layer whose maps are shown."""
        return self.layer_combo.layer_index()

    def set_layer(self, index: int) -> None:
        """Show ``model.layers[index]``'s maps, when that layer is offered."""
        self.layer_combo.set_layer(index)

    # -- slots ---------------------------------------------------------------------------
    def on_model_changed(self, model: Model) -> None:
        self._model = model
        architecture = json.dumps(model.architecture()["layers"])
        if architecture != self._architecture:
            self._architecture = architecture
            self._scratch = model.copy(device="cpu").eval()
            self.layer_combo.fill(model)
            self._make_curves(len(model.answer_classes))
            self._all_probabilities = None
            self.request_refresh()

    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._x = None if x is None else np.asarray(x, dtype=np.float32)
        self._all_probabilities = None
        self.request_refresh()

    def on_epochs_changed(self, epochs: Sequence[EpochWeights]) -> None:
        at_end = not self._epochs or self.slider.value() == len(self._epochs) - 1
        self._epochs = tuple(epochs)
        self._all_probabilities = None
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(self._epochs) - 1))
        if at_end:  # follow the run while it adds epochs
            self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        self._show_epochs_state()
        self.request_refresh()

    def _on_slider_moved(self, _value: int) -> None:
        self._show_epochs_state()
        self.request_refresh()

    def _make_curves(self, classes: int) -> None:
        for curve in self.curves:
            self.curves_plot.removeItem(curve)
        self.curves = []
        for k in range(classes):
            color = COLORS[k % len(COLORS)]
            self.curves.append(
                self.curves_plot.plot(
                    pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5, symbolBrush=color
                )
            )
        self.bars_plot.removeItem(self.bars)
        self.bars = pg.BarGraphItem(
            x=np.arange(classes),
            height=np.zeros(classes),
            width=0.7,
            brushes=[pg.mkBrush(*COLORS[k % len(COLORS)]) for k in range(classes)],
            pen=None,
        )
        self.bars_plot.addItem(self.bars)
        self.bars_plot.setXRange(-0.6, classes - 0.4, padding=0)
        axis = self.bars_plot.getAxis("bottom")
        axis.setTicks([[(k, str(k)) for k in range(classes)]])

    def _show_epochs_state(self) -> None:
        """The slider, its label and the notice, for the epochs there are."""
        n = len(self._epochs)
        self.slider.setEnabled(n > 1)
        self._content.setVisible(n > 0)
        layout = self.layout()
        layout.setStretch(layout.count() - 1, 0 if n else 1)
        if not n:
            self.epoch_label.setText("")
            self.notice.setText(
                self.tr(
                    "No epochs to show. The weights of each epoch are kept for a network "
                    "trained in this window; a model file holds only its final weights. "
                    "Train a network (Training tab) to follow your drawing through its epochs."
                )
            )
            self.notice.setVisible(True)
            return
        self.notice.setVisible(False)
        epoch = self._epochs[self.slider.value()]
        text = self.tr("after epoch {0} of {1}").format(epoch.epoch, self._epochs[-1].epoch)
        if epoch.test_accuracy is not None:
            text = self.tr("{0}: test accuracy {1}").format(
                text, formatting.percent(epoch.test_accuracy)
            )
        self.epoch_label.setText(text)

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        scratch, x = self._scratch, self._x
        if scratch is None or x is None or not self._epochs:
            self._all_probabilities = self._saliency = self._maps = None
            self._show([], None)
            return
        if self._all_probabilities is None:
            # The weights change by epoch; the temperature is the model's on show.
            scratch.refusal = self._model.refusal if self._model is not None else None
            rows = []
            for weights in self._epochs:
                scratch.load_state_dict(weights.state)
                rows.append(scratch.predict_proba(x)[0])
            self._all_probabilities = np.stack(rows).astype(np.float32)
        index = self.slider.value()
        scratch.load_state_dict(self._epochs[index].state)
        p = self._all_probabilities[index]
        c = int(np.argmax(p))
        s = np.asarray(scratch.input_gradient(x[None, None], [c])[0, 0], np.float32)
        self._saliency = s
        name = scratch.classes[c]
        tiles = [
            Tile(
                saliency_overlay(x, s),
                self.tr("saliency of “{0}” ({1})").format(
                    name, formatting.probability(float(p[c]))
                ),
                self.tr("Red: more ink here would make “{0}” more likely; blue: less").format(name),
            )
        ]
        self._maps = None
        choice = self.layer_combo.choice()
        if choice is not None:
            outputs = scratch.trace(x[None, None])
            maps = np.asarray(outputs[choice.index][0], np.float32)
            self._maps = as_grid(maps)[None] if maps.ndim == 1 else maps
        self._show(tiles, p)

    def _show(self, saliency_tiles: list[Tile], p: np.ndarray | None) -> None:
        self.saliency_mosaic.set_tiles(saliency_tiles)
        maps = self._maps
        if maps is None:
            self.maps_mosaic.set_tiles([])
        else:
            scale = float(np.abs(maps).max())
            text = self.tr("Channel {0}: {1:.3g} … {2:.3g}")
            self.maps_mosaic.set_tiles(
                [
                    Tile(
                        diverging(m, scale),
                        tooltip=text.format(k + 1, float(m.min()), float(m.max())),
                    )
                    for k, m in enumerate(maps)
                ]
            )
        classes = len(self.curves)
        self.bars.setOpts(height=np.zeros(classes) if p is None else p)
        everything = self._all_probabilities
        numbers = np.array([e.epoch for e in self._epochs], np.float64)
        for k, curve in enumerate(self.curves):
            if everything is None:
                curve.setData([], [])
            else:
                curve.setData(numbers, everything[:, k])
        if self._epochs:
            # whole epochs only (pyqtgraph would put ticks at 1.5 and 2.5 too)
            step = max(1, len(numbers) // 10)
            ticks = [(float(e), str(int(e))) for e in numbers[::step]]
            self.curves_plot.getAxis("bottom").setTicks([ticks])
            self.epoch_line.setValue(float(self._epochs[self.slider.value()].epoch))
            self.curves_plot.setXRange(
                float(numbers[0]) - 0.3, float(max(numbers[-1], numbers[0] + 1)) + 0.3, padding=0
            )
        self.epoch_line.setVisible(bool(self._epochs) and everything is not None)
