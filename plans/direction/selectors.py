"""Reads of the strategy-results page: the strategy- and policy-level indicators an office reports on."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from emes.models import Office

from ..models import Indicator, Strategy, StrategyIndicatorResult


@dataclass
class ResultRow:
    indicator: Indicator
    quarters: list[StrategyIndicatorResult | None]  # Q1..Q4 of this office


def strategy_indicators(office: Office, fiscal_year: int) -> list[Indicator]:
    """Indicators of the office's strategies of ``fiscal_year`` and of the shared policies they serve (one query)."""
    return list(
        Indicator.objects.filter(strategy__fiscal_year=fiscal_year)
        .filter(Q(strategy__office=office) | Q(strategy__office__isnull=True, strategy__children__office=office))
        .select_related("strategy").distinct().order_by("strategy__level", "strategy__code", "id")
    )


def result_rows(office: Office, indicators: list[Indicator]) -> list[ResultRow]:
    """Each indicator with the office's results of Q1..Q4 (one query)."""
    found = {(r.indicator_id, r.quarter): r for r in StrategyIndicatorResult.objects.filter(office=office, indicator__in=indicators)}
    return [ResultRow(i, [found.get((i.pk, q)) for q in (1, 2, 3, 4)]) for i in indicators]


def strategies_without_indicators(office: Office, fiscal_year: int) -> int:
    return Strategy.objects.filter(office=office, fiscal_year=fiscal_year, indicators__isnull=True).count()
