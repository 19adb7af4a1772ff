"""Measures of the plan's monitoring: an indicator's achievement and a quarter's completeness and timeliness.

Rules: docs/monitoring.md (achievement is derived from counted results against the target in the indicator's
direction, never typed; completeness = reports received of reports owed; timeliness = received by the due date).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from emes.stats import percentage

from .models import Indicator


class Achievement:
    """Achievement of an indicator, derived from results, never typed."""

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NOT_REPORTED = "not_reported"
    LABELS = {ACHIEVED: "บรรลุ", NOT_ACHIEVED: "ไม่บรรลุ", NOT_REPORTED: "ยังไม่รายงาน"}


@dataclass
class QuarterTimeliness:
    """Reporting completeness and timeliness of one quarter (counts of projects)."""

    quarter: int
    due_date: dt.date
    expected: int
    on_time: int
    late: int
    missing: int

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def completeness_pct(self) -> Decimal | None:
        return percentage(Decimal(self.submitted), Decimal(self.expected))

    @property
    def timeliness_pct(self) -> Decimal | None:
        return percentage(Decimal(self.on_time), Decimal(self.expected))


def achievement_of(indicator: Indicator, actual: Decimal | None) -> str:
    """Achieved / not achieved / not reported, from ``actual`` against the target and direction."""
    return achievement_from(indicator.direction, indicator.target, actual)


def achievement_from(direction: str, target: Decimal, actual: Decimal | None) -> str:
    """``achievement_of`` on plain values (an ``Indicator.Direction`` value, the target, the actual or ``None``):
    the same rule, for reads that fetch indicators as ``values()`` rows instead of instances."""
    if actual is None:
        return Achievement.NOT_REPORTED
    return Achievement.ACHIEVED if Indicator.meets(direction, target, actual) else Achievement.NOT_ACHIEVED
