"""Export a model to ONNX, so other programs can run it (onnxruntime in Python, C#, Java, C++, or
in a browser with onnxruntime-web).

The graph computes what :meth:`Model.predict_proba` computes after
:meth:`Model.prepare_input`:

- input ``images``: float32 (N, C, H, W), (N, 1, 28, 28) for every preset, values in [0, 1]
  (clipped to it, as ``prepare_input`` does), bright ink on a dark background, centred like
  MNIST (what :func:`handwrite.preprocess` makes of a drawing); the batch axis ``N`` is dynamic;
- output ``probabilities``: float32 (N, classes), rows summing to 1 (the loss's
  ``probabilities``: softmax for cross-entropy, clipped and normalised outputs for squared
  error).

A model that answers "not a digit" (one with the 11th output, or with a
:attr:`~handwrite.nn.model.Model.refusal`) gives what :meth:`Model.answer
<handwrite.nn.model.Model.answer>` gives instead:

- ``probabilities``: float32 (N, 10), the ten digits' softmax with the refusal's temperature;
- ``digit_score``: float32 (N,) in [0, 1], how much each image looks like a digit;
- ``digit``: int64 (N,), the most probable digit, or -1 where the digit score is under the
  refusal's threshold (never, without a refusal).

Every layer type has a translation into standard ONNX operators, registered by its
``type_name`` in :data:`LAYER_TRANSLATIONS`; the loss's probabilities are in
:data:`PROBABILITY_TRANSLATIONS`. The ``onnx`` package is needed only here, and only when a
function of this module is called: ``pip install 'handwrite[export]'``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from handwrite.atomicfile import atomic_write
from handwrite.bounds import Bounds
from handwrite.nn.backend import to_numpy
from handwrite.nn.layers import Layer, gaussian_kernel1d, separable_filter
from handwrite.nn.losses import Loss
from handwrite.nn.saving import DEFAULT_PREPROCESSING
from handwrite.refusal import DIGIT_CLASSES, NOT_A_DIGIT, Refusal
from handwrite.translatable import QT_TRANSLATE_NOOP, TranslatableError, error_phrase
from handwrite.version import __version__

if TYPE_CHECKING:
    import onnx


class ExportableModel(Protocol):
    """What the exporter reads of a :class:`~handwrite.nn.model.Model` (which imports this
    module for :meth:`~handwrite.nn.model.Model.to_onnx`)."""

    name: str
    layers: list[Layer]
    loss: Loss
    input_shape: tuple[int, ...]
    classes: tuple[str, ...]
    metadata: dict[str, Any]

    def architecture(self) -> dict[str, Any]: ...

    @property
    def refusal(self) -> Any: ...

    @property
    def has_not_a_digit_output(self) -> bool: ...


#: The opset written by default: run by every onnxruntime since 1.13, in Python and in the
#: browser alike.
DEFAULT_OPSET = 17
#: The oldest opset the translations use (Softmax along one axis, ReduceSum's axes as input).
MIN_OPSET = 13

INPUT_NAME = "images"
OUTPUT_NAME = "probabilities"
#: The outputs of a model that answers "not a digit", after ``probabilities``.
SCORE_NAME = "digit_score"
DIGIT_NAME = "digit"
#: The dynamic batch axis of the input and of every output.
BATCH = "N"

_INSTALL_HINT = "pip install 'handwrite[export]'"


class ExportError(TranslatableError):
    """The model cannot be exported: the ``onnx`` package is missing, the opset is out of
    range, a layer has no translation, or the file cannot be written."""


def _import_onnx() -> Any:
    try:
        import onnx
    except ImportError as exc:
        raise ExportError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "ONNX export needs the onnx package: {command}"),
                command=_INSTALL_HINT,
            )
        ) from exc
    return onnx


# ---------------------------------------------------------------------------------------
# The graph under construction
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """A graph output: the value named ``value`` in the graph, published as ``name``.

    ``elem_type``: an ``onnx.TensorProto`` element type (FLOAT, INT64, ...); ``shape``: sizes
    and symbolic names, with :data:`BATCH` first.
    """

    name: str
    value: str
    elem_type: int
    shape: tuple[int | str, ...]


class GraphBuilder:
    """Collects the nodes and constant tensors (initializers) of one ONNX graph.

    Values are referred to by name (``str``). :meth:`op` adds one node and returns the name of
    its output; :meth:`const` adds a float32 (or int64) tensor. Node and value names start with
    :attr:`scope`, which the exporter sets to ``"<layer index>.<layer type>"`` so each node
    says which layer of the model it computes.
    """

    def __init__(self, onnx_module: Any, opset: int) -> None:
        self.onnx = onnx_module
        self.opset = opset
        self.scope = ""
        self.nodes: list[Any] = []
        self.initializers: dict[str, Any] = {}
        self._counts: dict[str, int] = {}

    def _fresh(self, base: str) -> str:
        n = self._counts.get(base, 0)
        self._counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def op(self, op_type: str, *inputs: str, **attributes: Any) -> str:
        """Add a node ``op_type(*inputs)`` with ``attributes``; returns its output's name."""
        name = self._fresh(f"{self.scope}/{op_type}" if self.scope else op_type)
        self.nodes.append(
            self.onnx.helper.make_node(op_type, list(inputs), [name], name=name, **attributes)
        )
        return name

    def const(self, name: str, value: Any, dtype: Any = np.float32) -> str:
        """A constant tensor ``value`` (cast to ``dtype``) named ``name``; reused if that name
        already holds the same value."""
        array = np.ascontiguousarray(value, dtype=dtype)
        known = self.initializers.get(name)
        if known is not None:
            if not np.array_equal(self.onnx.numpy_helper.to_array(known), array):
                raise ValueError(f"two different constants named {name!r}")
            return name
        self.initializers[name] = self.onnx.numpy_helper.from_array(array, name)
        return name

    def reduce_mean(self, x: str, axes: Sequence[int]) -> str:
        """Mean over ``axes`` keeping them (size 1): the axes became an input in opset 18."""
        return self.reduce("ReduceMean", x, axes)

    def reduce(self, op_type: str, x: str, axes: Sequence[int]) -> str:
        """``op_type`` (ReduceMean, ReduceMax, ReduceLogSumExp...) over ``axes`` keeping them:
        the axes became an input in opset 18."""
        if self.opset >= 18:
            key = "axes_" + "_".join(str(a) for a in axes)
            return self.op(op_type, x, self.const(key, list(axes), np.int64), keepdims=1)
        return self.op(op_type, x, axes=list(axes), keepdims=1)

    def reduce_sum(self, x: str, axes: Sequence[int]) -> str:
        """Sum over ``axes`` keeping them (the axes are an input since opset 13)."""
        key = "axes_" + "_".join(str(a) for a in axes)
        return self.op("ReduceSum", x, self.const(key, list(axes), np.int64), keepdims=1)

    def build(self, inputs: Sequence[Any], outputs: Sequence[Output], name: str) -> Any:
        """The ``onnx.GraphProto``: each output's value is renamed to the output's name."""
        helper = self.onnx.helper
        renames = {out.value: out.name for out in outputs}
        for node in self.nodes:
            for i, value in enumerate(node.input):
                node.input[i] = renames.get(value, value)
            for i, value in enumerate(node.output):
                node.output[i] = renames.get(value, value)
        infos = [helper.make_tensor_value_info(o.name, o.elem_type, o.shape) for o in outputs]
        return helper.make_graph(
            self.nodes, name, list(inputs), infos, initializer=list(self.initializers.values())
        )


# ---------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------

#: ``translate(g, layer, x, shape, prefix) -> y``: adds the nodes computing ``layer`` on the
#: value ``x`` (one sample of shape ``shape``, no batch axis) to ``g`` and returns the output
#: value. ``prefix`` (``"3."``) names the layer's parameters as in the model file
#: (``"3.weight"``).
LayerTranslation = Callable[[GraphBuilder, Layer, str, tuple[int, ...], str], str]

#: Layer ``type_name`` -> its translation into ONNX operators.
LAYER_TRANSLATIONS: dict[str, LayerTranslation] = {}


def _translates(type_name: str) -> Callable[[LayerTranslation], LayerTranslation]:
    def register(fn: LayerTranslation) -> LayerTranslation:
        LAYER_TRANSLATIONS[type_name] = fn
        return fn

    return register


def _param(g: GraphBuilder, layer: Layer, prefix: str, name: str) -> str:
    """The layer's parameter ``name`` as a float32 host constant named as in the model file."""
    return g.const(prefix + name, to_numpy(layer.params[name].data))


@_translates("Dense")
def _dense(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    # y = x W^T + b with W (out, in): Gemm with transB
    w, b = _param(g, layer, prefix, "weight"), _param(g, layer, prefix, "bias")
    return g.op("Gemm", x, w, b, transB=1)


@_translates("Flatten")
def _flatten(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    # ONNX Flatten keeps axis 0 and flattens the rest in row-major order: (C, H, W) in C
    # order, the order the core's Flatten gives the Dense weights.
    return g.op("Flatten", x, axis=1)


@_translates("ReLU")
def _relu(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    return g.op("Relu", x)


@_translates("Sigmoid")
def _sigmoid(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    return g.op("Sigmoid", x)


@_translates("Tanh")
def _tanh(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    return g.op("Tanh", x)


@_translates("Dropout")
def _dropout(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    return x  # the identity at inference (inverted dropout scales in training only)


@_translates("Conv2D")
def _conv2d(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
    k, s, p = layer.kernel_size, layer.stride, layer.padding
    w, b = _param(g, layer, prefix, "weight"), _param(g, layer, prefix, "bias")
    return g.op("Conv", x, w, b, kernel_shape=[k, k], strides=[s, s], pads=[p, p, p, p])


def _pool(op_type: str) -> LayerTranslation:
    def translate(g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str) -> str:
        # no padding; the output size rounds down (ceil_mode 0), as in the core
        k, s = layer.kernel_size, layer.stride
        return g.op(op_type, x, kernel_shape=[k, k], strides=[s, s])

    return translate


LAYER_TRANSLATIONS["MaxPool2D"] = _pool("MaxPool")
LAYER_TRANSLATIONS["AvgPool2D"] = _pool("AveragePool")


@_translates("LocalContrastNorm")
def _local_contrast_norm(
    g: GraphBuilder, layer: Any, x: str, shape: tuple[int, ...], prefix: str
) -> str:
    """The core's LCN step by step. The window average ``A(z)`` over space and channels is the
    channel mean (ReduceMean) filtered by two one-channel 1-D Gaussian convolutions (rows, then
    columns, zero padding, as ``separable_filter`` does), divided by the filtered image of ones
    (the border renormalisation), a constant (1, 1, H, W) tensor computed by the core's own
    filter."""
    k, r = layer.kernel_size, layer.kernel_size // 2
    _, h, w = shape
    g1 = gaussian_kernel1d(k, layer.sigma)
    down = g.const(f"{prefix}gaussian_rows", g1.astype(np.float32).reshape(1, 1, k, 1))
    across = g.const(f"{prefix}gaussian_columns", g1.astype(np.float32).reshape(1, 1, 1, k))
    norm = g.const(f"{prefix}window_sums", separable_filter(np.ones((1, 1, h, w), np.float32), g1))

    def window_average(z: str) -> str:  # (N, C, H, W) -> (N, 1, H, W)
        m = g.reduce_mean(z, [1])
        m = g.op("Conv", m, down, kernel_shape=[k, 1], pads=[r, 0, r, 0])
        m = g.op("Conv", m, across, kernel_shape=[1, k], pads=[0, r, 0, r])
        return g.op("Div", m, norm)

    v = g.op("Sub", x, window_average(x))
    sigma = g.op("Sqrt", window_average(g.op("Mul", v, v)))
    c_mean = g.reduce_mean(sigma, [2, 3])
    eps = g.const(f"{prefix}eps", np.float32(layer.eps))
    return g.op("Div", v, g.op("Max", sigma, c_mean, eps))


# ---------------------------------------------------------------------------------------
# Probabilities from the last layer's outputs
# ---------------------------------------------------------------------------------------

#: ``probabilities(g, y, classes) -> p``: the loss's ``probabilities`` of the (N, classes)
#: outputs ``y``.
ProbabilityTranslation = Callable[[GraphBuilder, str, int], str]

#: Loss name -> the translation of its ``probabilities``.
PROBABILITY_TRANSLATIONS: dict[str, ProbabilityTranslation] = {}


def _softmax(g: GraphBuilder, y: str, classes: int) -> str:
    return g.op("Softmax", y, axis=1)


def _clipped_normalised(g: GraphBuilder, y: str, classes: int) -> str:
    """``max(y, 0)`` normalised to sum 1 per row, uniform where every output is <= 0."""
    p = g.op("Relu", y)
    total = g.reduce_sum(p, [1])
    some = g.op("Greater", total, g.const("zero", np.float32(0)))
    safe = g.op("Where", some, total, g.const("one", np.float32(1)))
    uniform = g.const("uniform", np.float32(1.0 / classes))
    return g.op("Where", some, g.op("Div", p, safe), uniform)


PROBABILITY_TRANSLATIONS["cross_entropy"] = _softmax
PROBABILITY_TRANSLATIONS["squared_error"] = _clipped_normalised


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------


def _network(g: GraphBuilder, model: ExportableModel, x: str) -> str:
    """The layers in order on the images ``x``; returns the last layer's (N, classes) value."""
    shape = model.input_shape
    for i, layer in enumerate(model.layers):
        type_name = layer.spec()["type"]
        translate = LAYER_TRANSLATIONS.get(type_name)
        if translate is None:
            raise ExportError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "layer {index} ({type}) has no ONNX translation; add one to {table}",
                    ),
                    index=i,
                    type=type_name,
                    table="handwrite.nn.export.LAYER_TRANSLATIONS",
                )
            )
        g.scope = f"{i}.{type_name}"
        x = translate(g, layer, x, shape, f"{i}.")
        shape = layer.output_shape(shape)
    g.scope = ""
    return x


def _outputs(g: GraphBuilder, model: ExportableModel, logits: str) -> list[Output]:
    """The graph's outputs, computed from the last layer's (N, classes) values ``logits``.

    Everything after the network lives here: a temperature divides ``logits`` before the
    probabilities are taken, and further per-image outputs (a score, a decision) are appended
    to the list, each an :class:`Output` with the batch axis first.
    """
    classes = len(model.classes)
    loss_name = model.loss.name
    to_probabilities = PROBABILITY_TRANSLATIONS.get(loss_name)
    if to_probabilities is None:
        raise ExportError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "the loss {name!r} has no ONNX translation of its probabilities; add one to "
                    "{table}",
                ),
                name=loss_name,
                table="handwrite.nn.export.PROBABILITY_TRANSLATIONS",
            )
        )
    if _answers(model):
        return _answer_outputs(g, model, logits)
    g.scope = "probabilities"
    p = to_probabilities(g, logits, classes)
    g.scope = ""
    return [Output(OUTPUT_NAME, p, g.onnx.TensorProto.FLOAT, (BATCH, classes))]


def _answers(model: ExportableModel) -> bool:
    """Whether the graph gives the three answers of a model that can say "not a digit"."""
    return model.has_not_a_digit_output or model.refusal is not None


def _answer_outputs(g: GraphBuilder, model: ExportableModel, z: str) -> list[Output]:
    """``probabilities``, ``digit_score`` and ``digit`` from the logits ``z``, as
    :meth:`handwrite.refusal.Refusal.answer` computes them (the refusal that never refuses
    for a model without one)."""
    refusal = model.refusal or Refusal.default_for(len(model.classes))
    tensor = g.onnx.TensorProto
    g.scope = "probabilities"
    digits = z
    if model.has_not_a_digit_output:
        digits = g.op(
            "Slice",
            z,
            g.const("digits_start", [0], np.int64),
            g.const("digits_end", [DIGIT_CLASSES], np.int64),
            g.const("class_axis", [1], np.int64),
        )
    scaled = g.op("Div", digits, g.const("temperature", np.float32(refusal.temperature)))
    p = g.op("Softmax", scaled, axis=1)
    g.scope = "digit_score"
    # (N, 1) -> (N,) by Squeeze, which keeps the batch axis symbolic (a Reshape to [-1]
    # would not).
    class_axis = g.const("class_axis", [1], np.int64)
    if refusal.method == "not_a_digit_class":
        whole = g.op("Softmax", z, axis=1)
        other = g.op(
            "Slice",
            whole,
            g.const("other_start", [DIGIT_CLASSES], np.int64),
            g.const("other_end", [DIGIT_CLASSES + 1], np.int64),
            g.const("class_axis", [1], np.int64),
        )
        score = g.op("Sub", g.const("one", np.float32(1)), g.op("Squeeze", other, class_axis))
    elif refusal.method == "energy":
        energy = g.op("Squeeze", g.reduce("ReduceLogSumExp", z, [1]), class_axis)
        shifted = g.op("Sub", energy, g.const("energy_centre", np.float32(refusal.centre)))
        score = g.op(
            "Sigmoid", g.op("Div", shifted, g.const("energy_scale", np.float32(refusal.scale)))
        )
    else:  # the top probability, rescaled from [1/10, 1] to [0, 1]
        top = g.op("Squeeze", g.reduce("ReduceMax", p, [1]), class_axis)
        share = g.op(
            "Div",
            g.op("Sub", top, g.const("tenth", np.float32(0.1))),
            g.const("nine_tenths", np.float32(0.9)),
        )
        score = g.op("Clip", share, g.const("zero", np.float32(0)), g.const("one", np.float32(1)))
    g.scope = "digit"
    best = g.op("ArgMax", p, axis=1, keepdims=0)
    refused = g.op("Less", score, g.const("threshold", np.float32(refusal.threshold)))
    digit = g.op("Where", refused, g.const("not_a_digit", np.int64(NOT_A_DIGIT), np.int64), best)
    g.scope = ""
    return [
        Output(OUTPUT_NAME, p, tensor.FLOAT, (BATCH, DIGIT_CLASSES)),
        Output(SCORE_NAME, score, tensor.FLOAT, (BATCH,)),
        Output(DIGIT_NAME, digit, tensor.INT64, (BATCH,)),
    ]


def _metadata(model: ExportableModel) -> dict[str, str]:
    """``metadata_props`` of the ONNX file: JSON strings that describe the model."""
    c, h, w = model.input_shape
    props: dict[str, Any] = {
        "handwrite_version": __version__,
        "classes": list(model.classes),
        "input": {
            "name": INPUT_NAME,
            "shape": [BATCH, c, h, w],
            "dtype": "float32",
            "range": [0.0, 1.0],
        },
        "output": {"name": OUTPUT_NAME, "shape": [BATCH, len(model.classes)], "dtype": "float32"},
        "preprocessing": model.metadata.get("preprocessing") or DEFAULT_PREPROCESSING,
        "architecture": model.architecture(),
    }
    if _answers(model):
        props["classes"] = list(model.classes[:DIGIT_CLASSES])
        props["output"] = {"name": OUTPUT_NAME, "shape": [BATCH, DIGIT_CLASSES], "dtype": "float32"}
        props["outputs"] = [
            props["output"],
            {"name": SCORE_NAME, "shape": [BATCH], "dtype": "float32", "range": [0.0, 1.0]},
            {"name": DIGIT_NAME, "shape": [BATCH], "dtype": "int64", "not_a_digit": NOT_A_DIGIT},
        ]
        refusal = model.refusal or Refusal.default_for(len(model.classes))
        props["refusal"] = refusal.to_json()
    if model.metadata.get("training"):
        props["training"] = model.metadata["training"]
    out = {}
    for key, value in props.items():
        try:
            out[key] = value if isinstance(value, str) else json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ExportError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "model metadata {key!r} is not plain JSON: {problem}"
                    ),
                    key=key,
                    problem=str(exc),
                )
            ) from exc
    return out


def _doc_string(model: ExportableModel) -> str:
    c, h, w = model.input_shape
    classes = ", ".join(model.classes)
    if _answers(model):
        return (
            f"handwrite {model.name or 'model'}: a handwritten digit classifier that can say "
            f"'not a digit'. Input {INPUT_NAME!r}: float32 ({BATCH}, {c}, {h}, {w}), values 0-1, "
            "bright ink (1) on a dark background (0), the digit scaled into a 20x20 box and "
            "centred by its centre of mass, as in MNIST (handwrite.preprocess does this to a "
            f"drawing). Outputs: {OUTPUT_NAME!r} float32 ({BATCH}, 10), the ten digits' "
            f"probabilities summing to 1; {SCORE_NAME!r} float32 ({BATCH},), in [0, 1], how much "
            f"each image looks like any digit; {DIGIT_NAME!r} int64 ({BATCH},), the digit, or "
            f"{NOT_A_DIGIT} where the model refuses the image (not a digit)."
        )
    return (
        f"handwrite {model.name or 'model'}: a handwritten digit classifier. "
        f"Input {INPUT_NAME!r}: float32 ({BATCH}, {c}, {h}, {w}), values 0-1, bright ink (1) on "
        "a dark background (0), the digit scaled into a 20x20 box and centred by its centre of "
        f"mass, as in MNIST (handwrite.preprocess does this to a drawing). Output "
        f"{OUTPUT_NAME!r}: float32 ({BATCH}, {len(model.classes)}), class probabilities summing "
        f"to 1, for the classes {classes}."
    )


def build_onnx(model: ExportableModel, *, opset: int = DEFAULT_OPSET) -> onnx.ModelProto:
    """The ONNX model (an ``onnx.ModelProto``) of ``model``, checked with ``onnx.checker``.

    Raises :class:`ExportError` when the ``onnx`` package is missing, ``opset`` is outside
    [:data:`MIN_OPSET`, the newest the installed ``onnx`` knows], or a layer or the loss has no
    translation.
    """
    onnx = _import_onnx()
    newest = onnx.defs.onnx_opset_version()
    if isinstance(opset, bool) or not isinstance(opset, int) or not MIN_OPSET <= opset <= newest:
        raise ExportError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} must be {bounds}, got {value}"),
                name="opset",
                bounds=Bounds(MIN_OPSET, newest, integer=True).phrase(),
                value=repr(opset),
            )
        )
    helper = onnx.helper
    g = GraphBuilder(onnx, opset)
    images = helper.make_tensor_value_info(
        INPUT_NAME, onnx.TensorProto.FLOAT, [BATCH, *model.input_shape]
    )
    # prepare_input clips float images to [0, 1]; so does the graph.
    g.scope = "input"
    x = g.op("Clip", INPUT_NAME, g.const("zero", np.float32(0)), g.const("one", np.float32(1)))
    outputs = _outputs(g, model, _network(g, model, x))
    graph = g.build([images], outputs, name=f"handwrite-{model.name or 'model'}")
    opsets = [helper.make_opsetid("", opset)]
    proto = helper.make_model(
        graph,
        opset_imports=opsets,
        producer_name="handwrite",
        producer_version=__version__,
        doc_string=_doc_string(model),
    )
    # The oldest IR version that carries this opset, so older runtimes open the file too.
    proto.ir_version = helper.find_min_ir_version_for(opsets)
    helper.set_model_props(proto, _metadata(model))
    try:
        onnx.checker.check_model(proto, full_check=True)
    except onnx.checker.ValidationError as exc:
        raise ExportError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "the exported graph does not pass onnx.checker: {problem}"
                ),
                problem=str(exc),
            )
        ) from exc
    return proto


def to_onnx(
    model: ExportableModel, path: str | os.PathLike[str], *, opset: int = DEFAULT_OPSET
) -> None:
    """Write ``model`` as an ONNX file at ``path``, atomically (see :func:`build_onnx`).

    Raises :class:`ExportError` for what :func:`build_onnx` refuses, and when the file cannot be
    written (then a previous file at ``path`` is left as it was).
    """
    path = Path(path)
    data = build_onnx(model, opset=opset).SerializeToString()
    try:
        atomic_write(path, lambda f: f.write(data))
    except OSError as exc:
        raise ExportError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{path}: could not write ({reason})"),
                path=str(path),
                reason=exc.strerror or str(exc),
            )
        ) from exc
