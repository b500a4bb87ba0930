"""The values a numeric setting accepts, stated once for the core, the command line and the
window (which sets its controls' ranges from them)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """The values a numeric setting accepts: ``low`` to ``high``, both included; whole
    numbers only when ``integer``."""

    low: float
    high: float
    integer: bool = False

    def admits(self, value: object) -> bool:
        """Whether ``value`` is a number of the right kind between the bounds."""
        kinds = int if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            return False
        return math.isfinite(value) and self.low <= value <= self.high

    def __str__(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"
