"""The Training tab: the controls above; below them, the views of the runs: the live curves
and the pinned probes, the compared runs, why the network learns, the training doctor and
the one-click experiments.

    TrainingPanel (your network, how it learns, Start/Pause/Stop)
    Curves | Compare | Why it learns | Doctor | Experiments
    RunController --started/batches/epochs/ended--> RunsView (the run recorded)
                  --layer_stats/weight_histograms--> DiagnosticsView
                  --diagnosed--> DoctorPanel --fix_requested--> TrainingPanel.apply_config
                  --experiment_event/finished--> ExperimentsPanel (and its variants'
                    measurements to DiagnosticsView) --variants_recorded--> RunsView
    ExperimentsPanel --run/pause/resume/stop--> RunController
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from handwrite.doctor import Fix
from handwrite.experiments import (
    Experiment,
    VariantEvent,
    VariantStarted,
)
from handwrite.gui.training.compare import RunsView
from handwrite.gui.training.diagnostics_view import DiagnosticsView
from handwrite.gui.training.doctor_panel import DoctorPanel
from handwrite.gui.training.experiments_panel import ExperimentsPanel
from handwrite.gui.training.panel import TrainingPanel
from handwrite.gui.training.plot import TrainingPlot
from handwrite.gui.training.probes import ProbePanel
from handwrite.gui.training.run_controller import RunController, RunState
from handwrite.nn.model import Model
from handwrite.trainer import LayerStats, Started, TrainingError, WeightHistograms


@dataclass(frozen=True)
class TrainingTabState:
    """What the tab's views hold that a rebuild in another language keeps: the compared
    runs, the doctor's diagnoses, the experiments' conclusions and curves, the view shown."""

    runs: Any
    doctor: Any
    experiments: Any
    view: int


class TrainingTab(QWidget):
    """Lays out ``panel`` (:class:`TrainingPanel`) over ``views``: ``plot``
    (:class:`TrainingPlot`) with ``probes`` (:class:`ProbePanel`), ``runs``
    (:class:`RunsView`), ``diagnostics`` (:class:`DiagnosticsView`), ``doctor``
    (:class:`DoctorPanel`) and ``experiments`` (:class:`ExperimentsPanel`).
    :meth:`connect_run` wires them to the run controller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = TrainingPanel()
        self.plot = TrainingPlot()
        self.probes = ProbePanel()
        self.runs = RunsView()
        self.diagnostics = DiagnosticsView()
        self.doctor = DoctorPanel()
        self.experiments = ExperimentsPanel()
        curves = QSplitter(Qt.Orientation.Vertical)
        curves.addWidget(self.plot)
        curves.addWidget(self.probes)
        curves.setStretchFactor(0, 3)
        curves.setStretchFactor(1, 1)
        curves.setChildrenCollapsible(False)
        self.views = QTabWidget()
        self.views.setObjectName("training_views")
        self.views.setDocumentMode(True)
        for widget, title, tip in (
            (curves, self.tr("Curves"), self.tr("The loss and accuracy of the run, live")),
            (self.runs, self.tr("Compare"), self.tr("The runs of this session, side by side")),
            (
                self.diagnostics,
                self.tr("Why it learns"),
                self.tr("Each layer's gradients, updates, dead units and weights"),
            ),
            (
                self.doctor,
                self.tr("Doctor"),
                self.tr("What goes wrong in the run, and what to try"),
            ),
            (
                self.experiments,
                self.tr("Experiments"),
                self.tr("The lecture's comparisons, in one click"),
            ),
        ):
            self.views.addTab(widget, title)
            self.views.setTabToolTip(self.views.count() - 1, tip)
        self.doctor.count_changed.connect(self._on_diagnoses_counted)
        self.doctor.fix_requested.connect(self.apply_fix)
        self.experiments.variants_recorded.connect(self._on_variants_recorded)
        # The views may take the panel's height: the plots need it more while a run trains.
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.panel)
        self.split.addWidget(self.views)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)

    def connect_run(self, run: RunController) -> None:
        """Show ``run``'s runs and experiments in the views; the experiments panel asks it."""
        runs, doctor, diagnostics, experiments = (
            self.runs,
            self.doctor,
            self.diagnostics,
            self.experiments,
        )
        run.started.connect(runs.on_started)
        run.continued.connect(runs.on_continued)
        run.batch_done.connect(runs.on_batch_done)
        run.epoch_done.connect(runs.on_epoch_done)
        run.finished.connect(runs.on_finished)
        run.failed.connect(runs.on_failed)
        run.started.connect(diagnostics.on_started)
        run.layer_stats.connect(diagnostics.on_layer_stats)
        run.weight_histograms.connect(diagnostics.on_weight_histograms)
        run.started.connect(doctor.on_started)
        run.diagnosed.connect(doctor.show_diagnosis)
        run.finished.connect(doctor.on_finished)
        run.failed.connect(doctor.on_failed)
        run.experiment_event.connect(experiments.on_experiment_event)
        run.experiment_event.connect(self._on_experiment_event)
        run.experiment_finished.connect(experiments.on_experiment_finished)
        experiments.run_requested.connect(run.run_experiment)
        experiments.pause_requested.connect(run.pause)
        experiments.resume_requested.connect(run.resume)
        experiments.stop_requested.connect(run.stop)

    def set_run_state(self, state: RunState, experiment: Experiment | None) -> None:
        """Show the run controller's state; ``experiment``: the one under way, if any."""
        self.panel.set_state(state, experiment=experiment is not None)
        self.experiments.set_state(state, experiment)

    # -- the views -------------------------------------------------------------------------
    def show_curves(self, name: str, metadata: dict[str, Any]) -> bool:
        """Show the curves a model's ``metadata`` holds and say whose they are (``name``:
        its file); without curves, clear the plots and invite to train. True when shown."""
        if not self.plot.show_curves(metadata):
            self.panel.show_history_note(None, {})
            return False
        training = metadata.get("training")
        self.panel.show_history_note(name, training if isinstance(training, dict) else {})
        return True

    def add_opened_model(self, name: str, model: Model) -> None:
        """A model file was opened: its run (its curves, if it has them) can be compared."""
        self.runs.add_model(name, model)

    def apply_fix(self, fix: Fix) -> None:
        """Apply a training doctor's ``fix`` to the panel's settings (for the next run)."""
        try:
            config = fix.apply(self.panel.settings().config())
        except TrainingError as exc:
            self.doctor.show_applied(fix, str(exc))
            return
        self.panel.apply_config(config)
        self.doctor.show_applied(fix)

    def _on_diagnoses_counted(self, count: int) -> None:
        index = self.views.indexOf(self.doctor)
        text = self.tr("Doctor")
        self.views.setTabText(index, self.tr("Doctor ({0})").format(count) if count else text)

    def _on_experiment_event(self, event: object) -> None:
        """An experiment's variant's layers go to the Why it learns view too."""
        if isinstance(event, VariantStarted):
            config = event.variant.config
            if config.diagnostics:
                try:
                    network = config.network()
                except TrainingError:
                    return
                label = event.variant.label.text(QCoreApplication.translate)
                self.diagnostics.reset(
                    network, self.tr("The layers of the experiment's {0} network.").format(label)
                )
        elif isinstance(event, VariantEvent):
            if isinstance(event.event, Started):
                self.diagnostics.set_steps(event.event.total_batches)
            elif isinstance(event.event, LayerStats):
                self.diagnostics.on_layer_stats(event.event)
            elif isinstance(event.event, WeightHistograms):
                self.diagnostics.on_weight_histograms(event.event)

    def _on_variants_recorded(self, runs: list[Any]) -> None:
        # Copies: the experiments panel keeps numbering its own by variant.
        self.runs.add_runs([dataclasses.replace(r) for r in runs])

    # -- across a rebuild in another language ----------------------------------------------
    def state(self) -> TrainingTabState:
        return TrainingTabState(
            self.runs.state(),
            self.doctor.state(),
            self.experiments.state(),
            self.views.currentIndex(),
        )

    def restore(self, state: TrainingTabState) -> None:
        self.runs.restore(state.runs)
        self.doctor.restore(state.doctor)
        self.experiments.restore(state.experiments)
        self.views.setCurrentIndex(state.view)
