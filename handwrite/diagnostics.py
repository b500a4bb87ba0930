"""Why a network learns, or does not: per-layer measurements taken while it trains. Qt-free.

The trainer (:class:`handwrite.trainer.Trainer`, with ``TrainConfig(diagnostics=True)``)
measures on every step, or every few steps when measuring would cost more than 1% of the
training time (:data:`COST_SHARE`), for every layer with parameters (weight and bias
together):

- the gradient norm ``||dE/dw||``: a deep sigmoid network's first layers get gradients orders
  of magnitude smaller than its last (the vanishing gradient), a ReLU network's do not;
- the update/weight ratio ``||Δw|| / ||w||`` of that step, from the optimizer's own update
  (around 1e-3 is healthy; 1e-1 and more tears the weights apart, 1e-6 hardly moves them);

and for every ReLU layer the share of *dead* units: units whose output is 0 for every image
of the batch (for a convolution, a feature map that is 0 at every position of every image).

It emits them as :class:`LayerStats` events, each carrying every measured step since the
last one, about ten times a second (:data:`STATS_SECONDS`), and with each snapshot of the
weights a :class:`WeightHistograms` event: each layer's weights counted in fixed bins, next to
the counts of the weights the run started from.

The gradient norms double as the divergence guard's first check: a step whose gradient is
not finite is refused before it is applied.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.backend import get_array_module, to_numpy
from handwrite.nn.layers import ReLU, to_chwn
from handwrite.nn.model import Model
from handwrite.nn.optim import Optimizer

__all__ = [
    "HISTOGRAM_BINS",
    "STATS_SECONDS",
    "DiagnosticsRecorder",
    "LayerStats",
    "WeightHistograms",
    "histogram_edges",
]

#: The trainer emits the measurements at most this often (seconds): what a plot can draw.
STATS_SECONDS = 0.1
#: Bins of each weight histogram.
HISTOGRAM_BINS = 48
#: With automatic sampling, measurements may cost at most this share of the training time.
COST_SHARE = 0.01
#: Measure at least every this many steps, however cheap the steps.
MAX_EVERY = 64


@dataclass(frozen=True)
class LayerStats:
    """Per-layer measurements of the steps sampled since the last :class:`LayerStats`.

    ``steps``: (S,) int64, the steps measured (1-based, as :attr:`BatchDone.step
    <handwrite.trainer.BatchDone.step>`). ``layers``: the indices (into ``model.layers``) of
    the L layers with parameters; ``gradient_norm`` and ``update_ratio``: (S, L) float64.
    ``relu_layers``: the indices of the R ReLU layers; ``dead_share``: (S, R) float64 in
    [0, 1], the share of each one's units that gave 0 for every image of the batch.
    """

    steps: np.ndarray
    layers: tuple[int, ...]
    gradient_norm: np.ndarray
    update_ratio: np.ndarray
    relu_layers: tuple[int, ...]
    dead_share: np.ndarray


@dataclass(frozen=True)
class WeightHistograms:
    """Each layer's weights (not biases) counted in fixed bins, now and at the start.

    ``layers``: indices into ``model.layers`` of the layers with a ``weight``. For layer k:
    ``edges[k]``: (B+1,) float32 bin edges, the same in every event of a run (so a plot only
    updates its bars); ``initial[k]`` and ``counts[k]``: (B,) int64 counts of the weights the
    run started from and of the weights at ``step``; weights beyond the edges are counted in
    the first or last bin, and ``outside[k]`` is their share now.
    """

    step: int
    layers: tuple[int, ...]
    edges: tuple[np.ndarray, ...]
    initial: tuple[np.ndarray, ...]
    counts: tuple[np.ndarray, ...]
    outside: tuple[float, ...]


def histogram_edges(initial: np.ndarray, bins: int = HISTOGRAM_BINS) -> np.ndarray:
    """Fixed bin edges for a layer whose weights start as ``initial``: symmetric about 0,
    twice as wide as the initial weights reach (trained weights spread out), (bins+1,)."""
    reach = float(np.abs(initial).max()) if initial.size else 0.0
    limit = 2.0 * reach if reach > 0 else 1.0
    return np.linspace(-limit, limit, bins + 1).astype(np.float32)


def _counts(w: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, float]:
    """Counts of ``w`` in the bins of ``edges`` (values beyond them in the end bins) and the
    share beyond them."""
    lo, hi = float(edges[0]), float(edges[-1])
    flat = w.ravel()
    counts, _ = np.histogram(flat, bins=len(edges) - 1, range=(lo, hi))
    below = int(np.count_nonzero(flat < lo))
    above = int(np.count_nonzero(flat > hi))
    counts[0] += below
    counts[-1] += above
    return counts.astype(np.int64), (below + above) / max(flat.size, 1)


class _UnitActivity:
    """Watches one ReLU layer's training outputs on the steps being measured: the largest
    output of each unit over each piece of the batch. Threads that split a step call it
    for their pieces (``list.append`` is atomic)."""

    def __init__(self) -> None:
        self.active = False
        self.parts: list[Any] = []
        self.seconds = 0.0  # spent here on the step being measured (the threads' total)

    def __call__(self, y: Any) -> None:
        if not self.active:
            return
        t0 = time.perf_counter()
        if y.ndim == 2:  # (N, units)
            self.parts.append(y.max(axis=0))
        else:  # (N, C, H, W): a unit is a feature map, over every position of every image
            c = to_chwn(y)
            self.parts.append(c.reshape(c.shape[0], -1).max(axis=1))
        self.seconds += time.perf_counter() - t0

    def dead_share(self) -> float:
        """The share of units whose largest output was 0 (or not positive) over the step;
        forgets the step."""
        parts, self.parts = self.parts, []
        if not parts:
            return math.nan
        xp = get_array_module(parts[0])
        top = parts[0] if len(parts) == 1 else xp.stack(parts).max(axis=0)
        return float(xp.count_nonzero(top <= 0)) / top.size


class DiagnosticsRecorder:
    """Takes the measurements for one run of ``model`` with ``optimizer``.

    The trainer calls, on a step it measures: :meth:`begin_step` before the forward pass,
    :meth:`gradients` after the backward pass (its total tells whether the step may be
    applied), :meth:`before_update` and :meth:`after_update` around ``optimizer.step()``.
    :meth:`due` says which steps to measure: every ``every`` steps, or with ``every=0`` as
    often as keeps the measuring under :data:`COST_SHARE` of the training time.
    """

    def __init__(self, model: Model, optimizer: Optimizer, every: int = 0) -> None:
        self.model = model
        self.optimizer = optimizer
        self.fixed_every = every
        self.every = every or 1
        self._next = 0  # the next step (0-based count of steps done) to measure
        # the parameters, grouped by layer: (layer index, [parameter indices])
        index = {id(p): i for i, p in enumerate(optimizer.params)}
        self.layers: tuple[int, ...] = tuple(
            i for i, layer in enumerate(model.layers) if layer.params
        )
        self._groups = [
            [index[id(p)] for p in model.layers[i].params.values()] for i in self.layers
        ]
        self._activity: list[_UnitActivity] = []
        relus = []
        for i, layer in enumerate(model.layers):
            if isinstance(layer, ReLU):
                watcher = _UnitActivity()
                layer.observer = watcher
                self._activity.append(watcher)
                relus.append(i)
        self.relu_layers: tuple[int, ...] = tuple(relus)
        self._rows: list[tuple[int, list[float], list[float], list[float]]] = []
        self._grad_sq: list[float] = []
        self._weight_sq: list[float] = []
        self._cost = 0.0  # seconds spent measuring the current step
        self._spent = 0.0  # seconds spent measuring, smoothed per measured step
        # histograms: fixed edges and counts from the weights the run starts with
        self.weight_layers: tuple[int, ...] = tuple(
            i for i in self.layers if "weight" in model.layers[i].params
        )
        self._edges: list[np.ndarray] = []
        self._initial: list[np.ndarray] = []
        for i in self.weight_layers:
            w = to_numpy(model.layers[i].params["weight"].data)
            edges = histogram_edges(w)
            self._edges.append(edges)
            self._initial.append(_counts(w, edges)[0])

    def close(self) -> None:
        """Stop watching the ReLU layers."""
        for i in self.relu_layers:
            self.model.layers[i].observer = None  # type: ignore[attr-defined]

    # -- which steps -----------------------------------------------------------------------
    def due(self, step: int) -> bool:
        """Whether to measure the step that follows ``step`` steps done."""
        return step >= self._next

    def _schedule(self, step: int, step_seconds: float) -> None:
        if not self.fixed_every and step_seconds > 0:
            wanted = math.ceil(self._spent / (COST_SHARE * step_seconds))
            self.every = max(1, min(MAX_EVERY, wanted))
        self._next = step + self.every - 1  # steps done before the next measured one

    # -- one measured step -----------------------------------------------------------------
    def begin_step(self) -> None:
        """Before the forward pass: watch the ReLU units."""
        for watcher in self._activity:
            watcher.active = True
            watcher.seconds = 0.0

    def gradients(self) -> float:
        """After the backward pass: measure the gradients and weights; returns the total
        squared gradient norm (not finite: the step must not be applied)."""
        t0 = time.perf_counter()
        for watcher in self._activity:
            watcher.active = False
        params = self.optimizer.params
        grads = []
        weights = []
        for p in params:
            g = p.grad.ravel()
            w = p.data.ravel()
            grads.append(g @ g)
            weights.append(w @ w)
        self._grad_sq = _floats(grads)
        self._weight_sq = _floats(weights)
        # Two dot products per parameter here; the optimizer's step makes one more for its
        # update: count half as much again for it.
        self._cost = 1.5 * (time.perf_counter() - t0)
        self._cost += sum(watcher.seconds for watcher in self._activity)
        return math.fsum(self._grad_sq)

    def before_update(self) -> None:
        self.optimizer.measure_updates = True

    def after_update(self, step: int, step_seconds: float) -> None:
        """After ``optimizer.step()``: record the step (``step``, 1-based) and choose the next
        one to measure from the measuring's cost against ``step_seconds``."""
        t0 = time.perf_counter()
        opt = self.optimizer
        opt.measure_updates = False
        update_sq = _floats(opt.update_sq)
        grad_norm = []
        ratio = []
        for group in self._groups:
            grad_norm.append(math.sqrt(sum(self._grad_sq[i] for i in group)))
            w = math.sqrt(sum(self._weight_sq[i] for i in group))
            u = math.sqrt(sum(update_sq[i] for i in group))
            ratio.append(u / w if w > 0 else math.inf if u > 0 else 0.0)
        dead = [watcher.dead_share() for watcher in self._activity]
        self._rows.append((step, grad_norm, ratio, dead))
        spent = self._cost + (time.perf_counter() - t0)
        self._spent = spent if self._spent == 0 else 0.8 * self._spent + 0.2 * spent
        self._schedule(step, step_seconds)

    def skip_step(self) -> None:
        """The measured step was refused: stop watching, forget it."""
        for watcher in self._activity:
            watcher.active = False
            watcher.parts = []
        self.optimizer.measure_updates = False

    # -- events ----------------------------------------------------------------------------
    def pending(self) -> bool:
        return bool(self._rows)

    def stats(self) -> LayerStats | None:
        """The measurements since the last call as one event (None when there are none)."""
        if not self._rows:
            return None
        rows, self._rows = self._rows, []
        n_layers, n_relu = len(self.layers), len(self.relu_layers)
        return LayerStats(
            np.array([r[0] for r in rows], dtype=np.int64),
            self.layers,
            np.array([r[1] for r in rows], dtype=np.float64).reshape(len(rows), n_layers),
            np.array([r[2] for r in rows], dtype=np.float64).reshape(len(rows), n_layers),
            self.relu_layers,
            np.array([r[3] for r in rows], dtype=np.float64).reshape(len(rows), n_relu),
        )

    def histograms(self, step: int, state: dict[str, np.ndarray]) -> WeightHistograms:
        """The weight histograms at ``step`` from ``state``, host copies of the weights (a
        :class:`~handwrite.trainer.Snapshot`'s)."""
        counts = []
        outside = []
        for i, edges in zip(self.weight_layers, self._edges, strict=True):
            c, share = _counts(state[f"{i}.weight"], edges)
            counts.append(c)
            outside.append(share)
        return WeightHistograms(
            step,
            self.weight_layers,
            tuple(self._edges),
            tuple(self._initial),
            tuple(counts),
            tuple(outside),
        )


def _floats(values: list[Any]) -> list[float]:
    """Backend scalars (NumPy or CuPy 0-d arrays) as Python floats, with one transfer from a
    GPU."""
    if not values:
        return []
    xp = get_array_module(values[0])
    if xp is np:
        return [float(v) for v in values]
    return [float(v) for v in to_numpy(xp.stack(values))]
