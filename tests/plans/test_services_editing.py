"""``plans.services.update_project``: who changes what, only while the plan is a draft, all or nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from plans import services
from plans.models import ActionPlan, Activity, BudgetLine, Project
from tests.factories import DivisionFactory, StrategyFactory

from .pages.conftest import (  # noqa: F401  (fixtures)
    division_a,
    division_head_a,
    draft_plan,
    other_owner_a,
    other_project_a,
    owner_a,
    project_a,
    strategy_a,
)

pytestmark = pytest.mark.django_db
D = Decimal


def line(source, amount, *quarters):
    q = quarters or (amount / 4,) * 4
    return {"source": source, "amount": D(amount), **{f"q{i}": D(v) for i, v in enumerate(q, start=1)}}


def state(project):
    p = Project.objects.get(pk=project.pk)
    return (
        {f.attname: getattr(p, f.attname) for f in Project._meta.concrete_fields},
        sorted(BudgetLine.objects.filter(project=p).values_list("source", "amount", "q1", "q2", "q3", "q4")),
        list(Activity.objects.filter(project=p).order_by("order").values_list("order", "name", "months", "budget")),
        sorted(p.strategies.values_list("pk", flat=True)),
    )


def test_planner_changes_everything_and_the_budget_follows_the_lines(planner_a, project_a, office_a, draft_plan):
    division = DivisionFactory(office=office_a, code="07")
    strategy = StrategyFactory(office=office_a, code="3")
    shared = StrategyFactory(office=None, level="obec", code="4")
    services.update_project(
        project_a, by=planner_a,
        data={"code": "69-101", "name": "ใหม่", "division": division, "strategy": strategy, "strategies": [shared], "budget": D("1"),
              "rationale": "เหตุผล", "start_date": dt.date(2025, 10, 1), "end_date": dt.date(2026, 3, 31)},
        budget_lines=[line("obec", 120000), line("other", 30000, 0, 0, 30000, 0)],
        activities=[{"order": 5, "name": "ข", "months": [3, 1], "budget": D("100000")}, {"order": 2, "name": "ก", "months": [10], "budget": D("50000")}],
    )
    p = Project.objects.get(pk=project_a.pk)
    assert (p.code, p.name, p.division, p.strategy, p.rationale) == ("69-101", "ใหม่", division, strategy, "เหตุผล")
    assert p.budget == D("150000")  # the sum of the lines, not the typed 1
    assert list(p.strategies.all()) == [shared]
    assert list(p.activities.order_by("order").values_list("order", "name", "months")) == [(1, "ก", [10]), (2, "ข", [1, 3])]


def test_owner_edits_own_details_and_activities(owner_a, project_a, draft_plan):
    services.update_project(project_a, by=owner_a, data={"objectives": "วัตถุประสงค์ใหม่", "responsible_people": "นางสาวทดสอบ"},
                            activities=[{"order": 1, "name": "กิจกรรมเดียว", "months": [5], "budget": D("300000")}])
    p = Project.objects.get(pk=project_a.pk)
    assert p.objectives == "วัตถุประสงค์ใหม่" and p.activities.count() == 1 and p.budget == D("300000")


@pytest.mark.parametrize("data", [{"name": "อื่น"}, {"budget": D("5")}, {"code": "X"}, {"owner": None}])
def test_owner_may_not_change_plan_fields(owner_a, project_a, draft_plan, data):
    before = state(project_a)
    with pytest.raises(PermissionDenied):
        services.update_project(project_a, by=owner_a, data=data)
    assert state(project_a) == before


def test_owner_may_not_touch_budget_lines_nor_another_project(owner_a, project_a, other_project_a, draft_plan):
    with pytest.raises(PermissionDenied):
        services.update_project(project_a, by=owner_a, data={}, budget_lines=[line("obec", 300000)])
    with pytest.raises(PermissionDenied):
        services.update_project(other_project_a, by=owner_a, data={"objectives": "x"})


def test_owner_sending_unchanged_plan_fields_is_fine(owner_a, project_a, draft_plan):
    services.update_project(project_a, by=owner_a, data={"name": project_a.name, "objectives": "ok"})
    assert Project.objects.get(pk=project_a.pk).objectives == "ok"


@pytest.mark.parametrize("who", ["viewer_a", "director_a", "division_head_a"])
def test_others_may_not_edit(request, who, project_a, draft_plan):
    with pytest.raises(PermissionDenied):
        services.update_project(project_a, by=request.getfixturevalue(who), data={"objectives": "x"})


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_nobody_edits_unless_the_plan_is_a_draft(planner_a, owner_a, project_a, draft_plan, status):
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status=status)
    before = state(project_a)
    for user in (planner_a, owner_a):
        with translation.override("en"), pytest.raises(ValidationError, match="cannot be changed; open an amendment first"):
            services.update_project(project_a, by=user, data={"objectives": "x"})
    assert state(project_a) == before


def test_before_any_plan_version_the_planner_may_edit(planner_a, project_a):
    assert not ActionPlan.objects.exists()
    services.update_project(project_a, by=planner_a, data={"objectives": "ก่อนมีแผน"})
    assert Project.objects.get(pk=project_a.pk).objectives == "ก่อนมีแผน"


@pytest.mark.parametrize("kwargs,fragment", [
    ({"budget_lines": [line("obec", 1000, 100, 100, 100, 100)]}, "ไตรมาส"),
    ({"budget_lines": [line("obec", 1000, -100, 300, 400, 400)]}, "ติดลบ"),
    ({"budget_lines": [line("obec", 100), line("obec", 100)]}, "ซ้ำ"),
    ({"activities": [{"order": 1, "name": "ก", "months": [1], "budget": D("400000")}]}, "งบประมาณ"),
    ({"activities": [{"order": 1, "name": "", "months": [1], "budget": D("1")}]}, "ชื่อ"),
    ({"activities": [{"order": 1, "name": "ก", "months": [13], "budget": D("1")}]}, "1-12"),
    ({"data": {"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2025, 12, 1)}}, "สิ้นสุด"),
    ({"data": {"code": "69-002"}}, "69-002"),
])
def test_bad_values_save_nothing(planner_a, project_a, other_project_a, draft_plan, kwargs, fragment, settings):
    from django.utils import translation

    before = state(project_a)
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        services.update_project(project_a, by=planner_a, **{"data": {}, **kwargs})
    assert state(project_a) == before
    assert exc.value.messages  # Thai through the catalog
    text = " ".join(exc.value.messages)
    assert fragment in text, text


def test_cutting_the_budget_below_the_activities_is_refused(planner_a, project_a, draft_plan):
    before = state(project_a)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.update_project(project_a, by=planner_a, data={}, budget_lines=[line("obec", 100000)])  # activities: 220,000
    assert "220,000" in " ".join(exc.value.messages), exc.value.messages
    assert state(project_a) == before


def test_links_to_another_office_are_refused(planner_a, project_a, office_b, outsider_b, draft_plan):
    before = state(project_a)
    for data in ({"division": DivisionFactory(office=office_b)}, {"strategy": StrategyFactory(office=office_b)},
                 {"owner": outsider_b}, {"strategies": [StrategyFactory(office=office_b)]}):
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            services.update_project(project_a, by=planner_a, data=data)
        assert "this office" in " ".join(exc.value.messages), (data, exc.value.messages)
    assert state(project_a) == before
