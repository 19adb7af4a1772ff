"""The cast of the plan pages: office A's staff (fixtures of ``tests/conftest.py``) plus two project
owners, a division head, a school account; a plan of a few projects with money, activities, indicators."""
from __future__ import annotations

from decimal import Decimal

import pytest

from emes.models import Role
from plans.models import ActionPlan, PlanTransition
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    BudgetLineFactory,
    DivisionFactory,
    IndicatorFactory,
    MembershipFactory,
    ProjectFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


@pytest.fixture
def division_a(office_a):
    return DivisionFactory(office=office_a, code="05", name="กลุ่มนโยบายและแผน", short_name="นโยบายและแผน")


@pytest.fixture
def owner_a(office_a, division_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_a", division=division_a)


@pytest.fixture
def other_owner_a(office_a, division_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_other", division=division_a)


@pytest.fixture
def division_head_a(office_a, division_a):
    return member(office_a, Role.DIVISION_HEAD, "head_a", division=division_a)


@pytest.fixture
def school_account_a(office_a):
    return member(office_a, Role.SCHOOL, "school_a", school=SchoolFactory(office=office_a))


@pytest.fixture
def strategy_a(office_a):
    return StrategyFactory(office=office_a, code="1", name="พัฒนาคุณภาพผู้เรียน")


@pytest.fixture
def project_a(office_a, division_a, strategy_a, owner_a):
    """A project of 300,000 baht: 200,000 OBEC + 100,000 area, two activities, one indicator."""
    project = ProjectFactory(office=office_a, code="69-001", name="โครงการยกระดับการอ่าน", strategy=strategy_a,
                             division=division_a, owner=owner_a, budget=Decimal("300000.00"))
    BudgetLineFactory(project=project, source="obec", amount=Decimal("200000.00"))
    BudgetLineFactory(project=project, source="area", amount=Decimal("100000.00"))
    ActivityFactory(project=project, order=1, name="ประชุมวางแผน", months=[10, 11], budget=Decimal("20000.00"))
    ActivityFactory(project=project, order=2, name="อบรมครู", months=[1, 2, 3], budget=Decimal("200000.00"))
    IndicatorFactory(project=project, name="ร้อยละของนักเรียนที่อ่านออก", target=Decimal("80"))
    return project


@pytest.fixture
def other_project_a(office_a, division_a, strategy_a, other_owner_a):
    return ProjectFactory(office=office_a, code="69-002", name="โครงการของคนอื่น", strategy=strategy_a,
                          division=division_a, owner=other_owner_a, budget=Decimal("50000.00"))


def make_plan(office, status: str, *, version: int = 1, by=None) -> ActionPlan:
    """A plan version in ``status`` with its creation recorded (tests arrange states directly)."""
    plan = ActionPlanFactory(office=office, version=version, status=status, created_by=by)
    PlanTransition.objects.create(plan=plan, from_status="", to_status=ActionPlan.Status.DRAFT, by=by)
    return plan


@pytest.fixture
def draft_plan(office_a, planner_a, project_a, other_project_a):
    return make_plan(office_a, ActionPlan.Status.DRAFT, by=planner_a)


@pytest.fixture
def users(planner_a, director_a, viewer_a, outsider_b, owner_a, other_owner_a, division_head_a, school_account_a):
    """Every role of the matrix by name (``None`` = anonymous)."""
    return {
        "anonymous": None, "planner": planner_a, "director": director_a, "viewer": viewer_a, "outsider": outsider_b,
        "owner": owner_a, "other_owner": other_owner_a, "division_head": division_head_a, "school": school_account_a,
    }
