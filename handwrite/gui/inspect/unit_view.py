"""One unit's arithmetic, written out with the numbers of the digit on the canvas.

    FeatureMapView unit_hovered / unit_selected: a unit, (layer, channel, y, x) or (layer, i)
    predictor input_changed (the 28x28 input), document model_changed
        -> (at most every ``INTERVAL_MS``, while visible) arithmetic.trace_image once per
           drawing and weights, arithmetic.explain_unit for the unit
        -> its receptive field on the 28x28 input and on the drawing (canvas_map), and each
           step as the lecture writes it: input patch ⊙ kernel = products, Σ + b = u,
           f(u) = z; a pooling window and its maximum or mean; the local mean, σ and divisor
           of a local contrast normalization

Every number is the network's own: :mod:`handwrite.arithmetic` recomputes them from the
layer's input (one traced forward pass) and its parameters, and its tests hold each value
against the forward pass. A unit that only passes a value on (an activation after a pooling,
the winner of a max pooling) is shown with the unit it takes the value from, down to the one
that computed it (:func:`arithmetic_chain`), so a click on a ReLU after a max pooling shows
the convolution, the pooling and the ReLU.

Pointing at a unit shows it; clicking keeps it shown while the pointer moves on (the
:class:`~handwrite.gui.inspect.feature_map_view.FeatureMapView` sends both).
``canvas_field_changed`` tells the window where the receptive field lies on the canvas, to
outline it there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from handwrite.arithmetic import (
    ActivationArithmetic,
    ConvArithmetic,
    DenseArithmetic,
    LcnArithmetic,
    PassThroughArithmetic,
    PoolArithmetic,
    UnitArithmetic,
    explain_unit,
    trace_image,
)
from handwrite.canvas_map import canvas_map
from handwrite.gui import explanations
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.mosaic import MosaicView, Tile, as_grid, ink, paper
from handwrite.gui.inspect.number_grid import NumberGrid
from handwrite.gui.inspect.preprocess_view import shrink
from handwrite.gui.live_view import LiveView
from handwrite.nn.model import Model
from handwrite.preprocess import PreprocessSteps

#: Recompute at most this often while the pointer moves over the maps.
INTERVAL_MS = 60
#: The drawing is shown at most this many pixels wide.
DISPLAY_SIDE = 200
#: A chain of units that pass a value on is followed at most this far.
CHAIN_LIMIT = 4
#: The largest products of a fully connected unit that are named.
TOP_PRODUCTS = 6

Unit = tuple[int, ...]


def _source(step: UnitArithmetic) -> Unit | None:
    """The unit ``step``'s value is taken from, when it only passes one on, else None."""
    if isinstance(step, ActivationArithmetic):
        return (step.input_layer, *step.unit)
    if isinstance(step, PassThroughArithmetic):
        return step.source
    if isinstance(step, PoolArithmetic) and step.winner is not None:
        top, left, _, _ = step.input_box
        return (step.input_layer, step.unit[0], top + step.winner[0], left + step.winner[1])
    return None


def arithmetic_chain(
    model: Model, image: np.ndarray, unit: Sequence[int], outputs: Sequence[np.ndarray]
) -> list[UnitArithmetic]:
    """The steps that produced ``unit``'s value for ``image``, in the order the network
    computed them, ending with ``unit`` itself.

    Before a unit that only passes a value on (an activation, a flatten, a dropout, a max
    pooling's winner) comes the unit it takes it from, until a unit that computes (a
    convolution, a fully connected unit, a mean, a normalization) or the image; at most
    ``CHAIN_LIMIT`` steps. A convolution or fully connected unit followed directly by its
    activation carries it (``activation``), so that activation is not listed again.
    ``outputs``: :func:`handwrite.arithmetic.trace_image` of ``model`` and ``image``.
    """
    steps = [explain_unit(model, image, unit, outputs=outputs)]
    while len(steps) < CHAIN_LIMIT:
        source = _source(steps[-1])
        if source is None or source[0] < 0:
            break
        before = explain_unit(model, image, source, outputs=outputs)
        if (
            isinstance(before, (ConvArithmetic, DenseArithmetic))
            and before.activation is not None
            and before.activation.layer == steps[-1].layer
        ):
            steps[-1] = before  # the activation comes with its convolution
            break
        steps.append(before)
    return steps[::-1]


def number(value: float) -> str:
    """A value in a formula: four significant digits."""
    return f"{value:.4g}"


def substitute(formula: str, name: str) -> str:
    """``formula`` with its variable ``x`` (not the x of "max" or "exp") renamed."""
    return re.sub(r"\bx\b", name, formula)


def put_in(formula: str, value: float) -> str:
    """``formula`` with ``value`` for its variable ``x``; ``-x`` of a negative value is
    written as the positive number ("exp(0.25)", not "exp(--0.25)")."""
    negated = number(-value) if value < 0 else f"-{number(value)}"
    text = re.sub(r"-\bx\b", negated, formula)
    return re.sub(r"\bx\b", number(value), text)


def signed(value: float) -> str:
    """A value added in a formula: ``+ 0.5`` or ``− 0.5``."""
    return f"+ {number(value)}" if value >= 0 else f"− {number(-value)}"


def _captioned(widget: QWidget, caption: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget, 1)
    label = QLabel(caption)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    label.setObjectName("caption")
    layout.addWidget(label)
    return box


def _operator(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 16pt;")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _formula_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _Card(QFrame):
    """One step of the arithmetic: a title, perhaps grids of numbers, and formulas."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.formula = _formula_label()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(6, 4, 6, 4)
        self.body.addWidget(self.title)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        raise NotImplementedError

    # The cards' shared texts are in the context "UnitView", written out: PySide's tr() looks
    # a text up under the class of the object (a subclass), not of the method.
    def layer_title(self, step: UnitArithmetic, model: Model) -> str:
        name = explanations.layer_name(model.layers[step.layer])
        if len(step.unit) == 3:
            c, y, x = step.unit
            return QCoreApplication.translate(
                "UnitView", "Layer {0}, {1}: channel {2}, row {3}, column {4}"
            ).format(step.layer + 1, name, c + 1, y + 1, x + 1)
        return QCoreApplication.translate("UnitView", "Layer {0}, {1}: unit {2}").format(
            step.layer + 1, name, step.unit[0] + 1
        )

    def activation_line(self, step: ActivationArithmetic | None, u_name: str = "u") -> str:
        if step is None:
            return ""
        return QCoreApplication.translate("UnitView", "z = {0} = {1} = <b>{2}</b> ({3})").format(
            substitute(step.formula, u_name),
            put_in(step.formula, step.input),
            number(step.value),
            step.function,
        )


class _ChannelStrip(QWidget):
    """The sum each input channel adds to a unit: one row of cells; click one to show it."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = NumberGrid("Σ", cell=12)
        self.grid.cell_clicked.connect(lambda _r, c: self.chosen.emit(c))
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.grid)

    def set_sums(self, sums: np.ndarray, chosen: int) -> None:
        self.grid.set_values(sums, marked=(0, chosen))
        self.label.setText(
            self.tr(
                "Each of the {0} input channels adds its own sum of products (click one to see "
                "it); channel {1} is shown:"
            ).format(len(sums), chosen + 1)
        )


class _ProductsRow(QWidget):
    """``inputs ⊙ weights = products`` as three grids side by side."""

    def __init__(self, names: tuple[str, str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs = NumberGrid("x")
        self.weights = NumberGrid("w")
        self.products = NumberGrid("x·w")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(_captioned(self.inputs, names[0]), 1)
        layout.addWidget(_operator("⊙"))
        layout.addWidget(_captioned(self.weights, names[1]), 1)
        layout.addWidget(_operator("="))
        layout.addWidget(_captioned(self.products, names[2]), 1)

    def set_values(
        self,
        inputs: np.ndarray,
        weights: np.ndarray,
        products: np.ndarray,
        dimmed: np.ndarray | None = None,
    ) -> None:
        self.inputs.set_values(inputs, dimmed=dimmed)
        self.weights.set_values(weights)
        self.products.set_values(products, dimmed=dimmed)


class _ConvCard(_Card):
    """u = Σ x ⊙ w + b over the kernel's window in every input channel; z = f(u)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.strip = _ChannelStrip()
        self.strip.chosen.connect(self._choose)
        self.row = _ProductsRow(
            (self.tr("input patch x"), self.tr("kernel w"), self.tr("products x·w"))
        )
        self.body.addWidget(self.strip)
        self.body.addWidget(self.row)
        self.body.addWidget(self.formula)
        self._step: ConvArithmetic | None = None
        self._model: Model | None = None
        self._channel: dict[Unit, int] = {}

    def channel(self) -> int:
        """The input channel whose grids are shown."""
        step = self._step
        if step is None:
            return 0
        key = (step.layer, *step.unit)
        if key in self._channel:  # chosen by a click
            return self._channel[key]
        sums = step.products.reshape(step.products.shape[0], -1).sum(axis=1)
        return int(np.argmax(np.abs(sums)))  # the channel that adds the most

    def _choose(self, channel: int) -> None:
        if self._step is not None and self._model is not None:
            self._channel[(self._step.layer, *self._step.unit)] = channel
            self.show_step(self._step, self._model)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, ConvArithmetic)
        self._step, self._model = step, model
        self.title.setText(self.layer_title(step, model))
        channels = step.products.shape[0]
        c = min(self.channel(), channels - 1)
        sums = step.products.reshape(channels, -1).sum(axis=1, dtype=np.float64)
        self.strip.setVisible(channels > 1)
        if channels > 1:
            self.strip.set_sums(sums.astype(np.float32), c)
        self.row.set_values(step.patch[c], step.kernel[c], step.products[c], ~step.inside)
        lines = []
        k = step.kernel.shape[-1]
        if channels > 1:
            lines.append(
                self.tr("Σ of the {0}×{1} products of channel {2} = {3}").format(
                    k, k, c + 1, number(float(sums[c]))
                )
            )
            lines.append(
                self.tr("Σ over all {0} channels ({1} products) = {2}").format(
                    channels, step.products.size, number(step.total)
                )
            )
        else:
            lines.append(
                self.tr("Σ of the {0} products = {1}").format(
                    step.products.size, number(step.total)
                )
            )
        lines.append(
            self.tr("u = Σ x·w + b = {0} {1} = <b>{2}</b>").format(
                number(step.total), signed(step.bias), number(step.value)
            )
        )
        if not step.inside.all():
            lines.append(self.tr("Grey cells lie outside the map: the padding, zeros."))
        line = self.activation_line(step.activation)
        if line:
            lines.append(line)
        self.formula.setText("<br>".join(lines))


class _DenseCard(_Card):
    """u = Σᵢ wᵢ xᵢ + b over every input; z = f(u)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.strip = _ChannelStrip()
        self.strip.chosen.connect(self._choose)
        self.row = _ProductsRow(
            (self.tr("inputs x"), self.tr("weights w"), self.tr("products x·w"))
        )
        self.top = _formula_label()
        self.body.addWidget(self.strip)
        self.body.addWidget(self.row)
        self.body.addWidget(self.top)
        self.body.addWidget(self.formula)
        self._step: DenseArithmetic | None = None
        self._model: Model | None = None
        self._channel: dict[Unit, int] = {}

    def _maps(self, step: DenseArithmetic) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Inputs, weights and products as (C, H, W) maps (a vector: one near-square map)."""
        shape = step.feature_shape
        if len(shape) == 3:
            return tuple(a.reshape(shape) for a in (step.inputs, step.weights, step.products))
        return tuple(as_grid(a)[None] for a in (step.inputs, step.weights, step.products))

    def _choose(self, channel: int) -> None:
        if self._step is not None and self._model is not None:
            self._channel[(self._step.layer, *self._step.unit)] = channel
            self.show_step(self._step, self._model)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, DenseArithmetic)
        self._step, self._model = step, model
        self.title.setText(self.layer_title(step, model))
        inputs, weights, products = self._maps(step)
        channels = products.shape[0]
        key = (step.layer, *step.unit)
        sums = products.reshape(channels, -1).sum(axis=1, dtype=np.float64)
        c = min(self._channel.get(key, int(np.argmax(np.abs(sums)))), channels - 1)
        self.strip.setVisible(channels > 1)
        if channels > 1:
            self.strip.set_sums(sums.astype(np.float32), c)
        self.row.set_values(inputs[c], weights[c], products[c])
        names = []
        for i in step.top[:TOP_PRODUCTS]:
            i = int(i)
            names.append(
                self.tr("x<sub>{0}</sub>·w<sub>{0}</sub> = {1} × {2} = {3}").format(
                    i + 1,
                    number(float(step.inputs[i])),
                    number(float(step.weights[i])),
                    number(float(step.products[i])),
                )
            )
        self.top.setText(
            self.tr("The largest of the {0} products:").format(step.products.size)
            + "<br>"
            + "<br>".join(names)
        )
        lines = [
            self.tr(
                "u = Σ<sub>i</sub> w<sub>i</sub> x<sub>i</sub> + b = {0} {1} = <b>{2}</b>"
            ).format(number(step.total), signed(step.bias), number(step.value))
        ]
        line = self.activation_line(step.activation)
        if line:
            lines.append(line)
        self.formula.setText("<br>".join(lines))


class _PoolCard(_Card):
    """z = max of the window (the winner outlined), or its mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.window = NumberGrid("x")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(_captioned(self.window, self.tr("the window")))
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addWidget(self.formula)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, PoolArithmetic)
        self.title.setText(self.layer_title(step, model))
        self.window.set_values(step.window, marked=step.winner)
        k = step.window.shape[0]
        if step.winner is not None:
            text = self.tr("z = max of the {0}×{1} window = <b>{2}</b> (outlined)").format(
                k, k, number(step.value)
            )
        else:
            text = self.tr("z = (1/{0}) Σ of the {1}×{2} window = {3} / {0} = <b>{4}</b>").format(
                k * k, k, k, number(float(step.window.sum(dtype=np.float64))), number(step.value)
            )
        self.formula.setText(text)


class _LcnCard(_Card):
    """The local mean (a Gaussian-weighted mean of the window), the centred value and the
    divisor, as the normalization computes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.row = _ProductsRow(
            (
                self.tr("the mean over channels"),
                self.tr("Gaussian weights"),
                self.tr("their products"),
            )
        )
        self.body.addWidget(self.row)
        self.body.addWidget(self.formula)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, LcnArithmetic)
        self.title.setText(self.layer_title(step, model))
        outside = step.weights == 0
        self.row.set_values(step.patch, step.weights, step.patch * step.weights, outside)
        which = {
            "local_sigma": self.tr("the local σ"),
            "mean_sigma": self.tr("the mean σ over the map"),
            "eps": "ε",
        }[step.divided_by]
        self.formula.setText(
            "<br>".join(
                [
                    self.tr("local mean m = Σ w·x̄ = {0}").format(number(step.local_mean)),
                    self.tr("v = x − m = {0} − {1} = {2}").format(
                        number(step.input), number(step.local_mean), number(step.centred)
                    ),
                    self.tr("local σ = {0}, mean σ over the map = {1}, ε = {2}").format(
                        number(step.local_sigma), number(step.mean_sigma), number(step.eps)
                    ),
                    self.tr("divisor = max(mean σ, local σ, ε) = {0} ({1})").format(
                        number(step.divisor), which
                    ),
                    self.tr("z = v / divisor = {0} / {1} = <b>{2}</b>").format(
                        number(step.centred), number(step.divisor), number(step.value)
                    ),
                ]
            )
        )


class _ActivationCard(_Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.body.addWidget(self.formula)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, ActivationArithmetic)
        self.title.setText(self.layer_title(step, model))
        self.formula.setText(self.activation_line(step, "x"))


class _PassThroughCard(_Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.body.addWidget(self.formula)

    def show_step(self, step: UnitArithmetic, model: Model) -> None:
        assert isinstance(step, PassThroughArithmetic)
        self.title.setText(self.layer_title(step, model))
        where = ", ".join(str(p + 1) for p in step.source[1:])
        self.formula.setText(
            self.tr("z = the value of unit ({0}) of layer {1} = <b>{2}</b>").format(
                where, step.source[0] + 1, number(step.value)
            )
        )


#: The card that shows each kind of step.
_CARDS: dict[type[UnitArithmetic], Callable[[], _Card]] = {
    ConvArithmetic: _ConvCard,
    DenseArithmetic: _DenseCard,
    PoolArithmetic: _PoolCard,
    LcnArithmetic: _LcnCard,
    ActivationArithmetic: _ActivationCard,
    PassThroughArithmetic: _PassThroughCard,
}


class UnitView(LiveView):
    """The arithmetic of the unit pointed at (or selected) in the feature maps.

    ``steps``: the predictor's preprocessing of the current drawing (or None), to place the
    receptive field on the drawing. Slots: ``on_model_changed(model)``,
    ``on_input_changed(x)`` ((28, 28) float32 or None), ``on_unit_hovered(unit)`` and
    ``on_unit_selected(unit)`` (a unit or None). ``canvas_field_changed(object)``: the
    receptive field on the canvas, (top, left, bottom, right) in fractions of the drawing's
    side (0 to 1), or None when no unit is shown.
    """

    canvas_field_changed = Signal(object)

    def __init__(
        self, steps: Callable[[], PreprocessSteps | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("unit_view")
        self._steps = steps
        self._model: Model | None = None
        self._x: np.ndarray | None = None
        self._outputs: list[np.ndarray] | None = None
        self._hovered: Unit | None = None
        self._selected: Unit | None = None
        self._chain: list[UnitArithmetic] = []
        self._unit: Unit | None = None
        self._canvas_field: tuple[float, float, float, float] | None = None
        # the drawing as shown: (its preprocessing steps, RGB, shrinking factor)
        self._drawing: tuple[PreprocessSteps, np.ndarray, int] | None = None
        self._card_kinds: list[type[UnitArithmetic]] = []

        self.help = explanations.help_button(explanations.unit_arithmetic(), self)
        head = heading_row(self.tr("One unit's arithmetic"), self.help)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.fields = MosaicView(
            placeholder=self.tr(
                "Point at a unit in the feature maps to see how its value is computed; "
                "click it to keep it here"
            ),
            max_tile=150,
        )
        self.fields.setMinimumHeight(100)
        self.fields.setMaximumHeight(160)

        self._cards_box = QWidget()
        self._cards_layout = QVBoxLayout(self._cards_box)
        self._cards_layout.setContentsMargins(0, 0, 0, 0)
        self._cards_layout.addStretch(1)
        self._cards: list[_Card] = []
        self._scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._cards_box)
        scroll.setVisible(False)  # until there is a unit to show

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.fields)
        layout.addWidget(scroll, 1)

    def __repr__(self) -> str:
        return f"UnitView(unit={self._unit}, steps={len(self._chain)})"

    # -- what is shown -------------------------------------------------------------------
    def unit(self) -> Unit | None:
        """The unit shown (the one pointed at, else the selected one), or None."""
        return self._unit

    def selected_unit(self) -> Unit | None:
        return self._selected

    def arithmetic(self) -> list[UnitArithmetic]:
        """The steps shown, in the order the network computed them; the last one's value
        is the shown unit's (empty when none is shown)."""
        return list(self._chain)

    def value(self) -> float | None:
        """The shown unit's value, as written in :attr:`summary`."""
        if not self._chain:
            return None
        last = self._chain[-1]
        if self._unit is not None and last.layer != self._unit[0]:  # an activation it carries
            assert isinstance(last, (ConvArithmetic, DenseArithmetic))
            assert last.activation is not None
            return last.activation.value
        return last.value

    def cards(self) -> list[QFrame]:
        return list(self._cards)

    def canvas_field(self) -> tuple[float, float, float, float] | None:
        return self._canvas_field

    # -- slots ---------------------------------------------------------------------------
    def on_model_changed(self, model: Model) -> None:
        self._model = model
        self._outputs = None
        self.request_refresh()

    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._x = None if x is None else np.asarray(x, dtype=np.float32)
        self._outputs = None
        self.request_refresh()

    def on_unit_hovered(self, unit: Sequence[int] | None) -> None:
        self._hovered = None if unit is None else tuple(int(u) for u in unit)
        self.request_refresh()

    def on_unit_selected(self, unit: Sequence[int] | None) -> None:
        self._selected = None if unit is None else tuple(int(u) for u in unit)
        self.request_refresh()

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        model, x = self._model, self._x
        unit = self._hovered if self._hovered is not None else self._selected
        chain: list[UnitArithmetic] = []
        if model is not None and x is not None and unit is not None:
            if self._outputs is None:
                self._outputs = trace_image(model, x)
            try:
                chain = arithmetic_chain(model, x, unit, self._outputs)
            except ValueError:  # a unit of another network: nothing to show
                if unit == self._selected:
                    self._selected = None
                unit = None
        self._chain, self._unit = chain, unit if chain else None
        self._scroll.setVisible(bool(chain))
        self.fields.setMaximumHeight(160 if chain else 16_777_215)  # the prompt, centred
        self._show_cards(model, chain)
        self._show_fields(model, x, chain)

    def _show_cards(self, model: Model | None, chain: list[UnitArithmetic]) -> None:
        kinds = [type(step) for step in chain]
        if kinds != self._card_kinds:
            for card in self._cards:
                card.setParent(None)
                card.deleteLater()
            self._cards = [_CARDS[kind]() for kind in kinds]
            for i, card in enumerate(self._cards):
                self._cards_layout.insertWidget(i, card)
            self._card_kinds = kinds
        for card, step in zip(self._cards, chain, strict=True):
            card.show_step(step, model)  # type: ignore[arg-type]
        if not chain:
            self.summary.setText("")
            return
        assert self._unit is not None and model is not None
        value = self.value()
        assert value is not None
        name = explanations.layer_name(model.layers[self._unit[0]])
        if len(self._unit) == 4:
            _, c, y, xx = self._unit
            where = self.tr("channel {0}, row {1}, column {2}").format(c + 1, y + 1, xx + 1)
        else:
            where = self.tr("unit {0}").format(self._unit[1] + 1)
        self.summary.setText(
            self.tr("Layer {0} ({1}), {2}: <b>{3}</b>").format(
                self._unit[0] + 1, name, where, number(value)
            )
        )

    def _show_fields(
        self, model: Model | None, x: np.ndarray | None, chain: list[UnitArithmetic]
    ) -> None:
        """The receptive field on the 28x28 input and on the drawing."""
        if not chain or x is None or model is None:
            self.fields.set_tiles([])
            self._set_canvas_field(None)
            return
        field = chain[-1].receptive_field
        h, w = x.shape
        box = field.clipped(h, w)
        tiles = [
            Tile(
                ink(x),
                self.tr("the 28×28 input\nfield {0}×{1}").format(box.height, box.width),
                self.tr("The pixels this unit's value depends on: its receptive field"),
                box=(box.top, box.left, box.bottom, box.right),
            )
        ]
        steps = self._steps()
        canvas_field = None
        if steps is not None:
            mapping = canvas_map(steps)
            top, left, bottom, right = mapping.rect_to_canvas(
                box.top, box.left, box.bottom, box.right
            )
            ch, cw = steps.normalized.shape
            canvas_box = (
                max(0.0, top),
                max(0.0, left),
                min(float(ch), bottom),
                min(float(cw), right),
            )
            rgb, f = self._drawing_image(steps)
            side = float(max(ch, cw))
            canvas_field = tuple(v / side for v in canvas_box)
            tiles.append(
                Tile(
                    rgb,
                    self.tr("your drawing"),
                    self.tr("The same field on the canvas (the preprocessing undone)"),
                    box=tuple(v / f for v in canvas_box),  # type: ignore[arg-type]
                    smooth=True,
                )
            )
        self.fields.set_tiles(tiles)
        self._set_canvas_field(canvas_field)

    def _drawing_image(self, steps: PreprocessSteps) -> tuple[np.ndarray, int]:
        """The drawing as shown (shrunk once per drawing): RGB and the shrinking factor."""
        if self._drawing is None or self._drawing[0] is not steps:
            small, f = shrink(steps.normalized, DISPLAY_SIDE)
            self._drawing = (steps, paper(small), f)
        return self._drawing[1], self._drawing[2]

    def _set_canvas_field(self, field: tuple[float, float, float, float] | None) -> None:
        if field != self._canvas_field:
            self._canvas_field = field
            self.canvas_field_changed.emit(field)

    def hideEvent(self, event: QHideEvent) -> None:
        # the outline on the canvas belongs to this view being seen
        self._set_canvas_field(None)
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._chain:
            self.request_refresh()
