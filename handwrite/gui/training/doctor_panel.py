"""The training doctor: what it finds wrong with a run, in plain words, while it trains and
after, each with a button that applies its fix to the next run's settings.

The doctor itself (:class:`handwrite.doctor.Doctor`) reads every event of the run on the
worker thread (:class:`~handwrite.gui.training.job.TrainingJob` with ``doctor=True``); this
panel shows its :class:`~handwrite.doctor.Diagnosis` events, translated (the messages are
:class:`~handwrite.translatable.Phrase`\\ s in the context "Doctor"), and asks for a fix with
``fix_requested(Fix)``; whoever owns the settings applies it (:meth:`show_applied` says how
that went).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from handwrite.doctor import DIAGNOSES, Diagnosis, Fix
from handwrite.gui import explanations
from handwrite.trainer import Failed, Finished, Started

#: Each diagnosis kind's heading (the keys are :data:`handwrite.doctor.DIAGNOSES`).
KIND_TITLES = {
    "lr_too_high": QT_TRANSLATE_NOOP("DoctorPanel", "The learning rate is too high"),
    "lr_too_low": QT_TRANSLATE_NOOP("DoctorPanel", "The learning rate is too low"),
    "overfitting": QT_TRANSLATE_NOOP("DoctorPanel", "Overfitting"),
    "vanishing_gradients": QT_TRANSLATE_NOOP("DoctorPanel", "Vanishing gradients"),
    "dead_units": QT_TRANSLATE_NOOP("DoctorPanel", "Dead units"),
    "stalled": QT_TRANSLATE_NOOP("DoctorPanel", "The run has stalled"),
}


#: The diagnoses that need the layers measured (``TrainConfig.diagnostics``).
MEASURED = ("vanishing_gradients", "dead_units")
#: Each check, as the list of what the doctor watched names it.
CHECK_NAMES = {
    "lr_too_high": QT_TRANSLATE_NOOP("DoctorPanel", "Learning rate too high"),
    "vanishing_gradients": QT_TRANSLATE_NOOP("DoctorPanel", "Vanishing gradients"),
    "dead_units": QT_TRANSLATE_NOOP("DoctorPanel", "Dead units"),
    "lr_too_low": QT_TRANSLATE_NOOP("DoctorPanel", "Learning rate too low"),
    "overfitting": QT_TRANSLATE_NOOP("DoctorPanel", "Overfitting"),
    "stalled": QT_TRANSLATE_NOOP("DoctorPanel", "Stalled run"),
}


def kind_title(kind: str) -> str:
    text = KIND_TITLES.get(kind)
    return kind if text is None else QCoreApplication.translate("DoctorPanel", text)


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class DiagnosisCard(QFrame):
    """One diagnosis: its heading and step (``title_label``), the message
    (``message_label``), the fix (``fix_label``) and its button (``apply_button``)."""

    def __init__(self, diagnosis: Diagnosis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagnosis = diagnosis
        self.setObjectName(f"diagnosis_{diagnosis.kind}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "DiagnosisCard { background: #fff8e6; border: 1px solid #e5c06e; border-radius: 4px; }"
        )
        self.title_label = QLabel(
            self.tr("<b>{0}</b> (at step {1:,})").format(kind_title(diagnosis.kind), diagnosis.step)
        )
        self.message_label = QLabel(diagnosis.message.text(_translate))
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fix = diagnosis.fix
        self.fix_label = QLabel(
            self.tr("Try: {0}").format(fix.description.text(_translate))
            if fix is not None
            else self.tr("No change of the settings is known to help.")
        )
        self.fix_label.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply to the next run"))
        self.apply_button.setEnabled(fix is not None)
        self.apply_button.setToolTip(
            self.tr("Change the training settings this way; the next Start uses them")
        )
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fix_label, 1)
        row.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addLayout(row)

    def set_applied(self) -> None:
        self.apply_button.setText(self.tr("Applied ✓"))
        self.apply_button.setEnabled(False)


class DoctorPanel(QWidget):
    """The diagnoses of the latest run in the window (kept after it ends, until the next
    one starts). ``fix_requested(Fix)``: the user asked to apply a fix to the next run;
    ``count_changed(int)``: the number of diagnoses shown changed."""

    fix_requested = Signal(object)
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doctor_panel")
        self._cards: list[DiagnosisCard] = []
        self._running = False
        self._measured: bool | None = None  # whether the run measured its layers (None: no run)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.applied_label = QLabel()
        self.applied_label.setWordWrap(True)
        self.applied_label.setObjectName("doctor_applied")
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.status_label, 1)
        header.addWidget(explanations.help_button(explanations.doctor()))
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self.checks_label = QLabel()
        self.checks_label.setObjectName("doctor_checks")
        self.checks_label.setTextFormat(Qt.TextFormat.RichText)
        self._list_layout.addWidget(self.checks_label)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.applied_label)
        self._say_status()

    def cards(self) -> list[DiagnosisCard]:
        return list(self._cards)

    def diagnoses(self) -> list[Diagnosis]:
        return [card.diagnosis for card in self._cards]

    def _show_checks(self) -> None:
        """What the doctor watched in the latest run, check by check: found (and when),
        not seen, or not measured (the layer checks of a run that did not measure them)."""
        if self._measured is None:
            self.checks_label.setText("")
            return
        found = {d.kind: d for d in self.diagnoses()}
        rows = []
        for kind in DIAGNOSES:
            name = QCoreApplication.translate("DoctorPanel", CHECK_NAMES[kind])
            if kind in found:
                mark, colour = "⚠", "#b35900"
                state = self.tr("found at step {0:,}").format(found[kind].step)
            elif kind in MEASURED and not self._measured:
                mark, colour = "–", "#888888"
                state = self.tr("not measured: switch on “Measure each layer”")
            else:
                mark, colour = "✓", "#2e7d32"
                state = self.tr("not seen so far") if self._running else self.tr("not seen")
            rows.append(
                f"<tr><td style='color:{colour}; padding-right:6px'>{mark}</td>"
                f"<td style='padding-right:14px'>{name}</td>"
                f"<td style='color:{colour}'>{state}</td></tr>"
            )
        title = self.tr("What the doctor watched:")
        self.checks_label.setText(
            f"<p style='margin-top:6px'>{title}</p><table>{''.join(rows)}</table>"
        )

    def _say_status(self) -> None:
        self._show_checks()
        n = len(self._cards)
        if self._running:
            text = (
                self.tr("The doctor watches this run: nothing wrong so far.")
                if n == 0
                else self.tr("The doctor watches this run and found %n problem(s):", "", n)
            )
        elif n == 0:
            text = self.tr(
                "The training doctor watches each run started here and says what goes wrong "
                "and what to try. Nothing found in the latest run."
            )
        else:
            text = self.tr("In the latest run the doctor found %n problem(s):", "", n)
        self.status_label.setText(text)

    # -- a run ---------------------------------------------------------------------------
    def on_started(self, event: Started) -> None:
        """A new run: the last one's diagnoses go."""
        self.clear()
        self._running = True
        self._measured = bool(event.config.diagnostics)
        self._say_status()

    def on_finished(self, _event: Finished) -> None:
        self._running = False
        self._say_status()

    def on_failed(self, _event: Failed) -> None:
        self._running = False
        self._say_status()

    def clear(self) -> None:
        for card in self._cards:
            card.deleteLater()
        self._cards = []
        self.applied_label.setText("")
        self._say_status()
        self.count_changed.emit(0)

    def show_diagnosis(self, diagnosis: Diagnosis) -> DiagnosisCard:
        """Add ``diagnosis`` (after those found before it)."""
        card = DiagnosisCard(diagnosis)
        card.apply_button.clicked.connect(lambda: self._on_apply(card))
        self._list_layout.insertWidget(len(self._cards), card)  # above the checks
        self._cards.append(card)
        self._say_status()
        self.count_changed.emit(len(self._cards))
        return card

    def _on_apply(self, card: DiagnosisCard) -> None:
        fix = card.diagnosis.fix
        if fix is not None:
            self.fix_requested.emit(fix)

    def show_applied(self, fix: Fix, problem: str | None = None) -> None:
        """Say that ``fix`` was applied to the settings (or why it could not be)."""
        card = next((c for c in self._cards if c.diagnosis.fix is fix), None)
        description = fix.description.text(_translate)
        if problem is None:
            if card is not None:
                card.set_applied()
            self.applied_label.setText(
                self.tr("Applied to the settings: {0}. Start a new run to try it.").format(
                    description
                )
            )
        else:
            self.applied_label.setText(
                self.tr("Could not apply “{0}”: {1}").format(description, problem)
            )

    # -- across a rebuild in another language ----------------------------------------------
    def state(self) -> tuple[list[Diagnosis], bool | None]:
        """The diagnoses shown, and whether their run measured its layers."""
        return self.diagnoses(), self._measured

    def restore(self, state: tuple[list[Diagnosis], bool | None]) -> None:
        diagnoses, self._measured = state
        for diagnosis in diagnoses:
            self.show_diagnosis(diagnosis)
