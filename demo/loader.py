"""Demo data: a real office (สพป.แพร่ เขต 2) with its real schools, and a generated year of its work.

``load_demo()`` loads, into a database without the demo, one office people can click through: the
office and its real schools (``demo.office``), the people and their roles (``demo.people``), then the
demo parts of the domain apps, in the order of :data:`DEMO_PARTS`: the FY 2569 plan and its quarterly
reports (``demo.plan``), the literacy rounds of academic year 2569 (``demo.literacy``), the inspection
rounds (``inspections.demo``), the evaluations (``evaluation.demo``: a satisfaction survey with 30 answers and
the FY 2569 plan evaluation), and the monitoring calendars of FY 2569 and 2570.

Every state change goes through the service a user's action goes through, by the demo user who would
do it, at a moment of the story under the demo's clock (``demo.clock``: time-machine), so that history
rows, ``submitted_at`` and the timeliness the pages show (on time / late by working days) come out of
the real rules. The story ends at :data:`demo.clock.DEMO_NOW` (1 Dec 2026, the demo's "today").

Loading is all or nothing (one transaction). A database that already holds the demo (the demo
office's FY 2569 plan exists) is left as it is: a second run changes nothing and says so, since a
workflow cannot be replayed over itself (an approved plan cannot be approved again).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum

from emes.calendar.services import generate_calendar  # the monitoring calendar of FY 2569 and 2570 (issue 7)
from emes.db import analyze
from emes.fiscal import Quarter, report_due_date
from emes.models import Division, Membership, Office
from evaluation.demo import load_evaluation_demo
from inspections.demo import load_inspection_demo  # rounds 1/2569 (closed) and 1/2570 (open), issue 8
from literacy.models import LiteracyRound
from plans.models import ActionPlan, Indicator, IndicatorResult, Project, QuarterlyReport, Strategy

from .clock import BANGKOK, DEMO_NOW, at
from .literacy import load_literacy
from .office import AREA_CODE, load_enrolment, load_office
from .people import DEMO_PASSWORD, DEMO_SCHOOL_CODE, USERS, load_people, school_accounts
from .plan import load_plan
from .plan_spec import DEMO_FISCAL_YEAR

__all__ = ["DEMO_PARTS", "DEMO_PASSWORD", "DEMO_SCHOOL_CODE", "USERS", "DemoContext", "DemoSummary", "load_demo", "summarize"]


@dataclass
class DemoContext:
    """What every demo part gets: the office, its divisions and strategies by code, the users by username
    (staff and the demo school's login), each open school's account by school id, the school clusters."""

    office: Office
    divisions: dict[str, Division]
    strategies: dict[str, Strategy]
    users: dict
    school_accounts: dict[int, object]
    clusters: list[str]


def _plan(ctx: DemoContext) -> None:
    load_plan(ctx.office, ctx.divisions, ctx.strategies, ctx.users, ctx.clusters)


def _registry(ctx: DemoContext) -> None:
    """Students per grade of 2569 (generated from the real totals, ``demo.office.load_enrolment``) by the plan officer."""
    load_enrolment(ctx.office, by=ctx.users["planner"])


def _literacy(ctx: DemoContext) -> None:
    load_literacy(ctx.office, ctx.users, ctx.school_accounts)


def _inspections(ctx: DemoContext) -> None:
    load_inspection_demo(ctx.office, ctx.users, school_accounts=ctx.school_accounts, at=at)


def _evaluation(ctx: DemoContext) -> None:
    with at(DEMO_NOW):
        load_evaluation_demo(ctx.office, today=DEMO_NOW.date())


def _calendar(ctx: DemoContext) -> None:
    with at(DEMO_NOW):
        for year in (DEMO_FISCAL_YEAR, DEMO_FISCAL_YEAR + 1):
            generate_calendar(ctx.office, year)


#: The demo parts, in the order they run: the ONE place where an app's demo part is called. A new app
#: (e.g. evaluation) adds ``("evaluation", <callable taking a DemoContext>)`` here, before the calendar
#: (which reads every app's dates). A part writes through its app's services under ``demo.clock.at``.
#: An ordered list, not a registry filled in ``AppConfig.ready()``: the parts depend on each other's rows
#: (people and school accounts first, the calendar last), which a registry would have to re-express as
#: priorities; the demo sits on top of the apps, so it may name them (issue 14's layers).
DEMO_PARTS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("registry", _registry),
    ("plan", _plan),
    ("literacy", _literacy),
    ("inspections", _inspections),
    ("evaluation", _evaluation),
    ("calendar", _calendar),
]


def is_loaded() -> bool:
    """Whether the database already holds the demo (the demo office's FY 2569 plan exists)."""
    return ActionPlan.objects.filter(office__area_code=AREA_CODE, fiscal_year=DEMO_FISCAL_YEAR).exists()


def load_demo(*, stdout: TextIO | None = None) -> DemoSummary:
    """Load the demo (see the module docstring) and return its :class:`DemoSummary`; printed to ``stdout`` if given.

    Already loaded: nothing is written, the summary of what is there is returned (and the note printed).
    """
    if is_loaded():
        summary = summarize(Office.objects.get(area_code=AREA_CODE))
        if stdout is not None:
            stdout.write("The demo is already loaded: nothing changed.\n")
    else:
        with transaction.atomic():
            office, divisions, strategies = load_office()
            users = load_people(office, divisions)
            clusters = sorted(set(office.schools.exclude(cluster="").values_list("cluster", flat=True)))
            ctx = DemoContext(office, divisions, strategies, users, school_accounts(office), clusters)
            for _name, part in DEMO_PARTS:
                part(ctx)
            summary = summarize(office)
            analyze()  # the whole database, once committed: the first pages are planned on real statistics (emes.db)
    if stdout is not None:
        for line in summary.lines():
            stdout.write(line + "\n")
    return summary


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------
@dataclass
class DemoSummary:
    """Row counts of the demo office after loading (the same after every run).

    ``literacy`` maps a round number of academic year 2569 to its ``status`` and counts of
    ``submitted`` and ``draft`` submissions.

    Money is in baht. ``reports_by_status`` maps a ``QuarterlyReport.Status`` value to its count;
    ``timeliness`` maps quarter (1-4) to counts of ``on_time`` / ``late`` (submitted after the due
    date) / ``missing`` (no report or a draft never submitted).
    """

    office: str
    divisions: int
    schools: int
    schools_closed: int
    obec_policies: int
    office_strategies: int
    projects: int
    indicators: int
    users: int
    memberships: int
    reports: int
    indicator_results: int
    budget_total: Decimal
    disbursed_total: Decimal
    reports_by_status: dict[str, int] = field(default_factory=dict)
    timeliness: dict[int, dict[str, int]] = field(default_factory=dict)
    literacy: dict[int, dict[str, int | str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as human-readable lines (Thai office name, English labels)."""
        out = [
            f"Office: {self.office}",
            f"Divisions: {self.divisions}",
            f"Schools: {self.schools} ({self.schools_closed} merged into another school, stored closed)",
            f"Strategies FY {DEMO_FISCAL_YEAR}: {self.obec_policies} OBEC policies (shared), {self.office_strategies} office strategies",
            f"Projects: {self.projects}, indicators: {self.indicators}",
            f"Budget: {self.budget_total:,.2f} baht; disbursed (all report rows): {self.disbursed_total:,.2f} baht",
            f"Quarterly reports: {self.reports} ({', '.join(f'{k} {v}' for k, v in sorted(self.reports_by_status.items()))})",
            f"Indicator results: {self.indicator_results}",
            f"Users: {self.users}, memberships: {self.memberships}",
        ]
        for q, counts in sorted(self.timeliness.items()):
            out.append(f"Q{q}/{DEMO_FISCAL_YEAR}: on time {counts['on_time']}, late {counts['late']}, missing {counts['missing']}")
        for number, r in sorted(self.literacy.items()):
            out.append(f"Literacy round {number}/{DEMO_FISCAL_YEAR}: {r['status']}, {r['submitted']} schools submitted, {r['draft']} drafts")
        return out




def summarize(office: Office) -> DemoSummary:
    """Counts of the demo rows of ``office`` for FY 2569 (see :class:`DemoSummary`)."""

    fy = DEMO_FISCAL_YEAR
    projects = Project.objects.filter(office=office, fiscal_year=fy)
    reports = QuarterlyReport.objects.filter(project__in=projects)
    timeliness = {}
    n_projects = projects.count()
    for q in (1, 2, 3, 4):
        due = report_due_date(Quarter(fy, q))
        submitted = [r.submitted_at for r in reports.filter(quarter=q, submitted_at__isnull=False)]
        late = sum(1 for moment in submitted if moment.astimezone(BANGKOK).date() > due)
        timeliness[q] = {"on_time": len(submitted) - late, "late": late, "missing": n_projects - len(submitted)}
    usernames = [u.username for u in USERS]
    return DemoSummary(
        office=f"{office.area_code} {office.name}",
        divisions=office.divisions.count(),
        schools=office.schools.count(),
        schools_closed=office.schools.filter(is_open=False).count(),
        obec_policies=Strategy.objects.filter(office=None, fiscal_year=fy, level=Strategy.Level.OBEC).count(),
        office_strategies=Strategy.objects.filter(office=office, fiscal_year=fy, level=Strategy.Level.OFFICE).count(),
        projects=n_projects,
        indicators=Indicator.objects.filter(project__in=projects).count(),
        users=get_user_model().objects.filter(username__in=usernames).count(),
        memberships=Membership.objects.filter(office=office, user__username__in=usernames).count(),
        reports=reports.count(),
        indicator_results=IndicatorResult.objects.filter(report__in=reports).count(),
        budget_total=projects.aggregate(s=Sum("budget"))["s"] or Decimal("0"),
        disbursed_total=reports.aggregate(s=Sum("budget_disbursed"))["s"] or Decimal("0"),
        reports_by_status=dict(reports.values_list("status").annotate(n=Count("id")).order_by("status")),
        timeliness=timeliness,
        literacy={
            r.number: {"status": r.status, "submitted": r.submitted, "draft": r.draft}
            for r in LiteracyRound.objects.filter(office=office, academic_year=DEMO_FISCAL_YEAR).annotate(
                submitted=Count("submissions", filter=Q(submissions__status="submitted")),
                draft=Count("submissions", filter=Q(submissions__status="draft")),
            )
        },
    )
