"""How the plots of the map, the epochs and the robustness curves look: one place for it.

:func:`styled_plot` gives a pyqtgraph ``PlotItem`` the window's colours, no context menu or
auto-range button, and axes that write their numbers as they are (:class:`PlainAxis`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

#: Ten colours that tell each other apart (Tableau 10, matplotlib's default cycle): the
#: digits of the map and the epochs, the runs compared.
TABLEAU10 = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)


class PlainAxis(pg.AxisItem):
    """An axis with the numbers as they are. pyqtgraph scales a range below 1 by an SI
    prefix, so levels 0.1 to 0.6 would read "100 ... 600" under "(x0.001)";
    ``enableAutoSIPrefix(False)`` alone does not stop it in every version (pyqtgraph issue
    #2899), so the prefix is never computed here."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation=orientation)
        self.enableAutoSIPrefix(False)

    def updateAutoSIPrefix(self) -> None:
        self.autoSIPrefixScale = 1.0
        self.labelUnitPrefix = ""
        self._updateLabel()


def plain_axes() -> dict[str, PlainAxis]:
    """``axisItems`` for a new plot: plain left and bottom axes."""
    return {"left": PlainAxis("left"), "bottom": PlainAxis("bottom")}


def styled_plot(plot: pg.PlotItem, foreground: QColor, title: str = "") -> pg.PlotItem:
    """``plot`` in the window's ``foreground`` colour, with ``title``; fixed, no menu."""
    if title:
        plot.setTitle(title, color=foreground, size="9pt")
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(foreground)
        plot.getAxis(axis).setPen(pg.mkPen(foreground.lighter(150)))
    return plot
