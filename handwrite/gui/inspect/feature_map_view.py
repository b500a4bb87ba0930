"""Feature maps: what each layer makes of the digit on the canvas, channel by channel.

    predictor input_changed (the 28x28 input) / model_changed
        -> (at most every ``INTERVAL_MS``, while visible) Model.trace on the GUI's model copy
        -> the chosen layer's channels in a MosaicView

The layer is picked in a combo box: every layer whose output is a stack of maps (convolution,
activation, pooling, local contrast normalization) and the hidden fully connected layers
(their units shown as one small grid); each layer says whether it is worth showing. For a
normalization layer (local contrast normalization) the view shows its input beside its
output, so the normalization itself can be seen.

One forward pass (``Model.trace``) gives every layer's output; it is kept until the drawing
or the weights change, so choosing another layer costs no recomputation.

Each pixel of a map is a unit of the network: pointing at one says which
(``unit_hovered``), clicking selects it (``unit_selected``), so that the unit view can write
out the arithmetic that produced its value. Units are written as :mod:`handwrite.arithmetic`
has them: ``(layer, channel, y, x)`` on a map, ``(layer, index)`` in a vector.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handwrite.gui import explanations
from handwrite.gui.inspect.mosaic import MosaicView, Tile, as_grid, diverging
from handwrite.gui.live_view import LiveView
from handwrite.nn.layers import Layer, LayerKind
from handwrite.nn.model import Model

#: Recompute at most this often while the pen moves.
INTERVAL_MS = 60


@dataclass(frozen=True)
class LayerChoice:
    """A layer that can be shown: its position in ``model.layers`` and its output shape
    (one sample's: (C, H, W) or (F,))."""

    index: int
    shape: tuple[int, ...]
    layer: Layer


def layer_choices(model: Model) -> list[LayerChoice]:
    """The layers worth showing (``Layer.shows_output``): those with (C, H, W) outputs, and
    the hidden fully connected layers and their activations (not the output layer)."""
    choices = []
    shape = model.input_shape
    last = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        shape = layer.output_shape(shape)
        if not layer.shows_output or i == last:
            continue
        if len(shape) == 3 or (len(shape) == 1 and i < last):
            choices.append(LayerChoice(i, tuple(shape), layer))
    # Activations right after the output layer's Dense make no sense; the output is excluded.
    return choices


def shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 3:
        return f"{shape[0]} × {shape[1]}×{shape[2]}"
    return f"{shape[0]}"


class LayerCombo(QComboBox):
    """A combo box of the layers of a network worth showing (:func:`layer_choices`), each
    written "position. name → output shape"; it keeps the layer chosen across networks that
    have it and otherwise starts at the first convolution."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: list[LayerChoice] = []
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(self.tr("The layer whose output is shown"))

    def fill(self, model: Model) -> None:
        """Offer ``model``'s layers, without emitting ``currentIndexChanged``."""
        previous = self.layer_index()
        self.choices = layer_choices(model)
        self.blockSignals(True)
        self.clear()
        for n, choice in enumerate(self.choices):
            self.addItem(
                self.tr("{0}. {1} → {2}").format(
                    n + 1, explanations.layer_name(choice.layer), shape_text(choice.shape)
                )
            )
        indices = self.layer_indices()
        if previous in indices:
            self.setCurrentIndex(indices.index(previous))
        else:
            first_conv = next(
                (n for n, c in enumerate(self.choices) if c.layer.kind is LayerKind.CONVOLUTION),
                0,
            )
            self.setCurrentIndex(first_conv if self.choices else -1)
        self.blockSignals(False)

    def choice(self) -> LayerChoice | None:
        """The layer shown, or None when the network has none to show."""
        i = self.currentIndex()
        return self.choices[i] if 0 <= i < len(self.choices) else None

    def layer_indices(self) -> list[int]:
        """The positions in ``model.layers`` offered."""
        return [c.index for c in self.choices]

    def layer_index(self) -> int | None:
        """The position in ``model.layers`` of the layer shown."""
        choice = self.choice()
        return None if choice is None else choice.index

    def set_layer(self, index: int) -> None:
        """Show the layer at ``model.layers[index]``; a layer not offered changes nothing."""
        indices = self.layer_indices()
        if index in indices:
            self.setCurrentIndex(indices.index(index))


class FeatureMapView(LiveView):
    """The channels of a chosen layer's output for the current drawing.

    Slots: ``on_model_changed(model)``, ``on_input_changed(x)`` (the predictor's (28, 28)
    float32 input, or None). Signals: ``unit_hovered(object)`` (the unit under the pointer,
    None when it leaves the maps), ``unit_selected(object)`` (the unit clicked; None when
    another layer or network is chosen, or the selected unit is clicked again),
    ``layer_chosen(int)`` (the position in ``model.layers`` of the layer shown).
    """

    unit_hovered = Signal(object)
    unit_selected = Signal(object)
    layer_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("feature_map_view")
        self._model: Model | None = None
        self._architecture: str | None = None
        self._x: np.ndarray | None = None
        self._trace: list[np.ndarray] | None = None
        self._trace_stale = True
        self._maps: np.ndarray | None = None
        self._before: np.ndarray | None = None
        self._selected: tuple[int, ...] | None = None

        title = QLabel(self.tr("Feature maps"))
        title.setStyleSheet("font-weight: bold;")
        self.layer_combo = LayerCombo()
        self.layer_combo.currentIndexChanged.connect(self._on_layer_chosen)
        self.help = explanations.help_button(explanations.convolution(), self)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addWidget(self.layer_combo, 1)
        head.addWidget(self.help, 0, Qt.AlignmentFlag.AlignVCenter)

        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("caption")

        placeholder = self.tr("Draw a digit to see how each layer responds to it")
        self.before_caption = QLabel(self.tr("Input of the normalization"))
        self.before_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.before_mosaic = MosaicView(placeholder=placeholder, max_tile=120, track_pixels=True)
        self.after_caption = QLabel(self.tr("After the normalization"))
        self.after_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.mosaic = MosaicView(placeholder=placeholder, max_tile=120, track_pixels=True)
        self.mosaic.setToolTip(self.tr("Point at a unit to see its arithmetic; click to keep it"))
        for mosaic, before in ((self.mosaic, False), (self.before_mosaic, True)):
            mosaic.pixel_hovered.connect(
                lambda pixel, b=before: self.unit_hovered.emit(self.unit_at(pixel, before=b))
            )
            mosaic.pixel_clicked.connect(
                lambda pixel, b=before: self._on_unit_clicked(self.unit_at(pixel, before=b))
            )
        before = QVBoxLayout()
        before.addWidget(self.before_caption)
        before.addWidget(self.before_mosaic, 1)
        after = QVBoxLayout()
        after.addWidget(self.after_caption)
        after.addWidget(self.mosaic, 1)
        self._before_box = QWidget()
        self._before_box.setLayout(before)
        before.setContentsMargins(0, 0, 0, 0)
        after.setContentsMargins(0, 0, 0, 0)
        maps = QHBoxLayout()
        maps.setContentsMargins(0, 0, 0, 0)
        maps.addWidget(self._before_box, 1)
        maps.addLayout(after, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.subtitle)
        layout.addLayout(maps, 1)
        self._show_before(False)

    def __repr__(self) -> str:
        shape = None if self._maps is None else self._maps.shape
        return f"FeatureMapView(layer={self.layer_index()}, maps={shape})"

    # -- what is shown -------------------------------------------------------------------
    def maps(self) -> np.ndarray | None:
        """The chosen layer's output for the drawing: (C, H, W) float32 ((1, rows, cols)
        for a fully connected layer's units), or None."""
        return self._maps

    def before_maps(self) -> np.ndarray | None:
        """The input of a normalization layer when it is chosen, else None."""
        return self._before

    def layer_indices(self) -> list[int]:
        """The positions in ``model.layers`` offered in the combo box."""
        return self.layer_combo.layer_indices()

    def layer_index(self) -> int | None:
        """The position in ``model.layers`` of the layer shown."""
        return self.layer_combo.layer_index()

    def set_layer(self, index: int) -> None:
        """Show the layer at ``model.layers[index]`` (one of :meth:`layer_indices`)."""
        self.layer_combo.set_layer(index)

    # -- units ---------------------------------------------------------------------------
    def unit_at(
        self, pixel: tuple[int, int, int] | None, before: bool = False
    ) -> tuple[int, ...] | None:
        """The unit shown at ``pixel`` ``(tile, row, col)`` of the maps (``before``: of the
        normalization's input), or None (no unit there, or the input image itself)."""
        choice = self.layer_combo.choice()
        if pixel is None or choice is None:
            return None
        layer = choice.index - 1 if before else choice.index
        if layer < 0:
            return None
        tile, row, col = pixel
        maps = self._before if before else self._maps
        if maps is None:
            return None
        if len(choice.shape) == 1 and not before:  # a vector shown as one grid
            unit = row * maps.shape[2] + col
            return (layer, unit) if unit < choice.shape[0] else None
        return (layer, tile, row, col)

    def selected_unit(self) -> tuple[int, ...] | None:
        return self._selected

    def select_unit(self, unit: tuple[int, ...] | None) -> None:
        """Select ``unit`` (of the layer shown or of the normalization's input), as a click
        does; emits ``unit_selected``."""
        self._selected = None if unit is None else tuple(int(u) for u in unit)
        self._mark_selected()
        self.unit_selected.emit(self._selected)

    def _on_unit_clicked(self, unit: tuple[int, ...] | None) -> None:
        if unit is not None:
            self.select_unit(None if unit == self._selected else unit)

    def _mark_selected(self) -> None:
        """Outline the selected unit where it is shown."""
        unit, shown = self._selected, self.layer_index()
        after = before = None
        if unit is not None and shown is not None and self._maps is not None:
            if unit[0] == shown and len(unit) == 4:
                after = (unit[1], unit[2], unit[3])
            elif unit[0] == shown and len(unit) == 2:
                cols = self._maps.shape[2]
                after = (0, unit[1] // cols, unit[1] % cols)
            elif unit[0] == shown - 1 and len(unit) == 4 and self._before is not None:
                before = (unit[1], unit[2], unit[3])
        self.mosaic.set_marked_pixel(after)
        self.before_mosaic.set_marked_pixel(before)

    # -- slots ---------------------------------------------------------------------------
    def on_model_changed(self, model: Model) -> None:
        self._model = model
        architecture = json.dumps(model.architecture()["layers"])
        if architecture != self._architecture:
            self._architecture = architecture
            self.layer_combo.fill(model)
            if self._selected is not None:
                self.select_unit(None)
            index = self.layer_index()
            if index is not None:
                self.layer_chosen.emit(index)
        self._trace_stale = True
        self.request_refresh()

    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._x = None if x is None else np.asarray(x, dtype=np.float32)
        self._trace_stale = True
        self.request_refresh()

    def _on_layer_chosen(self, _index: int) -> None:
        if self._selected is not None:
            self.select_unit(None)
        index = self.layer_index()
        if index is not None:
            self.layer_chosen.emit(index)
        if self._model is not None:
            self.refresh_now()

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        model, x = self._model, self._x
        choice = self.layer_combo.choice()
        if model is None or choice is None:
            self._set_maps(None, None, None)
            self.subtitle.setText(self.tr("This network has no layers to show here."))
            return
        self.help.setToolTip(explanations.layer_explanation(choice.layer))
        # a normalization is best seen beside its input
        normalization = choice.layer.kind is LayerKind.NORMALIZATION
        self._show_before(normalization)
        if x is None:
            self._trace = None
            self._set_maps(None, None, choice)
            return
        if self._trace is None or self._trace_stale:
            self._trace = [np.asarray(y[0]) for y in model.trace(x[None, None])]
            self._trace_stale = False
        maps = self._trace[choice.index]
        before = None
        if normalization:
            before = self._trace[choice.index - 1] if choice.index > 0 else x[None]
        self._set_maps(maps, before, choice)

    def _show_before(self, show: bool) -> None:
        self._before_box.setVisible(show)
        self.after_caption.setVisible(show)

    def _set_maps(
        self, maps: np.ndarray | None, before: np.ndarray | None, choice: LayerChoice | None
    ) -> None:
        if maps is not None and maps.ndim == 1:
            maps = as_grid(maps)[None]
        self._maps = None if maps is None else maps.astype(np.float32, copy=False)
        self._before = None if before is None else before.astype(np.float32, copy=False)
        self.mosaic.set_tiles(self._tiles(self._maps))
        self.before_mosaic.set_tiles(self._tiles(self._before))
        self._mark_selected()
        if choice is None:
            self.subtitle.setText("")
        elif self._maps is None:
            self.subtitle.setText(self._describe(choice, None))
        else:
            self.subtitle.setText(self._describe(choice, float(np.abs(self._maps).max())))

    def _tiles(self, maps: np.ndarray | None) -> list[Tile]:
        if maps is None:
            return []
        scale = float(np.abs(maps).max())
        text = self.tr("Channel {0}: {1:.3g} … {2:.3g}")
        return [
            Tile(diverging(m, scale), tooltip=text.format(c + 1, float(m.min()), float(m.max())))
            for c, m in enumerate(maps)
        ]

    def _describe(self, choice: LayerChoice, scale: float | None) -> str:
        if len(choice.shape) == 1:
            what = self.tr("The {0} units of this layer, as a grid.").format(choice.shape[0])
        else:
            what = self.tr("{0} channels of {1}×{2}.").format(*choice.shape)
        if scale is None:
            return what
        return self.tr(
            "{0} Red: positive, blue: negative, white: 0 (full colour at ±{1:.3g})."
        ).format(what, scale)
