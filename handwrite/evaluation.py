"""Evaluating a model on labelled images: loss, accuracy, confusion matrix, and for a model
that refuses, the refusal rate, the accuracy among the answers it gives and the calibration
error. Qt-free.

One function does the work, in chunks: :func:`evaluate_steps` is a generator that yields an
:class:`EvaluationProgress` after each chunk and returns the :class:`Evaluation`, so that its
caller can report progress, pause or stop between chunks (the trainer pauses there, the
window's worker thread re-emits the progress and cancels by closing the generator).
:func:`evaluate` runs it to the end.

    result = yield from evaluate_steps(model, images, labels)   # inside another generator
    result = evaluate(model, images, labels)                     # all at once
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.calibration import expected_calibration_error
from handwrite.nn.model import Model
from handwrite.refusal import NOT_A_DIGIT

#: Images per chunk: progress, pauses and cancellation happen between chunks.
CHUNK = 1000


@dataclass(frozen=True)
class Evaluation:
    """What a model did on a labelled set.

    ``accuracy`` is by the top probability (refused images count, by their best guess);
    ``confusion``: (K, K) int64, rows = true class, columns = predicted class (the best
    guess); ``probabilities``: (N, K) float32, the model's answer for each image (K: its
    answer classes, the ten digits for a model with the "not a digit" output);
    ``digit_scores``: (N,) float32 and ``refused``: (N,) bool (see
    :meth:`handwrite.Model.answer`); ``logits``: (N, len(model.classes)) float32, the
    network's outputs (to fit a refusal to); ``labels``: (N,) int64.
    """

    loss: float
    accuracy: float
    confusion: np.ndarray
    probabilities: np.ndarray
    digit_scores: np.ndarray | None = None
    refused: np.ndarray | None = None
    logits: np.ndarray | None = None
    labels: np.ndarray | None = None

    @property
    def refusal_rate(self) -> float:
        """The share of images refused ("not a digit"); 0 for a model that never refuses."""
        if self.refused is None or len(self.refused) == 0:
            return 0.0
        return float(self.refused.mean())

    @property
    def accepted_accuracy(self) -> float:
        """The accuracy among the images not refused (the answers the model gives)."""
        if self.labels is None or self.refused is None:
            return self.accuracy
        kept = ~self.refused
        if not kept.any():
            return 0.0
        pred = self.probabilities[kept].argmax(axis=1)
        return float((pred == self.labels[kept]).mean())

    @property
    def calibration_error(self) -> float:
        """The expected calibration error of the probabilities
        (:func:`handwrite.calibration.expected_calibration_error`)."""
        if self.labels is None or len(self.labels) == 0:
            return 0.0
        return expected_calibration_error(self.probabilities, self.labels)

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
    return Evaluation(loss, accuracy, confusion, probs, labels=labels)


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
    :class:`Evaluation`, or None for an empty set. Images labelled beyond the model's answer
    classes ("not a digit", 10, in a personal set) are left out of it. Each chunk runs on up
    to ``threads`` CPU threads. The model runs in inference mode and is left in the mode it was in.
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    n = len(labels)
    if n == 0:
        return None
    outputs = []
    for start in range(0, n, chunk):
        outputs.append(model.logits(images[start : start + chunk], threads=threads))
        yield EvaluationProgress(min(start + chunk, n), n)
    z = np.concatenate(outputs)
    labels = np.asarray(labels).astype(np.int64)
    digits = labels < len(model.answer_classes)
    if not digits.all():  # samples labelled "not a digit" (the personal set's) are no digits
        z, labels = z[digits], labels[digits]
        if len(labels) == 0:
            return None
    answer = model.answer_from_logits(z)
    result = evaluation_from_probabilities(answer.probabilities, labels, model.loss.name)
    return dataclasses.replace(
        result,
        digit_scores=answer.digit_score,
        refused=answer.digit == NOT_A_DIGIT,
        logits=z,
    )


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
