"""Reads behind the annual report (รายงานผลการดำเนินงานประจำปี).

``annual_report_data`` gathers, in a fixed number of queries whatever the number of
projects, the year's summary figures with the follow-up pages' rule (submitted reports count), which
their tests cross-check. The annual report book itself (issue 15) reads ``reports.annual.data`` and
counts reviewed reports only (docs/annual-report.md).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from emes.fiscal import FiscalYear, WorkingCalendar
from emes.models import Office
from emes.stats import percentage
from plans.deadlines import due_working_days, report_due
from plans.measures import Achievement, QuarterTimeliness, achievement_of
from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport, Strategy

ZERO = Decimal("0")


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal | None
    quarter: int | None
    achievement: str

    @property
    def achievement_label(self) -> str:
        return Achievement.LABELS[self.achievement]


@dataclass
class ProjectRow:
    project: Project
    disbursed: Decimal
    indicators: list[IndicatorRow]

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percentage(self.disbursed, self.project.budget)


@dataclass
class BudgetRow:
    """Budget allocated and disbursed (baht) for one strategy or division."""

    label: str
    code: str
    projects: int = 0
    budget: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percentage(self.disbursed, self.budget)


@dataclass
class StrategyBlock:
    strategy: Strategy
    projects: list[ProjectRow] = field(default_factory=list)


@dataclass
class AnnualReportData:
    """Everything the annual report of ``office`` for ``fiscal_year`` (BE) shows."""

    office: Office
    fiscal_year: int
    generated_at: dt.datetime
    strategies: list[StrategyBlock]
    by_strategy: list[BudgetRow]
    by_division: list[BudgetRow]
    total: BudgetRow
    achievement_counts: dict[str, int]
    timeliness: list[QuarterTimeliness]

    @property
    def indicator_total(self) -> int:
        return sum(self.achievement_counts.values())

    def achievement_pct(self, key: str) -> Decimal | None:
        return percentage(Decimal(self.achievement_counts[key]), Decimal(self.indicator_total))

    @property
    def achieved_pct(self) -> Decimal | None:
        return self.achievement_pct(Achievement.ACHIEVED)

    @property
    def not_achieved_pct(self) -> Decimal | None:
        return self.achievement_pct(Achievement.NOT_ACHIEVED)

    @property
    def not_reported_pct(self) -> Decimal | None:
        return self.achievement_pct(Achievement.NOT_REPORTED)

    @property
    def project_count(self) -> int:
        return sum(len(b.projects) for b in self.strategies)


def has_plan(office: Office, fiscal_year: int) -> bool:
    """Whether the office has any project in ``fiscal_year`` (BE)."""
    return Project.objects.filter(office=office, fiscal_year=fiscal_year).exists()


def annual_report_data(office: Office, fiscal_year: int) -> AnnualReportData:
    """Collect the annual report of ``office`` for ``fiscal_year`` (BE) in a constant number of queries.

    Figures count only reports that are submitted, accepted or approved
    (``QuarterlyReport.COUNTED``); drafts and returned reports are not results yet.

    - Budget disbursed (baht) of a project: the sum of its counted quarterly disbursements.
    - An indicator's actual: the value in its latest counted quarter; achievement compares it
      with the target in the indicator's direction (≥ or ≤); no counted value = not reported.
    - Timeliness: a report counts as on time when submitted on or before its due date
      (``emes.fiscal.report_due_date`` with the office's declared holidays); a project with no
      counted report for a quarter is missing.
    """
    counted = Q(reports__status__in=QuarterlyReport.COUNTED)
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "division")
        .annotate(
            disbursed=Coalesce(
                Sum("reports__budget_disbursed", filter=counted),
                Value(ZERO),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("id")))
        .order_by("strategy__code", "code")
    )

    latest: dict[int, tuple[int, Decimal]] = {}
    results = (
        IndicatorResult.objects.filter(
            indicator__project__office=office,
            indicator__project__fiscal_year=fiscal_year,
            report__status__in=QuarterlyReport.COUNTED,
        )
        .order_by("report__quarter")
        .values_list("indicator_id", "report__quarter", "actual")
    )
    for indicator_id, quarter, actual in results:
        latest[indicator_id] = (quarter, actual)

    blocks: dict[int, StrategyBlock] = {}
    by_strategy: dict[int, BudgetRow] = {}
    by_division: dict[int, BudgetRow] = {}
    counts = {Achievement.ACHIEVED: 0, Achievement.NOT_ACHIEVED: 0, Achievement.NOT_REPORTED: 0}
    total = BudgetRow(label="รวมทั้งสิ้น", code="")
    for project in projects:
        rows = []
        for indicator in project.indicators.all():
            quarter, actual = latest.get(indicator.pk, (None, None))
            achievement = achievement_of(indicator, actual)
            counts[achievement] += 1
            rows.append(IndicatorRow(indicator, actual, quarter, achievement))
        blocks.setdefault(project.strategy_id, StrategyBlock(project.strategy)).projects.append(
            ProjectRow(project, project.disbursed, rows)
        )
        for bucket, key, label, code in (
            (by_strategy, project.strategy_id, project.strategy.name, project.strategy.code),
            (by_division, project.division_id, project.division.name, project.division.code),
        ):
            row = bucket.setdefault(key, BudgetRow(label=label, code=code))
            row.projects += 1
            row.budget += project.budget
            row.disbursed += project.disbursed
        total.projects += 1
        total.budget += project.budget
        total.disbursed += project.disbursed

    return AnnualReportData(
        office=office,
        fiscal_year=fiscal_year,
        generated_at=timezone.now(),
        strategies=sorted(blocks.values(), key=lambda b: b.strategy.code),
        by_strategy=sorted(by_strategy.values(), key=lambda r: r.code),
        by_division=sorted(by_division.values(), key=lambda r: r.code),
        total=total,
        achievement_counts=counts,
        timeliness=_timeliness(office, fiscal_year, len(projects)),
    )


def _timeliness(office: Office, fiscal_year: int, expected: int) -> list[QuarterTimeliness]:
    calendar = WorkingCalendar.for_office(office)
    submitted: dict[int, list[dt.date]] = defaultdict(list)
    rows = QuarterlyReport.objects.filter(
        project__office=office,
        project__fiscal_year=fiscal_year,
        status__in=QuarterlyReport.COUNTED,
        submitted_at__isnull=False,
    ).values_list("quarter", "submitted_at")
    for quarter, submitted_at in rows:
        submitted[quarter].append(timezone.localtime(submitted_at).date())
    out = []
    days = due_working_days(office, fiscal_year)
    for quarter in FiscalYear(fiscal_year).quarters:
        due = report_due(office, quarter, calendar=calendar, working_days=days)
        dates = submitted[quarter.number]
        on_time = sum(1 for d in dates if d <= due)
        out.append(
            QuarterTimeliness(
                quarter=quarter.number,
                due_date=due,
                expected=expected,
                on_time=on_time,
                late=len(dates) - on_time,
                missing=expected - len(dates),
            )
        )
    return out

