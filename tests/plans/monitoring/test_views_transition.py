"""The transition endpoint: each move by its role; refusals as messages (illegal) or 403 (role)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import move, snapshot

pytestmark = pytest.mark.django_db


def post(client, report, **data):
    return client.post(reverse("plans:report-transition", args=[report.project.office.area_code, report.project.pk, report.quarter]), data,
                       follow=True)


def test_owner_submits_planner_returns_and_accepts_director_approves(client, draft, owner_a, planner_a, director_a):
    client.force_login(owner_a)
    post(client, draft, action="submit")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    client.force_login(planner_a)
    page = post(client, draft, action="return", comment="")
    assert "ต้องมีความเห็น" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"
    post(client, draft, action="return", comment="แก้ผลตัวชี้วัด")
    draft.refresh_from_db()
    assert draft.status == "returned" and draft.transitions.last().comment == "แก้ผลตัวชี้วัด"
    client.force_login(owner_a)
    post(client, draft, action="submit")
    client.force_login(planner_a)
    post(client, draft, action="accept", confirm="yes")
    client.force_login(director_a)
    page = post(client, draft, action="approve", confirm="yes")
    draft.refresh_from_db()
    assert draft.status == "approved" and "อนุมัติรายงานแล้ว" in page.content.decode()


def test_owner_may_not_approve(client, draft, owner_a, planner_a, director_a):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(owner_a)
    before = snapshot(draft)
    assert post(client, draft, action="approve").status_code == 403
    assert snapshot(draft) == before


def test_head_of_another_division_gets_403(client, draft, owner_a, head_other):
    move(draft, "submitted", owner=owner_a, planner=None, director=None)
    client.force_login(head_other)
    before = snapshot(draft)
    assert post(client, draft, action="return", comment="แก้").status_code == 403
    assert snapshot(draft) == before


def test_head_of_the_division_returns(client, draft, owner_a, head_a):
    move(draft, "submitted", owner=owner_a, planner=None, director=None)
    client.force_login(head_a)
    post(client, draft, action="return", comment="เพิ่มภาพกิจกรรม")
    draft.refresh_from_db()
    assert draft.status == "returned"


def test_reopen_with_reason(client, draft, owner_a, planner_a, director_a):
    move(draft, "approved", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(planner_a)
    post(client, draft, action="reopen", reason="")
    draft.refresh_from_db()
    assert draft.status == "approved"
    post(client, draft, action="reopen", reason="แก้ยอดเบิกจ่ายตามทะเบียนคุม", confirm="yes")
    draft.refresh_from_db()
    assert draft.status == "returned" and draft.transitions.last().comment == "แก้ยอดเบิกจ่ายตามทะเบียนคุม"


def test_unknown_action_is_400(client, draft, owner_a):
    client.force_login(owner_a)
    assert post(client, draft, action="delete").status_code == 400


def test_outsider_gets_404(client, draft, outsider_b, school_account_a):
    for user in (outsider_b, school_account_a):
        client.force_login(user)
        assert post(client, draft, action="submit").status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_no_report_yet_is_404(client, project_a, owner_a):
    client.force_login(owner_a)
    page = client.post(reverse("plans:report-transition", args=["9901", project_a.pk, 2]), {"action": "submit"})
    assert page.status_code == 404


@pytest.mark.parametrize("action,to,extra", [("accept", "submitted", {}), ("approve", "accepted", {}), ("reopen", "approved", {"reason": "แก้ยอด"})])
def test_official_moves_ask_for_confirmation_first(client, draft, owner_a, planner_a, director_a, action, to, extra):
    move(draft, to, owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(director_a if action == "approve" else planner_a)
    before = snapshot(draft)
    page = post(client, draft, action=action, **extra)
    html = page.content.decode()
    # The first click only shows what will happen, with the same request behind a confirming button.
    assert page.status_code == 200 and 'id="confirm-step"' in html and draft.project.code in html
    assert 'name="confirm" value="yes"' in html and f'name="action" value="{action}"' in html
    assert snapshot(draft) == before
