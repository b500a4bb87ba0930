"""The accepted range of a numeric value: one class for layer arguments and settings alike."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """The values a numeric setting or argument accepts: ``low`` to ``high``, both included;
    whole numbers only when ``integer``; ``low_open`` and ``high_open``: the bound itself
    excluded (a sigma must be above 0, a dropout rate below 1)."""

    low: float
    high: float
    integer: bool = False
    low_open: bool = False
    high_open: bool = False

    def admits(self, value: object) -> bool:
        """Whether ``value`` is a number of the right kind between the bounds (never raises,
        whatever ``value`` is: a huge integer, a string, a list)."""
        if isinstance(value, bool):
            return False
        if isinstance(value, numbers.Integral):
            value = int(value)  # compared exactly: float() of a huge integer would overflow
        elif self.integer or not isinstance(value, numbers.Real):
            return False
        elif not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def __str__(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        low = "above" if self.low_open else "from"
        high = "below" if self.high_open else "to"
        return f"{kind} {low} {_text(self.low)} {high} {_text(self.high)}"


def _text(value: float) -> str:
    """``1048576`` rather than ``1.04858e+06``; ``1e-05`` as ``%g`` writes it."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"
