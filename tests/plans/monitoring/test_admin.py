"""The director approves accepted reports in the Django admin with the same service; nobody else can; rows are read-only."""
from __future__ import annotations

import pytest
from django.urls import reverse

from emes.services import ensure_office_admin_group
from tests.admin_actions import ask, assert_asks, run_action

from .conftest import move

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:plans_quarterlyreport_changelist"


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(ensure_office_admin_group())
    return user


def act(client, report):
    """Approve in the admin as a user does: "Go", then the confirmation page's button (issue 17)."""
    return run_action(client, reverse(CHANGELIST), "approve_selected_reports", [report.pk])


def test_director_approves_in_the_admin(client, director_a, planner_a, owner_a, draft):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(director_a))
    page = act(client, draft)
    assert page.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "approved"
    last = draft.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("accepted", "approved", director_a)


def test_a_report_not_accepted_is_refused_with_a_message(client, director_a, owner_a, draft):
    move(draft, "submitted", owner=owner_a, planner=None, director=None)
    client.force_login(staff(director_a))
    page = act(client, draft)
    assert "อนุมัติรายงานนี้ในขณะนี้ไม่ได้" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_plan_officer_has_no_approve_action(client, planner_a, director_a, owner_a, draft):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(planner_a))
    assert "approve_selected_reports" not in client.get(reverse(CHANGELIST)).content.decode()
    act(client, draft)
    draft.refresh_from_db()
    assert draft.status == "accepted"


def test_the_change_page_is_read_only_with_history(client, director_a, owner_a, planner_a, draft):
    move(draft, "submitted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(director_a))
    page = client.get(reverse("admin:plans_quarterlyreport_change", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="progress"' not in html
    client.post(reverse("admin:plans_quarterlyreport_change", args=[draft.pk]), {"status": "approved", "progress": 99})
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_go_only_asks_with_what_will_happen_and_the_reports(client, director_a, planner_a, owner_a, draft, mailoutbox):
    """Issue 17 in the admin: "Go" shows the count, the reports and the consequence; nothing is approved or sent."""
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(staff(director_a))
    before, sent = draft.transitions.count(), len(mailoutbox)
    url = reverse(CHANGELIST)
    page = ask(client, url, "approve_selected_reports", [draft.pk])
    assert_asks(page, url, "approve_selected_reports", [draft.pk], "อนุมัติรายงาน 1 รายงานหรือไม่", "แต่ละรายงานจะถูกล็อก",
                "รายการที่เลือก 1 รายการ", str(draft), "ยืนยันอนุมัติ 1 รายงาน")
    draft.refresh_from_db()
    assert draft.status == "accepted" and draft.transitions.count() == before and len(mailoutbox) == sent
