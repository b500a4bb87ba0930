"""Layers with an explicit forward and backward pass.

The computing contract (as in *Deep Learning from Scratch* and Chainer):

- ``forward(x)`` returns ``y``. In training mode (``layer.training is True``) it caches exactly
  what ``backward`` needs; in evaluation mode it has no side effects.
- ``backward(dy, need_dx=True)`` adds the parameter gradients into each ``Parameter.grad`` and
  returns ``dx`` (or ``None`` when ``need_dx`` is false, which saves the work for the first layer).
- The 1/N mean over the batch is applied once, in the loss; layers never divide by N.

Images are ``(N, C, H, W)`` float32 arrays. The same code runs on NumPy and CuPy: every
array operation goes through ``xp = get_array_module(x)``. Convolution and pooling use only
padding, slicing, reshapes, transposes and matrix products (im2col by looping over the
``kh * kw`` kernel offsets, never over pixels or images).

Each layer also describes itself (its role, name, explanation, initialisation and how it
splits across threads; see :class:`Layer`), and :func:`register` adds it to
:data:`LAYER_TYPES`: adding a layer is one registered class here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar, TypeVar

import numpy as np

from handwrite.bounds import Bounds
from handwrite.nn.backend import get_array_module, make_rng, to_numpy
from handwrite.translatable import QT_TRANSLATE_NOOP, TranslatableError, error_phrase


class ArgumentError(TranslatableError, ValueError):
    """A layer's (or a model's) arguments that cannot be: the message says which argument,
    what it accepts and what it got."""


class Parameter:
    """A trainable array and its accumulated gradient (same shape, same device)."""

    __slots__ = ("data", "grad")

    def __init__(self, data: Any) -> None:
        self.data = data
        # zeros() rather than zeros_like(): NumPy's comes from calloc, so a gradient costs no
        # memory until a training step first writes it.
        self.grad = get_array_module(data).zeros(data.shape, dtype=data.dtype)

    @classmethod
    def placeholder(cls, shape: tuple[int, ...]) -> Parameter:
        """A parameter of ``shape`` that takes no memory: ``data`` and ``grad`` are one
        read-only zero broadcast over the shape. It must be replaced before use
        (:meth:`Layer.initialize`, :meth:`Model.load_state_dict
        <handwrite.nn.model.Model.load_state_dict>`); until then it only has a shape."""
        p = cls.__new__(cls)
        p.data = np.broadcast_to(np.zeros((), np.float32), shape)
        p.grad = p.data
        return p

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    def zero_grad(self) -> None:
        self.grad[...] = 0

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.data.dtype})"


class LayerKind(Enum):
    """What a layer does, for views that treat layers by their role (the window's filter and
    feature-map views) rather than by their class."""

    DENSE = "dense"  #: a fully connected layer: one weight per input and unit
    CONVOLUTION = "convolution"  #: filters slid over the image
    POOLING = "pooling"  #: each small window summarised by one value
    NORMALIZATION = "normalization"  #: rescales its input (best seen beside it)
    ACTIVATION = "activation"  #: an elementwise non-linear function
    RESHAPE = "reshape"  #: the same values in another shape
    REGULARIZATION = "regularization"  #: active in training only (the identity at inference)


class Layer:
    """Base class: a layer without parameters that passes gradients through unchanged.

    Besides computing, a layer describes itself in class attributes, so that the model, the
    thread splitting and the window handle every layer registered with :func:`register` alike:

    - ``kind``, ``title`` and ``explanation``: its role, its name as the window shows it (a
      template filled from :meth:`config` by :meth:`display_name`) and its formula in rich
      text. Both texts are English, marked for translation in the context
      :data:`handwrite.translatable.LAYERS`.
    - ``shows_output``: whether its output is worth showing as maps or units (not for a
      reshape, nor for dropout, which is the identity at inference).
    - ``takes_init``, ``takes_rng``, ``init_hint`` and :meth:`count_parameters`: how
      :meth:`~handwrite.nn.model.Model.from_architecture` builds it (see each).
    - ``single_threaded``: whether splitting a batch across threads speeds it up
      (:mod:`handwrite.nn.parallel`).
    - ``bounds`` and :meth:`memory_values`: the values each constructor argument accepts,
      and what one image costs in memory, so that a model file asking for absurd sizes is
      refused before anything is allocated (:meth:`check_arguments`).
    """

    #: Name in architecture JSON (``{"type": ...}``); :func:`register` sets it to the class
    #: name unless the class gives one. Model files store it: keep it when renaming a class.
    type_name: ClassVar[str] = ""
    kind: ClassVar[LayerKind]
    title: ClassVar[str]
    explanation: ClassVar[str]
    shows_output: ClassVar[bool] = True
    #: The constructor takes ``init=`` ("he" or "glorot"): the model chooses it from the
    #: ``init_hint`` of the first layer after this one that gives one.
    takes_init: ClassVar[bool] = False
    #: The constructor takes ``rng=``, a ``numpy.random.Generator`` for its weights or masks:
    #: the model hands every such layer the same generator, seeded, in layer order.
    takes_rng: ClassVar[bool] = False
    #: The initialisation this layer asks of the weighted layer before it: He before ReLU,
    #: Glorot before sigmoid and tanh.
    init_hint: ClassVar[str | None] = None
    #: NumPy computes this layer on one thread, so a batch split across threads runs it
    #: faster. False for one matrix product (BLAS already uses every core) and for a view.
    single_threaded: ClassVar[bool] = True
    #: The values each numeric constructor argument accepts. They keep a model file from
    #: asking for sizes no digit recogniser needs: a 30 KB file could otherwise ask for
    #: gigabytes (a 100,000-tap LCN window, a padding of 3,000 pixels).
    bounds: ClassVar[dict[str, Bounds]] = {}

    def __init__(self) -> None:
        self.training = False
        self.params: dict[str, Parameter] = {}

    # -- description ---------------------------------------------------------------------
    @classmethod
    def check_arguments(cls, config: dict[str, Any]) -> None:
        """Check JSON arguments against :attr:`bounds` without building anything: raises
        ``ValueError`` naming the first argument out of bounds (or not a number). Missing
        arguments are left to the constructor."""
        for name, value in config.items():
            bounds = cls.bounds.get(name)
            if bounds is not None and not bounds.admits(value):
                raise ArgumentError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "{layer} {name} must be {bounds}, got {value}"),
                        layer=cls.__name__,
                        name=name,
                        bounds=bounds.phrase(),
                        value=_short(value),
                    )
                )

    @classmethod
    def count_parameters(cls, config: dict[str, Any]) -> int:
        """The number of parameters a layer built from ``config`` (its JSON arguments) has,
        computed without building it, with Python integers (no overflow). Raises
        ``KeyError``, ``TypeError`` or ``ValueError`` for arguments that do not say."""
        cls.check_arguments(config)
        return 0

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The float32 values one image costs this layer's forward pass at most: its output
        plus the temporaries it holds at the same time (a convolution's padded input and
        patch matrix). Python integers, from the shapes alone."""
        return math.prod(self.output_shape(input_shape))

    def initialize(self, init: str, rng: np.random.Generator | None) -> None:
        """Draw new weights (``init`` as the constructor takes it) from ``rng``: what the
        constructor of a layer that ``takes_init`` does, for a layer built with
        ``init="none"``. Layers without weights have nothing to draw."""

    def display_name(self, translate: Callable[[str], str] = str) -> str:
        """The name the window shows: :attr:`title` passed through ``translate`` (the window
        passes Qt's translation) with this layer's arguments filled in, e.g. "Max pooling
        2×2"."""
        return translate(self.title).format(**self.config())

    # -- configuration -------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """The JSON-able arguments that rebuild this layer (without weights)."""
        return {}

    def spec(self) -> dict[str, Any]:
        return {"type": self.type_name, **self.config()}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one sample's output for one sample's input shape (no batch axis)."""
        return input_shape

    def to(self, xp: Any) -> None:
        """Move the parameters (and any device state) to the array module ``xp``."""
        for p in self.params.values():
            p.data = _to_xp(xp, p.data)
            p.grad = xp.zeros_like(p.data)

    # -- computation ---------------------------------------------------------------------
    def forward(self, x: Any) -> Any:
        raise NotImplementedError

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        raise NotImplementedError

    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


class RandomLayer(Layer):
    """A layer whose training forward pass multiplies its input by a random mask (dropout).

    :meth:`~handwrite.nn.model.Model.reseed` gives it a new generator every batch, and a step
    split across threads draws its mask for the whole batch first (:meth:`draw_mask`) and
    hands each piece its part (:meth:`use_mask`), so the split step equals the unsplit one.
    """

    takes_rng = True

    def set_rng(self, rng: np.random.Generator) -> None:
        """Draw future masks from ``rng`` (on this layer's device)."""
        raise NotImplementedError

    def draws_mask(self) -> bool:
        """Whether the next forward pass uses a mask (training mode, and not a no-op)."""
        raise NotImplementedError

    def draw_mask(self, shape: tuple[int, ...], dtype: Any) -> Any:
        """The next mask for an input of ``shape`` (batch axis first) and ``dtype``."""
        raise NotImplementedError

    def use_mask(self, mask: Any) -> None:
        """Make the next training forward pass use ``mask`` instead of drawing one; None
        forgets a mask given before."""
        raise NotImplementedError


#: Every registered layer class by its :attr:`Layer.type_name`: what architecture JSON (and so
#: a model file) may name.
LAYER_TYPES: dict[str, type[Layer]] = {}

_LayerClass = TypeVar("_LayerClass", bound=type[Layer])


def register(cls: _LayerClass) -> _LayerClass:
    """Class decorator: make ``cls`` a layer that architectures may name.

    Checks that the class describes itself (``kind``, ``title`` and ``explanation``), sets
    its ``type_name`` (the class name unless the class gives one) and adds it to
    :data:`LAYER_TYPES`.
    """
    name = cls.__dict__.get("type_name") or cls.__name__
    missing = [a for a in ("kind", "title", "explanation") if not getattr(cls, a, None)]
    if missing:
        raise TypeError(f"layer {cls.__name__} does not describe itself: set {missing}")
    if name in LAYER_TYPES:
        raise TypeError(f"two layers are named {name!r}: {LAYER_TYPES[name]} and {cls}")
    cls.type_name = name
    LAYER_TYPES[name] = cls
    return cls


def _to_xp(xp: Any, a: Any) -> Any:
    if get_array_module(a) is xp:
        return a
    return xp.asarray(to_numpy(a)) if xp is not np else to_numpy(a)


def _weight_and_bias(
    init: str,
    rng: np.random.Generator | None,
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
) -> dict[str, Parameter]:
    """``weight`` of ``shape`` and ``bias`` of ``shape[0]`` (zeros), float32. The weight is He
    (Kaiming) normal for ReLU (``init`` "he", or "auto"), Glorot (Xavier) uniform for
    sigmoid and tanh ("glorot"), drawn from ``rng`` (None: a generator seeded with 0).

    ``init="none"``: placeholders that take no memory (:meth:`Parameter.placeholder`), for
    a layer whose weights are loaded next or drawn later (:meth:`Layer.initialize`)."""
    if init == "none":
        return {
            "weight": Parameter.placeholder(shape),
            "bias": Parameter.placeholder((shape[0],)),
        }
    rng = rng if rng is not None else np.random.default_rng(0)
    if init in ("auto", "he"):
        w = rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)
    elif init == "glorot":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, shape)
    else:
        raise ArgumentError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "init must be 'auto', 'he', 'glorot' or 'none', got {value!r}"
                ),
                value=init,
            )
        )
    return {
        "weight": Parameter(w.astype(np.float32)),
        "bias": Parameter(np.zeros(shape[0], np.float32)),
    }


_ONES: dict[tuple[Any, int, str], Any] = {}


def row_sums(a: Any) -> Any:
    """``a.sum(axis=1)`` of a 2-D array as a matrix-vector product with a vector of ones.

    Bias gradients sum the output gradient over every pixel of every image: BLAS does that
    faster than NumPy's pairwise reduction along the contiguous axis.
    """
    xp = get_array_module(a)
    key = (xp, a.shape[1], a.dtype.str)
    ones = _ONES.get(key)
    if ones is None:
        ones = _ONES[key] = xp.ones(a.shape[1], dtype=a.dtype)
    return a @ ones


def _short(value: Any) -> str:
    """``repr(value)`` cut to a length fit for an error message (values come from files)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _whole(cls: type[Layer], name: str, value: Any) -> int:
    """``value`` as an int, if ``cls.bounds[name]`` admits it; else ``ValueError``."""
    cls.check_arguments({name: value})
    return int(value)


def _number(cls: type[Layer], name: str, value: Any) -> float:
    """``value`` as a float, if ``cls.bounds[name]`` admits it; else ``ValueError``."""
    cls.check_arguments({name: value})
    return float(value)


# ---------------------------------------------------------------------------------------
# Fully connected
# ---------------------------------------------------------------------------------------


@register
class Dense(Layer):
    """Fully connected layer (全結合層): ``y = x W^T + b``.

    ``weight``: (out_features, in_features) float32, as in PyTorch; ``bias``: (out_features,).
    ``x``: (N, in_features) -> ``y``: (N, out_features).
    """

    kind = LayerKind.DENSE
    title = QT_TRANSLATE_NOOP("Layers", "Fully connected")
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Fully connected layer</b><br>Each unit j weighs every input x<sub>i</sub> and adds "
        "a bias: u<sub>j</sub> = Σ<sub>i</sub> w<sub>ji</sub> x<sub>i</sub> + b<sub>j</sub>, "
        "that is u = Wx + b.",
    )
    takes_init = takes_rng = True
    single_threaded = False  # one matrix product, which BLAS spreads over the cores
    bounds = {
        "in_features": Bounds(1, 1 << 20, integer=True),
        "out_features": Bounds(1, 1 << 20, integer=True),
    }

    @classmethod
    def count_parameters(cls, config: dict[str, Any]) -> int:
        cls.check_arguments(config)
        n_in, n_out = int(config["in_features"]), int(config["out_features"])
        return n_in * n_out + n_out

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        init: str = "auto",
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.in_features = _whole(Dense, "in_features", in_features)
        self.out_features = _whole(Dense, "out_features", out_features)
        self.initialize(init, rng)
        self._x: Any = None

    def initialize(self, init: str, rng: np.random.Generator | None) -> None:
        """New ``weight`` and ``bias`` (see :func:`_weight_and_bias`)."""
        shape = (self.out_features, self.in_features)
        self.params = _weight_and_bias(init, rng, shape, self.in_features, self.out_features)

    def config(self) -> dict[str, Any]:
        return {"in_features": self.in_features, "out_features": self.out_features}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if input_shape != (self.in_features,):
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{layer} got input of shape {shape}; add a Flatten layer or fix "
                        "in_features",
                    ),
                    layer=f"Dense({self.in_features}, {self.out_features})",
                    shape=str(input_shape),
                )
            )
        return (self.out_features,)

    def forward(self, x: Any) -> Any:
        if self.training:
            self._x = x
        y = x @ self.params["weight"].data.T
        y += self.params["bias"].data
        return y

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        x, self._x = self._x, None
        w = self.params["weight"]
        w.grad += dy.T @ x
        self.params["bias"].grad += row_sums(dy.T)
        return dy @ w.data if need_dx else None


@register
class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W), in C-order, so Dense weights see channel-major features."""

    kind = LayerKind.RESHAPE
    title = QT_TRANSLATE_NOOP("Layers", "Flatten")
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Flatten</b><br>The C maps of H×W values are laid out one after the other as a "
        "single vector of C·H·W values, for the fully connected layer that follows.",
    )
    shows_output = False
    single_threaded = False  # a view: no work to share

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (math.prod(input_shape),)

    def forward(self, x: Any) -> Any:
        # (C, H, W, N) memory, as convolutions leave it behind: the same values as
        # x.reshape(N, -1), taken as a transposed view. Otherwise (a batch of images straight
        # from the data, NCHW in memory) the reshape itself is the view.
        chwn = x.ndim == 4 and not x.flags.c_contiguous
        if self.training:
            self._shape, self._chwn = x.shape, chwn
        if chwn:
            return x.transpose(1, 2, 3, 0).reshape(-1, x.shape[0]).T
        return x.reshape(x.shape[0], -1)

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        if not need_dx:
            return None
        if not self._chwn:
            return dy.reshape(self._shape)
        n, c, h, w = self._shape
        return dy.T.reshape(c, h, w, n).transpose(3, 0, 1, 2)


# ---------------------------------------------------------------------------------------
# Activations (活性化関数)
# ---------------------------------------------------------------------------------------


class _Activation(Layer):
    """An elementwise activation function ``y = f(x)``."""

    kind = LayerKind.ACTIVATION
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Activation function</b><br>A non-linear function of each unit: z = f(u). "
        "ReLU: f(u) = max(0, u); tanh; sigmoid: f(u) = 1 / (1 + e<sup>−u</sup>). Without it "
        "the layers would add up to a single linear map.",
    )

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The output and one temporary of its size."""
        return 2 * math.prod(input_shape)


@register
class ReLU(_Activation):
    """Rectified linear unit: ``y = max(0, x)``; ``dx = dy * [x > 0]``."""

    title = QT_TRANSLATE_NOOP("Layers", "ReLU")
    init_hint = "he"
    #: Called with every training output ``y`` when set: the trainer's diagnostics count the
    #: units that stay at 0 (dead units) through it. Copies of the layer that train parts of
    #: a batch on other threads share it.
    observer: Callable[[Any], None] | None = None

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        y = xp.maximum(x, 0)
        if self.training:
            self._y = y
            if self.observer is not None:
                self.observer(y)
        return y

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        y, self._y = self._y, None
        if not need_dx:
            return None
        dx = dy * (y > 0)
        return dx


@register
class Sigmoid(_Activation):
    """Logistic sigmoid: ``y = 1 / (1 + exp(-x))``; ``dx = dy * y * (1 - y)``."""

    title = QT_TRANSLATE_NOOP("Layers", "sigmoid")
    init_hint = "glorot"

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        # Written with tanh so that large |x| never overflows exp in float32.
        y = 0.5 * (xp.tanh(0.5 * x) + 1.0)
        y = y.astype(x.dtype, copy=False)
        if self.training:
            self._y = y
        return y

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        y, self._y = self._y, None
        return dy * y * (1.0 - y) if need_dx else None


@register
class Tanh(_Activation):
    """Hyperbolic tangent: ``y = tanh(x)``; ``dx = dy * (1 - y^2)``."""

    title = QT_TRANSLATE_NOOP("Layers", "tanh")
    init_hint = "glorot"

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        y = xp.tanh(x)
        if self.training:
            self._y = y
        return y

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        y, self._y = self._y, None
        return dy * (1.0 - y * y) if need_dx else None


@register
class Dropout(RandomLayer):
    """Inverted dropout (Srivastava et al. 2014, "Dropout: a simple way to prevent neural
    networks from overfitting", JMLR 15).

    Training: each unit is kept with probability ``1 - p`` and scaled by ``1 / (1 - p)``, so
    the expected activation is unchanged and inference is the identity.
    """

    kind = LayerKind.REGULARIZATION
    title = QT_TRANSLATE_NOOP("Layers", "Dropout")
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Dropout</b> (Srivastava et al. 2014)<br>While training, each hidden unit is kept "
        "with probability 1 − p and the kept ones are scaled up: "
        "y = m ⊙ x / (1 − p), m<sub>j</sub> ~ Bernoulli(1 − p). At test time y = x. The "
        "network cannot rely on any single unit, which reduces overfitting.",
    )
    shows_output = False  # the identity at inference: its output is its input
    bounds = {"p": Bounds(0.0, 1.0, high_open=True)}

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if not self.bounds["p"].admits(p):
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "dropout p must be a probability in [0, 1), got {value}"
                    ),
                    value=_short(p),
                )
            )
        self.p = float(p)
        self._xp: Any = np
        self._host_rng = rng if rng is not None else np.random.default_rng(0)
        self._rng: Any = self._host_rng
        self._mask: Any = None
        self._next_mask: Any = None

    def to(self, xp: Any) -> None:
        self._xp = xp
        self._rng = make_rng(xp, self._host_rng)

    def set_rng(self, rng: np.random.Generator) -> None:
        self._host_rng = rng
        self._rng = make_rng(self._xp, rng)

    def config(self) -> dict[str, Any]:
        return {"p": self.p}

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The output and, in training, the mask."""
        return 2 * math.prod(input_shape)

    def draws_mask(self) -> bool:
        return self.training and self.p > 0.0

    def draw_mask(self, shape: tuple[int, ...], dtype: Any) -> Any:
        """The next scaled keep mask of ``shape``: ``1 / (1 - p)`` where kept, 0 elsewhere."""
        keep = 1.0 - self.p
        mask = self._rng.random(shape, dtype=np.float32) < keep
        return mask.astype(dtype) * np.dtype(dtype).type(1.0 / keep)

    def use_mask(self, mask: Any) -> None:
        self._next_mask = mask

    def forward(self, x: Any) -> Any:
        if not self.draws_mask():
            return x
        mask, self._next_mask = self._next_mask, None
        if mask is None:
            mask = self.draw_mask(x.shape, x.dtype)
        elif mask.shape != x.shape:
            raise ValueError(f"dropout mask of shape {mask.shape} for an input of {x.shape}")
        self._mask = mask
        return x * mask

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        mask, self._mask = self._mask, None
        if not need_dx:
            return None
        return dy if mask is None else dy * mask  # no mask: the forward pass was the identity


# ---------------------------------------------------------------------------------------
# Convolution (畳込み層) and pooling (プーリング層)
# ---------------------------------------------------------------------------------------


def _out_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


def to_chwn(x: Any) -> Any:
    """``x`` (N, C, H, W) as a C-contiguous (C, H, W, N) array (a free view when it is already
    laid out that way in memory, one copy otherwise)."""
    xp = get_array_module(x)
    return xp.ascontiguousarray(x.transpose(1, 2, 3, 0))


def im2col(
    x: Any, kh: int, kw: int, stride: int, padding: int, ones_row: bool = False
) -> tuple[Any, int, int]:
    """Patches of ``x`` (N, C, H, W) as a matrix (C*kh*kw, OH*OW*N), plus a last row of ones
    when ``ones_row`` is true (then a bias column in the weights adds the bias in the product).

    Row ``(c, i, j)``, column ``(oy, ox, n)`` holds input pixel
    ``(n, c, oy*stride + i - padding, ox*stride + j - padding)``. Activations between layers are
    kept in (C, H, W, N) memory order (the arrays are NCHW *views* of it), so the patches are
    one strided *view* of the input, (C, kh, kw, OH, OW, N), whose last two axes step through
    runs of OW*N contiguous floats (with stride 1); one copy makes it the matrix. The matrix
    product's output (O, OH*OW*N) is then already the next layer's input, without a transpose.
    """
    xp = get_array_module(x)
    n, c, h, w = x.shape
    oh, ow = _out_size(h, kh, stride, padding), _out_size(w, kw, stride, padding)
    xc = to_chwn(x)
    if padding:
        xc = xp.pad(xc, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    sc, sh, sw, sn = xc.strides
    strides = (sc, sh, sw, sh * stride, sw * stride, sn)
    patches = _as_strided(xp, xc, (c, kh, kw, oh, ow, n), strides)
    if not ones_row:
        return xp.ascontiguousarray(patches).reshape(c * kh * kw, oh * ow * n), oh, ow
    col = xp.empty((c * kh * kw + 1, oh * ow * n), dtype=x.dtype)
    col[:-1].reshape(c, kh, kw, oh, ow, n)[...] = patches
    col[-1] = 1
    return col, oh, ow


def _as_strided(xp: Any, a: Any, shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
    """A read-only strided view of ``a`` (NumPy or CuPy)."""
    if xp is np:
        return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(a, shape, strides)


def conv_input_grad(
    weight: Any, dy2: Any, x_shape: tuple[int, ...], stride: int, padding: int
) -> Any:
    """dL/dx of a convolution: the adjoint of :func:`im2col` applied to ``W^T dy``, one kernel
    row at a time.

    ``weight``: (O, C, kh, kw); ``dy2``: (O, OH*OW*N). Each row's product
    (kw*C, O) @ (O, OH*OW*N) is small enough to stay in cache while its kw shifted slices are
    added into dx, instead of materialising the whole (C*kh*kw, OH*OW*N) patch gradient.
    """
    xp = get_array_module(dy2)
    n, c, h, w = x_shape
    o, _, kh, kw = weight.shape
    oh, ow = _out_size(h, kh, stride, padding), _out_size(w, kw, stride, padding)
    rows = weight.transpose(2, 3, 1, 0).reshape(kh, kw * c, o)  # per kernel row: (kw*C, O)
    dx = xp.zeros((c, h + 2 * padding, w + 2 * padding, n), dtype=dy2.dtype)
    ys, xs = stride * (oh - 1) + 1, stride * (ow - 1) + 1
    for i in range(kh):
        part = (rows[i] @ dy2).reshape(kw, c, oh, ow, n)
        for j in range(kw):
            # np.add with out= rather than ``+=`` on a slice, which would copy the sum onto
            # itself a second time through __setitem__
            dst = dx[:, i : i + ys : stride, j : j + xs : stride]
            xp.add(dst, part[j], out=dst)
    if padding:
        dx = dx[:, padding : padding + h, padding : padding + w]
    return dx.transpose(3, 0, 1, 2)


@register
class Conv2D(Layer):
    """2-D convolution (cross-correlation, as in every deep-learning library).

    ``y[n, o, p, q] = b[o] + sum_{c,i,j} W[o, c, i, j] x[n, c, p*s + i - pad, q*s + j - pad]``

    ``weight``: (out_channels, in_channels, kh, kw); ``bias``: (out_channels,).
    ``x``: (N, C, H, W) -> ``y``: (N, out_channels, OH, OW) with
    ``OH = (H + 2*padding - kh) // stride + 1``. Computed as im2col plus one matrix product.
    """

    kind = LayerKind.CONVOLUTION
    title = QT_TRANSLATE_NOOP("Layers", "Convolution {kernel_size}×{kernel_size}")
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Convolution layer</b><br>Each filter k slides over the image and at every place "
        "takes a weighted sum of the pixels under it: "
        "y<sub>k,i,j</sub> = Σ<sub>c,p,q</sub> w<sub>k,c,p,q</sub> x<sub>c,i+p,j+q</sub> + "
        "b<sub>k</sub>. The same few weights are used everywhere, so a filter finds its "
        "pattern (an edge, a stroke end) wherever it is.",
    )
    takes_init = takes_rng = True
    bounds = {
        "in_channels": Bounds(1, 4096, integer=True),
        "out_channels": Bounds(1, 4096, integer=True),
        "kernel_size": Bounds(1, 64, integer=True),
        "stride": Bounds(1, 64, integer=True),
        "padding": Bounds(0, 64, integer=True),
    }

    @classmethod
    def count_parameters(cls, config: dict[str, Any]) -> int:
        cls.check_arguments(config)
        k = int(config["kernel_size"])
        out = int(config["out_channels"])
        return out * int(config["in_channels"]) * k * k + out

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        *,
        init: str = "auto",
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.in_channels = _whole(Conv2D, "in_channels", in_channels)
        self.out_channels = _whole(Conv2D, "out_channels", out_channels)
        self.kernel_size = _whole(Conv2D, "kernel_size", kernel_size)
        self.stride = _whole(Conv2D, "stride", stride)
        self.padding = _whole(Conv2D, "padding", padding)
        self.initialize(init, rng)
        self._cache: Any = None

    def initialize(self, init: str, rng: np.random.Generator | None) -> None:
        """New ``weight`` and ``bias`` (see :func:`_weight_and_bias`)."""
        k = self.kernel_size
        shape = (self.out_channels, self.in_channels, k, k)
        fans = (self.in_channels * k * k, self.out_channels * k * k)
        self.params = _weight_and_bias(init, rng, shape, *fans)

    def config(self) -> dict[str, Any]:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "padding": self.padding,
        }

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(input_shape) != 3 or input_shape[0] != self.in_channels:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{layer} expects input (C={channels}, H, W), got {shape}"
                    ),
                    layer=repr(self),
                    channels=self.in_channels,
                    shape=str(input_shape),
                )
            )
        _, h, w = input_shape
        k, s, p = self.kernel_size, self.stride, self.padding
        oh, ow = _out_size(h, k, s, p), _out_size(w, k, s, p)
        if oh < 1 or ow < 1:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{layer} does not fit an input of {height}x{width}"
                    ),
                    layer=repr(self),
                    height=h,
                    width=w,
                )
            )
        return (self.out_channels, oh, ow)

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The padded input, the patch matrix (with its row of ones) and the output."""
        c, h, w = input_shape
        o, oh, ow = self.output_shape(input_shape)
        k, p = self.kernel_size, self.padding
        return c * (h + 2 * p) * (w + 2 * p) + (c * k * k + 1) * oh * ow + o * oh * ow

    def forward(self, x: Any) -> Any:
        k, s, p = self.kernel_size, self.stride, self.padding
        xp = get_array_module(x)
        w = self.params["weight"].data.reshape(self.out_channels, -1)
        b = self.params["bias"].data
        if self.training or x.shape[0] >= 16:
            # The bias rides in the product: a last row of ones in the patches, the bias as a
            # last column of the weights. That saves a pass over the output here, and in
            # backward the bias gradient comes out of the weight gradient's product.
            col, oh, ow = im2col(x, k, k, s, p, ones_row=True)
            y = xp.concatenate([w, b[:, None]], axis=1) @ col  # (O, OH*OW*N)
        else:  # a few images (a drawing): copying the weights would cost more than the pass
            col, oh, ow = im2col(x, k, k, s, p)
            y = w @ col
            y += b[:, None]
        if self.training:
            self._cache = (col, x.shape)
        n = x.shape[0]
        return y.reshape(self.out_channels, oh, ow, n).transpose(3, 0, 1, 2)

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        col, x_shape = self._cache
        self._cache = None
        o = self.out_channels
        dy2 = to_chwn(dy).reshape(o, -1)  # (O, OH*OW*N)
        w = self.params["weight"]
        # (K+1, P) @ (P, O) runs faster in OpenBLAS than (O, P) @ (P, K+1) for these shapes;
        # the last row, from the patches' row of ones, is the bias gradient.
        g = col @ dy2.T
        w.grad += g[:-1].T.reshape(w.data.shape)
        self.params["bias"].grad += g[-1]
        if not need_dx:
            return None
        return conv_input_grad(w.data, dy2, x_shape, self.stride, self.padding)


class _Pool2D(Layer):
    """Pooling over ``kernel_size`` x ``kernel_size`` windows, ``stride`` apart (default: the
    windows tile the input)."""

    kind = LayerKind.POOLING
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Pooling layer</b><br>Max pooling keeps the strongest response in each small "
        "window: y<sub>i,j</sub> = max<sub>(p,q) ∈ P<sub>i,j</sub></sub> x<sub>p,q</sub> "
        "(average pooling takes the mean). The map gets smaller and a small shift of the "
        "digit changes it little.",
    )

    bounds = {
        "kernel_size": Bounds(1, 64, integer=True),
        "stride": Bounds(1, 64, integer=True),
    }

    def __init__(self, kernel_size: int = 2, stride: int | None = None) -> None:
        super().__init__()
        cls = type(self)
        self.kernel_size = _whole(cls, "kernel_size", kernel_size)
        self.stride = _whole(cls, "stride", stride if stride is not None else kernel_size)

    def config(self) -> dict[str, Any]:
        return {"kernel_size": self.kernel_size, "stride": self.stride}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(input_shape) != 3:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{layer} expects input (C, H, W), got {shape}"),
                    layer=repr(self),
                    shape=str(input_shape),
                )
            )
        c, h, w = input_shape
        k, s = self.kernel_size, self.stride
        oh, ow = _out_size(h, k, s, 0), _out_size(w, k, s, 0)
        if oh < 1 or ow < 1:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{layer} does not fit an input of {height}x{width}"
                    ),
                    layer=repr(self),
                    height=h,
                    width=w,
                )
            )
        return (c, oh, ow)

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The output, the input laid out as (C, H, W, N), and two pairwise maxima (or the
        window index kept for backward)."""
        return math.prod(input_shape) + 3 * math.prod(self.output_shape(input_shape))

    def _geometry(self, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        k, s = self.kernel_size, self.stride
        oh, ow = _out_size(shape[2], k, s, 0), _out_size(shape[3], k, s, 0)
        return oh, ow, s * (oh - 1) + 1, s * (ow - 1) + 1

    def _windows(self, xc: Any) -> list[Any]:
        """The k*k shifted strided views of ``xc`` (C, H, W, N), each (C, OH, OW, N)."""
        _, _, ys, xs = self._geometry((0, 0, *xc.shape[1:3]))
        k, s = self.kernel_size, self.stride
        return [xc[:, i : i + ys : s, j : j + xs : s] for i in range(k) for j in range(k)]

    def _scatter(self, part: Any, x_shape: tuple[int, ...], dtype: Any, xp: Any) -> Any:
        """Build dx (N, C, H, W), laid out as (C, H, W, N), from per-offset gradients:
        ``part(index, out)`` gives offset ``index``'s (C, OH, OW, N) share of the gradient,
        written into ``out`` when it is not None."""
        n, c, h, w = x_shape
        _, _, ys, xs = self._geometry(x_shape)
        k, s = self.kernel_size, self.stride
        oh, ow = self._geometry(x_shape)[:2]
        if k == s and oh * k == h and ow * k == w:
            # the windows tile the input exactly: every element is written once
            dx = xp.empty((c, h, w, n), dtype=dtype)
            for idx in range(k * k):
                i, j = divmod(idx, k)
                part(idx, dx[:, i : i + ys : s, j : j + xs : s])
            return dx.transpose(3, 0, 1, 2)
        dx = xp.zeros((c, h, w, n), dtype=dtype)
        for idx in range(k * k):
            i, j = divmod(idx, k)
            dst = dx[:, i : i + ys : s, j : j + xs : s]
            xp.add(dst, part(idx, None), out=dst)
        return dx.transpose(3, 0, 1, 2)


@register
class MaxPool2D(_Pool2D):
    """Max pooling over ``kernel_size`` x ``kernel_size`` windows, stride ``stride``.

    ``y[n, c, p, q] = max_{i,j} x[n, c, p*s + i, q*s + j]``. The gradient goes to the first
    maximum of each window (ties broken like PyTorch). Max pooling commutes with ReLU, so
    ``MaxPool2D`` then ``ReLU`` computes the same as ``ReLU`` then ``MaxPool2D`` with a quarter
    of the ReLU work; the presets use that order.
    """

    title = QT_TRANSLATE_NOOP("Layers", "Max pooling {kernel_size}×{kernel_size}")

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        views = self._windows(to_chwn(x))
        if len(views) == 4:
            # 2x2 windows: two pairwise maxima, then the maximum of the pairs.
            m01 = xp.maximum(views[0], views[1])
            m23 = xp.maximum(views[2], views[3])
            y = xp.maximum(m01, m23)
            if self.training:
                # first-maximum index 0..3; bool algebra (np.where is slow on bools)
                second = m23 > m01
                within = (second & (views[3] > views[2])) | (~second & (views[1] > views[0]))
                arg = second.astype(np.uint8) * np.uint8(2)
                arg += within
        else:
            y = views[0].copy()
            index_type = np.uint8 if len(views) <= 256 else np.int32
            arg = xp.zeros(y.shape, dtype=index_type) if self.training else None
            for idx, v in enumerate(views[1:], 1):
                if self.training:
                    arg[v > y] = idx
                xp.maximum(y, v, out=y)
        if self.training:
            self._cache = (x.shape, arg)
        return y.transpose(3, 0, 1, 2)

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        x_shape, arg = self._cache
        self._cache = None
        if not need_dx:
            return None
        xp = get_array_module(dy)
        dyc = to_chwn(dy)
        n, c, h, w = x_shape
        k, s = self.kernel_size, self.stride
        oh, ow = dyc.shape[1:3]
        if k == s and oh * k == h and ow * k == w:
            # Windows that tile the input: dx seen as (k, k, C, OH, OW, N), window offset
            # first, takes every offset's share in one product with one mask comparison.
            dx = xp.empty((c, h, w, n), dtype=dy.dtype)
            by_offset = dx.reshape(c, oh, k, ow, k, n).transpose(2, 4, 0, 1, 3, 5)
            offsets = xp.arange(k * k, dtype=arg.dtype).reshape(k, k, 1, 1, 1, 1)
            xp.multiply(dyc, arg == offsets, out=by_offset)
            return dx.transpose(3, 0, 1, 2)
        return self._scatter(
            lambda idx, out: xp.multiply(dyc, arg == idx, out=out), x_shape, dy.dtype, xp
        )


@register
class AvgPool2D(_Pool2D):
    """Average pooling: ``y = mean`` of each ``k x k`` window; ``dx = dy / k^2`` to each input."""

    title = QT_TRANSLATE_NOOP("Layers", "Average pooling {kernel_size}×{kernel_size}")

    def forward(self, x: Any) -> Any:
        views = self._windows(to_chwn(x))
        y = views[0].copy()
        for v in views[1:]:
            y += v
        y *= x.dtype.type(1.0 / (self.kernel_size**2))
        if self.training:
            self._shape = x.shape
        return y.transpose(3, 0, 1, 2)

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        if not need_dx:
            return None
        xp = get_array_module(dy)
        scaled = to_chwn(dy) * dy.dtype.type(1.0 / (self.kernel_size**2))

        def part(idx: int, out: Any) -> Any:
            if out is None:
                return scaled
            out[...] = scaled
            return out

        return self._scatter(part, self._shape, dy.dtype, xp)


# ---------------------------------------------------------------------------------------
# Local contrast normalization (局所コントラスト正規化)
# ---------------------------------------------------------------------------------------


def gaussian_kernel1d(size: int, sigma: float) -> np.ndarray:
    """A normalised 1-D Gaussian of ``size`` taps (float64)."""
    r = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(r**2) / (2.0 * sigma**2))
    return g / g.sum()


def separable_filter(a: Any, g: np.ndarray) -> Any:
    """Filter the last two axes of ``a`` with the 1-D kernel ``g`` along each (zero padding,
    output the same size): ``k`` shifted slices per axis, no Python loop over pixels."""
    xp = get_array_module(a)
    k = len(g)
    r = k // 2
    h, w = a.shape[-2:]
    g = g.astype(a.dtype)
    lead = [(0, 0)] * (a.ndim - 2)
    padded = xp.pad(a, [*lead, (r, r), (0, 0)])
    tmp = g[0] * padded[..., 0:h, :]
    for i in range(1, k):
        tmp += g[i] * padded[..., i : i + h, :]
    padded = xp.pad(tmp, [*lead, (0, 0), (r, r)])
    out = g[0] * padded[..., 0:w]
    for j in range(1, k):
        out += g[j] * padded[..., j : j + w]
    return out


@register
class LocalContrastNorm(Layer):
    """Local contrast normalization (Jarrett, Kavukcuoglu, Ranzato & LeCun 2009, "What is the
    best multi-stage architecture for object recognition?", ICCV).

    With ``w`` a Gaussian window (``kernel_size`` taps, std ``sigma``) shared by all ``C``
    channels and normalised to sum 1 over window and channels:

    - subtractive: ``v[c,h,w] = x[c,h,w] - m[h,w]``, ``m = sum_{c,p,q} w[p,q] x[c,h+p,w+q]``;
    - divisive: ``y = v / max(mean_hw(sigma), sigma[h,w], eps)`` with
      ``sigma[h,w] = sqrt(sum_{c,p,q} w[p,q] v[c,h+p,w+q]^2)``.

    Near the border the window is renormalised to the part that lies inside the image, so the
    local mean is not pulled towards zero. ``x``: (N, C, H, W) -> ``y``: same shape.
    """

    kind = LayerKind.NORMALIZATION
    title = QT_TRANSLATE_NOOP("Layers", "Local contrast normalization")
    explanation = QT_TRANSLATE_NOOP(
        "Layers",
        "<b>Local contrast normalization</b> (Jarrett et al. 2009)<br>Subtractive: remove "
        "the local mean over a Gaussian window w (across all channels), "
        "v<sub>c,i,j</sub> = x<sub>c,i,j</sub> − Σ<sub>c',p,q</sub> w<sub>p,q</sub> "
        "x<sub>c',i+p,j+q</sub>.<br>Divisive: divide by the local spread, "
        "y = v / max(σ̄, σ<sub>i,j</sub>) with σ<sub>i,j</sub> = "
        "√(Σ<sub>c',p,q</sub> w<sub>p,q</sub> v<sub>c',i+p,j+q</sub><sup>2</sup>) and "
        "σ̄ its mean over the image. Faint and strong strokes end up with similar contrast.",
    )

    bounds = {
        "kernel_size": Bounds(1, 63, integer=True),
        "sigma": Bounds(0.0, 64.0, low_open=True),
        "eps": Bounds(0.0, 1.0, low_open=True),
    }

    @classmethod
    def check_arguments(cls, config: dict[str, Any]) -> None:
        super().check_arguments(config)
        if "kernel_size" in config and config["kernel_size"] % 2 == 0:
            raise ArgumentError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "kernel_size must be odd, got {value}"),
                    value=config["kernel_size"],
                )
            )

    def __init__(self, kernel_size: int = 9, sigma: float = 2.0, eps: float = 1e-4) -> None:
        super().__init__()
        self.kernel_size = _whole(LocalContrastNorm, "kernel_size", kernel_size)
        self.sigma = _number(LocalContrastNorm, "sigma", sigma)
        self.eps = _number(LocalContrastNorm, "eps", eps)
        self._g = gaussian_kernel1d(self.kernel_size, self.sigma)
        self._norm_cache: dict[Any, Any] = {}

    def config(self) -> dict[str, Any]:
        return {"kernel_size": self.kernel_size, "sigma": self.sigma, "eps": self.eps}

    def memory_values(self, input_shape: tuple[int, ...]) -> int:
        """The output and four arrays of the input's size (the centred input, its square,
        the divisor, the cached spread), plus the zero-padded maps of the blur."""
        c, h, w = input_shape
        r = self.kernel_size // 2
        return 5 * c * h * w + 4 * (h + 2 * r) * (w + 2 * r)

    def _blur(self, a: Any) -> Any:
        return separable_filter(a, self._g)

    def _norm(self, xp: Any, h: int, w: int, dtype: Any) -> Any:
        key = (xp.__name__, h, w, np.dtype(dtype).str)
        if key not in self._norm_cache:
            self._norm_cache[key] = self._blur(xp.ones((1, 1, h, w), dtype=dtype))
        return self._norm_cache[key]

    def _avg(self, z: Any, norm: Any) -> Any:
        """A(z): window average over space and channels, (N, C, H, W) -> (N, 1, H, W)."""
        return self._blur(z.mean(axis=1, keepdims=True)) / norm

    def _avg_t(self, u: Any, norm: Any, channels: int) -> Any:
        """The adjoint of :meth:`_avg`, (N, 1, H, W) -> (N, 1, H, W) (same for each channel)."""
        return self._blur(u / norm) / channels

    def forward(self, x: Any) -> Any:
        xp = get_array_module(x)
        c, h, w = x.shape[1:]
        norm = self._norm(xp, h, w, x.dtype)
        v = x - self._avg(x, norm)
        sigma = xp.sqrt(self._avg(v * v, norm))
        c_mean = sigma.mean(axis=(2, 3), keepdims=True)
        d = xp.maximum(xp.maximum(sigma, c_mean), x.dtype.type(self.eps))
        y = v / d
        if self.training:
            self._cache = (v, sigma, c_mean, d, norm)
        return y

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        v, sigma, c_mean, d, norm = self._cache
        self._cache = None
        if not need_dx:
            return None
        xp = get_array_module(dy)
        channels = v.shape[1]
        dv = dy / d
        dd = -(dy * v).sum(axis=1, keepdims=True) / (d * d)
        # d = max(sigma, c_mean, eps): the gradient follows the branch that won.
        use_sigma = (sigma >= c_mean) & (sigma > self.eps)
        use_c = ~use_sigma & (c_mean > self.eps)
        dsigma = dd * use_sigma
        dc = (dd * use_c).sum(axis=(2, 3), keepdims=True)
        dsigma = dsigma + dc / (sigma.shape[2] * sigma.shape[3])
        safe = xp.where(sigma > 0, sigma, 1)
        ds2 = xp.where(sigma > 0, dsigma / (2 * safe), 0)
        dv = dv + 2 * v * self._avg_t(ds2, norm, channels)
        dm = -dv.sum(axis=1, keepdims=True)
        return dv + self._avg_t(dm, norm, channels)


def backward_through(layers: list[Layer], dy: Any, need_dx: bool = False) -> Any:
    """Backpropagate ``dy`` through ``layers``, last to first; returns dL/dx if ``need_dx``.

    A layer computes its input gradient only when a layer before it has parameters (or
    ``need_dx`` asks for it): the ``mlp``'s first Dense layer, behind a Flatten, then skips a
    (N, 100) @ (100, 784) product every step. Earlier layers still run backward, with
    ``dy=None``, to drop what they cached.
    """
    first = next((i for i, layer in enumerate(layers) if layer.params), len(layers))
    for i in range(len(layers) - 1, -1, -1):
        dy = layers[i].backward(dy, need_dx=need_dx or i > first)
    return dy
