"""A superseded version stays readable from its snapshot after an amendment changed the plan."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans import services
from plans.models import ActionPlan, BudgetLine, Project

pytestmark = pytest.mark.django_db


def approve(plan, planner, director):
    services.submit_plan(plan, by=planner)
    return services.approve_plan(plan, by=director)


def test_superseded_version_renders_as_approved_after_the_amendment_changed_a_project(
    client, office_a, planner_a, director_a, viewer_a, draft_plan, project_a
):
    v1 = approve(draft_plan, planner_a, director_a)
    v2 = services.open_amendment(v1, by=planner_a, reason="ปรับลดงบประมาณตามการจัดสรรจริง")
    # The amendment renames the project and cuts its OBEC money.
    services.update_project(
        project_a, by=planner_a, data={"name": "โครงการยกระดับการอ่าน (ปรับปรุง)"},
        budget_lines=[{"source": "obec", "amount": Decimal("40000"), "q1": Decimal("10000"), "q2": Decimal("10000"), "q3": Decimal("10000"), "q4": Decimal("10000")}],
        activities=[{"order": 1, "name": "ประชุมวางแผน", "months": [10], "budget": Decimal("40000")}],
    )
    assert Project.objects.get(pk=project_a.pk).budget == Decimal("40000")

    client.force_login(viewer_a)
    response = client.get(reverse("plans:plan-version", args=[office_a.area_code, 2569, 1]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "โครงการยกระดับการอ่าน" in page and "(ปรับปรุง)" not in page
    assert "200,000.00" in page and "อบรมครู" in page  # v1's OBEC line and its second activity
    view = response.context["view"]
    assert view.total.by_source["obec"] == Decimal("200000") and view.total.by_source["area"] == Decimal("100000")
    assert 'data-status="superseded"' in page
    assert "ปรับลดงบประมาณตามการจัดสรรจริง" in page  # the amendment history
    # The overview shows the amendment and links to v1.
    page = client.get(reverse("plans:plan", args=[office_a.area_code, 2569])).content.decode()
    assert reverse("plans:plan-version", args=[office_a.area_code, 2569, 1]) in page
    assert v2.version == 2


def test_a_version_without_snapshot_sends_to_the_overview_and_a_missing_one_is_404(client, office_a, planner_a, draft_plan):
    client.force_login(planner_a)
    response = client.get(reverse("plans:plan-version", args=[office_a.area_code, 2569, 1]))
    assert response.status_code == 302 and response.url == reverse("plans:plan", args=[office_a.area_code, 2569])
    assert client.get(reverse("plans:plan-version", args=[office_a.area_code, 2569, 7])).status_code == 404


def test_the_snapshot_view_does_not_read_the_live_budget_lines(office_a, planner_a, director_a, draft_plan, project_a):
    from plans.selectors import plan_version_view

    v1 = approve(draft_plan, planner_a, director_a)
    BudgetLine.objects.all().delete()
    assert plan_version_view(ActionPlan.objects.get(pk=v1.pk)).total.by_source["obec"] == Decimal("200000")
