"""Architecture presets by name: ``mlp``, ``cnn`` (the default), ``lenet`` and ``cnn-lcn``.

Each preset's description and its own dropout rate live here, and only here: the command
line and the window read them (the window shows the description translated; it is marked
for translation in the context :data:`handwrite.translatable.PRESETS`).
"""

from __future__ import annotations

from typing import Any

from handwrite.nn.model import DIGITS, Model
from handwrite.translatable import QT_TRANSLATE_NOOP

PRESETS = ("mlp", "cnn", "lenet", "cnn-lcn")
DEFAULT_PRESET = "cnn"

_DESCRIPTIONS = {
    "mlp": QT_TRANSLATE_NOOP("Presets", "784-100-100-10 multilayer perceptron with ReLU"),
    "cnn": QT_TRANSLATE_NOOP(
        "Presets", "conv5x5x32-ReLU-maxpool-conv5x5x64-ReLU-maxpool-fc128-ReLU-dropout-fc10"
    ),
    "lenet": QT_TRANSLATE_NOOP(
        "Presets",
        "LeNet-5 style: conv5x5x6(pad 2)-tanh-avgpool-conv5x5x16-tanh-avgpool-"
        "fc120-tanh-fc84-tanh-fc10",
    ),
    "cnn-lcn": QT_TRANSLATE_NOOP(
        "Presets", "cnn with local contrast normalization after the first convolution"
    ),
}
#: Each preset's own dropout rate, before its output layer (0: no dropout layer).
_DROPOUT = {"mlp": 0.0, "cnn": 0.5, "lenet": 0.0, "cnn-lcn": 0.5}


def describe(name: str) -> str:
    """One line saying what the preset is (English; the window translates it)."""
    return _DESCRIPTIONS[_check(name)]


def default_dropout(name: str) -> float:
    """The preset's own dropout rate: what :func:`build` uses unless told otherwise."""
    return _DROPOUT[_check(name)]


def _check(name: str) -> str:
    if name not in PRESETS:
        raise ValueError(f"unknown architecture {name!r}: use one of {', '.join(PRESETS)}")
    return name


def _cnn_layers(lcn: bool) -> list[dict[str, Any]]:
    layers: list[dict[str, Any]] = [
        {"type": "Conv2D", "in_channels": 1, "out_channels": 32, "kernel_size": 5},
    ]
    # ReLU and max pooling commute (max is monotonic), so pooling first computes the same
    # function with a quarter of the ReLU work. LCN does not commute: it sees the ReLU output.
    if lcn:
        layers += [
            {"type": "ReLU"},
            {"type": "LocalContrastNorm", "kernel_size": 9, "sigma": 2.0},
            {"type": "MaxPool2D", "kernel_size": 2},
        ]
    else:
        layers += [{"type": "MaxPool2D", "kernel_size": 2}, {"type": "ReLU"}]
    layers += [
        {"type": "Conv2D", "in_channels": 32, "out_channels": 64, "kernel_size": 5},
        {"type": "MaxPool2D", "kernel_size": 2},
        {"type": "ReLU"},
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 64 * 4 * 4, "out_features": 128},
        {"type": "ReLU"},
    ]
    return layers


def architecture(name: str, *, dropout: float | None = None) -> dict[str, Any]:
    """The JSON architecture of a preset. ``dropout`` overrides the preset's dropout rate."""
    p = default_dropout(name) if dropout is None else dropout
    # The layers before the dropout (if any) and the output layer, and the width they end in.
    if name == "mlp":
        width = 100
        layers: list[dict[str, Any]] = [
            {"type": "Flatten"},
            {"type": "Dense", "in_features": 784, "out_features": 100},
            {"type": "ReLU"},
            {"type": "Dense", "in_features": 100, "out_features": 100},
            {"type": "ReLU"},
        ]
    elif name == "lenet":
        width = 84
        layers = [
            {"type": "Conv2D", "in_channels": 1, "out_channels": 6, "kernel_size": 5, "padding": 2},
            {"type": "Tanh"},
            {"type": "AvgPool2D", "kernel_size": 2},
            {"type": "Conv2D", "in_channels": 6, "out_channels": 16, "kernel_size": 5},
            {"type": "Tanh"},
            {"type": "AvgPool2D", "kernel_size": 2},
            {"type": "Flatten"},
            {"type": "Dense", "in_features": 16 * 5 * 5, "out_features": 120},
            {"type": "Tanh"},
            {"type": "Dense", "in_features": 120, "out_features": 84},
            {"type": "Tanh"},
        ]
    else:
        width = 128
        layers = _cnn_layers(lcn=name == "cnn-lcn")
    if p:
        layers.append({"type": "Dropout", "p": p})
    layers.append({"type": "Dense", "in_features": width, "out_features": len(DIGITS)})
    return {
        "name": name,
        "input_shape": [1, 28, 28],
        "classes": list(DIGITS),
        "loss": "cross_entropy",
        "layers": layers,
    }


def build(
    name: str = DEFAULT_PRESET,
    *,
    dropout: float | None = None,
    seed: int = 0,
    device: str = "cpu",
) -> Model:
    """A freshly initialised model of the preset ``name`` on ``device``."""
    return Model.from_architecture(architecture(name, dropout=dropout), seed=seed, device=device)
