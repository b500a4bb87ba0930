"""Every layer and loss is gradient-checked against finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

from handwrite.nn import layers as L
from handwrite.nn.losses import SoftmaxCrossEntropy, SquaredError
from tests.core.gradcheck import check_layer, numeric_grad

RNG = np.random.default_rng(1234)


def rand(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


@pytest.mark.parametrize(("in_f", "out_f", "n"), [(7, 5, 3), (1, 1, 1), (12, 3, 4)])
def test_dense(in_f: int, out_f: int, n: int) -> None:
    check_layer(L.Dense(in_f, out_f, rng=np.random.default_rng(0)), rand(n, in_f))


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "stride", "padding", "hw"),
    [
        (1, 2, 3, 1, 0, (6, 6)),
        (2, 3, 3, 2, 1, (7, 6)),
        (3, 2, 2, 1, 2, (5, 5)),
        (2, 2, 5, 3, 0, (11, 9)),
        (1, 1, 1, 1, 0, (3, 4)),
    ],
)
def test_conv2d(c_in, c_out, k, stride, padding, hw) -> None:
    layer = L.Conv2D(c_in, c_out, k, stride, padding, rng=np.random.default_rng(0))
    layer.params["bias"].data = RNG.standard_normal(c_out).astype(np.float32)
    check_layer(layer, rand(2, c_in, *hw))


@pytest.mark.parametrize(
    ("k", "stride", "hw"),
    [
        (2, 2, (6, 6)),
        (2, 2, (7, 5)),
        (3, 2, (7, 7)),
        (3, 3, (9, 6)),
        (2, 1, (4, 5)),
        (17, 17, (17, 17)),
    ],
)
@pytest.mark.parametrize("cls", [L.MaxPool2D, L.AvgPool2D])
def test_pooling(cls, k, stride, hw) -> None:
    check_layer(cls(k, stride), rand(3, 2, *hw))


def test_maxpool_gradient_goes_to_first_maximum_on_ties() -> None:
    pool = L.MaxPool2D(2)
    pool.training = True
    x = np.zeros((1, 1, 2, 4))
    x[0, 0, 1, 3] = 1.0
    pool.forward(x)
    dx = pool.backward(np.ones((1, 1, 1, 2)))
    expected = np.zeros((1, 1, 2, 4))
    expected[0, 0, 0, 0] = 1.0  # all-zero window: the first element takes the gradient
    expected[0, 0, 1, 3] = 1.0
    np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize("cls", [L.ReLU, L.Sigmoid, L.Tanh, L.Flatten])
def test_elementwise_and_flatten(cls) -> None:
    x = rand(3, 2, 4, 5)
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU away from its kink
    check_layer(cls(), x)


@pytest.mark.parametrize(
    ("k", "sigma", "shape"),
    [(5, 1.0, (2, 3, 7, 8)), (3, 0.8, (1, 1, 5, 5)), (9, 2.0, (2, 2, 10, 10))],
)
def test_local_contrast_norm(k, sigma, shape) -> None:
    check_layer(L.LocalContrastNorm(k, sigma), rand(*shape), rtol=1e-4, atol=1e-6)


def test_dropout_gradient_uses_the_forward_mask() -> None:
    layer = L.Dropout(0.3, rng=np.random.default_rng(5))
    layer.training = True
    x = rand(4, 50)
    y = layer.forward(x)
    dy = rand(4, 50)
    dx = layer.backward(dy)
    kept = y != 0
    np.testing.assert_allclose(dx[kept], dy[kept] / 0.7)
    np.testing.assert_array_equal(dx[~kept], 0)


@pytest.mark.parametrize("loss_cls", [SoftmaxCrossEntropy, SquaredError])
def test_losses(loss_cls) -> None:
    loss = loss_cls()
    y = rand(5, 4)
    t = np.array([0, 3, 1, 1, 2])
    loss.forward(y, t)
    analytic = loss.backward()
    numeric = numeric_grad(lambda: loss.forward(y, t), y)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    loss = SoftmaxCrossEntropy()
    y = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]], dtype=np.float32)
    assert loss.forward(y, np.array([0, 1])) == pytest.approx(0.0, abs=1e-6)
    assert loss.forward(y, np.array([1, 1])) == pytest.approx(1000.0, rel=1e-6)
    assert np.isfinite(loss.backward()).all()


def test_whole_model_gradient() -> None:
    """Backpropagation through a small CNN with every layer type matches finite differences."""
    from handwrite.nn.model import Model

    rng = np.random.default_rng(3)
    model = Model(
        [
            L.Conv2D(1, 2, 3, padding=1, rng=rng),
            L.ReLU(),
            L.LocalContrastNorm(3, 1.0),
            L.MaxPool2D(2),
            L.Conv2D(2, 3, 2, rng=rng),
            L.Tanh(),
            L.AvgPool2D(2),
            L.Flatten(),
            L.Dense(3, 4, rng=rng),
            L.Sigmoid(),
            L.Dense(4, 3, rng=rng),
        ],
        input_shape=(1, 6, 6),
        classes=("a", "b", "c"),
    )
    for layer in model.layers:
        for p in layer.params.values():
            p.data = p.data.astype(np.float64)
            p.grad = np.zeros_like(p.data)
    x = rng.standard_normal((2, 1, 6, 6))
    t = np.array([0, 2])
    model.train()
    model.loss.forward(model.forward(x), t)
    dx = model.backward(model.loss.backward(), need_dx=True)

    def loss() -> float:
        model.eval()
        value = model.loss.forward(model.forward(x), t)
        model.train()
        return value

    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=1e-4, atol=1e-7)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(
            p.grad, numeric_grad(loss, p.data), rtol=1e-4, atol=1e-7, err_msg=name
        )
