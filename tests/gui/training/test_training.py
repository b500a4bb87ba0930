"""Training in the window: the job on a worker thread, the plots, Pause and Stop, checkpoints."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from handwrite.gui.training import job
from handwrite.gui.training.job import BatchProgress, RunResult, TrainingJob
from handwrite.gui.training.run_controller import RunState
from handwrite.gui.worker import GeneratorWorker
from handwrite.trainer import ArrayData, EpochDone, Failed, Finished, Snapshot, Started, TrainConfig
from tests.gui.strokes import one

QUICK = TrainConfig(arch="mlp", epochs=2, batch_size=32, validation=150, snapshot_seconds=0.2)


def _run_job(qtbot: Any, training: TrainingJob) -> tuple[list[object], RunResult]:
    """Run ``training`` on a GeneratorWorker; its events (on the GUI thread) and its result."""
    worker = GeneratorWorker(training.run(), "training")
    events: list[object] = []
    worker.yielded.connect(events.append)
    with qtbot.waitSignal(worker.finished, timeout=60_000) as finished:
        worker.start()
        assert worker.is_running()
    assert not worker.is_running()  # the result comes once the thread has ended
    return events, finished.args[0]


def test_the_job_runs_a_short_training_on_a_worker_thread(
    qtbot: Any, small_data: ArrayData
) -> None:
    events, result = _run_job(qtbot, TrainingJob(QUICK, small_data))
    started = [e for e in events if isinstance(e, Started)]
    batches = [e for e in events if isinstance(e, BatchProgress)]
    epochs = [e for e in events if isinstance(e, EpochDone)]
    snapshots = [e for e in events if isinstance(e, Snapshot)]
    end = result.end
    assert isinstance(end, Finished) and events[-1] is end
    assert not end.stopped and end.epochs_done == 2
    assert started and started[0].device_name == "NumPy (CPU)"
    assert [e.epoch for e in epochs] == [0, 1]
    # gathered batch events still carry every batch, in order
    steps = np.concatenate([b.steps for b in batches])
    assert list(steps) == list(range(1, started[0].total_batches + 1))
    assert len(batches) <= len(steps)
    names = {"1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"}
    assert snapshots and set(snapshots[-1].state) == names
    assert end.summary["test_accuracy"] > 0.5
    # What the events do not carry: the final weights and the checkpoint with the curves.
    assert result.state is not None and set(result.state) == names
    for name, value in snapshots[-1].state.items():
        np.testing.assert_array_equal(result.state[name], value)
    assert result.checkpoint is not None and result.checkpoint.epochs_done == 2
    assert result.checkpoint.metadata["history"]["epoch"] == [1, 2]
    assert result.checkpoint.optimizer.name == "adam"


def test_batch_events_are_gathered_at_a_bounded_rate(
    qtbot: Any, small_data: ArrayData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the job's clock standing still, every batch after the first waits for the next
    event that is not a batch (here: the end of each epoch), and comes with it."""
    monkeypatch.setattr(job, "time", SimpleNamespace(perf_counter=lambda: 1000.0))
    config = replace(QUICK, snapshot_seconds=3600.0)  # no snapshot in the middle of an epoch
    events, _result = _run_job(qtbot, TrainingJob(config, small_data))
    batches = [e for e in events if isinstance(e, BatchProgress)]
    per_epoch = next(e for e in events if isinstance(e, Started)).batches_per_epoch
    assert [len(b.steps) for b in batches] == [1, per_epoch - 1, per_epoch]
    assert all(b.last.step == b.steps[-1] for b in batches)
    for gathered in batches[1:]:  # passed on just before the epoch's end
        assert isinstance(events[events.index(gathered) + 1], EpochDone)


def test_bad_settings_fail_with_a_message(qtbot: Any, small_data: ArrayData) -> None:
    events, result = _run_job(qtbot, TrainingJob(TrainConfig(arch="mlp", lr=-1.0), small_data))
    assert events == [result.end]
    assert isinstance(result.end, Failed) and "lr" in result.end.message
    assert result.state is None and result.checkpoint is None


def _start(window: Any, qtbot: Any, data: ArrayData, **settings: Any) -> None:
    window.mnist.set_data(data)
    panel = window.training_panel
    s = panel.settings()
    panel.set_settings(replace(s, arch="mlp", dropout=0.0, batch_size=32, **settings))
    with qtbot.waitSignal(window.run.started, timeout=20_000):
        panel.start_button.click()


def test_window_trains_pauses_resumes_and_stops(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any
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

    with qtbot.waitSignal(window.run.paused, timeout=2000):
        panel.pause_button.click()
    assert panel.state is RunState.PAUSED and panel.pause_button.text() == "Resume"
    with qtbot.waitSignal(window.run.resumed, timeout=2000):
        panel.pause_button.click()
    assert panel.state is RunState.RUNNING

    with qtbot.waitSignal(window.run.finished, timeout=3000) as finished:
        panel.stop_button.click()
        assert panel.state is RunState.STOPPING and not panel.stop_button.isEnabled()
    assert finished.args[0].stopped
    wait_idle(window, 5000)
    assert panel.state is RunState.IDLE
    assert window.document.dirty and window.isWindowModified()
    assert window.open_action.isEnabled()
    assert window.model.metadata["training"]["architecture"] == "mlp"


def test_window_shows_epoch_curves(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any
) -> None:
    window = make_window()
    plot = window.training_plot
    _start(window, qtbot, small_data, epochs=2)
    wait_idle(window)
    assert plot.epoch_points() == 2
    plot.redraw()
    x, y = plot.validation_accuracy_curve.getData()
    assert len(x) == 2 and np.all((y > 10) & (y <= 100))
    x, y = plot.smooth_loss_curve.getData()
    assert len(x) == plot.batch_points() > 50
    assert "test accuracy" in window.status.model_label.text()
    assert not window.drawing_panel.notice.isVisible()
    assert plot.has_validation_legend()  # the run had a validation set
    assert "2 epoch" in window.training_panel.progress_bar.format()


def test_closing_the_window_stops_training(
    make_window: Any, qtbot: Any, small_data: ArrayData, dialog_log: Any
) -> None:
    window = make_window()
    _start(window, qtbot, small_data, epochs=50)
    qtbot.waitUntil(lambda: window.training_plot.batch_points() > 0, timeout=20_000)
    worker = window.run._current.worker
    assert worker.is_running()
    assert window.close() is False  # not yet: the run is asked to stop first
    assert window.run.state is RunState.STOPPING
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert window.run.state is RunState.IDLE
    assert not worker.is_running()  # its thread has ended
    assert dialog_log.save_questions  # the partly trained model was not thrown away silently


def test_divergence_is_explained_and_the_last_good_weights_kept(
    make_window: Any, qtbot: Any, small_data: ArrayData, dialog_log: Any, wait_idle: Any
) -> None:
    window = make_window()
    panel = window.training_panel
    settings = replace(panel.settings(), arch="mlp", optimizer="sgd", lr=900.0, epochs=3)
    window.mnist.set_data(small_data)
    window.run.train(settings)
    wait_idle(window)
    assert dialog_log.errors, "a diverged run must be explained"
    title, message, _details = dialog_log.errors[-1]
    assert "diverged" in message and "learning rate" in message
    assert panel.state is RunState.IDLE
    for p in window.model.parameters():
        assert np.isfinite(p.data).all()
    # the window still predicts
    with qtbot.waitSignal(window.prediction_changed):
        window.canvas.draw_stroke(one(window.canvas))


def test_a_trained_model_keeps_its_curves_through_save_and_open(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any, wait_idle: Any
) -> None:
    window = make_window()
    _start(window, qtbot, small_data, epochs=2)
    wait_idle(window)
    batches = window.training_plot.batch_points()
    path = tmp_path / "trained.npz"
    assert window.document.save_to(path)
    assert not window.document.dirty

    restarted = make_window()  # the same settings: the last model opens, with its curves
    assert restarted.document.path == path.resolve()
    assert restarted.training_plot.batch_points() == batches

    from handwrite.gui.settings import AppSettings

    other = make_window(settings=AppSettings(tmp_path / "other.ini"))
    assert other.training_plot.batch_points() == 0
    assert other.document.open(path)
    assert other.training_plot.epoch_points() == 2
    assert other.training_plot.batch_points() == batches
    assert "trained.npz learned: 2 epoch(s)" in other.training_panel.result_label.text()


def test_a_command_line_checkpoint_opens_with_its_curves_and_continues(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any, wait_idle: Any
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
    assert window.document.save_to(copy)
    _, meta, optimizer_state = read_model_file(copy)
    assert meta["checkpoint"]["epoch"] == 2 and optimizer_state  # still resumable
    assert meta["history"]["batches_per_epoch"] == trainer.batches_per_epoch

    window.mnist.set_data(small_data)
    panel.set_settings(replace(panel.settings(), epochs=1))
    with qtbot.waitSignal(window.run.finished, timeout=60_000) as done:
        panel.continue_button.click()
        assert not panel.continue_button.isEnabled()
    finished = done.args[0]
    assert finished.epochs_done == 3 and finished.step == trainer.step + trainer.batches_per_epoch
    wait_idle(window, 10_000)
    assert window.training_plot.epoch_points() == 3  # the old curves, then the new epoch
    assert window.document.path == copy.resolve() and window.document.dirty
    # The continued run's weights are what the window shows, and it can continue again.
    assert window.document.save_to(tmp_path / "more.npz")
    model, meta, _ = read_model_file(tmp_path / "more.npz")
    assert meta["checkpoint"]["epoch"] == 3 and meta["history"]["epoch"] == [1, 2, 3]
    np.testing.assert_array_equal(model.parameters()[0].data, window.model.parameters()[0].data)
    assert panel.continue_button.isEnabled()


def test_a_window_run_saves_a_resumable_checkpoint(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Any, wait_idle: Any
) -> None:
    from handwrite.modelfile import read_model_file
    from handwrite.trainer import Trainer

    window = make_window()
    with qtbot.waitSignal(window.run.finished, timeout=60_000):
        _start(window, qtbot, small_data, epochs=1)
    wait_idle(window, 10_000)
    path = tmp_path / "run.npz"
    assert window.document.save_to(path)
    _, meta, state = read_model_file(path)
    assert state and meta["optimizer"]["name"] == "adam" and meta["checkpoint"]["epoch"] == 1
    # ... which the command line's trainer resumes
    resumed = Trainer.from_checkpoint(path, small_data, epochs=2)
    assert resumed.epoch == 1


def test_window_training_leaves_a_core_to_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDWRITE_THREADS", raising=False)
    monkeypatch.setattr(job, "available_cores", lambda: 2)
    assert job.window_training_threads() == 1
    monkeypatch.setattr(job, "available_cores", lambda: 8)
    assert job.window_training_threads() == 7
    monkeypatch.setattr(job, "available_cores", lambda: 1)
    assert job.window_training_threads() == 1
    monkeypatch.setenv("HANDWRITE_THREADS", "2")
    assert job.window_training_threads() == 2


def test_the_job_the_worker_thread_runs_imports_no_qt() -> None:
    """The compute side of a run stays Qt-free: only the generic worker knows the thread."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(job))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in ("PySide6", "pyqtgraph")}
    assert not {name for name in imported if name.startswith("handwrite.gui")}
