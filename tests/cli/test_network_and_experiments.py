"""The command line's own networks (`train --activation --loss --hidden --channels
--kernels --architecture`) and `experiment`."""

from __future__ import annotations

import dataclasses
import json

import pytest

from handwrite import cli, experiments, trainer
from handwrite.cli import main
from handwrite.nn import presets
from handwrite.nn.architectures import CNNDesign, MLPDesign
from tests.cli.test_cli import one_error_line, run
from tests.core.synthetic import digits_like


@pytest.fixture
def asked(monkeypatch) -> list:
    """The configs `train` asks the trainer for (it trains nothing)."""
    configs = []

    def refuse(config, data, *args, **kwargs):
        configs.append(config.validate())
        raise trainer.TrainingError("not this time")

    monkeypatch.setattr(trainer, "Trainer", refuse)
    monkeypatch.setattr(cli, "_load_data", lambda data_dir: None)
    return configs


def train_asks(capsys, tmp_path, asked, *options: str):
    code, _, err = run(capsys, "train", *options, "--out", str(tmp_path / "m.npz"))
    assert code == 2 and "not this time" in one_error_line(err)
    return asked[-1]


# (`experiments` is imported above, before any test replaces trainer.Trainer, so that its
# own reference to the trainer is the real one.)


def test_design_options_make_your_own_network(capsys, tmp_path, asked) -> None:
    config = train_asks(
        capsys,
        tmp_path,
        asked,
        "--arch", "mlp", "--activation", "sigmoid", "--hidden", "100,100,100",
        "--loss", "squared_error", "--dropout", "0.2", "--dropout-at", "hidden",
    )  # fmt: skip
    expected = MLPDesign(
        hidden=(100, 100, 100),
        activation="sigmoid",
        loss="squared_error",
        dropout=0.2,
        dropout_at="hidden",
    ).architecture()
    assert config.architecture == expected and config.dropout is None and config.arch == "mlp"
    config = train_asks(
        capsys, tmp_path, asked, "--arch", "cnn", "--channels", "8,16,32", "--kernels", "3,3,3",
        "--same-padding", "--pooling", "avg", "--hidden", "none",
    )  # fmt: skip
    expected = CNNDesign(
        channels=(8, 16, 32), kernels=(3, 3, 3), same_padding=True, pooling="avg", hidden=()
    ).architecture()
    assert config.architecture == expected
    # --channels alone: the design's kernel size for each block
    config = train_asks(capsys, tmp_path, asked, "--channels", "6,12")
    assert config.architecture == CNNDesign(channels=(6, 12), kernels=(5, 5)).architecture()
    # the fixed presets take an activation and a loss
    config = train_asks(capsys, tmp_path, asked, "--arch", "lenet", "--activation", "relu")
    assert [s["type"] for s in config.architecture["layers"]].count("ReLU") == 4
    # no design option: the preset itself, as before
    config = train_asks(capsys, tmp_path, asked, "--arch", "mlp", "--dropout", "0.3")
    assert config.architecture is None and config.dropout == 0.3


def test_an_architecture_file(capsys, tmp_path, asked) -> None:
    path = tmp_path / "net.json"
    architecture = MLPDesign(hidden=(64,), activation="tanh").architecture()
    path.write_text(json.dumps(architecture))
    config = train_asks(capsys, tmp_path, asked, "--architecture", str(path))
    assert config.architecture == architecture
    layers = architecture["layers"]
    layers[1]["in_features"] = 700
    path.write_text(json.dumps(architecture))
    code, _, err = run(capsys, "train", "--architecture", str(path), "--out", str(tmp_path / "m"))
    line = one_error_line(err)
    assert code == 2 and f"--architecture {path}: layer 1 (Dense)" in line
    assert '"in_features": 784' in line
    path.write_text('{"layers": [')
    code, _, err = run(capsys, "train", "--architecture", str(path), "--out", str(tmp_path / "m"))
    assert code == 2 and "not JSON (line 1" in one_error_line(err)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--architecture", "a.json", "--hidden", "10"], "leave out --hidden"),
        (["--architecture", "a.json", "--arch", "mlp"], "leave out --arch"),
        (["--architecture", "/no/such.json"], "--architecture /no/such.json: no such file"),
        (["--arch", "mlp", "--channels", "8"], "--channels shapes a cnn's convolutions"),
        (["--arch", "lenet", "--hidden", "10"], "--hidden changes the mlp and cnn designs"),
        (["--arch", "cnn", "--kernels", "3"], "give --channels too"),
        (["--arch", "cnn", "--channels", "8", "--kernels", "3,3"], "one kernel size per block"),
        (["--hidden", "10,x"], "expected whole numbers separated by commas"),
        (["--hidden", "0"], "each size must be a whole number from 1 to 4096"),
        (["--activation", "gelu"], "invalid choice"),
        (["--resume", "c.npz", "--activation", "relu"], "leave out --activation"),
    ],
)
def test_conflicting_or_bad_network_options_are_one_line(
    capsys, tmp_path, options, fragment
) -> None:
    code, _, err = run(capsys, "train", *options, "--out", str(tmp_path / "m.npz"))
    assert code == 2
    assert fragment in one_error_line(err)


def test_train_an_own_network_end_to_end(capsys, tmp_path, monkeypatch) -> None:
    from handwrite import load_model

    monkeypatch.setattr(cli, "_load_data", lambda data_dir: digits_like(700, density=0.12))
    out = tmp_path / "m.npz"
    code, stdout, _ = run(
        capsys, "train", "--arch", "mlp", "--activation", "tanh", "--hidden", "32",
        "--epochs", "1", "--validation", "0", "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(stdout)["architecture"] == "custom mlp"
    model = load_model(out)
    assert [s["type"] for s in model.architecture()["layers"]] == [
        "Flatten", "Dense", "Tanh", "Dense",
    ]  # fmt: skip


def _small_experiments(monkeypatch) -> None:
    small = {}
    for name, experiment in experiments.EXPERIMENTS.items():
        variants = tuple(
            dataclasses.replace(
                v, config=dataclasses.replace(v.config, limit=300, epochs=1, test_limit=100)
            )
            for v in experiment.variants
        )
        small[name] = dataclasses.replace(experiment, variants=variants)
    monkeypatch.setattr(experiments, "EXPERIMENTS", small)
    monkeypatch.setattr(cli, "_load_data", lambda data_dir: digits_like(500, density=0.12))


def test_experiment_prints_its_conclusion(capsys, monkeypatch) -> None:
    _small_experiments(monkeypatch)
    code, stdout, err = run(capsys, "experiment", "optimizers")
    assert code == 0
    assert stdout.startswith("Training accuracy over the last 50 batches:")
    assert "SGD, momentum and Adam" in err and "[3/3] Adam" in err
    code, stdout, _ = run(capsys, "experiment", "batch", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["experiment"] == "batch" and "batch gradient descent" in summary["conclusion"]
    assert set(summary["variants"]) == {"batch", "minibatch"}
    assert summary["variants"]["batch"]["steps"] == 1


def test_experiment_list_and_errors(capsys) -> None:
    code, stdout, _ = run(capsys, "experiment", "--list")
    names = [line.split()[0] for line in stdout.splitlines()]
    assert code == 0 and names == list(experiments.EXPERIMENTS)
    code, _, err = run(capsys, "experiment")
    assert code == 2 and "name an experiment" in one_error_line(err)
    code, _, err = run(capsys, "experiment", "nonsense")
    assert code == 2 and "invalid choice" in one_error_line(err)


def test_main_without_a_network_option_keeps_the_preset(capsys, tmp_path, asked) -> None:
    config = train_asks(capsys, tmp_path, asked)
    assert config.architecture is None and config.arch == presets.DEFAULT_PRESET
    assert main is cli.main
