"""A model that refuses: ``Model.refusal``, its answers (``predict`` -1, ten digit
probabilities with the temperature, ``digit_score``), one forward pass (``answer``), and the
refusal in the model file (format version 2; version 1 never refuses)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import handwrite
from handwrite import NOT_A_DIGIT, Refusal, load_model
from handwrite.calibration import softmax
from handwrite.modelfile import ModelFileError
from handwrite.nn import presets
from handwrite.nn.architectures import ArchitectureError, with_not_a_digit_output
from handwrite.nn.model import Model
from handwrite.refusal import REFUSING_CLASSES, adopt_stored_refusal


def refusing_model(seed: int = 0, preset: str = "mlp") -> Model:
    """An untrained network with the 11th output, "not a digit"."""
    arch = with_not_a_digit_output(presets.architecture(preset))
    return Model.from_architecture(arch, seed=seed)


def images(n: int = 40, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def file_metadata(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return json.loads(z["metadata"].tobytes().decode("utf-8"))


def edit_metadata(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "metadata.npy":
                meta = json.loads(np.load(io.BytesIO(data)).tobytes())
                edit(meta)
                buf = io.BytesIO()
                np.save(buf, np.frombuffer(json.dumps(meta).encode(), np.uint8))
                data = buf.getvalue()
            zout.writestr(info.filename, data)
    return dst


def test_not_a_digit_is_exported_as_minus_one() -> None:
    assert handwrite.NOT_A_DIGIT == NOT_A_DIGIT == -1
    assert handwrite.Refusal is Refusal


def test_the_eleventh_output_is_no_digit() -> None:
    model = refusing_model()
    assert model.classes == REFUSING_CLASSES and model.has_not_a_digit_output
    assert model.answer_classes == tuple(str(d) for d in range(10))
    x = images()
    z = model.logits(x)
    assert z.shape == (40, 11) and z.dtype == np.float32
    p = model.predict_proba(x)
    assert p.shape == (40, 10) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p, softmax(z[:, :10]), rtol=1e-5, atol=1e-7)
    score = model.digit_score(x)
    assert score.shape == (40,) and score.dtype == np.float32
    np.testing.assert_allclose(score, 1.0 - softmax(z)[:, 10], rtol=1e-5, atol=1e-6)
    # Without a refusal nothing is refused, whatever the score.
    assert model.refusal is None and not model.refuses
    np.testing.assert_array_equal(model.predict(x), p.argmax(axis=1))


def test_predict_refuses_under_the_threshold_and_the_temperature_softens() -> None:
    model = refusing_model()
    x = images(200)
    score = model.digit_score(x)
    threshold = float(np.quantile(score, 0.3))
    model.refusal = Refusal("not_a_digit_class", threshold=threshold, temperature=2.0)
    assert model.refuses
    digits = model.predict(x)
    assert digits.dtype == np.int64 and digits.shape == (200,)
    refused = score < threshold
    assert 0 < refused.sum() < 200
    np.testing.assert_array_equal(digits == NOT_A_DIGIT, refused)
    z = model.logits(x)
    p = model.predict_proba(x)
    np.testing.assert_allclose(p, softmax(z[:, :10] / 2.0), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(digits[~refused], p.argmax(axis=1)[~refused])
    # The score takes no temperature: the same as without a refusal.
    np.testing.assert_allclose(model.digit_score(x), score, rtol=1e-6)


def test_one_answer_holds_all_three_from_one_pass() -> None:
    model = refusing_model()
    x = images(50)
    model.refusal = Refusal("not_a_digit_class", threshold=0.5, temperature=1.5)
    answer = model.answer(x)
    np.testing.assert_array_equal(answer.probabilities, model.predict_proba(x))
    np.testing.assert_array_equal(answer.digit_score, model.digit_score(x))
    np.testing.assert_array_equal(answer.digit, model.predict(x))
    np.testing.assert_array_equal(answer.refused, answer.digit == NOT_A_DIGIT)
    np.testing.assert_array_equal(answer.best_guess, answer.probabilities.argmax(axis=1))
    np.testing.assert_array_equal(model.answer_from_logits(model.logits(x)).digit, answer.digit)


def test_a_ten_output_model_scores_by_its_top_probability_and_never_refuses() -> None:
    model = presets.build("mlp", seed=1)
    x = images(30)
    p = model.predict_proba(x)
    assert p.shape == (30, 10)
    np.testing.assert_allclose(
        model.digit_score(x), np.clip((p.max(axis=1) - 0.1) / 0.9, 0, 1), rtol=1e-5, atol=1e-6
    )
    assert not model.refuses
    assert (model.predict(x) >= 0).all()
    # A threshold of 1 on a ten-output network refuses every drawing below certainty.
    model.refusal = Refusal("max_probability", threshold=1.0)
    assert (model.predict(x) == NOT_A_DIGIT).all()


def test_a_refusal_must_fit_the_network() -> None:
    ten, eleven = presets.build("mlp"), refusing_model()
    with pytest.raises(ValueError, match="needs the classes"):
        ten.refusal = Refusal("not_a_digit_class", threshold=0.1)
    with pytest.raises(ValueError, match="needs ten outputs"):
        eleven.refusal = Refusal("max_probability", threshold=0.1)
    with pytest.raises(ValueError, match="Refusal"):
        eleven.refusal = {"method": "not_a_digit_class"}  # type: ignore[assignment]
    squared = Model.from_architecture({**ten.architecture(), "loss": "squared_error"})
    with pytest.raises(ValueError, match="cross_entropy"):
        squared.refusal = Refusal(threshold=0.1)
    assert ten.refusal is None and eleven.refusal is None


def test_the_copy_keeps_the_refusal() -> None:
    model = refusing_model()
    model.refusal = Refusal("not_a_digit_class", threshold=0.2, temperature=1.3)
    twin = model.copy()
    assert twin.refusal == model.refusal
    x = images(10)
    np.testing.assert_array_equal(twin.predict(x), model.predict(x))


def test_the_refusal_survives_save_and_load_as_version_2(tmp_path: Path) -> None:
    model = refusing_model()
    refusal = Refusal("not_a_digit_class", threshold=0.4321, temperature=1.234)
    model.refusal = refusal
    model.save(tmp_path / "m.npz")
    meta = file_metadata(tmp_path / "m.npz")
    assert meta["version"] == 2 and meta["refusal"] == refusal.to_json()
    again = load_model(tmp_path / "m.npz")
    assert again.refusal == refusal and again.refuses
    assert "refusal" not in again.metadata  # the refusal lives in Model.refusal alone
    x = images(60)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    np.testing.assert_allclose(again.predict_proba(x), model.predict_proba(x), rtol=1e-6)
    # Taking the refusal away writes a plain version-1 file again.
    again.refusal = None
    again.save(tmp_path / "plain.npz")
    assert file_metadata(tmp_path / "plain.npz")["version"] == 1
    assert load_model(tmp_path / "plain.npz").refusal is None


def test_a_version_1_file_never_refuses_even_with_a_refusal_entry(tmp_path: Path) -> None:
    """Files of the first format never refuse; one that carries a refusal in its metadata
    (written by a training script) keeps it there, and adopting it makes a refusing model."""
    model = refusing_model()
    x = images(100)
    threshold = float(np.quantile(model.digit_score(x), 0.5))
    stored = Refusal("not_a_digit_class", threshold=threshold, temperature=1.1).to_json()
    model.metadata["refusal"] = stored
    model.save(tmp_path / "v1.npz")
    assert file_metadata(tmp_path / "v1.npz")["version"] == 1
    old = load_model(tmp_path / "v1.npz")
    assert old.refusal is None and not old.refuses
    assert (old.predict(x) >= 0).all()
    assert old.metadata["refusal"] == stored
    assert adopt_stored_refusal(old) == Refusal.from_json(stored)
    assert "refusal" not in old.metadata and old.refuses
    old.save(tmp_path / "v2.npz")
    new = load_model(tmp_path / "v2.npz")
    assert file_metadata(tmp_path / "v2.npz")["version"] == 2
    assert new.refusal == Refusal.from_json(stored)
    assert (new.predict(x) == NOT_A_DIGIT).any()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("refusal"), "version 2 needs a 'refusal' entry"),
        (lambda m: m.update(refusal=[1, 2]), "bad refusal: a refusal must be a JSON object"),
        (lambda m: m.update(refusal={"method": "vibes"}), "bad refusal: unknown refusal method"),
        (lambda m: m["refusal"].update(threshold=7), "bad refusal: threshold must be in"),
        (lambda m: m["refusal"].update(threshold="high"), "bad refusal: threshold must be a"),
        (lambda m: m["refusal"].update(temperature=-1), "bad refusal: .*positive"),
        (lambda m: m["refusal"].update(temperature=True), "bad refusal: temperature must be a"),
        (lambda m: m["refusal"].update(method="energy"), "bad refusal: .*needs ten outputs"),
    ],
)
def test_a_bad_refusal_in_a_version_2_file_is_a_model_file_error(
    tmp_path: Path, edit, message: str
) -> None:
    model = refusing_model()
    model.refusal = Refusal("not_a_digit_class", threshold=0.3)
    model.save(tmp_path / "good.npz")
    bad = edit_metadata(tmp_path / "good.npz", tmp_path / "bad.npz", edit)
    with pytest.raises(ModelFileError, match=message):
        load_model(bad)


def test_with_not_a_digit_output_adds_and_removes_the_eleventh_output() -> None:
    arch = presets.architecture("cnn")
    eleven = with_not_a_digit_output(arch)
    assert eleven["classes"] == list(REFUSING_CLASSES)
    assert eleven["layers"][-1]["out_features"] == 11
    assert arch["layers"][-1]["out_features"] == 10  # a copy
    assert with_not_a_digit_output(eleven) == eleven
    assert with_not_a_digit_output(eleven, refusing=False) == arch
    with pytest.raises(ArchitectureError, match="not a digit"):
        with_not_a_digit_output({**arch, "classes": ["cat", "dog"]})


def test_adopting_a_refusal_that_does_not_fit_is_refused() -> None:
    model = presets.build("mlp")
    model.metadata["refusal"] = Refusal("not_a_digit_class", threshold=0.2).to_json()
    with pytest.raises(ValueError, match="needs the classes"):
        adopt_stored_refusal(model)
    assert model.refusal is None
    with pytest.raises(KeyError):
        adopt_stored_refusal(presets.build("mlp"))


def test_the_core_views_of_a_model_take_its_ten_answers() -> None:
    """Everything that reads a model's outputs treats the 11th as no digit: the map's
    features and probabilities, the robustness curves, a unit's arithmetic."""
    from handwrite.arithmetic import explain_unit, trace_image
    from handwrite.embedding import hidden_features_and_probabilities
    from handwrite.robustness import robustness

    model = refusing_model(preset="cnn")
    model.refusal = Refusal("not_a_digit_class", threshold=0.5, temperature=1.5)
    x = images(12)
    features, probs = hidden_features_and_probabilities(model, x)
    assert features.shape == (12, 128)
    np.testing.assert_allclose(probs, model.predict_proba(x), rtol=1e-5, atol=1e-7)
    labels = np.arange(12) % 10
    result = robustness([model, presets.build("cnn")], x, labels, perturbations=["rotation"])
    levels, accuracy = result.curve("rotation", 0)
    assert len(levels) == len(accuracy) and ((accuracy >= 0) & (accuracy <= 1)).all()
    outputs = trace_image(model, x[0])
    assert outputs[-1].shape == (11,)
    step = explain_unit(model, x[0], (len(model.layers) - 1, 10), outputs=outputs)
    assert step.value == pytest.approx(float(outputs[-1][10]), rel=1e-4, abs=1e-5)
