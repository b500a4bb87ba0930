"""The live curves: the epoch axis, the ranges a new run starts from, the legends, and the
curves of a past run read back from a model file's metadata."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from handwrite.gui.training.job import BatchProgress
from handwrite.gui.training.plot import TrainingPlot
from handwrite.trainer import (
    BatchDone,
    History,
    Started,
    TrainConfig,
    history_from_metadata,
)

PER_EPOCH = 1000


def started(validation_size: int = 5000, per_epoch: int = PER_EPOCH) -> Started:
    return Started(TrainConfig(epochs=3), 55_000, validation_size, 10_000, per_epoch, 0, 0, "cpu")


def batches(first: int, last: int, per_epoch: int = PER_EPOCH) -> BatchProgress:
    """Batches ``first``..``last`` (1-based steps) with losses falling from 2.3."""
    steps = np.arange(first, last + 1)
    losses = 2.3 * np.exp(-steps / 500.0)
    done = BatchDone(0, last - 1, per_epoch, last, 3 * per_epoch, losses[-1], 0.5, 1e-3, 1, 1)
    return BatchProgress(done, steps, losses)


def curves(epochs: int, validation: bool = True) -> dict[str, Any]:
    """A model file's metadata with the curves of an ``epochs``-epoch run."""
    history = History(
        batch_step=list(range(1, 10 * epochs + 1)),
        batch_loss=[1.0 / (1 + i) for i in range(10 * epochs)],
        epoch=list(range(1, epochs + 1)),
        train_loss=[0.5] * epochs,
        train_accuracy=[0.9] * epochs,
        validation_loss=[0.4 if validation else None] * epochs,
        validation_accuracy=[0.95 if validation else None] * epochs,
        test_loss=[0.4] * epochs,
        test_accuracy=[0.96] * epochs,
    )
    return {
        "training": {"epochs": epochs},
        "history": {**history.to_json(), "batches_per_epoch": 10},
    }


@pytest.fixture
def plot(qtbot: Any) -> TrainingPlot:
    view = TrainingPlot()
    qtbot.addWidget(view)
    view.resize(700, 320)
    view.show()
    qtbot.waitExposed(view)
    return view


def x_range(plot: TrainingPlot, which: str) -> tuple[float, float]:
    """The x range the plot shows now (its auto-range brought up to date first)."""
    item = plot.loss_plot if which == "loss" else plot.accuracy_plot
    item.vb.updateAutoRange()
    low, high = item.vb.viewRange()[0]
    return low, high


def test_early_in_a_run_the_epoch_axis_counts_epochs(plot: TrainingPlot) -> None:
    """A fifth of the first epoch reads 0.2 under "epoch", not 200 under "epoch (x0.001)"."""
    plot.on_started(started())
    plot.on_batch_done(batches(1, 200))
    plot.redraw()
    assert x_range(plot, "loss")[1] < 0.3
    for item in (plot.loss_plot, plot.accuracy_plot):
        axis = item.getAxis("bottom")
        axis.updateAutoSIPrefix()
        assert "epoch" in axis.labelString() and "(x" not in axis.labelString()
        scale = axis.autoSIPrefixScale * axis.scale
        assert axis.tickStrings([0.1, 0.2], scale, 0.1) == ["0.1", "0.2"]


def test_a_new_run_starts_from_epoch_0_not_from_the_last_runs_range(plot: TrainingPlot) -> None:
    assert plot.show_curves(curves(12))
    plot.redraw()
    assert x_range(plot, "accuracy")[1] > 11  # the 12 epochs of the model opened
    plot.on_started(started())
    low, high = x_range(plot, "accuracy")
    assert low < 0.1 and 0.9 < high < 1.1
    assert x_range(plot, "loss")[1] < 1.1
    plot.on_batch_done(batches(1, 2 * PER_EPOCH))  # the ranges follow the new run
    plot.redraw()
    assert 1.9 < x_range(plot, "loss")[1] < 2.2


def test_the_legends_name_the_validation_curves_only_when_there_is_validation(
    plot: TrainingPlot,
) -> None:
    def names(item: Any) -> list[str]:
        return [label.text for _sample, label in item.legend.items]

    assert plot.has_validation_legend()
    plot.on_started(started(validation_size=0))  # e.g. fine-tuning: no validation set
    assert not plot.has_validation_legend()
    assert names(plot.loss_plot) == ["batch loss", "smoothed"]
    assert names(plot.accuracy_plot) == ["training", "test"]
    plot.on_started(started(validation_size=5000))
    assert names(plot.loss_plot) == ["batch loss", "smoothed", "validation"]
    assert names(plot.accuracy_plot) == ["training", "validation", "test"]
    assert plot.show_curves(curves(3, validation=False))
    assert not plot.has_validation_legend()
    assert plot.show_curves(curves(3, validation=True))
    assert plot.has_validation_legend()


def test_a_curve_under_a_legend_still_shows(qtbot: Any) -> None:
    """In a short plot the legend covers much of it: the training accuracy of a run still
    learning (25%, 68%, 85%) runs under the accuracy legend, and must show through it (an
    opaque legend hid it, so that the curve seemed to stop at epoch 2)."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QColor

    from handwrite.gui.training.plot import TRAIN
    from handwrite.trainer import EpochDone

    view = TrainingPlot()
    qtbot.addWidget(view)
    view.resize(580, 190)  # the Curves tab's size in the window at 1280x760
    view.show()
    qtbot.waitExposed(view)
    view.on_started(started(per_epoch=10))
    view.on_batch_done(batches(1, 30, per_epoch=10))
    for epoch, (train, val, test) in enumerate(
        [(0.25, 0.78, 0.75), (0.68, 0.93, 0.95), (0.85, 0.93, 0.96)]
    ):
        view.on_epoch_done(EpochDone(epoch, 8, 1.0, train, 0.3, val, 0.3, test, 1.0))
    view.redraw()
    qtbot.wait(50)
    image = view.grab().toImage()
    legend = view.accuracy_plot.legend
    vb = view.accuracy_plot.vb
    widget = view._view
    rect = widget.mapFromScene(legend.sceneBoundingRect()).boundingRect()
    # where the training line crosses the legend's box: (2.5, 76%) on the way to (3, 85%)
    scene_point = vb.mapViewToScene(QPointF(2.5, 76.25))
    pixel = widget.mapFromScene(scene_point)
    assert rect.contains(pixel), (rect, pixel)
    origin = widget.mapTo(view, QPoint(0, 0))
    blues = 0
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            c = QColor(image.pixel(origin + pixel + QPoint(dx, dy)))
            # the line's blue shows, blended with the legend's white
            if c.blue() - c.red() > 40 and abs(c.red() - TRAIN[0]) < 160:
                blues += 1
    assert blues >= 3, blues


def test_a_past_runs_curves_are_read_from_the_metadata(plot: TrainingPlot) -> None:
    meta = curves(4)
    history, per_epoch = history_from_metadata(meta)
    assert per_epoch == 10 and history.epoch == [1, 2, 3, 4]
    assert plot.show_curves(meta)
    assert plot.batch_points() == 40 and plot.epoch_points() == 4
    plot.redraw()
    x, y = plot.test_accuracy_curve.getData()
    np.testing.assert_allclose(x, [1, 2, 3, 4])
    np.testing.assert_allclose(y, 96.0)
    x, _ = plot.raw_loss_curve.getData()
    assert x[0] == pytest.approx(0.1) and x[-1] == pytest.approx(4.0)  # steps / per epoch


@pytest.mark.parametrize(
    "history",
    [
        None,
        "not a dict",
        {"batch_step": [1], "batch_loss": [0.5]},  # no batches per epoch
        {"batches_per_epoch": 0, "batch_step": [], "batch_loss": []},
        {"batches_per_epoch": 10, "batch_step": [1, 2], "batch_loss": [0.5]},  # do not fit
        {"batches_per_epoch": 10, "batch_step": [1], "batch_loss": ["x"], "epoch": []},
    ],
)
def test_curves_that_are_missing_or_do_not_fit_show_nothing(
    plot: TrainingPlot, history: Any
) -> None:
    plot.show_curves(curves(2))
    assert not plot.show_curves({"history": history} if history is not None else {})
    assert plot.batch_points() == 0 and plot.epoch_points() == 0
