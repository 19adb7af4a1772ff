"""Data of the page benchmarks (``bench/pages.py``, ``bench/profile_pages.py``): the demo office and a big office.

    createdb -h 127.0.0.1 -U postgres emes_bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_pages DEBUG=false SECRET_KEY=... \\
        .venv/bin/python bench/pages_data.py

Loads the demo (5402: 40 projects, 103 schools) and the follow-up benchmark's office 9952 (``bench/quarterly_followup.py``:
150 projects × 4 quarters, 600 indicators), to which it adds 333 schools (the size of 4502, the largest office), an
open literacy round 2/2569 in which two thirds of them have submitted ป.1-ป.3, one school account and the monitoring
calendar. Idempotent enough to run again (the 9952 projects are rebuilt). Then :func:`pages` lists, per office, the
pages issue 18 measured, as ``(label, username, path)``.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

BIG_SCHOOLS = 333
FY = 2569


def load() -> None:
    """Build (or rebuild) both offices; prints what it made."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    import quarterly_followup
    from demo.loader import load_demo
    from emes.calendar.services import generate_calendar
    from emes.db import analyze
    from emes.models import Membership, Profile, Role, School
    from literacy.models import GradeResult, LiteracyRound, Skill, SkillResult, Submission

    load_demo()
    # The demo's school accounts must change their password first: their home would be a 302 to that form.
    for m in Membership.objects.filter(office__area_code="5402", role=Role.SCHOOL).select_related("user"):
        Profile.objects.update_or_create(user=m.user, defaults={"must_change_password": False})
    office, planner = quarterly_followup.setup()
    schools = [School(office=office, smis_code=f"99{n:06d}", name=f"บ้านทดสอบ {n + 1}", cluster=f"กลุ่มโรงเรียนที่ {n // 15 + 1}",
                      district=f"อำเภอที่ {n // 40 + 1}") for n in range(BIG_SCHOOLS)]
    School.objects.bulk_create(schools, ignore_conflicts=True)
    schools = list(School.objects.filter(office=office).order_by("smis_code"))
    bkk = timezone.get_fixed_timezone(7 * 60)
    rnd, _ = LiteracyRound.objects.update_or_create(
        office=office, academic_year=FY, number=2,
        defaults={"grades": ["p1", "p2", "p3"], "status": LiteracyRound.Status.OPEN, "created_by": planner,
                  "opens_at": dt.datetime(2026, 11, 2, 8, 30, tzinfo=bkk), "closes_at": dt.datetime(2027, 2, 26, 16, 30, tzinfo=bkk)})
    Submission.objects.filter(round=rnd).delete()
    rng = random.Random(18)
    subs = Submission.objects.bulk_create([
        Submission(round=rnd, school=s, status=Submission.Status.SUBMITTED, submitted_at=timezone.now())
        for s in schools[: BIG_SCHOOLS * 2 // 3]])
    grades, levels = [], []
    for sub in subs:
        for grade in rnd.grades:
            assessed = rng.randint(3, 60)
            grades.append(GradeResult(submission=sub, grade=grade, enrolled=assessed, assessed=assessed, special_needs=0, absent=0))
            cuts = [sorted(rng.randint(0, assessed) for _ in range(3)) for _ in Skill.values]
            levels.append([(c[0], c[1] - c[0], c[2] - c[1], assessed - c[2]) for c in cuts])
    GradeResult.objects.bulk_create(grades)
    SkillResult.objects.bulk_create([SkillResult(grade_result=g, skill=k, very_good=a, good=b, fair=c, improve=d)
                                     for g, per in zip(grades, levels) for k, (a, b, c, d) in zip(Skill.values, per)])
    User = get_user_model()
    school = schools[-1]  # one that has not submitted yet: its home page shows the open round
    user, _ = User.objects.get_or_create(username=school.smis_code)
    Membership.objects.get_or_create(user=user, office=office, role=Role.SCHOOL, school=school)
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})
    for year in (FY, FY + 1):
        generate_calendar(office, year)
    analyze()
    print(f"9952: {len(schools)} schools, round {rnd.pk} with {len(subs)} submissions")


def pages() -> dict[str, list[tuple[str, str, str]]]:
    """``{office: [(label, username, path), ...]}`` of the pages measured in issue 18."""
    from django.urls import reverse

    from emes.models import Membership, Role
    from literacy.models import LiteracyRound
    from plans.models import Project

    out = {}
    for area, planner, owner in (("5402", "planner", "owner01"), ("9952", "bench_fu_planner", "bench_fu_owner00")):
        school = Membership.objects.filter(office__area_code=area, role=Role.SCHOOL).select_related("user").first()
        rnd = LiteracyRound.objects.filter(office__area_code=area, status=LiteracyRound.Status.OPEN).order_by("-pk").first()
        project = Project.objects.filter(office__area_code=area, fiscal_year=FY, owner__username=owner).order_by("code").first()
        out[area] = [
            ("plan overview", planner, reverse("plans:plan", args=[area, FY])),
            ("indicator list", planner, reverse("plans:indicators", args=[area, FY])),
            ("home (planner)", planner, reverse("home")),
            ("home (owner)", owner, reverse("home")),
            ("home (school)", school.user.username, reverse("home")),
            ("literacy board", planner, reverse("literacy:round", args=[area, rnd.pk])),
            ("follow-up (completeness)", planner, reverse("plans:completeness", args=[area, FY])),
            ("project page", owner, reverse("plans:project", args=[area, project.pk])),
            ("calendar", planner, reverse("calendar:month", args=[area])),
        ]
    return out


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load()
