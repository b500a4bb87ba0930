"""Training in the worker thread: signals arrive, plots fill, Pause and Stop act, threads end."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from handwrite.gui.training_panel import IDLE, PAUSED, RUNNING
from handwrite.gui.worker import BatchProgress, TrainingController
from handwrite.trainer import ArrayData, EpochDone, Finished, Snapshot, Started, TrainConfig
from tests.gui.strokes import one

QUICK = TrainConfig(arch="mlp", epochs=2, batch_size=32, validation=150, snapshot_seconds=0.2)


def test_worker_runs_a_short_training(qtbot: Any, small_data: ArrayData) -> None:
    controller = TrainingController()
    batches: list[BatchProgress] = []
    epochs: list[EpochDone] = []
    snapshots: list[Snapshot] = []
    started: list[Started] = []
    controller.started.connect(started.append)
    controller.batch_done.connect(batches.append)
    controller.epoch_done.connect(epochs.append)
    controller.snapshot.connect(snapshots.append)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as finished:
        controller.start(QUICK, small_data)
        assert controller.is_running()
    qtbot.waitUntil(lambda: not controller.is_running(), timeout=10_000)

    event: Finished = finished.args[0]
    assert not event.stopped and event.epochs_done == 2
    assert started and started[0].device_name == "NumPy (CPU)"
    assert [e.epoch for e in epochs] == [0, 1]
    # coalesced batch signals still carry every batch, in order
    steps = np.concatenate([b.steps for b in batches])
    assert list(steps) == list(range(1, started[0].total_batches + 1))
    assert len(batches) <= len(steps)
    assert snapshots and set(snapshots[-1].state) == {
        "1.weight",
        "1.bias",
        "3.weight",
        "3.bias",
        "5.weight",
        "5.bias",
    }
    assert event.summary["test_accuracy"] > 0.5


def test_bad_settings_fail_with_a_message(qtbot: Any, small_data: ArrayData) -> None:
    controller = TrainingController()
    with qtbot.waitSignal(controller.failed, timeout=10_000) as failed:
        controller.start(TrainConfig(arch="mlp", lr=-1.0), small_data)
    assert "lr" in failed.args[0].message
    qtbot.waitUntil(lambda: not controller.is_running())


def _start(window: Any, qtbot: Any, data: ArrayData, **settings: Any) -> None:
    window.mnist.set_data(data)
    panel = window.training_panel
    s = panel.settings()
    from dataclasses import replace

    panel.set_settings(replace(s, arch="mlp", dropout=0.0, batch_size=32, **settings))
    with qtbot.waitSignal(window.training.started, timeout=20_000):
        panel.start_button.click()


def test_window_trains_pauses_resumes_and_stops(
    make_window: Any, qtbot: Any, small_data: ArrayData
) -> None:
    window = make_window()
    panel, plot = window.training_panel, window.training_plot
    window.canvas.draw_stroke(one(window.canvas))
    _start(window, qtbot, small_data, epochs=30)
    assert not window.open_action.isEnabled()  # no file changes in the middle of a run

    qtbot.waitUntil(lambda: plot.batch_points() > 3, timeout=20_000)
    # Drawing keeps working during training, with the GUI's own model copy.
    with qtbot.waitSignal(window.prediction_changed, timeout=2000) as blocker:
        window.canvas.draw_stroke(one(window.canvas))
    assert blocker.args[0] is not None
    qtbot.waitUntil(lambda: plot.redraw_count > 0 and plot.raw_loss_curve.xData is not None)

    with qtbot.waitSignal(window.training.paused, timeout=2000):
        panel.pause_button.click()
    assert panel.state == PAUSED and panel.pause_button.text() == "Resume"
    with qtbot.waitSignal(window.training.resumed, timeout=2000):
        panel.pause_button.click()
    assert panel.state == RUNNING

    with qtbot.waitSignal(window.training.finished, timeout=3000) as finished:
        panel.stop_button.click()
    assert finished.args[0].stopped
    qtbot.waitUntil(lambda: panel.state == IDLE, timeout=5000)
    assert window.dirty and window.isWindowModified()
    assert window.open_action.isEnabled()
    assert window.model.metadata["training"]["architecture"] == "mlp"


def test_window_shows_epoch_curves(make_window: Any, qtbot: Any, small_data: ArrayData) -> None:
    window = make_window()
    plot = window.training_plot
    _start(window, qtbot, small_data, epochs=2)
    with qtbot.waitSignal(window.training.running_changed, timeout=60_000):
        pass
    assert plot.epoch_points() == 2
    plot.redraw()
    x, y = plot.validation_accuracy_curve.getData()
    assert len(x) == 2 and np.all((y > 10) & (y <= 100))
    x, y = plot.smooth_loss_curve.getData()
    assert len(x) == plot.batch_points() > 50
    assert "test accuracy" in window.model_label.text()
    assert not window.notice.isVisible()
    assert "2 epoch" in window.training_panel.progress_bar.format()


def test_closing_the_window_stops_training(
    make_window: Any, qtbot: Any, small_data: ArrayData, dialog_log: Any
) -> None:
    window = make_window()
    _start(window, qtbot, small_data, epochs=50)
    qtbot.waitUntil(lambda: window.training_plot.batch_points() > 0, timeout=20_000)
    thread = window.training._thread
    assert window.close() is False  # not yet: the run is asked to stop first
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert not window.training.is_running()
    assert thread.isFinished()
    assert dialog_log.save_questions  # the partly trained model was not thrown away silently


def test_divergence_is_explained_and_the_last_good_weights_kept(
    make_window: Any, qtbot: Any, small_data: ArrayData, dialog_log: Any
) -> None:
    from dataclasses import replace

    window = make_window()
    panel = window.training_panel
    settings = replace(panel.settings(), arch="mlp", optimizer="sgd", lr=900.0, epochs=3)
    window.start_training(settings, small_data)
    qtbot.waitUntil(lambda: not window.training.is_running(), timeout=60_000)
    assert dialog_log.errors, "a diverged run must be explained"
    title, message, _details = dialog_log.errors[-1]
    assert "diverged" in message and "learning rate" in message
    assert panel.state == IDLE
    for p in window.model.parameters():
        assert np.isfinite(p.data).all()
    # the window still predicts
    with qtbot.waitSignal(window.prediction_changed):
        window.canvas.draw_stroke(one(window.canvas))


def test_a_trained_model_keeps_its_curves_through_save_and_open(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any
) -> None:
    window = make_window()
    _start(window, qtbot, small_data, epochs=2)
    qtbot.waitUntil(lambda: not window.training.is_running(), timeout=60_000)
    batches = window.training_plot.batch_points()
    path = tmp_path / "trained.npz"
    assert window.save_model(path)
    assert not window.dirty

    restarted = make_window()  # the same settings: the last model opens, with its curves
    assert restarted.model_path == path.resolve()
    assert restarted.training_plot.batch_points() == batches

    from handwrite.gui.settings import AppSettings

    other = make_window(settings=AppSettings(tmp_path / "other.ini"))
    assert other.training_plot.batch_points() == 0
    assert other.open_model(path)
    assert other.training_plot.epoch_points() == 2
    assert other.training_plot.batch_points() == batches
    assert "trained.npz learned: 2 epoch(s)" in other.training_panel.result_label.text()


def test_a_command_line_checkpoint_opens_with_its_curves_and_continues(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any
) -> None:
    """A run saved by the trainer (as `handwrite train` does) reopens with its curves, stays
    resumable through Save, and Continue trains it further from where it stopped."""
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Trainer

    trainer = Trainer(QUICK, small_data)
    for _ in trainer.run():
        pass
    ckpt = tmp_path / "ckpt.npz"
    trainer.save(ckpt)
    window = make_window(model_path=ckpt)
    assert window.training_plot.epoch_points() == 2
    assert window.training_plot.batch_points() == trainer.step
    panel = window.training_panel
    assert panel.continue_button.isEnabled()
    copy = tmp_path / "copy.npz"
    assert window.save_model(copy)
    _, meta, optimizer_state = read_model_file(copy)
    assert meta["checkpoint"]["epoch"] == 2 and optimizer_state  # still resumable
    assert meta["history"]["batches_per_epoch"] == trainer.batches_per_epoch

    window.mnist.set_data(small_data)
    from dataclasses import replace

    panel.set_settings(replace(panel.settings(), epochs=1))
    with qtbot.waitSignal(window.training.finished, timeout=60_000) as done:
        panel.continue_button.click()
    finished = done.args[0]
    assert finished.epochs_done == 3 and finished.step == trainer.step + trainer.batches_per_epoch
    qtbot.waitUntil(lambda: panel.state == IDLE, timeout=10_000)
    assert window.training_plot.epoch_points() == 3  # the old curves, then the new epoch
    assert window.model_path == copy.resolve() and window.dirty
    # The continued run's weights are what the window shows, and it can continue again.
    assert window.save_model(tmp_path / "more.npz")
    model, meta, _ = read_model_file(tmp_path / "more.npz")
    assert meta["checkpoint"]["epoch"] == 3 and meta["history"]["epoch"] == [1, 2, 3]
    np.testing.assert_array_equal(model.parameters()[0].data, window.model.parameters()[0].data)
    assert panel.continue_button.isEnabled()


def test_a_window_run_saves_a_resumable_checkpoint(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any
) -> None:
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Trainer

    window = make_window()
    with qtbot.waitSignal(window.training.finished, timeout=60_000):
        _start(window, qtbot, small_data, epochs=1)
    qtbot.waitUntil(lambda: window.training_panel.state == IDLE, timeout=10_000)
    path = tmp_path / "run.npz"
    assert window.save_model(path)
    _, meta, state = read_model_file(path)
    assert state and meta["optimizer"]["name"] == "adam" and meta["checkpoint"]["epoch"] == 1
    # ... which the command line's trainer resumes
    resumed = Trainer.from_checkpoint(path, small_data, epochs=2)
    assert resumed.epoch == 1


def test_window_training_leaves_a_core_to_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from handwrite.gui import worker

    monkeypatch.delenv("HANDWRITE_THREADS", raising=False)
    monkeypatch.setattr(worker, "available_cores", lambda: 2)
    assert worker.window_training_threads() == 1
    monkeypatch.setattr(worker, "available_cores", lambda: 8)
    assert worker.window_training_threads() == 7
    monkeypatch.setattr(worker, "available_cores", lambda: 1)
    assert worker.window_training_threads() == 1
    monkeypatch.setenv("HANDWRITE_THREADS", "2")
    assert worker.window_training_threads() == 2
