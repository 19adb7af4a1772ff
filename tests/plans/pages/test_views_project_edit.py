"""The project edit page: the plan officer edits all, an owner the details of their own project, only in a draft."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plans.models import ActionPlan, Activity, BudgetLine, Project

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("plans:project-edit", args=[project.office.area_code, project.pk])


def snapshot(project):
    p = Project.objects.get(pk=project.pk)
    return (
        {f.attname: getattr(p, f.attname) for f in Project._meta.concrete_fields},
        sorted(BudgetLine.objects.filter(project=p).values_list("source", "amount", "q1", "q2", "q3", "q4")),
        list(Activity.objects.filter(project=p).order_by("order").values_list("order", "name", "months", "budget")),
    )


def details(**overrides):
    data = {
        "rationale": "เหตุผลใหม่", "objectives": "วัตถุประสงค์ใหม่", "targets_quantity": "โรงเรียน 103 แห่ง",
        "targets_quality": "ร้อยละ 80", "responsible_people": "นายทดสอบ", "start_date": "1/10/2568", "end_date": "30/9/2569",
    }
    data.update(overrides)
    return data


def activities(rows):
    data = {"activities-TOTAL_FORMS": str(len(rows)), "activities-INITIAL_FORMS": "0", "activities-MIN_NUM_FORMS": "0", "activities-MAX_NUM_FORMS": "100"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"activities-{i}-{key}"] = value
    return data


def lines(rows):
    data = {"lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "3", "lines-MAX_NUM_FORMS": "3"}
    for i, source in enumerate(["obec", "area", "other"]):
        data[f"lines-{i}-source"] = source
        for key, value in rows.get(source, {}).items():
            data[f"lines-{i}-{key}"] = value
    return data


def plan_fields(project, **overrides):
    data = {"code": project.code, "name": project.name, "strategy": project.strategy_id, "division": project.division_id,
            "owner": project.owner_id or "", "budget": "0"}
    data.update(overrides)
    return data


TWO_ACTIVITIES = [
    {"order": "1", "name": "ประชุมวางแผน", "months": ["10", "11"], "budget": "20000", "responsible": "กลุ่มนโยบายและแผน"},
    {"order": "2", "name": "อบรมครู", "months": ["1"], "budget": "200000"},
]


@pytest.mark.parametrize("role,status", [("viewer", 403), ("division_head", 403), ("other_owner", 403), ("director", 403), ("outsider", 404)])
def test_who_may_not_post(client, users, project_a, draft_plan, role, status):
    before = snapshot(project_a)
    client.force_login(users[role])
    response = client.post(url(project_a), {**details(), **activities(TWO_ACTIVITIES)})
    assert response.status_code == status
    assert snapshot(project_a) == before


def test_owner_edits_own_details_in_a_draft(client, owner_a, project_a, draft_plan):
    client.force_login(owner_a)
    form = client.get(url(project_a)).context["form"]
    assert set(form.fields) == {"rationale", "objectives", "targets_quantity", "targets_quality", "responsible_people", "start_date", "end_date"}
    response = client.post(url(project_a), {**details(name="ชื่อที่ไม่ควรเปลี่ยน", budget="1"), **activities(TWO_ACTIVITIES)})
    assert response.status_code == 302 and response.url == reverse("plans:project", args=[project_a.office.area_code, project_a.pk])
    p = Project.objects.get(pk=project_a.pk)
    assert (p.objectives, p.start_date, p.end_date) == ("วัตถุประสงค์ใหม่", dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert (p.name, p.budget) == ("โครงการยกระดับการอ่าน", Decimal("300000.00"))  # not in the owner's form
    assert list(p.activities.values_list("name", "months")) == [("ประชุมวางแผน", [10, 11]), ("อบรมครู", [1])]


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_after_submission_editors_are_sent_back_with_a_message(client, owner_a, planner_a, project_a, draft_plan, status):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=status)
    before = snapshot(project_a)
    for user in (owner_a, planner_a):
        client.force_login(user)
        for response in (client.get(url(project_a)), client.post(url(project_a), {**details(), **activities(TWO_ACTIVITIES)})):
            assert response.status_code == 302
            assert response.url == reverse("plans:project", args=[project_a.office.area_code, project_a.pk])
            assert "error" in [m.level_tag for m in get_messages(response.wsgi_request)]
    assert snapshot(project_a) == before


def test_after_an_amendment_is_opened_the_owner_edits_again(client, owner_a, planner_a, project_a, draft_plan):
    from plans.services import open_amendment

    ActionPlan.objects.filter(pk=draft_plan.pk).update(status="approved")
    open_amendment(ActionPlan.objects.get(pk=draft_plan.pk), by=planner_a, reason="ปรับกิจกรรม")
    client.force_login(owner_a)
    assert client.get(url(project_a)).status_code == 200


def test_planner_edits_everything_with_budget_lines_and_activities(client, planner_a, project_a, draft_plan):
    client.force_login(planner_a)
    data = {
        **plan_fields(project_a, name="ชื่อใหม่", code="69-900"), **details(),
        **lines({"obec": {"amount": "150000", "q1": "50000", "q2": "50000", "q3": "25000", "q4": "25000"},
                 "other": {"amount": "90000", "q1": "0", "q2": "0", "q3": "90000", "q4": "0"}}),
        **activities(TWO_ACTIVITIES),
    }
    response = client.post(url(project_a), data)
    assert response.status_code == 302, response.context and response.context["problems"]
    p = Project.objects.get(pk=project_a.pk)
    assert (p.code, p.name, p.budget) == ("69-900", "ชื่อใหม่", Decimal("240000"))
    assert sorted(p.budget_lines.values_list("source", "amount")) == [("obec", Decimal("150000")), ("other", Decimal("90000"))]


@pytest.mark.parametrize("change,needle", [
    ({"lines": {"obec": {"amount": "150000", "q1": "50000", "q2": "0", "q3": "0", "q4": "0"}}}, "ไตรมาส"),
    ({"lines": {"obec": {"amount": "-5", "q1": "-5"}}}, "ติดลบ"),
    ({"lines": {"obec": {"amount": "1000", "q1": "1000"}}}, "เกินงบประมาณโครงการ"),  # activities 220,000 > 1,000
    ({"details": {"start_date": "1/10/2025"}}, "ค.ศ."),
    ({"activities": [{"order": "1", "name": "", "months": ["10"], "budget": "5"}]}, "ชื่อกิจกรรม"),
])
def test_bad_input_is_explained_in_thai_and_saves_nothing(client, planner_a, project_a, draft_plan, change, needle):
    client.force_login(planner_a)
    before = snapshot(project_a)
    data = {
        **plan_fields(project_a), **details(**change.get("details", {})),
        **lines(change.get("lines", {"obec": {"amount": "300000", "q1": "75000", "q2": "75000", "q3": "75000", "q4": "75000"}})),
        **activities(change.get("activities", TWO_ACTIVITIES)),
    }
    response = client.post(url(project_a), data, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert needle in response.content.decode()
    assert snapshot(project_a) == before


def test_the_edit_page_shows_dates_in_be(client, planner_a, project_a, draft_plan):
    Project.objects.filter(pk=project_a.pk).update(start_date=dt.date(2025, 10, 1))
    client.force_login(planner_a)
    assert 'value="01/10/2568"' in client.get(url(project_a)).content.decode()
