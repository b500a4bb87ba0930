"""Where a pixel of the 28x28 image the network sees lies on the canvas it was drawn on.

:func:`handwrite.preprocess.preprocess_steps` crops a drawing to its ink, scales it (keeping its
aspect ratio) so that its longer side fills a 20 px box, and pastes it at an integer offset in
the 28x28 field. Each of those steps is a scale and a shift along each axis, one scale for both
axes, so the whole is one affine map (:class:`CanvasMap`). :func:`canvas_map` reads it off a
drawing's :class:`~handwrite.preprocess.PreprocessSteps`.

Coordinates are continuous, with pixel ``(i, j)`` covering ``[i, i + 1) x [j, j + 1)`` (so
its centre is at ``(i + 0.5, j + 0.5)``), in (row, column) order: a rectangle of whole pixels
such as a :class:`~handwrite.arithmetic.ReceptiveField` maps by its corners.

When the stroke width was brought into MNIST's range, the crop was first resampled at a finer
"work" resolution, thickened or thinned there and cropped to its ink again; the record of the
steps does not say where that second crop fell. It is taken to be symmetric: the ink's bounding
box grew (dilation) or shrank (erosion) by the same amount on both sides of each axis. A
dilation grows every side by the same radius, so that holds to within the anti-aliased fringe
(a fraction of a pixel of the 28x28 image). An erosion can shrink the two sides of an axis
differently (a thick stroke at one end, a thin one, kept as it is, at the other); then the map
can be off by up to the erosion radius, about a pixel of the 28x28 image for the boldest pens.
:attr:`CanvasMap.exact` says which case a map is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from handwrite.preprocess import DIGIT_BOX, WORK_FACTOR, PreprocessSteps

__all__ = ["CanvasMap", "canvas_map"]


@dataclass(frozen=True)
class CanvasMap:
    """The affine map from the 28x28 input to the canvas, per axis:
    ``canvas = input * scale + origin`` (continuous (row, column) coordinates, see the module).

    Attributes:
        scale: canvas pixels per input pixel (the same along both axes).
        origin: (row, col) on the canvas of the input's corner (0, 0).
        exact: False when the stroke width was adjusted, so that the map is estimated (see the
            module docstring); True when it follows the preprocessing exactly.
    """

    scale: float
    origin: tuple[float, float]
    exact: bool = True

    def to_canvas(self, row: float, col: float) -> tuple[float, float]:
        """An input point (row, col) on the canvas."""
        return row * self.scale + self.origin[0], col * self.scale + self.origin[1]

    def to_input(self, row: float, col: float) -> tuple[float, float]:
        """A canvas point (row, col) in the 28x28 input."""
        return (row - self.origin[0]) / self.scale, (col - self.origin[1]) / self.scale

    def rect_to_canvas(
        self, top: float, left: float, bottom: float, right: float
    ) -> tuple[float, float, float, float]:
        """An input rectangle (top, left, bottom, right) as a canvas rectangle, same order."""
        t, le = self.to_canvas(top, left)
        b, r = self.to_canvas(bottom, right)
        return t, le, b, r

    def matrix(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """The 2x3 affine matrix taking homogeneous input (x, y, 1) to canvas (x, y), with x
        the column and y the row, as ``QTransform(m11, m12, m21, m22, dx, dy)`` wants its
        numbers: ``((scale, 0, origin_col), (0, scale, origin_row))``."""
        return ((self.scale, 0.0, self.origin[1]), (0.0, self.scale, self.origin[0]))


def _fit(size: int, scale: float) -> tuple[int, float]:
    """How the preprocessing fits one axis of ``size`` px scaled by ``scale`` into whole
    pixels: (output size, offset of the scaled image's first edge), the scaled extent centred
    in the smallest number of pixels that holds it."""
    out = max(1, math.ceil(size * scale - 1e-6))
    return out, (out - size * scale) / 2.0


def canvas_map(steps: PreprocessSteps) -> CanvasMap:
    """The map from the 28x28 input to the drawing that ``steps`` preprocessed.

    ``steps``: :func:`handwrite.preprocess.preprocess_steps` of the drawing (its input is the
    canvas, in canvas pixels). Uses the crop box, the sizes of the crop, the adjusted image and
    the scaled digit, and the paste offset.

    Raises:
        ValueError: the steps do not fit the scaling described here (a sign that
            :mod:`handwrite.preprocess` changed how it scales): the map would be wrong.
    """
    top, left, _, _ = steps.crop_box
    crop_h, crop_w = steps.cropped.shape
    if steps.adjusted_stroke_width == steps.stroke_width:  # the strokes were left as drawn
        # canvas -> crop: minus the crop corner; crop -> scaled digit: * s + fit offset
        s = DIGIT_BOX / max(crop_h, crop_w)
        fitted = [_fit(n, s) for n in (crop_h, crop_w)]
        shifts = (fitted[0][1], fitted[1][1])
        total = s
        exact = True
    else:
        # crop -> work resolution (* s_work), a symmetric growth or shrink of the ink's box to
        # the adjusted image, which is fitted into the box like an unadjusted crop
        adj_h, adj_w = steps.adjusted.shape
        s_work = DIGIT_BOX * WORK_FACTOR / max(crop_h, crop_w)
        grow = ((adj_h - crop_h * s_work) / 2.0, (adj_w - crop_w * s_work) / 2.0)
        s = DIGIT_BOX / max(adj_h, adj_w)
        fitted = [_fit(n, s) for n in (adj_h, adj_w)]
        shifts = (grow[0] * s + fitted[0][1], grow[1] * s + fitted[1][1])
        total = s_work * s
        exact = False
    if (fitted[0][0], fitted[1][0]) != steps.scaled.shape:
        raise ValueError(
            f"the preprocessing scaled the digit to {steps.scaled.shape}, not to "
            f"{(fitted[0][0], fitted[1][0])} as canvas_map expects: update canvas_map to how "
            "handwrite.preprocess scales now"
        )
    oy, ox = steps.offset
    # input = (canvas - crop corner) * total + shift + paste offset; solved for the canvas
    origin = (
        top - (shifts[0] + oy) / total,
        left - (shifts[1] + ox) / total,
    )
    return CanvasMap(scale=1.0 / total, origin=origin, exact=exact)
