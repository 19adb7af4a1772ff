"""The calendar follows the office's real inspection rounds (issues 7 and 8).

Round 1/2570 (the February 2027 round) is scheduled in the inspections app; generating FY 2570 puts
its real dates on the same generated events the defaults used (same keys, updated in place, hand
edits kept), keeps the default for a step the round has no date for (and says so in ``rule``), adds
the forms' real dispatch and due dates, gives a special round its own events, and the calendar list
tells when a round changed after the last generation.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from emes.calendar.models import CalendarEvent
from emes.calendar.services import generate_calendar, update_event
from emes.fiscal import WorkingCalendar
from inspections import services as inspections
from inspections.calendar_rules import rounds_changed as inspection_rounds_changed
from inspections.models import InspectionRound
from tests.factories import DivisionFactory, SchoolFactory

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")

#: Round 1/2570: plan 2 Nov 2569, meeting 16 Nov 2569, units told 1 Feb 2570, visit 15-17 Feb 2570, summary 14 Sep 2570 (CE dates).
ROUND_1 = {
    "kind": "regular", "title": "ตรวจราชการกรณีปกติ รอบที่ 1/2570",
    "plan_sent_on": dt.date(2026, 11, 2), "coordination_meeting_on": dt.date(2026, 11, 16),
    "units_notified_on": dt.date(2027, 2, 1), "visit_starts_on": dt.date(2027, 2, 15), "visit_ends_on": dt.date(2027, 2, 17),
    "summary_meeting_on": dt.date(2027, 9, 14),
}


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BKK), tick=False)


def event(office, key) -> CalendarEvent:
    return CalendarEvent.objects.get(office=office, generated_key=key)


def inspection_keys(office) -> set[str]:
    return set(CalendarEvent.objects.filter(office=office, kind=CalendarEvent.Kind.INSPECTION).values_list("generated_key", flat=True))


def new_round(office, planner, number=1, **data) -> InspectionRound:
    with at(dt.date(2026, 10, 20)):
        return inspections.create_round(office, by=planner, fiscal_year=2570, number=number, data=data, confirm=True)


def dispatch(rnd, planner, *, day, due_on, **units):
    if not rnd.questions.exists():
        inspections.add_question(rnd, by=planner, text="จำนวนนักเรียนที่อ่านไม่ออก", kind="number")
    with at(day):
        return inspections.dispatch_forms(rnd, by=planner, due_on=due_on, **units)


def generate(office, day=dt.date(2026, 11, 1), **kw):
    """Generate FY 2570 with time frozen on ``day`` (the hint compares the generation's time with the rounds')."""
    with at(day):
        return generate_calendar(office, 2570, **kw)


def test_without_a_round_the_defaults_stay(office_a):
    generate_calendar(office_a, 2570)
    visit = event(office_a, "2570:inspection:r1:visit")
    with translation.override("th"):
        default = _("Default date, move it once the inspection round is scheduled.")
    assert visit.starts_on.month == 2 and visit.rule.endswith(default)
    assert not any(":r3:" in k for k in inspection_keys(office_a))


def test_the_rounds_real_dates_replace_the_defaults_on_the_same_keys(office_a, planner_a):
    generate_calendar(office_a, 2570)
    keys_before = inspection_keys(office_a)
    ids_before = dict(CalendarEvent.objects.filter(office=office_a).values_list("generated_key", "pk"))
    new_round(office_a, planner_a, **ROUND_1)
    result = generate_calendar(office_a, 2570)
    assert result.created == 0 and result.removed == 0 and result.updated >= 5
    assert inspection_keys(office_a) == keys_before
    assert dict(CalendarEvent.objects.filter(office=office_a).values_list("generated_key", "pk")) == ids_before  # updated in place
    assert event(office_a, "2570:inspection:plan-sent").starts_on == dt.date(2026, 11, 2)
    assert event(office_a, "2570:inspection:coordination-meeting").starts_on == dt.date(2026, 11, 16)
    assert event(office_a, "2570:inspection:r1:notice").starts_on == dt.date(2027, 2, 1)
    visit = event(office_a, "2570:inspection:r1:visit")
    assert (visit.starts_on, visit.ends_on) == (dt.date(2027, 2, 15), dt.date(2027, 2, 17))
    assert "1/2570" in visit.rule and visit.description == ROUND_1["title"]
    assert event(office_a, "2570:inspection:summary-meeting").starts_on == dt.date(2027, 9, 14)  # no round 2: round 1's
    # Not dispatched yet: the tools keep their default, counted from the real visit, and the rule says the round lacks it.
    cal = WorkingCalendar.for_office(office_a)
    tools = event(office_a, "2570:inspection:r1:tools")
    assert tools.starts_on == cal.subtract_working_days(dt.date(2027, 2, 15), 10)
    assert "1/2570" in tools.rule
    assert event(office_a, "2570:inspection:r1:forms-back").starts_on == cal.add_working_days(tools.starts_on, 30)
    # Round 2 does not exist: its events stay the defaults of August.
    assert event(office_a, "2570:inspection:r2:visit").starts_on.month == 8


def test_a_missing_date_keeps_its_default_and_says_so(office_a, planner_a):
    data = {k: v for k, v in ROUND_1.items() if k not in ("units_notified_on", "coordination_meeting_on")}
    new_round(office_a, planner_a, **data)
    generate_calendar(office_a, 2570)
    cal = WorkingCalendar.for_office(office_a)
    notice = event(office_a, "2570:inspection:r1:notice")
    assert notice.starts_on == cal.subtract_working_days(dt.date(2027, 2, 15), 7)
    meeting = event(office_a, "2570:inspection:coordination-meeting")
    assert meeting.starts_on == dt.date(2026, 12, 15)  # the default (Tuesday 15 December 2026)
    for e in (notice, meeting):
        assert "1/2570" in e.rule, e.rule  # "round 1/2570 has no date for this step yet: default date …"
    assert event(office_a, "2570:inspection:plan-sent").starts_on == dt.date(2026, 11, 2)  # set in the round


def test_dispatched_forms_give_the_real_sending_and_due_dates(office_a, planner_a):
    rnd = new_round(office_a, planner_a, **ROUND_1)
    division = DivisionFactory(office=office_a)
    schools = [SchoolFactory(office=office_a) for _ in range(2)]
    dispatch(rnd, planner_a, day=dt.date(2026, 12, 21), due_on=dt.date(2027, 1, 29), divisions=[division])
    dispatch(rnd, planner_a, day=dt.date(2026, 12, 23), due_on=dt.date(2027, 2, 5), schools=schools)
    generate_calendar(office_a, 2570)
    tools = event(office_a, "2570:inspection:r1:tools")
    back = event(office_a, "2570:inspection:r1:forms-back")
    assert tools.starts_on == dt.date(2026, 12, 23)  # the last unit received it then
    assert back.starts_on == dt.date(2027, 2, 5)  # the latest due date of its dispatches
    assert "1/2570" in back.rule and "1/2570" in tools.rule


def test_edited_events_stay_as_they_are(office_a, planner_a):
    generate_calendar(office_a, 2570)
    visit = event(office_a, "2570:inspection:r1:visit")
    update_event(visit, by=planner_a, starts_on=dt.date(2027, 2, 22), ends_on=dt.date(2027, 2, 23))
    new_round(office_a, planner_a, **ROUND_1)
    result = generate_calendar(office_a, 2570)
    assert result.kept_edited == 1
    visit = event(office_a, "2570:inspection:r1:visit")
    assert (visit.starts_on, visit.is_edited) == (dt.date(2027, 2, 22), True)
    assert event(office_a, "2570:inspection:r1:notice").starts_on == dt.date(2027, 2, 1)  # the others follow the round


def test_a_special_round_gets_its_own_events_and_leaves_with_it(office_a, planner_a):
    generate_calendar(office_a, 2570)
    special = new_round(office_a, planner_a, number=3, kind="integrated", title="ตรวจราชการแบบบูรณาการ",
                        units_notified_on=dt.date(2027, 5, 3), visit_starts_on=dt.date(2027, 5, 17), visit_ends_on=dt.date(2027, 5, 18))
    generate_calendar(office_a, 2570)
    r3 = {k for k in inspection_keys(office_a) if ":r3:" in k}
    assert r3 == {"2570:inspection:r3:visit", "2570:inspection:r3:notice", "2570:inspection:r3:tools", "2570:inspection:r3:forms-back"}
    visit = event(office_a, "2570:inspection:r3:visit")
    assert (visit.starts_on, visit.ends_on) == (dt.date(2027, 5, 17), dt.date(2027, 5, 18))
    assert "3/2570" in visit.title and visit.description == "ตรวจราชการแบบบูรณาการ"
    assert event(office_a, "2570:inspection:r3:notice").starts_on == dt.date(2027, 5, 3)
    # The yearly events are the regular rounds': a special round does not move them.
    assert event(office_a, "2570:inspection:r1:visit").starts_on.month == 2
    special.delete()
    result = generate_calendar(office_a, 2570)
    assert result.removed == 4 and not any(":r3:" in k for k in inspection_keys(office_a))


def test_round_2s_own_meeting_gets_its_own_event(office_a, planner_a):
    new_round(office_a, planner_a, **ROUND_1)
    new_round(office_a, planner_a, number=2, coordination_meeting_on=dt.date(2027, 6, 1), visit_starts_on=dt.date(2027, 8, 16),
              summary_meeting_on=dt.date(2027, 9, 21))
    generate_calendar(office_a, 2570)
    assert event(office_a, "2570:inspection:coordination-meeting").starts_on == dt.date(2026, 11, 16)  # round 1's
    assert event(office_a, "2570:inspection:r2:coordination-meeting").starts_on == dt.date(2027, 6, 1)
    assert event(office_a, "2570:inspection:summary-meeting").starts_on == dt.date(2027, 9, 21)  # round 2's
    assert event(office_a, "2570:inspection:r1:summary-meeting").starts_on == dt.date(2027, 9, 14)
    visit = event(office_a, "2570:inspection:r2:visit")
    assert visit.starts_on == visit.ends_on == dt.date(2027, 8, 16)


# --- the calendar list's hint ------------------------------------------------------------------


def test_hint_when_a_round_changed_after_the_last_generation(client, office_a, planner_a, viewer_a):
    url = reverse("calendar:list", args=[office_a.area_code]) + "?fy=2570"
    rnd = new_round(office_a, planner_a, **ROUND_1)
    client.force_login(planner_a)
    assert "inspection-rounds-changed" not in client.get(url).content.decode()  # never generated: nothing to compare
    generate(office_a, by=planner_a)
    assert inspection_rounds_changed(office_a, 2570) == []
    assert "inspection-rounds-changed" not in client.get(url).content.decode()

    with at(dt.date(2026, 11, 5)):
        inspections.update_round(rnd, by=planner_a, data={"visit_starts_on": dt.date(2027, 2, 22), "visit_ends_on": dt.date(2027, 2, 24)},
                                 confirm=True)
    assert [r.pk for r in inspection_rounds_changed(office_a, 2570)] == [rnd.pk]
    page = client.get(url).content.decode()
    assert 'id="inspection-rounds-changed"' in page
    assert reverse("inspections:round", args=[office_a.area_code, rnd.pk]) in page
    client.force_login(viewer_a)
    assert 'id="inspection-rounds-changed"' in client.get(url).content.decode()  # everyone reading the calendar sees it

    generate(office_a, dt.date(2026, 11, 6), by=planner_a)
    assert event(office_a, "2570:inspection:r1:visit").starts_on == dt.date(2027, 2, 22)
    assert 'id="inspection-rounds-changed"' not in client.get(url).content.decode()


def test_a_change_that_moves_no_date_is_taken_in_by_the_next_generation(office_a, planner_a):
    rnd = new_round(office_a, planner_a, **ROUND_1)
    generate(office_a)
    with at(dt.date(2026, 11, 5)):
        inspections.update_round(rnd, by=planner_a, data={"inspectors": "ผู้ตรวจราชการ (ข้อมูลสมมุติ)"}, confirm=True)
    assert inspection_rounds_changed(office_a, 2570)
    result = generate(office_a, dt.date(2026, 11, 6))
    assert result.updated == 0 and inspection_rounds_changed(office_a, 2570) == []


def test_dispatching_forms_shows_the_hint(office_a, planner_a):
    rnd = new_round(office_a, planner_a, **ROUND_1)
    with at(dt.date(2026, 10, 20)):
        inspections.add_question(rnd, by=planner_a, text="คำถาม", kind="text")
    generate(office_a)
    assert inspection_rounds_changed(office_a, 2570) == []
    dispatch(rnd, planner_a, day=dt.date(2026, 12, 21), due_on=dt.date(2027, 1, 29), schools=[SchoolFactory(office=office_a)])
    assert inspection_rounds_changed(office_a, 2570)


def test_the_list_page_cost_does_not_grow_with_rounds(client, office_a, planner_a, django_assert_max_num_queries):
    url = reverse("calendar:list", args=[office_a.area_code]) + "?fy=2570"
    new_round(office_a, planner_a, **ROUND_1)
    generate(office_a)
    client.force_login(planner_a)
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for number in (2, 3, 4):
        rnd = new_round(office_a, planner_a, number=number, visit_starts_on=dt.date(2027, 5, number))
        dispatch(rnd, planner_a, day=dt.date(2026, 12, 21), due_on=dt.date(2027, 1, 29), schools=[SchoolFactory(office=office_a)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert 'id="inspection-rounds-changed"' in page and "4/2570" in page
