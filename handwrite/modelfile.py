"""Model files: one ``.npz`` of named float32 arrays plus one UTF-8 JSON metadata entry.

Layout (format ``handwrite-model``, version 1):

- ``metadata``: uint8 array holding UTF-8 JSON: ``{"format", "version", "architecture",
  "input_shape", "classes", "preprocessing", "training", "history", "optimizer",
  "checkpoint"}``. ``training`` is the summary of the run (epochs, optimizer, final losses,
  test accuracy, date); ``history`` its curves (per-batch loss, per-epoch losses and
  accuracies, ``batches_per_epoch``); ``optimizer`` and ``checkpoint`` (settings and position)
  are present only in resumable checkpoints.
- ``"<layer>.<param>"`` (``"0.weight"``, ``"0.bias"``, ...): the parameters, float32.
  Convolution weights are (out_channels, in_channels, kh, kw); fully connected weights are
  (out_features, in_features), so ``y = x @ weight.T + bias`` as in PyTorch.
- ``"optimizer.<param index>.<state>"`` (optional): optimizer state (``m``, ``v``,
  ``velocity``) to resume training.

Writing goes to a temporary file in the target folder, is flushed to disk, then
``os.replace``-d over the target: a crash or a full disk leaves the old file intact.

Reading never unpickles and checks everything before it trusts it: the zip directory (member
names, sizes, compression ratio), the JSON (format, version, architecture), each array's
header (dtype, shape) before its data is read, and finite values. Every problem raises
:class:`ModelFileError` naming the file and what is wrong.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from handwrite.atomicfile import atomic_write
from handwrite.nn.model import Model
from handwrite.nn.optim import Optimizer, OptimizerState

FORMAT_NAME = "handwrite-model"
FORMAT_VERSION = 1
METADATA_KEY = "metadata"
OPTIMIZER_PREFIX = "optimizer."

#: Limits against hostile files.
MAX_METADATA_BYTES = 4 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200.0

#: The default preprocessing a model expects from a drawing (see handwrite.preprocess).
DEFAULT_PREPROCESSING: dict[str, Any] = {
    "input": "28x28 grey, ink bright (1.0) on a dark background (0.0), float32 in [0, 1]",
    "digit_box": 20,
    "centering": "center of mass at the image centre",
}


class ModelFileError(Exception):
    """A model file cannot be read or written; the message names the file and the problem."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def _optimizer_state(optimizer: Optimizer | OptimizerState | None) -> OptimizerState | None:
    return optimizer.snapshot() if isinstance(optimizer, Optimizer) else optimizer


def build_metadata(
    model: Model,
    optimizer: Optimizer | OptimizerState | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    optimizer = _optimizer_state(optimizer)
    meta = dict(model.metadata)
    if extra:
        meta.update(extra)
    meta.setdefault("preprocessing", dict(DEFAULT_PREPROCESSING))
    meta.setdefault("training", {})
    meta["format"] = FORMAT_NAME
    meta["version"] = FORMAT_VERSION
    meta["architecture"] = model.architecture()
    meta["input_shape"] = list(model.input_shape)
    meta["classes"] = list(model.classes)
    meta["saved"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    if optimizer is not None:
        meta["optimizer"] = {
            "name": optimizer.name,
            "hyperparameters": optimizer.hyperparameters,
            "steps": optimizer.steps,
        }
    else:
        # Without optimizer state the file is no longer a resumable checkpoint.
        meta.pop("optimizer", None)
        if not (extra and "checkpoint" in extra):
            meta.pop("checkpoint", None)
    return meta


def save_model(
    model: Model,
    path: str | os.PathLike[str],
    *,
    optimizer: Optimizer | OptimizerState | None = None,
    extra_metadata: dict[str, Any] | None = None,
) -> None:
    """Write ``model`` (and ``optimizer`` state, if given) to ``path`` atomically.

    Raises :class:`ModelFileError` (from the ``OSError``) when the file cannot be written; the
    previous file at ``path``, if any, is then left as it was.
    """
    path = Path(path)
    optimizer = _optimizer_state(optimizer)
    meta = build_metadata(model, optimizer, extra_metadata)
    try:
        text = json.dumps(meta, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(path, f"metadata is not plain JSON: {exc}") from exc
    arrays: dict[str, np.ndarray] = {METADATA_KEY: np.frombuffer(text.encode("utf-8"), np.uint8)}
    for key, value in model.state_dict().items():
        arrays[key] = np.ascontiguousarray(value, dtype=np.float32)
    if optimizer is not None:
        for key, value in optimizer.arrays.items():
            arrays[OPTIMIZER_PREFIX + key] = value
    try:
        atomic_write(path, lambda f: np.savez_compressed(f, allow_pickle=False, **arrays))
    except OSError as exc:
        raise ModelFileError(path, f"could not save ({exc.strerror or exc})") from exc


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


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

    def fail(self, problem: str) -> None:
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


def load_model(path: str | os.PathLike[str], *, device: str = "cpu") -> Model:
    """Read a model file written by :meth:`Model.save`. Raises :class:`ModelFileError`."""
    model, _, _ = read_model_file(path, device=device)
    return model
