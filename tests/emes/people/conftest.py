"""Fixtures of the people tests: schools of office A and B, their generated accounts, a division pair."""
from __future__ import annotations

import pytest

from emes.models import Role
from emes.people import services
from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory


@pytest.fixture
def schools_a(office_a):
    """Three open schools of office A in two clusters, and a closed (merged) one."""
    return [
        SchoolFactory(office=office_a, smis_code="99010001", name="บ้านดอนแก้ว", cluster="กลุ่มโรงเรียนเมือง"),
        SchoolFactory(office=office_a, smis_code="99010002", name="บ้านห้วยทราย", cluster="กลุ่มโรงเรียนเมือง"),
        SchoolFactory(office=office_a, smis_code="99010003", name="โรงเรียนวัดป่าแดง", cluster="กลุ่มโรงเรียนลุ่มน้ำยม"),
        SchoolFactory(office=office_a, smis_code="99010004", name="บ้านร้างเรียนรวม", cluster="กลุ่มโรงเรียนเมือง", is_open=False),
    ]


@pytest.fixture
def school_b(office_b):
    return SchoolFactory(office=office_b, smis_code="99020001", name="บ้านเขตสอง", cluster="กลุ่มโรงเรียนบี")


@pytest.fixture
def batch_a(office_a, planner_a, schools_a):
    """The first generation of office A's school accounts (3 open schools)."""
    return services.create_school_accounts(office_a, by=planner_a, login_url="https://emes.test/accounts/login/")


@pytest.fixture
def school_user_a(batch_a):
    """The account of school 99010001 of office A (one-time password, must change it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="99010001")


@pytest.fixture
def divisions_a(office_a):
    return [DivisionFactory(office=office_a, code="02", name="กลุ่มนโยบายและแผน"), DivisionFactory(office=office_a, code="05", name="กลุ่มนิเทศ ติดตาม")]


@pytest.fixture
def division_b(office_b):
    return DivisionFactory(office=office_b, code="02", name="กลุ่มนโยบายและแผน เขต 2")


@pytest.fixture
def staff_a(office_a):
    """A project owner of office A."""
    user = UserFactory(username="owner_a", email="owner_a@example.test")
    MembershipFactory(user=user, office=office_a, role=Role.PROJECT_OWNER)
    return user
