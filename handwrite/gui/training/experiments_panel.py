"""One-click experiments: the lecture's comparisons (:data:`handwrite.experiments.EXPERIMENTS`),
each run in the background with its variants' curves overlaid as they train, ending in a
conclusion in plain words measured from the runs.

The panel asks (``run_requested(Experiment)``, ``pause_requested``, ``resume_requested``,
``stop_requested``) and shows what the run controller tells it: its state
(:meth:`ExperimentsPanel.set_state`), the experiment's events
(:meth:`~ExperimentsPanel.on_experiment_event`) and the result
(:meth:`~ExperimentsPanel.on_experiment_finished`), whose conclusion (a translatable
:class:`~handwrite.translatable.Phrase`) it shows in the window's language. The variants'
runs then go to the compared runs (``variants_recorded(list)``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from handwrite import translatable
from handwrite.experiments import (
    EXPERIMENTS,
    Experiment,
    ExperimentResult,
    VariantEvent,
    VariantFinished,
    VariantStarted,
)
from handwrite.gui import explanations, formatting
from handwrite.gui.training.compare import ComparisonPlot, run_labels
from handwrite.gui.training.job import BatchProgress
from handwrite.gui.training.run_controller import RunState
from handwrite.gui.training.runs import RecordedRun, RunCurves, RunSettings
from handwrite.trainer import EpochDone, Started
from handwrite.translatable import Phrase


def experiment_text(text: str) -> str:
    """An experiment's title or question in the language shown."""
    return QCoreApplication.translate(translatable.EXPERIMENTS, text)


class ExperimentsPanel(QWidget):
    """The experiments, one chosen: its question, Run / Pause / Stop, progress, its
    variants' curves and its conclusion."""

    run_requested = Signal(object)  # Experiment
    pause_requested = Signal()
    resume_requested = Signal()
    stop_requested = Signal()
    variants_recorded = Signal(object)  # list[RecordedRun]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("experiments_panel")
        self._state = RunState.IDLE
        self._running: Experiment | None = None  # the experiment under way
        self._runs: list[RecordedRun] = []  # its variants' runs (shown in the plot)
        self._shown_runs: dict[str, list[RecordedRun]] = {}  # each experiment's last runs
        self._conclusions: dict[str, tuple[Phrase | None, float, bool]] = {}

        self.list = QListWidget()
        self.list.setObjectName("experiments_list")
        for experiment in EXPERIMENTS.values():
            item = QListWidgetItem(experiment_text(experiment.title))
            item.setData(Qt.ItemDataRole.UserRole, experiment.name)
            item.setToolTip(experiment_text(experiment.question))
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._on_chosen)
        self.title_label = QLabel()
        self.title_label.setObjectName("experiment_title")
        self.question_label = QLabel()
        self.question_label.setWordWrap(True)
        self.help = explanations.help_button("")
        self.run_button = QPushButton(self.tr("Run this experiment"))
        self.run_button.setObjectName("run_experiment")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("Not running"))
        self.plot = ComparisonPlot()
        self.conclusion_label = QLabel()
        self.conclusion_label.setObjectName("experiment_conclusion")
        self.conclusion_label.setWordWrap(True)
        self.conclusion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.conclusion_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.conclusion_label.setMargin(6)

        title_row = QHBoxLayout()
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.help)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.run_button, 2)
        buttons.addWidget(self.pause_button, 1)
        buttons.addWidget(self.stop_button, 1)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addLayout(title_row)
        details_layout.addWidget(self.question_label)
        details_layout.addStretch(1)
        details_layout.addLayout(buttons)
        details_layout.addWidget(self.progress_bar)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.list)
        top.addWidget(details)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.plot)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([190, 300])
        top.setMinimumHeight(150)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addWidget(self.conclusion_label)
        self.list.setCurrentRow(0)
        self._apply_state()

    # -- which one -------------------------------------------------------------------------
    def chosen(self) -> Experiment:
        item = self.list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return EXPERIMENTS.get(name, next(iter(EXPERIMENTS.values())))

    def choose(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)

    def _on_chosen(self, _row: int) -> None:
        experiment = self.chosen()
        self.title_label.setText(f"<b>{experiment_text(experiment.title)}</b>")
        self.question_label.setText(experiment_text(experiment.question))
        self.help.setToolTip(explanations.experiment(experiment.name))
        runs = (
            self._runs if self._running is experiment else self._shown_runs.get(experiment.name, [])
        )
        self.plot.set_runs(runs, run_labels(runs))
        self._show_conclusion()
        self._apply_state()

    def _show_conclusion(self) -> None:
        experiment = self.chosen()
        if self._running is experiment:
            self.conclusion_label.setText(
                self.tr("Running: the conclusion comes when every variant has trained.")
            )
            return
        found = self._conclusions.get(experiment.name)
        if found is None:
            count = len(experiment.variants)
            self.conclusion_label.setText(
                self.tr(
                    "Run it to train its %n networks one after the other on a part of MNIST "
                    "and read the conclusion here.",
                    "",
                    count,
                )
            )
            return
        conclusion, seconds, stopped = found
        if conclusion is None:
            text = (
                self.tr("Stopped before the end: no conclusion.")
                if stopped
                else self.tr("The experiment could not finish.")
            )
        else:
            text = self.tr("<b>Conclusion</b> (measured in {0}): {1}").format(
                formatting.duration(seconds),
                conclusion.text(QCoreApplication.translate),
            )
        self.conclusion_label.setText(text)

    # -- state -----------------------------------------------------------------------------
    def set_state(self, state: RunState, experiment: Experiment | None) -> None:
        """Show the run controller's ``state``; ``experiment``: the experiment under way
        (None: a training run, or nothing)."""
        self._state = state
        if experiment is not None and self._running is not experiment:
            self._begin(experiment)
        if not state.training and self._running is not None:
            self._running = None  # ended (its result, if any, came first)
            self._show_conclusion()
        self._apply_state()

    def _begin(self, experiment: Experiment) -> None:
        self._running = experiment
        self._runs = []
        self.choose(experiment.name)
        self.plot.set_runs([], [])
        self.progress_bar.setValue(0)
        self._show_conclusion()

    def _apply_state(self) -> None:
        s = self._state
        mine = self._running is not None
        self.run_button.setEnabled(not s.training and s is not RunState.EVALUATING)
        self.run_button.setToolTip(
            self.tr("A training run is under way: wait for it, or stop it")
            if s.training and not mine
            else ""
        )
        self.list.setEnabled(not mine)
        self.pause_button.setEnabled(mine and s in (RunState.RUNNING, RunState.PAUSED))
        self.pause_button.setText(self.tr("Resume") if s is RunState.PAUSED else self.tr("Pause"))
        self.stop_button.setEnabled(
            mine and s in (RunState.STARTING, RunState.RUNNING, RunState.PAUSED)
        )
        if not mine:
            return
        if s is RunState.STARTING:
            self.progress_bar.setFormat(self.tr("Preparing the images…"))
        elif s is RunState.STOPPING:
            self.progress_bar.setFormat(self.tr("Stopping after this batch…"))
        elif s is RunState.PAUSED:
            self.progress_bar.setFormat(self.tr("Paused at %p%"))

    def _on_run_clicked(self) -> None:
        self.run_requested.emit(self.chosen())

    def _on_pause_clicked(self) -> None:
        if self._state is RunState.PAUSED:
            self.resume_requested.emit()
        elif self._state is RunState.RUNNING:
            self.pause_requested.emit()

    # -- its events --------------------------------------------------------------------------
    def runs(self) -> list[RecordedRun]:
        """The variants' runs of the experiment under way (or the last one)."""
        return list(self._runs)

    def on_experiment_event(self, event: Any) -> None:
        experiment = self._running
        if experiment is None:
            return
        if isinstance(event, VariantStarted):
            run = RecordedRun(
                event.index + 1,
                RunSettings.of_config(event.variant.config),
                RunCurves(),
                origin="experiment",
                title=event.variant.label,
                running=True,
            )
            self._runs.append(run)
            self.plot.set_runs(self._runs, run_labels(self._runs))
            self.progress_bar.setValue(int(1000 * event.index / len(experiment.variants)))
            return
        if isinstance(event, VariantFinished):
            run = self._run(event.index)
            if run is not None:
                run.running = False
                run.ended = "failed" if event.result.failed is not None else "finished"
            return
        if not isinstance(event, VariantEvent):
            return
        run = self._run(event.index)
        if run is None:
            return
        inner = event.event
        if isinstance(inner, Started):
            run.curves.batches_per_epoch = inner.batches_per_epoch
            run.settings = dataclasses.replace(run.settings, train_images=inner.train_size)
        elif isinstance(inner, BatchProgress):
            run.curves.add_batches(inner.steps, inner.losses)
            self._show_progress(event.index, run, inner)
        elif isinstance(inner, EpochDone):
            run.curves.add_epoch(inner)

    def _run(self, index: int) -> RecordedRun | None:
        return next((r for r in self._runs if r.number == index + 1), None)

    def _show_progress(self, index: int, run: RecordedRun, progress: BatchProgress) -> None:
        experiment = self._running
        assert experiment is not None
        n = len(experiment.variants)
        b = progress.last
        self.progress_bar.setValue(int(1000 * (index + b.progress) / n))
        if self._state is RunState.RUNNING:
            label = run.title.text(QCoreApplication.translate) if run.title else ""
            self.progress_bar.setFormat(
                self.tr("{0} ({1} of {2}) · epoch {3}/{4} · %p%").format(
                    label, index + 1, n, b.epoch + 1, run.settings.epochs or b.epoch + 1
                )
            )

    def on_experiment_finished(self, result: ExperimentResult | None) -> None:
        """The experiment has ended (``result`` None: it broke down)."""
        experiment = self._running
        if experiment is None:
            return
        runs = [r for r in self._runs if r.curves.steps.n]
        for run in runs:
            run.running = False
        self._shown_runs[experiment.name] = runs
        if result is not None:
            self._conclusions[experiment.name] = (result.conclusion, result.seconds, result.stopped)
            self.progress_bar.setValue(1000 if not result.stopped else self.progress_bar.value())
            self.progress_bar.setFormat(
                self.tr("Stopped")
                if result.stopped
                else self.tr("Done in {0}").format(formatting.duration(result.seconds))
            )
        else:
            self._conclusions[experiment.name] = (None, 0.0, False)
            self.progress_bar.setFormat(self.tr("Failed"))
        self._running = None
        self._show_conclusion()
        self._apply_state()
        if runs:
            self.variants_recorded.emit(runs)

    # -- across a rebuild in another language ----------------------------------------------
    def state(self) -> tuple[dict[str, Any], dict[str, Any], str]:
        return dict(self._conclusions), dict(self._shown_runs), self.chosen().name

    def restore(self, state: tuple[dict[str, Any], dict[str, Any], str]) -> None:
        conclusions, runs, chosen = state
        self._conclusions.update(conclusions)
        self._shown_runs.update(runs)
        self.choose(chosen)
        self._on_chosen(self.list.currentRow())
