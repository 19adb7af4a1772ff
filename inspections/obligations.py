"""Inspection forms due back from the units, as obligations of the reminder engine (issues 7 and 8).

Registered with ``reports.reminders.obligations.register_provider`` when the app is ready
(``InspectionsConfig.ready``), so the daily sweep (``reports.reminders.services.sweep``) chases the
units that have not submitted the form of an open inspection round, like a quarterly report or a
school's literacy results. The texts of the notice and letters are in ``reports.reminders.content``
(kind ``"inspection_form"``); the stage rules (notice before ``due_on``, first letter once overdue,
second letter N working days after the first) are the engine's.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.fiscal import WorkingCalendar
from emes.models import Membership, Office, Role
from reports.reminders.obligations import (
    FIRST,
    NOTICE,
    SECOND,
    Obligation,
    division_heads,
    person_recipient,
    register_provider,
    school_recipient,
    school_title,
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


@register_provider(KIND)
def inspection_forms(office: Office, today: dt.date, *, horizon: dt.date, calendar: WorkingCalendar) -> Iterable[Obligation]:
    """The forms of the office's open inspection rounds not yet submitted, due on or before ``horizon``.

    One obligation per :class:`FormDispatch` (key ``"inspection_form:dispatch=<id>"``) of a round whose
    status is open (forms dispatched; a draft round has no dispatch, a closed round takes no answer),
    not submitted (not started, or a draft, including a form returned to the unit), due ``due_on``.
    ``facts`` name the round (number, fiscal year, title), the unit, the due date, the working days
    late, and what is missing: ``not_started`` with ``question_count``, or ``missing`` — the required
    questions not answered yet as ``[[order, text], ...]`` (empty: all answered, only the submission
    is missing). Recipients (issue 7: a memo to people of the office, an external letter to a school):

    - a school: notice and first letter to the school (its accounts in-app, its e-mail), second letter
      to its director (ผู้อำนวยการโรงเรียน…);
    - a division: notice, first and second letter (a memo) to the division head(s); a division with
      no head has no recipient, so nothing is sent for it (the round's board still shows it late).

    Six queries at most, whatever the number of rounds, units and answers.
    """
    dispatches = list(
        FormDispatch.objects.filter(round__office=office, round__status=InspectionRound.Status.OPEN, due_on__lte=horizon)
        .exclude(status=FormDispatch.Status.SUBMITTED)
        .select_related("round", "division", "school")
        .order_by("round__fiscal_year", "round__number", "division__code", "school__smis_code", "pk")
    )
    if not dispatches:
        return []
    questions: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(round_id__in={d.round_id for d in dispatches}).order_by("round_id", "order", "id"):
        questions[q.round_id].append(q)
    drafts = [d for d in dispatches if d.status != FormDispatch.Status.NOT_STARTED]
    missing = missing_by_dispatch(drafts, questions)
    school_ids = {d.school_id for d in dispatches if d.school_id}
    accounts: dict[int, list] = defaultdict(list)
    if school_ids:
        for m in (Membership.objects.filter(office=office, role=Role.SCHOOL, school_id__in=school_ids, user__is_active=True)
                  .select_related("user").order_by("user__pk")):
            accounts[m.school_id].append(m.user)
    heads = division_heads(office) if any(d.division_id for d in dispatches) else {}

    out = []
    for d in dispatches:
        rnd = d.round
        if d.school_id:
            school = d.school
            unit_name = school_title(school)
            first = (school_recipient(school, accounts.get(school.pk, [])),)
            recipients = {NOTICE: first, FIRST: first, SECOND: (school_recipient(school, accounts.get(school.pk, []), director=True),)}
        else:
            unit_name = d.division.name
            title = "ผู้อำนวยการ" + d.division.name
            people = tuple(person_recipient(u, salutation=title, title=title) for u in heads.get(d.division_id, []))
            recipients = {NOTICE: people, FIRST: people, SECOND: people}
        not_started = d.status == FormDispatch.Status.NOT_STARTED
        out.append(Obligation(
            kind=KIND,
            key=f"{KIND}:dispatch={d.pk}",
            office=office, due_on=d.due_on,
            subject=_("Inspection form of round %(round)s: %(unit)s") % {"round": f"{rnd.number}/{rnd.fiscal_year}", "unit": unit_name},
            facts={
                "round_id": rnd.pk, "round": rnd.number, "fiscal_year": rnd.fiscal_year,
                "round_label": f"{rnd.number}/{rnd.fiscal_year}", "round_title": rnd.title,
                "dispatch_id": d.pk, "unit_kind": "school" if d.school_id else "division", "unit_name": unit_name,
                "school_code": d.school.smis_code if d.school_id else "", "division": d.division.name if d.division_id else "",
                "sent_on": timezone.localdate(d.sent_at).isoformat(), "due_on": d.due_on.isoformat(),
                "days_late": max(calendar.working_days_between(d.due_on, today), 0),
                "not_started": not_started, "question_count": len(questions.get(rnd.pk, [])),
                "missing": [] if not_started else [[q.order, _clip(q.text)] for q in missing.get(d.pk, [])],
            },
            url=reverse("inspections:answer", kwargs={"pk": d.pk}),
            recipients=recipients,
        ))
    return out
