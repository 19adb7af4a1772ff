"""Inspection issues (ประเด็นการตรวจราชการ) and their indicators: add, edit, delete, copy from another round."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emes.fields import NUMBER_RULES, kind_of_unit, number_problem

from emes.text import clean_code, clean_text

from ..models import AnswerKind, InspectionIssue, InspectionRound, IssueIndicator, Question
from ._common import _divisions_of, _locked_round, _next_order, _refuse_after_dispatch, _require_manager, round_label
from .form import _follow_indicators, _generated_question

# --- issues and indicators ------------------------------------------------------------------------



def add_issue(round: InspectionRound, *, by, title: str, code: str = "", description: str = "", divisions: Iterable = ()) -> InspectionIssue:
    """Add an inspection issue (ประเด็นการตรวจราชการ) at the end of the round's list, while the round is being prepared."""
    _require_manager(by, round.office)
    title = clean_text(title, multiline=True)
    if not title:
        raise ValidationError({"title": _("Type the issue.")}, code="required")
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_after_dispatch(current)
        chosen = _divisions_of(current.office, divisions)
        issue = InspectionIssue.objects.create(
            round=current, order=_next_order(current.issues), code=clean_code(code), title=title, description=clean_text(description, multiline=True)
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
    title = clean_text(title, multiline=True)
    if not title:
        raise ValidationError({"title": _("Type the issue.")}, code="required")
    with transaction.atomic():
        current = _locked_round(issue.round)
        _refuse_after_dispatch(current)
        chosen = _divisions_of(current.office, divisions)
        indicators = list(issue.indicators.all())
        before = {i.pk: _generated_question(issue, i) for i in indicators}
        issue.title, issue.code, issue.description = title, clean_code(code), clean_text(description, multiline=True)
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
    text = clean_text(text, multiline=True)
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
            else:
                # The unit's range without its maximum: a target above 100 % is how an indicator says answers may exceed 100.
                problem = number_problem(value, dataclasses.replace(NUMBER_RULES[kind_of_unit(unit)], max_value=None))
                if problem:
                    errors["target"] = problem
    if errors:
        raise ValidationError(errors, code="indicator")
    return {"text": text, "unit": clean_text(unit, multiline=True), "target": value, "target_text": clean_text(target_text, multiline=True), "answer_kind": answer_kind}


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
