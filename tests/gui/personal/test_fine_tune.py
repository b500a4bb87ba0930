"""Fine-tuning on the personal set: a run on the RunController's worker thread, before/after
accuracies, the model installed, Undo back to the exact weights, and the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from handwrite.evaluation import evaluate
from handwrite.gui.document import ModelDocument
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.personal.fine_tune import (
    FineTuneComparison,
    FineTuneController,
    personal_accuracy,
)
from handwrite.gui.settings import AppSettings
from handwrite.gui.training.run_controller import RunController, RunState
from handwrite.nn import presets
from handwrite.nn.model import Model
from handwrite.personal import PersonalDataset
from handwrite.trainer import REFUSAL_VALIDATION, EpochDone, Started

TEST_IMAGES = 2000


def sideways_digits(mnist_data: Any, per_digit: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Someone who writes sideways: MNIST training digits (from the end of the set, which the
    fixtures' models never saw) turned by 90 degrees, with their true labels."""
    pool = np.arange(50_000, 51_000)
    rows = np.concatenate(
        [pool[mnist_data.train_labels[pool] == d][:per_digit] for d in (1, 2, 3, 4, 7)]
    )
    images = np.rot90(np.asarray(mnist_data.train_images[rows]), k=1, axes=(1, 2)).copy()
    return images, np.asarray(mnist_data.train_labels[rows]).astype(np.uint8)


@dataclass
class Harness:
    """A FineTuneController wired as the window wires it: a document shows the model, and
    its runs go through a RunController."""

    controller: FineTuneController
    runs: RunController
    document: ModelDocument
    dataset: PersonalDataset
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    running: list[bool] = field(default_factory=list)
    undo_states: list[bool] = field(default_factory=list)

    @property
    def model(self) -> Model:
        return self.document.model

    def install(self, model: Model, note: str) -> None:
        self.document.show(model, None, trained=True, dirty=True)
        self.notes.append(note)

    def training(self) -> bool:
        return self.runs.state is not RunState.IDLE


@pytest.fixture
def make_harness(qtbot: Any, tmp_path: Path, mnist_data: Any, small_mlp: Model) -> Iterator[Any]:
    made: list[Harness] = []

    def make(samples: bool = True, mnist: MnistController | None = None) -> Harness:
        dataset = PersonalDataset(tmp_path / f"personal-{len(made)}.npz")
        if samples:
            for image, label in zip(*sideways_digits(mnist_data), strict=True):
                dataset.add(image, int(label))
        document = ModelDocument(AppSettings(tmp_path / f"settings-{len(made)}.ini"), None)
        document.show(small_mlp, None, trained=True)
        if mnist is None:
            mnist = MnistController()
            mnist.set_data(mnist_data)
        runs = RunController(document, mnist)
        h: Harness
        controller = FineTuneController(
            runs,
            dataset,
            lambda: h.model,
            lambda model, note: h.install(model, note),
            mnist,
            test_images=TEST_IMAGES,
        )
        h = Harness(controller, runs, document, dataset)
        controller.failed.connect(h.failures.append)
        controller.running_changed.connect(h.running.append)
        controller.undo_available.connect(h.undo_states.append)
        made.append(h)
        return h

    yield make
    for h in made:
        h.runs.shutdown()
        h.controller.shutdown()


def _fine_tune(qtbot: Any, h: Harness, **kwargs: Any) -> FineTuneComparison:
    with qtbot.waitSignal(h.controller.compared, timeout=60_000) as compared:
        assert h.controller.start(**kwargs)
    assert not h.training()  # compared once the run's thread has ended
    return compared.args[0]


def test_fine_tuning_learns_your_handwriting_and_keeps_mnist(
    qtbot: Any, make_harness: Any, mnist_data: Any, small_mlp: Model
) -> None:
    h = make_harness()
    started: list[Started] = []
    epochs: list[EpochDone] = []
    runs: list[Any] = []
    h.controller.started.connect(runs.append)
    h.runs.started.connect(started.append)
    h.runs.epoch_done.connect(epochs.append)
    before_state = h.model.state_dict()

    c = _fine_tune(qtbot, h, epochs=2, lr=3e-4)

    print(
        f"\nfine-tuning on {c.personal_samples} sideways digits: personal "
        f"{c.personal_before:.1%} -> {c.personal_after:.1%}, MNIST test ({c.mnist_test_images}) "
        f"{c.mnist_before:.2%} -> {c.mnist_after:.2%}"
    )
    # It ran on the window's RunController (so the window's curves showed it).
    assert started and started[0].config.arch == "mlp" and started[0].config.optimizer == "adam"
    assert started[0].config.lr == pytest.approx(3e-4) and started[0].config.augment
    # Nothing held out for validation, but the refusal of a network that says "not a digit"
    # is fitted on digits held out of the mix (handwrite.trainer.REFUSAL_VALIDATION).
    assert h.model.refuses
    held = min(REFUSAL_VALIDATION, len(runs[0].train_labels) // 10)
    assert started[0].validation_size == held and started[0].test_size == TEST_IMAGES
    assert [e.epoch for e in epochs] == [0, 1]
    assert len(runs) == 1 and len(runs[0].test_labels) == len(mnist_data.test_labels)
    assert epochs[-1].test_probabilities.shape == (TEST_IMAGES, 10)  # the first 2,000 of them
    # MNIST + yours, repeated
    assert len(runs[0].train_labels) == started[0].train_size + held > 6000
    assert h.running == [True, False] and h.undo_states == [True] and not h.failures

    images, labels = sideways_digits(mnist_data)
    test_x, test_t = mnist_data.test_images[:TEST_IMAGES], mnist_data.test_labels[:TEST_IMAGES]
    assert c.personal_samples == len(labels) and c.mnist_test_images == TEST_IMAGES
    assert c.epochs_done == 2 and not c.stopped
    assert c.personal_before == pytest.approx(evaluate(small_mlp, images, labels).accuracy)
    assert c.mnist_before == pytest.approx(evaluate(small_mlp, test_x, test_t).accuracy)
    # The installed model is the one measured.
    assert c.personal_after == pytest.approx(personal_accuracy(h.model, h.dataset.data))
    assert c.mnist_after == pytest.approx(evaluate(h.model, test_x, test_t).accuracy)
    assert c.personal_before < 0.3 and c.personal_after > c.personal_before + 0.4
    assert c.mnist_after > c.mnist_before - 0.01  # it has not forgotten MNIST
    assert any(not np.array_equal(h.model.state_dict()[k], v) for k, v in before_state.items())
    assert h.notes and "40" in h.notes[-1]
    meta = h.model.metadata
    assert meta["fine_tuning"]["personal_samples"] == 40 and meta["training"]["epochs"] == 2
    assert meta["history"]["epoch"] == [1, 2]


def test_undo_puts_back_the_exact_weights(qtbot: Any, make_harness: Any) -> None:
    h = make_harness()
    before = h.model.state_dict()
    _fine_tune(qtbot, h, epochs=1)
    assert h.controller.can_undo()

    with qtbot.waitSignal(h.controller.undone):
        assert h.controller.undo()
    after_undo = h.model.state_dict()
    assert set(after_undo) == set(before)
    for key, value in before.items():
        assert np.array_equal(after_undo[key], value), key
    assert h.undo_states == [True, False] and not h.controller.can_undo()
    assert not h.controller.undo()  # only once


def test_undo_is_refused_once_the_network_has_changed(qtbot: Any, make_harness: Any) -> None:
    h = make_harness()
    _fine_tune(qtbot, h, epochs=1)
    h.document.show(presets.build("mlp", seed=5), None, trained=False)  # another model opened
    replaced = h.model.state_dict()
    assert not h.controller.undo()
    assert h.failures and "cannot be undone" in h.failures[-1]
    assert all(np.array_equal(h.model.state_dict()[k], v) for k, v in replaced.items())
    assert h.undo_states == [True, False]


def test_stopping_early_still_compares(qtbot: Any, make_harness: Any) -> None:
    h = make_harness()
    h.runs.batch_done.connect(lambda _progress: h.runs.stop())
    c = _fine_tune(qtbot, h, epochs=20)
    assert c.stopped and c.epochs_done < 20
    assert np.isfinite(c.mnist_after)  # measured in a worker thread: no epoch ended
    assert h.controller.can_undo()


def test_nothing_to_learn_from_is_refused(qtbot: Any, make_harness: Any) -> None:
    h = make_harness(samples=False)
    assert not h.controller.start()
    assert h.failures and "Add some of your own digits" in h.failures[0]
    assert not h.controller.is_running() and not h.training() and not h.running


def test_a_second_run_is_refused_while_one_trains(qtbot: Any, make_harness: Any) -> None:
    h = make_harness()
    with qtbot.waitSignal(h.controller.compared, timeout=60_000):
        assert h.controller.start(epochs=1)
        assert not h.controller.start(epochs=1)
        assert h.failures == ["Fine-tuning is already running."]


def test_divergence_puts_the_old_network_back(qtbot: Any, make_harness: Any) -> None:
    h = make_harness()
    before = h.model.state_dict()
    with qtbot.waitSignal(h.controller.failed, timeout=60_000) as failed:
        assert h.controller.start(epochs=3, lr=500.0)
    assert "diverged" in failed.args[0]
    assert h.notes and "failed" in h.notes[-1]  # the window had shown the run's weights
    assert h.running == [True, False] and not h.controller.can_undo()
    assert all(np.array_equal(h.model.state_dict()[k], v) for k, v in before.items())
    assert not h.training()


def test_mnist_is_loaded_first_when_needed(qtbot: Any, make_harness: Any, mnist_dir: Path) -> None:
    mnist = MnistController(None, mnist_dir)  # nothing loaded yet: it loads in its thread
    h = make_harness(mnist=mnist)
    with qtbot.waitSignal(h.controller.compared, timeout=60_000) as compared:
        assert h.controller.start(epochs=1)
        assert h.controller.is_running() and not h.training() and mnist.is_busy()
    assert compared.args[0].mnist_test_images == TEST_IMAGES
    assert not h.training() and not mnist.is_busy()
