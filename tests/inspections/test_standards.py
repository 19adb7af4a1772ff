"""The seed manual's standards around their boundaries, with real Thai holidays (``holidays`` TH).

Makha Bucha falls on Tuesday 3 March 2026 and Mother's Day on Wednesday 12 August 2026: a visit
just after either moves the latest day for the notice and the forms one working day earlier.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emes.fiscal import WorkingCalendar
from inspections.standards import DispatchFacts, Verdict, evaluate, response_rate

CAL = WorkingCalendar()
D = dt.date


def check(code: str, *, today=D(2026, 9, 30), number=1, dispatches=(), **dates):
    base = dict(plan_sent_on=None, coordination_meeting_on=None, units_notified_on=None, visit_starts_on=None, summary_meeting_on=None)
    base.update(dates)
    checks = evaluate(fiscal_year=2569, number=number, dispatches=list(dispatches), calendar=CAL, today=today, **base)
    return next(c for c in checks if c.code == code)


def test_plan_one_week_before_meeting_boundary():
    meeting = D(2025, 12, 15)
    assert check("plan_before_meeting", plan_sent_on=D(2025, 12, 8), coordination_meeting_on=meeting).verdict == Verdict.MET
    late = check("plan_before_meeting", plan_sent_on=D(2025, 12, 9), coordination_meeting_on=meeting)
    assert late.verdict == Verdict.MISSED
    assert "8 ธันวาคม 2568" in late.detail  # the latest day, in BE
    # Planned (future) and breaking the rule: at risk, not yet missed.
    assert check("plan_before_meeting", today=D(2025, 11, 1), plan_sent_on=D(2025, 12, 9), coordination_meeting_on=meeting).verdict == Verdict.AT_RISK
    # Not sent: not yet far from the deadline, at risk within 14 days of it, missed after it.
    assert check("plan_before_meeting", today=D(2025, 11, 1), coordination_meeting_on=meeting).verdict == Verdict.NOT_YET
    assert check("plan_before_meeting", today=D(2025, 11, 24), coordination_meeting_on=meeting).verdict == Verdict.AT_RISK
    assert check("plan_before_meeting", today=D(2025, 12, 9), coordination_meeting_on=meeting).verdict == Verdict.MISSED


def test_plan_and_meeting_within_q1():
    assert check("plan_meeting_in_q1", plan_sent_on=D(2025, 10, 1), coordination_meeting_on=D(2025, 12, 31)).verdict == Verdict.MET
    assert check("plan_meeting_in_q1", plan_sent_on=D(2025, 12, 24), coordination_meeting_on=D(2026, 1, 1)).verdict == Verdict.MISSED
    assert check("plan_meeting_in_q1", plan_sent_on=D(2025, 9, 30), coordination_meeting_on=D(2025, 10, 8)).verdict == Verdict.MISSED
    assert check("plan_meeting_in_q1", today=D(2025, 10, 5), plan_sent_on=D(2025, 10, 1)).verdict == Verdict.NOT_YET
    assert check("plan_meeting_in_q1", today=D(2025, 12, 20), plan_sent_on=D(2025, 10, 1)).verdict == Verdict.AT_RISK
    # A special round has no yearly plan of its own.
    assert check("plan_meeting_in_q1", number=3).verdict == Verdict.NOT_YET


def test_units_told_seven_working_days_before_with_makha_bucha():
    visit = D(2026, 3, 5)  # Thursday; Tuesday 3 March 2026 is Makha Bucha
    told_in_time = check("units_notified", units_notified_on=D(2026, 2, 23), visit_starts_on=visit)
    assert told_in_time.verdict == Verdict.MET
    assert told_in_time.dates["latest"] == D(2026, 2, 23)  # would be 24 Feb without the holiday
    assert check("units_notified", units_notified_on=D(2026, 2, 24), visit_starts_on=visit).verdict == Verdict.MISSED
    # Told on the Saturday before the latest Monday still gives 7 working days.
    assert check("units_notified", units_notified_on=D(2026, 2, 21), visit_starts_on=visit).verdict == Verdict.MET
    assert check("units_notified", today=D(2026, 2, 20), visit_starts_on=visit).verdict == Verdict.AT_RISK
    assert check("units_notified", today=D(2026, 2, 24), visit_starts_on=visit).verdict == Verdict.MISSED
    assert check("units_notified", today=D(2026, 1, 5), visit_starts_on=visit).verdict == Verdict.NOT_YET


def test_forms_to_all_units_ten_working_days_before_with_mothers_day():
    visit = D(2026, 8, 17)  # Monday; Wednesday 12 August 2026 is Mother's Day
    on_time = [DispatchFacts(D(2026, 7, 31), None), DispatchFacts(D(2026, 7, 20), None)]
    met = check("forms_delivered", visit_starts_on=visit, dispatches=on_time)
    assert met.verdict == Verdict.MET and met.dates["latest"] == D(2026, 7, 31)
    # One unit of three got the form a working day too late: 100 % is not reached.
    missed = check("forms_delivered", visit_starts_on=visit, dispatches=[*on_time, DispatchFacts(D(2026, 8, 3), None)])
    assert missed.verdict == Verdict.MISSED and missed.dates["last_sent_on"] == D(2026, 8, 3)
    assert check("forms_delivered", today=D(2026, 7, 24), visit_starts_on=visit).verdict == Verdict.AT_RISK
    assert check("forms_delivered", today=D(2026, 8, 3), visit_starts_on=visit).verdict == Verdict.MISSED


def test_answers_back_within_thirty_working_days_from_eighty_percent():
    sent = D(2026, 1, 5)
    window_end = CAL.add_working_days(sent, 30)
    assert window_end == D(2026, 2, 16)
    five = lambda *subs: [DispatchFacts(sent, s) for s in subs]  # noqa: E731
    # 4 of 5 on time, the 5th on the day after the window: exactly 80 % → met.
    rate = response_rate(five(window_end, window_end, D(2026, 1, 20), D(2026, 2, 1), window_end + dt.timedelta(days=1)), calendar=CAL, today=D(2026, 3, 1))
    assert (rate.on_time, rate.late, rate.rate_pct, rate.met) == (4, 1, Decimal("80.00"), True)
    assert check("answers_returned", dispatches=five(window_end, window_end, D(2026, 1, 20), D(2026, 2, 1), None)).verdict == Verdict.MET
    # 3 of 5 on time and the window over: 60 %, missed.
    assert check("answers_returned", today=D(2026, 2, 17), dispatches=five(window_end, D(2026, 1, 20), D(2026, 2, 1), None, None)).verdict == Verdict.MISSED
    # 3 of 5 so far with the window still open: reachable; at risk within 5 working days of its end.
    assert check("answers_returned", today=D(2026, 1, 26), dispatches=five(D(2026, 1, 20), D(2026, 1, 21), D(2026, 1, 22), None, None)).verdict == Verdict.NOT_YET
    assert check("answers_returned", today=D(2026, 2, 10), dispatches=five(D(2026, 1, 20), D(2026, 1, 21), D(2026, 1, 22), None, None)).verdict == Verdict.AT_RISK
    assert check("answers_returned").verdict == Verdict.NOT_YET


def test_summary_meeting_within_q4():
    assert check("summary_in_q4", summary_meeting_on=D(2026, 7, 1)).verdict == Verdict.MET
    assert check("summary_in_q4", summary_meeting_on=D(2026, 9, 30)).verdict == Verdict.MET
    assert check("summary_in_q4", today=D(2026, 10, 2), summary_meeting_on=D(2026, 10, 1)).verdict == Verdict.MISSED
    assert check("summary_in_q4", summary_meeting_on=D(2026, 10, 1)).verdict == Verdict.AT_RISK  # planned outside Q4
    assert check("summary_in_q4", today=D(2026, 6, 1), summary_meeting_on=D(2026, 6, 30)).verdict == Verdict.AT_RISK
    assert check("summary_in_q4", today=D(2026, 9, 20)).verdict == Verdict.AT_RISK
    assert check("summary_in_q4", today=D(2026, 10, 1)).verdict == Verdict.MISSED


@pytest.mark.django_db
def test_office_holiday_counts(office_a):
    from emes.models import OfficeHoliday
    from inspections.models import InspectionRound
    from inspections.standards import evaluate_standards

    r = InspectionRound(office=office_a, fiscal_year=2569, number=1, units_notified_on=D(2026, 2, 23), visit_starts_on=D(2026, 3, 5))
    assert next(c for c in evaluate_standards(r, today=D(2026, 1, 1)) if c.code == "units_notified").verdict == Verdict.MET
    OfficeHoliday.objects.create(office=office_a, date=D(2026, 2, 26), name="วันหยุดพิเศษ")
    assert next(c for c in evaluate_standards(r, today=D(2026, 1, 1)) if c.code == "units_notified").verdict == Verdict.AT_RISK


@pytest.mark.django_db
def test_standards_of_many_rounds_are_those_of_each_round(office_a):
    """The dashboard's many-rounds variant gives each round the very checks of ``evaluate_standards`` (one office's
    declared holiday included), in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from emes.models import OfficeHoliday
    from inspections.models import InspectionRound
    from inspections.standards import evaluate_standards, evaluate_standards_of_rounds
    from tests.emes.test_home_director import _rounds_with_dispatches

    OfficeHoliday.objects.create(office=office_a, date=D(2026, 1, 20), name="วันหยุดของสำนักงาน")
    _rounds_with_dispatches(office_a, [1, 2, 3], units=4)
    InspectionRound.objects.create(office=office_a, fiscal_year=2569, number=4)  # nothing scheduled, nothing sent
    rounds = list(InspectionRound.objects.filter(office=office_a).order_by("number"))
    with CaptureQueriesContext(connection) as ctx:
        many = evaluate_standards_of_rounds(rounds, today=D(2026, 2, 20))
    assert len(ctx) == 2  # the dispatches, the holidays
    for r in rounds:
        assert many[r.pk] == evaluate_standards(r, today=D(2026, 2, 20)), r.number
    assert evaluate_standards_of_rounds([]) == {}
