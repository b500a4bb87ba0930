"""Optimizers: per-parameter update rules with lazily created state.

State is keyed by the parameter's position in the model (``"0.m"``, ``"3.v"``, ...), never by
``id()``, so it can be saved with the model and restored into a fresh copy.

- :class:`SGD` — gradient descent (勾配降下法): ``w <- w - lr * g``. With the whole training
  set as one batch it is batch gradient descent; with mini-batches, stochastic gradient
  descent (確率的勾配降下法).
- :class:`SGD` with ``momentum`` (モーメンタム, Polyak 1964):
  ``v <- mu * v - lr * g``, ``w <- w + v``.
- :class:`Adam` (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", ICLR):
  ``m <- b1 m + (1-b1) g``, ``v <- b2 v + (1-b2) g^2``,
  ``w <- w - lr * m_hat / (sqrt(v_hat) + eps)`` with bias-corrected ``m_hat``, ``v_hat``.

``weight_decay`` adds ``weight_decay * w`` to each gradient (L2 regularisation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.backend import get_array_module, to_numpy
from handwrite.nn.layers import Parameter


def _check_float(name: str, value: Any, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < low or (high is not None and value >= high):
        bound = f"[{low}, {high})" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return value


#: Adding and subtracting this (2**-100, a normal float32) rounds every float32 of magnitude
#: below 2**-124 to 0 and leaves values above 2**-75 exactly as they were.
_FLUSH = 2.0**-100
#: The optimizers flush their state every this many steps: two more passes over it every
#: step would be a noticeable cost for the ``mlp``, whose steps are short.
FLUSH_EVERY = 8


def flush_subnormals(a: Any) -> None:
    """Set the subnormal values of the float32 array ``a`` to 0, in place (two passes).

    A unit that stops receiving gradient (a dead ReLU) keeps a momentum that decays by beta1
    every step; after some 700 steps it passes through the subnormal floats, for about 150
    steps, and x86 CPUs compute with those through microcode, many times slower than with
    normal floats. Flushed every :data:`FLUSH_EVERY` steps, a value is subnormal for at most
    that many. Values between 2**-124 and 2**-75 move by at most 2**-124, larger ones not at
    all. float64 arrays are left alone: their subnormals start at 2**-1022.
    """
    if a.dtype == np.float32:
        a += _FLUSH
        a -= _FLUSH


@dataclass(frozen=True)
class OptimizerState:
    """A host copy of an optimizer's state: what a model file stores to resume training."""

    name: str
    hyperparameters: dict[str, Any]
    steps: int
    arrays: dict[str, np.ndarray]  # "<param index>.<name>" -> float32 array


class Optimizer:
    """Base class. ``params`` is the model's ordered parameter list."""

    name = ""

    def __init__(self, params: Sequence[Parameter], lr: float, weight_decay: float = 0.0) -> None:
        self.params = list(params)
        self.lr = _check_float("lr", lr, 0.0)
        if self.lr == 0.0:
            raise ValueError("lr must be positive, got 0")
        self.weight_decay = _check_float("weight_decay", weight_decay, 0.0)
        self.state: dict[int, dict[str, Any]] = {}
        self.steps = 0
        #: When true, :meth:`step` measures the squared norm of each parameter's change,
        #: ``||w_new - w_old||^2``, into :attr:`update_sq` (one dot product per parameter):
        #: the trainer's update/weight ratios.
        self.measure_updates = False
        #: The squared norms of the last measured step's changes, by parameter index, as
        #: backend scalars (convert them with ``float``).
        self.update_sq: list[Any] = []

    def zero_grad(self) -> None:
        for p in self.params:
            p.zero_grad()

    def _measure(self, index: int, delta: Any) -> None:
        """Record ``||delta||^2`` as parameter ``index``'s change, when measuring."""
        if self.measure_updates:
            flat = delta.ravel()
            self.update_sq[index] = flat @ flat

    def step(self) -> None:
        self.steps += 1
        if self.measure_updates:
            self.update_sq = [0.0] * len(self.params)
        for i, p in enumerate(self.params):
            g = p.grad
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            self.update(i, p, g)

    def update(self, index: int, p: Parameter, g: Any) -> None:
        raise NotImplementedError

    def hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr, "weight_decay": self.weight_decay}

    def state_dict(self) -> dict[str, np.ndarray]:
        """Host copies of the state arrays under ``"<param index>.<name>"``."""
        out = {}
        for i, st in self.state.items():
            for k, v in st.items():
                out[f"{i}.{k}"] = to_numpy(v).astype(np.float32, copy=True)
        return out

    def snapshot(self) -> OptimizerState:
        """Host copies of the state, detached from this optimizer (safe to hand to another
        thread)."""
        return OptimizerState(self.name, self.hyperparameters(), self.steps, self.state_dict())

    def load_state_dict(self, arrays: dict[str, np.ndarray], steps: int) -> None:
        """Restore state saved by :meth:`state_dict`; shapes are checked against the params."""
        self.state = {}
        for key, value in arrays.items():
            idx_text, _, name = key.partition(".")
            idx = int(idx_text)
            if not 0 <= idx < len(self.params):
                raise ValueError(f"optimizer state {key!r} names no parameter")
            p = self.params[idx]
            if tuple(value.shape) != p.shape:
                raise ValueError(
                    f"optimizer state {key!r} has shape {tuple(value.shape)}, "
                    f"parameter {idx} has {p.shape}"
                )
            xp = get_array_module(p.data)
            self.state.setdefault(idx, {})[name] = xp.asarray(value, dtype=p.data.dtype)
        self.steps = int(steps)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (heavy-ball) momentum."""

    def __init__(
        self,
        params: Sequence[Parameter],
        lr: float = 0.1,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = _check_float("momentum", momentum, 0.0, 1.0)

    @property
    def name(self) -> str:  # type: ignore[override]
        return "momentum" if self.momentum else "sgd"

    def update(self, index: int, p: Parameter, g: Any) -> None:
        if self.momentum == 0.0:
            delta = self.lr * g
            self._measure(index, delta)
            p.data -= delta
            return
        st = self.state.get(index)
        if st is None:
            st = self.state[index] = {"velocity": get_array_module(p.data).zeros_like(p.data)}
        v = st["velocity"]
        v *= self.momentum
        v -= self.lr * g
        if self.steps % FLUSH_EVERY == 0:
            flush_subnormals(v)
        self._measure(index, v)
        p.data += v

    def hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}


class Adam(Optimizer):
    """Adam with bias correction (Kingma & Ba 2015)."""

    name = "adam"

    def __init__(
        self,
        params: Sequence[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._scratch: dict[int, Any] = {}
        self.beta1 = _check_float("beta1", betas[0], 0.0, 1.0)
        self.beta2 = _check_float("beta2", betas[1], 0.0, 1.0)
        self.eps = _check_float("eps", eps, 0.0)

    def update(self, index: int, p: Parameter, g: Any) -> None:
        xp = get_array_module(p.data)
        st = self.state.get(index)
        if st is None:
            st = self.state[index] = {"m": xp.zeros_like(p.data), "v": xp.zeros_like(p.data)}
        m, v = st["m"], st["v"]
        # one scratch array per parameter, reused every step: no temporaries are allocated
        tmp = self._scratch.get(index)
        if tmp is None or tmp.shape != p.data.shape or get_array_module(tmp) is not xp:
            tmp = self._scratch[index] = xp.empty_like(p.data)
        b1, b2 = self.beta1, self.beta2
        m *= b1
        xp.multiply(g, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        xp.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        if self.steps % FLUSH_EVERY == 0:
            flush_subnormals(m)
            flush_subnormals(v)
        t = self.steps
        step = self.lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        # eps scaled by the same correction keeps the update equal to the textbook form
        # lr * m_hat / (sqrt(v_hat) + eps).
        xp.sqrt(v, out=tmp)
        tmp += self.eps * math.sqrt(1 - b2**t)
        xp.divide(m, tmp, out=tmp)
        tmp *= step
        self._measure(index, tmp)
        p.data -= tmp

    def hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "betas": [self.beta1, self.beta2],
            "eps": self.eps,
            "weight_decay": self.weight_decay,
        }


OPTIMIZERS = ("sgd", "momentum", "adam")
#: A learning rate that suits each optimizer on these networks: the default of the command
#: line and the window, which offers it again when the optimizer changes. Adam's steps are
#: normalised per weight, so it wants a far smaller one than plain or momentum SGD.
DEFAULT_LR: dict[str, float] = {"sgd": 0.05, "momentum": 0.05, "adam": 0.001}


def make_optimizer(
    name: str,
    params: Sequence[Parameter],
    lr: float,
    *,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
) -> Optimizer:
    """Build an optimizer by the names the command line and the window use."""
    if name == "sgd":
        return SGD(params, lr=lr, weight_decay=weight_decay)
    if name == "momentum":
        return SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return Adam(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}: use one of {', '.join(OPTIMIZERS)}")
