"""Your own handwriting: teach the network your digits, browse them, fine-tune on them.

    predictor.input_changed (the 28x28 image) -> "Teach it": pick the digit, or "not a
        digit" -> add -> PersonalDataset (saved at once) -> PersonalSampleModel
        -> PersonalSamplesView
    on_model_changed -> the current model reads every sample -> accuracy, the misread ones
        (a "not a digit" sample is read right when the model refuses it, a digit's sample
        when the model answers that digit)
    "Fine-tune" -> fine_tune_requested(epochs, lr) -> (the window) FineTuneController
        -> on_compared(FineTuneComparison): the before/after table; Undo -> undo_requested

The panel changes nothing but the personal data set: fine-tuning and undoing are the
controller's (see :mod:`handwrite.gui.personal.fine_tune`); the main window wires the two together.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui import dialogs, formatting
from handwrite.gui.drawing.input_view import NetworkInputView
from handwrite.gui.personal.fine_tune import (
    DEFAULT_EPOCHS,
    DEFAULT_LR,
    FineTuneComparison,
    reads_digits,
)
from handwrite.nn.model import DIGITS, Model
from handwrite.personal import (
    NOT_A_DIGIT_LABEL,
    PersonalData,
    PersonalDataError,
    PersonalDataset,
    default_path,
    set_aside,
)
from handwrite.refusal import NOT_A_DIGIT, REFUSING_CLASSES

if TYPE_CHECKING:
    from handwrite.gui.drawing.predictor import DrawingAnswer

#: Thumbnails: the 28x28 samples at twice their size, pixels kept crisp.
THUMBNAIL = 56
MISTAKE = QColor("#c0392b")
GAIN = QColor("#1e8449")
#: Misread samples named in the summary line (the rest are in the browser).
MISTAKES_LISTED = 8
#: While a run trains, the accuracy on your samples is refreshed at most this often.
TRAINING_REFRESH_MS = 2000

LABEL_ROLE = Qt.ItemDataRole.UserRole + 1  # int: the digit it is labelled as (10: none)
WRONG_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the current model misreads it
#: How the sample list marks a drawing that is not a digit (a label, or an answer).
NOT_A_DIGIT_MARK = "✗"


def label_mark(label: int) -> str:
    """A label or an answer, short, for the sample list: the digit, or
    :data:`NOT_A_DIGIT_MARK` for "not a digit" (the label :data:`NOT_A_DIGIT_LABEL`, the
    answer :data:`handwrite.refusal.NOT_A_DIGIT`)."""
    return NOT_A_DIGIT_MARK if label in (NOT_A_DIGIT_LABEL, NOT_A_DIGIT) else str(label)


def label_name(label: int) -> str:
    """A label or an answer in words: the digit, or "not a digit" in the window's
    language."""
    if label in (NOT_A_DIGIT_LABEL, NOT_A_DIGIT):
        return formatting.class_name(REFUSING_CLASSES[NOT_A_DIGIT_LABEL])
    return str(label)


def wanted_answers(labels: np.ndarray) -> np.ndarray:
    """The answers that read samples of ``labels`` (N,) right: (N,) int64, the digit, or
    :data:`handwrite.refusal.NOT_A_DIGIT` for a sample labelled "not a digit" (the rule of
    :func:`handwrite.personal.read_right`, for answers already computed)."""
    labels = np.asarray(labels).astype(np.int64)
    return np.where(labels == NOT_A_DIGIT_LABEL, NOT_A_DIGIT, labels)


def label_counts(labels: np.ndarray) -> np.ndarray:
    """How many samples of each label: (11,) int64, the ten digits, then "not a digit"."""
    return np.bincount(np.asarray(labels).astype(np.int64), minlength=NOT_A_DIGIT_LABEL + 1)[
        : NOT_A_DIGIT_LABEL + 1
    ]


def ask_delete_samples(parent: QWidget | None, count: int) -> bool:
    """Ask before deleting ``count`` samples (tests replace this function)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("PersonalPanel", "Delete samples"))
    box.setText(
        QCoreApplication.translate("PersonalPanel", "Delete %n of your samples?", "", count)
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "PersonalPanel", "They are removed from your personal set for good."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def open_personal_dataset(
    parent: QWidget | None = None, path: str | os.PathLike[str] | None = None
) -> PersonalDataset:
    """The personal set at ``path`` (default: the user's), always usable.

    A file that cannot be read is never overwritten: it is renamed (``personal.npz`` ->
    ``personal.unreadable-<time>.npz``, a name no other file has: see
    :func:`handwrite.personal.set_aside`), the user is told where it is, and an empty set
    starts.
    If even renaming fails, the samples of this session go to a temporary folder (and the
    message says so).
    """
    try:
        return PersonalDataset(path)
    except PersonalDataError as exc:
        problem = dialogs.error_text(exc)
    target = Path(path) if path is not None else default_path()
    try:
        kept = set_aside(target)
    except OSError:
        fallback = Path(tempfile.mkdtemp(prefix="handwrite-")) / target.name
        dialogs.show_error(
            parent,
            QCoreApplication.translate("PersonalPanel", "Your samples could not be opened"),
            QCoreApplication.translate(
                "PersonalPanel",
                "Your personal samples could not be read, and the file could not be moved "
                "aside either, so it is left as it is. The samples you add now are saved in "
                "a temporary folder, “{0}”, and will not be found there next time.",
            ).format(fallback.parent),
            problem,
        )
        return PersonalDataset(fallback)
    dialogs.show_error(
        parent,
        QCoreApplication.translate("PersonalPanel", "Your samples could not be opened"),
        QCoreApplication.translate(
            "PersonalPanel",
            "Your personal samples could not be read, so a new, empty set is started. "
            "The old file is kept as “{0}”.",
        ).format(kept.name),
        problem,
    )
    return PersonalDataset(target)


def _thumbnail(image: np.ndarray) -> QPixmap:
    """A (28, 28) uint8 sample as a THUMBNAIL-sized pixmap, bright ink on dark like MNIST."""
    grey = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = grey.shape
    qimage = QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(
        qimage.scaled(THUMBNAIL, THUMBNAIL, mode=Qt.TransformationMode.FastTransformation)
    )


class PersonalSampleModel(QAbstractListModel):
    """The personal samples for a list view: a thumbnail and the label (``7 → 1`` in red
    when the current model reads a 7 as a 1; ``✗`` for a drawing that is not a digit, and
    for the answer "not a digit"). Rows are the data set's indices."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data = PersonalData(
            np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8), np.zeros(0)
        )
        self._predicted: np.ndarray | None = None
        self._confidence: np.ndarray | None = None
        self._pixmaps: dict[int, QPixmap] = {}

    def set_samples(self, data: PersonalData) -> None:
        """Show ``data`` (the predictions are cleared until :meth:`set_predictions`)."""
        self.beginResetModel()
        self._data = data
        self._predicted = self._confidence = None
        self._pixmaps.clear()
        self.endResetModel()

    def set_predictions(self, predicted: np.ndarray | None, confidence: np.ndarray | None) -> None:
        """The model's answer for each sample, (N,) int (the digit, or
        :data:`handwrite.refusal.NOT_A_DIGIT` where it refuses), and the probability of its
        best guess, (N,) float."""
        self._predicted = None if predicted is None else np.asarray(predicted)
        self._confidence = None if confidence is None else np.asarray(confidence)
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def samples(self) -> PersonalData:
        return self._data

    def is_wrong(self, row: int) -> bool:
        p = self._predicted
        return p is not None and int(p[row]) != int(wanted_answers(self._data.labels[row]))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._data)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._data):
            return None
        row = index.row()
        label = int(self._data.labels[row])
        wrong = self.is_wrong(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if wrong:
                assert self._predicted is not None
                return f"{label_mark(label)} → {label_mark(int(self._predicted[row]))}"
            return label_mark(label)
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._pixmaps.get(row)
            if pixmap is None:
                pixmap = self._pixmaps[row] = _thumbnail(self._data.images[row])
            return pixmap
        if role == Qt.ItemDataRole.ForegroundRole:
            return MISTAKE if wrong else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, label)
        if role == LABEL_ROLE:
            return label
        if role == WRONG_ROLE:
            return wrong
        return None

    def _tooltip(self, row: int, label: int) -> str:
        when = _dt.datetime.fromtimestamp(float(self._data.timestamps[row])).strftime(
            "%Y-%m-%d %H:%M"
        )
        if label == NOT_A_DIGIT_LABEL:
            text = QCoreApplication.translate(
                "PersonalPanel", "Sample {0}: not a digit, added {1}"
            ).format(row + 1, when)
        else:
            text = QCoreApplication.translate(
                "PersonalPanel", "Sample {0}: a {1}, added {2}"
            ).format(row + 1, label, when)
        if self._predicted is not None and self._confidence is not None:
            answer, confidence = int(self._predicted[row]), float(self._confidence[row])
            if answer == NOT_A_DIGIT:
                text += "\n" + QCoreApplication.translate(
                    "PersonalPanel", "The network says it is not a digit"
                )
            else:
                text += "\n" + QCoreApplication.translate(
                    "PersonalPanel", "The network reads it as {0} ({1:.0%})"
                ).format(answer, confidence)
        return text


class _MistakeFilter(QSortFilterProxyModel):
    """All samples, or only the ones the model misreads."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mistakes_only = False

    def set_mistakes_only(self, on: bool) -> None:
        self._refilter(on)

    def refilter(self) -> None:
        """Filter again (the model's answers have changed), when only mistakes are shown."""
        if self._mistakes_only:
            self._refilter(True)

    def _refilter(self, on: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateFilter is deprecated
            self.beginFilterChange()
            self._mistakes_only = on
            self.endFilterChange()
        else:
            self._mistakes_only = on
            self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._mistakes_only:
            return True
        return bool(self.sourceModel().index(source_row, 0, source_parent).data(WRONG_ROLE))


class PersonalSamplesView(QListView):
    """A grid of sample thumbnails with their labels; Delete or Backspace asks to delete
    the selected ones (``delete_requested``)."""

    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personal_samples")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.setGridSize(QSize(THUMBNAIL + 14, THUMBNAIL + 26))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)
        self.setMinimumHeight(THUMBNAIL + 40)

    def sizeHint(self) -> QSize:
        # A row and a half of six: the panel's layout gives it any room there is beyond.
        grid, frame = self.gridSize(), 2 * self.frameWidth()
        return QSize(6 * grid.width() + frame + 16, 3 * grid.height() // 2 + frame)

    def event(self, event: QEvent) -> bool:
        # Take Delete before the window's shortcuts do (it also clears the drawing there).
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PersonalPanel(QWidget):
    """Your own handwriting: add the drawing as a sample, browse and delete samples, see how
    well the network reads them, and ask for fine-tuning.

    Args:
        dataset: the personal set; the panel adds to it and deletes from it.
        model_provider: returns the model the window predicts with (read on the GUI thread).

    Signals (requests and news; the window decides):

    - ``sample_added(int, int)``: the index and the label of a sample just saved;
    - ``samples_deleted(int)``: how many samples were just deleted;
    - ``fine_tune_requested(int, float)``: epochs and learning rate;
    - ``undo_requested()``: put back the model from before fine-tuning.

    Slots: ``on_input_changed`` and ``on_answer_changed`` (from the predictor; or
    ``on_prediction_changed`` with the probabilities of a model that never refuses),
    ``on_model_changed`` (weights or model replaced), ``on_training_running_changed``, and
    the fine-tuning controller's ``on_fine_tune_started``, ``on_fine_tune_running_changed``,
    ``on_compared``, ``on_fine_tune_failed``, ``on_undone``, ``on_undo_available``.
    """

    sample_added = Signal(int, int)
    samples_deleted = Signal(int)
    fine_tune_requested = Signal(int, float)
    undo_requested = Signal()

    def __init__(
        self,
        dataset: PersonalDataset,
        model_provider: Callable[[], Model],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("personal_panel")
        self._dataset = dataset
        self._model_provider = model_provider
        self._image: np.ndarray | None = None
        self._probabilities: np.ndarray | None = None
        self._refused = False
        self._picked_by_user = False
        self._added_this_drawing = False
        self._training_running = False
        self._fine_tune_running = False
        self._accuracy: float | None = None
        self._wrong = np.zeros(0, np.int64)
        self._stale = True

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh_accuracy)
        self._confirmation_timer = QTimer(self)
        self._confirmation_timer.setSingleShot(True)
        self._confirmation_timer.setInterval(8000)
        self._confirmation_timer.timeout.connect(lambda: self.confirmation_label.clear())

        content = QWidget()
        content.setObjectName("personal_content")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        teach, samples, fine_tune = (
            self._build_teach(),
            self._build_samples(),
            self._build_fine_tune(),
        )
        for box in (teach, fine_tune):  # the sample browser takes the spare height
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(teach)
        layout.addWidget(samples, 1)
        layout.addWidget(fine_tune)
        # On a small screen the whole panel scrolls; otherwise the sample browser grows.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

        self._reload_samples()
        self._update_teach()
        self._update_fine_tune_buttons()

    # -- construction --------------------------------------------------------------------
    def _build_teach(self) -> QGroupBox:
        box = QGroupBox(self.tr("Teach it your handwriting"))
        self.preview = NetworkInputView()
        self.preview.setFixedSize(76, 76)
        self.prompt_label = QLabel()
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setTextFormat(Qt.TextFormat.RichText)

        self.digit_group = QButtonGroup(self)
        self.digit_group.setExclusive(True)
        digits = QHBoxLayout()
        digits.setSpacing(3)
        bold = QFont(self.font())
        bold.setBold(True)
        self.digit_buttons: list[QToolButton] = []
        for d, name in enumerate(DIGITS):
            button = QToolButton()
            button.setText(name)
            button.setObjectName(f"digit_{d}")
            button.setCheckable(True)
            button.setFont(bold)
            button.setFixedSize(30, 30)
            button.setToolTip(self.tr("The digit you drew is a {0}").format(name))
            self.digit_group.addButton(button, d)
            self.digit_buttons.append(button)
            digits.addWidget(button)
        self.not_a_digit_button = QToolButton()
        self.not_a_digit_button.setText(self.tr("Not a digit"))
        self.not_a_digit_button.setObjectName("not_a_digit")
        self.not_a_digit_button.setCheckable(True)
        self.not_a_digit_button.setFixedHeight(30)
        self.not_a_digit_button.setToolTip(
            self.tr(
                "What you drew is no digit (a letter, a sign, a scribble): the network should "
                "answer “not a digit”"
            )
        )
        self.digit_group.addButton(self.not_a_digit_button, NOT_A_DIGIT_LABEL)
        digits.addSpacing(4)
        digits.addWidget(self.not_a_digit_button)
        digits.addStretch(1)
        self.digit_group.idClicked.connect(self._on_digit_clicked)

        self.add_button = QPushButton()
        self.add_button.setObjectName("add_sample")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.confirmation_label = QLabel()
        self.confirmation_label.setObjectName("confirmation")
        self.confirmation_label.setStyleSheet(f"QLabel#confirmation {{ color: {GAIN.name()}; }}")
        self.confirmation_label.setWordWrap(True)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.confirmation_label, 1)

        right = QVBoxLayout()
        right.addWidget(self.prompt_label)
        right.addLayout(digits)
        right.addLayout(add_row)
        right.addStretch(1)
        row = QHBoxLayout(box)
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(right, 1)
        return box

    def _build_samples(self) -> QGroupBox:
        box = QGroupBox(self.tr("Your samples and how well it reads them"))
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("personal_accuracy")
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.15)
        self.accuracy_label.setFont(big)
        self.accuracy_label.setToolTip(
            self.tr(
                "How many of your samples the current network reads as you meant: the digit "
                "you wrote, or “not a digit”"
            )
        )
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.mistakes_label = QLabel()
        self.mistakes_label.setWordWrap(True)

        self.sample_model = PersonalSampleModel(self)
        self.sample_filter = _MistakeFilter(self)
        self.sample_filter.setSourceModel(self.sample_model)
        self.sample_view = PersonalSamplesView()
        self.sample_view.setModel(self.sample_filter)
        self.sample_view.delete_requested.connect(self.delete_selected)
        self.sample_view.selectionModel().selectionChanged.connect(self._update_delete_button)

        self.mistakes_only_check = QCheckBox(self.tr("Only the ones it gets wrong"))
        self.mistakes_only_check.toggled.connect(self.sample_filter.set_mistakes_only)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setToolTip(self.tr("Delete the selected samples (Delete key)"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mistakes_only_check)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(box)
        layout.addWidget(self.accuracy_label)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.mistakes_label)
        layout.addWidget(self.sample_view, 1)
        layout.addLayout(buttons)
        return box

    def _build_fine_tune(self) -> QGroupBox:
        box = QGroupBox(self.tr("Fine-tune on my handwriting"))
        explanation = self.tr(
            "Fine-tuning trains the current network a little more, starting from the weights "
            "it has. Each step moves every weight downhill on the error E: "
            "w(t+1) = w(t) − η∇E, with a small learning rate η so that it adjusts rather than "
            "relearns. Your samples are mixed with MNIST digits: trained on your few samples "
            "alone, a network soon forgets what it knew (catastrophic forgetting)."
        )
        self.info_label = QLabel(
            self.tr(
                "Trains the network a little more on your samples, mixed with MNIST so that "
                "it does not forget the rest: w(t+1) = w(t) − η∇E, with a small η."
            )
        )
        self.info_label.setObjectName("fine_tune_info")
        self.info_label.setWordWrap(True)
        self.info_label.setToolTip(explanation)
        self.info_label.setStyleSheet("QLabel#fine_tune_info { color: #5b6270; }")

        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 20)
        self.epochs_spin.setValue(DEFAULT_EPOCHS)
        self.epochs_spin.setToolTip(self.tr("Passes over your samples and the MNIST digits"))
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(5)
        self.lr_spin.setRange(0.00001, 0.01)
        self.lr_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_spin.setValue(DEFAULT_LR)
        self.lr_spin.setToolTip(
            self.tr("η, the step size of Adam; small, so that the network is only adjusted")
        )
        self.fine_tune_button = QPushButton(self.tr("Fine-tune on my handwriting"))
        self.fine_tune_button.setObjectName("fine_tune")
        self.fine_tune_button.setToolTip(explanation)
        self.fine_tune_button.clicked.connect(self._on_fine_tune_clicked)
        self.undo_button = QPushButton(self.tr("Undo fine-tuning"))
        self.undo_button.setObjectName("undo_fine_tune")
        self.undo_button.setToolTip(self.tr("Go back to the network from before fine-tuning"))
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_requested)

        settings = QHBoxLayout()
        settings.addWidget(QLabel(self.tr("Epochs")))
        settings.addWidget(self.epochs_spin)
        settings.addSpacing(12)
        settings.addWidget(QLabel(self.tr("Learning rate η")))
        settings.addWidget(self.lr_spin)
        settings.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fine_tune_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)

        self.status_label = QLabel()
        self.status_label.setObjectName("fine_tune_status")
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        self.comparison_table = QTableWidget(2, 3)
        self.comparison_table.setObjectName("comparison")
        self.comparison_table.setHorizontalHeaderLabels(
            [self.tr("Before"), self.tr("After"), self.tr("Change")]
        )
        self.comparison_table.setVerticalHeaderLabels(
            [self.tr("Your handwriting"), self.tr("MNIST test digits")]
        )
        self.comparison_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.comparison_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.comparison_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        self.comparison_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.comparison_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.comparison_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.comparison_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.comparison_table.hide()

        layout = QVBoxLayout(box)
        layout.addWidget(self.info_label)
        layout.addLayout(settings)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.comparison_table)
        layout.addStretch(1)  # any spare height below, not between the rows
        return box

    # -- what is shown ---------------------------------------------------------------------
    @property
    def dataset(self) -> PersonalDataset:
        return self._dataset

    def selected_digit(self) -> int | None:
        """The label picked for the drawing (preselected: the network's answer): a digit,
        or :data:`handwrite.personal.NOT_A_DIGIT_LABEL` for "not a digit"."""
        d = self.digit_group.checkedId()
        return d if d >= 0 else None

    def accuracy(self) -> float | None:
        """The current model's accuracy on the personal set (None: no samples or no model
        that reads digits); brought up to date first if the model has changed."""
        if self._stale or self._refresh_timer.isActive():
            self.refresh_accuracy()
        return self._accuracy

    def wrong_indices(self) -> np.ndarray:
        """Indices (into the personal set) of the samples the current model misreads."""
        if self._stale or self._refresh_timer.isActive():
            self.refresh_accuracy()
        return self._wrong.copy()

    def visible_sample_count(self) -> int:
        """Thumbnails shown in the browser (after the "only wrong" filter)."""
        return self.sample_filter.rowCount()

    # -- slots: the drawing ----------------------------------------------------------------
    def on_input_changed(self, image: np.ndarray | None) -> None:
        """The drawing as the network sees it: (28, 28) float32 in [0, 1], or None."""
        if image is None:
            self._image = None
            self._picked_by_user = False
            self._added_this_drawing = False
        else:
            image = np.array(image, dtype=np.float32)
            # The same drawing comes again when the model changes: it was added already.
            if self._image is None or not np.array_equal(image, self._image):
                self._added_this_drawing = False
            self._image = image
        self.preview.set_image(self._image)
        self._update_teach()

    def on_prediction_changed(self, probabilities: np.ndarray | None) -> None:
        """The (10,) probabilities of a model that never refuses, for the drawing; its
        answer is preselected unless a label has been picked by hand for this drawing."""
        self._show_answer(probabilities, refused=False)

    def on_answer_changed(self, answer: DrawingAnswer | None) -> None:
        """The network's answer for the drawing (its (10,) probabilities, and whether it
        refuses it): preselected, "not a digit" for a refused drawing, unless a label has
        been picked by hand for this drawing."""
        if answer is None:
            self._show_answer(None, refused=False)
        else:
            self._show_answer(answer.probabilities, refused=answer.refused)

    def _show_answer(self, probabilities: np.ndarray | None, refused: bool) -> None:
        self._probabilities = None if probabilities is None else np.asarray(probabilities)
        self._refused = refused and probabilities is not None
        p = self._probabilities
        if p is not None and p.shape == (10,) and not self._picked_by_user:
            if self._refused:
                self.not_a_digit_button.setChecked(True)
            else:
                self.digit_buttons[int(p.argmax())].setChecked(True)
        self._update_teach()

    # -- slots: the model ------------------------------------------------------------------
    def on_model_changed(self, *_args: Any) -> None:
        """The model's weights changed or it was replaced (a snapshot may be passed and is
        ignored): measure again, soon (at most every few seconds while training), and only
        when the panel is visible."""
        self._stale = True
        if not self.isVisible():
            return
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(TRAINING_REFRESH_MS if self._training_running else 0)

    def on_training_running_changed(self, running: bool) -> None:
        self._training_running = running
        self._update_fine_tune_buttons()
        if not running:
            self.on_model_changed()

    def refresh_accuracy(self) -> None:
        """Let the current model read every sample now, and show how well it did."""
        self._refresh_timer.stop()
        self._stale = False
        data = self.sample_model.samples()
        model = self._model_provider()
        if len(data) == 0 or not reads_digits(model):
            self._accuracy = None
            self._wrong = np.zeros(0, np.int64)
            self.sample_model.set_predictions(None, None)
        else:
            # One pass: the answers, "not a digit" (-1) where the model refuses.
            answer = model.answer(data.images)
            predicted = answer.digit
            right = predicted == wanted_answers(data.labels)
            self._accuracy = float(right.mean())
            self._wrong = np.flatnonzero(~right)
            self.sample_model.set_predictions(predicted, answer.probabilities.max(axis=1))
            self.sample_filter.refilter()
        self._show_accuracy(model)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_timer.start(0)

    # -- slots: fine-tuning ------------------------------------------------------------------
    def on_fine_tune_started(self, *_args: Any) -> None:
        """A fine-tuning run has started (the data set it trains on may be passed)."""
        self._set_status(
            self.tr(
                "Fine-tuning for %n epochs… The live curves are on the Training tab, "
                "where it can also be stopped.",
                "",
                self.epochs_spin.value(),
            )
        )

    def on_fine_tune_running_changed(self, running: bool) -> None:
        self._fine_tune_running = running
        self._update_fine_tune_buttons()

    def on_compared(self, comparison: FineTuneComparison) -> None:
        """Show the accuracies before and after fine-tuning."""
        c = comparison
        rows = (
            (c.personal_before, c.personal_after),
            (c.mnist_before, c.mnist_after),
        )
        table = self.comparison_table
        table.setVerticalHeaderLabels(
            [
                self.tr("Your handwriting ({0})").format(c.personal_samples),
                self.tr("MNIST test digits ({0:,})").format(c.mnist_test_images),
            ]
        )
        for r, (before, after) in enumerate(rows):
            change = after - before
            texts = (
                formatting.percent(before),
                formatting.percent(after),
                formatting.points(change),
            )
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if col == 2 and math.isfinite(change) and abs(change) >= 0.0005:
                    item.setForeground(GAIN if change > 0 else MISTAKE)
                table.setItem(r, col, item)
        table.show()
        table.setFixedHeight(
            table.horizontalHeader().height()
            + sum(table.rowHeight(r) for r in range(table.rowCount()))
            + 2 * table.frameWidth()
        )
        if c.stopped:
            text = self.tr("Fine-tuning stopped after {0} of its epochs.").format(c.epochs_done)
        else:
            text = self.tr("Fine-tuning done (%n epochs).", "", c.epochs_done)
        self._set_status(text)
        self.on_model_changed()

    def on_fine_tune_failed(self, message: str) -> None:
        self._set_status(message, warning=True)

    def on_undone(self) -> None:
        self._set_status(self.tr("Fine-tuning undone: the network is as it was before."))
        self.comparison_table.hide()
        self.on_model_changed()

    def on_undo_available(self, available: bool) -> None:
        self.undo_button.setEnabled(available)

    # -- actions -------------------------------------------------------------------------
    def add_sample(self, label: int | None = None) -> int | None:
        """Save the current drawing as a sample of ``label`` (default: the digit picked).
        Returns its index, or None when nothing was saved (an error dialog says why; the
        drawing and the choice stay, so nothing is lost)."""
        if label is None:
            label = self.selected_digit()
        if self._image is None or label is None:
            return None
        try:
            index = self._dataset.add(self._image, int(label))
        except (PersonalDataError, ValueError) as exc:
            dialogs.show_error(
                self,
                self.tr("The sample could not be saved"),
                self.tr(
                    "Your drawing could not be added to your samples. Nothing was lost: the "
                    "drawing is still there, so you can try again."
                ),
                dialogs.error_text(exc),
            )
            return None
        self._added_this_drawing = True
        self._reload_samples()
        counts = label_counts(self._dataset.data.labels)
        if label == NOT_A_DIGIT_LABEL:
            text = self.tr(
                "Added as not a digit. You have %n samples now ({0} of them not digits).",
                "",
                len(self._dataset),
            ).format(int(counts[label]))
        else:
            text = self.tr(
                "Added as a {0}. You have %n samples now ({1} of them {0}s).",
                "",
                len(self._dataset),
            ).format(label, int(counts[label]))
        self.confirmation_label.setText(text)
        self._confirmation_timer.start()
        self._update_teach()
        self.sample_view.scrollToBottom()
        self.sample_added.emit(index, int(label))
        return index

    def delete_selected(self) -> int:
        """Delete the selected samples, after asking; returns how many were deleted."""
        rows = sorted(
            self.sample_filter.mapToSource(index).row()
            for index in self.sample_view.selectionModel().selectedIndexes()
        )
        if not rows or not ask_delete_samples(self, len(rows)):
            return 0
        try:
            self._dataset.delete(rows)
        except PersonalDataError as exc:
            dialogs.show_error(
                self,
                self.tr("The samples could not be deleted"),
                self.tr("Your samples were left as they were."),
                dialogs.error_text(exc),
            )
            return 0
        self._reload_samples()
        self.confirmation_label.setText(self.tr("Deleted %n sample(s).", "", len(rows)))
        self._confirmation_timer.start()
        self.samples_deleted.emit(len(rows))
        return len(rows)

    def _on_digit_clicked(self, digit: int) -> None:
        self._picked_by_user = True
        self._update_teach()

    def _on_add_clicked(self) -> None:
        self.add_sample()

    def _on_fine_tune_clicked(self) -> None:
        self.fine_tune_requested.emit(self.epochs_spin.value(), self.lr_spin.value())

    # -- updates ---------------------------------------------------------------------------
    def _reload_samples(self) -> None:
        self.sample_model.set_samples(self._dataset.data)
        self._stale = True
        self.refresh_accuracy()
        self._update_delete_button()
        self._update_fine_tune_buttons()

    def _update_teach(self) -> None:
        digit = self.selected_digit()
        p = self._probabilities
        if self._image is None:
            self.prompt_label.setText(
                self.tr(
                    "Draw a digit on the left. Whether the network reads it right or wrong, "
                    "tell it which digit you meant and add it to your samples."
                )
            )
        elif p is not None and p.shape == (10,) and self._refused:
            self.prompt_label.setText(
                self.tr(
                    "It reads this as <b>not a digit</b> (maybe {0}, {1:.0%}). Which digit did "
                    "you write, if any?"
                ).format(int(p.argmax()), float(p.max()))
            )
        elif p is not None and p.shape == (10,):
            self.prompt_label.setText(
                self.tr("It reads this as <b>{0}</b> ({1:.0%}). Which digit did you write?").format(
                    int(p.argmax()), float(p.max())
                )
            )
        else:
            self.prompt_label.setText(self.tr("Which digit did you write?"))
        shown = label_name(digit) if digit is not None else "…"
        self.add_button.setText(self.tr("Add as “{0}”").format(shown))
        self.add_button.setEnabled(
            self._image is not None and digit is not None and not self._added_this_drawing
        )
        if self._added_this_drawing:
            self.add_button.setToolTip(self.tr("Added. Draw another digit to add more."))
        else:
            self.add_button.setToolTip(self.tr("Save this drawing, labelled, to your samples"))

    def _update_delete_button(self, *_args: Any) -> None:
        self.delete_button.setEnabled(self.sample_view.selectionModel().hasSelection())

    def _update_fine_tune_buttons(self) -> None:
        busy = self._training_running or self._fine_tune_running
        has_samples = len(self._dataset) > 0
        self.fine_tune_button.setEnabled(has_samples and not busy)
        self.epochs_spin.setEnabled(not busy)
        self.lr_spin.setEnabled(not busy)
        if not has_samples:
            self.fine_tune_button.setToolTip(self.tr("Add some of your own digits first"))
        elif busy:
            self.fine_tune_button.setToolTip(self.tr("Wait until the training run ends"))
        else:
            self.fine_tune_button.setToolTip(self.info_label.toolTip())

    def _show_accuracy(self, model: Model) -> None:
        data = self.sample_model.samples()
        n = len(data)
        if n == 0:
            self.accuracy_label.setText(self.tr("No samples yet"))
        elif self._accuracy is None:
            self.accuracy_label.setText(self.tr("This network does not read the ten digits"))
        else:
            self.accuracy_label.setText(
                self.tr("Accuracy on your handwriting: {0} ({1} of {2})").format(
                    formatting.percent(self._accuracy), n - len(self._wrong), n
                )
            )
        self.counts_label.setText(self._counts_html(data))
        self.counts_label.setVisible(n > 0)
        if n and len(self._wrong):
            predicted = [
                self.sample_model.index(int(i)).data(Qt.ItemDataRole.DisplayRole)
                for i in self._wrong[:MISTAKES_LISTED]
            ]
            more = len(self._wrong) - MISTAKES_LISTED
            if more > 0:
                text = self.tr("It misreads: {0} and %n more", "", more).format(
                    ", ".join(predicted)
                )
            else:
                text = self.tr("It misreads: {0}").format(", ".join(predicted))
            self.mistakes_label.setText(text)
        elif n and self._accuracy is not None:
            self.mistakes_label.setText(self.tr("It reads every one of them right."))
        else:
            self.mistakes_label.clear()
        self.mistakes_label.setVisible(bool(self.mistakes_label.text()))

    def _counts_html(self, data: PersonalData) -> str:
        """The samples of each digit, and of "not a digit" when there are any, and how
        many of each the model reads right."""
        counts = label_counts(data.labels)
        labels = data.labels.astype(np.int64)
        right = counts.copy()
        if self._accuracy is not None and len(self._wrong):
            np.subtract.at(right, labels[self._wrong], 1)
        columns = list(range(len(DIGITS)))
        names = [f"<b>{name}</b>" for name in DIGITS]
        if counts[NOT_A_DIGIT_LABEL]:
            columns.append(NOT_A_DIGIT_LABEL)
            names.append(f'<b title="{label_name(NOT_A_DIGIT_LABEL)}">{NOT_A_DIGIT_MARK}</b>')
        cell = '<td align="center" style="padding: 0 5px">{0}</td>'
        head = cell.format(self.tr("digit")) + "".join(cell.format(name) for name in names)
        have = cell.format(self.tr("samples")) + "".join(
            cell.format(int(counts[d])) for d in columns
        )
        rows = [head, have]
        if self._accuracy is not None:
            read = cell.format(self.tr("read right")) + "".join(
                cell.format(
                    "–"
                    if counts[d] == 0
                    else (
                        f'<span style="color:{MISTAKE.name()}">{int(right[d])}</span>'
                        if right[d] < counts[d]
                        else str(int(right[d]))
                    )
                )
                for d in columns
            )
            rows.append(read)
        return "<table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"

    def _set_status(self, text: str, warning: bool = False) -> None:
        color = MISTAKE.name() if warning else "palette(text)"
        self.status_label.setStyleSheet(f"QLabel#fine_tune_status {{ color: {color}; }}")
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
