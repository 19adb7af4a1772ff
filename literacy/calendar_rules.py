"""The calendar rules of the literacy assessment (registered in ``LiteracyConfig.ready()``, ``emes.calendar.registry``).

The literacy windows are the office's ``LiteracyRound`` rows (เปิดระบบ .. ปิดระบบ); a window follows its
round when it moves. The event key (``literacy:round:{pk}``) is the one the calendar has always generated.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.calendar.generation import PlannedEvent
from emes.calendar.models import CalendarEvent
from emes.fiscal import FiscalYear, WorkingCalendar, fiscal_year_of
from emes.models import Office
from emes.thai import be_date

from .models import LiteracyRound

Kind = CalendarEvent.Kind
Audience = CalendarEvent.Audience


@dataclass(frozen=True)
class LiteracyWindow:
    """A literacy round's submission window as dates (local), with what names it."""

    round_id: int
    academic_year: int
    number: int
    opens_on: dt.date
    closes_on: dt.date


def literacy_windows(windows: Iterable[LiteracyWindow]) -> list[PlannedEvent]:
    """One event per round; its fiscal year is the one in which the window opens (a window may straddle two)."""
    return [
        PlannedEvent(
            key=f"literacy:round:{w.round_id}", fiscal_year=fiscal_year_of(w.opens_on), kind=Kind.LITERACY, audience=Audience.SCHOOLS,
            title=_("Literacy assessment, academic year %(year)s round %(n)s: schools submit their results") % {"year": w.academic_year, "n": w.number},
            starts_on=w.opens_on, ends_on=w.closes_on,
            description=_("The window opens (เปิดระบบ) on %(opens)s and closes (ปิดระบบ) on %(closes)s.") % {"opens": be_date(w.opens_on), "closes": be_date(w.closes_on)},
            rule=_("The window of the office's literacy round (literacy rounds page); it follows the round when the window moves."),
        )
        for w in windows
    ]


def literacy_rounds(office: Office, fy: FiscalYear) -> list[LiteracyWindow]:
    """The office's literacy rounds whose window overlaps ``fy``, as local dates. 1 query."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(fy.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(fy.end, dt.time.max, tzinfo=tz)
    rounds = LiteracyRound.objects.filter(office=office, opens_at__lte=end, closes_at__gte=start).order_by("opens_at", "pk")
    return [
        LiteracyWindow(r.pk, r.academic_year, r.number, timezone.localtime(r.opens_at, tz).date(), timezone.localtime(r.closes_at, tz).date())
        for r in rounds
    ]


def calendar_events(*, office: Office, fiscal_year: int, calendar: WorkingCalendar) -> list[PlannedEvent]:
    """The literacy windows overlapping ``fiscal_year`` (BE) of ``office``. 1 query."""
    return literacy_windows(literacy_rounds(office, FiscalYear(fiscal_year)))
