"""Rounds and their schedule: create, update (the seed manual's standards warn first), close, reopen."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.audit.services import record_transition
from emes.fiscal import FiscalYear, WorkingCalendar, parse_fiscal_year
from emes.models import Office
from emes.thai import be_date
from emes.text import clean_text

from .. import notices, standards
from ..models import InspectionRound
from ._common import DATE_FIELDS, RoundStatus, SCHEDULE_FIELDS, StandardsWarning, _locked_round, _move_round, _reason, _require_manager

# --- rounds and their schedule ---------------------------------------------------------------------


def _check_year(fiscal_year: Any) -> int:
    return parse_fiscal_year(fiscal_year)


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
            clean[key] = clean_text(clean[key], multiline=True)
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
    record_transition(
        round, from_status=round.status, to_status=round.status, by=by,
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
        record_transition(candidate, by=by, from_status="", to_status=candidate.status)
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
        return _move_round(current, RoundStatus.CLOSED, by=by, comment=clean_text(comment, multiline=True), extra=["closed_at"])


def reopen_round(round: InspectionRound, *, by, reason: str) -> InspectionRound:
    """Reopen a closed round for answers, with the ``reason`` recorded."""
    _require_manager(by, round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_round(round)
        if current.status != RoundStatus.CLOSED:
            raise ValidationError(_("Only a closed round can be reopened."), code="state")
        current.closed_at = None
        moved = _move_round(current, RoundStatus.OPEN, by=by, comment=reason, extra=["closed_at"])
        notices.round_reopened(moved, by=by, reason=reason)
        return moved
