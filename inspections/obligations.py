"""Inspection forms due back from the units: the ``inspection_form`` obligations (issues 7, 8 and 14).

Registered in the core's registry (``emes.obligations``) by ``InspectionsConfig.ready()``, so the
home pages, the daily reminder sweep (``reports.reminders.services.sweep``) and the iCalendar feed
all see the units that have not submitted the form of an open inspection round, like a quarterly
report or a school's literacy results. The texts of the notice and letters are in
``reports.reminders.content`` (kind ``"inspection_form"``); the stage rules (notice before
``due_on``, first letter once overdue, second letter N working days after the first) are the
reminder engine's. Due date: ``FormDispatch.due_on``, 30 working days after dispatch by default
(inspection standard: forms come back within 30 working days; ``docs/obligations.md``).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.models import Membership, Office, Role
from emes.obligations import (
    FIRST,
    NOTICE,
    SECOND,
    Obligation,
    division_heads,
    person_recipient,
    school_accounts,
    school_recipient,
    school_title,
    working_calendars,
)

from .models import AnswerEvidence, AnswerKind, FormAnswer, FormDispatch, InspectionRound, Question

KIND = "inspection_form"
#: Longest question text quoted in a letter's table (the unit sees the full text in EMES).
QUESTION_TEXT_MAX = 120


def _value(answer: FormAnswer, kind: str):
    """``FormAnswer.value`` without reading ``answer.question`` (the kind is already known)."""
    if kind == AnswerKind.NUMBER:
        return answer.number_value
    if kind == AnswerKind.YES_NO:
        return answer.bool_value
    return answer.text_value or None


def missing_by_dispatch(dispatches: list[FormDispatch], questions: dict[int, list[Question]]) -> dict[int, list[Question]]:
    """``{dispatch id: required questions not answered yet}`` for many dispatches in two queries.

    The rule of ``inspections.services.missing_answers`` (which reads one dispatch at a time): a
    required question is missing without an answer whose value is set; a file question without a
    file attached to it. ``questions`` maps a round id to its questions in form order.
    """
    if not dispatches:
        return {}
    ids = [d.pk for d in dispatches]
    answered: dict[int, dict[int, FormAnswer]] = defaultdict(dict)
    for a in FormAnswer.objects.filter(dispatch_id__in=ids).only("dispatch_id", "question_id", "number_value", "bool_value", "text_value"):
        answered[a.dispatch_id][a.question_id] = a
    with_files = set(AnswerEvidence.objects.filter(dispatch_id__in=ids, question__isnull=False).values_list("dispatch_id", "question_id"))
    out: dict[int, list[Question]] = {}
    for d in dispatches:
        missing = []
        for q in questions.get(d.round_id, []):
            if not q.required:
                continue
            if q.kind == AnswerKind.FILE:
                if (d.pk, q.pk) not in with_files:
                    missing.append(q)
                continue
            a = answered[d.pk].get(q.pk)
            if a is None or _value(a, q.kind) is None:
                missing.append(q)
        out[d.pk] = missing
    return out


def _clip(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUESTION_TEXT_MAX else text[: QUESTION_TEXT_MAX - 1].rstrip() + "…"


def inspection_forms(*, office: Office | None, user, on: dt.date) -> list[Obligation]:
    """The forms of open inspection rounds not yet submitted on ``on``, whatever their due date.

    One obligation per :class:`FormDispatch` (key ``"inspection_form:dispatch=<id>"``) of a round whose
    status is open (forms dispatched; a draft round has no dispatch, a closed round takes no answer),
    sent on or before ``on``, not submitted (not started, or a draft, including a form returned to the
    unit), due ``due_on``. ``facts`` name the round (number, fiscal year, title), the unit, the due
    date, the working days late, and what is missing: ``not_started`` with ``question_count``, or
    ``missing`` — the required questions not answered yet as ``[[order, text], ...]`` (empty: all
    answered, only the submission is missing). ``users``: who answers it (``FormDispatch.objects.for_unit_user``:
    a school's accounts; a division's heads and project owners). Recipients (issue 7: a memo to
    people of the office, an external letter to a school):

    - a school: notice and first letter to the school (its accounts in-app, its e-mail), second letter
      to its director (ผู้อำนวยการโรงเรียน…);
    - a division: notice, first and second letter (a memo) to the division head(s); a division with
      no head has no recipient, so nothing is sent for it (the round's board still shows it late).

    ``user``: only the forms they answer. Eight queries at most, whatever the number of rounds, units and answers.
    """
    rows = FormDispatch.objects.filter(round__status=InspectionRound.Status.OPEN).exclude(status=FormDispatch.Status.SUBMITTED)
    if office is not None:
        rows = rows.filter(round__office=office)
    if user is not None:
        rows = rows.filter(pk__in=FormDispatch.objects.for_unit_user(user).values("pk"))
    dispatches = [
        d for d in rows.select_related("round__office", "division", "school")
        .order_by("round__office_id", "round__fiscal_year", "round__number", "division__code", "school__smis_code", "pk")
        if timezone.localdate(d.sent_at) <= on
    ]
    if not dispatches:
        return []
    questions: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(round_id__in={d.round_id for d in dispatches}).order_by("round_id", "order", "id"):
        questions[q.round_id].append(q)
    drafts = [d for d in dispatches if d.status != FormDispatch.Status.NOT_STARTED]
    missing = missing_by_dispatch(drafts, questions)
    accounts = school_accounts(d.school_id for d in dispatches if d.school_id)
    division_ids = {d.division_id for d in dispatches if d.division_id}
    heads = division_heads(division_ids=division_ids) if division_ids else {}
    answerers: dict[int, set[int]] = defaultdict(set)
    if division_ids:
        # Who answers a division's form: its heads and project owners (``FormDispatch.objects.for_unit_user``).
        for division_id, user_id in Membership.objects.filter(
            Q(division_id__in=division_ids), role__in=[Role.DIVISION_HEAD, Role.PROJECT_OWNER]
        ).values_list("division_id", "user_id"):
            answerers[division_id].add(user_id)
    calendars = working_calendars({d.round.office_id for d in dispatches})

    out = []
    for d in dispatches:
        rnd = d.round
        if d.school_id:
            school = d.school
            unit_name = school_title(school)
            people = accounts.get(school.pk, [])
            first = (school_recipient(school, people),)
            recipients = {NOTICE: first, FIRST: first, SECOND: (school_recipient(school, people, director=True),)}
            users = frozenset(u.pk for u in people)
        else:
            unit_name = d.division.name
            title = "ผู้อำนวยการ" + d.division.name
            people = tuple(person_recipient(u, salutation=title, title=title) for u in heads.get(d.division_id, []))
            recipients = {NOTICE: people, FIRST: people, SECOND: people}
            users = frozenset(answerers.get(d.division_id, set()))
        not_started = d.status == FormDispatch.Status.NOT_STARTED
        unanswered = [] if not_started else [[q.order, _clip(q.text)] for q in missing.get(d.pk, [])]
        out.append(Obligation(
            kind=KIND,
            key=f"{KIND}:dispatch={d.pk}",
            office=rnd.office, due_on=d.due_on, opens_on=timezone.localdate(d.sent_at),
            subject=_("Inspection form of round %(round)s: %(unit)s") % {"round": f"{rnd.number}/{rnd.fiscal_year}", "unit": unit_name},
            facts={
                "round_id": rnd.pk, "round": rnd.number, "fiscal_year": rnd.fiscal_year,
                "round_label": f"{rnd.number}/{rnd.fiscal_year}", "round_title": rnd.title,
                "dispatch_id": d.pk, "unit_kind": "school" if d.school_id else "division", "unit_name": unit_name,
                "school_code": d.school.smis_code if d.school_id else "", "division": d.division.name if d.division_id else "",
                "sent_on": timezone.localdate(d.sent_at).isoformat(), "due_on": d.due_on.isoformat(),
                "days_late": max(calendars[rnd.office_id].working_days_between(d.due_on, on), 0),
                "not_started": not_started, "question_count": len(questions.get(rnd.pk, [])),
                "missing": unanswered,
            },
            url=reverse("inspections:answer", kwargs={"pk": d.pk}),
            recipients=recipients, users=users, school=d.school if d.school_id else None,
            division=d.division if d.division_id else None,
            missing=tuple(f"{order}. {text}" for order, text in unanswered),
            status_label=d.get_status_display(), target=d,
        ))
    return out
