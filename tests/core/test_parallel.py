"""A training step split across threads is the same step as the unsplit one."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from handwrite.nn import make_optimizer, presets
from handwrite.nn.model import Model
from handwrite.nn.parallel import MIN_SHARD, activation_values, available_cores, shard_count
from tests.core.gradcheck import to_float64


def pair(name: str = "cnn", dtype: type = np.float64) -> tuple[Model, Model]:
    """The same freshly built model twice: one split across 2 threads, one on 1 thread."""
    split = presets.build(name, seed=3)
    whole = split.copy()
    for model, threads in ((split, 2), (whole, 1)):
        if dtype is np.float64:
            for layer in model.layers:
                to_float64(layer)
        model.threads = threads
        model.train()
    return split, whole


def batch(n: int, dtype: type = np.float64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 1, 28, 28)).astype(dtype), rng.integers(0, 10, n)


def step(model: Model, x: np.ndarray, t: np.ndarray, seed: int = 7) -> tuple[float, np.ndarray]:
    model.zero_grad()
    model.reseed(np.random.default_rng(seed))
    return model.train_step(x, t)


@pytest.mark.parametrize("n", [64, 77])
def test_split_step_equals_the_whole_step(n: int) -> None:
    split, whole = pair()
    x, t = batch(n)
    loss_s, y_s = step(split, x, t)
    loss_w, y_w = step(whole, x, t)
    assert split._sharded is not None and split._sharded.shards == 2
    assert whole._sharded is None
    # dropout is active: equal outputs mean equal masks
    np.testing.assert_allclose(y_s, y_w, rtol=1e-12, atol=1e-12)
    assert loss_s == pytest.approx(loss_w, rel=1e-12)
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        assert np.abs(p_w.grad).max() > 0
        np.testing.assert_allclose(p_s.grad, p_w.grad, rtol=1e-9, atol=1e-12)


def test_split_training_follows_the_whole_training_in_float32() -> None:
    split, whole = pair(dtype=np.float32)
    opts = [make_optimizer("adam", m.parameters(), 1e-3) for m in (split, whole)]
    for i in range(5):
        x, t = batch(64, np.float32, seed=i)
        for model, opt in zip((split, whole), opts, strict=True):
            step(model, x, t, seed=i)
            opt.step()
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        diff = np.abs(p_s.data - p_w.data)
        # Adam divides by the gradient's running size, so a gradient near 0 whose rounding
        # differs can move its weight by up to 2 * lr a step; all others agree closely
        assert (diff > 1e-5).mean() < 1e-4
        assert diff.max() <= 5 * 2 * 1e-3


def test_new_weights_reach_every_shard() -> None:
    split, whole = pair()
    x, t = batch(64)
    step(split, x, t)  # the replicas now exist and point at the old arrays
    fresh = presets.build("cnn", seed=11).state_dict()
    for model in (split, whole):
        model.load_state_dict(fresh)  # replaces every parameter array
        for layer in model.layers:
            to_float64(layer)
    loss_s, _ = step(split, x, t)
    loss_w, _ = step(whole, x, t)
    assert loss_s == pytest.approx(loss_w, rel=1e-12)
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        np.testing.assert_allclose(p_s.grad, p_w.grad, rtol=1e-9, atol=1e-12)


def test_gradients_accumulate_like_the_whole_step() -> None:
    split, whole = pair()
    x, t = batch(64)
    for model in (split, whole):
        model.zero_grad()
        model.reseed(np.random.default_rng(1))
        model.train_step(x, t)
        model.train_step(x[::-1].copy(), t[::-1].copy())
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        np.testing.assert_allclose(p_s.grad, p_w.grad, rtol=1e-9, atol=1e-12)


def test_an_error_in_a_shard_reaches_the_caller_and_the_model_still_trains() -> None:
    split, whole = pair()
    x, t = batch(64)
    bad = t.copy()
    bad[-1] = 10  # an invalid label in the last shard, which runs on the helper thread
    with pytest.raises(IndexError):
        step(split, x, bad)
    with pytest.raises(ValueError):  # fails in every shard before it reaches the dropout
        step(split, x[:, :, :27], t)
    # no dropout mask of the failed steps is left behind for a later forward pass
    assert split.forward(x[:5]).shape == (5, 10)
    loss_s, _ = step(split, x, t)
    loss_w, _ = step(whole, x, t)
    assert loss_s == pytest.approx(loss_w, rel=1e-12)


def test_blas_threads_are_restored_after_a_split_step() -> None:
    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    split, _ = pair(dtype=np.float32)
    step(split, *batch(64, np.float32))
    assert split._sharded is not None
    assert blas_threads() == before


def test_which_batches_are_split() -> None:
    cnn, mlp = presets.build("cnn"), presets.build("mlp")
    assert shard_count(64, 2, activation_values(cnn)) == 2
    assert shard_count(128, 8, activation_values(cnn)) == 128 // MIN_SHARD
    assert shard_count(2 * MIN_SHARD - 1, 2, activation_values(cnn)) == 1
    assert shard_count(64, 1, activation_values(cnn)) == 1
    # the mlp's step is all matrix products, which BLAS already spreads over the cores
    assert shard_count(1024, 2, activation_values(mlp)) == 1


def test_threads_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDWRITE_THREADS", raising=False)
    model = presets.build("mlp")
    assert model.threads == available_cores() >= 1
    monkeypatch.setenv("HANDWRITE_THREADS", "5")
    assert model.threads == 5
    monkeypatch.setenv("HANDWRITE_THREADS", "lots")  # ignored
    assert model.threads == available_cores()
    model.threads = 3
    assert model.threads == 3
    model.threads = None
    assert model.threads == available_cores()
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="threads"):
            model.threads = bad  # type: ignore[assignment]
