"""The look of a pen on the canvas: MNIST digits redrawn as pen strokes.

MNIST's digits are scanned pen-on-paper strokes of varying width and soft edges. A digit
drawn on the canvas is a trajectory of sparse points joined by a round pen of one width.
This module turns MNIST digits into such drawings:

1. :func:`skeletonize` thins each digit to a one-pixel-wide skeleton (Zhang & Suen 1984,
   "A fast parallel algorithm for thinning digital patterns", CACM 27(3)), at twice MNIST's
   resolution so that small loops survive;
2. :func:`trace` follows the skeleton into strokes: chains of points from end to end or
   junction to junction (and closed loops), spurs removed, gently smoothed;
3. the strokes are placed on a 280x280 canvas, resampled as sparse points
   (:func:`handwrite.strokes.resample`) and painted with a uniform round pen
   (:func:`handwrite.strokes.paint`), then :func:`handwrite.preprocess` makes them 28x28.

:func:`pen_look_set` builds the pen-look test set from MNIST test digits that way, one image
per pen width for the same trajectory. :class:`PenLookAugment` gives training digits the same
look directly at 28x28 (uniform pens of random width, random sparseness), fast enough for
every training image of every epoch; the strokes are traced once, when it is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from handwrite.preprocess import DIGIT_BOX, EmptyDrawingError
from handwrite.strokes import (
    CANVAS_SIZE,
    Drawing,
    paint,
    paint_segments,
    place,
    resample,
    to_mnist,
)

__all__ = [
    "PEN_WIDTHS",
    "SPARSE_SPACING",
    "TEST_SPACING",
    "PenLookAugment",
    "PenLookSet",
    "digit_drawing",
    "euler_number",
    "pen_look_set",
    "skeletonize",
    "sparse",
    "trace",
]

#: The pen widths of the pen-look test set, in pixels of a 280x280 canvas.
PEN_WIDTHS = (10, 18, 28)
#: A redrawn pixel above this (0-1) is ink, for :class:`PenLookAugment`'s ``keep_loops``.
INK = 0.5
#: Grey levels (0-255) above which an MNIST pixel may count as ink, for thinning: the lowest
#: keeps faint strokes whole, the higher ones open the loops of bold digits (see
#: :func:`skeletonize`).
INK_LEVELS = (96, 144, 192)
#: Skeletons are computed at this multiple of MNIST's resolution.
UPSAMPLE = 2
#: Branches shorter than this (in MNIST pixels) that end in an end point are thinning
#: artefacts (a bump on the outline makes one) and are removed.
SPUR_LENGTH = 2.5


def skeletonize(images: np.ndarray, upsample: int = UPSAMPLE) -> np.ndarray:
    """One-pixel-wide skeletons of grey digits, all images at once.

    Each image is enlarged ``upsample`` times by bilinear interpolation, thresholded, and
    thinned by Zhang & Suen's two sub-iterations, vectorised over the batch. A bold digit's
    small loop is often filled with grey at a low threshold and would thin to a line (a 9
    becoming a 7); so each image takes, of the thresholds in ``INK_LEVELS``, the lowest with
    the least Euler number (components minus holes, :func:`euler_number`): a higher one only
    where it opens more holes than it splits strokes.

    Args:
        images: (N, H, W) uint8 0-255 (or float 0-1), ink bright.

    Returns:
        (N, H * upsample, W * upsample) bool skeletons.
    """
    x = np.asarray(images)
    if x.ndim == 2:
        x = x[None]
    if x.dtype.kind == "f":
        x = x * 255.0
    x = x.astype(np.float32)
    if upsample > 1:
        x = _enlarge(x, upsample)
    levels = [x > level for level in INK_LEVELS]
    best = np.argmin(np.stack([euler_number(ink) for ink in levels]), axis=0)
    ink = levels[0]
    for k in range(1, len(levels)):
        ink[best == k] = levels[k][best == k]
    return _thin(ink)


def euler_number(ink: np.ndarray) -> np.ndarray:
    """The Euler number (8-connected components minus holes) of each (N, H, W) bool image:
    (N,) int64, from counts of 2x2 pixel patterns (Gray 1971, "Local properties of binary
    images in two dimensions", IEEE Trans. Computers): ``(Q1 - Q3 - 2 QD) / 4``, with Q1 and
    Q3 the quads holding one and three ink pixels and QD those holding a diagonal pair."""
    b = np.pad(ink, ((0, 0), (1, 1), (1, 1))).astype(np.int8)
    tl, tr, bl, br = b[:, :-1, :-1], b[:, :-1, 1:], b[:, 1:, :-1], b[:, 1:, 1:]
    count = tl + tr + bl + br
    q1 = (count == 1).sum(axis=(1, 2))
    q3 = (count == 3).sum(axis=(1, 2))
    qd = ((count == 2) & (tl == br)).sum(axis=(1, 2))
    return ((q1 - q3 - 2 * qd) // 4).astype(np.int64)


def _enlarge(x: np.ndarray, k: int) -> np.ndarray:
    """(N, H, W) float32 -> (N, kH, kW) by linear interpolation between pixel centres."""
    n, h, w = x.shape

    def axis_weights(size: int) -> np.ndarray:
        u = np.clip((np.arange(size * k) + 0.5) / k - 0.5, 0, size - 1)
        lo = np.floor(u).astype(int)
        hi = np.minimum(lo + 1, size - 1)
        f = (u - lo).astype(np.float32)
        m = np.zeros((size * k, size), np.float32)
        m[np.arange(size * k), lo] += 1 - f
        m[np.arange(size * k), hi] += f
        return m

    rows, cols = axis_weights(h), axis_weights(w)
    return np.einsum("ih,nhw,jw->nij", rows, x, cols, optimize=True)


def _thin(ink: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of (N, H, W) bool images until nothing changes."""
    img = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    while True:
        changed = False
        for step in (0, 1):
            core = img[:, 1:-1, 1:-1]
            p2, p3, p4 = img[:, :-2, 1:-1], img[:, :-2, 2:], img[:, 1:-1, 2:]
            p5, p6, p7 = img[:, 2:, 2:], img[:, 2:, 1:-1], img[:, 2:, :-2]
            p8, p9 = img[:, 1:-1, :-2], img[:, :-2, :-2]
            ring = (p2, p3, p4, p5, p6, p7, p8, p9, p2)
            count = sum(p.astype(np.uint8) for p in ring[:8])
            transitions = sum(
                (~a & b).astype(np.uint8) for a, b in zip(ring[:-1], ring[1:], strict=True)
            )
            if step == 0:
                cond = ~(p2 & p4 & p6) & ~(p4 & p6 & p8)
            else:
                cond = ~(p2 & p4 & p8) & ~(p2 & p6 & p8)
            remove = core & (count >= 2) & (count <= 6) & (transitions == 1) & cond
            if remove.any():
                changed = True
                core &= ~remove
        if not changed:
            return img[:, 1:-1, 1:-1].copy()


_OFFSETS = ((-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1))


def trace(
    skeleton: np.ndarray, scale: float = 1.0 / UPSAMPLE, spur: float = SPUR_LENGTH
) -> Drawing:
    """Follow a skeleton into strokes.

    Pixels are joined to their 4-neighbours, and to a diagonal neighbour only when no
    4-neighbour they share is on (so a staircase is one line, not a row of triangles).
    Chains run between end points and junctions; loops without either are closed chains.
    Branches shorter than ``spur`` (in output units) from an end point to a junction are
    dropped, and every chain is smoothed by two passes of a [1, 2, 1] / 4 filter, its ends
    fixed.

    Args:
        skeleton: (H, W) bool, from :func:`skeletonize`.
        scale: output units per skeleton pixel (``1 / UPSAMPLE`` gives MNIST pixels).

    Returns:
        Strokes of (K, 2) float32 (x, y) points; pixel (r, c) is the point
        ((c + 0.5) * scale, (r + 0.5) * scale). Empty for an empty skeleton.
    """
    sk = np.asarray(skeleton, bool)
    h, w = sk.shape
    on = set(zip(*np.nonzero(sk), strict=True))
    nbrs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r, c in on:
        found = []
        for dr, dc in _OFFSETS:
            q = (r + dr, c + dc)
            if q not in on:
                continue
            if dr and dc and ((r + dr, c) in on or (r, c + dc) in on):
                continue
            found.append(q)
        nbrs[(int(r), int(c))] = found
    chains = _chains(nbrs)
    # Drop spurs: short chains with a free end whose other end is a junction.
    degree = {p: len(q) for p, q in nbrs.items()}
    kept = []
    for chain in chains:
        ends = (degree[chain[0]], degree[chain[-1]])
        length = _length(chain) * scale
        if length < spur and 1 in ends and max(ends) >= 3:
            continue
        kept.append(chain)
    if not kept and chains:
        kept = [max(chains, key=_length)]
    out: Drawing = []
    for chain in kept:
        p = np.array([(c + 0.5, r + 0.5) for r, c in chain], np.float32) * np.float32(scale)
        out.append(_smooth(p, closed=len(chain) > 2 and chain[0] == chain[-1]))
    return out


def _length(chain: list[tuple[int, int]]) -> float:
    p = np.asarray(chain, np.float32)
    return float(np.hypot(*np.diff(p, axis=0).T).sum()) if len(p) > 1 else 0.0


def _chains(nbrs: dict[tuple[int, int], list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Maximal chains of the pixel graph: from every end point or junction along each of its
    unvisited edges to the next end point or junction; then the closed loops left over."""
    seen: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    chains = []

    def walk(start: tuple[int, int], nxt: tuple[int, int]) -> list[tuple[int, int]]:
        chain = [start, nxt]
        seen.add((start, nxt))
        seen.add((nxt, start))
        prev, cur = start, nxt
        while len(nbrs[cur]) == 2 and cur != start:
            a, b = nbrs[cur]
            step = b if a == prev else a
            if (cur, step) in seen:
                break
            seen.add((cur, step))
            seen.add((step, cur))
            chain.append(step)
            prev, cur = cur, step
        return chain

    for p in sorted(nbrs):
        if len(nbrs[p]) != 2:
            if not nbrs[p]:
                chains.append([p])  # an isolated pixel: a dot
            for q in nbrs[p]:
                if (p, q) not in seen:
                    chains.append(walk(p, q))
    for p in sorted(nbrs):
        for q in nbrs[p]:
            if (p, q) not in seen:
                chains.append(walk(p, q))
    return chains


def _smooth(p: np.ndarray, closed: bool) -> np.ndarray:
    if len(p) < 3:
        return p
    for _ in range(2):
        if closed:
            q = np.concatenate([p[-2:-1], p, p[1:2]])
            p = (q[:-2] + 2 * q[1:-1] + q[2:]) / 4
        else:
            p = np.concatenate([p[:1], (p[:-2] + 2 * p[1:-1] + p[2:]) / 4, p[-1:]])
    return p.astype(np.float32)


def digit_drawing(image: np.ndarray) -> Drawing:
    """The strokes of one MNIST digit, (K, 2) float32 (x, y) in its 28x28 pixel units."""
    return trace(skeletonize(image[None])[0])


def sparse(drawing: Sequence[np.ndarray], spacing: float, phase: float = 0.0) -> Drawing:
    """Every stroke of ``drawing`` resampled as points ``spacing`` apart (see
    :func:`handwrite.strokes.resample`)."""
    return [resample(s, spacing, phase) for s in drawing]


@dataclass(frozen=True)
class PenLookSet:
    """The pen-look test set.

    Attributes:
        images: {pen width: (N, 28, 28) uint8}, the same trajectories drawn with each pen.
        labels: (N,) int64 digit labels.
        source: (N,) int64 indices of the MNIST images they were drawn from.
    """

    images: dict[int, np.ndarray]
    labels: np.ndarray
    source: np.ndarray

    def __repr__(self) -> str:
        widths = ", ".join(str(w) for w in self.images)
        return f"PenLookSet({len(self.labels)} digits, pen widths {widths} px)"


#: Where a traced digit goes on the canvas: its longer side spans this share of the side.
PLACE_EXTENT = (0.45, 0.8)
#: Point spacing of the pen-look test set, as a share of the drawing's longer side: about 13
#: to 35 points per digit.
TEST_SPACING = (0.05, 0.15)
#: A sparser trajectory, 7 to 10 points per digit, like tablet data resampled to a few
#: points per character.
SPARSE_SPACING = (0.35, 0.5)


def pen_look_set(
    images: np.ndarray,
    labels: np.ndarray,
    *,
    pen_widths: Sequence[int] = PEN_WIDTHS,
    seed: int = 0,
    spacing: tuple[float, float] = TEST_SPACING,
    canvas_size: int = CANVAS_SIZE,
) -> PenLookSet:
    """MNIST digits redrawn with uniform round pens on a canvas, then preprocessed.

    Every digit is thinned and traced (:func:`digit_drawing`), placed on a ``canvas_size``
    canvas (longer side ``PLACE_EXTENT`` of it, at a random place), resampled as sparse
    points (``spacing`` of its size apart) joined by straight segments, and painted with
    each pen width in turn, with the placement and points shared by every width. Digits
    whose skeleton is empty are skipped (``source`` says which were kept).

    Args:
        images: (N, 28, 28) uint8 MNIST digits; labels: (N,) their labels.
        pen_widths: pen diameters in canvas pixels.
        seed: seeds the placement and sparseness of every digit.
        spacing: range of the distance between points along the strokes, as a share of the
            digit's longer side on the canvas.
    """
    images = np.asarray(images)
    rng = np.random.default_rng(seed)
    skeletons = skeletonize(images)
    out: dict[int, list[np.ndarray]] = {int(w): [] for w in pen_widths}
    kept = []
    widest = float(max(pen_widths))
    for i in range(len(images)):
        drawing = trace(skeletons[i])
        extent_rng, spacing_rng = rng.spawn(2)
        if not drawing:
            continue
        on_canvas = place(
            drawing, extent_rng, size=canvas_size, extent=PLACE_EXTENT, pen_width=widest
        )
        span = _extent(on_canvas)
        step = spacing_rng.uniform(*spacing) * span
        points = sparse(on_canvas, step, spacing_rng.uniform())
        try:
            rendered = {w: to_mnist(paint(points, w, canvas_size)) for w in out}
        except EmptyDrawingError:
            continue
        for w, img in rendered.items():
            out[w].append(img)
        kept.append(i)
    source = np.asarray(kept, np.int64)
    return PenLookSet(
        {w: np.stack(v) if v else np.zeros((0, 28, 28), np.uint8) for w, v in out.items()},
        np.asarray(labels)[source].astype(np.int64),
        source,
    )


def _extent(drawing: Sequence[np.ndarray]) -> float:
    pts = np.concatenate(drawing)
    return float((pts.max(axis=0) - pts.min(axis=0)).max())


class PenLookAugment:
    """Training digits redrawn as pen strokes, at 28x28, for every batch.

    Built once from the training images (their strokes are traced then: a millisecond or two
    per digit); each call redraws the asked digits with a uniform round pen of random width,
    their strokes resampled as sparse points of random spacing, joined by straight segments
    or, at random, by smooth curves (two rounds of Chaikin's corner cutting, which tends to
    the quadratic B-spline the canvas paints through its points). The result is fitted and
    centred as :func:`handwrite.preprocess` does (longer side of the ink 20 px, centre of
    mass at the centre), so it is what drawing that trajectory on the canvas would give,
    without painting a 280x280 canvas. Everything after tracing is vectorised over the batch.

    Args:
        images: (N, 28, 28) uint8 training digits.
        width: range of the pen's width in output (28x28) pixels; :func:`handwrite.preprocess`
            brings every stroke into 2-4 px.
        spacing: range of the point spacing, as a share of the digit's longer side.
        curved: the share of digits drawn with curves rather than straight segments.
        keep_loops: redraw a digit that lost a loop or broke a stroke (its ink's Euler
            number above its skeleton's: a 6 whose loop fell between two sparse points and
            now looks like a curved 1, an 8 filled by a wide pen) once more with the
            thinnest pen and the densest points of the ranges, so that no digit is trained
            under its label in a shape that reads as another one.
    """

    def __init__(
        self,
        images: np.ndarray,
        *,
        width: tuple[float, float] = (1.8, 3.6),
        spacing: tuple[float, float] = (0.03, 0.2),
        curved: float = 0.5,
        keep_loops: bool = False,
        chunk: int = 4096,
    ) -> None:
        images = np.asarray(images)
        self.width = width
        self.spacing = spacing
        self.curved = curved
        self.keep_loops = keep_loops
        points: list[np.ndarray] = []
        strokes_per_image = np.zeros(len(images), np.int64)
        #: The Euler number of each digit's skeleton (components minus loops).
        self._euler = np.zeros(len(images), np.int64)
        for start in range(0, len(images), chunk):
            skeletons = skeletonize(images[start : start + chunk])
            self._euler[start : start + len(skeletons)] = euler_number(skeletons)
            for k, sk in enumerate(skeletons):
                drawing = trace(sk)
                strokes_per_image[start + k] = len(drawing)
                points += drawing
        self._image_strokes = np.concatenate([[0], np.cumsum(strokes_per_image)])
        sizes = np.array([len(p) for p in points], np.int64)
        self._stroke_points = np.concatenate([[0], np.cumsum(sizes)])
        pts = np.concatenate(points) if points else np.zeros((0, 2), np.float32)
        self._x = pts[:, 0].astype(np.float64)
        self._y = pts[:, 1].astype(np.float64)
        # Arc length along each stroke, the strokes laid end to end with a gap of 1 between
        # them, so that one sorted array locates any point of any stroke.
        step = np.ones(len(pts))
        step[1:] = np.hypot(np.diff(self._x), np.diff(self._y))
        first, last = self._stroke_points[:-1], self._stroke_points[1:] - 1
        step[first] = 1.0
        self._arc = np.cumsum(step)
        self._stroke_start_arc = self._arc[np.minimum(first, max(len(pts) - 1, 0))]
        self._stroke_length = self._arc[np.maximum(last, 0)] - self._stroke_start_arc
        extent = np.zeros(len(images))
        for i in range(len(images)):
            s0, s1 = self._image_strokes[i], self._image_strokes[i + 1]
            if s1 > s0:
                p0, p1 = self._stroke_points[s0], self._stroke_points[s1]
                extent[i] = max(np.ptp(self._x[p0:p1]), np.ptp(self._y[p0:p1]))
        self._extent = extent

    def __len__(self) -> int:
        return len(self._image_strokes) - 1

    def __repr__(self) -> str:
        return (
            f"PenLookAugment({len(self)} digits, width={self.width}, spacing={self.spacing}, "
            f"curved={self.curved}, keep_loops={self.keep_loops})"
        )

    def __call__(self, indices: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Redraw the digits ``indices`` (into the images it was built from).

        Returns (B, 1, 28, 28) float32 in [0, 1]; a digit without strokes comes back blank.
        """
        idx = np.asarray(indices, np.int64).reshape(-1)
        n = len(idx)
        widths = rng.uniform(*self.width, n).astype(np.float32)
        share = rng.uniform(*self.spacing, n)
        phase = rng.uniform(0, 1, n)
        curved = rng.random(n) < self.curved
        jitter = rng.uniform(-0.5, 0.5, (n, 2))
        out = self._draw(idx, widths, share, phase, curved, jitter)
        if self.keep_loops:
            lost = np.flatnonzero(euler_number(out[:, 0] > INK) > self._euler[idx])
            if len(lost):
                out[lost] = self._draw(
                    idx[lost],
                    np.full(len(lost), self.width[0], np.float32),
                    np.full(len(lost), self.spacing[0]),
                    phase[lost],
                    curved[lost],
                    jitter[lost],
                )
        return out

    def _draw(
        self,
        idx: np.ndarray,
        widths: np.ndarray,
        share: np.ndarray,
        phase: np.ndarray,
        curved: np.ndarray,
        jitter: np.ndarray,
    ) -> np.ndarray:
        """The digits ``idx`` drawn with the given pens, point spacings (as a share of each
        digit's longer side), phases, curves and shifts: (B, 1, 28, 28) float32."""
        n = len(idx)
        spacing = np.maximum(share * np.maximum(self._extent[idx], 1.0), 0.3)
        # The strokes of the batch, and the image (0..n-1) each belongs to.
        counts = self._image_strokes[idx + 1] - self._image_strokes[idx]
        stroke = _ranges(self._image_strokes[idx], counts)
        image = np.repeat(np.arange(n), counts)
        # Arc positions of the sparse points of each stroke: both ends, and every
        # ``spacing`` from ``phase * spacing`` on, except within a quarter spacing of an end.
        length = self._stroke_length[stroke]
        s = spacing[image]
        slots = np.ceil(length / s).astype(np.int64) + 3
        k = _ranges(np.zeros(len(stroke), np.int64), slots)
        owner = np.repeat(np.arange(len(stroke)), slots)
        pos = (phase[image][owner] + k - 1) * s[owner]
        last = np.cumsum(slots) - 1
        pos[np.cumsum(slots) - slots] = 0.0
        pos[last] = length
        keep = (pos > 0.25 * s[owner]) & (pos < length[owner] - 0.25 * s[owner])
        keep[np.cumsum(slots) - slots] = True
        keep[last] = length > 0
        pos, owner = pos[keep], owner[keep]
        at = self._stroke_start_arc[stroke][owner] + pos
        j = np.clip(np.searchsorted(self._arc, at, side="right") - 1, 0, len(self._arc) - 2)
        f = np.clip((at - self._arc[j]) / np.maximum(self._arc[j + 1] - self._arc[j], 1e-9), 0, 1)
        pts = np.stack(
            [
                self._x[j] + f * (self._x[j + 1] - self._x[j]),
                self._y[j] + f * (self._y[j + 1] - self._y[j]),
            ],
            axis=1,
        ).astype(np.float32)
        smooth = curved[image][owner]
        a1, b1, o1 = _pairs(pts[~smooth], owner[~smooth])
        p2, o2 = _chaikin(pts[smooth], owner[smooth])
        a2, b2, o2 = _pairs(p2, o2)
        a = np.concatenate([a1, a2])
        b = np.concatenate([b1, b2])
        seg_image = image[np.concatenate([o1, o2])]
        a, b = _fit_segments(a, b, seg_image, n, widths, jitter)
        return paint_segments(a, b, seg_image, widths, n, (28, 28))[:, None]


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])``, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    before = np.cumsum(counts) - counts
    return np.repeat(starts - before, counts) + np.arange(total)


def _pairs(pts: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segments between successive points of the same stroke (points sorted by stroke);
    a stroke of one point gives a dot."""
    same = owner[1:] == owner[:-1]
    a, b, o = pts[:-1][same], pts[1:][same], owner[:-1][same]
    single = np.ones(len(owner), bool)
    single[1:] &= ~same
    single[:-1] &= ~same
    return (
        np.concatenate([a, pts[single]]),
        np.concatenate([b, pts[single]]),
        np.concatenate([o, owner[single]]),
    )


def _chaikin(pts: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One round of Chaikin's corner cutting of every stroke, ends kept: each segment
    gives its points at 1/4 and 3/4. Points sorted by stroke in, and out."""
    if len(pts) == 0:
        return pts, owner
    same = owner[1:] == owner[:-1]
    a, b, o = pts[:-1][same], pts[1:][same], owner[:-1][same]
    cut = np.stack([0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b], axis=1).reshape(-1, 2)
    first = np.ones(len(owner), bool)
    first[1:] = ~same
    last = np.ones(len(owner), bool)
    last[:-1] = ~same
    # Sort keys: a stroke's first point, its cut points in order, its last point.
    seq = np.arange(len(owner), dtype=np.float64)
    keys = np.concatenate(
        [
            seq[first] - 0.5,
            np.stack([seq[:-1][same] + 0.25, seq[:-1][same] + 0.75], axis=1).reshape(-1),
            seq[last] + 0.5,
        ]
    )
    allpts = np.concatenate([pts[first], cut, pts[last]])
    allown = np.concatenate([owner[first], np.repeat(o, 2), owner[last]])
    order = np.argsort(keys, kind="stable")
    # A one-point stroke is both first and last: keep it once.
    single = first & last
    pts_out, own_out = allpts[order], allown[order]
    if single.any():
        dup = np.zeros(len(order), bool)
        dup[np.searchsorted(keys[order], seq[single] + 0.5)] = True
        pts_out, own_out = pts_out[~dup], own_out[~dup]
    return pts_out.astype(np.float32), own_out


def _fit_segments(
    a: np.ndarray,
    b: np.ndarray,
    image: np.ndarray,
    n: int,
    widths: np.ndarray,
    jitter: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Scale each image's segments so that its ink (points plus the pen's radius) spans
    ``DIGIT_BOX`` px along its longer side, and move its centre of mass (the length-weighted
    centroid of its segments: a uniform pen lays ink in proportion to length) to the image
    centre, plus ``jitter`` (within half a pixel, like MNIST's integer translation)."""
    lo = np.full((n, 2), np.inf)
    hi = np.full((n, 2), -np.inf)
    np.minimum.at(lo, image, np.minimum(a, b))
    np.maximum.at(hi, image, np.maximum(a, b))
    seg = np.hypot(*(b - a).T).astype(np.float64) + 1e-6
    mass = np.zeros((n, 2))
    total = np.zeros(n)
    np.add.at(mass, image, (a + b) / 2 * seg[:, None])
    np.add.at(total, image, seg)
    empty = ~np.isfinite(lo[:, 0])
    lo[empty], hi[empty], total[empty] = 0.0, 1.0, 1.0
    longest = np.maximum((hi - lo).max(axis=1), 1e-6)
    scale = (DIGIT_BOX - widths) / longest
    centre = mass / total[:, None]
    # MNIST's centre of mass (14.0, 14.0) is in pixel indices; points are in pixel edges.
    offset = 14.5 + jitter - centre * scale[:, None]
    # Keep the ink on the image however lopsided the digit.
    r = widths[:, None] / 2
    offset = np.clip(offset, 0.5 + r - lo * scale[:, None], 27.5 - r - hi * scale[:, None])
    sc, off = scale[image, None].astype(np.float32), offset[image].astype(np.float32)
    return a * sc + off, b * sc + off
