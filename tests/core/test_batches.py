"""The shuffled batches gathered ahead on a second thread (:mod:`handwrite.batches`)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import handwrite.batches as batches_module
from handwrite.batches import Batches


def _data(n: int = 103) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((n, 1, 4, 4), dtype=np.float32), rng.integers(0, 10, n).astype(np.uint8)


def _workers() -> int:
    return sum(t.name.startswith("handwrite-batches") for t in threading.enumerate())


def test_every_batch_is_its_rows_in_the_epochs_order(monkeypatch) -> None:
    """Chunks of 2 batches of 10 from 103 images: 11 batches (the last of 3), chunks taken
    from both buffers in turn, over two epochs of different orders; each batch holds its own
    rows while the next chunk is gathered."""
    monkeypatch.setattr(batches_module, "MAX_CHUNK_BATCHES", 2)
    x, t = _data()
    batches = Batches(x, t, 10)
    assert batches.chunk == 2 and "chunk=2 batches, ahead" in repr(batches)
    for seed in (1, 2):
        order = np.random.default_rng(seed).permutation(len(t))
        batches.epoch(order)
        for b in range(11):
            xb, tb = batches.batch(b)
            idx = order[b * 10 : (b + 1) * 10]
            assert len(tb) == (3 if b == 10 else 10)
            np.testing.assert_array_equal(xb, x[idx])
            np.testing.assert_array_equal(tb, t[idx])
    batches.close()
    assert _workers() == 0


def test_an_epoch_resumed_mid_way_starts_at_its_batch(monkeypatch) -> None:
    monkeypatch.setattr(batches_module, "MAX_CHUNK_BATCHES", 4)
    x, t = _data()
    order = np.random.default_rng(5).permutation(len(t))
    batches = Batches(x, t, 10)
    batches.epoch(order, first=7)
    for b in range(7, 11):
        np.testing.assert_array_equal(batches.batch(b)[1], t[order[b * 10 : (b + 1) * 10]])
    batches.close()


def test_batches_out_of_turn_are_refused() -> None:
    x, t = _data()
    batches = Batches(x, t, 10)
    with pytest.raises(ValueError, match="batch 0 asked for"):
        batches.batch(0)  # no epoch started
    batches.epoch(np.arange(len(t)))
    batches.batch(0)
    with pytest.raises(ValueError, match="batch 2 asked for where batch 1 is next"):
        batches.batch(2)
    batches.close()


def test_a_chunk_holds_about_chunk_bytes_of_images() -> None:
    """Big images or batches: fewer batches per chunk, never fewer than one."""
    t = np.zeros(10, np.uint8)
    assert Batches(np.zeros((10, 784), np.float32), t, 64).chunk == 16
    assert Batches(np.zeros((10, 784), np.float32), t, 512).chunk == 2
    assert Batches(np.zeros((10, 784), np.float32), t, 4096).chunk == 1


def test_closed_batches_start_their_worker_again() -> None:
    """A trainer stopped and run again reads its batches through the same object."""
    x, t = _data()
    batches = Batches(x, t, 50)
    for _ in range(2):
        batches.epoch(np.arange(len(t)))
        np.testing.assert_array_equal(batches.batch(0)[0], x[:50])
        assert _workers() == 1
        batches.close()
        assert _workers() == 0


def test_an_epoch_of_one_chunk_holds_one_buffer() -> None:
    """Batch gradient descent (one batch of every image): one copy of the images, not two."""
    x, t = _data()
    batches = Batches(x, t, len(t))
    for _ in range(2):
        batches.epoch(np.arange(len(t))[::-1])
        np.testing.assert_array_equal(batches.batch(0)[0], x[::-1])
    assert len(batches._buffers) == 1
    batches.close()


def test_batches_gathered_at_their_steps_are_the_same_batches() -> None:
    """``ahead=False`` (no core free for a worker): one batch at a time, no thread."""
    x, t = _data()
    order = np.random.default_rng(3).permutation(len(t))
    batches = Batches(x, t, 10, ahead=False)
    assert batches.chunk == 1 and "at each step" in repr(batches)
    batches.epoch(order)
    for b in range(11):
        xb, tb = batches.batch(b)
        np.testing.assert_array_equal(xb, x[order[b * 10 : (b + 1) * 10]])
        np.testing.assert_array_equal(tb, t[order[b * 10 : (b + 1) * 10]])
        assert _workers() == 0
    batches.close()


def test_a_step_on_every_core_leaves_none_for_the_worker() -> None:
    """:meth:`Model.step_threads`: the workers of a split batch, else BLAS's threads."""
    from handwrite.nn import presets
    from handwrite.nn.parallel import blas_threads

    mlp = presets.build("mlp")
    mlp.threads = 2
    assert mlp.step_threads(64) == blas_threads()  # an mlp splits only batches of thousands
    cnn = presets.build("cnn")
    cnn.threads = 2
    assert cnn.step_threads(128) == 2
    cnn.threads = 1
    assert cnn.step_threads(128) == blas_threads()
