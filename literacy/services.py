"""Office-side state changes of the literacy assessment: rounds and their window.

Every transition is one function: it checks the actor's role (the plan officer, ``REGISTRY_ROLES``),
runs in ``transaction.atomic``, re-reads the round with ``select_for_update``, refuses an illegal
move with ``ValidationError`` (Thai through gettext) and saves with ``update_fields``.
Rule source: issue 6 ("Rounds and window"): the plan officer opens (เปิดระบบ) and closes (ปิดระบบ)
a round; the window can be reopened for chosen schools only, with a reason, without reopening it
for the others.

Who/when is recorded as follows:
- creating, opening, closing and opening again a round are :class:`LiteracyRoundTransition` rows
  (``emes.audit.services.record_transition``, the one audit trail of every app's statuses); a change of
  the window, grades or threshold, and a reopening for chosen schools, are rows from = to the round's
  status whose comment says what changed;
- a reopening is also a :class:`RoundReopening` row per school (school, until, reason, by, at); a
  submitted submission it reopens gets status ``reopened`` and a :class:`SubmissionChange` ``reopened``
  with the data as it was and the reason as note (``SubmissionChange`` versions the submitted data).
The school side (saving, submitting) lives in ``literacy.submissions``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from emes import thai
from emes.access import school_accounts
from emes.audit.services import record_transition
from emes.fiscal import parse_academic_year
from emes.models import Grade, Office, School
from emes.notifications.models import Kind
from emes.notifications.services import notify_each

from .access import can_manage_rounds
from .models import GradeResult, LiteracyRound, RoundReopening, Submission, SubmissionChange
from .submissions import grades_data, plain_skills
from .submissions import submission_data as read_submission_data

Status = LiteracyRound.Status

def _require(user, office: Office) -> None:
    if not can_manage_rounds(user, office):
        raise PermissionDenied(_("Only the plan officer runs the literacy rounds of this office."))


def _locked(literacy_round: LiteracyRound) -> LiteracyRound:
    return LiteracyRound.objects.select_for_update().select_related("office").get(pk=literacy_round.pk)


def _changed_comment(fields: Iterable[str]) -> str:
    names = [str(LiteracyRound._meta.get_field(name).verbose_name) for name in dict.fromkeys(fields)]
    return _("Changed: %(fields)s") % {"fields": ", ".join(names)}


def _clean_grades(grades: Iterable[str] | None) -> list[str]:
    chosen = list(grades or [])
    if not chosen:
        raise ValidationError({"grades": _("Choose at least one grade to assess.")})
    unknown = [g for g in chosen if g not in Grade.values]
    if unknown:
        raise ValidationError({"grades": _("Unknown grade: %(grades)s.") % {"grades": ", ".join(map(str, unknown))}})
    return [g for g in Grade.values if g in set(chosen)]  # school order, no duplicates


def _clean_window(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> None:
    if opens_at is None or closes_at is None:
        raise ValidationError({"closes_at": _("Give the opening and the closing date and time.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The window must close after it opens.")})


def _clean_pct(value: Any) -> Decimal:
    try:
        pct = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable value is the same user error
        pct = Decimal(-1)
    if not Decimal(0) <= pct <= Decimal(100):
        raise ValidationError({"improvement_flag_pct": _("The threshold is a percentage between 0 and 100.")})
    return pct


def _duplicate_message(year: int, number: int) -> str:
    return _("Round %(number)s of academic year %(year)s already exists.") % {"number": number, "year": year}


def create_round(
    office: Office, *, by, academic_year: int, number: int, grades: Iterable[str] | None, opens_at: dt.datetime,
    closes_at: dt.datetime, improvement_flag_pct: Decimal | int | None = None,
) -> LiteracyRound:
    """A new round (status draft) of ``office``: academic year (BE), number 1-4, grade codes, window.

    Raises ``PermissionDenied`` unless ``by`` is the plan officer; ``ValidationError`` keyed by field
    for a CE year (2025 → "use 2568"), an unknown grade, a window closing before it opens, a number
    outside 1-4 or already used in that year. Nothing is stored when it raises.
    """
    _require(by, office)
    year = parse_academic_year(academic_year)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 4:
        raise ValidationError({"number": _("The round number is 1 to 4.")})
    clean_grades = _clean_grades(grades)
    _clean_window(opens_at, closes_at)
    pct = _clean_pct(30 if improvement_flag_pct is None else improvement_flag_pct)
    if LiteracyRound.objects.filter(office=office, academic_year=year, number=number).exists():
        raise ValidationError({"number": _duplicate_message(year, number)})
    try:
        with transaction.atomic():
            literacy_round = LiteracyRound.objects.create(
                office=office, academic_year=year, number=number, grades=clean_grades, opens_at=opens_at,
                closes_at=closes_at, improvement_flag_pct=pct, created_by=by,
            )
            record_transition(literacy_round, by=by, from_status="", to_status=literacy_round.status)
    except IntegrityError:  # created meanwhile by another request
        raise ValidationError({"number": _duplicate_message(year, number)}) from None
    return literacy_round


def update_round(
    literacy_round: LiteracyRound, *, by, opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None,
    grades: Iterable[str] | None = None, improvement_flag_pct: Decimal | int | None = None,
) -> LiteracyRound:
    """Change the window, the grades or the flag threshold of a round that is not closed.

    Arguments left ``None`` keep their value. Grades cannot change once a school has started its
    submission (its grade rows would no longer match the round). Raises ``PermissionDenied`` /
    ``ValidationError``; nothing changes when it raises.
    """
    _require(by, literacy_round.office)
    with transaction.atomic():
        literacy_round = _locked(literacy_round)
        if literacy_round.status == Status.CLOSED:
            raise ValidationError(_("A closed round cannot be changed; open it again first."))
        fields: list[str] = []
        new_opens = literacy_round.opens_at if opens_at is None else opens_at
        new_closes = literacy_round.closes_at if closes_at is None else closes_at
        _clean_window(new_opens, new_closes)
        if (new_opens, new_closes) != (literacy_round.opens_at, literacy_round.closes_at):
            literacy_round.opens_at, literacy_round.closes_at = new_opens, new_closes
            fields += ["opens_at", "closes_at"]
        if grades is not None:
            clean_grades = _clean_grades(grades)
            if clean_grades != literacy_round.grades:
                if literacy_round.submissions.exists():
                    raise ValidationError({"grades": _("Schools have started entering results: the grades can no longer change.")})
                literacy_round.grades = clean_grades
                fields.append("grades")
        if improvement_flag_pct is not None:
            pct = _clean_pct(improvement_flag_pct)
            if pct != literacy_round.improvement_flag_pct:
                literacy_round.improvement_flag_pct = pct
                fields.append("improvement_flag_pct")
        if fields:
            literacy_round.save(update_fields=fields)
            status = literacy_round.status
            record_transition(literacy_round, by=by, from_status=status, to_status=status, comment=_changed_comment(fields))
    return literacy_round


def open_round(literacy_round: LiteracyRound, *, by, closes_at: dt.datetime | None = None) -> LiteracyRound:
    """Draft or closed → open (เปิดระบบ), by the plan officer.

    ``closes_at`` sets a new closing time, needed to open a round again for everyone after its
    closing time has passed. Refuses an open round and a window that would already be over.
    """
    _require(by, literacy_round.office)
    with transaction.atomic():
        literacy_round = _locked(literacy_round)
        if literacy_round.status == Status.OPEN:
            raise ValidationError(_("The round is already open."))
        old = literacy_round.status
        fields = ["status"]
        if closes_at is not None and closes_at != literacy_round.closes_at:
            _clean_window(literacy_round.opens_at, closes_at)
            literacy_round.closes_at = closes_at
            fields.append("closes_at")
        if literacy_round.closes_at <= timezone.now():
            raise ValidationError({"closes_at": _(
                "The closing time has passed: give a new closing time to open the round for every school, "
                "or reopen it for chosen schools only."
            )})
        literacy_round.status = Status.OPEN
        literacy_round.save(update_fields=fields)
        record_transition(literacy_round, by=by, from_status=old, to_status=Status.OPEN)
    return literacy_round


def close_round(literacy_round: LiteracyRound, *, by) -> LiteracyRound:
    """Open → closed (ปิดระบบ), by the plan officer. Reopenings already granted to schools stay valid until their end."""
    _require(by, literacy_round.office)
    with transaction.atomic():
        literacy_round = _locked(literacy_round)
        if literacy_round.status != Status.OPEN:
            raise ValidationError(_("Only an open round can be closed (this one is: %(status)s).") % {"status": literacy_round.get_status_display()})
        literacy_round.status = Status.CLOSED
        literacy_round.save(update_fields=["status"])
        record_transition(literacy_round, by=by, from_status=Status.OPEN, to_status=Status.CLOSED)
    return literacy_round


def submission_data(submission: Submission) -> dict[str, Any]:
    """The submission's results in the ``SubmissionChange.data`` shape (see the model). Two queries."""
    return {"grades": read_submission_data(submission)}


def reopen_for_schools(
    literacy_round: LiteracyRound, schools: Iterable[School], *, by, until: dt.datetime, reason: str
) -> list[RoundReopening]:
    """Reopen the window of ``literacy_round`` for the chosen ``schools`` only, until ``until``, with ``reason``.

    One :class:`RoundReopening` per school. A submitted submission becomes ``reopened`` (version + 1)
    with a :class:`SubmissionChange` ``reopened`` noting the reason, so the school can correct it and
    submit again. The other schools stay refused by ``literacy.window.window_open_for``.
    Raises ``PermissionDenied`` unless ``by`` is the plan officer; ``ValidationError`` for a missing
    reason or school, a school not open in the office, a draft round, or an end in the past.
    """
    _require(by, literacy_round.office)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the window.")})
    school_ids = sorted({s.pk for s in schools})
    if not school_ids:
        raise ValidationError({"schools": _("Choose at least one school.")})
    if until is None or until <= timezone.now():
        raise ValidationError({"until": _("The reopened window must end in the future.")})
    with transaction.atomic():
        literacy_round = _locked(literacy_round)
        if literacy_round.status == Status.DRAFT:
            raise ValidationError(_("The round has not been opened yet: open it for every school instead."))
        chosen = list(School.objects.open().filter(office_id=literacy_round.office_id, pk__in=school_ids).order_by("smis_code"))
        if len(chosen) != len(school_ids):
            raise ValidationError({"schools": _("Only schools of this office that are still open can be chosen.")})
        reopenings = RoundReopening.objects.bulk_create([
            RoundReopening(round=literacy_round, school=school, until=until, reason=reason, by=by) for school in chosen
        ])
        status = literacy_round.status
        record_transition(literacy_round, by=by, from_status=status, to_status=status, comment=_(
            "Window reopened for %(schools)s until %(until)s: %(reason)s"
        ) % {"schools": ", ".join(s.smis_code for s in chosen), "until": thai.be_datetime(until), "reason": reason})
        # A fixed number of queries however many schools: lock, one UPDATE, the results of all, one INSERT.
        submitted = list(Submission.objects.select_for_update().filter(
            round=literacy_round, school_id__in=school_ids, status=Submission.Status.SUBMITTED
        ).order_by("pk"))
        if submitted:
            now = timezone.now()
            Submission.objects.filter(pk__in=[s.pk for s in submitted]).update(
                status=Submission.Status.REOPENED, version=F("version") + 1, updated_by=by, updated_at=now)
            grades = GradeResult.objects.filter(submission__in=submitted).prefetch_related(plain_skills()).order_by("submission_id")
            by_submission: dict[int, list] = {}
            for g in grades:
                by_submission.setdefault(g.submission_id, []).append(g)
            changes = []
            for submission in submitted:
                submission.status, submission.version = Submission.Status.REOPENED, submission.version + 1
                submission.updated_by, submission.updated_at = by, now
                changes.append(SubmissionChange(
                    submission=submission, version=submission.version, action=SubmissionChange.Action.REOPENED,
                    data={"grades": grades_data(by_submission.get(submission.pk, []))}, by=by, note=reason,
                ))
            SubmissionChange.objects.bulk_create(changes)
        _tell_schools_reopened(literacy_round, chosen, by=by, until=until, reason=reason)
    return reopenings


def _tell_schools_reopened(literacy_round: LiteracyRound, schools: list[School], *, by, until: dt.datetime, reason: str) -> None:
    """Each chosen school's accounts learn that their window is open again (issue 17): one notification per person
    per school, all written at once (a fixed number of queries however many schools)."""
    accounts = school_accounts(literacy_round.office, [s.pk for s in schools])
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Open until %(until)s. Reason: %(reason)s") % {"until": thai.be_datetime(until), "reason": reason}
        events = [(
            accounts.get(school.pk, []),
            _("The literacy window is open again for %(school)s: round %(number)s of academic year %(year)s") % {
                "school": school.name, "number": literacy_round.number, "year": literacy_round.academic_year},
            body,
            reverse("literacy:school-round", kwargs={"smis_code": school.smis_code, "round_pk": literacy_round.pk}),
        ) for school in schools]
        notify_each(events, kind=Kind.WINDOW_REOPENED, office=literacy_round.office, exclude=by)