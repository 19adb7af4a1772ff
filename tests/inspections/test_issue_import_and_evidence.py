"""The inspection-issue import reads through emes.uploads (hostile files refused, nothing saved); evidence
is refused on a question that shows no files (issue 13, items 3 and 8)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from emes.uploads import UploadError
from inspections import services, workbook
from inspections.models import AnswerEvidence, InspectionIssue, IssueIndicator
from tests.hostile_files import bomb_row, million_rows

from .conftest import SCHEDULE

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def preparing(cast):
    return services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=1, data=SCHEDULE, today=dt.date(2025, 11, 1))


def _template_with(round, rows) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(workbook.issues_template(round)))
    ws = wb.active
    for offset, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            ws.cell(row=offset, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_good_template_is_imported(cast, preparing):
    data = _template_with(preparing, [["1", "การอ่านออกเขียนได้", "", "05", "ร้อยละนักเรียนอ่านออก", "ร้อยละ", 100, "", ""]])
    assert workbook.import_issues(preparing, SimpleUploadedFile("issues.xlsx", data), by=cast.planner) == (1, 1)


@pytest.mark.parametrize("build", [bomb_row, million_rows], ids=["row of millions of cells", "a million rows"])
def test_a_hostile_workbook_is_refused_and_nothing_is_saved(cast, preparing, build, settings):
    settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9  # past the ZIP check: the streaming count must stop it
    with pytest.raises(UploadError) as caught:
        workbook.import_issues(preparing, SimpleUploadedFile("issues.xlsx", build()), by=cast.planner)
    assert "เกิน" in " ".join(caught.value.messages)
    assert not InspectionIssue.objects.exists() and not IssueIndicator.objects.exists()


def test_a_workbook_that_unpacks_too_large_is_refused(cast, preparing, settings):
    """The import had no unpacked-size check at all before (issue 13)."""
    settings.EMES_UPLOAD_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(UploadError, match="เมื่อแตกไฟล์"):
        workbook.import_issues(preparing, SimpleUploadedFile("issues.xlsx", workbook.issues_template(preparing)), by=cast.planner)
    assert not InspectionIssue.objects.exists()


def test_bad_cells_name_row_and_column(cast, preparing):
    data = _template_with(preparing, [["1", "ประเด็น", "", "99", "ตัวชี้วัด", "", "", "", ""]])
    with pytest.raises(UploadError) as caught:
        workbook.import_issues(preparing, SimpleUploadedFile("issues.xlsx", data), by=cast.planner)
    assert caught.value.problems[0].row == 2 and caught.value.problems[0].column.startswith("D")
    assert caught.value.messages[0].startswith("แถวที่ 2 คอลัมน์")


@pytest.fixture
def mine(cast, round_with_form):
    sent = services.dispatch_forms(round_with_form, by=cast.planner, schools=cast.schools[:1])
    return round_with_form, sent[0]


@pytest.mark.parametrize("kind", ["text", "number", "yes_no"])
def test_evidence_on_a_question_that_shows_no_files_is_refused(cast, mine, kind):
    r, d = mine
    question = r.questions.get(kind=kind)
    with pytest.raises(ValidationError) as caught:
        services.add_answer_evidence(d, SimpleUploadedFile("หลักฐาน.pdf", PDF), by=cast.school_users[0], question=question)
    assert "question" in caught.value.message_dict
    assert not AnswerEvidence.objects.exists()


def test_evidence_on_a_file_question_is_kept_under_a_short_name_with_a_long_thai_name_shown(cast, mine):
    r, d = mine
    name = "หลักฐานการดำเนินงานตามประเด็นการตรวจราชการ" * 10 + ".pdf"
    assert len(name) > 400
    row = services.add_answer_evidence(d, SimpleUploadedFile(name, PDF), by=cast.school_users[0], question=r.questions.get(kind="file"))
    assert row.original_name.endswith(".pdf") and len(row.original_name) <= 150
    assert len(row.file.name) <= row.file.field.max_length


def test_an_issue_import_analyzes_the_issue_tables(cast, preparing, django_capture_on_commit_callbacks):
    # Issue 18: fresh planner statistics after a bulk import (emes.db.analyze), once committed.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = _template_with(preparing, [["1", "การอ่านออกเขียนได้", "", "05", "ร้อยละนักเรียนอ่านออก", "ร้อยละ", 100, "", ""]])
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            workbook.import_issues(preparing, SimpleUploadedFile("issues.xlsx", data), by=cast.planner)
    analyzed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analyzed and '"inspections_issueindicator"' in analyzed[0]
