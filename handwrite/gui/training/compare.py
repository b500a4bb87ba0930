"""Compare runs: the runs of this session and the opened models' histories, ticked to overlay
their curves, each labelled by what differs between the runs ticked.

    RunsView: the list (a check box per run) above a ComparisonPlot
        on_started / on_continued / on_batch_done / on_epoch_done / on_finished / on_failed
            -- a run in the window, recorded as it trains (ticked)
        add_model(name, model)  -- a model file's history;  add_runs(runs) -- experiments'
    ComparisonPlot.set_runs(runs, labels): the smoothed loss and the accuracy of each run,
        its own colour, a legend; curves made once per run, setData from a GUI timer

The labels name the settings that differ between the runs ticked ("Adam, lr 0.001" against
"SGD, lr 0.1", :func:`handwrite.gui.training.runs.differing`), or their numbers when nothing
does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui import explanations
from handwrite.gui.inspect.plot_style import TABLEAU10
from handwrite.gui.training.job import BatchProgress
from handwrite.gui.training.network_editor import ACTIVATION_NAMES, LOSS_TEXTS, shown
from handwrite.gui.training.panel import optimizer_name, schedule_name
from handwrite.gui.training.plot import EpochAxis, LogAxis
from handwrite.gui.training.runs import RecordedRun, RunCurves, RunSettings, differing
from handwrite.nn.model import Model
from handwrite.trainer import EpochDone, Failed, Finished, Started
from handwrite.translatable import Phrase

REDRAW_MS = 200
#: A colour per run (by its number): ten that tell each other apart (Tableau's).
PALETTE = TABLEAU10


def run_colour(number: int) -> tuple[int, int, int]:
    return PALETTE[(number - 1) % len(PALETTE)]


def setting_text(name: str, settings: RunSettings) -> str:
    """One setting of a run in a few words ("lr 0.001", "batch 64", "sigmoid")."""
    value = getattr(settings, name)
    if value is None:
        return QCoreApplication.translate("RunsView", "{0} unknown").format(name)
    if name == "network":
        return f"{value} ({settings.shape})" if settings.shape else str(value)
    if name == "activation":
        return shown(ACTIVATION_NAMES, value)
    if name == "loss":
        return QCoreApplication.translate("NetworkEditor", LOSS_TEXTS.get(value, value))
    if name == "optimizer":
        return optimizer_name(value)
    if name == "lr":
        return QCoreApplication.translate("RunsView", "lr {0:g}").format(value)
    if name == "schedule":
        return QCoreApplication.translate("RunsView", "{0} schedule").format(schedule_name(value))
    if name == "batch_size":
        return (
            QCoreApplication.translate("RunsView", "full batch")
            if value == 0
            else QCoreApplication.translate("RunsView", "batch {0}").format(value)
        )
    if name == "epochs":
        return QCoreApplication.translate("RunsView", "epochs {0}").format(value)
    if name == "dropout":
        return (
            QCoreApplication.translate("RunsView", "no dropout")
            if value == 0
            else QCoreApplication.translate("RunsView", "dropout {0:g}").format(value)
        )
    if name == "weight_decay":
        return (
            QCoreApplication.translate("RunsView", "no weight decay")
            if value == 0
            else QCoreApplication.translate("RunsView", "weight decay {0:g}").format(value)
        )
    if name == "augment":
        return (
            QCoreApplication.translate("RunsView", "augmented")
            if value
            else QCoreApplication.translate("RunsView", "not augmented")
        )
    if name == "train_images":
        return QCoreApplication.translate("RunsView", "{0:,} images").format(value)
    return f"{name} {value}"


def run_labels(runs: Sequence[RecordedRun]) -> list[str]:
    """Each run labelled by what differs between ``runs`` ("Adam, lr 0.001"), or by its
    number ("run 2") when nothing does (or for a run alone)."""
    names = differing([r.settings for r in runs]) if len(runs) > 1 else ()
    separator = QCoreApplication.translate("RunsView", ", ")
    labels = []
    for run in runs:
        if names:
            labels.append(separator.join(setting_text(n, run.settings) for n in names))
        else:
            labels.append(QCoreApplication.translate("RunsView", "run {0}").format(run.number))
    return labels


def title_text(title: Any) -> str:
    """A run's title (a text, or a translatable Phrase) in the language shown."""
    if isinstance(title, Phrase):
        return title.text(QCoreApplication.translate)
    return "" if title is None else str(title)


def describe_run(run: RecordedRun) -> str:
    """The run in one line, for the list: "3. small cnn, Adam, lr 0.004 — 99.12%"."""
    s = run.settings
    parts = [setting_text(n, s) for n in ("network", "optimizer", "lr") if getattr(s, n)]
    what = QCoreApplication.translate("RunsView", ", ").join(parts)
    if run.origin == "run":
        head = QCoreApplication.translate("RunsView", "{0}. {1}").format(run.number, what)
    else:  # a file's name, an experiment's variant
        head = QCoreApplication.translate("RunsView", "{0}. {1}: {2}").format(
            run.number, title_text(run.title), what
        )
    accuracy = run.curves.last_accuracy()
    if run.running:
        tail = QCoreApplication.translate("RunsView", "training…")
    elif run.ended == "failed":
        tail = QCoreApplication.translate("RunsView", "diverged")
    elif accuracy is not None:
        tail = f"{accuracy:.2%}"
        if run.ended == "stopped":
            tail = QCoreApplication.translate("RunsView", "{0}, stopped").format(tail)
    else:
        tail = QCoreApplication.translate("RunsView", "stopped") if run.ended == "stopped" else ""
    return f"{head} — {tail}" if tail else head


def describe_settings(settings: RunSettings) -> str:
    """Every known setting, one per line (a tooltip)."""
    return "\n".join(
        setting_text(name, settings)
        for name in (
            "network",
            "activation",
            "loss",
            "optimizer",
            "lr",
            "schedule",
            "batch_size",
            "epochs",
            "dropout",
            "weight_decay",
            "augment",
            "train_images",
        )
        if getattr(settings, name) is not None
    )


class ComparisonPlot(QWidget):
    """The smoothed batch loss (log scale) and the accuracy per epoch of several runs, each
    in its run's colour and named in the legend; the curves of a run are made once, when it
    is first shown, and updated with ``setData`` from a ``REDRAW_MS`` GUI timer when its
    curves have changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparison_plot")
        background = self.palette().base().color()
        foreground = self.palette().text().color()
        self._view = pg.GraphicsLayoutWidget()
        self._view.setBackground(background)
        self._view.setMinimumHeight(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self.loss_plot = self._view.addPlot(
            row=0, col=0, axisItems={"left": LogAxis(orientation="left"), "bottom": EpochAxis()}
        )
        self.accuracy_plot = self._view.addPlot(row=0, col=1, axisItems={"bottom": EpochAxis()})
        for plot, title in (
            (self.loss_plot, self.tr("Loss (smoothed)")),
            (self.accuracy_plot, self.tr("Accuracy (%)")),
        ):
            plot.setTitle(title, color=foreground)
            plot.showGrid(x=False, y=True, alpha=0.12)
            plot.setLabel("bottom", self.tr("epoch"), color=foreground)
            plot.setMenuEnabled(False)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(foreground)
                plot.getAxis(axis).setPen(pg.mkPen(foreground.lighter(150)))
        self.loss_plot.setLogMode(y=True)
        self.legend = self.loss_plot.addLegend(
            offset=(-8, 8), labelTextColor=foreground, brush=(255, 255, 255, 235)
        )
        self.legend.setZValue(100)
        self._curves: dict[RecordedRun, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._drawn: dict[RecordedRun, int] = {}
        self._runs: list[RecordedRun] = []
        self._labels: list[str] = []
        self.redraw_count = 0
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    def runs(self) -> list[RecordedRun]:
        return list(self._runs)

    def labels(self) -> list[str]:
        """The legend's labels, in the order of :meth:`runs`."""
        return list(self._labels)

    def curves(self, run: RecordedRun) -> tuple[pg.PlotDataItem, pg.PlotDataItem] | None:
        """The (loss, accuracy) curves of ``run``, when it is shown."""
        return self._curves.get(run)

    def set_runs(self, runs: Sequence[RecordedRun], labels: Sequence[str]) -> None:
        """Show ``runs`` (labelled ``labels``) and no other."""
        runs = list(runs)
        for run in [r for r in self._curves if r not in runs]:
            loss, accuracy = self._curves.pop(run)
            self.loss_plot.removeItem(loss)
            self.accuracy_plot.removeItem(accuracy)
            self._drawn.pop(run, None)
        for run in runs:
            if run not in self._curves:
                colour = run_colour(run.number)
                loss = self.loss_plot.plot(pen=pg.mkPen(colour, width=2))
                loss.setDownsampling(auto=True, method="mean")
                loss.setClipToView(True)
                accuracy = self.accuracy_plot.plot(
                    pen=pg.mkPen(colour, width=2),
                    symbol="o",
                    symbolSize=6,
                    symbolBrush=colour,
                    symbolPen=None,
                )
                self._curves[run] = (loss, accuracy)
        self._runs, self._labels = runs, list(labels)
        self.legend.clear()
        for run, label in zip(runs, self._labels, strict=True):
            self.legend.addItem(self._curves[run][0], label)
        self.redraw()

    def redraw(self) -> None:
        """Hand the runs' changed curves to the plot (the timer calls this; tests may too)."""
        changed = False
        for run in self._runs:
            if self._drawn.get(run) == run.curves.version:
                continue
            self._drawn[run] = run.curves.version
            loss, accuracy = self._curves[run]
            loss.setData(*run.curves.loss_curve())
            x, y, _which = run.curves.accuracy_curve()
            accuracy.setData(x, y)
            changed = True
        if changed:
            self.redraw_count += 1
            self._fit_accuracy()

    def _fit_accuracy(self) -> None:
        values = [c[1].yData for c in self._curves.values() if c[1].yData is not None]
        values = [v for v in values if len(v)]
        if values:
            low = float(min(np.min(v) for v in values))
            self.accuracy_plot.setYRange(max(0.0, np.floor(min(low, 90.0) / 5) * 5), 100)


class RunsView(QWidget):
    """The runs to compare, a check box each, over the comparison of those ticked.

    A run trained in the window is recorded from the run controller's events and ticked;
    a model file's history (:meth:`add_model`) and an experiment's variants
    (:meth:`add_runs`) come unticked. ``ticked_changed()``: the runs ticked changed.
    """

    ticked_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runs_view")
        self._runs: list[RecordedRun] = []
        self._live: RecordedRun | None = None
        self._next = 1
        self.list = QListWidget()
        self.list.setObjectName("runs_list")
        self.list.itemChanged.connect(self._on_item_changed)
        self.plot = ComparisonPlot()
        self.clear_button = QPushButton(self.tr("Untick all"))
        self.clear_button.clicked.connect(self.untick_all)
        self.forget_button = QPushButton(self.tr("Forget unticked"))
        self.forget_button.setToolTip(self.tr("Remove the runs not ticked from the list"))
        self.forget_button.clicked.connect(self.forget_unticked)
        self.hint = QLabel(
            self.tr("Tick runs to compare them. Each run of this session is listed here.")
        )
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint, 1)
        row.addWidget(explanations.help_button(explanations.compare_runs()))
        row.addWidget(self.clear_button)
        row.addWidget(self.forget_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(row)
        top_layout.addWidget(self.list)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.plot)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([120, 360])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    # -- the runs --------------------------------------------------------------------------
    def runs(self) -> list[RecordedRun]:
        return list(self._runs)

    def ticked(self) -> list[RecordedRun]:
        return [
            run
            for run, i in zip(self._runs, range(self.list.count()), strict=True)
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def add_run(self, run: RecordedRun, ticked: bool, renumber: bool = True) -> RecordedRun:
        """List ``run``, numbered now in this session's order (unless not ``renumber``)."""
        if renumber:
            run.number = self._next
            self._next += 1
        self._runs.append(run)
        item = QListWidgetItem()
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        self.list.blockSignals(True)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        self.list.blockSignals(False)
        self._describe(run)
        self._show_ticked()
        return run

    def add_runs(self, runs: Sequence[RecordedRun]) -> None:
        """List the variants of an experiment (unticked)."""
        for run in runs:
            self.add_run(run, ticked=False)

    def add_model(self, name: str, model: Model) -> RecordedRun | None:
        """List the history of model file ``name`` (unticked); None when it has none."""
        curves = RunCurves()
        if not curves.load_history(model.metadata):
            return None
        run = RecordedRun(0, RunSettings.of_model(model), curves, origin="file", title=name)
        return self.add_run(run, ticked=False)

    def set_ticked(self, run: RecordedRun, ticked: bool) -> None:
        item = self.list.item(self._runs.index(run))
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def untick_all(self) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._show_ticked()

    def forget_unticked(self) -> None:
        keep = set(self.ticked())
        if self._live is not None:
            keep.add(self._live)
        for i in reversed(range(len(self._runs))):
            if self._runs[i] not in keep:
                self.list.takeItem(i)
                del self._runs[i]
        self._show_ticked()

    def _describe(self, run: RecordedRun) -> None:
        item = self.list.item(self._runs.index(run))
        self.list.blockSignals(True)
        item.setText(describe_run(run))
        item.setToolTip(describe_settings(run.settings))
        colour = run_colour(run.number)
        item.setForeground(pg.mkColor(colour))
        self.list.blockSignals(False)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._show_ticked()

    def _show_ticked(self) -> None:
        ticked = self.ticked()
        self.plot.set_runs(ticked, run_labels(ticked))
        self.ticked_changed.emit()

    # -- a run in the window, as it trains -------------------------------------------------
    def on_started(self, event: Started) -> None:
        run = RecordedRun(
            0,
            RunSettings.of_config(event.config, event.train_size),
            RunCurves(event.batches_per_epoch),
            running=True,
        )
        self._live = self.add_run(run, ticked=True)

    def on_continued(self, metadata: dict[str, Any]) -> None:
        """The run continues a checkpoint: its curves so far come first."""
        if self._live is not None:
            self._live.curves.load_history(metadata)

    def on_batch_done(self, progress: BatchProgress) -> None:
        if self._live is not None:
            self._live.curves.add_batches(progress.steps, progress.losses)

    def on_epoch_done(self, event: EpochDone) -> None:
        if self._live is not None:
            self._live.curves.add_epoch(event)
            self._describe(self._live)

    def on_finished(self, event: Finished) -> None:
        self._end("stopped" if event.stopped else "finished", event.step)

    def on_failed(self, event: Failed) -> None:
        self._end("failed", event.step)

    def _end(self, how: str, steps: int) -> None:
        run, self._live = self._live, None
        if run is None:
            return
        run.running = False
        run.ended = how
        if steps == 0 or run.curves.steps.n == 0:
            index = self._runs.index(run)  # it learned nothing: nothing to compare
            self.list.takeItem(index)
            del self._runs[index]
            self._show_ticked()
            return
        self._describe(run)

    # -- across a rebuild in another language ----------------------------------------------
    def state(self) -> tuple[list[RecordedRun], list[bool], int]:
        ticked = set(self.ticked())
        return list(self._runs), [r in ticked for r in self._runs], self._next

    def restore(self, state: tuple[list[RecordedRun], list[bool], int]) -> None:
        runs, ticks, number = state
        for run, tick in zip(runs, ticks, strict=True):
            if not run.running:  # a running one's thread ended with the old window
                self.add_run(run, tick, renumber=False)
        self._next = number
