"""PySide6 6.12.0 kills Python 3.11 ("Fatal Python error: none_dealloc") after a few thousand
calls of methods that return None: the reference count of ``None`` is decremented once too
often on each call. The canvas makes such calls for every pointer move, so the window would
die after a few strokes. pyproject.toml excludes 6.12.0; this test catches any release that
brings the bug back. It runs in a subprocess because the failure is a fatal abort.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 20_000

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

    app = QGuiApplication([])
    image = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setPen(QPen(QColor("black"), 3))
    path = QPainterPath()
    path.moveTo(0.0, 0.0)
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        x = float(i % 64)
        path.lineTo(x, 32.0)                        # void QPainterPath::lineTo
        painter.drawLine(QPointF(x, 0), QPointF(0, x))  # void QPainter::drawLine
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, bool(i % 2))  # void
        painter.drawEllipse(QRectF(x, x, 2, 2))       # void
    painter.end()
    print("ok", {CALLS}, sys.getrefcount(None) - before)
    """
)


def test_many_calls_of_void_methods_do_not_kill_python() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert "none_dealloc" not in result.stderr, result.stderr
    assert result.returncode == 0, f"exit status {result.returncode}:\n{result.stderr[-2000:]}"
    assert result.stdout.split()[:2] == ["ok", str(CALLS)], result.stdout
