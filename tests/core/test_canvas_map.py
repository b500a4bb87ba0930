"""The map from the 28x28 input back to the canvas (handwrite.canvas_map): a mark drawn at a
known place on the canvas is found where the map says, whatever the pen and the canvas."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from handwrite.arithmetic import receptive_field
from handwrite.canvas_map import CanvasMap, canvas_map
from handwrite.nn import presets
from handwrite.preprocess import DIGIT_BOX, STROKE_RANGE, preprocess_steps


def stroke(img: np.ndarray, y0: float, x0: float, y1: float, x1: float, width: float) -> None:
    """Draw a straight stroke of ``width`` px into ``img`` (continuous coordinates)."""
    yy, xx = np.mgrid[0 : img.shape[0], 0 : img.shape[1]] + 0.5
    d = np.array([y1 - y0, x1 - x0], np.float64)
    t = np.clip(((yy - y0) * d[0] + (xx - x0) * d[1]) / float(d @ d), 0, 1)
    dist = np.hypot(yy - (y0 + t * d[0]), xx - (x0 + t * d[1]))
    img[dist <= width / 2] = 1.0


def dot(img: np.ndarray, cy: float, cx: float, radius: float) -> None:
    yy, xx = np.mgrid[0 : img.shape[0], 0 : img.shape[1]] + 0.5
    img[np.hypot(yy - cy, xx - cx) <= radius] = 1.0


def drawing(size: tuple[int, int], pen: float, top: float, left: float, span: float):
    """A "7"-like digit of height ``span`` with a separate round dot at its lower right, drawn
    with ``pen``; returns (canvas, the dot's centre on the canvas)."""
    canvas = np.zeros(size, np.float32)
    stroke(canvas, top, left, top, left + 0.6 * span, pen)
    stroke(canvas, top, left + 0.6 * span, top + span, left + 0.1 * span, pen)
    centre = (top + 0.85 * span, left + 0.75 * span)
    dot(canvas, *centre, max(pen / 2, 0.04 * span))
    return canvas, centre


def found_dot(final: np.ndarray, near: tuple[float, float]) -> tuple[float, float]:
    """The centre of mass of the ink within 2.5 px of ``near`` in the 28x28 image."""
    yy, xx = np.mgrid[0:28, 0:28] + 0.5
    ink = final * (np.hypot(yy - near[0], xx - near[1]) < 2.5)
    return float((ink * yy).sum() / ink.sum()), float((ink * xx).sum() / ink.sum())


@pytest.mark.parametrize(
    ("size", "pen", "top", "left", "span", "exact", "within"),
    [
        ((400, 400), 40, 60, 80, 280, True, 0.05),  # strokes left as drawn
        ((300, 640), 30, 20, 400, 250, True, 0.05),  # a wide canvas, digit in a corner
        ((500, 500), 4, 50, 50, 380, False, 0.06),  # a thin pen, thickened
        ((120, 90), 1.5, 10, 10, 95, False, 0.06),  # small and thin
        ((700, 700), 200, 80, 120, 500, False, 0.25),  # a very thick pen, thinned
    ],
)
def test_a_mark_on_the_canvas_is_found_where_the_map_says(
    size, pen, top, left, span, exact, within
) -> None:
    canvas, centre = drawing(size, pen, top, left, span)
    steps = preprocess_steps(canvas)
    adjusted = steps.adjusted_stroke_width != steps.stroke_width
    assert adjusted == (not exact)  # the case the parameters mean to test
    if adjusted:
        assert not STROKE_RANGE[0] < steps.stroke_width < STROKE_RANGE[1]
    m = canvas_map(steps)
    assert m.exact == exact
    predicted = m.to_input(*centre)
    seen = found_dot(steps.final, predicted)
    assert np.hypot(predicted[0] - seen[0], predicted[1] - seen[1]) < within, (predicted, seen)


def test_the_crop_box_fills_the_digit_box_when_strokes_are_kept() -> None:
    canvas, _ = drawing((400, 600), 40, 100, 250, 250)
    steps = preprocess_steps(canvas)
    m = canvas_map(steps)
    assert m.exact
    top, left, bottom, right = steps.crop_box
    t, le = m.to_input(top, left)
    b, r = m.to_input(bottom, right)
    # the longer side of the ink fills the 20 px box; the crop lands inside the 28x28 field
    assert max(b - t, r - le) == pytest.approx(DIGIT_BOX)
    rows = np.flatnonzero(steps.final.any(axis=1))
    cols = np.flatnonzero(steps.final.any(axis=0))
    assert (np.floor(t + 1e-9), np.ceil(b - 1e-9)) == (rows[0], rows[-1] + 1)
    assert (np.floor(le + 1e-9), np.ceil(r - 1e-9)) == (cols[0], cols[-1] + 1)
    assert m.scale == pytest.approx((bottom - top) / (b - t))


def test_receptive_fields_map_onto_the_canvas() -> None:
    canvas, _ = drawing((400, 400), 40, 60, 80, 280)
    m = canvas_map(preprocess_steps(canvas))
    field = receptive_field(presets.build("cnn"), (3, 0, 2, 3)).clipped()
    t, le, b, r = m.rect_to_canvas(field.top, field.left, field.bottom, field.right)
    assert (b - t, r - le) == pytest.approx((14 * m.scale, 14 * m.scale))
    assert m.to_input(t, le) == pytest.approx((field.top, field.left))
    # the 28x28 field's centre is near the digit's centre of mass on the canvas
    ys, xs = np.nonzero(canvas)
    centre = m.to_canvas(14.0, 14.0)
    assert abs(centre[0] - (ys.mean() + 0.5)) < 1.5 * m.scale
    assert abs(centre[1] - (xs.mean() + 0.5)) < 1.5 * m.scale


def test_map_arithmetic() -> None:
    m = CanvasMap(scale=12.5, origin=(-30.0, 7.5))
    assert m.to_canvas(2.0, 4.0) == (-5.0, 57.5)
    assert m.to_input(*m.to_canvas(3.25, 19.0)) == pytest.approx((3.25, 19.0))
    (a, b, c), (d, e, f) = m.matrix()
    col, row = 4.0, 2.0
    assert (a * col + b * row + c, d * col + e * row + f) == (57.5, -5.0)


def test_a_preprocessing_that_scales_otherwise_is_refused() -> None:
    canvas, _ = drawing((400, 400), 40, 60, 80, 280)
    steps = preprocess_steps(canvas)
    wrong = dataclasses.replace(steps, scaled=np.zeros((21, 9), np.float32))
    with pytest.raises(ValueError, match="update canvas_map"):
        canvas_map(wrong)
