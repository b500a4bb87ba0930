"""The bank of negatives training draws from: the same for the same digits and seed however
many processes make it, kept in the cache and read back, and without the digit kinds when
the digits lack some of the ten classes."""

from __future__ import annotations

import numpy as np

from handwrite import negatives
from handwrite.negatives import KINDS, training_bank


def digits(n: int = 300, seed: int = 0, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Strokes of random lengths labelled 0..classes-1: (n, 28, 28) uint8, (n,) int64."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28), np.uint8)
    for img in images:
        top, left = rng.integers(4, 10, 2)
        img[top : top + rng.integers(10, 18), left : left + rng.integers(3, 12)] = 255
    return images, np.arange(n) % classes


def test_the_bank_is_the_same_made_in_one_process_or_two(tmp_path) -> None:
    one = training_bank(digits(), count=21, cache=False, workers=1)
    two = training_bank(digits(), count=21, cache=False, workers=2)
    assert one.shape == (21, 28, 28) and one.dtype == np.uint8
    np.testing.assert_array_equal(one, two)
    # The same as generate() on the bank's canvas, kind by kind in the order of KINDS.
    direct = negatives.generate(21, seed=0, digits=digits(), canvas_size=negatives.BANK_CANVAS)
    np.testing.assert_array_equal(one, direct.images)
    other = training_bank(digits(), count=21, seed=1, cache=False, workers=1)
    assert not np.array_equal(one, other)


def test_the_bank_is_kept_in_the_cache_and_read_back(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(negatives, "bank_cache_dir", lambda: tmp_path)
    made = training_bank(digits(), count=14, workers=1)
    files = list(tmp_path.glob("bank-*.npy"))
    assert len(files) == 1

    def fail(*args, **kwargs):
        raise AssertionError("made again instead of read from the cache")

    monkeypatch.setattr(negatives, "_generate_kind", fail)
    np.testing.assert_array_equal(training_bank(digits(), count=14, workers=1), made)
    # Other digits are another bank.
    other_digits = digits(seed=5)
    monkeypatch.undo()
    monkeypatch.setattr(negatives, "bank_cache_dir", lambda: tmp_path)
    training_bank(other_digits, count=14, workers=1)
    assert len(list(tmp_path.glob("bank-*.npy"))) == 2


def test_a_damaged_cache_file_is_made_again(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(negatives, "bank_cache_dir", lambda: tmp_path)
    made = training_bank(digits(), count=14, workers=1)
    (path,) = tmp_path.glob("bank-*.npy")
    path.write_bytes(b"not an array")
    np.testing.assert_array_equal(training_bank(digits(), count=14, workers=1), made)


def test_digits_without_all_ten_classes_give_no_digit_kinds() -> None:
    bank = training_bank(digits(classes=2), count=12, cache=False, workers=1)
    direct = negatives.generate(12, seed=0, canvas_size=negatives.BANK_CANVAS)
    assert set(direct.kinds.tolist()) <= {
        KINDS.index(k) for k in ("letters", "symbols", "scribbles", "shapes")
    }
    np.testing.assert_array_equal(bank, direct.images)
