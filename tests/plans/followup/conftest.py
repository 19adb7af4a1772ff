"""The cast of the follow-up pages: office A's staff (``tests/conftest.py``) plus a project owner, a
division head and a school account; two divisions; helpers that file reports at a given time."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from emes.models import Role
from plans.models import QuarterlyReport
from tests.factories import DivisionFactory, MembershipFactory, ProjectFactory, SchoolFactory, StrategyFactory, UserFactory

BANGKOK = ZoneInfo("Asia/Bangkok")
#: Due dates of FY 2569 reports with the default 5 working days (New Year, Chakri, Asarnha Bucha days counted).
DUE = {1: dt.date(2026, 1, 9), 2: dt.date(2026, 4, 8), 3: dt.date(2026, 7, 7), 4: dt.date(2026, 10, 7)}


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware datetime on ``day`` in Bangkok (the local date is what timeliness compares)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)


def report(project, quarter: int, *, status: str = "submitted", submitted: dt.date | None = None, disbursed: str = "0", **extra) -> QuarterlyReport:
    """A report arranged directly (tests arrange states; the services move them otherwise)."""
    if submitted is None and status in QuarterlyReport.COUNTED:
        submitted = DUE[quarter]
    return QuarterlyReport.objects.create(
        project=project, quarter=quarter, status=status, submitted_at=at(submitted) if submitted else None,
        budget_disbursed=Decimal(disbursed), implementation=extra.pop("implementation", "in_progress"),
        progress=extra.pop("progress", 50), **extra,
    )


@pytest.fixture
def divisions(office_a):
    return [
        DivisionFactory(office=office_a, code="02", name="กลุ่มนโยบายและแผน", short_name="กลุ่มนโยบายฯ"),
        DivisionFactory(office=office_a, code="05", name="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", short_name="กลุ่มนิเทศฯ"),
    ]


@pytest.fixture
def owner_a(office_a, divisions):
    return member(office_a, Role.PROJECT_OWNER, "owner_a", division=divisions[0])


@pytest.fixture
def owner_b(office_a, divisions):
    return member(office_a, Role.PROJECT_OWNER, "owner_b", division=divisions[1])


@pytest.fixture
def division_head_a(office_a, divisions):
    return member(office_a, Role.DIVISION_HEAD, "head_a", division=divisions[0])


@pytest.fixture
def school_account_a(office_a):
    return member(office_a, Role.SCHOOL, "school_a", school=SchoolFactory(office=office_a))


@pytest.fixture
def strategy_a(office_a):
    return StrategyFactory(office=office_a, code="1", name="พัฒนาคุณภาพผู้เรียน")


@pytest.fixture
def make_project(office_a, strategy_a, divisions, owner_a):
    def make(code: str, *, division: int = 0, owner=None, budget: str = "100000", **extra):
        return ProjectFactory(office=office_a, code=code, strategy=strategy_a, division=divisions[division],
                              owner=owner if owner is not None else owner_a, budget=Decimal(budget), **extra)
    return make


@pytest.fixture
def users(planner_a, director_a, viewer_a, outsider_b, owner_a, division_head_a, school_account_a):
    """Every role by name (``None`` = anonymous)."""
    return {
        "anonymous": None, "planner": planner_a, "director": director_a, "viewer": viewer_a, "outsider": outsider_b,
        "owner": owner_a, "division_head": division_head_a, "school": school_account_a,
    }
