"""The training doctor: each diagnosis on a short run built to show it, a healthy run that
shows none, and fixes that change the next run's settings."""

from __future__ import annotations

import dataclasses

import pytest

from handwrite.doctor import DIAGNOSES, Diagnosis, Doctor
from handwrite.nn.architectures import MLPDesign, activation_of
from handwrite.trainer import Failed, TrainConfig, Trainer
from tests.core.synthetic import digits_like

BASE = TrainConfig(
    arch="mlp",
    epochs=3,
    batch_size=32,
    validation=300,
    diagnostics=True,
    diagnostics_every=1,
    snapshot_seconds=60,
    negatives=0.0,  # the scenarios below are tuned on the ten digits alone
)


def diagnose(config: TrainConfig, data=None) -> tuple[list[Diagnosis], list]:
    doctor = Doctor()
    events = []
    for event in Trainer(config, data or digits_like(3000)).run():
        events.append(event)
        for diagnosis in doctor.observe(event):
            assert diagnosis in doctor.diagnoses
    return doctor.diagnoses, events


def found(diagnoses: list[Diagnosis], kind: str) -> Diagnosis:
    kinds = [d.kind for d in diagnoses]
    assert kind in kinds, kinds
    assert len(set(kinds)) == len(kinds)  # each kind once a run
    return next(d for d in diagnoses if d.kind == kind)


def test_a_healthy_run_shows_nothing() -> None:
    diagnoses, events = diagnose(dataclasses.replace(BASE, optimizer="adam", lr=1e-3))
    assert diagnoses == []
    assert events[-1].summary["test_accuracy"] > 0.95


def test_a_loss_that_explodes_means_the_learning_rate_is_too_high() -> None:
    config = dataclasses.replace(BASE, optimizer="sgd", lr=50.0)
    diagnoses, events = diagnose(config)
    assert isinstance(events[-1], Failed)
    d = found(diagnoses, "lr_too_high")
    text = d.message.text()
    assert "exploded" in text and "50" in text
    assert d.fix.changes == {"lr": 5.0}
    assert d.fix.apply(config).lr == 5.0
    assert "50 → 5" in d.fix.description.text()


def test_a_loss_that_climbs_back_up_means_the_learning_rate_is_too_high() -> None:
    """Adam at 0.05 overshoots: the loss falls, then rises well above its best without
    diverging."""
    config = dataclasses.replace(BASE, optimizer="adam", lr=0.05, epochs=6)
    diagnoses, events = diagnose(config)
    assert not isinstance(events[-1], Failed)
    d = found(diagnoses, "lr_too_high")
    assert "back up" in d.message.text()
    assert d.fix.apply(config).lr == pytest.approx(0.005)


def test_a_flat_loss_means_the_learning_rate_is_too_low() -> None:
    config = dataclasses.replace(BASE, optimizer="sgd", lr=1e-5)
    diagnoses, _ = diagnose(config)
    d = found(diagnoses, "lr_too_low")
    assert "fallen only" in d.message.text()
    assert d.fix.apply(config).lr == pytest.approx(1e-4)
    assert [x.kind for x in diagnoses] == ["lr_too_low"]


def test_a_validation_loss_rising_while_the_training_loss_falls_is_overfitting() -> None:
    """Random labels: the only thing a large network can learn is the images by heart."""
    config = dataclasses.replace(
        BASE,
        architecture=MLPDesign(hidden=(256, 256)).architecture(),
        optimizer="adam",
        lr=1e-3,
        epochs=12,
        limit=800,
        validation=80,
    )
    diagnoses, _ = diagnose(config, digits_like(1300, random_labels=True))
    d = found(diagnoses, "overfitting")
    assert "overfitting" in d.message.text()
    fixed = d.fix.apply(config)
    dropouts = [s for s in fixed.network()["layers"] if s["type"] == "Dropout"]
    assert dropouts == [{"type": "Dropout", "p": 0.5}]
    # with a preset, the fix is its dropout rate; with dropout already, augmentation
    preset = dataclasses.replace(BASE, dropout=0.0)
    assert d.fix.apply(config) != config
    from handwrite.doctor import _against_overfitting

    assert _against_overfitting(preset).changes == {"dropout": 0.5}
    assert _against_overfitting(dataclasses.replace(BASE, dropout=0.5)).changes == {"augment": True}


def test_a_deep_sigmoid_network_has_vanishing_gradients() -> None:
    config = dataclasses.replace(
        BASE,
        architecture=MLPDesign(hidden=(100,) * 5, activation="sigmoid").architecture(),
        optimizer="sgd",
        lr=0.1,
    )
    diagnoses, _ = diagnose(config)
    d = found(diagnoses, "vanishing_gradients")
    assert "times smaller" in d.message.text() and "sigmoid" in d.message.text()
    # The activation's name is a phrase of its own, so the window translates it with the
    # message (the Japanese reads 「シグモイド」, not "sigmoid").
    names = {("Layers", "sigmoid"): "SIGMOID"}

    def translate(context: str, text: str) -> str:
        return names.get((context, text), text)

    assert "SIGMOID" in d.message.text(translate) and "SIGMOID" in d.fix.description.text(translate)
    fixed = d.fix.apply(config)
    assert activation_of(fixed.network()) == "relu"
    assert len(fixed.network()["layers"]) == len(config.network()["layers"])


def test_a_too_large_step_kills_relu_units() -> None:
    """Adam at 0.1 pushes most of a layer's units below 0 for every image."""
    config = dataclasses.replace(BASE, optimizer="adam", lr=0.1)
    diagnoses, _ = diagnose(config)
    d = found(diagnoses, "dead_units")
    assert "dead" in d.message.text()
    assert d.fix.apply(config).lr == pytest.approx(0.01)


def test_a_loss_that_stops_improving_far_from_a_fit_is_a_stalled_run() -> None:
    """Each class is always the same image, 30% of the labels are random: once the network
    has learned the ten images, nothing is left to gain, at about 73% accuracy."""
    from handwrite.doctor import _unstall

    data = digits_like(3000, noise=0.0, label_noise=0.3)
    config = dataclasses.replace(BASE, optimizer="sgd", lr=0.05, epochs=10)
    diagnoses, _ = diagnose(config, data)
    d = found(diagnoses, "stalled")
    assert "not improved" in d.message.text()
    assert dict(d.fix.changes) == {"optimizer": "adam", "lr": 0.001}
    adam = dataclasses.replace(config, optimizer="adam", lr=1e-3)
    assert dict(_unstall(adam).changes) == {"schedule": "onecycle"}
    assert _unstall(dataclasses.replace(adam, schedule="onecycle")) is None


def test_the_diagnoses_are_listed_and_their_texts_are_complete() -> None:
    config = dataclasses.replace(BASE, optimizer="sgd", lr=1e-5)
    diagnoses, _ = diagnose(config)
    for d in diagnoses:
        assert d.kind in DIAGNOSES
        for text in (d.message.text(), d.fix.description.text()):
            assert "{" not in text and "}" not in text
        translated = d.message.text(lambda context, text: f"<{context}>" + text)
        assert translated.startswith("<Doctor>")
