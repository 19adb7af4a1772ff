"""The Thai fiscal year, its quarters, and working days.

Rules (docs/fiscal-calendar.md):

- Fiscal year (ปีงบประมาณ) N is a Buddhist Era year; it runs from 1 October of N-1 to
  30 September of N, with CE = BE - 543. FY 2570 = 2026-10-01 .. 2027-09-30.
- Quarters: Q1 Oct-Dec, Q2 Jan-Mar, Q3 Apr-Jun, Q4 Jul-Sep.
- Working days exclude Saturdays, Sundays, Thai public holidays with their substitution
  days (the ``holidays`` package, country TH) and the extra days an office declares
  (``emes.models.OfficeHoliday``).
- Quarterly project reports are due a number of working days after the quarter ends
  (5 in the monitoring plan of สพม. เขต 12).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

import holidays
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BE_OFFSET = 543
#: Working days after a quarter's end by which its report is due (monitoring plan, สพม. เขต 12).
DEFAULT_REPORT_DUE_WORKING_DAYS = 5
#: Calendar months in fiscal-year order (ต.ค. … ก.ย.), with their short names.
FISCAL_MONTHS: list[tuple[int, object]] = [
    (10, gettext_lazy("Oct")), (11, gettext_lazy("Nov")), (12, gettext_lazy("Dec")), (1, gettext_lazy("Jan")),
    (2, gettext_lazy("Feb")), (3, gettext_lazy("Mar")), (4, gettext_lazy("Apr")), (5, gettext_lazy("May")),
    (6, gettext_lazy("Jun")), (7, gettext_lazy("Jul")), (8, gettext_lazy("Aug")), (9, gettext_lazy("Sep")),
]


def be_to_ce(be_year: int) -> int:
    """Convert a Buddhist Era year to the Common Era year (BE 2569 -> CE 2026)."""
    return be_year - BE_OFFSET


def ce_to_be(ce_year: int) -> int:
    """Convert a Common Era year to the Buddhist Era year (CE 2026 -> BE 2569)."""
    return ce_year + BE_OFFSET


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``number`` (1-4) of fiscal year ``fiscal_year`` (BE)."""

    fiscal_year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1-4, got {self.number}")

    @property
    def start(self) -> dt.date:
        """First day of the quarter."""
        year = be_to_ce(self.fiscal_year) - 1 if self.number == 1 else be_to_ce(self.fiscal_year)
        month = {1: 10, 2: 1, 3: 4, 4: 7}[self.number]
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the quarter."""
        start = self.start
        next_start = dt.date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
        return next_start - dt.timedelta(days=1)

    @property
    def months(self) -> list[tuple[int, int]]:
        """The quarter's (CE year, month) pairs in order."""
        s = self.start
        return [(s.year, s.month + i) for i in range(3)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"Q{self.number}/{self.fiscal_year}"


@dataclass(frozen=True)
class FiscalYear:
    """Thai fiscal year ``year`` (BE), 1 Oct of CE ``year - 544`` to 30 Sep of CE ``year - 543``."""

    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(be_to_ce(self.year) - 1, 10, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(be_to_ce(self.year), 9, 30)

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.year, n) for n in (1, 2, 3, 4)]

    def quarter(self, number: int) -> Quarter:
        return Quarter(self.year, number)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def of(cls, day: dt.date) -> "FiscalYear":
        """The fiscal year that contains ``day`` (2025-10-01 -> FY 2569)."""
        return cls(fiscal_year_of(day))

    def __str__(self) -> str:
        return str(self.year)


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (BE) containing ``day``: 2025-09-30 -> 2568, 2025-10-01 -> 2569."""
    return ce_to_be(day.year + (1 if day.month >= 10 else 0))


def quarter_of(day: dt.date) -> Quarter:
    """The fiscal quarter containing ``day``: 2025-12-31 -> Q1/2569, 2026-01-01 -> Q2/2569."""
    number = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}[day.month]
    return Quarter(fiscal_year_of(day), number)


#: Years (BE) EMES accepts for a fiscal or academic year; a typed year in ``CE_YEARS`` is a CE year by mistake.
BE_YEARS = range(2500, 2701)
CE_YEARS = range(1900, 2300)


def is_be_year(year: int) -> bool:
    """Whether ``year`` is a plausible Buddhist Era year for a fiscal or academic year (2500-2700)."""
    return year in BE_YEARS


def looks_like_ce_year(year: int) -> bool:
    """Whether ``year`` was typed in the Common Era (1900-2299: e.g. 2025 where 2568 is meant)."""
    return year in CE_YEARS


def academic_year_of(day: dt.date) -> int:
    """The academic year (ปีการศึกษา, BE) containing ``day``; it starts on 16 May (docs/fiscal-calendar.md).

    2026-05-15 -> 2568, 2026-05-16 -> 2569, 2026-11-20 -> 2569.
    """
    return ce_to_be(day.year) if (day.month, day.day) >= (5, 16) else ce_to_be(day.year) - 1


@lru_cache(maxsize=64)
def _thai_public_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("TH", years=year, language="th"))


def thai_public_holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Thai public holidays (with substitution days, Thai names) between ``start`` and ``end`` inclusive."""
    out: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        out.update({d: n for d, n in _thai_public_holidays(year).items() if start <= d <= end})
    return out


class WorkingCalendar:
    """Working days of an office: Monday-Friday less Thai public holidays and ``extra_holidays``.

    ``extra_holidays`` are the office-declared days (``OfficeHoliday`` rows); use
    :meth:`for_office` to load them. Dates are ``datetime.date``; counts are working days.
    """

    def __init__(self, extra_holidays: Iterable[dt.date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)

    @classmethod
    def for_office(cls, office) -> "WorkingCalendar":
        """A calendar with the extra holidays the given ``Office`` declared (one query)."""
        if office is None:
            return cls()
        return cls(office.holidays.values_list("date", flat=True))

    def holiday_name(self, day: dt.date) -> str | None:
        """The reason ``day`` is not a working day, or ``None`` if it is one."""
        if day in self.extra_holidays:
            return "วันหยุดที่สำนักงานประกาศ"
        name = _thai_public_holidays(day.year).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            return "วันเสาร์" if day.weekday() == 5 else "วันอาทิตย์"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.holiday_name(day) is None

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``n`` >= 1); ``day`` itself is not counted.

        Raises ``ValueError`` for ``n`` < 1.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def subtract_working_days(self, day: dt.date, n: int) -> dt.date:
        """The working day ``n`` working days before ``day``; ``day`` itself when ``n`` == 0.

        The inverse of :meth:`add_working_days` for a working ``day``: ``add_working_days(result, n) == day``.
        This is "at least N working days before" in the seed manual's standards (units told 7, forms
        delivered 10 working days before a visit) and the notice date of a reminder. Raises
        ``ValueError`` for ``n`` < 0.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        current = day
        while n:
            current -= dt.timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open interval (``start``, ``end``]; negative if ``end`` < ``start``.

        This is how late a report is: due 2026-01-09, submitted 2026-01-13 -> 2 working days late.
        """
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        return sign * sum(1 for d in _days(start + dt.timedelta(days=1), end) if self.is_working_day(d))


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def report_due_date(
    quarter: Quarter,
    *,
    working_days: int = DEFAULT_REPORT_DUE_WORKING_DAYS,
    calendar: WorkingCalendar | None = None,
) -> dt.date:
    """The due date of the quarterly report of ``quarter``: ``working_days`` working days after its end.

    FY 2569 Q1 ends 2025-12-31; 1 and 2 January 2026 are holidays, so with 5 working days the
    report is due Friday 2026-01-09.
    """
    return (calendar or WorkingCalendar()).add_working_days(quarter.end, working_days)


#: Thai digits (๐-๙) read as Arabic ones when a year is typed (docs/input.md: Thai digits are accepted wherever
#: digits are typed).
_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _parse_be_year(value: object, field: str, not_a_year: str) -> int:
    text = str(value if value is not None else "").strip().translate(_THAI_TO_ARABIC)
    try:
        year = int(text)
    except ValueError:
        raise ValidationError({field: ValidationError(not_a_year, code="year")}) from None
    if looks_like_ce_year(year):
        raise ValidationError({field: ValidationError(
            _("%(year)s looks like a year of the Common Era; type the Buddhist Era year (%(be)s).") % {"year": year, "be": ce_to_be(year)},
            code="ce_year",
        )})
    if not is_be_year(year):
        raise ValidationError({field: ValidationError(not_a_year, code="year")})
    return year


def parse_fiscal_year(value: object, *, field: str = "fiscal_year") -> int:
    """A user-typed fiscal year (BE) as an int: ``"2570"``, ``"๒๕๗๐"``, ``2570`` -> ``2570``.

    The one reader of typed fiscal years (issue 14). Raises ``django.core.exceptions.ValidationError`` keyed by
    ``field``: code ``"ce_year"`` with a Thai message naming the BE year for a year typed in the Common Era
    (2026 -> 2569), code ``"year"`` for anything else that is not a BE year (2500-2700).
    Rule source: docs/fiscal-calendar.md (CE = BE - 543) and docs/input.md.
    """
    return _parse_be_year(value, field, _("Type the fiscal year in the Buddhist Era, e.g. 2569."))


def parse_academic_year(value: object, *, field: str = "academic_year") -> int:
    """A user-typed academic year (BE) as an int, read and refused exactly as :func:`parse_fiscal_year`
    (same CE hint, code ``"ce_year"``; code ``"year"`` naming the academic year otherwise)."""
    return _parse_be_year(value, field, _("Type the academic year in the Buddhist Era, e.g. 2569."))


def parse_be_year(value: object, *, field: str = "year") -> int:
    """A user-typed year of the Buddhist Era that is neither fiscal nor academic (a month's year on the
    calendar, a letter register's year), read and refused as :func:`parse_fiscal_year`."""
    return _parse_be_year(value, field, _("Type the year in the Buddhist Era, e.g. 2569."))


def year_from_query(value: str | None, *, default: int | None, parse=parse_fiscal_year) -> tuple[int | None, str]:
    """A year from a page's query string (``?fy=``, ``?year=``) read with ``parse``.

    Returns ``(year, "")``; ``(default, "")`` when nothing is given; ``(default, message)`` when the value is
    refused, ``message`` being the parser's Thai refusal (the CE hint naming the BE year, or "type the ... year in the
    Buddhist Era") for the page to show while it shows ``default``.
    """
    if value is None or not str(value).strip():
        return default, ""
    try:
        return parse(value), ""
    except ValidationError as exc:
        return default, " ".join(exc.messages)


def year_option(value: object, *, parse=parse_fiscal_year) -> int:
    """A year given to a management command (``--fiscal-year``, ``--academic-year``) read with ``parse``.

    Raises ``CommandError`` with the parser's Thai message and exit code 2 (a usage error) when refused.
    """
    try:
        return parse(value)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages), returncode=2) from None
