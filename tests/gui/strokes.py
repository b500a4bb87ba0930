"""Drawing on a canvas with real mouse events, and the shapes of a few digits."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget


def _send(
    widget: QWidget,
    kind: QEvent.Type,
    pos: QPointF,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
) -> None:
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget: QWidget, points: Sequence[QPointF]) -> None:
    """Press the left button at the first point, move through the others with it held,
    release at the last: the events a user's mouse stroke produces."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _send(widget, QEvent.Type.MouseButtonPress, points[0], left, left)
    for p in points[1:]:
        _send(widget, QEvent.Type.MouseMove, p, none, left)
    _send(widget, QEvent.Type.MouseButtonRelease, points[-1], left, none)


def one(canvas) -> list[QPointF]:  # noqa: ANN001 - a CanvasView
    """A vertical stroke down the middle of the sheet: a "1"."""
    r = canvas.surface_rect()
    x = r.center().x()
    return [QPointF(x, r.top() + r.height() * (0.2 + 0.6 * i / 24)) for i in range(25)]


def zero(canvas) -> list[QPointF]:  # noqa: ANN001
    """A closed oval, taller than wide: a "0"."""
    r = canvas.surface_rect()
    c = r.center()
    rx, ry = r.width() * 0.2, r.height() * 0.3
    return [
        QPointF(
            c.x() + rx * math.sin(2 * math.pi * i / 48), c.y() - ry * math.cos(2 * math.pi * i / 48)
        )
        for i in range(50)
    ]


def seven(canvas) -> list[QPointF]:  # noqa: ANN001
    """A horizontal bar and a long diagonal down to the left: a "7"."""
    r = canvas.surface_rect()
    a = QPointF(r.left() + r.width() * 0.28, r.top() + r.height() * 0.22)
    b = QPointF(r.left() + r.width() * 0.72, r.top() + r.height() * 0.22)
    c = QPointF(r.left() + r.width() * 0.42, r.top() + r.height() * 0.8)
    pts = [a + (b - a) * (i / 12) for i in range(13)]
    pts += [b + (c - b) * (i / 20) for i in range(1, 21)]
    return pts
