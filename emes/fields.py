"""The shared form fields of EMES: dates in the Buddhist Era and numbers as Thai offices type them.

Every date and date-time an EMES form takes goes through :class:`BEDateField` or :class:`BEDateTimeField`,
and every number through :class:`ThaiNumberField`, so that a date or a number is typed, checked and shown
the same way on every page, in the admin and on a phone (issue 13, items 6 and 7).

Dates (docs/fiscal-calendar.md: CE = BE - 543)
    Typed as วว/ดด/ปปปป in the Buddhist Era (``26/02/2570``), a date-time with the time after a space
    (``26/02/2570 16:30``). Thai digits are read; ``.`` and ``-`` are read as ``/`` too, because a phone's
    number pad may have no slash. A year that looks like the Common Era (1900-2299) is refused with a hint
    giving the BE year; a year outside :data:`BE_DATE_YEARS` (e.g. 3113, a BE year converted twice) and
    an impossible day (31/02/2569) are refused. Values are shown back in the same BE form. The widgets
    are text inputs: a browser's ``type="date"`` or ``datetime-local`` picker shows and sends CE.

Numbers
    Thai or Arabic digits, thousands separators and spaces are read (``๑,๒๓๔.๕๖`` = ``1,234.56``).
    The range follows the :class:`NumberKind` of the value, derived from an indicator's unit by
    :func:`kind_of_unit` (counts are whole and ≥ 0; percentages 0-100; money ≥ 0 with 2 decimals).
    Services check the same rule with :func:`number_problem`, so imports and the admin refuse what a
    form refuses. Messages are Thai (through gettext) and name the limit.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, StepValueValidator
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from .fiscal import be_to_ce, ce_to_be, looks_like_ce_year, parse_fiscal_year

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: Years (BE) a typed date may have; outside them the year is a typo (3113: a BE year converted twice).
BE_DATE_YEARS = range(2400, 2701)
DATE_PLACEHOLDER = "วว/ดด/ปปปป"
DATETIME_PLACEHOLDER = "วว/ดด/ปปปป ชช:นน"

_D = r"[0-9๐-๙]"
_SEP = r"\s*[/.\-]\s*"
#: The browser-side pattern (HTML ``pattern``); the server reads the same shapes (``_DATE`` below).
DATE_PATTERN = rf"\s*{_D}{{1,2}}{_SEP}{_D}{{1,2}}{_SEP}{_D}{{4}}\s*"
DATETIME_PATTERN = rf"\s*{_D}{{1,2}}{_SEP}{_D}{{1,2}}{_SEP}{_D}{{4}}(\s*,?\s+|\s*,\s*){_D}{{1,2}}\s*[:.]\s*{_D}{{2}}\s*(น\.?)?\s*"
_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s*,?\s+|\s*,\s*)(\d{1,2})\s*[:.]\s*(\d{2})\s*(?:น\.?)?\s*$"
)
_BARE_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_ANYWHERE = re.compile(r"(\d{4})")


def arabic_digits(text: str) -> str:
    """Thai digits replaced with Arabic ones: "๒๕๖๙" -> "2569"."""
    return str(text).translate(THAI_DIGITS)


# --- dates -----------------------------------------------------------------------------------------


def _format_message(with_time: bool) -> str:
    if with_time:
        return gettext("Type the date and time as day/month/year in the Buddhist Era and hours:minutes, e.g. 26/02/2570 16:30.")
    return gettext("Type the date as day/month/year in the Buddhist Era, e.g. 26/02/2570.")


def _check_year(year: int) -> None:
    if looks_like_ce_year(year):
        raise ValidationError(
            gettext("The year %(year)s looks like a Common Era (CE) year; use the Buddhist Era year, e.g. %(be)s.")
            % {"year": year, "be": ce_to_be(year)},
            code="ce_year",
        )
    if year not in BE_DATE_YEARS:
        raise ValidationError(
            gettext("The year %(year)s is out of range: type a Buddhist Era year from %(low)s to %(high)s.")
            % {"year": year, "low": BE_DATE_YEARS.start, "high": BE_DATE_YEARS.stop - 1},
            code="year_range",
        )


def parse_be_date(text: str) -> dt.date:
    """The date typed as ``dd/mm/BBBB`` (BE; Thai digits, ``.`` or ``-`` accepted); ``ValidationError`` (Thai) if not.

    Codes: ``invalid`` (shape), ``year_only``, ``ce_year`` (with the BE year as a hint), ``year_range``,
    ``no_such_date`` (31/02/2569).
    """
    return _parse(text, with_time=False)


def parse_be_datetime(text: str) -> dt.datetime:
    """The moment typed as ``dd/mm/BBBB HH:MM`` (BE), aware in the current time zone; errors as :func:`parse_be_date`."""
    return _parse(text, with_time=True)


def _parse(text: str, *, with_time: bool):
    value = arabic_digits(text)
    match = (_DATETIME if with_time else _DATE).match(value)
    if not match:
        bare = _BARE_YEAR.match(value)
        if bare:
            year = int(bare.group(1))
            raise ValidationError(
                gettext("%(year)s is only a year; type the whole date as day/month/year in the Buddhist Era, e.g. 8/1/%(be)s.")
                % {"year": year, "be": ce_to_be(year) if looks_like_ce_year(year) else year},
                code="year_only",
            )
        if with_time and _DATE.match(value):
            raise ValidationError(gettext("Add the time after the date, e.g. 26/02/2570 16:30."), code="no_time")
        # A CE date in another shape (2026-02-26, the browser's picker) still gets the CE hint.
        year = _YEAR_ANYWHERE.search(value)
        if year and looks_like_ce_year(int(year.group(1))):
            _check_year(int(year.group(1)))
        raise ValidationError(_format_message(with_time), code="invalid")
    day, month, year = (int(g) for g in match.groups()[:3])
    _check_year(year)
    try:
        date = dt.date(be_to_ce(year), month, day)
    except ValueError:
        raise ValidationError(
            gettext("%(day)s/%(month)s/%(year)s is not a date of the calendar.") % {"day": day, "month": month, "year": year},
            code="no_such_date",
        ) from None
    if not with_time:
        return date
    hour, minute = int(match.group(4)), int(match.group(5))
    if hour > 23 or minute > 59:
        raise ValidationError(gettext("%(hour)s:%(minute)s is not a time of day (00:00 to 23:59).") % {
            "hour": hour, "minute": f"{minute:02d}"}, code="no_such_time")
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


def format_be_date(value: dt.date) -> str:
    """``value`` as typed in a form: "26/02/2570" (CE 2027-02-26)."""
    return f"{value.day:02d}/{value.month:02d}/{ce_to_be(value.year)}"


def format_be_datetime(value: dt.datetime) -> str:
    """``value`` (aware: shown in local time) as typed in a form: "26/02/2570 16:30"."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_be_date(value)} {value.hour:02d}:{value.minute:02d}"


class BEDateInput(forms.TextInput):
    """A text input for a BE date: placeholder วว/ดด/ปปปป, a number pad with a dot on phones, the accepted shapes as ``pattern``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": DATE_PLACEHOLDER, "inputmode": "decimal", "pattern": DATE_PATTERN, "autocomplete": "off",
                "title": _("Day/month/year in the Buddhist Era, e.g. 26/02/2570.")}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return format_be_date(value)
        return super().format_value(value)


class BEDateTimeInput(forms.TextInput):
    """A text input for a BE date and time ("26/02/2570 16:30"); the full keyboard, since the time needs a space and a colon."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": DATETIME_PLACEHOLDER, "pattern": DATETIME_PATTERN, "autocomplete": "off",
                "title": _("Day/month/year in the Buddhist Era and the time, e.g. 26/02/2570 16:30.")}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            return format_be_datetime(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed as วว/ดด/ปปปป in the Buddhist Era and shown back the same way (:func:`parse_be_date`)."""

    widget = BEDateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Day/month/year in the Buddhist Era, e.g. 26/02/2570."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return format_be_date(value)
        return value

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_be_date(str(value))


class BEDateTimeField(forms.DateTimeField):
    """A date and time typed as "26/02/2570 16:30" (BE, local time), shown back the same way (:func:`parse_be_datetime`)."""

    widget = BEDateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Day/month/year in the Buddhist Era and the time, e.g. 26/02/2570 16:30."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return format_be_datetime(value)
        return value

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        if isinstance(value, dt.date):
            raise ValidationError(gettext("Add the time after the date, e.g. 26/02/2570 16:30."), code="no_time")
        return parse_be_datetime(str(value))


# --- numbers ---------------------------------------------------------------------------------------


class NumberKind(str, Enum):
    """What a number counts, which sets its range (:data:`NUMBER_RULES`)."""

    COUNT = "count"  # people, schools, times: whole, ≥ 0
    PERCENT = "percent"  # 0-100, 2 decimals
    MONEY = "money"  # baht, ≥ 0, 2 decimals
    NUMBER = "number"  # anything else (scores, levels, ratios): 2 decimals, no range


@dataclass(frozen=True)
class NumberRule:
    """The range of a number: ``min_value``/``max_value`` (None: open) and the decimals allowed."""

    min_value: Decimal | None
    max_value: Decimal | None
    decimal_places: int


NUMBER_RULES: dict[NumberKind, NumberRule] = {
    NumberKind.COUNT: NumberRule(Decimal("0"), None, 0),
    NumberKind.PERCENT: NumberRule(Decimal("0"), Decimal("100"), 2),
    NumberKind.MONEY: NumberRule(Decimal("0"), None, 2),
    NumberKind.NUMBER: NumberRule(None, None, 2),
}
#: Units (Thai as typed on OBEC forms, a few English) read as a percentage, money, or a count.
PERCENT_UNITS = frozenset({"ร้อยละ", "%", "เปอร์เซ็นต์", "เปอร์เซนต์", "percent", "percentage"})
MONEY_UNITS = frozenset({"บาท", "baht", "ล้านบาท"})
COUNT_UNITS = frozenset({
    "คน", "ราย", "โรง", "โรงเรียน", "แห่ง", "หน่วย", "หน่วยงาน", "ครั้ง", "เรื่อง", "ชิ้น", "เล่ม", "กิจกรรม", "โครงการ",
    "ห้อง", "ห้องเรียน", "กลุ่ม", "เครือข่าย", "ชุด", "ฉบับ", "หลักสูตร", "รายการ", "เครื่อง", "ผลงาน", "นวัตกรรม", "แผน",
    "people", "persons", "schools", "times", "students", "teachers",
})


def kind_of_unit(unit: str | None) -> NumberKind:
    """The :class:`NumberKind` of a value in ``unit``: "ร้อยละ" -> PERCENT, "บาท" -> MONEY, "คน"/"โรงเรียน" -> COUNT.

    A unit it does not know (คะแนน, ระดับ, blank) is a plain NUMBER, without a range: EMES refuses no
    value it cannot judge.
    """
    text = (unit or "").strip().lower()
    if not text:
        return NumberKind.NUMBER
    if text in PERCENT_UNITS or "ร้อยละ" in text or text.endswith("%"):
        return NumberKind.PERCENT
    if text in MONEY_UNITS or text.endswith("บาท"):
        return NumberKind.MONEY
    if text in COUNT_UNITS:
        return NumberKind.COUNT
    return NumberKind.NUMBER


def _plain(value: Decimal) -> str:
    """A limit as people write it: 100, 0, 2.5 (no exponent, no trailing zeros)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_problem(value: Decimal | int | None, rule: NumberRule | NumberKind) -> str | None:
    """Why ``value`` breaks ``rule`` (a Thai sentence naming the limit), or None when it keeps it (or is None).

    Services call this for every writer (forms, imports, the admin); :class:`ThaiNumberField` gives
    the same messages.
    """
    if value is None:
        return None
    if isinstance(rule, NumberKind):
        rule = NUMBER_RULES[rule]
    value = Decimal(value)
    if not value.is_finite():
        return gettext("Enter a number, e.g. 1,234.50 (Thai digits are fine).")
    if rule.min_value is not None and value < rule.min_value:
        if rule.min_value == 0:
            return gettext("Cannot be negative: enter 0 or more.")
        return gettext("Cannot be less than %(limit)s.") % {"limit": _plain(rule.min_value)}
    if rule.max_value is not None and value > rule.max_value:
        if rule.max_value == 100 and rule.min_value == 0:
            return gettext("A percentage is from 0 to 100; %(value)s is more than 100.") % {"value": _plain(value)}
        return gettext("Cannot be more than %(limit)s.") % {"limit": _plain(rule.max_value)}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0 and -exponent > rule.decimal_places:
        if rule.decimal_places == 0:
            low = value.to_integral_value(rounding=ROUND_FLOOR)
            return gettext("%(value)s has decimals: enter a whole number, e.g. %(low)s or %(high)s.") % {
                "value": _plain(value), "low": _plain(low), "high": _plain(low + 1)}
        return _decimals_message(rule.decimal_places)
    return None


def _decimals_message(places: int) -> str:
    if places == 0:
        return gettext("Enter a whole number, without decimals.")
    return gettext("At most %(max)s decimal places.") % {"max": places}


def parse_number(text: str | None) -> Decimal | None:
    """A typed number as Decimal (Thai digits, thousands separators, spaces read); None when blank.

    ``ValidationError`` (code ``invalid``, Thai) for anything else: letters, two dots, a comma in the
    decimals, infinities.
    """
    raw = arabic_digits("" if text is None else str(text)).replace("\u00a0", " ").strip()
    if not raw:
        return None
    compact = raw.replace(" ", "").replace("\u2212", "-")  # a typographic minus counts as a minus
    body = compact.lstrip("+-")
    integer = body.split(".", 1)[0]
    if "," in integer and not re.fullmatch(r"\d{1,3}(,\d{3})+", integer):
        raise ValidationError(gettext("Enter a number, e.g. 1,234.50 (Thai digits are fine)."), code="invalid")
    compact = compact.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", compact):
        raise ValidationError(gettext("Enter a number, e.g. 1,234.50 (Thai digits are fine)."), code="invalid")
    try:
        return Decimal(compact)
    except InvalidOperation:
        raise ValidationError(gettext("Enter a number, e.g. 1,234.50 (Thai digits are fine)."), code="invalid") from None


class ThaiNumberInput(forms.TextInput):
    """A text input for a number: a browser's ``type="number"`` drops Thai digits and commas, and sends nothing."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = False) -> None:
        base = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})})


class ThaiNumberField(forms.DecimalField):
    """A number typed as Thai offices type it, within the range of its ``kind`` (:data:`NUMBER_RULES`).

    ``kind`` gives the defaults; ``min_value``, ``max_value`` and ``decimal_places`` override them
    (``max_value=None`` explicitly opens the range). A field of whole numbers (``decimal_places=0``)
    cleans to ``int``, any other to ``Decimal``. ``max_digits`` defaults to 14 (the models' money and
    indicator columns). Every message is Thai and names the limit.
    """

    _UNSET: Any = object()

    def __init__(self, *, kind: NumberKind = NumberKind.NUMBER, min_value: Any = _UNSET, max_value: Any = _UNSET,
                 decimal_places: Any = _UNSET, max_digits: int | None = 14, **kwargs: Any) -> None:
        base = NUMBER_RULES[NumberKind(kind)]
        self.kind = NumberKind(kind)
        self.rule = NumberRule(
            base.min_value if min_value is self._UNSET else (None if min_value is None else Decimal(min_value)),
            base.max_value if max_value is self._UNSET else (None if max_value is None else Decimal(max_value)),
            base.decimal_places if decimal_places is self._UNSET else decimal_places,
        )
        kwargs.setdefault("widget", ThaiNumberInput(whole=self.rule.decimal_places == 0))
        super().__init__(
            max_value=self.rule.max_value, min_value=self.rule.min_value, max_digits=max_digits,
            decimal_places=self.rule.decimal_places, **kwargs,
        )
        places = self.rule.decimal_places
        self.error_messages.update({
            "invalid": _("Enter a number, e.g. 1,234.50 (Thai digits are fine)."),
            "max_decimal_places": _("At most %(max)s decimal places.") if places else _("Enter a whole number, without decimals."),
            "max_digits": _("The number is too long: at most %(max)s digits."),
            "max_whole_digits": _("The number is too large: at most %(max)s digits before the decimal point."),
            "step_size": _("Enter a whole number, without decimals."),
        })

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField would add min/max/step, which only a type="number" input reads.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            number = parse_number(str(value))
            if number is None:
                return None
        # A number beyond the decimal context (28 digits) cannot even be rounded: it is too large for any
        # column here, so it is refused as such rather than raising InvalidOperation (a 500).
        if not number.is_finite() or number.adjusted() >= 20:
            whole = (self.max_digits or 14) - (self.decimal_places or 0)
            raise ValidationError(self.error_messages["max_whole_digits"], code="max_whole_digits", params={"max": whole})
        # 45.0 is the whole number 45; drop zeros after the point so the decimals check counts real decimals.
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
        return number.normalize()

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        problem = number_problem(value, self.rule)
        if problem:
            raise ValidationError(problem, code="range")

    def run_validators(self, value: Any) -> None:
        # The range is checked by ``validate`` with the messages of number_problem; skip Django's own.
        if value in self.empty_values:
            return
        errors = []
        for v in self.validators:
            if isinstance(v, (MinValueValidator, MaxValueValidator, StepValueValidator)):
                continue
            try:
                v(value)
            except ValidationError as e:
                if e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise ValidationError(errors)

    def clean(self, value: Any) -> Decimal | int | None:
        number = super().clean(value)
        if number is not None and self.rule.decimal_places == 0:
            return int(number)
        return number


class BEYearField(forms.Field):
    """A year typed in the Buddhist Era (fiscal by default; ``parse=parse_academic_year`` for an academic year),
    read by the core's one parser: Thai digits accepted, a CE year refused with the hint naming the BE year, anything
    else refused in Thai (``emes.fiscal.parse_fiscal_year``; docs/input.md, docs/fiscal-calendar.md). Cleans to ``int``.
    """

    widget = ThaiNumberInput

    def __init__(self, *, parse=parse_fiscal_year, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parse = parse
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return self.parse(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code=next(iter(exc.error_dict.values()))[0].code) from None
