"""A training step split across threads is the same step as the unsplit one."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from handwrite.nn import make_optimizer, presets
from handwrite.nn.model import Model
from handwrite.nn.parallel import activation_values, available_cores, split_plan
from tests.core.gradcheck import to_float64


def pair(name: str = "cnn", dtype: type = np.float64) -> tuple[Model, Model]:
    """The same freshly built model twice: one to split across 2 threads, one to train
    with :func:`whole_step`."""
    split = presets.build(name, seed=3)
    whole = split.copy()
    for model in (split, whole):
        if dtype is np.float64:
            for layer in model.layers:
                to_float64(layer)
        model.threads = 2
        model.train()
    return split, whole


def batch(n: int, dtype: type = np.float64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 1, 28, 28)).astype(dtype), rng.integers(0, 10, n)


def step(model: Model, x: np.ndarray, t: np.ndarray, seed: int = 7) -> tuple[float, np.ndarray]:
    model.zero_grad()
    model.reseed(np.random.default_rng(seed))
    return model.train_step(x, t)


def whole_step(
    model: Model, x: np.ndarray, t: np.ndarray, seed: int | None = 7
) -> tuple[float, np.ndarray]:
    """The reference: the whole batch layer by layer, on this thread (``seed`` None: no
    reseeding and no clearing of the gradients)."""
    if seed is not None:
        model.zero_grad()
        model.reseed(np.random.default_rng(seed))
    y = model.forward(x)
    loss = model.loss.forward(y, t)
    model.backward(model.loss.backward())
    return loss, y


@pytest.mark.parametrize("n", [64, 77, 520])
def test_split_step_equals_the_whole_step(n: int) -> None:
    split, whole = pair()
    x, t = batch(n)
    loss_s, y_s = step(split, x, t)
    loss_w, y_w = whole_step(whole, x, t)
    assert split._sharded is not None and split._sharded.workers == 2
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
        step(split, x, t, seed=i)
        whole_step(whole, x, t, seed=i)
        for opt in opts:
            opt.step()
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        diff = np.abs(p_s.data - p_w.data)
        # Adam divides by the gradient's running size, so a gradient near 0 whose rounding
        # differs can move its weight by up to 2 * lr a step; all others agree closely
        assert (diff > 1e-5).mean() < 1e-4
        assert diff.max() <= 5 * 2 * 1e-3


def test_new_weights_reach_every_worker() -> None:
    split, whole = pair()
    x, t = batch(64)
    step(split, x, t)  # the replicas now exist and point at the old arrays
    fresh = presets.build("cnn", seed=11).state_dict()
    for model in (split, whole):
        model.load_state_dict(fresh)  # replaces every parameter array
        for layer in model.layers:
            to_float64(layer)
    loss_s, _ = step(split, x, t)
    loss_w, _ = whole_step(whole, x, t)
    assert loss_s == pytest.approx(loss_w, rel=1e-12)
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        np.testing.assert_allclose(p_s.grad, p_w.grad, rtol=1e-9, atol=1e-12)


def test_gradients_accumulate_like_the_whole_step() -> None:
    split, whole = pair()
    x, t = batch(64)
    split.zero_grad()
    split.reseed(np.random.default_rng(1))
    split.train_step(x, t)
    split.train_step(x[::-1].copy(), t[::-1].copy())
    whole_step(whole, x, t, seed=1)
    whole_step(whole, x[::-1].copy(), t[::-1].copy(), seed=None)
    for p_s, p_w in zip(split.parameters(), whole.parameters(), strict=True):
        np.testing.assert_allclose(p_s.grad, p_w.grad, rtol=1e-9, atol=1e-12)


def test_an_error_in_a_worker_reaches_the_caller_and_the_model_still_trains() -> None:
    split, whole = pair()
    x, t = batch(64)
    bad = t.copy()
    bad[-1] = 10  # an invalid label in the last piece, which runs on the helper thread
    with pytest.raises(IndexError):
        step(split, x, bad)
    with pytest.raises(ValueError):  # fails in every piece before it reaches the dropout
        step(split, x[:, :, :27], t)
    # no dropout mask of the failed steps is left behind for a later forward pass
    assert split.forward(x[:5]).shape == (5, 10)
    loss_s, _ = step(split, x, t)
    loss_w, _ = whole_step(whole, x, t)
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
    cnn, mlp, lenet = (activation_values(presets.build(n)) for n in ("cnn", "mlp", "lenet"))
    # (workers, pieces): pieces of at most about 128 cnn images, a multiple of the workers
    assert split_plan(64, 2, cnn) == (2, 2)
    assert split_plan(128, 2, cnn) == (2, 2)
    assert split_plan(512, 2, cnn) == (2, 4)
    assert split_plan(128, 8, cnn) == (8, 8)
    assert split_plan(64, 1, cnn) == (1, 1)
    assert split_plan(512, 1, cnn) == (1, 4)
    assert split_plan(31, 2, cnn) == (1, 1)
    assert split_plan(55_000, 2, cnn)[1] > 400  # a whole-set batch, piece by piece
    assert split_plan(128, 2, lenet) == (2, 2)
    # the mlp's step is all matrix products, which BLAS already spreads over the cores
    assert split_plan(1024, 2, mlp) == (1, 1)


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


def test_a_large_batch_needs_only_a_piece_of_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch gradient descent over thousands of images holds one piece's activations at a
    time, not the batch's (2,048 cnn images: about 50 MB instead of about 800 MB)."""
    import tracemalloc

    from handwrite.nn import model as model_module
    from handwrite.nn import parallel

    x, t = batch(2048, np.float32)

    def peak_mib(model: Model) -> float:
        tracemalloc.start()
        try:
            model.train_step(x, t)
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    pieces = presets.build("cnn").train()
    pieces.threads = 1
    in_pieces = peak_mib(pieces)
    monkeypatch.setattr(parallel, "PIECE_VALUES", 1 << 40)  # never cut into pieces
    monkeypatch.setattr(model_module, "MAX_BATCH_ACTIVATION_BYTES", 1 << 40)
    whole = presets.build("cnn").train()
    whole.threads = 1
    at_once = peak_mib(whole)
    assert in_pieces < at_once / 8


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_inference_in_pieces_gives_the_same_probabilities(name: str) -> None:
    from handwrite.nn import parallel

    model = presets.build(name, seed=5)
    x, _ = batch(1000, np.float32)
    model.eval()
    reference = model.loss.probabilities(model.forward(x))  # all 1,000 at once
    for threads in (1, 2, 3):
        workers, pieces = parallel.split_plan(1000, threads, model.values_per_image())
        if name == "cnn":
            assert pieces >= 4 and workers == min(threads, pieces)
        got = model.predict_proba(x, threads=threads)
        np.testing.assert_allclose(got, reference, rtol=1e-5, atol=1e-6)
