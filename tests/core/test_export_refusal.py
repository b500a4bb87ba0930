"""The ONNX export of a model that can say "not a digit": ``probabilities`` (the ten digits,
with the temperature), ``digit_score`` and ``digit`` (-1 where refused), as ``Model.answer``
gives them, checked with onnxruntime and onnx's reference evaluator."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from handwrite import NOT_A_DIGIT, Refusal
from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.export import to_onnx
from handwrite.nn.model import Model
from tests.core.test_export import synthetic_digits

onnx = pytest.importorskip("onnx", reason="the onnx package is not installed")

#: The largest difference allowed between the graph's values and the model's.
TOLERANCE = 1e-5


def refusing(preset: str = "mlp", seed: int = 0) -> Model:
    return Model.from_architecture(with_not_a_digit_output(presets.architecture(preset)), seed=seed)


def images(n: int = 64, seed: int = 0) -> np.ndarray:
    """Drawn strokes and noise: float32 (n, 1, 28, 28)."""
    noise = np.random.default_rng(seed).uniform(0, 1, (n // 2, 1, 28, 28)).astype(np.float32)
    return np.concatenate([synthetic_digits(n - n // 2), noise])


def run(path: Path, x: np.ndarray, runtime: str) -> dict[str, np.ndarray]:
    names = ["probabilities", "digit_score", "digit"]
    if runtime == "onnxruntime":
        ort = pytest.importorskip("onnxruntime")
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        values = session.run(names, {"images": x})
    else:
        from onnx.reference import ReferenceEvaluator

        values = ReferenceEvaluator(str(path)).run(names, {"images": x})
    return dict(zip(names, values, strict=True))


def assert_answers(model: Model, path: Path, x: np.ndarray, runtime: str) -> np.ndarray:
    got = run(path, x, runtime)
    answer = model.answer(x)
    assert got["probabilities"].shape == (len(x), 10)
    assert got["probabilities"].dtype == np.float32
    assert got["digit_score"].shape == (len(x),) and got["digit_score"].dtype == np.float32
    assert got["digit"].shape == (len(x),) and got["digit"].dtype == np.int64
    assert np.abs(got["probabilities"] - answer.probabilities).max() <= TOLERANCE
    assert np.abs(got["digit_score"] - answer.digit_score).max() <= TOLERANCE
    np.testing.assert_array_equal(got["digit"], answer.digit)
    return got["digit"]


@pytest.mark.parametrize("runtime", ["onnxruntime", "reference"])
def test_a_refusing_model_exports_its_three_answers(tmp_path: Path, runtime: str) -> None:
    model = refusing()
    x = images()
    # A threshold between the scores, away from any of them, so both answers occur.
    scores = np.sort(model.digit_score(x))
    middle = len(scores) // 2
    threshold = float((scores[middle - 1] + scores[middle]) / 2)
    model.refusal = Refusal("not_a_digit_class", threshold=threshold, temperature=1.7)
    to_onnx(model, tmp_path / "m.onnx")
    digits = assert_answers(model, tmp_path / "m.onnx", x, runtime)
    assert (digits == NOT_A_DIGIT).any() and (digits >= 0).any()


def test_the_eleventh_output_without_a_refusal_never_refuses(tmp_path: Path) -> None:
    model = refusing(seed=3)
    to_onnx(model, tmp_path / "m.onnx")
    digits = assert_answers(model, tmp_path / "m.onnx", images(), "onnxruntime")
    assert (digits >= 0).all()


@pytest.mark.parametrize("method", ["max_probability", "energy"])
def test_a_ten_output_refusal_exports_its_score(tmp_path: Path, method: str) -> None:
    model = presets.build("mlp", seed=2)
    x = images()
    if method == "energy":
        refusal = Refusal("energy", threshold=0.5, temperature=1.3, centre=3.0, scale=2.0)
    else:
        refusal = Refusal("max_probability", threshold=0.6, temperature=0.8)
    model.refusal = refusal
    to_onnx(model, tmp_path / "m.onnx")
    assert_answers(model, tmp_path / "m.onnx", x, "onnxruntime")


@pytest.mark.parametrize("opset", [13, 18])
def test_every_opset_gives_the_same_answers(tmp_path: Path, opset: int) -> None:
    model = presets.build("mlp", seed=4)
    model.refusal = Refusal("max_probability", threshold=0.3)
    to_onnx(model, tmp_path / "m.onnx", opset=opset)
    assert_answers(model, tmp_path / "m.onnx", images(16), "reference")


def test_the_file_describes_the_outputs_and_the_refusal(tmp_path: Path) -> None:
    model = refusing()
    refusal = Refusal("not_a_digit_class", threshold=0.25, temperature=1.2)
    model.refusal = refusal
    to_onnx(model, tmp_path / "m.onnx")
    proto = onnx.load(str(tmp_path / "m.onnx"))
    onnx.checker.check_model(proto, full_check=True)
    props = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(props["classes"]) == [str(d) for d in range(10)]
    assert json.loads(props["refusal"]) == refusal.to_json()
    assert [o["name"] for o in json.loads(props["outputs"])] == [
        "probabilities",
        "digit_score",
        "digit",
    ]
    assert [o.name for o in proto.graph.output] == ["probabilities", "digit_score", "digit"]
    assert "not a digit" in proto.doc_string


def test_a_plain_model_keeps_its_one_output(tmp_path: Path) -> None:
    to_onnx(presets.build("mlp"), tmp_path / "m.onnx")
    proto = onnx.load(str(tmp_path / "m.onnx"))
    assert [o.name for o in proto.graph.output] == ["probabilities"]
