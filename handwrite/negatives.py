"""Drawings that are not digits, made reproducibly, drawn as the canvas draws them.

A model that should say "not a digit" has to see what is not one. This module makes such
drawings from nothing but geometry, the Hershey vector fonts (public domain, single-stroke
and few-stroke glyphs; the ``hershey-fonts`` package, imported only when letters or symbols
are asked for) and MNIST digits, in seven kinds (:data:`KINDS`):

- ``letters``: Latin, Greek and Cyrillic letters that do not look like a digit;
- ``symbols``: signs and pictograms that do not look like a digit;
- ``scribbles``: tangles, zigzags, hatching, scattered dashes, spirals, rows of loops, waves;
- ``shapes``: polygons, stars, crosses, arrows, hearts, grids, faces, houses, nested shapes;
- ``cut``: an MNIST digit with a half cut away, where the half left is not digit-like;
- ``overlapped``: two different MNIST digits drawn over each other;
- ``crossed``: an MNIST digit crossed out by an X, a zigzag or hatching.

Everything but the MNIST kinds' "scan" half is drawn with a round pen on a 280x280 canvas
(:mod:`handwrite.strokes`) after a hand-like warp, as sparse points joined by straight
segments or by the canvas's curves, and goes through :func:`handwrite.preprocess`. The MNIST
kinds come half as pen drawings of the traced digits (:mod:`handwrite.penlook`) and half as
edits of the scanned bitmaps, so that neither look alone says "not a digit".

**What is left out, and why.** A negative that a careful reader could take for a digit
teaches the model to refuse digits. Excluded:

- letters like a digit: ``O o Q D`` (0); ``I l i j J L T`` (1, 7, or a 1 with a foot);
  ``Z z`` (2); ``B`` (8, 13); ``S s`` (5); ``G b`` (6); ``g q a d y`` (9, 4); in the script
  fonts also ``F f Y`` (loops like an 8, a y like a 4) and the scripts' ``P`` (a 9);
  Greek ``Β Γ Ζ Θ Ι Ο Τ Φ Ω β γ δ ε ζ θ ι ξ ο ρ σ τ φ``; Cyrillic ``Б В Г З О Т У Ф Ч а б в
  г з о т у ф ч`` (a 6, 3, 7, 0, 4 or y among them);
- signs like a digit: ``| / \\ ( ) [ ] { } ! ? $ & §``, arrows up or down, a root, an
  integral, ``∂ ∃ ∠ ∥ ⊥``, small marks (``. , : ; ' "``: scaled up to the 20 px box they
  become blobs, rings or 1-like ticks);
- shapes like a digit: circles and ellipses (0), a single line that is not nearly
  horizontal (1, 7), tall rectangles (a seven-segment 0), polygons of five or more
  sides, arcs, a spiral of fewer than 2.5 turns;
- cut digits: the halves that stay digit-like (:data:`CUT_HALVES` lists what is kept), and
  halves with less than a quarter or more than three quarters of the ink;
- anything that comes out narrower than :data:`MIN_ASPECT` of its height (a 1);
- overlapped digits: pairs with a 1 in them (a 1 through a digit reads as that digit with a
  bar), and a digit with itself;
- crossed digits: a single stroke through a digit (a slashed 0, a crossed 7 or Z are still
  digits); every crossing here has at least two strokes.

**Held-out split.** ``split="train"`` and ``split="eval"`` draw from different fonts
(:data:`LETTER_FONTS`, :data:`SYMBOL_FONTS`), different random streams, and, for the MNIST
kinds, whatever digits the caller passes (the training images for training, the test images
for evaluation), so that evaluation figures are never on training negatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.penlook import digit_drawing, sparse
from handwrite.preprocess import EmptyDrawingError, preprocess
from handwrite.strokes import (
    CANVAS_SIZE,
    Drawing,
    bounds,
    canvas_path,
    hand_warp,
    paint,
    place,
    to_mnist,
)

__all__ = [
    "CUT_HALVES",
    "DEFAULT_MIX",
    "KINDS",
    "LETTER_FONTS",
    "SPLITS",
    "SYMBOL_FONTS",
    "Negatives",
    "generate",
    "glyph",
]

KINDS = ("letters", "symbols", "scribbles", "shapes", "cut", "overlapped", "crossed")
SPLITS = ("train", "eval")
#: Kinds made from MNIST digits (they need ``digits``).
DIGIT_KINDS = ("cut", "overlapped", "crossed")
#: The share of each kind when a total count is asked for.
DEFAULT_MIX = {
    "letters": 0.3,
    "symbols": 0.1,
    "scribbles": 0.15,
    "shapes": 0.15,
    "cut": 0.1,
    "overlapped": 0.1,
    "crossed": 0.1,
}

#: Latin letters that no careful reader takes for a digit.
_LATIN = "ACEFHKMNPRUVWXY" + "cefhkmnprtuvwx"
#: ... in the script fonts, whose F, f and Y have loops like an 8 or a 4, and P like a 9.
_SCRIPT = "ACEHKMNRUVWX" + "cehkmnprtuvwx"
#: Greek (``greeks`` maps ASCII keys to the Greek alphabet in order): the keys of
#: Α Δ Ε Η Κ Λ Μ Ν Ξ Π Ρ Σ Υ Χ Ψ and α η κ λ μ ν π υ χ ψ ω.
_GREEK = "ADEGJKLMNPQRTVW" + "agjklmptvwx"
#: Cyrillic (``cyrilc_1`` maps ASCII keys to the Cyrillic alphabet in order): the keys of
#: А Д Е Ж И Й К Л М Н П Р С Х Ц Ш Щ and д е ж и й к л м н п р с х ц ш щ.
_CYRILLIC = "AEFGIJKLMNPQRVWYZ" + "efgijklmnpqrvwyz"

#: Fonts and the glyphs (by the font's ASCII key) drawn from each, per split.
LETTER_FONTS: dict[str, dict[str, str]] = {
    "train": {
        "futural": _LATIN,
        "scripts": _SCRIPT,
        "greeks": _GREEK,
        "cyrilc_1": _CYRILLIC,
        "timesi": _LATIN,
    },
    "eval": {
        "futuram": _LATIN,
        "scriptc": _SCRIPT,
        "timesr": _LATIN,
        "rowmand": _LATIN,
    },
}
#: Signs: ASCII symbols of a text font, the math font's ``± ∓ × □ % ≦ ≧ * + ◇ Π Σ < = > ≠ ≡
#: ∝ ∞ ⊂ ∪ ⊃ ∩ ∈ → ← ∇ ℵ ÷`` (train), and the pictograms of ``symbolic`` (eval: nested
#: polygons, dashes, a ground sign, triangles, square, diamond, stars, crosses, hatched
#: shapes, a flag, a boat, an anchor, hammers, a tower, a crescent, a bell, two trees (not
#: the round one: a 9), a clover, card suits, a pentagram, a zigzag, fish-like loops,
#: ligatures).
SYMBOL_FONTS: dict[str, dict[str, str]] = {
    "train": {
        "futural": "#%*+<=>@^~",
        "mathlow": "!\"#$%&'*+.:;<=>?@^_defghiknwx",
    },
    "eval": {
        "timesr": "#%*+<=>@",
        "symbolic": "ACEFGIJKLMNOPQRSTUVWXYZ[^_`abcdfghmnop~8<>?xy",
    },
}

#: Which half of a digit may be left when it is cut, by digit (the half kept). Every other
#: half was seen to read as a digit too often: any half of a 1; the halves of an 8 (a 0, a
#: 3 or a reversed 3); the left halves of slanted 2s, 5s and 9s, which keep most of the
#: digit; the right halves of 5s and 6s (a 5); the tops of 6s and the stems of 7s (a 1); the
#: left half of a 4 (an L); the left and right halves of a 0 (a bracket).
CUT_HALVES: dict[int, tuple[str, ...]] = {
    0: ("top", "bottom"),
    3: ("left",),
    4: ("top",),
}
#: The share of a cut digit's ink that the half left must hold.
CUT_SHARE = (0.25, 0.75)
#: A drawing whose ink is narrower than this share of its height reads as a 1; such
#: drawings are made again.
MIN_ASPECT = 0.35

_SALT = {"train": 11, "eval": 23}

#: Pen widths (canvas pixels) and sizes (share of the canvas side) of the drawings.
PEN_WIDTH = (8.0, 30.0)
EXTENT = (0.4, 0.85)
#: Point spacing of the drawn trajectories, as a share of their size; and the share drawn
#: with the canvas's curves rather than straight segments.
SPACING = (0.02, 0.12)
CURVED = 0.5


@dataclass(frozen=True)
class Negatives:
    """Generated drawings that are not digits.

    Attributes:
        images: (N, 28, 28) uint8 0-255, MNIST-like (bright ink, preprocessed).
        kinds: (N,) int64 index into :data:`KINDS`.
        names: (N,) str, what each drawing is (``"letters/futural/A"``, ``"cut/3/left"``...).
    """

    images: np.ndarray
    kinds: np.ndarray
    names: np.ndarray

    def __len__(self) -> int:
        return len(self.images)

    def of_kind(self, kind: str) -> np.ndarray:
        """The images of one kind, (M, 28, 28) uint8."""
        return self.images[self.kinds == KINDS.index(kind)]

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{k}={int((self.kinds == i).sum())}"
            for i, k in enumerate(KINDS)
            if (self.kinds == i).any()
        )
        return f"Negatives({len(self)}: {counts})"


def generate(
    count: int | Mapping[str, int],
    *,
    split: str = "train",
    seed: int = 0,
    digits: tuple[np.ndarray, np.ndarray] | None = None,
    canvas_size: int = CANVAS_SIZE,
) -> Negatives:
    """Make negatives, the same ones for the same arguments.

    Args:
        count: the total (shared out by :data:`DEFAULT_MIX`), or a count per kind.
        split: ``"train"`` or ``"eval"``: which fonts and random streams (see the module's
            notes on the held-out split).
        seed: seeds every random choice, with the split and the kind.
        digits: (images (M, 28, 28) uint8, labels (M,)) MNIST digits for the kinds
            ``cut``, ``overlapped`` and ``crossed``; without them those kinds are left out
            of a total, and asking for them by name raises ``ValueError``.
        canvas_size: the side of the canvas the drawings are painted on.

    Returns:
        :class:`Negatives`, kinds in the order of :data:`KINDS`.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    counts = _counts(count, digits is not None)
    if digits is not None:
        images, labels = np.asarray(digits[0]), np.asarray(digits[1]).astype(np.int64)
        if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise ValueError("digits must be (images (M, 28, 28), labels (M,))")
        digits = (images, labels)
    out_images, out_kinds, out_names = [], [], []
    for kind, n in counts.items():
        if n <= 0:
            continue
        rng = np.random.default_rng([seed, _SALT[split], KINDS.index(kind)])
        make = _MAKERS[kind]
        made = 0
        failures = 0
        while made < n:
            try:
                image, name = make(rng, split, digits, canvas_size)
                if _aspect(image) < MIN_ASPECT:
                    raise EmptyDrawingError("too narrow: it reads as a 1")
            except EmptyDrawingError:
                failures += 1
                if failures > 10 * n + 100:
                    raise RuntimeError(f"could not draw {kind} negatives") from None
                continue
            out_images.append(image)
            out_kinds.append(KINDS.index(kind))
            out_names.append(f"{kind}/{name}")
            made += 1
    if not out_images:
        return Negatives(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64), np.array([]))
    return Negatives(np.stack(out_images), np.array(out_kinds, np.int64), np.array(out_names))


def _aspect(image: np.ndarray) -> float:
    """Width over height of the ink of a (28, 28) image (above a quarter of full ink)."""
    rows = np.flatnonzero((image > 64).any(axis=1))
    cols = np.flatnonzero((image > 64).any(axis=0))
    if len(rows) == 0:
        return 0.0
    return (cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1)


def _counts(count: int | Mapping[str, int], have_digits: bool) -> dict[str, int]:
    if isinstance(count, Mapping):
        unknown = set(count) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kinds {sorted(unknown)}: use {KINDS}")
        if not have_digits and any(count.get(k, 0) for k in DIGIT_KINDS):
            raise ValueError(f"the kinds {DIGIT_KINDS} need MNIST digits (digits=...)")
        return {k: int(count.get(k, 0)) for k in KINDS}
    total = int(count)
    if total < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    mix = {k: v for k, v in DEFAULT_MIX.items() if have_digits or k not in DIGIT_KINDS}
    weight = sum(mix.values())
    counts = {k: int(total * v / weight) for k, v in mix.items()}
    for k in list(mix)[: total - sum(counts.values())]:  # the remainder, one each
        counts[k] += 1
    return {k: counts.get(k, 0) for k in KINDS}


# ---------------------------------------------------------------------------------------
# Drawing on the canvas
# ---------------------------------------------------------------------------------------


def _draw(
    drawing: Sequence[np.ndarray],
    rng: np.random.Generator,
    canvas_size: int,
    *,
    warp: bool = True,
    warp_args: dict[str, Any] | None = None,
) -> np.ndarray:
    """A drawing, warped like a hand draws, placed on the canvas, resampled as a sparse
    trajectory, painted with a random pen and preprocessed: (28, 28) uint8."""
    if warp:
        drawing = hand_warp(drawing, rng, **(warp_args or {}))
    width = rng.uniform(*PEN_WIDTH) * canvas_size / CANVAS_SIZE
    drawing = place(drawing, rng, size=canvas_size, extent=EXTENT, pen_width=width)
    lo, hi = bounds(drawing)
    spacing = rng.uniform(*SPACING) * float((hi - lo).max())
    points = sparse(drawing, max(spacing, 1.0), rng.uniform())
    if rng.random() < CURVED:
        points = [canvas_path(s) for s in points]
    return to_mnist(paint(points, width, canvas_size))


# ---------------------------------------------------------------------------------------
# Letters and symbols
# ---------------------------------------------------------------------------------------

_FONTS: dict[str, Any] = {}


def glyph(font: str, key: str) -> Drawing:
    """The strokes of one Hershey glyph: (K, 2) float32 (x, y) in font units, y down.

    ``key`` is the ASCII character the font files it under (for the Greek and Cyrillic
    fonts, the Latin letter in the same place of the alphabet). Needs the ``hershey-fonts``
    package (``pip install hershey-fonts``)."""
    if font not in _FONTS:
        try:
            from HersheyFonts import HersheyFonts
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "letters and symbols need the Hershey fonts: pip install hershey-fonts"
            ) from exc
        f = HersheyFonts()
        f.load_default_font(font)
        _FONTS[font] = f
    strokes = [np.asarray(s, np.float32) for s in _FONTS[font].strokes_for_text(key)]
    return [s for s in strokes if len(s)]


def _font_glyph(table: dict[str, str], rng: np.random.Generator) -> tuple[Drawing, str]:
    fonts = sorted(table)
    font = fonts[int(rng.integers(len(fonts)))]
    keys = table[font]
    key = keys[int(rng.integers(len(keys)))]
    return glyph(font, key), f"{font}/{key}"


def _letter(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    drawing, name = _font_glyph(LETTER_FONTS[split], rng)
    return _draw(drawing, rng, canvas_size), name


def _symbol(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    drawing, name = _font_glyph(SYMBOL_FONTS[split], rng)
    return _draw(drawing, rng, canvas_size), name


# ---------------------------------------------------------------------------------------
# Scribbles
# ---------------------------------------------------------------------------------------


def _tangle(rng: np.random.Generator) -> Drawing:
    """A random walk that keeps turning, about 4-8 times as long as its box is wide: the
    kind of line a pen makes scribbling over a spot."""
    n = int(rng.integers(120, 260))
    turn = np.cumsum(rng.normal(0, 0.35, n) + rng.choice([-1, 1]) * rng.uniform(0.05, 0.25))
    step = np.stack([np.cos(turn), np.sin(turn)], axis=1) * 0.04
    p = np.cumsum(step, axis=0)
    # Fold the walk back into the unit box, so that it crosses itself.
    p = np.abs((p + 0.5) % 2.0 - 1.0)
    return [p.astype(np.float32)]


def _zigzag(rng: np.random.Generator) -> Drawing:
    """Five to twelve sharp turns back and forth."""
    k = int(rng.integers(6, 13))
    x = np.linspace(0, 1, k) + rng.normal(0, 0.02, k)
    y = np.where(np.arange(k) % 2 == 0, 0.0, 1.0) * rng.uniform(0.3, 1.0) + rng.normal(0, 0.05, k)
    p = np.stack([x, y], axis=1)
    if rng.random() < 0.5:
        p = p[:, ::-1]
    return [p.astype(np.float32)]


def _hatch(rng: np.random.Generator) -> Drawing:
    """Parallel lines filling a disc or a box, as separate strokes or as one back and forth."""
    k = int(rng.integers(5, 14))
    angle = rng.uniform(0, math.pi)
    d = np.array([math.cos(angle), math.sin(angle)])
    nrm = np.array([-d[1], d[0]])
    offs = np.linspace(-0.5, 0.5, k)
    round_region = rng.random() < 0.5
    half = np.sqrt(np.maximum(0.25 - offs**2, 0.01)) if round_region else np.full(k, 0.5)
    lines = [np.stack([o * nrm - h * d, o * nrm + h * d]) for o, h in zip(offs, half, strict=True)]
    if rng.random() < 0.5:
        return [line.astype(np.float32) for line in lines]
    path = np.concatenate([line if i % 2 == 0 else line[::-1] for i, line in enumerate(lines)])
    return [path.astype(np.float32)]


def _dashes(rng: np.random.Generator) -> Drawing:
    """Three to seven short strokes scattered over the box."""
    k = int(rng.integers(3, 8))
    centres = rng.uniform(0, 1, (k, 2))
    angles = rng.uniform(0, math.pi, k)
    half = rng.uniform(0.05, 0.15, k)
    d = np.stack([np.cos(angles), np.sin(angles)], axis=1) * half[:, None]
    return [np.stack([c - v, c + v]).astype(np.float32) for c, v in zip(centres, d, strict=True)]


def _spiral(rng: np.random.Generator) -> Drawing:
    """A spiral of 2.5 to 3.5 turns (fewer would read as a 6, a 9 or a 0)."""
    turns = rng.uniform(2.5, 3.5)
    t = np.linspace(0, turns * 2 * math.pi, int(turns * 40))
    r = 0.05 + t / t[-1]
    sign = rng.choice([-1.0, 1.0])
    p = np.stack([r * np.cos(sign * t), r * np.sin(sign * t)], axis=1)
    return [p.astype(np.float32)]


def _loops(rng: np.random.Generator) -> Drawing:
    """A row of three to five cursive loops (like ``eeee`` or ``llll``)."""
    k = int(rng.integers(3, 6))
    t = np.linspace(0, k * 2 * math.pi, k * 40)
    height = rng.uniform(1.0, 2.5)
    x = t / (2 * math.pi) * rng.uniform(0.5, 0.9) - np.sin(t) * 0.35
    y = -np.cos(t) * 0.5 * height
    return [np.stack([x, y], axis=1).astype(np.float32)]


def _wave(rng: np.random.Generator) -> Drawing:
    """A horizontal wave of 2.5 to 5 periods."""
    periods = rng.uniform(2.5, 5.0)
    x = np.linspace(0, 1, int(periods * 24))
    y = np.sin(x * periods * 2 * math.pi) * rng.uniform(0.04, 0.15)
    return [np.stack([x, y], axis=1).astype(np.float32)]


_SCRIBBLES: dict[str, Callable[[np.random.Generator], Drawing]] = {
    "tangle": _tangle,
    "zigzag": _zigzag,
    "hatch": _hatch,
    "dashes": _dashes,
    "spiral": _spiral,
    "loops": _loops,
    "wave": _wave,
}


def _scribble(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    names = sorted(_SCRIBBLES)
    name = names[int(rng.integers(len(names)))]
    return _draw(_SCRIBBLES[name](rng), rng, canvas_size), name


# ---------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------


def _polygon(points: np.ndarray) -> np.ndarray:
    """A closed polyline through ``points`` (K, 2)."""
    return np.concatenate([points, points[:1]]).astype(np.float32)


def _regular(k: int, start: float = -math.pi / 2) -> np.ndarray:
    t = start + np.arange(k) * 2 * math.pi / k
    return np.stack([np.cos(t), np.sin(t)], axis=1)


def _circle(k: int = 40) -> np.ndarray:
    return _polygon(_regular(k))


def _triangle(rng: np.random.Generator) -> Drawing:
    p = _regular(3, rng.uniform(0, 2 * math.pi)) + rng.normal(0, 0.12, (3, 2))
    return [_polygon(p)]


def _square(rng: np.random.Generator) -> Drawing:
    """A square, a diamond, or a rectangle at least 1.4 times as wide as tall (a tall one
    is a seven-segment 0)."""
    choice = rng.integers(3)
    if choice == 0:
        w, h = 1.0, rng.uniform(0.8, 1.2)
    elif choice == 1:
        w, h = rng.uniform(1.4, 3.0), 1.0
    else:
        return [_polygon(_regular(4, 0.0) * [rng.uniform(0.7, 1.0), 1.0])]
    p = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    return [_polygon(p)]


def _star(rng: np.random.Generator) -> Drawing:
    """A five-pointed star: as one stroke (a pentagram) or as an outline."""
    if rng.random() < 0.5:
        p = _regular(5)[[0, 2, 4, 1, 3, 0]]
        return [p.astype(np.float32)]
    outer = _regular(5)
    inner = _regular(5, -math.pi / 2 + math.pi / 5) * rng.uniform(0.35, 0.5)
    p = np.stack([outer, inner], axis=1).reshape(-1, 2)
    return [_polygon(p)]


def _cross(rng: np.random.Generator) -> Drawing:
    """A plus, an X, or an asterisk of three or four lines, all through the centre."""
    k = int(rng.choice([2, 2, 3, 4]))
    start = rng.uniform(0, math.pi)
    out = []
    for i in range(k):
        a = start + i * math.pi / k + rng.normal(0, 0.05)
        v = np.array([math.cos(a), math.sin(a)])
        out.append(np.stack([-v, v]).astype(np.float32))
    return out


def _arrow(rng: np.random.Generator) -> Drawing:
    """A horizontal arrow, either way (an upright one reads as a 1)."""
    head = rng.uniform(0.15, 0.35)
    shaft = np.array([[0.0, 0.0], [1.0, 0.0]])
    tip = np.array([[1 - head, -head * 0.8], [1.0, 0.0], [1 - head, head * 0.8]])
    sign = rng.choice([-1.0, 1.0])
    return [(shaft * [sign, 1]).astype(np.float32), (tip * [sign, 1]).astype(np.float32)]


def _heart(rng: np.random.Generator) -> Drawing:
    t = np.linspace(0, 2 * math.pi, 60)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [np.stack([x, y], axis=1).astype(np.float32)]


def _grid(rng: np.random.Generator) -> Drawing:
    """A # or a tic-tac-toe grid: two or three lines each way."""
    k = int(rng.integers(2, 4))
    at = np.linspace(0.25, 0.75, k) if k > 1 else np.array([0.5])
    out = [np.array([[a, 0.0], [a, 1.0]], np.float32) for a in at]
    out += [np.array([[0.0, a], [1.0, a]], np.float32) for a in at]
    return out


def _face(rng: np.random.Generator) -> Drawing:
    """A round face with two eyes and a mouth."""
    t = np.linspace(0.2 * math.pi, 0.8 * math.pi, 12)
    mouth = np.stack([np.cos(t) * 0.5, np.sin(t) * 0.5 * rng.choice([-1.0, 1.0]) + 0.2], axis=1)
    eyes = [np.array([[-0.35, -0.3]], np.float32), np.array([[0.35, -0.3]], np.float32)]
    return [_circle(), *eyes, mouth.astype(np.float32)]


def _house(rng: np.random.Generator) -> Drawing:
    """A square with a triangular roof."""
    roof = rng.uniform(0.4, 0.8)
    body = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float64)
    top = np.array([[0, 0], [0.5, -roof], [1, 0]], np.float64)
    return [_polygon(body), top.astype(np.float32)]


def _nested(rng: np.random.Generator) -> Drawing:
    """Two or three nested squares or triangles, or a circle in a square."""
    choice = rng.integers(3)
    if choice == 2:
        return [_polygon(_regular(4, math.pi / 4) * 1.42), _circle() * 0.9]
    k = 3 if choice == 0 else 4
    start = -math.pi / 2 if k == 3 else math.pi / 4
    return [_polygon(_regular(k, start) * s) for s in (1.0, 0.6, 0.25)[: int(rng.integers(2, 4))]]


def _check(rng: np.random.Generator) -> Drawing:
    """A tick: a short stroke down, a long one up."""
    p = np.array([[0.0, 0.5], [0.3, 0.9], [1.0, rng.uniform(-0.2, 0.1)]])
    return [p.astype(np.float32)]


def _dash(rng: np.random.Generator) -> Drawing:
    """A nearly horizontal line, or two (a minus, an equals sign)."""
    k = int(rng.integers(1, 3))
    return [np.array([[0.0, 0.3 * i], [1.0, 0.3 * i]], np.float32) for i in range(k)]


def _circled_cross(rng: np.random.Generator) -> Drawing:
    """A circle with a plus or an X inside."""
    a = rng.choice([0.0, math.pi / 4])
    v = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    return [_circle(), np.stack([-v[0], v[0]]).astype(np.float32), np.stack([-v[1], v[1]])]


_SHAPES: dict[str, Callable[[np.random.Generator], Drawing]] = {
    "triangle": _triangle,
    "square": _square,
    "star": _star,
    "cross": _cross,
    "arrow": _arrow,
    "heart": _heart,
    "grid": _grid,
    "face": _face,
    "house": _house,
    "nested": _nested,
    "check": _check,
    "dash": _dash,
    "circled-cross": _circled_cross,
}


def _shape(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    names = sorted(_SHAPES)
    name = names[int(rng.integers(len(names)))]
    # A gentler warp: a shape's proportions are what makes it that shape.
    args = {"rotate_degrees": 8.0, "shear": 0.15, "aspect": 0.12}
    if name == "dash":
        args["aspect"] = 0.0
    return _draw(_SHAPES[name](rng), rng, canvas_size, warp_args=args), name


# ---------------------------------------------------------------------------------------
# Kinds made from MNIST digits
# ---------------------------------------------------------------------------------------

_HALF_NORMALS = {"top": (0.0, -1.0), "bottom": (0.0, 1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}


def _pick_digit(
    rng: np.random.Generator, digits: tuple[np.ndarray, np.ndarray], allowed: Sequence[int]
) -> int:
    images, labels = digits
    for _ in range(1000):
        i = int(rng.integers(len(labels)))
        if int(labels[i]) in allowed:
            return i
    raise ValueError(f"no digits among {sorted(set(allowed))} to draw from")


def _ink_centre(image: np.ndarray) -> np.ndarray:
    """(x, y) of the centre of mass of a 28x28 image, in pixel-edge units."""
    w = image.astype(np.float64)
    total = w.sum()
    ys, xs = np.mgrid[0:28, 0:28] + 0.5
    return np.array([(w * xs).sum() / total, (w * ys).sum() / total])


def _clip_half(drawing: Drawing, point: np.ndarray, normal: np.ndarray) -> Drawing:
    """The parts of the strokes on the side of the line through ``point`` that ``normal``
    points to (each stroke densified first, so the cut falls within a fraction of a pixel)."""
    out = []
    for s in sparse(drawing, 0.25):
        side = (s - point) @ normal > 0
        if not side.any():
            continue
        # Split into runs of consecutive kept points.
        breaks = np.flatnonzero(np.diff(side.astype(np.int8)) != 0) + 1
        for run in np.split(np.arange(len(s)), breaks):
            if side[run[0]]:
                out.append(s[run])
    return out


def _cut(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    i = _pick_digit(rng, digits, list(CUT_HALVES))
    image, label = digits[0][i], int(digits[1][i])
    half = CUT_HALVES[label][int(rng.integers(len(CUT_HALVES[label])))]
    angle = rng.normal(0, math.radians(8))
    nx, ny = _HALF_NORMALS[half]
    normal = np.array(
        [nx * math.cos(angle) - ny * math.sin(angle), nx * math.sin(angle) + ny * math.cos(angle)]
    )
    centre = _ink_centre(image) + rng.normal(0, 0.6, 2)
    name = f"{label}/{half}"
    if rng.random() < 0.5:
        whole = digit_drawing(image)
        part = _clip_half(whole, centre, normal)
        share = _stroke_length(part) / max(_stroke_length(whole), 1e-6)
        if not CUT_SHARE[0] <= share <= CUT_SHARE[1]:
            raise EmptyDrawingError("the cut leaves too little or too much of the digit")
        return _draw(part, rng, canvas_size, warp=False), name + "/pen"
    ys, xs = np.mgrid[0:28, 0:28] + 0.5
    keep = (xs - centre[0]) * normal[0] + (ys - centre[1]) * normal[1] > 0
    share = float(image[keep].sum()) / max(float(image.sum()), 1.0)
    if not CUT_SHARE[0] <= share <= CUT_SHARE[1]:
        raise EmptyDrawingError("the cut leaves too little or too much of the digit")
    return _scan(image * keep), name + "/scan"


def _stroke_length(drawing: Drawing) -> float:
    return sum(float(np.hypot(*np.diff(s, axis=0).T).sum()) for s in drawing if len(s) > 1)


def _scan(image: np.ndarray) -> np.ndarray:
    """An edited scanned digit (any size, 0-255) through preprocessing: (28, 28) uint8."""
    return np.round(preprocess(np.clip(image, 0, 255).astype(np.uint8)) * 255).astype(np.uint8)


def _overlapped(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    allowed = [0, 2, 3, 4, 5, 6, 7, 8, 9]
    i = _pick_digit(rng, digits, allowed)
    first = int(digits[1][i])
    j = _pick_digit(rng, digits, [d for d in allowed if d != first])
    a, b = digits[0][i], digits[0][j]
    # The second digit is moved by 0.3 to 0.8 of a digit's size, mostly sideways (less, and
    # one digit hides the other).
    angle = rng.normal(0, 0.5) + (math.pi if rng.random() < 0.5 else 0.0)
    dist = rng.uniform(0.3, 0.8) * 20.0
    shift = np.array([math.cos(angle), math.sin(angle)]) * dist
    name = f"{first}+{int(digits[1][j])}"
    if rng.random() < 0.5:
        da, db = digit_drawing(a), digit_drawing(b)
        if not da or not db:
            raise EmptyDrawingError("a digit without strokes")
        drawing = da + [s + shift.astype(np.float32) for s in db]
        return _draw(drawing, rng, canvas_size, warp=False), name + "/pen"
    dx, dy = (int(round(v)) for v in shift)
    canvas = np.zeros((28 + abs(dy), 28 + abs(dx)), np.uint8)
    ya, xa = max(-dy, 0), max(-dx, 0)
    canvas[ya : ya + 28, xa : xa + 28] = a
    yb, xb = ya + dy, xa + dx
    canvas[yb : yb + 28, xb : xb + 28] = np.maximum(canvas[yb : yb + 28, xb : xb + 28], b)
    return _scan(canvas), name + "/scan"


def _cross_out(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> Drawing:
    """Strokes crossing out the box [lo, hi]: an X, a zigzag over it, or hatching; never a
    single line (a slashed 0 or a crossed 7 is still a digit)."""
    size = hi - lo
    choice = rng.integers(3)
    if choice == 0:
        j = rng.normal(0, 0.08, (4, 2)) * size
        a = np.array([lo, hi]) + j[:2]
        b = np.array([[lo[0], hi[1]], [hi[0], lo[1]]]) + j[2:]
        return [a.astype(np.float32), b.astype(np.float32)]
    if choice == 1:
        k = int(rng.integers(5, 10))
        x = np.linspace(lo[0], hi[0], k)
        y = np.where(np.arange(k) % 2 == 0, lo[1], hi[1]) + rng.normal(0, 0.05, k) * size[1]
        return [np.stack([x, y], axis=1).astype(np.float32)]
    k = int(rng.integers(3, 7))
    a = rng.uniform(-0.4, 0.4)
    out = []
    for t in np.linspace(0.15, 0.85, k):
        y = lo[1] + t * size[1]
        out.append(np.array([[lo[0], y - a * size[1] / 2], [hi[0], y + a * size[1] / 2]]))
    return [o.astype(np.float32) for o in out]


def _crossed(
    rng: np.random.Generator, split: str, digits: Any, canvas_size: int
) -> tuple[np.ndarray, str]:
    i = _pick_digit(rng, digits, range(10))
    image, label = digits[0][i], int(digits[1][i])
    ink = np.argwhere(image > 64)
    lo = ink.min(axis=0)[::-1].astype(np.float64) + 0.5
    hi = ink.max(axis=0)[::-1].astype(np.float64) + 0.5
    # Strokes reach a little beyond the digit, as a hand crossing it out does.
    pad = (hi - lo) * rng.uniform(0.0, 0.15, 2)
    strokes = _cross_out(rng, lo - pad, hi + pad)
    if rng.random() < 0.5:
        drawing = digit_drawing(image)
        if not drawing:
            raise EmptyDrawingError("a digit without strokes")
        return _draw(drawing + strokes, rng, canvas_size, warp=False), f"{label}/pen"
    # On the scan: four times larger, the strokes about as wide as MNIST's (2-3 px).
    big = np.kron(image, np.ones((4, 4), np.uint8))
    lines = paint([s * 4 for s in strokes], rng.uniform(7.0, 12.0), 112)
    return _scan(np.maximum(big, np.round(lines * 255))), f"{label}/scan"


_MAKERS: dict[
    str,
    Callable[[np.random.Generator, str, Any, int], tuple[np.ndarray, str]],
] = {
    "letters": _letter,
    "symbols": _symbol,
    "scribbles": _scribble,
    "shapes": _shape,
    "cut": _cut,
    "overlapped": _overlapped,
    "crossed": _crossed,
}
