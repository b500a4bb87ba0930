"""The main window: the one module that wires the application together.

    CanvasView --strokes--> PredictionController --answer---------> ProbabilityView,
                                                                    DigitScoreView
                                                 --28x28 input-----> NetworkInputView
    ModelDocument (the model on show, its file) --model_changed--> PredictionController,
        FilterView, FeatureMapView, UnitView, SaliencyView, MapView, EpochsView,
        RobustnessView, ProbePanel, PersonalPanel; --epochs_changed--> EpochsView
    FeatureMapView --unit_hovered/unit_selected--> UnitView --canvas_field--> CanvasView
    PredictionController --features_changed--> MapView
    TrainingPanel --start/continue/pause/stop--> RunController --digits--> MnistController
        RunController (a GeneratorWorker thread) --events--> TrainingPanel, TrainingPlot,
        ConfusionView; --snapshots--> ModelDocument
    ConfusionView --evaluate_requested--> RunController --evaluated--> ConfusionView
    MapView, RobustnessView --test digits--> MnistController
    PersonalPanel --fine_tune_requested--> FineTuneController --a run--> RunController

The widgets, the document and the controllers live in their own modules and know nothing of
each other; this one lays them out, makes the menus and connects them. View ▸ Language
installs the other translation and rebuilds the window's contents in place (every text is
made through ``tr`` when its widget is made): :meth:`MainWindow.set_language` carries the
document (with its run's epochs), the drawing, the probes, the test results, the robustness
curves and the loaded MNIST digits over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QSplitter, QTabWidget, QWidget

import handwrite
from handwrite.gui import dialogs, explanations, language
from handwrite.gui.document import DEFAULT_MODEL_PATH, DocumentState, ModelDocument
from handwrite.gui.drawing.canvas import Stroke
from handwrite.gui.drawing.panel import DrawingPanel
from handwrite.gui.drawing.predictor import PredictionController
from handwrite.gui.inspect.confusion_view import ConfusionState, ConfusionView
from handwrite.gui.inspect.epochs_view import EpochsView
from handwrite.gui.inspect.map_view import MapView
from handwrite.gui.inspect.robustness_view import RobustnessState, RobustnessView
from handwrite.gui.inspect.tabs import DrawingStepsTab, InsideTab
from handwrite.gui.mnist_controller import MnistController
from handwrite.gui.personal.fine_tune import FineTuneController, UndoState
from handwrite.gui.personal.panel import PersonalPanel, open_personal_dataset
from handwrite.gui.settings import AppSettings, TrainingSettings
from handwrite.gui.status_bar import ModelStatusBar
from handwrite.gui.training.run_controller import RunController, RunState
from handwrite.gui.training.tab import TrainingTab, TrainingTabState
from handwrite.nn.model import Model
from handwrite.trainer import DataSet

__all__ = ["MainWindow"]


@dataclass(frozen=True)
class _Carried:
    """What survives rebuilding the window's contents in another language."""

    document: DocumentState
    strokes: tuple[Stroke, ...]
    probes: np.ndarray
    tab: int
    data_dir: Path | None
    data: DataSet | None
    results: ConfusionState
    undo: UndoState | None
    robustness: RobustnessState
    lab: TrainingTabState


class MainWindow(QMainWindow):
    """Draw a digit, see what the network thinks, train a network and watch it learn.

    Args:
        settings: where to remember things (tests pass an ``AppSettings`` on a temporary INI
            file); default: the user's settings.
        model_path: a model file to open instead of the last one used.
        data_dir: the folder with the MNIST files (default: ``HANDWRITE_DATA``, the cache, or
            a download).
        default_model_path: the model opened when there is no other; when it does not exist
            the window starts with an untrained ``cnn`` and says so.
        personal_path: the personal set (default: the user's).

    ``prediction_changed(object)``: the (10,) probabilities after each update of the answer,
    or None when the canvas is empty. The parts: ``document`` (:class:`ModelDocument`),
    ``run`` (:class:`RunController`), ``mnist`` (:class:`MnistController`), ``fine_tune``
    (:class:`FineTuneController`), ``predictor`` and the widgets.
    """

    prediction_changed = Signal(object)

    def __init__(
        self,
        settings: AppSettings | None = None,
        model_path: str | os.PathLike[str] | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        default_model_path: str | os.PathLike[str] | None = DEFAULT_MODEL_PATH,
        parent: QWidget | None = None,
        personal_path: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else AppSettings()
        self._personal_path = personal_path
        self.default_model_path = Path(default_model_path) if default_model_path else None
        self.setObjectName("main_window")
        self.setWindowTitle("handwrite[*]")
        self.setMinimumSize(QSize(900, 560))
        self._build(data_dir if data_dir is not None else self.settings.data_dir)
        self._restore_settings()
        self.document.open_first(model_path)

    @property
    def model(self) -> Model:
        """The model the window predicts with (the document's NumPy copy)."""
        return self.document.model

    # -- construction --------------------------------------------------------------------
    def _build(self, data_dir: str | os.PathLike[str] | None) -> None:
        """Everything inside the window, in the language installed now: the document, the
        widgets, the controllers, the menus, and their wiring (:meth:`set_language` runs it
        again)."""
        self._shown_language = language.current()
        self.document = ModelDocument(self.settings, self.default_model_path, self)
        self._build_widgets()
        self.mnist = MnistController(self, data_dir)
        self.map_view.set_digit_source(self.mnist.request)
        self.robustness_view.set_digit_source(self.mnist.request)
        self.run = RunController(self.document, self.mnist, self)
        self.fine_tune = FineTuneController(
            self.run,
            self.personal_set,
            lambda: self.document.model,
            self.install_fine_tuned_model,
            self.mnist,
            parent=self,
        )
        self._build_actions()
        self._connect()
        self.training_panel.set_settings(self.settings.training)
        self._update_model_ui()

    def _build_widgets(self) -> None:
        self.drawing_panel = DrawingPanel(pen_width=self.settings.pen_width)
        self.canvas = self.drawing_panel.canvas
        self.input_view = self.drawing_panel.input_view
        self.probability_view = self.drawing_panel.probability_view
        self.digit_score_view = self.drawing_panel.digit_score_view
        self.predictor = PredictionController(
            self.canvas.image, self.document.model, interval_ms=40, parent=self
        )

        self.training_tab = TrainingTab()
        self.training_panel = self.training_tab.panel
        self.training_plot = self.training_tab.plot
        self.probe_panel = self.training_tab.probes
        # Inside the network: each view in its own module, paced by its own timer.
        self.inside_tab = inside = InsideTab(lambda: self.predictor.steps)
        self.filter_view, self.feature_map_view = inside.filters, inside.feature_maps
        self.unit_view = inside.unit
        steps = DrawingStepsTab(lambda: self.predictor.steps)
        self.preprocess_view, self.saliency_view = steps.preprocess, steps.saliency
        self.confusion_view = ConfusionView()
        self.personal_set = open_personal_dataset(self, self._personal_path)
        self.personal_panel = PersonalPanel(self.personal_set, lambda: self.document.model)
        self.map_view = MapView()
        self.epochs_view = EpochsView()
        self.robustness_view = RobustnessView()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self.training_tab, self.tr("Training"))
        self.tabs.addTab(inside, self.tr("Inside"))
        self.tabs.addTab(steps, self.tr("Your drawing"))
        self.tabs.addTab(self.confusion_view, self.tr("Test results"))
        self.tabs.addTab(self.personal_panel, self.tr("Your handwriting"))
        self.tabs.addTab(self.map_view, self.tr("Map"))
        self.tabs.addTab(self.epochs_view, self.tr("Epochs"))
        self.tabs.addTab(self.robustness_view, self.tr("Robustness"))
        self.tabs.setTabToolTip(
            1, self.tr("The filters and feature maps of the network, and one unit's arithmetic")
        )
        self.tabs.setTabToolTip(
            2, self.tr("How your drawing is prepared, and which pixels decide the answer")
        )
        self.tabs.setTabToolTip(
            3,
            self.tr(
                "The confusion matrix of the test digits, and how far the probabilities can "
                "be trusted"
            ),
        )
        self.tabs.setTabToolTip(
            5, self.tr("Where the network puts the test digits and your drawing, in 2-D")
        )
        self.tabs.setTabToolTip(6, self.tr("Your drawing after each epoch of the training"))
        self.tabs.setTabToolTip(
            7,
            self.tr(
                "Accuracy on test digits rotated, scaled, blurred, … ; two models side by side"
            ),
        )

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.drawing_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.status = ModelStatusBar()
        self.setStatusBar(self.status)

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey

        def action(text: str, slot: object, **shortcut: object) -> QAction:
            return QAction(text, self, triggered=slot, **shortcut)

        self.new_action = action(self.tr("&New Model"), self.on_new_triggered, shortcut=keys.New)
        self.open_action = action(self.tr("&Open…"), self.document.open_dialog, shortcut=keys.Open)
        self.save_action = action(self.tr("&Save"), self.document.save, shortcut=keys.Save)
        self.save_as_action = action(
            self.tr("Save &As…"), self.document.save_as, shortcut=QKeySequence("Ctrl+Shift+S")
        )
        self.quit_action = action(self.tr("&Quit"), self.close, shortcut=QKeySequence("Ctrl+Q"))
        self.undo_action = action(self.tr("&Undo Stroke"), self.canvas.undo, shortcut=keys.Undo)
        self.clear_action = action(
            self.tr("&Clear Drawing"),
            self.canvas.clear,
            shortcuts=[QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)],
        )
        self.about_action = action(
            self.tr("&About handwrite"), lambda: dialogs.show_about(self, handwrite.__version__)
        )
        self.language_menu, self.language_actions = language.menu(
            self, self.settings.language, self.set_language
        )
        for title, items in (  # None: a separator
            (
                self.tr("&File"),
                (self.new_action, self.open_action, self.document.recent_menu, None)
                + (self.save_action, self.save_as_action, None, self.quit_action),
            ),
            (self.tr("&Edit"), (self.undo_action, self.clear_action)),
            (self.tr("&View"), (self.language_menu,)),
            (self.tr("&Help"), (self.about_action,)),
        ):
            menu = self.menuBar().addMenu(title)
            for item in items:
                if item is None:
                    menu.addSeparator()
                elif isinstance(item, QMenu):
                    menu.addMenu(item)
                else:
                    menu.addAction(item)
        self.drawing_panel.use_actions(self.undo_action, self.clear_action)

    def _connect(self) -> None:
        canvas, predictor, document = self.canvas, self.predictor, self.document
        canvas.stroke_changed.connect(predictor.on_stroke_changed)
        canvas.stroke_finished.connect(predictor.on_stroke_finished)
        canvas.cleared.connect(predictor.on_cleared)
        predictor.input_changed.connect(self.input_view.set_image)
        predictor.answer_changed.connect(self.probability_view.set_answer)
        predictor.answer_changed.connect(self.digit_score_view.set_answer)
        predictor.prediction_changed.connect(self.prediction_changed)
        self.drawing_panel.pen_width_changed.connect(self.on_pen_width_changed)

        # The document: the model on show, its file.
        document.model_replaced.connect(self.on_model_replaced)
        document.model_changed.connect(predictor.set_model)
        document.model_changed.connect(self._show_refusal)
        document.changed.connect(self._update_model_ui)
        document.opened.connect(
            lambda path: self.training_tab.show_curves(path.name, self.document.model.metadata)
        )
        document.opened.connect(
            lambda path: self.training_tab.add_opened_model(path.name, self.document.model)
        )
        document.message.connect(self.statusBar().showMessage)

        # Inside the network: the views follow the drawing and the model.
        for view in (self.feature_map_view, self.saliency_view, self.preprocess_view):
            predictor.input_changed.connect(view.on_input_changed)
        predictor.input_changed.connect(self.probe_panel.on_input_changed)
        predictor.prediction_changed.connect(self.saliency_view.on_prediction_changed)
        predictor.prediction_changed.connect(self.preprocess_view.on_prediction_changed)
        for view in (self.filter_view, self.feature_map_view, self.saliency_view):
            document.model_changed.connect(view.on_model_changed)
        document.model_changed.connect(self.probe_panel.on_model_changed)

        # One unit's arithmetic: the unit pointed at in the feature maps, its field on the canvas.
        features, unit = self.feature_map_view, self.unit_view
        features.unit_hovered.connect(unit.on_unit_hovered)
        features.unit_selected.connect(unit.on_unit_selected)
        predictor.input_changed.connect(unit.on_input_changed)
        document.model_changed.connect(unit.on_model_changed)
        unit.canvas_field_changed.connect(canvas.set_marked_rect)

        # The map, the epochs of the run and the robustness curves.
        map_view, epochs, robustness = self.map_view, self.epochs_view, self.robustness_view
        predictor.features_changed.connect(map_view.on_features_changed)
        document.model_changed.connect(map_view.on_model_changed)
        document.model_changed.connect(epochs.on_model_changed)
        document.epochs_changed.connect(lambda: epochs.on_epochs_changed(document.epochs))
        predictor.input_changed.connect(epochs.on_input_changed)
        features.layer_chosen.connect(epochs.set_layer)
        document.model_replaced.connect(robustness.on_model_replaced)
        document.model_changed.connect(robustness.on_model_changed)

        # Your own handwriting: samples, accuracy on them, fine-tuning on the run controller.
        personal, fine_tune = self.personal_panel, self.fine_tune
        predictor.input_changed.connect(personal.on_input_changed)
        predictor.answer_changed.connect(personal.on_answer_changed)
        document.model_changed.connect(personal.on_model_changed)
        personal.fine_tune_requested.connect(fine_tune.start)
        personal.undo_requested.connect(fine_tune.undo)
        personal.sample_added.connect(lambda _index, _label: self.canvas.clear())
        fine_tune.started.connect(personal.on_fine_tune_started)
        fine_tune.started.connect(lambda _data: self.tabs.setCurrentIndex(0))
        fine_tune.running_changed.connect(personal.on_fine_tune_running_changed)
        fine_tune.compared.connect(personal.on_compared)
        fine_tune.failed.connect(personal.on_fine_tune_failed)
        fine_tune.undone.connect(personal.on_undone)
        fine_tune.undo_available.connect(personal.on_undo_available)

        # Training and evaluating: the panel asks, the run controller runs, the views show.
        panel, plot, run, confusion = (
            self.training_panel,
            self.training_plot,
            self.run,
            self.confusion_view,
        )
        panel.start_requested.connect(self.on_start_requested)
        panel.continue_requested.connect(run.continue_run)
        panel.pause_requested.connect(run.pause)
        panel.resume_requested.connect(run.resume)
        panel.stop_requested.connect(run.stop)
        confusion.evaluate_requested.connect(run.evaluate)
        confusion.cancel_requested.connect(run.cancel_evaluation)
        run.state_changed.connect(self.on_run_state_changed)
        run.data_chosen.connect(
            lambda data: confusion.set_test_set(data.test_images, data.test_labels)
        )
        run.data_chosen.connect(self.map_view.on_data_chosen)
        run.started.connect(panel.on_started)
        run.started.connect(plot.on_started)
        run.started.connect(lambda event: self.status.show_backend(event.device_name))
        run.continued.connect(plot.show_curves)  # the earlier curves, after the plot cleared
        run.batch_done.connect(panel.on_batch_done)
        run.batch_done.connect(plot.on_batch_done)
        run.epoch_done.connect(panel.on_epoch_done)
        run.epoch_done.connect(plot.on_epoch_done)
        run.epoch_done.connect(confusion.on_epoch_done)
        run.finished.connect(panel.on_finished)
        run.failed.connect(panel.on_failed)
        run.evaluation_progress.connect(confusion.on_progress)
        run.evaluated.connect(confusion.show_evaluation)
        run.message.connect(self.statusBar().showMessage)
        self.training_tab.connect_run(run)  # compared runs, layers, doctor, experiments
        self.mnist.data_dir_chosen.connect(self.on_data_dir_chosen)

        explanations.annotate_training_panel(panel)
        self.probability_view.setToolTip(explanations.softmax_and_loss())
        plot.setToolTip(
            f"{explanations.softmax_and_loss()}<br><br>{explanations.backpropagation()}"
        )

    # -- settings ------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        self.resize(1320, 780)
        if s.geometry is not None:
            self.restoreGeometry(s.geometry)
        if s.window_state is not None:
            self.restoreState(s.window_state)
        if s.splitter_state is not None:
            self.splitter.restoreState(s.splitter_state)
        probes = s.probes
        if len(probes):
            self.probe_panel.set_probes(probes)

    def save_settings(self) -> None:
        """Remember the window, the pen, the probes, the training choices and the model file."""
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter_state = self.splitter.saveState()
        s.pen_width = self.canvas.pen_width()
        s.probes = self.probe_panel.probes()
        s.training = self.training_panel.settings()
        self.document.remember_last_model()
        s.sync()

    def on_pen_width_changed(self, width: int) -> None:
        self.settings.pen_width = width

    def on_data_dir_chosen(self, folder: Path) -> None:
        self.settings.data_dir = folder

    # -- the model on show ---------------------------------------------------------------
    def on_model_replaced(self, model: Model) -> None:
        # The answers: the ten digits of a network with the "not a digit" output.
        if tuple(model.answer_classes) != self.probability_view.classes():
            self.probability_view.set_classes(model.answer_classes)
        # Test results belong to the model they were computed with.
        self.run.cancel_evaluation()
        self.confusion_view.set_classes(tuple(model.answer_classes))
        self.confusion_view.clear()

    def _show_refusal(self, model: Model) -> None:
        """The threshold under which the model on show refuses (a training snapshot may
        bring a new one)."""
        refusal = model.refusal if model.refuses else None
        self.digit_score_view.set_threshold(None if refusal is None else refusal.threshold)
        self.confusion_view.set_refuses(model.refuses)

    def install_fine_tuned_model(self, model: Model, note: str) -> None:
        """Show a fine-tuned model (or the one from before, on Undo): unsaved work."""
        self.document.show(model, self.document.path, trained=True, dirty=True)
        self.statusBar().showMessage(note, 10_000)

    def _update_model_ui(self) -> None:
        """The title, the status bar, the notice and what may be done now."""
        document, busy = self.document, self.run.state.training
        self.setWindowTitle(f"{document.name()}[*] — handwrite")
        self.setWindowModified(document.dirty)
        self.status.show_model(document.summary(busy), document.path)
        if not busy:
            self.status.show_backend(None)
        self.drawing_panel.show_untrained_notice(not document.trained and not busy)
        for a in (self.new_action, self.open_action, self.save_action, self.save_as_action):
            a.setEnabled(not busy)
        document.recent_menu.setEnabled(not busy)
        self.language_menu.setEnabled(not busy)
        self.confusion_view.set_can_evaluate(not busy)
        checkpoint = document.checkpoint
        self.training_panel.set_resumable(checkpoint.epochs_done if checkpoint else None)

    # -- File menu -----------------------------------------------------------------------
    def on_new_triggered(self) -> None:
        if self.document.new(self.training_panel.settings().network()):
            self.training_tab.show_curves(self.document.name(), {})  # none yet

    # -- training ------------------------------------------------------------------------
    def on_start_requested(self, settings: TrainingSettings) -> None:
        """Start: ask about unsaved training, remember the settings, then train."""
        if self.run.state.training:
            return
        if not self.document.maybe_save(
            self.tr("Training makes a new model. Save the current one?")
        ):
            return
        self.settings.training = settings
        self.run.train(settings)

    def on_run_state_changed(self, state: RunState) -> None:
        self.training_tab.set_run_state(state, self.run.experiment)
        self.confusion_view.set_busy(state is RunState.EVALUATING)
        self.personal_panel.on_training_running_changed(state.training)
        self._update_model_ui()

    # -- language ------------------------------------------------------------------------
    def set_language(self, choice: str) -> bool:
        """Show the window in ``choice`` (``"en"``, ``"ja"``, or ``""``: the system's
        language) and remember it; View ▸ Language calls this.

        The translation is installed and the window's contents are rebuilt in place, so
        every text is in the new language at once. The model and its file, unsaved training,
        the drawing, the probes, the test results, the robustness curves, the tab shown and
        the loaded MNIST digits stay; a background evaluation, robustness measurement or MNIST
        download is stopped. Refused while a network
        trains (the menu is disabled then). Returns True when the language changed.
        """
        if self.run.state.training:
            self.language_actions[self.settings.language].setChecked(True)
            return False
        self.settings.language = choice
        wanted = language.effective(choice)
        if wanted != language.current():
            language.install(wanted)  # English, when the .qm file is missing
        if language.current() == self._shown_language:
            if wanted != self._shown_language:
                self.statusBar().showMessage(
                    self.tr("The {0} translation is not installed.").format(
                        language.LANGUAGES[wanted]
                    ),
                    8000,
                )
            return False
        self._rebuild()
        self.statusBar().showMessage(
            self.tr("Language: {0}").format(language.LANGUAGES[language.current()]), 5000
        )
        return True

    def _rebuild(self) -> None:
        """Make the window's contents again (in the language installed now), keeping the
        document and what the user has made in the views."""
        carried = self._carry()
        self.save_settings()
        self.shutdown()
        old: list[QObject] = [
            self.document,
            self.predictor,
            self.run,
            self.mnist,
            self.fine_tune,
            self.language_menu,
            self.document.recent_menu,
            *(a for a in self.findChildren(QAction) if a.parent() is self),
        ]
        for obj in old:
            obj.blockSignals(True)  # e.g. a pending prediction of the old drawing
            obj.deleteLater()
        self.setMenuBar(QMenuBar())  # the old one (and its menus) is deleted later
        self._build(carried.data_dir)  # replaces the central widget and the status bar
        self._restore_carried(carried)

    def _carry(self) -> _Carried:
        return _Carried(
            document=self.document.state(),
            strokes=self.canvas.strokes(),
            probes=self.probe_panel.probes(),
            tab=self.tabs.currentIndex(),
            data_dir=self.mnist.data_dir,
            data=self.mnist.data,
            results=self.confusion_view.state(),
            undo=self.fine_tune.undo_state(),
            robustness=self.robustness_view.state(),
            lab=self.training_tab.state(),
        )

    def _restore_carried(self, c: _Carried) -> None:
        if c.data is not None:
            self.mnist.set_data(c.data)
            self.map_view.on_data_chosen(c.data)
        self.document.restore(c.document)
        self.training_tab.show_curves(self.document.name(), self.document.model.metadata)
        self.training_tab.restore(c.lab)
        self.confusion_view.restore(c.results)
        self.robustness_view.restore(c.robustness)
        self.fine_tune.restore_undo(c.undo)
        if self.settings.splitter_state is not None:
            self.splitter.restoreState(self.settings.splitter_state)
        self.probe_panel.set_probes(c.probes)
        self.canvas.set_strokes(c.strokes)
        self.tabs.setCurrentIndex(c.tab)

    # -- closing -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop every background thread and wait for them (blocking; at exit)."""
        self.mnist.shutdown()
        self.fine_tune.shutdown()
        self.run.shutdown()
        self.map_view.shutdown()
        self.robustness_view.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run.state.training:
            # Stop cooperatively; the window closes once the run's thread has ended.
            self.run.stop(then=self.close)
            self.statusBar().showMessage(self.tr("Stopping the training before closing…"))
            event.ignore()
            return
        if not self.document.maybe_save(self.tr("Save the trained model before closing?")):
            event.ignore()
            return
        self.save_settings()
        self.shutdown()
        event.accept()
