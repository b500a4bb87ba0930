"""Your own handwriting: a personal data set of labelled 28x28 drawings, and fine-tuning data.

The set lives in one ``.npz`` in the user's data directory (``personal.npz``; override the
folder with ``HANDWRITE_HOME``): ``images`` (N, 28, 28) uint8, ``labels`` (N,) uint8,
``timestamps`` (N,) float64 seconds since the epoch, and ``format`` (UTF-8 JSON with the format
name and version). Every change is written atomically; reading never unpickles.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from handwrite.atomicfile import atomic_write
from handwrite.dataset import ArrayData, DataSet

FORMAT_NAME = "handwrite-personal"
FORMAT_VERSION = 1
MAX_SAMPLES = 100_000
HOME_ENV = "HANDWRITE_HOME"


class PersonalDataError(Exception):
    """The personal data set cannot be read or written; the message says why."""


def default_path() -> Path:
    """``$HANDWRITE_HOME/personal.npz``, or the platform's user data folder."""
    home = os.environ.get(HOME_ENV)
    folder = Path(home) if home else Path(platformdirs.user_data_dir("handwrite"))
    return folder / "personal.npz"


def to_uint8_image(image: Any) -> np.ndarray:
    """A (28, 28) image (float 0-1 or uint8, bright ink) as uint8 0-255."""
    a = np.asarray(image)
    if a.shape != (28, 28):
        raise ValueError(f"a personal sample must be a 28x28 image, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.copy()
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError("the image holds NaN or infinite values")
    return np.clip(np.rint(a * 255.0), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class PersonalData:
    """An immutable view of the set: (N, 28, 28) uint8 images and their labels."""

    images: np.ndarray
    labels: np.ndarray
    timestamps: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def counts(self) -> np.ndarray:
        """How many samples of each digit, (10,) int."""
        return np.bincount(self.labels.astype(np.int64), minlength=10)


class PersonalDataset:
    """The personal data set on disk. ``add`` and ``delete`` save at once (atomically)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._images = np.zeros((0, 28, 28), np.uint8)
        self._labels = np.zeros(0, np.uint8)
        self._timestamps = np.zeros(0, np.float64)
        if self.path.exists():
            self._read()

    def __len__(self) -> int:
        return len(self._labels)

    def __repr__(self) -> str:
        return f"PersonalDataset({str(self.path)!r}, {len(self)} samples)"

    @property
    def data(self) -> PersonalData:
        return PersonalData(self._images.copy(), self._labels.copy(), self._timestamps.copy())

    def add(self, image: Any, label: int, timestamp: float | None = None) -> int:
        """Add a labelled 28x28 drawing and save; returns its index."""
        if (
            isinstance(label, bool)
            or not isinstance(label, (int, np.integer))
            or not 0 <= label <= 9
        ):
            raise ValueError(f"label must be a digit 0-9, got {label!r}")
        if len(self) >= MAX_SAMPLES:
            raise PersonalDataError(f"the personal set is full ({MAX_SAMPLES} samples)")
        img = to_uint8_image(image)
        if img.max() == 0:
            raise ValueError("the image is blank")
        when = time.time() if timestamp is None else float(timestamp)
        images = np.concatenate([self._images, img[None]])
        labels = np.append(self._labels, np.uint8(label))
        stamps = np.append(self._timestamps, when)
        self._write(images, labels, stamps)
        self._images, self._labels, self._timestamps = images, labels, stamps
        return len(self) - 1

    def delete(self, indices: Any) -> None:
        """Remove the samples at ``indices`` and save."""
        idx = np.unique(np.asarray(indices, dtype=np.int64).ravel())
        if idx.size and (idx.min() < 0 or idx.max() >= len(self)):
            raise IndexError(f"no such samples: {idx.tolist()} (the set has {len(self)})")
        keep = np.ones(len(self), bool)
        keep[idx] = False
        images, labels, stamps = self._images[keep], self._labels[keep], self._timestamps[keep]
        self._write(images, labels, stamps)
        self._images, self._labels, self._timestamps = images, labels, stamps

    # -- file format ---------------------------------------------------------------------
    def _write(self, images: np.ndarray, labels: np.ndarray, stamps: np.ndarray) -> None:
        meta = json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION}).encode()
        arrays = {
            "format": np.frombuffer(meta, np.uint8),
            "images": images,
            "labels": labels,
            "timestamps": stamps,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda f: np.savez_compressed(f, allow_pickle=False, **arrays))
        except OSError as exc:
            raise PersonalDataError(
                f"{self.path}: could not save your samples ({exc.strerror or exc}); "
                "nothing was changed"
            ) from exc

    def _read(self) -> None:
        def fail(problem: str) -> PersonalDataError:
            return PersonalDataError(f"{self.path}: {problem}")

        try:
            with zipfile.ZipFile(self.path) as zf:
                for info in zf.infolist():
                    if info.file_size > 200 * 1024 * 1024:
                        raise fail(f"entry {info.filename!r} is too large")
            with np.load(self.path, allow_pickle=False) as z:
                if set(z.files) != {"format", "images", "labels", "timestamps"}:
                    raise fail(f"not a handwrite personal data set (entries {sorted(z.files)})")
                meta = json.loads(z["format"].tobytes().decode("utf-8"))
                images, labels, stamps = z["images"], z["labels"], z["timestamps"]
        except PersonalDataError:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            raise fail(f"cannot be read ({exc})") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
            raise fail("not a handwrite personal data set")
        if not isinstance(meta.get("version"), int) or meta["version"] > FORMAT_VERSION:
            raise fail(f"format version {meta.get('version')!r} is newer than this program reads")
        n = len(labels)
        if (
            images.dtype != np.uint8
            or images.shape != (n, 28, 28)
            or labels.dtype != np.uint8
            or labels.shape != (n,)
            or stamps.shape != (n,)
            or stamps.dtype != np.float64
        ):
            raise fail(
                f"unexpected arrays: images {images.dtype}{images.shape}, labels "
                f"{labels.dtype}{labels.shape}, timestamps {stamps.dtype}{stamps.shape}"
            )
        if n and labels.max() > 9:
            raise fail("labels must be digits 0-9")
        self._images, self._labels, self._timestamps = images, labels, stamps


def fine_tune_data(
    personal: PersonalData,
    mnist: DataSet,
    *,
    mnist_images: int = 6000,
    personal_share: float = 0.25,
    seed: int = 0,
) -> ArrayData:
    """A training set that mixes the personal samples with MNIST, so the model learns your
    hand without forgetting MNIST.

    ``mnist_images`` random MNIST training images, plus the personal samples repeated so that
    they make up about ``personal_share`` of the set (the trainer's augmentation makes the
    repeats differ). The test set is MNIST's, for the before/after comparison.
    """
    if len(personal) == 0:
        raise ValueError("the personal set is empty: add some of your own digits first")
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(mnist.train_labels), min(mnist_images, len(mnist.train_labels)), False)
    wanted = int(round(personal_share / (1 - personal_share) * len(pick)))
    repeats = max(1, wanted // len(personal))
    images = np.concatenate([mnist.train_images[pick], np.tile(personal.images, (repeats, 1, 1))])
    labels = np.concatenate(
        [mnist.train_labels[pick].astype(np.uint8), np.tile(personal.labels, repeats)]
    )
    order = rng.permutation(len(labels))
    return ArrayData(images[order], labels[order], mnist.test_images, mnist.test_labels)
