"""How the window writes numbers: percentages, probabilities, changes and durations.

One home, so that the same number reads the same in every view. The digit labels are the
core's (:data:`handwrite.nn.model.DIGITS`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from handwrite import translatable
from handwrite.refusal import NOT_A_DIGIT_LABEL

#: Shown for a number that is not known (NaN), e.g. an accuracy not measured yet.
UNKNOWN = "–"


def class_name(label: str) -> str:
    """A class label as the window shows it: a label the core names (the 11th output, "not
    a digit") in the window's language, a digit as it is."""
    if label == NOT_A_DIGIT_LABEL:
        return QCoreApplication.translate(translatable.CLASSES, label)
    return label


def percent(value: float, decimals: int = 1) -> str:
    """``0.953`` -> ``"95.3%"`` (``decimals`` after the point); unknown (NaN) -> ``"–"``."""
    return UNKNOWN if not math.isfinite(value) else f"{value:.{decimals}%}"


def probability(value: float) -> str:
    """A probability beside its bar: whole percents, and the ends as they are: ``"100%"``
    from 99.5%, ``"<1%"`` below 1%, ``"0%"`` below 0.1% (rounding would say 0% or 100% of
    answers that are neither)."""
    if value >= 0.995:
        return "100%"
    if value < 0.001:
        return "0%"
    if value < 0.01:
        return "<1%"
    return f"{value:.0%}"


def points(change: float) -> str:
    """A change of accuracy in percentage points: ``+12.5 pts`` / ``−0.3 pts`` / ``±0.0 pts``."""
    if not math.isfinite(change):
        return UNKNOWN
    value = 100.0 * change
    if abs(value) < 0.05:
        text = "±0.0"
    else:
        text = f"+{value:.1f}" if value > 0 else f"−{-value:.1f}"
    return QCoreApplication.translate("formatting", "{0} pts").format(text)


def duration(seconds: float) -> str:
    """``75`` -> ``"1:15"``, ``3725`` -> ``"1:02:05"``; unknown -> ``"–"``."""
    if not math.isfinite(seconds) or seconds < 0:
        return UNKNOWN
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
