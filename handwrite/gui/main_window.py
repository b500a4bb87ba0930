"""The main window: the one module that wires the application together.

    CanvasView --strokes--> PredictionController --probabilities--> ProbabilityView
                                                 --28x28 input-----> NetworkInputView
    TrainingPanel --start--> MnistController --data--> TrainingController (worker thread)
        --events--> TrainingPanel, TrainingPlot; --snapshots--> PredictionController

Inside the network (issue #5), beside the Training tab:

    PredictionController --input, probabilities--> FeatureMapView, SaliencyView,
                                                   PreprocessView, ProbePanel (Pin)
    model_changed (a model opened or built, a training snapshot)
        --> FilterView, FeatureMapView, SaliencyView, ProbePanel (each paced by its timer,
            and idle while hidden)
    TrainingController --epoch_done--> ConfusionView
    ConfusionView --evaluate_requested--> MnistController --data--> EvaluationController
        (worker thread) --finished--> ConfusionView

The window also owns the "document": the model shown (its file, whether it has unsaved
training), the File menu, the status bar and the remembered settings. Widgets live in their
own modules and know nothing of each other.

Language (issue #5): every text is built through ``tr`` when a widget is made, so View ▸
Language installs the other translation (:mod:`handwrite.gui.language`) and rebuilds the
window's contents in place: :meth:`MainWindow.set_language` carries the document, the
drawing, the probes, the test results and the loaded MNIST digits over to the new widgets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QSlider,
    QSplitter,
    QStatusBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import handwrite
from handwrite.evaluation import Evaluation
from handwrite.gui import dialogs, explanations, language
from handwrite.gui.canvas import CanvasView, Stroke
from handwrite.gui.confusion_view import ConfusionView
from handwrite.gui.data import MnistController
from handwrite.gui.evaluation import EvaluationController
from handwrite.gui.feature_map_view import FeatureMapView
from handwrite.gui.filter_view import FilterView
from handwrite.gui.fine_tune import FineTuneController, UndoState
from handwrite.gui.input_view import NetworkInputView
from handwrite.gui.personal_panel import PersonalPanel, open_personal_dataset
from handwrite.gui.predictor import PredictionController
from handwrite.gui.preprocess_view import PreprocessView
from handwrite.gui.probability_view import ProbabilityView
from handwrite.gui.probe_panel import ProbePanel
from handwrite.gui.saliency_view import SaliencyView
from handwrite.gui.settings import PEN_WIDTH_RANGE, AppSettings, TrainingSettings
from handwrite.gui.training_panel import IDLE, STARTING, STOPPING, TrainingPanel
from handwrite.gui.training_plot import TrainingPlot
from handwrite.gui.worker import RunHistory, TrainingController
from handwrite.modelfile import ModelFileError, read_model_file
from handwrite.nn import presets
from handwrite.nn.backend import device_name
from handwrite.nn.model import Model
from handwrite.trainer import (
    Checkpoint,
    DataSet,
    EpochDone,
    Failed,
    Finished,
    Snapshot,
    Started,
    TrainingError,
)

#: The model shipped with handwrite, opened when no other model is asked for.
DEFAULT_MODEL_PATH = Path(handwrite.__file__).resolve().parent.parent / "models" / "default.npz"
#: Models with more classes than this cannot be shown as bars.
MAX_CLASSES = 20


@dataclass(frozen=True)
class _Carried:
    """What survives rebuilding the window's contents in another language."""

    model: Model
    model_path: Path | None
    trained: bool
    dirty: bool
    strokes: tuple[Stroke, ...]
    probes: np.ndarray
    tab: int
    data_dir: Path | None
    data: DataSet | None
    test_set: tuple[np.ndarray, np.ndarray] | None
    evaluation: Evaluation | None
    cell: tuple[int, int] | None
    undo: UndoState | None
    checkpoint: Checkpoint | None


def history_of(metadata: dict[str, Any]) -> dict[str, Any] | None:
    """The training curves stored in a model file's metadata (``"history"``), if any."""
    history = metadata.get("history")
    if isinstance(history, dict) and "batches_per_epoch" in history:
        return history
    return None


def _stacked(top: QWidget, bottom: QWidget, sizes: tuple[int, int]) -> QSplitter:
    """Two views one above the other; the lower one takes twice the extra height."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(bottom)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 2)
    splitter.setSizes(list(sizes))
    splitter.setChildrenCollapsible(False)
    return splitter


def _checkpoint_of(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Checkpoint | None:
    """The run state a model file holds, when it is a resumable checkpoint."""
    try:
        return Checkpoint.from_file(meta, arrays)
    except TrainingError:
        return None


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

    ``prediction_changed(object)``: the (10,) probabilities after each update of the answer,
    or None when the canvas is empty. ``model_changed(object)``: the model the window predicts
    with (a NumPy copy on the GUI thread) is another one, or its weights changed (a training
    snapshot).
    """

    prediction_changed = Signal(object)
    model_changed = Signal(object)

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

        # The document: the model on show, its file, and whether it has unsaved training.
        self.model_path: Path | None = None
        self._dirty = False
        self._trained = False
        self._before_training: tuple[Model, Path | None, bool, bool, Checkpoint | None] | None = (
            None
        )
        self._checkpoint: Checkpoint | None = None
        self._continuing = False
        self._resumed_history: dict[str, Any] | None = None
        self._training_settings: TrainingSettings | None = None
        self._close_when_stopped = False
        self._startup_errors: list[tuple[str, str]] = []
        self._fallback_name: str | None = None
        self._evaluate_when_loaded = False
        self._evaluated_model: Model | None = None

        self._build(data_dir if data_dir is not None else self.settings.data_dir)
        self._restore_settings()
        self._open_first_model(model_path)

    # -- construction --------------------------------------------------------------------
    def _build(self, data_dir: str | os.PathLike[str] | None) -> None:
        """Everything inside the window, in the language installed now: widgets, the
        controllers, the menus, and their wiring (:meth:`set_language` runs it again)."""
        self._shown_language = language.current()
        self._build_widgets()
        self.training = TrainingController(self)
        self.evaluation = EvaluationController(self)
        self.mnist = MnistController(self, data_dir)
        self.fine_tune = FineTuneController(
            self.training,
            self.personal_set,
            lambda: self.predictor.model,
            self.install_fine_tuned_model,
            self.mnist,
            parent=self,
        )
        self._build_actions()
        self._connect()
        self.pen_slider.setValue(self.settings.pen_width)
        self.on_pen_width_changed(self.pen_slider.value())
        self.training_panel.set_settings(self.settings.training)

    def _build_widgets(self) -> None:
        self.canvas = CanvasView()
        self.predictor = PredictionController(
            self.canvas.image, presets.build("cnn"), interval_ms=40, parent=self
        )
        self.input_view = NetworkInputView()
        self.probability_view = ProbabilityView()

        sees = QLabel(self.tr("The network sees"))
        sees.setObjectName("caption")
        self.input_view.setFixedSize(168, 168)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(sees, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.input_view, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addSpacing(6)
        side.addWidget(self.probability_view, 1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(230)

        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(*PEN_WIDTH_RANGE)
        self.pen_slider.setToolTip(self.tr("Pen width"))
        self.pen_slider.setMaximumWidth(160)
        self.pen_label = QLabel()
        self.pen_label.setMinimumWidth(40)
        self.undo_button = QToolButton()
        self.clear_button = QToolButton()
        tools = QHBoxLayout()
        tools.setContentsMargins(6, 0, 6, 0)
        tools.addWidget(QLabel(self.tr("Pen")))
        tools.addWidget(self.pen_slider)
        tools.addWidget(self.pen_label)
        tools.addStretch(1)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "QLabel#notice { background: #fff4d6; color: #5c4300; border: 1px solid #ecd38d;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.notice.hide()

        top = QHBoxLayout()
        top.addWidget(self.canvas, 1)
        top.addWidget(side_widget)
        draw = QVBoxLayout()
        draw.addWidget(self.notice)
        draw.addLayout(top, 1)
        draw.addLayout(tools)
        draw_widget = QWidget()
        draw_widget.setObjectName("draw_panel")
        draw_widget.setLayout(draw)

        self.training_panel = TrainingPanel()
        self.training_plot = TrainingPlot()
        self.probe_panel = ProbePanel()
        train_split = QSplitter(Qt.Orientation.Vertical)
        train_split.addWidget(self.training_plot)
        train_split.addWidget(self.probe_panel)
        train_split.setStretchFactor(0, 3)
        train_split.setStretchFactor(1, 1)
        train_split.setChildrenCollapsible(False)
        train = QVBoxLayout()
        train.addWidget(self.training_panel)
        train.addWidget(train_split, 1)
        train_widget = QWidget()
        train_widget.setLayout(train)

        # Inside the network (issue #5): each view in its own module, paced by its own timer.
        self.filter_view = FilterView()
        self.feature_map_view = FeatureMapView()
        inside = _stacked(self.filter_view, self.feature_map_view, (240, 480))
        self.preprocess_view = PreprocessView(lambda: self.predictor.steps)
        self.saliency_view = SaliencyView()
        drawing = _stacked(self.preprocess_view, self.saliency_view, (260, 460))
        self.confusion_view = ConfusionView()
        self.personal_set = open_personal_dataset(self, self._personal_path)
        self.personal_panel = PersonalPanel(self.personal_set, lambda: self.predictor.model)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(train_widget, self.tr("Training"))
        self.tabs.addTab(inside, self.tr("Inside"))
        self.tabs.addTab(drawing, self.tr("Your drawing"))
        self.tabs.addTab(self.confusion_view, self.tr("Test results"))
        self.tabs.addTab(self.personal_panel, self.tr("Your handwriting"))
        self.tabs.setTabToolTip(1, self.tr("The filters and feature maps of the network"))
        self.tabs.setTabToolTip(
            2, self.tr("How your drawing is prepared, and which pixels decide the answer")
        )
        self.tabs.setTabToolTip(3, self.tr("The confusion matrix of the test digits"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(draw_widget)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.model_label = QLabel()
        self.backend_label = QLabel()
        for label in (self.model_label, self.backend_label):
            label.setContentsMargins(8, 0, 8, 0)
        status = QStatusBar()
        status.addPermanentWidget(self.model_label)
        status.addPermanentWidget(self.backend_label)
        self.setStatusBar(status)

    def _build_actions(self) -> None:
        def action(text: str, slot: object, shortcut: object = None) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                if isinstance(shortcut, list):
                    a.setShortcuts(shortcut)
                else:
                    a.setShortcut(shortcut)
            a.triggered.connect(slot)
            return a

        keys = QKeySequence.StandardKey
        self.new_action = action(self.tr("&New Model"), self.on_new_triggered, keys.New)
        self.open_action = action(self.tr("&Open…"), self.on_open_triggered, keys.Open)
        self.save_action = action(self.tr("&Save"), self.on_save_triggered, keys.Save)
        self.save_as_action = action(
            self.tr("Save &As…"), self.on_save_as_triggered, QKeySequence("Ctrl+Shift+S")
        )
        self.quit_action = action(self.tr("&Quit"), self.close, QKeySequence("Ctrl+Q"))
        self.undo_action = action(self.tr("&Undo Stroke"), self.canvas.undo, keys.Undo)
        self.clear_action = action(
            self.tr("&Clear Drawing"),
            self.canvas.clear,
            [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)],
        )
        self.about_action = action(self.tr("&About handwrite"), self.on_about_triggered)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        system = language.LANGUAGES[language.system_language()]
        for code, text in (
            ("", self.tr("System Default ({0})").format(system)),
            *language.LANGUAGES.items(),  # each in its own language: not translated
        ):
            a = QAction(text, self.language_group)
            a.setCheckable(True)
            a.setChecked(code == self.settings.language)
            a.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_actions[code] = a

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.clear_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        self.language_menu.addActions(self.language_group.actions())
        self.language_menu.insertSeparator(self.language_actions["en"])
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setText(self.tr("Undo"))
        self.clear_button.setDefaultAction(self.clear_action)
        self.clear_button.setText(self.tr("Clear"))
        self._update_recent_menu()

    def _connect(self) -> None:
        canvas, predictor = self.canvas, self.predictor
        canvas.stroke_changed.connect(predictor.on_stroke_changed)
        canvas.stroke_finished.connect(predictor.on_stroke_finished)
        canvas.cleared.connect(predictor.on_cleared)
        predictor.input_changed.connect(self.input_view.set_image)
        predictor.prediction_changed.connect(self.probability_view.set_probabilities)
        predictor.prediction_changed.connect(self.prediction_changed)
        self.pen_slider.valueChanged.connect(self.on_pen_width_changed)

        # Inside the network: the views follow the drawing and the model.
        for view in (self.feature_map_view, self.saliency_view, self.preprocess_view):
            predictor.input_changed.connect(view.on_input_changed)
        predictor.input_changed.connect(self.probe_panel.on_input_changed)
        predictor.prediction_changed.connect(self.saliency_view.on_prediction_changed)
        predictor.prediction_changed.connect(self.preprocess_view.on_prediction_changed)
        for view in (self.filter_view, self.feature_map_view, self.saliency_view):
            self.model_changed.connect(view.on_model_changed)
        self.model_changed.connect(self.probe_panel.on_model_changed)
        # Your own handwriting: samples, accuracy on them, fine-tuning on the one controller.
        personal, fine_tune = self.personal_panel, self.fine_tune
        predictor.input_changed.connect(personal.on_input_changed)
        predictor.prediction_changed.connect(personal.on_prediction_changed)
        self.model_changed.connect(personal.on_model_changed)
        self.training.running_changed.connect(personal.on_training_running_changed)
        personal.fine_tune_requested.connect(fine_tune.start)
        personal.undo_requested.connect(fine_tune.undo)
        personal.sample_added.connect(self.on_personal_sample_added)
        fine_tune.started.connect(personal.on_fine_tune_started)
        fine_tune.started.connect(self.on_fine_tune_started)
        fine_tune.running_changed.connect(personal.on_fine_tune_running_changed)
        fine_tune.compared.connect(personal.on_compared)
        fine_tune.failed.connect(personal.on_fine_tune_failed)
        fine_tune.undone.connect(personal.on_undone)
        fine_tune.undo_available.connect(personal.on_undo_available)

        confusion, evaluation = self.confusion_view, self.evaluation
        confusion.evaluate_requested.connect(self.on_evaluate_requested)
        confusion.cancel_requested.connect(self.on_evaluation_cancel_requested)
        evaluation.progress.connect(confusion.on_progress)
        evaluation.finished.connect(self.on_evaluation_finished)
        evaluation.failed.connect(self.on_evaluation_failed)
        evaluation.running_changed.connect(self.on_evaluation_running_changed)
        explanations.annotate_training_panel(self.training_panel)
        self.probability_view.setToolTip(explanations.softmax_and_loss())
        self.training_plot.setToolTip(
            f"{explanations.softmax_and_loss()}<br><br>{explanations.backpropagation()}"
        )

        panel, plot, training = self.training_panel, self.training_plot, self.training
        panel.start_requested.connect(self.on_start_requested)
        panel.continue_requested.connect(self.on_continue_requested)
        panel.pause_requested.connect(training.pause)
        panel.resume_requested.connect(training.resume)
        panel.stop_requested.connect(self.on_stop_requested)
        training.started.connect(panel.on_started)
        training.started.connect(plot.on_started)
        training.started.connect(self.on_training_started)  # after the plot has cleared
        training.batch_done.connect(panel.on_batch_done)
        training.batch_done.connect(plot.on_batch_done)
        training.epoch_done.connect(panel.on_epoch_done)
        training.epoch_done.connect(plot.on_epoch_done)
        training.epoch_done.connect(self.on_epoch_done)
        training.epoch_done.connect(self.confusion_view.on_epoch_done)
        training.snapshot.connect(self.on_snapshot)
        training.paused.connect(panel.on_paused)
        training.resumed.connect(panel.on_resumed)
        training.finished.connect(panel.on_finished)
        training.finished.connect(self.on_training_finished)
        training.failed.connect(panel.on_failed)
        training.failed.connect(self.on_training_failed)
        training.history.connect(self.on_training_history)
        training.checkpoint.connect(self.on_checkpoint)
        training.running_changed.connect(self.on_running_changed)

        self.mnist.loaded.connect(self.on_data_loaded)
        self.mnist.unavailable.connect(self.on_data_unavailable)
        self.mnist.data_dir_chosen.connect(self.on_data_dir_chosen)

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
        s.last_model = self.model_path if self.model_path != self._default_resolved() else None
        s.sync()

    def on_pen_width_changed(self, width: int) -> None:
        self.canvas.set_pen_width(width)
        self.pen_label.setText(self.tr("{0} px").format(width))
        self.settings.pen_width = width

    # -- language ------------------------------------------------------------------------
    def set_language(self, choice: str) -> bool:
        """Show the window in ``choice`` (``"en"``, ``"ja"``, or ``""``: the system's
        language) and remember it; View ▸ Language calls this.

        The translation is installed and the window's contents are rebuilt in place, so
        every text is in the new language at once. The model and its file, unsaved training,
        the drawing, the probes, the test results, the tab shown and the loaded MNIST digits
        stay; a background evaluation or MNIST download is stopped. Refused while a network
        trains (the menu is disabled then). Returns True when the language changed.
        """
        if self.training.is_running():
            self._check_language_action()
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

    def _check_language_action(self) -> None:
        self.language_actions[self.settings.language].setChecked(True)

    def _rebuild(self) -> None:
        """Make the window's contents again (in the language installed now), keeping the
        document and what the user has made in the views."""
        carried = self._carry()
        self.save_settings()
        self._training_settings = None  # nothing waits for the MNIST digits any more
        self._evaluate_when_loaded = False
        self.shutdown()
        old: list[QObject] = [
            self.predictor,
            self.training,
            self.evaluation,
            self.mnist,
            self.fine_tune,
            self.language_group,
            self.recent_menu,
            *(a for a in self.findChildren(QAction) if a.parent() is self),
        ]
        for obj in old:
            obj.blockSignals(True)  # e.g. a pending prediction of the old drawing
            obj.deleteLater()
        self.setMenuBar(QMenuBar())  # the old one (and its menus) is deleted later
        self._build(carried.data_dir)  # replaces the central widget and the status bar
        self._resume(carried)

    def _carry(self) -> _Carried:
        confusion = self.confusion_view
        return _Carried(
            model=self.predictor.model,
            model_path=self.model_path,
            trained=self._trained,
            dirty=self._dirty,
            strokes=self.canvas.strokes(),
            probes=self.probe_panel.probes(),
            tab=self.tabs.currentIndex(),
            data_dir=self.mnist.data_dir,
            data=self.mnist.data,
            test_set=confusion.test_set(),
            evaluation=confusion.evaluation(),
            cell=confusion.selected_cell(),
            undo=self.fine_tune.undo_state(),
            checkpoint=self._checkpoint,
        )

    def _resume(self, c: _Carried) -> None:
        if c.data is not None:
            self.mnist.set_data(c.data)
        self._set_model(
            c.model, c.model_path, trained=c.trained, dirty=c.dirty, checkpoint=c.checkpoint
        )
        history = history_of(c.model.metadata)
        if history is not None and self.training_plot.show_history(history):
            name = c.model_path.name if c.model_path else self.tr("untitled")
            self.training_panel.show_history_note(name, c.model.metadata.get("training") or {})
        if c.test_set is not None:
            self.confusion_view.set_test_set(*c.test_set)
            if c.evaluation is not None:
                self.confusion_view.show_evaluation(c.evaluation)
                if c.cell is not None:
                    self.confusion_view.select_cell(*c.cell)
        self.fine_tune.restore_undo(c.undo)
        if self.settings.splitter_state is not None:
            self.splitter.restoreState(self.settings.splitter_state)
        self.probe_panel.set_probes(c.probes)
        self.canvas.set_strokes(c.strokes)
        self.tabs.setCurrentIndex(c.tab)

    # -- the model on show ---------------------------------------------------------------
    @property
    def model(self) -> Model:
        """The model the window predicts with (a NumPy copy living on the GUI thread)."""
        return self.predictor.model

    @property
    def dirty(self) -> bool:
        """True when the model holds training that is not saved in a file."""
        return self._dirty

    def _default_resolved(self) -> Path | None:
        return self.default_model_path.resolve() if self.default_model_path else None

    def _open_first_model(self, model_path: str | os.PathLike[str] | None) -> None:
        """At start: the model asked for, else the last one used, else the default model,
        else an untrained cnn (saying so)."""
        candidates: list[Path] = []
        if model_path is not None:
            candidates.append(Path(model_path))
        last = self.settings.last_model
        if last is not None and last.exists():  # a model deleted since: quietly skipped
            candidates.append(last)
        if self.default_model_path is not None and self.default_model_path.exists():
            candidates.append(self.default_model_path)
        for path in candidates:
            problem = self._try_load(path)
            if problem is None:
                if path.resolve() != self._default_resolved():
                    self._remember_file(path)
                break
            self._startup_errors.append((str(path), problem))
        else:
            self._set_model(presets.build("cnn"), None, trained=False)
            where = self.default_model_path or "models/default.npz"
            self.statusBar().showMessage(
                self.tr("No trained model found ({0}): starting with an untrained cnn.").format(
                    where
                ),
                15000,
            )
        self._fallback_name = self.model_path.name if self.model_path else None
        if self._startup_errors:
            # Shown once the window is up (and never from inside the constructor).
            QTimer.singleShot(0, self._report_startup_errors)

    def _report_startup_errors(self) -> None:
        errors, self._startup_errors = self._startup_errors, []
        if self._fallback_name:
            instead = self.tr("The window opened {0} instead.").format(self._fallback_name)
        else:
            instead = self.tr("The window started with an untrained network instead.")
        for path, problem in errors:
            self._report_open_error(path, problem, instead)

    def _try_load(self, path: Path) -> str | None:
        """Load ``path`` into the window; returns None, or the problem in words."""
        try:
            model, meta, optimizer_arrays = read_model_file(path)
        except ModelFileError as exc:
            return exc.problem
        except (OSError, ValueError) as exc:
            return str(exc)
        if model.input_shape != (1, 28, 28):
            return self.tr(
                "the model expects images of shape {0}, but drawings are 28x28 pixels"
            ).format(model.input_shape)
        if len(model.classes) > MAX_CLASSES:
            return self.tr("the model has {0} classes; at most {1} can be shown").format(
                len(model.classes), MAX_CLASSES
            )
        training = model.metadata.get("training")
        trained = isinstance(training, dict) and bool(training.get("epochs"))
        self._set_model(
            model,
            path.resolve(),
            trained=trained or "checkpoint" in meta,
            checkpoint=_checkpoint_of(meta, optimizer_arrays),
        )
        history = history_of(meta)
        if history is not None and self.training_plot.show_history(history):
            self.training_panel.show_history_note(path.name, training or {})
        else:
            self.training_plot.clear()
            self.training_panel.show_history_note(None, {})
        return None

    def _report_open_error(self, path: str, problem: str, outcome: str | None = None) -> None:
        if outcome is None:
            outcome = self.tr("The model you had before is still loaded.")
        dialogs.show_error(
            self,
            self.tr("The model could not be opened"),
            self.tr("“{0}” is not a model this program can use: {1}.\n\n{2}").format(
                Path(path).name, problem, outcome
            ),
            f"{path}: {problem}",
        )

    def _set_model(
        self,
        model: Model,
        path: Path | None,
        *,
        trained: bool,
        dirty: bool = False,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        """Show ``model``. ``checkpoint``: the state that lets its run continue (and makes
        saved files resumable); any other model change forgets it."""
        if tuple(model.classes) != self.probability_view.classes():
            self.probability_view.set_classes(model.classes)
        self.predictor.set_model(model)
        self._set_checkpoint(checkpoint)
        self.model_path = path
        self._trained = trained
        self._set_dirty(dirty)
        self._update_model_ui()
        # Test results belong to the model they were computed with.
        self.evaluation.cancel()
        self.confusion_view.set_classes(tuple(model.classes))
        self.confusion_view.clear()
        self.model_changed.emit(self.predictor.model)

    def _set_checkpoint(self, checkpoint: Checkpoint | None) -> None:
        self._checkpoint = checkpoint
        self.training_panel.set_resumable(checkpoint.epochs_done if checkpoint else None)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.setWindowModified(dirty)

    def _update_model_ui(self) -> None:
        model = self.predictor.model
        training = model.metadata.get("training") or {}
        name = self.model_path.name if self.model_path else self.tr("untitled")
        self.setWindowTitle(f"{name}[*] — handwrite")
        arch = training.get("architecture") or model.name or self.tr("network")
        acc = training.get("test_accuracy")
        if self.training.is_running():
            text = self.tr("Model: {0}, in training").format(arch)
        elif not self._trained:
            text = self.tr("Model: {0}, untrained {1}").format(name, arch)
        elif isinstance(acc, (int, float)):
            text = self.tr("Model: {0} ({1}), test accuracy {2:.2%}").format(name, arch, acc)
        else:
            text = self.tr("Model: {0} ({1})").format(name, arch)
        self.model_label.setText(text)
        self.model_label.setToolTip(str(self.model_path) if self.model_path else "")
        if not self.training.is_running():
            self.backend_label.setText(self.tr("Backend: {0}").format(device_name(np)))
            self.backend_label.setToolTip(self.tr("Prediction runs on the CPU with NumPy"))
        if not self._trained and not self.training.is_running():
            self.notice.setText(
                self.tr(
                    "This network has not been trained yet, so its answers are guesses. "
                    "Train it on the right, or open a trained model (File ▸ Open)."
                )
            )
            self.notice.show()
        else:
            self.notice.hide()
        busy = self.training.is_running()
        for a in (self.new_action, self.open_action, self.save_action, self.save_as_action):
            a.setEnabled(not busy)
        self.recent_menu.setEnabled(not busy)
        self.language_menu.setEnabled(not busy)
        self.confusion_view.set_can_evaluate(not busy)

    # -- File menu -----------------------------------------------------------------------
    def maybe_save(self, question: str) -> bool:
        """Ask about unsaved training; False when the user cancels (or saving fails)."""
        if not self._dirty:
            return True
        choice = dialogs.ask_save_changes(self, question)
        if choice is dialogs.SaveChoice.SAVE:
            return self.on_save_triggered()
        return choice is dialogs.SaveChoice.DISCARD

    def on_new_triggered(self) -> None:
        if not self.maybe_save(self.tr("Save the trained model before starting a new one?")):
            return
        s = self.training_panel.settings()
        self._set_model(presets.build(s.arch, dropout=s.dropout), None, trained=False)
        self.training_plot.clear()
        self.training_panel.show_history_note(None, {})
        self.statusBar().showMessage(self.tr("New untrained {0}").format(s.arch), 5000)

    def on_open_triggered(self) -> None:
        start = str(self.model_path.parent) if self.model_path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a model"), start, self._model_filter()
        )
        if path:
            self.open_model(path)

    def open_model(self, path: str | os.PathLike[str]) -> bool:
        """Open a model file (asking first about unsaved training). On any problem an error
        dialog explains it and the model shown before stays loaded."""
        if self.training.is_running():
            return False
        if not self.maybe_save(self.tr("Save the trained model before opening another?")):
            return False
        path = Path(path)
        problem = self._try_load(path)
        if problem is not None:
            self._report_open_error(str(path), problem)
            if not path.exists():
                self.settings.remove_recent_file(path)
                self._update_recent_menu()
            return False
        self._remember_file(path)
        self.statusBar().showMessage(self.tr("Opened {0}").format(path.name), 5000)
        return True

    def on_save_triggered(self) -> bool:
        """Save to the model's file (the shipped default model is never overwritten)."""
        if self.model_path is None or self.model_path == self._default_resolved():
            return self.on_save_as_triggered()
        return self.save_model(self.model_path)

    def on_save_as_triggered(self) -> bool:
        if self.model_path is not None and self.model_path != self._default_resolved():
            suggested = str(self.model_path)
        else:
            arch = self.predictor.model.name or "model"
            suggested = str(Path.home() / f"{arch}.npz")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the model"), suggested, self._model_filter()
        )
        if not path:
            return False
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".npz")
        return self.save_model(target)

    def _model_filter(self) -> str:
        return self.tr("handwrite models (*.npz);;All files (*)")

    def save_model(self, path: str | os.PathLike[str]) -> bool:
        """Write the model to ``path`` (atomically); an error dialog explains any failure."""
        path = Path(path)
        # With the run's optimizer state the file can continue the run later (here or with
        # "handwrite train --resume"); without it, it is a plain model with its curves.
        ckpt = self._checkpoint
        try:
            if ckpt is not None:
                self.predictor.model.save(
                    path, optimizer=ckpt.optimizer, extra_metadata=ckpt.metadata
                )
            else:
                self.predictor.model.save(path)
        except ModelFileError as exc:
            dialogs.show_error(
                self,
                self.tr("The model could not be saved"),
                self.tr(
                    "Saving to “{0}” failed: {1}. Nothing was lost: try another folder."
                ).format(path.name, exc.problem),
                str(exc),
            )
            return False
        self.model_path = path.resolve()
        self._set_dirty(False)
        self._remember_file(path)
        self._update_model_ui()
        self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
        return True

    def _remember_file(self, path: Path) -> None:
        self.settings.add_recent_file(path)
        if path.resolve() != self._default_resolved():
            self.settings.last_model = path.resolve()
        else:
            self.settings.last_model = None
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files
        for i, path in enumerate(files):
            a = menu.addAction(f"&{i + 1} {path.name}")
            a.setToolTip(str(path))
            a.setStatusTip(str(path))
            a.triggered.connect(lambda _checked=False, p=path: self.open_model(p))
        if files:
            menu.addSeparator()
            menu.addAction(self.tr("Clear the list"), self._clear_recent)
        else:
            menu.addAction(self.tr("No recent models")).setEnabled(False)

    def _clear_recent(self) -> None:
        self.settings.recent_files = []
        self._update_recent_menu()

    def on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About handwrite"),
            self.tr(
                "<b>handwrite {0}</b><p>Draw a digit and watch a neural network, written from "
                "scratch in NumPy, recognise it. Train your own network on MNIST and watch it "
                "learn.</p>"
            ).format(handwrite.__version__),
        )

    # -- training ------------------------------------------------------------------------
    def on_start_requested(self, settings: TrainingSettings) -> None:
        """Start training: ask about unsaved training, get the data, then start the thread."""
        if self.training.is_running() or self.training_panel.state != IDLE:
            return
        if not self.maybe_save(self.tr("Training makes a new model. Save the current one?")):
            return
        self.settings.training = settings
        self._training_settings = settings
        self.training_panel.set_state(STARTING)
        self.statusBar().showMessage(self.tr("Getting the MNIST digits…"))
        self.mnist.request()

    def start_training(self, settings: TrainingSettings, data: DataSet) -> None:
        """Start a run on ``data`` now (no questions asked); with ``self._continuing``,
        continue the current model's run instead for ``settings.epochs`` more epochs."""
        continuing, self._continuing = self._continuing, False
        ckpt = self._checkpoint
        self._before_training = (
            self.predictor.model,
            self.model_path,
            self._trained,
            self._dirty,
            ckpt,
        )
        self.confusion_view.set_test_set(data.test_images, data.test_labels)
        if continuing and ckpt is not None:
            config = settings.config(epochs=ckpt.epochs_done + settings.epochs)
            self._resumed_history = history_of(ckpt.metadata)
            # The trainer continues a copy; the window keeps showing (and saving) its own,
            # refreshed by the snapshots.
            self.training.start(config, data, self.predictor.model.copy(), ckpt)
            self._set_checkpoint(None)
        else:
            config = settings.config()
            self._resumed_history = None
            # The GUI's copy: the same architecture the trainer builds; snapshots fill it in.
            fresh = presets.build(config.arch, dropout=config.dropout, seed=config.seed)
            self.training.start(config, data)
            self._set_model(fresh, None, trained=False)
        self.training_panel.set_state(STARTING)

    def on_continue_requested(self, settings: TrainingSettings) -> None:
        """Continue the current run (a checkpoint) for ``settings.epochs`` more epochs."""
        if self.training.is_running() or self.training_panel.state != IDLE:
            return
        if self._checkpoint is None:
            return
        self._continuing = True
        self._training_settings = settings
        self.training_panel.set_state(STARTING)
        self.statusBar().showMessage(self.tr("Getting the MNIST digits…"))
        self.mnist.request()

    def on_checkpoint(self, checkpoint: Checkpoint) -> None:
        """The finished run's state: saving makes a resumable file, Continue goes on."""
        self._set_checkpoint(checkpoint)

    def on_data_loaded(self, data: DataSet) -> None:
        evaluate, self._evaluate_when_loaded = self._evaluate_when_loaded, False
        settings, self._training_settings = self._training_settings, None
        if evaluate and settings is None and not self._close_when_stopped:
            self.start_evaluation(data)
        elif evaluate:
            self.confusion_view.set_busy(False)
        if settings is None or self._close_when_stopped:
            self.training_panel.set_state(IDLE)
            return
        self.statusBar().clearMessage()
        self.start_training(settings, data)

    def on_data_dir_chosen(self, folder: Path) -> None:
        self.settings.data_dir = folder

    def on_data_unavailable(self) -> None:
        self._training_settings = None
        self._continuing = False
        if self._evaluate_when_loaded:
            self._evaluate_when_loaded = False
            self.confusion_view.set_busy(False)
        self.training_panel.set_state(IDLE)
        self.statusBar().showMessage(self.tr("Training needs the MNIST digits."), 8000)

    def on_stop_requested(self) -> None:
        if self.training.is_running():
            self.training_panel.set_state(STOPPING)
            self.training.stop()
        elif self.mnist.is_busy():
            self._training_settings = None  # the data may still arrive: start nothing then
            self.mnist.cancel()

    def on_training_started(self, event: Started) -> None:
        if self._resumed_history is not None:
            # Continuing: the earlier curves first, the new batches and epochs after them.
            self.training_plot.show_history(self._resumed_history)
            self._resumed_history = None
        self.backend_label.setText(self.tr("Backend: {0}").format(event.device_name))
        self.backend_label.setToolTip(
            self.tr("Training runs on {0}; drawing is recognised with {1}").format(
                event.device_name, device_name(np)
            )
        )
        self._update_model_ui()

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.predictor.load_state(snapshot.state)
        self.model_changed.emit(self.predictor.model)

    def on_epoch_done(self, event: EpochDone) -> None:
        self._trained = True

    def on_training_history(self, history: RunHistory) -> None:
        self.predictor.model.metadata["history"] = history.data

    def on_training_finished(self, event: Finished) -> None:
        model = self.predictor.model
        model.metadata["training"] = dict(event.summary)
        before, self._before_training = self._before_training, None
        if event.step == 0 and before is not None:
            self._restore_before(before)
            self.statusBar().showMessage(self.tr("Training stopped before it began."), 8000)
            return
        self._trained = True
        self._set_dirty(True)
        self._update_model_ui()
        acc = event.summary.get("test_accuracy")
        message = self.tr("Training stopped.") if event.stopped else self.tr("Training done.")
        if isinstance(acc, (int, float)):
            # {0}: the sentence before ("Training done."), so that the two read as one text.
            message = self.tr("{0} {1:.2%} of the test digits recognised.").format(message, acc)
        self.statusBar().showMessage(message, 15000)

    def on_training_failed(self, event: Failed) -> None:
        before, self._before_training = self._before_training, None
        if event.step == 0 and before is not None:
            self._restore_before(before)
        else:
            self._trained = True
            self._set_dirty(True)
            self._update_model_ui()
        if event.diverged:
            title = self.tr("Training went wrong")
            text = self.tr(
                "The network stopped learning: its error grew without bound (it diverged). "
                "This usually means the learning rate is too high: try a smaller one, "
                "e.g. a tenth of it. The last good weights are kept."
            )
        else:
            title = self.tr("Training could not run")
            text = self.tr("Training stopped with this problem:\n\n{0}").format(
                event.message.split("\n\n")[0]
            )
        dialogs.show_error(self, title, text, event.message)

    def _restore_before(
        self, before: tuple[Model, Path | None, bool, bool, Checkpoint | None]
    ) -> None:
        model, path, trained, dirty, checkpoint = before
        self._set_model(model, path, trained=trained, dirty=dirty, checkpoint=checkpoint)

    def on_running_changed(self, running: bool) -> None:
        if not running:
            self.training_panel.set_state(IDLE)
            self._update_model_ui()
            if self._close_when_stopped:
                self._close_when_stopped = False
                QTimer.singleShot(0, self.close)
        else:
            self._update_model_ui()

    # -- evaluation on the test set ----------------------------------------------------------
    def on_evaluate_requested(self) -> None:
        """Evaluate the model on show on the MNIST test set (getting the data first)."""
        if self.training.is_running() or self.evaluation.is_running():
            return
        data = self.mnist.data
        self.confusion_view.set_busy(True)
        if data is None:
            self._evaluate_when_loaded = True
            self.statusBar().showMessage(self.tr("Getting the MNIST digits…"))
            self.mnist.request()
        else:
            self.start_evaluation(data)

    def start_evaluation(self, data: DataSet) -> None:
        """Evaluate the model on show on ``data``'s test set in a worker thread."""
        self.statusBar().clearMessage()
        self.confusion_view.set_test_set(data.test_images, data.test_labels)
        self.confusion_view.set_busy(True)
        self._evaluated_model = self.predictor.model
        self.evaluation.start(self.predictor.model, data.test_images, data.test_labels)

    def on_evaluation_cancel_requested(self) -> None:
        self.evaluation.cancel()
        if self._evaluate_when_loaded:
            self._evaluate_when_loaded = False  # the data may still come: evaluate nothing
            self.confusion_view.set_busy(False)

    def on_evaluation_finished(self, evaluation: Evaluation) -> None:
        # Shown only for the model it was computed with (another may have been opened since).
        if self._evaluated_model is self.predictor.model and not self.training.is_running():
            self.confusion_view.show_evaluation(evaluation)

    def on_evaluation_failed(self, message: str) -> None:
        dialogs.show_error(
            self,
            self.tr("The evaluation failed"),
            self.tr("The test digits could not be recognised: {0}").format(
                message.split("\n\n")[0]
            ),
            message,
        )

    def on_evaluation_running_changed(self, running: bool) -> None:
        if not running:
            self._evaluated_model = None
            self.confusion_view.set_busy(False)

    # -- your own handwriting ------------------------------------------------------------
    def install_fine_tuned_model(self, model: Model, note: str) -> None:
        """Show a fine-tuned model (or the one from before, on Undo): unsaved work."""
        self._set_model(model, self.model_path, trained=True, dirty=True)
        self.statusBar().showMessage(note, 10_000)

    def on_fine_tune_started(self, data: DataSet) -> None:
        # The curves and the confusion matrix follow the fine-tuning run like any other.
        self.confusion_view.set_test_set(data.test_images, data.test_labels)
        self.tabs.setCurrentIndex(0)

    def on_personal_sample_added(self, index: int, label: int) -> None:
        self.canvas.clear()

    # -- closing -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop every background thread and wait for them (blocking; at exit)."""
        self.mnist.shutdown()
        self.fine_tune.shutdown()
        self.evaluation.shutdown()
        self.training.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.training.is_running():
            # Stop cooperatively; the window closes when the thread has ended.
            self._close_when_stopped = True
            self.training_panel.set_state(STOPPING)
            self.training.stop()
            self.statusBar().showMessage(self.tr("Stopping the training before closing…"))
            event.ignore()
            return
        if not self.maybe_save(self.tr("Save the trained model before closing?")):
            event.ignore()
            return
        self.save_settings()
        self._training_settings = None  # data arriving late starts nothing
        self._evaluate_when_loaded = False
        self.mnist.shutdown()
        self.fine_tune.shutdown()
        self.evaluation.shutdown()
        event.accept()
