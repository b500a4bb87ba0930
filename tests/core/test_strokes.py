"""handwrite.strokes: drawings painted with a round pen as the canvas paints them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from handwrite.strokes import (
    canvas_path,
    hand_warp,
    paint,
    paint_batch,
    paint_segments,
    place,
    resample,
    to_mnist,
)


def reference_paint(drawing: list[np.ndarray], width: float, shape: tuple[int, int]) -> np.ndarray:
    """Every pixel against every segment: ``clip(r + 1/2 - distance, 0, 1)``, maximum."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w] + 0.5
    out = np.zeros(shape)
    for stroke in drawing:
        pts = stroke if len(stroke) > 1 else np.concatenate([stroke, stroke])
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            d = b - a
            t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / max(d @ d, 1e-12), 0, 1)
            dist = np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1])
            out = np.maximum(out, np.clip(width / 2 + 0.5 - dist, 0, 1))
    return out


@pytest.mark.parametrize("width", [1.0, 2.5, 9.0, 30.0])
def test_painting_matches_the_pixel_by_pixel_definition(width: float) -> None:
    rng = np.random.default_rng(int(width))
    drawing = [
        rng.uniform(-20, 100, (12, 2)).astype(np.float32),  # long segments, some off the image
        np.cumsum(rng.normal(0, 0.3, (80, 2)), axis=0).astype(np.float32) + 40,  # short ones
        np.array([[30.2, 60.7]], np.float32),  # a dot
    ]
    painted = paint_batch([drawing], width, (80, 90))[0]
    np.testing.assert_allclose(painted, reference_paint(drawing, width, (80, 90)), atol=2e-5)


def test_a_dot_is_a_disc_and_a_segment_a_capsule() -> None:
    dot = paint([np.array([[50.0, 50.0]])], 20.0, 100, quantize=False)
    assert dot.sum() == pytest.approx(math.pi * 10.0**2, rel=0.02)
    line = paint([np.array([[20.0, 50.0], [80.0, 50.0]])], 10.0, 100, quantize=False)
    assert line.sum() == pytest.approx(60 * 10 + math.pi * 5.0**2, rel=0.02)
    assert line[50, 50] == 1.0 and line[50, 10] == 0.0 and line[40, 50] == 0.0


def test_each_image_of_a_batch_gets_its_own_drawing_and_pen() -> None:
    drawings = [[np.array([[5.0, 14.0], [23.0, 14.0]])], [], [np.array([[14.0, 5.0]])]]
    out = paint_batch(drawings, np.array([2.0, 3.0, 4.0]), (28, 28))
    assert out.shape == (3, 28, 28) and out.dtype == np.float32
    assert out[1].max() == 0.0
    assert out[0].sum() == pytest.approx(18 * 2 + math.pi, rel=0.05)
    assert out[2].sum() == pytest.approx(math.pi * 4, rel=0.1)
    with pytest.raises(ValueError, match="positive"):
        paint_segments(np.zeros((1, 2)), np.ones((1, 2)), np.zeros(1, int), 0.0, 1, (8, 8))


def test_the_canvas_holds_ink_in_255_steps() -> None:
    canvas = paint([np.array([[10.3, 20.1], [200.7, 150.2]])], 18.0)
    assert canvas.shape == (280, 280) and canvas.dtype == np.float32
    np.testing.assert_allclose(canvas * 255, np.round(canvas * 255), atol=1e-4)


def test_canvas_path_runs_through_the_midpoints_from_end_to_end() -> None:
    pts = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    curve = canvas_path(pts)
    np.testing.assert_allclose(curve[0], pts[0])
    np.testing.assert_allclose(curve[-1], pts[-1])
    for mid in (pts[:-1] + pts[1:]) / 2:
        assert np.hypot(*(curve - mid).T).min() < 1e-5
    # It cuts the corners: each quadratic piece passes halfway at (start + 2 corner + end) / 4,
    # and comes no nearer to the corner itself.
    halfway = (np.array([5.0, 0.0]) + 2 * pts[1] + np.array([10.0, 5.0])) / 4
    assert np.hypot(*(curve - halfway).T).min() < 1e-5
    assert np.hypot(*(curve - pts[1]).T).min() == pytest.approx(np.hypot(*(halfway - pts[1])))
    # Two points: a straight line, left as it is.
    np.testing.assert_allclose(canvas_path(pts[:2]), pts[:2])


def test_resample_keeps_the_ends_and_spaces_points_along_the_line() -> None:
    line = np.array([[0.0, 0.0], [30.0, 0.0], [30.0, 40.0]])
    sparse = resample(line, 7.0, phase=0.5)
    np.testing.assert_allclose(sparse[0], line[0])
    np.testing.assert_allclose(sparse[-1], line[-1])
    steps = np.hypot(*np.diff(sparse, axis=0).T)
    # Along the polyline the points are 7 apart (the corner makes one chord shorter).
    assert np.all(steps <= 7.0 + 1e-4)
    assert 9 <= len(sparse) <= 12
    on_line = (np.abs(sparse[:, 1]) < 1e-4) | (np.abs(sparse[:, 0] - 30.0) < 1e-4)
    assert on_line.all()


def test_hand_warp_and_place_are_reproducible_and_stay_on_the_canvas() -> None:
    glyph = [np.array([[0.0, 0.0], [10.0, 20.0], [20.0, 0.0]]), np.array([[5.0, 8.0], [15.0, 8.0]])]
    a = hand_warp(glyph, np.random.default_rng(3))
    b = hand_warp(glyph, np.random.default_rng(3))
    c = hand_warp(glyph, np.random.default_rng(4))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(x.shape == y.shape and np.allclose(x, y) for x, y in zip(a, c, strict=True))
    for seed in range(20):
        placed = place(a, np.random.default_rng(seed), size=280, extent=(0.4, 0.8), pen_width=20)
        pts = np.concatenate(placed)
        span = (pts.max(axis=0) - pts.min(axis=0)).max()
        assert 0.4 * 280 - 1e-3 <= span <= 0.8 * 280 + 1e-3
        assert pts.min() >= 10 and pts.max() <= 270


def test_to_mnist_gives_an_mnist_like_uint8_digit() -> None:
    canvas = paint([np.array([[100.0, 50.0], [180.0, 50.0], [120.0, 230.0]])], 18.0)
    image = to_mnist(canvas)
    assert image.shape == (28, 28) and image.dtype == np.uint8
    assert image.max() == 255
    rows = np.flatnonzero(image.any(axis=1))
    assert rows[-1] - rows[0] + 1 == 20
