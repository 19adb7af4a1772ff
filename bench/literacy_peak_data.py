"""Data and check of the literacy-peak load test (``bench/locust_literacy.py``, issue 18).

    createdb -h 127.0.0.1 -U postgres emes_bench_peak
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_peak SECRET_KEY=<32+ characters> DEBUG=false
    .venv/bin/python bench/literacy_peak_data.py load [--offices N]   # all 29,579 schools, or the schools of N offices
    ... run locust (see bench/locust_literacy.py) ...
    .venv/bin/python bench/literacy_peak_data.py check                # nothing lost, nothing duplicated

``load`` brings in every office and school of ``data/01_schools`` (``bench/literacy_national.py``'s loader: 246
offices + 43 synthetic ones for old codes, 29,579 schools with synthetic clusters), then for each office of the
scenario: a round open now for 14 days (grades ป.1-ป.3, no earlier submissions), one plan officer
(``peak_planner_<area>``), and one account per school (username = the school's SMIS code). Every account has the
password ``PASSWORD``, stored with the production hasher (PBKDF2, Django's default iterations): one hash computed
once and given to all, so loading does not take 29,579 × 0.3 s, while each login still verifies the full hash.
Writes ``bench/var/peak_schools.csv`` (username, school code, round id) and ``peak_offices.csv`` (username, area
code, round id) for locust.

``check`` compares the database with what locust recorded as accepted (``bench/var/peak_accepted.txt``, one school
code a line): every accepted school has exactly one submission, submitted, with its three grades and 12 skill rows
and exactly one "submitted" change; no submission exists that locust did not see accepted (or saw refused).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")
VAR = ROOT / "bench" / "var"
PASSWORD = "peak-bench-2569-not-a-real-password"
ACADEMIC_YEAR, NUMBER = 2570, 1


def load(offices_limit: int | None) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    import literacy_national
    from emes.db import analyze
    from emes.models import Membership, Office, Profile, Role, School
    from literacy.models import LiteracyRound

    if not School.objects.exists():
        literacy_national.load()
    User = get_user_model()
    t0 = time.perf_counter()
    # The largest offices first, so a scaled-down run keeps the heaviest boards.
    offices = list(Office.objects.annotate(n=Count("schools")).filter(n__gt=0).order_by("-n", "area_code"))
    offices = offices[:offices_limit] if offices_limit else offices
    password = make_password(PASSWORD)  # production hasher and iterations, once
    now = timezone.now()
    with transaction.atomic():
        LiteracyRound.objects.filter(academic_year=ACADEMIC_YEAR, number=NUMBER).delete()
        rounds = {r.office_id: r for r in LiteracyRound.objects.bulk_create([
            LiteracyRound(office=o, academic_year=ACADEMIC_YEAR, number=NUMBER, grades=["p1", "p2", "p3"],
                          opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=14), status=LiteracyRound.Status.OPEN)
            for o in offices])}
        schools = list(School.objects.filter(office__in=offices).order_by("smis_code"))
        existing = set(User.objects.filter(username__in=[s.smis_code for s in schools]).values_list("username", flat=True))
        User.objects.bulk_create([User(username=s.smis_code, password=password, first_name=s.name[:150]) for s in schools
                                  if s.smis_code not in existing], batch_size=5000)
        planners = {o.pk: f"peak_planner_{o.area_code}" for o in offices}
        have = set(User.objects.filter(username__in=planners.values()).values_list("username", flat=True))
        User.objects.bulk_create([User(username=u, password=password) for u in planners.values() if u not in have])
        ids = dict(User.objects.filter(username__in=[*(s.smis_code for s in schools), *planners.values()]).values_list("username", "pk"))
        User.objects.filter(pk__in=ids.values()).update(password=password)
        Membership.objects.filter(user_id__in=ids.values()).delete()
        Membership.objects.bulk_create([Membership(user_id=ids[s.smis_code], office_id=s.office_id, role=Role.SCHOOL, school=s) for s in schools]
                                       + [Membership(user_id=ids[u], office_id=pk, role=Role.PLAN_OFFICER) for pk, u in planners.items()],
                                       batch_size=5000)
        Profile.objects.filter(user_id__in=ids.values()).delete()
        Profile.objects.bulk_create([Profile(user_id=pk, must_change_password=False) for pk in ids.values()], batch_size=5000)
        analyze()
    VAR.mkdir(exist_ok=True)
    with (VAR / "peak_schools.csv").open("w", newline="") as f:
        csv.writer(f).writerows((s.smis_code, s.smis_code, rounds[s.office_id].pk) for s in schools)
    with (VAR / "peak_offices.csv").open("w", newline="") as f:
        csv.writer(f).writerows((u, o.area_code, rounds[o.pk].pk) for o in offices for u in [planners[o.pk]])
    (VAR / "peak_accepted.txt").write_text("")
    print(f"{len(offices)} offices with an open round, {len(schools):,} school accounts, {time.perf_counter() - t0:.1f} s")


def check() -> int:
    from literacy.models import GradeResult, SkillResult, Submission, SubmissionChange

    accepted = [line.strip() for line in (VAR / "peak_accepted.txt").read_text().splitlines() if line.strip()]
    counts = Counter(accepted)
    subs = Submission.objects.filter(round__academic_year=ACADEMIC_YEAR, round__number=NUMBER)
    per_school = Counter(subs.values_list("school__smis_code", flat=True))
    grades = Counter(GradeResult.objects.filter(submission__in=subs).values_list("submission__school__smis_code", flat=True))
    skills = Counter(SkillResult.objects.filter(grade_result__submission__in=subs).values_list("grade_result__submission__school__smis_code", flat=True))
    submitted = Counter(SubmissionChange.objects.filter(submission__in=subs, action=SubmissionChange.Action.SUBMITTED)
                        .values_list("submission__school__smis_code", flat=True))
    problems = {
        "accepted twice by locust": [c for c, n in counts.items() if n > 1],
        "accepted but not submitted in the database": [c for c in counts if per_school.get(c) != 1 or submitted.get(c) != 1],
        "in the database but never accepted": [c for c in per_school if c not in counts],
        "more than one submission": [c for c, n in per_school.items() if n > 1],
        "grades not 3 or skills not 12": [c for c in per_school if grades.get(c) != 3 or skills.get(c) != 12],
    }
    print(f"accepted by locust: {len(counts):,}; submissions in the database: {sum(per_school.values()):,}; "
          f"'submitted' changes: {sum(submitted.values()):,}")
    for label, codes in problems.items():
        print(f"{label}: {len(codes)}{' e.g. ' + ', '.join(codes[:5]) if codes else ''}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["load", "check"])
    parser.add_argument("--offices", type=int, help="only the N largest offices (a scaled-down run)")
    args = parser.parse_args()
    import django

    django.setup()
    if args.command == "load":
        load(args.offices)
    else:
        sys.exit(check())
