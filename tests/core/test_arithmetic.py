"""The arithmetic of one unit (handwrite.arithmetic): every described value is the forward
pass's own, for every layer type, at the borders (padding) and in the middle of the maps; the
receptive fields compose kernels, strides and padding as hand arithmetic does."""

from __future__ import annotations

import numpy as np
import pytest

import handwrite
from handwrite import resources
from handwrite.arithmetic import (
    ActivationArithmetic,
    ConvArithmetic,
    DenseArithmetic,
    LcnArithmetic,
    PassThroughArithmetic,
    PoolArithmetic,
    ReceptiveField,
    explain_unit,
    layer_output_shapes,
    receptive_field,
    trace_image,
)
from handwrite.nn import presets
from handwrite.nn.backend import cupy_available
from handwrite.nn.model import Model

DEFAULT_MODEL = resources.default_model_path()

#: Layer types and settings the presets leave out: a strided, padded convolution, overlapping
#: 3x3 max pooling (not the 2x2 fast path), strided average pooling, sigmoid, LCN after a
#: padded convolution, dropout between maps.
CUSTOM = {
    "name": "custom",
    "input_shape": [1, 28, 28],
    "layers": [
        {"type": "Conv2D", "in_channels": 1, "out_channels": 4, "kernel_size": 3, "padding": 1},
        {"type": "Sigmoid"},
        {"type": "LocalContrastNorm", "kernel_size": 5, "sigma": 1.0},
        {"type": "MaxPool2D", "kernel_size": 3, "stride": 2},
        {"type": "Conv2D", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2,
         "padding": 2},
        {"type": "Dropout", "p": 0.3},
        {"type": "Tanh"},
        {"type": "AvgPool2D", "kernel_size": 3, "stride": 2},
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 6 * 3 * 3, "out_features": 12},
        {"type": "Sigmoid"},
        {"type": "Dense", "in_features": 12, "out_features": 10},
    ],
}  # fmt: skip

MODELS = ["default", *presets.PRESETS, "custom"]


def build(name: str) -> Model:
    if name == "default":
        return handwrite.load_model(DEFAULT_MODEL)
    if name == "custom":
        model = Model.from_architecture(CUSTOM, seed=5)
        rng = np.random.default_rng(5)
        for p in model.parameters():  # non-zero biases, so that a missing bias shows
            p.data = p.data + rng.normal(0, 0.1, p.data.shape).astype(np.float32)
        return model
    return presets.build(name, seed=5)


def digit() -> np.ndarray:
    """(28, 28) float32: a stroke that reaches the border (so padding reads real ink next to
    zeros) and a loop in the middle."""
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    img = np.clip(2.0 - np.abs(np.hypot(yy - 14, xx - 13) - 7), 0, 1)
    img = np.maximum(img, np.clip(1.5 - np.abs(xx - yy), 0, 1))  # the diagonal, corner to corner
    return img.astype(np.float32)


def units_to_check(shape: tuple[int, ...], rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Every corner, the middle of every edge, the centre, and a few random units."""
    if len(shape) == 1:
        n = shape[0]
        picks = {0, n - 1, n // 2, *(int(i) for i in rng.integers(0, n, 4))}
        return [(i,) for i in sorted(picks)]
    c, h, w = shape
    spots = {(y, x) for y in (0, h // 2, h - 1) for x in (0, w // 2, w - 1)}
    units = [(int(rng.integers(c)), y, x) for y, x in sorted(spots)]
    units += [(c - 1, 0, 0), (0, h - 1, w - 1)]
    units += [tuple(int(rng.integers(n)) for n in shape) for _ in range(4)]
    return units


def tolerance(step) -> float:
    """float32 rounding of the forward pass: relative to the terms summed."""
    if isinstance(step, (ConvArithmetic, DenseArithmetic)):
        return 2e-6 * (float(np.abs(step.products).sum()) + abs(step.bias)) + 1e-6
    return 2e-6 * (1.0 + abs(step.value)) + 1e-6


@pytest.fixture(scope="module", params=MODELS)
def model_and_outputs(request):
    model = build(request.param)
    x = digit()
    return model, x, trace_image(model, x)


def test_every_unit_described_equals_the_forward_pass(model_and_outputs) -> None:
    model, x, outputs = model_and_outputs
    reference = [np.asarray(y)[0] for y in model.trace(x[None, None])]
    rng = np.random.default_rng(0)
    seen = set()
    for index, y in enumerate(reference):
        np.testing.assert_array_equal(outputs[index], y)
        for unit in units_to_check(y.shape, rng):
            step = explain_unit(model, x, (index, *unit), outputs=outputs)
            seen.add(type(step).__name__)
            assert step.layer == index and step.unit == unit
            assert step.layer_type == model.layers[index].type_name
            assert abs(step.value - float(y[unit])) <= tolerance(step), (index, unit, step)
    assert "DenseArithmetic" in seen and len(seen) >= 3


def test_every_layer_type_is_explained() -> None:
    x = digit()
    kinds = {}
    for name in MODELS:
        model = build(name)
        outputs = trace_image(model, x)
        for index, layer in enumerate(model.layers):
            unit = (index, *(0 for _ in outputs[index].shape))
            kinds[layer.type_name] = type(explain_unit(model, x, unit, outputs=outputs))
    assert kinds == {
        "Conv2D": ConvArithmetic,
        "MaxPool2D": PoolArithmetic,
        "AvgPool2D": PoolArithmetic,
        "LocalContrastNorm": LcnArithmetic,
        "ReLU": ActivationArithmetic,
        "Sigmoid": ActivationArithmetic,
        "Tanh": ActivationArithmetic,
        "Flatten": PassThroughArithmetic,
        "Dropout": PassThroughArithmetic,
        "Dense": DenseArithmetic,
    }


def test_convolution_at_the_padded_border_reads_zeros_and_real_pixels() -> None:
    model = build("lenet")  # conv5x5, padding 2
    x = digit()
    step = explain_unit(model, x, (0, 3, 0, 0))
    assert isinstance(step, ConvArithmetic)
    assert step.input_box == (-2, -2, 3, 3)
    expected_inside = np.zeros((5, 5), bool)
    expected_inside[2:, 2:] = True
    np.testing.assert_array_equal(step.inside, expected_inside)
    np.testing.assert_array_equal(step.patch[0][~expected_inside], 0)
    np.testing.assert_array_equal(step.patch[0, 2:, 2:], x[:3, :3])
    weight = model.layers[0].params["weight"].data
    np.testing.assert_array_equal(step.kernel, weight[3])
    np.testing.assert_array_equal(step.products, step.kernel * step.patch)
    assert step.total == pytest.approx(float(step.products.sum(dtype=np.float64)), abs=1e-12)
    assert step.bias == float(model.layers[0].params["bias"].data[3])
    assert step.value == pytest.approx(step.total + step.bias, abs=1e-6)
    # the tanh right after it: its activation value, as the trace has it
    assert isinstance(step.activation, ActivationArithmetic)
    assert step.activation.function == "Tanh" and step.activation.input == step.value
    traced = model.trace(x[None, None])[1][0, 3, 0, 0]
    assert step.activation.value == pytest.approx(float(traced), abs=1e-6)
    # in the middle, a strided 2nd layer: the patch is the input map's window
    outputs = trace_image(model, x)
    middle = explain_unit(model, x, (3, 7, 4, 5), outputs=outputs)
    assert middle.input_box == (4, 5, 9, 10) and middle.inside.all()
    np.testing.assert_array_equal(middle.patch, outputs[2][:, 4:9, 5:10])


def test_a_convolution_followed_by_pooling_has_no_activation_attached() -> None:
    model = build("cnn")  # conv -> maxpool -> ReLU
    step = explain_unit(model, digit(), (0, 0, 10, 10))
    assert step.activation is None


def test_strided_padded_convolution_window() -> None:
    model = build("custom")
    x = digit()
    outputs = trace_image(model, x)
    # layer 4: kernel 3, stride 2, padding 2 on the 13x13 pooled maps
    assert layer_output_shapes(model)[3:5] == [(4, 13, 13), (6, 8, 8)]
    step = explain_unit(model, x, (4, 2, 0, 7), outputs=outputs)
    assert step.input_box == (-2, 12, 1, 15)
    np.testing.assert_array_equal(step.inside[:, 0], [False, False, True])  # rows -2, -1, 0
    np.testing.assert_array_equal(step.inside[2], [True, False, False])  # columns 12, 13, 14
    np.testing.assert_array_equal(step.patch[:, 2, 0], outputs[3][:, 0, 12])
    assert (step.patch[:, :2] == 0).all() and (step.patch[:, :, 1:] == 0).all()


def test_dense_names_its_largest_products_and_sums_them_all() -> None:
    model = build("default")
    x = digit()
    outputs = trace_image(model, x)
    # the shipped cnn3y: layer 9 is its Dense 2048 -> 256
    step = explain_unit(model, x, (9, 42), outputs=outputs, top=10)
    assert isinstance(step, DenseArithmetic)
    assert step.inputs.shape == step.weights.shape == step.products.shape == (2048,)
    magnitudes = np.abs(step.products[step.top])
    assert len(step.top) == 10 and np.all(np.diff(magnitudes) <= 0)
    assert magnitudes[-1] >= np.sort(np.abs(step.products))[-10]
    assert step.total == pytest.approx(float(step.products.astype(np.float64).sum()), abs=1e-9)
    assert step.total != pytest.approx(float(step.products[step.top].sum()), abs=1e-4)
    np.testing.assert_array_equal(step.weights, model.layers[9].params["weight"].data[42])
    # the inputs are the flattened (128, 4, 4) maps of layer 7
    assert (step.feature_source, step.feature_shape) == (7, (128, 4, 4))
    for i in (0, 17, 2047):
        layer, c, yy, xx = step.feature_unit(i)
        assert layer == 7 and step.inputs[i] == outputs[7][c, yy, xx]
    assert isinstance(step.activation, ActivationArithmetic)
    assert step.activation.value == pytest.approx(float(outputs[10][42]), abs=1e-6)
    last = explain_unit(model, x, (12, 3), outputs=outputs)
    assert (last.feature_source, last.feature_shape) == (11, (256,)) and last.activation is None
    mlp = build("mlp")
    first = explain_unit(mlp, x, (1, 0))
    assert (first.feature_source, first.feature_shape) == (-1, (1, 28, 28))
    assert first.feature_unit(28 * 5 + 3) == (-1, 0, 5, 3)


def test_pooling_windows_and_winners() -> None:
    x = digit()
    model = build("custom")  # 3x3 stride 2 max pooling, 3x3 stride 2 average pooling
    outputs = trace_image(model, x)
    step = explain_unit(model, x, (3, 1, 2, 4), outputs=outputs)
    assert isinstance(step, PoolArithmetic) and step.mode == "max"
    assert step.input_box == (4, 8, 7, 11)
    np.testing.assert_array_equal(step.window, outputs[2][1, 4:7, 8:11])
    assert step.window[step.winner] == step.value == step.window.max()
    flat = int(np.argmax(step.window))
    assert step.winner == divmod(flat, 3)
    mean = explain_unit(model, x, (7, 5, 1, 1), outputs=outputs)
    assert mean.mode == "mean" and mean.winner is None
    np.testing.assert_array_equal(mean.window, outputs[6][5, 2:5, 2:5])
    assert mean.value == pytest.approx(float(mean.window.mean()), abs=1e-6)


def test_max_pooling_ties_go_to_the_first_maximum() -> None:
    model = build("cnn")
    blank = np.zeros((28, 28), np.float32)  # every conv output is its bias: all windows tie
    step = explain_unit(model, blank, (1, 4, 3, 3))
    assert step.winner == (0, 0)


def test_local_contrast_normalization_steps() -> None:
    model = build("cnn-lcn")
    x = digit()
    outputs = trace_image(model, x)
    lcn = model.layers[2]
    for unit in [(0, 0, 0), (5, 12, 12), (31, 23, 2)]:
        step = explain_unit(model, x, (2, *unit), outputs=outputs)
        assert isinstance(step, LcnArithmetic)
        assert step.input == float(outputs[1][unit])
        assert step.weights.shape == step.patch.shape == (lcn.kernel_size,) * 2
        assert float(step.weights.sum()) == pytest.approx(1.0, abs=1e-6)
        assert step.local_mean == pytest.approx(
            float((step.weights.astype(np.float64) * step.patch).sum()), rel=1e-5, abs=1e-7
        )
        assert step.centred == pytest.approx(step.input - step.local_mean)
        assert step.divisor == max(step.local_sigma, step.mean_sigma, step.eps)
        assert step.divisor == getattr(step, step.divided_by)
        assert step.value == pytest.approx(step.centred / step.divisor, rel=1e-6, abs=1e-7)
    corner = explain_unit(model, x, (2, 0, 0, 0), outputs=outputs)
    assert corner.input_box == (-4, -4, 5, 5)
    assert (corner.weights[:4] == 0).all() and (corner.weights[:, :4] == 0).all()
    # a flat input: no local variation anywhere, the divisor falls back to eps
    flat = explain_unit(model, np.zeros((28, 28), np.float32), (2, 3, 10, 10))
    assert flat.divided_by == "eps" and flat.value == 0.0


def test_activations_take_the_layer_before() -> None:
    x = digit()
    model = build("custom")
    outputs = trace_image(model, x)
    for index, formula in [(1, "1 / (1 + exp(-x))"), (6, "tanh(x)"), (10, "1 / (1 + exp(-x))")]:
        unit = (0,) * outputs[index].ndim
        step = explain_unit(model, x, (index, *unit), outputs=outputs)
        assert step.formula == formula and step.input_layer == index - 1
        assert step.input == float(outputs[index - 1][unit])
    relu = explain_unit(build("cnn"), x, (2, 7, 5, 5))
    assert relu.function == "ReLU" and relu.value == max(relu.input, 0.0)


def test_pass_through_units_name_their_source() -> None:
    x = digit()
    model = build("default")
    outputs = trace_image(model, x)
    # the shipped cnn3y: Flatten (8) of the (128, 4, 4) ReLU (7); Dropout (11) after ReLU (10)
    flat = explain_unit(model, x, (8, 16 * 3 + 4 * 2 + 1), outputs=outputs)
    assert flat.source == (7, 3, 2, 1) and flat.value == float(outputs[7][3, 2, 1])
    drop = explain_unit(model, x, (11, 100), outputs=outputs)
    assert drop.source == (10, 100) and drop.value == float(outputs[10][100])
    mlp = build("mlp")
    pixel = explain_unit(mlp, x, (0, 28 * 9 + 4))
    assert pixel.source == (-1, 0, 9, 4) and pixel.value == float(x[9, 4])


# ---------------------------------------------------------------------------------------
# Receptive fields
# ---------------------------------------------------------------------------------------


def test_receptive_field_of_the_second_convolution_of_the_cnn_by_hand() -> None:
    """conv 5x5 (stride 1): 5 px; max pool 2x2 stride 2: 5 + 1 = 6 px, units 2 px apart;
    ReLU: the same; conv 5x5 on the pooled maps: 6 + 4 * 2 = 14 px, 2 px apart. So unit
    (y, x) of the second convolution (layer 3, 8x8 maps) reads rows 2y .. 2y + 13."""
    model = build("cnn")
    assert layer_output_shapes(model)[3] == (64, 8, 8)
    for y, x in [(0, 0), (7, 7), (3, 5), (0, 7)]:
        field = receptive_field(model, (3, 11, y, x))
        assert field == ReceptiveField(2 * y, 2 * x, 2 * y + 14, 2 * x + 14, jump=2)
        assert field.contains(2 * y + 13, 2 * x) and not field.contains(2 * y + 14, 2 * x)
        assert (field.height, field.width) == (14, 14)
    assert receptive_field(model, (3, 0, 7, 7)).clipped() == ReceptiveField(14, 14, 28, 28, 2)
    # after the second pooling: 14 + 2 = 16 px, 4 apart; flattened unit (c, 3, 3) the same
    assert receptive_field(model, (5, 0, 3, 3)) == ReceptiveField(12, 12, 28, 28, jump=4)
    assert receptive_field(model, (6, 16 * 7 + 4 * 3 + 3)) == ReceptiveField(12, 12, 28, 28, 0)
    # a fully connected unit reads all of them: the whole image
    assert receptive_field(model, (7, 0)) == ReceptiveField(0, 0, 28, 28, 0)
    assert receptive_field(model, (10, 9)) == ReceptiveField(0, 0, 28, 28, 0)


def test_receptive_fields_with_padding_and_strides() -> None:
    lenet = build("lenet")
    assert receptive_field(lenet, (0, 0, 0, 0)) == ReceptiveField(-2, -2, 3, 3, 1)
    assert receptive_field(lenet, (0, 0, 0, 0)).clipped() == ReceptiveField(0, 0, 3, 3, 1)
    # conv pad 2 (5 px), avg pool 2 (6 px, jump 2), conv 5 (6 + 8 = 14 px)
    assert receptive_field(lenet, (3, 0, 9, 9)) == ReceptiveField(16, 16, 30, 30, 2)
    custom = build("custom")
    # conv 3 pad 1: 3 px from -1; LCN 5 reads a 9-wide window (5 for the mean, 5 for the
    # deviation around it): 3 + 8 = 11 px from -5; max pool 3 stride 2: 13 px, jump 2;
    # conv 3 stride 2 pad 2: 13 + 2 * 2 = 17 px from -5 - 2 * 2 = -9, jump 4
    assert receptive_field(custom, (4, 0, 0, 0)) == ReceptiveField(-9, -9, 8, 8, 4)
    assert receptive_field(custom, (4, 0, 1, 2)) == ReceptiveField(-5, -1, 12, 16, 4)
    mlp = build("mlp")
    assert receptive_field(mlp, (0, 28 * 3 + 7)) == ReceptiveField(3, 7, 4, 8, 0)
    assert receptive_field(mlp, (2, 5)) == ReceptiveField(0, 0, 28, 28, 0)


def without_lcn() -> Model:
    """``custom`` without its LCN layer, whose divisor takes a mean over the whole map."""
    arch = dict(CUSTOM, layers=[s for s in CUSTOM["layers"] if s["type"] != "LocalContrastNorm"])
    return Model.from_architecture(arch, seed=5)


@pytest.mark.parametrize("name", ["cnn", "lenet", "custom without LCN"])
def test_pixels_outside_the_receptive_field_do_not_change_the_unit(name: str) -> None:
    """The field is no smaller than what the unit reads: scramble every pixel outside it and
    the unit keeps its value; scramble the inside and it changes."""
    model = without_lcn() if name == "custom without LCN" else build(name)
    x = digit()
    rng = np.random.default_rng(1)
    base = [np.asarray(y)[0] for y in model.trace(x[None, None])]
    changed_inside = checked = 0
    for index, shape in enumerate(layer_output_shapes(model)):
        if len(shape) != 3:
            continue
        _, h, w = shape
        for y, xx in [(0, 0), (h // 2, w // 3), (h - 1, w - 1)]:
            field = receptive_field(model, (index, 0, y, xx)).clipped()
            mask = np.ones((28, 28), bool)
            mask[field.top : field.bottom, field.left : field.right] = False
            outside = x.copy()
            outside[mask] = rng.random(int(mask.sum()), dtype=np.float32)
            after = model.trace(outside[None, None])[index][0]
            assert after[0, y, xx] == pytest.approx(float(base[index][0, y, xx]), abs=1e-6)
            inside = x.copy()
            inside[~mask] = rng.random(int((~mask).sum()), dtype=np.float32)
            changed = model.trace(inside[None, None])[index][0]
            changed_inside += abs(float(changed[0, y, xx]) - float(base[index][0, y, xx])) > 1e-5
            checked += 1
    assert checked >= 12 and changed_inside >= checked // 2


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def test_bad_units_say_what_a_unit_is() -> None:
    model = build("cnn")
    x = digit()
    with pytest.raises(ValueError, match=r"layer index must be in 0\.\.10"):
        explain_unit(model, x, (11, 0))
    with pytest.raises(ValueError, match=r"\(layer, channel, y, x\)"):
        explain_unit(model, x, (0, 5))
    with pytest.raises(ValueError, match=r"whose output is \(32, 24, 24\)"):
        explain_unit(model, x, (0, 0, 24, 0))
    with pytest.raises(ValueError, match=r"\(layer, index\)"):
        explain_unit(model, x, (7, 0, 0, 0))
    with pytest.raises(ValueError, match="one image at a time"):
        explain_unit(model, np.zeros((2, 28, 28), np.float32), (0, 0, 0, 0))
    with pytest.raises(ValueError, match="trace_image"):
        explain_unit(model, x, (0, 0, 0, 0), outputs=trace_image(build("lenet"), x))
    with pytest.raises(ValueError, match="top"):
        explain_unit(model, x, (7, 0), top=0)


def test_explaining_leaves_the_model_as_it_was() -> None:
    model = build("cnn")
    model.train()
    before = model.state_dict()
    step = explain_unit(model, digit(), (10, 3))
    assert model.training
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
    model.eval()
    assert step.value == pytest.approx(float(model.trace(digit()[None, None])[10][0, 3]), abs=1e-5)


def test_uint8_images_are_read_as_the_model_reads_them() -> None:
    model = build("cnn")
    img = (digit() * 255).astype(np.uint8)
    step = explain_unit(model, img, (0, 2, 12, 12))
    expected = model.trace((img.astype(np.float32) / 255)[None, None])[0][0, 2, 12, 12]
    assert step.value == pytest.approx(float(expected), abs=1e-5)


def test_local_contrast_normalization_reads_a_window_of_twice_its_kernel() -> None:
    """An LCN unit's local mean and deviation depend on its field alone (the deviation around
    each pixel of the mean's window: 2k - 1 pixels); only the map-wide mean deviation in its
    divisor sees further."""
    model = build("cnn-lcn")  # conv 5, ReLU, LCN 9: 5 + 16 = 21 px
    x = digit()
    rng = np.random.default_rng(2)
    for y, xx in [(12, 12), (0, 23), (20, 3)]:
        field = receptive_field(model, (2, 4, y, xx))
        assert field.height == field.width == 21
        clipped = field.clipped()
        mask = np.ones((28, 28), bool)
        mask[clipped.top : clipped.bottom, clipped.left : clipped.right] = False
        scrambled = x.copy()
        scrambled[mask] = rng.random(int(mask.sum()), dtype=np.float32)
        before = explain_unit(model, x, (2, 4, y, xx))
        after = explain_unit(model, scrambled, (2, 4, y, xx))
        assert after.local_sigma == pytest.approx(before.local_sigma, rel=1e-6, abs=1e-9)
        assert after.centred == pytest.approx(before.centred, rel=1e-6, abs=1e-9)
        assert after.mean_sigma != pytest.approx(before.mean_sigma, rel=1e-3)


@pytest.mark.gpu
@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA device")
def test_a_model_on_the_gpu_is_explained_with_the_same_numbers() -> None:
    cpu = build("cnn-lcn")
    gpu = cpu.copy(device="gpu")
    x = digit()
    for unit in [(0, 3, 0, 0), (2, 5, 12, 12), (4, 1, 3, 3), (8, 100), (11, 4)]:
        a, b = explain_unit(cpu, x, unit), explain_unit(gpu, x, unit)
        assert type(a) is type(b)
        assert b.value == pytest.approx(a.value, rel=1e-4, abs=1e-5)
