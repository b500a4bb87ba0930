"""Training that learns to refuse: negatives in every batch under an 11th output, pen-look
digits, the refusal fitted on the validation digits, and a short real run that refuses
held-out negatives and accepts MNIST digits."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handwrite import NOT_A_DIGIT, load_model, negatives
from handwrite.evaluation import evaluate
from handwrite.mnist import load_mnist
from handwrite.nn import presets
from handwrite.refusal import REFUSING_CLASSES
from handwrite.trainer import (
    REFUSAL_VALIDATION,
    START_CONFIG,
    EpochDone,
    Finished,
    TrainConfig,
    Trainer,
    TrainingError,
)
from tests.core.test_trainer import toy_data

SMALL = TrainConfig(arch="mlp", epochs=1, batch_size=50, validation=50, snapshot_seconds=0)


def run_all(trainer: Trainer) -> list:
    return list(trainer.run())


def test_negatives_give_the_eleventh_output_and_a_fitted_refusal() -> None:
    trainer = Trainer(SMALL, toy_data())
    assert trainer.model.classes == REFUSING_CLASSES
    assert trainer.negatives_per_batch == 25  # half the 50 digits
    events = run_all(trainer)
    epoch = next(e for e in events if isinstance(e, EpochDone))
    assert epoch.refusal is not None and epoch.refusal.method == "not_a_digit_class"
    assert epoch.refusal == trainer.model.refusal and trainer.model.refuses
    assert epoch.test_refusal_rate is not None and 0.0 <= epoch.test_refusal_rate <= 1.0
    assert epoch.test_probabilities.shape == (100, 10)
    assert epoch.confusion.shape == (10, 10)
    summary = events[-1].summary
    assert summary["negatives"] == 0.5 and summary["refusal_rate"] == 0.003
    assert summary["threshold"] == trainer.model.refusal.threshold
    # The threshold refuses the asked share of the validation digits (at most one of 50).
    val = evaluate(trainer.model, trainer.val_images, trainer.val_labels)
    assert val.refusal_rate <= 1 / 50


def test_no_negatives_trains_ten_outputs_that_never_refuse() -> None:
    trainer = Trainer(dataclasses.replace(SMALL, negatives=0.0), toy_data())
    assert trainer.model.classes == tuple(str(d) for d in range(10))
    events = run_all(trainer)
    epoch = next(e for e in events if isinstance(e, EpochDone))
    assert epoch.refusal is None and epoch.test_refusal_rate is None
    assert trainer.model.refusal is None and not trainer.model.refuses


def test_each_batch_holds_the_negatives_labelled_not_a_digit(monkeypatch) -> None:
    trainer = Trainer(dataclasses.replace(SMALL, negatives=0.4), toy_data())
    seen = []
    real = trainer.model.train_step

    def step(x, t):
        seen.append((x.shape[0], np.asarray(t).copy()))
        return real(x, t)

    monkeypatch.setattr(trainer.model, "train_step", step)
    run_all(trainer)
    size, labels = seen[0]
    assert size == 50 + 20
    assert (labels[50:] == 10).all() and (labels[:50] < 10).all()


def test_a_run_without_validation_holds_digits_out_for_the_refusal() -> None:
    data = toy_data(REFUSAL_VALIDATION * 12 + 100)
    trainer = Trainer(dataclasses.replace(SMALL, validation=0, batch_size=500), data)
    assert len(trainer.val_labels) == REFUSAL_VALIDATION
    plain = Trainer(dataclasses.replace(SMALL, validation=0, negatives=0.0), data)
    assert len(plain.val_labels) == 0


def test_settings_that_cannot_refuse_are_refused_with_a_reason() -> None:
    # Squared error has no softmax to say "not a digit" with: ten outputs, no negatives.
    squared = TrainConfig(architecture={**presets.architecture("mlp"), "loss": "squared_error"})
    assert not squared.refusing and squared.build_model().classes[-1] == "9"
    with pytest.raises(TrainingError, match="negatives must be"):
        TrainConfig(negatives=3.0).validate()
    with pytest.raises(TrainingError, match="refusal_rate must be"):
        TrainConfig(refusal_rate=0.5).validate()
    with pytest.raises(TrainingError, match="pen_look must be"):
        TrainConfig(pen_look=-0.1).validate()
    with pytest.raises(TrainingError, match="no 'not a digit' output"):
        Trainer(SMALL, toy_data(), presets.build("mlp"))
    # The ten-output network trains on without negatives (fine-tuning an older model).
    Trainer(dataclasses.replace(SMALL, negatives=0.0), toy_data(), presets.build("mlp"))
    # An architecture with the 11th output trained without negatives loses it.
    eleven = Trainer(SMALL, toy_data()).model.architecture()
    assert TrainConfig(architecture=eleven, negatives=0.0).build_model().classes[-1] == "9"


def test_a_run_stopped_within_an_epoch_still_refuses() -> None:
    trainer = Trainer(dataclasses.replace(SMALL, epochs=2), toy_data())
    for event in trainer.run():
        if getattr(event, "step", 0) == 3:
            trainer.request_stop()
    assert trainer.epoch == 0 and trainer.model.refuses


def test_the_saved_checkpoint_refuses_and_resumes_exactly(tmp_path) -> None:
    config = dataclasses.replace(SMALL, epochs=2)
    whole = Trainer(config, toy_data())
    run_all(whole)
    half = Trainer(dataclasses.replace(config, epochs=1), toy_data())
    run_all(half)
    half.save(tmp_path / "half.npz")
    assert load_model(tmp_path / "half.npz").refusal == half.model.refusal
    resumed = Trainer.from_checkpoint(tmp_path / "half.npz", toy_data(), epochs=2)
    assert resumed.config.negatives == 0.5
    run_all(resumed)
    for a, b in zip(whole.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-5, atol=1e-6)
    assert resumed.model.refusal == pytest.approx(whole.model.refusal)


def test_a_checkpoint_from_before_negatives_resumes_without_them(tmp_path) -> None:
    from tests.core.test_trainer import edited_checkpoint

    trainer = Trainer(dataclasses.replace(SMALL, negatives=0.0), toy_data())
    run_all(trainer)
    trainer.save(tmp_path / "old.npz")

    def forget(meta):
        for key in ("negatives", "pen_look", "refusal_rate"):
            del meta["checkpoint"]["config"][key]

    old = edited_checkpoint(tmp_path / "old.npz", tmp_path / "older.npz", forget)
    resumed = Trainer.from_checkpoint(old, toy_data(), epochs=2)
    assert resumed.config.negatives == 0.0 and resumed.config.pen_look == 0.0
    assert not list(resumed.run())[-1].summary["negatives"]


def test_pen_look_redraws_digits_with_their_labels(mnist_dir, monkeypatch) -> None:
    data = load_mnist(mnist_dir, download=False)
    config = dataclasses.replace(SMALL, limit=600, test_limit=100, pen_look=1.0, negatives=0.0)
    trainer = Trainer(config, data)
    assert trainer.pen_look is not None and len(trainer.pen_look) == 550
    seen = []
    real = trainer.model.train_step

    def step(x, t):
        seen.append((np.asarray(x).copy(), np.asarray(t).copy()))
        return real(x, t)

    monkeypatch.setattr(trainer.model, "train_step", step)
    run_all(trainer)
    x, t = seen[0]
    # Every digit redrawn: uniform pen strokes, never one of the scanned training images.
    scans = trainer.model.prepare_input(data.train_images[:550])
    assert not any(np.allclose(x[0], s) for s in scans)
    assert set(t.tolist()) <= set(range(10))


@pytest.mark.mnist
def test_a_short_real_run_refuses_held_out_negatives_and_reads_digits(mnist_dir) -> None:
    """Three epochs of the window's small CNN on 8,000 MNIST digits with a bank of 700
    negatives: drawings of the held-out split (other fonts, other random streams, test
    digits crossed out) are refused, MNIST test digits read."""
    negatives.BANK_SIZE = 700
    data = load_mnist(mnist_dir, download=False)
    config = dataclasses.replace(
        START_CONFIG,
        epochs=3,
        limit=8000,
        test_limit=2000,
        diagnostics=False,
        snapshot_seconds=3600,
    )
    trainer = Trainer(config, data)
    trainer.model.threads = 2
    events = run_all(trainer)
    assert isinstance(events[-1], Finished)
    model = trainer.model
    assert model.refuses
    test = evaluate(model, data.test_images[:2000], data.test_labels[:2000])
    assert test.accuracy > 0.95, test.accuracy
    assert test.refusal_rate < 0.02, test.refusal_rate
    held_out = negatives.generate(
        {"letters": 60, "scribbles": 30, "shapes": 30, "crossed": 30},
        split="eval",
        seed=5,
        digits=(data.test_images, data.test_labels),
    )
    refused = model.predict(held_out.images) == NOT_A_DIGIT
    assert refused.mean() > 0.6, refused.mean()
