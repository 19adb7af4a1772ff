"""Thai formatting: Buddhist Era dates, Thai digits and baht amounts.

All BE display goes through these helpers (never an inline ``+ 543``). They wrap
PyThaiNLP's ``thai_strftime`` and digit conversion.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from pythainlp.util import arabic_digit_to_thai_digit, thai_strftime

from .fiscal import ce_to_be


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def thai_digits(value: object) -> str:
    """Replace Arabic digits with Thai digits: "2569" -> "๒๕๖๙"."""
    return arabic_digit_to_thai_digit(str(value))


def be_date(value: dt.date | dt.datetime | None, *, thai_numerals: bool = False) -> str:
    """Long BE date, e.g. "9 มกราคม 2569" (or "๙ มกราคม ๒๕๖๙" with ``thai_numerals``)."""
    if value is None:
        return ""
    text = thai_strftime(_local(value), "%-d %B %Y")
    return thai_digits(text) if thai_numerals else text


def be_date_short(value: dt.date | dt.datetime | None) -> str:
    """Short BE date, e.g. "9 ม.ค. 69"."""
    if value is None:
        return ""
    return thai_strftime(_local(value), "%-d %b %y")


def be_datetime(value: dt.datetime | None) -> str:
    """BE date and time, e.g. "20 พ.ย. 2569 14:05 น."."""
    if value is None:
        return ""
    return thai_strftime(_local(value), "%-d %b %Y %H:%M") + " น."


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def be_date_en(value: dt.date | dt.datetime | None, *, short: bool = False) -> str:
    """BE date in English for the English pages (issue 17): "9 January 2569", short "9 Jan 2569"."""
    if value is None:
        return ""
    local = _local(value)
    month = _EN_MONTHS[local.month - 1]
    return f"{local.day} {month[:3] if short else month} {be_year(local)}"


def be_datetime_en(value: dt.datetime | None) -> str:
    """BE date and time in English: "20 Nov 2569 14:05"."""
    if value is None:
        return ""
    return f"{be_date_en(value, short=True)} {_local(value):%H:%M}"


def be_year(value: dt.date | int) -> int:
    """The BE year of a date (or of a CE year given as an int)."""
    return ce_to_be(value if isinstance(value, int) else value.year)


def baht(amount: Decimal | int | float | None, *, decimals: int = 2) -> str:
    """Money in baht with thousands separators: 1234567.5 -> "1,234,567.50"."""
    if amount is None:
        return "-"
    return f"{Decimal(amount):,.{decimals}f}"


def percent(value: Decimal | float | None, *, decimals: int = 2) -> str:
    """A percentage with two decimals: 87.5 -> "87.50"."""
    if value is None:
        return "-"
    return f"{Decimal(value):.{decimals}f}"
