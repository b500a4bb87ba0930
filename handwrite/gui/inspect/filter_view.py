"""What the first layer has learned: its convolution filters, or an MLP's first weights.

    model_changed (a new model, or a snapshot of the weights while training)
        -> (at most every ``INTERVAL_MS``, while visible) FilterView.refresh -> MosaicView

A convolution filter (out, in, kh, kw) is shown as a small kh x kw image; the first fully
connected layer of an MLP (units, 784) as one 28x28 image per unit (the first ``MAX_UNITS``).
Each is drawn with a diverging colour map centred on 0 (red positive, blue negative) and
scaled to its own largest weight, so that every filter's pattern shows, however small.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handwrite.gui import explanations
from handwrite.gui.inspect.mosaic import MosaicView, Tile, diverging
from handwrite.gui.live_view import LiveView
from handwrite.nn.layers import Layer, LayerKind
from handwrite.nn.model import Model

#: At most this many units of an MLP's first layer are shown.
MAX_UNITS = 100
#: Redraw at most this often while the weights change (training snapshots).
INTERVAL_MS = 250


def first_layer_weights(model: Model) -> tuple[str, np.ndarray] | None:
    """The first layer's weights as images.

    Returns ``("conv", w)`` with w: (out_channels, kh, kw) float32 (a filter's input channels
    averaged when there are several), ``("dense", w)`` with w: (min(units, MAX_UNITS), H, W)
    for a fully connected first layer on the image's pixels, or None when the first layer
    with weights is neither.
    """
    c, h, w = model.input_shape
    layer = next((layer for layer in model.layers if layer.params), None)
    if layer is None:
        return None
    if layer.kind is LayerKind.CONVOLUTION:
        weight = np.asarray(layer.params["weight"].data, dtype=np.float32)
        return "conv", weight.mean(axis=1) if weight.shape[1] > 1 else weight[:, 0]
    if layer.kind is LayerKind.DENSE:
        weight = np.asarray(layer.params["weight"].data, dtype=np.float32)
        if weight.shape[1] != c * h * w or c != 1:
            return None
        return "dense", weight[:MAX_UNITS].reshape(-1, h, w)
    return None


class FilterView(LiveView):
    """The first layer's filters (or weights) as a grid of small images.

    Slot ``on_model_changed(model)``: the model to show (kept by reference; a snapshot
    changes its weights in place and calls the slot again).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("filter_view")
        self._model: Model | None = None
        self._kind: str | None = None
        self._weights: np.ndarray | None = None

        self.title = QLabel(self.tr("First-layer filters"))
        self.title.setObjectName("view_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.help = explanations.help_button(explanations.convolution(), self)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("caption")
        self.mosaic = MosaicView(placeholder=self.tr("No model"), max_tile=96)
        self.mosaic.setMinimumHeight(120)

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.help, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.mosaic, 1)

    def __repr__(self) -> str:
        shape = None if self._weights is None else self._weights.shape
        return f"FilterView(kind={self._kind!r}, weights={shape})"

    def weights(self) -> np.ndarray | None:
        """The weights shown: (K, h, w) float32, or None."""
        return self._weights

    def kind(self) -> str | None:
        """``"conv"``, ``"dense"`` or None (nothing to show)."""
        return self._kind

    def on_model_changed(self, model: Model) -> None:
        self._model = model
        self.request_refresh()

    def refresh(self) -> None:
        model = self._model
        found = first_layer_weights(model) if model is not None else None
        if found is None:
            self._kind = self._weights = None
            self.subtitle.setText(
                self.tr(
                    "This network's first layer is neither a convolution nor a fully "
                    "connected layer on the pixels."
                )
                if model is not None
                else ""
            )
            self.mosaic.set_tiles([])
            return
        kind, weights = found
        self._kind, self._weights = kind, weights
        if kind == "conv":
            k, kh, kw = weights.shape
            self.title.setText(self.tr("First-layer filters"))
            self.subtitle.setText(
                self.tr(
                    "{0} convolution filters of {1}×{2} weights. Red: positive, blue: "
                    "negative; each filter is scaled to its own largest weight."
                ).format(k, kh, kw)
            )
            self.help.setToolTip(explanations.convolution())
            name = self.tr("Filter {0}: weights {1:.3g} … {2:.3g}")
        else:
            units = _first_weighted(model).params["weight"].shape[0]  # type: ignore[union-attr]
            self.title.setText(self.tr("First-layer weights"))
            self.subtitle.setText(
                self.tr(
                    "The 784 weights of each of the first {0} of {1} units as a 28×28 "
                    "image. Red: ink there excites the unit, blue: inhibits it."
                ).format(len(weights), units)
            )
            self.help.setToolTip(explanations.filters_dense())
            name = self.tr("Unit {0}: weights {1:.3g} … {2:.3g}")
        tiles = [
            Tile(diverging(w), tooltip=name.format(i + 1, float(w.min()), float(w.max())))
            for i, w in enumerate(weights)
        ]
        self.mosaic.set_tiles(tiles)


def _first_weighted(model: Model) -> Layer:
    return next(layer for layer in model.layers if layer.params)
