"""A report's own admin page (issue 17, "The admin for the director"): approve / return buttons with a confirming
step, BE dates, money with separators, history rows with Thai status names and people's names."""
from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import fill, move
from .test_admin import staff

pytestmark = pytest.mark.django_db


def change_url(report):
    return reverse("admin:plans_quarterlyreport_change", args=[report.pk])


def decide_url(report, action):
    return reverse("admin:plans_quarterlyreport_decide", args=[report.pk, action])


def test_director_approves_from_the_reports_own_page(client, director_a, planner_a, owner_a, draft):
    fill(draft, owner_a)
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    owner_a.first_name, owner_a.last_name = "สมชาย", "เจ้าของ"
    owner_a.save()
    client.force_login(staff(director_a))
    page = client.get(change_url(draft)).content.decode()
    # The director approves an accepted report, or returns it instead (docs/workflows.md, plans.access.can_return).
    assert f'href="{decide_url(draft, "approve")}"' in page and f'href="{decide_url(draft, "return")}"' in page
    # BE dates, grouped money, Thai statuses and names in the history.
    assert "2569" in page and "60,000.00" in page and "50,000.00" in page
    assert "ส่งแล้ว → ตรวจรับแล้ว" in page and "สมชาย เจ้าของ" in page and "draft → submitted" not in page
    asked = client.get(decide_url(draft, "approve"))
    assert asked.status_code == 200 and 'id="confirm-decision"' in asked.content.decode()
    draft.refresh_from_db()
    assert draft.status == "accepted"  # asking changes nothing
    response = client.post(decide_url(draft, "approve"), {"comment": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.transitions.last().by == director_a


def test_return_needs_the_comment_and_others_may_not_decide(client, director_a, planner_a, owner_a, viewer_a, draft):
    move(draft, "submitted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(planner_a))
    assert f'href="{decide_url(draft, "return")}"' in client.get(change_url(draft)).content.decode()
    assert client.post(decide_url(draft, "return"), {"comment": ""}).status_code == 200
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert client.post(decide_url(draft, "return"), {"comment": "แนบภาพกิจกรรม"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "returned"
    # Not accepted yet: the director has nothing to approve here.
    client.force_login(staff(director_a))
    assert client.get(decide_url(draft, "approve")).status_code == 403


def test_director_returns_an_accepted_report_from_its_own_page(client, director_a, planner_a, owner_a, draft):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(director_a))
    assert client.post(decide_url(draft, "return"), {"comment": ""}).status_code == 200  # the comment is required
    draft.refresh_from_db()
    assert draft.status == "accepted"
    assert client.post(decide_url(draft, "return"), {"comment": "ตัวชี้วัดไม่ตรงกับแผน"}).status_code == 302
    draft.refresh_from_db()
    last = draft.transitions.last()
    assert draft.status == "returned" and (last.from_status, last.by, last.comment) == ("accepted", director_a, "ตัวชี้วัดไม่ตรงกับแผน")
