"""Fixtures of the summary tests: a round of office A and schools with results written straight to the rows."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from emes.models import Role
from literacy.models import GradeResult, LiteracyRound, SkillResult, Submission
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

SKILLS = ["reading_aloud", "reading_comprehension", "writing_words", "writing_composition"]


def make_round(office, *, number: int = 1, year: int = 2569, flag: int = 30) -> LiteracyRound:
    opens = timezone.make_aware(dt.datetime(2026, 6, 1, 8, 0)) + dt.timedelta(days=120 * (number - 1))
    return LiteracyRound.objects.create(office=office, academic_year=year, number=number, grades=["p1", "p2", "p3"],
                                        opens_at=opens, closes_at=opens + dt.timedelta(days=14),
                                        status=LiteracyRound.Status.CLOSED, improvement_flag_pct=flag)


def submit(rnd, school, results: dict[str, dict[str, list[int]]], *, status: str = Submission.Status.SUBMITTED,
           special_needs: int = 0, absent: int = 0) -> Submission:
    """``results``: grade -> skill -> [very_good, good, fair, improve]; assessed = the first skill's sum."""
    sub = Submission.objects.create(round=rnd, school=school, status=status,
                                    submitted_at=timezone.now() if status != Submission.Status.DRAFT else None)
    for grade, skills in results.items():
        assessed = sum(next(iter(skills.values())))
        gr = GradeResult.objects.create(submission=sub, grade=grade, assessed=assessed, special_needs=special_needs,
                                        absent=absent, enrolled=assessed + special_needs + absent)
        SkillResult.objects.bulk_create(SkillResult(grade_result=gr, skill=skill, very_good=c[0], good=c[1], fair=c[2],
                                                    improve=c[3]) for skill, c in skills.items())
    return sub


def random_results(rng: random.Random, grades=("p1", "p2", "p3")) -> dict[str, dict[str, list[int]]]:
    out = {}
    for grade in grades:
        assessed = rng.randint(5, 40)
        skills = {}
        for skill in SKILLS:
            cuts = sorted(rng.randint(0, assessed) for _ in range(3))
            skills[skill] = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], assessed - cuts[2]]
        out[grade] = skills
    return out


def school_with_results(office, rnd, rng, n: int, **kwargs):
    school = SchoolFactory(office=office, cluster=f"กลุ่มโรงเรียน {n % 3 + 1}", district=f"อำเภอ {n % 2 + 1}")
    submit(rnd, school, random_results(rng), **kwargs)
    return school


@pytest.fixture
def round_a(office_a):
    return make_round(office_a)


@pytest.fixture
def school_account_a(office_a):
    school = SchoolFactory(office=office_a, name="โรงเรียนบัญชี")
    user = UserFactory(username="school_a")
    MembershipFactory(user=user, office=office_a, role=Role.SCHOOL, school=school)
    return user
