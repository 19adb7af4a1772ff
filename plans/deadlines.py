"""When quarterly reports are due: the office's rule for the fiscal year on the working-day calendar.

Rule source: docs/monitoring.md (5 working days after the quarter ends, monitoring plan of สพม. เขต 12),
overridable per office and fiscal year with a :class:`plans.models.ReportingRule`.
"""
from __future__ import annotations

import datetime as dt

from emes.fiscal import DEFAULT_REPORT_DUE_WORKING_DAYS, Quarter, WorkingCalendar, report_due_date
from emes.models import Office

from .models import ReportingRule


def due_working_days(office: Office, fiscal_year: int) -> int:
    """Working days after a quarter's end within which the office's reports of ``fiscal_year`` (BE) are due."""
    rule = ReportingRule.objects.filter(office=office, fiscal_year=fiscal_year).values_list("due_working_days", flat=True).first()
    return rule or DEFAULT_REPORT_DUE_WORKING_DAYS


def report_due(office: Office, quarter: Quarter, *, calendar: WorkingCalendar | None = None, working_days: int | None = None) -> dt.date:
    """The due date of the office's reports of ``quarter`` (office holidays counted). One query without ``working_days``."""
    days = working_days if working_days is not None else due_working_days(office, quarter.fiscal_year)
    return report_due_date(quarter, working_days=days, calendar=calendar or WorkingCalendar.for_office(office))


def working_days_late(due: dt.date, submitted_or_today: dt.date, calendar: WorkingCalendar) -> int:
    """Working days after ``due`` up to ``submitted_or_today`` (0 when not after the due date)."""
    return calendar.working_days_between(due, submitted_or_today) if submitted_or_today > due else 0
