"""Atomic file writes: a crash or a full disk never leaves a half-written file behind.

The temporary file is named ``.<name>.handwrite-<8 random characters>.tmp`` beside the
target. A process killed while writing (``kill -9``, a power cut) leaves it behind; the next
save to the same folder removes such leftovers (:func:`remove_stale_temporaries`): only names
of that pattern, and only when they are older than :data:`STALE_SECONDS`, so that another
program's files and another process's save in progress are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: A temporary file this old is a leftover: a save takes seconds.
STALE_SECONDS = 15 * 60
#: The mark in the temporary files' names that says this program wrote them.
_MARK = "handwrite-"
#: ``.<target name>.handwrite-<8 characters of tempfile's alphabet>.tmp``; the mark is
#: optional for the target being saved (earlier versions named their files without it).
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?P<mark>handwrite-)?[a-z0-9_]{8}\.tmp")


def _default_mode() -> int:
    """0o666 less the process umask: the mode ``open()`` would give a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def remove_stale_temporaries(
    folder: str | os.PathLike[str], target: str, max_age: float = STALE_SECONDS
) -> list[Path]:
    """Remove the temporary files an interrupted :func:`atomic_write` left in ``folder``,
    last modified more than ``max_age`` seconds ago: any bearing this program's mark, and
    ``target``'s own (a file name) from before the mark. Only regular files are removed
    (never a link or a folder). Returns what was removed; errors are ignored (a leftover is
    untidy, not harmful)."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None:
            continue
        if match["mark"] is None and match["target"] != target:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > max_age:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(binary_file)`` on a temporary file beside ``path``, flush it to disk, then
    rename it over ``path``.

    On any error the temporary file is removed, ``path`` is left as it was, and the error
    (usually an ``OSError`` such as ENOSPC) propagates. Leftovers of earlier interrupted
    saves in the folder are removed first (:func:`remove_stale_temporaries`).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_temporaries(folder, path.name)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{_MARK}", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private; give it the mode the file had, or the usual one.
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp_name, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
