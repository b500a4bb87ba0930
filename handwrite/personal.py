"""Your own handwriting: a personal data set of labelled 28x28 drawings, and fine-tuning data.

The set lives in one ``.npz`` in the user's data directory (``personal.npz``; override the
folder with ``HANDWRITE_HOME``): ``images`` (N, 28, 28) uint8, ``labels`` (N,) uint8 (a
digit 0-9, or :data:`NOT_A_DIGIT_LABEL`, 10, for a drawing that is not a digit),
``timestamps`` (N,) float64 seconds since the epoch, and ``format`` (UTF-8 JSON with the format
name and version). Every change is written atomically; reading never unpickles, and checks
each array's declared dtype and shape before reading its data.

Several windows may share the set: each change takes a lock (``.personal.npz.lock`` beside
it: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows), re-reads the file when another
process changed it since, applies the change to what is there, and writes. So two windows
adding samples never lose one, and a deletion removes those very samples.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from handwrite.atomicfile import atomic_write
from handwrite.dataset import ArrayData, DataSet
from handwrite.refusal import DIGIT_CLASSES, NOT_A_DIGIT
from handwrite.translatable import QT_TRANSLATE_NOOP, TranslatableError, error_phrase
from handwrite.untrusted import InputError, NpzArchive, open_regular, parse_json

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

FORMAT_NAME = "handwrite-personal"
FORMAT_VERSION = 1
MAX_SAMPLES = 100_000
#: The label of a drawing that is not a digit: the class of a network's "not a digit"
#: output (:data:`handwrite.refusal.REFUSING_CLASSES`), which fine-tuning teaches with it.
NOT_A_DIGIT_LABEL = DIGIT_CLASSES
HOME_ENV = "HANDWRITE_HOME"
#: The largest personal set file read: a full set is 78 MB of pixels before compression.
MAX_FILE_BYTES = 128 * 1024 * 1024
_ENTRIES = {"format", "images", "labels", "timestamps"}


class PersonalDataError(TranslatableError):
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
        """How many samples of each digit, (10,) int (the "not a digit" samples apart)."""
        return np.bincount(self.labels.astype(np.int64), minlength=DIGIT_CLASSES + 1)[
            :DIGIT_CLASSES
        ]

    def not_a_digit_count(self) -> int:
        """How many samples are labelled "not a digit"."""
        return int((self.labels == NOT_A_DIGIT_LABEL).sum())


class PersonalDataset:
    """The personal data set on disk. ``add`` and ``delete`` save at once (atomically), under
    a lock, merged with what other processes saved meanwhile.

    Raises :class:`PersonalDataError` (naming the file and the problem) when the file
    cannot be read, whatever it holds: nothing else escapes.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._images = np.zeros((0, 28, 28), np.uint8)
        self._labels = np.zeros(0, np.uint8)
        self._timestamps = np.zeros(0, np.float64)
        #: The file as last read or written: (inode, size, mtime), to see others' changes.
        self._seen: tuple[int, int, int] | None = None
        if os.path.lexists(self.path):
            self._images, self._labels, self._timestamps = self._read()

    def __len__(self) -> int:
        return len(self._labels)

    def __repr__(self) -> str:
        return f"PersonalDataset({str(self.path)!r}, {len(self)} samples)"

    @property
    def data(self) -> PersonalData:
        return PersonalData(self._images.copy(), self._labels.copy(), self._timestamps.copy())

    def add(self, image: Any, label: int, timestamp: float | None = None) -> int:
        """Add a labelled 28x28 drawing and save; returns its index. ``label``: the digit
        0-9, or :data:`NOT_A_DIGIT_LABEL` (10) for a drawing that is not a digit."""
        if (
            isinstance(label, bool)
            or not isinstance(label, (int, np.integer))
            or not 0 <= label <= NOT_A_DIGIT_LABEL
        ):
            raise ValueError(
                f"label must be a digit 0-9 or {NOT_A_DIGIT_LABEL} (not a digit), got {label!r}"
            )
        if len(self) >= MAX_SAMPLES:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "the personal set is full ({count} samples)"),
                    count=MAX_SAMPLES,
                )
            )
        img = to_uint8_image(image)
        if img.max() == 0:
            raise ValueError("the image is blank")
        when = time.time() if timestamp is None else float(timestamp)
        if not np.isfinite(when):
            raise ValueError(f"timestamp must be finite, got {when}")
        with self._locked():
            images, labels, stamps = self._current()
            if len(labels) >= MAX_SAMPLES:
                raise PersonalDataError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "the personal set is full ({count} samples)"),
                        count=MAX_SAMPLES,
                    )
                )
            images = np.concatenate([images, img[None]])
            labels = np.append(labels, np.uint8(label))
            stamps = np.append(stamps, when)
            self._write(images, labels, stamps)
        self._images, self._labels, self._timestamps = images, labels, stamps
        return len(self) - 1

    def delete(self, indices: Any) -> None:
        """Remove the samples at ``indices`` (of :attr:`data` as it is now) and save. When
        another process changed the file meanwhile, those same samples are removed from it
        (matched by pixels, label and time), and the others' changes kept."""
        idx = np.unique(np.asarray(indices, dtype=np.int64).ravel())
        if idx.size and (idx.min() < 0 or idx.max() >= len(self)):
            raise IndexError(f"no such samples: {idx.tolist()} (the set has {len(self)})")
        gone = [self._key(self._images, self._labels, self._timestamps, i) for i in idx]
        with self._locked():
            images, labels, stamps = self._current()
            keep = np.ones(len(labels), bool)
            where = {self._key(images, labels, stamps, i): i for i in range(len(labels))}
            for key in gone:
                if key in where:
                    keep[where[key]] = False
            images, labels, stamps = images[keep], labels[keep], stamps[keep]
            self._write(images, labels, stamps)
        self._images, self._labels, self._timestamps = images, labels, stamps

    @staticmethod
    def _key(images: np.ndarray, labels: np.ndarray, stamps: np.ndarray, i: int) -> tuple:
        return (images[i].tobytes(), int(labels[i]), float(stamps[i]))

    # -- sharing the file ----------------------------------------------------------------
    def _identity(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _current(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The samples as they are on disk now: this object's own when the file is as it
        last read or wrote it (or gone: nothing is lost), else the file's, read again."""
        now = self._identity()
        if now is None or now == self._seen:
            return self._images, self._labels, self._timestamps
        return self._read()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the set's lock file (``.<name>.lock`` beside it) while changing the set, so
        that another process's change cannot fall between our read and our write. The lock
        file stays: removing it could let two processes hold "the" lock at once."""
        lock = self.path.with_name(f".{self.path.name}.lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{path}: could not save your samples ({reason}); nothing was changed",
                    ),
                    path=str(self.path),
                    reason=exc.strerror or str(exc),
                )
            ) from exc
        try:
            _lock(fd)
            try:
                yield
            finally:
                _unlock(fd)
        finally:
            os.close(fd)

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
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "{path}: could not save your samples ({reason}); nothing was changed",
                    ),
                    path=str(self.path),
                    reason=exc.strerror or str(exc),
                )
            ) from exc
        self._seen = self._identity()

    def _read(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The samples in the file, every array checked (dtype, shape, values) before it is
        trusted; :class:`PersonalDataError` for anything else."""
        seen = self._identity()
        try:
            with open_regular(self.path, MAX_FILE_BYTES) as f, NpzArchive(f, MAX_FILE_BYTES) as z:
                if set(z.members) != _ENTRIES:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "not a handwrite personal data set (entries {entries})"
                            ),
                            entries=str(sorted(z.members)[:8]),
                        )
                    )
                meta = parse_json(z.read("format", np.dtype(np.uint8), (None,), 4096).tobytes())
                if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "not a handwrite personal data set")
                        )
                    )
                version = meta.get("version")
                if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "bad format version {version!r}"),
                            version=str(version)[:20],
                        )
                    )
                if version > FORMAT_VERSION:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors",
                                "format version {version} is newer than this program reads; "
                                "update handwrite to open it",
                            ),
                            version=version,
                        )
                    )
                labels = z.read("labels", np.dtype(np.uint8), (None,), MAX_SAMPLES)
                n = len(labels)
                images = z.read("images", np.dtype(np.uint8), (n, 28, 28), n * 784)
                stamps = z.read("timestamps", np.dtype(np.float64), (n,), n * 8)
        except InputError as exc:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: cannot be read ({problem})"),
                    path=str(self.path),
                    problem=exc.phrase,
                )
            ) from None
        except FileNotFoundError:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: the file is gone"), path=str(self.path)
                )
            ) from None
        except OSError as exc:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: cannot be read ({problem})"),
                    path=str(self.path),
                    problem=exc.strerror or str(exc),
                )
            ) from None
        except Exception as exc:  # a check missing above: still the one documented error
            problem = error_phrase(
                QT_TRANSLATE_NOOP("Errors", "unforeseen {kind}: {problem}"),
                kind=type(exc).__name__,
                problem=str(exc),
            )
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: cannot be read ({problem})"),
                    path=str(self.path),
                    problem=problem,
                )
            ) from exc
        if n and labels.max() > NOT_A_DIGIT_LABEL:
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "{path}: labels must be digits 0-9 or 10 (not a digit)"
                    ),
                    path=str(self.path),
                )
            )
        if not np.isfinite(stamps).all():
            raise PersonalDataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{path}: timestamps must be finite"),
                    path=str(self.path),
                )
            )
        self._seen = seen
        return images, labels, stamps.astype(np.float64)


def _lock(fd: int) -> None:
    """Wait for an exclusive lock on the open file ``fd``."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    elif msvcrt is not None:
        while True:  # LK_LOCK itself gives up after 10 tries, a second apart
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError as exc:
                if exc.errno not in (errno.EDEADLK, errno.EACCES):
                    raise


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def set_aside(path: str | os.PathLike[str]) -> Path:
    """Rename the unreadable set at ``path`` to a name of its own beside it,
    ``<stem>.unreadable-<date>-<time>[-<n>]<suffix>``, never replacing another file (not even
    one set aside in the same second). Returns the new path; raises ``OSError`` when the
    file cannot be moved."""
    path = Path(path)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        tail = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{path.stem}.unreadable-{stamp}{tail}{path.suffix}")
        try:
            # link then unlink: unlike a rename, a link never replaces a file that exists
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:
            if os.path.lexists(target):
                continue
            os.rename(path, target)  # no hard links here (FAT, some shares): rename
            return target
        os.unlink(path)
        return target
    raise FileExistsError(errno.EEXIST, "no free name to set the file aside", str(path))


def read_right(model: Any, personal: PersonalData) -> np.ndarray:
    """(N,) bool: which samples ``model`` (a :class:`handwrite.Model`) reads as labelled: a
    digit's sample when :meth:`~handwrite.Model.predict` gives that digit, a "not a digit"
    sample when the model refuses it (a model that never refuses reads none of those)."""
    if len(personal) == 0:
        return np.zeros(0, bool)
    labels = personal.labels.astype(np.int64)
    wanted = np.where(labels == NOT_A_DIGIT_LABEL, NOT_A_DIGIT, labels)
    return np.asarray(model.predict(personal.images)) == wanted


def fine_tune_data(
    personal: PersonalData,
    mnist: DataSet,
    *,
    mnist_images: int = 6000,
    personal_share: float = 0.25,
    seed: int = 0,
    not_a_digit: bool = True,
) -> ArrayData:
    """A training set that mixes the personal samples with MNIST, so the model learns your
    hand without forgetting MNIST.

    ``mnist_images`` random MNIST training images, plus the personal samples repeated so that
    they make up about ``personal_share`` of the set (the trainer's augmentation makes the
    repeats differ). The test set is MNIST's, for the before/after comparison. The negatives
    of a run that learns to refuse are made from MNIST's digits (``negative_source``), as in
    any run on MNIST.

    ``not_a_digit``: keep the samples labelled "not a digit" (class 10, for a network with
    the "not a digit" output); without it (a ten-output network, which has no class for
    them) they are left out.
    """
    if not not_a_digit:
        keep = personal.labels != NOT_A_DIGIT_LABEL
        personal = PersonalData(
            personal.images[keep], personal.labels[keep], personal.timestamps[keep]
        )
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
    return ArrayData(
        images[order],
        labels[order],
        mnist.test_images,
        mnist.test_labels,
        negative_source=(mnist.train_images, mnist.train_labels),
    )
