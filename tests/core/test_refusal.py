"""handwrite.refusal: digit scores, thresholds and "not a digit" answers from logits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from handwrite.calibration import softmax
from handwrite.nn.model import Model
from handwrite.nn.presets import build
from handwrite.refusal import METHODS, Refusal, logits


def digit_logits(n: int, rng: np.random.Generator, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """(n, 10) logits whose label's logit leads by about ``margin``, and the labels."""
    labels = rng.integers(0, 10, n)
    z = rng.normal(0, 1, (n, 10))
    z[np.arange(n), labels] += margin
    return z.astype(np.float32), labels


def test_every_method_scores_in_the_unit_interval_and_ranks_digits_first() -> None:
    rng = np.random.default_rng(0)
    digits, labels = digit_logits(500, rng, 4.0)
    unsure = rng.normal(0, 0.2, (500, 10)).astype(np.float32)  # no digit stands out
    for method in METHODS:
        if method == "not_a_digit_class":
            zd = np.concatenate([digits, np.full((500, 1), -5.0, np.float32)], axis=1)
            zu = np.concatenate([unsure, np.full((500, 1), 5.0, np.float32)], axis=1)
        else:
            zd, zu = digits, unsure
        r = Refusal.fit(method, zd, labels, refusal_rate=0.01)
        sd, su = r.digit_score(zd), r.digit_score(zu)
        for s in (sd, su):
            assert s.dtype == np.float32 and s.min() >= 0.0 and s.max() <= 1.0
        assert np.median(sd) > np.median(su), method
        # The threshold refuses the asked share of the digits it was fitted on.
        assert r.refuses(zd).mean() == pytest.approx(0.01, abs=0.004), method
        assert r.refuses(zu).mean() > 0.9, method


def test_the_eleventh_output_is_not_a_digit() -> None:
    r = Refusal("not_a_digit_class", threshold=0.5)
    z = np.array([[5.0] + [0.0] * 9 + [-5.0], [0.0] * 10 + [8.0]], np.float32)
    score = r.digit_score(z)
    assert score[0] > 0.99 and score[1] < 0.01
    np.testing.assert_array_equal(r.predict(z), [0, -1])
    probs = r.digit_probabilities(z)
    assert probs.shape == (2, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probs[1], 0.1, rtol=1e-6)  # the ten digit logits alone


def test_the_temperature_softens_the_digit_probabilities_only() -> None:
    z = np.array([[4.0, 1.0] + [0.0] * 8], np.float32)
    sharp = Refusal("max_probability", temperature=1.0).digit_probabilities(z)
    soft = Refusal("max_probability", temperature=2.0).digit_probabilities(z)
    np.testing.assert_allclose(soft, softmax(z / 2.0), rtol=1e-6)
    assert soft.max() < sharp.max() and soft.argmax() == sharp.argmax()


def test_a_zero_threshold_never_refuses() -> None:
    z = np.zeros((5, 10), np.float32)
    r = Refusal()
    assert not r.refuses(z).any()
    assert (r.predict(z) >= 0).all()


def test_a_refusal_survives_json() -> None:
    r = Refusal("energy", threshold=0.5, temperature=1.3, centre=7.25, scale=1.5)
    again = Refusal.from_json(json.loads(json.dumps(r.to_json())))
    assert again == r


def test_bad_refusals_and_shapes_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="unknown refusal method"):
        Refusal("vibes")
    with pytest.raises(ValueError, match="threshold"):
        Refusal(threshold=1.5)
    with pytest.raises(ValueError, match="positive"):
        Refusal(temperature=0.0)
    with pytest.raises(ValueError, match="needs \\(N, 11\\) logits"):
        Refusal("not_a_digit_class").digit_score(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="JSON object"):
        Refusal.from_json([1, 2])


def test_logits_are_what_the_probabilities_come_from() -> None:
    model = build("cnn", seed=0)
    images = np.random.default_rng(0).integers(0, 256, (7, 28, 28)).astype(np.uint8)
    z = logits(model, images)
    assert z.shape == (7, 10) and z.dtype == np.float32
    np.testing.assert_allclose(softmax(z), model.predict_proba(images), rtol=1e-4, atol=1e-6)
    assert not model.training


def test_an_eleven_output_model_saves_and_loads_its_refusal(tmp_path) -> None:
    arch = build("cnn", seed=0).architecture()
    arch["layers"][-1]["out_features"] = 11
    arch["classes"] = [*arch["classes"], "not a digit"]
    model = Model.from_architecture(arch, seed=1)
    r = Refusal("not_a_digit_class", threshold=0.4, temperature=1.2)
    model.metadata["refusal"] = r.to_json()
    model.save(tmp_path / "m.npz")
    from handwrite import load_model

    again = load_model(tmp_path / "m.npz")
    assert Refusal.from_json(again.metadata["refusal"]) == r
    assert logits(again, np.zeros((1, 28, 28), np.uint8)).shape == (1, 11)


@pytest.mark.parametrize(
    "refusal",
    [
        Refusal("max_probability", threshold=0.5, temperature=1.4),
        Refusal("not_a_digit_class", threshold=0.5, temperature=1.0),
        Refusal("not_a_digit_class", threshold=0.5, temperature=0.7),
        Refusal("energy", threshold=0.5, temperature=1.2, centre=2.0, scale=1.5),
    ],
)
def test_one_answer_agrees_with_the_separate_ones(refusal) -> None:
    rng = np.random.default_rng(1)
    z = (rng.normal(size=(200, refusal.outputs)) * 4).astype(np.float32)
    answer = refusal.answer(z)
    np.testing.assert_allclose(answer.probabilities, refusal.digit_probabilities(z), atol=1e-6)
    np.testing.assert_allclose(answer.digit_score, refusal.digit_score(z), atol=1e-6)
    np.testing.assert_array_equal(answer.digit, refusal.predict(z))
    assert answer.refused.any() and not answer.refused.all()
