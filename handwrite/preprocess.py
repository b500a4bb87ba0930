"""Turn a drawing of any size into an MNIST-like 28x28 image.

MNIST was made this way (LeCun, Cortes & Burges, "The MNIST database of handwritten digits"):
each digit was cropped to its ink, scaled with anti-aliasing so that its longer side fills a
20x20 box (aspect ratio kept), and pasted into a 28x28 field by an integer translation that
brings its centre of mass to the centre of the field. :func:`preprocess` does the same, and
two more things a drawing on a canvas needs before it looks like MNIST:

- **stroke width**: MNIST strokes are about 2-3 px wide at 28x28 (median 2.6 px, 10th-90th
  percentile 1.9-3.7 px on the test set, measured with :func:`stroke_width`). A canvas drawn
  with a very thin or a very thick pen is brought into ``STROKE_RANGE`` by a grey dilation or
  erosion at an intermediate resolution (8 times the 20 px box), before the final downscale.
  A digit's aspect ratio is kept as it is: a "1" stays narrow, as in MNIST.
- **faint ink**: the strongest ink becomes 1.0, as MNIST's stroke cores are near 255.

Coordinates: rows and columns are pixel indices (the centre of pixel ``i`` is at ``i``). The
centre of mass of the result is within half a pixel of (14.0, 14.0), the centre of pixel
(14, 14): that is where MNIST's own digits have it (test-set mean 13.99, 14.01; every digit
within [13.5, 14.5], the trace of MNIST's integer translation).

Everything here is NumPy and cheap enough to run on every stroke: resampling averages over
each output pixel's area (a box filter, as small matrix products of area weights), and the
morphology uses cumulative sums and shifted slices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CENTER",
    "DIGIT_BOX",
    "OUTPUT_SIZE",
    "STROKE_RANGE",
    "EmptyDrawingError",
    "PreprocessSteps",
    "preprocess",
    "preprocess_steps",
    "stroke_width",
]

#: Side of the output image, as in MNIST.
OUTPUT_SIZE = 28
#: Side of the box the longer side of the digit is scaled to, as in MNIST.
DIGIT_BOX = 20
#: Where the centre of mass goes, (row, col) in pixel indices: MNIST's own mean position.
CENTER = (14.0, 14.0)
#: The smallest accepted input side, in pixels.
MIN_INPUT_SIZE = 8
#: An input whose strongest ink is below this (0-1 scale) is blank.
EMPTY_PEAK = 0.05
#: Ink below this fraction of the strongest ink is noise: it is set to 0 and ignored when
#: cropping. MNIST's own anti-aliased fringe goes down to 1/255 of the peak, so keep it low.
NOISE_LEVEL = 0.05
#: Stroke widths (px at 28x28) left alone; a drawing outside is brought to the nearer end.
#: About MNIST's 15th and 94th percentile (:func:`stroke_width` over the test set): the
#: thinnest and boldest MNIST digits are rarer than the typical 2-3 px.
STROKE_RANGE = (2.0, 4.0)
#: Strokes measured thinner than this at 20 px are measured again at full resolution: below
#: about 1.5 px a 20 px image blurs a stroke's core under full ink and overstates its width.
COARSE_WIDTH_MIN = 2.0
#: ... at full resolution, but on at most about this many pixels along the longer side.
FINE_SIDE = 512
#: The intermediate resolution for thickening/thinning, in multiples of the 20 px box.
WORK_FACTOR = 8


class EmptyDrawingError(ValueError):
    """The drawing holds no ink (or only a speck of it): there is no digit to recognise."""


@dataclass(frozen=True, eq=False)
class PreprocessSteps:
    """Every intermediate image of :func:`preprocess_steps`, for a step-by-step view.

    Attributes:
        normalized: (H, W) float32 in [0, 1], the input as floats (uint8 divided by 255).
        crop_box: (top, left, bottom, right) of the ink in input pixel coordinates; bottom and
            right are exclusive, so ``normalized[top:bottom, left:right]`` is the crop.
        cropped: (h, w) float32 in [0, 1], the crop with its strongest ink scaled to 1.0 and
            noise (below ``NOISE_LEVEL``) set to 0.
        stroke_width: estimated stroke width of the drawing in pixels of the 28x28 output,
            before any thickening or thinning.
        adjusted_stroke_width: the stroke width the digit was brought to (equal to
            ``stroke_width`` when it was already in MNIST's range, ``STROKE_RANGE``).
        adjusted: (h', w') float32 in [0, 1], the image that is scaled into the 20 px box:
            ``cropped`` itself, or ``cropped`` thickened/thinned at the intermediate resolution.
        scaled: (h20, w20) float32 in [0, 1], the digit scaled so that its longer side is 20 px.
        center_of_mass: (row, col) of ``scaled``'s centre of mass, in its own pixel indices,
            before it is shifted into place.
        offset: (row, col) in the 28x28 field where ``scaled``'s top-left pixel is pasted.
        final: (28, 28) float32 in [0, 1], the result, strongest ink 1.0.
        ink_fraction: the fraction of input pixels that hold ink (above the noise level).
    """

    normalized: np.ndarray
    crop_box: tuple[int, int, int, int]
    cropped: np.ndarray
    stroke_width: float
    adjusted_stroke_width: float
    adjusted: np.ndarray
    scaled: np.ndarray
    center_of_mass: tuple[float, float]
    offset: tuple[int, int]
    final: np.ndarray
    ink_fraction: float

    def __repr__(self) -> str:
        return (
            f"PreprocessSteps(input={self.normalized.shape}, crop_box={self.crop_box}, "
            f"stroke_width={self.stroke_width:.2f}->{self.adjusted_stroke_width:.2f}, "
            f"scaled={self.scaled.shape}, offset={self.offset}, "
            f"ink_fraction={self.ink_fraction:.4f})"
        )


def preprocess(image: np.ndarray) -> np.ndarray:
    """Turn a drawing into an MNIST-like digit.

    Args:
        image: (H, W) grey image, ink bright on a dark background, either integers in 0..255
            (e.g. uint8) or floats in [0, 1]; each side at least ``MIN_INPUT_SIZE`` px.

    Returns:
        (28, 28) float32 in [0, 1]: the digit's longer side fills 20 px, its centre of mass is
        at ``CENTER``, its strokes are MNIST-wide and its strongest ink is 1.0.

    Raises:
        ValueError: the input is not a 2-D finite image in the accepted range.
        EmptyDrawingError: the drawing holds no ink.
    """
    return preprocess_steps(image).final


def preprocess_steps(image: np.ndarray) -> PreprocessSteps:
    """:func:`preprocess`, keeping every intermediate image (see :class:`PreprocessSteps`).

    Raises the same errors as :func:`preprocess`.
    """
    x, peak = _without_background(*_as_float_image(image))
    if peak < EMPTY_PEAK:
        raise EmptyDrawingError(
            f"the drawing is blank: its strongest ink is {peak:.3f} on a 0-1 scale "
            f"(at least {EMPTY_PEAK} is needed)"
        )
    threshold = NOISE_LEVEL * peak
    ink = x > threshold
    ink_count = int(np.count_nonzero(ink))
    if ink_count < 2:
        raise EmptyDrawingError("the drawing is blank: it holds fewer than 2 pixels of ink")
    # Dark ink on a light background is the usual mistake; its border is (nearly) all ink.
    border = np.concatenate([x[0], x[-1], x[1:-1, 0], x[1:-1, -1]])
    if ink_count > 0.6 * x.size and float(border.mean()) > 0.9 * peak:
        raise ValueError(
            "the image looks inverted: its border is bright, but ink must be bright on a dark "
            "background; invert it first (255 - image, or 1 - image)"
        )
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    left, right = int(cols[0]), int(cols[-1]) + 1
    crop = x[top:bottom, left:right]
    cropped = crop * np.float32(1.0 / peak)
    cropped *= crop > threshold

    scaled = _fit_box(cropped, DIGIT_BOX)
    width = stroke_width(scaled)
    if width < COARSE_WIDTH_MIN:
        # Thin strokes are blurred away at 20 px; measure them again at (up to) full
        # resolution. Above it the 20 px figure is the better one: it matches how MNIST's
        # range was measured, and it is not fooled by jagged (pixelated) outlines.
        fine, factor = _block_mean(cropped, max(1, max(cropped.shape) // FINE_SIDE))
        width = min(width, stroke_width(fine) * factor * DIGIT_BOX / max(cropped.shape))
    target = min(max(width, STROKE_RANGE[0]), STROKE_RANGE[1])
    radius = _stroke_radius(width, target)
    if radius != 0:
        adjusted = _adjust_stroke(cropped, radius, width)
        scaled = _fit_box(adjusted, DIGIT_BOX)
    else:
        adjusted, target = cropped, width
    scaled *= np.float32(1.0 / float(scaled.max()))

    mass = float(scaled.sum())
    cy = float(scaled.sum(axis=1) @ np.arange(scaled.shape[0], dtype=np.float32)) / mass
    cx = float(scaled.sum(axis=0) @ np.arange(scaled.shape[1], dtype=np.float32)) / mass
    h, w = scaled.shape
    # MNIST's integer translation (a centre of mass within half a pixel of CENTER), clipped
    # so that the whole digit stays in the field.
    oy = min(max(math.floor(CENTER[0] - cy + 0.5), 0), OUTPUT_SIZE - h)
    ox = min(max(math.floor(CENTER[1] - cx + 0.5), 0), OUTPUT_SIZE - w)
    final = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), dtype=np.float32)
    final[oy : oy + h, ox : ox + w] = scaled
    return PreprocessSteps(
        normalized=x,
        crop_box=(top, left, bottom, right),
        cropped=cropped,
        stroke_width=width,
        adjusted_stroke_width=target,
        adjusted=adjusted,
        scaled=scaled,
        center_of_mass=(cy, cx),
        offset=(oy, ox),
        final=final,
        ink_fraction=ink_count / x.size,
    )


def stroke_width(image: np.ndarray) -> float:
    """Estimate the stroke width of a line drawing, in its own pixels.

    A stroke of width ``w`` and length ``L`` has ink mass ``A = w L`` and outline length
    ``P = 2 (L + w)``; solving for ``w`` gives ``w = (P/2 - sqrt(P^2/4 - 4A)) / 2``. ``A`` is
    the sum of the pixel values and ``P`` their total variation (the sum of the gradient
    magnitudes), which by the coarea formula is the outline length of an anti-aliased shape
    whatever its blur, as long as the stroke cores reach full ink.

    Args:
        image: (h, w) float array in [0, 1], ink bright, strongest ink about 1.

    Returns:
        The width in pixels (0.0 for an image without ink).
    """
    image = np.asarray(image, dtype=np.float32)
    h, w = image.shape
    x = np.zeros((h + 2, w + 2), np.float32)  # a background border (cheaper than np.pad)
    x[1:-1, 1:-1] = image
    corner = x[:-1, :-1]
    perimeter = float(np.hypot(x[:-1, 1:] - corner, x[1:, :-1] - corner).sum())
    area = float(image.sum())
    if perimeter <= 0.0:
        return 0.0
    half = perimeter / 2.0
    return (half - math.sqrt(max(half * half - 4.0 * area, 0.0))) / 2.0


# ---------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------


def _without_background(x: np.ndarray, peak: float) -> tuple[np.ndarray, float]:
    """Take a faint, even background off: a scan or photo of grey paper (once inverted) lifts
    every pixel, and left there the paper would count as ink, so the whole image would be
    cropped as the digit. The background's level is the median of the image's border (the
    border is mostly paper even where a stroke reaches it). A border at least half as bright
    as the strongest ink is left alone: that is an inverted image, which the caller refuses
    with a message that says so. Returns (image, strongest ink); the input is not written to.
    """
    border = np.concatenate([x[0], x[-1], x[1:-1, 0], x[1:-1, -1]])
    if 2 * np.count_nonzero(border) < border.size:
        # Most of the border is 0, so its median is: a canvas drawing, the usual case (and
        # a tenth of a millisecond saved on the way to the answer).
        return x, peak
    level = float(np.median(border))
    if level <= 0.0 or level >= 0.5 * peak:
        return x, peak
    return np.clip(x - np.float32(level), 0.0, None), peak - level


def _as_float_image(image: np.ndarray) -> tuple[np.ndarray, float]:
    """Validate a drawing; return it as (H, W) float32 in [0, 1] and its strongest ink.

    A float32 image already in range is returned as it is (not copied: nothing here writes
    to it); other images are converted into a new array. One min and one max pass validate
    it: NaN propagates through both, so no separate finiteness pass is needed.
    """
    x = np.asarray(image)
    if x.ndim != 2:
        raise ValueError(
            f"expected a 2-D grey image (H, W), got an array of shape {x.shape}; "
            "convert colour images to grey first"
        )
    if min(x.shape) < MIN_INPUT_SIZE:
        raise ValueError(
            f"the image is {x.shape[0]}x{x.shape[1]} px; each side must be at least "
            f"{MIN_INPUT_SIZE} px"
        )
    if x.dtype == np.bool_:
        x = x.astype(np.float32)
        return x, float(x.max())
    if np.issubdtype(x.dtype, np.integer):
        lo, hi = int(x.min()), int(x.max())
        if lo < 0 or hi > 255:
            raise ValueError(f"integer images must hold values in 0..255, found {lo}..{hi}")
        scale = np.float32(1.0 / 255.0)
        return x.astype(np.float32) * scale, float(np.float32(hi) * scale)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"expected an integer (0..255) or float (0..1) image, got dtype {x.dtype}")
    x = x.astype(np.float32, copy=False)
    lo, hi = float(x.min()), float(x.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("the image holds NaN or infinite values")
    if lo < -1e-6 or hi > 1.0 + 1e-6:
        hint = "; divide a 0..255 image by 255" if hi > 1.0 else ""
        raise ValueError(f"float images must hold values in [0, 1], found {lo:g}..{hi:g}{hint}")
    if lo < 0.0 or hi > 1.0:
        x = np.clip(x, 0.0, 1.0)
    return x, min(max(hi, 0.0), 1.0)


# ---------------------------------------------------------------------------------------
# Resampling
# ---------------------------------------------------------------------------------------


def _area_matrix(n_in: int, n_out: int, scale: float, offset: float) -> np.ndarray:
    """(n_out, n_in) float32 box-filter weights: row ``o`` holds how much of output pixel
    ``o``'s area each input pixel covers, times ``scale`` (so that ink mass is kept).

    ``covered[e, j]``, how much of input pixel ``j`` lies left of output edge ``e``, clipped to
    [0, 1]; the overlap of pixel ``j`` with output pixel ``o`` is the difference between the
    two edges of ``o``."""
    edges = (np.arange(n_out + 1, dtype=np.float32) - np.float32(offset)) * np.float32(1 / scale)
    covered = edges[:, None] - np.arange(n_in, dtype=np.float32)
    np.maximum(covered, 0, out=covered)
    np.minimum(covered, 1, out=covered)
    weights = covered[1:] - covered[:-1]
    weights *= np.float32(scale)
    return weights


def _resample_axis(x: np.ndarray, axis: int, n_out: int, scale: float, offset: float) -> np.ndarray:
    """Resample (h, w) ``x`` along ``axis`` to ``n_out`` pixels; float32.

    Input pixel ``j`` covers [j, j+1) and lands on [j*scale + offset, (j+1)*scale + offset) of
    the output axis; everything outside the input is background (0). Downscaling
    (``scale <= 1``) averages over each output pixel's area (a box filter: exact anti-aliasing,
    ink mass kept), as one small matrix product with the area weights, which is several times
    faster than differencing cumulative sums at the pixel edges. Upscaling interpolates
    linearly between pixel centres, a gather.
    """
    n_in = x.shape[axis]
    if scale <= 1.0:
        weights = _area_matrix(n_in, n_out, scale, offset)
        return weights @ x if axis == 0 else x @ weights.T
    shape = [1, 1]
    shape[axis] = -1
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 2)
    xp = np.pad(x, pad)  # index j + 1 is pixel j; the padding is background
    u = np.clip((np.arange(n_out) + 0.5 - offset) / scale - 0.5, -1.0, n_in)
    k = np.floor(u).astype(np.intp)
    f = (u - k).reshape(shape)
    y = np.take(xp, k + 1, axis=axis) * (1.0 - f) + np.take(xp, k + 2, axis=axis) * f
    return y.astype(np.float32)


def _resample(
    x: np.ndarray, shape: tuple[int, int], scale: float, offset: tuple[float, float]
) -> np.ndarray:
    """Scale (h, w) ``x`` by ``scale`` into a zero ``shape`` image, its (0, 0) corner at
    ``offset`` (row, col output pixels); returns ``shape`` float32 in [0, 1]."""
    h, w = x.shape
    rows_first = shape[0] * h * w + shape[0] * w * shape[1]
    if scale <= 1.0 and h * w * shape[1] + shape[0] * h * shape[1] < rows_first:
        # columns first: fewer multiplications when the image is much wider than tall
        y = _resample_axis(x, 1, shape[1], scale, offset[1])
        y = _resample_axis(y, 0, shape[0], scale, offset[0])
    else:
        y = _resample_axis(x, 0, shape[0], scale, offset[0])
        y = _resample_axis(y, 1, shape[1], scale, offset[1])
    return np.clip(y, 0.0, 1.0, out=y)


def _block_mean(x: np.ndarray, factor: int) -> tuple[np.ndarray, int]:
    """Average (h, w) ``x`` over ``factor`` x ``factor`` blocks (zero-padded at the bottom and
    right): (ceil(h/f), ceil(w/f)) float32, and ``factor``. Block ``k`` covers input pixels
    [k f, (k+1) f), so coordinates just divide by ``factor``."""
    if factor <= 1:
        return x, 1
    h, w = x.shape
    hp, wp = -(-h // factor) * factor, -(-w // factor) * factor
    padded = np.zeros((hp, wp), dtype=np.float32)
    padded[:h, :w] = x
    return padded.reshape(hp // factor, factor, wp // factor, factor).mean(axis=(1, 3)), factor


def _fit_box(x: np.ndarray, box: int) -> np.ndarray:
    """Scale (h, w) ``x`` so that its longer side is ``box`` px, keeping the aspect ratio.

    The shorter side spans ``short * box / long`` px, centred in the smallest whole number of
    pixels that holds it. Returns (h', w') float32 with ``max(h', w') == box``.
    """
    h, w = x.shape
    scale = box / max(h, w)
    sizes = [max(1, math.ceil(n * scale - 1e-6)) for n in (h, w)]
    offsets = [(size - n * scale) / 2.0 for size, n in zip(sizes, (h, w), strict=True)]
    return _resample(x, (sizes[0], sizes[1]), scale, (offsets[0], offsets[1]))


# ---------------------------------------------------------------------------------------
# Stroke width
# ---------------------------------------------------------------------------------------


def _stroke_radius(width: float, target: float) -> int:
    """The dilation radius (negative: erosion) at the work resolution that takes strokes
    ``width`` px wide in the 20 px box to ``target`` px.

    A dilation by ``r`` px widens the strokes by ``2 r`` but also the digit, so the scale into
    the box changes too: with ``L = 20 k`` the long side at the work resolution (``k`` is
    ``WORK_FACTOR``), ``(k width + 2 r) * 20 / (L + 2 r) = target`` gives
    ``r = 10 k (target - width) / (20 - target)``.
    """
    return int(round(10.0 * WORK_FACTOR * (target - width) / (DIGIT_BOX - target)))


def _adjust_stroke(cropped: np.ndarray, radius: int, width: float) -> np.ndarray:
    """Dilate (``radius > 0``) or erode (``radius < 0``) the strokes of (h, w) ``cropped``
    (``width`` px wide in the 20 px box) at ``WORK_FACTOR`` times the 20 px box. Returns the
    result cropped to its ink: (h', w') float32 in [0, 1], longer side about
    ``20 WORK_FACTOR + 2 radius``.
    """
    k = WORK_FACTOR
    h, w = cropped.shape
    scale = DIGIT_BOX * k / max(h, w)
    margin = abs(radius) + 2
    shape = (
        max(1, math.ceil(h * scale - 1e-6)) + 2 * margin,
        max(1, math.ceil(w * scale - 1e-6)) + 2 * margin,
    )
    work = _resample(cropped, shape, scale, (margin, margin))
    if radius > 0:
        # A stroke thinner than a work pixel is faint, and fainter where it straddles two
        # pixels; summing over a window wide enough to hold a full pixel of its ink, clipped
        # at 1, turns it into an even full-ink band before the dilation proper.
        reach = min(radius, max(1, math.ceil((1.0 / max(width * k, 0.05) - 1.0) / 2.0)))
        work = np.clip(_box_sum(work, reach), 0.0, 1.0)
        work = _max_filter(work, radius - reach)
    elif radius < 0:
        eroded = 1.0 - _max_filter(1.0 - work, -radius)
        # Strokes thinner than the erosion would erase are kept as they are: ``work`` minus
        # its opening (a white top-hat) holds just them. Thick parts are thinned, thin parts
        # of the same digit (a bold "2" with a fine tail) survive.
        thin_parts = work - _max_filter(eroded, -radius)
        work = np.maximum(eroded, thin_parts)
    return _crop_ink(work)


def _crop_ink(x: np.ndarray) -> np.ndarray:
    """(h, w) ``x`` cropped to its ink, noise (below ``NOISE_LEVEL`` of the peak) set to 0."""
    x = np.where(x > NOISE_LEVEL * float(x.max()), x, np.float32(0.0)).astype(np.float32)
    if not x.any():  # cannot happen for ink in [0, 1]; kept so that a bug shows clearly
        raise EmptyDrawingError("no ink left after adjusting the stroke width")
    rows = np.flatnonzero(x.any(axis=1))
    cols = np.flatnonzero(x.any(axis=0))
    return x[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _max_filter(x: np.ndarray, radius: int) -> np.ndarray:
    """Grey dilation of (h, w) ``x`` by an octagon of inradius ``radius`` px (a disc's
    digital stand-in: a square pen would make diagonal strokes 41% wider than straight ones).

    The octagon is a square of half-side ``a`` dilated by a diamond, the diamond being two
    diagonal segments of half-length ``c = 0.71 a`` (so its axial extent ``a + 2c`` equals its
    diagonal extent ``sqrt(2) (a + c)``). Zero outside the image. Returns (h, w) float32.
    """
    if radius <= 0:
        return x
    c = int(round(radius * 0.2929))
    a = radius - 2 * c
    y = _line_max(_line_max(x, a, 0), a, 1)
    if c > 0:
        y = _line_max(y, c, 2)
        y = _line_max(y[:, ::-1], c, 2)[:, ::-1]
    return y


def _line_max(x: np.ndarray, radius: int, direction: int) -> np.ndarray:
    """Maximum of (h, w) ``x`` over the ``2 radius + 1`` pixels of a line segment centred on
    each pixel: along rows (``direction`` 0), columns (1) or the main diagonal (2); zero
    outside. Doubling windows (van Herk's idea in its simplest form) make it cost
    ``O(log radius)`` array operations. Returns (h, w) float32."""
    if radius <= 0:
        return x
    h, w = x.shape
    dy, dx = ((1, 0), (0, 1), (1, 1))[direction]
    n = 2 * radius + 1
    y = np.pad(x, ((radius * dy, radius * dy), (radius * dx, radius * dx)))
    span = 1  # y[i, j] is now the maximum over ``span`` pixels starting at (i, j)
    while 2 * span <= n:
        y = np.maximum(
            y[: y.shape[0] - span * dy, : y.shape[1] - span * dx], y[span * dy :, span * dx :]
        )
        span *= 2
    rest = n - span  # the window [0, n) is [0, span) and [n - span, n), overlapping
    return np.maximum(y[:h, :w], y[rest * dy : rest * dy + h, rest * dx : rest * dx + w])


def _box_sum(x: np.ndarray, radius: int) -> np.ndarray:
    """Sum of (h, w) ``x`` over the (2r+1) x (2r+1) window around each pixel (zero outside);
    (h, w) float32. Cumulative sums make it cost the same for any radius."""
    n = 2 * radius + 1
    for axis in (0, 1):
        c = np.cumsum(x, axis=axis, dtype=np.float64)
        front = [(0, 0), (0, 0)]
        back = [(0, 0), (0, 0)]
        front[axis] = (radius + 1, 0)  # the sums before the first pixel: 0
        back[axis] = (0, radius)  # the sums past the last pixel: the total
        c = np.pad(np.pad(c, front), back, mode="edge")
        lo = [slice(None), slice(None)]
        hi = [slice(None), slice(None)]
        lo[axis] = slice(0, c.shape[axis] - n)
        hi[axis] = slice(n, None)
        x = (c[tuple(hi)] - c[tuple(lo)]).astype(np.float32)
    return x
