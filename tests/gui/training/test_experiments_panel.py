"""One-click experiments from the window: each of the lecture's comparisons runs in the
background through the run controller, its variants' curves overlaid as they train, and ends
in its plain-words conclusion (in the window's language); its runs join the compared runs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from handwrite.experiments import EXPERIMENTS, Experiment, VariantStarted
from handwrite.gui import language
from handwrite.trainer import ArrayData


def shrunk(experiment: Experiment, limit: int = 600) -> Experiment:
    """``experiment`` on ``limit`` images for one epoch: a few seconds in all."""
    variants = tuple(
        dataclasses.replace(
            v,
            config=dataclasses.replace(
                v.config, limit=min(v.config.limit or limit, limit), epochs=1, test_limit=100
            ),
        )
        for v in experiment.variants
    )
    return dataclasses.replace(experiment, variants=variants)


@pytest.fixture
def quick_experiments(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, experiment in list(EXPERIMENTS.items()):
        monkeypatch.setitem(EXPERIMENTS, name, shrunk(experiment))


def test_every_experiment_is_offered_with_its_question(qtbot: Any, quick_experiments: Any) -> None:
    from handwrite.gui.training.experiments_panel import ExperimentsPanel

    panel = ExperimentsPanel()
    qtbot.addWidget(panel)
    names = [panel.list.item(i).data(256) for i in range(panel.list.count())]
    assert names == list(EXPERIMENTS)
    panel.choose("activations")
    assert panel.chosen().name == "activations"
    assert panel.question_label.text() == EXPERIMENTS["activations"].question
    assert "vanishing gradient" in panel.help.toolTip()
    assert "Run it to train its 2 networks" in panel.conclusion_label.text()


def test_an_experiment_runs_from_the_window_and_ends_in_its_conclusion(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any, quick_experiments: Any
) -> None:
    window = make_window()
    window.mnist.set_data(small_data)
    tab = window.training_tab
    panel = tab.experiments
    tab.views.setCurrentWidget(panel)
    panel.choose("optimizers")
    training = window.training_panel
    starts: list[int] = []
    seen: list[tuple[bool, str, bool, bool]] = []

    def on_event(event: object) -> None:
        if isinstance(event, VariantStarted):
            starts.append(event.index)
            # while it runs, the training panel says so and starts nothing
            seen.append(
                (
                    training.start_button.isEnabled(),
                    training.progress_bar.format(),
                    panel.run_button.isEnabled(),
                    panel.stop_button.isEnabled(),
                )
            )

    window.run.experiment_event.connect(on_event)
    with qtbot.waitSignal(window.run.experiment_finished, timeout=120_000) as finished:
        panel.run_button.click()
    start_enabled, progress, run_enabled, stop_enabled = seen[0]
    assert not start_enabled and "experiment is running" in progress
    assert not run_enabled and stop_enabled
    wait_idle(window)
    result = finished.args[0]
    assert starts == [0, 1, 2] and not result.stopped
    conclusion = result.conclusion.text()
    assert "reached" in conclusion or "did not reach" in conclusion
    text = panel.conclusion_label.text()
    assert text.startswith("<b>Conclusion</b>") and conclusion in text
    # the three variants, overlaid, each labelled by what differs
    runs = panel.plot.runs()
    assert [r.title.text() for r in runs] == ["SGD", "momentum", "Adam"]
    assert panel.plot.labels() == ["SGD, lr 0.05", "Momentum SGD, lr 0.05", "Adam, lr 0.001"]
    assert all(r.curves.steps.n > 0 and not r.running for r in runs)
    # and they join the compared runs, unticked
    compared = [r for r in tab.runs.runs() if r.origin == "experiment"]
    assert len(compared) == 3 and not set(compared) & set(tab.runs.ticked())
    assert "SGD" in tab.runs.list.item(0).text()
    assert panel.run_button.isEnabled() and training.start_button.isEnabled()

    # another experiment chosen, then this one again: its conclusion and curves are kept
    panel.choose("losses")
    assert "Run it to train" in panel.conclusion_label.text() and panel.plot.runs() == []
    panel.choose("optimizers")
    assert conclusion in panel.conclusion_label.text() and len(panel.plot.runs()) == 3

    # the window rebuilt in Japanese keeps the conclusion (now in Japanese) and the runs
    try:
        window.language_actions["ja"].trigger()
        tab = window.training_tab
        assert tab.experiments.chosen().name == "optimizers"
        assert tab.experiments.conclusion_label.text().startswith("<b>結論</b>")
        assert (
            result.conclusion.text(QCoreApplication.translate)
            in tab.experiments.conclusion_label.text()
        )
        assert len(tab.experiments.plot.runs()) == 3
        assert len([r for r in tab.runs.runs() if r.origin == "experiment"]) == 3
    finally:
        language.uninstall()


def test_an_experiment_stopped_has_no_conclusion(
    make_window: Any,
    qtbot: Any,
    small_data: ArrayData,
    wait_idle: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long = EXPERIMENTS["batch"]
    variants = tuple(
        dataclasses.replace(v, config=dataclasses.replace(v.config, epochs=200))
        for v in long.variants
    )
    monkeypatch.setitem(EXPERIMENTS, "batch", dataclasses.replace(long, variants=variants))
    window = make_window()
    window.mnist.set_data(small_data)
    panel = window.training_tab.experiments
    panel.choose("batch")
    with qtbot.waitSignal(
        window.run.experiment_event,
        timeout=30_000,
        check_params_cb=lambda e: isinstance(e, VariantStarted),
    ):
        panel.run_button.click()
    panel.stop_button.click()
    wait_idle(window)
    assert panel.conclusion_label.text() == "Stopped before the end: no conclusion."
    assert panel.progress_bar.format() == "Stopped"
    assert window.run.experiment is None and window.training_panel.start_button.isEnabled()


def test_the_conclusion_is_in_japanese(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any, quick_experiments: Any
) -> None:
    assert language.install("ja")
    try:
        window = make_window()
        window.mnist.set_data(small_data)
        panel = window.training_tab.experiments
        panel.choose("losses")
        with qtbot.waitSignal(window.run.experiment_finished, timeout=120_000):
            panel.run_button.click()
        wait_idle(window)
        text = panel.conclusion_label.text()
        assert text.startswith("<b>結論</b>")
        assert "二乗誤差" in text or "交差エントロピー" in text
        assert panel.plot.labels() == ["二乗誤差", "ソフトマックス交差エントロピー"]
    finally:
        language.uninstall()
