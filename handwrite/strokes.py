"""Drawings as strokes of points, painted the way the app's canvas paints them, in NumPy.

A *stroke* is a (K, 2) float array of (x, y) points, x to the right and y down, in pixels
of the image it is painted on; pixel (row r, column c) covers [c, c+1) x [r, r+1), so its
centre is at (c + 0.5, r + 0.5), as in Qt. A *drawing* is a list of strokes.

The canvas (:mod:`handwrite.gui.canvas`) paints every stroke with a round pen (round caps
and joins), anti-aliased, into the 8-bit alpha channel of a square layer; that layer, ink
bright on a dark background, is what :func:`handwrite.preprocess` receives. :func:`paint`
does the same without Qt: a pixel's ink is its coverage by the pen, approximated by
``clip(r + 1/2 - d, 0, 1)`` for a pen of radius ``r`` whose centre line passes at distance
``d`` from the pixel's centre (exact for a straight edge crossing the pixel parallel to one
of its sides), and overlapping pieces combine by their maximum. Qt composites overlapping
anti-aliased pieces "over" each other instead, which only brightens the fringe where pieces
cross.

The canvas joins a stroke's points by quadratic Bézier pieces between the midpoints of
successive segments (:func:`canvas_path`); a tablet's or a data set's trajectory drawn by
straight segments is the stroke itself.

Everything is vectorised over segments: each segment, split into pieces no longer than a few
pen widths, is evaluated on a small window of pixels around it, and the windows are
scattered into the images with ``numpy.maximum.at``. The same code paints one 280x280
canvas or a batch of 28x28 images (the pen-look augmentation of :mod:`handwrite.penlook`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from handwrite.preprocess import preprocess

__all__ = [
    "CANVAS_SIZE",
    "Drawing",
    "bounds",
    "canvas_path",
    "hand_warp",
    "paint",
    "paint_batch",
    "paint_segments",
    "place",
    "resample",
    "to_mnist",
]

#: Side of the square canvas the pen-look test set and the negatives are drawn on, in pixels.
CANVAS_SIZE = 280

Drawing = list[np.ndarray]


def _segments(drawing: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(S, 2) start and end points of every segment of ``drawing``; a one-point stroke is a
    dot (a segment of length 0)."""
    starts, ends = [], []
    for stroke in drawing:
        s = np.asarray(stroke, dtype=np.float32).reshape(-1, 2)
        if len(s) == 0:
            continue
        if len(s) == 1:
            starts.append(s)
            ends.append(s)
        else:
            starts.append(s[:-1])
            ends.append(s[1:])
    if not starts:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    return np.concatenate(starts), np.concatenate(ends)


def _split(
    a: np.ndarray, b: np.ndarray, owner: np.ndarray, max_length: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut segments longer than ``max_length`` into equal pieces no longer than it."""
    length = np.hypot(*(b - a).T)
    pieces = np.maximum(1, np.ceil(length / max_length).astype(np.int64))
    if int(pieces.max(initial=1)) == 1:
        return a, b, owner
    seg = np.repeat(np.arange(len(a)), pieces)
    first = np.repeat(np.cumsum(pieces) - pieces, pieces)
    k = (np.arange(len(seg)) - first).astype(np.float32)
    n = pieces[seg].astype(np.float32)
    d = b[seg] - a[seg]
    return a[seg] + d * (k / n)[:, None], a[seg] + d * ((k + 1) / n)[:, None], owner[seg]


def paint_batch(
    drawings: Sequence[Sequence[np.ndarray]],
    pen_width: float | np.ndarray,
    shape: tuple[int, int],
    *,
    quantize: bool = False,
) -> np.ndarray:
    """Paint each drawing with a round pen into its own image.

    Args:
        drawings: N drawings (lists of (K, 2) float point arrays in pixel units of ``shape``).
        pen_width: the pen's diameter in pixels, one for all or an (N,) array.
        shape: (H, W) of each image.
        quantize: round the ink to 1/255 steps, as the canvas's 8-bit layer holds it.

    Returns:
        (N, H, W) float32 in [0, 1], ink bright on a dark background.
    """
    n = len(drawings)
    parts = [_segments(d) for d in drawings]
    if n:
        a = np.concatenate([p[0] for p in parts])
        b = np.concatenate([p[1] for p in parts])
    else:
        a = b = np.zeros((0, 2), np.float32)
    owner = np.repeat(np.arange(n), [len(p[0]) for p in parts])
    out = paint_segments(a, b, owner, pen_width, n, shape)
    if quantize:
        out = np.round(out * np.float32(255.0)) * np.float32(1.0 / 255.0)
    return out


def paint_segments(
    a: np.ndarray,
    b: np.ndarray,
    owner: np.ndarray,
    pen_width: float | np.ndarray,
    n: int,
    shape: tuple[int, int],
) -> np.ndarray:
    """Paint straight segments with a round pen: the core of :func:`paint_batch`.

    Args:
        a, b: (S, 2) float32 start and end points (x, y) in pixels; a == b paints a dot.
        owner: (S,) int, the image (0..n-1) each segment belongs to.
        pen_width: the pen's diameter in pixels, one for all or an (n,) array.
        n, shape: the number of images and their (H, W).

    Returns:
        (n, H, W) float32 in [0, 1].
    """
    h, w = shape
    widths = np.broadcast_to(np.asarray(pen_width, np.float32), (n,))
    if n and (not np.all(np.isfinite(widths)) or np.any(widths <= 0)):
        raise ValueError(f"pen widths must be positive, got {widths}")
    a = np.asarray(a, np.float32).reshape(-1, 2)
    b = np.asarray(b, np.float32).reshape(-1, 2)
    owner = np.asarray(owner, np.int64).reshape(-1)
    if n == 0 or len(a) == 0:
        return np.zeros((n, h, w), np.float32)
    radius_max = float(widths.max()) / 2.0
    # Windows of side L + 2r + 2 around pieces of length L cost about (L + 2r + 2)^2 / L
    # pixel evaluations per unit of length: least for L = 2r + 2. Longer segments are cut
    # to that; shorter ones (a dense trajectory) go in smaller windows, by length class.
    max_length = 2.0 * radius_max + 2.0
    a, b, owner = _split(a, b, owner, max_length)
    margin = math.ceil(max_length + 2.0 * radius_max + 2.0) + 1
    hp, wp = h + 2 * margin, w + 2 * margin
    out = np.zeros(n * hp * wp, np.float32)
    length = np.hypot(*(b - a).T)
    lower = -1.0
    for limit in (max_length / 4, max_length / 2, max_length + 1e-3):
        pick = (length > lower) & (length <= limit) if lower >= 0 else length <= limit
        lower = limit
        if pick.any():
            side = math.ceil(limit + 2.0 * radius_max + 2.0) + 1
            _paint_windows(a[pick], b[pick], owner[pick], widths, side, margin, out, (hp, wp))
    return out.reshape(n, hp, wp)[:, margin : margin + h, margin : margin + w].copy()


def _paint_windows(
    a: np.ndarray,
    b: np.ndarray,
    owner: np.ndarray,
    widths: np.ndarray,
    side: int,
    margin: int,
    out: np.ndarray,
    padded: tuple[int, int],
) -> None:
    """Paint segments, each on a ``side`` x ``side`` window of pixels from just above and
    left of it, into ``out``: the flat (n, H + 2 margin, W + 2 margin) images, by maximum."""
    hp, wp = padded
    r = widths[owner] / 2.0
    lo = np.floor(np.minimum(a, b) - r[:, None] - 1.0).astype(np.int64)  # (S, 2): x0, y0
    # Pieces wholly off the image are dropped; the margin holds the others' windows.
    inside = (
        (lo[:, 0] > -margin)
        & (lo[:, 0] < wp - 2 * margin)
        & (lo[:, 1] > -margin)
        & (lo[:, 1] < hp - 2 * margin)
    )
    if not inside.all():
        a, b, owner, r, lo = a[inside], b[inside], owner[inside], r[inside], lo[inside]
    grid = np.arange(side, dtype=np.float32) + np.float32(0.5)
    d = b - a
    dd = np.maximum((d * d).sum(axis=1), np.float32(1e-12))
    # Pixel centres relative to each segment's start, and their projection on the segment.
    px = (lo[:, 0, None].astype(np.float32) - a[:, 0, None] + grid)[:, None, :]  # (S, 1, side)
    py = (lo[:, 1, None].astype(np.float32) - a[:, 1, None] + grid)[:, :, None]  # (S, side, 1)
    dx, dy = d[:, 0, None, None], d[:, 1, None, None]
    t = px * (dx / dd[:, None, None]) + py * (dy / dd[:, None, None])
    np.clip(t, 0.0, 1.0, out=t)
    ex = px - t * dx
    ey = py - t * dy
    ex *= ex
    ey *= ey
    ex += ey
    ink = np.sqrt(ex, out=ex)
    np.subtract((r + np.float32(0.5))[:, None, None], ink, out=ink)
    np.clip(ink, 0.0, 1.0, out=ink)
    base = owner * (hp * wp) + (lo[:, 1] + margin) * wp + (lo[:, 0] + margin)
    offsets = np.arange(side)[:, None] * wp + np.arange(side)[None, :]
    np.maximum.at(out, (base[:, None, None] + offsets).reshape(-1), ink.reshape(-1))


def paint(
    drawing: Sequence[np.ndarray],
    pen_width: float,
    size: int = CANVAS_SIZE,
    *,
    quantize: bool = True,
) -> np.ndarray:
    """Paint one drawing on a ``size`` x ``size`` canvas: (size, size) float32 in [0, 1],
    ink bright, rounded to the canvas's 1/255 steps (see :func:`paint_batch`)."""
    return paint_batch([drawing], pen_width, (size, size), quantize=quantize)[0]


def canvas_path(points: np.ndarray, steps: int = 8) -> np.ndarray:
    """The curve the canvas paints through a stroke's points, as a polyline.

    The canvas draws a straight piece from the first point to the midpoint of the first
    segment, then one quadratic Bézier piece from each segment's midpoint to the next's,
    with the shared point as control point, and a straight piece from the last midpoint to
    the last point. Each Bézier piece becomes ``steps`` straight segments.

    Args:
        points: (K, 2) float (x, y).

    Returns:
        (M, 2) float32 points of the flattened curve (the points themselves for K < 3).
    """
    p = np.asarray(points, np.float32).reshape(-1, 2)
    if len(p) < 3:
        return p.copy()
    mids = (p[:-1] + p[1:]) / 2.0  # (K-1, 2)
    start, ctrl, end = mids[:-1], p[1:-1], mids[1:]  # the K-2 Bézier pieces
    t = (np.arange(1, steps + 1, dtype=np.float32) / steps)[None, :, None]
    curve = (1 - t) ** 2 * start[:, None] + 2 * (1 - t) * t * ctrl[:, None] + t**2 * end[:, None]
    return np.concatenate([p[:1], mids[:1], curve.reshape(-1, 2), p[-1:]])


def resample(stroke: np.ndarray, spacing: float, phase: float = 0.0) -> np.ndarray:
    """Points every ``spacing`` along a polyline, keeping both ends: a sparse trajectory.

    Args:
        stroke: (K, 2) float points.
        spacing: distance between successive points along the line, > 0.
        phase: where the first inner point falls, as a fraction of ``spacing`` in [0, 1).

    Returns:
        (M, 2) float32 points, the first and last being the stroke's own.
    """
    s = np.asarray(stroke, np.float32).reshape(-1, 2)
    if len(s) < 2:
        return s.copy()
    if spacing <= 0:
        raise ValueError(f"spacing must be positive, got {spacing}")
    seg = np.hypot(*np.diff(s, axis=0).T)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(arc[-1])
    if total <= 0:
        return s[:1].copy()
    inner = np.arange(phase * spacing, total, spacing, dtype=np.float64)
    inner = inner[(inner > 0.25 * spacing) & (inner < total - 0.25 * spacing)]
    at = np.concatenate([[0.0], inner, [total]])
    x = np.interp(at, arc, s[:, 0])
    y = np.interp(at, arc, s[:, 1])
    return np.stack([x, y], axis=1).astype(np.float32)


def bounds(drawing: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The (2,) lowest and highest (x, y) of all points of ``drawing``."""
    pts = np.concatenate([np.asarray(s, np.float32).reshape(-1, 2) for s in drawing])
    return pts.min(axis=0), pts.max(axis=0)


def hand_warp(
    drawing: Sequence[np.ndarray],
    rng: np.random.Generator,
    *,
    rotate_degrees: float = 10.0,
    shear: float = 0.25,
    aspect: float = 0.2,
    wobble: float = 0.025,
) -> Drawing:
    """A drawing as a hand might draw it: a random rotation, shear and stretch, and a smooth
    wobble of the lines.

    The wobble displaces every point by the sum of three random plane waves (wavelengths of
    0.5 to 1.5 times the drawing's size), ``wobble`` times the drawing's size at most, after
    the strokes are divided into points 1/50 of the size apart so that straight lines bend.

    Args:
        drawing: strokes of (K, 2) points in any unit.
        rotate_degrees, shear, aspect: ranges of the affine part (drawn uniformly in
            [-range, range]; the stretch is exp of that along x).

    Returns:
        The warped strokes, (K', 2) float32 each, in the same unit and about the same place.
    """
    lo, hi = bounds(drawing)
    size = float(max(hi[0] - lo[0], hi[1] - lo[1], 1e-6))
    centre = (lo + hi) / 2.0
    theta = math.radians(rng.uniform(-rotate_degrees, rotate_degrees))
    sh = rng.uniform(-shear, shear)
    st = math.exp(rng.uniform(-aspect, aspect))
    c, s = math.cos(theta), math.sin(theta)
    m = np.array([[c, -s], [s, c]]) @ np.array([[st, sh], [0.0, 1.0 / st]])
    k = rng.normal(size=(3, 2))
    k /= np.linalg.norm(k, axis=1, keepdims=True)
    k *= (2 * math.pi / (size * rng.uniform(0.5, 1.5, 3)))[:, None]
    phase = rng.uniform(0, 2 * math.pi, 3)
    amp = rng.uniform(-1, 1, (3, 2)) * (wobble * size / 3.0)
    out: Drawing = []
    for stroke in drawing:
        p = resample(np.asarray(stroke, np.float32), size / 50.0).astype(np.float64) - centre
        wave = np.sin(p @ k.T + phase)  # (K, 3)
        p = p + wave @ amp
        out.append((p @ m.T + centre).astype(np.float32))
    return out


def place(
    drawing: Sequence[np.ndarray],
    rng: np.random.Generator,
    *,
    size: int = CANVAS_SIZE,
    extent: tuple[float, float] = (0.45, 0.8),
    pen_width: float = 0.0,
) -> Drawing:
    """Scale and move a drawing onto a ``size`` canvas, as a person fills it.

    The longer side of the drawing's points becomes ``extent`` (drawn uniformly in the
    range) times the canvas side, and the drawing goes to a random place where it and the
    pen (``pen_width``) stay on the canvas. Returns (K, 2) float32 strokes in canvas pixels.
    """
    lo, hi = bounds(drawing)
    span = hi - lo
    longest = float(max(span.max(), 1e-6))
    scale = rng.uniform(*extent) * size / longest
    margin = pen_width / 2.0 + 2.0
    room = size - 2 * margin - span * scale
    offset = margin + rng.uniform(0, 1, 2) * np.maximum(room, 0.0) - lo * scale
    offset = np.where(room < 0, (size - span * scale) / 2.0 - lo * scale, offset)
    return [(np.asarray(s, np.float32) * scale + offset).astype(np.float32) for s in drawing]


def to_mnist(canvas: np.ndarray) -> np.ndarray:
    """A canvas image (ink bright) through :func:`handwrite.preprocess`, as 8-bit MNIST:
    (28, 28) uint8 0-255. Raises :class:`handwrite.EmptyDrawingError` for a blank canvas."""
    return np.round(preprocess(canvas) * 255.0).astype(np.uint8)
