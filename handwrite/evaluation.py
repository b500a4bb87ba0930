"""Evaluating a model on labelled images: loss, accuracy, confusion matrix. Qt-free.

One function does the work, in chunks: :func:`evaluate_steps` is a generator that yields an
:class:`EvaluationProgress` after each chunk and returns the :class:`Evaluation`, so that its
caller can report progress, pause or stop between chunks (the trainer pauses there, the
window's worker thread re-emits the progress and cancels by closing the generator).
:func:`evaluate` runs it to the end.

    result = yield from evaluate_steps(model, images, labels)   # inside another generator
    result = evaluate(model, images, labels)                     # all at once
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.model import Model

#: Images per chunk: progress, pauses and cancellation happen between chunks.
CHUNK = 1000


@dataclass(frozen=True)
class Evaluation:
    """What a model did on a labelled set.

    ``confusion``: (K, K) int64, rows = true class, columns = predicted class;
    ``probabilities``: (N, K) float32, the model's answer for each image.
    """

    loss: float
    accuracy: float
    confusion: np.ndarray
    probabilities: np.ndarray

    @property
    def per_class_accuracy(self) -> np.ndarray:
        """(K,) float64: the share of each true class recognised (0 for an absent class)."""
        totals = self.confusion.sum(axis=1)
        return np.divide(
            np.diag(self.confusion), totals, out=np.zeros(len(totals)), where=totals > 0
        )


@dataclass(frozen=True)
class EvaluationProgress:
    """``done`` of ``total`` images evaluated so far."""

    done: int
    total: int


def evaluation_from_probabilities(probs: np.ndarray, labels: Any, loss_name: str) -> Evaluation:
    """An :class:`Evaluation` from class probabilities (N, K) and true labels (N,).

    ``loss_name``: ``"cross_entropy"`` (mean -log p of the true class) or ``"squared_error"``
    (half the squared distance of the probabilities from the one-hot target).
    """
    labels = np.asarray(labels).astype(np.int64)
    k = probs.shape[1]
    picked = probs[np.arange(len(labels)), labels]
    if loss_name == "cross_entropy":
        loss = float(-np.log(np.maximum(picked, 1e-12)).mean()) if len(labels) else 0.0
    else:  # squared error on the raw outputs is not recoverable from probabilities
        onehot = np.eye(k, dtype=np.float32)[labels]
        loss = float(0.5 * ((probs - onehot) ** 2).sum(axis=1).mean()) if len(labels) else 0.0
    pred = probs.argmax(axis=1)
    confusion = np.zeros((k, k), np.int64)
    np.add.at(confusion, (labels, pred), 1)
    accuracy = float((pred == labels).mean()) if len(labels) else 0.0
    return Evaluation(loss, accuracy, confusion, probs)


def evaluate_steps(
    model: Model,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    chunk: int = CHUNK,
    threads: int = 1,
) -> Generator[EvaluationProgress, None, Evaluation | None]:
    """Evaluate ``model`` on ``images`` (N, 28, 28) uint8 and ``labels`` (N,) chunk by chunk.

    Yields :class:`EvaluationProgress` after each chunk of ``chunk`` images; returns the
    :class:`Evaluation`, or None for an empty set. Each chunk runs on up to ``threads`` CPU
    threads. The model runs in inference mode and is left in the mode it was in.
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    n = len(labels)
    if n == 0:
        return None
    parts = []
    for start in range(0, n, chunk):
        parts.append(model.predict_proba(images[start : start + chunk], threads=threads))
        yield EvaluationProgress(min(start + chunk, n), n)
    return evaluation_from_probabilities(np.concatenate(parts), labels, model.loss.name)


def evaluate(
    model: Model,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    chunk: int = CHUNK,
    threads: int = 1,
) -> Evaluation | None:
    """:func:`evaluate_steps` run to the end: the :class:`Evaluation` (None for no images)."""
    steps = evaluate_steps(model, images, labels, chunk=chunk, threads=threads)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
