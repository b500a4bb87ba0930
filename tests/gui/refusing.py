"""A small network that refuses, with weights set by hand so that its answers are known.

One fully connected layer reads the 28x28 input: ink in the four middle columns (12-15)
votes for the digit 1, ink anywhere else for the 11th output, "not a digit". After
preprocessing, a vertical stroke lies in the middle columns (a "1", accepted, digit score
near 1); a horizontal bar spreads over the width (refused, digit score near 0; its best
guess is still 1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.model import Model
from handwrite.refusal import Refusal

#: The digit score under which the model refuses.
THRESHOLD = 0.5
MIDDLE = slice(12, 16)


def refusing_model(threshold: float = THRESHOLD) -> Model:
    """The network described above, with the refusal ``threshold`` (0: never refuses)."""
    arch = with_not_a_digit_output(presets.architecture("mlp"))
    arch["name"] = "refusing-test"
    arch["layers"] = [
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 784, "out_features": 11},
    ]
    model = Model.from_architecture(arch, seed=0)
    weight = np.zeros((11, 28, 28), np.float32)
    weight[1, :, MIDDLE] = 0.5
    weight[10] = 0.5
    weight[10, :, MIDDLE] = 0.0
    model.load_state_dict({"1.weight": weight.reshape(11, 784), "1.bias": np.zeros(11, np.float32)})
    model.refusal = Refusal("not_a_digit_class", threshold=threshold, temperature=1.0)
    return model.eval()


def save_refusing_model(path: Path, threshold: float = THRESHOLD) -> Path:
    refusing_model(threshold).save(path)
    return path
