"""The run controller's explicit state: a run's way through its states, a run that learns
nothing, evaluations and their cancellation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from handwrite.gui.document import ModelDocument
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.settings import AppSettings, TrainingSettings
from handwrite.gui.training.run_controller import RunController, RunState
from handwrite.nn import presets
from handwrite.trainer import ArrayData

SETTINGS = TrainingSettings(arch="mlp", epochs=20, batch_size=32, dropout=0.0)


@dataclass
class Runs:
    runs: RunController
    document: ModelDocument
    states: list[RunState] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def wait_idle(self, qtbot: Any, timeout: int = 30_000) -> None:
        if self.runs.state is not RunState.IDLE:
            with qtbot.waitSignal(
                self.runs.state_changed, timeout=timeout, check_params_cb=lambda s: not s.training
            ):
                pass


@pytest.fixture
def make_runs(tmp_path: Path, small_data: ArrayData) -> Any:
    made: list[Runs] = []

    def make() -> Runs:
        document = ModelDocument(AppSettings(tmp_path / f"s{len(made)}.ini"), None)
        mnist = MnistController()
        mnist.set_data(small_data)
        r = Runs(RunController(document, mnist), document)
        r.runs.state_changed.connect(r.states.append)
        r.runs.message.connect(lambda text, _ms: r.messages.append(text))
        made.append(r)
        return r

    yield make
    for r in made:
        r.runs.shutdown()


def test_a_run_goes_from_starting_to_idle(qtbot: Any, make_runs: Any) -> None:
    r = make_runs()
    with qtbot.waitSignal(r.runs.started, timeout=20_000):
        r.runs.train(SETTINGS)
        assert r.runs.state is RunState.STARTING and r.runs.state.training
    with qtbot.waitSignal(r.runs.batch_done, timeout=5000):  # some learning to keep
        pass
    with qtbot.waitSignal(r.runs.paused, timeout=5000):
        r.runs.pause()
    with qtbot.waitSignal(r.runs.resumed, timeout=5000):
        r.runs.resume()
    r.runs.stop()
    assert r.runs.state is RunState.STOPPING
    r.wait_idle(qtbot)
    assert r.states == [
        RunState.STARTING,
        RunState.RUNNING,
        RunState.PAUSED,
        RunState.RUNNING,
        RunState.STOPPING,
        RunState.IDLE,
    ]
    doc = r.document
    assert doc.trained and doc.dirty and doc.checkpoint is not None and doc.path is None
    assert doc.model.metadata["training"]["architecture"] == "mlp"
    assert "history" in doc.model.metadata
    assert any(m.startswith("Training stopped.") for m in r.messages)


def test_a_run_that_takes_no_step_puts_the_model_before_it_back(
    qtbot: Any, make_runs: Any, tmp_path: Path
) -> None:
    r = make_runs()
    mine = presets.build("mlp", seed=7)
    r.document.show(mine, tmp_path / "mine.npz", trained=True)
    with qtbot.waitSignal(r.runs.finished, timeout=20_000) as finished:
        r.runs.train(SETTINGS)
        r.runs.stop()  # the worker is still preparing the images
    r.wait_idle(qtbot)
    assert finished.args[0].step == 0
    doc = r.document
    assert doc.path == tmp_path / "mine.npz" and doc.trained and not doc.dirty
    for name, value in mine.state_dict().items():
        np.testing.assert_array_equal(doc.model.state_dict()[name], value)
    assert "Training stopped before it began." in r.messages


def test_an_evaluation_and_its_cancellation(qtbot: Any, make_runs: Any) -> None:
    r = make_runs()
    chosen: list[Any] = []
    r.runs.data_chosen.connect(chosen.append)
    with qtbot.waitSignal(r.runs.evaluated, timeout=20_000) as evaluated:
        r.runs.evaluate()
        assert r.runs.state is RunState.EVALUATING
        r.runs.evaluate()  # one at a time: asked again, nothing more happens
    assert r.runs.state is RunState.IDLE
    assert evaluated.args[0].probabilities.shape == (300, 10)
    assert len(chosen) == 1 and len(chosen[0].test_labels) == 300

    results: list[Any] = []
    r.runs.evaluated.connect(results.append)
    r.runs.evaluate()
    r.runs.cancel_evaluation()
    assert r.runs.state is RunState.IDLE  # at once; the thread ends after its chunk
    assert r.runs.shutdown()  # waits for the cancelled evaluation's thread
    assert results == []
    assert r.states == [RunState.EVALUATING, RunState.IDLE] * 2


def test_a_run_replaces_an_evaluation_under_way(qtbot: Any, make_runs: Any) -> None:
    """Training makes another model: the evaluation of the one on show is cancelled."""
    r = make_runs()
    results: list[Any] = []
    r.runs.evaluated.connect(results.append)
    r.runs.evaluate()
    with qtbot.waitSignal(r.runs.started, timeout=20_000):
        r.runs.train(SETTINGS)
    r.runs.stop()
    r.wait_idle(qtbot)
    assert results == []
    assert r.states[:3] == [RunState.EVALUATING, RunState.IDLE, RunState.STARTING]
