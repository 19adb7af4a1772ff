"""The approval box: the plan officer submits and opens amendments, the director approves or returns;
every move is recorded; an illegal move changes nothing and says why."""
from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plans.models import ActionPlan, PlanTransition

pytestmark = pytest.mark.django_db
Status = ActionPlan.Status


def post(client, office, data):
    return client.post(reverse("plans:plan-transition", args=[office.area_code, 2569]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_submit_approve_by_the_page_records_who_when_from_to_comment(client, office_a, planner_a, director_a, draft_plan):
    client.force_login(planner_a)
    response = post(client, office_a, {"action": "submit", "comment": "เสนอพิจารณา"})
    assert response.status_code == 302 and response.url == reverse("plans:plan", args=[office_a.area_code, 2569])
    client.force_login(director_a)
    page = client.get(response.url).content.decode()
    assert 'id="decide-form"' in page
    response = post(client, office_a, {"action": "approve", "comment": "อนุมัติ"})
    assert response.status_code == 200 and 'id="confirm-step"' in response.content.decode()  # asked first, nothing done
    assert ActionPlan.objects.get(pk=draft_plan.pk).status == Status.SUBMITTED
    response = post(client, office_a, {"action": "approve", "comment": "อนุมัติ", "confirm": "yes"})
    assert response.status_code == 302
    plan = ActionPlan.objects.get(pk=draft_plan.pk)
    assert plan.status == Status.APPROVED and plan.approved_by == director_a and plan.snapshot["projects"]
    moves = list(PlanTransition.objects.filter(plan=plan).order_by("at", "id").values_list("from_status", "to_status", "by__username", "comment"))
    assert moves == [
        ("", "draft", "planner_a", ""),
        ("draft", "submitted", "planner_a", "เสนอพิจารณา"),
        ("submitted", "approved", "director_a", "อนุมัติ"),
    ]
    assert all(t.at is not None for t in PlanTransition.objects.filter(plan=plan))
    page = client.get(response.url).content.decode()
    assert "เสนอพิจารณา" in page and 'data-to="approved"' in page


def test_the_director_returns_with_a_comment(client, office_a, director_a, draft_plan):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.SUBMITTED)
    client.force_login(director_a)
    response = post(client, office_a, {"action": "return", "comment": "ปรับงบประมาณโครงการ 69-001"})
    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=draft_plan.pk).status == Status.DRAFT
    last = PlanTransition.objects.filter(plan=draft_plan).latest("id")
    assert (last.from_status, last.to_status, last.by, last.comment) == ("submitted", "draft", director_a, "ปรับงบประมาณโครงการ 69-001")


def test_returning_without_a_comment_changes_nothing_and_says_why(client, office_a, director_a, draft_plan):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.SUBMITTED)
    before = PlanTransition.objects.count()
    client.force_login(director_a)
    response = post(client, office_a, {"action": "return", "comment": "  "})
    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=draft_plan.pk).status == Status.SUBMITTED
    assert PlanTransition.objects.count() == before
    assert messages_of(response)  # the service's refusal, shown on the overview


@pytest.mark.parametrize("action,status", [("approve", Status.DRAFT), ("submit", Status.APPROVED), ("amend", Status.DRAFT), ("return", Status.APPROVED)])
def test_an_illegal_move_leaves_the_database_unchanged_with_a_message(client, office_a, planner_a, director_a, draft_plan, action, status):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=status)
    before = (list(ActionPlan.objects.values_list("pk", "version", "status")), PlanTransition.objects.count())
    client.force_login(director_a if action in ("approve", "return") else planner_a)
    response = post(client, office_a, {"action": action, "comment": "x", "reason": "x"})
    assert response.status_code == 302
    assert (list(ActionPlan.objects.values_list("pk", "version", "status")), PlanTransition.objects.count()) == before
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"


@pytest.mark.parametrize("role,action,status", [
    ("viewer", "submit", 403), ("owner", "submit", 403), ("division_head", "submit", 403), ("director", "submit", 403),
    ("planner", "approve", 403), ("owner", "approve", 403), ("viewer", "return", 403),
    ("outsider", "submit", 404), ("school", "approve", 404), ("anonymous", "submit", 302),
])
def test_who_may_not_move_the_plan(client, users, office_a, draft_plan, role, action, status):
    if action in ("approve", "return"):
        ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.SUBMITTED)
    before = ActionPlan.objects.get(pk=draft_plan.pk).status
    if users[role] is not None:
        client.force_login(users[role])
    response = post(client, office_a, {"action": action, "comment": "ok"})
    assert response.status_code == status
    assert ActionPlan.objects.get(pk=draft_plan.pk).status == before


def test_amendment_needs_a_reason_and_opens_a_new_draft_version(client, office_a, planner_a, draft_plan):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.APPROVED, snapshot={"projects": []})
    client.force_login(planner_a)
    post(client, office_a, {"action": "amend", "reason": ""})
    assert ActionPlan.objects.filter(office=office_a).count() == 1
    post(client, office_a, {"action": "amend", "reason": "เพิ่มโครงการตามนโยบายใหม่"})
    current = ActionPlan.objects.current(office_a, 2569)
    assert (current.version, current.status, current.amendment_reason) == (2, Status.DRAFT, "เพิ่มโครงการตามนโยบายใหม่")
    assert ActionPlan.objects.get(pk=draft_plan.pk).status == Status.SUPERSEDED


def test_no_plan_yet_the_planner_is_told_others_refused(client, office_a, planner_a, viewer_a):
    client.force_login(planner_a)
    response = post(client, office_a, {"action": "submit"})
    assert response.status_code == 302 and messages_of(response)
    assert not ActionPlan.objects.exists()
    client.force_login(viewer_a)
    assert post(client, office_a, {"action": "submit"}).status_code == 403


def test_an_unknown_action_is_a_bad_request(client, office_a, planner_a, draft_plan):
    client.force_login(planner_a)
    assert post(client, office_a, {"action": "publish"}).status_code == 400


def test_get_is_not_allowed(client, office_a, planner_a):
    client.force_login(planner_a)
    assert client.get(reverse("plans:plan-transition", args=[office_a.area_code, 2569])).status_code == 405


def test_buttons_by_role(client, office_a, users, draft_plan):
    def forms(role):
        client.force_login(users[role])
        page = client.get(reverse("plans:plan", args=[office_a.area_code, 2569])).content.decode()
        return {f for f in ("submit-form", "amend-form", "decide-form") if f'id="{f}"' in page}

    assert forms("planner") == {"submit-form"}
    assert forms("director") == set() and forms("viewer") == set() and forms("owner") == set()
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.SUBMITTED)
    assert forms("director") == {"decide-form"} and forms("planner") == set()
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=Status.APPROVED)
    assert forms("planner") == {"amend-form"} and forms("director") == set()
