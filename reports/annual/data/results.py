"""ส่วนที่ ๓ ผลการดำเนินงาน: per office strategy, its own indicators and its projects as reported and reviewed."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from emes.models import Office
from emes.stats import percentage
from plans.measures import Achievement, achievement_of
from plans.models import Activity, Indicator, IndicatorResult, Project, QuarterlyReport, Strategy, StrategyIndicatorResult

from .common import REVIEWED, WAITING


@dataclass
class IndicatorLine:
    """An indicator with its latest reviewed actual (``None`` = none yet) and achievement (``plans.measures``)."""

    indicator: Indicator
    actual: Decimal | None
    quarter: int | None
    achievement: str
    waiting: bool = False  # a newer result exists that is not reviewed yet

    @property
    def achievement_label(self) -> str:
        return Achievement.LABELS[self.achievement]

    @property
    def achievement_pct(self) -> Decimal | None:
        """Actual as % of target (≥ indicators) or target as % of actual (≤ indicators); ``None`` without both."""
        if self.actual is None or not self.indicator.target:
            return None
        if self.indicator.direction == Indicator.Direction.AT_MOST:
            return percentage(self.indicator.target, self.actual) if self.actual else None
        return percentage(self.actual, self.indicator.target)


@dataclass
class QuarterText:
    quarter: int
    implementation: str
    progress: int
    activities_done: str
    outcomes: str
    problems: str
    suggestions: str


@dataclass
class ProjectResult:
    project: Project
    activities: list[Activity]
    quarters: list[QuarterText]
    indicators: list[IndicatorLine]
    waiting_quarters: list[int]
    missing_quarters: list[int]
    evaluations: list = field(default_factory=list)  # data.evaluation.EvaluationLine, set by book_data

    @property
    def last(self) -> QuarterText | None:
        return self.quarters[-1] if self.quarters else None


@dataclass
class StrategyResult:
    strategy: Strategy
    indicators: list[IndicatorLine] = field(default_factory=list)
    projects: list[ProjectResult] = field(default_factory=list)


@dataclass
class ResultsChapter:
    strategies: list[StrategyResult]
    policy_indicators: list[tuple[Strategy, list[IndicatorLine]]]
    counts: dict[str, int]  # project indicators by achievement

    @property
    def indicator_total(self) -> int:
        return sum(self.counts.values())

    @property
    def achieved_pct(self) -> Decimal | None:
        return percentage(self.counts[Achievement.ACHIEVED], self.indicator_total)

    @property
    def projects(self) -> list[ProjectResult]:
        return [p for s in self.strategies for p in s.projects]

    @property
    def strategy_indicator_total(self) -> int:
        return sum(len(s.indicators) for s in self.strategies) + sum(len(lines) for _, lines in self.policy_indicators)


def _line(indicator: Indicator, reviewed: dict[int, tuple[int, Decimal]], waiting_after: dict[int, int]) -> IndicatorLine:
    quarter, actual = reviewed.get(indicator.pk, (None, None))
    newer = waiting_after.get(indicator.pk)
    return IndicatorLine(indicator, actual, quarter, achievement_of(indicator, actual),
                         waiting=newer is not None and (quarter is None or newer > quarter))


def _strategy_lines(office: Office, strategies: list[Strategy]) -> dict[int, list[IndicatorLine]]:
    """Indicators of ``strategies`` with this office's accepted results (2 queries)."""
    indicators = list(Indicator.objects.filter(strategy__in=strategies).order_by("strategy_id", "code", "id"))
    reviewed: dict[int, tuple[int, Decimal]] = {}
    recorded: dict[int, int] = {}
    for ind_id, quarter, actual, status in (StrategyIndicatorResult.objects.filter(office=office, indicator__in=indicators)
                                            .order_by("quarter").values_list("indicator_id", "quarter", "actual", "status")):
        if status == StrategyIndicatorResult.Status.ACCEPTED:
            reviewed[ind_id] = (quarter, actual)
        else:
            recorded[ind_id] = quarter
    out: dict[int, list[IndicatorLine]] = defaultdict(list)
    for ind in indicators:
        out[ind.strategy_id].append(_line(ind, reviewed, recorded))
    return out


def results_chapter(office: Office, fiscal_year: int) -> ResultsChapter:
    """Part 3's plan results (9 queries whatever the number of projects and indicators).

    A project's quarter shows what its owner wrote only when the report was reviewed (``REVIEWED``);
    a submitted report is named in ``waiting_quarters``; no report, a draft or a returned one is
    ``missing_quarters``. An indicator's actual is its latest reviewed result.
    """
    strategies = list(Strategy.objects.filter(office=office, fiscal_year=fiscal_year, level=Strategy.Level.OFFICE).order_by("code"))
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year).select_related("strategy", "division", "owner")
        .prefetch_related(Prefetch("activities", queryset=Activity.objects.order_by("order", "id")),
                          Prefetch("indicators", queryset=Indicator.objects.order_by("id")))
        .order_by("strategy__code", "code")
    )
    reports: dict[int, list[QuarterlyReport]] = defaultdict(list)
    for r in QuarterlyReport.objects.filter(project__office=office, project__fiscal_year=fiscal_year).order_by("quarter").only(
        "project_id", "quarter", "status", "implementation", "progress", "activities_done", "outcomes", "problems", "suggestions"
    ):
        reports[r.project_id].append(r)
    reviewed: dict[int, tuple[int, Decimal]] = {}
    waiting_after: dict[int, int] = {}
    for ind_id, quarter, actual, status in (
        IndicatorResult.objects.filter(indicator__project__office=office, indicator__project__fiscal_year=fiscal_year,
                                       report__status__in=(*REVIEWED, *WAITING))
        .order_by("report__quarter").values_list("indicator_id", "report__quarter", "actual", "report__status")
    ):
        if status in REVIEWED:
            reviewed[ind_id] = (quarter, actual)
        else:
            waiting_after[ind_id] = quarter

    blocks = {s.pk: StrategyResult(s) for s in strategies}
    counts = {Achievement.ACHIEVED: 0, Achievement.NOT_ACHIEVED: 0, Achievement.NOT_REPORTED: 0}
    for project in projects:
        texts, waiting, missing = [], [], []
        by_q = {r.quarter: r for r in reports[project.pk]}
        for q in (1, 2, 3, 4):
            r = by_q.get(q)
            if r is not None and r.status in REVIEWED:
                texts.append(QuarterText(q, r.get_implementation_display(), r.progress, r.activities_done, r.outcomes, r.problems, r.suggestions))
            elif r is not None and r.status in WAITING:
                waiting.append(q)
            else:
                missing.append(q)
        lines = [_line(ind, reviewed, waiting_after) for ind in project.indicators.all()]
        for line in lines:
            counts[line.achievement] += 1
        block = blocks.setdefault(project.strategy_id, StrategyResult(project.strategy))
        block.projects.append(ProjectResult(project, list(project.activities.all()), texts, lines, waiting, missing))

    own_lines = _strategy_lines(office, [b.strategy for b in blocks.values()])
    for block in blocks.values():
        block.indicators = own_lines.get(block.strategy.pk, [])
    policies = Strategy.objects.filter(fiscal_year=fiscal_year, office__isnull=True, children__office=office).distinct().order_by("level", "code")
    policies = list(policies)
    policy_lines = _strategy_lines(office, policies)
    return ResultsChapter(
        strategies=sorted(blocks.values(), key=lambda b: b.strategy.code),
        policy_indicators=[(p, policy_lines[p.pk]) for p in policies if policy_lines.get(p.pk)],
        counts=counts,
    )
