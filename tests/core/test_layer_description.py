"""Layers describe themselves: what the model, the thread splitting and the window read of a
layer comes from its class, and adding a layer is one registered class."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from handwrite import translatable
from handwrite.nn import layers as L
from handwrite.nn import parallel, presets
from handwrite.nn.model import Model

ROOT = Path(__file__).resolve().parents[2]

#: One instance of every registered layer, built from its smallest arguments.
EXAMPLES: dict[str, L.Layer] = {
    "Dense": L.Dense(4, 3),
    "Flatten": L.Flatten(),
    "ReLU": L.ReLU(),
    "Sigmoid": L.Sigmoid(),
    "Tanh": L.Tanh(),
    "Dropout": L.Dropout(0.3),
    "Conv2D": L.Conv2D(2, 4, 3),
    "MaxPool2D": L.MaxPool2D(2),
    "AvgPool2D": L.AvgPool2D(3),
    "LocalContrastNorm": L.LocalContrastNorm(),
}


def test_the_registry_names_every_layer_as_model_files_do() -> None:
    assert list(L.LAYER_TYPES) == list(EXAMPLES)
    for name, layer in EXAMPLES.items():
        assert L.LAYER_TYPES[name] is type(layer) and layer.type_name == name
        assert layer.spec()["type"] == name


def test_every_layer_describes_itself() -> None:
    for layer in EXAMPLES.values():
        assert isinstance(layer.kind, L.LayerKind)
        assert layer.title and layer.explanation.startswith("<b>")
    kinds = {name: layer.kind for name, layer in EXAMPLES.items()}
    assert kinds["Conv2D"] is L.LayerKind.CONVOLUTION and kinds["Dense"] is L.LayerKind.DENSE
    assert kinds["LocalContrastNorm"] is L.LayerKind.NORMALIZATION
    assert {kinds[n] for n in ("ReLU", "Sigmoid", "Tanh")} == {L.LayerKind.ACTIVATION}
    assert kinds["MaxPool2D"] is kinds["AvgPool2D"] is L.LayerKind.POOLING
    hidden = {name for name, layer in EXAMPLES.items() if not layer.shows_output}
    assert hidden == {"Flatten", "Dropout"}  # a reshape, and the identity at inference


def test_display_names_fill_in_the_layer_arguments() -> None:
    names = {name: layer.display_name() for name, layer in EXAMPLES.items()}
    assert names["Conv2D"] == "Convolution 3×3"
    assert names["MaxPool2D"] == "Max pooling 2×2"
    assert names["AvgPool2D"] == "Average pooling 3×3"
    assert names["Dense"] == "Fully connected" and names["Tanh"] == "tanh"
    # the window passes its translation; the arguments are filled in after it
    japanese = {"Convolution {kernel_size}×{kernel_size}": "畳込み {kernel_size}×{kernel_size}"}
    assert EXAMPLES["Conv2D"].display_name(japanese.__getitem__) == "畳込み 3×3"


def test_parameter_counts_from_a_spec_match_the_built_layers() -> None:
    for layer in EXAMPLES.values():
        built = sum(int(np.prod(p.shape)) for p in layer.params.values())
        assert type(layer).count_parameters(layer.config()) == built
    with pytest.raises(KeyError):
        L.Dense.count_parameters({"in_features": 3})


def test_construction_flags_say_what_the_model_passes() -> None:
    takes_init = {name for name, layer in EXAMPLES.items() if layer.takes_init}
    takes_rng = {name for name, layer in EXAMPLES.items() if layer.takes_rng}
    assert takes_init == {"Dense", "Conv2D"}
    assert takes_rng == {"Dense", "Conv2D", "Dropout"}
    hints = {name: layer.init_hint for name, layer in EXAMPLES.items() if layer.init_hint}
    assert hints == {"ReLU": "he", "Sigmoid": "glorot", "Tanh": "glorot"}


def test_only_matrix_products_and_views_are_left_out_of_the_split() -> None:
    shared = {name for name, layer in EXAMPLES.items() if not layer.single_threaded}
    assert shared == {"Dense", "Flatten"}
    mlp = presets.build("mlp")
    assert parallel.activation_values(mlp) == 100 + 100  # its two ReLUs


def test_the_texts_are_marked_for_translation_in_their_contexts() -> None:
    """Every registered layer's name and explanation, and every preset's description, is in
    the Japanese translation under the context the window translates it with, finished and
    with the same placeholders (the core marks them; translations/update.py extracts them)."""
    found: dict[tuple[str, str], str] = {}
    for context in ET.parse(ROOT / "translations" / "handwrite_ja.ts").getroot():
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") is None and translation.text:
                found[(context.findtext("name") or "", message.findtext("source") or "")] = (
                    translation.text
                )
    texts = [(translatable.PRESETS, presets.describe(name)) for name in presets.PRESETS]
    for cls in L.LAYER_TYPES.values():
        texts += [(translatable.LAYERS, cls.title), (translatable.LAYERS, cls.explanation)]
    for key in texts:
        assert key in found, f"not translated: {key}"
        assert found[key].count("{") == key[1].count("{"), key
    japanese = found[(translatable.LAYERS, L.Conv2D.title)]
    assert japanese == "畳込み {kernel_size}×{kernel_size}"


@pytest.fixture
def scale_layer() -> Iterator[type[L.Layer]]:
    """A layer added the documented way, removed from the registry afterwards."""

    @L.register
    class Scale(L.Layer):
        """``y = factor * x``."""

        kind = L.LayerKind.ACTIVATION
        title = "Scale ×{factor}"
        explanation = "<b>Scale</b><br>y = a x"

        def __init__(self, factor: float = 2.0) -> None:
            super().__init__()
            self.factor = float(factor)

        def config(self) -> dict[str, Any]:
            return {"factor": self.factor}

        def forward(self, x: Any) -> Any:
            return x * self.factor

        def backward(self, dy: Any, need_dx: bool = True) -> Any:
            return dy * self.factor if need_dx else None

    yield Scale
    del L.LAYER_TYPES["Scale"]


def test_a_new_layer_is_one_registered_class(scale_layer: type[L.Layer]) -> None:
    arch = presets.architecture("mlp")
    arch["layers"].insert(2, {"type": "Scale", "factor": 0.5})
    model = Model.from_architecture(arch)
    assert type(model.layers[2]) is scale_layer
    assert model.architecture() == arch  # it round-trips through JSON, as in model files
    assert model.layers[2].display_name() == "Scale ×0.5"
    x = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)
    assert model.predict_proba(x).shape == (4, 10)
    model.train()
    loss, _ = model.train_step(x, np.arange(4))
    assert np.isfinite(loss)


def test_register_refuses_a_layer_that_does_not_describe_itself() -> None:
    class Mute(L.Layer):
        kind = L.LayerKind.ACTIVATION

    with pytest.raises(TypeError, match="title.*explanation"):
        L.register(Mute)

    class Dense(L.Layer):  # the name is taken
        kind = L.LayerKind.DENSE
        title = explanation = "x"

    with pytest.raises(TypeError, match="two layers are named 'Dense'"):
        L.register(Dense)
    assert L.LAYER_TYPES["Dense"] is L.Dense
