"""The calendar rules of the action plan (registered in ``PlansConfig.ready()``, ``emes.calendar.registry``).

- quarterly project reports are due a number of working days after the quarter ends (5 in the
  monitoring plan of สพม. เขต 12; ``plans.deadlines`` gives the office's number of days);
- budget disbursement is followed in Q2, Q3 and Q4 against the government's cumulative targets
  (``plans.DisbursementTarget``).

The event keys (``{fy}:quarterly-report:q{n}``, ``{fy}:disbursement:q{n}``) are those the calendar
has always generated: a regeneration matches the existing rows.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from emes.calendar.generation import PlannedEvent, last_working_day_on_or_before
from emes.calendar.models import CalendarEvent
from emes.fiscal import FiscalYear, WorkingCalendar, report_due_date
from emes.models import Office
from emes.thai import be_date, percent

from .deadlines import due_working_days
from .models import DisbursementTarget

Kind = CalendarEvent.Kind
Audience = CalendarEvent.Audience


def quarterly_reports(fy: FiscalYear, cal: WorkingCalendar, due_working_days: int) -> list[PlannedEvent]:
    events = []
    for quarter in fy.quarters:
        due = report_due_date(quarter, working_days=due_working_days, calendar=cal)
        events.append(PlannedEvent(
            key=f"{fy.year}:quarterly-report:q{quarter.number}", fiscal_year=fy.year, kind=Kind.QUARTERLY_REPORT,
            title=_("Quarterly project reports due, quarter %(q)s/%(fy)s") % {"q": quarter.number, "fy": fy.year},
            starts_on=due, ends_on=due, audience=Audience.PROJECT_OWNERS,
            description=_("Every project owner submits the quarterly report (status, progress, disbursement, indicator results, problems, suggestions, evidence) of quarter %(q)s, which ended on %(end)s.") % {
                "q": quarter.number, "end": be_date(quarter.end)},
            rule=_("%(n)s working days after the quarter ends (%(end)s), holidays skipped. Source: monitoring plan of สพม. เขต 12 (แผนการติดตาม สพม. เขต ๑๒); the office's reporting rule for the year.") % {
                "n": due_working_days, "end": be_date(quarter.end)},
        ))
    return events


def disbursement_followups(fy: FiscalYear, cal: WorkingCalendar, targets: Mapping[int, Decimal]) -> list[PlannedEvent]:
    events = []
    for number in (2, 3, 4):
        quarter = fy.quarter(number)
        day = last_working_day_on_or_before(cal, quarter.end)
        target = targets.get(number)
        if target is not None:
            title = _("Budget disbursement follow-up, quarter %(q)s/%(fy)s (cumulative target %(pct)s%%)") % {
                "q": number, "fy": fy.year, "pct": percent(target, decimals=0 if Decimal(target) == Decimal(target).to_integral_value() else 2)}
        else:
            title = _("Budget disbursement follow-up, quarter %(q)s/%(fy)s") % {"q": number, "fy": fy.year}
        events.append(PlannedEvent(
            key=f"{fy.year}:disbursement:q{number}", fiscal_year=fy.year, kind=Kind.DISBURSEMENT, title=title,
            starts_on=day, ends_on=day, audience=Audience.PROJECT_OWNERS,
            description=_("Compare each project's cumulative disbursement at the end of the quarter with the government's cumulative target."),
            rule=_("Last working day of the quarter; disbursement is followed in Q2, Q3 and Q4 against the cumulative quarterly targets of the year (cabinet resolutions; targets: admin, disbursement targets).")
        ))
    return events


def calendar_events(*, office: Office, fiscal_year: int, calendar: WorkingCalendar) -> list[PlannedEvent]:
    """The plan's events of ``fiscal_year`` (BE) for ``office``: report due dates and disbursement follow-ups. 2 queries."""
    fy = FiscalYear(fiscal_year)
    targets = dict(DisbursementTarget.objects.filter(fiscal_year=fiscal_year).values_list("quarter", "target_pct"))
    return [
        *quarterly_reports(fy, calendar, due_working_days(office, fiscal_year)),
        *disbursement_followups(fy, calendar, targets),
    ]
