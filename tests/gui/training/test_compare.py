"""Compare runs: the session's runs and an opened model's history, ticked to overlay their
curves, each labelled by what differs between the runs ticked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from handwrite.gui.training.compare import RunsView, run_labels
from handwrite.gui.training.runs import RecordedRun, RunCurves, RunSettings, differing
from handwrite.nn.architectures import MLPDesign
from handwrite.trainer import ArrayData, EpochDone, TrainConfig

ADAM = TrainConfig(arch="mlp", optimizer="adam", lr=0.001, negatives=0.0)
SGD = TrainConfig(arch="mlp", optimizer="sgd", lr=0.1, negatives=0.0)


def _run(config: TrainConfig, number: int = 0) -> RecordedRun:
    curves = RunCurves(batches_per_epoch=10)
    curves.add_batches(np.arange(1, 21), np.linspace(2.0, 0.5, 20))
    for epoch in range(2):
        curves.add_epoch(EpochDone(epoch, 2, 0.5, 0.9, 0.4, 0.9 + 0.02 * epoch, None, None, 1.0))
    return RecordedRun(number, RunSettings.of_config(config, 1000), curves)


def test_runs_are_labelled_by_the_settings_that_differ() -> None:
    adam, sgd = _run(ADAM, 1), _run(SGD, 2)
    assert differing([adam.settings, sgd.settings]) == ("optimizer", "lr")
    assert run_labels([adam, sgd]) == ["Adam, lr 0.001", "SGD, lr 0.1"]
    # a run alone, or runs that differ in nothing known, go by their numbers
    assert run_labels([adam]) == ["run 1"]
    assert run_labels([adam, _run(ADAM, 3)]) == ["run 1", "run 3"]
    # the network differs only when its layers do, not its name
    sigmoid = replace(ADAM, arch=TrainConfig.arch, architecture=MLPDesign(activation="sigmoid")
                      .architecture())  # fmt: skip
    assert differing([adam.settings, _run(sigmoid).settings]) == ("activation",)
    assert run_labels([adam, _run(sigmoid, 4)]) == ["ReLU", "sigmoid"]
    wide = replace(ADAM, arch=TrainConfig.arch, architecture=MLPDesign(hidden=(300,))
                   .architecture(), batch_size=0)  # fmt: skip
    labels = run_labels([adam, _run(wide, 5)])
    assert labels[1].endswith("full batch") and labels[0].endswith("batch 64")
    assert labels[0].startswith("mlp (784-100-100-10)")
    assert labels[1].startswith("custom mlp (784-300-10)")


def test_ticked_runs_are_overlaid_in_their_colours_with_their_labels(qtbot: Any) -> None:
    view = RunsView()
    qtbot.addWidget(view)
    adam = view.add_run(_run(ADAM), ticked=True)
    sgd = view.add_run(_run(SGD), ticked=False)
    assert (adam.number, sgd.number) == (1, 2)
    assert view.plot.runs() == [adam] and view.plot.labels() == ["run 1"]
    view.set_ticked(sgd, True)
    assert view.plot.runs() == [adam, sgd]
    assert view.plot.labels() == ["Adam, lr 0.001", "SGD, lr 0.1"]
    legend = [label.text for _sample, label in view.plot.legend.items]
    assert legend == ["Adam, lr 0.001", "SGD, lr 0.1"]
    loss, accuracy = view.plot.curves(sgd)
    x, y = loss.getData()
    np.testing.assert_allclose(x, np.arange(1, 21) / 10)  # in epochs
    assert y[-1] < y[0]  # the smoothed loss falls
    np.testing.assert_allclose(accuracy.getData()[1], [90.0, 92.0])  # validation, in %
    assert (
        loss.opts["pen"].color().getRgb()[:3]
        != view.plot.curves(adam)[0].opts["pen"].color().getRgb()[:3]
    )
    view.untick_all()
    assert view.plot.runs() == [] and len(view.runs()) == 2
    view.forget_unticked()
    assert view.runs() == [] and view.list.count() == 0


def test_the_comparison_plot_draws_at_its_own_pace(qtbot: Any) -> None:
    view = RunsView()
    qtbot.addWidget(view)
    run = view.add_run(_run(ADAM), ticked=True)
    drawn = view.plot.redraw_count
    for step in range(21, 221):  # batches as a run brings them, faster than the timer
        run.curves.add_batches(np.array([step]), np.array([0.4]))
    assert view.plot.redraw_count == drawn  # nothing drawn per batch
    qtbot.waitUntil(lambda: view.plot.redraw_count > drawn, timeout=2000)
    assert len(view.plot.curves(run)[0].getData()[0]) == 220


def test_the_sessions_runs_and_an_opened_models_history_are_compared(
    make_window: Any, qtbot: Any, small_data: ArrayData, tmp_path: Path, wait_idle: Any
) -> None:
    window = make_window()
    window.mnist.set_data(small_data)
    tab = window.training_tab
    runs = tab.runs
    base = replace(
        window.training_panel.settings(),
        arch="mlp",
        architecture=None,
        dropout=0.0,
        epochs=1,
        batch_size=64,
        augment=False,
        schedule="constant",
        validation=300,
        diagnostics=False,
    )
    for optimizer, lr in (("adam", 0.001), ("sgd", 0.1)):
        window.run.train(replace(base, optimizer=optimizer, lr=lr))
        wait_idle(window)
    first, second = runs.runs()
    assert (first.origin, second.origin) == ("run", "run")
    assert not first.running and not second.running
    # each run of the window is ticked as it starts: the two are overlaid and labelled
    assert runs.plot.runs() == [first, second]
    assert runs.plot.labels() == ["Adam, lr 0.001", "SGD, lr 0.1"]
    for run in (first, second):
        assert run.curves.steps.n > 0 and run.curves.epochs.n == 1
        assert "—" in runs.list.item(runs.runs().index(run)).text()  # with its accuracy

    # the last run, saved and opened again: its history joins the list, unticked
    path = tmp_path / "sgd.npz"
    assert window.document.save_to(path)
    assert window.document.open(path)
    opened = runs.runs()[-1]
    assert opened.origin == "file" and opened.title == "sgd.npz"
    assert opened not in runs.ticked()
    runs.untick_all()
    runs.set_ticked(first, True)
    runs.set_ticked(opened, True)
    assert runs.plot.labels() == ["Adam, lr 0.001", "SGD, lr 0.1"]
    np.testing.assert_allclose(opened.curves.losses.data, second.curves.losses.data, rtol=1e-4)
