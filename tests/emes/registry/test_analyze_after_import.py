"""A school import refreshes PostgreSQL's planner statistics of the registry once it commits (issue 18,
``emes.db.analyze``): the first pages after the national list is loaded must not scan every school."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emes.registry import services

pytestmark = pytest.mark.django_db


def test_the_school_import_analyzes_schools_and_enrolments(django_capture_on_commit_callbacks, office_5402, phrae_detail):
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_schools_from_file(phrae_detail, office_5402, academic_year=2568)
    assert 'ANALYZE "emes_school", "emes_enrolment"' in [q["sql"] for q in queries]


def test_a_refused_school_import_analyzes_nothing(django_capture_on_commit_callbacks, office_5402, phrae_detail):
    school_import = services.upload_school_file(
        office_5402, SimpleUploadedFile(phrae_detail.name, phrae_detail.read_bytes()), by=None, academic_year=2568)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(ValidationError):
            services.apply_school_import(school_import, by=None, fingerprint="stale")
    assert callbacks == []
