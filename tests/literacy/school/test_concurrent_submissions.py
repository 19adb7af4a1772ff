"""Many schools submitting at the same moment on PostgreSQL lose nothing and duplicate nothing (issue 18).

Each school submits from its own thread and its own database connection (as gunicorn workers do); every school
also sends its submission twice at once (a double click, a retry after a timeout). Afterwards each school has
exactly one submission, submitted once, with its three grades and twelve skill rows, and the second copy of each
double send was refused as stale (``ValidationError`` code ``stale``) or saw the first one's submission.
"""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from literacy.models import GradeResult, SkillResult, Submission, SubmissionChange
from literacy.submissions import save_submission, start_submission
from tests.factories import SchoolFactory

from .conftest import full_data, make_round, school_account

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOLS = 24


def test_many_schools_submitting_at_once_lose_and_duplicate_nothing(office_a, during):
    literacy_round = make_round(office_a)
    schools = [SchoolFactory(office=office_a, smis_code=f"9901{n:04d}", name=f"บ้านพร้อมกัน {n}") for n in range(SCHOOLS)]
    accounts = {s.pk: school_account(s, s.smis_code) for s in schools}
    start = threading.Barrier(SCHOOLS * 2)
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def submit(school) -> None:
        try:
            start.wait(timeout=30)
            submission = start_submission(literacy_round, school, by=accounts[school.pk])
            save_submission(submission, by=accounts[school.pk], grades_data=full_data(), expected_version=submission.version, submit=True)
            outcome = "saved"
        except ValidationError as exc:
            outcome = exc.code or "invalid"
        except Exception as exc:  # noqa: BLE001 - any other failure is what the test is about
            outcome = f"error: {exc!r}"
        finally:
            connection.close()  # this thread's own connection
        with lock:
            outcomes.append((school.pk, outcome))

    threads = [threading.Thread(target=submit, args=(s,)) for s in schools for _copy in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    errors = [o for o in outcomes if o[1].startswith("error")]
    assert errors == []
    per_school = Counter(pk for pk, outcome in outcomes if outcome == "saved")
    # Each school: one copy saved; the other saved after it (a correction of the same figures) or refused as stale.
    assert set(per_school) == {s.pk for s in schools}
    assert all(1 <= n <= 2 for n in per_school.values())
    assert all(outcome in ("saved", "stale") for _pk, outcome in outcomes)

    assert Submission.objects.filter(round=literacy_round).count() == SCHOOLS
    assert Submission.objects.filter(round=literacy_round, status=Submission.Status.SUBMITTED).count() == SCHOOLS
    assert Submission.objects.filter(round=literacy_round).values("school").distinct().count() == SCHOOLS
    assert GradeResult.objects.filter(submission__round=literacy_round).count() == SCHOOLS * 3
    assert SkillResult.objects.filter(grade_result__submission__round=literacy_round).count() == SCHOOLS * 3 * 4
    changes = Counter(SubmissionChange.objects.filter(submission__round=literacy_round).values_list("submission__school_id", flat=True))
    assert changes == {pk: per_school[pk] for pk in per_school}, "one change row per accepted save, none for a refused one"
    submitted = Counter(SubmissionChange.objects.filter(submission__round=literacy_round, action=SubmissionChange.Action.SUBMITTED)
                        .values_list("submission__school_id", flat=True))
    assert submitted == {s.pk: 1 for s in schools}, "each school submitted exactly once"
