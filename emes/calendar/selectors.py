"""Reads of the monitoring calendar: the month grid, the fiscal year's list and Gantt, a user's feed.

Every function costs a fixed number of queries, whatever the number of events, projects or
holidays (tested with ``django_assert_num_queries``).
"""
from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emes.access import STAFF_ROLES
from emes.fiscal import FISCAL_MONTHS, FiscalYear, fiscal_year_of, thai_public_holidays
from emes.models import Membership, Office, OfficeHoliday, Role
from emes.obligations import Obligation, open_obligations
from emes.thai import be_date

from .generation import gantt_rows
from .models import CalendarBuild, CalendarEvent
from .registry import ChangedSource, calendar_rules

Audience = CalendarEvent.Audience
#: Weekday headings, Sunday first as on Thai wall calendars (อา จ อ พ พฤ ศ ส).
WEEKDAYS = [gettext_lazy("Sun"), gettext_lazy("Mon"), gettext_lazy("Tue"), gettext_lazy("Wed"), gettext_lazy("Thu"), gettext_lazy("Fri"), gettext_lazy("Sat")]
#: Calendar months in fiscal-year order.
FISCAL_ORDER = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
#: Events longer than this many days are listed above the month grid instead of in its cells.
LONG_EVENT_DAYS = 14


def events_of_office(office: Office) -> QuerySet[CalendarEvent]:
    return CalendarEvent.objects.filter(office=office)


def fiscal_year_events(office: Office, fiscal_year: int) -> QuerySet[CalendarEvent]:
    """Events of ``fiscal_year`` plus those of other years that fall in it (a literacy window, Q4's report due in October)."""
    fy = FiscalYear(fiscal_year)
    return events_of_office(office).filter(Q(fiscal_year=fiscal_year) | Q(starts_on__lte=fy.end, ends_on__gte=fy.start))


def fiscal_year_choices(office: Office, today: dt.date) -> list[int]:
    """Fiscal years for the picker: those with events, and the current year ± 1."""
    current = fiscal_year_of(today)
    years = set(events_of_office(office).values_list("fiscal_year", flat=True).distinct())
    return sorted(years | {current - 1, current, current + 1})


@dataclass(frozen=True)
class ChangedGroup:
    """The sources of one provider that changed after the last generation, with the texts of its warning."""

    name: str
    heading: Any
    manager_hint: Any
    reader_hint: Any
    sources: list[ChangedSource]


def changed_sources(office: Office, fiscal_year: int) -> list[ChangedGroup]:
    """What the apps' calendar rules follow that changed after ``fiscal_year`` was last generated
    (``registry``'s ``changed`` hooks: the inspection rounds). Groups without a change are left out.
    One query per provider with such a hook."""
    groups = []
    for rules in calendar_rules():
        if rules.changed is None:
            continue
        sources = rules.changed(office=office, fiscal_year=fiscal_year)
        if sources:
            groups.append(ChangedGroup(rules.name, *rules.changed_texts, sources=sources))
    return groups


# --- month grid --------------------------------------------------------------------------------


@dataclass
class DayCell:
    day: dt.date
    in_month: bool
    is_today: bool
    holidays: list[str] = field(default_factory=list)
    is_weekend: bool = False
    events: list[tuple[CalendarEvent, bool]] = field(default_factory=list)  # (event, starts here or first day shown)


@dataclass
class MonthGrid:
    year: int  # BE
    month: int
    name: Any
    weeks: list[list[DayCell]]
    long_events: list[CalendarEvent]
    prev: tuple[int, int]  # (BE year, month)
    next: tuple[int, int]
    fiscal_year: int


def month_grid(office: Office, be_year: int, month: int, today: dt.date) -> MonthGrid:
    """The month ``month`` of BE year ``be_year`` as weeks (Sunday first) with events and holidays. 2 queries."""
    ce_year = be_year - 543
    first = dt.date(ce_year, month, 1)
    last = dt.date(ce_year, month, pycal.monthrange(ce_year, month)[1])
    grid_start = first - dt.timedelta(days=(first.weekday() + 1) % 7)
    grid_end = last + dt.timedelta(days=(5 - last.weekday()) % 7)
    public = thai_public_holidays(grid_start, grid_end)
    declared = dict(OfficeHoliday.objects.filter(office=office, date__range=(grid_start, grid_end)).values_list("date", "name"))
    events = list(events_of_office(office).overlapping(grid_start, grid_end))
    cells: dict[dt.date, DayCell] = {}
    day = grid_start
    while day <= grid_end:
        names = [n for n in (public.get(day), declared.get(day)) if n]
        cells[day] = DayCell(day=day, in_month=day.month == month, is_today=day == today, holidays=names, is_weekend=day.weekday() >= 5)
        day += dt.timedelta(days=1)
    long_events = []
    for event in events:
        if (event.ends_on - event.starts_on).days + 1 > LONG_EVENT_DAYS:
            if event.starts_on <= last and event.ends_on >= first:
                long_events.append(event)
            continue
        d = max(event.starts_on, grid_start)
        while d <= min(event.ends_on, grid_end):
            starts = d == event.starts_on or d == grid_start
            # A span of working days (an inspection visit) is not shown on the weekends and holidays inside it.
            if starts or d == event.ends_on or not (cells[d].is_weekend or cells[d].holidays):
                cells[d].events.append((event, starts))
            d += dt.timedelta(days=1)
    days = list(cells.values())
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    prev_month = (first - dt.timedelta(days=1))
    next_month = last + dt.timedelta(days=1)
    return MonthGrid(
        year=be_year, month=month, name=MONTHS[month], weeks=weeks, long_events=long_events,
        prev=(prev_month.year + 543, prev_month.month), next=(next_month.year + 543, next_month.month),
        fiscal_year=fiscal_year_of(first),
    )


# --- fiscal-year list --------------------------------------------------------------------------


@dataclass
class MonthGroup:
    year: int  # BE
    month: int
    name: Any
    events: list[CalendarEvent]


def fiscal_year_list(office: Office, fiscal_year: int) -> list[MonthGroup]:
    """The year's events grouped by the month they start in, ต.ค. → ก.ย. (events starting outside the
    year, e.g. a literacy window opened in September, are listed under its first month). 1 query."""
    fy = FiscalYear(fiscal_year)
    months = [(fy.start.year if m >= 10 else fy.end.year, m) for m in FISCAL_ORDER]
    groups = {key: MonthGroup(key[0] + 543, key[1], MONTHS[key[1]], []) for key in months}
    extra: dict[tuple[int, int], MonthGroup] = {}
    for event in fiscal_year_events(office, fiscal_year):
        key = (event.starts_on.year, event.starts_on.month)
        if key not in groups:
            if event.starts_on < fy.start:
                key = months[0]
            else:
                extra.setdefault(key, MonthGroup(key[0] + 543, key[1], MONTHS[key[1]], []))
                extra[key].events.append(event)
                continue
        groups[key].events.append(event)
    return [groups[k] for k in months] + [extra[k] for k in sorted(extra)]


# --- Gantt -------------------------------------------------------------------------------------


@dataclass
class GanttRow:
    name: str
    cells: list[bool]  # one per fiscal month, ต.ค. … ก.ย.
    events: list[CalendarEvent]


@dataclass
class Gantt:
    fiscal_year: int
    months: list[tuple[Any, int]]  # (short name, BE year)
    rows: list[GanttRow]


def gantt(office: Office, fiscal_year: int) -> Gantt:
    """The M&E unit's Gantt of ``fiscal_year``: rows = ``gantt_row`` of the active events of the year,
    in the seed manual's order then by first date; a cell is filled when an event of the row covers
    a day of that month. 1 query."""
    fy = FiscalYear(fiscal_year)
    months = [(label, (fy.start.year if m >= 10 else fy.end.year) + 543) for m, label in FISCAL_MONTHS]
    spans = [((fy.start.year if m >= 10 else fy.end.year), m) for m in FISCAL_ORDER]
    events = list(events_of_office(office).filter(fiscal_year=fiscal_year).active().exclude(gantt_row=""))
    by_row: dict[str, list[CalendarEvent]] = defaultdict(list)
    for event in events:
        by_row[event.gantt_row].append(event)
    known = gantt_rows()
    order = sorted(by_row, key=lambda name: (known.index(name) if name in known else len(known), min(e.starts_on for e in by_row[name]), name))
    rows = []
    for name in order:
        cells = []
        for year, month in spans:
            first = dt.date(year, month, 1)
            last = dt.date(year, month, pycal.monthrange(year, month)[1])
            cells.append(any(e.starts_on <= last and e.ends_on >= first for e in by_row[name]))
        rows.append(GanttRow(name=name, cells=cells, events=sorted(by_row[name], key=lambda e: e.starts_on)))
    return Gantt(fiscal_year=fiscal_year, months=months, rows=rows)


# --- a user's feed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One all-day entry of a feed; ``end`` is the last day (inclusive)."""

    uid: str
    summary: str
    start: dt.date
    end: dt.date
    description: str
    stamp: dt.datetime
    category: str


def audiences_for(roles: set[str]) -> set[str]:
    """Which audiences' events concern a member with ``roles`` in an office (issue 7).

    Plan officer and director: all; division heads and project owners: staff + owners; other staff:
    staff; a school account: schools.
    """
    if roles & {Role.PLAN_OFFICER, Role.DIRECTOR}:
        return set(Audience.values)
    out = set()
    if roles & STAFF_ROLES:
        out.add(Audience.STAFF)
    if roles & {Role.DIVISION_HEAD, Role.PROJECT_OWNER}:
        out.add(Audience.PROJECT_OWNERS)
    if Role.SCHOOL in roles:
        out.add(Audience.SCHOOLS)
    return out


def feed_items(user, today: dt.date) -> list[FeedItem]:
    """The obligations that concern ``user``: the office events of their audiences from a year back on
    (by membership; a superuser's power does not widen a feed) and one entry on its due date for
    each obligation open for the user (``emes.obligations.open_obligations(user=user)``: the quarterly
    reports they owe or answer for, a school's literacy rounds, the inspection forms they answer:
    the same list as the home page and the reminders). Fixed number of queries."""
    since = today - dt.timedelta(days=365)
    roles: dict[int, set[str]] = defaultdict(set)
    for office_id, role in Membership.objects.filter(user=user).values_list("office_id", "role"):
        roles[office_id].add(role)
    scope = Q(pk__in=[])
    for office_id, office_roles in roles.items():
        audiences = audiences_for(office_roles)
        if audiences:
            scope |= Q(office_id=office_id, audience__in=sorted(audiences))
        if Role.SCHOOL in office_roles:
            scope |= Q(office_id=office_id, kind=CalendarEvent.Kind.LITERACY)
    items = [
        FeedItem(
            uid=f"emes-event-{e.pk}@emes", summary=e.title, start=e.starts_on, end=e.ends_on,
            description="\n".join(t for t in (e.description, e.rule) if t), stamp=e.updated_at, category=e.get_kind_display(),
        )
        for e in CalendarEvent.objects.filter(scope).active().filter(ends_on__gte=since).select_related("office")
    ]
    stamp = dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)
    items.extend(obligation_item(o, stamp=stamp) for o in open_obligations(user=user, on=today))
    return sorted(items, key=lambda i: (i.start, i.uid))


#: The feed's category of each kind of obligation (the calendar's event kinds where one matches).
OBLIGATION_CATEGORIES = {
    "quarterly_report": CalendarEvent.Kind.QUARTERLY_REPORT,
    "literacy": CalendarEvent.Kind.LITERACY,
    "inspection_form": CalendarEvent.Kind.INSPECTION,
}


def obligation_item(obligation: Obligation, *, stamp: dt.datetime) -> FeedItem:
    """One all-day feed entry on the due date of ``obligation``; its UID is stable (from the obligation's key)."""
    kind = OBLIGATION_CATEGORIES.get(obligation.kind)
    lines = [
        _("Due %(date)s. %(state)s") % {"date": be_date(obligation.due_on), "state": obligation.status_label},
        *obligation.missing,
        obligation.url,
    ]
    return FeedItem(
        uid=f"emes-{obligation.key.replace(':', '-').replace('=', '')}@emes", summary=str(obligation.subject),
        start=obligation.due_on, end=obligation.due_on, stamp=stamp, category=str(kind.label) if kind else "",
        description="\n".join(t for t in lines if t),
    )


def latest_build(office: Office, fiscal_year: int) -> CalendarBuild | None:
    """The newest generation job of ``office``'s ``fiscal_year`` (BE), shown with its progress on the list page."""
    return CalendarBuild.objects.filter(office=office, fiscal_year=fiscal_year).first()
