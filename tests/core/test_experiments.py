"""One-click experiments: the runner's events, results and stop; every experiment, shrunk to
a few steps on a small synthetic set, ends in a conclusion built from its runs."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from handwrite.experiments import (
    EXPERIMENTS,
    Experiment,
    ExperimentRun,
    VariantEvent,
    VariantFinished,
    VariantResult,
    VariantStarted,
)
from handwrite.trainer import BatchDone, Finished, LayerStats, Started
from handwrite.translatable import EXPERIMENTS as CONTEXT
from handwrite.translatable import Phrase
from tests.core.synthetic import digits_like


def shrunk(experiment: Experiment, limit: int = 400, epochs: int | None = None) -> Experiment:
    """The experiment on ``limit`` images for at most 2 epochs (or ``epochs``)."""
    variants = []
    for v in experiment.variants:
        config = dataclasses.replace(
            v.config,
            limit=min(v.config.limit or limit, limit),
            epochs=epochs or min(v.config.epochs, 2),
            test_limit=100,
        )
        variants.append(dataclasses.replace(v, config=config))
    return dataclasses.replace(experiment, variants=tuple(variants))


def run_to_the_end(run: ExperimentRun) -> list:
    return list(run.run())


def test_the_runner_tags_every_trainer_event_with_its_variant() -> None:
    experiment = shrunk(EXPERIMENTS["optimizers"])
    run = ExperimentRun(experiment, digits_like(500))
    events = run_to_the_end(run)
    starts = [e for e in events if isinstance(e, VariantStarted)]
    assert [s.variant.key for s in starts] == ["sgd", "momentum", "adam"]
    finished = [e for e in events if isinstance(e, VariantFinished)]
    assert [f.index for f in finished] == [0, 1, 2]
    for index, key in enumerate(("sgd", "momentum", "adam")):
        inner = [e.event for e in events if isinstance(e, VariantEvent) and e.index == index]
        assert all(e.key == key for e in events if isinstance(e, VariantEvent) and e.index == index)
        assert isinstance(inner[0], Started) and isinstance(inner[-1], Finished)
        batches = [e for e in inner if isinstance(e, BatchDone)]
        result = finished[index].result
        np.testing.assert_array_equal(result.steps, [b.step for b in batches])
        np.testing.assert_array_equal(result.batch_loss, [b.loss for b in batches])
        assert result.train_images == 400 and result.test_accuracy is not None
    result = run.result
    assert list(result.results) == ["sgd", "momentum", "adam"]
    assert not result.stopped and result.conclusion is not None


def test_steps_to_an_accuracy_uses_the_mean_of_the_last_batches() -> None:
    accuracy = np.r_[np.zeros(60), np.ones(100)]
    result = VariantResult(
        "x",
        Phrase(CONTEXT, "x"),
        EXPERIMENTS["optimizers"].variants[0].config,
        1000,
        np.arange(1, 161),
        np.ones(160),
        accuracy,
        (),
        (),
        (),
        (),
        (),
        (),
        (),
        np.zeros(0),
        np.zeros(0),
        1.0,
    )
    # the mean of 50 batches reaches 0.9 when 45 of them are ones: at batch 60 + 45
    assert result.steps_to(0.9) == 105
    assert result.steps_to(1.0) == 110
    assert result.best_mean_accuracy() == 1.0
    assert dataclasses.replace(result, batch_accuracy=np.zeros(160)).steps_to(0.5) is None


def test_stopping_ends_the_experiment_without_a_conclusion() -> None:
    run = ExperimentRun(shrunk(EXPERIMENTS["losses"]), digits_like(500))
    events = []
    for event in run.run():
        events.append(event)
        if isinstance(event, VariantEvent) and isinstance(event.event, BatchDone):
            run.request_stop()
    assert run.result.stopped and run.result.conclusion is None
    assert sum(isinstance(e, VariantStarted) for e in events) == 1
    assert not any(isinstance(e, VariantFinished) for e in events)


def test_a_pause_holds_the_current_variant_and_carries_over() -> None:
    from handwrite.trainer import Paused, Resumed

    run = ExperimentRun(shrunk(EXPERIMENTS["losses"]), digits_like(500))
    kinds = []
    for event in run.run():
        if isinstance(event, VariantEvent):
            kinds.append((event.index, type(event.event)))
            if isinstance(event.event, BatchDone) and event.event.step == 2:
                run.request_pause()
            if isinstance(event.event, Paused):
                run.request_resume()
    assert (0, Paused) in kinds and (0, Resumed) in kinds
    assert run.result.conclusion is not None


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_every_experiment_ends_in_a_conclusion_with_its_measured_numbers(name) -> None:
    experiment = shrunk(EXPERIMENTS[name])
    run = ExperimentRun(experiment, digits_like(600, density=0.12))
    run_to_the_end(run)
    result = run.result
    assert set(result.results) == {v.key for v in experiment.variants}
    text = result.conclusion.text()
    assert "{" not in text and "}" not in text and "nan" not in text
    # the numbers it states are the runs' own
    for r in result.results.values():
        if r.test_accuracy is not None and name not in ("activations",):
            assert f"{r.test_accuracy:.1%}" in text
    # translated: the template and every phrase inside it go through the translator
    seen = []

    def translate(context: str, source: str) -> str:
        seen.append((context, source))
        return source

    assert result.conclusion.text(translate) == text
    assert all(context == CONTEXT for context, _ in seen)
    assert result.conclusion.template in {source for _, source in seen}


def test_a_variant_that_diverges_gives_no_comparison() -> None:
    """Squared error with plain SGD at 0.1 diverges on dense 28x28 patterns."""
    run = ExperimentRun(shrunk(EXPERIMENTS["losses"]), digits_like(600, density=0.25))
    run_to_the_end(run)
    failed = run.result.results["squared_error"]
    assert failed.failed is not None and failed.failed_loss > 1
    text = run.result.conclusion.text()
    assert text.startswith("The run with squared error diverged")
    assert f"{failed.failed_loss:.3g}" in text and "0.1" in text


def test_the_activation_experiment_measures_the_vanishing_gradient() -> None:
    run = ExperimentRun(shrunk(EXPERIMENTS["activations"], limit=600), digits_like(800))
    events = run_to_the_end(run)
    assert any(isinstance(e, VariantEvent) and isinstance(e.event, LayerStats) for e in events)
    sigmoid, relu = run.result.results["sigmoid"], run.result.results["relu"]
    assert sigmoid.gradient_norm.shape == relu.gradient_norm.shape == (6,)
    smaller = sigmoid.gradient_norm[-1] / sigmoid.gradient_norm[0]
    assert smaller > 100
    match = re.search(r"was ([\d,]+) times smaller", run.result.conclusion.text())
    assert match and int(match.group(1).replace(",", "")) == round(smaller)


def test_the_dropout_experiment_measures_the_fit_of_the_training_images() -> None:
    run = ExperimentRun(shrunk(EXPERIMENTS["dropout"], limit=300, epochs=3), digits_like(500))
    run_to_the_end(run)
    for r in run.result.results.values():
        assert r.fitted is not None and 0 <= r.fitted <= 1
        assert f"{r.fitted:.1%}" in run.result.conclusion.text()


def test_the_experiments_are_data_the_window_can_show() -> None:
    for name, experiment in EXPERIMENTS.items():
        assert experiment.name == name and experiment.title and experiment.question
        assert len({v.key for v in experiment.variants}) == len(experiment.variants) >= 2
        for variant in experiment.variants:
            assert variant.label.context == CONTEXT and variant.label.text()
            variant.config.validate()
