"""Every write of inspection rounds: schedule, issues, form, dispatch, answers, closing, recommendations.

Workflows (see ``inspections.models``)::

    round           draft → open          dispatch_forms      manager (plan officer, supervisor)
                    open → closed         close_round         manager; no answer is taken afterwards
                    closed → open         reopen_round        manager, with the reason
    dispatch        not started → draft   save_answers        the unit (school account, division head/owner)
                    not started|draft → submitted  submit_answers  the unit; every required question answered
                    submitted → draft     return_dispatch     manager, with the reason
    recommendation  open → in progress    add_follow_up       responsible division or manager
                    open|in progress → done  mark_done        responsible division or manager
                    done → closed         verify_closed       plan officer only
                    done|closed → in progress  reopen_recommendation  manager, with the reason
                    open|in progress|done → carried  carry_recommendations  manager (a copy opens in the next round)

Each runs in ``transaction.atomic``, re-reads the row ``select_for_update``, checks the actor
(``PermissionDenied``), refuses bad input or an illegal move with a Thai ``ValidationError`` (English
msgids), and records a transition row. Nothing else assigns a status.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.fiscal import FiscalYear, WorkingCalendar, ce_to_be, is_be_year, looks_like_ce_year
from emes.models import Division, Office, School
from emes.thai import be_date
from plans.monitoring.services import EVIDENCE_KINDS, evidence_kind, evidence_max_bytes, sanitise_filename

from . import standards
from .access import may_act_on, may_answer, may_manage, may_verify
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
    RecommendationTransition,
    RoundTransition,
)

RoundStatus = InspectionRound.Status
DispatchStatus = FormDispatch.Status
RecStatus = Recommendation.Status

#: Schedule fields of a round (``create_round`` / ``update_round`` ``data``).
SCHEDULE_FIELDS = (
    "kind", "title", "plan_sent_on", "coordination_meeting_on", "units_notified_on", "visit_starts_on", "visit_ends_on",
    "summary_meeting_on", "inspectors",
)
DATE_FIELDS = ("plan_sent_on", "coordination_meeting_on", "units_notified_on", "visit_starts_on", "visit_ends_on", "summary_meeting_on")
#: Evidence accepted for inspection answers and follow-up (issue 8): a subset of the quarterly reports' kinds.
EVIDENCE_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


class StandardsWarning(ValidationError):
    """The schedule breaks standards of the seed manual; ``checks`` are the :class:`standards.StandardCheck` at fault.

    Raised by ``create_round`` / ``update_round`` unless ``confirm=True``; nothing is saved then.
    """

    def __init__(self, checks: list[standards.StandardCheck]) -> None:
        super().__init__(_("This schedule breaks standards of the inspection manual. Check the warnings and confirm to save it anyway."), code="standards")
        self.checks = checks


# --- helpers -------------------------------------------------------------------------------------


def _require_manager(by, office: Office) -> None:
    if not may_manage(by, office):
        raise PermissionDenied(_("Only the plan officer or a supervisor manages inspection rounds."))


def _locked_round(round: InspectionRound) -> InspectionRound:
    return InspectionRound.objects.select_for_update().select_related("office").get(pk=round.pk)


def _move_round(round: InspectionRound, new: str, *, by, comment: str = "", extra: Iterable[str] = ()) -> InspectionRound:
    old = round.status
    round.status = new
    round.save(update_fields=["status", "updated_at", *extra])
    RoundTransition.objects.create(round=round, from_status=old, to_status=new, by=by, comment=comment)
    return round


def _refuse_closed(round: InspectionRound) -> None:
    if round.status == RoundStatus.CLOSED:
        raise ValidationError(
            _("Round %(round)s is closed: nothing can be changed or answered any more.") % {"round": f"{round.number}/{round.fiscal_year}"},
            code="closed",
        )


def _divisions_of(office: Office, divisions: Iterable[Division | int]) -> list[Division]:
    ids = {d.pk if isinstance(d, Division) else int(d) for d in divisions}
    found = list(Division.objects.filter(office=office, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"divisions": _("Choose divisions of this office only.")}, code="division")
    return found


def _reason(text: str, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Give the reason.")}, code="reason")
    return text


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


def round_label(round: InspectionRound) -> str:
    return f"{round.number}/{round.fiscal_year}"


# --- rounds and their schedule ---------------------------------------------------------------------


def _check_year(fiscal_year: Any) -> int:
    try:
        year = int(fiscal_year)
    except (TypeError, ValueError):
        raise ValidationError({"fiscal_year": _("Type the fiscal year in the Buddhist Era, e.g. 2569.")}, code="year") from None
    if looks_like_ce_year(year):
        raise ValidationError(
            {"fiscal_year": _("%(year)s looks like a year of the Common Era; type the Buddhist Era year (%(be)s).") % {"year": year, "be": ce_to_be(year)}},
            code="ce_year",
        )
    if not is_be_year(year):
        raise ValidationError({"fiscal_year": _("Type the fiscal year in the Buddhist Era, e.g. 2569.")}, code="year")
    return year


def _clean_schedule(fiscal_year: int, data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {k: data[k] for k in SCHEDULE_FIELDS if k in data}
    if clean.get("kind") and clean["kind"] not in InspectionRound.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of inspection.")}, code="kind")
    errors: dict[str, str] = {}
    fy = FiscalYear(fiscal_year)
    for name in DATE_FIELDS:
        day = clean.get(name)
        if day is not None and not isinstance(day, dt.date):
            errors[name] = _("Type the date as day/month/year in the Buddhist Era, e.g. 1/10/2568.")
        elif day is not None and not (fy.start - dt.timedelta(days=366) <= day <= fy.end + dt.timedelta(days=366)):
            errors[name] = _("%(day)s is far from fiscal year %(fy)s (%(start)s to %(end)s); check the year.") % {
                "day": be_date(day), "fy": fiscal_year, "start": be_date(fy.start), "end": be_date(fy.end)}
    starts, ends = clean.get("visit_starts_on"), clean.get("visit_ends_on")
    if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts:
        errors["visit_ends_on"] = _("The visit cannot end before it starts.")
    if errors:
        raise ValidationError(errors, code="schedule")
    for key in ("title", "inspectors"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    return clean


def _schedule_warnings(candidate: InspectionRound, previous: InspectionRound | None, today: dt.date) -> list[standards.StandardCheck]:
    """Schedule standards the candidate breaks that the saved schedule did not already break the same way."""
    calendar = WorkingCalendar.for_office(candidate.office)
    dispatches = list(previous.dispatches.only("sent_at", "submitted_at")) if previous else []
    new = standards.evaluate_standards(candidate, today=today, dispatches=dispatches, calendar=calendar)
    old = set()
    if previous is not None:
        old = {(c.code, c.verdict, c.detail) for c in standards.evaluate_standards(previous, today=today, dispatches=dispatches, calendar=calendar)}
    return [c for c in new if c.code in standards.SCHEDULE_CODES and c.is_problem and (c.code, c.verdict, c.detail) not in old]


def _record_warnings(round: InspectionRound, warnings: list[standards.StandardCheck], by) -> None:
    round.accepted_warnings = [{"code": c.code, "verdict": c.verdict, "message": c.detail} for c in warnings]
    round.warnings_accepted_by = by
    round.warnings_accepted_at = timezone.now()
    round.save(update_fields=["accepted_warnings", "warnings_accepted_by", "warnings_accepted_at"])
    RoundTransition.objects.create(
        round=round, from_status=round.status, to_status=round.status, by=by,
        comment=_("Schedule saved despite the standards: %(list)s") % {"list": "; ".join(f"{c.title}: {c.detail}" for c in warnings)},
    )


def create_round(office: Office, *, by, fiscal_year: int, number: int, data: Mapping[str, Any] | None = None,
                 confirm: bool = False, today: dt.date | None = None) -> InspectionRound:
    """Create round ``number`` (1 = February, 2 = August, 3+ special) of ``fiscal_year`` (BE) with its schedule ``data``.

    ``data`` holds any of ``SCHEDULE_FIELDS`` (dates as ``datetime.date``). A schedule breaking a standard of
    the seed manual (``inspections.standards``) raises :class:`StandardsWarning` unless ``confirm`` — then
    the warnings accepted are recorded on the round and in a transition row. Raises ``ValidationError`` for
    a CE year, a taken number, bad dates; ``PermissionDenied`` unless a manager.
    """
    _require_manager(by, office)
    year = _check_year(fiscal_year)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValidationError({"number": _("The round is a whole number from 1 (1 = February, 2 = August, 3 and later = special).")}, code="number")
    clean = _clean_schedule(year, data or {})
    today = today or timezone.localdate()
    with transaction.atomic():
        if InspectionRound.objects.filter(office=office, fiscal_year=year, number=number).exists():
            raise ValidationError({"number": _("Round %(n)s of fiscal year %(fy)s already exists.") % {"n": number, "fy": year}}, code="taken")
        candidate = InspectionRound(office=office, fiscal_year=year, number=number, created_by=by, **clean)
        warnings = _schedule_warnings(candidate, None, today)
        if warnings and not confirm:
            raise StandardsWarning(warnings)
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:
            raise ValidationError({"number": _("Round %(n)s of fiscal year %(fy)s already exists.") % {"n": number, "fy": year}}, code="taken") from None
        RoundTransition.objects.create(round=candidate, from_status="", to_status=candidate.status, by=by)
        if warnings:
            _record_warnings(candidate, warnings, by)
    return candidate


def update_round(round: InspectionRound, *, by, data: Mapping[str, Any], confirm: bool = False, today: dt.date | None = None) -> InspectionRound:
    """Change the schedule of ``round`` (any of ``SCHEDULE_FIELDS``); warns like :func:`create_round`."""
    _require_manager(by, round.office)
    today = today or timezone.localdate()
    with transaction.atomic():
        current = _locked_round(round)
        clean = _clean_schedule(current.fiscal_year, data)
        candidate = InspectionRound.objects.select_related("office").get(pk=current.pk)
        for key, value in clean.items():
            setattr(candidate, key, value)
        warnings = _schedule_warnings(candidate, current, today)
        if warnings and not confirm:
            raise StandardsWarning(warnings)
        candidate.save(update_fields=[*clean.keys(), "updated_at"])
        if warnings:
            _record_warnings(candidate, warnings, by)
    return candidate


def close_round(round: InspectionRound, *, by, comment: str = "") -> InspectionRound:
    """Close an open round (forms dispatched): the units can no longer save or submit answers."""
    _require_manager(by, round.office)
    with transaction.atomic():
        current = _locked_round(round)
        if current.status != RoundStatus.OPEN:
            raise ValidationError(_("Only a round whose forms were dispatched can be closed (it is: %(status)s).") % {"status": current.get_status_display()}, code="state")
        current.closed_at = timezone.now()
        return _move_round(current, RoundStatus.CLOSED, by=by, comment=(comment or "").strip(), extra=["closed_at"])


def reopen_round(round: InspectionRound, *, by, reason: str) -> InspectionRound:
    """Reopen a closed round for answers, with the ``reason`` recorded."""
    _require_manager(by, round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_round(round)
        if current.status != RoundStatus.CLOSED:
            raise ValidationError(_("Only a closed round can be reopened."), code="state")
        current.closed_at = None
        return _move_round(current, RoundStatus.OPEN, by=by, comment=reason, extra=["closed_at"])


# --- issues and indicators ------------------------------------------------------------------------


def _refuse_after_dispatch(round: InspectionRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(_("The forms of this round were dispatched: its issues and questions can no longer change."), code="dispatched")


def add_issue(round: InspectionRound, *, by, title: str, code: str = "", description: str = "", divisions: Iterable = ()) -> InspectionIssue:
    """Add an inspection issue (ประเด็นการตรวจราชการ) at the end of the round's list, while the round is being prepared."""
    _require_manager(by, round.office)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Type the issue.")}, code="required")
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_after_dispatch(current)
        chosen = _divisions_of(current.office, divisions)
        issue = InspectionIssue.objects.create(
            round=current, order=_next_order(current.issues), code=(code or "").strip(), title=title, description=(description or "").strip()
        )
        issue.divisions.set(chosen)
    return issue


def update_issue(issue: InspectionIssue, *, by, title: str, code: str = "", description: str = "", divisions: Iterable = ()) -> InspectionIssue:
    """Change an issue's code, title, description and responsible divisions while the round is being prepared.

    Refused (Thai ``ValidationError``, nothing changed) for an empty title, a division of another office, or
    once the forms are dispatched. When the form was already built, the questions generated from the
    issue's indicators take the new code in their number prefix (see :func:`_follow_indicators`).
    """
    _require_manager(by, issue.round.office)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Type the issue.")}, code="required")
    with transaction.atomic():
        current = _locked_round(issue.round)
        _refuse_after_dispatch(current)
        chosen = _divisions_of(current.office, divisions)
        indicators = list(issue.indicators.all())
        before = {i.pk: _generated_question(issue, i) for i in indicators}
        issue.title, issue.code, issue.description = title, (code or "").strip(), (description or "").strip()
        issue.save(update_fields=["title", "code", "description"])
        issue.divisions.set(chosen)
        _follow_indicators(issue, indicators, before)
    return issue


def delete_issue(issue: InspectionIssue, *, by) -> None:
    """Delete an issue with its indicators and the questions built from them, before dispatch."""
    _require_manager(by, issue.round.office)
    with transaction.atomic():
        current = _locked_round(issue.round)
        _refuse_after_dispatch(current)
        _drop_built_questions(current, Question.objects.filter(round=current, indicator__issue=issue))
        issue.delete()


def _clean_indicator(text: str, unit: str, target: Any, target_text: str, answer_kind: str) -> dict[str, Any]:
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Type the indicator.")
    if answer_kind not in AnswerKind.values:
        errors["answer_kind"] = _("Choose what the units answer.")
    value = None
    if target not in (None, ""):
        try:
            value = Decimal(str(target).replace(",", "").strip())
        except InvalidOperation:
            errors["target"] = _("The target is a number; put words in the target text.")
        else:
            if not value.is_finite() or abs(value) >= Decimal("1e12"):
                errors["target"] = _("The target is a number; put words in the target text.")
    if errors:
        raise ValidationError(errors, code="indicator")
    return {"text": text, "unit": (unit or "").strip(), "target": value, "target_text": (target_text or "").strip(), "answer_kind": answer_kind}


def add_indicator(issue: InspectionIssue, *, by, text: str, unit: str = "", target: Any = None, target_text: str = "",
                  answer_kind: str = AnswerKind.NUMBER) -> IssueIndicator:
    """Add an indicator to ``issue``: ``target`` a number (Decimal/str) or None; ``target_text`` for a target in words."""
    _require_manager(by, issue.round.office)
    fields = _clean_indicator(text, unit, target, target_text, answer_kind)
    with transaction.atomic():
        _refuse_after_dispatch(_locked_round(issue.round))
        return IssueIndicator.objects.create(issue=issue, order=_next_order(issue.indicators), **fields)


def update_indicator(indicator: IssueIndicator, *, by, text: str, unit: str = "", target: Any = None, target_text: str = "",
                     answer_kind: str = AnswerKind.NUMBER) -> IssueIndicator:
    """Change an indicator (same fields and checks as :func:`add_indicator`) while the round is being prepared.

    Refused once the forms are dispatched (answers were collected against it). When the form was already
    built, the question generated from the indicator follows the change (text, kind, unit, target in its
    help) except in what was changed by hand on the form page (see :func:`_follow_indicators`).
    """
    _require_manager(by, indicator.issue.round.office)
    fields = _clean_indicator(text, unit, target, target_text, answer_kind)
    with transaction.atomic():
        _refuse_after_dispatch(_locked_round(indicator.issue.round))
        issue = indicator.issue
        before = {indicator.pk: _generated_question(issue, indicator)}
        for k, v in fields.items():
            setattr(indicator, k, v)
        indicator.save(update_fields=list(fields))
        _follow_indicators(issue, [indicator], before)
    return indicator


def delete_indicator(indicator: IssueIndicator, *, by) -> None:
    """Delete an indicator and the question built from it, before dispatch."""
    _require_manager(by, indicator.issue.round.office)
    with transaction.atomic():
        current = _locked_round(indicator.issue.round)
        _refuse_after_dispatch(current)
        _drop_built_questions(current, Question.objects.filter(round=current, indicator=indicator))
        indicator.delete()


def _drop_built_questions(round: InspectionRound, questions) -> None:
    """Delete ``questions`` (built from an indicator being deleted) and number the rest of the form 1, 2, ... again.

    Without this the question would lose its indicator (``on_delete=SET_NULL``) and stay on the form as if
    typed by hand, surviving every rebuild.
    """
    if not questions.delete()[0]:
        return
    rest = list(round.questions.order_by("order", "id"))
    for n, q in enumerate(rest, start=1):
        q.order = n
    Question.objects.bulk_update(rest, ["order"])


def copy_issues(source: InspectionRound, target: InspectionRound, *, by) -> int:
    """Copy the issues of ``source`` (with divisions and indicators) to the end of ``target``; returns the issues copied.

    Both rounds of the same office; ``target`` still being prepared. Each copy remembers ``copied_from``.
    """
    _require_manager(by, target.office)
    if source.office_id != target.office_id or source.pk == target.pk:
        raise ValidationError({"source": _("Copy from another round of this office.")}, code="source")
    with transaction.atomic():
        current = _locked_round(target)
        _refuse_after_dispatch(current)
        order = _next_order(current.issues)
        issues = list(source.issues.prefetch_related("divisions", "indicators"))
        if not issues:
            raise ValidationError({"source": _("Round %(round)s has no issues to copy.") % {"round": round_label(source)}}, code="empty")
        for offset, old in enumerate(issues):
            new = InspectionIssue.objects.create(
                round=current, order=order + offset, code=old.code, title=old.title, description=old.description, copied_from=old
            )
            new.divisions.set(old.divisions.all())
            IssueIndicator.objects.bulk_create([
                IssueIndicator(issue=new, order=i.order, text=i.text, unit=i.unit, target=i.target, target_text=i.target_text, answer_kind=i.answer_kind)
                for i in old.indicators.all()
            ])
    return len(issues)


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
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Type the question.")
    if kind not in AnswerKind.values:
        errors["kind"] = _("Choose what the units answer.")
    if errors:
        raise ValidationError(errors, code="question")
    return {"text": text, "kind": kind, "unit": (unit or "").strip()[:50], "help_text": (help_text or "").strip()[:300]}


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


# --- answers ---------------------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(raw: str) -> Decimal | None:
    """A typed number (Thai or Arabic digits, thousands commas, spaces) as Decimal; None when blank; ValueError if not a number."""
    text = (raw or "").translate(_THAI_DIGITS).replace(",", "").replace(" ", "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    value = Decimal(text)
    if abs(value) >= Decimal("1e12"):
        raise ValueError(text)
    return value


def _parse_answers(questions: list[Question], data: Mapping[str, Any]) -> tuple[dict[int, dict[str, Any]], dict[str, str]]:
    """Parse the raw form values ``data`` (keys ``q<id>``) per question kind; returns (values per question id, errors per key)."""
    values: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for q in questions:
        key = f"q{q.pk}"
        if q.kind == AnswerKind.FILE or key not in data:
            continue
        raw = data.get(key)
        raw = "" if raw is None else str(raw)
        label = {"n": q.order}
        if q.kind == AnswerKind.NUMBER:
            try:
                number = parse_number(raw)
            except (ValueError, InvalidOperation):
                errors[key] = _("Question %(n)s expects a number (e.g. 85 or 85.5); words go in the questions that ask for text.") % label
                continue
            values[q.pk] = {"number_value": number, "bool_value": None, "text_value": ""}
        elif q.kind == AnswerKind.YES_NO:
            choice = raw.strip().lower()
            if choice not in ("", "yes", "no"):
                errors[key] = _("Question %(n)s is answered yes or no.") % label
                continue
            values[q.pk] = {"number_value": None, "bool_value": {"yes": True, "no": False}.get(choice), "text_value": ""}
        else:
            text = raw.strip()
            try:
                is_number = text != "" and parse_number(text) is not None
            except (ValueError, InvalidOperation):
                is_number = False
            if is_number:
                errors[key] = _("Question %(n)s asks for a description in words, not only a number.") % label
                continue
            values[q.pk] = {"number_value": None, "bool_value": None, "text_value": text}
    return values, errors


def _locked_dispatch(dispatch: FormDispatch) -> FormDispatch:
    return FormDispatch.objects.select_for_update().select_related("round__office").get(pk=dispatch.pk)


def _require_answerer(by, dispatch: FormDispatch) -> None:
    if not may_answer(by, dispatch):
        raise PermissionDenied(_("Only the unit the form was sent to may answer it."))


def _refuse_unwritable(dispatch: FormDispatch) -> None:
    _refuse_closed(dispatch.round)
    if dispatch.status == DispatchStatus.SUBMITTED:
        raise ValidationError(_("This form was submitted; ask the plan officer to return it if something must change."), code="submitted")


def _store_answers(dispatch: FormDispatch, values: dict[int, dict[str, Any]]) -> None:
    existing = {a.question_id: a for a in dispatch.answers.all()}
    new, changed = [], []
    for qid, fields in values.items():
        answer = existing.get(qid)
        if answer is None:
            new.append(FormAnswer(dispatch=dispatch, question_id=qid, **fields))
        else:
            for k, v in fields.items():
                setattr(answer, k, v)
            changed.append(answer)
    FormAnswer.objects.bulk_create(new)
    if changed:
        now = timezone.now()
        for a in changed:
            a.updated_at = now
        FormAnswer.objects.bulk_update(changed, ["number_value", "bool_value", "text_value", "updated_at"])


def save_answers(dispatch: FormDispatch, data: Mapping[str, Any], *, by) -> FormDispatch:
    """Save the unit's answers as a draft. ``data`` maps ``"q<question id>"`` to the typed value (str):

    a number question takes a number (Thai digits and thousands commas accepted), a yes/no question
    ``"yes"``/``"no"``/``""``, a text question words (a bare number is refused: issue 8). Every wrong
    answer is reported under its key (``ValidationError`` dict, Thai) and nothing is saved. Refused after
    the round is closed or the form submitted.
    """
    _require_answerer(by, dispatch)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        questions = list(current.round.questions.all())
        values, errors = _parse_answers(questions, data)
        if errors:
            raise ValidationError(errors, code="answers")
        _store_answers(current, values)
        current.status = DispatchStatus.DRAFT
        current.updated_by = by
        current.save(update_fields=["status", "updated_by", "updated_at"])
    return current


def missing_answers(dispatch: FormDispatch) -> list[Question]:
    """Required questions of the dispatch's form not answered yet (a file question needs a file attached to it)."""
    answers = {a.question_id: a for a in dispatch.answers.select_related("question")}
    with_files = set(dispatch.evidence.exclude(question__isnull=True).values_list("question_id", flat=True))
    missing = []
    for q in dispatch.round.questions.all():
        if not q.required:
            continue
        if q.kind == AnswerKind.FILE:
            if q.pk not in with_files:
                missing.append(q)
            continue
        a = answers.get(q.pk)
        if a is None or a.value is None:
            missing.append(q)
    return missing


def submit_answers(dispatch: FormDispatch, data: Mapping[str, Any] | None = None, *, by, now: dt.datetime | None = None) -> FormDispatch:
    """Save ``data`` (as :func:`save_answers`) and submit the form; refused while a required question is unanswered.

    A submission after ``due_on`` is accepted and shown late. Refused after the round is closed.
    """
    _require_answerer(by, dispatch)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        if data:
            values, errors = _parse_answers(list(current.round.questions.all()), data)
            if errors:
                raise ValidationError(errors, code="answers")
            _store_answers(current, values)
        missing = missing_answers(current)
        if missing:
            raise ValidationError(
                {f"q{q.pk}": _("Question %(n)s must be answered before the form is submitted.") % {"n": q.order} for q in missing},
                code="missing",
            )
        current.status = DispatchStatus.SUBMITTED
        current.submitted_at = now or timezone.now()
        current.submitted_by = by
        current.updated_by = by
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_by", "updated_at"])
    return current


def return_dispatch(dispatch: FormDispatch, *, by, reason: str) -> FormDispatch:
    """Give a submitted form back to its unit as a draft (a manager, with the reason; the round must be open)."""
    _require_manager(by, dispatch.round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_closed(current.round)
        if current.status != DispatchStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted form can be returned."), code="state")
        current.status = DispatchStatus.DRAFT
        current.submitted_at = None
        current.submitted_by = None
        current.updated_by = by
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_by", "updated_at"])
        RoundTransition.objects.create(
            round=current.round, from_status=current.round.status, to_status=current.round.status, by=by,
            comment=_("Form of %(unit)s returned: %(reason)s") % {"unit": current.unit_name, "reason": reason},
        )
    return current


# --- evidence files -----------------------------------------------------------------------------------


def _read_evidence(file) -> tuple[bytes, str, str, str]:
    """Check an uploaded evidence ``file``; returns (data, display name, content type, extension) or raises ``ValidationError``.

    Types: PDF, JPEG, PNG, DOCX, XLSX, told by the content (the extension must agree); at most
    ``EMES_EVIDENCE_MAX_BYTES`` (default 10 MB) — the quarterly reports' rule (``plans.monitoring.services``).
    """
    limit = evidence_max_bytes()
    size = getattr(file, "size", None)
    too_big = _("The file is %(size)s MB; evidence files may be at most %(limit)s MB.")
    if size is not None and size > limit:
        raise ValidationError({"file": too_big % {"size": f"{size / 1048576:,.1f}", "limit": f"{limit / 1048576:,.0f}"}}, code="size")
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": too_big % {"size": f"{len(data) / 1048576:,.1f}", "limit": f"{limit / 1048576:,.0f}"}}, code="size")
    if not data:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    name = sanitise_filename(getattr(file, "name", "") or "")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = evidence_kind(data)
    if kind not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": _("This file is not one of the accepted types (%(types)s), judging by its content.") % {"types": ", ".join(EVIDENCE_EXTENSIONS)}},
            code="type",
        )
    mime, extensions = EVIDENCE_KINDS[kind]
    if ext not in extensions:
        raise ValidationError(
            {"file": _("The file's content is %(kind)s but its name ends in .%(ext)s: rename it to .%(right)s or upload the right file.")
             % {"kind": kind.upper(), "ext": ext or "-", "right": extensions[0]}},
            code="renamed",
        )
    return data, name or f"evidence.{ext}", mime, ext


def _save_file(row, data: bytes, ext: str) -> None:
    row.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    path = row.file.name
    try:
        row.save()
    except Exception:  # a refused row must not leave its file behind
        row.file.storage.delete(path)
        raise


def add_answer_evidence(dispatch: FormDispatch, file, *, by, question: Question | None = None) -> AnswerEvidence:
    """Attach an evidence file to the unit's answers (to a question of the form, or to the form as a whole).

    Refused (Thai ``ValidationError``, nothing stored) for a wrong type or size, a question of another
    round, a submitted form or a closed round.
    """
    _require_answerer(by, dispatch)
    data, name, mime, ext = _read_evidence(file)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        if question is not None and question.round_id != current.round_id:
            raise ValidationError({"question": _("Choose a question of this form.")}, code="question")
        row = AnswerEvidence(dispatch=current, question=question, original_name=name, content_type=mime, size=len(data), uploaded_by=by)
        _save_file(row, data, ext)
        if current.status == DispatchStatus.NOT_STARTED:
            current.status = DispatchStatus.DRAFT
            current.save(update_fields=["status", "updated_at"])
    return row


def save_answers_with_evidence(dispatch: FormDispatch, data: Mapping[str, Any], file, *, by, question: Question | None = None,
                               submit: bool = False) -> tuple[FormDispatch, AnswerEvidence]:
    """Save the unit's typed answers as a draft and attach ``file`` in one go (the answer page's "Attach" button).

    ``data`` as :func:`save_answers`, ``file`` and ``question`` as :func:`add_answer_evidence`; with
    ``submit`` the form is then submitted (:func:`submit_answers`). All or nothing: a wrong answer (errors
    under its ``q<id>`` key), a refused file (under ``file`` / ``question``) or a missing required answer
    raises ``ValidationError`` and neither the answers nor the file are stored. Returns (dispatch, evidence).
    """
    stored = None
    try:
        with transaction.atomic():
            current = save_answers(dispatch, data, by=by)
            evidence = add_answer_evidence(current, file, by=by, question=question)
            stored = (evidence.file.storage, evidence.file.name)
            if submit:
                current = submit_answers(current, by=by)
    except Exception:
        if stored is not None:  # the row was rolled back: its file must not stay behind
            stored[0].delete(stored[1])
        raise
    return current, evidence


def remove_answer_evidence(evidence: AnswerEvidence, *, by) -> None:
    """Delete an evidence file of a form not yet submitted (the stored file goes once the deletion is committed)."""
    _require_answerer(by, evidence.dispatch)
    with transaction.atomic():
        _refuse_unwritable(_locked_dispatch(evidence.dispatch))
        storage, path = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(path))


# --- recommendations ----------------------------------------------------------------------------------


def _locked_rec(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().select_related("round__office").get(pk=rec.pk)


def _move_rec(rec: Recommendation, new: str, *, by, comment: str = "", follow_up: FollowUpAction | None = None,
              extra: Iterable[str] = ()) -> Recommendation:
    old = rec.status
    rec.status = new
    rec.save(update_fields=["status", "updated_at", *extra])
    RecommendationTransition.objects.create(recommendation=rec, from_status=old, to_status=new, by=by, comment=comment, follow_up=follow_up)
    return rec


def _clean_rec(round: InspectionRound, text: str, issue: InspectionIssue | int | None, due_on: dt.date | None) -> tuple[str, InspectionIssue | None]:
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Type the recommendation.")
    if issue is not None:
        issue_id = issue.pk if isinstance(issue, InspectionIssue) else int(issue)
        issue = InspectionIssue.objects.filter(round=round, pk=issue_id).first()
        if issue is None:
            errors["issue"] = _("Choose an issue of this round.")
    if due_on is not None and not isinstance(due_on, dt.date):
        errors["due_on"] = _("Type the date as day/month/year in the Buddhist Era, e.g. 1/10/2568.")
    if errors:
        raise ValidationError(errors, code="recommendation")
    return text, issue


def add_recommendation(round: InspectionRound, *, by, text: str, issue: InspectionIssue | int | None = None, divisions: Iterable = (),
                       due_on: dt.date | None = None) -> Recommendation:
    """Record an inspector's recommendation (ข้อเสนอแนะของผู้ตรวจราชการ) with its responsible divisions and due date (open)."""
    _require_manager(by, round.office)
    text, issue = _clean_rec(round, text, issue, due_on)
    with transaction.atomic():
        current = _locked_round(round)
        chosen = _divisions_of(current.office, divisions)
        rec = Recommendation.objects.create(round=current, issue=issue, order=_next_order(current.recommendations), text=text, due_on=due_on, created_by=by)
        rec.divisions.set(chosen)
        RecommendationTransition.objects.create(recommendation=rec, from_status="", to_status=rec.status, by=by)
    return rec


def update_recommendation(rec: Recommendation, *, by, text: str, issue: InspectionIssue | int | None = None, divisions: Iterable = (),
                          due_on: dt.date | None = None) -> Recommendation:
    """Change the text, issue, responsible divisions or due date of a recommendation not yet closed or carried."""
    _require_manager(by, rec.round.office)
    text, issue = _clean_rec(rec.round, text, issue, due_on)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status in (RecStatus.CLOSED, RecStatus.CARRIED):
            raise ValidationError(_("This recommendation is %(status)s and can no longer change.") % {"status": current.get_status_display()}, code="state")
        chosen = _divisions_of(current.round.office, divisions)
        current.text, current.issue, current.due_on = text, issue, due_on
        current.save(update_fields=["text", "issue", "due_on", "updated_at"])
        current.divisions.set(chosen)
    return current


def _require_actor(by, rec: Recommendation) -> None:
    if not may_act_on(by, rec):
        raise PermissionDenied(_("Only the responsible divisions or the plan officer act on this recommendation."))


def add_follow_up(rec: Recommendation, *, by, text: str, file=None, to_status: str = "") -> FollowUpAction:
    """Record what was done about ``rec`` (with an optional evidence file), and optionally move it.

    ``to_status``: "" (an open recommendation then moves to in progress), ``in_progress`` or ``done``.
    Refused for a recommendation closed or carried; a file is checked like answer evidence.
    """
    _require_actor(by, rec)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what was done.")}, code="required")
    if to_status not in ("", RecStatus.IN_PROGRESS, RecStatus.DONE):
        raise ValidationError({"to_status": _("A follow-up moves a recommendation to in progress or done only.")}, code="status")
    upload = _read_evidence(file) if file else None
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status not in (RecStatus.OPEN, RecStatus.IN_PROGRESS, RecStatus.DONE):
            raise ValidationError(_("This recommendation is %(status)s; reopen it first.") % {"status": current.get_status_display()}, code="state")
        new = to_status or (RecStatus.IN_PROGRESS if current.status == RecStatus.OPEN else "")
        if new == current.status:
            new = ""
        if new == RecStatus.IN_PROGRESS and current.status == RecStatus.DONE:
            raise ValidationError({"to_status": _("A recommendation marked done goes back to in progress only when the plan officer reopens it.")}, code="status")
        action = FollowUpAction(recommendation=current, text=text, by=by, from_status=current.status if new else "", to_status=new)
        if upload:
            data, name, mime, ext = upload
            action.original_name, action.content_type, action.size = name, mime, len(data)
            _save_file(action, data, ext)
        else:
            action.save()
        if new:
            _move_rec(current, new, by=by, comment=text, follow_up=action)
    return action


def mark_done(rec: Recommendation, *, by, comment: str = "") -> Recommendation:
    """The responsible division (or a manager) says the recommendation is done; the plan officer then verifies it."""
    _require_actor(by, rec)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status not in (RecStatus.OPEN, RecStatus.IN_PROGRESS):
            raise ValidationError(_("Only an open or in-progress recommendation can be marked done (it is: %(status)s).") % {"status": current.get_status_display()}, code="state")
        return _move_rec(current, RecStatus.DONE, by=by, comment=(comment or "").strip())


def verify_closed(rec: Recommendation, *, by, comment: str = "") -> Recommendation:
    """The plan officer verifies a done recommendation and closes it (ปิดข้อเสนอแนะ); only the plan officer."""
    if not may_verify(by, rec.round.office):
        raise PermissionDenied(_("Only the plan officer verifies and closes a recommendation."))
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status != RecStatus.DONE:
            raise ValidationError(_("Only a recommendation marked done can be verified and closed (it is: %(status)s).") % {"status": current.get_status_display()}, code="state")
        current.closed_at, current.closed_by = timezone.now(), by
        return _move_rec(current, RecStatus.CLOSED, by=by, comment=(comment or "").strip(), extra=["closed_at", "closed_by"])


def reopen_recommendation(rec: Recommendation, *, by, reason: str) -> Recommendation:
    """Send a done or closed recommendation back to in progress, with the reason (a manager)."""
    _require_manager(by, rec.round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status not in (RecStatus.DONE, RecStatus.CLOSED):
            raise ValidationError(_("Only a done or closed recommendation can be reopened."), code="state")
        current.closed_at, current.closed_by = None, None
        return _move_rec(current, RecStatus.IN_PROGRESS, by=by, comment=reason, extra=["closed_at", "closed_by"])


def carry_recommendations(from_round: InspectionRound, to_round: InspectionRound, *, by) -> list[Recommendation]:
    """Carry the recommendations of ``from_round`` not yet closed into ``to_round`` (a later round of the same office).

    Each becomes ``carried`` in its round and a copy (same text, divisions, due date and status, the issue
    mapped to ``to_round``'s copy of it when there is one) opens in ``to_round`` with ``carried_from``.
    Returns the new recommendations (none when nothing is left open).
    """
    _require_manager(by, to_round.office)
    if from_round.office_id != to_round.office_id or (from_round.fiscal_year, from_round.number) >= (to_round.fiscal_year, to_round.number):
        raise ValidationError({"to_round": _("Recommendations are carried into a later round of the same office.")}, code="round")
    created = []
    with transaction.atomic():
        target = _locked_round(to_round)
        issue_map = dict(target.issues.filter(copied_from__round=from_round).values_list("copied_from_id", "pk"))
        order = _next_order(target.recommendations)
        olds = list(Recommendation.objects.select_for_update().filter(round=from_round).still_open().order_by("order", "id"))
        for old in olds:
            new = Recommendation.objects.create(
                round=target, issue_id=issue_map.get(old.issue_id), order=order + len(created), text=old.text, due_on=old.due_on,
                status=old.status, carried_from=old, created_by=by,
            )
            new.divisions.set(old.divisions.all())
            RecommendationTransition.objects.create(
                recommendation=new, from_status="", to_status=new.status, by=by,
                comment=_("Carried from round %(round)s.") % {"round": round_label(from_round)},
            )
            _move_rec(old, RecStatus.CARRIED, by=by, comment=_("Carried into round %(round)s.") % {"round": round_label(target)})
            created.append(new)
    return created
