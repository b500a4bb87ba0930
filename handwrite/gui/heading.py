"""The heading row of a view: its title in bold on the left, its "?" explanation on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


def heading_row(title: str, help_button: QWidget) -> QHBoxLayout:
    """A margin-less row: ``title`` (bold), a stretch, then ``help_button`` centred vertically.

    The title label is the row's first item (``row.itemAt(0).widget()``)."""
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold;")
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addStretch(1)
    row.addWidget(help_button, 0, Qt.AlignmentFlag.AlignVCenter)
    return row
