"""The fiscal calendar on real dates (holidays from the ``holidays`` package, TH)."""
import datetime as dt

import pytest

from emes.fiscal import (
    FiscalYear,
    Quarter,
    WorkingCalendar,
    be_to_ce,
    ce_to_be,
    fiscal_year_of,
    quarter_of,
    report_due_date,
)
from emes.models import OfficeHoliday
from tests.factories import OfficeFactory

D = dt.date


def test_be_ce_conversion():
    assert be_to_ce(2569) == 2026
    assert ce_to_be(2026) == 2569


@pytest.mark.parametrize(
    "day, fy",
    [(D(2025, 9, 30), 2568), (D(2025, 10, 1), 2569), (D(2026, 9, 30), 2569), (D(2026, 10, 1), 2570), (D(2026, 11, 20), 2570)],
)
def test_fiscal_year_of(day, fy):
    assert fiscal_year_of(day) == fy


def test_fiscal_year_bounds():
    fy = FiscalYear(2570)
    assert (fy.start, fy.end) == (D(2026, 10, 1), D(2027, 9, 30))
    assert FiscalYear.of(D(2026, 10, 1)) == fy


@pytest.mark.parametrize(
    "number, start, end",
    [(1, D(2025, 10, 1), D(2025, 12, 31)), (2, D(2026, 1, 1), D(2026, 3, 31)), (3, D(2026, 4, 1), D(2026, 6, 30)), (4, D(2026, 7, 1), D(2026, 9, 30))],
)
def test_quarters_of_fy_2569(number, start, end):
    q = Quarter(2569, number)
    assert (q.start, q.end) == (start, end)
    assert quarter_of(start) == q and quarter_of(end) == q


def test_quarter_rejects_5():
    with pytest.raises(ValueError):
        Quarter(2569, 5)


def test_quarter_months():
    assert Quarter(2569, 1).months == [(2025, 10), (2025, 11), (2025, 12)]


def test_q1_2569_report_due_date_skips_new_year_holidays():
    # 31 Dec 2025 (Wed) ends Q1; 1 Jan is New Year's Day and 2 Jan 2026 a special holiday,
    # 3-4 Jan a weekend: the 5th working day is Friday 9 January 2026.
    assert report_due_date(Quarter(2569, 1)) == D(2026, 1, 9)


def test_q2_2569_report_due_date_skips_chakri_day():
    # Q2 ends Tue 31 Mar 2026; Mon 6 Apr 2026 is Chakri Memorial Day.
    assert report_due_date(Quarter(2569, 2)) == D(2026, 4, 8)


def test_substitution_day_2026_06_01_is_not_a_working_day():
    # Visakha Bucha fell on Sunday 31 May 2026; Monday 1 June is its substitution day.
    cal = WorkingCalendar()
    assert not cal.is_working_day(D(2026, 6, 1))
    assert "ชดเชย" in cal.holiday_name(D(2026, 6, 1))
    assert cal.add_working_days(D(2026, 5, 29), 1) == D(2026, 6, 2)


def test_report_window_containing_a_substitution_day():
    # FY 2568 Q2 ends Mon 31 Mar 2025. Chakri Day fell on Sunday 6 Apr 2025, so Mon 7 Apr was
    # its substitution day: working days 1-4 are 1-4 Apr, the 5th is Tue 8 Apr 2025.
    cal = WorkingCalendar()
    assert "ชดเชย" in cal.holiday_name(D(2025, 4, 7))
    assert report_due_date(Quarter(2568, 2)) == D(2025, 4, 8)


def test_december_2026_substitution_and_constitution_day():
    # Sat 5 Dec 2026 -> substitution Mon 7 Dec; Thu 10 Dec is Constitution Day.
    cal = WorkingCalendar()
    assert cal.add_working_days(D(2026, 12, 4), 5) == D(2026, 12, 15)
    assert report_due_date(Quarter(2570, 1)) == D(2027, 1, 8)


def test_working_days_between_counts_lateness():
    cal = WorkingCalendar()
    assert cal.working_days_between(D(2026, 1, 9), D(2026, 1, 9)) == 0
    assert cal.working_days_between(D(2026, 1, 9), D(2026, 1, 12)) == 1  # over a weekend
    assert cal.working_days_between(D(2026, 1, 9), D(2026, 1, 16)) == 5
    assert cal.working_days_between(D(2026, 1, 16), D(2026, 1, 9)) == -5


def test_add_working_days_rejects_zero():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(D(2026, 1, 1), 0)


@pytest.mark.django_db
def test_office_declared_holiday_moves_the_due_date():
    office = OfficeFactory()
    OfficeHoliday.objects.create(office=office, date=D(2026, 1, 9), name="วันหยุดพิเศษตามมติคณะรัฐมนตรี")
    cal = WorkingCalendar.for_office(office)
    assert report_due_date(Quarter(2569, 1), calendar=cal) == D(2026, 1, 12)
    # Other offices are not affected.
    assert report_due_date(Quarter(2569, 1), calendar=WorkingCalendar.for_office(OfficeFactory())) == D(2026, 1, 9)


def test_due_date_with_office_setting_of_more_days():
    assert report_due_date(Quarter(2569, 1), working_days=10) == D(2026, 1, 16)


def test_be_and_ce_years_are_told_apart_in_one_place():
    from emes.fiscal import is_be_year, looks_like_ce_year

    assert is_be_year(2569) and not is_be_year(2026) and not is_be_year(25690)
    assert looks_like_ce_year(2025) and not looks_like_ce_year(2568)


def test_subtract_working_days_is_the_inverse_of_add_over_makha_bucha():
    """Makha Bucha 2569 (Tue 3 Mar 2026) is skipped: 7 working days before Wed 4 Mar is Fri 20 Feb, not Mon 23 Feb."""
    import datetime as dt

    from emes.fiscal import WorkingCalendar

    cal = WorkingCalendar()
    assert cal.subtract_working_days(dt.date(2026, 3, 4), 7) == dt.date(2026, 2, 20)
    assert cal.subtract_working_days(dt.date(2026, 3, 4), 0) == dt.date(2026, 3, 4)
    for n in (1, 5, 10, 30):
        day = dt.date(2026, 8, 14)
        assert cal.add_working_days(cal.subtract_working_days(day, n), n) == day
