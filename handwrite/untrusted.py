"""Reading input that may be hostile: regular files only, sizes capped, JSON bounded.

Every loader of the program (model files and checkpoints, the personal set, drawings) opens
its file with :func:`open_regular`, parses JSON with :func:`parse_json` and reads ``.npz``
archives through :class:`NpzArchive`. These raise :class:`InputError`, whose message says
what is wrong (without the file name); each loader turns it into its own documented error
(``ModelFileError``, ``PersonalDataError``, ``ImageError``), which names the file.

What they guard against:

- a path that never ends: a named pipe (FIFO) would block ``open()`` until a writer comes,
  and a device such as ``/dev/zero`` reads forever. :func:`open_regular` opens without
  blocking and checks the open descriptor (no race between the check and the open);
- a file far larger than any real one (checked before reading);
- JSON nested thousands deep (Python's parser would raise ``RecursionError``), and numbers
  that are no numbers (``NaN``, ``Infinity``, ``1e400``, integers beyond 64 bits);
- archive members that unpack to much more than they hold (zip bombs), declared array sizes
  whose product overflows, damaged compressed data (``zlib.error``), unsupported compression
  methods, pickled objects: each becomes an :class:`InputError` before any array is
  allocated from a size the file declares.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import zipfile
from typing import IO, Any

import numpy as np

from handwrite.translatable import QT_TRANSLATE_NOOP, Phrase, TranslatableError, error_phrase

__all__ = [
    "MAX_JSON_DEPTH",
    "InputError",
    "NpzArchive",
    "open_regular",
    "parse_json",
    "read_regular",
]

#: JSON in the program's files nests a few levels (model metadata: four); far deeper is
#: hostile, and Python's parser would run out of stack first.
MAX_JSON_DEPTH = 32
#: Integers in the program's JSON fit in 64 bits; larger ones overflow float() and NumPy.
_INT_LIMIT = 2**63
#: Members an archive may have: a model holds a few dozen arrays.
MAX_MEMBERS = 1000
#: Compressed data inflating more than this (for members above 1 MiB) is a zip bomb:
#: numeric arrays compress a few-fold at most.
MAX_COMPRESSION_RATIO = 200.0


class InputError(TranslatableError):
    """The input is not what it should be; the message (a phrase) says what, in a few words."""


def _kind(mode: int) -> Phrase:
    if stat.S_ISDIR(mode):
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "a folder"))
    if stat.S_ISFIFO(mode):
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "a named pipe (FIFO)"))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "a device"))
    if stat.S_ISSOCK(mode):
        return error_phrase(QT_TRANSLATE_NOOP("Errors", "a socket"))
    return error_phrase(QT_TRANSLATE_NOOP("Errors", "not a regular file"))


def open_regular(path: str | os.PathLike[str], max_bytes: int) -> IO[bytes]:
    """Open ``path`` for reading in binary mode if it is a regular file of at most
    ``max_bytes`` bytes.

    The file is opened with ``O_NONBLOCK`` (so that opening a FIFO returns at once instead of
    waiting for a writer), then the open descriptor is checked with ``fstat``: what is checked
    is what is read. Blocking mode is restored for the regular file.

    Raises :class:`InputError` for a folder, FIFO, device or socket, or a file larger than
    ``max_bytes``; ``OSError`` (``FileNotFoundError``, ``PermissionError``, ...) when the file
    cannot be opened at all.
    """
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_BINARY"):
        flags |= getattr(os, name, 0)
    fd = os.open(os.fspath(path), flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "is {kind}, not a file"), kind=_kind(st.st_mode)
                )
            )
        if st.st_size > max_bytes:
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "is {size:,} bytes, more than the {limit:,} accepted"
                    ),
                    size=st.st_size,
                    limit=max_bytes,
                )
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`); a file that grew
    past ``max_bytes`` since it was opened is refused too."""
    with open_regular(path, max_bytes) as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "holds more than the {limit:,} bytes accepted"),
                limit=max_bytes,
            )
        )
    return data


# ---------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _depth(text: str) -> int:
    """How deep the brackets of the JSON ``text`` nest (strings ignored), in linear time
    without recursion."""
    bare = _JSON_STRING.sub("0", text).encode("ascii", "replace")
    b = np.frombuffer(bare, np.uint8)
    step = (b == ord("[")).astype(np.int32) + (b == ord("{"))
    step -= (b == ord("]")).astype(np.int32) + (b == ord("}"))
    return int(np.cumsum(step).max()) if step.size else 0


def _reject_constant(name: str) -> Any:
    raise InputError(
        error_phrase(
            QT_TRANSLATE_NOOP("Errors", "JSON holds {name}, which is not a number"), name=name
        )
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "JSON holds the number {number}, too large for a float"
                ),
                number=text,
            )
        )
    return value


def _bounded_int(text: str) -> int:
    value = int(text)
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise InputError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "JSON holds the integer {number}, larger than 64 bits"),
                number=text[:30],
            )
        )
    return value


def parse_json(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse UTF-8 JSON that may be hostile.

    Refuses (with :class:`InputError`) text that is not UTF-8 or not JSON, nesting deeper than
    ``max_depth``, ``NaN`` and ``Infinity``, floats that overflow (``1e400``) and integers
    beyond 64 bits, so that what comes back holds only finite numbers.
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "is not UTF-8 JSON ({reason} at byte {byte})"),
                    reason=exc.reason,
                    byte=exc.start,
                )
            ) from None
    depth = _depth(raw)
    if depth > max_depth:
        raise InputError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "JSON nests {depth} levels deep, more than the {limit} accepted"
                ),
                depth=depth,
                limit=max_depth,
            )
        )
    try:
        return json.loads(
            raw,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except InputError:
        raise
    except RecursionError:  # the depth check above should make this unreachable
        raise InputError(error_phrase(QT_TRANSLATE_NOOP("Errors", "JSON nests too deep"))) from None
    except ValueError as exc:
        raise InputError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "is not valid JSON ({problem})"), problem=str(exc)
            )
        ) from None


# ---------------------------------------------------------------------------------------
# .npz archives
# ---------------------------------------------------------------------------------------


def _fits(shape: tuple[int, ...], want: tuple[int | None, ...]) -> bool:
    """Whether ``shape`` matches ``want``, whose None entries match any size."""
    if len(shape) != len(want):
        return False
    return all(w is None or s == w for s, w in zip(shape, want, strict=True))


class NpzArchive:
    """Strict, size-limited access to the arrays of an ``.npz`` archive (a zip of ``.npy``
    files), reading every array's header before its data.

    ``file``: an open binary file (see :func:`open_regular`); ``max_member_bytes``: the most
    one array may unpack to. Raises :class:`InputError` for anything wrong; never unpickles.
    """

    def __init__(self, file: IO[bytes], max_member_bytes: int) -> None:
        try:
            self.zf = zipfile.ZipFile(file)
            infos = self.zf.infolist()
        except Exception as exc:  # BadZipFile, OSError, ValueError, EOFError, struct.error...
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "not a valid .npz archive ({problem})"),
                    problem=str(exc),
                )
            ) from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "holds {count:,} entries, more than the {limit} accepted"
                    ),
                    count=len(infos),
                    limit=MAX_MEMBERS,
                )
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not info.filename.endswith(".npy"):
                raise InputError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "unexpected entry {name!r} (not an .npy array)"
                        ),
                        name=info.filename[:80],
                    )
                )
            key = info.filename[: -len(".npy")]
            if key in self.members:
                raise InputError(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "entry {key!r} appears twice"), key=key
                    )
                )
            if info.file_size > max_member_bytes:
                raise InputError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "entry {key!r} would unpack to {size:,} bytes (too large)"
                        ),
                        key=key,
                        size=info.file_size,
                    )
                )
            if info.file_size > 1024 * 1024 and (
                info.compress_size == 0
                or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise InputError(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "entry {key!r} is compressed {ratio:.0f}:1 (a zip bomb?)"
                        ),
                        key=key,
                        ratio=ratio,
                    )
                )
            self.members[key] = info

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(
        self,
        key: str,
        dtype: np.dtype[Any],
        shape: tuple[int | None, ...] | None,
        max_bytes: int,
    ) -> np.ndarray:
        """The array ``key``, after checking its header: dtype ``dtype``, shape ``shape``
        (None: any; a None entry: any size along that axis), at most ``max_bytes`` of data.
        The size is computed with Python integers, so a declared shape whose product would
        overflow 64 bits is refused like any other too large."""
        info = self.members.get(key)
        if info is None:
            raise InputError(
                error_phrase(QT_TRANSLATE_NOOP("Errors", "missing array {key!r}"), key=key)
            )
        try:
            with self.zf.open(info) as raw:
                f = io.BufferedReader(raw)  # type: ignore[arg-type]
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    hshape, fortran, hdtype = np.lib.format.read_array_header_1_0(f)
                elif version in ((2, 0), (3, 0)):
                    hshape, fortran, hdtype = np.lib.format.read_array_header_2_0(f)
                else:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "array {key!r} has an unknown .npy version {version}"
                            ),
                            key=key,
                            version=version,
                        )
                    )
                hshape = tuple(hshape)
                if hdtype.hasobject:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "array {key!r} holds Python objects (pickle); refused"
                            ),
                            key=key,
                        )
                    )
                if hdtype != dtype:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "array {key!r} has dtype {found}, expected {expected}"
                            ),
                            key=key,
                            found=str(hdtype),
                            expected=str(dtype),
                        )
                    )
                if any(not isinstance(s, int) or s < 0 for s in hshape):
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP("Errors", "array {key!r} declares the shape {shape}"),
                            key=key,
                            shape=str(hshape),
                        )
                    )
                if shape is not None and not _fits(hshape, shape):
                    expected = ", ".join("N" if s is None else str(s) for s in shape)
                    expected = f"({expected},)" if len(shape) == 1 else f"({expected})"
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "array {key!r} has shape {shape}, expected {expected}"
                            ),
                            key=key,
                            shape=str(hshape),
                            expected=expected,
                        )
                    )
                nbytes = math.prod(hshape) * hdtype.itemsize
                if nbytes > max_bytes:
                    raise InputError(
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors", "array {key!r} is {size:,} bytes, more than {limit:,}"
                            ),
                            key=key,
                            size=nbytes,
                            limit=max_bytes,
                        )
                    )
                data = f.read(nbytes + 1)
        except InputError:
            raise
        except Exception as exc:  # zlib.error, BadZipFile, NotImplementedError, EOFError...
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "array {key!r} cannot be read ({kind}: {problem})"),
                    key=key,
                    kind=type(exc).__name__,
                    problem=str(exc),
                )
            ) from None
        if len(data) != nbytes:
            raise InputError(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "array {key!r} holds {found:,} data bytes, expected {expected:,}"
                    ),
                    key=key,
                    found=len(data),
                    expected=nbytes,
                )
            )
        order = "F" if fortran else "C"
        return np.frombuffer(data, dtype=hdtype).reshape(hshape, order=order).copy()
