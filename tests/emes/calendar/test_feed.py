"""The per-user iCalendar feed: it parses back with ``icalendar`` and holds exactly the user's obligations."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from emes.calendar.models import CalendarEvent
from emes.calendar.services import feed_for, generate_calendar, toggle_cancelled
from plans.models import ActionPlan, QuarterlyReport
from tests.factories import ActionPlanFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = pytest.mark.django_db
Audience = CalendarEvent.Audience


def _feed(client, user):
    response = client.get(reverse("calendar:feed", args=[feed_for(user).token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _summaries(cal) -> list[str]:
    return [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]


def _office_events(office, audiences):
    return set(CalendarEvent.objects.filter(office=office, audience__in=audiences, is_cancelled=False).values_list("title", flat=True))


@pytest.fixture
def approved(office_a):
    return ActionPlanFactory(office=office_a, fiscal_year=2570, status=ActionPlan.Status.APPROVED)


@pytest.fixture
def year(office_a, office_b, today):
    generate_calendar(office_a, 2570)
    generate_calendar(office_b, 2570)
    CalendarEvent.objects.create(office=office_a, fiscal_year=2570, title="ช่วงส่งผลการประเมินของโรงเรียน", kind="literacy",
                                 audience=Audience.SCHOOLS, starts_on=dt.date(2026, 11, 2), ends_on=dt.date(2027, 2, 26))


def _personal(summaries) -> list[str]:
    return [s for s in summaries if s.startswith("รายงานผลไตรมาส")]


def test_project_owner_gets_staff_and_owner_events_and_what_they_owe_only(client, office_a, owner_1, projects, year, approved):
    cal = _feed(client, owner_1)
    summaries = _summaries(cal)
    # 19 November 2026: Q1/2570 runs, so its report is owed; Q2-Q4 are not owed yet (docs/obligations.md).
    assert _personal(summaries) == ["รายงานผลไตรมาสที่ 1/2570 ของโครงการ 70-001"]
    others = set(summaries) - set(_personal(summaries))
    assert others == _office_events(office_a, [Audience.STAFF, Audience.PROJECT_OWNERS])
    assert not any("70-002" in s or "70-003" in s for s in summaries)
    q1 = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("รายงานผลไตรมาสที่ 1/2570"))
    assert q1.decoded("DTSTART") == dt.date(2027, 1, 8) and q1.decoded("DTEND") == dt.date(2027, 1, 9)
    assert "ยังไม่เริ่ม" in str(q1["DESCRIPTION"])
    assert str(q1["UID"]) == f"emes-quarterly_report-project{projects[0].pk}-fy2570-q1@emes"
    QuarterlyReportFactory(project=projects[0], quarter=1, status=QuarterlyReport.Status.SUBMITTED)
    assert _personal(_summaries(_feed(client, owner_1))) == []  # submitted: no longer owed


def test_division_head_gets_the_divisions_projects(client, head_1, projects, year, approved):
    summaries = _summaries(_feed(client, head_1))
    codes = {s.split("ของโครงการ ")[1].split()[0] for s in _personal(summaries)}
    assert codes == {"70-001", "70-002"}


def test_a_plan_never_approved_owes_nothing(client, owner_1, projects, year):
    assert _personal(_summaries(_feed(client, owner_1))) == []


def test_plan_officer_gets_every_event_of_the_office_and_nothing_of_others(client, office_a, planner_a, year):
    cal = _feed(client, planner_a)
    assert set(_summaries(cal)) == set(CalendarEvent.objects.filter(office=office_a).values_list("title", flat=True))
    assert len(_summaries(cal)) == CalendarEvent.objects.filter(office=office_a).count()
    assert str(cal["X-WR-CALNAME"]).startswith("ปฏิทินติดตาม ประเมินผล และรายงานผล EMES")


def test_viewer_and_supervisor_get_staff_events(client, office_a, viewer_a, supervisor_a, year):
    for user in (viewer_a, supervisor_a):
        assert set(_summaries(_feed(client, user))) == _office_events(office_a, [Audience.STAFF])


def test_school_gets_school_events_and_literacy_windows(client, office_a, school_user_a, year):
    summaries = _summaries(_feed(client, school_user_a))
    assert summaries == ["ช่วงส่งผลการประเมินของโรงเรียน"]


def test_entries_are_all_day_with_stable_uids_and_cancelled_ones_leave(client, office_a, planner_a, year):
    first = _feed(client, planner_a)
    events = first.walk("VEVENT")
    assert all(isinstance(e.decoded("DTSTART"), dt.date) and not isinstance(e.decoded("DTSTART"), dt.datetime) for e in events)
    assert all("VALUE=DATE" in e["DTSTART"].to_ical().decode() or e["DTSTART"].params.get("VALUE") == "DATE" for e in events)
    assert all(e.get("DTSTAMP") for e in events)
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events)
    visit = CalendarEvent.objects.get(office=office_a, generated_key="2570:inspection:r1:visit")
    toggle_cancelled(visit, by=planner_a)
    again = {str(e["UID"]) for e in _feed(client, planner_a).walk("VEVENT")}
    assert again == uids - {f"emes-event-{visit.pk}@emes"}
    feed = planner_a.calendar_feed
    feed.refresh_from_db()
    assert feed.last_read_at is not None


def test_unknown_token_is_404_and_no_login_is_needed(client):
    assert client.get(reverse("calendar:feed", args=["not-a-token"])).status_code == 404


def test_feed_cost_is_fixed(client, office_a, owner_1, division_1, year, approved, django_assert_max_num_queries):
    ProjectFactory(office=office_a, fiscal_year=2570, owner=owner_1, division=division_1)
    url = reverse("calendar:feed", args=[feed_for(owner_1).token])
    # Two more than before issue 14: the feed now also reads the literacy and inspection obligations (one query each);
    # one more since issue 16: the evaluations the person is asked to answer.
    with django_assert_max_num_queries(13) as few:
        client.get(url)
    for _ in range(15):
        ProjectFactory(office=office_a, fiscal_year=2570, owner=owner_1, division=division_1)
    generate_calendar(office_a, 2569)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
