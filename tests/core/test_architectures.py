"""Your own network: the MLP and CNN designs, checking an architecture JSON with messages that
say how to fix it, and the edits the training doctor makes."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from handwrite.nn import presets
from handwrite.nn.architectures import (
    ACTIVATIONS,
    DROPOUT_PLACES,
    LOSS_NAMES,
    POOLINGS,
    SIZE_BOUNDS,
    ArchitectureError,
    CNNDesign,
    MLPDesign,
    activation_of,
    check_architecture,
    with_activation,
    with_dropout,
    with_loss,
)
from handwrite.nn.model import Model


def test_the_designs_defaults_are_the_presets() -> None:
    assert MLPDesign().architecture() == presets.architecture("mlp")
    assert CNNDesign().architecture() == presets.architecture("cnn")


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_every_design_choice_builds_a_model_that_takes_digits(activation, loss) -> None:
    designs = [
        MLPDesign(hidden=(30, 20, 10), activation=activation, loss=loss, dropout=0.3),
        MLPDesign(hidden=(), activation=activation, loss=loss),
    ]
    designs += [
        CNNDesign(
            channels=(4, 6),
            kernels=(3, 5),
            pooling=pooling,
            hidden=(16,),
            activation=activation,
            dropout=0.2,
            dropout_at=place,
            loss=loss,
        )
        for pooling in POOLINGS
        for place in DROPOUT_PLACES
    ]
    for design in designs:
        model = Model.from_architecture(check_architecture(design.architecture()))
        assert model.loss.name == loss
        if design.hidden or design.kind == "cnn":
            assert activation_of(model.architecture()) == activation
        y = model.forward(np.zeros((2, 1, 28, 28), np.float32))
        assert y.shape == (2, 10)


def test_dropout_goes_where_it_is_asked() -> None:
    def places(design) -> list[int]:
        layers = design.architecture()["layers"]
        return [i for i, s in enumerate(layers) if s["type"] == "Dropout"]

    mlp = MLPDesign(hidden=(50, 40, 30), dropout=0.5)
    assert len(places(mlp)) == 1  # before the output layer
    assert len(places(dataclasses.replace(mlp, dropout_at="hidden"))) == 3
    assert places(dataclasses.replace(mlp, dropout=0.0, dropout_at="hidden")) == []
    cnn = CNNDesign(channels=(4, 8, 8), kernels=(3, 3, 3), same_padding=True, hidden=(20, 10))
    assert len(places(cnn)) == 1
    assert len(places(dataclasses.replace(cnn, dropout_at="hidden"))) == 2
    assert len(places(dataclasses.replace(cnn, dropout_at="everywhere"))) == 5


def test_initial_weights_follow_the_activation() -> None:
    """He (normal, std sqrt(2 / fan_in)) before ReLU; Glorot (uniform within
    sqrt(6 / (fan_in + fan_out))) before sigmoid and tanh."""
    for activation in ACTIVATIONS:
        model = Model.from_architecture(
            MLPDesign(hidden=(400,), activation=activation).architecture()
        )
        w = model.layers[1].params["weight"].data  # 784 -> 400
        if activation == "relu":
            assert w.std() == pytest.approx(math.sqrt(2 / 784), rel=0.02)
            assert np.abs(w).max() > math.sqrt(6 / (784 + 400))  # normal: beyond Glorot's box
        else:
            limit = math.sqrt(6 / (784 + 400))
            assert np.abs(w).max() <= limit
            assert w.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)


@pytest.mark.parametrize(
    ("design", "match"),
    [
        (MLPDesign(hidden=(0,)), "hidden: each size must be a whole number from 1 to 4096"),
        (MLPDesign(hidden=(10,) * 9), "the number of layers must be a whole number from 0 to 8"),
        (MLPDesign(activation="gelu"), "activation must be one of relu, sigmoid, tanh"),
        (MLPDesign(dropout=0.95), "dropout must be a number from 0 to 0.9"),
        (MLPDesign(loss="hinge"), "loss must be one of cross_entropy, squared_error"),
        (CNNDesign(channels=(8,), kernels=(5, 5)), "give one kernel size per block"),
        (CNNDesign(channels=(8, 8, 8), kernels=(5, 5, 5)), "convolution block 3: its 5x5"),
        (CNNDesign(channels=(8, 8, 8), kernels=(3, 3, 5)), "block 3: its maps are 1x1, too small"),
        (CNNDesign(pooling="min"), "pooling must be one of max, avg, none"),
    ],
)
def test_a_bad_design_says_what_to_change(design, match) -> None:
    with pytest.raises(ArchitectureError, match=match):
        design.architecture()


def test_the_size_bounds_are_those_the_designs_enforce() -> None:
    top = int(SIZE_BOUNDS["hidden_units"].high)
    MLPDesign(hidden=(top,)).architecture()
    with pytest.raises(ArchitectureError):
        MLPDesign(hidden=(top + 1,)).architecture()
    k = int(SIZE_BOUNDS["kernel_size"].high)
    CNNDesign(channels=(4,), kernels=(k,)).architecture()
    with pytest.raises(ArchitectureError):
        CNNDesign(channels=(4,), kernels=(k + 1,)).architecture()


def _mlp_layers(first_in: int = 784) -> list[dict]:
    return [
        {"type": "Flatten"},
        {"type": "Dense", "in_features": first_in, "out_features": 32},
        {"type": "ReLU"},
        {"type": "Dense", "in_features": 32, "out_features": 10},
    ]


@pytest.mark.parametrize(
    ("architecture", "expected"),
    [
        (
            {"layers": _mlp_layers(700)},
            "layer 1 (Dense) has in_features 700, but layer 0 (Flatten) gives 784 values: set "
            '"in_features": 784',
        ),
        (
            {"layers": _mlp_layers()[1:]},
            "layer 0 (Dense) gets 1 map of 28x28 from the 1x28x28 input, but a fully connected "
            'layer takes a vector: put {"type": "Flatten"} before it',
        ),
        (
            {"layers": _mlp_layers()[:3]},
            "the network ends with 32 values (from layer 2 (ReLU)), but there are 10 classes: "
            'end with {"type": "Dense", "in_features": 32, "out_features": 10}',
        ),
        (
            {"layers": [{"type": "Relu"}]},
            "layer 0: unknown type 'Relu'; did you mean 'ReLU'?",
        ),
        (
            {"layers": [{"type": "Flatten"}, {"type": "Dense", "in_feature": 784}]},
            "layer 1 (Dense): unknown argument 'in_feature'; it takes in_features, out_features",
        ),
        (
            {"layers": [{"type": "Flatten"}, {"type": "Dense", "in_features": 784}]},
            "layer 1 (Dense): missing 'out_features'",
        ),
        (
            {"layers": [{"type": "Conv2D", "in_channels": 3, "out_channels": 4, "kernel_size": 5}]},
            "layer 0 (Conv2D) has in_channels 3, but the 1x28x28 input gives 1 map of 28x28: set "
            '"in_channels": 1',
        ),
        (
            {
                "layers": [
                    {"type": "Conv2D", "in_channels": 1, "out_channels": 4, "kernel_size": 5},
                    {"type": "MaxPool2D", "kernel_size": 2},
                    {"type": "Conv2D", "in_channels": 4, "out_channels": 4, "kernel_size": 13},
                ]
            },
            "layer 2 (Conv2D): its 13x13 window does not fit the 12x12 maps that layer 1 "
            "(MaxPool2D) gives: use a smaller kernel_size, padding, or fewer pooling layers",
        ),
        (
            {
                "layers": [
                    {"type": "Flatten"},
                    {"type": "Conv2D", "in_channels": 1, "out_channels": 4, "kernel_size": 3},
                ]
            },
            "layer 1 (Conv2D) needs maps (channels, height, width), but layer 0 (Flatten) gives "
            "784 values: put it before the Flatten layer",
        ),
        (
            {
                "layers": [
                    {"type": "Flatten"},
                    {"type": "Dense", "in_features": 784, "out_features": -3},
                ]
            },
            "layer 1 (Dense): Dense out_features must be a whole number from 1 to 1048576, got -3",
        ),
        (
            {
                "layers": [
                    {"type": "Flatten"},
                    {"type": "Dense", "in_features": 784, "out_features": 100_000},
                ]
            },
            "layer 1 (Dense) brings the network to 78,500,000 parameters",
        ),
        ({"layer": []}, "unknown key 'layer' in the architecture"),
        ({"loss": "mse", "layers": _mlp_layers()}, "unknown loss 'mse': use cross_entropy or"),
        ({"input_shape": [3, 32, 32], "layers": _mlp_layers()}, "input_shape must be [1, 28, 28]"),
        ({"layers": []}, 'the architecture needs "layers"'),
        ([1, 2], "an architecture is a JSON object"),
    ],
)
def test_a_bad_architecture_names_the_layer_the_problem_and_the_fix(architecture, expected) -> None:
    with pytest.raises(ArchitectureError) as info:
        check_architecture(architecture)
    assert expected in str(info.value)


def test_a_good_architecture_comes_back_complete() -> None:
    checked = check_architecture({"layers": _mlp_layers()})
    assert checked["loss"] == "cross_entropy" and checked["input_shape"] == [1, 28, 28]
    assert checked["classes"] == [str(d) for d in range(10)] and checked["name"] == "custom"
    for name in presets.PRESETS:
        assert check_architecture(presets.architecture(name)) == presets.architecture(name)


def test_the_doctors_edits() -> None:
    lenet = presets.architecture("lenet")
    relu = with_activation(lenet, "relu")
    assert activation_of(lenet) == "tanh" and activation_of(relu) == "relu"
    assert len(relu["layers"]) == len(lenet["layers"])
    assert lenet == presets.architecture("lenet")  # a copy, not the original
    mlp = presets.architecture("mlp")
    dropped = with_dropout(mlp, 0.4)
    assert [s for s in dropped["layers"] if s["type"] == "Dropout"] == [
        {"type": "Dropout", "p": 0.4}
    ]
    assert dropped["layers"][-2]["type"] == "Dropout"  # before the output layer
    assert with_dropout(presets.architecture("cnn"), 0.2)["layers"][-2] == {
        "type": "Dropout",
        "p": 0.2,
    }
    assert with_loss(mlp, "squared_error")["loss"] == "squared_error"
    for edited in (relu, dropped):
        check_architecture(edited)
