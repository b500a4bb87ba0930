"""Saliency: which pixels of the drawing decide the answer.

    predictor input_changed / prediction_changed / model_changed
        -> (at most every ``INTERVAL_MS``, while visible) Model.input_gradient on the GUI's
           model copy -> the gradient map, and the gradient over the digit

The saliency of class c is the gradient of its score (before the softmax) with respect to the
input pixels, s = dy_c/dx (Simonyan, Vedaldi & Zisserman 2014, "Deep inside convolutional
networks"), computed by the model's own backpropagation. By default c is the winning class;
the combo box picks another (why not a 9?).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handwrite.gui import explanations, formatting
from handwrite.gui.inspect.mosaic import NEGATIVE, POSITIVE, MosaicView, Tile, diverging, paper
from handwrite.gui.live_view import LiveView
from handwrite.nn.model import DIGITS, Model

#: Recompute at most this often while the pen moves.
INTERVAL_MS = 60
#: The digit under the colours is drawn this dark (so that the colours stand out).
DIGIT_STRENGTH = 0.55
#: |s| / max |s| is raised to this power for the opacity: small gradients stay visible.
GAMMA = 0.7


def saliency_overlay(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The digit in grey with the saliency over it: red where s > 0, blue where s < 0.

    ``x``: (H, W) float in [0, 1], ``s``: (H, W) float. Returns (H, W, 3) uint8; the colour's
    opacity is (|s| / max |s|) ** GAMMA.
    """
    base = paper(np.asarray(x, np.float32) * DIGIT_STRENGTH).astype(np.float32)
    s = np.asarray(s, np.float32)
    top = float(np.abs(s).max())
    alpha = (np.abs(s) / top) ** GAMMA if top > 0 else np.zeros_like(s)
    color = np.where((s >= 0)[..., None], POSITIVE, NEGATIVE)
    rgb = base + (color - base) * alpha[..., None]
    return (rgb + 0.5).astype(np.uint8)


class SaliencyView(LiveView):
    """The saliency of the winning (or a chosen) class for the current drawing.

    Slots: ``on_model_changed(model)``, ``on_input_changed(x)`` ((28, 28) or None),
    ``on_prediction_changed(p)`` ((classes,) or None).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("saliency_view")
        self._model: Model | None = None
        self._x: np.ndarray | None = None
        self._p: np.ndarray | None = None
        self._saliency: np.ndarray | None = None
        self._class: int | None = None
        self._classes: tuple[str, ...] = ()

        title = QLabel(self.tr("Saliency"))
        title.setStyleSheet("font-weight: bold;")
        self.class_combo = QComboBox()
        self.class_combo.setToolTip(self.tr("The class whose score is differentiated"))
        self.class_combo.currentIndexChanged.connect(lambda _i: self.request_refresh())
        self.help = explanations.help_button(explanations.saliency(), self)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(QLabel(self.tr("for")))
        head.addWidget(self.class_combo)
        head.addWidget(self.help, 0, Qt.AlignmentFlag.AlignVCenter)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("caption")
        self.mosaic = MosaicView(
            placeholder=self.tr("Draw a digit to see which pixels decide the answer"),
            max_tile=260,
        )
        self.mosaic.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.mosaic, 1)
        layout.addWidget(self.subtitle)
        self._set_classes(DIGITS)

    def __repr__(self) -> str:
        return f"SaliencyView(class={self._class}, shown={self._saliency is not None})"

    def saliency(self) -> np.ndarray | None:
        """The gradient shown: (28, 28) float32, or None."""
        return self._saliency

    def target_class(self) -> int | None:
        """The class index whose saliency is shown, or None."""
        return self._class

    def set_class(self, index: int | None) -> None:
        """Show class ``index``'s saliency (None: the winning class's)."""
        self.class_combo.setCurrentIndex(0 if index is None else index + 1)

    def _set_classes(self, classes: tuple[str, ...]) -> None:
        current = self.class_combo.currentIndex()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(self.tr("the answer"))
        for name in classes:
            self.class_combo.addItem(formatting.class_name(name))
        self.class_combo.setCurrentIndex(current if 0 <= current <= len(classes) else 0)
        self.class_combo.blockSignals(False)
        self._classes = classes

    # -- slots ---------------------------------------------------------------------------
    def on_model_changed(self, model: Model) -> None:
        self._model = model
        if tuple(model.classes) != self._classes:
            self._set_classes(tuple(model.classes))
        self.request_refresh()

    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._x = None if x is None else np.asarray(x, dtype=np.float32)
        self.request_refresh()

    def on_prediction_changed(self, p: np.ndarray | None) -> None:
        self._p = None if p is None else np.asarray(p)
        self.request_refresh()

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        model, x = self._model, self._x
        if model is None or x is None:
            self._saliency = self._class = None
            self.mosaic.set_tiles([])
            self.subtitle.setText("")
            return
        chosen = self.class_combo.currentIndex() - 1
        if chosen >= 0:
            c = chosen
        elif self._p is not None and len(self._p) == len(model.answer_classes):
            c = int(np.argmax(self._p))
        else:  # the best guess, refused or not ("not a digit" is a choice of the list)
            c = int(model.predict_proba(x)[0].argmax())
        s = np.asarray(model.input_gradient(x[None, None], [c])[0, 0], dtype=np.float32)
        self._saliency, self._class = s, c
        name = formatting.class_name(model.classes[c])
        top = float(np.abs(s).max())
        self.mosaic.set_tiles(
            [
                Tile(
                    diverging(s),
                    self.tr("∂y/∂x for “{0}”").format(name),
                    self.tr("The gradient alone; full colour at ±{0:.3g}").format(top),
                ),
                Tile(
                    saliency_overlay(x, s),
                    self.tr("over the digit"),
                    self.tr("Red: more ink here would make “{0}” more likely; blue: less").format(
                        name
                    ),
                ),
            ]
        )
        self.subtitle.setText(
            self.tr(
                "Red pixels raise the score of “{0}”, blue ones lower it; the stronger the "
                "colour, the more the pixel matters."
            ).format(name)
        )
