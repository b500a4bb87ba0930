"""The sequential model: layers, a loss, an architecture that is plain JSON, and metadata.

A :class:`Model` owns its arrays on one backend (NumPy or CuPy) and belongs to one thread. The
GUI predicts with its own copy (:meth:`Model.copy`), refreshed from the trainer's snapshots.
"""

from __future__ import annotations

import copy as _copy
import math
import os
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from handwrite.nn.backend import (
    device_of,
    get_array_module,
    get_backend,
    to_numpy,
    tune_host_allocator,
)
from handwrite.nn.layers import (
    LAYER_TYPES,
    ArgumentError,
    Layer,
    Parameter,
    RandomLayer,
    backward_through,
)
from handwrite.nn.losses import LOSSES, Loss, get_loss
from handwrite.nn.parallel import (
    ShardedStep,
    activation_values,
    blas_threads,
    default_threads,
    forward_in_pieces,
    split_plan,
)
from handwrite.nn.saving import save_model
from handwrite.refusal import (
    DIGIT_CLASSES,
    REFUSING_CLASSES,
    Answer,
    Refusal,
)
from handwrite.translatable import QT_TRANSLATE_NOOP, error_phrase, phrase_of

#: The labels of the ten MNIST classes.
DIGITS: tuple[str, ...] = tuple(str(d) for d in range(10))

#: A model file may hold at most this many parameters (a hostile architecture could otherwise
#: ask for terabytes before a single weight is read).
MAX_PARAMETERS = 50_000_000
#: The float32 values one image may cost a forward pass, summed over the layers (see
#: :meth:`Layer.memory_values <handwrite.nn.layers.Layer.memory_values>`): 16 MiB. The
#: presets need 2,000 (``mlp``) to 270,000 (``cnn-lcn``). Each argument within its bounds,
#: a model file could still combine them into gigabytes for one drawing (4,096 channels on
#: maps padded by 64 pixels).
MAX_ACTIVATION_VALUES_PER_IMAGE = 1 << 22
#: The bytes of activations one forward pass (or training step) may hold for a whole batch,
#: by the same count: ``predict_proba`` and ``train_step`` cut larger batches into pieces
#: that fit. The count is an upper bound in training as in inference: it adds up every
#: temporary as if all were alive at once.
MAX_BATCH_ACTIVATION_BYTES = 1 << 30
#: The most channels, and the longest side, of an input image.
_MAX_SIDE = 4096
#: Architecture names and class labels longer than this are no names.
_MAX_LABEL = 200


def _resolve_init(layer_types: list[type[Layer]]) -> list[str | None]:
    """The ``init`` of each layer that takes one: the ``init_hint`` of the first layer after it
    that gives one, before the next layer that takes an init (He before ReLU, Glorot before
    sigmoid or tanh); Glorot without one (the output layer). None for the other layers."""
    inits: list[str | None] = []
    for i, cls in enumerate(layer_types):
        hint = None
        if cls.takes_init:
            later = (c.init_hint for c in layer_types[i + 1 :] if c.takes_init or c.init_hint)
            hint = next(later, None) or "glorot"
        inits.append(hint)
    return inits


def _arguments(spec: dict[str, Any]) -> dict[str, Any]:
    """A layer's JSON spec without its ``"type"``: the arguments of its constructor."""
    return {k: v for k, v in spec.items() if k != "type"}


def _short(value: Any) -> str:
    """``repr(value)`` cut to a length fit for an error message (values come from files)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {_short(value)}")
    return int(value)


class Model:
    """A sequential network with a loss.

    ``layers`` run in order on ``x``: (N, *input_shape) float32; the last layer gives
    (N, len(classes)) outputs that the loss turns into probabilities.

    A network that learns to refuse has an 11th output, ``"not a digit"``
    (:data:`handwrite.refusal.REFUSING_CLASSES`); its answers are the ten digits alone
    (:attr:`answer_classes`), and :attr:`refusal` says when it refuses.
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        *,
        loss: str = "cross_entropy",
        input_shape: Sequence[int] = (1, 28, 28),
        classes: Sequence[str] = DIGITS,
        name: str = "",
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.layers = list(layers)
        if not self.layers:
            raise ArgumentError(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "a model needs at least one layer"))
            )
        self.loss: Loss = get_loss(loss)
        self.input_shape = tuple(int(s) for s in input_shape)
        self.classes = tuple(str(c) for c in classes)
        self.name = name
        self.metadata: dict[str, Any] = dict(metadata or {})
        shape = self.input_shape
        values = math.prod(shape)
        for layer in self.layers:
            values += layer.memory_values(shape)
            shape = layer.output_shape(shape)
        if shape != (len(self.classes),):
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "the last layer gives outputs of shape {shape}, but there are {count} "
                        "classes",
                    ),
                    shape=str(shape),
                    count=len(self.classes),
                )
            )
        if values > MAX_ACTIVATION_VALUES_PER_IMAGE:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "one image would need {values:,} activation values, more than the "
                        "{limit:,} allowed (smaller layers, less padding)",
                    ),
                    values=values,
                    limit=MAX_ACTIVATION_VALUES_PER_IMAGE,
                )
            )
        #: Float32 values one image costs a forward pass (see MAX_ACTIVATION_VALUES_PER_IMAGE).
        self.memory_values_per_image = values
        params = self.parameters()
        self.xp: Any = get_array_module(params[0].data) if params else np
        self._training = False
        self._threads: int | None = None
        self._sharded: ShardedStep | None = None
        self._values_per_image: int | None = None
        self._refusal: Refusal | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_architecture(
        cls,
        architecture: dict[str, Any],
        *,
        seed: int = 0,
        device: str = "cpu",
        metadata: dict[str, Any] | None = None,
        init_weights: bool = True,
    ) -> Model:
        """Build a freshly initialised model from its JSON architecture.

        ``architecture``: ``{"name": str, "input_shape": [C, H, W], "classes": [...],
        "loss": "cross_entropy" | "squared_error", "layers": [{"type": ..., **args}, ...]}``.
        Raises ``ValueError`` naming the first problem found, whatever the JSON holds.

        Everything is checked before any memory is used: each layer's arguments against its
        :attr:`~handwrite.nn.layers.Layer.bounds`, the number of parameters against
        :data:`MAX_PARAMETERS` (from the arguments alone), the shapes and the activations of
        one image against :data:`MAX_ACTIVATION_VALUES_PER_IMAGE` (on layers whose weights
        are placeholders that take no memory). Only then are the weights drawn.
        ``init_weights=False`` leaves the placeholders, for weights that
        :meth:`load_state_dict` loads next (a model file's); such a model computes nothing
        until then.
        """
        if not isinstance(architecture, dict):
            raise ArgumentError(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "architecture must be a JSON object"))
            )
        specs = architecture.get("layers")
        if not isinstance(specs, list) or not specs:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "architecture needs a non-empty 'layers' list")
                )
            )
        if len(specs) > 1000:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "architecture has {count:,} layers, more than {limit:,}"
                    ),
                    count=len(specs),
                    limit=1000,
                )
            )
        input_shape = architecture.get("input_shape", [1, 28, 28])
        if (
            not isinstance(input_shape, list)
            or len(input_shape) != 3
            or not all(
                isinstance(s, int) and not isinstance(s, bool) and 0 < s <= _MAX_SIDE
                for s in input_shape
            )
        ):
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "input_shape must be [channels, height, width] of 1 to {limit}, "
                        "got {value}",
                    ),
                    limit=_MAX_SIDE,
                    value=_short(input_shape),
                )
            )
        classes = architecture.get("classes", list(DIGITS))
        if not isinstance(classes, list) or not 2 <= len(classes) <= 1000:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "classes must be a list of 2 to 1000 labels")
                )
            )
        if not all(isinstance(c, str) and len(c) <= _MAX_LABEL for c in classes):
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "classes must be short strings, got {value}"),
                    value=_short(classes),
                )
            )
        loss = architecture.get("loss", "cross_entropy")
        if not isinstance(loss, str) or loss not in LOSSES:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "unknown loss {name}: expected one of {choices}"),
                    name=_short(loss),
                    choices=", ".join(LOSSES),
                )
            )
        name = architecture.get("name", "")
        if not isinstance(name, str) or len(name) > _MAX_LABEL:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "architecture name must be a short string")
                )
            )
        layer_types: list[type[Layer]] = []
        total = 0
        for i, spec in enumerate(specs):
            type_name = spec.get("type") if isinstance(spec, dict) else None
            if not isinstance(type_name, str) or type_name not in LAYER_TYPES:
                known = ", ".join(LAYER_TYPES)
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "layer {index}: unknown layer {spec}; known types: {types}"
                        ),
                        index=i,
                        spec=_short(spec),
                        types=known,
                    )
                )
            layer_cls = LAYER_TYPES[type_name]
            try:
                total += layer_cls.count_parameters(_arguments(spec))
            except ValueError as exc:
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "layer {index} ({type}): {problem}"),
                        index=i,
                        type=type_name,
                        problem=phrase_of(exc),
                    )
                ) from exc
            except (KeyError, TypeError) as exc:
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "layer {index} ({type}): bad arguments {spec}"),
                        index=i,
                        type=type_name,
                        spec=_short(spec),
                    )
                ) from exc
            layer_types.append(layer_cls)
        if total > MAX_PARAMETERS:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "architecture has {count:,} parameters, more than {limit:,}"
                    ),
                    count=total,
                    limit=MAX_PARAMETERS,
                )
            )
        rng = np.random.default_rng(seed)
        layers = []
        for i, (spec, layer_cls) in enumerate(zip(specs, layer_types, strict=True)):
            kwargs = _arguments(spec)
            if layer_cls.takes_init:
                kwargs["init"] = "none"
            if layer_cls.takes_rng:
                kwargs["rng"] = rng
            try:
                layers.append(layer_cls(**kwargs))
            except (TypeError, ValueError) as exc:
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "layer {index} ({type}): {problem}"),
                        index=i,
                        type=spec["type"],
                        problem=phrase_of(exc),
                    )
                ) from exc
        try:
            model = cls(
                layers,
                loss=loss,
                input_shape=input_shape,
                classes=classes,
                name=name,
                metadata=metadata,
            )
        except ValueError as exc:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "inconsistent architecture: {problem}"),
                    problem=phrase_of(exc),
                )
            ) from exc
        if init_weights:
            # In layer order from the one generator, as each constructor would have drawn.
            inits = _resolve_init(layer_types)
            for layer, init in zip(layers, inits, strict=True):
                if init is not None:
                    layer.initialize(init, rng)
        return model.to(device)

    def architecture(self) -> dict[str, Any]:
        """The JSON-able description that :meth:`from_architecture` rebuilds."""
        return {
            "name": self.name,
            "input_shape": list(self.input_shape),
            "classes": list(self.classes),
            "loss": self.loss.name,
            "layers": [layer.spec() for layer in self.layers],
        }

    # -- parameters and state ------------------------------------------------------------
    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """``("0.weight", Parameter)``, ... in layer order (PyTorch-style dotted names)."""
        for i, layer in enumerate(self.layers):
            for pname, p in layer.params.items():
                yield f"{i}.{pname}", p

    def parameters(self) -> list[Parameter]:
        return [p for _, p in self.named_parameters()]

    def parameter_count(self) -> int:
        return sum(int(np.prod(p.shape)) for p in self.parameters())

    def state_dict(self) -> dict[str, np.ndarray]:
        """Host (NumPy) copies of every parameter under its dotted name."""
        return {k: to_numpy(p.data).copy() for k, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Copy arrays into the parameters. Names and shapes must match exactly."""
        own = dict(self.named_parameters())
        missing = sorted(set(own) - set(state))
        extra = sorted(set(state) - set(own))
        if missing or extra:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "state does not match the model: missing {missing}, unexpected {extra}",
                    ),
                    missing=str(missing),
                    extra=str(extra),
                )
            )
        for key, p in own.items():
            value = state[key]
            if tuple(value.shape) != p.shape:
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{key}: expected shape {expected}, found {found}"
                        ),
                        key=key,
                        expected=str(p.shape),
                        found=str(tuple(value.shape)),
                    )
                )
        for key, p in own.items():
            p.data = self.xp.asarray(state[key], dtype=np.float32).copy()
            p.grad = self.xp.zeros(p.data.shape, dtype=p.data.dtype)

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    @property
    def device(self) -> str:
        return device_of(self.xp)

    def to(self, device: str) -> Model:
        """Move every array to ``"cpu"`` or ``"gpu"`` (in place); returns the model."""
        xp = get_backend(device)
        for layer in self.layers:
            layer.to(xp)
        self.xp = xp
        return self

    def copy(self, device: str | None = None) -> Model:
        """An independent copy (weights, architecture, metadata, refusal) on ``device``
        (default: same)."""
        twin = Model.from_architecture(
            self.architecture(),
            device="cpu",
            metadata=_copy.deepcopy(self.metadata),
            init_weights=False,  # the weights are copied next
        )
        twin.load_state_dict(self.state_dict())
        twin.refusal = self.refusal
        return twin.to(device or self.device)

    # -- refusing -----------------------------------------------------------------------
    @property
    def has_not_a_digit_output(self) -> bool:
        """Whether the network has the 11th output, "not a digit", after the ten digits."""
        return self.classes == REFUSING_CLASSES

    @property
    def answer_classes(self) -> tuple[str, ...]:
        """The classes the model answers with: its classes without "not a digit"."""
        return self.classes[:DIGIT_CLASSES] if self.has_not_a_digit_output else self.classes

    @property
    def refusal(self) -> Refusal | None:
        """How the model refuses drawings that are not digits, or None (it never refuses).

        Stored in the model file (format version 2). Setting one checks that it fits the
        network: ``"not_a_digit_class"`` needs the 11th output, the other methods ten digit
        outputs, and all of them the softmax cross-entropy loss (their scores and the
        temperature work on the logits). Raises ``ValueError`` otherwise.
        """
        return self._refusal

    @refusal.setter
    def refusal(self, value: Refusal | None) -> None:
        if value is not None:
            if not isinstance(value, Refusal):
                raise ValueError(f"a refusal must be a handwrite.refusal.Refusal, got {value!r}")
            if value.method == "not_a_digit_class" and not self.has_not_a_digit_output:
                raise ValueError(
                    f"the refusal method {value.method!r} needs the classes "
                    f"{list(REFUSING_CLASSES)}, this model has {list(self.classes)[:12]}"
                )
            if value.method != "not_a_digit_class" and len(self.classes) != DIGIT_CLASSES:
                raise ValueError(
                    f"the refusal method {value.method!r} needs ten outputs, this model has "
                    f"{len(self.classes)}"
                )
            if self.loss.name != "cross_entropy":
                raise ValueError(f"a refusal needs the cross_entropy loss, not {self.loss.name}")
        self._refusal = value

    @property
    def refuses(self) -> bool:
        """Whether :meth:`predict` can answer "not a digit" (a refusal with a threshold)."""
        return self._refusal is not None and self._refusal.refuses_anything

    def reseed(self, rng: np.random.Generator) -> None:
        """Give every random layer (dropout) a new generator drawn from ``rng``: training with
        per-batch generators is reproducible, and resumable exactly from any batch."""
        for layer in self.layers:
            if isinstance(layer, RandomLayer):
                layer.set_rng(np.random.default_rng(int(rng.integers(2**63 - 1))))

    # -- modes ---------------------------------------------------------------------------
    @property
    def training(self) -> bool:
        return self._training

    def train(self, mode: bool = True) -> Model:
        """Training mode: layers cache for backward, dropout is active."""
        self._training = mode
        if mode and self.xp is np:
            tune_host_allocator()
        for layer in self.layers:
            layer.training = mode
        return self

    def eval(self) -> Model:
        """Inference mode: no caching, dropout is the identity."""
        return self.train(False)

    # -- computation ---------------------------------------------------------------------
    def forward(self, x: Any) -> Any:
        """``x``: (N, *input_shape) float32 on this model's backend -> (N, classes) outputs."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy: Any, need_dx: bool = False) -> Any:
        """Backpropagation (誤差逆伝播法) from ``dy`` = dL/d(outputs); returns dL/dx if asked."""
        return backward_through(self.layers, dy, need_dx)

    def max_batch(self) -> int:
        """The most images one forward pass or training step may take within
        :data:`MAX_BATCH_ACTIVATION_BYTES` (at least 1: one image is within
        :data:`MAX_ACTIVATION_VALUES_PER_IMAGE`, far below it)."""
        return max(1, MAX_BATCH_ACTIVATION_BYTES // (4 * self.memory_values_per_image))

    def values_per_image(self) -> int:
        """Activation values one image produces (see :func:`parallel.activation_values`)."""
        if self._values_per_image is None:
            self._values_per_image = activation_values(self)
        return self._values_per_image

    @property
    def threads(self) -> int:
        """CPU threads a training step may use (default: ``HANDWRITE_THREADS`` from the
        environment, else every core this process may use).

        On the CPU a large enough batch is split into pieces that train on up to this many
        threads (:mod:`handwrite.nn.parallel`); with 1, the pieces run one after the other on
        the calling thread. The GPU backend ignores it.
        """
        return self._threads if self._threads is not None else default_threads()

    @threads.setter
    def threads(self, value: int | None) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(f"threads must be a positive integer or None, got {value!r}")
        self._threads = value

    def train_step(self, x: Any, t: Any) -> tuple[float, Any]:
        """Forward, loss and backward on one batch; gradients are *added* to ``grad``.

        ``x``: (N, *input_shape) float32, ``t``: (N,) int labels. Returns (mean loss, outputs).
        On the CPU the batch is split across :attr:`threads` threads when it is large enough.
        A batch whose activations would exceed :data:`MAX_BATCH_ACTIVATION_BYTES` (on the GPU
        too) is cut into pieces that fit, run one after the other: the same step.
        """
        n = x.shape[0]
        most = self.max_batch()
        if self.xp is np:
            workers, pieces = split_plan(n, self.threads, self.values_per_image(), most)
        else:
            workers, pieces = 1, -(-n // most)
        if pieces > 1:
            if self._sharded is None or self._sharded.workers != workers:
                self._sharded = ShardedStep(self, workers)
            return self._sharded.step(x, t, pieces)
        y = self.forward(x)
        loss = self.loss.forward(y, t)
        self.backward(self.loss.backward())
        return loss, y

    def step_threads(self, batch: int) -> int:
        """The threads a training step of ``batch`` images keeps busy on the CPU: the workers
        when :meth:`train_step` splits the batch (each with one BLAS thread), else the BLAS
        library's threads."""
        workers, _ = split_plan(batch, self.threads, self.values_per_image(), self.max_batch())
        return workers if workers > 1 else blas_threads()

    def trace(self, x: Any) -> list[Any]:
        """Inference forward pass keeping every layer's output: ``[y_0, ..., y_last]``.

        ``x``: (N, *input_shape) on this model's backend; for feature-map views.
        """
        was_training = self.training
        self.eval()
        try:
            outputs = []
            for layer in self.layers:
                x = layer.forward(x)
                outputs.append(x)
            return outputs
        finally:
            self.train(was_training)

    def input_gradient(self, x: Any, classes: Any) -> Any:
        """Saliency: d(output[n, classes[n]]) / d(x[n]) by backpropagation, (N, *input_shape).

        The gradient of each image's class score (the pre-softmax output) with respect to its
        pixels, with dropout off. Parameter gradients are left at zero afterwards, so call it
        on a model that is not in the middle of a training step.
        """
        xp = self.xp
        was_training = self.training
        for layer in self.layers:  # cache for backward, but dropout stays the identity
            layer.training = not isinstance(layer, RandomLayer)
        try:
            y = self.forward(x)
            dy = xp.zeros_like(y)
            dy[xp.arange(y.shape[0]), xp.asarray(classes)] = 1
            dx = self.backward(dy, need_dx=True)
        finally:
            self.zero_grad()
            self.train(was_training)
        return dx

    def prepare_input(self, images: Any) -> np.ndarray:
        """Validate images and convert them to float32 (N, *input_shape) in [0, 1] on the host.

        Accepts (H, W), (N, H, W) or (N, C, H, W); uint8 0-255 or float 0-1.
        """
        a = np.asarray(to_numpy(images))
        if a.dtype == object or a.dtype.kind not in "uif":
            raise ValueError(f"images must be numeric arrays, got dtype {a.dtype}")
        c, h, w = self.input_shape
        if a.shape == (h, w):
            a = a[None]
        if a.ndim == 3 and a.shape[1:] == (h, w):
            a = a[:, None]
        if a.ndim != 4 or a.shape[1:] != (c, h, w):
            raise ValueError(
                f"images must have shape ({h}, {w}), (N, {h}, {w}) or (N, {c}, {h}, {w}); "
                f"got {a.shape}"
            )
        if a.dtype.kind in "ui":
            if a.size and (a.min() < 0 or a.max() > 255):
                raise ValueError("integer images must hold values 0-255")
            return a.astype(np.float32) / np.float32(255.0)
        a = a.astype(np.float32)
        if not np.isfinite(a).all():
            raise ValueError("images contain NaN or infinite values")
        if a.size and (a.min() < -0.01 or a.max() > 1.01):
            raise ValueError(
                f"float images must hold values 0-1 (found {a.min():.3g} to {a.max():.3g}); "
                "pass uint8 0-255 images as uint8"
            )
        return np.clip(a, 0.0, 1.0)

    def logits(self, images: Any, batch_size: int = 1000, *, threads: int = 1) -> np.ndarray:
        """The network's outputs before the loss's probabilities: (N, len(classes)) float32
        NumPy. ``images`` and the rest as :meth:`predict_proba` takes them."""
        batch_size = min(_positive_int("batch_size", batch_size), self.max_batch())
        threads = _positive_int("threads", threads)
        x = self.prepare_input(images)
        was_training = self.training
        self.eval()
        try:
            out = []
            for start in range(0, x.shape[0], batch_size):
                xb = self.xp.asarray(x[start : start + batch_size])
                y = forward_in_pieces(self, xb, threads) if self.xp is np else self.forward(xb)
                out.append(to_numpy(y))
        finally:
            self.train(was_training)
        if not out:
            return np.zeros((0, len(self.classes)), np.float32)
        return np.concatenate(out).astype(np.float32, copy=False)

    def answer_from_logits(self, z: np.ndarray) -> Answer:
        """:meth:`answer` for outputs already computed (``z``: (N, len(classes)) float32, as
        :meth:`logits` gives them)."""
        z = np.asarray(z, np.float32)
        if self._refusal is not None:
            return self._refusal.answer(z)
        if self.loss.name == "cross_entropy" and len(self.classes) in (10, 11):
            if len(self.classes) == 10 or self.has_not_a_digit_output:
                return Refusal.default_for(len(self.classes)).answer(z)
        p = np.asarray(self.loss.probabilities(z), np.float32)
        k = len(self.answer_classes)
        if self.has_not_a_digit_output:  # not a softmax: the digits' share of the outputs
            score = np.clip(1.0 - p[:, k], 0.0, 1.0)
            mass = p[:, :k].sum(axis=1, keepdims=True)
            p = np.where(mass > 0, p[:, :k] / np.where(mass > 0, mass, 1), np.float32(1 / k))
        else:
            score = np.clip((p.max(axis=1) - 1 / k) / (1 - 1 / k), 0.0, 1.0)
        p = p.astype(np.float32, copy=False)
        return Answer(p, score.astype(np.float32), p.argmax(axis=1).astype(np.int64))

    def answer(self, images: Any, batch_size: int = 1000, *, threads: int = 1) -> Answer:
        """Probabilities, digit score and digit of each image, from one forward pass: a
        :class:`handwrite.refusal.Answer` of

        - ``probabilities``: (N, len(answer_classes)) float32, rows sum to 1: the softmax of
          the digit outputs divided by the refusal's temperature (the ten digits alone for a
          network with the "not a digit" output);
        - ``digit_score``: (N,) float32 in [0, 1], how much each drawing looks like a digit:
          for the "not a digit" output, the probability mass on the ten digits; for ten
          outputs, the top probability rescaled from [1/10, 1] to [0, 1] (or the refusal's
          own score, see :class:`handwrite.refusal.Refusal`);
        - ``digit``: (N,) int64, the most probable class, or :data:`handwrite.NOT_A_DIGIT`
          (-1) where the digit score is under the refusal's threshold. Without a
          :attr:`refusal` nothing is refused.

        ``images`` and the rest as :meth:`predict_proba` takes them.
        """
        return self.answer_from_logits(self.logits(images, batch_size, threads=threads))

    def predict_proba(self, images: Any, batch_size: int = 1000, *, threads: int = 1) -> np.ndarray:
        """Class probabilities, a NumPy (N, 10) float32 array whose rows sum to 1: the ten
        digits alone, with the refusal's temperature (see :meth:`answer`); a network with
        other classes gives (N, len(classes)).

        ``images``: (28, 28) or (N, 28, 28) (or (N, 1, 28, 28)), uint8 0-255 or float 0-1,
        bright ink on a dark background as in MNIST. Runs in inference mode and leaves the
        model's mode as it was. On the CPU each batch runs in cache-sized pieces, on up to
        ``threads`` threads (:func:`handwrite.nn.parallel.forward_in_pieces`). A batch whose
        activations would exceed :data:`MAX_BATCH_ACTIVATION_BYTES` runs in smaller ones.

        Raises ``ValueError`` for images that are not as described, and for a ``batch_size``
        or ``threads`` that is not a positive integer.
        """
        return self.answer(images, batch_size, threads=threads).probabilities

    def digit_score(self, images: Any, batch_size: int = 1000, *, threads: int = 1) -> np.ndarray:
        """How much each image looks like any digit at all: (N,) float32 in [0, 1] (see
        :meth:`answer`). Defined for every model; only a :attr:`refusal` turns a low score
        into "not a digit"."""
        return self.answer(images, batch_size, threads=threads).digit_score

    def predict(self, images: Any, batch_size: int = 1000, *, threads: int = 1) -> np.ndarray:
        """The most probable digit of each image, (N,) int64, or :data:`handwrite.NOT_A_DIGIT`
        (-1) for an image the model refuses (see :meth:`answer`)."""
        return self.answer(images, batch_size, threads=threads).digit

    def save(
        self,
        path: str | os.PathLike[str],
        *,
        optimizer: Any = None,
        extra_metadata: dict[str, Any] | None = None,
    ) -> None:
        """Write the model file atomically (see :func:`handwrite.nn.saving.save_model`).

        ``optimizer``: an :class:`~handwrite.nn.optim.Optimizer` or its ``snapshot()``, to
        make the file a resumable checkpoint."""
        save_model(self, path, optimizer=optimizer, extra_metadata=extra_metadata)

    def to_onnx(self, path: str | os.PathLike[str], *, opset: int | None = None) -> None:
        """Write the model as an ONNX file, atomically (see :func:`handwrite.nn.export.to_onnx`):
        input ``images`` float32 (N, 1, 28, 28) in [0, 1], output ``probabilities`` (N, 10);
        a model that can say "not a digit" also gives ``digit_score`` (N,) and ``digit`` (N,)
        int64, -1 where refused (as :meth:`answer`).

        Needs the ``onnx`` package (``pip install 'handwrite[export]'``); raises
        :class:`handwrite.nn.export.ExportError` without it, or when the file cannot be written."""
        from handwrite.nn.export import DEFAULT_OPSET, to_onnx

        to_onnx(self, path, opset=DEFAULT_OPSET if opset is None else opset)

    def __repr__(self) -> str:
        lines = [f"Model(name={self.name!r}, loss={self.loss.name!r}, device={self.device!r},"]
        lines += [f"  ({i}) {layer!r}" for i, layer in enumerate(self.layers)]
        lines.append(f")  # {self.parameter_count():,} parameters")
        return "\n".join(lines)
