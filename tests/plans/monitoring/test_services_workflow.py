"""The review workflow of a quarterly report and who may move it (issue 5, "Workflow")."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans.models import QuarterlyReport, ReportTransition
from plans.monitoring import services

from .conftest import fill, move

pytestmark = pytest.mark.django_db
S = QuarterlyReport.Status


def moves(report):
    return list(ReportTransition.objects.filter(report=report).order_by("id").values_list("from_status", "to_status", "by__username", "comment"))


def test_the_whole_workflow_is_recorded(draft, owner_a, planner_a, director_a, head_a):
    fill(draft, owner_a)
    services.submit_report(draft, by=owner_a)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.submitted_at is not None
    services.return_report(draft, by=planner_a, comment="ระบุจำนวนครูที่อบรมให้ครบ")
    fill(draft, owner_a, data={"outcomes": "ครูผ่านการอบรม 48 คน"})
    services.submit_report(draft, by=owner_a)
    services.return_report(draft, by=head_a, comment="แนบภาพกิจกรรม")
    services.submit_report(draft, by=owner_a)
    services.accept_report(draft, by=planner_a)
    services.approve_report(draft, by=director_a)
    draft.refresh_from_db()
    assert draft.status == S.APPROVED and draft.outcomes == "ครูผ่านการอบรม 48 คน"
    assert moves(draft) == [
        ("", "draft", "owner_a", ""),
        ("draft", "submitted", "owner_a", ""),
        ("submitted", "returned", "planner_a", "ระบุจำนวนครูที่อบรมให้ครบ"),
        ("returned", "submitted", "owner_a", ""),
        ("submitted", "returned", "head_a", "แนบภาพกิจกรรม"),
        ("returned", "submitted", "owner_a", ""),
        ("submitted", "accepted", "planner_a", ""),
        ("accepted", "approved", "director_a", ""),
    ]


def test_every_move_raises_the_version(draft, owner_a, planner_a):
    v = draft.version
    services.submit_report(draft, by=owner_a)
    draft.refresh_from_db()
    assert draft.version == v + 1


@pytest.mark.parametrize("who", ["other_owner_a", "planner_a", "director_a", "viewer_a", "head_a"])
def test_only_the_owner_submits(request, draft, who):
    with pytest.raises(PermissionDenied):
        services.submit_report(draft, by=request.getfixturevalue(who))
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_head_of_another_division_may_not_return(draft, owner_a, head_other):
    services.submit_report(draft, by=owner_a)
    with pytest.raises(PermissionDenied):
        services.return_report(draft, by=head_other, comment="แก้ไข")
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.transitions.count() == 2


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_needs_a_comment(draft, owner_a, planner_a, comment):
    services.submit_report(draft, by=owner_a)
    with pytest.raises(ValidationError) as exc:
        services.return_report(draft, by=planner_a, comment=comment)
    assert exc.value.code == "comment"
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_an_accepted_report_can_still_be_returned(draft, owner_a, planner_a, director_a):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    services.return_report(draft, by=planner_a, comment="ตัวเลขงบไม่ตรงกับทะเบียนคุม")
    draft.refresh_from_db()
    assert draft.status == S.RETURNED


@pytest.mark.parametrize("who", ["head_a", "director_a", "owner_a"])
def test_only_the_plan_officer_accepts(request, draft, owner_a, who):
    services.submit_report(draft, by=owner_a)
    with pytest.raises(PermissionDenied):
        services.accept_report(draft, by=request.getfixturevalue(who))


@pytest.mark.parametrize("who", ["owner_a", "planner_a", "head_a"])
def test_only_the_director_approves(request, draft, owner_a, planner_a, director_a, who):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    with pytest.raises(PermissionDenied):
        services.approve_report(draft, by=request.getfixturevalue(who))
    draft.refresh_from_db()
    assert draft.status == S.ACCEPTED


def test_a_submitted_report_is_accepted_before_approval(draft, owner_a, director_a):
    services.submit_report(draft, by=owner_a)
    with pytest.raises(ValidationError) as exc:
        services.approve_report(draft, by=director_a)
    assert exc.value.code == "state"


def test_an_approved_report_is_locked(draft, owner_a, planner_a, director_a, head_a):
    fill(draft, owner_a)
    move(draft, "approved", owner=owner_a, planner=planner_a, director=director_a)
    before = draft.version
    with pytest.raises(ValidationError) as exc:
        fill(draft, owner_a, data={"progress": 90})
    assert exc.value.code == "locked"
    with pytest.raises(ValidationError) as exc:
        fill(draft, planner_a, data={"progress": 90})
    assert exc.value.code == "locked"
    with pytest.raises(ValidationError) as exc:
        services.submit_report(draft, by=owner_a)
    assert exc.value.code == "state"
    with pytest.raises(ValidationError) as exc:
        services.return_report(draft, by=head_a, comment="แก้")
    assert exc.value.code == "state"
    draft.refresh_from_db()
    assert draft.status == S.APPROVED and draft.progress == 40 and draft.version == before


def test_reopening_needs_a_reason_and_is_recorded(draft, owner_a, planner_a, director_a):
    move(draft, "approved", owner=owner_a, planner=planner_a, director=director_a)
    with pytest.raises(ValidationError) as exc:
        services.reopen_report(draft, by=director_a, reason=" ")
    assert exc.value.code == "reason"
    with pytest.raises(PermissionDenied):
        services.reopen_report(draft, by=owner_a, reason="แก้ตัวเลข")
    services.reopen_report(draft, by=director_a, reason="สตง. ขอให้แก้ยอดเบิกจ่าย")
    draft.refresh_from_db()
    assert draft.status == S.RETURNED
    assert moves(draft)[-1] == ("approved", "returned", "director_a", "สตง. ขอให้แก้ยอดเบิกจ่าย")
    fill(draft, owner_a, data={"progress": 45})  # editable again
    services.submit_report(draft, by=owner_a)


def test_bulk_approval_says_what_happened_to_each(draft, owner_a, planner_a, director_a, other_project_a, other_owner_a):
    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    other = services.start_report(other_project_a, 1, by=other_owner_a)
    outcomes = services.approve_reports([draft, other], by=director_a)
    assert [(o.report.pk, o.ok) for o in outcomes] == [(draft.pk, True), (other.pk, False)]
    assert outcomes[1].message
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status == S.APPROVED and other.status == S.DRAFT


def test_allowed_actions_follow_the_roles(draft, owner_a, planner_a, director_a, head_a, head_other, viewer_a):
    assert services.allowed_actions(owner_a, draft) == {"submit"}
    services.submit_report(draft, by=owner_a)
    draft.refresh_from_db()
    assert services.allowed_actions(planner_a, draft) == {"return", "accept"}
    assert services.allowed_actions(head_a, draft) == {"return"}
    assert services.allowed_actions(head_other, draft) == set()
    assert services.allowed_actions(viewer_a, draft) == set()
    assert services.allowed_actions(director_a, draft) == set()  # not accepted yet
    services.accept_report(draft, by=planner_a)
    draft.refresh_from_db()
    assert services.allowed_actions(director_a, draft) == {"approve", "return"}  # returns instead of approving
    services.approve_report(draft, by=director_a)
    draft.refresh_from_db()
    assert services.allowed_actions(director_a, draft) == {"reopen"}
    assert services.allowed_actions(owner_a, draft) == set()


def test_the_director_returns_an_accepted_report_instead_of_approving(draft, owner_a, planner_a, director_a):
    """docs/workflows.md: the director considers an accepted report (ผู้มีอำนาจพิจารณา) and may send it back."""
    from emes.notifications.models import Notification

    move(draft, "accepted", owner=owner_a, planner=planner_a, director=director_a)
    assert "return" in services.allowed_actions(director_a, draft) and "approve" in services.allowed_actions(director_a, draft)
    services.return_report(draft, by=director_a, comment="ตัวชี้วัดไม่ตรงกับแผน")
    draft.refresh_from_db()
    assert draft.status == S.RETURNED
    assert moves(draft)[-1] == ("accepted", "returned", "director_a", "ตัวชี้วัดไม่ตรงกับแผน")
    told = Notification.objects.filter(kind="returned").values_list("user__username", flat=True)
    assert sorted(told) == ["owner_a", "planner_a"]  # the owner and the plan officer who accepted it, once each


def test_the_director_does_not_return_a_report_not_yet_accepted(draft, owner_a, director_a):
    services.submit_report(draft, by=owner_a)
    draft.refresh_from_db()
    assert "return" not in services.allowed_actions(director_a, draft)
    with pytest.raises(ValidationError):
        services.return_report(draft, by=director_a, comment="แก้ไข")
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
