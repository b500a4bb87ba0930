"""The personal handwriting set: atomic saves, deletion, bad files, fine-tuning data."""

from __future__ import annotations

import errno

import numpy as np
import pytest

from handwrite import personal
from handwrite.personal import PersonalDataError, PersonalDataset, fine_tune_data
from handwrite.trainer import ArrayData


def digit(value: float = 1.0) -> np.ndarray:
    img = np.zeros((28, 28), np.float32)
    img[6:22, 12:16] = value
    return img


def test_add_delete_and_reload(tmp_path) -> None:
    path = tmp_path / "me" / "personal.npz"
    ds = PersonalDataset(path)
    assert len(ds) == 0 and not path.exists()
    ds.add(digit(), 1, timestamp=100.0)
    ds.add(digit(0.5), 7)
    ds.add(np.full((28, 28), 9, np.uint8), 3)
    again = PersonalDataset(path)
    assert len(again) == 3
    data = again.data
    assert data.images.dtype == np.uint8 and data.images[0].max() == 255
    assert data.labels.tolist() == [1, 7, 3] and data.timestamps[0] == 100.0
    again.delete([0, 2])
    assert PersonalDataset(path).data.labels.tolist() == [7]
    assert PersonalDataset(path).data.counts()[7] == 1


def test_default_path_follows_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HANDWRITE_HOME", str(tmp_path))
    assert personal.default_path() == tmp_path / "personal.npz"


@pytest.mark.parametrize(
    ("image", "label", "error"),
    [
        (digit(), 10, ValueError),
        (digit(), -1, ValueError),
        (digit(), True, ValueError),
        (np.zeros((28, 28)), 1, ValueError),
        (np.zeros((27, 28)), 1, ValueError),
        (np.full((28, 28), np.nan), 1, ValueError),
    ],
)
def test_bad_samples_are_refused(tmp_path, image, label, error) -> None:
    ds = PersonalDataset(tmp_path / "p.npz")
    with pytest.raises(error):
        ds.add(image, label)
    assert len(ds) == 0


def test_delete_out_of_range(tmp_path) -> None:
    ds = PersonalDataset(tmp_path / "p.npz")
    ds.add(digit(), 1)
    with pytest.raises(IndexError):
        ds.delete([5])
    assert len(ds) == 1


def test_a_full_disk_loses_nothing(tmp_path, monkeypatch) -> None:
    path = tmp_path / "p.npz"
    ds = PersonalDataset(path)
    ds.add(digit(), 1)
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", full)
    with pytest.raises(PersonalDataError, match="No space left"):
        ds.add(digit(), 2)
    assert len(ds) == 1 and path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.npz"]


@pytest.mark.parametrize("content", [b"garbage", b"PK\x03\x04broken"])
def test_corrupt_file(tmp_path, content) -> None:
    path = tmp_path / "p.npz"
    path.write_bytes(content)
    with pytest.raises(PersonalDataError, match="cannot be read"):
        PersonalDataset(path)


def test_foreign_npz(tmp_path) -> None:
    path = tmp_path / "p.npz"
    np.savez(path, images=np.zeros((1, 28, 28), np.uint8))
    with pytest.raises(PersonalDataError, match="not a handwrite personal data set"):
        PersonalDataset(path)


def test_fine_tune_data_mixes_personal_samples_with_mnist() -> None:
    rng = np.random.default_rng(0)
    mnist = ArrayData(
        rng.integers(0, 255, (1000, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, 1000).astype(np.uint8),
        rng.integers(0, 255, (50, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, 50).astype(np.uint8),
    )
    mine = personal.PersonalData(
        np.full((4, 28, 28), 200, np.uint8), np.array([1, 1, 7, 7], np.uint8), np.zeros(4)
    )
    data = fine_tune_data(mine, mnist, mnist_images=600, personal_share=0.25)
    n_personal = int((data.train_images == 200).all(axis=(1, 2)).sum())
    assert len(data.train_labels) == 600 + n_personal
    assert n_personal / len(data.train_labels) == pytest.approx(0.25, abs=0.02)
    assert data.test_images is mnist.test_images
    with pytest.raises(ValueError, match="empty"):
        fine_tune_data(
            personal.PersonalData(
                np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8), np.zeros(0)
            ),
            mnist,
        )
