"""The drawing side of the window: the canvas, what the network sees and answers, the pen.

    +---------------------------------------------+
    | notice (an untrained network: guesses)      |
    | CanvasView               | The network sees |
    |                          | NetworkInputView |
    |                          | ProbabilityView  |
    |                          | DigitScoreView   |
    | Pen [slider] 22 px               Undo Clear |
    +---------------------------------------------+

The panel lays these out and keeps the pen width, its label and the canvas together; the main
window connects the canvas to the predictor and the predictor to the two views.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from handwrite.gui.drawing.canvas import CanvasView
from handwrite.gui.drawing.digit_score_view import DigitScoreView
from handwrite.gui.drawing.input_view import NetworkInputView
from handwrite.gui.drawing.probability_view import ProbabilityView
from handwrite.gui.settings import DEFAULT_PEN_WIDTH, PEN_WIDTH_RANGE


class DrawingPanel(QWidget):
    """The canvas with the network's view of the drawing and its answer beside it.

    ``pen_width_changed(int)``: the user moved the pen-width slider (logical pixels).
    ``undo_button`` and ``clear_button`` take the window's actions (:meth:`use_actions`).
    """

    pen_width_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, pen_width: int = DEFAULT_PEN_WIDTH) -> None:
        super().__init__(parent)
        self.setObjectName("draw_panel")
        self.canvas = CanvasView()
        self.input_view = NetworkInputView()
        self.probability_view = ProbabilityView()
        self.digit_score_view = DigitScoreView()

        sees = QLabel(self.tr("The network sees"))
        sees.setObjectName("caption")
        self.input_view.setFixedSize(168, 168)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(sees, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.input_view, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addSpacing(6)
        side.addWidget(self.probability_view, 1)
        side.addWidget(self.digit_score_view)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(top, 1)
        layout.addLayout(tools)

        self.pen_slider.valueChanged.connect(self._on_pen_slider_moved)
        self.set_pen_width(pen_width)

    def __repr__(self) -> str:
        return f"DrawingPanel(pen_width={self.pen_slider.value()})"

    def set_pen_width(self, width: int) -> None:
        """Draw with ``width`` logical pixels (clamped to the slider's range)."""
        self.pen_slider.setValue(width)
        self._show_pen_width(self.pen_slider.value())

    def _on_pen_slider_moved(self, width: int) -> None:
        self._show_pen_width(width)
        self.pen_width_changed.emit(width)

    def _show_pen_width(self, width: int) -> None:
        self.canvas.set_pen_width(width)
        self.pen_label.setText(self.tr("{0} px").format(width))

    def use_actions(self, undo: QAction, clear: QAction) -> None:
        """Let the tool buttons trigger the window's Undo and Clear actions."""
        self.undo_button.setDefaultAction(undo)
        self.undo_button.setText(self.tr("Undo"))
        self.clear_button.setDefaultAction(clear)
        self.clear_button.setText(self.tr("Clear"))

    def show_untrained_notice(self, shown: bool) -> None:
        """Say, above the canvas, that the network's answers are guesses (it is untrained)."""
        self.notice.setText(
            self.tr(
                "This network has not been trained yet, so its answers are guesses. "
                "Train it on the right, or open a trained model (File ▸ Open)."
            )
        )
        self.notice.setVisible(shown)
