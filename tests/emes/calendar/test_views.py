"""The calendar pages per role, their actions, and their cost (fixed number of queries)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from emes.calendar.models import CalendarEvent
from emes.calendar.services import generate_calendar
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
CAST = ["planner_a", "director_a", "viewer_a", "supervisor_a", "head_1", "owner_1", "school_user_a", "outsider_b", "school_user_b"]
#: Who may read is decided in tests/test_permission_matrix.py (calendar:*); here, who may write and what it changes.
READ = {"planner_a": 200, "director_a": 200, "viewer_a": 200, "supervisor_a": 200, "head_1": 200, "owner_1": 200,
        "school_user_a": 403, "outsider_b": 404, "school_user_b": 404}
WRITE = {**READ, "director_a": 403, "viewer_a": 403, "supervisor_a": 403, "head_1": 403, "owner_1": 403}


@pytest.fixture
def calendar_2570(office_a):
    generate_calendar(office_a, 2570)
    return CalendarEvent.objects.filter(office=office_a)


@pytest.mark.parametrize("who", CAST)
def test_writes_per_role(client, request, office_a, calendar_2570, who):
    client.force_login(request.getfixturevalue(who))
    event = calendar_2570.get(generated_key="2570:inspection:r1:visit")
    code = office_a.area_code
    expected_post = 302 if who == "planner_a" else WRITE[who]
    assert client.get(reverse("calendar:event-add", args=[code]) + "?fy=2570").status_code == WRITE[who]
    assert client.get(reverse("calendar:event-edit", args=[code, event.pk])).status_code == WRITE[who]
    assert client.post(reverse("calendar:event-cancel", args=[code, event.pk])).status_code == expected_post
    assert client.post(reverse("calendar:generate", args=[code]), {"fy": "2570"}).status_code == expected_post
    event.refresh_from_db()
    assert event.is_cancelled == (who == "planner_a")


def test_another_offices_event_is_404_even_for_a_plan_officer(client, office_a, office_b, planner_a, outsider_b):
    generate_calendar(office_b, 2570)
    theirs = CalendarEvent.objects.filter(office=office_b).first()
    client.force_login(planner_a)
    assert client.get(reverse("calendar:event-edit", args=[office_a.area_code, theirs.pk])).status_code == 404
    assert client.post(reverse("calendar:event-cancel", args=[office_a.area_code, theirs.pk])).status_code == 404


def test_month_page_shows_thai_month_weekdays_holidays_and_chips(client, office_a, planner_a, calendar_2570):
    client.force_login(planner_a)
    html = client.get(reverse("calendar:month", args=[office_a.area_code]) + "?year=2570&month=1").content.decode()
    assert "มกราคม 2570" in html
    for day in ("อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"):
        assert f">{day}</th>" in html
    assert "วันขึ้นปีใหม่" in html  # public holiday of 1 January 2027
    assert "กำหนดส่งรายงานผลการดำเนินงานโครงการ ไตรมาส 1/2570" in html
    assert 'data-date="2027-01-08"' in html
    assert "?year=2569&month=12" in html and "?year=2570&month=2" in html  # previous / next month


def test_month_page_refuses_a_ce_year_with_the_hint_and_defaults_to_today(client, office_a, planner_a, calendar_2570, today):
    client.force_login(planner_a)
    html = client.get(reverse("calendar:month", args=[office_a.area_code]) + "?year=2027&month=1").content.decode()
    assert "พฤศจิกายน 2569" in html and "ปี 2027 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2570)" in html
    html = client.get(reverse("calendar:month", args=[office_a.area_code]) + "?year=abc").content.decode()
    assert "พฤศจิกายน 2569" in html


def test_list_page_badges_and_generate_message(client, office_a, planner_a, calendar_2570, eager_celery, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    event = calendar_2570.get(generated_key="2570:inspection:r1:visit")
    client.post(reverse("calendar:event-edit", args=[office_a.area_code, event.pk]), {
        "title": event.title, "kind": event.kind, "audience": event.audience, "starts_on": "15/2/2570", "ends_on": "17/2/2570",
        "description": "", "gantt_row": "", "rule": event.rule,
    })
    with django_capture_on_commit_callbacks(execute=True):  # the generation job runs (eager) once the request commits
        response = client.post(reverse("calendar:generate", args=[office_a.area_code]), {"fy": "2570"}, follow=True)
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "สร้างปฏิทินปีงบประมาณ 2570 แล้ว: เพิ่มใหม่ 0" in html and "คงไว้ตามที่แก้ไขหรือยกเลิกเอง 1" in html
    assert "แก้ไขเอง" in html and "15 กุมภาพันธ์ 2570 – 17 กุมภาพันธ์ 2570" in html
    assert html.index("ตุลาคม 2569") < html.index("มกราคม 2570") < html.index("กันยายน 2570")


def test_edit_form_takes_be_dates_and_shows_errors_by_field(client, office_a, planner_a, calendar_2570):
    client.force_login(planner_a)
    event = calendar_2570.get(generated_key="2570:quarterly-report:q1")
    url = reverse("calendar:event-edit", args=[office_a.area_code, event.pk])
    assert 'value="08/01/2570"' in client.get(url).content.decode()
    base = {"title": event.title, "kind": event.kind, "audience": event.audience, "description": "", "gantt_row": "", "rule": ""}
    for starts, ends, text in [("8/1/2027", "8/1/2570", "ปี 2027 ดูเหมือนเป็น ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2570"), ("2570", "8/1/2570", "2570 เป็นเพียงปี กรุณาพิมพ์วันที่เต็มเป็น วัน/เดือน/ปี พ.ศ. เช่น 8/1/2570"),
                               ("12/1/2570", "8/1/2570", "อยู่ก่อนวันเริ่มต้น"), ("8/1/2571", "8/1/2571", "อยู่นอกปีงบประมาณ 2570")]:
        response = client.post(url, {**base, "starts_on": starts, "ends_on": ends})
        assert response.status_code == 400 and text in response.content.decode(), text
    event.refresh_from_db()
    assert event.starts_on == dt.date(2027, 1, 8) and not event.is_edited


def test_add_event_page(client, office_a, planner_a):
    client.force_login(planner_a)
    url = reverse("calendar:event-add", args=[office_a.area_code]) + "?fy=2570"
    response = client.post(url, {"fy": "2570", "title": "อบรมการใช้ระบบ EMES", "kind": "other", "audience": "staff",
                                 "starts_on": "1/12/2569", "ends_on": "2/12/2569", "gantt_row": "", "rule": "", "description": ""})
    assert response.status_code == 302 and response.url.endswith("?fy=2570")
    event = CalendarEvent.objects.get()
    assert (event.fiscal_year, event.starts_on, event.ends_on) == (2570, dt.date(2026, 12, 1), dt.date(2026, 12, 2))


def test_gantt_has_the_unit_rows_and_months_with_be_years(client, office_a, viewer_a, calendar_2570):
    client.force_login(viewer_a)
    html = client.get(reverse("calendar:gantt", args=[office_a.area_code]) + "?fy=2570").content.decode()
    assert html.index("การรายงานผลผ่านระบบ e-MES") < html.index("การพัฒนาระบบติดตามและประเมินผล")
    assert "ต.ค.<span class=\"year\">2569</span>" in html and "ก.ย.<span class=\"year\">2570</span>" in html
    assert html.count('class="bar on"') == 2 + 4 + 2 + 4 + 3 + 4
    assert "media print" not in html and "calendar.css" in html


def _more_events(office, n):
    for i in range(n):
        CalendarEvent.objects.create(office=office, fiscal_year=2570, kind="unit_task", title=f"งาน {i}", gantt_row=f"แถว {i % 7}",
                                     starts_on=dt.date(2027, 1, 1 + i % 28), ends_on=dt.date(2027, 1, 1 + i % 28), audience="mne")


@pytest.mark.parametrize("name, query", [("calendar:month", "?year=2570&month=1"), ("calendar:list", "?fy=2570"), ("calendar:gantt", "?fy=2570")])
def test_query_count_does_not_grow_with_events(client, office_a, planner_a, calendar_2570, django_assert_max_num_queries, name, query):
    client.force_login(planner_a)
    url = reverse(name, args=[office_a.area_code]) + query
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _more_events(office_a, 120)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_feed_info_and_reset(client, planner_a):
    client.force_login(planner_a)
    html = client.get(reverse("calendar:feed-info")).content.decode()
    token = planner_a.calendar_feed.token
    assert f"/calendar/feed/{token}.ics" in html and "คัดลอก" in html
    response = client.post(reverse("calendar:feed-reset"))
    assert response.status_code == 302
    planner_a.calendar_feed.refresh_from_db()
    assert planner_a.calendar_feed.token != token
    assert client.get(reverse("calendar:feed", args=[token])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[planner_a.calendar_feed.token])).status_code == 200
    assert client.get(reverse("calendar:feed-reset")).status_code == 405


def test_school_accounts_have_a_feed_page(client, school_user_a, outsider_b):
    for user in (school_user_a, outsider_b):
        client.force_login(user)
        assert client.get(reverse("calendar:feed-info")).status_code == 200


def test_projects_do_not_change_the_page_cost(client, office_a, owner_1, django_assert_max_num_queries, division_1):
    ProjectFactory(office=office_a, fiscal_year=2570, owner=owner_1, division=division_1)
    client.force_login(owner_1)
    url = reverse("calendar:list", args=[office_a.area_code]) + "?fy=2570"
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(10):
        ProjectFactory(office=office_a, fiscal_year=2570, owner=owner_1, division=division_1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
