"""Cast and rows of the office-side literacy tests: office A's schools, a school account, a round."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from emes.models import Role
from literacy.models import DEFAULT_GRADES, LiteracyRound, Submission
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


@pytest.fixture
def schools_a(office_a):
    """Five open schools of office A in two clusters, and one merged school that is not expected."""
    schools = [
        SchoolFactory(office=office_a, smis_code=f"990100{i:02d}", name=f"โรงเรียนบ้านทดสอบ {i}",
                      cluster="กลุ่มเหนือ" if i < 3 else "กลุ่มใต้", phone=f"05460000{i}")
        for i in range(5)
    ]
    SchoolFactory(office=office_a, smis_code="99019999", name="โรงเรียนเรียนรวมแล้ว", is_open=False, merged_into="โรงเรียนบ้านทดสอบ 0")
    return schools


@pytest.fixture
def school_b(office_b):
    return SchoolFactory(office=office_b, smis_code="99020001", name="โรงเรียนสำนักงานอื่น")


@pytest.fixture
def school_account_a(schools_a):
    user = UserFactory(username="school_a")
    MembershipFactory(user=user, office=schools_a[0].office, role=Role.SCHOOL, school=schools_a[0])
    return user


def make_round(office, *, status=LiteracyRound.Status.DRAFT, number=1, year=2569, opens=-1, closes=7, **kw) -> LiteracyRound:
    now = timezone.now()
    return LiteracyRound.objects.create(
        office=office, academic_year=year, number=number, grades=list(DEFAULT_GRADES), status=status,
        opens_at=now + dt.timedelta(days=opens), closes_at=now + dt.timedelta(days=closes), **kw,
    )


@pytest.fixture
def round_a(office_a, schools_a):
    return make_round(office_a)


@pytest.fixture
def open_round_a(office_a, schools_a):
    return make_round(office_a, status=LiteracyRound.Status.OPEN, number=2)


def submit(literacy_round, school, status=Submission.Status.SUBMITTED) -> Submission:
    return Submission.objects.create(round=literacy_round, school=school, status=status,
                                     submitted_at=timezone.now() if status != Submission.Status.DRAFT else None)
