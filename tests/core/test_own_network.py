"""Training your own network: an architecture JSON in the TrainConfig, recorded in the
checkpoint and the summary, rebuilt on resume; and the window's Start settings."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handwrite.modelfile import read_model_file
from handwrite.nn.architectures import CNNDesign, MLPDesign
from handwrite.trainer import START_CONFIG, Finished, TrainConfig, Trainer, TrainingError
from tests.core.synthetic import digits_like

TANH = MLPDesign(hidden=(32, 16), activation="tanh", loss="squared_error").architecture()
CONFIG = TrainConfig(
    architecture=TANH, epochs=2, batch_size=50, validation=50, snapshot_seconds=0, lr=3e-3
)


def test_your_own_network_trains_and_is_recorded(tmp_path) -> None:
    data = digits_like(700, density=0.12)
    trainer = Trainer(CONFIG, data)
    assert [s["type"] for s in trainer.model.architecture()["layers"]] == [
        s["type"] for s in TANH["layers"]
    ]
    events = list(trainer.run())
    assert isinstance(events[-1], Finished)
    summary = events[-1].summary
    assert summary["architecture"] == "custom mlp" and summary["loss"] == "squared_error"
    assert summary["test_accuracy"] > 0.8
    trainer.save(tmp_path / "run.npz")
    model, meta, _ = read_model_file(tmp_path / "run.npz")
    assert model.architecture()["layers"] == TANH["layers"]
    assert meta["checkpoint"]["config"]["architecture"] == TANH
    assert meta["training"]["loss"] == "squared_error"


def test_a_resumed_run_keeps_its_network(tmp_path) -> None:
    data = digits_like(700, density=0.12)
    straight = Trainer(CONFIG, data)
    list(straight.run())
    first = Trainer(dataclasses.replace(CONFIG, epochs=1), data)
    list(first.run())
    first.save(tmp_path / "half.npz")
    resumed = Trainer.from_checkpoint(tmp_path / "half.npz", data, epochs=2)
    assert resumed.config.architecture == TANH
    list(resumed.run())
    for a, b in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_a_bad_architecture_is_refused_with_its_fix() -> None:
    bad = {
        "layers": [{"type": "Flatten"}, {"type": "Dense", "in_features": 100, "out_features": 10}]
    }
    with pytest.raises(TrainingError, match='architecture: layer 1 .* set "in_features": 784'):
        TrainConfig(architecture=bad).validate()
    with pytest.raises(TrainingError, match='set the Dropout layers\' "p"'):
        TrainConfig(architecture=TANH, dropout=0.5).validate()
    with pytest.raises(TrainingError, match="diagnostics_every"):
        TrainConfig(diagnostics_every=-1).validate()


def test_a_config_with_an_architecture_is_hashable_like_the_others() -> None:
    same = dataclasses.replace(
        CONFIG,
        architecture=MLPDesign(
            hidden=(32, 16), activation="tanh", loss="squared_error"
        ).architecture(),
    )
    assert same == CONFIG and hash(same) == hash(CONFIG)
    assert len({CONFIG, same, TrainConfig(), START_CONFIG}) == 3


def test_the_network_a_config_trains() -> None:
    from handwrite.nn import presets
    from handwrite.nn.architectures import with_not_a_digit_output

    # Without negatives, the ten digits as designed; with them (the default), the 11th
    # output "not a digit" after them.
    assert TrainConfig(arch="lenet", negatives=0.0).network() == presets.architecture("lenet")
    assert TrainConfig(arch="lenet").network() == with_not_a_digit_output(
        presets.architecture("lenet")
    )
    assert TrainConfig(arch="cnn", dropout=0.2, negatives=0.0).network() == presets.architecture(
        "cnn", dropout=0.2
    )
    cnn = CNNDesign(channels=(8,), kernels=(3,), hidden=()).architecture()
    config = TrainConfig(architecture=cnn, negatives=0.0)
    assert config.network() == cnn and config.network_name() == "custom cnn"
    model = config.build_model()
    assert model.parameter_count() == 8 * 9 + 8 + 8 * 13 * 13 * 10 + 10
    refusing = TrainConfig(architecture=cnn).build_model()
    assert refusing.parameter_count() == 8 * 9 + 8 + 8 * 13 * 13 * 11 + 11


def test_the_window_s_start_settings_are_valid_and_measured() -> None:
    START_CONFIG.validate()
    assert START_CONFIG.diagnostics and START_CONFIG.schedule == "onecycle" and START_CONFIG.augment
    assert START_CONFIG.network_name() == "small cnn"
    assert START_CONFIG.build_model().parameter_count() < 100_000


def test_a_design_is_named_after_its_preset_or_as_custom() -> None:
    assert MLPDesign().architecture()["name"] == "mlp"
    assert MLPDesign(hidden=(10,)).architecture()["name"] == "custom mlp"
    assert CNNDesign(dropout=0.1).architecture()["name"] == "custom cnn"
    assert CNNDesign(name="mine").architecture()["name"] == "mine"
