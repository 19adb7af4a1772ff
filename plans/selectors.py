"""Reads of the plan for the people who work on it: what waits for my review, the plan pages.

What a person owes (quarterly reports) is an obligation: ``plans.obligations``, read through
``emes.obligations.open_obligations``.

Every function takes the user (and office) and returns only what the user may see; the
querysets start from ``visible_to`` (``emes.access``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from emes.access import divisions_headed_by, roles_in
from emes.models import Division, Office, Role

from .models import Project, QuarterlyReport


def reports_awaiting(user, office: Office) -> QuerySet[QuarterlyReport]:
    """Quarterly reports of ``office`` waiting for ``user``'s decision, oldest submission first.

    Workflow of docs/workflows.md: a submitted report is reviewed (accepted or returned) by the plan
    officer or, for the projects of their division, the division head; an accepted report waits
    for the director's approval. Empty for the other roles.
    """
    roles = roles_in(user, office)
    base = QuarterlyReport.objects.visible_to(user).filter(project__office=office).select_related(
        "project", "project__division", "project__owner"
    ).order_by("submitted_at", "pk")
    wanted = QuarterlyReport.objects.none()
    if Role.DIRECTOR in roles:
        wanted = base.filter(status=QuarterlyReport.Status.ACCEPTED)
    if Role.PLAN_OFFICER in roles:
        wanted = wanted | base.filter(status=QuarterlyReport.Status.SUBMITTED)
    elif Role.DIVISION_HEAD in roles:
        divisions = divisions_headed_by(user, office)
        wanted = wanted | base.filter(status=QuarterlyReport.Status.SUBMITTED, project__division_id__in=divisions)
    return wanted


# --- Reads of the plan pages: overview, project, indicator list, an approved version ----------------
#
# Every function below runs a fixed number of queries whatever the number of projects (issue 4,
# "Cost"); achievement follows the annual report's rule (``reports.selectors``): the actual of an
# indicator is the one of its latest counted quarterly report (``QuarterlyReport.COUNTED``), and
# ``achievement_of`` compares it with the target in the indicator's direction.

from collections import Counter  # noqa: E402
from dataclasses import field  # noqa: E402
from decimal import Decimal  # noqa: E402
from typing import Any  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Sum  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from plans.measures import Achievement, achievement_from, achievement_of  # noqa: E402

from .models import (  # noqa: E402
    Activity,
    ActionPlan,
    BudgetLine,
    BudgetSource,
    Indicator,
    IndicatorResult,
    PlanTransition,
    Strategy,
)

ZERO = Decimal("0")
QUARTERS = (1, 2, 3, 4)
SOURCES = tuple(BudgetSource.values)

#: Calendar months in fiscal-year order (ต.ค. … ก.ย.): generic fiscal knowledge, kept in the core.
from emes.fiscal import FISCAL_MONTHS  # noqa: E402

#: Achievement labels of the pages (same three values as ``reports.selectors.Achievement``).
ACHIEVEMENT_LABELS = {
    Achievement.ACHIEVED: _("Achieved"),
    Achievement.NOT_ACHIEVED: _("Not achieved"),
    Achievement.NOT_REPORTED: _("Not yet reported"),
}
ACHIEVEMENT_ORDER = (Achievement.ACHIEVED, Achievement.NOT_ACHIEVED, Achievement.NOT_REPORTED)

#: The "status" filter of the project table: the implementation status of the project's latest
#: counted quarterly report, or "no counted report yet" (drafts and returned reports are not results).
NO_REPORT = "no_report"


def project_status_choices() -> list[tuple[str, Any]]:
    """Values of the project "status" filter: ``NO_REPORT`` then ``QuarterlyReport.Implementation``."""
    return [(NO_REPORT, _("No counted report yet")), *QuarterlyReport.Implementation.choices]


@dataclass(frozen=True)
class LatestResult:
    """The counted result of an indicator in its latest quarter: actual (the indicator's unit) and,
    for a percentage indicator, its numerator and denominator."""

    quarter: int
    actual: Decimal
    numerator: Decimal | None
    denominator: Decimal | None


def latest_counted_results(office: Office, fiscal_year: int, *, project: Project | None = None) -> dict[int, LatestResult]:
    """``{indicator_id: LatestResult}`` for the indicators of the plan (project and strategy level),
    or of ``project``'s own indicators only.

    Rule (same as ``reports.selectors.annual_report_data``): only reports in ``QuarterlyReport.COUNTED``
    count; the latest quarter wins. A strategy indicator reported by several projects in the same
    quarter takes the last report saved (highest id), so the choice is stable. One query.
    """
    results = IndicatorResult.objects.filter(
        report__status__in=QuarterlyReport.COUNTED,
        report__project__office=office,
        report__project__fiscal_year=fiscal_year,
    )
    if project is not None:
        results = results.filter(indicator__project=project)
    latest: dict[int, LatestResult] = {}
    rows = results.order_by("report__quarter", "report_id").values_list(
        "indicator_id", "report__quarter", "actual", "numerator", "denominator"
    )
    for indicator_id, quarter, actual, numerator, denominator in rows:
        latest[indicator_id] = LatestResult(quarter, actual, numerator, denominator)
    return latest


@dataclass
class IndicatorStatus:
    """An indicator with its latest counted result and derived achievement (``Achievement.*``)."""

    indicator: Indicator
    result: LatestResult | None
    achievement: str

    @property
    def achievement_label(self) -> str:
        return ACHIEVEMENT_LABELS[self.achievement]

    @property
    def actual(self) -> Decimal | None:
        return self.result.actual if self.result else None


def indicator_status(indicator: Indicator, latest: dict[int, LatestResult]) -> IndicatorStatus:
    """Achievement of ``indicator`` from the ``latest_counted_results`` map (rule of ``achievement_of``)."""
    result = latest.get(indicator.pk)
    return IndicatorStatus(indicator, result, achievement_of(indicator, result.actual if result else None))


@dataclass
class Money:
    """Budget (baht) by source and planned quarter; ``unsplit`` is budget of projects without budget lines."""

    by_source: dict[str, Decimal] = field(default_factory=lambda: {s: ZERO for s in SOURCES})
    by_quarter: dict[int, Decimal] = field(default_factory=lambda: {q: ZERO for q in QUARTERS})
    unsplit: Decimal = ZERO
    total: Decimal = ZERO

    def add_project(self, project: Project, lines: list[BudgetLine]) -> None:
        """Add a project's budget: its lines by source and quarter, or its budget as unsplit if it has none."""
        self.total += project.budget
        if not lines:
            self.unsplit += project.budget
        for line in lines:
            self.by_source[line.source] += line.amount
            for q in QUARTERS:
                self.by_quarter[q] += getattr(line, f"q{q}")

    def sources(self) -> list[Decimal]:
        return [self.by_source[s] for s in SOURCES]

    def quarters(self) -> list[Decimal]:
        return [self.by_quarter[q] for q in QUARTERS]


@dataclass
class ProjectSummary:
    """A row of the project table of the overview: the achievement (``Achievement.*``) of each of the project's
    indicators in id order, and its latest counted report (``None`` before the first)."""

    project: Project
    achievements: list[str]
    latest_report: QuarterlyReport | None

    @property
    def status(self) -> str:
        """The project's "status" filter value (``NO_REPORT`` or an implementation status)."""
        return self.latest_report.implementation if self.latest_report else NO_REPORT

    @property
    def achievement_counts(self) -> dict[str, int]:
        counts = Counter(self.achievements)
        return {key: counts.get(key, 0) for key in ACHIEVEMENT_ORDER}


@dataclass
class StrategySummary:
    """One office strategy of the frame: its projects (main strategy) and their money."""

    strategy: Strategy
    projects: int = 0
    money: Money = field(default_factory=Money)


@dataclass
class PlanOverview:
    """Everything the overview page of ``office``'s plan for ``fiscal_year`` (BE) shows.

    ``plan`` is the current version (``None`` before the first), ``versions`` every version newest
    first, ``transitions`` the history of every version (oldest first). ``strategies`` covers the
    office strategies of the year and any other strategy used as a main strategy; ``rows`` is the
    filtered project table; ``total`` the whole plan (filters do not change the frame's totals).
    """

    office: Office
    fiscal_year: int
    plan: ActionPlan | None
    versions: list[ActionPlan]
    transitions: list[PlanTransition]
    strategies: list[StrategySummary]
    total: Money
    project_count: int
    rows: list[ProjectSummary]
    divisions: list[Any]
    owners: list[Any]

    @property
    def has_unsplit(self) -> bool:
        return self.total.unsplit > 0


def plan_versions(office: Office, fiscal_year: int) -> list[ActionPlan]:
    """Every version of the office's plan for the year, newest first, with who created/approved it. One query."""
    return list(
        ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).select_related("created_by", "approved_by").order_by("-version")
    )


def plan_transitions(office: Office, fiscal_year: int) -> list[PlanTransition]:
    """The recorded moves of every version of the plan, oldest first (who, when, from, to, comment). One query."""
    return list(
        PlanTransition.objects.filter(plan__office=office, plan__fiscal_year=fiscal_year)
        .select_related("by", "plan").order_by("at", "id")
    )


def _plan_projects(office: Office, fiscal_year: int, *, with_reports: bool):
    projects = (
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "strategy__parent", "division", "owner")
        .annotate(has_budget_lines=Exists(BudgetLine.objects.filter(project=OuterRef("pk"))))
        .order_by("code")
    )
    if with_reports:
        counted = QuarterlyReport.objects.filter(status__in=QuarterlyReport.COUNTED).order_by("quarter")
        projects = projects.prefetch_related(Prefetch("reports", queryset=counted, to_attr="counted_reports"))
    return projects


def latest_counted_reports(office: Office, fiscal_year: int) -> dict[int, QuarterlyReport]:
    """``{project_id: its latest counted report}`` for the plan's projects (``QuarterlyReport.COUNTED``: drafts and
    returned reports are not results; one report per project and quarter). One query."""
    # A correlated subquery, not PostgreSQL's DISTINCT ON: the embedded default (make demo) runs on SQLite.
    latest = (
        QuarterlyReport.objects.filter(project=OuterRef("project"), status__in=QuarterlyReport.COUNTED)
        .order_by("-quarter").values("pk")[:1]
    )
    reports = (
        QuarterlyReport.objects.filter(status__in=QuarterlyReport.COUNTED, project__office=office, project__fiscal_year=fiscal_year)
        .filter(pk=Subquery(latest)).order_by()
        .only("id", "project_id", "quarter", "implementation", "progress", "status")
    )
    return {r.project_id: r for r in reports}


def _frame_lines(office: Office, fiscal_year: int) -> dict[int, Money]:
    """The budget lines of the plan summed in the database by the project's main strategy: ``{strategy_id: Money}``
    with ``by_source`` and ``by_quarter`` only (``Money.add_project``'s rule: each line's amount to its source,
    its planned quarters to the quarters). One query."""
    sums: dict[int, Money] = {}
    rows = (
        BudgetLine.objects.filter(project__office=office, project__fiscal_year=fiscal_year)
        .values("project__strategy_id", "source").order_by()
        .annotate(amount=Sum("amount"), **{f"sum_q{q}": Sum(f"q{q}") for q in QUARTERS})
    )
    for row in rows:
        money = sums.setdefault(row["project__strategy_id"], Money())
        money.by_source[row["source"]] += row["amount"]
        for q in QUARTERS:
            money.by_quarter[q] += row[f"sum_q{q}"]
    return sums


def plan_overview(office: Office, fiscal_year: int, *, filters: dict[str, Any] | None = None,
                  with_reports: bool = False) -> PlanOverview:
    """The overview of the office's plan for ``fiscal_year`` (BE); eight queries whatever its size (nine with a strategy filter).

    ``filters`` (all optional) narrow the project table only: ``division`` (Division), ``strategy``
    (Strategy: main strategy or one of the other strategies served), ``owner`` (User), ``status``
    (``NO_REPORT`` or an implementation status of the latest counted report). Money in baht;
    the quarters are the planned quarters of the budget lines (Q1 Oct-Dec … Q4 Jul-Sep). The frame's money is
    summed in the database; indicators are read as values, not instances. ``with_reports`` also gives every
    project its counted reports, quarter order, as ``project.counted_reports`` (``plans.evaluation``).
    """
    filters = filters or {}
    versions = plan_versions(office, fiscal_year)
    latest = latest_counted_results(office, fiscal_year)
    projects = list(_plan_projects(office, fiscal_year, with_reports=with_reports))
    latest_reports = (
        {p.pk: p.counted_reports[-1] for p in projects if p.counted_reports} if with_reports
        else latest_counted_reports(office, fiscal_year)
    )
    achievements: dict[int, list[str]] = {}
    for indicator_id, project_id, direction, target in (
        Indicator.objects.filter(project__office=office, project__fiscal_year=fiscal_year)
        .order_by("id").values_list("id", "project_id", "direction", "target")
    ):
        result = latest.get(indicator_id)
        achievements.setdefault(project_id, []).append(achievement_from(direction, target, result.actual if result else None))
    served: dict[int, set[int]] = {}
    if filters.get("strategy"):
        for project_id, strategy_id in Project.strategies.through.objects.filter(
            project__office=office, project__fiscal_year=fiscal_year
        ).values_list("project_id", "strategy_id"):
            served.setdefault(project_id, set()).add(strategy_id)
    line_sums = _frame_lines(office, fiscal_year)

    frame: dict[int, StrategySummary] = {
        s.pk: StrategySummary(s)
        for s in Strategy.objects.filter(office=office, fiscal_year=fiscal_year, level=Strategy.Level.OFFICE).select_related("parent")
    }
    total = Money()
    rows: list[ProjectSummary] = []
    divisions: dict[int, Any] = {}
    owners: dict[int, Any] = {}
    for project in projects:
        summary = frame.setdefault(project.strategy_id, StrategySummary(project.strategy))
        summary.projects += 1
        for money in (summary.money, total):
            money.total += project.budget
            if not project.has_budget_lines:
                money.unsplit += project.budget
        divisions[project.division_id] = project.division
        if project.owner is not None:
            owners[project.owner_id] = project.owner
        row = ProjectSummary(project, achievements.get(project.pk, []), latest_reports.get(project.pk))
        if _row_matches(row, filters, served):
            rows.append(row)
    for strategy_id, sums in line_sums.items():
        for money in (frame[strategy_id].money, total):
            for source in SOURCES:
                money.by_source[source] += sums.by_source[source]
            for q in QUARTERS:
                money.by_quarter[q] += sums.by_quarter[q]
    return PlanOverview(
        office=office, fiscal_year=fiscal_year, plan=versions[0] if versions else None, versions=versions,
        transitions=plan_transitions(office, fiscal_year),
        strategies=sorted(frame.values(), key=lambda s: (s.strategy.level != Strategy.Level.OFFICE, s.strategy.code)),
        total=total, project_count=len(projects), rows=rows,
        divisions=sorted(divisions.values(), key=lambda d: d.code),
        owners=sorted(owners.values(), key=lambda u: (u.get_full_name() or u.username)),
    )


def _row_matches(row: ProjectSummary, filters: dict[str, Any], served: dict[int, set[int]]) -> bool:
    project = row.project
    if filters.get("division") and project.division_id != filters["division"].pk:
        return False
    if filters.get("owner") and project.owner_id != filters["owner"].pk:
        return False
    strategy = filters.get("strategy")
    if strategy and project.strategy_id != strategy.pk and strategy.pk not in served.get(project.pk, ()):
        return False
    return not (filters.get("status") and row.status != filters["status"])
@dataclass
class IndicatorListRow(IndicatorStatus):
    """A row of the indicator list: a project indicator (``project`` set) or a strategy indicator.

    ``indicator`` is ``None`` until ``IndicatorList.load`` fetched it when the list was built with ``load=False``;
    ``indicator_id``, ``result`` and ``achievement`` are always set."""

    project: Project | None = None
    strategy: Strategy | None = None
    indicator_id: int | None = None


@dataclass
class IndicatorList:
    """The indicator list of a plan: filtered ``rows`` and ``counts`` per achievement.

    ``counts`` are taken over the rows matching every filter but the achievement one, so they
    say how many of the shown division's (strategy's, owner's) indicators fall in each class.
    """

    rows: list[IndicatorListRow]
    counts: dict[str, int]
    divisions: list[Any]
    owners: list[Any]
    strategies: list[Strategy]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def count_rows(self) -> list[tuple[str, Any, int]]:
        return [(key, ACHIEVEMENT_LABELS[key], self.counts[key]) for key in ACHIEVEMENT_ORDER]

    @staticmethod
    def load(rows) -> None:
        """Fetch the ``Indicator`` of each of ``rows`` (e.g. the shown page of the list) that has none yet.

        One query whenever called, even with nothing to fetch (an empty page), so a page's query count does not
        depend on what it shows (issue 4, "Cost")."""
        missing = [r for r in rows if r.indicator is None]
        ids = [r.indicator_id for r in missing]
        # ``pk__in=[]`` would be answered without asking the database; ``pk__isnull`` asks and finds nothing.
        found = {i.pk: i for i in Indicator.objects.filter(**({"pk__in": ids} if ids else {"pk__isnull": True}))}
        for row in missing:
            row.indicator = found[row.indicator_id]


def plan_indicators(office: Office, fiscal_year: int, *, filters: dict[str, Any] | None = None, load: bool = True) -> IndicatorList:
    """Every indicator of the plan: project indicators (by project code) then strategy indicators.

    ``filters``: ``division``, ``owner`` (project indicators only: a strategy indicator has neither),
    ``strategy`` (indicators of the projects whose main strategy it is, or that serve it, and the
    strategy's own indicators), ``achievement`` (an ``Achievement`` value). Achievement and counts come from the
    project indicators read as values, not instances; ``load=False`` leaves the rows' project indicators to
    ``IndicatorList.load`` (the page shows 50 rows of hundreds). Four queries (five with a strategy filter).
    """
    filters = filters or {}
    latest = latest_counted_results(office, fiscal_year)
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "division", "owner")
        .order_by("code")
    )
    indicators_qs = Indicator.objects.filter(project__office=office, project__fiscal_year=fiscal_year).order_by("id")
    by_project: dict[int, list] = {}
    if load:
        for indicator in indicators_qs:
            by_project.setdefault(indicator.project_id, []).append(
                (indicator.pk, indicator, indicator.direction, indicator.target))
    else:
        for pk, project_id, direction, target in indicators_qs.values_list("id", "project_id", "direction", "target"):
            by_project.setdefault(project_id, []).append((pk, None, direction, target))
    served: dict[int, set[int]] = {}
    if filters.get("strategy"):
        for project_id, strategy_id in Project.strategies.through.objects.filter(
            project__office=office, project__fiscal_year=fiscal_year
        ).values_list("project_id", "strategy_id"):
            served.setdefault(project_id, set()).add(strategy_id)
    strategy_indicators = list(
        Indicator.objects.filter(strategy__office=office, strategy__fiscal_year=fiscal_year).select_related("strategy").order_by("strategy__code", "id")
    )
    rows: list[IndicatorListRow] = []
    divisions: dict[int, Any] = {}
    owners: dict[int, Any] = {}
    strategies: dict[int, Strategy] = {}
    for project in projects:
        divisions[project.division_id] = project.division
        strategies[project.strategy_id] = project.strategy
        if project.owner is not None:
            owners[project.owner_id] = project.owner
        for pk, indicator, direction, target in by_project.get(project.pk, ()):
            result = latest.get(pk)
            achievement = achievement_from(direction, target, result.actual if result else None)
            rows.append(IndicatorListRow(indicator, result, achievement, project=project, indicator_id=pk))
    for indicator in strategy_indicators:
        strategies[indicator.strategy_id] = indicator.strategy
        status = indicator_status(indicator, latest)
        rows.append(IndicatorListRow(indicator, status.result, status.achievement, strategy=indicator.strategy, indicator_id=indicator.pk))

    def matches(row: IndicatorListRow) -> bool:
        p = row.project
        if filters.get("division") and (p is None or p.division_id != filters["division"].pk):
            return False
        if filters.get("owner") and (p is None or p.owner_id != filters["owner"].pk):
            return False
        strategy = filters.get("strategy")
        if strategy:
            if p is None:
                return row.strategy.pk == strategy.pk
            return p.strategy_id == strategy.pk or strategy.pk in served.get(p.pk, ())
        return True

    scoped = [r for r in rows if matches(r)]
    counts = Counter(r.achievement for r in scoped)
    if filters.get("achievement"):
        scoped = [r for r in scoped if r.achievement == filters["achievement"]]
    return IndicatorList(
        rows=scoped, counts={key: counts.get(key, 0) for key in ACHIEVEMENT_ORDER},
        divisions=sorted(divisions.values(), key=lambda d: d.code),
        owners=sorted(owners.values(), key=lambda u: (u.get_full_name() or u.username)),
        strategies=sorted(strategies.values(), key=lambda s: (s.level != Strategy.Level.OFFICE, s.code)),
    )


@dataclass
class ProjectDetail:
    """Everything the project page shows; money in baht, months as calendar months 1-12."""

    project: Project
    other_strategies: list[Strategy]
    budget_lines: list[BudgetLine]
    money: Money
    activities: list[Activity]
    indicators: list[IndicatorStatus]
    reports: list[QuarterlyReport]
    plan: ActionPlan | None

    @property
    def activity_budget(self) -> Decimal:
        return sum((a.budget for a in self.activities), ZERO)


def project_detail(project: Project) -> ProjectDetail:
    """The details of ``project`` (already fetched through ``plans.access.get_project_for_user``). Seven queries."""
    lines = sorted(project.budget_lines.all(), key=lambda b: SOURCES.index(b.source))
    money = Money()
    money.add_project(project, lines)
    latest = latest_counted_results(project.office, project.fiscal_year, project=project)
    return ProjectDetail(
        project=project,
        other_strategies=list(project.strategies.select_related("parent").order_by("level", "code")),
        budget_lines=lines,
        money=money,
        activities=list(project.activities.order_by("order", "id")),
        indicators=[indicator_status(i, latest) for i in project.indicators.order_by("id")],
        reports=list(project.reports.order_by("quarter")),
        plan=ActionPlan.objects.current(project.office, project.fiscal_year),
    )


def month_strip(months: list[int]) -> list[tuple[Any, bool]]:
    """``[(short month name, planned?)]`` in fiscal order ต.ค. … ก.ย. for an activity's calendar months."""
    chosen = set(months or [])
    return [(label, number in chosen) for number, label in FISCAL_MONTHS]


# --- An approved version, read back from its snapshot ---------------------------------------------


@dataclass
class SnapshotProject:
    """A project as it stood in an approved version (``plans.services.plan_snapshot`` shape), money as Decimal baht."""

    code: str
    name: str
    strategy: str
    strategy_name: str
    strategies: list[str]
    division: str
    division_name: str
    owner: str
    owner_name: str
    budget: Decimal
    texts: dict[str, str]
    start_date: dt.date | None
    end_date: dt.date | None
    budget_lines: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


@dataclass
class PlanVersionView:
    """An approved (or superseded) version as the director approved it."""

    plan: ActionPlan
    projects: list[SnapshotProject]
    strategy_indicators: list[dict[str, Any]]
    by_strategy: list[tuple[str, str, int, Money]]
    total: Money
    versions: list[ActionPlan]
    transitions: list[PlanTransition]


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _iso_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def plan_version_view(plan: ActionPlan) -> PlanVersionView:
    """Read ``plan.snapshot`` back for display; names of strategies, divisions and owners come from the
    current registry by their codes (the snapshot keeps codes). Four queries whatever the plan's size.
    """
    snapshot = plan.snapshot or {}
    fy = plan.fiscal_year
    strategy_names: dict[str, str] = {}
    # Office strategies win over shared ones with the same code (a project's strategy is normally the office's).
    for code, name, office_id in Strategy.objects.filter(Q(office=plan.office) | Q(office__isnull=True), fiscal_year=fy).order_by(
        "-office_id"
    ).values_list("code", "name", "office_id"):
        strategy_names.setdefault(code, name)
    division_names = dict(Division.objects.filter(office=plan.office).values_list("code", "name"))
    usernames = {p.get("owner") for p in snapshot.get("projects", []) if p.get("owner")}
    owner_names = {u.username: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(username__in=usernames)}

    projects: list[SnapshotProject] = []
    strategy_money: dict[str, list] = {}
    total = Money()
    for p in snapshot.get("projects", []):
        budget = _dec(p.get("budget")) or ZERO
        lines = [
            {"source": b["source"], "source_label": BudgetSource(b["source"]).label, "amount": _dec(b["amount"]),
             **{f"q{q}": _dec(b.get(f"q{q}")) or ZERO for q in QUARTERS}}
            for b in sorted(p.get("budget_lines", []), key=lambda b: SOURCES.index(b["source"]))
        ]
        money_lines = [BudgetLine(source=b["source"], amount=b["amount"], q1=b["q1"], q2=b["q2"], q3=b["q3"], q4=b["q4"]) for b in lines]
        holder = Project(budget=budget)
        total.add_project(holder, money_lines)
        code = p.get("strategy", "")
        entry = strategy_money.setdefault(code, [0, Money()])
        entry[0] += 1
        entry[1].add_project(holder, money_lines)
        projects.append(SnapshotProject(
            code=p.get("code", ""), name=p.get("name", ""), strategy=code, strategy_name=strategy_names.get(code, ""),
            strategies=p.get("strategies", []), division=p.get("division", ""), division_name=division_names.get(p.get("division", ""), ""),
            owner=p.get("owner", ""), owner_name=owner_names.get(p.get("owner", ""), p.get("owner", "")),
            budget=budget,
            texts={k: p.get(k, "") for k in ("rationale", "objectives", "targets_quantity", "targets_quality", "responsible_people")},
            start_date=_iso_date(p.get("start_date")), end_date=_iso_date(p.get("end_date")),
            budget_lines=lines,
            activities=[
                {**a, "budget": _dec(a.get("budget")) or ZERO, "strip": month_strip(a.get("months", []))}
                for a in p.get("activities", [])
            ],
            indicators=[{**i, "baseline": _dec(i.get("baseline")), "target": _dec(i.get("target"))} for i in p.get("indicators", [])],
        ))
    return PlanVersionView(
        plan=plan,
        projects=projects,
        strategy_indicators=[
            {**i, "baseline": _dec(i.get("baseline")), "target": _dec(i.get("target")), "strategy_name": strategy_names.get(i.get("strategy", ""), "")}
            for i in snapshot.get("strategy_indicators", [])
        ],
        by_strategy=[(code, strategy_names.get(code, ""), n, money) for code, (n, money) in sorted(strategy_money.items())],
        total=total,
        versions=plan_versions(plan.office, fy),
        transitions=plan_transitions(plan.office, fy),
    )
