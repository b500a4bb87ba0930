"""handwrite.negatives: reproducible drawings that are not digits, with a held-out split."""

from __future__ import annotations

import numpy as np
import pytest

from handwrite.mnist import load_mnist
from handwrite.negatives import (
    CUT_HALVES,
    DEFAULT_MIX,
    KINDS,
    LETTER_FONTS,
    MIN_ASPECT,
    SYMBOL_FONTS,
    generate,
    glyph,
)

#: Keys of Latin glyphs that look like digits: none may be drawn from a Latin font.
LATIN_DIGIT_LIKE = set("OoQDIliJjLTZzBSsGbgqady") | set("0123456789")
#: Keys drawn from the fonts that are not Latin, and what they must avoid there: Greek
#: Β Γ Ζ Θ Ι Ο Τ Φ Ω β γ δ ε ζ θ ι ξ ο ρ σ τ φ; Cyrillic Б В Г З О Т У Ф Ч а б в г з о т у ф ч.
NON_LATIN_EXCLUDED = {
    "greeks": set("BCFHIOSUXbcdefhinoqrsu"),
    "cyrilc_1": set("BCDHOSTUXabcdhostux"),
}
SIGNS_LIKE_DIGITS = set("|/\\()[]{}!?$&.,:;'\"`") | set("0123456789")
PER_KIND = 6


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir, download=False)


@pytest.fixture(scope="module")
def train_negatives(mnist):
    digits = (mnist.train_images[:2000], mnist.train_labels[:2000])
    return generate({k: PER_KIND for k in KINDS}, split="train", seed=1, digits=digits)


def test_every_kind_is_there_mnist_shaped_and_not_blank(train_negatives) -> None:
    neg = train_negatives
    assert neg.images.shape == (PER_KIND * len(KINDS), 28, 28) and neg.images.dtype == np.uint8
    assert neg.kinds.dtype == np.int64 and neg.names.shape == (len(neg),)
    for kind in KINDS:
        images = neg.of_kind(kind)
        assert len(images) == PER_KIND, kind
        assert (images.reshape(PER_KIND, -1).max(axis=1) == 255).all(), kind
        # Preprocessed: the longer side of the ink spans MNIST's 20 px box.
        for image in images:
            ink = image > 0
            rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == 20
    for name, k in zip(neg.names, neg.kinds, strict=True):
        assert name.startswith(KINDS[k] + "/")


def test_the_same_seed_gives_the_same_drawings(mnist, train_negatives) -> None:
    digits = (mnist.train_images[:2000], mnist.train_labels[:2000])
    again = generate({k: PER_KIND for k in KINDS}, split="train", seed=1, digits=digits)
    np.testing.assert_array_equal(again.images, train_negatives.images)
    np.testing.assert_array_equal(again.names, train_negatives.names)
    other = generate({k: PER_KIND for k in KINDS}, split="train", seed=2, digits=digits)
    assert not np.array_equal(other.images, train_negatives.images)


def test_the_eval_split_uses_other_fonts_and_other_drawings(mnist, train_negatives) -> None:
    for table in (LETTER_FONTS, SYMBOL_FONTS):
        assert not set(table["train"]) & set(table["eval"])
    digits = (mnist.test_images[:2000], mnist.test_labels[:2000])
    held_out = generate({k: PER_KIND for k in KINDS}, split="eval", seed=1, digits=digits)
    eval_fonts = set(LETTER_FONTS["eval"]) | set(SYMBOL_FONTS["eval"])
    for name in held_out.names:
        kind, rest = name.split("/", 1)
        if kind in ("letters", "symbols"):
            assert rest.split("/")[0] in eval_fonts, name
    train_rows = {im.tobytes() for im in train_negatives.images}
    assert not any(im.tobytes() in train_rows for im in held_out.images)


def test_no_digit_like_glyph_is_ever_drawn() -> None:
    for split in ("train", "eval"):
        for font, keys in LETTER_FONTS[split].items():
            banned = NON_LATIN_EXCLUDED.get(font, LATIN_DIGIT_LIKE)
            assert not set(keys) & banned, (font, set(keys) & banned)
        for font, keys in SYMBOL_FONTS[split].items():
            if font in ("futural", "timesr"):
                assert not set(keys) & SIGNS_LIKE_DIGITS, font
    # ... and the generator only draws keys from those tables.
    neg = generate({"letters": 60, "symbols": 30}, split="train", seed=3)
    for name in neg.names:
        kind, font, key = name.split("/")
        table = LETTER_FONTS if kind == "letters" else SYMBOL_FONTS
        assert key in table["train"][font], name


def test_cut_digits_keep_only_the_halves_that_are_not_digit_like(mnist) -> None:
    digits = (mnist.train_images[:3000], mnist.train_labels[:3000])
    neg = generate({"cut": 40}, split="train", seed=4, digits=digits)
    for name in neg.names:
        _, digit, half, look = name.split("/")
        assert half in CUT_HALVES[int(digit)], name
        assert look in ("pen", "scan")
    assert 1 not in CUT_HALVES and 8 not in CUT_HALVES


def test_nothing_comes_out_as_narrow_as_a_one(train_negatives) -> None:
    for image in train_negatives.images:
        ink = image > 64
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        assert (cols[-1] - cols[0] + 1) >= MIN_ASPECT * (rows[-1] - rows[0] + 1)


def test_overlapped_digits_are_two_different_digits_without_a_one(train_negatives) -> None:
    for name in train_negatives.names:
        if name.startswith("overlapped/"):
            a, b = name.split("/")[1].split("+")
            assert a != b and "1" not in (a, b)


def test_counts_mix_and_arguments() -> None:
    neg = generate(20, split="train", seed=0)  # no digits: the MNIST kinds are left out
    assert len(neg) == 20
    counts = {k: int((neg.kinds == i).sum()) for i, k in enumerate(KINDS)}
    assert counts["cut"] == counts["overlapped"] == counts["crossed"] == 0
    assert counts["letters"] >= counts["symbols"] and sum(counts.values()) == 20
    assert abs(sum(DEFAULT_MIX.values()) - 1.0) < 1e-9
    with pytest.raises(ValueError, match="need MNIST digits"):
        generate({"cut": 1})
    with pytest.raises(ValueError, match="split"):
        generate(1, split="test")
    with pytest.raises(ValueError, match="unknown kinds"):
        generate({"doodles": 1})


def test_glyphs_are_strokes_in_font_units() -> None:
    strokes = glyph("futural", "A")
    assert len(strokes) == 3  # two slanted strokes and the bar
    assert all(s.ndim == 2 and s.shape[1] == 2 and s.dtype == np.float32 for s in strokes)
    apex = min(strokes[0][:, 1].min(), strokes[1][:, 1].min())
    bar = strokes[2][:, 1].mean()
    assert apex < bar  # y grows downwards: the apex is above the bar
