"""The test set's confusion matrix, per-class accuracy, the digits behind each cell, and how
far the probabilities can be trusted.

    EpochDone (test probabilities, while training) or an Evaluation (the model on show,
    evaluated on demand in a worker thread) -> ConfusionView.show_probabilities
        -> a 10x10 table of counts (rows: the true digit, columns: the answer, the best
           guess also for a digit the model refuses) with each class's accuracy -> click a
           cell -> its test digits as thumbnails with their top-2 probabilities
        -> the reliability diagram, the expected calibration error and, for a model that
           refuses, the share of test digits it refuses (ReliabilityView)

The view only asks for an evaluation (``evaluate_requested``); the run controller gets the
data and runs it (see :mod:`handwrite.gui.training.run_controller`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from handwrite.evaluation import Evaluation, evaluation_from_probabilities
from handwrite.gui import explanations, formatting
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.mosaic import ink
from handwrite.gui.inspect.reliability_view import ReliabilityView
from handwrite.nn.model import DIGITS
from handwrite.trainer import EpochDone

#: At most this many digits of a cell are listed.
MAX_LISTED = 200
THUMB = 56

RIGHT = QColor("#2f6fd6")
WRONG = QColor("#d9480f")
PLAIN = QColor("#ffffff")
SECOND = QColor("#9aa9c2")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class _CellDelegate(QStyledItemDelegate):
    """Draws a selected cell with its own colour and a dark frame (the style's selection
    colour would hide what the cell says)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[operator]
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected  # type: ignore[operator]
        plain.state &= ~QStyle.StateFlag.State_HasFocus  # type: ignore[operator]
        super().paint(painter, plain, index)
        if selected:
            painter.save()
            painter.setPen(QPen(QColor("#1f2430"), 3))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))  # type: ignore[attr-defined]
            painter.restore()


@dataclass(frozen=True)
class Refused:
    """What a model that refuses did on the test digits: the share it answered "not a
    digit" for, and its accuracy among the others."""

    rate: float
    accepted_accuracy: float


@dataclass(frozen=True)
class ConfusionState:
    """The test digits (images (N, 28, 28) uint8, labels (N,) int64), the results shown for
    them, the cell whose digits are listed, the refusal figures, and the page shown below
    the table."""

    test_set: tuple[np.ndarray, np.ndarray] | None
    evaluation: Evaluation | None
    cell: tuple[int, int] | None
    refused: Refused | None = None
    page: int = 0


def cell_indices(labels: np.ndarray, predicted: np.ndarray, true: int, answer: int) -> np.ndarray:
    """Indices of the test digits of class ``true`` read as ``answer``: (M,) int64."""
    return np.flatnonzero((labels == true) & (predicted == answer))


class ConfusionView(QWidget):
    """The confusion matrix of the test set and the digits behind each cell.

    Call :meth:`set_test_set` with the test images and labels before showing results.
    Signals: ``evaluate_requested()``, ``cancel_requested()``, ``cell_selected(true,
    answer)``.
    """

    evaluate_requested = Signal()
    cancel_requested = Signal()
    cell_selected = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusion_view")
        self._images: np.ndarray | None = None
        self._labels: np.ndarray | None = None
        self._classes: tuple[str, ...] = DIGITS
        self._evaluation: Evaluation | None = None
        self._predicted: np.ndarray | None = None
        self._cell: tuple[int, int] | None = None
        self._listed: np.ndarray = np.zeros(0, np.int64)
        self._refuses = False
        self._refused: Refused | None = None

        self.help = explanations.help_button(explanations.confusion(), self)
        head = heading_row(self.tr("Test results"), self.help)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.evaluate_button = QPushButton(self.tr("Evaluate on the test set"))
        self.evaluate_button.setToolTip(
            self.tr("Recognise the 10,000 MNIST test digits with the model on show")
        )
        self.evaluate_button.clicked.connect(self.evaluate_requested)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat(self.tr("Evaluating… %p%"))
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.evaluate_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addStretch(0)

        self.axes = QLabel(self.tr("Rows: the true digit · columns: the network's answer"))
        self.axes.setObjectName("caption")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.verticalHeader().setHighlightSections(False)
        self.table.setMinimumHeight(250)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table.setItemDelegate(_CellDelegate(self.table))
        self.table.cellClicked.connect(self._on_cell_clicked)
        self.table.cellActivated.connect(self._on_cell_clicked)

        self.cell_caption = QLabel()
        self.cell_caption.setWordWrap(True)
        self.digits = QListWidget()
        self.digits.setViewMode(QListView.ViewMode.IconMode)
        self.digits.setIconSize(QSize(THUMB, THUMB + 12))
        self.digits.setResizeMode(QListView.ResizeMode.Adjust)
        self.digits.setMovement(QListView.Movement.Static)
        self.digits.setUniformItemSizes(True)
        self.digits.setSpacing(2)
        self.digits.setWordWrap(True)
        lines = 2 * self.fontMetrics().lineSpacing()
        self.digits.setGridSize(QSize(THUMB + 18, THUMB + 12 + lines + 10))
        self.digits.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.digits.setMinimumHeight(120)
        cell_page = QWidget()
        cell_layout = QVBoxLayout(cell_page)
        cell_layout.setContentsMargins(2, 2, 2, 2)
        cell_layout.addWidget(self.cell_caption)
        cell_layout.addWidget(self.digits, 1)

        self.reliability_view = ReliabilityView()
        reliability_page = QWidget()
        reliability_layout = QVBoxLayout(reliability_page)
        reliability_layout.setContentsMargins(4, 4, 4, 4)
        reliability_layout.addWidget(self.reliability_view)
        self.pages = QTabWidget()
        self.pages.setObjectName("results_pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(cell_page, self.tr("Digits of the cell"))
        self.pages.addTab(reliability_page, self.tr("How sure, how right"))
        self.pages.setTabToolTip(
            1, self.tr("The reliability diagram and the expected calibration error")
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        layout.addWidget(self.axes)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.pages, 2)
        self._set_table_size(len(self._classes))
        self.clear()

    def __repr__(self) -> str:
        n = None if self._predicted is None else len(self._predicted)
        return f"ConfusionView(test_digits={n}, cell={self._cell})"

    # -- data ----------------------------------------------------------------------------
    def set_test_set(self, images: np.ndarray, labels: np.ndarray) -> None:
        """The test digits the probabilities refer to: images (N, 28, 28) uint8 and labels
        (N,); results may cover the first n <= N of them."""
        self._images = np.asarray(images)
        self._labels = np.asarray(labels).astype(np.int64)

    def state(self) -> ConfusionState:
        """What the view shows, for :meth:`restore` (into a view made again, e.g. in
        another language)."""
        test_set = None
        if self._images is not None and self._labels is not None:
            test_set = (self._images, self._labels)
        return ConfusionState(
            test_set, self._evaluation, self._cell, self._refused, self.pages.currentIndex()
        )

    def restore(self, state: ConfusionState) -> None:
        """Show what :meth:`state` returned."""
        self.pages.setCurrentIndex(state.page)
        if state.test_set is None:
            return
        self.set_test_set(*state.test_set)
        if state.evaluation is not None:
            self.show_probabilities(
                state.evaluation.probabilities, self.tr("The model on show"), state.refused
            )
            if state.cell is not None:
                self.select_cell(*state.cell)

    def set_refuses(self, refuses: bool) -> None:
        """Whether the model evaluated can answer "not a digit" (its evaluations then say
        how many test digits it refused)."""
        self._refuses = refuses

    def set_classes(self, classes: tuple[str, ...]) -> None:
        if tuple(classes) != self._classes:
            self._classes = tuple(classes)
            self._set_table_size(len(classes))
            self.clear()

    def confusion(self) -> np.ndarray | None:
        """The matrix shown: (K, K) int64, rows the true class, or None."""
        return None if self._evaluation is None else self._evaluation.confusion

    def selected_cell(self) -> tuple[int, int] | None:
        return self._cell

    def listed_indices(self) -> np.ndarray:
        """The test-set indices of the digits listed for the selected cell, in order."""
        return self._listed.copy()

    # -- results in ----------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        """Show no results (``message``: why, or what to do)."""
        self._evaluation = self._predicted = None
        self._cell = None
        self._refused = None
        self._listed = np.zeros(0, np.int64)
        self.reliability_view.clear()
        self.status.setText(
            message
            if message is not None
            else self.tr(
                "No results yet: evaluate the model on the test set, or train it (the "
                "matrix then follows each epoch)."
            )
        )
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                item.setText("")
                item.setBackground(QBrush())
                item.setToolTip("")
        self.digits.clear()
        self.cell_caption.setText("")

    def on_epoch_done(self, event: EpochDone) -> None:
        if event.test_probabilities is None:
            return
        refused = None
        if event.refusal is not None and event.test_refusal_rate is not None:
            accepted = event.test_accepted_accuracy
            refused = Refused(
                event.test_refusal_rate, float("nan") if accepted is None else accepted
            )
        self.show_probabilities(
            event.test_probabilities,
            self.tr("After epoch {0} of {1}").format(event.epoch + 1, event.epochs),
            refused,
        )

    def show_evaluation(self, evaluation: Evaluation) -> None:
        """Show an evaluation of the model on show (its refusal figures when
        :meth:`set_refuses` said it refuses)."""
        refused = None
        if self._refuses and evaluation.refused is not None:
            refused = Refused(evaluation.refusal_rate, evaluation.accepted_accuracy)
        self.show_probabilities(evaluation.probabilities, self.tr("The model on show"), refused)

    def refused(self) -> Refused | None:
        """The refusal figures shown, or None (results of a model that never refuses)."""
        return self._refused

    def show_probabilities(
        self, probabilities: np.ndarray, source: str, refused: Refused | None = None
    ) -> None:
        """Show the results for (n, K) test probabilities of the first n test digits, and
        for a model that refuses, how many it ``refused``."""
        if self._labels is None:
            raise RuntimeError("set_test_set() first")
        probs = np.asarray(probabilities, dtype=np.float32)
        n, k = probs.shape
        if n > len(self._labels):
            raise ValueError(f"{n} probabilities but only {len(self._labels)} test digits")
        if k != len(self._classes):
            self.set_classes(tuple(str(i) for i in range(k)))
        labels = self._labels[:n]
        evaluation = evaluation_from_probabilities(probs, labels, "cross_entropy")
        self._evaluation = evaluation
        self._refused = refused
        self._predicted = probs.argmax(axis=1)
        right = int(np.trace(evaluation.confusion))
        text = self.tr("{0}: {1:,} of {2:,} test digits right ({3:.2%}).").format(
            source, right, n, evaluation.accuracy
        )
        if refused is not None:
            text += " " + self.tr("Refused as not a digit: {0}.").format(
                formatting.percent(refused.rate, 2)
            )
        self.status.setText(text)
        if refused is None:
            self.reliability_view.show_results(probs, labels)
        else:
            self.reliability_view.show_results(
                probs, labels, refused.rate, refused.accepted_accuracy
            )
        self._fill_table(evaluation)
        if self._cell is not None:
            self.select_cell(*self._cell)
        else:  # the most frequent mistake
            off = evaluation.confusion.copy()
            np.fill_diagonal(off, -1)
            true, answer = np.unravel_index(int(np.argmax(off)), off.shape)
            self.select_cell(int(true), int(answer))

    # -- evaluation progress -------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """Show the progress of an evaluation (and its Cancel button) while ``busy``."""
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.evaluate_button.setVisible(not busy)
        if busy:
            self.progress.setValue(0)

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / max(1, total)))

    def set_can_evaluate(self, can: bool) -> None:
        self.evaluate_button.setEnabled(can)

    # -- the table -----------------------------------------------------------------------
    def _set_table_size(self, k: int) -> None:
        self.table.clear()
        self.table.setRowCount(k)
        self.table.setColumnCount(k + 1)
        self.table.setHorizontalHeaderLabels([*self._classes, self.tr("right")])
        self.table.setVerticalHeaderLabels(list(self._classes))
        for r in range(k):
            for c in range(k + 1):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == k:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, c, item)

    def _fill_table(self, evaluation: Evaluation) -> None:
        m = evaluation.confusion
        k = m.shape[0]
        off = m.copy()
        np.fill_diagonal(off, 0)
        most = max(1, int(off.max()))
        accuracy = evaluation.per_class_accuracy
        totals = m.sum(axis=1)
        for r in range(k):
            for c in range(k):
                item = self.table.item(r, c)
                count = int(m[r, c])
                item.setText(f"{count:,}")
                if r == c:
                    color = _mix(PLAIN, RIGHT, 0.25 + 0.75 * float(accuracy[r]))
                elif count:
                    color = _mix(PLAIN, WRONG, 0.15 + 0.85 * (count / most) ** 0.5)
                else:
                    color = PLAIN
                item.setBackground(color)
                item.setForeground(QColor("white") if color.lightness() < 150 else QColor("black"))
                item.setToolTip(
                    self.tr("{0:,} test digits “{1}” read as “{2}”; click to see them").format(
                        count, self._classes[r], self._classes[c]
                    )
                )
            item = self.table.item(r, k)
            item.setText(f"{accuracy[r]:.1%}")
            worst = 1.0 - float(accuracy.min())
            badness = (1.0 - float(accuracy[r])) / worst if worst > 0 else 0.0
            item.setBackground(_mix(PLAIN, WRONG, 0.6 * badness))
            item.setForeground(QColor("black"))
            item.setToolTip(
                self.tr("{0:,} of the {1:,} test digits “{2}” were recognised").format(
                    int(m[r, r]), int(totals[r]), self._classes[r]
                )
            )

    def _on_cell_clicked(self, row: int, column: int) -> None:
        if self._evaluation is not None and column < len(self._classes):
            self.select_cell(row, column)
            self.cell_selected.emit(row, column)

    # -- the digits of a cell --------------------------------------------------------------
    def select_cell(self, true: int, answer: int) -> None:
        """List the test digits of class ``true`` that the network read as ``answer``: the
        surest mistakes first (on the diagonal: the least sure right answers first)."""
        if self._evaluation is None or self._predicted is None or self._labels is None:
            return
        self._cell = (true, answer)
        self.table.blockSignals(True)
        self.table.setCurrentCell(true, answer)
        self.table.blockSignals(False)
        probs = self._evaluation.probabilities
        n = len(self._predicted)
        found = cell_indices(self._labels[:n], self._predicted, true, answer)
        confidence = probs[found, answer]
        order = np.argsort(confidence if true == answer else -confidence, kind="stable")
        found = found[order]
        self._listed = found[:MAX_LISTED]
        name_t, name_a = self._classes[true], self._classes[answer]
        if true == answer:
            text = self.tr("{0:,} test digits “{1}” recognised, the least sure first").format(
                len(found), name_t
            )
        else:
            text = self.tr(
                "{0:,} test digits “{1}” read as “{2}”, the surest mistakes first"
            ).format(len(found), name_t, name_a)
        if len(found) > MAX_LISTED:
            text = self.tr("{0} (the first {1} shown)").format(text, MAX_LISTED)
        self.cell_caption.setText(text)
        self.digits.setUpdatesEnabled(False)
        self.digits.clear()
        for i in self._listed:
            self.digits.addItem(self._thumbnail(int(i), probs[i], true))
        self.digits.setUpdatesEnabled(True)

    def _thumbnail(self, index: int, p: np.ndarray, true: int) -> QListWidgetItem:
        assert self._images is not None
        top = np.argsort(p)[::-1][:2]
        first, second = int(top[0]), int(top[1])
        rgb = np.ascontiguousarray(ink(self._images[index].astype(np.float32) / 255.0))
        image = QImage(
            rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1], QImage.Format.Format_RGB888
        )
        pixmap = QPixmap(THUMB, THUMB + 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.drawImage(0, 0, image.scaled(THUMB, THUMB))
        for row, (k, color) in enumerate(
            ((first, RIGHT if first == true else WRONG), (second, SECOND))
        ):
            y = THUMB + 2 + 5 * row
            painter.fillRect(0, y, THUMB, 4, QColor(128, 128, 128, 50))
            painter.fillRect(0, y, round(THUMB * float(p[k])), 4, color)
        painter.end()
        c = self._classes
        item = QListWidgetItem(
            QIcon(pixmap),
            f"{c[first]}: {formatting.percent(float(p[first]), 0)}\n"
            f"{c[second]}: {formatting.percent(float(p[second]), 0)}",
        )
        item.setToolTip(
            self.tr(
                "Test digit #{0}: a “{1}”. The network says “{2}” ({3:.1%}), then “{4}” "
                "({5:.1%}); “{1}” gets {6:.1%}."
            ).format(
                index,
                c[true],
                c[first],
                float(p[first]),
                c[second],
                float(p[second]),
                float(p[true]),
            )
        )
        item.setData(Qt.ItemDataRole.UserRole, index)
        return item
