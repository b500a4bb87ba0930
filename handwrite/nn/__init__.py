"""The network core: layers, losses, optimizers and the sequential model. Qt-free.

Runs on NumPy, or on CuPy when a GPU is asked for (:func:`get_backend`). Every layer that
architectures (and model files) may name is in :data:`LAYER_TYPES`, put there by
:func:`register` where the layer is defined.
"""

from __future__ import annotations

from handwrite.nn.backend import BackendError, cupy_available, get_array_module, get_backend
from handwrite.nn.layers import (
    LAYER_TYPES,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    LayerKind,
    LocalContrastNorm,
    MaxPool2D,
    Parameter,
    ReLU,
    Sigmoid,
    Tanh,
    register,
)
from handwrite.nn.losses import SoftmaxCrossEntropy, SquaredError, softmax
from handwrite.nn.model import Model
from handwrite.nn.optim import SGD, Adam, Optimizer, make_optimizer
from handwrite.nn.presets import PRESETS, build

__all__ = [
    "LAYER_TYPES",
    "PRESETS",
    "SGD",
    "Adam",
    "AvgPool2D",
    "BackendError",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "LayerKind",
    "LocalContrastNorm",
    "MaxPool2D",
    "Model",
    "Optimizer",
    "Parameter",
    "ReLU",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "SquaredError",
    "Tanh",
    "build",
    "cupy_available",
    "get_array_module",
    "get_backend",
    "make_optimizer",
    "register",
    "softmax",
]
