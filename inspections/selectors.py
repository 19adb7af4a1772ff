"""Reads of inspection rounds for pages and documents; each costs a fixed number of queries, whatever the rows."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from emes.access import get_office_for_user
from emes.fiscal import WorkingCalendar
from emes.models import Division

from . import standards
from .access import MANAGER_ROLES
from .models import (
    AnswerEvidence,
    AnswerKind,
    FollowUpAction,
    FormAnswer,
    FormDispatch,
    InspectionIssue,
    InspectionRound,
    IssueIndicator,
    Question,
    Recommendation,
)


def get_round_for_user(user, area_code: str, pk: int, *, manage: bool = False) -> InspectionRound:
    """Round ``pk`` of office ``area_code`` for a staff member of it (404 otherwise; 403 with ``manage`` for a non-manager)."""
    office = get_office_for_user(user, area_code, roles=MANAGER_ROLES) if manage else get_office_for_user(user, area_code)
    return get_object_or_404(InspectionRound.objects.select_related("office", "created_by"), office=office, pk=pk)


def rounds_of_office(office, fiscal_year: int | None = None) -> list[InspectionRound]:
    """The office's rounds (of one fiscal year if given), newest first, with dispatch and recommendation counts (1 query)."""
    qs = InspectionRound.objects.filter(office=office)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    return list(qs.annotate(
        n_issues=Count("issues", distinct=True),
        n_dispatched=Count("dispatches", distinct=True),
        n_submitted=Count("dispatches", filter=Q(dispatches__status=FormDispatch.Status.SUBMITTED), distinct=True),
        n_recommendations=Count("recommendations", distinct=True),
        n_open_recommendations=Count("recommendations", filter=Q(recommendations__status__in=["open", "in_progress", "done"]), distinct=True),
    ).order_by("-fiscal_year", "-number"))


def issues_with_indicators(round: InspectionRound) -> list[InspectionIssue]:
    """Issues of the round with their divisions and indicators prefetched (3 queries)."""
    # Plain orderings: the models' Meta.ordering goes through the office and the round (issue 18).
    return list(round.issues.prefetch_related(
        Prefetch("divisions", queryset=Division.objects.order_by("code")),
        Prefetch("indicators", queryset=IssueIndicator.objects.order_by("order", "id")),
    ).order_by("order", "id"))


@dataclass
class BoardRow:
    dispatch: FormDispatch
    unit_name: str
    is_school: bool
    status: str
    status_label: str
    is_late: bool
    working_days_late: int
    on_time_for_standard: bool | None  # within 30 working days of dispatch; None while pending


@dataclass
class Board:
    rows: list[BoardRow]
    rate: standards.ResponseRate
    counts: dict[str, int] = field(default_factory=dict)


def round_board(round: InspectionRound, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None) -> Board:
    """The response tracking board: every unit the form was sent to × its status, lateness and the 80 % standard (2 queries)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar.for_office(round.office)
    dispatches = list(round.dispatches.select_related("division", "school").order_by("school_id", "division__code", "school__smis_code"))
    rows = []
    counts: Counter = Counter()
    # A closed round stops the clock: an unanswered form is late until the day the round closed.
    until = min(today, timezone.localdate(round.closed_at)) if round.closed_at else today
    for d in dispatches:
        late = d.is_late(until)
        end = timezone.localdate(d.submitted_at) if d.submitted_at else until
        wd_late = max(calendar.working_days_between(d.due_on, end), 0) if late else 0
        on_time = None
        if d.submitted_at:
            on_time = timezone.localdate(d.submitted_at) <= calendar.add_working_days(timezone.localdate(d.sent_at), standards.ANSWERS_WORKING_DAYS)
        rows.append(BoardRow(d, d.unit_name, d.is_school, d.status, d.get_status_display(), late, wd_late, on_time))
        counts[d.status] += 1
        if late:
            counts["late"] += 1
    rate = standards.round_response_rate(round, today=today, dispatches=dispatches, calendar=calendar)
    return Board(rows, rate, dict(counts))


def answers_table(round: InspectionRound) -> tuple[list[Question], list[tuple[FormDispatch, dict[int, FormAnswer], list[AnswerEvidence]]]]:
    """Every dispatch's answers by question id and its evidence files, for exports (4 queries)."""
    questions = list(round.questions.all())
    dispatches = list(
        round.dispatches.select_related("division", "school", "submitted_by")
        .prefetch_related(Prefetch("answers", queryset=FormAnswer.objects.order_by("id")),  # plain: no join (issue 18)
                          Prefetch("evidence", queryset=AnswerEvidence.objects.order_by("uploaded_at", "id")))
        .order_by("school_id", "division__code", "school__smis_code")
    )
    return questions, [(d, {a.question_id: a for a in d.answers.all()}, list(d.evidence.all())) for d in dispatches]


@dataclass
class IndicatorSummary:
    """One question's answers across the units that submitted: numbers summed/averaged, yes/no counted, texts listed."""

    question: Question
    answered: int = 0
    total: Decimal | None = None
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    yes: int = 0
    no: int = 0
    texts: list[tuple[str, str]] = field(default_factory=list)  # (unit name, text)
    files: int = 0


def indicator_results(round: InspectionRound, *, submitted_only: bool = True) -> list[IndicatorSummary]:
    """Per question of the form, the answers of the units that submitted (or all with ``submitted_only=False``) (3 queries)."""
    questions = list(round.questions.select_related("indicator__issue"))
    answers = FormAnswer.objects.filter(dispatch__round=round).select_related("dispatch__division", "dispatch__school")
    files = AnswerEvidence.objects.filter(dispatch__round=round, question__isnull=False)
    if submitted_only:
        answers = answers.filter(dispatch__status=FormDispatch.Status.SUBMITTED)
        files = files.filter(dispatch__status=FormDispatch.Status.SUBMITTED)
    by_q: dict[int, list[FormAnswer]] = defaultdict(list)
    for a in answers:
        by_q[a.question_id].append(a)
    file_counts = Counter(files.values_list("question_id", flat=True))
    out = []
    for q in questions:
        s = IndicatorSummary(q, files=file_counts.get(q.pk, 0))
        rows = by_q.get(q.pk, [])
        if q.kind == AnswerKind.NUMBER:
            values = [a.number_value for a in rows if a.number_value is not None]
            s.answered = len(values)
            if values:
                s.total = sum(values, Decimal(0))
                s.mean = (s.total / len(values)).quantize(Decimal("0.01"))
                s.minimum, s.maximum = min(values), max(values)
        elif q.kind == AnswerKind.YES_NO:
            s.yes = sum(1 for a in rows if a.bool_value is True)
            s.no = sum(1 for a in rows if a.bool_value is False)
            s.answered = s.yes + s.no
        elif q.kind == AnswerKind.TEXT:
            s.texts = [(a.dispatch.unit_name, a.text_value) for a in rows if a.text_value]
            s.answered = len(s.texts)
        else:
            s.answered = s.files
        out.append(s)
    return out


def recommendations_of_round(round: InspectionRound) -> list[Recommendation]:
    """The round's recommendations with issue, divisions, follow-ups and their origin (4 queries)."""
    return list(
        round.recommendations.select_related("issue", "carried_from__round", "closed_by")
        .prefetch_related(Prefetch("divisions", queryset=Division.objects.order_by("code")),
                          Prefetch("follow_ups", queryset=FollowUpAction.objects.select_related("by").order_by("at", "id")))
        .order_by("order", "id")
    )


def recommendations_of_office(office, *, division=None, fiscal_year: int | None = None, status: str = "") -> list[Recommendation]:
    """Recommendations of the office (of a division, a fiscal year, a status), newest round first (3 queries)."""
    qs = Recommendation.objects.filter(round__office=office).select_related("round", "issue").prefetch_related("divisions")
    if division is not None:
        qs = qs.filter(divisions=division)
    if fiscal_year:
        qs = qs.filter(round__fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-round__fiscal_year", "-round__number", "order", "id").distinct())


def recommendation_counts(office, fiscal_year: int | None = None) -> list[dict]:
    """Counts per (round, division) and status, for the follow-up report: rows of
    ``{"round_id", "fiscal_year", "number", "division_id", "division_code", "division_name", "<status>": n, ..., "total": n}``.
    A recommendation with several divisions counts once for each; one with none under division ``None`` (1 query)."""
    qs = Recommendation.objects.filter(round__office=office)
    if fiscal_year:
        qs = qs.filter(round__fiscal_year=fiscal_year)
    rows = (
        qs.values("round_id", "round__fiscal_year", "round__number", "divisions__id", "divisions__code", "divisions__name", "status")
        .annotate(n=Count("id")).order_by("-round__fiscal_year", "-round__number", "divisions__code")
    )
    table: dict[tuple, dict] = {}
    for r in rows:
        key = (r["round_id"], r["divisions__id"])
        row = table.setdefault(key, {
            "round_id": r["round_id"], "fiscal_year": r["round__fiscal_year"], "number": r["round__number"],
            "division_id": r["divisions__id"], "division_code": r["divisions__code"], "division_name": r["divisions__name"],
            **{s: 0 for s in Recommendation.Status.values}, "total": 0,
        })
        row[r["status"]] += r["n"]
        row["total"] += r["n"]
    return list(table.values())


def my_dispatches(user) -> list[FormDispatch]:
    """The forms ``user`` answers (school account, division head, project owner), newest round first (1 query)."""
    return list(
        FormDispatch.objects.for_unit_user(user).select_related("round__office", "division", "school")
        .order_by("-round__fiscal_year", "-round__number", "division__code", "school__smis_code")
    )


def open_dispatches_for(user) -> list[FormDispatch]:
    """The forms ``user`` still has to submit in open rounds (for home pages)."""
    return [d for d in my_dispatches(user) if d.round.status == InspectionRound.Status.OPEN and d.status != FormDispatch.Status.SUBMITTED]


def dispatch_answers(dispatch: FormDispatch) -> tuple[list[Question], dict[int, FormAnswer], list[AnswerEvidence]]:
    """The form of ``dispatch``: its questions, answers by question id, evidence files (3 queries)."""
    questions = list(dispatch.round.questions.select_related("indicator__issue"))
    answers = {a.question_id: a for a in dispatch.answers.all()}
    return questions, answers, list(dispatch.evidence.select_related("question"))


def get_recommendation_for_user(user, area_code: str, pk: int) -> Recommendation:
    office = get_office_for_user(user, area_code)
    rec = (
        Recommendation.objects.filter(round__office=office, pk=pk)
        .select_related("round__office", "issue", "carried_from__round", "closed_by")
        .prefetch_related("divisions", "carried_to__round")
        .first()
    )
    if rec is None:
        raise Http404("recommendation not found")
    return rec
