"""The round's form (questions built from the indicators) and its dispatch to units."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.fiscal import WorkingCalendar
from emes.models import Division, Office, School
from emes.thai import be_date
from emes.text import clean_text

from .. import standards
from ..models import AnswerKind, FormDispatch, InspectionIssue, InspectionRound, IssueIndicator, Question
from ._common import RoundStatus, _locked_round, _move_round, _next_order, _refuse_after_dispatch, _refuse_closed, _require_manager

# --- the form -------------------------------------------------------------------------------------


def _indicator_help(indicator: IssueIndicator) -> str:
    target = indicator.target_text
    if indicator.target is not None:
        value = f"{indicator.target.normalize():f}"
        target = f"{value} {indicator.unit}".strip() + (f" ({indicator.target_text})" if indicator.target_text else "")
    return _("Target: %(target)s") % {"target": target} if target else ""


def _generated_question(issue: InspectionIssue, indicator: IssueIndicator) -> dict[str, str]:
    """The fields :func:`build_form` gives the question of ``indicator``: number prefix + text, kind, unit, target as help."""
    return {
        "text": f"{issue.code or issue.order}.{indicator.order} {indicator.text}",
        "kind": indicator.answer_kind, "unit": indicator.unit, "help_text": _indicator_help(indicator)[:300],
    }


def _follow_indicators(issue: InspectionIssue, indicators: list[IssueIndicator], before: dict[int, dict[str, str]]) -> int:
    """Carry an edit of ``indicators`` (or of their ``issue``) into the questions built from them; returns the questions changed.

    ``before`` holds each indicator's generated fields (:func:`_generated_question`) before the edit. A
    question field still equal to what was generated follows the new value; a field changed by hand on
    the form page (``update_question``) is kept, as the manager meant it. Called only before dispatch
    (the callers refuse afterwards), so no answer was given against the old wording.
    """
    by_id = {i.pk: i for i in indicators}
    changed = []
    for q in Question.objects.filter(indicator_id__in=by_id):
        old, new = before[q.indicator_id], _generated_question(issue, by_id[q.indicator_id])
        names = [name for name in new if getattr(q, name) == old[name] and old[name] != new[name]]
        for name in names:
            setattr(q, name, new[name])
        if names:
            changed.append(q)
    if changed:
        Question.objects.bulk_update(changed, ["text", "kind", "unit", "help_text"])
    return len(changed)


def build_form(round: InspectionRound, *, by) -> int:
    """(Re)build the round's form: one question per indicator, in the order of issues and indicators.

    Questions typed by hand are kept at the end; generated ones are replaced. Only before dispatch.
    Returns the number of questions.
    """
    _require_manager(by, round.office)
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_after_dispatch(current)
        manual = list(current.questions.filter(indicator__isnull=True).order_by("order", "id"))
        current.questions.all().delete()
        questions = []
        for issue in current.issues.prefetch_related("indicators"):
            for indicator in issue.indicators.all():
                questions.append(Question(round=current, indicator=indicator, order=len(questions) + 1, **_generated_question(issue, indicator)))
        for q in manual:
            questions.append(Question(round=current, order=len(questions) + 1, text=q.text, kind=q.kind, unit=q.unit,
                                      help_text=q.help_text, required=q.required))
        if not questions:
            raise ValidationError(_("Enter the issues and their indicators first: the form is built from them."), code="empty")
        Question.objects.bulk_create(questions)
        current.form_built_at = timezone.now()
        current.save(update_fields=["form_built_at", "updated_at"])
    return len(questions)


def _clean_question(text: str, kind: str, unit: str, help_text: str) -> dict[str, Any]:
    errors = {}
    text = clean_text(text, multiline=True)
    if not text:
        errors["text"] = _("Type the question.")
    if kind not in AnswerKind.values:
        errors["kind"] = _("Choose what the units answer.")
    if errors:
        raise ValidationError(errors, code="question")
    return {"text": text, "kind": kind, "unit": clean_text(unit, multiline=True)[:50], "help_text": clean_text(help_text, multiline=True)[:300]}


def add_question(round: InspectionRound, *, by, text: str, kind: str = AnswerKind.TEXT, unit: str = "", help_text: str = "",
                 required: bool = True) -> Question:
    """Add a question typed by hand (not from an indicator) to the end of the form, before dispatch."""
    _require_manager(by, round.office)
    fields = _clean_question(text, kind, unit, help_text)
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_after_dispatch(current)
        return Question.objects.create(round=current, order=_next_order(current.questions), required=bool(required), **fields)


def update_question(question: Question, *, by, text: str, kind: str, unit: str = "", help_text: str = "", required: bool = True) -> Question:
    _require_manager(by, question.round.office)
    fields = _clean_question(text, kind, unit, help_text)
    with transaction.atomic():
        _refuse_after_dispatch(_locked_round(question.round))
        for k, v in {**fields, "required": bool(required)}.items():
            setattr(question, k, v)
        question.save(update_fields=[*fields, "required"])
    return question


def delete_question(question: Question, *, by) -> None:
    _require_manager(by, question.round.office)
    with transaction.atomic():
        _refuse_after_dispatch(_locked_round(question.round))
        question.delete()


# --- dispatch ---------------------------------------------------------------------------------------


def default_due_on(office: Office, sent_on: dt.date) -> dt.date:
    """Dispatch date + 30 working days of the office (the standard's window for answers)."""
    return WorkingCalendar.for_office(office).add_working_days(sent_on, standards.ANSWERS_WORKING_DAYS)


def dispatch_forms(round: InspectionRound, *, by, divisions: Iterable = (), schools: Iterable = (), due_on: dt.date | None = None,
                   now: dt.datetime | None = None) -> list[FormDispatch]:
    """Send the round's form to the chosen divisions and schools of its office, due ``due_on``.

    ``due_on`` defaults to the dispatch date + 30 working days. Units already sent the form are skipped
    (their due date unchanged). The first dispatch moves the round from draft to open and freezes its
    questions. Returns the new dispatches. Raises ``ValidationError`` with no unit, no question, a due
    date in the past, a unit of another office, or a closed round.
    """
    _require_manager(by, round.office)
    now = now or timezone.now()
    today = timezone.localdate(now)
    division_ids = {d.pk if isinstance(d, Division) else int(d) for d in divisions}
    school_ids = {s.pk if isinstance(s, School) else int(s) for s in schools}
    if not division_ids and not school_ids:
        raise ValidationError({"units": _("Choose at least one division or school.")}, code="no_units")
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": _("The due date %(day)s has already passed.") % {"day": be_date(due_on)}}, code="due_past")
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_closed(current)
        if not current.questions.exists():
            raise ValidationError(_("Build the form before dispatching it."), code="no_form")
        found_divisions = list(Division.objects.filter(office=current.office, pk__in=division_ids))
        found_schools = list(School.objects.filter(office=current.office, pk__in=school_ids))
        if len(found_divisions) != len(division_ids) or len(found_schools) != len(school_ids):
            raise ValidationError({"units": _("Choose divisions and schools of this office only.")}, code="unit")
        due = due_on or default_due_on(current.office, today)
        sent_divisions = set(current.dispatches.filter(division__isnull=False).values_list("division_id", flat=True))
        sent_schools = set(current.dispatches.filter(school__isnull=False).values_list("school_id", flat=True))
        rows = [FormDispatch(round=current, division=d, sent_at=now, sent_by=by, due_on=due) for d in found_divisions if d.pk not in sent_divisions]
        rows += [FormDispatch(round=current, school=s, sent_at=now, sent_by=by, due_on=due) for s in found_schools if s.pk not in sent_schools]
        created = FormDispatch.objects.bulk_create(rows)
        if current.status == RoundStatus.DRAFT and created:
            _move_round(current, RoundStatus.OPEN, by=by, comment=_("Form dispatched to %(n)s units, due %(due)s.") % {"n": len(created), "due": be_date(due)})
    return created
