"""The shipped model: its accuracy, its refusal of what is not a digit and its acceptance of
digits, digits drawn with a canvas's uniform pen, and predictions that survive MNIST-style
preprocessing of digits drawn large, anywhere on a canvas, with thin or thick pens."""

from __future__ import annotations

import numpy as np
import pytest

import handwrite
from handwrite import resources
from handwrite.mnist import load_mnist
from handwrite.negatives import generate
from handwrite.penlook import pen_look_set
from handwrite.preprocess import preprocess

DEFAULT_MODEL = resources.default_model_path()


@pytest.fixture(scope="module")
def model():
    return handwrite.load_model(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir, download=False)


def test_shipped_model_loads_and_describes_itself(model) -> None:
    training = model.metadata["training"]
    assert model.architecture()["name"] == "cnn3y"
    assert model.refuses and model.has_not_a_digit_output
    assert 1.0 <= model.refusal.temperature <= 2.0
    assert training["test_accuracy"] >= 0.995
    assert training["epochs"] >= 1
    assert training["recipe"] == "benchmarks/train_shipped_model.py"


def test_shipped_model_accuracy_on_the_test_set(model, mnist) -> None:
    answer = model.answer(mnist.test_images)
    accuracy = (answer.probabilities.argmax(axis=1) == mnist.test_labels).mean()
    assert accuracy >= 0.995, accuracy  # 99.57% as shipped
    refused = answer.refused.mean()
    assert refused <= 0.005, refused  # predict refuses at most 0.5% of the test digits
    accepted = ~answer.refused
    assert (answer.digit[accepted] == mnist.test_labels[accepted]).mean() >= 0.995


def test_shipped_model_refuses_held_out_negatives(model, mnist) -> None:
    """Drawings of the held-out split (letters, symbols, scribbles, shapes, cut, overlapped
    and crossed-out digits, none of them seen in training) come back as "not a digit"."""
    negatives = generate(
        80, split="eval", seed=3, digits=(mnist.test_images, mnist.test_labels), canvas_size=112
    )
    refused = (model.predict(negatives.images) == handwrite.NOT_A_DIGIT).mean()
    assert refused >= 0.9, refused


def test_shipped_model_reads_digits_drawn_with_a_uniform_pen(model, mnist) -> None:
    pen = pen_look_set(mnist.test_images[:100], mnist.test_labels[:100], pen_widths=(18,))
    answer = model.answer(pen.images[18])
    assert (answer.probabilities.argmax(axis=1) == pen.labels).mean() >= 0.96
    assert answer.refused.mean() <= 0.03


def _thicken(img: np.ndarray, r: int) -> np.ndarray:
    out = img.copy()
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            out = np.maximum(out, np.roll(np.roll(img, dy, 0), dx, 1))
    return out


def test_digits_moved_and_enlarged_on_a_canvas_keep_their_prediction(model, mnist) -> None:
    rng = np.random.default_rng(0)
    idx = rng.choice(len(mnist.test_labels), 150, replace=False)
    kept = 0
    same_as_label = 0
    for i in idx:
        digit = mnist.test_images[i]
        scale = int(rng.integers(5, 13))
        big = np.kron(digit, np.ones((scale, scale), np.uint8))
        if rng.random() < 0.3:  # a thicker pen
            big = _thicken(big, int(rng.integers(2, 6)))
        h, w = int(rng.integers(big.shape[0] + 10, 800)), int(rng.integers(big.shape[1] + 10, 800))
        canvas = np.zeros((h, w), np.uint8)
        top = int(rng.integers(0, h - big.shape[0] + 1))  # corners included
        left = int(rng.integers(0, w - big.shape[1] + 1))
        canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
        original = model.predict(digit)[0]
        moved = model.predict(preprocess(canvas))[0]
        kept += moved == original
        same_as_label += moved == mnist.test_labels[i]
    assert kept / len(idx) >= 0.96, kept
    assert same_as_label / len(idx) >= 0.95, same_as_label
