"""Reads behind the follow-up pages of the quarterly reports (issue 5, "Follow-up views").

Every function runs a fixed number of queries whatever the number of projects; the rules are the
annual report's (``reports.selectors.annual_report_data``) so the pages and the PDF never disagree:

- only reports in ``QuarterlyReport.COUNTED`` (submitted, accepted, approved) count; a draft or a
  returned report is not a result yet;
- completeness and timeliness (DHIS2's "reporting rate" and "reporting rate on time"): every project
  of the fiscal year is expected to report every quarter; a counted report with a submission time is
  submitted, on time when its local submission date is on or before the due date (``plans.deadlines``:
  5 working days after the quarter by default, office holidays counted), late otherwise; the rest is
  missing;
- disbursement: a project's cumulative disbursement at the end of quarter *n* is the sum of
  ``budget_disbursed`` (baht, disbursed during the quarter) of its counted reports of quarters 1..*n*,
  against its allocation ``Project.budget``;
- an indicator's achievement comes from its latest counted result (``plans.selectors``).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.fiscal import FiscalYear, WorkingCalendar
from emes.models import Office
from plans.deadlines import due_working_days, report_due, working_days_late
from plans.models import DisbursementTarget, Indicator, IndicatorResult, Project, QuarterlyReport
from plans.selectors import IndicatorList, LatestResult, plan_indicators
from emes.stats import percentage
from plans.measures import Achievement, QuarterTimeliness, achievement_of

ZERO = Decimal("0")
QUARTERS = (1, 2, 3, 4)


# --- Completeness and timeliness ------------------------------------------------------------------

ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass(frozen=True)
class ExpectedReport:
    """One project's report of one quarter and how it stands.

    ``state`` is ``ON_TIME``, ``LATE`` or ``MISSING``; ``report_status`` the stored status (``None``
    when no report was started); ``late_working_days`` counts working days after ``due_date`` up to
    the submission date (late) or up to today (missing; 0 while the due date has not passed).
    """

    project: Project
    quarter: int
    due_date: dt.date
    state: str
    report_status: str | None
    submitted_on: dt.date | None
    late_working_days: int

    @property
    def status_label(self) -> Any:
        if self.report_status is None:
            return _("No report yet")
        return QuarterlyReport.Status(self.report_status).label


@dataclass
class GroupTimeliness:
    """Completeness and timeliness of a group (a division, a project owner) in one quarter."""

    key: Any
    label: str
    counts: QuarterTimeliness


@dataclass
class Completeness:
    """The completeness page of ``office`` for ``fiscal_year`` (BE).

    ``quarters`` holds the overall counts of Q1..Q4 (same shape and figures as
    ``annual_report_data(...).timeliness``); ``quarter`` is the quarter shown in detail with
    ``by_division``, ``by_owner``, ``missing`` (oldest due first, then project code) and ``late``
    (most late first). ``today`` is the local date lateness of missing reports is counted to.
    """

    office: Office
    fiscal_year: int
    today: dt.date
    quarters: list[QuarterTimeliness]
    quarter: int
    by_division: list[GroupTimeliness]
    by_owner: list[GroupTimeliness]
    missing: list[ExpectedReport]
    late: list[ExpectedReport]

    @property
    def selected(self) -> QuarterTimeliness:
        return self.quarters[self.quarter - 1]

    def is_due(self, quarter: int) -> bool:
        return self.quarters[quarter - 1].due_date < self.today


def default_quarter(due_dates: Iterable[dt.date], today: dt.date) -> int:
    """The latest quarter (1-4) whose due date has passed by ``today``; 1 when none has yet."""
    passed = [n for n, due in enumerate(due_dates, start=1) if due < today]
    return passed[-1] if passed else 1


def quarter_due_dates(office: Office, fiscal_year: int, calendar: WorkingCalendar | None = None) -> list[dt.date]:
    """Due dates of the office's Q1..Q4 reports of ``fiscal_year`` (two queries without ``calendar``)."""
    calendar = calendar or WorkingCalendar.for_office(office)
    days = due_working_days(office, fiscal_year)
    return [report_due(office, q, calendar=calendar, working_days=days) for q in FiscalYear(fiscal_year).quarters]


def _counts(quarter: int, due: dt.date, states: Iterable[str]) -> QuarterTimeliness:
    tally = Counter(states)
    expected = sum(tally.values())
    return QuarterTimeliness(quarter=quarter, due_date=due, expected=expected, on_time=tally[ON_TIME], late=tally[LATE], missing=tally[MISSING])


def _owner_label(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def completeness(office: Office, fiscal_year: int, *, quarter: int | None = None, today: dt.date | None = None) -> Completeness:
    """Completeness and timeliness of the office's quarterly reports of ``fiscal_year`` (BE); four queries.

    ``quarter`` (1-4) is the quarter detailed by division, by owner and in the missing and late
    lists; by default the latest quarter whose due date has passed (``default_quarter``). Raises
    ``ValueError`` for a quarter outside 1-4.
    """
    if quarter is not None and quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    today = today or timezone.localdate()
    calendar = WorkingCalendar.for_office(office)
    due_dates = quarter_due_dates(office, fiscal_year, calendar)
    quarter = quarter or default_quarter(due_dates, today)

    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year).select_related("division", "owner").order_by("code")
    )
    reports: dict[tuple[int, int], tuple[str, dt.datetime | None]] = {
        (project_id, q): (status, submitted_at)
        for project_id, q, status, submitted_at in QuarterlyReport.objects.filter(
            project__office=office, project__fiscal_year=fiscal_year
        ).values_list("project_id", "quarter", "status", "submitted_at")
    }

    # Lateness only depends on (due date, day): missing reports of a quarter share one figure.
    late_cache: dict[tuple[dt.date, dt.date], int] = {}

    def lateness(due: dt.date, day: dt.date) -> int:
        key = (due, day)
        if key not in late_cache:
            late_cache[key] = working_days_late(due, day, calendar)
        return late_cache[key]

    rows: dict[int, list[ExpectedReport]] = {q: [] for q in QUARTERS}
    for project in projects:
        for q in QUARTERS:
            due = due_dates[q - 1]
            status, submitted_at = reports.get((project.pk, q), (None, None))
            if status in QuarterlyReport.COUNTED and submitted_at is not None:
                on = timezone.localtime(submitted_at).date()
                state = ON_TIME if on <= due else LATE
                rows[q].append(ExpectedReport(project, q, due, state, status, on, lateness(due, on)))
            else:
                rows[q].append(ExpectedReport(project, q, due, MISSING, status, None, lateness(due, today)))

    overall = [_counts(q, due_dates[q - 1], (r.state for r in rows[q])) for q in QUARTERS]
    detail = rows[quarter]
    due = due_dates[quarter - 1]

    def grouped(key_of, label_of) -> list[GroupTimeliness]:
        groups: dict[Any, list[ExpectedReport]] = defaultdict(list)
        labels: dict[Any, str] = {}
        for r in detail:
            key = key_of(r.project)
            groups[key].append(r)
            labels[key] = label_of(r.project)
        return [GroupTimeliness(key, labels[key], _counts(quarter, due, (r.state for r in groups[key]))) for key in groups]

    division_codes = {p.division_id: p.division.code for p in projects}
    by_division = sorted(
        grouped(lambda p: p.division_id, lambda p: p.division.short_name or p.division.name),
        key=lambda g: division_codes[g.key],
    )
    by_owner = sorted(
        grouped(lambda p: p.owner_id, lambda p: _owner_label(p.owner) or str(_("No owner"))),
        key=lambda g: (g.key is None, g.label),
    )
    return Completeness(
        office=office, fiscal_year=fiscal_year, today=today, quarters=overall, quarter=quarter,
        by_division=by_division, by_owner=by_owner,
        missing=sorted((r for r in detail if r.state == MISSING), key=lambda r: (-r.late_working_days, r.project.code)),
        late=sorted((r for r in detail if r.state == LATE), key=lambda r: (-r.late_working_days, r.project.code)),
    )


# --- Budget disbursement --------------------------------------------------------------------------

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
#: Points (percentage points of the allocation) below the target still flagged amber.
AMBER_MARGIN = Decimal("10")
FLAG_LABELS = {
    GREEN: _("On target"),
    AMBER: _("Slightly behind (within 10 points)"),
    RED: _("Behind (more than 10 points)"),
    GREY: _("No target or no allocation"),
}


def disbursement_flag(pct: Decimal | None, target: Decimal | None) -> str:
    """Red/amber/green flag of a cumulative disbursement ``pct`` (% of the allocation) against ``target``.

    Rule: green when ``pct`` ≥ ``target``; amber when below it by at most ``AMBER_MARGIN`` (10)
    percentage points (``target - 10 ≤ pct < target``); red when further below; grey when the
    fiscal year has no target for that quarter or there is no allocation (``pct`` is ``None``).
    """
    if target is None or pct is None:
        return GREY
    if pct >= target:
        return GREEN
    if pct >= target - AMBER_MARGIN:
        return AMBER
    return RED


@dataclass
class CumulativeCell:
    """Cumulative disbursement (baht) at the end of one quarter and its flag against the target."""

    quarter: int
    disbursed: Decimal
    pct: Decimal | None
    target: Decimal | None

    @property
    def flag(self) -> str:
        return disbursement_flag(self.pct, self.target)

    @property
    def flag_label(self) -> Any:
        return FLAG_LABELS[self.flag]


@dataclass
class DisbursementRow:
    """Allocation (baht) and cumulative disbursement at the end of Q1..Q4 of the office, a division or a project."""

    label: str
    allocated: Decimal = ZERO
    by_quarter: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)  # disbursed DURING each quarter
    project: Project | None = None
    code: str = ""
    projects: int = 0
    targets: list[Decimal | None] = field(default_factory=lambda: [None] * 4)

    def add(self, allocated: Decimal, by_quarter: list[Decimal]) -> None:
        self.allocated += allocated
        self.by_quarter = [a + b for a, b in zip(self.by_quarter, by_quarter)]
        self.projects += 1

    @property
    def cumulative(self) -> list[CumulativeCell]:
        out, running = [], ZERO
        for q, amount in zip(QUARTERS, self.by_quarter):
            running += amount
            out.append(CumulativeCell(q, running, percentage(running, self.allocated), self.targets[q - 1]))
        return out

    @property
    def disbursed(self) -> Decimal:
        return sum(self.by_quarter, ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed


@dataclass
class Disbursement:
    """The disbursement page of ``office`` for ``fiscal_year`` (BE): ``targets`` are the cumulative %
    targets of Q1..Q4 (``None`` where the admin has set none); ``total`` the office, then ``divisions``
    (by division code) and ``projects`` (by code)."""

    office: Office
    fiscal_year: int
    targets: list[Decimal | None]
    target_sources: list[str]
    total: DisbursementRow
    divisions: list[DisbursementRow]
    projects: list[DisbursementRow]

    @property
    def missing_targets(self) -> list[int]:
        return [q for q, t in zip(QUARTERS, self.targets) if t is None]


def disbursement_targets(fiscal_year: int) -> tuple[list[Decimal | None], list[str]]:
    """Cumulative targets (%) of Q1..Q4 of ``fiscal_year`` and their sources; ``None`` where unset. One query."""
    found = {t.quarter: t for t in DisbursementTarget.objects.filter(fiscal_year=fiscal_year)}
    return [found[q].target_pct if q in found else None for q in QUARTERS], [found[q].source if q in found else "" for q in QUARTERS]


def _disbursed_by_quarter(queryset):
    """Annotate ``dq1``..``dq4``: baht disbursed during each quarter in counted reports."""
    money = DecimalField(max_digits=14, decimal_places=2)
    counted = Q(reports__status__in=QuarterlyReport.COUNTED)
    return queryset.annotate(**{
        f"dq{q}": Coalesce(Sum("reports__budget_disbursed", filter=counted & Q(reports__quarter=q)), Value(ZERO), output_field=money)
        for q in QUARTERS
    })


def disbursement(office: Office, fiscal_year: int) -> Disbursement:
    """Cumulative disbursement vs allocation at the end of each quarter for the office, its divisions and
    its projects, with the fiscal year's cumulative targets. Two queries whatever the number of projects.

    Baht; percentages of the allocation with two decimals (``None`` without allocation). The office's
    Q4 figure equals the annual report's ``total.disbursed``.
    """
    targets, sources = disbursement_targets(fiscal_year)
    projects = list(
        _disbursed_by_quarter(Project.objects.filter(office=office, fiscal_year=fiscal_year))
        .select_related("division", "owner").order_by("code")
    )
    total = DisbursementRow(label=str(_("Whole office")), targets=targets)
    divisions: dict[int, DisbursementRow] = {}
    rows: list[DisbursementRow] = []
    for project in projects:
        amounts = [getattr(project, f"dq{q}") for q in QUARTERS]
        row = DisbursementRow(label=project.name, project=project, code=project.code, targets=targets)
        row.add(project.budget, amounts)
        rows.append(row)
        total.add(project.budget, amounts)
        division = divisions.setdefault(project.division_id, DisbursementRow(
            label=project.division.short_name or project.division.name, code=project.division.code, targets=targets
        ))
        division.add(project.budget, amounts)
    return Disbursement(
        office=office, fiscal_year=fiscal_year, targets=targets, target_sources=sources, total=total,
        divisions=sorted(divisions.values(), key=lambda r: r.code), projects=rows,
    )


# --- Indicator tracking ---------------------------------------------------------------------------


@dataclass
class TrackingRow:
    """An indicator with its counted result of each quarter (``None`` where none) and its achievement
    from the latest counted result."""

    row: Any  # plans.selectors.IndicatorListRow
    quarters: list[LatestResult | None]

    @property
    def indicator(self) -> Indicator:
        return self.row.indicator

    @property
    def cells(self) -> list[tuple[LatestResult | None, bool | None]]:
        """``(result, met?)`` per quarter; ``met`` is ``None`` without a result."""
        return [(r, None if r is None else self.indicator.is_met_by(r.actual)) for r in self.quarters]


@dataclass
class Tracking:
    listing: IndicatorList
    rows: list[TrackingRow]


def quarterly_results(office: Office, fiscal_year: int) -> dict[tuple[int, int], LatestResult]:
    """``{(indicator_id, quarter): result}`` of the counted reports of the plan; one query.

    A strategy indicator reported by several projects in a quarter keeps the last report saved
    (highest id), as ``plans.selectors.latest_counted_results`` does.
    """
    rows = IndicatorResult.objects.filter(
        report__status__in=QuarterlyReport.COUNTED,
        report__project__office=office,
        report__project__fiscal_year=fiscal_year,
    ).order_by("report__quarter", "report_id").values_list("indicator_id", "report__quarter", "actual", "numerator", "denominator")
    return {(i, q): LatestResult(q, actual, num, den) for i, q, actual, num, den in rows}


def indicator_tracking(office: Office, fiscal_year: int, *, filters: dict[str, Any] | None = None) -> Tracking:
    """Target vs actual per quarter of every indicator of the plan (``plans.selectors.plan_indicators``
    rows, filters and counts), six queries whatever the number of indicators."""
    listing = plan_indicators(office, fiscal_year, filters=filters)
    by_quarter = quarterly_results(office, fiscal_year)
    rows = [TrackingRow(r, [by_quarter.get((r.indicator.pk, q)) for q in QUARTERS]) for r in listing.rows]
    return Tracking(listing=listing, rows=rows)


# --- The quarter's workbook -----------------------------------------------------------------------


@dataclass
class QuarterProjectRow:
    """A project in the quarter's export; money in baht (counted reports only)."""

    project: Project
    report: QuarterlyReport | None
    disbursed_in_quarter: Decimal
    cumulative_disbursed: Decimal
    achieved: int
    indicators: int

    @property
    def counted(self) -> bool:
        return self.report is not None and self.report.status in QuarterlyReport.COUNTED


@dataclass
class QuarterDivision:
    label: str
    code: str
    rows: list[QuarterProjectRow] = field(default_factory=list)

    def total(self, attr: str) -> Any:
        values = [getattr(r, attr) if attr != "budget" else r.project.budget for r in self.rows]
        return sum(values, ZERO if attr in ("budget", "disbursed_in_quarter", "cumulative_disbursed") else 0)

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.counted)


@dataclass
class QuarterSummary:
    office: Office
    fiscal_year: int
    quarter: int
    timeliness: QuarterTimeliness
    divisions: list[QuarterDivision]
    target: Decimal | None


def quarter_summary(office: Office, fiscal_year: int, quarter: int) -> QuarterSummary:
    """One row per project for ``quarter`` (1-4), grouped by division (by code); nine queries.

    The report status is that of the quarter's report (``None`` before it is started); the
    implementation and progress are shown from it whatever its status, but money and indicators
    count counted reports only: disbursed in the quarter, cumulative through the quarter, and
    indicators achieved with their latest counted result up to this quarter.
    """
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    targets, _sources = disbursement_targets(fiscal_year)
    counted = Q(reports__status__in=QuarterlyReport.COUNTED)
    money = DecimalField(max_digits=14, decimal_places=2)
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .annotate(
            in_quarter=Coalesce(Sum("reports__budget_disbursed", filter=counted & Q(reports__quarter=quarter)), Value(ZERO), output_field=money),
            cumulative=Coalesce(Sum("reports__budget_disbursed", filter=counted & Q(reports__quarter__lte=quarter)), Value(ZERO), output_field=money),
        )
        .select_related("division", "owner")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("id")),
            # Plain ordering: Meta.ordering ("project", "quarter") would join projects and offices (issue 18).
            Prefetch("reports", queryset=QuarterlyReport.objects.filter(quarter=quarter).order_by("id"), to_attr="quarter_reports"),
        )
        .order_by("code")
    )
    latest: dict[int, Decimal] = {}
    for indicator_id, actual in IndicatorResult.objects.filter(
        report__status__in=QuarterlyReport.COUNTED, report__quarter__lte=quarter,
        indicator__project__office=office, indicator__project__fiscal_year=fiscal_year,
    ).order_by("report__quarter", "report_id").values_list("indicator_id", "actual"):
        latest[indicator_id] = actual

    divisions: dict[int, QuarterDivision] = {}
    for project in projects:
        indicators = list(project.indicators.all())
        achieved = sum(1 for i in indicators if achievement_of(i, latest.get(i.pk)) == Achievement.ACHIEVED)
        division = divisions.setdefault(project.division_id, QuarterDivision(project.division.short_name or project.division.name, project.division.code))
        division.rows.append(QuarterProjectRow(
            project, project.quarter_reports[0] if project.quarter_reports else None,
            project.in_quarter, project.cumulative, achieved, len(indicators),
        ))
    timeliness = completeness(office, fiscal_year, quarter=quarter).selected
    return QuarterSummary(
        office=office, fiscal_year=fiscal_year, quarter=quarter, timeliness=timeliness,
        divisions=sorted(divisions.values(), key=lambda d: d.code), target=targets[quarter - 1],
    )

