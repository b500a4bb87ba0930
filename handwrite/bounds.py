"""The accepted range of a numeric value: one class for layer arguments and settings alike."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from handwrite.translatable import QT_TRANSLATE_NOOP, Phrase, error_phrase


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

    def phrase(self) -> Phrase:
        """The range in words, translatable: "a whole number from 1 to 1048576", "a number
        above 0 below 1". One template per kind of range, so that a language may order the
        words its own way."""
        key = (self.integer, self.low_open, self.high_open)
        return error_phrase(_RANGES[key], low=_text(self.low), high=_text(self.high))

    def __str__(self) -> str:
        return self.phrase().text()


#: The range's words by (integer, low_open, high_open).
_RANGES = {
    (True, False, False): QT_TRANSLATE_NOOP("Errors", "a whole number from {low} to {high}"),
    (True, True, False): QT_TRANSLATE_NOOP("Errors", "a whole number above {low} to {high}"),
    (True, False, True): QT_TRANSLATE_NOOP("Errors", "a whole number from {low} below {high}"),
    (True, True, True): QT_TRANSLATE_NOOP("Errors", "a whole number above {low} below {high}"),
    (False, False, False): QT_TRANSLATE_NOOP("Errors", "a number from {low} to {high}"),
    (False, True, False): QT_TRANSLATE_NOOP("Errors", "a number above {low} to {high}"),
    (False, False, True): QT_TRANSLATE_NOOP("Errors", "a number from {low} below {high}"),
    (False, True, True): QT_TRANSLATE_NOOP("Errors", "a number above {low} below {high}"),
}


def _text(value: float) -> str:
    """``1048576`` rather than ``1.04858e+06``; ``1e-05`` as ``%g`` writes it."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"
