"""The cast of the school-side literacy tests: office A's open round, school A (ป.1-ป.6) and its account,
school A2 of the same office with its account, and school B of office B."""
from __future__ import annotations

import datetime as dt

import pytest

from emes.models import Enrolment, Profile, Role
from literacy.models import LiteracyRound
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

OPENS = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone.utc)
CLOSES = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.timezone.utc)
DURING = dt.datetime(2026, 11, 15, 3, 0, tzinfo=dt.timezone.utc)
AFTER = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.timezone.utc)


def make_round(office, *, number=1, grades=("p1", "p2", "p3"), status=LiteracyRound.Status.OPEN):
    return LiteracyRound.objects.create(office=office, academic_year=2569, number=number, grades=list(grades),
                                        opens_at=OPENS, closes_at=CLOSES, status=status)


def school_account(school, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=school.office, role=Role.SCHOOL, school=school)
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})
    return user


@pytest.fixture
def during():
    import time_machine

    with time_machine.travel(DURING, tick=True):
        yield DURING


@pytest.fixture
def lit_round(office_a):
    return make_round(office_a)


@pytest.fixture
def school_a(office_a):
    school = SchoolFactory(office=office_a, smis_code="99010001", name="บ้านดอนแก้ว", lowest_grade="อนุบาล 2", highest_grade="ประถมศึกษาปีที่ 6")
    for grade, n in (("p1", 25), ("p2", 20), ("p3", 18)):
        Enrolment.objects.create(school=school, academic_year=2569, grade=grade, students=n)
    return school


@pytest.fixture
def school_a2(office_a):
    return SchoolFactory(office=office_a, smis_code="99010002", name="บ้านห้วยทราย")


@pytest.fixture
def school_b(office_b):
    return SchoolFactory(office=office_b, smis_code="99020001", name="บ้านเขต 2")


@pytest.fixture
def account_a(school_a):
    return school_account(school_a, "99010001")


@pytest.fixture
def account_a2(school_a2):
    return school_account(school_a2, "99010002")


@pytest.fixture
def account_b(school_b):
    return school_account(school_b, "99020001")


def grade_row(grade="p1", enrolled=25, assessed=23, special=1, absent=1, levels=(10, 8, 3, 2), reason=""):
    """Valid raw grades data for one grade: every skill at ``levels``."""
    skills = {s: list(levels) for s in ("reading_aloud", "reading_comprehension", "writing_words", "writing_composition")}
    return {"grade": grade, "enrolled": enrolled, "enrolled_reason": reason, "assessed": assessed, "special_needs": special,
            "absent": absent, "skills": skills}


def full_data():
    return [grade_row("p1"), grade_row("p2", 20, 18, 0, 2, (5, 5, 5, 3)), grade_row("p3", 18, 18, 0, 0, (6, 6, 4, 2))]


def stored_state(submission=None):
    """Everything the literacy tables hold, to assert nothing changed."""
    from literacy.models import GradeResult, SkillResult, Submission, SubmissionChange

    return (
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
        list(GradeResult.objects.order_by("pk").values_list("grade", "enrolled", "assessed", "special_needs", "absent")),
        list(SkillResult.objects.order_by("pk").values_list("skill", "very_good", "good", "fair", "improve")),
        SubmissionChange.objects.count(),
    )
