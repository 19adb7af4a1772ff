"""Reads of the quarterly report pages: due dates and lateness, money by source, results, the review inbox."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from emes.access import divisions_headed_by, roles_in
from emes.fiscal import Quarter, WorkingCalendar
from emes.models import Office, Role

from ..deadlines import due_working_days, report_due, working_days_late
from ..models import BudgetSource, Indicator, Project, QuarterlyReport, ReportDisbursement

ZERO = Decimal("0")


@dataclass
class Timing:
    """When the report of a quarter is due and how late it is (working days; 0 when on time or not yet due)."""

    quarter: Quarter
    due: dt.date
    started: bool
    late_days: int
    #: True when the report is not submitted and the due date has passed.
    overdue: bool


def report_timing(project: Project, quarter: int, report: QuarterlyReport | None, *, calendar: WorkingCalendar | None = None,
                  today: dt.date | None = None) -> Timing:
    """Due date (the office's rule, ``plans.deadlines``) and lateness of a project's report of ``quarter``.

    A submitted (or accepted, approved) report is late by the working days from the due date to its
    ``submitted_at``; a report not yet submitted is overdue by the working days up to today.
    """
    period = Quarter(project.fiscal_year, quarter)
    calendar = calendar or WorkingCalendar.for_office(project.office)
    due = report_due(project.office, period, calendar=calendar)
    today = today or timezone.localdate()
    if report is not None and report.status in QuarterlyReport.COUNTED and report.submitted_at:
        day = timezone.localtime(report.submitted_at).date()
        return Timing(period, due, True, working_days_late(due, day, calendar), False)
    late = working_days_late(due, today, calendar)
    return Timing(period, due, today >= period.start, late, late > 0)


@dataclass
class SourceMoney:
    """One budget source of a project: allocation, disbursed in the other quarters and in this one (baht)."""

    source: str
    label: str
    allocated: Decimal | None
    earlier: Decimal
    now: Decimal

    @property
    def cumulative(self) -> Decimal:
        return self.earlier + self.now

    @property
    def left(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.cumulative


def money_by_source(project: Project, report: QuarterlyReport | None) -> tuple[list[SourceMoney], SourceMoney]:
    """Per source (OBEC, area, other) and in total: the allocation and what the reports disbursed. Three queries."""
    lines = {line.source: line.amount for line in project.budget_lines.all()}
    totals: dict[tuple[str, bool], Decimal] = {}
    for source, this, amount in (
        ReportDisbursement.objects.filter(report__project=project)
        .values_list("source", "report_id").annotate(total=Sum("amount")).values_list("source", "report_id", "total")
    ):
        key = (source, report is not None and this == report.pk)
        totals[key] = totals.get(key, ZERO) + amount
    rows = [
        SourceMoney(s, str(BudgetSource(s).label), lines.get(s, ZERO) if lines else None, totals.get((s, False), ZERO), totals.get((s, True), ZERO))
        for s in BudgetSource.values
    ]
    # The totals come from the reports themselves, so a report saved without rows by source still counts.
    others = QuarterlyReport.objects.filter(project=project).exclude(pk=report.pk if report else None)
    earlier = others.aggregate(t=Sum("budget_disbursed"))["t"] or ZERO
    total = SourceMoney("", "", project.budget, earlier, report.budget_disbursed if report else ZERO)
    return rows, total


@dataclass
class ResultRow:
    indicator: Indicator
    actual: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def achieved(self) -> bool | None:
        return None if self.actual is None else self.indicator.is_met_by(self.actual)


def result_rows(project: Project, report: QuarterlyReport | None) -> list[ResultRow]:
    """Every indicator of the project with the report's result (if any). Two queries."""
    results = {r.indicator_id: r for r in report.results.all()} if report is not None else {}
    out = []
    for i in project.indicators.order_by("id"):
        r = results.get(i.pk)
        out.append(ResultRow(i, r.actual, r.numerator, r.denominator) if r else ResultRow(i))
    return out


# --- The review inbox ------------------------------------------------------------------------------


@dataclass
class InboxRow:
    report: QuarterlyReport
    timing: Timing


@dataclass
class Inbox:
    """What waits for ``user`` in an office: accepted reports (director), submitted ones (plan officer, division head)."""

    to_approve: list[InboxRow] = field(default_factory=list)
    to_accept: list[InboxRow] = field(default_factory=list)
    to_review: list[InboxRow] = field(default_factory=list)
    is_director: bool = False
    is_planner: bool = False
    is_head: bool = False

    @property
    def allowed(self) -> bool:
        return self.is_director or self.is_planner or self.is_head


def _rows(reports: QuerySet[QuarterlyReport], office: Office, calendar: WorkingCalendar) -> list[InboxRow]:
    days: dict[int, int] = {}
    out = []
    for r in reports:
        fy = r.project.fiscal_year
        if fy not in days:
            days[fy] = due_working_days(office, fy)
        out.append(InboxRow(r, _timing(r, office, calendar, days[fy])))
    return out


def _timing(report: QuarterlyReport, office: Office, calendar: WorkingCalendar, working_days: int) -> Timing:
    period = Quarter(report.project.fiscal_year, report.quarter)
    due = report_due(office, period, calendar=calendar, working_days=working_days)
    day = timezone.localtime(report.submitted_at).date() if report.submitted_at else timezone.localdate()
    late = working_days_late(due, day, calendar)
    return Timing(period, due, True, late, False)


def review_inbox(user, office: Office) -> Inbox:
    """The reports waiting for ``user``'s decision in ``office``; a few queries whatever their number."""
    roles = roles_in(user, office)
    heads = divisions_headed_by(user, office) if Role.DIVISION_HEAD in roles else set()
    inbox = Inbox(is_director=Role.DIRECTOR in roles, is_planner=Role.PLAN_OFFICER in roles, is_head=bool(heads))
    if not inbox.allowed:
        return inbox
    calendar = WorkingCalendar.for_office(office)
    base = (
        QuarterlyReport.objects.filter(project__office=office)
        .select_related("project__division", "project__owner", "project__office")
        .order_by("-project__fiscal_year", "quarter", "project__code")
    )
    if inbox.is_director:
        inbox.to_approve = _rows(base.filter(status=QuarterlyReport.Status.ACCEPTED), office, calendar)
    if inbox.is_planner:
        inbox.to_accept = _rows(base.filter(status=QuarterlyReport.Status.SUBMITTED), office, calendar)
    elif heads:
        inbox.to_review = _rows(base.filter(status=QuarterlyReport.Status.SUBMITTED, project__division_id__in=heads), office, calendar)
    return inbox
