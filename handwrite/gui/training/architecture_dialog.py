"""Edit architecture…: the network as the model file's JSON, editable, checked as it is typed.

The text is checked (``handwrite.untrusted.parse_json``, then
:func:`handwrite.nn.architectures.check_architecture`) a moment after each change; the
problem is shown below the text, in the core's words (which layer, what is wrong, how to fix
it), the layer it names is marked in the text, and OK stays disabled until the architecture
is one a network can be trained from.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from handwrite.gui.training.network import parameter_count
from handwrite.nn.architectures import ArchitectureError, check_architecture
from handwrite.untrusted import InputError, parse_json

#: Milliseconds after the last keystroke before the text is checked.
CHECK_DELAY_MS = 250

_PROBLEM_STYLE = (
    "QLabel { color: #a31515; background: #fdecea; border: 1px solid #e8a39b;"
    " border-radius: 3px; padding: 4px; }"
)
_GOOD_STYLE = "QLabel { color: #1e6b35; padding: 4px; }"
_LAYER = re.compile(r"\blayer (\d+)\b")


def format_architecture(architecture: dict[str, Any]) -> str:
    """JSON with one line per key and one line per layer: easy to read and edit."""
    lines = ["{"]
    keys = [k for k in architecture if k != "layers"]
    for key in keys:
        lines.append(f"  {json.dumps(key)}: {json.dumps(architecture[key])},")
    layers = architecture.get("layers", [])
    lines.append('  "layers": [')
    for i, layer in enumerate(layers):
        comma = "," if i < len(layers) - 1 else ""
        lines.append(f"    {json.dumps(layer)}{comma}")
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines)


class ArchitectureDialog(QDialog):
    """Shows ``architecture`` as editable JSON; :meth:`architecture` is the checked result
    once accepted. ``problem_label``: the problem with the text (or what the network is)."""

    def __init__(self, architecture: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("architecture_dialog")
        self.setWindowTitle(self.tr("Edit architecture"))
        self.resize(760, 520)
        self._checked: dict[str, Any] | None = None

        intro = QLabel(
            self.tr(
                "The network as a model file holds it: one layer per line, from the 28×28 "
                "input to the 10 outputs. Change the layers or their sizes; each layer must "
                "fit the one before it."
            )
        )
        intro.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("architecture_text")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setPlainText(format_architecture(architecture))
        self.problem_label = QLabel()
        self.problem_label.setObjectName("architecture_problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.editor.textChanged.connect(self._on_text_changed)
        self.check()

    def _on_text_changed(self) -> None:
        self.ok_button().setEnabled(False)  # until the new text is checked
        self._timer.start()

    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def architecture(self) -> dict[str, Any] | None:
        """The checked architecture of the text, or None while it has a problem."""
        return self._checked

    def problem(self) -> str | None:
        """What is wrong with the text, or None."""
        return None if self._checked is not None else self.problem_label.text()

    def check(self) -> bool:
        """Check the text now: show the problem or what the network is; True when good."""
        self._timer.stop()
        self._checked = None
        text = self.editor.toPlainText()
        try:
            architecture = check_architecture(parse_json(text))
        except InputError as exc:
            self._show_problem(self.tr("The text {0}.").format(exc), None)
            return False
        except ArchitectureError as exc:
            match = _LAYER.search(str(exc))
            self._show_problem(str(exc), int(match.group(1)) if match else None)
            return False
        self._checked = architecture
        self.problem_label.setStyleSheet(_GOOD_STYLE)
        layers = len(architecture["layers"])
        self.problem_label.setText(
            self.tr("✓ {0}: %n layer(s), {1:,} weights and biases.", "", layers).format(
                architecture["name"], parameter_count(architecture)
            )
        )
        self.editor.setExtraSelections([])
        self.ok_button().setEnabled(True)
        return True

    def _show_problem(self, message: str, layer: int | None) -> None:
        self.problem_label.setStyleSheet(_PROBLEM_STYLE)
        self.problem_label.setText(message)
        self.ok_button().setEnabled(False)
        self.editor.setExtraSelections([] if layer is None else [self._mark_layer(layer)])

    def _mark_layer(self, index: int) -> QTextEdit.ExtraSelection:
        """A highlight on the line of layer ``index`` (the ``index``-th entry of "layers")."""
        document = self.editor.document()
        block = document.begin()
        while block.isValid() and '"layers"' not in block.text():
            block = block.next()
        seen = -1
        while block.isValid():
            block = block.next()
            if '"type"' in block.text():
                seen += 1
                if seen == index:
                    break
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(253, 224, 220))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format = fmt
        cursor = QTextCursor(block if block.isValid() else document.begin())
        selection.cursor = cursor
        return selection

    def accept(self) -> None:
        if self.check():
            super().accept()
