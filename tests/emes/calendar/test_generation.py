"""Generating a fiscal year's calendar from the rules of docs/fiscal-calendar.md, on the real Thai holidays, and
regenerating it: no duplicates, hand edits and cancellations kept, a moved literacy window followed."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emes.calendar.models import CalendarEvent
from emes.calendar.services import generate_calendar, set_cancelled, update_event
from emes.fiscal import WorkingCalendar
from emes.models import OfficeHoliday
from literacy.models import LiteracyRound
from plans.models import DisbursementTarget, ReportingRule

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")
Kind = CalendarEvent.Kind


def _event(office, key) -> CalendarEvent:
    return CalendarEvent.objects.get(office=office, generated_key=key)


def _round(office, opens, closes, number=2):
    return LiteracyRound.objects.create(
        office=office, academic_year=2569, number=number, grades=["p1"],
        opens_at=dt.datetime(*opens, 8, 30, tzinfo=BKK), closes_at=dt.datetime(*closes, 16, 30, tzinfo=BKK),
    )


def test_fy_2569_quarterly_due_dates_skip_the_real_holidays(office_a):
    result = generate_calendar(office_a, 2569)
    assert result.created == CalendarEvent.objects.filter(office=office_a).count() > 30
    due = {q: _event(office_a, f"2569:quarterly-report:q{q}").starts_on for q in (1, 2, 3, 4)}
    # Q1 ends Wed 31 Dec 2025; 31 Dec, 1 and 2 Jan are holidays: Mon 5 .. Fri 9 Jan 2026.
    assert due[1] == dt.date(2026, 1, 9)
    # Q2 ends Tue 31 Mar 2026: 1, 2, 3 April, Chakri Day (Mon 6 April) skipped, 7, 8 April.
    assert due[2] == WorkingCalendar().add_working_days(dt.date(2026, 3, 31), 5) == dt.date(2026, 4, 8)
    assert due[3] == dt.date(2026, 7, 7)
    assert due[4] == dt.date(2026, 10, 7)  # Q4's report is due in October, after the year ends
    q1 = _event(office_a, "2569:quarterly-report:q1")
    assert q1.audience == CalendarEvent.Audience.PROJECT_OWNERS and q1.kind == Kind.QUARTERLY_REPORT
    assert "5 วันทำการ" in q1.rule and "สพม. เขต 12" in q1.rule
    assert q1.title == "กำหนดส่งรายงานผลการดำเนินงานโครงการ ไตรมาส 1/2569"


def test_fy_2570_events_and_their_rules(office_a):
    DisbursementTarget.objects.update_or_create(fiscal_year=2570, quarter=4, defaults={"target_pct": Decimal("93")})
    generate_calendar(office_a, 2570)
    assert _event(office_a, "2570:quarterly-report:q1").starts_on == dt.date(2027, 1, 8)
    # Disbursement follow-up in Q2, Q3, Q4 only, at the last working day of the quarter; the target only where set.
    keys = set(CalendarEvent.objects.filter(office=office_a, kind=Kind.DISBURSEMENT).values_list("generated_key", flat=True))
    assert keys == {"2570:disbursement:q2", "2570:disbursement:q3", "2570:disbursement:q4"}
    assert _event(office_a, "2570:disbursement:q2").starts_on == dt.date(2027, 3, 31)
    assert "93" in _event(office_a, "2570:disbursement:q4").title
    assert "ร้อยละ" not in _event(office_a, "2570:disbursement:q3").title
    # Inspection: the plan ≥ 1 week before the meeting, both in Q1; visits in February and August on working days;
    # notice ≥ 7 and tools ≥ 10 working days before; forms back 30 working days after dispatch; summary in Q4.
    cal = WorkingCalendar()
    plan, meeting = _event(office_a, "2570:inspection:plan-sent"), _event(office_a, "2570:inspection:coordination-meeting")
    assert dt.date(2026, 10, 1) <= plan.starts_on <= meeting.starts_on - dt.timedelta(days=7) and meeting.starts_on <= dt.date(2026, 12, 31)
    for number, month in ((1, 2), (2, 8)):
        visit = _event(office_a, f"2570:inspection:r{number}:visit")
        assert visit.starts_on.month == visit.ends_on.month == month and 8 <= visit.starts_on.day and visit.ends_on.day <= 21
        assert cal.is_working_day(visit.starts_on) and cal.is_working_day(visit.ends_on)
        notice = _event(office_a, f"2570:inspection:r{number}:notice").starts_on
        tools = _event(office_a, f"2570:inspection:r{number}:tools").starts_on
        assert cal.working_days_between(notice, visit.starts_on) == 7
        assert cal.working_days_between(tools, visit.starts_on) == 10
        assert _event(office_a, f"2570:inspection:r{number}:forms-back").starts_on == cal.add_working_days(tools, 30)
        assert "กำหนดไว้ก่อน" in visit.rule
    summary = _event(office_a, "2570:inspection:summary-meeting").starts_on
    assert dt.date(2027, 7, 1) <= summary <= dt.date(2027, 9, 30)
    # The annual report of FY 2569 in FY 2570's calendar, October to January.
    report = CalendarEvent.objects.filter(office=office_a, fiscal_year=2570, kind=Kind.ANNUAL_REPORT)
    assert report.count() == 5
    assert min(e.starts_on for e in report) >= dt.date(2026, 10, 1) and max(e.ends_on for e in report) <= dt.date(2027, 1, 31)
    assert "2569" in _event(office_a, "2570:annual-report:prepare").title
    # The unit's own tasks: action-plan monitoring in Oct, Mar, May, Sep; system development Apr-Jun.
    months = sorted(e.starts_on.month for e in CalendarEvent.objects.filter(office=office_a, generated_key__startswith="2570:unit:action-plan"))
    assert months == [3, 5, 9, 10]
    dev = _event(office_a, "2570:unit:system-development:04")
    assert (dev.starts_on, dev.ends_on, dev.audience) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30), CalendarEvent.Audience.MNE_UNIT)
    assert all(e.gantt_row for e in CalendarEvent.objects.filter(office=office_a, kind=Kind.UNIT_TASK))
    assert "กำหนดไว้ดังนี้" in _event(office_a, "2570:unit:emes-obec:10").rule  # months the M&E manual does not give are said to be chosen


def test_office_holidays_and_reporting_rule_move_the_due_date(office_a):
    generate_calendar(office_a, 2570)
    OfficeHoliday.objects.create(office=office_a, date=dt.date(2027, 1, 4), name="วันหยุดพิเศษ")
    ReportingRule.objects.create(office=office_a, fiscal_year=2570, due_working_days=7)
    result = generate_calendar(office_a, 2570)
    assert result.created == 0 and result.updated >= 1
    # 1 Jan holiday, 4 Jan declared: 5, 6, 7, 8, 11, 12, 13 -> Wed 13 Jan 2027.
    assert _event(office_a, "2570:quarterly-report:q1").starts_on == dt.date(2027, 1, 13)


def test_regeneration_never_duplicates_and_keeps_edits_and_cancellations(office_a, planner_a):
    first = generate_calendar(office_a, 2570)
    count = CalendarEvent.objects.filter(office=office_a).count()
    visit = _event(office_a, "2570:inspection:r1:visit")
    update_event(visit, by=planner_a, starts_on=dt.date(2027, 2, 15), ends_on=dt.date(2027, 2, 17))
    meeting = _event(office_a, "2570:inspection:summary-meeting")
    set_cancelled(meeting, by=planner_a, cancelled=True)
    CalendarEvent.objects.filter(pk=_event(office_a, "2570:quarterly-report:q2").pk).update(title="เปลี่ยนโดยไม่ได้ตั้งใจ")

    again = generate_calendar(office_a, 2570, by=planner_a)
    assert CalendarEvent.objects.filter(office=office_a).count() == count
    assert (again.created, again.kept_edited, again.updated) == (0, 2, 1)
    assert again.unchanged == first.created - 3
    visit.refresh_from_db()
    assert (visit.starts_on, visit.ends_on, visit.is_edited) == (dt.date(2027, 2, 15), dt.date(2027, 2, 17), True)
    assert _event(office_a, "2570:inspection:summary-meeting").is_cancelled
    assert _event(office_a, "2570:quarterly-report:q2").title.startswith("กำหนดส่งรายงาน")


def test_regeneration_follows_a_moved_literacy_window_unless_edited(office_a, planner_a):
    lit = _round(office_a, (2026, 11, 2), (2027, 2, 26))
    generate_calendar(office_a, 2570)
    event = _event(office_a, f"literacy:round:{lit.pk}")
    assert (event.starts_on, event.ends_on, event.audience) == (dt.date(2026, 11, 2), dt.date(2027, 2, 26), CalendarEvent.Audience.SCHOOLS)
    LiteracyRound.objects.filter(pk=lit.pk).update(closes_at=dt.datetime(2027, 3, 5, 16, 30, tzinfo=BKK))
    generate_calendar(office_a, 2570)
    event.refresh_from_db()
    assert event.ends_on == dt.date(2027, 3, 5)

    update_event(event, by=planner_a, title="ช่วงส่งผลการประเมิน (ขยายเวลา)")
    LiteracyRound.objects.filter(pk=lit.pk).update(closes_at=dt.datetime(2027, 3, 12, 16, 30, tzinfo=BKK))
    assert generate_calendar(office_a, 2570).kept_edited == 1
    event.refresh_from_db()
    assert event.ends_on == dt.date(2027, 3, 5) and event.title == "ช่วงส่งผลการประเมิน (ขยายเวลา)"


def test_a_window_straddling_two_years_is_one_event(office_a):
    lit = _round(office_a, (2026, 9, 14), (2026, 10, 16), number=1)
    generate_calendar(office_a, 2569)
    generate_calendar(office_a, 2570)
    events = CalendarEvent.objects.filter(office=office_a, generated_key=f"literacy:round:{lit.pk}")
    assert events.count() == 1 and events.get().fiscal_year == 2569


def test_a_deleted_round_leaves_the_calendar(office_a):
    lit = _round(office_a, (2026, 11, 2), (2027, 2, 26))
    generate_calendar(office_a, 2570)
    lit.delete()
    assert generate_calendar(office_a, 2570).removed == 1
    assert not CalendarEvent.objects.filter(office=office_a, kind=Kind.LITERACY).exists()


def test_other_offices_rounds_and_events_stay_apart(office_a, office_b):
    _round(office_b, (2026, 11, 2), (2027, 2, 26))
    generate_calendar(office_a, 2570)
    generate_calendar(office_b, 2570)
    assert not CalendarEvent.objects.filter(office=office_a, kind=Kind.LITERACY).exists()
    assert CalendarEvent.objects.filter(office=office_b, kind=Kind.LITERACY).count() == 1
    assert CalendarEvent.objects.filter(office=office_a).count() == CalendarEvent.objects.filter(office=office_b).count() - 1


@pytest.mark.parametrize("year, message", [
    (2027, "ปี 2027 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2570)"), ("abc", "กรุณาพิมพ์ปีงบประมาณเป็นพุทธศักราช เช่น 2569"), (3500, "กรุณาพิมพ์ปีงบประมาณเป็นพุทธศักราช เช่น 2569"),
])
def test_a_bad_fiscal_year_is_refused_in_thai(office_a, year, message):
    with pytest.raises(ValidationError) as info:
        generate_calendar(office_a, year)
    assert info.value.messages == [message]
    assert not CalendarEvent.objects.exists()


def test_only_the_plan_officer_generates(office_a, viewer_a, director_a, outsider_b):
    for user in (viewer_a, director_a, outsider_b):
        with pytest.raises(PermissionDenied):
            generate_calendar(office_a, 2570, by=user)
    assert not CalendarEvent.objects.exists()


def test_working_days_before_is_the_inverse_of_add_working_days():
    cal = WorkingCalendar()
    for day in (dt.date(2027, 2, 8), dt.date(2027, 8, 9), dt.date(2026, 4, 20)):
        for n in (1, 7, 10):
            assert cal.add_working_days(cal.subtract_working_days(day, n), n) == day
