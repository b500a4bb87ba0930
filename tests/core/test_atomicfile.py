"""Atomic saves clean up after saves that were killed, and touch nothing else."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from handwrite.atomicfile import STALE_SECONDS, atomic_write


def leftover(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"half a model")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_save_removes_what_killed_saves_left_behind(tmp_path: Path) -> None:
    old = STALE_SECONDS + 60
    ours = leftover(tmp_path, ".other.npz.handwrite-k2j3h4g5.tmp", old)
    legacy = leftover(tmp_path, ".model.npz.a1b2c3d4.tmp", old)  # before the mark
    fresh = leftover(tmp_path, ".model.npz.handwrite-zzzz1111.tmp", 5)  # a save running now
    foreign = [
        leftover(tmp_path, ".notes.txt.a1b2c3d4.tmp", old),  # another program's, unmarked
        leftover(tmp_path, "report.tmp", old),
        leftover(tmp_path, ".model.npz.handwrite-TOOLONG99.tmp", old),
        leftover(tmp_path, "model.npz.handwrite-a1b2c3d4.tmp", old),  # not hidden
    ]
    atomic_write(tmp_path / "model.npz", lambda f: f.write(b"new"))
    assert not ours.exists() and not legacy.exists()
    assert fresh.exists() and all(p.exists() for p in foreign)
    assert (tmp_path / "model.npz").read_bytes() == b"new"


def test_an_unmarked_leftover_goes_only_with_its_own_target(tmp_path: Path) -> None:
    legacy = leftover(tmp_path, ".model.npz.a1b2c3d4.tmp", STALE_SECONDS + 60)
    atomic_write(tmp_path / "other.npz", lambda f: f.write(b"x"))
    assert legacy.exists()
    atomic_write(tmp_path / "model.npz", lambda f: f.write(b"x"))
    assert not legacy.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_links_and_folders_with_the_pattern_are_left_alone(tmp_path: Path) -> None:
    target = leftover(tmp_path, "precious", STALE_SECONDS + 60)
    link = tmp_path / ".x.npz.handwrite-a1b2c3d4.tmp"
    link.symlink_to(target)
    folder = tmp_path / ".y.npz.handwrite-a1b2c3d4.tmp"
    folder.mkdir()
    os.utime(folder, (0, 0))
    atomic_write(tmp_path / "model.npz", lambda f: f.write(b"x"))
    assert link.is_symlink() and target.exists() and folder.is_dir()


def test_a_failed_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    def fail(f) -> None:
        f.write(b"partial")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(tmp_path / "model.npz", fail)
    assert list(tmp_path.iterdir()) == []
