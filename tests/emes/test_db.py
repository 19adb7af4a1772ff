"""``emes.db.analyze``: fresh PostgreSQL planner statistics after each bulk import (issue 18), run once the
import commits and never on a rollback."""
from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from emes.db import analyze, analyze_tables
from emes.models import Enrolment, School

pytestmark = pytest.mark.django_db


def _analyzed(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]


def test_analyze_runs_on_the_imported_tables_once_committed(django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            analyze(School, Enrolment)
            assert not _analyzed(queries), "ANALYZE must wait for the commit"
    assert _analyzed(queries) == ['ANALYZE "emes_school", "emes_enrolment"']


def test_a_rolled_back_import_analyzes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                analyze(School)
                raise RuntimeError("the import failed")
        except RuntimeError:
            pass
    assert callbacks == []


def test_no_models_means_the_whole_database():
    assert analyze_tables() == ["ANALYZE"]
