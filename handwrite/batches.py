"""The shuffled batches of an epoch, gathered ahead of the steps on a second thread.

A training step needs its batch as one array: the rows of the training images at the
epoch's shuffled indices, copied out. For a small mlp that copy costs some 5% of the step
(64 rows picked at random out of 170 MB of images, cold in every cache). :class:`Batches`
takes it off the step's path where a core is free: a worker thread copies the next
``chunk`` batches into one of two buffers while the steps read theirs from the other. NumPy
releases the GIL while it copies, and most of a step runs in BLAS and in ufuncs, which
release it too, so the copying runs on the free core beside the step. Where the step keeps
every core busy, the copy would only take a core from it (the step's BLAS threads wait for
the one the worker took): then each batch is gathered at its step (``ahead=False``). The
trainer (:mod:`handwrite.trainer`) reads every batch through it; the batches are the same,
row for row, either way.

On a GPU (CuPy) a batch is taken on the device at its step: the device copies, and the host
has nothing to overlap.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any

import numpy as np

__all__ = ["CHUNK_BYTES", "Batches"]

#: The images of one chunk (batches gathered at once) take about this many bytes; two chunks
#: are held. Large enough that handing a chunk to the worker costs nothing per step, small
#: enough to stay in the caches shared with the step.
CHUNK_BYTES = 4 << 20
#: At most this many batches in a chunk.
MAX_CHUNK_BATCHES = 16


class Batches:
    """The batches of one epoch at a time: ``epoch(order, first)``, then ``batch(b)`` for
    ``b = first, first + 1, ...`` in turn.

    Args:
        images: the training images, (N, ...) on the host (NumPy) or the device (CuPy).
        labels: (N,) their labels, on the same device.
        batch_size: rows per batch; the last batch of an epoch holds the rest.
        xp: ``numpy`` or ``cupy``, the arrays' module.
        ahead: gather on a worker thread, ahead of the steps (on the host only); False:
            each batch at its step, into one of two buffers of one batch.

    A batch's arrays are views into a buffer that is refilled two chunks later: a batch is
    valid until the step that reads it is done (the layers keep nothing of their input past
    their backward pass). Call :meth:`close` when done; the worker thread starts again when
    needed.
    """

    def __init__(
        self, images: Any, labels: Any, batch_size: int, xp: Any = np, *, ahead: bool = True
    ) -> None:
        self.images = images
        self.labels = labels
        self.batch_size = int(batch_size)
        self.xp = xp
        self.ahead = bool(ahead) and xp is np
        n = int(images.shape[0])
        row = max(1, images[:1].nbytes)
        self.chunk = max(1, min(MAX_CHUNK_BATCHES, CHUNK_BYTES // (row * self.batch_size)))
        if not self.ahead:
            self.chunk = 1
        self._n = n
        self._order: Any = None
        self._first = 0
        self._next = 0  # the batch expected next
        self._buffers: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending: concurrent.futures.Future[None] | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return (
            f"Batches({self._n} images, batch_size={self.batch_size}, chunk={self.chunk} "
            f"batches, {'ahead' if self.ahead else 'at each step'})"
        )

    def epoch(self, order: Any, first: int = 0) -> None:
        """Start an epoch: ``order`` is the permutation of the image indices (on the arrays'
        device), ``first`` the first batch to be read (after a resume, not 0)."""
        self._wait()
        self._order = order
        self._first = self._next = int(first)
        if self.xp is np and first * self.batch_size < self._n:
            self._submit(0)

    def batch(self, b: int) -> tuple[Any, Any]:
        """The images and labels of batch ``b`` of the epoch (the next one in turn)."""
        if b != self._next or self._order is None:
            raise ValueError(f"batch {b} asked for where batch {self._next} is next")
        self._next = b + 1
        bs = self.batch_size
        if self.xp is not np:
            idx = self._order[b * bs : (b + 1) * bs]
            return self.xp.take(self.images, idx, axis=0), self.xp.take(self.labels, idx)
        k, at = divmod(b - self._first, self.chunk)
        if at == 0:  # the first batch of chunk k: wait for it, and gather the one after
            self._wait()
            if (self._first + (k + 1) * self.chunk) * bs < self._n:
                self._submit(k + 1)
        x, t = self._buffers[k % 2]
        start = at * bs
        end = start + min(bs, self._n - b * bs)
        return x[start:end], t[start:end]

    def close(self) -> None:
        """Wait for the worker's copy in flight and end its thread."""
        self._wait()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    # -- the worker ----------------------------------------------------------------------
    def _submit(self, k: int) -> None:
        """Gather chunk ``k`` of this epoch into buffer ``k % 2``, on the worker thread."""
        if len(self._buffers) <= k % 2:  # made when first needed: an epoch of one chunk
            rows = self.chunk * self.batch_size  # (batch gradient descent) holds one
            self._buffers.append(
                (
                    np.empty((rows, *self.images.shape[1:]), self.images.dtype),
                    np.empty(rows, self.labels.dtype),
                )
            )
        bs = self.batch_size
        start = (self._first + k * self.chunk) * bs
        idx = self._order[start : min(start + self.chunk * bs, self._n)]
        if not self.ahead:
            self._gather(idx, *self._buffers[k % 2])
            return
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="handwrite-batches"
            )
        self._pending = self._executor.submit(self._gather, idx, *self._buffers[k % 2])

    def _gather(self, idx: np.ndarray, x: np.ndarray, t: np.ndarray) -> None:
        # ``mode="clip"`` skips NumPy's buffered bounds check (a permutation's indices are all
        # in range), which with ``out`` would cost more than the copy.
        np.take(self.images, idx, axis=0, out=x[: len(idx)], mode="clip")
        np.take(self.labels, idx, out=t[: len(idx)], mode="clip")

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()
