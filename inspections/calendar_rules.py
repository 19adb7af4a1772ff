"""The calendar rules of the inspections (ตรวจราชการ), registered in ``InspectionsConfig.ready()`` (``emes.calendar.registry``).

Round 1 in February, round 2 in August; the plan reaches the units at least 1 week before the
coordination meeting, both within Q1; units are told of a visit at least 7 working days before it;
the tools reach 100 % of the units at least 10 working days before it; the forms come back within
30 working days of dispatch; the summary meeting falls within Q4 (the inspection standards,
``inspections.standards``). Dates the rules only bound (a visit "in February") get a default chosen
here; the event's ``rule`` says so. The events follow the office's real ``InspectionRound`` rows (plan,
meetings, notice, visit, the forms dispatched and their due dates) once a round of that number exists;
the plan officer regenerates the year after changing a round (:func:`rounds_changed` tells the calendar
list when a round changed after the last generation).

The event keys (``{fy}:inspection:...``) are those the calendar has always generated: a regeneration
matches the existing rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emes.calendar.generation import (
    PlannedEvent,
    ce_year_of_month,
    first_working_day_on_or_after,
    last_working_day_on_or_before,
)
from emes.calendar.models import CalendarEvent
from emes.calendar.registry import ChangedSource
from emes.fiscal import FiscalYear, WorkingCalendar
from emes.models import Office
from emes.thai import be_date

from .models import InspectionRound
from .standards import ANSWERS_WORKING_DAYS, NOTICE_WORKING_DAYS, TOOLS_WORKING_DAYS

Kind = CalendarEvent.Kind
Audience = CalendarEvent.Audience

#: Working days after dispatch within which the forms come back (the standards' answers window).
FORMS_BACK_WORKING_DAYS = ANSWERS_WORKING_DAYS
#: Inspection rounds: round number -> month of the visit (February and August).
INSPECTION_MONTHS = {1: 2, 2: 8}


def _visit_days(cal: WorkingCalendar, year: int, month: int) -> tuple[dt.date, dt.date]:
    """Default visit: the working days of the 2nd and 3rd weeks (days 8-21) of the month."""
    return (first_working_day_on_or_after(cal, dt.date(year, month, 8)), last_working_day_on_or_before(cal, dt.date(year, month, 21)))


@dataclass(frozen=True)
class InspectionSchedule:
    """The dates of one of the office's inspection rounds (``inspections.InspectionRound``) the calendar follows.

    ``number``: 1 = February, 2 = August, 3 and later = special rounds. Schedule dates are ``None``
    until the round sets them. ``forms_sent_on``: the local date of the last dispatch of its form
    (the day every unit had it); ``forms_due_on``: the latest due date of its dispatches; both
    ``None`` before the forms are dispatched.
    """

    number: int
    title: str = ""
    plan_sent_on: dt.date | None = None
    coordination_meeting_on: dt.date | None = None
    units_notified_on: dt.date | None = None
    visit_starts_on: dt.date | None = None
    visit_ends_on: dt.date | None = None
    summary_meeting_on: dt.date | None = None
    forms_sent_on: dt.date | None = None
    forms_due_on: dt.date | None = None


def _rule(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _first_set(rounds: Mapping[int, InspectionSchedule], field: str, order: Iterable[int]) -> tuple[dt.date | None, InspectionSchedule | None]:
    """The first of the rounds ``order`` that has ``field`` set: (its date, the round); (None, None) otherwise."""
    for number in order:
        s = rounds.get(number)
        if s is not None and getattr(s, field) is not None:
            return getattr(s, field), s
    return None, None


def _round_steps(y: int, cal: WorkingCalendar, number: int, s: InspectionSchedule | None,
                 default_visit: tuple[dt.date, dt.date] | None) -> tuple[list[PlannedEvent], dt.date | None]:
    """The events of one round (tools, notice, visit, forms back): the round's real dates where it has
    them, else the defaults of the standards (counted from the real visit when only that is known).

    ``default_visit`` is the default visit of a regular round (``None`` for a special round, which has
    no month of its own: its steps without a date and without a visit to count from are left out).
    Returns the events and the forms-back date (``None`` when there is none).
    """
    names = {"n": number, "fy": y}
    no_round = _("Default date, move it once the inspection round is scheduled.")
    from_round = _("Date set in inspection round %(n)s/%(fy)s.") % names
    missing = _("Round %(n)s/%(fy)s has no date for this step yet: default date, set it in the round and regenerate.") % names
    unset = missing if s is not None else no_round
    description = s.title if s is not None else ""
    events: list[PlannedEvent] = []

    def add(slug: str, title: str, start: dt.date, end: dt.date, rule: str) -> None:
        events.append(PlannedEvent(
            key=f"{y}:inspection:r{number}:{slug}", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
            title=title % names, starts_on=start, ends_on=end, rule=rule, description=description,
        ))

    visit_rule = _("Round 1 in February, round 2 in August (Inspection manual); default: the working days of the 2nd and 3rd weeks of the month.")
    if s is not None and (s.visit_starts_on or s.visit_ends_on):
        start = s.visit_starts_on or s.visit_ends_on
        visit: tuple[dt.date, dt.date] | None = (start, s.visit_ends_on or start)
        visit_source = from_round
    else:
        visit, visit_source = default_visit, unset
    tools_std = _("To 100%% of the units at least %(d)s working days before the visit (Inspection manual, standards ๖.๑–๖.๘).") % {"d": TOOLS_WORKING_DAYS}
    if s is not None and s.forms_sent_on:
        tools: dt.date | None = s.forms_sent_on
        tools_rule = _rule(_("Forms of inspection round %(n)s/%(fy)s dispatched to the units, the last on this day.") % names, tools_std)
    else:
        tools = cal.subtract_working_days(visit[0], TOOLS_WORKING_DAYS) if visit else None
        tools_rule = _rule(tools_std, unset)
    if tools:
        add("tools", _("Inspection round %(n)s/%(fy)s: tools and forms sent to all units"), tools, tools, tools_rule)
    notice_std = _("At least %(d)s working days before the visit (Inspection manual, standards ๖.๑–๖.๘).") % {"d": NOTICE_WORKING_DAYS}
    if s is not None and s.units_notified_on:
        add("notice", _("Inspection round %(n)s/%(fy)s: units told of the visit"), s.units_notified_on, s.units_notified_on, _rule(from_round, notice_std))
    elif visit:
        notice = cal.subtract_working_days(visit[0], NOTICE_WORKING_DAYS)
        add("notice", _("Inspection round %(n)s/%(fy)s: units told of the visit"), notice, notice, _rule(notice_std, unset))
    if visit:
        add("visit", _("Inspection round %(n)s/%(fy)s: visits"), visit[0], visit[1],
            from_round if visit_source is from_round else _rule(visit_rule, unset))
    back = None
    if s is not None and s.forms_due_on:
        back = s.forms_due_on
        back_rule = _rule(_("Latest due date of the forms dispatched in inspection round %(n)s/%(fy)s.") % names,
                          _("Within %(d)s working days of dispatch (Inspection manual, standards ๖.๑–๖.๘).") % {"d": FORMS_BACK_WORKING_DAYS})
    elif tools:
        back = cal.add_working_days(tools, FORMS_BACK_WORKING_DAYS)
        back_rule = _rule(_("Within %(d)s working days of dispatch (%(sent)s) (Inspection manual, standards ๖.๑–๖.๘).") % {
            "d": FORMS_BACK_WORKING_DAYS, "sent": be_date(tools)}, unset)
    if back:
        add("forms-back", _("Inspection round %(n)s/%(fy)s: forms back from at least 80%% of the units"), back, back, back_rule)
    return events, back


def inspections(fy: FiscalYear, cal: WorkingCalendar, rounds: Mapping[int, InspectionSchedule] | None = None) -> list[PlannedEvent]:
    """The inspection events of ``fy``: the yearly plan, coordination and summary meetings, and each round's steps.

    ``rounds`` (number -> :class:`InspectionSchedule`) are the office's real rounds of the year: their
    dates replace the defaults step by step (a step the round has no date for keeps its default and
    its ``rule`` says so); special rounds (3+) get their own events from their dates. The keys do not
    depend on whether a date is real or default, so a regeneration moves the event in place.
    """
    y = fy.year
    rounds = rounds or {}
    events: list[PlannedEvent] = []
    default = _("Default date, move it once the inspection round is scheduled.")

    def source(s: InspectionSchedule | None, on: dt.date | None, order: tuple[int, int]) -> str:
        """Where a yearly date comes from: the round that set it, else the default (saying which round lacks it)."""
        if on is not None:
            return _("Date set in inspection round %(n)s/%(fy)s.") % {"n": s.number, "fy": y}
        lacking = next((rounds[n] for n in order if n in rounds), None)
        if lacking is not None:
            return _("Round %(n)s/%(fy)s has no date for this step yet: default date, set it in the round and regenerate.") % {"n": lacking.number, "fy": y}
        return default

    def ordered(where: str, standard: str, real: dt.date | None) -> str:
        # A real date says where it comes from first; a default states the rule, then that it is one.
        return _rule(where, standard) if real is not None else _rule(standard, where)

    # The yearly plan and coordination meeting: within Q1 (Oct-Dec), from round 1 (else round 2). By
    # default mid-December, which leaves the plan time to be written after the fiscal year starts and
    # stays clear of the New Year holidays; the plan a week before the meeting.
    real_meeting, meeting_round = _first_set(rounds, "coordination_meeting_on", (1, 2))
    meeting = real_meeting or first_working_day_on_or_after(cal, dt.date(fy.start.year, 12, 15))
    real_plan, plan_round = _first_set(rounds, "plan_sent_on", (1, 2))
    plan_sent = real_plan or last_working_day_on_or_before(cal, meeting - dt.timedelta(days=7))
    events.append(PlannedEvent(
        key=f"{y}:inspection:plan-sent", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection plan of FY %(fy)s sent to the inspected units") % {"fy": y}, starts_on=plan_sent, ends_on=plan_sent,
        rule=ordered(source(plan_round, real_plan, (1, 2)), _("At least 1 week before the coordination meeting, within Q1 (Inspection manual, standards ๖.๑–๖.๘)."), real_plan),
    ))
    events.append(PlannedEvent(
        key=f"{y}:inspection:coordination-meeting", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection coordination meeting, FY %(fy)s") % {"fy": y}, starts_on=meeting, ends_on=meeting,
        rule=ordered(source(meeting_round, real_meeting, (1, 2)), _("Within Q1 (Oct-Dec) (Inspection manual, standards ๖.๑–๖.๘).") if real_meeting
                     else _("Within Q1 (Oct-Dec); first working day from 15 December (Inspection manual, standards ๖.๑–๖.๘)."), real_meeting),
    ))
    last_forms_back = None
    for number, month in INSPECTION_MONTHS.items():
        steps, back = _round_steps(y, cal, number, rounds.get(number), _visit_days(cal, ce_year_of_month(fy, month), month))
        events += steps
        last_forms_back = back or last_forms_back
    for number in sorted(n for n in rounds if n not in INSPECTION_MONTHS):
        events += _round_steps(y, cal, number, rounds[number], None)[0]

    # Summary meeting within Q4, after round 2's forms are back, by the last working day of September;
    # from round 2 (else round 1).
    real_summary, summary_round = _first_set(rounds, "summary_meeting_on", (2, 1))
    if real_summary:
        summary = real_summary
    else:
        summary = first_working_day_on_or_after(cal, max(dt.date(fy.end.year, 9, 15), last_forms_back + dt.timedelta(days=1)))
        summary = min(summary, last_working_day_on_or_before(cal, fy.end))
    events.append(PlannedEvent(
        key=f"{y}:inspection:summary-meeting", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection summary meeting, FY %(fy)s") % {"fy": y}, starts_on=summary, ends_on=summary,
        rule=ordered(source(summary_round, real_summary, (2, 1)), _("Within Q4 (Jul-Sep) (Inspection manual, standards ๖.๑–๖.๘).") if real_summary
                     else _("Within Q4 (Jul-Sep), after round 2's forms are back; default from 15 September (Inspection manual, standards ๖.๑–๖.๘)."), real_summary),
    ))

    # A round whose plan, meeting or summary differs from the year's (e.g. round 2 holds its own
    # coordination meeting) gets its own event; special rounds always do for the dates they have.
    yearly = {"plan_sent_on": plan_sent, "coordination_meeting_on": meeting, "summary_meeting_on": summary}
    titles = {
        "plan_sent_on": ("plan-sent", _("Inspection round %(n)s/%(fy)s: plan sent to the inspected units")),
        "coordination_meeting_on": ("coordination-meeting", _("Inspection round %(n)s/%(fy)s: coordination meeting")),
        "summary_meeting_on": ("summary-meeting", _("Inspection round %(n)s/%(fy)s: summary meeting")),
    }
    for number in sorted(rounds):
        s = rounds[number]
        for field, (slug, title) in titles.items():
            day = getattr(s, field)
            if day is None or (number in INSPECTION_MONTHS and day == yearly[field]):
                continue
            events.append(PlannedEvent(
                key=f"{y}:inspection:r{number}:{slug}", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
                title=title % {"n": number, "fy": y}, starts_on=day, ends_on=day, description=s.title,
                rule=_("Date set in inspection round %(n)s/%(fy)s.") % {"n": number, "fy": y},
            ))
    return events


def schedules(office: Office, fiscal_year: int) -> dict[int, InspectionSchedule]:
    """The office's inspection rounds of ``fiscal_year`` by number, with their dispatches' last sent and due dates (1 query)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    rounds = InspectionRound.objects.filter(office=office, fiscal_year=fiscal_year).annotate(
        last_sent=Max("dispatches__sent_at"), last_due=Max("dispatches__due_on"),
    )
    return {
        r.number: InspectionSchedule(
            number=r.number, title=r.title, plan_sent_on=r.plan_sent_on, coordination_meeting_on=r.coordination_meeting_on,
            units_notified_on=r.units_notified_on, visit_starts_on=r.visit_starts_on, visit_ends_on=r.visit_ends_on,
            summary_meeting_on=r.summary_meeting_on, forms_sent_on=timezone.localtime(r.last_sent, tz).date() if r.last_sent else None,
            forms_due_on=r.last_due,
        )
        for r in rounds
    }


def calendar_events(*, office: Office, fiscal_year: int, calendar: WorkingCalendar) -> list[PlannedEvent]:
    """The inspection events of ``fiscal_year`` (BE) for ``office``, following its rounds (see :func:`inspections`). 1 query."""
    return inspections(FiscalYear(fiscal_year), calendar, schedules(office, fiscal_year))


def rounds_changed(office: Office, fiscal_year: int) -> list[InspectionRound]:
    """The office's inspection rounds of ``fiscal_year`` changed after the calendar last followed them. 1 query.

    A round counts as changed when its ``updated_at`` (schedule, status) or its last dispatch's
    ``sent_at`` (forms sent, which moves the "forms back" date) is later than the newest generated
    event of the year not touched by hand (only a generation writes those; it stamps the inspection
    events when it takes in a changed round, ``emes.calendar.services.generate_calendar``). Empty while the
    year was never generated (nothing to compare with). Returns ``InspectionRound`` rows by number,
    each with ``changed_at`` (the later of the two).
    """
    newest = (
        CalendarEvent.objects.filter(office=OuterRef("office"), fiscal_year=OuterRef("fiscal_year"), is_edited=False, is_cancelled=False)
        .exclude(generated_key="").order_by("-updated_at").values("updated_at")[:1]
    )
    rounds = list(
        InspectionRound.objects.filter(office=office, fiscal_year=fiscal_year)
        .annotate(last_sent=Max("dispatches__sent_at"), followed_at=Subquery(newest))
        .filter(Q(updated_at__gt=F("followed_at")) | Q(last_sent__gt=F("followed_at")))
        .order_by("number")
    )
    for r in rounds:
        r.changed_at = max(r.updated_at, r.last_sent or r.updated_at)
    return rounds


def changed_sources(*, office: Office, fiscal_year: int) -> list[ChangedSource]:
    """:func:`rounds_changed` as the calendar list shows them (label, link to the round, when). 1 query."""
    return [
        ChangedSource(
            label=_("round %(n)s/%(fy)s") % {"n": r.number, "fy": r.fiscal_year},
            url=reverse("inspections:round", args=[office.area_code, r.pk]), changed_at=r.changed_at, target=r,
        )
        for r in rounds_changed(office, fiscal_year)
    ]


#: The calendar list's warning about changed rounds: heading, hint to the plan officer, hint to other readers.
CHANGED_TEXTS = (
    gettext_lazy("Inspection rounds changed after this calendar was last generated:"),
    gettext_lazy("Regenerate this fiscal year so that the inspection events follow them (events you edited stay as they are)."),
    gettext_lazy("The plan officer regenerates the calendar so that the inspection events follow them."),
)
