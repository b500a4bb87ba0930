"""How the window writes numbers: one home for percentages, probabilities, changes, durations."""

from __future__ import annotations

import math
from typing import Any

import pytest

from handwrite.gui import formatting


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(0.953, 1, "95.3%"), (0.5, 0, "50%"), (1.0, 2, "100.00%"), (math.nan, 1, "–")],
)
def test_percent(value: float, decimals: int, text: str) -> None:
    assert formatting.percent(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.996, "100%"), (0.994, "99%"), (0.42, "42%"), (0.005, "<1%"), (0.0004, "0%")],
)
def test_a_probability_is_never_rounded_to_certainty(value: float, text: str) -> None:
    assert formatting.probability(value) == text


@pytest.mark.parametrize(
    ("change", "text"),
    [(0.125, "+12.5 pts"), (-0.003, "−0.3 pts"), (0.0001, "±0.0 pts"), (math.nan, "–")],
)
def test_points(qapp: Any, change: float, text: str) -> None:
    assert formatting.points(change) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(75, "1:15"), (3725, "1:02:05"), (-1, "–"), (math.inf, "–")]
)
def test_duration(seconds: float, text: str) -> None:
    assert formatting.duration(seconds) == text
