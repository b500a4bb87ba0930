"""Reading model files (the format and its writer: :mod:`handwrite.nn.saving`).

Reading never unpickles and checks everything before it trusts it: that the path is a
regular file of a sane size (a FIFO or ``/dev/zero`` is refused at once), the zip directory
(member names, sizes, compression ratio), the JSON (depth, finite numbers, format, version,
architecture, the types of its sections), the architecture's sizes and memory before
anything is allocated, each array's header (dtype, shape) before its data is read, and finite
values, and a version-2 file's refusal (that it is one and fits the network). Every
problem, whatever the bytes hold, raises :class:`ModelFileError` naming the
file and what is wrong.

``save_model`` and ``ModelFileError`` are here too, so that one module answers for model files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
    PLAIN_FORMAT_VERSION,
    REFUSAL_KEY,
    ModelFileError,
    save_model,
)
from handwrite.refusal import Refusal
from handwrite.translatable import QT_TRANSLATE_NOOP, Phrase, error_phrase, phrase_of
from handwrite.untrusted import InputError, NpzArchive, open_regular, parse_json

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "PLAIN_FORMAT_VERSION",
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
        raise ModelFileError(
            path, error_phrase(QT_TRANSLATE_NOOP("Errors", "no such file"))
        ) from None
    except IsADirectoryError:
        raise ModelFileError(
            path, error_phrase(QT_TRANSLATE_NOOP("Errors", "is a folder, not a model file"))
        ) from None
    except PermissionError:
        raise ModelFileError(
            path, error_phrase(QT_TRANSLATE_NOOP("Errors", "permission denied"))
        ) from None
    except InputError as exc:
        raise ModelFileError(path, exc.phrase) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ModelFileError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot be opened ({problem})"), problem=str(exc)
            ),
        ) from None
    try:
        with f:
            model, meta, opt_state = _read(path, f)
    except (ModelFileError, BackendError):
        raise
    except InputError as exc:
        raise ModelFileError(path, exc.phrase) from None
    except Exception as exc:  # a check missing below: still the one documented error
        raise ModelFileError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot be read (unforeseen {kind}: {problem})"),
                kind=type(exc).__name__,
                problem=str(exc),
            ),
        ) from exc
    return model.to(device), meta, opt_state


def _read(path: Path, f: Any) -> tuple[Model, dict[str, Any], dict[str, np.ndarray]]:
    def fail(problem: Phrase) -> NoReturn:
        raise ModelFileError(path, problem)

    try:
        archive = NpzArchive(f, MAX_MEMBER_BYTES)
    except InputError as exc:
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "not a handwrite model file ({problem})"),
                problem=exc.phrase,
            )
        )
    with archive:
        if METADATA_KEY not in archive.members:
            fail(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "not a handwrite model file: no {key!r} entry (a foreign .npz?)"
                    ),
                    key=METADATA_KEY,
                )
            )
        raw = archive.read(METADATA_KEY, np.dtype(np.uint8), (None,), MAX_METADATA_BYTES)
        meta = _parse_metadata(fail, raw.tobytes())
        try:
            # Zero weights that take no memory until the file's arrays replace them.
            model = Model.from_architecture(meta["architecture"], init_weights=False)
        except ValueError as exc:
            fail(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "bad architecture: {problem}"),
                    problem=phrase_of(exc),
                )
            )
        expected = {name: p.shape for name, p in model.named_parameters()}
        missing = [name for name in expected if name not in archive.members]
        if missing:
            fail(error_phrase(QT_TRANSLATE_NOOP("Errors", "missing array {key!r}"), key=missing[0]))
        opt_keys = {k for k in archive.members if k.startswith(OPTIMIZER_PREFIX)}
        unknown = sorted(set(archive.members) - set(expected) - opt_keys - {METADATA_KEY})
        if len(unknown) > 5:
            fail(
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "unexpected arrays {names} and {more} more for this architecture"
                    ),
                    names=str(unknown[:5]),
                    more=len(unknown) - 5,
                )
            )
        if unknown:
            fail(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "unexpected arrays {names} for this architecture"),
                    names=str(unknown),
                )
            )
        state = {}
        for name, shape in expected.items():
            a = archive.read(name, np.dtype("<f4"), shape, MAX_MEMBER_BYTES)
            if not np.isfinite(a).all():
                fail(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "array {key!r} holds NaN or infinite values"),
                        key=name,
                    )
                )
            state[name] = a
        params = [p for _, p in model.named_parameters()]
        opt_state = {}
        for key in sorted(opt_keys):
            idx_text, _, sname = key[len(OPTIMIZER_PREFIX) :].partition(".")
            if not idx_text.isdigit() or int(idx_text) >= len(params) or not sname:
                fail(
                    error_phrase(
                        QT_TRANSLATE_NOOP("Errors", "optimizer entry {key!r} names no parameter"),
                        key=key,
                    )
                )
            a = archive.read(key, np.dtype("<f4"), params[int(idx_text)].shape, MAX_MEMBER_BYTES)
            if not np.isfinite(a).all():
                fail(
                    error_phrase(
                        QT_TRANSLATE_NOOP(
                            "Errors", "optimizer entry {key!r} holds NaN or infinite values"
                        ),
                        key=key,
                    )
                )
            opt_state[key[len(OPTIMIZER_PREFIX) :]] = a
    model.load_state_dict(state)
    if meta["version"] >= 2:
        model.refusal = _refusal(fail, model, meta.get(REFUSAL_KEY))
    # A version-1 file never refuses: a refusal entry there stays in the metadata, unused.
    skip = {"format", "version", "architecture", "input_shape", "classes"}
    if model.refusal is not None:
        skip.add(REFUSAL_KEY)
    model.metadata = {k: v for k, v in meta.items() if k not in skip}
    return model, meta, opt_state


def _refusal(fail: Callable[[Phrase], NoReturn], model: Model, entry: Any) -> Refusal:
    """A version-2 file's refusal, checked to be one and to fit ``model``."""
    if entry is None:
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "format version 2 needs a {key!r} entry"),
                key=REFUSAL_KEY,
            )
        )
    try:
        refusal = Refusal.from_json(entry)
        model.refusal = refusal
    except ValueError as exc:
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "bad refusal: {problem}"),
                problem=str(exc)[:200],
            )
        )
    return refusal


def _parse_metadata(fail: Callable[[Phrase], NoReturn], raw: bytes) -> dict[str, Any]:
    """The metadata JSON, checked: no deeper than :data:`handwrite.untrusted.MAX_JSON_DEPTH`,
    finite numbers only, the format and version, and the type of each known section."""
    try:
        meta = parse_json(raw)
    except InputError as exc:
        fail(error_phrase(QT_TRANSLATE_NOOP("Errors", "metadata {problem}"), problem=exc.phrase))
    if not isinstance(meta, dict):
        fail(error_phrase(QT_TRANSLATE_NOOP("Errors", "metadata must be a JSON object")))
    if meta.get("format") != FORMAT_NAME:
        found = meta.get("format")
        found = found if isinstance(found, str) and len(found) < 60 else type(found).__name__
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "not a handwrite model file: format is {found!r}, expected {expected!r}",
                ),
                found=found,
                expected=FORMAT_NAME,
            )
        )
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "bad format version {version!r}"),
                version=str(version)[:30],
            )
        )
    if version > FORMAT_VERSION:
        fail(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "format version {version} is newer than this program reads ({supported}); "
                    "update handwrite to open it",
                ),
                version=version,
                supported=FORMAT_VERSION,
            )
        )
    if not isinstance(meta.get("architecture"), dict):
        fail(error_phrase(QT_TRANSLATE_NOOP("Errors", "metadata has no 'architecture' object")))
    for key in _OBJECT_SECTIONS:
        if key in meta and not isinstance(meta[key], dict):
            fail(
                error_phrase(
                    QT_TRANSLATE_NOOP("Errors", "metadata {key!r} must be a JSON object"), key=key
                )
            )
    return meta


def load_model(path: str | os.PathLike[str] | None = None, *, device: str = "cpu") -> Model:
    """Read a model file written by :func:`save_model`; without ``path``, the model shipped
    with handwrite (the trained ``cnn`` the window opens at start). Raises
    :class:`ModelFileError`."""
    if path is None:
        path = resources.default_model_path()
    model, _, _ = read_model_file(path, device=device)
    return model
