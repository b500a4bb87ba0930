"""Robustness curves (handwrite.robustness): each transform does what its name says and
nothing at its identity level, runs are reproducible, two models see the same digits, the
generator reports progress and stops when closed; the shipped model loses accuracy as digits
turn."""

from __future__ import annotations

import numpy as np
import pytest

import handwrite
from handwrite import resources
from handwrite.mnist import load_mnist
from handwrite.nn import presets
from handwrite.robustness import (
    PERTURBATIONS,
    RobustnessProgress,
    RobustnessResult,
    perturb,
    perturbation,
    robustness,
    robustness_steps,
)

DEFAULT_MODEL = resources.default_model_path()


def digits(n: int = 12, seed: int = 0) -> np.ndarray:
    """(n, 28, 28) uint8: a bar of random slant and a blob, MNIST-sized and centred."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    out = np.zeros((n, 28, 28), np.float32)
    for img in out:
        slant = rng.uniform(-0.4, 0.4)
        img += np.clip(1.6 - np.abs((xx - 14) - slant * (yy - 14)), 0, 1) * (np.abs(yy - 14) < 9)
        cy, cx = rng.uniform(9, 19, 2)
        img += np.clip(2.5 - np.hypot(yy - cy, xx - cx), 0, 1)
    return (np.clip(out, 0, 1) * 255).round().astype(np.uint8)


def centre_of_mass(x: np.ndarray) -> np.ndarray:
    """(N, 2) (row, col) centres of mass of (N, H, W) images."""
    n, h, w = x.shape
    mass = x.sum(axis=(1, 2))
    rows = (x.sum(axis=2) * np.arange(h)).sum(axis=1) / mass
    cols = (x.sum(axis=1) * np.arange(w)).sum(axis=1) / mass
    return np.stack([rows, cols], axis=1)


@pytest.mark.parametrize("p", PERTURBATIONS, ids=lambda p: p.name)
def test_the_identity_level_leaves_the_digits_unchanged(p) -> None:
    images = digits()
    assert p.identity in p.levels and list(p.levels) == sorted(p.levels)
    exact = images.astype(np.float32) / np.float32(255)
    np.testing.assert_array_equal(perturb(images, p.name, p.identity, seed=3), exact)
    np.testing.assert_array_equal(perturb(exact[:, None], p.name, p.identity), exact)
    for level in p.levels:
        if level != p.identity:
            changed = perturb(images, p.name, level, seed=3)
            assert changed.shape == (12, 28, 28) and changed.dtype == np.float32
            assert 0.0 <= changed.min() and changed.max() <= 1.0
            assert not np.array_equal(changed, exact), level


def test_each_transform_does_what_it_says() -> None:
    x = digits(20).astype(np.float32) / 255
    mass = x.sum(axis=(1, 2))
    # thicker strokes hold more ink, thinner less, and more so with the level
    masses = [perturb(x, "thickness", r).sum() for r in (-1.0, -0.5, 0.0, 0.5, 1.0, 2.0)]
    assert np.all(np.diff(masses) > 0)
    # blur: about the same ink, spread out (a lower peak)
    blurred = perturb(x, "blur", 1.5)
    np.testing.assert_allclose(blurred.sum(axis=(1, 2)), mass, rtol=0.03)
    assert np.all(blurred.max(axis=(1, 2)) < 0.8 * x.max(axis=(1, 2)))
    # scale: ink grows with the area
    for factor in (0.7, 1.3):
        ratio = perturb(x, "scale", factor).sum(axis=(1, 2)) / mass
        np.testing.assert_allclose(ratio, factor**2, rtol=0.1)
    # shift: the centre of mass moves by the level, each digit its own way, the ink kept
    for pixels in (2.0, 4.0):
        moved = perturb(x, "shift", pixels)
        distance = np.hypot(*(centre_of_mass(moved) - centre_of_mass(x)).T)
        np.testing.assert_allclose(distance, pixels, atol=0.15)
        np.testing.assert_allclose(moved.sum(axis=(1, 2)), mass, rtol=0.03)
    # rotation by 90 degrees: the bar, once upright, lies across (a transpose, up to the sign)
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 6:23, 13:16] = 1.0
    turned = perturb(bar, "rotation", 90)[0]
    assert turned[13:16, 6:23].mean() > 0.9 and turned[6:12, 13:16].max() < 0.05
    # noise: the difference from the clean digits grows with the level
    gaps = [np.abs(perturb(x, "noise", s) - x).mean() for s in (0.1, 0.3, 0.6)]
    assert gaps[0] < gaps[1] < gaps[2]
    # salt and pepper: the level's share of pixels set to 0 or 1, half each
    peppered = perturb(x, "salt_pepper", 0.2)
    assert np.all((peppered == x) | (peppered == 0) | (peppered == 1))
    assert 0.08 < (peppered[x == 0] == 1).mean() < 0.12  # salt on the background
    assert 0.08 < (peppered[x > 0] == 0).mean() < 0.12  # pepper on the ink


def test_transforms_are_seeded_per_perturbation() -> None:
    x = digits()
    for name in ("rotation", "noise", "salt_pepper", "shift"):
        a = perturb(x, name, perturbation(name).levels[3], seed=1)
        np.testing.assert_array_equal(a, perturb(x, name, perturbation(name).levels[3], seed=1))
        assert not np.array_equal(a, perturb(x, name, perturbation(name).levels[3], seed=2))
    # a larger level moves the same noise further: the draws do not depend on the level
    clean = x.astype(np.float32) / 255
    small, large = perturb(x, "noise", 0.1), perturb(x, "noise", 0.2)
    free = (small > 0) & (small < 1) & (large > 0) & (large < 1)  # where neither was clipped
    assert free.mean() > 0.1
    np.testing.assert_allclose((large - clean)[free], 2 * (small - clean)[free], atol=1e-5)


def test_unknown_perturbations_and_bad_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="use one of rotation, scale"):
        perturb(digits(), "twirl", 1.0)
    with pytest.raises(ValueError, match="positive"):
        perturb(digits(), "scale", 0.0)
    with pytest.raises(ValueError, match="negative"):
        perturb(digits(), "blur", -1.0)


@pytest.fixture(scope="module")
def two_models():
    return presets.build("mlp", seed=1), presets.build("lenet", seed=2)


def test_the_identity_level_gives_the_plain_accuracy(two_models) -> None:
    images = digits(40, seed=4)
    labels = np.random.default_rng(0).integers(0, 10, 40)
    labels[:20] = two_models[0].predict(images[:20])  # so that accuracy is neither 0 nor 1
    result = robustness(two_models, images, labels)
    assert result.complete and result.model_names == ("mlp", "lenet")
    for m, model in enumerate(two_models):
        plain = float((model.predict_proba(images).argmax(axis=1) == labels).mean())  # no refusal
        for p in PERTURBATIONS:
            levels, accuracy = result.curve(p.name, model=m)
            assert accuracy[list(levels).index(p.identity)] == plain, p.name


def test_two_models_are_measured_on_the_same_digits(two_models) -> None:
    images = digits(30, seed=5)
    labels = np.random.default_rng(1).integers(0, 10, 30)
    chosen = ["rotation", "noise"]
    both = robustness(two_models, images, labels, perturbations=chosen, seed=7)
    for m, model in enumerate(two_models):
        alone = robustness(model, images, labels, perturbations=chosen, seed=7)
        for name in chosen:
            np.testing.assert_array_equal(both.curve(name, m)[1], alone.curve(name)[1])
    assert [a.shape for a in both.accuracy] == [(2, 7), (2, 7)]


def test_runs_are_reproducible_and_report_progress(two_models) -> None:
    images = digits(25, seed=6)
    labels = np.random.default_rng(2).integers(0, 10, 25)
    chosen = [perturbation("shift"), "salt_pepper"]
    events = []
    steps = robustness_steps(two_models, images, labels, perturbations=chosen, names=["a", "b"])
    while True:
        try:
            events.append(next(steps))
        except StopIteration as stop:
            result = stop.value
            break
    assert isinstance(result, RobustnessResult) and result.model_names == ("a", "b")
    assert [e.done for e in events] == list(range(1, 29)) and {e.total for e in events} == {28}
    assert all(isinstance(e, RobustnessProgress) for e in events)
    measured = [sum(int((~np.isnan(a)).sum()) for a in e.result.accuracy) for e in events]
    assert measured == list(range(1, 29))
    assert not events[5].result.complete and events[-1].result.complete
    again = robustness(two_models, images, labels, perturbations=chosen, names=["a", "b"])
    for first, second in zip(result.accuracy, again.accuracy, strict=True):
        np.testing.assert_array_equal(first, second)
    for first, last in zip(events[-1].result.accuracy, result.accuracy, strict=True):
        np.testing.assert_array_equal(first, last)


def test_closing_the_generator_stops_the_run_midway(two_models) -> None:
    images = digits(20, seed=7)
    labels = np.zeros(20, np.int64)
    steps = robustness_steps(two_models, images, labels)
    total = sum(len(p.levels) for p in PERTURBATIONS) * 2
    partial = [next(steps) for _ in range(9)]
    assert partial[-1].done == 9 and partial[-1].total == total
    rotation = partial[-1].result.accuracy[0]
    assert not np.isnan(rotation[:, :4]).any() and np.isnan(rotation[1, 4])
    assert np.isnan(partial[-1].result.accuracy[1]).all()
    steps.close()
    with pytest.raises(StopIteration):
        next(steps)


def test_bad_arguments_are_refused(two_models) -> None:
    images = digits(5)
    with pytest.raises(ValueError, match="at least one model"):
        robustness([], images, np.zeros(5))
    with pytest.raises(ValueError, match="5 images and 4 labels"):
        robustness(two_models[0], images, np.zeros(4))
    with pytest.raises(ValueError, match="1 names for 2 models"):
        robustness(two_models, images, np.zeros(5), names=["one"])


@pytest.mark.mnist
def test_the_shipped_model_loses_accuracy_as_digits_turn(mnist_dir) -> None:
    mnist = load_mnist(mnist_dir, download=False)
    model = handwrite.load_model(DEFAULT_MODEL)
    images, labels = mnist.test_images[:1000], mnist.test_labels[:1000]
    result = robustness(model, images, labels, perturbations=["rotation", "blur"])
    levels, accuracy = result.curve("rotation")
    plain = float((model.predict_proba(images).argmax(axis=1) == labels).mean())  # no refusal
    assert accuracy[0] == plain > 0.98
    # the network was trained with rotations up to 12 degrees: flat there, falling beyond
    assert np.all(np.diff(accuracy) <= 0.005)
    assert accuracy[levels == 30][0] < plain - 0.02
    assert accuracy[levels == 60][0] < 0.6 and accuracy[-1] < 0.35
    levels, accuracy = result.curve("blur")
    assert accuracy[0] == plain and accuracy[-1] < plain - 0.3
