"""The cast of the quarterly reports: office A's staff (``tests/conftest.py``) plus two project owners, the head
of the project's division and the head of another division, a school account; a project of 300,000 baht
(200,000 OBEC + 100,000 area) with a count indicator and a percentage indicator, a second project of
another owner, and a project of office B. Dates: FY 2569; Q1 reports are due Friday 9 January 2026."""
from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from emes.models import Role
from plans.models import QuarterlyReport
from plans.monitoring import services
from tests.factories import (
    BudgetLineFactory,
    DivisionFactory,
    IndicatorFactory,
    MembershipFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
)

#: A working day of FY 2569 Q2: Q1 and Q2 have started, Q3 has not; Q1 reports are 7 working days late.
TODAY = "2026-01-20 09:00 +0700"


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def division_a(office_a):
    return DivisionFactory(office=office_a, code="05", name="กลุ่มนโยบายและแผน", short_name="นโยบายและแผน")


@pytest.fixture
def division_other(office_a):
    return DivisionFactory(office=office_a, code="06", name="กลุ่มส่งเสริมการจัดการศึกษา", short_name="ส่งเสริมฯ")


@pytest.fixture
def owner_a(office_a, division_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_a", division=division_a)


@pytest.fixture
def other_owner_a(office_a, division_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_other", division=division_a)


@pytest.fixture
def head_a(office_a, division_a):
    return member(office_a, Role.DIVISION_HEAD, "head_a", division=division_a)


@pytest.fixture
def head_other(office_a, division_other):
    return member(office_a, Role.DIVISION_HEAD, "head_other", division=division_other)


@pytest.fixture
def school_account_a(office_a):
    return member(office_a, Role.SCHOOL, "school_a", school=SchoolFactory(office=office_a))


@pytest.fixture
def project_a(office_a, division_a, owner_a):
    project = ProjectFactory(office=office_a, code="69-001", name="โครงการยกระดับการอ่าน", division=division_a, owner=owner_a,
                             budget=Decimal("300000.00"))
    BudgetLineFactory(project=project, source="obec", amount=Decimal("200000.00"))
    BudgetLineFactory(project=project, source="area", amount=Decimal("100000.00"))
    return project


@pytest.fixture
def count_indicator(project_a):
    return IndicatorFactory(project=project_a, name="จำนวนครูที่ผ่านการอบรม", unit="คน", target=Decimal("50"))


@pytest.fixture
def pct_indicator(project_a):
    return IndicatorFactory(project=project_a, name="ร้อยละของนักเรียนที่อ่านออก", unit="ร้อยละ", target=Decimal("80"), is_percentage=True)


@pytest.fixture
def other_project_a(office_a, division_a, other_owner_a):
    return ProjectFactory(office=office_a, code="69-002", name="โครงการของคนอื่น", division=division_a, owner=other_owner_a,
                          budget=Decimal("50000.00"))


@pytest.fixture
def project_b(office_b):
    owner = member(office_b, Role.PROJECT_OWNER, "owner_b")
    return ProjectFactory(office=office_b, code="69-001", owner=owner)


@pytest.fixture
def draft(project_a, owner_a) -> QuarterlyReport:
    """The Q1 report of ``project_a`` started by its owner (version 1, no content yet)."""
    return services.start_report(project_a, 1, by=owner_a)


def fill(report, by, **overrides):
    """Save a complete report on top of ``report``'s current version."""
    report.refresh_from_db()
    kwargs = dict(
        data={"implementation": "in_progress", "progress": 40, "activities_done": "อบรมครู 2 รุ่น", "outcomes": "ครูผ่านการอบรม 45 คน",
              "problems": "งบประมาณโอนล่าช้า", "suggestions": "ควรโอนงบก่อนไตรมาส"},
        expected_version=report.version,
        results=[],
        disbursements=[{"source": "obec", "amount": Decimal("50000")}, {"source": "area", "amount": Decimal("10000")}],
    )
    kwargs.update(overrides)
    return services.save_report(report, by=by, **kwargs)


def move(report, to: str, *, owner, planner, director):
    """Move ``report`` along the workflow up to ``to`` (submitted, accepted, approved)."""
    services.submit_report(report, by=owner)
    if to in ("accepted", "approved"):
        services.accept_report(report, by=planner)
    if to == "approved":
        services.approve_report(report, by=director)
    report.refresh_from_db()
    return report


def snapshot(report) -> dict:
    """What is stored of a report: its fields, results and disbursements, evidence and transitions."""
    report.refresh_from_db()
    return {
        "fields": {f: getattr(report, f) for f in ("status", "implementation", "progress", "budget_disbursed", "outcomes", "problems",
                                                    "suggestions", "activities_done", "version", "submitted_at")},
        "results": sorted(report.results.values_list("indicator_id", "actual", "numerator", "denominator")),
        "money": sorted(report.disbursements.values_list("source", "amount")),
        "evidence": sorted(report.evidence.values_list("original_name", flat=True)),
        "transitions": report.transitions.count(),
    }
