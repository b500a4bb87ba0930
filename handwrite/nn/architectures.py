"""Your own network: an MLP or a CNN designed from a few choices, and any architecture JSON
checked with a message that says which layer is wrong, what is wrong and how to fix it.

    design = MLPDesign(hidden=(100, 100, 100), activation="sigmoid", loss="squared_error")
    architecture = design.architecture()          # the JSON of model files
    model = Model.from_architecture(check_architecture(edited_json))

The choices, their defaults and the sizes they accept live here (:data:`ACTIVATIONS`,
:data:`DROPOUT_PLACES`, :data:`POOLINGS`, :data:`SIZE_BOUNDS`, the designs' defaults), for the
command line and the window alike. A design's defaults are the presets ``mlp`` and ``cnn``.
Initial weights follow the activation (He before ReLU, Glorot before sigmoid and tanh): the
model chooses them from the layers (:func:`handwrite.nn.model._resolve_init`).
"""

from __future__ import annotations

import copy
import difflib
import inspect
from dataclasses import dataclass
from typing import Any

from handwrite.bounds import Bounds
from handwrite.nn.layers import LAYER_TYPES, Layer, LayerKind
from handwrite.nn.losses import LOSSES
from handwrite.nn.model import DIGITS, MAX_PARAMETERS
from handwrite.refusal import REFUSING_CLASSES
from handwrite.translatable import (
    QT_TRANSLATE_NOOP,
    Phrase,
    TranslatableError,
    error_phrase,
    join,
    phrase_of,
)

__all__ = [
    "ACTIVATIONS",
    "DROPOUT_PLACES",
    "INPUT_SHAPE",
    "LOSS_NAMES",
    "POOLINGS",
    "SIZE_BOUNDS",
    "ArchitectureError",
    "CNNDesign",
    "MLPDesign",
    "activation_of",
    "check_architecture",
    "with_activation",
    "with_dropout",
    "with_loss",
    "with_not_a_digit_output",
]

#: The activations a design may use: the command line's and the window's name -> layer type.
ACTIVATIONS: dict[str, str] = {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh"}
#: The losses: softmax cross-entropy, or squared error on one-hot targets.
LOSS_NAMES: tuple[str, ...] = tuple(LOSSES)
#: Pooling after each convolution: max, average, or none.
POOLINGS = ("max", "avg", "none")
#: Where dropout goes: before the output layer only (as the presets have it), after every
#: hidden fully connected layer, or also after every convolution block (a CNN's choice).
DROPOUT_PLACES = ("output", "hidden", "everywhere")
#: The images a design takes: MNIST's.
INPUT_SHAPE = (1, 28, 28)

#: The sizes a design accepts. Beyond them a run no longer fits a lecture's minutes on a
#: laptop's CPU (a 4096-wide layer already holds 3 million weights), or, for kernels, the
#: 28x28 digits. ``hidden_layers`` 0 is a linear classifier (softmax regression).
SIZE_BOUNDS: dict[str, Bounds] = {
    "hidden_layers": Bounds(0, 8, integer=True),
    "hidden_units": Bounds(1, 4096, integer=True),
    "fc_layers": Bounds(0, 4, integer=True),  # a CNN's hidden fully connected layers
    "conv_blocks": Bounds(1, 4, integer=True),
    "channels": Bounds(1, 256, integer=True),
    "kernel_size": Bounds(1, 9, integer=True),
    "dropout": Bounds(0.0, 0.9),
}


class ArchitectureError(TranslatableError, ValueError):
    """An architecture or a design that cannot be built; the message says where, what and
    how to fix it."""


def _check_choice(name: str, value: Any, choices: tuple[str, ...] | dict[str, Any]) -> None:
    if value not in choices:
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} must be one of {choices}; got {value!r}"),
                name=name,
                choices=", ".join(choices),
                value=value,
            )
        )


def _check_sizes(name: str, values: Any, count: Bounds, size: Bounds) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} must be a list of sizes, got {value!r}"),
                name=name,
                value=values,
            )
        )
    values = tuple(values)
    if not count.admits(len(values)):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "{name}: {count} given; the number of layers must be {bounds}"
                ),
                name=name,
                count=len(values),
                bounds=count.phrase(),
            )
        )
    for v in values:
        if not size.admits(v):
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{name}: each size must be {bounds}, got {value!r}"
                    ),
                    name=name,
                    bounds=size.phrase(),
                    value=v,
                )
            )
    return values


def _check_dropout(p: Any) -> float:
    if not SIZE_BOUNDS["dropout"].admits(p):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} must be {bounds}, got {value}"),
                name="dropout",
                bounds=SIZE_BOUNDS["dropout"].phrase(),
                value=repr(p),
            )
        )
    return float(p)


def _hidden_part(
    width: int, hidden: tuple[int, ...], act: str, p: float, every: bool
) -> list[dict[str, Any]]:
    """Dense-activation pairs of the ``hidden`` widths after ``width`` inputs, with dropout
    after each (``every``) or after the last only, then the output layer."""
    layers: list[dict[str, Any]] = []
    for k, units in enumerate(hidden):
        layers += [
            {"type": "Dense", "in_features": width, "out_features": units},
            {"type": ACTIVATIONS[act]},
        ]
        if p and (every or k == len(hidden) - 1):
            layers.append({"type": "Dropout", "p": p})
        width = units
    if p and not hidden and every:  # no hidden layer: dropout on the features themselves
        layers.append({"type": "Dropout", "p": p})
    layers.append({"type": "Dense", "in_features": width, "out_features": len(DIGITS)})
    return layers


def _name(design: MLPDesign | CNNDesign) -> str:
    """The design's own name, else the preset's for the preset's design, else "custom ..."."""
    if design.name is not None:
        if not isinstance(design.name, str) or not design.name.strip():
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "name must be a non-empty string, got {value!r}"),
                    value=design.name,
                )
            )
        return design.name
    return design.kind if design == type(design)() else f"custom {design.kind}"


def _wrap(name: str, loss: str, layers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "input_shape": list(INPUT_SHAPE),
        "classes": list(DIGITS),
        "loss": loss,
        "layers": layers,
    }


@dataclass(frozen=True)
class MLPDesign:
    """A multilayer perceptron: ``hidden`` fully connected layers of the given widths, each
    followed by ``activation``, then the 10-way output layer. ``dropout`` (rate; 0: none)
    goes before the output layer (``dropout_at="output"``) or after every hidden layer
    ("hidden" or "everywhere"). The defaults are the preset ``mlp``. ``name``: the
    architecture's name (default: "mlp" for the preset's design, else "custom mlp")."""

    hidden: tuple[int, ...] = (100, 100)
    activation: str = "relu"
    dropout: float = 0.0
    dropout_at: str = "output"
    loss: str = "cross_entropy"
    name: str | None = None

    kind = "mlp"

    def architecture(self) -> dict[str, Any]:
        """The architecture JSON; raises :class:`ArchitectureError` for a bad choice."""
        hidden = _check_sizes(
            "hidden", self.hidden, SIZE_BOUNDS["hidden_layers"], SIZE_BOUNDS["hidden_units"]
        )
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("dropout_at", self.dropout_at, DROPOUT_PLACES)
        _check_choice("loss", self.loss, LOSS_NAMES)
        p = _check_dropout(self.dropout)
        width = INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]
        layers = [{"type": "Flatten"}]
        layers += _hidden_part(width, hidden, self.activation, p, self.dropout_at != "output")
        return _wrap(_name(self), self.loss, layers)


@dataclass(frozen=True)
class CNNDesign:
    """A convolutional network: one block per entry of ``channels`` (a ``kernels`` x
    ``kernels`` convolution with that many output maps, then ``pooling`` 2x2 and
    ``activation``), then the fully connected part: ``hidden`` layers and the 10-way output.

    ``same_padding`` pads each convolution by ``kernel // 2`` so that it keeps the map's
    size (deeper stacks fit the 28x28 digits). ``dropout`` (rate; 0: none) goes before the
    output layer ("output"), after every hidden fully connected layer ("hidden"), or also
    after every convolution block ("everywhere"). The defaults are the preset ``cnn``.
    Max pooling commutes with these activations (all are increasing), so it comes first and
    the activation computes on a quarter of the values; average pooling comes after.
    ``name``: the architecture's name (default: "cnn" for the preset's design, else
    "custom cnn").
    """

    channels: tuple[int, ...] = (32, 64)
    kernels: tuple[int, ...] = (5, 5)
    pooling: str = "max"
    same_padding: bool = False
    hidden: tuple[int, ...] = (128,)
    activation: str = "relu"
    dropout: float = 0.5
    dropout_at: str = "output"
    loss: str = "cross_entropy"
    name: str | None = None

    kind = "cnn"

    def architecture(self) -> dict[str, Any]:
        """The architecture JSON; raises :class:`ArchitectureError` for a bad choice,
        saying which block does not fit the image."""
        channels = _check_sizes(
            "channels", self.channels, SIZE_BOUNDS["conv_blocks"], SIZE_BOUNDS["channels"]
        )
        kernels = _check_sizes(
            "kernels", self.kernels, SIZE_BOUNDS["conv_blocks"], SIZE_BOUNDS["kernel_size"]
        )
        if len(kernels) != len(channels):
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{blocks} convolution blocks (channels) but {kernels} kernel sizes "
                        "(kernels): give one kernel size per block",
                    ),
                    blocks=len(channels),
                    kernels=len(kernels),
                )
            )
        hidden = _check_sizes(
            "hidden", self.hidden, SIZE_BOUNDS["fc_layers"], SIZE_BOUNDS["hidden_units"]
        )
        _check_choice("pooling", self.pooling, POOLINGS)
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("dropout_at", self.dropout_at, DROPOUT_PLACES)
        _check_choice("loss", self.loss, LOSS_NAMES)
        if not isinstance(self.same_padding, bool):
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{name} must be true or false, got {value}"),
                    name="same_padding",
                    value=repr(self.same_padding),
                )
            )
        p = _check_dropout(self.dropout)
        act = {"type": ACTIVATIONS[self.activation]}
        c, size = INPUT_SHAPE[0], INPUT_SHAPE[1]
        layers: list[dict[str, Any]] = []
        for block, (out, k) in enumerate(zip(channels, kernels, strict=True), 1):
            pad = k // 2 if self.same_padding else 0
            size = size + 2 * pad - k + 1
            if size < 1:
                raise ArchitectureError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "convolution block {block}: its {k}x{k} kernel is larger than the "
                            "maps it gets; use smaller kernels, fewer blocks, same padding or no "
                            "pooling",
                        ),
                        block=block,
                        k=k,
                    )
                )
            conv: dict[str, Any] = {
                "type": "Conv2D",
                "in_channels": c,
                "out_channels": out,
                "kernel_size": k,
            }
            if pad:
                conv["padding"] = pad
            layers.append(conv)
            pool = {"max": "MaxPool2D", "avg": "AvgPool2D"}.get(self.pooling)
            if pool is not None and size < 2:
                raise ArchitectureError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "convolution block {block}: its maps are {size}x{size}, too small to "
                            "pool; use fewer blocks, smaller kernels, same padding or no pooling",
                        ),
                        block=block,
                        size=size,
                    )
                )
            if self.pooling == "max":
                layers += [{"type": pool, "kernel_size": 2}, dict(act)]
            elif self.pooling == "avg":
                layers += [dict(act), {"type": pool, "kernel_size": 2}]
            else:
                layers.append(dict(act))
            if pool is not None:
                size //= 2
            if p and self.dropout_at == "everywhere":
                layers.append({"type": "Dropout", "p": p})
            c = out
        layers.append({"type": "Flatten"})
        layers += _hidden_part(
            c * size * size, hidden, self.activation, p, self.dropout_at != "output"
        )
        return _wrap(_name(self), self.loss, layers)


# ---------------------------------------------------------------------------------------
# Checking an architecture
# ---------------------------------------------------------------------------------------

_KEYS = ("name", "input_shape", "classes", "loss", "layers")


def _arguments(cls: type[Layer]) -> tuple[list[str], list[str]]:
    """The JSON arguments of a layer type: (all of them, the required ones). ``init`` and
    ``rng`` are the model's to give."""
    names, required = [], []
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "init", "rng") or param.kind in (
            param.VAR_POSITIONAL,
            param.VAR_KEYWORD,
        ):
            continue
        names.append(name)
        if param.default is inspect.Parameter.empty:
            required.append(name)
    return names, required


def _shape_text(shape: tuple[int, ...]) -> Phrase:
    if len(shape) == 1:
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "{count} values"), count=shape[0])
    if len(shape) == 3 and shape[0] == 1:
        return error_phrase(
            QT_TRANSLATE_NOOP("Errors", "1 map of {height}x{width}"),
            height=shape[1],
            width=shape[2],
        )
    if len(shape) == 3:
        return error_phrase(
            QT_TRANSLATE_NOOP("Errors", "{count} maps of {height}x{width}"),
            count=shape[0],
            height=shape[1],
            width=shape[2],
        )
    return error_phrase(QT_TRANSLATE_NOOP("Errors", "values of shape {shape}"), shape=str(shape))


def _layer_label(i: int, spec: dict[str, Any]) -> Phrase:
    return error_phrase(
        QT_TRANSLATE_NOOP("Errors", "layer {index} ({type})"), index=i, type=str(spec.get("type"))
    )


def _shape_problem(
    i: int, spec: dict[str, Any], layer: Layer, shape: tuple[int, ...], source: Phrase
) -> Phrase:
    """What is wrong when ``layer`` (layer ``i``) does not take ``shape`` from ``source``,
    and how to fix it."""
    where = _layer_label(i, spec)
    kind = layer.kind
    if kind is LayerKind.DENSE:
        if len(shape) != 1:
            return error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "{where} gets {shape} from {source}, but a fully connected layer takes a "
                    "vector: put {flatten} before it",
                ),
                where=where,
                shape=_shape_text(shape),
                source=source,
                flatten='{"type": "Flatten"}',
            )
        return error_phrase(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{where} has in_features {found}, but {source} gives {count} values: set {fix}",
            ),
            where=where,
            found=spec.get("in_features"),
            source=source,
            count=shape[0],
            fix=f'"in_features": {shape[0]}',
        )
    if len(shape) != 3:
        return error_phrase(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{where} needs maps (channels, height, width), but {source} gives {shape}: put "
                "it before the Flatten layer",
            ),
            where=where,
            source=source,
            shape=_shape_text(shape),
        )
    if kind is LayerKind.CONVOLUTION and shape[0] != spec.get("in_channels"):
        return error_phrase(
            QT_TRANSLATE_NOOP(
                "Errors", "{where} has in_channels {found}, but {source} gives {shape}: set {fix}"
            ),
            where=where,
            found=spec.get("in_channels"),
            source=source,
            shape=_shape_text(shape),
            fix=f'"in_channels": {shape[0]}',
        )
    return error_phrase(
        QT_TRANSLATE_NOOP(
            "Errors",
            "{where}: its {k}x{k} window does not fit the {height}x{width} maps that {source} "
            "gives: use a smaller kernel_size, padding, or fewer pooling layers before it",
        ),
        where=where,
        k=spec.get("kernel_size"),
        height=shape[1],
        width=shape[2],
        source=source,
    )


def check_architecture(architecture: Any) -> dict[str, Any]:
    """Check an architecture JSON (as model files hold it) for training on MNIST digits;
    returns a copy with the optional keys filled in.

    Raises :class:`ArchitectureError` for the first problem, naming the layer (by its
    0-based position and type), what is wrong and how to fix it, e.g. ``layer 5 (Dense) has
    in_features 1000, but layer 4 (Flatten) gives 1024 values: set "in_features": 1024``.
    """
    if not isinstance(architecture, dict):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "an architecture is a JSON object such as {example}; got {kind}"
                ),
                example='{"loss": "cross_entropy", "layers": [...]}',
                kind=type(architecture).__name__,
            )
        )
    unknown = [k for k in architecture if k not in _KEYS]
    if unknown:
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "unknown key {key!r} in the architecture: the keys are {keys}"
                ),
                key=unknown[0],
                keys=", ".join(_KEYS),
            )
        )
    arch = copy.deepcopy(architecture)
    arch.setdefault("name", "custom")
    if not isinstance(arch["name"], str):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "name must be a string, got {value!r}"),
                value=arch["name"],
            )
        )
    if arch.setdefault("input_shape", list(INPUT_SHAPE)) != list(INPUT_SHAPE):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "input_shape must be {expected} (MNIST's 28x28 grey digits), got {value!r}",
                ),
                expected=str(list(INPUT_SHAPE)),
                value=arch["input_shape"],
            )
        )
    classes = arch.setdefault("classes", list(DIGITS))
    if (
        not isinstance(classes, list)
        or not 2 <= len(classes) <= 1000
        or not all(isinstance(c, str) for c in classes)
    ):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "classes must be a list of 2 to 1000 names, such as {example}; got {value!r}",
                ),
                example=str(list(DIGITS)),
                value=classes,
            )
        )
    loss = arch.setdefault("loss", "cross_entropy")
    if loss not in LOSS_NAMES:
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "unknown loss {name!r}: use {choices}"),
                name=loss,
                choices=join(LOSS_NAMES, error_phrase(QT_TRANSLATE_NOOP("Errors", " or "))),
            )
        )
    specs = arch.get("layers")
    if not isinstance(specs, list) or not specs:
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", 'the architecture needs "layers": a list of layers such as {example}'
                ),
                example='[{"type": "Flatten"}, {"type": "Dense", "in_features": 784, '
                '"out_features": 10}]',
            )
        )
    shape: tuple[int, ...] = INPUT_SHAPE
    source = error_phrase(QT_TRANSLATE_NOOP("Errors", "the 1x28x28 input"))
    total = 0
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict) or "type" not in spec:
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        'layer {index}: each layer is an object with a "type", such as {example}; '
                        "got {value!r}",
                    ),
                    index=i,
                    example='{"type": "ReLU"}',
                    value=spec,
                )
            )
        name = spec["type"]
        if name not in LAYER_TYPES:
            by_lower = {t.lower(): t for t in LAYER_TYPES}
            close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1)
            if close:
                raise ArchitectureError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "layer {index}: unknown type {name!r}; did you mean {close!r}? the "
                            "types are {types}",
                        ),
                        index=i,
                        name=name,
                        close=by_lower[close[0]],
                        types=", ".join(LAYER_TYPES),
                    )
                )
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "layer {index}: unknown type {name!r}; the types are {types}"
                    ),
                    index=i,
                    name=name,
                    types=", ".join(LAYER_TYPES),
                )
            )
        cls = LAYER_TYPES[name]
        where = _layer_label(i, spec)
        allowed, required = _arguments(cls)
        args = {k: v for k, v in spec.items() if k != "type"}
        for key in args:
            if key not in allowed and allowed:
                raise ArchitectureError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{where}: unknown argument {key!r}; it takes {names}"
                        ),
                        where=where,
                        key=key,
                        names=", ".join(allowed),
                    )
                )
            if key not in allowed:
                raise ArchitectureError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{where}: unknown argument {key!r}; it takes no arguments"
                        ),
                        where=where,
                        key=key,
                    )
                )
        missing = [k for k in required if k not in args]
        if missing:
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{where}: missing {missing}; it takes {names}"),
                    where=where,
                    missing=", ".join(repr(k) for k in missing),
                    names=", ".join(allowed),
                )
            )
        try:
            total += cls.count_parameters(args)
        except ValueError as exc:  # the layer's own bounds, which say what it accepts
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{where}: {problem}"),
                    where=where,
                    problem=phrase_of(exc),
                )
            ) from None
        except (KeyError, TypeError) as exc:
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{where}: bad arguments {args!r} ({problem})"),
                    where=where,
                    args=args,
                    problem=str(exc),
                )
            ) from None
        if total > MAX_PARAMETERS:
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{where} brings the network to {total:,} parameters, more than "
                        "{limit:,}: make the layers smaller",
                    ),
                    where=where,
                    total=total,
                    limit=MAX_PARAMETERS,
                )
            )
        try:
            layer = cls(**args)
        except (TypeError, ValueError) as exc:
            raise ArchitectureError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{where}: {problem}"),
                    where=where,
                    problem=phrase_of(exc),
                )
            ) from None
        try:
            out = layer.output_shape(shape)
        except ValueError:
            raise ArchitectureError(_shape_problem(i, spec, layer, shape, source)) from None
        shape, source = out, where
    if shape != (len(classes),):
        if len(shape) == 1:
            fix = error_phrase(
                QT_TRANSLATE_NOOP("Errors", "end with {layer}"),
                layer=f'{{"type": "Dense", "in_features": {shape[0]}, '
                f'"out_features": {len(classes)}}}',
            )
        else:
            fix = error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "end with {flatten} and a Dense layer of {count} out_features"
                ),
                flatten='{"type": "Flatten"}',
                count=len(classes),
            )
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "the network ends with {shape} (from {source}), but there are {count} "
                    "classes: {fix}",
                ),
                shape=_shape_text(shape),
                source=source,
                count=len(classes),
                fix=fix,
            )
        )
    return arch


# ---------------------------------------------------------------------------------------
# Editing an architecture (the training doctor's fixes)
# ---------------------------------------------------------------------------------------

_ACTIVATION_TYPES = {t: name for name, t in ACTIVATIONS.items()}


def activation_of(architecture: dict[str, Any]) -> str | None:
    """The activation (a key of :data:`ACTIVATIONS`) of the architecture's hidden layers,
    when they all use one; None otherwise."""
    found = {
        _ACTIVATION_TYPES[s.get("type")]
        for s in architecture.get("layers", [])
        if s.get("type") in _ACTIVATION_TYPES
    }
    return found.pop() if len(found) == 1 else None


def with_activation(architecture: dict[str, Any], activation: str) -> dict[str, Any]:
    """A copy of ``architecture`` with every sigmoid, tanh and ReLU layer replaced by
    ``activation`` (the initialisation follows: He for ReLU, Glorot otherwise)."""
    _check_choice("activation", activation, ACTIVATIONS)
    arch = copy.deepcopy(architecture)
    for spec in arch["layers"]:
        if spec.get("type") in _ACTIVATION_TYPES:
            spec.clear()
            spec["type"] = ACTIVATIONS[activation]
    return arch


def with_dropout(architecture: dict[str, Any], p: float) -> dict[str, Any]:
    """A copy of ``architecture`` whose dropout layers have rate ``p``; without any, one is
    put before the output layer (the last fully connected layer)."""
    p = _check_dropout(p)
    arch = copy.deepcopy(architecture)
    layers = arch["layers"]
    drops = [s for s in layers if s.get("type") == "Dropout"]
    for spec in drops:
        spec["p"] = p
    if not drops and p:
        last = max((i for i, s in enumerate(layers) if s.get("type") == "Dense"), default=None)
        if last is not None:
            layers.insert(last, {"type": "Dropout", "p": p})
    return arch


def with_loss(architecture: dict[str, Any], loss: str) -> dict[str, Any]:
    """A copy of ``architecture`` trained with ``loss``."""
    _check_choice("loss", loss, LOSS_NAMES)
    arch = copy.deepcopy(architecture)
    arch["loss"] = loss
    return arch


def with_not_a_digit_output(architecture: dict[str, Any], refusing: bool = True) -> dict[str, Any]:
    """A copy of ``architecture`` whose output layer (the last fully connected layer) has the
    11th output "not a digit" (``refusing``) or only the ten digits (not ``refusing``), with
    the classes to match. An architecture already as asked is copied unchanged.

    Raises :class:`ArchitectureError` when the classes are not the digits (with or without
    "not a digit") or no fully connected layer gives them.
    """
    arch = copy.deepcopy(architecture)
    classes = list(arch.get("classes", DIGITS))
    layers = arch.get("layers", [])
    last = max((i for i, s in enumerate(layers) if s.get("type") == "Dense"), default=None)
    if (
        classes not in (list(DIGITS), list(REFUSING_CLASSES))
        or last is None
        or layers[last].get("out_features") != len(classes)
    ):
        raise ArchitectureError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "only a network whose last fully connected layer gives the ten digits can "
                    "learn to say 'not a digit'",
                )
            )
        )
    wanted = list(REFUSING_CLASSES if refusing else DIGITS)
    arch["classes"] = wanted
    layers[last]["out_features"] = len(wanted)
    return arch
