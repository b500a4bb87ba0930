"""handwrite.calibration: reliability, expected calibration error, temperature scaling."""

from __future__ import annotations

import numpy as np
import pytest

from handwrite.calibration import (
    expected_calibration_error,
    fit_temperature,
    negative_log_likelihood,
    reliability,
    softmax,
)


def sample_labels(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One label per row, drawn from that row's probabilities."""
    u = rng.random(len(probs))[:, None]
    return (probs.cumsum(axis=1) < u).sum(axis=1).clip(0, probs.shape[1] - 1)


def test_labels_drawn_from_the_probabilities_are_calibrated() -> None:
    rng = np.random.default_rng(0)
    probs = softmax(rng.normal(0, 3, (40000, 10)))
    labels = sample_labels(probs, rng)
    assert expected_calibration_error(probs, labels) < 0.01


def test_overconfidence_shows_as_the_gap() -> None:
    # Every answer 90% sure and 60% right: the gap is 0.3, all in one bin.
    probs = np.full((1000, 10), 0.1 / 9)
    probs[:, 0] = 0.9
    labels = np.where(np.arange(1000) < 600, 0, 1)
    r = reliability(probs, labels)
    assert r.ece == pytest.approx(0.3)
    assert r.counts.sum() == 1000 and r.counts[13] == 1000  # 0.9 falls in [0.867, 0.933)
    assert r.accuracy[13] == pytest.approx(0.6) and r.confidence[13] == pytest.approx(0.9)
    assert np.isnan(r.accuracy[0]) and len(r.edges) == 16


def test_a_confidence_of_one_falls_in_the_last_bin() -> None:
    probs = np.eye(10)[[3, 3, 4]]
    r = reliability(probs, np.array([3, 3, 5]))
    assert r.counts[-1] == 3
    assert r.ece == pytest.approx(1 / 3)


def test_temperature_scaling_recovers_the_temperature_that_made_the_labels() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 4, (20000, 10))
    for true_t in (0.5, 1.0, 2.5):
        labels = sample_labels(softmax(logits, true_t), rng)
        t = fit_temperature(logits, labels)
        assert t == pytest.approx(true_t, rel=0.06)
        # ... and it is the minimum of the likelihood.
        nll = negative_log_likelihood(logits, labels, t)
        assert nll <= negative_log_likelihood(logits, labels, t * 1.1)
        assert nll <= negative_log_likelihood(logits, labels, t / 1.1)


def test_temperature_scaling_fixes_overconfidence_without_changing_answers() -> None:
    rng = np.random.default_rng(2)
    logits = rng.normal(0, 2, (20000, 10))
    labels = sample_labels(softmax(logits), rng)
    hot = logits * 3.0  # an overconfident model: the same answers, three times as sure
    before = expected_calibration_error(softmax(hot), labels)
    t = fit_temperature(hot, labels)
    after = expected_calibration_error(softmax(hot, t), labels)
    assert t == pytest.approx(3.0, rel=0.06)
    assert after < 0.02 < before
    np.testing.assert_array_equal(softmax(hot, t).argmax(axis=1), hot.argmax(axis=1))


def test_softmax_is_stable_and_sums_to_one() -> None:
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 1.0, 1.0]]))
    assert p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p[1], 1 / 3, rtol=1e-6)
    with pytest.raises(ValueError, match="labels"):
        fit_temperature(np.zeros((0, 10)), np.zeros(0))
