"""The command line and "not a digit": ``predict`` prints it (JSON ``"digit": null``) and ends
with exit status 3, ``eval`` reports the refusal rate, the accuracy among the answers given
and the calibration error, ``info`` the threshold and temperature, and ``train`` takes
``--negatives``, ``--pen-look`` and ``--refusal-rate``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from handwrite import Refusal, load_model
from handwrite.cli import EXIT_NOT_A_DIGIT, main
from handwrite.images import read_drawing
from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.model import Model
from handwrite.preprocess import preprocess
from tests.cli.test_cli import one_error_line, run, write_drawing


@pytest.fixture
def drawings(tmp_path: Path, mnist_dir) -> list[str]:
    """Two MNIST test digits drawn as PNG files, dark on light."""
    from handwrite.mnist import load_mnist

    data = load_mnist(mnist_dir, download=False)
    paths = []
    for k in range(2):
        path = tmp_path / f"drawing{k}.png"
        write_drawing(path, data.test_images[k], dark_on_light=True)
        paths.append(str(path))
    return paths


def refusing_file(tmp_path: Path, threshold: float, name: str = "m.npz") -> Path:
    model = Model.from_architecture(with_not_a_digit_output(presets.architecture("mlp")), seed=1)
    model.refusal = Refusal("not_a_digit_class", threshold=threshold, temperature=1.25)
    model.save(tmp_path / name)
    return tmp_path / name


def test_predict_says_not_a_digit_and_ends_with_status_3(capsys, tmp_path, drawings) -> None:
    model_file = refusing_file(tmp_path, threshold=1.0)  # below 1: everything is refused
    code, stdout, _ = run(capsys, "predict", str(model_file), drawings[0])
    assert code == EXIT_NOT_A_DIGIT == 3
    line = stdout.strip()
    assert line.startswith(f"{drawings[0]}: not a digit (best guess ")
    assert "digit score 0." in line
    code, stdout, _ = run(capsys, "predict", str(model_file), drawings[0], "--json")
    assert code == 3
    row = json.loads(stdout)
    assert row["digit"] is None
    assert 0 <= row["best_guess"] <= 9 and 0.0 <= row["digit_score"] <= 1.0
    assert len(row["probabilities"]) == 10
    assert sum(row["probabilities"]) == pytest.approx(1.0, abs=1e-4)
    assert row["best_guess"] == int(np.argmax(row["probabilities"]))


def test_predict_answers_a_digit_with_status_0_when_none_is_refused(
    capsys, tmp_path, drawings
) -> None:
    model_file = refusing_file(tmp_path, threshold=0.0)
    code, stdout, _ = run(capsys, "predict", str(model_file), *drawings, "--json")
    assert code == 0
    rows = json.loads(stdout)
    for row in rows:
        assert row["digit"] == row["best_guess"] and 0 <= row["digit"] <= 9
        assert len(row["probabilities"]) == 10 and "digit_score" in row


def test_one_refused_drawing_among_several_gives_status_3(capsys, tmp_path, drawings) -> None:
    model = load_model(refusing_file(tmp_path, threshold=0.0))
    scores = [float(model.digit_score(preprocess(read_drawing(p)))[0]) for p in drawings]
    assert scores[0] != scores[1]
    threshold = (scores[0] + scores[1]) / 2
    model_file = refusing_file(tmp_path, threshold, name="between.npz")
    code, stdout, _ = run(capsys, "predict", str(model_file), *drawings, "--json")
    assert code == 3
    rows = json.loads(stdout)
    refused = [row["digit"] is None for row in rows]
    assert refused == [s < threshold for s in scores]
    assert sum(refused) == 1


def test_a_model_that_never_refuses_answers_every_drawing(capsys, tmp_path, drawings) -> None:
    presets.build("mlp").save(tmp_path / "plain.npz")
    code, stdout, _ = run(capsys, "predict", str(tmp_path / "plain.npz"), *drawings)
    assert code == 0 and "not a digit" not in stdout


def test_eval_reports_refusal_accepted_accuracy_and_calibration(capsys, tmp_path, mnist_dir):
    from handwrite.evaluation import evaluate
    from handwrite.mnist import load_mnist

    data = load_mnist(mnist_dir, download=False)
    scores = load_model(refusing_file(tmp_path, threshold=0.0)).digit_score(data.test_images)
    model_file = refusing_file(tmp_path, threshold=float(np.median(scores)), name="half.npz")
    code, stdout, _ = run(capsys, "eval", str(model_file), "--data", str(mnist_dir), "--json")
    assert code == 0
    result = json.loads(stdout)
    expected = evaluate(load_model(model_file), data.test_images, data.test_labels)
    assert result["refuses"] is True
    assert result["refusal_rate"] == pytest.approx(expected.refusal_rate)
    assert 0.3 < result["refusal_rate"] < 0.7
    assert result["accepted_accuracy"] == pytest.approx(expected.accepted_accuracy)
    assert result["calibration_error"] == pytest.approx(expected.calibration_error)
    assert len(result["per_class_accuracy"]) == 10 and len(result["confusion"]) == 10
    code, stdout, _ = run(capsys, "eval", str(model_file), "--data", str(mnist_dir))
    assert code == 0
    assert f"not a digit: {expected.refusal_rate:.2%} of the test digits refused" in stdout
    assert "expected calibration error:" in stdout


def test_info_shows_the_threshold_and_temperature(capsys, tmp_path) -> None:
    code, stdout, _ = run(capsys, "info", str(refusing_file(tmp_path, threshold=0.0123)))
    assert code == 0
    assert "refused below a digit score of 0.0123" in stdout and "temperature 1.25" in stdout
    presets.build("mlp").save(tmp_path / "plain.npz")
    code, stdout, _ = run(capsys, "info", str(tmp_path / "plain.npz"))
    assert "never refused" in stdout


def test_train_learns_to_refuse_with_the_options_given(capsys, tmp_path, mnist_dir) -> None:
    out = tmp_path / "m.npz"
    argv = ["train", "--arch", "mlp", "--epochs", "1", "--limit", "2000", "--data"]
    argv += [str(mnist_dir), "--out", str(out), "--json"]
    code, stdout, err = run(capsys, *argv, "--negatives", "0.25", "--refusal-rate", "0.02")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["negatives"] == 0.25 and summary["refusal_rate"] == 0.02
    assert "not a digit:" in err  # the epoch line says how many test digits were refused
    model = load_model(out)
    assert model.refuses and model.classes[-1] == "not a digit"
    assert model.refusal.threshold == pytest.approx(summary["threshold"])
    # Resuming with other negatives is refused: the run goes on as it was saved.
    code, _, err = run(capsys, *argv[:-1], "--resume", str(out), "--negatives", "0.5")
    assert code == 2 and "--negatives 0.5 (the checkpoint has 0.25)" in one_error_line(err)
    code, stdout, _ = run(capsys, *argv, "--negatives", "0", "--pen-look", "0.5")
    assert code == 0
    plain = load_model(out)
    assert not plain.refuses and len(plain.classes) == 10
    assert json.loads(stdout)["pen_look"] == 0.5


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--negatives", "3", "negatives must be"),
        ("--pen-look", "1.5", "pen_look must be"),
        ("--refusal-rate", "0.5", "refusal_rate must be"),
        ("--negatives", "nan", "finite"),
    ],
)
def test_bad_refusal_options_are_one_line(capsys, tmp_path, option, value, fragment) -> None:
    code, _, err = run(capsys, "train", option, value, "--out", str(tmp_path / "m.npz"))
    assert code == 2 and fragment in one_error_line(err)


def test_the_exit_status_is_documented() -> None:
    import handwrite.cli

    assert "exit status 3" in handwrite.cli.__doc__
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "exit status 3" in readme
    assert main is handwrite.cli.main
