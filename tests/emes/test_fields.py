"""The shared fields of ``emes.fields`` (issue 13 items 6-7): BE dates and date-times, Thai numbers and their ranges."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from emes.fields import (
    BEDateField,
    BEDateTimeField,
    NumberKind,
    ThaiNumberField,
    kind_of_unit,
    number_problem,
    parse_be_date,
    parse_be_datetime,
    parse_number,
)


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def messages(field, value) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        field.clean(value)
    return exc.value.messages


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["26/02/2570", "26/2/2570", " 26 / 02 / 2570 ", "๒๖/๐๒/๒๕๗๐", "26.02.2570", "26-02-2570"])
def test_a_be_date_is_read_in_every_shape_a_phone_can_type(typed):
    assert BEDateField().clean(typed) == dt.date(2027, 2, 26)


def test_a_ce_year_is_refused_with_the_be_hint():
    assert messages(BEDateField(), "26/02/2026") == ["ปี 2026 ดูเหมือนเป็น ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2569"]
    # The browser picker's ISO shape too.
    assert messages(BEDateField(), "2026-02-26") == ["ปี 2026 ดูเหมือนเป็น ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2569"]


@pytest.mark.parametrize("typed, text", [
    ("31/02/2569", "ไม่มีวันที่ 31/2/2569 ในปฏิทิน"),
    ("29/02/2569", "ไม่มีวันที่ 29/2/2569 ในปฏิทิน"),  # CE 2026 is not a leap year
    ("26/02/3113", "ปี 3113 อยู่นอกช่วงที่รับได้"),  # a BE year converted twice
    ("26/02/1500", "ปี 1500 อยู่นอกช่วงที่รับได้"),
    ("พรุ่งนี้", "กรุณาพิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ."),
    ("2570", "2570 เป็นเพียงปี"),
])
def test_impossible_and_out_of_range_dates_are_refused(typed, text):
    (message,) = messages(BEDateField(), typed)
    assert text in message


def test_a_leap_day_of_a_be_leap_year_is_a_date():
    assert parse_be_date("29/02/2567") == dt.date(2024, 2, 29)


def test_a_date_field_shows_its_value_in_be_as_a_text_input():
    class F(forms.Form):
        day = BEDateField()

    html = str(F(initial={"day": dt.date(2027, 2, 26)})["day"])
    assert 'type="text"' in html and 'value="26/02/2570"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html and 'inputmode="decimal"' in html and "pattern=" in html


def test_a_datetime_is_read_as_local_time_and_shown_back_in_be():
    moment = BEDateTimeField().clean("26/02/2570 16:30")
    assert timezone.is_aware(moment)
    assert timezone.localtime(moment).replace(tzinfo=None) == dt.datetime(2027, 2, 26, 16, 30)
    assert parse_be_datetime("๒๖/๐๒/๒๕๗๐ ๑๖.๓๐ น.") == moment

    class F(forms.Form):
        at = BEDateTimeField()

    html = str(F(initial={"at": moment})["at"])
    assert 'value="26/02/2570 16:30"' in html and 'type="text"' in html and "datetime-local" not in html


@pytest.mark.parametrize("typed, text", [
    ("26/02/2570", "กรุณาใส่เวลาต่อท้ายวันที่"),
    ("2026-02-26T16:30", "ปี 2026 ดูเหมือนเป็น ค.ศ."),
    ("26/02/2026 16:30", "ปี 2026 ดูเหมือนเป็น ค.ศ."),
    ("31/02/2569 10:00", "ไม่มีวันที่ 31/2/2569"),
    ("26/02/2570 24:10", "ไม่ใช่เวลาที่มีจริง"),
])
def test_a_datetime_refuses_what_a_date_refuses_and_a_missing_time(typed, text):
    (message,) = messages(BEDateTimeField(), typed)
    assert text in message


# --- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, value", [
    ("๑,๒๓๔.๕๖", Decimal("1234.56")), ("1,234.56", Decimal("1234.56")), (" 1 234.5 ", Decimal("1234.5")),
    ("๕๐๐๐๐", Decimal("50000")), ("0.5", Decimal("0.5")), ("12,345,678", Decimal("12345678")),
])
def test_money_reads_thai_digits_and_thousands_separators(typed, value):
    assert ThaiNumberField(kind=NumberKind.MONEY).clean(typed) == value


@pytest.mark.parametrize("typed, text", [
    ("100.555", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ("-5", "ต้องไม่ติดลบ"),
    ("1,23", "กรุณากรอกตัวเลข"),
    ("สิบ", "กรุณากรอกตัวเลข"),
    ("1e5", "กรุณากรอกตัวเลข"),
    ("NaN", "กรุณากรอกตัวเลข"),
])
def test_money_refuses_with_a_thai_message_naming_the_limit(typed, text):
    (message,) = messages(ThaiNumberField(kind=NumberKind.MONEY), typed)
    assert text in message


@pytest.mark.parametrize("kind", [NumberKind.MONEY, NumberKind.COUNT, NumberKind.PERCENT, NumberKind.NUMBER])
def test_a_number_too_large_to_round_is_refused_not_a_500(kind):
    # 10^40 is beyond the decimal context's 28 digits: quantizing it raised InvalidOperation (a 500 in the fuzz).
    (message,) = messages(ThaiNumberField(kind=kind), "9" * 40)
    assert "ตัวเลขใหญ่เกินไป" in message


def test_counts_are_whole_and_not_negative():
    field = ThaiNumberField(kind=NumberKind.COUNT)
    assert field.clean("๑,๒๐๐") == 1200 and isinstance(field.clean("12"), int)
    assert field.clean("12.0") == 12
    assert "ต้องไม่ติดลบ" in messages(field, "-3")[0]
    assert messages(field, "2.5") == ["2.5 มีทศนิยม กรุณากรอกจำนวนเต็ม เช่น 2 หรือ 3"]


def test_percentages_are_0_to_100_with_decimals():
    field = ThaiNumberField(kind=NumberKind.PERCENT)
    assert field.clean("45.5") == Decimal("45.5") and field.clean("100") == 100
    assert messages(field, "250") == ["ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 แต่ 250 เกิน 100"]
    assert "ต้องไม่ติดลบ" in messages(field, "-1")[0]
    assert ThaiNumberField(kind=NumberKind.PERCENT, max_value=None).clean("250") == 250


def test_a_number_field_is_a_text_input_a_browser_does_not_empty():
    class F(forms.Form):
        amount = ThaiNumberField(kind=NumberKind.MONEY)

    html = str(F()["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and "step=" not in html


@pytest.mark.parametrize("unit, kind", [
    ("ร้อยละ", NumberKind.PERCENT), ("%", NumberKind.PERCENT), ("คน", NumberKind.COUNT), ("โรงเรียน", NumberKind.COUNT),
    ("ครั้ง", NumberKind.COUNT), ("บาท", NumberKind.MONEY), ("คะแนน", NumberKind.NUMBER), ("", NumberKind.NUMBER),
])
def test_the_kind_follows_the_unit(unit, kind):
    assert kind_of_unit(unit) == kind


def test_number_problem_is_the_services_check():
    assert number_problem(Decimal("-3"), NumberKind.COUNT) and number_problem(Decimal("150"), NumberKind.PERCENT)
    assert number_problem(Decimal("3.5"), NumberKind.COUNT) and number_problem(Decimal("1.005"), NumberKind.MONEY)
    assert number_problem(Decimal("45.5"), NumberKind.PERCENT) is None and number_problem(None, NumberKind.COUNT) is None
    assert number_problem(Decimal("-3"), NumberKind.NUMBER) is None


def test_parse_number_blank_and_nonsense():
    assert parse_number("  ") is None and parse_number("−3") == Decimal("-3")
    with translation.override("th"), pytest.raises(ValidationError, match="กรุณากรอกตัวเลข") as exc:
        parse_number("12..5")
    assert exc.value.code == "invalid"
