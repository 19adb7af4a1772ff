"""The cast of the calendar tests: office A's plan officer, director, viewer, a supervisor, a division
head of division D1, two project owners (with projects of D1 and D2), a school account of school A1;
the plan officer and a school account of office B as outsiders."""
from __future__ import annotations

import datetime as dt

import pytest

from emes.models import Profile, Role
from tests.factories import DivisionFactory, MembershipFactory, ProjectFactory, SchoolFactory, UserFactory

#: A day of FY 2570 (Thursday 19 November 2026), 10:00 Bangkok.
TODAY = dt.datetime(2026, 11, 19, 3, 0, tzinfo=dt.timezone.utc)


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


def school_account(school, username):
    user = member(school.office, Role.SCHOOL, username, school=school)
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})
    return user


@pytest.fixture
def today():
    import time_machine

    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def division_1(office_a):
    return DivisionFactory(office=office_a, code="01", name="กลุ่มนโยบายและแผน")


@pytest.fixture
def division_2(office_a):
    return DivisionFactory(office=office_a, code="02", name="กลุ่มส่งเสริมการจัดการศึกษา")


@pytest.fixture
def head_1(office_a, division_1):
    return member(office_a, Role.DIVISION_HEAD, "head_1", division=division_1)


@pytest.fixture
def owner_1(office_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_1")


@pytest.fixture
def owner_2(office_a):
    return member(office_a, Role.PROJECT_OWNER, "owner_2")


@pytest.fixture
def supervisor_a(office_a):
    return member(office_a, Role.SUPERVISOR, "supervisor_a")


@pytest.fixture
def school_user_a(office_a):
    return school_account(SchoolFactory(office=office_a, smis_code="99010001"), "99010001")


@pytest.fixture
def school_user_b(office_b):
    return school_account(SchoolFactory(office=office_b, smis_code="99020001"), "99020001")


@pytest.fixture
def projects(office_a, division_1, division_2, owner_1, owner_2):
    """FY 2570: P1 (owner 1, D1), P2 (owner 2, D1), P3 (owner 2, D2)."""
    return [
        ProjectFactory(office=office_a, fiscal_year=2570, code="70-001", name="โครงการหนึ่ง", division=division_1, owner=owner_1),
        ProjectFactory(office=office_a, fiscal_year=2570, code="70-002", name="โครงการสอง", division=division_1, owner=owner_2),
        ProjectFactory(office=office_a, fiscal_year=2570, code="70-003", name="โครงการสาม", division=division_2, owner=owner_2),
    ]
