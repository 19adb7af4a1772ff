"""Reading a school's stored results joins no table it does not need (issue 18): ``SkillResult.Meta.ordering`` starts
with the grade result, which would order (and so join) through the submission, its round, its school and their office."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from literacy.submissions import save_submission, start_submission, submission_data

from .conftest import full_data

pytestmark = pytest.mark.django_db


def test_stored_results_are_read_without_joining_rounds_schools_or_offices(during, lit_round, school_a, account_a):
    submission = start_submission(lit_round, school_a, by=account_a)
    submission = save_submission(submission, by=account_a, grades_data=full_data(), expected_version=submission.version, submit=True)
    with CaptureQueriesContext(connection) as queries:
        data = submission_data(submission)
    assert [g["grade"] for g in data] == ["p1", "p2", "p3"]
    assert len(queries) == 2
    for query in queries.captured_queries:
        for table in ("emes_office", "emes_school", "literacy_literacyround", "literacy_submission"):
            assert f'JOIN "{table}"' not in query["sql"], query["sql"]
