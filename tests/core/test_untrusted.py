"""Reading hostile input: only regular files, sizes capped, JSON bounded, archives strict."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from handwrite.modelfile import ModelFileError, load_model
from handwrite.untrusted import InputError, NpzArchive, open_regular, parse_json, read_regular

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "model.npz"
    os.mkfifo(path)
    return path


@posix_only
def test_a_fifo_is_refused_at_once(fifo: Path, deadline) -> None:
    with deadline(10), pytest.raises(InputError, match="named pipe"):
        open_regular(fifo, 100)
    with deadline(10), pytest.raises(ModelFileError, match="named pipe") as info:
        load_model(fifo)
    assert str(fifo) in str(info.value)


@posix_only
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_at_once(deadline) -> None:
    with deadline(10), pytest.raises(ModelFileError, match="is a device, not a file"):
        load_model("/dev/zero")


def test_folders_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises((InputError, IsADirectoryError)):
        open_regular(tmp_path, 100)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="101 bytes, more than the 100 accepted"):
        read_regular(big, 100)
    assert read_regular(big, 101) == b"x" * 101
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "absent", 100)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[" * 33 + "]" * 33, "nests 33 levels deep"),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nests 100000 levels"),
        ("[NaN]", "NaN"),
        ("[Infinity]", "Infinity"),
        ("[1e400]", "1e400"),
        ("[-1e400]", "-1e400"),
        ("[9223372036854775808]", "64 bits"),
        ("[" + "9" * 5000 + "]", "64 bits|not valid JSON"),
        ('{"a": 1', "not valid JSON"),
        (b"\xff{}", "not UTF-8"),
    ],
)
def test_json_that_is_refused(text: str | bytes, match: str) -> None:
    raw = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(InputError, match=match):
        parse_json(raw)


def test_json_that_is_accepted() -> None:
    nested = "[" * 32 + "]" * 32
    assert parse_json(nested.encode()) is not None
    # brackets inside strings are not nesting; escaped quotes do not end a string
    tricky = {"a": "[[[[" * 50, "b": 'say "{{{{"' * 20, "c": [-(2**63), 2**63 - 1, 1.5e300]}
    assert parse_json(json.dumps(tricky).encode()) == tricky


def npz(members: dict[str, bytes]) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    buf.seek(0)
    return buf


def header_only(shape: tuple[int, ...], descr: str = "<f4") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


@pytest.mark.parametrize(
    ("shape", "want", "match"),
    [
        ((2**32, 2**32), None, "73,786,976,294,838,206,464 bytes"),  # 0 in int64
        ((2**62, 4), None, "bytes, more than"),
        ((-1, 4), None, "declares the shape"),
        ((10**9, 28, 28), (None, 28, 28), "bytes, more than"),
        ((), (None,), r"shape \(\), expected \(N,\)"),
    ],
)
def test_declared_shapes_are_checked_with_python_integers(shape, want, match) -> None:
    archive = NpzArchive(npz({"a.npy": header_only(shape)}), 1 << 20)
    with pytest.raises(InputError, match=match):
        archive.read("a", np.dtype("<f4"), want, 1 << 20)


def test_archives_that_are_refused() -> None:
    with pytest.raises(InputError, match="not a valid .npz"):
        NpzArchive(io.BytesIO(b"PK\x03\x04 no zip"), 1 << 20)
    with pytest.raises(InputError, match="not an .npy"):
        NpzArchive(npz({"a.txt": b""}), 1 << 20)
    with pytest.raises(InputError, match="1,001 entries"):
        NpzArchive(npz({f"a{i}.npy": b"" for i in range(1001)}), 1 << 20)
    good = io.BytesIO()
    np.save(good, np.arange(3, dtype=np.float32))
    archive = NpzArchive(npz({"a.npy": good.getvalue()}), 1 << 20)
    assert archive.read("a", np.dtype("<f4"), (3,), 100).tolist() == [0, 1, 2]
    with pytest.raises(InputError, match="dtype float32, expected int64"):
        archive.read("a", np.dtype("<i8"), (3,), 100)
    with pytest.raises(InputError, match="missing array 'b'"):
        archive.read("b", np.dtype("<f4"), (3,), 100)
