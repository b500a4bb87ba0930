"""The personal set's "not a digit" label: stored as 10, counted apart, learned by
fine-tuning a network with the "not a digit" output as its class 10, and left out for a
ten-output network."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handwrite import NOT_A_DIGIT, Refusal
from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.model import Model
from handwrite.personal import (
    NOT_A_DIGIT_LABEL,
    PersonalDataError,
    PersonalDataset,
    fine_tune_data,
    read_right,
)
from handwrite.trainer import ArrayData, TrainConfig, Trainer, negative_source
from tests.core.test_trainer import toy_data


def scribble(seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).random((28, 28)) > 0.7).astype(np.uint8) * 255


def digit_image(value: int) -> np.ndarray:
    img = np.zeros((28, 28), np.uint8)
    img[6 + value : 22, 12:16] = 255
    return img


def test_not_a_digit_is_label_10_stored_and_counted_apart(tmp_path) -> None:
    path = tmp_path / "personal.npz"
    ds = PersonalDataset(path)
    ds.add(digit_image(3), 3)
    ds.add(scribble(0), NOT_A_DIGIT_LABEL)
    ds.add(scribble(1), 10)
    again = PersonalDataset(path).data
    assert NOT_A_DIGIT_LABEL == 10
    assert again.labels.tolist() == [3, 10, 10]
    assert again.counts().shape == (10,) and again.counts()[3] == 1 and again.counts().sum() == 1
    assert again.not_a_digit_count() == 2
    with pytest.raises(ValueError, match="not a digit"):
        ds.add(scribble(2), 11)


def test_a_file_with_labels_beyond_10_is_refused(tmp_path) -> None:
    path = tmp_path / "personal.npz"
    ds = PersonalDataset(path)
    ds.add(digit_image(1), 1)
    ds._write(ds._images, np.array([11], np.uint8), ds._timestamps)
    with pytest.raises(PersonalDataError, match="0-9 or 10"):
        PersonalDataset(path)


def test_read_right_counts_a_refused_not_a_digit_sample_as_right(tmp_path) -> None:
    ds = PersonalDataset(tmp_path / "p.npz")
    ds.add(digit_image(2), 2)
    ds.add(scribble(0), NOT_A_DIGIT_LABEL)
    model = Model.from_architecture(with_not_a_digit_output(presets.architecture("mlp")))
    # Everything refused: the "not a digit" sample is read right, the digit is not.
    model.refusal = Refusal("not_a_digit_class", threshold=1.0)
    assert read_right(model, ds.data).tolist() == [False, True]
    # A model that never refuses reads no "not a digit" sample right.
    model.refusal = None
    assert not read_right(model, ds.data)[1]
    assert (model.predict(ds.data.images) != NOT_A_DIGIT).all()


def mnist_like(n: int = 400) -> ArrayData:
    data = toy_data(n + 100)
    return ArrayData(data.train_images, data.train_labels, data.test_images, data.test_labels)


def test_fine_tune_data_keeps_or_drops_the_not_a_digit_samples(tmp_path) -> None:
    ds = PersonalDataset(tmp_path / "p.npz")
    ds.add(digit_image(4), 4)
    ds.add(scribble(0), NOT_A_DIGIT_LABEL)
    mnist = mnist_like()
    kept = fine_tune_data(ds.data, mnist, mnist_images=200)
    assert (kept.train_labels == NOT_A_DIGIT_LABEL).any()
    dropped = fine_tune_data(ds.data, mnist, mnist_images=200, not_a_digit=False)
    assert not (dropped.train_labels == NOT_A_DIGIT_LABEL).any()
    assert (dropped.train_labels == 4).any()
    # The negatives come from MNIST's digits, as in any run on MNIST, not from the mix.
    images, labels = negative_source(kept)
    np.testing.assert_array_equal(images, mnist.train_images[: len(images)])
    only_scribbles = PersonalDataset(tmp_path / "q.npz")
    only_scribbles.add(scribble(3), NOT_A_DIGIT_LABEL)
    with pytest.raises(ValueError, match="empty"):
        fine_tune_data(only_scribbles.data, mnist, not_a_digit=False)


def test_fine_tuning_learns_not_a_digit_as_class_10(tmp_path, monkeypatch) -> None:
    ds = PersonalDataset(tmp_path / "p.npz")
    for k in range(4):
        ds.add(scribble(k), NOT_A_DIGIT_LABEL)
    ds.add(digit_image(5), 5)
    data = fine_tune_data(ds.data, mnist_like(), mnist_images=200)
    config = TrainConfig(arch="mlp", epochs=1, batch_size=20, validation=50, snapshot_seconds=0)
    model = config.build_model()
    trainer = Trainer(config, data, model)
    labels_seen = []
    real = trainer.model.train_step

    def step(x, t):
        labels_seen.append(np.asarray(t).copy())
        return real(x, t)

    monkeypatch.setattr(trainer.model, "train_step", step)
    list(trainer.run())
    seen = np.concatenate(labels_seen)
    # Class 10 from the personal samples (among the digits) and from the negatives.
    digit_parts = np.concatenate([t[:20] for t in labels_seen])
    assert (digit_parts == 10).any() and (seen == 10).sum() > (digit_parts == 10).sum()
    assert trainer.model.refuses
    # A ten-output model fine-tunes without them and without negatives.
    plain = presets.build("mlp")
    plain_data = fine_tune_data(ds.data, mnist_like(), mnist_images=200, not_a_digit=False)
    Trainer(dataclasses.replace(config, negatives=0.0), plain_data, plain)
