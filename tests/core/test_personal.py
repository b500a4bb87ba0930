"""The personal handwriting set: atomic saves, deletion, bad files, fine-tuning data."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import zipfile

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
        (digit(), 11, ValueError),  # 10 is "not a digit"
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
    # no temporary file left; the lock file that writers share stays
    assert sorted(p.name for p in tmp_path.iterdir()) == [".p.npz.lock", "p.npz"]


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


# -- hostile files and shared use ------------------------------------------------------------


def npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


def personal_file(path, **changes) -> None:
    """A personal set file of two samples, with members replaced by ``changes`` (bytes)."""
    members = {
        "format": npy(np.frombuffer(b'{"format": "handwrite-personal", "version": 1}', np.uint8)),
        "images": npy(np.full((2, 28, 28), 200, np.uint8)),
        "labels": npy(np.array([3, 4], np.uint8)),
        "timestamps": npy(np.array([1.0, 2.0])),
    }
    members.update(changes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(f"{name}.npy", data)


def header_only(shape: tuple, descr: str = "|u1") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"labels": npy(np.array(3, np.uint8))}, r"'labels' has shape \(\), expected \(N,\)"),
        ({"images": header_only((10**9, 28, 28))}, "'images' has shape"),
        (
            {"images": header_only((10**9, 28, 28)), "labels": header_only((10**9,))},
            "'labels' is 1,000,000,000 bytes",
        ),
        ({"format": npy(np.frombuffer(b"[" * 2000 + b"]" * 2000, np.uint8))}, "nests 2000"),
        ({"format": npy(np.frombuffer(b'{"format": 1e999}', np.uint8))}, "1e999"),
        ({"timestamps": npy(np.array([1.0, np.nan]))}, "timestamps must be finite"),
        ({"labels": npy(np.array([3, 12], np.uint8))}, "digits 0-9"),
        ({"labels": npy(np.array([3, 4], np.int64))}, "dtype int64, expected uint8"),
    ],
)
def test_hostile_files_are_one_documented_error(tmp_path, changes, match) -> None:
    path = tmp_path / "personal.npz"
    personal_file(path, **changes)
    with pytest.raises(PersonalDataError, match=match) as info:
        PersonalDataset(path)
    assert str(path) in str(info.value)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting(tmp_path, deadline) -> None:
    path = tmp_path / "personal.npz"
    os.mkfifo(path)
    with deadline(20), pytest.raises(PersonalDataError, match="named pipe"):
        PersonalDataset(path)


def test_two_sets_on_one_file_lose_no_sample(tmp_path) -> None:
    path = tmp_path / "personal.npz"
    first, second = PersonalDataset(path), PersonalDataset(path)  # two windows
    first.add(digit(), 1, timestamp=1.0)
    first.add(digit(0.8), 2, timestamp=2.0)
    assert second.add(digit(0.6), 3, timestamp=3.0) == 2  # it sees the other two first
    assert PersonalDataset(path).data.labels.tolist() == [1, 2, 3]
    assert len(second) == 3 and len(first) == 2  # first sees them at its next change
    first.delete([0])  # the sample it showed at 0, wherever it is in the file now
    assert PersonalDataset(path).data.labels.tolist() == [2, 3]
    assert second.add(digit(0.4), 4, timestamp=4.0) == 2
    assert PersonalDataset(path).data.timestamps.tolist() == [2.0, 3.0, 4.0]


ADDER = """
import sys
import numpy as np
from handwrite.personal import PersonalDataset
path, who, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
image = np.zeros((28, 28), np.uint8)
image[5:20, 10 + who] = 255
dataset = PersonalDataset(path)
for i in range(count):
    dataset.add(image, who, timestamp=who * 1000 + i)
"""


def test_processes_adding_at_the_same_time_lose_no_sample(tmp_path) -> None:
    path = tmp_path / "personal.npz"
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), str(who), "15"])
        for who in (1, 2, 3)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    data = PersonalDataset(path).data
    assert len(data) == 45
    assert data.counts()[1:4].tolist() == [15, 15, 15]
    assert sorted(data.timestamps.tolist()) == sorted(
        who * 1000 + i for who in (1, 2, 3) for i in range(15)
    )


def test_files_set_aside_in_the_same_second_keep_their_own_names(tmp_path) -> None:
    kept = []
    for content in (b"first", b"second", b"third"):
        path = tmp_path / "personal.npz"
        path.write_bytes(content)
        kept.append(personal.set_aside(path))
        assert not path.exists()
    assert len(set(kept)) == 3
    assert [p.read_bytes() for p in kept] == [b"first", b"second", b"third"]
    assert all(p.name.startswith("personal.unreadable-") and p.suffix == ".npz" for p in kept)
