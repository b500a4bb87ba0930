"""The preprocessing made visible, step by step, with a warning for unusual drawings.

    predictor input_changed / prediction_changed
        -> (at most every ``INTERVAL_MS``, while visible) the predictor's preprocessing steps
        -> the drawing with its crop box, the crop, the digit scaled into the 20 px box,
           and the 28x28 field with the centre of mass marked

The network was trained on MNIST's digits only. A drawing far from them (a dot, a filled
blob, a dash much wider than tall, a digit cut off at the edge) gets an answer anyway; the
warning says so in plain words, with the reasons.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from handwrite.gui import explanations
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.mosaic import MosaicView, Tile, ink, paper
from handwrite.gui.live_view import LiveView
from handwrite.preprocess import DIGIT_BOX, PreprocessSteps

#: Recompute at most this often while the pen moves.
INTERVAL_MS = 60
#: The drawing is shown at most this many pixels wide (it is averaged down first).
DISPLAY_SIDE = 160

# When a drawing is "far from what the network was trained on". The MNIST figures are
# measured on its 10,000 test digits.
#: The winning probability below which the network is called unsure.
LOW_CONFIDENCE = 0.5
#: Less ink than this fraction of the sheet is almost nothing (a dot, a short dash).
LITTLE_INK = 0.004
#: A drawing whose longer side is below this fraction of the sheet's side is tiny.
SMALL_DRAWING = 0.1
#: More of the 28x28 field than this above half ink is a blob: MNIST digits cover 3-30%
#: (99.9% of them less than 30%).
MAX_COVERAGE = 0.35
#: Width / height above this is wider than 99.9% of the MNIST digits (most are 0.2-1.4).
MAX_ASPECT = 1.7


def shrink(image: np.ndarray, side: int) -> tuple[np.ndarray, int]:
    """(H, W) ``image`` averaged over f x f blocks so that it is at most ``side`` px wide;
    returns it and f."""
    f = max(1, math.ceil(max(image.shape) / side))
    if f == 1:
        return image, 1
    h, w = image.shape
    hp, wp = -(-h // f) * f, -(-w // f) * f
    padded = np.zeros((hp, wp), np.float32)
    padded[:h, :w] = image
    # f * f strided slices added up: much faster than reshape(...).mean(axis=(1, 3)).
    total = np.zeros((hp // f, wp // f), np.float32)
    for i in range(f):
        for j in range(f):
            total += padded[i::f, j::f]
    return total * np.float32(1.0 / (f * f)), f


class PreprocessView(LiveView):
    """The four steps from the drawing to the 28x28 input, and a warning when the drawing is
    unlike the digits the network has seen.

    ``steps_source``: returns how the current drawing was preprocessed (the predictor's
    :attr:`~handwrite.gui.drawing.predictor.PredictionController.steps`, so the drawing is not
    preprocessed twice), or None. Slots: ``on_input_changed(x)`` (None when there is nothing
    to recognise), ``on_prediction_changed(p)``.
    """

    def __init__(
        self,
        steps_source: Callable[[], PreprocessSteps | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("preprocess_view")
        self._steps_source = steps_source
        self._has_input = False
        self._p: np.ndarray | None = None
        self._steps: PreprocessSteps | None = None
        self._warnings: list[str] = []

        self.help = explanations.help_button(explanations.preprocessing(), self)
        head = heading_row(self.tr("From your drawing to the network's input"), self.help)
        self.mosaic = MosaicView(
            placeholder=self.tr("Draw a digit to see how it is prepared for the network"),
            columns=4,
            max_tile=200,
        )
        self.mosaic.setMinimumHeight(130)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setObjectName("caption")
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel#warning { background: #fff4d6; color: #5c4300; border: 1px solid #ecd38d;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.mosaic, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.warning)

    def __repr__(self) -> str:
        return f"PreprocessView(steps={self._steps!r}, warnings={len(self._warnings)})"

    def steps(self) -> PreprocessSteps | None:
        """The steps shown, or None."""
        return self._steps

    def warnings(self) -> list[str]:
        """Why the drawing looks unlike MNIST's digits (empty when it looks fine)."""
        return list(self._warnings)

    # -- slots ---------------------------------------------------------------------------
    def on_input_changed(self, x: np.ndarray | None) -> None:
        self._has_input = x is not None
        self.request_refresh()

    def on_prediction_changed(self, p: np.ndarray | None) -> None:
        self._p = None if p is None else np.asarray(p)
        self.request_refresh()

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        steps = self._steps_source() if self._has_input else None
        self._steps = steps
        if steps is None:
            self._warnings = []
            self.mosaic.set_tiles([])
            self.details.setText("")
            self.warning.hide()
            return
        self.mosaic.set_tiles(self._tiles(steps))
        self._warnings = self._find_warnings(steps)
        if self._warnings:
            # The reasons are clauses of one sentence; the translation says how to join them.
            separator = self.tr("; ", "between the reasons why a drawing looks unusual")
            self.warning.setText(
                self.tr("This doesn't look like a digit the network has seen: {0}.").format(
                    separator.join(self._warnings)
                )
            )
            self.warning.show()
        else:
            self.warning.hide()
        top, left, bottom, right = steps.crop_box
        self.details.setText(
            self.tr(
                "Ink on {0:.1%} of the sheet · width : height = {1:.2f} · strokes "
                "{2:.1f} → {3:.1f} px wide · {4:.0%} of the 28×28 field is ink"
            ).format(
                steps.ink_fraction,
                (right - left) / max(1, bottom - top),
                steps.stroke_width,
                steps.adjusted_stroke_width,
                _coverage(steps),
            )
        )

    def _tiles(self, steps: PreprocessSteps) -> list[Tile]:
        drawing, f = shrink(steps.normalized, DISPLAY_SIDE)
        top, left, bottom, right = steps.crop_box
        cropped, _ = shrink(steps.cropped, DISPLAY_SIDE)
        h, w = steps.scaled.shape
        box = np.zeros((DIGIT_BOX, DIGIT_BOX), np.float32)
        y0, x0 = (DIGIT_BOX - h) // 2, (DIGIT_BOX - w) // 2
        box[y0 : y0 + h, x0 : x0 + w] = steps.scaled
        oy, ox = steps.offset
        cy, cx = steps.center_of_mass
        ch, cw = steps.cropped.shape
        return [
            Tile(
                paper(drawing),
                self.tr("1. your drawing"),
                self.tr("The drawing and its crop box, the smallest box holding all the ink"),
                box=(top / f, left / f, bottom / f, right / f),
                smooth=True,
            ),
            Tile(
                paper(cropped),
                self.tr("2. cropped\n{0}×{1} px").format(cw, ch),
                self.tr("Cropped to the ink; the strongest ink becomes 1"),
                smooth=True,
            ),
            Tile(
                paper(box),
                self.tr("3. scaled to {0} px\n{1}×{2}").format(DIGIT_BOX, w, h),
                self.tr(
                    "The longer side scaled to {0} px, keeping the aspect ratio; strokes "
                    "{1:.1f} → {2:.1f} px wide, as in MNIST"
                ).format(DIGIT_BOX, steps.stroke_width, steps.adjusted_stroke_width),
            ),
            Tile(
                ink(steps.final),
                self.tr("4. centred in 28×28\n✛ centre of mass"),
                self.tr(
                    "Placed so that the centre of mass (✛, at {0:.1f}, {1:.1f}) is at the "
                    "field's centre (14, 14): what the network sees"
                ).format(cy + oy, cx + ox),
                box=(oy, ox, oy + h, ox + w),
                mark=(cy + oy, cx + ox),
            ),
        ]

    def _find_warnings(self, steps: PreprocessSteps) -> list[str]:
        found = []
        top, left, bottom, right = steps.crop_box
        height, width = steps.normalized.shape
        longer = max(bottom - top, right - left) / max(height, width)
        if steps.ink_fraction < LITTLE_INK or longer < SMALL_DRAWING:
            found.append(
                self.tr(
                    "there is almost no ink ({0:.2%} of the sheet), and a dot or a short dash "
                    "is blown up to fill the whole 20×20 box"
                ).format(steps.ink_fraction)
            )
        coverage = _coverage(steps)
        if coverage > MAX_COVERAGE:
            found.append(
                self.tr(
                    "it is mostly ink ({0:.0%} of the 28×28 field; MNIST digits cover "
                    "3–30%): the network knows strokes, not filled shapes"
                ).format(coverage)
            )
        aspect = (right - left) / max(1, bottom - top)
        if aspect > MAX_ASPECT:
            found.append(
                self.tr(
                    "it is {0:.1f} times wider than tall, and handwritten digits are taller "
                    "than wide"
                ).format(aspect)
            )
        if top == 0 or left == 0 or bottom == height or right == width:
            found.append(self.tr("it touches the edge of the sheet, so part of it may be missing"))
        p = self._p
        if p is not None and p.size and float(p.max()) < LOW_CONFIDENCE:
            found.append(
                self.tr("the network is unsure: its best guess has only {0:.0%}").format(
                    float(p.max())
                )
            )
        return found


def _coverage(steps: PreprocessSteps) -> float:
    """The fraction of the 28x28 field that is more than half ink."""
    return float((steps.final > 0.5).mean())
