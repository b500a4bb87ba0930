"""Your own network, in the training panel: the kind of network, its activation and loss,
the MLP's hidden layers, the CNN's channels, kernels and pooling, dropout and where it goes,
and Edit architecture… for the whole network as JSON.

Every choice, default and bound is the core's (:mod:`handwrite.nn.architectures`,
:mod:`handwrite.nn.presets`); the editor only shows a
:class:`~handwrite.gui.training.network.NetworkChoice` and makes another from what is
changed. A choice the core refuses (a kernel larger than the maps it gets) is kept as typed,
its problem shown under the controls in the core's words, and :meth:`NetworkEditor.problem`
says so: the panel refuses to start until it is solved.
"""

from __future__ import annotations

import dataclasses
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from handwrite import translatable
from handwrite.gui.training.architecture_dialog import ArchitectureDialog
from handwrite.gui.training.network import (
    DESIGNS,
    EDITED,
    FIXED_PRESETS,
    KINDS,
    NetworkChoice,
    parameter_count,
)
from handwrite.nn import presets
from handwrite.nn.architectures import (
    ACTIVATIONS,
    DROPOUT_PLACES,
    LOSS_NAMES,
    POOLINGS,
    SIZE_BOUNDS,
    ArchitectureError,
    CNNDesign,
    MLPDesign,
)

CONTEXT = "NetworkEditor"
#: How each choice is shown (translated when shown); the keys are the core's names.
KIND_NAMES = {
    "mlp": QT_TRANSLATE_NOOP("NetworkEditor", "MLP (fully connected)"),
    "cnn": QT_TRANSLATE_NOOP("NetworkEditor", "CNN (convolutional)"),
    EDITED: QT_TRANSLATE_NOOP("NetworkEditor", "Edited architecture (JSON)"),
}
ACTIVATION_NAMES = {
    "relu": QT_TRANSLATE_NOOP("NetworkEditor", "ReLU"),
    "sigmoid": QT_TRANSLATE_NOOP("NetworkEditor", "sigmoid"),
    "tanh": QT_TRANSLATE_NOOP("NetworkEditor", "tanh"),
}
LOSS_TEXTS = {
    "cross_entropy": QT_TRANSLATE_NOOP("NetworkEditor", "softmax cross-entropy"),
    "squared_error": QT_TRANSLATE_NOOP("NetworkEditor", "squared error"),
}
POOLING_NAMES = {
    "max": QT_TRANSLATE_NOOP("NetworkEditor", "max pooling"),
    "avg": QT_TRANSLATE_NOOP("NetworkEditor", "average pooling"),
    "none": QT_TRANSLATE_NOOP("NetworkEditor", "no pooling"),
}
DROPOUT_PLACE_NAMES = {
    "output": QT_TRANSLATE_NOOP("NetworkEditor", "before the output layer"),
    "hidden": QT_TRANSLATE_NOOP("NetworkEditor", "after every hidden layer"),
    "everywhere": QT_TRANSLATE_NOOP("NetworkEditor", "after every layer"),
}


def shown(names: dict[str, str], key: str) -> str:
    """``key``'s name in the language shown (the key itself when it has none)."""
    text = names.get(key)
    return key if text is None else QCoreApplication.translate(CONTEXT, text)


def describe_preset(name: str) -> str:
    """``presets.describe(name)`` in the language shown ("" for no preset)."""
    if name not in presets.PRESETS:
        return ""
    return QCoreApplication.translate(translatable.PRESETS, presets.describe(name))


def _combo(names: dict[str, str], keys: tuple[str, ...] | list[str]) -> QComboBox:
    combo = QComboBox()
    for key in keys:
        combo.addItem(shown(names, key), key)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


_SIZES = re.compile(r"\s*(\d+\s*(,\s*\d+\s*)*)?,?\s*")


def sizes_text(sizes: tuple[int, ...]) -> str:
    return ", ".join(str(s) for s in sizes)


class NetworkEditor(QWidget):
    """The network's choices. ``changed()``: the choice (or its problem) changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("network_editor")
        self._choice = NetworkChoice.preset(presets.DEFAULT_PRESET)
        self._problem: str | None = None
        self._quiet = False  # while the controls are being set from a choice

        self.arch_combo = QComboBox()
        for kind in KINDS:
            self.arch_combo.addItem(shown(KIND_NAMES, kind), kind)
            tip = describe_preset(kind) if kind in FIXED_PRESETS else ""
            if tip:
                self.arch_combo.setItemData(
                    self.arch_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
                )
        self.arch_combo.setItemData(
            self.arch_combo.findData("mlp"),
            self.tr("Fully connected layers of the widths you choose, then the 10 outputs"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.arch_combo.setItemData(
            self.arch_combo.findData("cnn"),
            self.tr(
                "Convolution blocks (convolution, pooling, activation), then fully connected "
                "layers and the 10 outputs"
            ),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.arch_combo.setItemData(
            self.arch_combo.findData(EDITED),
            self.tr("Any stack of layers, written as the model file's JSON"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.activation_combo = _combo(ACTIVATION_NAMES, list(ACTIVATIONS))
        self.activation_combo.setToolTip(
            self.tr("The function each hidden unit applies to its weighted sum")
        )
        self.loss_combo = _combo(LOSS_TEXTS, list(LOSS_NAMES))
        self.loss_combo.setToolTip(self.tr("What training minimises"))
        self.hidden_edit = QLineEdit()
        self.hidden_edit.setObjectName("hidden_edit")
        self.hidden_edit.setPlaceholderText(self.tr("none"))
        self.hidden_edit.setToolTip(
            self.tr(
                "The widths of the hidden fully connected layers, e.g. 100, 100 for two "
                "layers of 100 units ({0} to {1} units, at most {2} layers; none: softmax "
                "regression)"
            ).format(
                SIZE_BOUNDS["hidden_units"].low,
                SIZE_BOUNDS["hidden_units"].high,
                SIZE_BOUNDS["hidden_layers"].high,
            )
        )
        self.channels_edit = QLineEdit()
        self.channels_edit.setObjectName("channels_edit")
        self.channels_edit.setToolTip(
            self.tr(
                "Feature maps of each convolution block, e.g. 16, 32 for two blocks "
                "({0} to {1} blocks)"
            ).format(SIZE_BOUNDS["conv_blocks"].low, SIZE_BOUNDS["conv_blocks"].high)
        )
        self.kernels_edit = QLineEdit()
        self.kernels_edit.setObjectName("kernels_edit")
        self.kernels_edit.setToolTip(
            self.tr("Kernel size of each convolution block, e.g. 5, 5 ({0}×{0} to {1}×{1})").format(
                SIZE_BOUNDS["kernel_size"].low, SIZE_BOUNDS["kernel_size"].high
            )
        )
        self.pooling_combo = _combo(POOLING_NAMES, list(POOLINGS))
        self.pooling_combo.setToolTip(self.tr("2×2 pooling after each convolution"))
        self.same_check = QCheckBox(self.tr("Same size"))
        self.same_check.setToolTip(
            self.tr("Pad each convolution so that it keeps the size of its maps")
        )
        self.dropout_spin = QDoubleSpinBox()
        dropout = SIZE_BOUNDS["dropout"]
        self.dropout_spin.setRange(dropout.low, dropout.high)
        self.dropout_spin.setSingleStep(0.05)
        self.dropout_spin.setDecimals(2)
        self.dropout_spin.setSpecialValueText(self.tr("off"))
        self.dropout_spin.setToolTip(
            self.tr("Fraction of hidden units switched off at random while training")
        )
        self.dropout_at_combo = _combo(DROPOUT_PLACE_NAMES, list(DROPOUT_PLACES))
        self.dropout_at_combo.setToolTip(self.tr("Where the dropout layers go"))
        self.edit_button = QPushButton(self.tr("Edit architecture…"))
        self.edit_button.setObjectName("edit_architecture")
        self.edit_button.setToolTip(
            self.tr("The whole network as JSON: add, remove or change any layer")
        )
        self.summary_label = QLabel()
        self.summary_label.setObjectName("network_summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        pooling = QHBoxLayout()
        pooling.setContentsMargins(0, 0, 0, 0)
        pooling.addWidget(self.pooling_combo, 1)
        pooling.addWidget(self.same_check)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        rows = (
            (self.tr("Network"), self.arch_combo, self.tr("Hidden layers"), self.hidden_edit),
            (self.tr("Activation"), self.activation_combo, self.tr("Channels"), self.channels_edit),
            (self.tr("Loss"), self.loss_combo, self.tr("Kernels"), self.kernels_edit),
            (self.tr("Dropout"), self.dropout_spin, self.tr("Pooling"), pooling),
            (self.tr("Dropout at"), self.dropout_at_combo, None, self.edit_button),
        )
        self._labels: dict[QWidget, QLabel] = {}
        for r, (left, left_field, right, right_field) in enumerate(rows):
            for c, (text, field) in enumerate(((left, left_field), (right, right_field))):
                if text is not None:
                    label = QLabel(text)
                    grid.addWidget(label, r, 2 * c)
                    if isinstance(field, QWidget):
                        label.setBuddy(field)
                        self._labels[field] = label
                if isinstance(field, QWidget):
                    field.setMinimumWidth(110)
                    grid.addWidget(field, r, 2 * c + 1)
                else:
                    grid.addLayout(field, r, 2 * c + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.summary_label)

        self.arch_combo.activated.connect(self._on_kind_activated)
        self.arch_combo.currentIndexChanged.connect(self._update_kind_tooltip)
        for combo in (
            self.activation_combo,
            self.loss_combo,
            self.pooling_combo,
            self.dropout_at_combo,
        ):
            combo.currentIndexChanged.connect(self._on_edited)
        for edit in (self.hidden_edit, self.kernels_edit):
            edit.textEdited.connect(self._on_edited)
        self.channels_edit.textEdited.connect(self._on_channels_edited)
        self.same_check.toggled.connect(self._on_edited)
        self.dropout_spin.valueChanged.connect(self._on_edited)
        self.edit_button.clicked.connect(self.edit_architecture)
        self.set_choice(self._choice)

    # -- the choice ----------------------------------------------------------------------
    def choice(self) -> NetworkChoice:
        """The network shown (it may have a :meth:`problem`)."""
        return self._choice

    def problem(self) -> str | None:
        """Why the network shown cannot be built (the core's message), or None."""
        return self._problem

    def set_choice(self, choice: NetworkChoice) -> None:
        """Show ``choice`` in the controls."""
        self._quiet = True
        try:
            _select(self.arch_combo, choice.kind)
            _select(self.activation_combo, choice.own_activation)
            _select(self.loss_combo, choice.own_loss)
            design = choice.design
            if isinstance(design, MLPDesign):
                self.hidden_edit.setText(sizes_text(design.hidden))
                self.channels_edit.setText("")
                self.kernels_edit.setText("")
            elif isinstance(design, CNNDesign):
                self.hidden_edit.setText(sizes_text(design.hidden))
                self.channels_edit.setText(sizes_text(design.channels))
                self.kernels_edit.setText(sizes_text(design.kernels))
                _select(self.pooling_combo, design.pooling)
                self.same_check.setChecked(design.same_padding)
            else:
                for edit in (self.hidden_edit, self.channels_edit, self.kernels_edit):
                    edit.setText("")
            if design is not None:
                self.dropout_spin.setValue(design.dropout)
                _select(self.dropout_at_combo, design.dropout_at)
            else:
                self.dropout_spin.setValue(choice.dropout)
                _select(self.dropout_at_combo, "output")
        finally:
            self._quiet = False
        self._choice = choice
        self._enable(choice.kind)
        self._update()

    def _enable(self, kind: str) -> None:
        design = kind in DESIGNS
        cnn = kind == CNNDesign.kind
        for widget, on in (
            (self.activation_combo, kind != EDITED),
            (self.loss_combo, kind != EDITED),
            (self.dropout_spin, kind != EDITED),
            (self.dropout_at_combo, design),
            (self.hidden_edit, design),
            (self.channels_edit, cnn),
            (self.kernels_edit, cnn),
            (self.pooling_combo, cnn),
            (self.same_check, cnn),
        ):
            widget.setEnabled(on)
            if widget in self._labels:
                self._labels[widget].setEnabled(on)

    def _on_kind_activated(self, index: int) -> None:
        kind = self.arch_combo.itemData(index)
        if kind != self._choice.kind:
            self.set_choice(self._choice.with_kind(kind))
            self.changed.emit()

    def _on_channels_edited(self, text: str) -> None:
        # Like the command line's --channels alone: one kernel size for every block, when
        # all the blocks had the same one.
        channels = _parse(text)
        kernels = _parse(self.kernels_edit.text())
        if channels and kernels and len(set(kernels)) == 1 and len(kernels) != len(channels):
            self.kernels_edit.setText(sizes_text((kernels[0],) * len(channels)))
        self._on_edited()

    def _on_edited(self, *_args: object) -> None:
        if self._quiet:
            return
        self._choice = self._read()
        self._update()
        self.changed.emit()

    def _read(self) -> NetworkChoice:
        """The choice the controls show now (its problem, if any, found by :meth:`_update`)."""
        kind = self.arch_combo.currentData()
        activation = self.activation_combo.currentData()
        loss = self.loss_combo.currentData()
        p = round(float(self.dropout_spin.value()), 4)
        if kind == EDITED:
            return self._choice
        if kind in FIXED_PRESETS:
            return NetworkChoice(kind, activation=activation, loss=loss, dropout=p)
        hidden = _parse(self.hidden_edit.text())
        common = {
            "hidden": hidden,
            "activation": activation,
            "dropout": p,
            "dropout_at": self.dropout_at_combo.currentData(),
            "loss": loss,
        }
        if kind == MLPDesign.kind:
            return NetworkChoice.design_of(MLPDesign(**common))  # type: ignore[arg-type]
        design = CNNDesign(
            channels=_parse(self.channels_edit.text()),  # type: ignore[arg-type]
            kernels=_parse(self.kernels_edit.text()),  # type: ignore[arg-type]
            pooling=self.pooling_combo.currentData(),
            same_padding=self.same_check.isChecked(),
            **common,  # type: ignore[arg-type]
        )
        return NetworkChoice.design_of(design)

    def _update(self) -> None:
        """Find the choice's problem and show it, or what the network is."""
        choice = self._choice
        problem = None
        for edit, name in (
            (self.hidden_edit, self.tr("Hidden layers")),
            (self.channels_edit, self.tr("Channels")),
            (self.kernels_edit, self.tr("Kernels")),
        ):
            if edit.isEnabled() and _parse(edit.text()) is None:
                problem = self.tr(
                    "{0}: write whole numbers separated by commas, such as 16, 32"
                ).format(name)
                break
        architecture = None
        if problem is None:
            try:
                architecture = choice.architecture()
            except ArchitectureError as exc:
                problem = str(exc)
        self._problem = problem
        if problem is not None:
            self.summary_label.setStyleSheet("QLabel { color: #a31515; }")
            self.summary_label.setText(self.tr("Cannot be built: {0}").format(problem))
            return
        assert architecture is not None
        self.summary_label.setStyleSheet("")
        layers = len(architecture["layers"])
        self.summary_label.setText(
            self.tr("{0}: %n layer(s), {1:,} weights and biases.", "", layers).format(
                architecture["name"], parameter_count(architecture)
            )
        )

    def _update_kind_tooltip(self, index: int) -> None:
        self.arch_combo.setToolTip(
            self.arch_combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or ""
        )

    # -- the whole network as JSON -------------------------------------------------------
    def edit_architecture(self) -> bool:
        """Open the JSON of the network shown; an accepted one is shown (as a design when
        it is one). True when accepted."""
        dialog = self.architecture_dialog()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            self.apply_architecture_dialog(dialog)
        dialog.deleteLater()
        return accepted

    def architecture_dialog(self) -> ArchitectureDialog:
        """The dialog :meth:`edit_architecture` shows (not yet shown): the network's JSON,
        or the last good one's while the controls have a problem."""
        try:
            architecture = self._choice.architecture()
        except ArchitectureError:
            architecture = self._choice.with_kind(self._choice.kind).architecture()
        return ArchitectureDialog(architecture, self)

    def apply_architecture_dialog(self, dialog: ArchitectureDialog) -> None:
        architecture = dialog.architecture()
        if architecture is not None:
            self.set_choice(NetworkChoice.of(architecture))
            self.changed.emit()


def _parse(text: str) -> tuple[int, ...] | None:
    """``"16, 32"`` -> (16, 32); "" -> (); None when it is not a list of whole numbers (the
    core checks their bounds)."""
    if not _SIZES.fullmatch(text):
        return None
    return tuple(int(t) for t in re.findall(r"\d+", text))


def with_dropout_rate(choice: NetworkChoice, p: float) -> NetworkChoice:
    """``choice`` with dropout rate ``p`` (the choices that have one)."""
    if choice.design is not None:
        return NetworkChoice.design_of(dataclasses.replace(choice.design, dropout=p, name=None))
    if choice.kind in FIXED_PRESETS:
        return dataclasses.replace(choice, dropout=p)
    return choice
