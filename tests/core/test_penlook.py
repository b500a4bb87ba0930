"""handwrite.penlook: MNIST digits thinned, traced and redrawn with a uniform round pen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import handwrite
from handwrite.mnist import load_mnist
from handwrite.penlook import (
    PEN_WIDTHS,
    SPARSE_SPACING,
    PenLookAugment,
    digit_drawing,
    euler_number,
    pen_look_set,
    skeletonize,
    trace,
)
from handwrite.preprocess import stroke_width
from handwrite.strokes import paint_batch

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "default.npz"


def painted(drawing: list[np.ndarray], width: float = 2.6) -> np.ndarray:
    """A 28x28 uint8 image of a drawing in 28x28 pixel units."""
    return np.round(paint_batch([drawing], width, (28, 28))[0] * 255).astype(np.uint8)


def test_a_thick_bar_thins_to_a_one_pixel_line() -> None:
    bar = np.zeros((28, 28), np.uint8)
    bar[12:17, 4:24] = 255
    sk = skeletonize(bar)[0]
    assert sk.shape == (56, 56) and sk.dtype == np.bool_
    rows = np.flatnonzero(sk.any(axis=1))
    assert len(rows) <= 2  # one line, give or take a staircase step
    cols = np.flatnonzero(sk.any(axis=0))
    assert 28 <= len(cols) <= 42  # most of the bar's 40 (upsampled) columns


def test_a_ring_traces_to_one_closed_stroke() -> None:
    t = np.linspace(0, 2 * np.pi, 60)
    ring = painted([np.stack([14 + 7 * np.cos(t), 14 + 9 * np.sin(t)], axis=1).astype(np.float32)])
    strokes = trace(skeletonize(ring)[0])
    assert len(strokes) == 1
    s = strokes[0]
    assert np.hypot(*(s[0] - s[-1])) < 1.0  # closed
    radius = np.hypot(*(s - s.mean(axis=0)).T)
    assert 6.0 < radius.min() and radius.max() < 10.5


def test_euler_number_counts_components_minus_holes() -> None:
    images = np.zeros((3, 10, 10), bool)
    images[0, 2:8, 2:8] = True
    images[0, 4:6, 4:6] = False  # a ring: one component, one hole
    images[1, 2:4, 2:4] = images[1, 6:8, 6:8] = True  # two blobs
    images[2, 3, 3] = images[2, 4, 4] = True  # touching corners: one component
    np.testing.assert_array_equal(euler_number(images), [0, 2, 1])


def test_a_bold_loop_filled_with_grey_stays_a_loop() -> None:
    t = np.linspace(0, 2 * np.pi, 60)
    ring = painted(
        [np.stack([14 + 5 * np.cos(t), 14 + 6 * np.sin(t)], axis=1).astype(np.float32)], 4.0
    )
    ring[(ring < 200) & (np.hypot(*(np.mgrid[0:28, 0:28] - 14.0)) < 5)] = 120  # grey inside
    strokes = trace(skeletonize(ring)[0])
    assert len(strokes) == 1 and np.hypot(*(strokes[0][0] - strokes[0][-1])) < 1.0


def test_a_plus_traces_to_four_arms_from_the_centre_and_no_spurs() -> None:
    plus = painted(
        [np.array([[4.0, 14.0], [24.0, 14.0]]), np.array([[14.0, 4.0], [14.0, 24.0]])], 3.0
    )
    strokes = trace(skeletonize(plus)[0])
    assert len(strokes) == 4
    ends = np.concatenate([s[[0, -1]] for s in strokes])
    near_centre = np.hypot(*(ends - 14.0).T) < 2.5
    assert near_centre.sum() == 4  # every arm starts at the crossing
    assert all(np.hypot(*np.diff(s, axis=0).T).sum() > 7 for s in strokes)


def test_an_empty_image_has_no_strokes() -> None:
    assert trace(skeletonize(np.zeros((28, 28), np.uint8))[0]) == []


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir, download=False)


@pytest.fixture(scope="module")
def pen_set(mnist):
    return pen_look_set(mnist.test_images[:200], mnist.test_labels[:200], seed=5)


def test_the_pen_look_set_is_reproducible_and_mnist_shaped(mnist, pen_set) -> None:
    again = pen_look_set(mnist.test_images[:20], mnist.test_labels[:20], seed=5)
    other = pen_look_set(mnist.test_images[:20], mnist.test_labels[:20], seed=6)
    assert set(pen_set.images) == set(PEN_WIDTHS)
    for w in PEN_WIDTHS:
        images = pen_set.images[w]
        assert images.shape == (len(pen_set.labels), 28, 28) and images.dtype == np.uint8
        n = len(again.labels)
        assert np.array_equal(again.images[w], images[:n])
        assert not np.array_equal(other.images[w], again.images[w])
        assert (images.reshape(len(images), -1).max(axis=1) == 255).all()
    np.testing.assert_array_equal(pen_set.labels, mnist.test_labels[pen_set.source])
    assert len(pen_set.labels) >= 197  # a digit is skipped only when its skeleton is empty


def test_wider_pens_give_wider_strokes_on_the_same_trajectory(pen_set) -> None:
    widths = {
        w: np.median([stroke_width(im / 255.0) for im in pen_set.images[w][:100]])
        for w in PEN_WIDTHS
    }
    # Preprocessing brings strokes thinner than MNIST's up to its 2 px: the 10 and 18 px
    # pens end up alike, the 28 px pen stays wider.
    assert 1.9 < widths[10] < 2.5 and 1.9 < widths[18] < 2.5
    assert widths[28] > max(widths[10], widths[18]) + 0.3
    # The same trajectory: the images of one digit overlap far more than random pairs.
    a, b = pen_set.images[10][:100] > 128, pen_set.images[28][:100] > 128
    same = (a & b).sum(axis=(1, 2)) / a.sum(axis=(1, 2))
    assert np.median(same) > 0.8


def test_the_shipped_model_reads_the_pen_look_set(pen_set) -> None:
    model = handwrite.load_model(DEFAULT_MODEL)
    for w in PEN_WIDTHS:
        accuracy = (model.predict(pen_set.images[w]) == pen_set.labels).mean()
        assert accuracy >= 0.9, (w, accuracy)


def test_sparser_trajectories_are_polygons_still_read_as_digits(mnist) -> None:
    """At 7-10 points per digit the strokes become polygons: harder, still mostly readable."""
    x, t = mnist.test_images[:150], mnist.test_labels[:150]
    sparse = pen_look_set(x, t, seed=5, spacing=SPARSE_SPACING, pen_widths=(18,))
    dense = pen_look_set(x[:20], t[:20], seed=5, pen_widths=(18,))
    assert not np.array_equal(sparse.images[18][:20], dense.images[18])
    model = handwrite.load_model(DEFAULT_MODEL)
    accuracy = (model.predict(sparse.images[18]) == sparse.labels).mean()
    assert accuracy >= 0.85, accuracy


def test_traced_digits_keep_their_shape(mnist) -> None:
    """Redrawn at 28x28 from the traced strokes, with MNIST's own stroke width, a digit
    covers nearly the same pixels as the original."""
    images = mnist.test_images[:50]
    overlaps = []
    for image in images:
        again = painted(digit_drawing(image), 2.6)
        a, b = image > 100, again > 100
        overlaps.append((a & b).sum() / max((a | b).sum(), 1))
    assert np.median(overlaps) > 0.6


def test_the_augmentation_draws_fitted_centred_pen_digits(mnist) -> None:
    aug = PenLookAugment(mnist.train_images[:200])
    assert len(aug) == 200
    idx = np.arange(0, 200, 2)
    x = aug(idx, np.random.default_rng(1))
    assert x.shape == (100, 1, 28, 28) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(x, aug(idx, np.random.default_rng(1)))
    assert not np.array_equal(x, aug(idx, np.random.default_rng(2)))
    img = x[:, 0]
    mass = img.sum(axis=(1, 2))
    grid = np.arange(28)
    cy = (img.sum(axis=2) @ grid) / mass
    cx = (img.sum(axis=1) @ grid) / mass
    # MNIST's centres of mass are within half a pixel of (14, 14); the length-weighted
    # centroid that places the strokes is close to the painted ink's.
    assert np.abs(cy - 14.0).max() < 1.5 and np.abs(cx - 14.0).max() < 1.5
    assert np.median(np.hypot(cy - 14.0, cx - 14.0)) < 0.5
    ink = img > 0.05
    heights = np.array([np.ptp(np.flatnonzero(m.any(axis=1))) + 1 for m in ink])
    widths = np.array([np.ptp(np.flatnonzero(m.any(axis=0))) + 1 for m in ink])
    assert np.all(np.maximum(heights, widths) >= 18) and np.all(np.maximum(heights, widths) <= 22)
    sw = np.array([stroke_width(m) for m in img])
    assert np.all((sw > 1.4) & (sw < 4.5))
    # A blank digit has no strokes and comes back blank.
    blank = PenLookAugment(np.zeros((1, 28, 28), np.uint8))
    assert blank(np.array([0]), np.random.default_rng(0)).max() == 0.0


def test_the_shipped_model_reads_augmented_digits(mnist) -> None:
    model = handwrite.load_model(DEFAULT_MODEL)
    aug = PenLookAugment(mnist.test_images[:300])
    x = aug(np.arange(300), np.random.default_rng(0))
    accuracy = (model.predict(x) == mnist.test_labels[:300]).mean()
    assert accuracy >= 0.9, accuracy


def test_keep_loops_redraws_the_digits_whose_loops_vanished(mnist) -> None:
    """Sparse points (up to half the digit's size apart) lose many a loop of a 6, an 8, a 0
    or a 9; with ``keep_loops`` those digits are drawn again with the thinnest pen and the
    densest points, and most keep their loops. The digits that kept their loops the first
    time come out the same either way."""
    keep = np.isin(mnist.train_labels[:600], (0, 6, 8, 9))
    images = mnist.train_images[:600][keep]
    plain = PenLookAugment(images, spacing=(0.03, 0.5))
    kept = PenLookAugment(images, spacing=(0.03, 0.5), keep_loops=True)
    assert "keep_loops=True" in repr(kept)
    idx = np.arange(len(images))
    x_plain = plain(idx, np.random.default_rng(4))[:, 0]
    x_kept = kept(idx, np.random.default_rng(4))[:, 0]
    skeleton_euler = euler_number(skeletonize(images))
    lost_plain = euler_number(x_plain > 0.5) > skeleton_euler
    lost_kept = euler_number(x_kept > 0.5) > skeleton_euler
    assert lost_plain.mean() > 0.1, lost_plain.mean()
    assert lost_kept.mean() < 0.4 * lost_plain.mean(), (lost_kept.mean(), lost_plain.mean())
    np.testing.assert_array_equal(x_kept[~lost_plain], x_plain[~lost_plain])
    assert not np.array_equal(x_kept[lost_plain], x_plain[lost_plain])
