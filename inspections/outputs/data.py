"""What the round report and the follow-up report show, read in a fixed number of queries.

The round report (รายงานผลการตรวจราชการ, issue 8 "Outputs") is built from E's selectors
(``round_board``, ``indicator_results``, ``issues_with_indicators``, ``recommendations_of_round``) and
the standards (``evaluate_standards``); this module only arranges them per issue and adds what the
document needs on top: how many units reached each numeric indicator's target, and the share of "yes"
for yes/no indicators. The follow-up report counts recommendations per (round, division) and status
(``recommendation_counts``) with the overdue ones and each recommendation's latest follow-up action.

Indicator targets have no direction in the model: a unit reaches a numeric target when its value is
at least the target (every seeded target is a floor: ร้อยละ … ไม่น้อยกว่า).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch
from django.utils import timezone

from emes.stats import percentage
from emes.fiscal import WorkingCalendar
from emes.models import Office

from .. import selectors, standards
from ..models import (
    AnswerKind,
    FollowUpAction,
    FormAnswer,
    FormDispatch,
    InspectionIssue,
    InspectionRound,
    Recommendation,
)


@dataclass
class IndicatorResult:
    """One question's results across the submitted units, with its indicator's target.

    ``reached``: units whose number is at least the target (numbers with a target only);
    ``achievement_pct``: reached / answered for numbers, yes / answered for yes/no (%, 2 dp), else ``None``.
    """

    summary: selectors.IndicatorSummary
    reached: int | None = None

    @property
    def question(self):
        return self.summary.question

    @property
    def indicator(self):
        return self.summary.question.indicator

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target if self.indicator else None

    @property
    def achievement_pct(self) -> Decimal | None:
        s = self.summary
        if s.question.kind == AnswerKind.NUMBER and self.reached is not None:
            return percentage(self.reached, s.answered)
        if s.question.kind == AnswerKind.YES_NO:
            return percentage(s.yes, s.answered)
        return None

    @property
    def grouped_texts(self) -> list[tuple[str, list[str]]]:
        """Text answers with the units that gave each, identical answers (ignoring surrounding spaces) together,
        in the order of first appearance: [(text, [unit name, ...])]."""
        groups: dict[str, tuple[str, list[str]]] = {}
        for unit, text in self.summary.texts:
            groups.setdefault(" ".join(text.split()), (text.strip(), []))[1].append(unit)
        return list(groups.values())

    @property
    def mean_reaches_target(self) -> bool | None:
        if self.target is None or self.summary.mean is None:
            return None
        return self.summary.mean >= self.target


@dataclass
class IssueBlock:
    issue: InspectionIssue | None  # None: the questions typed without an indicator
    results: list[IndicatorResult]


@dataclass
class RoundReport:
    round: InspectionRound
    office: Office
    today: dt.date
    generated_at: dt.datetime
    checks: list[standards.StandardCheck]
    board: selectors.Board
    issues: list[InspectionIssue]
    blocks: list[IssueBlock]
    recommendations: list[Recommendation]
    status_counts: dict[str, int]
    rec_counts: dict[str, int]
    overdue: int

    @property
    def rate(self) -> standards.ResponseRate:
        return self.board.rate

    @property
    def answers_check(self) -> standards.StandardCheck | None:
        return next((c for c in self.checks if c.code == "answers_returned"), None)

    @property
    def schools(self) -> int:
        return sum(1 for row in self.board.rows if row.is_school)

    @property
    def divisions(self) -> int:
        return len(self.board.rows) - self.schools


def reached_counts(round: InspectionRound) -> dict[int, int]:
    """Per numeric question with a target: submitted units whose answer is at least the target (1 query)."""
    rows = (
        FormAnswer.objects.filter(
            dispatch__round=round, dispatch__status=FormDispatch.Status.SUBMITTED, question__kind=AnswerKind.NUMBER,
            question__indicator__target__isnull=False, number_value__gte=F("question__indicator__target"),
        )
        .values("question_id").annotate(n=Count("id")).order_by()
    )
    return {r["question_id"]: r["n"] for r in rows}


def round_report(round: InspectionRound, *, today: dt.date | None = None) -> RoundReport:
    """Everything the round report PDF shows, as of ``today`` (Asia/Bangkok), in a fixed number of queries (about 12).

    Indicator results count the units that submitted; the board and the 80 % standard count every
    dispatched unit (E's ``round_board``); recommendations come with their follow-up actions.
    """
    today = today or timezone.localdate()
    calendar = WorkingCalendar.for_office(round.office)
    board = selectors.round_board(round, today=today, calendar=calendar)
    checks = standards.evaluate_standards(round, today=today, dispatches=[row.dispatch for row in board.rows], calendar=calendar)
    issues = selectors.issues_with_indicators(round)
    reached = reached_counts(round)
    by_issue: dict[int | None, list[IndicatorResult]] = defaultdict(list)
    for s in selectors.indicator_results(round):
        q = s.question
        result = IndicatorResult(s, reached.get(q.pk, 0) if q.kind == AnswerKind.NUMBER and q.indicator and q.indicator.target is not None else None)
        by_issue[q.indicator.issue_id if q.indicator else None].append(result)
    blocks = [IssueBlock(issue, by_issue.get(issue.pk, [])) for issue in issues]
    if by_issue.get(None):
        blocks.append(IssueBlock(None, by_issue[None]))
    recs = selectors.recommendations_of_round(round)
    for rec in recs:
        rec.is_overdue_today = rec.is_overdue(today)
    return RoundReport(
        round=round, office=round.office, today=today, generated_at=timezone.now(), checks=checks, board=board,
        issues=issues, blocks=blocks, recommendations=recs,
        status_counts=Counter(row.status for row in board.rows),
        rec_counts=Counter(r.status for r in recs),
        overdue=sum(1 for r in recs if r.is_overdue_today),
    )


# --- the follow-up report -------------------------------------------------------------------------------


@dataclass
class CountRow:
    """One (round, division) line of the follow-up report: counts per status, total, overdue."""

    round: InspectionRound
    division_id: int | None
    division_name: str
    division_code: str
    counts: dict[str, int]
    total: int
    overdue: int = 0

    @property
    def still_open(self) -> int:
        S = Recommendation.Status
        return self.counts[S.OPEN] + self.counts[S.IN_PROGRESS] + self.counts[S.DONE]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the statuses' order, for tables."""
        return [(s, self.counts[s]) for s in Recommendation.Status.values]


@dataclass
class FollowUpReport:
    office: Office
    fiscal_year: int
    today: dt.date
    generated_at: dt.datetime
    rounds: list[InspectionRound]
    rows: list[CountRow]
    totals: dict[str, int]
    total: int
    overdue: int
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return list(Recommendation.Status.choices)

    @property
    def total_cells(self) -> list[tuple[str, int]]:
        return [(s, self.totals[s]) for s in Recommendation.Status.values]

    @property
    def still_open(self) -> int:
        S = Recommendation.Status
        return self.totals[S.OPEN] + self.totals[S.IN_PROGRESS] + self.totals[S.DONE]


def latest_follow_up(rec: Recommendation) -> FollowUpAction | None:
    """The newest follow-up action of ``rec`` (from the prefetched, oldest-first list)."""
    actions = list(rec.follow_ups.all())
    return actions[-1] if actions else None


def follow_up_report(office: Office, fiscal_year: int, *, today: dt.date | None = None) -> FollowUpReport:
    """Recommendations of ``office``'s rounds of ``fiscal_year`` (BE): counts per (round, division) and status, the
    overdue ones (past their due date, still open or in progress) and each one's latest follow-up (5 queries).

    A recommendation with several divisions counts once under each of them (as in ``recommendation_counts``),
    once in the totals; one with no division counts under "no division".
    """
    today = today or timezone.localdate()
    rounds = {r.pk: r for r in InspectionRound.objects.filter(office=office, fiscal_year=fiscal_year).order_by("number")}
    recs = list(
        Recommendation.objects.filter(round__in=list(rounds))
        .select_related("issue", "carried_from__round")
        .prefetch_related("divisions", Prefetch("follow_ups", queryset=FollowUpAction.objects.select_related("by").order_by("at", "id")))
        .order_by("round__number", "order", "id")
    )
    overdue_by: Counter = Counter()
    for rec in recs:
        rec.round = rounds[rec.round_id]
        rec.overdue = rec.is_overdue(today)
        rec.latest = latest_follow_up(rec)
        if rec.overdue:
            for d in rec.divisions.all() or [None]:
                overdue_by[(rec.round_id, d.pk if d else None)] += 1
    rows = []
    for c in selectors.recommendation_counts(office, fiscal_year):
        rows.append(CountRow(
            round=rounds[c["round_id"]], division_id=c["division_id"], division_name=c["division_name"] or "", division_code=c["division_code"] or "",
            counts={s: c[s] for s in Recommendation.Status.values}, total=c["total"],
            overdue=overdue_by[(c["round_id"], c["division_id"])],
        ))
    rows.sort(key=lambda r: (r.round.number, r.division_code == "", r.division_code))
    totals = Counter(r.status for r in recs)
    return FollowUpReport(
        office=office, fiscal_year=fiscal_year, today=today, generated_at=timezone.now(), rounds=list(rounds.values()),
        rows=rows, totals={s: totals[s] for s in Recommendation.Status.values}, total=len(recs),
        overdue=sum(1 for r in recs if r.overdue), recommendations=recs,
    )
