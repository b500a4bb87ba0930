"""handwrite: draw digits and watch a from-scratch neural network recognise them.

The public Python API:

- :func:`load_model` reads a model file (``.npz``) and returns a :class:`Model`; with no
  argument, the model shipped with handwrite.
- :meth:`Model.predict_proba` gives the ten digit probabilities for 28x28 images,
  :meth:`Model.digit_score` how much each looks like a digit at all, :meth:`Model.predict`
  the digit or :data:`NOT_A_DIGIT` (-1) where the model refuses, and :meth:`Model.answer`
  all three from one forward pass; :attr:`Model.refusal` (a :class:`Refusal`) says how.
- :meth:`Model.save` writes the model file atomically.
- :func:`preprocess` turns a drawing of any size into an MNIST-like 28x28 image.

Names are imported on first use, so ``import handwrite`` (and the command line) start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from handwrite.version import __version__

_EXPORTS = {
    "EmptyDrawingError": "handwrite.preprocess",
    "Model": "handwrite.nn.model",
    "ModelFileError": "handwrite.modelfile",
    "NOT_A_DIGIT": "handwrite.refusal",
    "Refusal": "handwrite.refusal",
    "load_model": "handwrite.modelfile",
    "preprocess": "handwrite.preprocess",
}

__all__ = [
    "EmptyDrawingError",
    "Model",
    "ModelFileError",
    "NOT_A_DIGIT",
    "Refusal",
    "__version__",
    "load_model",
    "preprocess",
]

if TYPE_CHECKING:
    from handwrite.modelfile import ModelFileError, load_model
    from handwrite.nn.model import Model
    from handwrite.preprocess import EmptyDrawingError, preprocess
    from handwrite.refusal import NOT_A_DIGIT, Refusal


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'handwrite' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
