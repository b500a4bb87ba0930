"""How far to trust a model's probabilities: reliability, expected calibration error and
temperature scaling.

A model is *calibrated* when, of all the answers it gives with confidence p, a share p is
right. The reliability diagram bins the answers by their confidence (the top probability)
and sets each bin's accuracy against its mean confidence; the expected calibration error
(ECE, Naeini, Cooper & Hauskrecht 2015, "Obtaining well calibrated probabilities using
Bayesian binning", AAAI) is the bins' mean gap weighted by how many answers fall in each:

    ECE = sum_b (n_b / N) |accuracy_b - confidence_b|

Temperature scaling (Guo, Pleiss, Sun & Weinberger 2017, "On calibration of modern neural
networks", ICML) divides the logits by one number T > 0 before the softmax, chosen to
minimise the negative log-likelihood on held-out data. It changes no answer (the order of
the logits stays), only how sure they are: T > 1 softens overconfident probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "ECE_BINS",
    "Reliability",
    "expected_calibration_error",
    "fit_temperature",
    "negative_log_likelihood",
    "reliability",
    "softmax",
]

#: Bins of the reliability diagram and the ECE, equal widths over [0, 1].
ECE_BINS = 15
#: The temperatures :func:`fit_temperature` searches.
TEMPERATURE_RANGE = (0.05, 20.0)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise ``softmax(logits / temperature)``: (N, K) -> (N, K) float32, stable."""
    z = np.asarray(logits, np.float64) / float(temperature)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Reliability:
    """A reliability diagram.

    Attributes:
        edges: (B + 1,) float64 bin edges over [0, 1].
        confidence: (B,) float64 mean top probability of each bin (NaN when empty).
        accuracy: (B,) float64 share of right answers in each bin (NaN when empty).
        counts: (B,) int64 answers in each bin.
        ece: the expected calibration error.
    """

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    counts: np.ndarray
    ece: float

    def __repr__(self) -> str:
        return (
            f"Reliability(bins={len(self.counts)}, n={int(self.counts.sum())}, ece={self.ece:.4f})"
        )


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS) -> Reliability:
    """Bin answers by their confidence.

    Args:
        probs: (N, K) class probabilities, rows summing to 1.
        labels: (N,) int true classes.
        bins: number of equal-width bins over [0, 1]; a confidence of exactly 1 falls in the
            last.
    """
    p = np.asarray(probs, np.float64)
    t = np.asarray(labels).astype(np.int64)
    if p.ndim != 2 or len(p) != len(t):
        raise ValueError(f"probs must be (N, K) and labels (N,), got {p.shape} and {t.shape}")
    edges = np.linspace(0.0, 1.0, bins + 1)
    conf = p.max(axis=1) if len(p) else np.zeros(0)
    right = (p.argmax(axis=1) == t).astype(np.float64) if len(p) else np.zeros(0)
    which = np.minimum((conf * bins).astype(np.int64), bins - 1)
    counts = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        confidence = np.bincount(which, weights=conf, minlength=bins) / counts
        accuracy = np.bincount(which, weights=right, minlength=bins) / counts
    gaps = np.where(counts > 0, np.abs(accuracy - confidence), 0.0)
    ece = float((gaps * counts).sum() / max(len(p), 1))
    return Reliability(edges, confidence, accuracy, counts.astype(np.int64), ece)


def expected_calibration_error(
    probs: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS
) -> float:
    """The ECE of ``probs`` (N, K) against ``labels`` (N,), over ``bins`` equal bins."""
    return reliability(probs, labels, bins).ece


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    """Mean ``-log softmax(logits / T)[label]`` over the rows of ``logits`` (N, K)."""
    z = np.asarray(logits, np.float64) / float(temperature)
    t = np.asarray(labels).astype(np.int64)
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    return float((lse - z[np.arange(len(t)), t]).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of ``labels`` (N,) under
    ``softmax(logits / T)`` (``logits``: (N, K)).

    The likelihood is convex in 1/T (a log-sum-exp of functions linear in it, minus one), so
    a golden-section search over log T in :data:`TEMPERATURE_RANGE` finds the optimum.
    """
    z = np.asarray(logits, np.float64)
    t = np.asarray(labels).astype(np.int64)
    if z.ndim != 2 or len(z) != len(t) or len(z) == 0:
        raise ValueError(f"need (N, K) logits and (N,) labels, N > 0; got {z.shape}, {t.shape}")
    lo, hi = np.log(TEMPERATURE_RANGE[0]), np.log(TEMPERATURE_RANGE[1])
    ratio = (np.sqrt(5.0) - 1.0) / 2.0

    def nll(log_t: float) -> float:
        return negative_log_likelihood(z, t, float(np.exp(log_t)))

    a, b = lo + (1 - ratio) * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(60):
        if fa <= fb:
            hi, b, fb = b, a, fa
            a = lo + (1 - ratio) * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(b)
    return float(np.exp((lo + hi) / 2.0))
