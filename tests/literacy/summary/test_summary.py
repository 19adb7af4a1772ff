"""``literacy.summary.round_summary``: which submissions count, groups, flags, completeness, round comparison, cost."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from literacy.models import Submission
from literacy.summary import round_summary
from tests.factories import SchoolFactory

from .conftest import make_round, school_with_results, submit

pytestmark = pytest.mark.django_db

ALL_FAIR = {"reading_aloud": [0, 0, 10, 0], "reading_comprehension": [0, 0, 10, 0],
            "writing_words": [0, 0, 10, 0], "writing_composition": [0, 0, 10, 0]}


def _skills(aloud, others=(0, 0, 10, 0)):
    return {"reading_aloud": list(aloud), "reading_comprehension": list(others), "writing_words": list(others),
            "writing_composition": list(others)}


def test_submitted_and_reopened_count_drafts_do_not(office_a, round_a):
    a = SchoolFactory(office=office_a, cluster="ก", district="เมือง")
    b = SchoolFactory(office=office_a, cluster="ก", district="เมือง")
    c = SchoolFactory(office=office_a, cluster="ข", district="วังชิ้น")
    SchoolFactory(office=office_a, cluster="ข")  # not started
    submit(round_a, a, {"p1": _skills([4, 3, 2, 1])})
    submit(round_a, b, {"p1": _skills([1, 1, 1, 7])}, status=Submission.Status.REOPENED)
    submit(round_a, c, {"p1": _skills([10, 0, 0, 0])}, status=Submission.Status.DRAFT)
    data = round_summary(round_a)
    assert (data.submitted, data.expected, data.completeness_pct) == (2, 4, Decimal("50.00"))
    p1 = data.office_total.grades["p1"]
    aloud = p1.skills["reading_aloud"]
    assert (p1.assessed, aloud.counts) == (20, [5, 4, 3, 8])
    assert aloud.percents == [Decimal("25.00"), Decimal("20.00"), Decimal("15.00"), Decimal("40.00")]
    assert aloud.top_pct == Decimal("45.00")
    assert data.office_total.schools == 2
    assert [(g.key, g.schools, g.all_grades.assessed) for g in data.clusters] == [("ก", 2, 20)]
    assert [(g.key, g.schools) for g in data.districts] == [("เมือง", 2)]
    statuses = {row.school.pk: (row.status, row.counted) for row in data.schools}
    assert statuses[c.pk] == ("draft", False) and statuses[b.pk] == ("reopened", True)


def test_grades_are_summed_and_special_needs_and_absent_are_apart(office_a, round_a):
    school = SchoolFactory(office=office_a)
    submit(round_a, school, {"p1": _skills([1, 1, 1, 1]), "p2": _skills([3, 0, 0, 1])}, special_needs=2, absent=1)
    total = round_summary(round_a).office_total
    assert [g.grade for g in total.ordered_grades_with_total] == ["p1", "p2", "p3", "all"]
    everything = total.all_grades
    assert (everything.enrolled, everything.assessed, everything.special_needs, everything.absent) == (14, 8, 4, 2)
    assert everything.skills["reading_aloud"].counts == [4, 1, 1, 2]
    assert everything.skills["reading_aloud"].improve_pct == Decimal("25.00")
    assert total.grades["p3"].assessed == 0  # a grade nobody reported shows zeros, no division by zero
    assert total.grades["p3"].skill_rows()[0][2].percents == [None] * 4


def test_a_school_at_the_threshold_is_flagged(office_a):
    rnd = make_round(office_a, flag=30)
    at = SchoolFactory(office=office_a, name="ถึงเกณฑ์")
    together = SchoolFactory(office=office_a, name="รวมชั้นถึงเกณฑ์")
    submit(rnd, at, {"p1": _skills([3, 2, 2, 3])})  # 30.00 % at ปรับปรุง
    # ป.1 20 %, ป.2 40 %: the grades together, 6 of 20 = 30.00 %
    submit(rnd, together, {"p1": _skills([3, 2, 3, 2]), "p2": _skills([0, 0, 6, 4])})
    data = round_summary(rnd)
    rows = {r.school.name: r.flagged_skills for r in data.schools}
    assert rows["ถึงเกณฑ์"] == ["reading_aloud"]
    assert rows["รวมชั้นถึงเกณฑ์"] == ["reading_aloud"]
    rnd.improvement_flag_pct = Decimal("30.01")
    assert round_summary(rnd).flagged == []


def test_round_one_against_round_two(office_a):
    first, second = make_round(office_a, number=1), make_round(office_a, number=2)
    school = SchoolFactory(office=office_a)
    only_first = SchoolFactory(office=office_a)
    submit(first, school, {"p1": _skills([2, 2, 2, 4])})   # top 40 %, improve 40 %
    submit(second, school, {"p1": _skills([4, 3, 2, 1])})  # top 70 %, improve 10 %
    submit(first, only_first, {"p1": _skills([2, 2, 2, 4])})
    for rnd in (first, second):
        data = round_summary(rnd)
        assert (data.first_round, data.second_round) == (first, second)
        rows = {r.school.pk: r.comparison for r in data.schools}
        assert rows[school.pk]["reading_aloud"] == (Decimal("30.00"), Decimal("-30.00"))
        assert rows[school.pk]["writing_words"] == (Decimal("0.00"), Decimal("0.00"))
        assert rows[only_first.pk]["reading_aloud"] == (None, None)


def test_no_comparison_without_the_other_round(round_a):
    data = round_summary(round_a)
    assert data.comparison_round is None
    assert all(row.comparison == {} for row in data.schools)


def test_other_offices_do_not_leak_in(office_a, office_b, round_a):
    submit(round_a, SchoolFactory(office=office_a), {"p1": ALL_FAIR})
    other = make_round(office_b)
    submit(other, SchoolFactory(office=office_b), {"p1": _skills([10, 0, 0, 0])})
    data = round_summary(round_a)
    assert data.office_total.all_grades.skills["reading_aloud"].counts == [0, 0, 10, 0]
    assert data.expected == 1


def _queries(rnd) -> int:
    rnd.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        data = round_summary(rnd)
        for row in data.schools:  # touch what the templates touch
            if row.summary:
                row.summary.all_grades  # noqa: B018
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_schools(office_a, office_b):
    rng = random.Random(6)
    small, large = make_round(office_a), make_round(office_b)
    for n in range(5):
        school_with_results(office_a, small, rng, n)
    for n in range(40):
        school_with_results(office_b, large, rng, n)
    make_round(office_a, number=2)
    make_round(office_b, number=2)
    assert _queries(small) == _queries(large) <= 20
