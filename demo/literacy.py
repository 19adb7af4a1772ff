"""The demo's literacy rounds of academic year 2569, written through the literacy services by the people who act.

Story (``demo.clock.at``):

- round 1 (end of semester 1): the plan officer creates it on 17 Aug 2026 (``create_round``: ป.1-ป.3,
  window 1 Sep 2026 08:30 - 30 Sep 2026 16:30), opens it on 1 Sep (``open_round``); every open school
  that teaches ป.1-ป.3 enters its results in September through its own account (``start_submission``,
  ``save_submission``; about one school in four saves a draft first) and submits inside the window; the
  plan officer closes the round on 1 Oct 2026 09:00 (``close_round``) and reopens it for the one school
  that missed it, until 7 Oct (``reopen_for_schools``, with the reason), which submits on 5 Oct. Complete.
- round 2 (semester 2): created 20 Oct 2026, opened 2 Nov 2026 08:30 until 26 Feb 2027 16:30; by the
  demo's today (1 Dec 2026) about two schools in three have submitted and a few have a draft; บ้านน้ำริน
  (54020001, the demo's school login) and the first schools of the list have not started, so the
  school's page has a round to fill in and the board has schools to follow up.

The figures are GENERATED, shaped by REAL data: each skill's share of students at ดีมาก / ดี / พอใช้ /
ปรับปรุง is the OBEC (สพฐ.) row of the real Yala table (``data/03_literacy/yala1_eread_ewrite_p1-3_by_affiliation.csv``,
P.1-3 together), moved per school by a school "strength" (some schools show a high share at ปรับปรุง and are
flagged), per grade (ป.1 weaker, ป.3 stronger) and per round (round 2 better: a share of the weakest move
up, as after a semester of remedial teaching). Students per grade are the school's real student count
divided over the grades it teaches (``data/demo/``), about 3 % special-needs and 2 % absent.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import Counter
from pathlib import Path

from django.conf import settings

from emes.fiscal import WorkingCalendar
from emes.models import Office, School
from literacy.models import LiteracyRound
from literacy.services import close_round, create_round, open_round, reopen_for_schools
from literacy.submissions import SKILLS, registry_enrolment, round_grades_for, save_submission, start_submission, taught_grades

from .clock import at, bkk
from .people import DEMO_SCHOOL_CODE

ACADEMIC_YEAR = 2569
GRADES = ["p1", "p2", "p3"]
#: The real table the level shares come from, and the skills of its rows in the order of ``SKILLS``.
LITERACY_TABLE: Path = Path(settings.BASE_DIR) / "data" / "03_literacy" / "yala1_eread_ewrite_p1-3_by_affiliation.csv"
TABLE_SKILLS = {"การอ่านออกเสียง": "reading_aloud", "การอ่านรู้เรื่อง": "reading_comprehension",
                "การเขียนคำ": "writing_words", "การเขียนเรื่อง": "writing_composition"}
#: Grade effect on the share at ปรับปรุง (ป.1 has had the least teaching). Generated.
GRADE_WEAKNESS = {"p1": 1.2, "p2": 1.0, "p3": 0.85}
#: The demo office's schools against Yala's: a little fewer students at ปรับปรุง/พอใช้, so that about one
#: school in three (not one in two) is flagged in round 1 at the default 30 % threshold. Generated.
WEAKER_SHARE = 0.8
#: Round 2 against round 1: the share at ปรับปรุง and พอใช้ shrinks (remedial teaching in between). Generated.
ROUND_GAIN = {1: (1.0, 1.0, 1.0, 1.0), 2: (1.1, 1.08, 0.9, 0.68)}
#: Share of the open schools that have submitted / saved a draft of round 2 by the demo's today.
ROUND2_SUBMITTED, ROUND2_DRAFT = 0.65, 0.06


def real_level_shares() -> dict[str, list[float]]:
    """Per skill code, the OBEC row's shares (%) at ดีมาก, ดี, พอใช้, ปรับปรุง of the real Yala table."""
    with open(LITERACY_TABLE, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["affiliation"] == "สพฐ."]
    return {TABLE_SKILLS[r["skill"]]: [float(r[k]) for k in ("dee_mak_pct", "dee_pct", "pho_chai_pct", "prap_prung_pct")] for r in rows}


def _levels(n: int, base: list[float], strength: float, grade: str, number: int, rng: random.Random) -> list[int]:
    """``n`` students over the four levels: the real shares moved by the school, the grade and the round."""
    weak = math.exp(-0.45 * strength) * GRADE_WEAKNESS[grade] * WEAKER_SHARE
    weights = [base[0] * math.exp(0.3 * strength), base[1], base[2] * weak ** 0.5, base[3] * weak]
    weights = [w * g for w, g in zip(weights, ROUND_GAIN[number])]
    counts = Counter(rng.choices(range(4), weights=weights, k=n))
    return [counts[i] for i in range(4)]


def _grade_rows(school: School, grades: list[str], strength: float, number: int, shares: dict[str, list[float]],
                rng: random.Random) -> list[dict]:
    """The school's grades data (``literacy.submissions`` shape) for round ``number``."""
    taught = len(taught_grades(school, ACADEMIC_YEAR) or []) or 8  # k2-p6 when the registry does not say
    registry = registry_enrolment(school, ACADEMIC_YEAR)  # the school enters the registry's figure (demo.office.load_enrolment)
    rows = []
    for grade in grades:
        if school.students_total:
            per_grade = school.students_total / taught
            enrolled = max(1, round(per_grade * rng.uniform(0.8, 1.2)))
        else:
            enrolled = rng.randint(4, 15)
        enrolled = registry[grade] if grade in registry else enrolled
        special = sum(rng.random() < 0.03 for _ in range(enrolled))
        absent = sum(rng.random() < 0.02 for _ in range(enrolled - special))
        assessed = enrolled - special - absent
        rows.append({
            "grade": grade, "enrolled": enrolled, "enrolled_reason": "", "assessed": assessed, "special_needs": special, "absent": absent,
            "skills": {skill: _levels(assessed, shares[skill], strength, grade, number, rng) for skill, _label in SKILLS},
        })
    return rows


def _moment_in(days: list[dt.date], rng: random.Random) -> dt.datetime:
    day = rng.choice(days)
    minutes = rng.randrange(8 * 60 + 30, 16 * 60 + 30)
    return bkk(day.year, day.month, day.day, minutes // 60, minutes % 60)


def _working_days(office: Office, first: dt.date, last: dt.date) -> list[dt.date]:
    cal = WorkingCalendar.for_office(office)
    days, day = [], first
    while day <= last:
        if cal.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _enter(literacy_round: LiteracyRound, school: School, account, rows: list[dict], moment: dt.datetime, *, submit: bool) -> None:
    with at(moment):
        submission = start_submission(literacy_round, school, by=account)
        save_submission(submission, by=account, grades_data=rows, expected_version=submission.version, submit=submit)


def load_literacy(office: Office, users: dict, accounts: dict[int, object]) -> list[LiteracyRound]:
    """Rounds 1 (closed, every school submitted) and 2 (open, about two in three submitted) of 2569; see the module docstring.

    ``accounts``: the school account of each open school by school id (``demo.people.school_accounts``).
    """
    planner = users["planner"]
    rng = random.Random(2569_6)
    shares = real_level_shares()
    schools = [s for s in School.objects.filter(office=office).open().order_by("smis_code") if s.pk in accounts]
    strength = {s.pk: rng.gauss(0, 1) for s in schools}

    with at(bkk(2026, 8, 17, 10)):
        round1 = create_round(office, by=planner, academic_year=ACADEMIC_YEAR, number=1, grades=GRADES,
                              opens_at=bkk(2026, 9, 1, 8, 30), closes_at=bkk(2026, 9, 30, 16, 30))
    with at(round1.opens_at):
        round1 = open_round(round1, by=planner)
    september = _working_days(office, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    late_school, late_rows = schools[-1], None  # misses the window; the plan officer reopens it for this school only
    entries = []
    for school in schools:
        grades = round_grades_for(round1, school)
        if not grades:
            continue
        rows = _grade_rows(school, grades, strength[school.pk], 1, shares, rng)
        if school == late_school:
            late_rows = rows
            continue
        submitted = _moment_in(september[1:], rng)
        if rng.random() < 0.25:  # a draft first, a few days earlier
            draft = max(submitted - dt.timedelta(days=rng.randint(1, 3), hours=1), round1.opens_at + dt.timedelta(minutes=30))
            entries.append((min(draft, submitted - dt.timedelta(minutes=20)), school, rows, False))
        entries.append((submitted, school, rows, True))
    for moment, school, rows, submit in sorted(entries, key=lambda e: e[0]):
        _enter(round1, school, accounts[school.pk], rows, moment, submit=submit)
    with at(bkk(2026, 10, 1, 9)):
        round1 = close_round(round1, by=planner)
    if late_rows is not None:
        with at(bkk(2026, 10, 1, 10)):
            reopen_for_schools(round1, [late_school], by=planner, until=bkk(2026, 10, 7, 16, 30),
                               reason="ครูผู้รับผิดชอบลาป่วย โรงเรียนขอส่งผลภายหลัง (ข้อมูลสาธิต)")
        _enter(round1, late_school, accounts[late_school.pk], late_rows, bkk(2026, 10, 5, 11), submit=True)

    with at(bkk(2026, 10, 20, 10)):
        round2 = create_round(office, by=planner, academic_year=ACADEMIC_YEAR, number=2, grades=GRADES,
                              opens_at=bkk(2026, 11, 2, 8, 30), closes_at=bkk(2027, 2, 26, 16, 30))
    with at(round2.opens_at):
        round2 = open_round(round2, by=planner)
    november = _working_days(office, dt.date(2026, 11, 2), dt.date(2026, 11, 30))
    keep_free = {s.pk for s in schools[:3]} | {s.pk for s in schools if s.smis_code == DEMO_SCHOOL_CODE}
    eligible = [s for s in schools if s.pk not in keep_free and round_grades_for(round2, s)]
    rng.shuffle(eligible)
    n_submitted, n_draft = round(ROUND2_SUBMITTED * len(schools)), round(ROUND2_DRAFT * len(schools))
    entries = []
    for i, school in enumerate(eligible[:n_submitted + n_draft]):
        rows = _grade_rows(school, round_grades_for(round2, school), strength[school.pk], 2, shares, rng)
        entries.append((_moment_in(november, rng), school, rows, i < n_submitted))
    for moment, school, rows, submit in sorted(entries, key=lambda e: e[0]):
        _enter(round2, school, accounts[school.pk], rows, moment, submit=submit)
    return [round1, round2]
