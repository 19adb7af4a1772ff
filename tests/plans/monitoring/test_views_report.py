"""The report page: who reads it, the due date in BE, lateness in working days, history and evidence."""
from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from plans.monitoring import services

from .conftest import fill, move

pytestmark = pytest.mark.django_db


def url(project, quarter=1, area_code=None):
    return reverse("plans:report", args=[area_code or project.office.area_code, project.pk, quarter])


def test_staff_read_the_report(client, viewer_a, draft, owner_a, planner_a):
    fill(draft, owner_a)
    services.submit_report(draft, by=owner_a)
    services.return_report(draft, by=planner_a, comment="แนบภาพกิจกรรมด้วย")
    client.force_login(viewer_a)
    page = client.get(url(draft.project))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ครูผ่านการอบรม 45 คน" in html and "งบประมาณโอนล่าช้า" in html
    assert "แนบภาพกิจกรรมด้วย" in html  # the history with the comment
    assert "9 มกราคม 2569" in html  # due date in BE: Friday 9 January 2026
    assert 'id="edit-report"' not in html and 'id="submit-report"' not in html


def test_a_late_submission_shows_its_working_days(client, viewer_a, draft, owner_a):
    services.submit_report(draft, by=owner_a)  # 20 January 2026: 12, 13, 14, 15, 16, 19, 20 January
    client.force_login(viewer_a)
    page = client.get(url(draft.project)).content.decode()
    assert 'id="lateness" data-days="7"' in page
    assert "ส่งช้า 7 วันทำการ" in page


def test_a_missing_report_is_overdue(client, viewer_a, project_a):
    client.force_login(viewer_a)
    page = client.get(url(project_a)).content.decode()
    assert 'id="not-started"' in page and 'data-days="7"' in page and "เลยกำหนด 7 วันทำการ" in page


def test_an_on_time_submission(client, viewer_a, project_a, owner_a):
    with time_machine.travel("2026-01-09 16:00 +0700", tick=False):
        report = services.start_report(project_a, 1, by=owner_a)
        services.submit_report(report, by=owner_a)
    client.force_login(viewer_a)
    page = client.get(url(project_a)).content.decode()
    assert 'data-days="0"' in page and "ส่งตรงเวลา" in page


def test_the_owner_sees_start_and_submit(client, owner_a, project_a):
    client.force_login(owner_a)
    page = client.get(url(project_a, 2)).content.decode()
    assert 'id="edit-report"' in page  # Q2 started on 1 January 2026
    page = client.get(url(project_a, 3)).content.decode()
    assert 'id="edit-report"' not in page and "1 เมษายน 2569" in page  # Q3 not yet


def test_buttons_follow_the_role(client, draft, owner_a, planner_a, director_a, head_a):
    services.submit_report(draft, by=owner_a)
    client.force_login(planner_a)
    page = client.get(url(draft.project)).content.decode()
    assert 'id="accept-report"' in page and 'id="return-form"' in page
    client.force_login(head_a)
    page = client.get(url(draft.project)).content.decode()
    assert 'id="accept-report"' not in page and 'id="return-form"' in page
    services.accept_report(draft, by=planner_a)
    client.force_login(director_a)
    assert 'id="approve-report"' in client.get(url(draft.project)).content.decode()


@pytest.mark.parametrize("who", ["outsider_b", "school_account_a"])
def test_outsiders_and_schools_get_404(request, client, draft, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(draft.project)).status_code == 404


def test_another_offices_project_by_url_tampering(client, owner_a, project_b, draft):
    client.force_login(owner_a)
    before = project_b.reports.count()
    assert client.get(url(project_b, area_code="9901")).status_code == 404
    assert client.get(url(project_b)).status_code == 404
    assert client.get(reverse("plans:report-edit", args=["9902", project_b.pk, 1])).status_code == 404
    assert client.post(reverse("plans:report-edit", args=["9901", project_b.pk, 1]), {"progress": 5}).status_code == 404
    assert client.get(url(draft.project, area_code="9902")).status_code == 404  # the office must match
    assert project_b.reports.count() == before


def test_quarter_out_of_range_is_404(client, viewer_a, project_a):
    client.force_login(viewer_a)
    assert client.get(url(project_a, 5)).status_code == 404


def test_anonymous_goes_to_login(client, draft):
    page = client.get(url(draft.project))
    assert page.status_code == 302 and "login" in page["Location"]


def test_approved_report_shows_reopen_to_director(client, draft, owner_a, planner_a, director_a):
    move(draft, "approved", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(director_a)
    page = client.get(url(draft.project)).content.decode()
    assert 'id="reopen-form"' in page and 'id="approve-report"' not in page
    client.force_login(owner_a)
    page = client.get(url(draft.project)).content.decode()
    assert 'id="edit-report"' not in page


def test_query_count_does_not_grow_with_history(client, viewer_a, draft, owner_a, planner_a, django_assert_max_num_queries):
    for _ in range(5):
        services.submit_report(draft, by=owner_a)
        services.return_report(draft, by=planner_a, comment="แก้")
    client.force_login(viewer_a)
    with django_assert_max_num_queries(25):
        assert client.get(url(draft.project)).status_code == 200
