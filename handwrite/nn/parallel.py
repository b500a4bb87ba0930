"""Training steps on the CPU split into pieces of the batch, and the pieces across threads.

NumPy runs each elementwise operation (im2col copies, pooling, ReLU, the optimizer) on one
core, and only the matrix products use the BLAS library's threads, so most cores idle for
much of a ``cnn`` step. A :class:`ShardedStep` instead splits the batch between *workers*,
one per core, each running forward, loss and backward of its part on its own thread with one
BLAS thread. NumPy and BLAS release the GIL inside their loops, so the workers really run at
the same time. A worker goes through a large part in *pieces* of about 128 ``cnn`` images,
one after the other, so that a step never holds more than a piece's activations per worker:
batch gradient descent over the whole training set would otherwise hold the activations of
every image at once. A piece should not be much smaller either: each one pays the per-layer
Python overhead again and runs smaller matrix products.

The result is the same step: piece ``k`` of ``n_k`` images scales its loss gradient by
``n_k / N``, the parameter gradients of the workers are summed in a fixed order, and dropout
masks are drawn for the whole batch before it is split, so they equal the unsplit step's.
Only the rounding of the sums differs (about 1e-7 relative).

Worker 0 runs on the calling thread with the model's own layers; the others run on
*replicas*: shallow copies of the layers with their own caches and gradient arrays that read
the model's weight arrays (re-linked before every step, so loading weights cannot leave a
replica behind).
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np

from handwrite.nn.backend import get_array_module
from handwrite.nn.layers import Layer, Parameter, RandomLayer, backward_through
from handwrite.nn.losses import Loss, get_loss


class Network(Protocol):
    """What this module reads of a :class:`~handwrite.nn.model.Model` (which imports it)."""

    layers: list[Layer]
    input_shape: tuple[int, ...]
    loss: Loss

    def forward(self, x: Any) -> Any: ...

    def values_per_image(self) -> int: ...


#: The smallest shard worth its own thread, in images and in activation values (see
#: :func:`activation_values`): below them, thread hand-offs, per-layer Python overhead and
#: smaller matrix products cost more than another core gains. The ``cnn`` and ``lenet``
#: (tens of thousands of values per image) split at their usual batch sizes; the ``mlp``
#: (some 200, its time all in matrix products that BLAS already spreads over the cores) only
#: in batches of thousands. ``benchmarks/train_throughput.py`` measures the effect.
MIN_SHARD = 16
MIN_SHARD_VALUES = 1 << 18
#: Activation values of one piece: about 128 ``cnn`` images.
PIECE_VALUES = 1 << 22


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def activation_values(model: Network) -> int:
    """Values one image produces in the outputs of the layers that NumPy computes on one
    thread (:attr:`Layer.single_threaded <handwrite.nn.layers.Layer.single_threaded>`): a
    measure of the work that splitting a batch across threads shares out."""
    shape = tuple(model.input_shape)
    total = 0
    for layer in model.layers:
        shape = layer.output_shape(shape)
        if layer.single_threaded:
            total += int(np.prod(shape))
    return total


def default_threads() -> int:
    """Threads a training step uses unless the model says otherwise: ``HANDWRITE_THREADS``
    from the environment when it is a positive integer, else every available core."""
    value = os.environ.get("HANDWRITE_THREADS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return available_cores()


def blas_threads() -> int:
    """The threads NumPy's BLAS library runs a matrix product on (every available core when
    it cannot be read)."""
    counts = [lib.num_threads for lib in _BlasThreads.libs()]
    return max(counts) if counts else available_cores()


def split_plan(
    batch: int, threads: int, values_per_image: int, max_images: int | None = None
) -> tuple[int, int]:
    """``(workers, pieces)`` for a batch of ``batch`` images with ``threads`` threads: the
    number of threads to split it across and the number of pieces (a multiple of the
    workers) to cut it into. ``(1, 1)``: the plain, unsplit step.

    ``max_images``: the most images whose activations may be in memory at once (the
    workers' pieces together), for models whose images are large."""
    workers = max(1, min(threads, batch // MIN_SHARD, batch * values_per_image // MIN_SHARD_VALUES))
    if max_images is not None:
        workers = max(1, min(workers, max_images))
    pieces = max(1, min(batch // MIN_SHARD, round(batch * values_per_image / PIECE_VALUES)))
    pieces = max(workers, pieces // workers * workers)
    if max_images is not None:
        need = -(-batch // max(1, max_images // workers))
        if need > pieces:
            pieces = -(-need // workers) * workers
            if pieces > batch:  # pieces of one image each: one worker takes them in turn
                workers, pieces = 1, need
    return workers, pieces


_helper_lock = threading.Lock()
_helper_pool: ThreadPoolExecutor | None = None
_helper_count = 0


def _helpers(count: int) -> ThreadPoolExecutor:
    """A shared pool of at least ``count`` helper threads, for inference."""
    global _helper_pool, _helper_count
    with _helper_lock:
        if _helper_pool is None or _helper_count < count:
            old, _helper_count = _helper_pool, count
            _helper_pool = ThreadPoolExecutor(count, thread_name_prefix="handwrite-helper")
            if old is not None:
                old.shutdown(wait=False)
        return _helper_pool


def _cuts(n: int, pieces: int) -> list[int]:
    """Where ``pieces`` nearly equal pieces of ``n`` images start and end."""
    return [round(k * n / pieces) for k in range(pieces + 1)]


def _in_workers(
    share: Callable[[int], list[Any]], workers: int, pool: ThreadPoolExecutor | None
) -> list[Any]:
    """``share(0) + share(1) + ...`` for ``workers`` workers: worker 0 on this thread, the
    others on ``pool``, with one BLAS thread each. The first error is raised once every
    worker has finished, so none is still writing when the caller cleans up."""
    if workers == 1 or pool is None:
        return share(0)
    with _BlasThreads(1):
        futures = [pool.submit(share, w) for w in range(1, workers)]
        try:
            results = share(0)
        finally:
            for f in futures:
                f.exception()
        for f in futures:
            results += f.result()
    return results


def forward_in_pieces(model: Network, x: Any, threads: int) -> Any:
    """``model.forward(x)`` for a model in inference mode, in pieces on up to ``threads``
    threads (see :func:`split_plan`). Inference changes no layer's state, so every thread
    runs the model's own layers. Even on one thread the pieces pay: they fit in the cache."""
    n = x.shape[0]
    workers, pieces = split_plan(n, threads, model.values_per_image())
    if pieces == 1:
        return model.forward(x)
    cuts = _cuts(n, pieces)
    per = pieces // workers

    def share(worker: int) -> list[Any]:
        mine = range(worker * per, (worker + 1) * per)
        return [model.forward(x[cuts[k] : cuts[k + 1]]) for k in mine]

    pool = _helpers(workers - 1) if workers > 1 else None
    return np.concatenate(_in_workers(share, workers, pool))


class _BlasThreads:
    """Sets the number of BLAS threads (NumPy's OpenBLAS or MKL) and restores it."""

    _libs: list[Any] | None = None

    @classmethod
    def libs(cls) -> list[Any]:
        if cls._libs is None:
            try:
                from threadpoolctl import ThreadpoolController

                cls._libs = list(ThreadpoolController().select(user_api="blas").lib_controllers)
            except Exception:  # noqa: BLE001 - without control the shards still compute right
                cls._libs = []
        return cls._libs

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.saved: list[int] = []

    def __enter__(self) -> None:
        for lib in self.libs():
            self.saved.append(lib.num_threads)
            if lib.num_threads != self.threads:
                lib.set_num_threads(self.threads)

    def __exit__(self, *exc: object) -> None:
        for lib, n in zip(self.libs(), self.saved, strict=False):
            if lib.num_threads != n:
                lib.set_num_threads(n)
        self.saved = []


class _Replica:
    """The model's layers with their own caches and gradients, reading the model's weights."""

    def __init__(self, model: Network) -> None:
        self.layers: list[Layer] = []
        #: (the model's parameter, this replica's twin of it)
        self.pairs: list[tuple[Parameter, Parameter]] = []
        for layer in model.layers:
            twin = copy.copy(layer)
            twin.params = {k: Parameter(p.data) for k, p in layer.params.items()}
            self.layers.append(twin)
            self.pairs += [(p, twin.params[k]) for k, p in layer.params.items()]
        self.loss: Loss = get_loss(model.loss.name)

    def sync(self, model: Network) -> None:
        """Read the model's current weight arrays and mode; clear the gradients."""
        for layer, twin in zip(model.layers, self.layers, strict=True):
            twin.training = layer.training
        for p, mine in self.pairs:
            if mine.data is not p.data:
                mine.data = p.data
                if mine.grad.shape != p.data.shape or mine.grad.dtype != p.data.dtype:
                    mine.grad = np.zeros_like(p.data)
            mine.grad.fill(0)


#: A piece of a batch: images, labels, loss-gradient scale, and each random layer's mask.
Piece = tuple[Any, Any, float, list[tuple[int, Any]]]


def _run_pieces(layers: list[Layer], loss: Loss, pieces: list[Piece]) -> list[tuple[float, Any]]:
    """Forward, loss and backward of each piece in turn; gradients are added to the layers'
    parameters. Returns each piece's mean loss and outputs."""
    results = []
    for x, t, scale, masks in pieces:
        for i, mask in masks:
            layers[i].use_mask(mask)  # type: ignore[attr-defined]
        y = x
        for layer in layers:
            y = layer.forward(y)
        value = loss.forward(y, t)
        dy = loss.backward()
        dy *= dy.dtype.type(scale)
        backward_through(layers, dy)
        results.append((value, y))
    return results


class ShardedStep:
    """``step(x, t, pieces)`` does :meth:`Model.train_step` on ``workers`` threads in
    ``pieces`` pieces (several workers: NumPy models only; one worker runs the pieces in
    turn on either backend)."""

    def __init__(self, model: Network, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"a split step needs at least 1 worker, got {workers}")
        self.model = model
        self.workers = workers
        self._replicas = [_Replica(model) for _ in range(workers - 1)]
        self._pool = (
            ThreadPoolExecutor(workers - 1, thread_name_prefix="handwrite-worker")
            if workers > 1
            else None
        )
        # each random layer (dropout) with the shape of one image's input to it
        self._random: list[tuple[int, RandomLayer, tuple[int, ...]]] = []
        shape = tuple(model.input_shape)
        for i, layer in enumerate(model.layers):
            if isinstance(layer, RandomLayer):
                self._random.append((i, layer, shape))
            shape = layer.output_shape(shape)

    def _masks(self, n: int, dtype: Any) -> list[tuple[int, Any]]:
        """Each random layer's index and its mask for the whole batch of ``n``, for those
        that draw one now (the shapes come from the architecture, before any shard runs)."""
        return [
            (i, layer.draw_mask((n, *shape), dtype))
            for i, layer, shape in self._random
            if layer.draws_mask()
        ]

    def _forget_masks(self, masks: list[tuple[int, Any]]) -> None:
        """Forget the masks a failed step did not use, so that they cannot reach a later
        forward pass."""
        for i, _ in masks:
            for layers in [self.model.layers, *(rep.layers for rep in self._replicas)]:
                layers[i].use_mask(None)  # type: ignore[attr-defined]

    def step(self, x: Any, t: Any, pieces: int) -> tuple[float, Any]:
        model = self.model
        n = x.shape[0]
        if pieces % self.workers:
            raise ValueError(f"{pieces} pieces do not share out among {self.workers} workers")
        cuts = _cuts(n, pieces)
        per = pieces // self.workers
        masks = self._masks(n, x.dtype)
        for rep in self._replicas:
            rep.sync(model)

        def share(worker: int) -> list[tuple[float, Any]]:
            pieces_of_worker: list[Piece] = [
                (
                    x[cuts[k] : cuts[k + 1]],
                    t[cuts[k] : cuts[k + 1]],
                    (cuts[k + 1] - cuts[k]) / n,
                    [(i, mask[cuts[k] : cuts[k + 1]]) for i, mask in masks],
                )
                for k in range(worker * per, (worker + 1) * per)
            ]
            runs = self._replicas[worker - 1] if worker else model
            return _run_pieces(runs.layers, runs.loss, pieces_of_worker)

        try:
            results = _in_workers(share, self.workers, self._pool)
        except BaseException:
            self._forget_masks(masks)
            raise
        for rep in self._replicas:
            for p, twin in rep.pairs:
                p.grad += twin.grad
        loss = sum(v * (cuts[k + 1] - cuts[k]) for k, (v, _) in enumerate(results)) / n
        y = get_array_module(x).concatenate([out for _, out in results])
        return float(loss), y
