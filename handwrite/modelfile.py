"""Reading model files (the format and its writer: :mod:`handwrite.nn.saving`).

Reading never unpickles and checks everything before it trusts it: that the path is a
regular file of a sane size (a FIFO or ``/dev/zero`` is refused at once), the zip directory
(member names, sizes, compression ratio), the JSON (depth, finite numbers, format, version,
architecture, the types of its sections), the architecture's sizes and memory before
anything is allocated, each array's header (dtype, shape) before its data is read, and finite
values. Every problem, whatever the bytes hold, raises :class:`ModelFileError` naming the
file and what is wrong.

``save_model`` and ``ModelFileError`` are here too, so that one module answers for model files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from handwrite import resources
from handwrite.nn.backend import BackendError
from handwrite.nn.model import Model
from handwrite.nn.saving import (
    FORMAT_NAME,
    FORMAT_VERSION,
    METADATA_KEY,
    OPTIMIZER_PREFIX,
    ModelFileError,
    save_model,
)
from handwrite.untrusted import InputError, NpzArchive, open_regular, parse_json

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ModelFileError",
    "load_model",
    "read_model_file",
    "save_model",
]

#: Limits against hostile files. The largest model allowed (50 million parameters, with
#: Adam's two state arrays each) packs into well under 1 GiB.
MAX_FILE_BYTES = 1 << 30
MAX_METADATA_BYTES = 4 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
#: Metadata sections that must be JSON objects when present.
_OBJECT_SECTIONS = ("training", "preprocessing", "history", "optimizer", "checkpoint")


def read_model_file(
    path: str | os.PathLike[str], *, device: str = "cpu"
) -> tuple[Model, dict[str, Any], dict[str, np.ndarray]]:
    """Read and validate a model file. Returns (model, metadata, optimizer state arrays).

    Raises :class:`ModelFileError` for anything wrong with the file (and
    :class:`~handwrite.nn.backend.BackendError` when ``device`` cannot be used).
    """
    path = Path(path)
    try:
        f = open_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except IsADirectoryError:
        raise ModelFileError(path, "is a folder, not a model file") from None
    except PermissionError:
        raise ModelFileError(path, "permission denied") from None
    except InputError as exc:
        raise ModelFileError(path, str(exc)) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ModelFileError(path, f"cannot be opened ({exc})") from None
    try:
        with f:
            model, meta, opt_state = _read(path, f)
    except (ModelFileError, BackendError):
        raise
    except InputError as exc:
        raise ModelFileError(path, str(exc)) from None
    except Exception as exc:  # a check missing below: still the one documented error
        raise ModelFileError(
            path, f"cannot be read (unforeseen {type(exc).__name__}: {exc})"
        ) from exc
    return model.to(device), meta, opt_state


def _read(path: Path, f: Any) -> tuple[Model, dict[str, Any], dict[str, np.ndarray]]:
    def fail(problem: str) -> NoReturn:
        raise ModelFileError(path, problem)

    try:
        archive = NpzArchive(f, MAX_MEMBER_BYTES)
    except InputError as exc:
        fail(f"not a handwrite model file ({exc})")
    with archive:
        if METADATA_KEY not in archive.members:
            fail(f"not a handwrite model file: no {METADATA_KEY!r} entry (a foreign .npz?)")
        raw = archive.read(METADATA_KEY, np.dtype(np.uint8), (None,), MAX_METADATA_BYTES)
        meta = _parse_metadata(fail, raw.tobytes())
        try:
            # Zero weights that take no memory until the file's arrays replace them.
            model = Model.from_architecture(meta["architecture"], init_weights=False)
        except ValueError as exc:
            fail(f"bad architecture: {exc}")
        expected = {name: p.shape for name, p in model.named_parameters()}
        missing = [name for name in expected if name not in archive.members]
        if missing:
            fail(f"missing array {missing[0]!r}")
        opt_keys = {k for k in archive.members if k.startswith(OPTIMIZER_PREFIX)}
        unknown = sorted(set(archive.members) - set(expected) - opt_keys - {METADATA_KEY})
        if unknown:
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            fail(f"unexpected arrays {unknown[:5]}{more} for this architecture")
        state = {}
        for name, shape in expected.items():
            a = archive.read(name, np.dtype("<f4"), shape, MAX_MEMBER_BYTES)
            if not np.isfinite(a).all():
                fail(f"array {name!r} holds NaN or infinite values")
            state[name] = a
        params = [p for _, p in model.named_parameters()]
        opt_state = {}
        for key in sorted(opt_keys):
            idx_text, _, sname = key[len(OPTIMIZER_PREFIX) :].partition(".")
            if not idx_text.isdigit() or int(idx_text) >= len(params) or not sname:
                fail(f"optimizer entry {key!r} names no parameter")
            a = archive.read(key, np.dtype("<f4"), params[int(idx_text)].shape, MAX_MEMBER_BYTES)
            if not np.isfinite(a).all():
                fail(f"optimizer entry {key!r} holds NaN or infinite values")
            opt_state[key[len(OPTIMIZER_PREFIX) :]] = a
    model.load_state_dict(state)
    model.metadata = {
        k: v
        for k, v in meta.items()
        if k not in ("format", "version", "architecture", "input_shape", "classes")
    }
    return model, meta, opt_state


def _parse_metadata(fail: Any, raw: bytes) -> dict[str, Any]:
    """The metadata JSON, checked: no deeper than :data:`handwrite.untrusted.MAX_JSON_DEPTH`,
    finite numbers only, the format and version, and the type of each known section."""
    try:
        meta = parse_json(raw)
    except InputError as exc:
        fail(f"metadata {exc}")
    if not isinstance(meta, dict):
        fail("metadata must be a JSON object")
    if meta.get("format") != FORMAT_NAME:
        found = meta.get("format")
        found = found if isinstance(found, str) and len(found) < 60 else type(found).__name__
        fail(f"not a handwrite model file: format is {found!r}, expected {FORMAT_NAME!r}")
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        fail(f"bad format version {str(version)[:30]!r}")
    if version > FORMAT_VERSION:
        fail(
            f"format version {version} is newer than this program reads ({FORMAT_VERSION}); "
            "update handwrite to open it"
        )
    if not isinstance(meta.get("architecture"), dict):
        fail("metadata has no 'architecture' object")
    for key in _OBJECT_SECTIONS:
        if key in meta and not isinstance(meta[key], dict):
            fail(f"metadata {key!r} must be a JSON object")
    return meta


def load_model(path: str | os.PathLike[str] | None = None, *, device: str = "cpu") -> Model:
    """Read a model file written by :func:`save_model`; without ``path``, the model shipped
    with handwrite (the trained ``cnn`` the window opens at start). Raises
    :class:`ModelFileError`."""
    if path is None:
        path = resources.default_model_path()
    model, _, _ = read_model_file(path, device=device)
    return model
