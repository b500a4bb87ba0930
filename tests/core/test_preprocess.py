"""handwrite.preprocess: drawings of any size become MNIST-like 28x28 digits.

Convention checked here: the centre of mass is within half a pixel of (14.0, 14.0) in pixel
indices (the centre of pixel (14, 14)), where MNIST's own digits have theirs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handwrite.mnist import read_idx
from handwrite.preprocess import (
    CENTER,
    STROKE_RANGE,
    EmptyDrawingError,
    PreprocessSteps,
    _fit_box,
    preprocess,
    preprocess_steps,
    stroke_width,
)

Point = tuple[float, float]


def draw(shape: tuple[int, int], strokes: list[list[Point]], width: float) -> np.ndarray:
    """Anti-aliased polylines of ``width`` px, ink 1.0 on 0.0: (H, W) float32.

    ``strokes`` holds polylines of (row, col) points; a pixel's ink is its coverage by a
    round pen, approximated as ``clip(width/2 + 0.5 - distance, 0, 1)``.
    """
    canvas = np.zeros(shape, dtype=np.float32)
    half = width / 2.0
    for line in strokes:
        for (r0, c0), (r1, c1) in zip(line, line[1:], strict=False):
            top = max(int(min(r0, r1) - half - 2), 0)
            bottom = min(int(max(r0, r1) + half + 3), shape[0])
            left = max(int(min(c0, c1) - half - 2), 0)
            right = min(int(max(c0, c1) + half + 3), shape[1])
            rr, cc = np.mgrid[top:bottom, left:right].astype(np.float32)
            dr, dc = r1 - r0, c1 - c0
            t = ((rr - r0) * dr + (cc - c0) * dc) / max(dr * dr + dc * dc, 1e-9)
            t = np.clip(t, 0.0, 1.0)
            dist = np.hypot(rr - (r0 + t * dr), cc - (c0 + t * dc))
            ink = np.clip(half + 0.5 - dist, 0.0, 1.0)
            view = canvas[top:bottom, left:right]
            np.maximum(view, ink, out=view)
    return canvas


def seven(size: int = 400, width: float = 24.0, offset: Point = (0.0, 0.0)) -> np.ndarray:
    """A "7" on a ``size`` x ``size`` canvas, drawn with a ``width`` px pen."""
    s = size / 400.0
    r, c = offset
    points = [(80 * s + r, 120 * s + c), (80 * s + r, 290 * s + c), (330 * s + r, 190 * s + c)]
    return draw((size, size), [points], width)


def eight(size: int = 400, width: float = 24.0) -> np.ndarray:
    """An "8": two stacked loops."""
    s = size / 400.0
    angles = np.linspace(0.0, 2.0 * np.pi, 40)
    top = [(130 * s + 55 * s * np.sin(a), 200 * s + 50 * s * np.cos(a)) for a in angles]
    low = [(260 * s + 75 * s * np.sin(a), 200 * s + 65 * s * np.cos(a)) for a in angles]
    return draw((size, size), [top, low], width)


def center_of_mass(x: np.ndarray) -> tuple[float, float]:
    mass = x.sum()
    rows = np.arange(x.shape[0])
    cols = np.arange(x.shape[1])
    return float(x.sum(axis=1) @ rows / mass), float(x.sum(axis=0) @ cols / mass)


def ink_box(x: np.ndarray) -> tuple[int, int]:
    """Height and width of the bounding box of the non-zero pixels."""
    rows = np.flatnonzero(x.any(axis=1))
    cols = np.flatnonzero(x.any(axis=0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    a = a.ravel() - a.mean()
    b = b.ravel() - b.mean()
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


def assert_mnist_like(y: np.ndarray) -> None:
    assert y.shape == (28, 28)
    assert y.dtype == np.float32
    assert float(y.min()) >= 0.0 and float(y.max()) == pytest.approx(1.0)
    cy, cx = center_of_mass(y)
    assert abs(cy - CENTER[0]) <= 0.5 + 1e-3 and abs(cx - CENTER[1]) <= 0.5 + 1e-3
    assert max(ink_box(y)) == 20


# ---------------------------------------------------------------------------------------
# The basics
# ---------------------------------------------------------------------------------------


def test_output_is_an_mnist_like_digit() -> None:
    for image in (seven(), eight(), seven(size=800, width=40, offset=(100, 150))):
        assert_mnist_like(preprocess(image))


def test_uint8_and_float_inputs_agree() -> None:
    u8 = (seven() * 255).round().astype(np.uint8)
    y = preprocess(u8)
    np.testing.assert_allclose(preprocess(u8 / 255.0), y, atol=1e-5)
    np.testing.assert_allclose(preprocess((u8 / 255.0).astype(np.float32)), y, atol=1e-5)
    np.testing.assert_allclose(preprocess(u8.astype(np.int64)), y, atol=1e-6)
    assert_mnist_like(preprocess(seven() > 0.5))  # bool works too


def test_input_is_not_modified() -> None:
    image = seven()
    copy = image.copy()
    preprocess(image)
    np.testing.assert_array_equal(image, copy)


def test_preprocess_is_the_final_step() -> None:
    image = (seven() * 255).astype(np.uint8)
    steps = preprocess_steps(image)
    assert isinstance(steps, PreprocessSteps)
    np.testing.assert_array_equal(preprocess(image), steps.final)
    top, left, bottom, right = steps.crop_box
    assert (top, left, bottom, right) == (68, 108, 343, 303)  # the 7's ink, pen included
    assert steps.normalized.shape == image.shape and steps.normalized.dtype == np.float32
    assert steps.cropped.shape == (bottom - top, right - left)
    assert float(steps.cropped.max()) == 1.0
    assert max(steps.scaled.shape) == 20
    oy, ox = steps.offset
    h, w = steps.scaled.shape
    np.testing.assert_array_equal(steps.final[oy : oy + h, ox : ox + w], steps.scaled)
    cy, cx = steps.center_of_mass
    assert abs(oy + cy - CENTER[0]) <= 0.5 and abs(ox + cx - CENTER[1]) <= 0.5
    assert steps.ink_fraction == pytest.approx(np.count_nonzero(image > 12) / image.size, 0.05)
    assert 1.0 < steps.stroke_width < 3.0  # 24 px pen, 275 px tall: 24 * 20 / 275 = 1.75
    assert "crop_box=(68, 108, 343, 303)" in repr(steps)


# ---------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((400, 400), np.uint8),
        np.full((400, 400), 0.04, np.float32),  # a faint haze, no ink
        np.pad(np.ones((1, 1), np.float32), 100),  # a single pixel
    ],
    ids=["black", "haze", "speck"],
)
def test_blank_drawings_raise(image: np.ndarray) -> None:
    with pytest.raises(EmptyDrawingError, match="blank"):
        preprocess(image)
    assert issubclass(EmptyDrawingError, ValueError)


@pytest.mark.parametrize(
    ("image", "words"),
    [
        (np.zeros((64, 64, 3), np.uint8), "2-D grey image"),
        (np.zeros(64, np.uint8), "2-D grey image"),
        (np.zeros((5, 64), np.uint8), "at least 8 px"),
        (np.full((64, 64), np.nan, np.float32), "NaN"),
        (np.full((64, 64), np.inf), "infinite"),
        (np.full((64, 64), -0.5), r"\[0, 1\]"),
        (np.full((64, 64), 2.0), "divide a 0..255 image by 255"),
        (np.full((64, 64), -3, np.int16), r"0\.\.255, found -3\.\.-3"),
        (np.full((64, 64), 300, np.int32), r"0\.\.255, found 300\.\.300"),
        (np.full((64, 64), "a"), "dtype <U1"),
        (1.0 - seven(64, 6), "inverted"),
    ],
    ids=["rgb", "1-d", "tiny", "nan", "inf", "negative", "0-255-floats", "negative-int",
         "over-255", "strings", "inverted"],
)  # fmt: skip
def test_bad_inputs_raise_clear_errors(image: np.ndarray, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        preprocess(image)


# ---------------------------------------------------------------------------------------
# What a canvas needs
# ---------------------------------------------------------------------------------------


def test_faint_ink_is_brought_to_full_strength() -> None:
    strong = seven()
    faint = 0.2 * strong
    assert float(faint.max()) == pytest.approx(0.2)
    y = preprocess(faint)
    assert float(y.max()) == 1.0
    np.testing.assert_allclose(y, preprocess(strong), atol=1e-5)


def test_a_thin_one_stays_narrow_and_centred() -> None:
    image = draw((400, 400), [[(60.0, 200.0), (340.0, 204.0)]], width=3.0)
    steps = preprocess_steps(image)
    y = steps.final
    height, width = ink_box(y)
    assert height == 20
    assert width <= 4  # not stretched: MNIST keeps a "1" narrow
    cy, cx = center_of_mass(y)
    assert abs(cy - 14.0) <= 0.5 and abs(cx - 14.0) <= 0.5
    assert steps.stroke_width < STROKE_RANGE[0]  # 3 px over 280 px: far too thin ...
    assert STROKE_RANGE[0] - 0.2 <= stroke_width(y) <= 3.0  # ... so it was thickened
    assert float(y.max()) == 1.0


def test_pen_width_does_not_matter_much() -> None:
    """Drawn with a 1 px or a 70 px pen, a digit comes out with MNIST-like strokes."""
    reference = preprocess(seven(width=22))
    for pen in (1, 2, 4, 8, 40, 70):
        steps = preprocess_steps(seven(width=pen))
        assert_mnist_like(steps.final)
        assert STROKE_RANGE[0] - 0.3 <= stroke_width(steps.final) <= STROKE_RANGE[1] + 0.3, pen
        assert correlation(steps.final, reference) > 0.7, pen
    for pen in (1, 3, 60):
        assert 1.4 <= stroke_width(preprocess(eight(width=pen))) <= 4.4, pen


def test_position_and_canvas_size_do_not_matter() -> None:
    reference = preprocess(seven(width=32))  # strokes MNIST-wide already: left alone
    for size, offset in [(400, (-50, -90)), (400, (50, 90)), (1000, (0, 0)), (160, (0, 0))]:
        image = seven(size=size, width=32 * size / 400, offset=offset)
        y = preprocess(image)
        assert correlation(y, reference) > 0.97, (size, offset)
        assert np.abs(y - reference).max() < 0.2, (size, offset)


def test_any_size_from_tiny_to_large() -> None:
    small = np.zeros((8, 8), np.uint8)
    small[1:7, 4] = 255
    small[1, 2:5] = 255
    assert_mnist_like(preprocess(small))
    large = seven(size=3000, width=180)
    assert_mnist_like(preprocess(large[:2000]))
    horizontal = draw((400, 400), [[(200.0, 50.0), (200.0, 350.0)]], width=20.0)
    y = preprocess(horizontal)
    assert ink_box(y)[1] == 20 and ink_box(y)[0] <= 4


@settings(max_examples=40, deadline=None)
@given(
    height=st.integers(40, 900),
    width=st.integers(40, 900),
    points=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2, max_size=6),
    pen=st.floats(1.0, 40.0),
    level=st.floats(0.1, 1.0),
)
def test_invariants_hold_for_random_scribbles(
    height: int, width: int, points: list[Point], pen: float, level: float
) -> None:
    strokes = [[(r * (height - 1), c * (width - 1)) for r, c in points]]
    image = level * draw((height, width), strokes, pen)
    try:
        steps = preprocess_steps(image)
    except EmptyDrawingError:
        return  # e.g. every point the same and a thin pen off the pixel grid
    except ValueError as exc:  # a scribble all over a small canvas's border
        assert "inverted" in str(exc)
        border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
        assert border.mean() > 0.85 * image.max()
        return
    y = steps.final
    assert y.shape == (28, 28) and y.dtype == np.float32
    assert float(y.min()) >= 0.0 and float(y.max()) == pytest.approx(1.0)
    cy, cx = center_of_mass(y)
    h, w = steps.scaled.shape
    oy, ox = steps.offset
    # Centred to within half a pixel unless the 20 px box would leave the field.
    if 0 < oy < 28 - h:
        assert abs(cy - CENTER[0]) <= 0.5 + 1e-3
    if 0 < ox < 28 - w:
        assert abs(cx - CENTER[1]) <= 0.5 + 1e-3
    assert max(h, w) == 20
    assert np.isfinite(steps.stroke_width) and steps.stroke_width >= 0


# ---------------------------------------------------------------------------------------
# Real MNIST digits, drawn big on a canvas, come back as themselves
# ---------------------------------------------------------------------------------------


def grey_morphology(x: np.ndarray, steps: int, op: np.ufunc) -> np.ndarray:
    """``steps`` rounds of a 4-neighbour grey dilation (np.maximum) or erosion (np.minimum)."""
    for _ in range(steps):
        y = x.copy()
        op(y[1:], x[:-1], out=y[1:])
        op(y[:-1], x[1:], out=y[:-1])
        op(y[:, 1:], x[:, :-1], out=y[:, 1:])
        op(y[:, :-1], x[:, 1:], out=y[:, :-1])
        x = y
    return x


def box_blur(x: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window: turns np.kron's blocks into smooth ramps."""
    if radius <= 0:
        return x
    n = 2 * radius + 1
    for axis in (0, 1):
        padded = np.pad(x, [(radius + 1, radius) if a == axis else (0, 0) for a in (0, 1)])
        c = np.cumsum(padded, axis=axis)
        x = (np.take(c, range(n, c.shape[axis]), axis) - np.take(c, range(c.shape[axis] - n),
             axis)) / n  # fmt: skip
    return x


@pytest.mark.mnist
def test_enlarged_mnist_digits_come_back(mnist_dir: Path) -> None:
    digits = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz")
    rng = np.random.default_rng(20240601)
    results: dict[str, list[float]] = {"plain": [], "smooth": [], "thinner": [], "thicker": []}
    corners = [(0, 0), (0, -1), (-1, 0), (-1, -1)]
    for n, index in enumerate(rng.choice(len(digits), 60, replace=False)):
        digit = digits[index]
        k = int(rng.integers(5, 13))
        big = np.kron(digit.astype(np.float32) / 255.0, np.ones((k, k), np.float32))
        variants = {
            "plain": big,
            "smooth": np.clip(box_blur(big, k // 2), 0.0, 1.0),
            "thinner": grey_morphology(big, max(1, k // 3), np.minimum),
            "thicker": grey_morphology(big, max(1, k // 2), np.maximum),
        }
        for name, image in variants.items():
            height = int(rng.integers(max(400, image.shape[0]), 801))
            width = int(rng.integers(max(400, image.shape[1]), 801))
            canvas = np.zeros((height, width), np.float32)
            if n < len(corners):  # the first digits go into the corners
                top = 0 if corners[n][0] == 0 else height - image.shape[0]
                left = 0 if corners[n][1] == 0 else width - image.shape[1]
            else:
                top = int(rng.integers(0, height - image.shape[0] + 1))
                left = int(rng.integers(0, width - image.shape[1] + 1))
            canvas[top : top + image.shape[0], left : left + image.shape[1]] = image
            y = preprocess((canvas * 255).round().astype(np.uint8))
            results[name].append(correlation(y, digit / 255.0))
    means = {name: float(np.mean(v)) for name, v in results.items()}
    lows = {name: float(np.percentile(v, 10)) for name, v in results.items()}
    print("correlation with the original, mean:", means, "10th percentile:", lows)
    assert means["plain"] > 0.93 and lows["plain"] > 0.85
    assert means["smooth"] > 0.9
    assert means["thinner"] > 0.88
    assert means["thicker"] > 0.85
    assert min(lows.values()) > 0.7


@pytest.mark.parametrize(("h", "w"), [(400, 400), (260, 140), (60, 400), (37, 23)])
def test_downscaling_is_an_exact_box_filter(h: int, w: int) -> None:
    """Against a float64 reference built pixel by pixel: each output pixel is the mean of
    the input area it covers (fractional pixels weighted), whichever axis goes first."""
    x = np.random.default_rng(h * w).random((h, w), dtype=np.float32)
    y = _fit_box(x, 20)
    scale = 20 / max(h, w)
    ref = np.zeros(y.shape)
    offsets = [(n_out - n * scale) / 2 for n_out, n in zip(y.shape, (h, w), strict=True)]

    def weights(n_in: int, n_out: int, offset: float) -> np.ndarray:
        m = np.zeros((n_out, n_in))
        for o in range(n_out):
            a, b = (o - offset) / scale, (o + 1 - offset) / scale
            for j in range(n_in):
                m[o, j] = max(0.0, min(b, j + 1) - max(a, j)) * scale
        return m

    ref = weights(h, y.shape[0], offsets[0]) @ x.astype(np.float64)
    ref = ref @ weights(w, y.shape[1], offsets[1]).T
    np.testing.assert_allclose(y, np.clip(ref, 0, 1), rtol=1e-5, atol=1e-6)
    assert y.sum() == pytest.approx(x.sum() * scale * scale, rel=1e-5)  # ink mass kept


def test_a_float32_drawing_is_not_modified() -> None:
    canvas = np.zeros((100, 100), np.float32)
    canvas[20:80, 45:55] = 1.0
    before = canvas.copy()
    steps = preprocess_steps(canvas)
    np.testing.assert_array_equal(canvas, before)
    assert steps.final.max() == pytest.approx(1.0)


@pytest.mark.parametrize("paper", [0.05, 0.1, 0.3])
def test_a_faint_even_background_is_paper_not_ink(paper: float) -> None:
    """A scan of grey paper, inverted, lifts every pixel: the digit is still cropped to its
    ink, and comes out as it would from black paper."""
    clean = np.zeros((200, 200), np.float32)
    clean[40:56, 50:150] = 0.8  # a 7: the bar...
    for y in range(56, 170):  # ...and the stroke down
        x = int(150 - (y - 56) * 0.55)
        clean[y, x - 8 : x + 8] = 0.8
    grey = np.maximum(clean, np.float32(paper))
    steps = preprocess_steps(grey)
    assert steps.crop_box == preprocess_steps(clean).crop_box
    np.testing.assert_allclose(steps.final, preprocess(clean), atol=1e-5)
    assert grey.min() == np.float32(paper)  # the caller's image is not written to
