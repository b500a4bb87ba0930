"""Reading model files (the format and its writer: :mod:`handwrite.nn.saving`).

Reading never unpickles and checks everything before it trusts it: the zip directory (member
names, sizes, compression ratio), the JSON (format, version, architecture), each array's
header (dtype, shape) before its data is read, and finite values. Every problem raises
:class:`ModelFileError` naming the file and what is wrong.

``save_model`` and ``ModelFileError`` are here too, so that one module answers for model files.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from handwrite import resources
from handwrite.nn.model import Model
from handwrite.nn.saving import (
    FORMAT_NAME,
    FORMAT_VERSION,
    METADATA_KEY,
    OPTIMIZER_PREFIX,
    ModelFileError,
    save_model,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ModelFileError",
    "load_model",
    "read_model_file",
    "save_model",
]

#: Limits against hostile files.
MAX_METADATA_BYTES = 4 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200.0


class _Reader:
    """Strict, size-limited access to the members of an ``.npz`` archive."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.zf = zf
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if not info.filename.endswith(".npy"):
                self.fail(f"unexpected entry {info.filename!r} (not an .npy array)")
            key = info.filename[: -len(".npy")]
            if key in self.members:
                self.fail(f"entry {key!r} appears twice")
            if info.file_size > MAX_MEMBER_BYTES:
                self.fail(f"entry {key!r} would unpack to {info.file_size:,} bytes (too large)")
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
                # numeric weights compress a few-fold at most: this is a zip bomb
                ratio = info.file_size / info.compress_size
                if info.file_size > 1024 * 1024:
                    self.fail(f"entry {key!r} is compressed {ratio:.0f}:1 (a zip bomb?)")
            self.members[key] = info

    def fail(self, problem: str) -> NoReturn:
        raise ModelFileError(self.path, problem)

    def read(
        self,
        key: str,
        dtype: np.dtype,
        shape: tuple[int, ...] | None,
        max_bytes: int = MAX_MEMBER_BYTES,
    ) -> np.ndarray:
        """Read ``key`` after checking its header: dtype must be ``dtype``, shape ``shape``."""
        info = self.members.get(key)
        if info is None:
            self.fail(f"missing array {key!r}")
        try:
            with self.zf.open(info) as raw:
                f = io.BufferedReader(raw)
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    hshape, fortran, hdtype = np.lib.format.read_array_header_1_0(f)
                elif version in ((2, 0), (3, 0)):
                    hshape, fortran, hdtype = np.lib.format.read_array_header_2_0(f)
                else:
                    self.fail(f"array {key!r} has an unknown .npy version {version}")
                if hdtype.hasobject:
                    self.fail(f"array {key!r} holds Python objects (pickle); refused")
                if hdtype != dtype:
                    self.fail(f"array {key!r} has dtype {hdtype}, expected {dtype}")
                if shape is not None and tuple(hshape) != shape:
                    self.fail(f"array {key!r} has shape {tuple(hshape)}, expected {shape}")
                nbytes = int(np.prod(hshape, dtype=np.int64)) * hdtype.itemsize
                if nbytes > max_bytes:
                    self.fail(f"array {key!r} is {nbytes:,} bytes, more than {max_bytes:,}")
                data = f.read(nbytes + 1)
        except ModelFileError:
            raise
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, RuntimeError) as exc:
            self.fail(f"array {key!r} cannot be read ({exc})")
        if len(data) != nbytes:
            self.fail(f"array {key!r} holds {len(data):,} data bytes, expected {nbytes:,}")
        order = "F" if fortran else "C"
        return np.frombuffer(data, dtype=hdtype).reshape(hshape, order=order).copy()


def read_model_file(
    path: str | os.PathLike[str], *, device: str = "cpu"
) -> tuple[Model, dict[str, Any], dict[str, np.ndarray]]:
    """Read and validate a model file. Returns (model, metadata, optimizer state arrays).

    Raises :class:`ModelFileError` for anything wrong with the file.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except IsADirectoryError:
        raise ModelFileError(path, "is a folder, not a model file") from None
    except PermissionError:
        raise ModelFileError(path, "permission denied") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ModelFileError(
            path, f"not a handwrite model file (not a valid .npz archive: {exc})"
        ) from None
    with zf:
        reader = _Reader(path, zf)
        if METADATA_KEY not in reader.members:
            reader.fail(f"not a handwrite model file: no {METADATA_KEY!r} entry (a foreign .npz?)")
        raw = reader.read(METADATA_KEY, np.dtype(np.uint8), None, MAX_METADATA_BYTES)
        if raw.ndim != 1:
            reader.fail(f"{METADATA_KEY!r} must be a 1-D byte array")
        meta = _parse_metadata(reader, raw.tobytes())
        try:
            model = Model.from_architecture(meta["architecture"], metadata=None)
        except ValueError as exc:
            reader.fail(f"bad architecture: {exc}")
        expected = {name: p.shape for name, p in model.named_parameters()}
        opt_keys = {k for k in reader.members if k.startswith(OPTIMIZER_PREFIX)}
        unknown = sorted(set(reader.members) - set(expected) - opt_keys - {METADATA_KEY})
        if unknown:
            reader.fail(f"unexpected arrays {unknown} for this architecture")
        state = {}
        for name, shape in expected.items():
            a = reader.read(name, np.dtype("<f4"), shape)
            if not np.isfinite(a).all():
                reader.fail(f"array {name!r} holds NaN or infinite values")
            state[name] = a
        params = [p for _, p in model.named_parameters()]
        opt_state = {}
        for key in sorted(opt_keys):
            idx_text, _, sname = key[len(OPTIMIZER_PREFIX) :].partition(".")
            if not idx_text.isdigit() or int(idx_text) >= len(params) or not sname:
                reader.fail(f"optimizer entry {key!r} names no parameter")
            a = reader.read(key, np.dtype("<f4"), params[int(idx_text)].shape)
            if not np.isfinite(a).all():
                reader.fail(f"optimizer entry {key!r} holds NaN or infinite values")
            opt_state[key[len(OPTIMIZER_PREFIX) :]] = a
    model.load_state_dict(state)
    model.metadata = {
        k: v
        for k, v in meta.items()
        if k not in ("format", "version", "architecture", "input_shape", "classes")
    }
    return model.to(device), meta, opt_state


def _parse_metadata(reader: _Reader, raw: bytes) -> dict[str, Any]:
    try:
        meta = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        reader.fail(f"metadata is not valid UTF-8 JSON ({exc})")
    if not isinstance(meta, dict):
        reader.fail("metadata must be a JSON object")
    if meta.get("format") != FORMAT_NAME:
        reader.fail(
            f"not a handwrite model file: format is {meta.get('format')!r}, "
            f"expected {FORMAT_NAME!r}"
        )
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reader.fail(f"bad format version {version!r}")
    if version > FORMAT_VERSION:
        reader.fail(
            f"format version {version} is newer than this program reads ({FORMAT_VERSION}); "
            "update handwrite to open it"
        )
    if not isinstance(meta.get("architecture"), dict):
        reader.fail("metadata has no 'architecture' object")
    for key in ("training", "preprocessing"):
        if key in meta and not isinstance(meta[key], dict):
            reader.fail(f"metadata {key!r} must be a JSON object")
    return meta


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in metadata")


def load_model(path: str | os.PathLike[str] | None = None, *, device: str = "cpu") -> Model:
    """Read a model file written by :func:`save_model`; without ``path``, the model shipped
    with handwrite (the trained ``cnn`` the window opens at start). Raises
    :class:`ModelFileError`."""
    if path is None:
        path = resources.default_model_path()
    model, _, _ = read_model_file(path, device=device)
    return model
