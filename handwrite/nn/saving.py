"""Saving a model: the model file format and its one writer, :func:`save_model`.

A model file is one ``.npz`` of named float32 arrays plus one UTF-8 JSON metadata entry.
Layout (format ``handwrite-model``, version 1, or 2 for a model that refuses):

- ``metadata``: uint8 array holding UTF-8 JSON: ``{"format", "version", "architecture",
  "input_shape", "classes", "preprocessing", "training", "history", "optimizer",
  "checkpoint"}``. ``training`` is the summary of the run (epochs, optimizer, final losses,
  test accuracy, date); ``history`` its curves (per-batch loss, per-epoch losses and
  accuracies, ``batches_per_epoch``); ``optimizer`` and ``checkpoint`` (settings and position)
  are present only in resumable checkpoints. Version 2 adds ``refusal``
  (:meth:`handwrite.refusal.Refusal.to_json`: method, threshold, temperature, ...), which a
  version-2 file must have. A model without a refusal is written as version 1, so that
  older readers open it; a ``refusal`` entry in a version-1 file is kept in the model's
  metadata as it is and never used.
- ``"<layer>.<param>"`` (``"0.weight"``, ``"0.bias"``, ...): the parameters, float32.
  Convolution weights are (out_channels, in_channels, kh, kw); fully connected weights are
  (out_features, in_features), so ``y = x @ weight.T + bias`` as in PyTorch.
- ``"optimizer.<param index>.<state>"`` (optional): optimizer state (``m``, ``v``,
  ``velocity``) to resume training.

Writing goes to a temporary file in the target folder, is flushed to disk, then
``os.replace``-d over the target: a crash or a full disk leaves the old file intact.

Reading a file, which must distrust it, is :mod:`handwrite.modelfile`'s work. The format and
the writer live here, inside :mod:`handwrite.nn`, so that :meth:`Model.save
<handwrite.nn.model.Model.save>` writes without importing the reader above it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from handwrite.atomicfile import atomic_write
from handwrite.nn.optim import Optimizer, OptimizerState
from handwrite.translatable import (
    QT_TRANSLATE_NOOP,
    FileProblemError,
    error_phrase,
)

FORMAT_NAME = "handwrite-model"
#: The newest format version this program writes and reads.
FORMAT_VERSION = 2
#: The version of a file without a refusal.
PLAIN_FORMAT_VERSION = 1
#: The metadata key of the refusal in a version-2 file.
REFUSAL_KEY = "refusal"
METADATA_KEY = "metadata"
OPTIMIZER_PREFIX = "optimizer."

#: The default preprocessing a model expects from a drawing (see handwrite.preprocess).
DEFAULT_PREPROCESSING: dict[str, Any] = {
    "input": "28x28 grey, ink bright (1.0) on a dark background (0.0), float32 in [0, 1]",
    "digit_box": 20,
    "centering": "center of mass at the image centre",
}


class SavableModel(Protocol):
    """What the writer reads of a :class:`~handwrite.nn.model.Model` (which imports it)."""

    metadata: dict[str, Any]
    input_shape: tuple[int, ...]
    classes: tuple[str, ...]

    @property
    def refusal(self) -> Any: ...

    def architecture(self) -> dict[str, Any]: ...

    def state_dict(self) -> dict[str, np.ndarray]: ...


class ModelFileError(FileProblemError):
    """A model file cannot be read or written; the message names the file and the problem.

    ``problem_phrase`` is the problem alone (``problem``: its English text), for a message
    that names the file in its own words."""


def _file_metadata(
    model: SavableModel, optimizer: OptimizerState | None, extra: dict[str, Any] | None
) -> dict[str, Any]:
    """The ``metadata`` entry: the model's own metadata updated with ``extra``, then the
    format's keys, the architecture and the optimizer's name, hyperparameters and steps."""
    meta = dict(model.metadata)
    if extra:
        meta.update(extra)
    meta.setdefault("preprocessing", dict(DEFAULT_PREPROCESSING))
    meta.setdefault("training", {})
    meta["format"] = FORMAT_NAME
    if model.refusal is not None:
        meta[REFUSAL_KEY] = model.refusal.to_json()
        meta["version"] = FORMAT_VERSION
    else:
        meta["version"] = PLAIN_FORMAT_VERSION
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
        # Without optimizer state the file cannot resume its run: drop the entries that
        # would say it can, unless the caller gives a checkpoint entry on purpose.
        meta.pop("optimizer", None)
        if not (extra and "checkpoint" in extra):
            meta.pop("checkpoint", None)
    return meta


def save_model(
    model: SavableModel,
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
    state = optimizer.snapshot() if isinstance(optimizer, Optimizer) else optimizer
    meta = _file_metadata(model, state, extra_metadata)
    try:
        text = json.dumps(meta, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "metadata is not plain JSON: {problem}"),
                problem=str(exc),
            ),
        ) from exc
    arrays: dict[str, np.ndarray] = {METADATA_KEY: np.frombuffer(text.encode("utf-8"), np.uint8)}
    for key, value in model.state_dict().items():
        arrays[key] = np.ascontiguousarray(value, dtype=np.float32)
    if state is not None:
        for key, value in state.arrays.items():
            arrays[OPTIMIZER_PREFIX + key] = value
    try:
        atomic_write(path, lambda f: np.savez_compressed(f, allow_pickle=False, **arrays))
    except OSError as exc:
        raise ModelFileError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "could not save ({reason})"),
                reason=exc.strerror or str(exc),
            ),
        ) from exc
