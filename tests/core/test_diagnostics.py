"""Per-layer diagnostics as trainer events: gradient norms, update/weight ratios, dead ReLU
units and weight histograms; and that measuring changes nothing of the training."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from handwrite.diagnostics import HISTOGRAM_BINS, DiagnosticsRecorder
from handwrite.nn.architectures import CNNDesign, MLPDesign
from handwrite.nn.model import Model
from handwrite.nn.optim import make_optimizer
from handwrite.trainer import (
    BatchDone,
    LayerStats,
    Snapshot,
    TrainConfig,
    Trainer,
    WeightHistograms,
)
from tests.core.synthetic import digits_like

BASE = TrainConfig(
    arch="mlp",
    epochs=1,
    batch_size=32,
    validation=0,
    diagnostics=True,
    diagnostics_every=1,
    snapshot_seconds=0,
)


def collect(trainer: Trainer) -> tuple[list, LayerStats]:
    """All events, and every LayerStats joined into one."""
    events = list(trainer.run())
    stats = [e for e in events if isinstance(e, LayerStats)]
    joined = LayerStats(
        np.concatenate([s.steps for s in stats]),
        stats[0].layers,
        np.concatenate([s.gradient_norm for s in stats]),
        np.concatenate([s.update_ratio for s in stats]),
        stats[0].relu_layers,
        np.concatenate([s.dead_share for s in stats]),
    )
    return events, joined


def test_every_step_is_measured_when_asked() -> None:
    trainer = Trainer(BASE, digits_like())
    events, stats = collect(trainer)
    steps = [e.step for e in events if isinstance(e, BatchDone)]
    np.testing.assert_array_equal(stats.steps, steps)
    assert stats.layers == (1, 3, 5)  # the three Dense layers of the mlp
    assert stats.relu_layers == (2, 4)
    assert stats.gradient_norm.shape == stats.update_ratio.shape == (len(steps), 3)
    assert stats.dead_share.shape == (len(steps), 2)
    assert np.isfinite(stats.gradient_norm).all() and (stats.gradient_norm > 0).all()
    assert ((stats.dead_share >= 0) & (stats.dead_share <= 1)).all()


def test_every_nth_step() -> None:
    trainer = Trainer(dataclasses.replace(BASE, diagnostics_every=4), digits_like())
    _, stats = collect(trainer)
    np.testing.assert_array_equal(stats.steps, np.arange(1, 19, 4))  # 18 steps


def test_without_diagnostics_there_are_no_such_events() -> None:
    events = list(Trainer(dataclasses.replace(BASE, diagnostics=False), digits_like()).run())
    assert not any(isinstance(e, (LayerStats, WeightHistograms)) for e in events)


def test_measuring_does_not_change_the_training() -> None:
    data = digits_like()
    config = dataclasses.replace(BASE, arch="cnn", limit=300, epochs=1)
    plain = Trainer(dataclasses.replace(config, diagnostics=False), data)
    measured = Trainer(config, data)
    for trainer in (plain, measured):
        trainer.model.threads = 2  # split steps: the ReLU watchers run on two threads
        list(trainer.run())
    for a, b in zip(plain.model.parameters(), measured.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    assert all(
        layer.observer is None for layer in measured.model.layers if hasattr(layer, "observer")
    )


def test_the_ratio_is_the_step_s_change_of_the_weights() -> None:
    """Against the weights before and after one plain SGD step, computed here."""
    model = Model.from_architecture(MLPDesign(hidden=(20,)).architecture())
    model.train()
    optimizer = make_optimizer("sgd", model.parameters(), 0.5)
    recorder = DiagnosticsRecorder(model, optimizer, every=1)
    x = np.random.default_rng(0).random((16, 1, 28, 28), dtype=np.float32)
    t = np.arange(16) % 10
    before = [p.data.copy() for p in model.parameters()]
    recorder.begin_step()
    optimizer.zero_grad()
    model.train_step(x, t)
    grads = [p.grad.copy() for p in model.parameters()]
    total = recorder.gradients()
    recorder.before_update()
    optimizer.step()
    recorder.after_update(1, 0.01)
    stats = recorder.stats()
    after = [p.data for p in model.parameters()]
    for k, (w, b) in enumerate(((0, 1), (2, 3))):
        change = math.sqrt(sum(float(((after[i] - before[i]) ** 2).sum()) for i in (w, b)))
        size = math.sqrt(sum(float((before[i] ** 2).sum()) for i in (w, b)))
        norm = math.sqrt(sum(float((grads[i] ** 2).sum()) for i in (w, b)))
        assert stats.update_ratio[0, k] == pytest.approx(change / size, rel=1e-4)
        assert stats.gradient_norm[0, k] == pytest.approx(norm, rel=1e-4)
    assert total == pytest.approx(sum(float((g**2).sum()) for g in grads), rel=1e-4)
    assert recorder.stats() is None  # handed over once


def test_dead_units_are_counted() -> None:
    """Units whose bias is far below anything the weights add give 0 for every image."""
    model = Model.from_architecture(MLPDesign(hidden=(40,)).architecture())
    model.train()
    bias = model.layers[1].params["bias"].data
    bias[:30] = -1e3  # 30 of the 40 units can never fire,
    bias[30:] = 1e3  # the other 10 always do
    optimizer = make_optimizer("sgd", model.parameters(), 1e-3)
    recorder = DiagnosticsRecorder(model, optimizer, every=1)
    x = np.random.default_rng(0).random((32, 1, 28, 28), dtype=np.float32)
    recorder.begin_step()
    model.train_step(x, np.arange(32) % 10)
    recorder.gradients()
    recorder.before_update()
    optimizer.step()
    recorder.after_update(1, 0.01)
    assert recorder.stats().dead_share[0, 0] == pytest.approx(30 / 40)


def test_dead_feature_maps_of_a_convolution_on_two_threads() -> None:
    model = Model.from_architecture(
        CNNDesign(channels=(8,), kernels=(5,), hidden=(16,), dropout=0).architecture()
    )
    model.train()
    model.threads = 2
    bias = model.layers[0].params["bias"].data
    bias[:6] = -1e3  # 6 of 8 maps dead everywhere,
    bias[6:] = 1e3  # the other 2 alive everywhere
    optimizer = make_optimizer("sgd", model.parameters(), 1e-3)
    recorder = DiagnosticsRecorder(model, optimizer, every=1)
    x = np.random.default_rng(0).random((128, 1, 28, 28), dtype=np.float32)
    recorder.begin_step()
    model.train_step(x, np.arange(128) % 10)
    recorder.gradients()
    recorder.before_update()
    optimizer.step()
    recorder.after_update(1, 0.01)
    share = recorder.stats().dead_share[0]
    assert share[0] == pytest.approx(6 / 8)


def test_the_vanishing_gradient_of_a_deep_sigmoid_network_is_measured() -> None:
    """Six layers: with sigmoid, the first layer's gradient is orders of magnitude below the
    last's (each sigmoid multiplies the gradient by at most 1/4); with ReLU it is not."""
    data = digits_like(1100)
    ratios = {}
    for activation in ("sigmoid", "relu"):
        architecture = MLPDesign(hidden=(100,) * 5, activation=activation).architecture()
        config = dataclasses.replace(BASE, architecture=architecture, optimizer="sgd", lr=0.1)
        _, stats = collect(Trainer(config, data))
        g = stats.gradient_norm
        assert g.shape[1] == 6
        ratios[activation] = float(np.median(g[:, 0] / g[:, -1]))
    assert ratios["sigmoid"] < 1e-2
    assert ratios["relu"] > 0.1


def test_histograms_have_fixed_bins_and_count_every_weight() -> None:
    trainer = Trainer(dataclasses.replace(BASE, epochs=2), digits_like())
    events = list(trainer.run())
    histograms = [e for e in events if isinstance(e, WeightHistograms)]
    snapshots = [e for e in events if isinstance(e, Snapshot)]
    assert len(histograms) == len(snapshots)  # each snapshot brings its histograms
    first, last = histograms[0], histograms[-1]
    assert last.layers == (1, 3, 5)
    outputs = len(trainer.model.classes)  # 11: the run learns "not a digit" too
    assert outputs == 11
    sizes = [784 * 100, 100 * 100, 100 * outputs]
    for k, size in enumerate(sizes):
        np.testing.assert_array_equal(first.edges[k], last.edges[k])
        assert first.edges[k].shape == (HISTOGRAM_BINS + 1,)
        assert last.counts[k].sum() == last.initial[k].sum() == size
        np.testing.assert_array_equal(first.initial[k], last.initial[k])
        assert 0 <= last.outside[k] <= 1
    # the weights moved: the counts now differ from the initial ones
    assert any(not np.array_equal(c, i) for c, i in zip(last.counts, last.initial, strict=True))


def test_automatic_sampling_keeps_measuring_cheap() -> None:
    """With every=0 the recorder measures as often as costs at most 1% of the step time:
    when measuring costs as much as a whole step, once every 64 steps at most."""
    model = Model.from_architecture(MLPDesign(hidden=(20,)).architecture())
    optimizer = make_optimizer("adam", model.parameters(), 1e-3)
    recorder = DiagnosticsRecorder(model, optimizer, every=0)
    assert recorder.due(0)
    recorder._spent = 1e-3
    recorder._schedule(1, step_seconds=1e-3)
    assert recorder.every == 64 and not recorder.due(1) and recorder.due(64)
    recorder._schedule(64, step_seconds=1.0)  # measuring costs 0.1% of a slow step
    assert recorder.every == 1 and recorder.due(64)
