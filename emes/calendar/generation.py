"""The rules that lay out an office's monitoring calendar (ปฏิทินติดตาม ประเมินผล และรายงานผล) for a fiscal year.

:func:`planned_events` is pure: it takes the fiscal year (BE), the office's working calendar and the
facts it depends on (the report due rule, disbursement targets, literacy rounds) and returns the
events as :class:`PlannedEvent` values, each with a stable ``key``. ``emes.calendar.services.generate_calendar``
loads those facts and upserts the rows. Rule sources, all in docs/fiscal-calendar.md and the pages it links:

- quarterly project reports are due 5 working days after the quarter ends (monitoring plan of
  สพม. เขต 12; ``plans.deadlines`` gives the office's number of days);
- budget disbursement is followed in Q2, Q3 and Q4 against the government's cumulative targets
  (``plans.DisbursementTarget``);
- inspection (ตรวจราชการ): round 1 in February, round 2 in August; the plan reaches the units at
  least 1 week before the coordination meeting, both within Q1; units are told of a visit at least
  7 working days before it; the tools reach 100 % of the units at least 10 working days before it;
  the forms come back within 30 working days of dispatch; the summary meeting falls within Q4;
- the literacy windows are the office's ``LiteracyRound`` rows (เปิดระบบ .. ปิดระบบ);
- the annual report of FY N-1 is prepared October-January (so it sits in FY N's calendar),
  approved by the director, printed, sent to divisions and committees, published on the website;
- the M&E unit's own yearly tasks (the Gantt of the seed manual).

Dates that the rules only bound (an inspection visit "in February") get a default chosen here; the
event's ``rule`` says so, and the plan officer moves the event once the real date is known (an
edited event is never overwritten by a later generation). Inspection events follow the office's
real inspection rounds (``inspections.InspectionRound``: plan, meetings, notice, visit, the forms
dispatched and their due dates) once a round of that number exists; the plan officer regenerates the
year after changing a round (the calendar list says when a round changed after the last generation).

Generated texts are stored in the office's language (Thai) whatever the language of the request
that runs the generation: the calendar is an office record, not a page.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from emes.fiscal import FiscalYear, Quarter, WorkingCalendar

from .models import CalendarEvent

Kind = CalendarEvent.Kind
Audience = CalendarEvent.Audience

RULE_MAX = CalendarEvent._meta.get_field("rule").max_length


@dataclass(frozen=True)
class PlannedEvent:
    """One event the rules want, keyed by ``key`` (unique per office, stable across generations)."""

    key: str
    fiscal_year: int
    kind: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    audience: str
    rule: str
    description: str = ""
    gantt_row: str = ""

    def fields(self) -> dict:
        """The model fields a generation writes (everything the plan officer may later edit)."""
        return {
            "fiscal_year": self.fiscal_year, "kind": self.kind, "title": self.title[:300], "description": self.description,
            "starts_on": self.starts_on, "ends_on": self.ends_on, "audience": self.audience,
            "gantt_row": self.gantt_row[:200], "rule": self.rule[:RULE_MAX],
        }


def gantt_rows() -> list[str]:
    """The M&E unit's Gantt rows in the order of the seed manual (names as stored on the events)."""
    return [
        _("E-MES reporting to OBEC"),
        _("OBEC policy monitoring"),
        _("Inspection reporting"),
        _("Action-plan monitoring"),
        _("System development"),
        _("Annual report"),
    ]


# --- working-day helpers -----------------------------------------------------------------------


def first_working_day_on_or_after(cal: WorkingCalendar, day: dt.date) -> dt.date:
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def last_working_day_on_or_before(cal: WorkingCalendar, day: dt.date) -> dt.date:
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def ce_year_of_month(fy: FiscalYear, month: int) -> int:
    """The CE year in which calendar ``month`` falls within fiscal year ``fy`` (Oct-Dec: the year before)."""
    return fy.start.year if month >= 10 else fy.end.year


# --- the rules ---------------------------------------------------------------------------------


def annual_report(fy: FiscalYear, cal: WorkingCalendar) -> list[PlannedEvent]:
    y = fy.year
    prior = y - 1
    row = gantt_rows()[5]
    jan = fy.end.year  # January of FY N is in CE year of its end
    prep_start = first_working_day_on_or_after(cal, fy.start)
    prep_end = last_working_day_on_or_before(cal, dt.date(jan, 1, 15))
    approve = cal.add_working_days(prep_end, 3)
    printed = cal.add_working_days(approve, 5)
    sent = last_working_day_on_or_before(cal, dt.date(jan, 1, 31))
    source = _("Annual report of FY N prepared October-January after the year ends, approved by the director, printed, sent to divisions and committees, published on the website (M&E manual).")
    default = _("Default date, move it to the real one.")
    names = {"fy": prior}
    return [
        PlannedEvent(
            key=f"{y}:annual-report:prepare", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Prepare the annual report of FY %(fy)s") % names, starts_on=prep_start, ends_on=prep_end, rule=source,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:approve", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Annual report of FY %(fy)s approved by the director") % names, starts_on=approve, ends_on=approve,
            rule=_("3 working days after the draft is done.") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:print", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Annual report of FY %(fy)s printed") % names, starts_on=printed, ends_on=printed,
            rule=_("5 working days after approval.") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:send", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.STAFF, gantt_row=row,
            title=_("Annual report of FY %(fy)s sent to the divisions and committees") % names, starts_on=sent, ends_on=sent,
            rule=_("Last working day of January (the report is done by January, M&E manual).") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:publish", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.STAFF, gantt_row=row,
            title=_("Annual report of FY %(fy)s published on the office's website") % names, starts_on=sent, ends_on=sent,
            rule=_("Last working day of January (the report is done by January, M&E manual).") + " " + default,
        ),
    ]


def unit_tasks(fy: FiscalYear) -> list[PlannedEvent]:
    """The M&E unit's yearly tasks, one event per month (or span) of each Gantt row."""
    y = fy.year
    rows = gantt_rows()
    given = _("Months as given in the M&E manual (the unit's yearly calendar).")
    chosen = _("The M&E manual gives no months for this task; chosen here:")
    plan: list[tuple[str, str, list[tuple[int, int]], str, str]] = [
        # (slug, row, [(first month, last month)], title, rule)
        ("emes-obec", rows[0], [(10, 10), (4, 4)], _("Report the office's results to OBEC in E-MES"),
         chosen + " " + _("October (12-month round of the year before) and April (6-month round, Q1+Q2).")),
        ("obec-policy", rows[1], [(12, 12), (3, 3), (6, 6), (9, 9)], _("Follow up the OBEC policies"),
         chosen + " " + _("the last month of each quarter (December, March, June, September).")),
        ("inspection-report", rows[2], [(3, 3), (9, 9)], _("Report the inspection results"),
         chosen + " " + _("March after round 1 (February) and September after round 2 (August).")),
        ("action-plan", rows[3], [(10, 10), (3, 3), (5, 5), (9, 9)], _("Follow up the action plan"), given),
        ("system-development", rows[4], [(4, 6)], _("Develop the monitoring system"), given),
    ]
    events = []
    for slug, row, spans, title, rule in plan:
        for first, last in spans:
            start = dt.date(ce_year_of_month(fy, first), first, 1)
            end = month_end(ce_year_of_month(fy, last), last)
            events.append(PlannedEvent(
                key=f"{y}:unit:{slug}:{first:02d}", fiscal_year=y, kind=Kind.UNIT_TASK, audience=Audience.MNE_UNIT, gantt_row=row,
                title=title, starts_on=start, ends_on=end, rule=rule,
            ))
    return events


def planned_events(fiscal_year: int, *, calendar: WorkingCalendar, extra: Iterable[PlannedEvent] = ()) -> list[PlannedEvent]:
    """Every event laid out for ``fiscal_year`` (BE), sorted by start date: the core's own (the annual
    report, the unit's tasks) plus ``extra``, the events of the apps' calendar rules
    (``emes.calendar.registry``; ``services.generate_calendar`` asks them)."""
    fy = FiscalYear(fiscal_year)
    events = [
        *extra,
        *annual_report(fy, calendar),
        *unit_tasks(fy),
    ]
    return sorted(events, key=lambda e: (e.starts_on, e.ends_on, e.key))


__all__ = ["PlannedEvent", "Quarter", "ce_year_of_month", "first_working_day_on_or_after", "gantt_rows",
           "last_working_day_on_or_before", "month_end", "planned_events"]
