"""The school's Excel template and its upload: round trip, preview, and the bad files (nothing stored changes)."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from literacy.models import Submission, SubmissionChange
from literacy.school_workbook import FIRST_ROW, ROUND_CELL, SCHOOL_CELL, build_template

from .conftest import make_round, stored_state

pytestmark = pytest.mark.django_db
FIGURES = {"p1": (25, 23, 1, 1, (10, 8, 3, 2)), "p2": (20, 18, 0, 2, (5, 5, 5, 3)), "p3": (18, 18, 0, 0, (6, 6, 4, 2))}


def filled(literacy_round, school, **cells) -> bytes:
    """The school's template with every grade filled in as FIGURES, then ``cells`` (e.g. ``E12="x"``) overwritten."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(literacy_round, school)))
    ws = wb.active
    for offset, (_grade, (enrolled, assessed, special, absent, levels)) in enumerate(FIGURES.items()):
        r = FIRST_ROW + offset
        ws[f"B{r}"], ws[f"E{r}"], ws[f"F{r}"], ws[f"G{r}"] = enrolled, assessed, special, absent
        for i in range(16):
            ws.cell(row=r, column=8 + i, value=levels[i % 4])
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, literacy_round, school, data: bytes, name="ผลการประเมิน.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("literacy:school-upload", args=[school.smis_code, literacy_round.pk]),
                       {"file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE="th")


def test_template_has_the_school_round_grades_and_registry(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    response = client.get(reverse("literacy:school-template", args=[school_a.smis_code, lit_round.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws[SCHOOL_CELL].value == "99010001" and ws[ROUND_CELL].value == str(lit_round.pk)
    assert [ws[f"A{FIRST_ROW + i}"].value for i in range(3)] == ["ป.1", "ป.2", "ป.3"]
    assert [ws[f"B{FIRST_ROW + i}"].value for i in range(3)] == [25, 20, 18]
    assert ws[f"A{FIRST_ROW + 3}"].value is None


def test_template_text_is_formula_safe(during, lit_round, school_a):
    school_a.name = "=HYPERLINK(\"http://x\")"
    ws = openpyxl.load_workbook(io.BytesIO(build_template(lit_round, school_a))).active
    assert ws["C3"].data_type == "s" and ws["C3"].value.startswith("=")


def test_upload_preview_then_save_and_submit(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, filled(lit_round, school_a))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "ผ่านการตรวจสอบทั้งหมด" in preview.content.decode()
    assert stored_state()[0] == []  # nothing stored before saving
    saved = client.post(response["Location"], {"submit": "1"})
    assert saved.status_code == 302
    submission = Submission.objects.get()
    assert (submission.status, submission.grades.count()) == ("submitted", 3)
    assert SubmissionChange.objects.get().action == "uploaded"
    assert client.post(response["Location"], {"submit": "1"}).status_code == 302  # the token is spent: back to the upload page
    assert SubmissionChange.objects.count() == 1


@pytest.mark.parametrize("cells, message", [
    ({"K12": 0}, "การอ่านออกเสียง ป.1: ดีมาก+ดี+พอใช้+ปรับปรุง = 21 ไม่เท่ากับจำนวนผู้เข้ารับการประเมิน 23"),
    ({"F13": -1}, "ติดลบ"),
    ({"E14": "สิบแปด"}, "ไม่ใช่จำนวนเต็ม"),
    ({"B12": 30}, "ไม่เท่ากับจำนวนนักเรียนทั้งหมด"),
])
def test_bad_cells_are_shown_with_row_and_column_and_cannot_be_saved(client, during, lit_round, school_a, account_a, cells, message):
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, filled(lit_round, school_a, **cells))
    preview = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="th")
    page = preview.content.decode()
    assert message in page and "แถว 1" in page
    assert preview.context["can_save"] is False
    assert client.post(response["Location"], {"submit": "1"}, HTTP_ACCEPT_LANGUAGE="th").status_code == 200
    assert stored_state() == ([], [], [], 0)


def test_upload_of_another_school_is_refused(client, during, lit_round, school_a, school_a2, account_a):
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, filled(lit_round, school_a2))
    assert response.status_code == 200
    assert "ไม่ใช่ของโรงเรียนท่าน" in response.content.decode()
    assert stored_state() == ([], [], [], 0)


def test_template_of_another_round_is_refused(client, during, lit_round, school_a, account_a):
    other = make_round(school_a.office, number=2)
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, filled(other, school_a))
    assert "แบบฟอร์มของการประเมินครั้งอื่น" in response.content.decode()
    assert stored_state() == ([], [], [], 0)


def test_renamed_non_xlsx_is_refused(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    for data, refusal in ((b"%PDF-1.4 not a workbook", "ไม่ใช่ไฟล์ Excel (.xlsx)"), (b"grade,enrolled\np1,25\n", "ไม่ใช่สมุดงาน Excel (.xlsx)"),
                          (b"PK\x03\x04 broken zip", "ไม่ใช่สมุดงาน Excel (.xlsx)")):
        response = upload(client, lit_round, school_a, data, name="ผล.xlsx")
        assert response.status_code == 200 and refusal in response.content.decode()
    assert stored_state() == ([], [], [], 0)


def test_oversized_file_is_refused(client, during, settings, lit_round, school_a, account_a):
    data = filled(lit_round, school_a)
    settings.EMES_IMPORT_MAX_BYTES = len(data) - 1
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, data)
    assert response.status_code == 200 and "เกินขนาดที่รับได้" in response.content.decode()
    assert stored_state() == ([], [], [], 0)


def test_preview_of_another_school_token_is_not_shown(client, during, lit_round, school_a, school_a2, account_a, account_a2):
    client.force_login(account_a)
    location = upload(client, lit_round, school_a, filled(lit_round, school_a))["Location"]
    client.force_login(account_a2)  # a new session; and the URL names school A
    assert client.get(location).status_code == 404
    assert client.post(location, {"submit": "1"}).status_code == 404
    assert stored_state() == ([], [], [], 0)


@pytest.mark.parametrize("hostile", ["row", "rows"])
def test_a_hostile_workbook_is_refused_in_thai_and_nothing_is_stored(client, during, settings, lit_round, school_a, account_a, hostile):
    from tests.hostile_files import bomb_row, million_rows

    settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9  # the streaming count must stop it on its own
    client.force_login(account_a)
    response = upload(client, lit_round, school_a, bomb_row() if hostile == "row" else million_rows())
    assert response.status_code == 200 and "เกิน" in response.content.decode()
    assert stored_state() == ([], [], [], 0)
