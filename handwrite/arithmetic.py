"""The arithmetic behind one unit of a network, written out with the network's own numbers.

Point at a unit and this module says how its value came about: for a convolution, the input
patch its kernel reads (padding included), the kernel, the element-wise products, their sum,
the bias and the result; for a fully connected unit, its inputs, weights and products (the
largest contributions named, the sum over all of them); for pooling, the window and its
maximum or mean; for local contrast normalization, the local mean, the local standard deviation
and the divisor; for an activation, its input and output. Every number is recomputed here from
the layer's input (one traced forward pass, :meth:`Model.trace`) and its parameters, so the
tests can hold each description against the value the forward pass produced.

Units are tuples that start with the layer index, as :meth:`Model.trace` lists the layers:
``(layer, channel, y, x)`` in a layer whose output is a stack of maps, ``(layer, unit)`` in a
layer whose output is a vector (``Flatten``, ``Dense`` and what follows them).

:func:`receptive_field` gives the rectangle of the 28x28 input that a unit depends on, through
the whole stack (kernels, strides and padding composed); :mod:`handwrite.canvas_map` takes such
a rectangle on to the canvas the digit was drawn on.

    outputs = trace_image(model, image)                  # one forward pass, kept for hovering
    step = explain_unit(model, image, (3, 5, 2, 4), outputs=outputs)
    step.products.sum() + step.bias == step.value        # == outputs[3][5, 2, 4]

The layers are looked up by their ``type_name`` in one table (:data:`EXPLAINED_TYPES`), read
through their public attributes only (``kernel_size``, ``stride``, ``padding``,
``params["weight"].data``, ...). Qt-free; runs on models on either backend (arrays are copied
to the host).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.backend import to_numpy
from handwrite.nn.layers import Layer, gaussian_kernel1d
from handwrite.nn.model import Model

__all__ = [
    "ACTIVATION_FORMULAS",
    "EXPLAINED_TYPES",
    "ActivationArithmetic",
    "ConvArithmetic",
    "DenseArithmetic",
    "LcnArithmetic",
    "PassThroughArithmetic",
    "PoolArithmetic",
    "ReceptiveField",
    "UnitArithmetic",
    "explain_unit",
    "layer_output_shapes",
    "receptive_field",
    "trace_image",
]

#: The elementwise activations and the formula each applies.
ACTIVATION_FORMULAS: dict[str, str] = {
    "ReLU": "max(0, x)",
    "Sigmoid": "1 / (1 + exp(-x))",
    "Tanh": "tanh(x)",
}

# Layers whose output is the input, unit for unit, at inference (dropout is the identity).
_IDENTITY_TYPES = ("Dropout",)
# Layers whose output has the same shape as their input, one value per value.
_ELEMENTWISE_TYPES = (*ACTIVATION_FORMULAS, *_IDENTITY_TYPES)


# ---------------------------------------------------------------------------------------
# Receptive fields
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceptiveField:
    """The rectangle of input pixels that a unit's value depends on.

    Rows ``top .. bottom - 1`` and columns ``left .. right - 1`` of the model's input (28x28
    for MNIST), in pixel indices. Padding can put the rectangle partly outside the image
    (``top < 0`` or ``bottom > 28``): those rows are the zeros the layers pad with.
    :meth:`clipped` keeps the part that lies on the image.

    ``jump`` is the distance, in input pixels, between the fields of two neighbouring units of
    the same map (the product of the strides so far); 0 for a unit that is not on a map.
    """

    top: int
    left: int
    bottom: int
    right: int
    jump: int = 1

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    def clipped(self, height: int = 28, width: int = 28) -> ReceptiveField:
        """The part of the field on a ``height`` x ``width`` image (possibly empty)."""
        top, left = min(max(self.top, 0), height), min(max(self.left, 0), width)
        bottom, right = max(min(self.bottom, height), top), max(min(self.right, width), left)
        return ReceptiveField(top, left, bottom, right, self.jump)

    def contains(self, row: int, col: int) -> bool:
        return self.top <= row < self.bottom and self.left <= col < self.right


@dataclass(frozen=True)
class _Geometry:
    """How the units of a map see the input, along each axis: unit ``i``'s field covers input
    pixels ``[start + i * jump, start + i * jump + size)`` (square kernels, so rows and columns
    share one geometry)."""

    start: int
    jump: int
    size: int

    def then(self, kernel: int, stride: int, padding: int) -> _Geometry:
        """The geometry after a ``kernel``-wide window with ``stride`` and ``padding``."""
        return _Geometry(
            self.start - padding * self.jump,
            self.jump * stride,
            self.size + (kernel - 1) * self.jump,
        )

    def field(self, y: int, x: int) -> ReceptiveField:
        top, left = self.start + y * self.jump, self.start + x * self.jump
        return ReceptiveField(top, left, top + self.size, left + self.size, self.jump)


def _window(layer: Layer) -> tuple[int, int, int] | None:
    """(kernel, stride, padding) of a spatial layer; None for one that maps unit to unit.

    Local contrast normalization reads a ``k x k`` window for the local mean and another for
    the local standard deviation of the mean-subtracted values around it, so a unit depends
    on a ``2k - 1`` window of its input. Its divisor also takes the mean of the local standard
    deviation over the whole map, a single image-wide number; that term is left out here, or
    every unit after an LCN layer would see the whole image.
    """
    t = layer.type_name
    if t == "Conv2D":
        return layer.kernel_size, layer.stride, layer.padding
    if t in ("MaxPool2D", "AvgPool2D"):
        return layer.kernel_size, layer.stride, 0
    if t == "LocalContrastNorm":
        k = layer.kernel_size
        return 2 * k - 1, 1, 2 * (k // 2)
    if t in _ELEMENTWISE_TYPES:
        return None
    raise ValueError(
        f"no receptive field is known for layer type {t!r}; known: {', '.join(EXPLAINED_TYPES)}"
    )


def layer_output_shapes(model: Model) -> list[tuple[int, ...]]:
    """Each layer's output shape for one sample, in layer order (``(C, H, W)`` or ``(F,)``)."""
    shapes = []
    shape = model.input_shape
    for layer in model.layers:
        shape = layer.output_shape(shape)
        shapes.append(shape)
    return shapes


def receptive_field(model: Model, unit: Sequence[int]) -> ReceptiveField:
    """The rectangle of the model's input that ``unit`` depends on (see :class:`ReceptiveField`).

    ``unit``: ``(layer, channel, y, x)`` or ``(layer, index)``. Kernels, strides and padding
    compose through the stack: after a window of ``k`` with stride ``s`` and padding ``p`` the
    field of unit ``i`` grows by ``(k - 1)`` times the jump so far, starts ``p`` jumps earlier
    and the jump multiplies by ``s``. A unit of ``Flatten`` has the field of the map unit it
    copies; a fully connected unit reads every unit of its input, so its field is their union
    (the whole image, unless the convolutions before it cover less).
    """
    layer_index, rest = _check_unit(model, unit)
    shapes = layer_output_shapes(model)
    geometry = _Geometry(0, 1, 1)
    map_shape = model.input_shape  # the shape of the last map (C, H, W)
    union: ReceptiveField | None = None  # set once a fully connected layer has mixed everything
    flat_of_map = False  # the current vector is a Flatten of ``map_shape``
    for i, layer in enumerate(model.layers[: layer_index + 1]):
        t = layer.type_name
        if t == "Flatten":
            flat_of_map = union is None
        elif t == "Dense":
            if union is None:
                _, h, w = map_shape
                whole = geometry.field(0, 0)
                far = geometry.field(h - 1, w - 1)
                union = ReceptiveField(whole.top, whole.left, far.bottom, far.right, 0)
            flat_of_map = False
        elif len(shapes[i]) == 3:
            window = _window(layer)
            if window is not None:
                geometry = geometry.then(*window)
            map_shape = shapes[i]
        else:
            _window(layer)  # an elementwise layer on a vector (or an unknown type: raises)
    if len(rest) == 3:
        return geometry.field(rest[1], rest[2])
    if union is not None and not flat_of_map:
        return union
    if len(map_shape) != 3:  # a model whose input is already a vector
        return ReceptiveField(0, rest[0], 1, rest[0] + 1, 0)
    _, y, x = np.unravel_index(rest[0], map_shape)
    field = geometry.field(int(y), int(x))
    return ReceptiveField(field.top, field.left, field.bottom, field.right, 0)


# ---------------------------------------------------------------------------------------
# What a unit computed
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class UnitArithmetic:
    """What every explanation holds.

    Attributes:
        layer: the unit's layer index in ``model.layers``.
        layer_type: that layer's ``type_name`` (``"Conv2D"``, ``"Dense"``, ...).
        unit: the unit within the layer's output: ``(channel, y, x)`` or ``(index,)``.
        value: the unit's value as recomputed here; equal, to float32 rounding, to
            ``model.trace(x)[layer][0][unit]``.
        receptive_field: the input rectangle the unit depends on (:func:`receptive_field`),
            unclipped: it can reach into the padding.
        input_layer: the layer whose output this layer read (``layer - 1``), -1 for the image.
    """

    layer: int
    layer_type: str
    unit: tuple[int, ...]
    value: float
    receptive_field: ReceptiveField
    input_layer: int


@dataclass(frozen=True, eq=False)
class ActivationArithmetic(UnitArithmetic):
    """An elementwise activation: ``value = f(input)``.

    Attributes:
        function: ``"ReLU"``, ``"Sigmoid"`` or ``"Tanh"``.
        formula: the formula of ``f``, e.g. ``"max(0, x)"`` (:data:`ACTIVATION_FORMULAS`).
        input: the value the activation received, the same unit of ``input_layer``.
    """

    function: str
    formula: str
    input: float


@dataclass(frozen=True, eq=False)
class ConvArithmetic(UnitArithmetic):
    """A convolution unit: ``value = sum(kernel * patch) + bias`` (cross-correlation).

    Attributes:
        input_box: (top, left, bottom, right) of the patch on the input map, bottom and right
            exclusive; it reaches outside the map (negative or past the edge) where the layer
            pads.
        patch: (C, k, k) float32, the input values the kernel reads: zeros on the padding.
        inside: (k, k) bool, true where the patch lies on the input map (false on padding).
        kernel: (C, k, k) float32, the weights of this unit's output channel.
        products: (C, k, k) float32, ``kernel * patch``.
        total: the sum of all the products (accumulated in float64).
        bias: this output channel's bias.
        activation: the elementwise activation that directly follows the layer, at the same
            unit (its output is the activation value), or None when another layer follows.
    """

    input_box: tuple[int, int, int, int]
    patch: np.ndarray
    inside: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    total: float
    bias: float
    activation: ActivationArithmetic | None = None


@dataclass(frozen=True, eq=False)
class DenseArithmetic(UnitArithmetic):
    """A fully connected unit: ``value = sum(weights * inputs) + bias``.

    Attributes:
        inputs: (F,) float32, the whole input vector.
        weights: (F,) float32, this unit's row of the weight matrix.
        products: (F,) float32, ``weights * inputs``.
        top: (T,) int64, indices of the ``T`` products of largest magnitude, largest first
            (``T = min(F, top)`` as asked of :func:`explain_unit`); the sum is over all ``F``.
        total: the sum of all the products (accumulated in float64).
        bias: the unit's bias.
        feature_source: the layer whose output the inputs are, looking through a ``Flatten``
            (-1: the image).
        feature_shape: that layer's per-sample output shape, ``(C, H, W)`` or ``(F,)``.
        activation: the elementwise activation that directly follows, or None.
    """

    inputs: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    top: np.ndarray
    total: float
    bias: float
    feature_source: int
    feature_shape: tuple[int, ...]
    activation: ActivationArithmetic | None = None

    def feature_unit(self, index: int) -> tuple[int, ...]:
        """Input ``index`` as a unit of :attr:`feature_source`: ``(layer, c, y, x)`` when the
        inputs are a flattened map, ``(layer, index)`` otherwise (``layer`` -1: the image)."""
        position = np.unravel_index(int(index), self.feature_shape)
        return (self.feature_source, *(int(p) for p in position))


@dataclass(frozen=True, eq=False)
class PoolArithmetic(UnitArithmetic):
    """A pooling unit: the maximum (``MaxPool2D``) or the mean (``AvgPool2D``) of a window.

    Attributes:
        mode: ``"max"`` or ``"mean"``.
        input_box: (top, left, bottom, right) of the window on the input map (exclusive).
        window: (k, k) float32, the window's values, from the unit's own channel.
        winner: (i, j) of the maximum within the window (the first one, row by row, the one
            that gets the gradient), or None for a mean.
    """

    mode: str
    input_box: tuple[int, int, int, int]
    window: np.ndarray
    winner: tuple[int, int] | None


@dataclass(frozen=True, eq=False)
class LcnArithmetic(UnitArithmetic):
    """A local contrast normalization unit (Jarrett et al. 2009), subtractive then divisive::

        local_mean = sum(weights * patch)          # patch: the mean over channels
        centred    = input - local_mean
        divisor    = max(mean_sigma, local_sigma, eps)
        value      = centred / divisor

    Attributes:
        input: the unit's input value ``x[c, y, x]``.
        input_box: (top, left, bottom, right) of the Gaussian window on the input map
            (exclusive; it reaches past the border, where the map counts as absent).
        weights: (k, k) float32, the Gaussian window at this position, renormalised to sum 1
            over its part inside the map (0 outside), as the layer does near the border.
        patch: (k, k) float32, the input averaged over channels in the window (0 outside).
        local_mean: the weighted mean ``sum(weights * patch)``.
        centred: ``input - local_mean``.
        local_sigma: the local standard deviation at this position: the square root of the
            same window's weighted mean of the squared centred values, over all channels.
        mean_sigma: the local standard deviation averaged over the whole map.
        eps: the layer's floor for the divisor.
        divisor: ``max(mean_sigma, local_sigma, eps)``.
        divided_by: which of the three the divisor is: ``"local_sigma"``, ``"mean_sigma"`` or
            ``"eps"``.
    """

    input: float
    input_box: tuple[int, int, int, int]
    weights: np.ndarray
    patch: np.ndarray
    local_mean: float
    centred: float
    local_sigma: float
    mean_sigma: float
    eps: float
    divisor: float
    divided_by: str


@dataclass(frozen=True, eq=False)
class PassThroughArithmetic(UnitArithmetic):
    """A unit that copies one input unit: ``Flatten`` (a map unit into the vector) and
    ``Dropout`` (the identity at inference).

    Attributes:
        source: the copied unit, ``(layer, channel, y, x)`` or ``(layer, index)``.
    """

    source: tuple[int, ...]


def trace_image(model: Model, image: Any) -> list[np.ndarray]:
    """Every layer's output for one image, on the host: ``[y_0, ..., y_last]``, each without
    the batch axis ((C, H, W) or (F,) float32).

    ``image``: (28, 28), (1, 28, 28) or (1, 1, 28, 28), float 0-1 (or uint8 0-255), as the
    model sees it (after :func:`handwrite.preprocess`). One inference pass (:meth:`Model.trace`);
    keep the list to explain many units of the same drawing.
    """
    x = _prepare(model, image)
    return [to_numpy(y)[0] for y in model.trace(model.xp.asarray(x))]


def explain_unit(
    model: Model,
    image: Any,
    unit: Sequence[int],
    *,
    outputs: Sequence[np.ndarray] | None = None,
    top: int = 16,
) -> UnitArithmetic:
    """The arithmetic that produced ``unit``'s value for ``image``.

    Args:
        model: the network (left in the mode it was in).
        image: (28, 28) float32 in [0, 1] as the model sees it (or (1, 28, 28), uint8 0-255).
        unit: ``(layer, channel, y, x)`` in a layer whose output is maps, ``(layer, index)``
            in one whose output is a vector.
        outputs: :func:`trace_image` of the same model and image, to skip the forward pass.
        top: how many of a fully connected unit's largest products to name.

    Returns:
        A :class:`ConvArithmetic`, :class:`DenseArithmetic`, :class:`PoolArithmetic`,
        :class:`LcnArithmetic`, :class:`ActivationArithmetic` or :class:`PassThroughArithmetic`
        (all :class:`UnitArithmetic`).

    Raises:
        ValueError: the unit is not in the layer's output, or ``outputs`` do not fit the model.
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    layer_index, rest = _check_unit(model, unit)
    x = _prepare(model, image)[0]
    if outputs is None:
        outputs = trace_image(model, x)
    shapes = layer_output_shapes(model)
    if len(outputs) != len(model.layers) or any(
        tuple(o.shape) != s for o, s in zip(outputs, shapes, strict=True)
    ):
        raise ValueError("outputs must be trace_image(model, image) of this model")
    layer = model.layers[layer_index]
    explain = EXPLAINED_TYPES.get(layer.type_name)
    if explain is None:
        raise ValueError(
            f"no arithmetic is known for layer type {layer.type_name!r}; "
            f"known: {', '.join(EXPLAINED_TYPES)}"
        )
    context = _Context(
        model=model,
        layer_index=layer_index,
        layer=layer,
        unit=rest,
        x=x if layer_index == 0 else outputs[layer_index - 1],
        field=receptive_field(model, unit),
        top=top,
    )
    step = explain(context)
    follower = layer_index + 1
    if (
        layer.type_name in ("Conv2D", "Dense")
        and follower < len(model.layers)
        and model.layers[follower].type_name in ACTIVATION_FORMULAS
    ):
        after = _activation(
            _Context(
                model=model,
                layer_index=follower,
                layer=model.layers[follower],
                unit=rest,
                x=outputs[layer_index],
                field=context.field,
                top=top,
            )
        )
        step = dataclasses.replace(step, activation=after)
    return step


# ---------------------------------------------------------------------------------------
# Per layer type
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    model: Model
    layer_index: int
    layer: Layer
    unit: tuple[int, ...]  # without the layer index
    x: np.ndarray  # the layer's input for this image, (C, H, W) or (F,)
    field: ReceptiveField
    top: int

    def common(self, value: float) -> dict[str, Any]:
        return {
            "layer": self.layer_index,
            "layer_type": self.layer.type_name,
            "unit": self.unit,
            "value": value,
            "receptive_field": self.field,
            "input_layer": self.layer_index - 1,
        }


def _param(layer: Layer, name: str) -> np.ndarray:
    return np.asarray(to_numpy(layer.params[name].data), dtype=np.float32)


def _conv(ctx: _Context) -> ConvArithmetic:
    layer = ctx.layer
    k, s, p = layer.kernel_size, layer.stride, layer.padding
    o, y, x = ctx.unit
    channels, h, w = ctx.x.shape
    top, left = y * s - p, x * s - p
    padded = np.zeros((channels, h + 2 * p, w + 2 * p), np.float32)
    padded[:, p : p + h, p : p + w] = ctx.x
    patch = padded[:, top + p : top + p + k, left + p : left + p + k].copy()
    rows = np.arange(top, top + k)
    cols = np.arange(left, left + k)
    inside = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
    kernel = _param(layer, "weight")[o].copy()
    bias = float(_param(layer, "bias")[o])
    products = kernel * patch
    total = float(products.sum(dtype=np.float64))
    return ConvArithmetic(
        **ctx.common(_f32(total + bias)),
        input_box=(top, left, top + k, left + k),
        patch=patch,
        inside=inside,
        kernel=kernel,
        products=products,
        total=total,
        bias=bias,
    )


def _dense(ctx: _Context) -> DenseArithmetic:
    (j,) = ctx.unit
    inputs = np.asarray(ctx.x, np.float32).reshape(-1).copy()
    weights = _param(ctx.layer, "weight")[j].copy()
    bias = float(_param(ctx.layer, "bias")[j])
    products = weights * inputs
    total = float(products.sum(dtype=np.float64))
    count = min(ctx.top, products.size)
    # A stable sort on -|product| names the largest first and breaks ties by index.
    order = np.argsort(-np.abs(products), kind="stable")[:count].astype(np.int64)
    source = ctx.layer_index - 1
    shape: tuple[int, ...] = (products.size,)
    if source >= 0 and ctx.model.layers[source].type_name == "Flatten":
        source -= 1
        shape = layer_output_shapes(ctx.model)[source] if source >= 0 else ctx.model.input_shape
    return DenseArithmetic(
        **ctx.common(_f32(total + bias)),
        inputs=inputs,
        weights=weights,
        products=products,
        top=order,
        total=total,
        bias=bias,
        feature_source=source,
        feature_shape=tuple(int(n) for n in shape),
    )


def _pool(ctx: _Context) -> PoolArithmetic:
    layer = ctx.layer
    k, s = layer.kernel_size, layer.stride
    c, y, x = ctx.unit
    top, left = y * s, x * s
    window = np.asarray(ctx.x[c, top : top + k, left : left + k], np.float32).copy()
    if layer.type_name == "MaxPool2D":
        flat = int(np.argmax(window))  # the first maximum, row by row
        winner: tuple[int, int] | None = (flat // k, flat % k)
        value = float(window.reshape(-1)[flat])
        mode = "max"
    else:
        winner = None
        value = _f32(window.sum(dtype=np.float64) / (k * k))
        mode = "mean"
    return PoolArithmetic(
        **ctx.common(value),
        mode=mode,
        input_box=(top, left, top + k, left + k),
        window=window,
        winner=winner,
    )


def _window_sum(a: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_{p,q} weights[p, q] * a[y + p - r, x + q - r]`` for every (y, x) of (H, W) ``a``,
    zero outside: (H, W) float64 (``weights``: (k, k), ``r = k // 2``)."""
    k = weights.shape[0]
    r = k // 2
    h, w = a.shape
    padded = np.zeros((h + 2 * r, w + 2 * r), np.float64)
    padded[r : r + h, r : r + w] = a
    out = np.zeros((h, w), np.float64)
    for p in range(k):
        for q in range(k):
            out += weights[p, q] * padded[p : p + h, q : q + w]
    return out


def _lcn(ctx: _Context) -> LcnArithmetic:
    layer = ctx.layer
    k = layer.kernel_size
    r = k // 2
    c, y, x = ctx.unit
    a = np.asarray(ctx.x, np.float64)
    _, h, w = a.shape
    g = gaussian_kernel1d(k, layer.sigma)
    g2 = np.outer(g, g)
    norm = _window_sum(np.ones((h, w)), g2)  # the window's weight inside the map
    mean_map = _window_sum(a.mean(axis=0), g2) / norm
    centred = a - mean_map
    sigma_map = np.sqrt(_window_sum((centred * centred).mean(axis=0), g2) / norm)
    mean_sigma = float(sigma_map.mean())
    local_sigma = float(sigma_map[y, x])
    eps = float(layer.eps)
    candidates = {"local_sigma": local_sigma, "mean_sigma": mean_sigma, "eps": eps}
    divided_by = max(candidates, key=lambda name: candidates[name])
    divisor = candidates[divided_by]
    rows = np.arange(y - r, y + r + 1)
    cols = np.arange(x - r, x + r + 1)
    inside = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
    weights = np.where(inside, g2, 0.0) / norm[y, x]
    padded = np.zeros((h + 2 * r, w + 2 * r), np.float64)
    padded[r : r + h, r : r + w] = a.mean(axis=0)
    patch = padded[y : y + k, x : x + k]
    local_mean = float((weights * patch).sum())
    value_in = float(a[c, y, x])
    v = value_in - local_mean
    return LcnArithmetic(
        **ctx.common(_f32(v / divisor)),
        input=value_in,
        input_box=(y - r, x - r, y + r + 1, x + r + 1),
        weights=weights.astype(np.float32),
        patch=patch.astype(np.float32),
        local_mean=local_mean,
        centred=v,
        local_sigma=local_sigma,
        mean_sigma=mean_sigma,
        eps=eps,
        divisor=divisor,
        divided_by=divided_by,
    )


def _activation(ctx: _Context) -> ActivationArithmetic:
    name = ctx.layer.type_name
    value_in = float(ctx.x[ctx.unit])
    if name == "ReLU":
        value = max(value_in, 0.0)
    elif name == "Sigmoid":
        value = 0.5 * (math.tanh(0.5 * value_in) + 1.0)  # as the layer: no overflow
    else:
        value = math.tanh(value_in)
    return ActivationArithmetic(
        **ctx.common(_f32(value)),
        function=name,
        formula=ACTIVATION_FORMULAS[name],
        input=value_in,
    )


def _pass_through(ctx: _Context) -> PassThroughArithmetic:
    source_layer = ctx.layer_index - 1
    if ctx.layer.type_name == "Flatten" and ctx.x.ndim > 1:
        source = np.unravel_index(ctx.unit[0], ctx.x.shape)
        position = tuple(int(p) for p in source)
    else:
        position = ctx.unit
    return PassThroughArithmetic(
        **ctx.common(float(ctx.x[position])), source=(source_layer, *position)
    )


#: How each layer type is explained, by ``type_name``.
EXPLAINED_TYPES: dict[str, Callable[[_Context], UnitArithmetic]] = {
    "Conv2D": _conv,
    "Dense": _dense,
    "MaxPool2D": _pool,
    "AvgPool2D": _pool,
    "LocalContrastNorm": _lcn,
    "ReLU": _activation,
    "Sigmoid": _activation,
    "Tanh": _activation,
    "Flatten": _pass_through,
    "Dropout": _pass_through,
}


# ---------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------


def _f32(value: float) -> float:
    """``value`` rounded to float32, as the network stores it."""
    return float(np.float32(value))


def _prepare(model: Model, image: Any) -> np.ndarray:
    """One image as (1, C, H, W) float32 in [0, 1] on the host; ValueError for more than one."""
    x = model.prepare_input(image)
    if x.shape[0] != 1:
        raise ValueError(f"explain one image at a time, got {x.shape[0]}")
    return x


def _check_unit(model: Model, unit: Sequence[int]) -> tuple[int, tuple[int, ...]]:
    """(layer index, position within the layer's output) of a valid ``unit``."""
    try:
        parts = tuple(int(u) for u in unit)
    except (TypeError, ValueError):
        raise ValueError(f"a unit is a tuple of integers, got {unit!r}") from None
    if not parts or not 0 <= parts[0] < len(model.layers):
        raise ValueError(f"unit {unit!r}: the layer index must be in 0..{len(model.layers) - 1}")
    layer_index, rest = parts[0], parts[1:]
    shape = layer_output_shapes(model)[layer_index]
    if len(rest) != len(shape) or any(not 0 <= r < n for r, n in zip(rest, shape, strict=True)):
        form = "(layer, channel, y, x)" if len(shape) == 3 else "(layer, index)"
        raise ValueError(
            f"unit {unit!r} is not in layer {layer_index} "
            f"({model.layers[layer_index].type_name}), whose output is {shape}; "
            f"units there are {form}"
        )
    return layer_index, rest
