"""One percentage rule for every figure EMES shows (docs/monitoring.md "Percentages")."""
from __future__ import annotations

from decimal import Decimal

import pytest

from emes.stats import percentage
from inspections.outputs.data import percentage as inspection_percentage
from literacy.summary import percent as literacy_percent
from plans.measures import QuarterTimeliness


def test_half_up_where_half_even_would_round_down():
    # 24,690 of 200,000 baht = 12.345 %: half up gives 12.35 (half to even gave 12.34 in the annual report).
    assert percentage(Decimal("24690"), Decimal("200000")) == Decimal("12.35")


@pytest.mark.parametrize("part, whole, expected", [(1, 8, "12.50"), (1, 3, "33.33"), (2, 3, "66.67"), (0, 5, "0.00"), (5, 5, "100.00")])
def test_two_decimals(part, whole, expected):
    assert percentage(part, whole) == Decimal(expected)


def test_no_base_is_none_not_zero():
    assert percentage(3, 0) is None
    assert percentage(0, None) is None


def test_floats_go_through_their_text():
    assert percentage(0.1, 0.8) == Decimal("12.50")


def test_every_app_uses_the_same_helper():
    assert literacy_percent is percentage and inspection_percentage is percentage


def test_timeliness_rounds_half_up():
    quarter = QuarterTimeliness(quarter=1, due_date=None, expected=8, on_time=1, late=0, missing=7)
    # 1 of 8 = 12.5 exactly; and 1 of 200,000 * 24,690 style halves go up.
    assert quarter.timeliness_pct == Decimal("12.50")
