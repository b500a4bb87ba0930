"""Saying "not a digit": a score of how much a drawing looks like any digit, and a threshold.

A :class:`Refusal` turns a network's outputs (logits) into the three answers the app needs:
the ten digit probabilities (calibrated by a temperature), a ``digit_score`` in [0, 1], and
whether to refuse (``digit_score < threshold``). It describes itself as plain JSON, so it
can live in a model file's metadata. Three ways to score, by how the network was trained:

- ``"max_probability"``: any 10-output network. ``digit_score = (max_k p_k - 1/10) / (1 -
  1/10)``, the top digit probability rescaled from [1/10, 1] to [0, 1] (Hendrycks & Gimpel
  2017, "A baseline for detecting misclassified and out-of-distribution examples", ICLR).
- ``"not_a_digit_class"``: an 11th output trained on drawings that are not digits
  (outlier exposure with a class of its own). ``digit_score = 1 - softmax(z)_11``, the
  probability mass on the ten digits. The digit probabilities are the softmax of the ten
  digit logits alone.
- ``"energy"``: a 10-output network trained with outlier exposure towards uniform outputs
  on negatives (Hendrycks, Mazeika & Dietterich 2019, "Deep anomaly detection with outlier
  exposure", ICLR), scored by its negative free energy ``E = log sum_k exp z_k`` (Liu, Wang,
  Owens & Li 2020, "Energy-based out-of-distribution detection", NeurIPS), mapped to [0, 1]
  by ``digit_score = sigmoid((E - centre) / scale)``.

:meth:`Refusal.fit` chooses the threshold so that a given share of held-out digits (the
validation split) is refused, and fits the temperature on them
(:func:`handwrite.calibration.fit_temperature`).

A :class:`handwrite.Model` holds its refusal (:attr:`Model.refusal
<handwrite.nn.model.Model.refusal>`) and answers with it: :meth:`Model.answer
<handwrite.nn.model.Model.answer>` gives an :class:`Answer`, the probabilities, the digit
score and the digit (:data:`NOT_A_DIGIT` when refused) of one forward pass. This module
knows no network: it works on the network's outputs, so that :mod:`handwrite.nn` can use it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np

from handwrite.calibration import fit_temperature, softmax
from handwrite.translatable import QT_TRANSLATE_NOOP

__all__ = [
    "DIGIT_CLASSES",
    "METHODS",
    "NOT_A_DIGIT",
    "NOT_A_DIGIT_LABEL",
    "REFUSING_CLASSES",
    "Answer",
    "Refusal",
    "adopt_stored_refusal",
    "logits",
]

METHODS = ("max_probability", "not_a_digit_class", "energy")
#: The digit outputs come first; an 11th output, when there is one, is "not a digit".
DIGIT_CLASSES = 10
#: What :meth:`handwrite.Model.predict` answers for a drawing it refuses.
NOT_A_DIGIT = -1
#: The label of the 11th output of a network that learns to refuse (the window shows it
#: translated, under :data:`handwrite.translatable.CLASSES`).
NOT_A_DIGIT_LABEL = QT_TRANSLATE_NOOP("Classes", "not a digit")
#: The classes of such a network: the ten digits, then "not a digit".
REFUSING_CLASSES: tuple[str, ...] = (*(str(d) for d in range(DIGIT_CLASSES)), NOT_A_DIGIT_LABEL)


class Answer(NamedTuple):
    """A model's answers for N drawings, from one forward pass.

    Attributes:
        probabilities: (N, 10) float32, the digit probabilities (with the temperature); rows
            sum to 1.
        digit_score: (N,) float32 in [0, 1], how much each drawing looks like any digit.
        digit: (N,) int64, the most probable digit, or :data:`NOT_A_DIGIT` where refused.
    """

    probabilities: np.ndarray
    digit_score: np.ndarray
    digit: np.ndarray

    @property
    def refused(self) -> np.ndarray:
        """(N,) bool: which drawings the model refuses."""
        return self.digit == NOT_A_DIGIT

    @property
    def best_guess(self) -> np.ndarray:
        """(N,) int64: the most probable digit, refused or not."""
        return self.probabilities.argmax(axis=1).astype(np.int64)


def logits(model: Any, images: Any, batch_size: int = 1000, *, threads: int = 1) -> np.ndarray:
    """The network's outputs before the softmax, in inference mode: (N, K) float32 NumPy
    (:meth:`handwrite.Model.logits`)."""
    return model.logits(images, batch_size, threads=threads)


def _log_sum_exp(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, np.float64)
    m = z.max(axis=1)
    return m + np.log(np.exp(z - m[:, None]).sum(axis=1))


@dataclass(frozen=True)
class Refusal:
    """How a model's outputs become digit probabilities, a digit score and a refusal.

    Attributes:
        method: one of :data:`METHODS`.
        threshold: refuse when ``digit_score < threshold``; 0 never refuses.
        temperature: the logits of the ten digits are divided by it before the softmax.
        centre, scale: the energy's mapping to [0, 1] (``"energy"`` only).
    """

    method: str = "max_probability"
    threshold: float = 0.0
    temperature: float = 1.0
    centre: float = 0.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.method, str) or self.method not in METHODS:
            raise ValueError(f"unknown refusal method {self.method!r}: use one of {METHODS}")
        for name in ("threshold", "temperature", "centre", "scale"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
                raise ValueError(f"{name} must be a number, got {str(value)[:40]!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be finite, got {value!r}")
            object.__setattr__(self, name, float(value))
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {self.threshold}")
        if self.temperature <= 0 or self.scale <= 0:
            raise ValueError("temperature and scale must be positive")

    @classmethod
    def default_for(cls, classes: int) -> Refusal:
        """The refusal that never refuses, for a network of ``classes`` outputs: the digit
        score of an 11-output network is its mass on the ten digits, of a 10-output one its
        rescaled top probability."""
        return cls("not_a_digit_class" if classes == DIGIT_CLASSES + 1 else "max_probability")

    @property
    def outputs(self) -> int:
        """How many outputs the network must have for this method: 11 or 10."""
        return DIGIT_CLASSES + (self.method == "not_a_digit_class")

    @property
    def refuses_anything(self) -> bool:
        """Whether any drawing can be refused (a threshold above 0)."""
        return self.threshold > 0

    # -- answers ------------------------------------------------------------------------
    def answer(self, z: np.ndarray) -> Answer:
        """All three answers from logits ``z`` (N, 10 or 11), computed once: this runs for
        every drawing the window reads."""
        z = self._check(z)
        if self.method == "max_probability":
            probabilities = softmax(z, self.temperature)
            top = probabilities.max(axis=1)
            score = np.clip((top - 0.1) / 0.9, 0.0, 1.0).astype(np.float32)
        elif self.method == "energy":
            probabilities = self.digit_probabilities(z)
            score = self.digit_score(z)
        else:
            # softmax(z / T) over the digits, and the digits' share of softmax(z), from one
            # set of exponentials: exp(z - m) for the digits and the 11th output alike.
            zz = z.astype(np.float64)
            m = zz.max(axis=1, keepdims=True)
            e = np.exp(zz - m)
            digits = e[:, :DIGIT_CLASSES].sum(axis=1)
            score = (digits / (digits + e[:, DIGIT_CLASSES])).astype(np.float32)
            if self.temperature == 1.0:
                probabilities = (e[:, :DIGIT_CLASSES] / digits[:, None]).astype(np.float32)
            else:
                probabilities = softmax(z[:, :DIGIT_CLASSES], self.temperature)
        digit = np.where(score < self.threshold, NOT_A_DIGIT, probabilities.argmax(axis=1))
        return Answer(probabilities, score, digit.astype(np.int64))

    def _check(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, np.float32)
        need = DIGIT_CLASSES + (self.method == "not_a_digit_class")
        if z.ndim != 2 or z.shape[1] != need:
            raise ValueError(f"{self.method} needs (N, {need}) logits, got {z.shape}")
        return z

    def digit_probabilities(self, z: np.ndarray) -> np.ndarray:
        """(N, 10) float32 digit probabilities from logits ``z`` (N, 10 or 11); rows sum to 1."""
        z = self._check(z)
        return softmax(z[:, :DIGIT_CLASSES], self.temperature)

    def digit_score(self, z: np.ndarray) -> np.ndarray:
        """(N,) float32 in [0, 1]: how much each drawing looks like any digit at all."""
        z = self._check(z)
        if self.method == "not_a_digit_class":
            return (1.0 - softmax(z)[:, DIGIT_CLASSES]).astype(np.float32)
        if self.method == "energy":
            e = (_log_sum_exp(z) - self.centre) / self.scale
            return (0.5 * (1.0 + np.tanh(0.5 * e))).astype(np.float32)  # a stable sigmoid
        top = softmax(z, self.temperature).max(axis=1)
        return np.clip((top - 0.1) / 0.9, 0.0, 1.0).astype(np.float32)

    def refuses(self, z: np.ndarray) -> np.ndarray:
        """(N,) bool: which drawings are not digits."""
        return self.digit_score(z) < self.threshold

    def predict(self, z: np.ndarray) -> np.ndarray:
        """(N,) int64: the digit, or -1 for a refused drawing."""
        return self.answer(z).digit

    # -- fitting ------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        method: str,
        z: np.ndarray,
        labels: np.ndarray,
        *,
        refusal_rate: float,
        temperature: float | None = None,
    ) -> Refusal:
        """Fit to held-out digits: the temperature on their logits ``z`` (N, 10 or 11) and
        ``labels`` (N,), unless given, and the threshold that refuses ``refusal_rate`` of
        them (the ``refusal_rate`` quantile of their digit scores)."""
        z = np.asarray(z, np.float32)
        if not 0.0 <= refusal_rate < 1.0:
            raise ValueError(f"refusal_rate must be in [0, 1), got {refusal_rate}")
        if temperature is None:
            temperature = fit_temperature(z[:, :DIGIT_CLASSES], labels)
        base = cls(method, 0.0, temperature)
        if method == "energy":
            e = _log_sum_exp(z[:, :DIGIT_CLASSES])
            centre = float(np.quantile(e, refusal_rate)) if refusal_rate > 0 else float(e.min())
            scale = float(max(np.std(e), 1e-3))
            # The threshold 0.5 sits at the centre; a rate of 0 refuses nothing seen.
            threshold = 0.5 if refusal_rate > 0 else 0.0
            return cls(method, threshold, temperature, centre, scale)
        scores = base.digit_score(z)
        threshold = float(np.quantile(scores, refusal_rate)) if refusal_rate > 0 else 0.0
        return cls(method, threshold, temperature)

    def with_threshold_for(self, z: np.ndarray, refusal_rate: float) -> Refusal:
        """The same refusal with the threshold that refuses ``refusal_rate`` of ``z``."""
        scores = self.digit_score(z)
        threshold = float(np.quantile(scores, refusal_rate)) if refusal_rate > 0 else 0.0
        return Refusal(self.method, threshold, self.temperature, self.centre, self.scale)

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Plain JSON, what a model file stores under ``metadata["refusal"]``."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Refusal:
        """The refusal :meth:`to_json` described; raises ``ValueError`` for anything else
        (a model file's reader must distrust it)."""
        if not isinstance(data, dict):
            raise ValueError(f"a refusal must be a JSON object, got {data!r}")
        known = {"method", "threshold", "temperature", "centre", "scale"}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise ValueError(f"bad refusal {data!r}: {exc}") from exc

    def __repr__(self) -> str:
        extra = (
            f", centre={self.centre:.3f}, scale={self.scale:.3f}" if self.method == "energy" else ""
        )
        return (
            f"Refusal({self.method!r}, threshold={self.threshold:.4f}, "
            f"temperature={self.temperature:.3f}{extra})"
        )


def adopt_stored_refusal(model: Any) -> Refusal:
    """Make the refusal a model's metadata carries (``metadata["refusal"]``, as a training
    script writes :meth:`Refusal.to_json` into a version-1 file, which never refuses) the
    model's own :attr:`~handwrite.Model.refusal`, so that it refuses and saves as version 2.

    Raises ``KeyError`` without such an entry, ``ValueError`` when it is no refusal or does
    not fit the network."""
    refusal = Refusal.from_json(model.metadata["refusal"])
    model.refusal = refusal
    del model.metadata["refusal"]
    return refusal
