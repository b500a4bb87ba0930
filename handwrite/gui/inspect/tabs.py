"""The two tabs that look inside: the network (filters over feature maps, one unit's
arithmetic beside them) and the drawing (the preprocessing steps over the saliency of the
answer)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from handwrite.gui.inspect.feature_map_view import FeatureMapView
from handwrite.gui.inspect.filter_view import FilterView
from handwrite.gui.inspect.preprocess_view import PreprocessView
from handwrite.gui.inspect.saliency_view import SaliencyView
from handwrite.gui.inspect.unit_view import UnitView
from handwrite.preprocess import PreprocessSteps


class _Stacked(QSplitter):
    """Two views one above the other; the lower one takes twice the extra height."""

    def _stack(self, top: QWidget, bottom: QWidget, sizes: tuple[int, int]) -> None:
        self.setOrientation(Qt.Orientation.Vertical)
        self.addWidget(top)
        self.addWidget(bottom)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 2)
        self.setSizes(list(sizes))
        self.setChildrenCollapsible(False)


class InsideTab(_Stacked):
    """The first layer's ``filters`` over the ``feature_maps`` of the drawing, with the
    arithmetic of the ``unit`` pointed at beside them. ``steps``: the predictor's
    preprocessing of the current drawing (or None), to place a unit's field on the canvas."""

    def __init__(
        self, steps: Callable[[], PreprocessSteps | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.filters = FilterView()
        self.feature_maps = FeatureMapView()
        self.unit = UnitView(steps)
        self.maps_and_unit = QSplitter(Qt.Orientation.Horizontal)
        self.maps_and_unit.addWidget(self.feature_maps)
        self.maps_and_unit.addWidget(self.unit)
        self.maps_and_unit.setStretchFactor(0, 3)
        self.maps_and_unit.setStretchFactor(1, 2)
        self.maps_and_unit.setSizes([300, 200])
        self.maps_and_unit.setChildrenCollapsible(False)
        self._stack(self.filters, self.maps_and_unit, (200, 520))


class DrawingStepsTab(_Stacked):
    """How the drawing is ``preprocess``-ed for the network, over the ``saliency`` of its
    answer. ``steps``: the predictor's preprocessing of the current drawing (or None)."""

    def __init__(
        self, steps: Callable[[], PreprocessSteps | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.preprocess = PreprocessView(steps)
        self.saliency = SaliencyView()
        self._stack(self.preprocess, self.saliency, (260, 460))
