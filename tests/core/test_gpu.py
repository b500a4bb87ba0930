"""The CuPy backend runs the same layer code and agrees with NumPy. Skipped without a GPU."""

from __future__ import annotations

import numpy as np
import pytest

from handwrite.nn import layers as L
from handwrite.nn import make_optimizer, presets
from handwrite.nn.backend import cupy_available, get_backend, to_numpy

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA device"),
]


def pair(layer_factory, x: np.ndarray):
    """The same layer on both backends, with the same weights; forward and backward."""
    cp = get_backend("gpu")
    cpu, gpu = layer_factory(), layer_factory()
    gpu.to(cp)
    for layer in (cpu, gpu):
        layer.training = True
    y_cpu = cpu.forward(x)
    y_gpu = gpu.forward(cp.asarray(x))
    dy = np.random.default_rng(1).standard_normal(y_cpu.shape).astype(np.float32)
    dx_cpu = cpu.backward(dy)
    dx_gpu = gpu.backward(cp.asarray(dy))
    return (y_cpu, to_numpy(y_gpu)), (dx_cpu, to_numpy(dx_gpu)), cpu, gpu


@pytest.mark.parametrize(
    "factory",
    [
        lambda: L.Conv2D(3, 4, 3, stride=2, padding=1),
        lambda: L.Conv2D(3, 5, 5),
        lambda: L.MaxPool2D(2),
        lambda: L.MaxPool2D(3, 2),
        lambda: L.AvgPool2D(2),
        lambda: L.LocalContrastNorm(5, 1.0),
        lambda: L.ReLU(),
        lambda: L.Sigmoid(),
        lambda: L.Tanh(),
        lambda: L.Flatten(),
    ],
)
def test_layers_agree(factory) -> None:
    x = np.random.default_rng(0).standard_normal((4, 3, 12, 12)).astype(np.float32)
    (y_cpu, y_gpu), (dx_cpu, dx_gpu), cpu, gpu = pair(factory, x)
    np.testing.assert_allclose(y_gpu, y_cpu, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dx_gpu, dx_cpu, rtol=1e-4, atol=1e-5)
    for name, p in cpu.params.items():
        np.testing.assert_allclose(to_numpy(gpu.params[name].grad), p.grad, rtol=1e-4, atol=1e-4)


def test_dense_agrees() -> None:
    x = np.random.default_rng(0).standard_normal((8, 20)).astype(np.float32)
    (y_cpu, y_gpu), (dx_cpu, dx_gpu), _, _ = pair(lambda: L.Dense(20, 7), x)
    np.testing.assert_allclose(y_gpu, y_cpu, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(dx_gpu, dx_cpu, rtol=1e-4, atol=1e-5)


def test_dropout_runs_on_the_device() -> None:
    cp = get_backend("gpu")
    layer = L.Dropout(0.5)
    layer.to(cp)
    layer.training = True
    y = layer.forward(cp.ones((100, 100), dtype=cp.float32))
    assert isinstance(y, cp.ndarray)
    assert abs(float((y == 0).mean()) - 0.5) < 0.05


@pytest.mark.parametrize("name", presets.PRESETS)
def test_training_steps_match_numpy(name: str) -> None:
    cpu = presets.build(name, seed=0, dropout=0.0)
    gpu = presets.build(name, seed=0, dropout=0.0, device="gpu")
    rng = np.random.default_rng(0)
    # 64 images: on 2 or more cores the CPU model splits its steps across threads, and the
    # GPU model never does
    x = rng.random((64, 1, 28, 28), dtype=np.float32)
    t = rng.integers(0, 10, 64)
    cpu.threads = gpu.threads = 2
    cp = get_backend("gpu")
    opts = [make_optimizer("adam", m.parameters(), 1e-3) for m in (cpu, gpu)]
    for _ in range(3):
        for model, opt, xx, tt in (
            (cpu, opts[0], x, t),
            (gpu, opts[1], cp.asarray(x), cp.asarray(t)),
        ):
            model.train()
            opt.zero_grad()
            model.train_step(xx, tt)
            opt.step()
    assert gpu._sharded is None
    for (k, a), (_, b) in zip(cpu.named_parameters(), gpu.named_parameters(), strict=True):
        diff = np.abs(to_numpy(b.data) - a.data)
        # Adam divides by the gradient's running size: a gradient near 0 that rounds
        # differently on the two devices can move its weight by up to 2 * lr a step
        assert (diff > 1e-4 + 1e-3 * np.abs(a.data)).mean() < 1e-3, k
        assert diff.max() <= 3 * 2 * 1e-3, k


def test_predict_proba_returns_numpy() -> None:
    model = presets.build("cnn", device="gpu")
    p = model.predict_proba(np.zeros((2, 28, 28), np.uint8))
    assert type(p) is np.ndarray and p.shape == (2, 10)
    np.testing.assert_allclose(
        p, presets.build("cnn").predict_proba(np.zeros((2, 28, 28), np.uint8)), rtol=1e-4, atol=1e-6
    )


def test_trainer_runs_on_the_gpu() -> None:
    from handwrite.trainer import ArrayData, Finished, TrainConfig, Trainer

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    t = rng.integers(0, 10, 300)
    config = TrainConfig(
        arch="cnn", epochs=1, batch_size=50, device="gpu", augment=True, validation=0
    )
    events = list(Trainer(config, ArrayData(x, t, x[:50], t[:50])).run())
    assert isinstance(events[-1], Finished)


def test_a_batch_beyond_the_budget_trains_in_pieces_on_the_gpu(monkeypatch) -> None:
    """On the GPU too, a batch whose activations exceed the byte budget runs in pieces, one
    after the other: the same step (loss and gradients) as the whole batch at once."""
    from handwrite.nn import model as model_module

    cp = get_backend("gpu")
    model = presets.build("cnn", seed=0, device="gpu").train()
    rng = np.random.default_rng(0)
    x = cp.asarray(rng.random((40, 1, 28, 28), dtype=np.float32))
    t = cp.asarray(rng.integers(0, 10, 40))

    def step() -> tuple[float, list[np.ndarray]]:
        model.zero_grad()
        model.reseed(np.random.default_rng(3))  # the same dropout masks each time
        loss, y = model.train_step(x, t)
        assert isinstance(y, cp.ndarray) and y.shape == (40, 10)
        return loss, [to_numpy(p.grad).copy() for p in model.parameters()]

    whole_loss, whole = step()
    assert model._sharded is None
    monkeypatch.setattr(
        model_module, "MAX_BATCH_ACTIVATION_BYTES", 6 * 4 * model.memory_values_per_image
    )
    piece_loss, pieces = step()
    assert model._sharded is not None  # cut into 7 pieces of at most 6 images
    assert piece_loss == pytest.approx(whole_loss, rel=1e-5)
    for a, b in zip(pieces, whole, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)
