"""Reads of the reminders page: today's due reminders by stage, the recorded ones, the sweeps, the print batch.

Every function takes the office the view has already scoped (``emes.access.get_office_for_user``)
and runs a fixed number of queries whatever the number of reminders.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.models import Office
from emes.obligations import STAGES
from literacy.models import LiteracyRound
from reports.models import Reminder, SweepRun

from .services import Candidate, due_reminders

PAGE_SIZE = 50


def describe(kind: str, facts: dict) -> str:
    """One line saying exactly what is missing, for lists (the letter says it in full)."""
    if kind == "quarterly_report":
        return _("Project %(code)s %(name)s, quarter %(quarter)s") % {
            "code": facts.get("project_code", ""), "name": facts.get("project_name", ""), "quarter": facts.get("quarter_label", "")}
    if kind == "literacy":
        return _("%(school)s: literacy round %(round)s/%(year)s, grades %(grades)s") % {
            "school": facts.get("school_name", ""), "round": facts.get("round", ""), "year": facts.get("academic_year", ""),
            "grades": " ".join(facts.get("grades") or [])}
    if kind == "inspection_form":
        if facts.get("not_started"):
            state = _("not started")
        elif facts.get("missing"):
            state = _("%(n)s questions not answered") % {"n": len(facts["missing"])}
        else:
            state = _("answered, not submitted")
        return _("%(unit)s: inspection form of round %(round)s (%(state)s)") % {
            "unit": facts.get("unit_name", ""), "round": facts.get("round_label", ""), "state": state}
    return facts.get("what") or facts.get("subject") or kind


@dataclass
class Row:
    """A due candidate as the page lists it."""

    candidate: Candidate
    what: str

    @property
    def token(self) -> str:
        return self.candidate.token


@dataclass
class StageGroup:
    stage: str
    label: str
    rows: list[Row]


def due_by_stage(office: Office, today: dt.date) -> list[StageGroup]:
    """Today's due, not yet recorded reminders grouped notice → first → second (empty groups left out)."""
    labels = dict(Reminder.Stage.choices)
    groups = {stage: StageGroup(stage, str(labels[stage]), []) for stage in STAGES}
    for c in due_reminders(office, today):
        groups[c.stage].rows.append(Row(c, describe(c.obligation.kind, c.facts)))
    return [g for g in groups.values() if g.rows]


def recorded(office: Office, *, status: str = "", stage: str = "", kind: str = "", page: int | str = 1) -> Page:
    """The office's recorded reminders, newest first, filtered; a page of ``PAGE_SIZE`` (two queries)."""
    qs = Reminder.objects.filter(office=office).select_related("letter", "held_by")
    if status:
        qs = qs.filter(status=status)
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(obligation_kind=kind)
    page_obj = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)
    for r in page_obj.object_list:
        if r.letter is not None:
            r.letter.office = office  # letter_no reads the office: no query per row
        r.what = describe(r.obligation_kind, r.facts)
    return page_obj


def status_counts(office: Office) -> list[tuple[str, str, int]]:
    """``[(status, label, count)]`` of the office's recorded reminders, every status (one query)."""
    counts = dict(Reminder.objects.filter(office=office).values_list("status").annotate(n=Count("id")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in Reminder.Status.choices]


def unfinished_send_now(office: Office) -> SweepRun | None:
    """The plan officer's "send now" of ``office`` queued or running, or ``None`` (a read: no reaping)."""
    return SweepRun.objects.filter(office=office, trigger="manual", status__in=[SweepRun.Status.QUEUED, SweepRun.Status.RUNNING]).first()


def run_reminders(run: SweepRun) -> list[Reminder]:
    """The reminders ``run`` recorded (office-scoped by the run), in sending order, their letters loaded; each with
    ``.what`` (one line, :func:`describe`) and ``.letter_no`` ("" without a letter, e.g. a notice). Fixed queries."""
    rows = list(Reminder.objects.filter(sweep=run, office_id=run.office_id).select_related("letter").order_by("pk"))
    for r in rows:
        r.office = run.office
        r.what = describe(r.obligation_kind, r.facts)
        if r.letter is not None:
            r.letter.office = run.office  # letter_no reads the office: no query per row
            r.letter_no = r.letter.letter_no
        elif r.facts.get("sent_in_letter"):  # listed in the letter of another reminder of the same day
            r.letter_no = r.facts["sent_in_letter"]["letter_no"]
        else:
            r.letter_no = ""
    return rows


def last_good_sweep(office: Office) -> SweepRun | None:
    """The latest successful sweep that covered ``office`` (its own or one of every office)."""
    return SweepRun.objects.filter(Q(office=office) | Q(office__isnull=True), status=SweepRun.Status.OK).order_by("-started_at", "-id").first()


def next_scheduled_sweep(now: dt.datetime | None = None) -> dt.datetime | None:
    """When the beat runs the daily sweep next (``CELERY_BEAT_SCHEDULE["daily-reminder-sweep"]``), local time."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("daily-reminder-sweep")
    if not entry:
        return None
    schedule = entry["schedule"]
    hours, minutes = sorted(getattr(schedule, "hour", [])), sorted(getattr(schedule, "minute", []))
    if not hours or not minutes:
        return None
    now = timezone.localtime(now or timezone.now())
    for days in (0, 1):
        day = now.date() + dt.timedelta(days=days)
        for h in hours:
            for m in minutes:
                at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, h, m))
                if at > now:
                    return at
    return None


def literacy_rounds(office: Office) -> list[LiteracyRound]:
    """The office's opened or closed literacy rounds, newest first (the print filter's choices)."""
    return list(
        LiteracyRound.objects.filter(office=office).exclude(status=LiteracyRound.Status.DRAFT).order_by("-academic_year", "-number")
    )


def current_round(rounds: list[LiteracyRound]) -> LiteracyRound | None:
    """The open round, else the most recent one."""
    return next((r for r in rounds if r.status == LiteracyRound.Status.OPEN), rounds[0] if rounds else None)


def school_letters(office: Office, *, today: dt.date, round_id: int | None = None, kind: str = "",
                   date_from: dt.date | None = None, date_to: dt.date | None = None, default: bool = False) -> QuerySet[Reminder]:
    """Reminders of ``office`` whose letter to a school is registered, in register order, to print and sign.

    With ``default`` (no filter chosen): the letters of the open or most recent literacy round and
    the letters to schools registered ``today``. Otherwise the filters combine (AND).
    """
    qs = Reminder.objects.filter(office=office, recipient_school__isnull=False, letter__isnull=False).select_related("letter")
    if default:
        current = current_round(literacy_rounds(office))
        wanted = Q(letter__date=today)
        if current is not None:
            wanted |= Q(obligation_kind="literacy", facts__round_id=current.pk)
        qs = qs.filter(wanted)
    else:
        if kind:
            qs = qs.filter(obligation_kind=kind)
        if round_id:
            qs = qs.filter(obligation_kind="literacy", facts__round_id=round_id)
        if date_from:
            qs = qs.filter(letter__date__gte=date_from)
        if date_to:
            qs = qs.filter(letter__date__lte=date_to)
    return qs.order_by("letter__year", "letter__number")
