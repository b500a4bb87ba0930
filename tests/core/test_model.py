"""The sequential model, presets, dropout and LCN statistics, the public predict API."""

from __future__ import annotations

import numpy as np
import pytest

from handwrite.nn import layers as L
from handwrite.nn import presets
from handwrite.nn.backend import BackendError, cupy_available, get_backend
from handwrite.nn.model import Model


@pytest.mark.parametrize("name", presets.PRESETS)
def test_presets_build_and_give_probabilities(name: str) -> None:
    model = presets.build(name, seed=1)
    images = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    p = model.predict_proba(images)
    assert p.shape == (3, 10) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    assert all(p.dtype == np.float32 for p in [pp.data for pp in model.parameters()])


def test_cnn_preset_shape() -> None:
    text = repr(presets.build("cnn"))
    assert "Conv2D(in_channels=1, out_channels=32, kernel_size=5" in text
    assert "Dropout(p=0.5)" in text
    assert presets.build("mlp").parameter_count() == 784 * 100 + 100 + 100 * 100 + 100 + 1010


def test_init_follows_the_activation() -> None:
    relu = presets.build("mlp", seed=0)
    tanh = presets.build("lenet", seed=0)
    # He: std sqrt(2 / fan_in); Glorot uniform: std sqrt(2 / (fan_in + fan_out))
    w = relu.layers[1].params["weight"].data
    assert w.std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    w = tanh.layers[7].params["weight"].data  # Dense(400, 120) before Tanh
    assert w.std() == pytest.approx(np.sqrt(2 / (400 + 120)), rel=0.05)


def test_seeded_builds_are_reproducible() -> None:
    a, b = presets.build("cnn", seed=7), presets.build("cnn", seed=7)
    for (ka, pa), (kb, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        assert ka == kb
        np.testing.assert_array_equal(pa.data, pb.data)
    c = presets.build("cnn", seed=8)
    assert not np.array_equal(a.parameters()[0].data, c.parameters()[0].data)


def test_predict_proba_accepts_every_documented_form() -> None:
    model = presets.build("mlp")
    img = np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8)
    single = model.predict_proba(img)
    assert single.shape == (1, 10)
    np.testing.assert_allclose(model.predict_proba(img[None]), single, rtol=1e-6)
    np.testing.assert_allclose(model.predict_proba(img / 255.0), single, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        model.predict_proba((img / 255.0).astype(np.float32)[None, None]), single, rtol=1e-5
    )


@pytest.mark.parametrize(
    ("images", "match"),
    [
        (np.zeros((27, 28)), "shape"),
        (np.zeros((2, 3, 28, 28)), "shape"),
        (np.full((28, 28), np.nan), "NaN"),
        (np.full((28, 28), 3.0), "0-1"),
        (np.full((28, 28), 300, dtype=np.int32), "0-255"),
        (np.array([["a"] * 28] * 28), "numeric"),
    ],
)
def test_predict_proba_rejects_bad_images(images, match) -> None:
    with pytest.raises(ValueError, match=match):
        presets.build("mlp").predict_proba(images)


def test_inference_has_no_side_effects_and_keeps_the_mode() -> None:
    model = presets.build("cnn")
    x = np.random.default_rng(0).random((2, 28, 28), dtype=np.float32)
    first = model.predict_proba(x)
    assert not model.training
    np.testing.assert_array_equal(model.predict_proba(x), first)  # dropout off
    model.train()
    np.testing.assert_array_equal(model.predict_proba(x), first)
    assert model.training
    assert all(getattr(layer, "_cache", None) is None for layer in model.layers)


def test_copy_is_independent() -> None:
    model = presets.build("mlp")
    twin = model.copy()
    twin.parameters()[0].data += 1
    assert not np.array_equal(model.parameters()[0].data, twin.parameters()[0].data)


def test_a_few_steps_learn_a_toy_problem() -> None:
    rng = np.random.default_rng(0)
    model = Model(
        [L.Flatten(), L.Dense(16, 32, rng=rng), L.ReLU(), L.Dense(32, 2, rng=rng)],
        input_shape=(1, 4, 4),
        classes=("dark", "bright"),
    )
    x = rng.random((200, 1, 4, 4), dtype=np.float32)
    t = (x.mean(axis=(1, 2, 3)) > 0.5).astype(np.int64)
    from handwrite.nn.optim import Adam

    opt = Adam(model.parameters(), lr=0.01)
    model.train()
    first = None
    for _ in range(200):
        opt.zero_grad()
        loss, _ = model.train_step(x, t)
        first = first if first is not None else loss
        opt.step()
    assert loss < first * 0.3
    assert (model.predict(x) == t).mean() > 0.9


def test_dropout_statistics() -> None:
    layer = L.Dropout(0.3, rng=np.random.default_rng(0))
    x = np.ones((200, 500), np.float32)
    layer.training = True
    y = layer.forward(x)
    assert (y == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert y.mean() == pytest.approx(1.0, abs=0.02)  # inverted: expectation kept
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / 0.7], rtol=1e-6)
    layer.training = False
    assert layer.forward(x) is x


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, "0.5"])
def test_dropout_rejects_bad_p(p) -> None:
    with pytest.raises(ValueError, match="dropout"):
        L.Dropout(p)


def test_lcn_statistics() -> None:
    """Away from the border, LCN output has local mean ~0 and local std ~1 (where the local
    contrast exceeds the image's mean contrast)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 32, 32)).astype(np.float32) * 5 + 3
    y = L.LocalContrastNorm(9, 2.0).forward(x)
    inner = y[:, :, 8:-8, 8:-8]
    assert abs(inner.mean()) < 0.05
    assert inner.std() == pytest.approx(1.0, abs=0.15)
    # invariance to brightness and contrast: a*x + b gives the same output
    np.testing.assert_allclose(L.LocalContrastNorm(9, 2.0).forward(2 * x + 7), y, atol=1e-4)


def test_lcn_on_a_flat_image_is_zero_and_finite() -> None:
    y = L.LocalContrastNorm().forward(np.full((1, 2, 12, 12), 0.7, np.float32))
    assert np.isfinite(y).all()
    np.testing.assert_allclose(y, 0, atol=5e-3)  # float32 rounding noise / eps


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"in_channels": 0, "out_channels": 1, "kernel_size": 3}, "in_channels"),
        ({"in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 0}, "stride"),
        ({"in_channels": 1, "out_channels": 1, "kernel_size": 3, "padding": -1}, "padding"),
        ({"in_channels": 1.5, "out_channels": 1, "kernel_size": 3}, "in_channels"),
    ],
)
def test_conv_arguments_are_validated(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        L.Conv2D(**kwargs)


def test_inconsistent_architecture_is_explained() -> None:
    arch = presets.architecture("mlp")
    arch["layers"][1]["in_features"] = 100
    with pytest.raises(ValueError, match="Dense.*784"):
        Model.from_architecture(arch)


def test_gpu_request_without_cupy_names_what_is_missing() -> None:
    if cupy_available():
        pytest.skip("a GPU is present")
    with pytest.raises(BackendError, match="CuPy|CUDA"):
        get_backend("gpu")
    with pytest.raises(BackendError, match="unknown device"):
        get_backend("tpu")


def test_trace_gives_every_layer_output() -> None:
    model = presets.build("cnn-lcn")
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    outs = model.trace(x)
    assert [o.shape[1:] for o in outs][:4] == [
        (32, 24, 24),
        (32, 24, 24),
        (32, 24, 24),
        (32, 12, 12),
    ]
    np.testing.assert_allclose(outs[-1], model.forward(x), rtol=1e-5)
    assert not model.training


def test_input_gradient_matches_finite_differences() -> None:
    model = presets.build("cnn", seed=2)
    for p in model.parameters():
        p.data = p.data.astype(np.float64)
        p.grad = np.zeros_like(p.data)
    x = np.random.default_rng(0).random((1, 1, 28, 28))
    g = model.input_gradient(x, [3])
    assert g.shape == x.shape and np.isfinite(g).all()
    rng = np.random.default_rng(1)
    for _ in range(5):
        i, j = rng.integers(0, 28, 2)
        e = np.zeros_like(x)
        e[0, 0, i, j] = 1e-5
        numeric = (model.forward(x + e)[0, 3] - model.forward(x - e)[0, 3]) / 2e-5
        assert g[0, 0, i, j] == pytest.approx(numeric, rel=1e-4, abs=1e-8)
    assert all((p.grad == 0).all() for p in model.parameters())


def test_backward_skips_input_gradients_nobody_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind a Flatten the first Dense layer's input gradient would only be thrown away."""
    asked: list[tuple[str, bool]] = []
    for cls in (L.Dense, L.Flatten, L.ReLU):
        original = cls.backward

        def spy(self, dy, need_dx=True, _original=original):  # noqa: ANN001, ANN202
            asked.append((type(self).__name__, need_dx))
            return _original(self, dy, need_dx)

        monkeypatch.setattr(cls, "backward", spy)
    model = presets.build("mlp").train()
    model.threads = 1
    x = np.random.default_rng(0).random((8, 1, 28, 28), dtype=np.float32)
    model.train_step(x, np.arange(8) % 10)
    assert asked[-2:] == [("Dense", False), ("Flatten", False)]
    assert all(need for _, need in asked[:-2])
    asked.clear()
    grad = model.input_gradient(x, np.zeros(8, int))  # saliency still gets the input gradient
    assert grad.shape == x.shape and np.abs(grad).max() > 0
    assert all(need for _, need in asked)
