"""The training controls: your network and how it learns, Start / Pause / Stop, and progress.

The panel only asks (``start_requested``, ``continue_requested``, ``pause_requested``,
``resume_requested``, ``stop_requested``) and shows what it is told: the run controller's
state (:meth:`TrainingPanel.set_state`) and the trainer's events (its ``on_<event>`` slots).
Its defaults are the window's Start defaults (:data:`handwrite.trainer.START_CONFIG`, through
:class:`~handwrite.gui.settings.TrainingSettings`); "Defaults" brings them back.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui import formatting
from handwrite.gui.settings import TrainingSettings
from handwrite.gui.training.job import BatchProgress
from handwrite.gui.training.network import OWN, NetworkChoice
from handwrite.gui.training.network_editor import NetworkEditor, describe_preset
from handwrite.gui.training.run_controller import RunState
from handwrite.nn.architectures import ArchitectureError
from handwrite.nn.backend import cupy_available
from handwrite.nn.optim import DEFAULT_LR, OPTIMIZERS
from handwrite.trainer import (
    SCHEDULES,
    SETTING_BOUNDS,
    EpochDone,
    Failed,
    Finished,
    Started,
    TrainConfig,
)

__all__ = ["TrainingPanel", "describe_preset", "optimizer_name", "schedule_name"]

# Names shown in the combo boxes (translated when shown; "SGD" and "Adam" are names).
_OPTIMIZER_NAMES = {
    "sgd": QT_TRANSLATE_NOOP("TrainingPanel", "SGD"),
    "momentum": QT_TRANSLATE_NOOP("TrainingPanel", "Momentum SGD"),
    "adam": QT_TRANSLATE_NOOP("TrainingPanel", "Adam"),
}
_SCHEDULE_NAMES = {
    "constant": QT_TRANSLATE_NOOP("TrainingPanel", "constant"),
    "onecycle": QT_TRANSLATE_NOOP("TrainingPanel", "one-cycle"),
    "cosine": QT_TRANSLATE_NOOP("TrainingPanel", "cosine"),
}


def _translated(names: dict[str, str], key: str) -> str:
    text = names.get(key)
    return key if text is None else QCoreApplication.translate("TrainingPanel", text)


def optimizer_name(name: str) -> str:
    """An optimizer's name as the panel shows it ("Momentum SGD"), in the language shown."""
    return _translated(_OPTIMIZER_NAMES, name)


def schedule_name(name: str) -> str:
    """A learning-rate schedule's name as the panel shows it ("one-cycle")."""
    return _translated(_SCHEDULE_NAMES, name)


class TrainingPanel(QWidget):
    """Settings, buttons and a progress bar for training a network on MNIST.

    The settings are in two pages: ``network_editor`` (:class:`NetworkEditor`: your own
    network) and the learning settings. ``arch_combo`` and ``dropout_spin`` are the
    editor's.
    """

    start_requested = Signal(object)  # TrainingSettings
    continue_requested = Signal(object)  # TrainingSettings: its epochs are the epochs to add
    pause_requested = Signal()
    resume_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_panel")
        self._state = RunState.IDLE
        self._experiment = False
        self._epochs = 0
        self._resumable_epochs: int | None = None
        #: The settings the panel has no control for (kept as they were set), and the last
        #: network that could be built (remembered while the one shown has a problem).
        self._kept = TrainingSettings()
        self._last_network: tuple[str, float | None, dict | None] = (
            self._kept.arch,
            None,
            self._kept.architecture,
        )

        self.network_editor = NetworkEditor()
        self.arch_combo = self.network_editor.arch_combo
        self.dropout_spin = self.network_editor.dropout_spin
        self.network_editor.changed.connect(self._on_network_changed)

        self.optimizer_combo = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer_combo.addItem(_translated(_OPTIMIZER_NAMES, name), name)
        self.optimizer_combo.activated.connect(self._on_optimizer_activated)

        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(5)
        self.lr_spin.setRange(SETTING_BOUNDS["lr"].low, SETTING_BOUNDS["lr"].high)
        self.lr_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_spin.setToolTip(self.tr("How big a step each batch takes (Adam: about 0.001)"))

        self.schedule_combo = QComboBox()
        for name in SCHEDULES:
            self.schedule_combo.addItem(_translated(_SCHEDULE_NAMES, name), name)
        self.schedule_combo.setToolTip(self.tr("How the learning rate changes during the run"))

        self.weight_decay_spin = QDoubleSpinBox()
        self.weight_decay_spin.setDecimals(5)
        decay = SETTING_BOUNDS["weight_decay"]
        self.weight_decay_spin.setRange(decay.low, decay.high)
        self.weight_decay_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.weight_decay_spin.setSpecialValueText(self.tr("none"))
        self.weight_decay_spin.setToolTip(
            self.tr("Pulls every weight a little towards 0 at each step (usually 1e-5 to 1e-3)")
        )

        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(
            SETTING_BOUNDS["batch_size"].low, SETTING_BOUNDS["batch_size"].high
        )
        self.batch_spin.setToolTip(self.tr("Images per step"))

        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(SETTING_BOUNDS["epochs"].low, SETTING_BOUNDS["epochs"].high)
        self.epochs_spin.setToolTip(self.tr("Passes over the training images"))

        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(0, SETTING_BOUNDS["limit"].high)  # 0: all of them
        self.limit_spin.setSingleStep(1000)
        self.limit_spin.setGroupSeparatorShown(True)
        self.limit_spin.setSpecialValueText(self.tr("all 60,000"))
        self.limit_spin.setToolTip(
            self.tr(
                "Train on the first N MNIST images only (a tenth of them is held out for "
                "validation): a quick run on a slow computer"
            )
        )

        self.device_combo = QComboBox()
        self.device_combo.addItem(self.tr("CPU (NumPy)"), "cpu")
        self.device_combo.addItem(self.tr("GPU (CuPy)"), "gpu")
        if not cupy_available():
            item = self.device_combo.model().item(1)  # type: ignore[attr-defined]
            item.setEnabled(False)
            item.setText(self.tr("GPU (needs CuPy and a CUDA device)"))

        self.augment_check = QCheckBox(self.tr("Augment"))
        self.augment_check.setToolTip(
            self.tr("Random small rotations, scalings, shears and shifts of the training images")
        )
        self.elastic_check = QCheckBox(self.tr("Elastic"))
        self.elastic_check.setToolTip(self.tr("Also bend the images a little (elastic distortion)"))
        self.augment_check.toggled.connect(self.elastic_check.setEnabled)
        self.diagnostics_check = QCheckBox(self.tr("Measure each layer"))
        self.diagnostics_check.setToolTip(
            self.tr(
                "While training, measure each layer's gradients, updates, dead units and "
                "weights (the Why it learns tab, and the doctor)"
            )
        )

        negatives = SETTING_BOUNDS["negatives"]
        self.negatives_spin = QDoubleSpinBox()
        self.negatives_spin.setDecimals(2)
        self.negatives_spin.setRange(negatives.low, negatives.high)
        self.negatives_spin.setSingleStep(0.05)
        self.negatives_spin.setSpecialValueText(self.tr("none (never refuses)"))
        self.negatives_spin.setToolTip(
            self.tr(
                "Drawings that are not digits (letters, symbols, scribbles, shapes, cut digits) "
                "added to each batch, per digit: the network learns an 11th answer, “not a "
                "digit”. 0 trains a network that never refuses"
            )
        )
        self.pen_look_spin = QDoubleSpinBox()
        self.pen_look_spin.setDecimals(2)
        self.pen_look_spin.setRange(SETTING_BOUNDS["pen_look"].low, SETTING_BOUNDS["pen_look"].high)
        self.pen_look_spin.setSingleStep(0.05)
        self.pen_look_spin.setSpecialValueText(self.tr("none"))
        self.pen_look_spin.setToolTip(
            self.tr(
                "The share of training digits redrawn as a pen on the canvas draws them "
                "(uniform round strokes), so that drawn digits read better"
            )
        )

        for field in (
            self.negatives_spin,
            self.pen_look_spin,
            self.optimizer_combo,
            self.lr_spin,
            self.schedule_combo,
            self.weight_decay_spin,
            self.batch_spin,
            self.epochs_spin,
            self.limit_spin,
        ):
            field.setMinimumWidth(110)
        checks = QHBoxLayout()
        checks.setContentsMargins(0, 0, 0, 0)
        checks.addWidget(self.augment_check)
        checks.addWidget(self.elastic_check)
        checks.addStretch(1)
        learning = QWidget()
        grid = QGridLayout(learning)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        columns = (
            (
                (self.tr("Optimizer"), self.optimizer_combo),
                (self.tr("Learning rate"), self.lr_spin),
                (self.tr("Schedule"), self.schedule_combo),
                (self.tr("Weight decay"), self.weight_decay_spin),
                (self.tr("Not digits"), self.negatives_spin),
                (None, self.diagnostics_check),
            ),
            (
                (self.tr("Batch size"), self.batch_spin),
                (self.tr("Epochs"), self.epochs_spin),
                (self.tr("Images"), self.limit_spin),
                (self.tr("Device"), self.device_combo),
                (self.tr("Pen look"), self.pen_look_spin),
                (self.tr("Variety"), checks),
            ),
        )
        for c, column in enumerate(columns):
            for r, (text, field) in enumerate(column):
                if text is not None:
                    label = QLabel(text)
                    grid.addWidget(label, r, 2 * c)
                    if isinstance(field, QWidget):
                        label.setBuddy(field)
                if isinstance(field, QWidget):
                    grid.addWidget(field, r, 2 * c + 1)
                else:
                    grid.addLayout(field, r, 2 * c + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.form_tabs = QTabWidget()
        self.form_tabs.setObjectName("training_form")
        self.form_tabs.setDocumentMode(True)
        self.form_tabs.addTab(self.network_editor, self.tr("Network"))
        self.form_tabs.addTab(learning, self.tr("Learning"))
        self.form_tabs.setTabToolTip(
            0, self.tr("Your own network: its layers, activation, loss and dropout")
        )
        self.form_tabs.setTabToolTip(
            1, self.tr("How it learns: the optimizer, the steps, the images")
        )
        self.defaults_button = QPushButton(self.tr("Defaults"))
        self.defaults_button.setObjectName("defaults_button")
        self.defaults_button.setToolTip(
            self.tr(
                "The Start defaults: a small CNN (16 and 32 maps), 4 epochs of Adam on a "
                "one-cycle schedule, augmented images"
            )
        )
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.form_tabs.setCornerWidget(self.defaults_button, Qt.Corner.TopRightCorner)
        self._form = self.form_tabs

        self.start_button = QPushButton(self.tr("Start training"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.clicked.connect(self._on_continue_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.continue_button, 1)
        buttons.addWidget(self.pause_button, 1)
        buttons.addWidget(self.stop_button, 1)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat(self.tr("Not training"))
        self.progress_bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._invitation = self.tr("Train a network on the 60,000 MNIST digits and watch it learn.")
        self.result_label = QLabel(self._invitation)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_tabs)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.result_label)

        self.set_settings(TrainingSettings())
        self._apply_state()

    # -- settings ------------------------------------------------------------------------
    def settings(self) -> TrainingSettings:
        """The choices shown now (while the network shown has a :meth:`problem`, the last
        network that could be built)."""
        limit = self.limit_spin.value()
        arch, dropout, architecture = self._network()
        return dataclasses.replace(
            self._kept,
            arch=arch,
            architecture=architecture,
            dropout=dropout if dropout is not None else TrainingSettings.dropout,
            optimizer=self.optimizer_combo.currentData(),
            lr=float(self.lr_spin.value()),
            batch_size=self.batch_spin.value(),
            epochs=self.epochs_spin.value(),
            augment=self.augment_check.isChecked(),
            elastic=self.elastic_check.isChecked(),
            schedule=self.schedule_combo.currentData(),
            limit=limit if limit > 0 else None,
            device=self.device_combo.currentData(),
            weight_decay=float(self.weight_decay_spin.value()),
            diagnostics=self.diagnostics_check.isChecked(),
            negatives=float(self.negatives_spin.value()),
            pen_look=float(self.pen_look_spin.value()),
        ).checked()

    def _network(self) -> tuple[str, float | None, dict | None]:
        try:
            self._last_network = self.network_editor.choice().settings()
        except ArchitectureError:
            pass
        return self._last_network

    def set_settings(self, s: TrainingSettings) -> None:
        """Show ``s`` (values the panel cannot show fall back to their defaults)."""
        s = s.checked()
        self._kept = s
        if s.arch == OWN and s.architecture is not None:
            choice = NetworkChoice.of(s.architecture)
        else:
            choice = NetworkChoice.preset(s.arch, s.dropout)
        self.network_editor.set_choice(choice)
        _select(self.optimizer_combo, s.optimizer)
        self.lr_spin.setValue(s.lr)
        _select(self.schedule_combo, s.schedule)
        self.weight_decay_spin.setValue(s.weight_decay)
        self.batch_spin.setValue(s.batch_size)
        self.epochs_spin.setValue(s.epochs)
        self.limit_spin.setValue(s.limit or 0)
        device = s.device if s.device == "cpu" or cupy_available() else "cpu"
        _select(self.device_combo, device)
        self.augment_check.setChecked(s.augment)
        self.elastic_check.setChecked(s.elastic)
        self.elastic_check.setEnabled(s.augment)
        self.diagnostics_check.setChecked(s.diagnostics)
        self.negatives_spin.setValue(s.negatives)
        self.pen_look_spin.setValue(s.pen_look)
        self._apply_state()

    def apply_config(self, config: TrainConfig) -> None:
        """Show the settings of ``config`` (a training doctor's fix); what the panel does not
        show stays."""
        self.set_settings(TrainingSettings.from_config(config, like=self.settings()))

    def restore_defaults(self) -> None:
        """Show the Start defaults (the device stays)."""
        device = self.device_combo.currentData()
        self.set_settings(dataclasses.replace(TrainingSettings(), device=device))

    def problem(self) -> str | None:
        """Why Start is refused now (the network cannot be built), or None."""
        return self.network_editor.problem()

    def _on_network_changed(self) -> None:
        self._apply_state()

    def _on_optimizer_activated(self, index: int) -> None:
        self.lr_spin.setValue(DEFAULT_LR[self.optimizer_combo.itemData(index)])

    # -- state ---------------------------------------------------------------------------
    @property
    def state(self) -> RunState:
        """The run controller's state, as shown."""
        return self._state

    def set_state(self, state: RunState, experiment: bool = False) -> None:
        """Show the run controller's ``state`` (an evaluation leaves the panel as idle);
        ``experiment``: what runs is a one-click experiment, not this panel's run."""
        self._state = state
        self._experiment = experiment and state.training
        self._apply_state()

    def _apply_state(self) -> None:
        s = self._state
        busy = s.training
        problem = self.problem()
        self._form.setEnabled(not busy)
        self.start_button.setEnabled(not busy and problem is None)
        self.start_button.setToolTip(
            "" if problem is None else self.tr("The network cannot be built: {0}").format(problem)
        )
        own = not self._experiment
        self.pause_button.setEnabled(own and s in (RunState.RUNNING, RunState.PAUSED))
        self.pause_button.setText(self.tr("Resume") if s is RunState.PAUSED else self.tr("Pause"))
        self.stop_button.setEnabled(
            own and s in (RunState.STARTING, RunState.RUNNING, RunState.PAUSED)
        )
        self.continue_button.setEnabled(not busy and self._resumable_epochs is not None)
        if self._resumable_epochs is None:
            self.continue_button.setToolTip(
                self.tr(
                    "Continues a run where it stopped: train or open a checkpoint (a model "
                    "saved after training here, or by “handwrite train”) first"
                )
            )
        else:
            self.continue_button.setToolTip(
                self.tr(
                    "Continue this run (%n epoch(s) done) for the number of epochs set above, "
                    "with its own settings, weights and optimizer state",
                    "",
                    self._resumable_epochs,
                )
            )
        if self._experiment:
            self.progress_bar.setFormat(self.tr("An experiment is running (Experiments tab)"))
        elif s is RunState.STARTING:
            self.progress_bar.setValue(0)
            self.progress_bar.setFormat(self.tr("Preparing the images…"))
        elif s is RunState.STOPPING:
            self.progress_bar.setFormat(self.tr("Stopping after this batch…"))
        elif s is RunState.PAUSED:
            self.progress_bar.setFormat(self.tr("Paused at %p%"))

    def _on_start_clicked(self) -> None:
        self.start_requested.emit(self.settings())

    def _on_continue_clicked(self) -> None:
        self.continue_requested.emit(self.settings())

    def set_resumable(self, epochs_done: int | None) -> None:
        """Offer Continue for a run that has done ``epochs_done`` epochs (None: no run)."""
        self._resumable_epochs = epochs_done
        self._apply_state()

    def _on_pause_clicked(self) -> None:
        if self._state is RunState.PAUSED:
            self.resume_requested.emit()
        elif self._state is RunState.RUNNING:
            self.pause_requested.emit()

    def show_history_note(self, name: str | None, training: dict[str, object]) -> None:
        """Say whose curves the plots show (``name``: a model file), or the invitation."""
        if name is None:
            self.result_label.setText(self._invitation)
            return
        epochs = training.get("epochs")
        acc = training.get("test_accuracy")
        has_epochs = isinstance(epochs, int) and not isinstance(epochs, bool)
        has_acc = isinstance(acc, (int, float)) and not isinstance(acc, bool)
        if has_epochs and has_acc:
            text = self.tr(
                "The curves show how {0} learned: %n epoch(s), {1:.2%} of the test digits right.",
                "",
                epochs,
            ).format(name, acc)
        elif has_epochs:
            text = self.tr("The curves show how {0} learned: %n epoch(s).", "", epochs).format(name)
        elif has_acc:
            text = self.tr(
                "The curves show how {0} learned: {1:.2%} of the test digits right."
            ).format(name, acc)
        else:
            text = self.tr("The curves show how {0} learned.").format(name)
        self.result_label.setText(text)

    # -- events --------------------------------------------------------------------------
    def on_started(self, event: Started) -> None:
        self._epochs = event.config.epochs
        self.progress_bar.setValue(int(1000 * event.start_step / max(1, event.total_batches)))
        self.progress_bar.setFormat(self.tr("Starting on {0}…").format(event.device_name))
        self.result_label.setText(
            self.tr("Training on {0:,} images, validating on {1:,}, testing on {2:,}.").format(
                event.train_size, event.validation_size, event.test_size
            )
        )

    def on_batch_done(self, progress: BatchProgress) -> None:
        b = progress.last
        self.progress_bar.setValue(int(1000 * b.progress))
        if self._state is RunState.RUNNING:
            self.progress_bar.setFormat(
                self.tr("Epoch {0}/{1} · {2:.0%} · {3:,.0f} images/s · {4} left").format(
                    b.epoch + 1,
                    max(self._epochs, b.epoch + 1),
                    b.progress,
                    b.images_per_second,
                    formatting.duration(b.eta_seconds),
                )
            )

    def on_epoch_done(self, event: EpochDone) -> None:
        val, test = event.validation_accuracy, event.test_accuracy
        if val is not None and test is not None:
            result = self.tr("validation {0:.2%}, test {1:.2%}").format(val, test)
        elif val is not None:
            result = self.tr("validation {0:.2%}").format(val)
        elif test is not None:
            result = self.tr("test {0:.2%}").format(test)
        else:
            result = ""
        self.result_label.setText(
            self.tr("Epoch {0}/{1} took {2}: {3}").format(
                event.epoch + 1, event.epochs, formatting.duration(event.seconds), result
            )
        )

    def on_finished(self, event: Finished) -> None:
        """Show the outcome (the state becomes idle once the run's thread has ended)."""
        acc = event.summary.get("test_accuracy")
        n, took = event.epochs_done, formatting.duration(event.seconds)
        if not isinstance(acc, (int, float)):
            if event.stopped:
                text = self.tr("Stopped after %n epoch(s) in {0}", "", n)
            else:
                text = self.tr("Done after %n epoch(s) in {0}", "", n)
            text = text.format(took)
        else:
            if event.stopped:
                text = self.tr(
                    "Stopped after %n epoch(s) in {0}: {1:.2%} of the test digits right",
                    "",
                    n,
                )
            else:
                text = self.tr(
                    "Done after %n epoch(s) in {0}: {1:.2%} of the test digits right",
                    "",
                    n,
                )
            text = text.format(took, acc)
        self.progress_bar.setFormat(text)
        if not event.stopped:
            self.progress_bar.setValue(1000)

    def on_failed(self, event: Failed) -> None:
        self.progress_bar.setFormat(
            self.tr("Training diverged") if event.diverged else self.tr("Training failed")
        )


def _select(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
