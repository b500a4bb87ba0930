"""The Qt-free training loop: events, stop and pause, divergence, exact resume, schedules."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import handwrite.batches as batches_module
from handwrite.augment import AugmentConfig, augment
from handwrite.evaluation import EvaluationProgress, evaluate, evaluate_steps
from handwrite.mnist import load_mnist
from handwrite.nn import make_optimizer, presets
from handwrite.trainer import (
    ArrayData,
    BatchDone,
    EpochDone,
    Failed,
    Finished,
    Paused,
    Resumed,
    Snapshot,
    Started,
    TrainConfig,
    Trainer,
    TrainingError,
    learning_rate,
)


def toy_data(n: int = 600, seed: int = 0) -> ArrayData:
    """Bright top half -> class 0, bright bottom half -> class 1, with noise."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 2, n)
    x = rng.integers(0, 60, (n, 28, 28)).astype(np.uint8)
    for i, label in enumerate(t):
        rows = slice(0, 14) if label == 0 else slice(14, 28)
        x[i, rows, 8:20] = 220
    return ArrayData(x[: n - 100], t[: n - 100], x[n - 100 :], t[n - 100 :])


SMALL = TrainConfig(arch="mlp", epochs=2, batch_size=50, validation=50, snapshot_seconds=0)


def run_all(trainer: Trainer) -> list:
    return list(trainer.run())


def test_event_sequence_and_learning() -> None:
    trainer = Trainer(SMALL, toy_data())
    events = run_all(trainer)
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    start = events[0]
    assert (start.train_size, start.validation_size, start.test_size) == (450, 50, 100)
    batches = [e for e in events if isinstance(e, BatchDone)]
    assert len(batches) == start.total_batches == 2 * 9
    assert [b.step for b in batches] == list(range(1, 19))
    epochs = [e for e in events if isinstance(e, EpochDone)]
    assert [e.epoch for e in epochs] == [0, 1]
    assert epochs[-1].test_accuracy > 0.95
    assert epochs[-1].confusion.sum() == 100
    assert epochs[-1].test_probabilities.shape == (100, 10)
    snaps = [e for e in events if isinstance(e, Snapshot)]
    assert snaps and set(snaps[-1].state) == {k for k, _ in trainer.model.named_parameters()}
    assert all(isinstance(a, np.ndarray) for a in snaps[-1].state.values())
    done = events[-1]
    assert not done.stopped and done.epochs_done == 2
    assert done.summary["test_accuracy"] == epochs[-1].test_accuracy
    assert trainer.model.metadata["training"]["epochs"] == 2
    assert len(trainer.history.batch_loss) == 18


def test_stop_between_batches() -> None:
    trainer = Trainer(SMALL, toy_data())
    events = []
    for event in trainer.run():
        events.append(event)
        if isinstance(event, BatchDone) and event.step == 3:
            trainer.request_stop()
    assert isinstance(events[-1], Finished) and events[-1].stopped
    assert events[-1].step == 3
    assert not any(isinstance(e, EpochDone) for e in events)


def test_pause_and_resume() -> None:
    trainer = Trainer(SMALL, toy_data())
    gen = trainer.run()
    kinds = []
    for event in gen:
        kinds.append(type(event))
        if isinstance(event, BatchDone) and event.step == 2:
            trainer.request_pause()
        if isinstance(event, Paused):
            assert trainer.paused
            trainer.request_resume()
    i = kinds.index(Paused)
    assert kinds[i - 1] is Snapshot  # the paused weights, to draw and inspect with
    assert kinds[i + 1] is Resumed and kinds[-1] is Finished


def test_stop_ends_a_pause() -> None:
    trainer = Trainer(SMALL, toy_data())
    events = []
    for event in trainer.run():
        events.append(event)
        if isinstance(event, BatchDone) and event.step == 1:
            trainer.request_pause()
        if isinstance(event, Paused):
            trainer.request_stop()
    assert events[-1].stopped and events[-1].step == 1


@pytest.mark.parametrize(("arch", "lr"), [("mlp", 100.0), ("lenet", 900.0), ("cnn", 50.0)])
def test_a_learning_rate_far_too_large_stops_with_a_clear_message(arch, lr) -> None:
    config = dataclasses.replace(SMALL, optimizer="sgd", lr=lr, arch=arch)
    trainer = Trainer(config, toy_data())
    events = run_all(trainer)
    failed = events[-1]
    assert isinstance(failed, Failed) and failed.diverged
    assert "smaller learning rate" in failed.message
    assert all(np.isfinite(p.data).all() for p in trainer.model.parameters())
    assert not any(isinstance(e, Finished) for e in events)


def _loss_at(trainer, monkeypatch, losses: dict[int, float]) -> None:
    """Make the trainer's ``n``-th training step (1-based) report ``losses[n]`` as its loss,
    its gradients staying real."""
    real_step = trainer.model.train_step
    calls = []

    def step(x, t):
        loss, y = real_step(x, t)
        calls.append(1)
        return losses.get(len(calls), loss), y

    monkeypatch.setattr(trainer.model, "train_step", step)


def _weights_after_each_step(trainer) -> tuple[list, dict[int, list]]:
    """Run ``trainer``; its events and host copies of the weights after each step."""
    after = {0: [p.data.copy() for p in trainer.model.parameters()]}
    events = []
    for event in trainer.run():
        events.append(event)
        if isinstance(event, BatchDone):
            after[event.step] = [p.data.copy() for p in trainer.model.parameters()]
    return events, after


def _assert_weights(trainer, expected) -> None:
    for e, p in zip(expected, trainer.model.parameters(), strict=True):
        np.testing.assert_array_equal(e, p.data)


def test_nan_loss_puts_back_the_newest_copy(monkeypatch) -> None:
    """Copies are taken before the first step and every BACKUP_EVERY steps: a NaN at the
    4th step's loss puts back the copy taken before step 3 (every 2 steps) exactly, weights
    and optimizer state, and the copy before step 1 with the default interval."""
    import handwrite.trainer as trainer_module

    for every, kept_after in ((2, 2), (trainer_module.BACKUP_EVERY, 0)):
        monkeypatch.setattr(trainer_module, "BACKUP_EVERY", every)
        trainer = Trainer(SMALL, toy_data())
        _loss_at(trainer, monkeypatch, {4: float("nan")})
        events, after = _weights_after_each_step(trainer)
        assert isinstance(events[-1], Failed) and "nan" in events[-1].message
        assert events[-1].step == 3
        _assert_weights(trainer, after[kept_after])
        assert trainer.optimizer.steps == kept_after


def test_a_sharp_rise_of_the_loss_takes_a_copy(monkeypatch) -> None:
    """A loss three times its running mean (a run starting to diverge) is copied at once:
    the NaN two steps later puts back the weights that gave the high loss."""
    trainer = Trainer(SMALL, toy_data())
    _loss_at(trainer, monkeypatch, {3: 20.0, 5: float("nan")})
    events, after = _weights_after_each_step(trainer)
    assert isinstance(events[-1], Failed) and events[-1].diverged
    _assert_weights(trainer, after[2])
    assert trainer.optimizer.steps == 2
    state_keys = set(trainer.optimizer.state_dict())
    assert state_keys == {f"{i}.{k}" for i in range(6) for k in ("m", "v")}


def test_a_gradient_that_is_not_finite_is_refused_before_it_is_applied(monkeypatch) -> None:
    """With diagnostics measuring every step, the gradient norms stop the run before the
    step is applied: the weights kept are the ones that gave that step its finite loss."""
    config = dataclasses.replace(SMALL, diagnostics=True, diagnostics_every=1)
    trainer = Trainer(config, toy_data())
    real_step = trainer.model.train_step
    calls = []

    def step(x, t):
        loss, y = real_step(x, t)
        calls.append(1)
        if len(calls) == 4:
            trainer.model.parameters()[2].grad[0, 0] = np.inf
        return loss, y

    monkeypatch.setattr(trainer.model, "train_step", step)
    events, after = _weights_after_each_step(trainer)
    failed = events[-1]
    assert isinstance(failed, Failed) and failed.diverged and "gradient" in failed.message
    assert failed.step == 3
    _assert_weights(trainer, after[3])
    assert trainer.optimizer.steps == 3


@pytest.mark.parametrize("cores", [1000, 1])
def test_batches_gathered_ahead_train_as_fresh_batches_do(monkeypatch, cores) -> None:
    """Where a core is free the trainer's batches are gathered ahead on a second thread,
    chunk after chunk into two buffers taken in turn; else each at its step. Either way its
    weights after two epochs (batches of 64 from 450 digits, so a short last batch; chunks of
    3 batches, so both buffers serve twice an epoch) are those of a plain loop that gathers a
    new array for every batch in the same order."""
    monkeypatch.setattr(batches_module, "MAX_CHUNK_BATCHES", 3)
    monkeypatch.setattr("handwrite.trainer.available_cores", lambda: cores)
    config = dataclasses.replace(
        SMALL, batch_size=64, optimizer="adam", lr=1e-3, seed=3, negatives=0.0
    )
    trainer = Trainer(config, toy_data())
    start = {k: v.copy() for k, v in trainer.model.state_dict().items()}
    x = trainer.train_x.copy()
    t = trainer.train_t.copy()
    run_all(trainer)
    assert trainer._batches is not None
    assert trainer._batches.ahead == (cores > 1)
    assert trainer._batches.chunk == (3 if cores > 1 else 1)

    model = presets.build("mlp")
    model.load_state_dict(start)
    model.train()
    optimizer = make_optimizer("adam", model.parameters(), 1e-3)
    steps = 0
    for epoch in range(2):
        order = np.random.default_rng([3, epoch]).permutation(len(t))
        for b in range(0, len(t), 64):
            idx = order[b : b + 64]
            optimizer.lr = learning_rate(config.schedule, 1e-3, steps, 2 * 8)
            optimizer.zero_grad()
            model.train_step(np.take(x, idx, axis=0), np.take(t, idx))
            optimizer.step()
            steps += 1
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, trainer.model.state_dict()[name], err_msg=name)


def test_full_batch_gradient_descent() -> None:
    config = dataclasses.replace(SMALL, batch_size=0, optimizer="sgd", lr=0.1, epochs=3)
    trainer = Trainer(config, toy_data())
    events = run_all(trainer)
    assert events[0].batches_per_epoch == 1
    assert sum(isinstance(e, BatchDone) for e in events) == 3


def test_resume_from_checkpoint_is_exact(tmp_path) -> None:
    data = toy_data()
    config = dataclasses.replace(SMALL, arch="cnn", epochs=2, augment=True, limit=300)
    straight = Trainer(config, data)
    run_all(straight)

    first = Trainer(config, data)
    for event in first.run():
        if isinstance(event, BatchDone) and event.step == 7:  # mid-way through epoch 2
            first.request_stop()
    path = tmp_path / "ckpt.npz"
    first.save(path)
    resumed = Trainer.from_checkpoint(path, data)
    assert resumed.step == 7 and resumed.epoch == 1
    events = run_all(resumed)
    assert events[0].start_step == 7
    for a, b in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    assert resumed.history.epoch == [1, 2]
    assert len(resumed.history.batch_loss) == len(straight.history.batch_loss)


def test_checkpoint_that_is_a_plain_model(tmp_path) -> None:
    trainer = Trainer(SMALL, toy_data())
    trainer.model.save(tmp_path / "plain.npz")
    with pytest.raises(TrainingError, match="not a training checkpoint"):
        Trainer.from_checkpoint(tmp_path / "plain.npz", toy_data())


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"arch": "vgg"}, "unknown architecture"),
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"lr": -1.0}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -5}, "batch_size"),
        ({"dropout": 1.0}, "dropout"),
        ({"schedule": "warp"}, "schedule"),
    ],
)
def test_bad_settings(change, match) -> None:
    with pytest.raises(TrainingError, match=match):
        Trainer(dataclasses.replace(SMALL, **change), toy_data())


def test_learning_rate_schedules() -> None:
    assert learning_rate("constant", 0.1, 50, 100) == 0.1
    assert learning_rate("onecycle", 1.0, 0, 101) == pytest.approx(1 / 25)
    assert learning_rate("onecycle", 1.0, 30, 101) == pytest.approx(1.0)
    assert learning_rate("onecycle", 1.0, 100, 101) == pytest.approx(1e-4)
    assert learning_rate("cosine", 1.0, 0, 11) == pytest.approx(1.0)
    assert learning_rate("cosine", 1.0, 10, 11) == pytest.approx(0.01)


def test_augment_keeps_shape_range_and_is_identity_without_ranges() -> None:
    x = np.random.default_rng(0).random((5, 1, 28, 28), dtype=np.float32)
    y = augment(x, np.random.default_rng(1))
    assert y.shape == x.shape and y.dtype == np.float32
    assert y.min() >= 0 and y.max() <= 1
    none = AugmentConfig(rotate_degrees=0, scale=0, shear=0, shift=0)
    np.testing.assert_allclose(augment(x, np.random.default_rng(1), none), x, atol=1e-5)
    shifted = augment(x, np.random.default_rng(1), dataclasses.replace(none, shift=3))
    assert not np.allclose(shifted, x)


def test_evaluate_confusion() -> None:
    data = toy_data()
    trainer = Trainer(SMALL, data)
    run_all(trainer)
    result = evaluate(trainer.model, data.test_images, data.test_labels)
    assert result.confusion.sum() == len(data.test_labels)
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / 100)
    assert result.per_class_accuracy.shape == (10,)  # the ten digit classes


def test_evaluate_steps_reports_each_chunk_and_matches_evaluate() -> None:
    data = toy_data()
    model = Trainer(SMALL, data).model
    steps = evaluate_steps(model, data.test_images, data.test_labels, chunk=30)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            result = stop.value
            break
    assert progress == [EvaluationProgress(d, 100) for d in (30, 60, 90, 100)]
    whole = evaluate(model, data.test_images, data.test_labels)
    np.testing.assert_array_equal(result.confusion, whole.confusion)
    assert result.loss == pytest.approx(whole.loss, rel=1e-6)
    assert evaluate(model, data.test_images[:0], data.test_labels[:0]) is None


@pytest.mark.mnist
def test_mlp_learns_real_mnist(mnist_dir) -> None:
    """A short real run: the mlp, 5,000 images, one epoch, > 90% on 1,000 tests.

    The 1,000 test images are a seeded random sample of the test set, so they stand for the
    whole of it (on the full 10,000 this recipe scores about 91%; MNIST's first 1,000 test
    digits are harder for it, about 89-90%).
    """
    data = load_mnist(mnist_dir, download=False)
    sample = np.random.default_rng(0).choice(len(data.test_labels), 1000, replace=False)
    subset = ArrayData(
        data.train_images, data.train_labels, data.test_images[sample], data.test_labels[sample]
    )
    config = TrainConfig(
        arch="mlp",
        epochs=1,
        batch_size=16,
        lr=5e-3,
        schedule="onecycle",
        validation=0,
        limit=5000,
        negatives=0.0,  # the ten digits alone: no training digits held out for a refusal
    )
    events = run_all(Trainer(config, subset))
    accuracy = events[-1].summary["test_accuracy"]
    assert events[-1].summary["train_images"] == 5000
    assert accuracy > 0.90, accuracy


def test_stop_during_the_end_of_epoch_evaluation(monkeypatch) -> None:
    # Without negatives: a run that learns to refuse fits its refusal once more when stopped.
    trainer = Trainer(dataclasses.replace(SMALL, epochs=3, negatives=0.0), toy_data(1200))
    real = trainer.model.logits
    calls = []

    def outputs(images, batch_size=1000, **kwargs):
        calls.append(len(images))
        if len(calls) == 1:  # the first evaluation chunk of epoch 1: ask to stop
            trainer.request_stop()
        return real(images, batch_size, **kwargs)

    monkeypatch.setattr(trainer.model, "logits", outputs)
    events = run_all(trainer)
    assert len(calls) == 1  # the remaining evaluation was skipped
    assert events[-1].stopped and events[-1].epochs_done == 1


def test_saving_without_optimizer_drops_the_checkpoint(tmp_path) -> None:
    from handwrite.modelfile import read_model_file

    trainer = Trainer(SMALL, toy_data())
    run_all(trainer)
    trainer.save(tmp_path / "ckpt.npz")
    model, meta, state = read_model_file(tmp_path / "ckpt.npz")
    assert "checkpoint" in meta and state and meta["history"]["batches_per_epoch"] == 9
    model.save(tmp_path / "plain.npz")
    _, plain, plain_state = read_model_file(tmp_path / "plain.npz")
    assert "checkpoint" not in plain and "optimizer" not in plain and not plain_state
    assert plain["history"]["epoch"] == [1, 2]  # the curves stay


def test_long_histories_are_thinned_for_files() -> None:
    from handwrite.trainer import History

    h = History(batch_step=list(range(1, 20001)), batch_loss=[1.0 / i for i in range(1, 20001)])
    out = h.to_json(max_batches=100)
    assert len(out["batch_step"]) == len(out["batch_loss"]) == 100
    assert out["batch_step"][0] == 1 and out["batch_step"][-1] == 20000


def test_resume_in_memory_matches_resume_from_a_file(tmp_path) -> None:
    from handwrite.trainer import Checkpoint

    data = toy_data()
    first = Trainer(dataclasses.replace(SMALL, epochs=1), data)
    run_all(first)
    checkpoint = first.checkpoint()
    assert isinstance(checkpoint, Checkpoint) and checkpoint.epochs_done == 1
    first.model.save(
        tmp_path / "c.npz", optimizer=checkpoint.optimizer, extra_metadata=checkpoint.metadata
    )
    from_file = Trainer.from_checkpoint(tmp_path / "c.npz", data, epochs=2)
    in_memory = Trainer.resume(first.model.copy(), checkpoint, data, epochs=2)
    run_all(from_file)
    run_all(in_memory)
    for a, b in zip(from_file.model.parameters(), in_memory.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    assert in_memory.history.epoch == [1, 2]
    with pytest.raises(TrainingError, match="epochs already"):
        Trainer.resume(in_memory.model.copy(), in_memory.checkpoint(), data, epochs=1)


def test_checkpoint_from_file_reads_what_the_trainer_wrote(tmp_path) -> None:
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Checkpoint

    trainer = Trainer(dataclasses.replace(SMALL, optimizer="momentum", lr=0.05), toy_data())
    run_all(trainer)
    trainer.save(tmp_path / "ckpt.npz")
    _, meta, arrays = read_model_file(tmp_path / "ckpt.npz")
    checkpoint = Checkpoint.from_file(meta, arrays)
    expected = trainer.checkpoint()
    assert checkpoint.epochs_done == expected.epochs_done == 2
    assert checkpoint.optimizer.name == "momentum"
    assert checkpoint.optimizer.steps == expected.optimizer.steps == 18
    assert checkpoint.optimizer.hyperparameters == expected.optimizer.hyperparameters
    assert set(checkpoint.optimizer.arrays) == set(expected.optimizer.arrays)
    assert checkpoint.metadata["checkpoint"] == expected.metadata["checkpoint"]


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda meta: meta.pop("checkpoint"), "not a training checkpoint"),
        (lambda meta: meta.pop("optimizer"), "not a training checkpoint"),
        (lambda meta: meta["optimizer"].pop("steps"), "optimizer entry is damaged.*steps"),
        (lambda meta: meta["optimizer"].update(steps="many"), "optimizer entry is damaged"),
    ],
)
def test_checkpoint_from_file_refuses_what_cannot_resume(tmp_path, edit, match) -> None:
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Checkpoint

    trainer = Trainer(dataclasses.replace(SMALL, epochs=1), toy_data())
    run_all(trainer)
    trainer.save(tmp_path / "ckpt.npz")
    _, meta, arrays = read_model_file(tmp_path / "ckpt.npz")
    edit(meta)
    with pytest.raises(TrainingError, match=match):
        Checkpoint.from_file(meta, arrays)


@pytest.mark.parametrize("name", ["lr", "epochs", "batch_size", "limit", "dropout", "momentum"])
def test_settings_are_checked_against_the_one_set_of_bounds(name) -> None:
    """Both ends of each range are accepted, a step beyond either is refused, and the
    message says what is accepted."""
    from handwrite.trainer import SETTING_BOUNDS

    bounds = SETTING_BOUNDS[name]
    step = 1 if bounds.integer else bounds.high * 1e-3
    for value in (bounds.low, bounds.high):
        dataclasses.replace(SMALL, **{name: value}).validate()
    below = bounds.low - step if name != "batch_size" else -1  # batch 0: the whole set
    for value in (below, bounds.high + step):
        with pytest.raises(TrainingError, match=f"{name} must be .* from {bounds.low:g} to"):
            dataclasses.replace(SMALL, **{name: value}).validate()
    assert bounds.admits(bounds.low) and not bounds.admits(True)
    assert not bounds.admits(float("nan")) and not bounds.admits("1")


def test_the_special_values_outside_the_bounds_still_mean_what_they_say() -> None:
    # batch 0: the whole training set; no limit: every image; no dropout: the preset's own
    config = dataclasses.replace(SMALL, batch_size=0, limit=None, dropout=None).validate()
    trainer = Trainer(config, toy_data())
    assert trainer.batch_size == 450 and trainer.batches_per_epoch == 1
    with pytest.raises(TrainingError, match="epochs must be a whole number"):
        dataclasses.replace(SMALL, epochs=2.0).validate()


def test_the_default_learning_rate_is_the_optimizer_s_own() -> None:
    from handwrite.nn.optim import DEFAULT_LR, OPTIMIZERS

    assert set(DEFAULT_LR) == set(OPTIMIZERS)
    assert TrainConfig().lr == DEFAULT_LR[TrainConfig().optimizer]


@pytest.fixture(scope="module")
def checkpoint_file(tmp_path_factory) -> tuple:
    """A real checkpoint after one epoch: its path and its metadata."""
    from handwrite.modelfile import read_model_file

    trainer = Trainer(dataclasses.replace(SMALL, epochs=1), toy_data())
    run_all(trainer)
    path = tmp_path_factory.mktemp("ckpt") / "ckpt.npz"
    trainer.save(path)
    return path, read_model_file(path)[1]


def edited_checkpoint(src, dst, edit):
    """``src`` with its metadata changed by ``edit(meta)``."""
    import io
    import json
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "metadata.npy":
                meta = json.loads(np.load(io.BytesIO(data)).tobytes())
                edit(meta)
                buf = io.BytesIO()
                np.save(buf, np.frombuffer(json.dumps(meta).encode(), np.uint8))
                data = buf.getvalue()
            zout.writestr(info, data)
    return dst


def put(section: str, key: str, value):
    def edit(meta):
        target = meta[section]
        for part in key.split(".")[:-1]:
            target = target[part]
        target[key.split(".")[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (put("checkpoint", "epoch", -1), "'epoch' must be a count"),
        (put("checkpoint", "step", "ten"), "'step' must be a count"),
        (put("checkpoint", "batch_in_epoch", 2.5), "'batch_in_epoch' must be a count"),
        (put("checkpoint", "batch_in_epoch", 10**6), "stopped at batch 1000000"),
        (put("checkpoint", "seconds", "long"), "'seconds' must be a number"),
        (put("checkpoint", "config.snapshot_seconds", "0.5"), "snapshot_seconds must be"),
        (put("checkpoint", "config.arch", ["mlp"]), "unknown architecture"),
        (put("checkpoint", "config.optimizer", {"adam": 1}), "unknown optimizer"),
        (put("checkpoint", "config.augment", "yes"), "augment must be true or false"),
        (put("checkpoint", "config.batch_size", False), "batch_size must be"),
        (put("checkpoint", "config.epochs", 10**30), "larger than 64 bits|epochs must be"),
        (put("checkpoint", "config", [1]), "no settings"),
        (put("history", "batch_loss", ["0.5"]), "curve 'batch_loss' must be a list of numbers"),
        (put("history", "epoch", [1.5]), "curve 'epoch' must be a list of step numbers"),
        (put("history", "train_loss", None), "curve 'train_loss'"),
        (put("history", "batch_step", [1, 2, 3]), "'batch_step' and 'batch_loss' differ"),
        (put("optimizer", "steps", -3), "optimizer entry is damaged"),
        (put("optimizer", "name", ["adam"]), "optimizer entry is damaged"),
        (put("optimizer", "hyperparameters", {"lr": "fast"}), "optimizer entry is damaged"),
    ],
)
def test_hand_edited_checkpoints_give_a_training_error(
    tmp_path, checkpoint_file, edit, match
) -> None:
    from handwrite.modelfile import ModelFileError

    path = edited_checkpoint(checkpoint_file[0], tmp_path / "edited.npz", edit)
    with pytest.raises((TrainingError, ModelFileError), match=match) as info:
        Trainer.from_checkpoint(path, toy_data(), epochs=3)
    assert str(path) in str(info.value)
    if "64 bits" not in str(info.value):  # refused by the JSON reader (a ModelFileError)
        assert info.type is TrainingError


def test_a_hand_edited_checkpoint_opens_as_a_plain_model(tmp_path, checkpoint_file) -> None:
    """The window opens what it can: the weights of a checkpoint whose run state is damaged
    load, and Checkpoint.from_file says why the run cannot continue."""
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Checkpoint

    path = edited_checkpoint(checkpoint_file[0], tmp_path / "e.npz", put("checkpoint", "epoch", -1))
    model, meta, arrays = read_model_file(path)
    assert model.parameter_count() > 0
    with pytest.raises(TrainingError, match="'epoch' must be a count"):
        Checkpoint.from_file(meta, arrays)


def test_config_validation_never_raises_anything_else() -> None:
    for name, value in [
        ("arch", ["cnn"]),
        ("arch", {"a": 1}),
        ("optimizer", None),
        ("schedule", ["constant"]),
        ("device", ["cpu"]),
        ("lr", 10**400),
        ("epochs", float("inf")),
        ("snapshot_seconds", float("nan")),
        ("validation", "5"),
        ("seed", -1),
    ]:
        with pytest.raises(TrainingError):
            dataclasses.replace(SMALL, **{name: value}).validate()
