"""The one upload intake (emes.uploads): hostile files are refused quickly, in Thai, with bounded memory.

The hostile workbooks are written here directly as XML streamed into a ZIP (a few hundred KB on disk,
tens of MB unpacked), the way the attack files of issue 13 were built.
"""
from __future__ import annotations

import io
import time
import tracemalloc

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.base import ContentFile
from django.core.exceptions import ValidationError
from django.db import transaction

from emes import uploads
from emes.uploads import UploadError, UploadProblem, read_upload
from tests.hostile_files import SHEET_HEAD, one_row_of, rows_of, xlsx

pytestmark = pytest.mark.django_db

#: The peak memory a hostile file may make the reader allocate (tracemalloc, Python allocations).
PEAK_LIMIT = 50 * 1024 * 1024

def refused(data: bytes, **kwargs) -> tuple[UploadError, float, int]:
    """Read ``data``; returns the refusal, the seconds taken and the peak of Python allocations (bytes)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(UploadError) as caught:
            read_upload(data, **kwargs)
    finally:
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return caught.value, seconds, peak


def thai(error: UploadError) -> str:
    text = " ".join(error.messages)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in text), text
    return text


# --- hostile workbooks --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def one_row_bomb() -> bytes:
    data = xlsx(one_row_of(2_000_000))  # 30 MB of XML packed into a few hundred KB
    assert len(data) < 1024 * 1024
    return data


def test_a_row_of_millions_of_cells_is_refused_as_a_zip_bomb_before_it_is_parsed(one_row_bomb):
    error, seconds, peak = refused(one_row_bomb, filename="bomb.xlsx")
    assert "ZIP bomb" in thai(error)
    assert seconds < 5 and peak < PEAK_LIMIT


def test_a_row_of_millions_of_cells_is_stopped_by_the_streaming_count_even_when_it_packs_plausibly(one_row_bomb, settings):
    settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9  # the ratio check off: the stream pre-scan must stop it alone
    error, seconds, peak = refused(one_row_bomb, filename="bomb.xlsx")
    assert error.problems[0].row == 1
    assert "เกิน 256 คอลัมน์" in thai(error)
    assert seconds < 5 and peak < PEAK_LIMIT


def test_a_million_and_one_rows_are_refused_while_streaming(settings):
    settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9
    data = xlsx(rows_of(1_000_001))
    error, seconds, peak = refused(data, filename="rows.xlsx")
    assert "เกิน 100,000 แถว" in thai(error)
    assert seconds < 10 and peak < PEAK_LIMIT


def test_a_cell_far_away_is_refused_by_the_used_rectangle():
    data = xlsx([b'<row r="1"><c r="A1"><v>1</v></c></row><row r="90000"><c r="IV90000"><v>1</v></c></row>'])
    error, _seconds, _peak = refused(data, filename="far.xlsx")
    assert "ช่อง" in thai(error)


def test_a_lying_dimension_does_not_make_the_reader_pad():
    head = SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    data = xlsx([b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'], head=head)
    sheet = read_upload(data, filename="dim.xlsx").sheets[0]
    assert sheet.rows == [(1, ["x"])] and sheet.width == 1


def test_xml_entity_expansion_is_refused():
    head = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    data = xlsx([b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'], head=head)
    error, _seconds, _peak = refused(data, filename="lol.xlsx")
    assert "DTD" in thai(error)


def test_too_many_parts_are_refused(settings):
    settings.EMES_UPLOAD_MAX_ZIP_MEMBERS = 4
    error, _seconds, _peak = refused(xlsx([b""]), filename="parts.xlsx")
    assert "ส่วนประกอบ" in thai(error)


# --- hostile CSV --------------------------------------------------------------------------------
def test_a_csv_with_a_10_mb_field_is_refused():
    data = b"code,name\n1," + b"x" * (10 * 1024 * 1024) + b"\n"
    error, seconds, peak = refused(data, filename="big.csv", max_bytes=20 * 1024 * 1024)
    assert error.problems[0].row == 2
    assert "32,767" in thai(error)
    assert seconds < 5 and peak < 4 * len(data) + PEAK_LIMIT  # the text itself, decoded once


def test_a_csv_over_the_byte_limit_is_refused_without_reading_it_all():
    data = b"code,name\n1," + b"x" * (10 * 1024 * 1024) + b"\n"
    error, _seconds, peak = refused(data, filename="big.csv")
    assert error.code == "size" if hasattr(error, "code") else True
    assert "MB" in thai(error)


def test_a_csv_with_a_huge_column_count_is_refused():
    data = b"a" + b",a" * 100_000 + b"\n"
    error, seconds, _peak = refused(data, filename="wide.csv")
    assert error.problems[0].row == 1 and "100,001 คอลัมน์" in thai(error)
    assert seconds < 5


def test_a_csv_with_too_many_rows_is_refused(settings):
    settings.EMES_UPLOAD_MAX_ROWS = 1000
    error, _seconds, _peak = refused(b"a\n" * 1001, filename="long.csv")
    assert "เกิน 1,000 แถว" in thai(error)


# --- what a good file gives ---------------------------------------------------------------------
def test_a_workbook_is_read_into_sheets_of_values_with_formulas_and_merges():
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "โรงเรียน"
    ws.append(["รหัส", "ชื่อ"])
    ws.append([54020001, "บ้านน้ำริน"])
    ws["C3"] = "=1+1"
    ws.merge_cells("A5:B5")
    out = io.BytesIO()
    workbook.save(out)
    upload = read_upload(out.getvalue(), filename="list.xlsx")
    sheet = upload.sheet("โรงเรียน")
    assert upload.kind == "xlsx" and sheet.rows[:2] == [(1, ["รหัส", "ชื่อ", None]), (2, [54020001, "บ้านน้ำริน", None])]
    assert sheet.formulas == {(3, 3)} and sheet.merged == ["A5:B5"]


def test_a_csv_in_tis620_is_read():
    upload = read_upload("รหัส;ชื่อ\n54020001;บ้านน้ำริน\n".encode("cp874"), filename="list.csv")
    assert upload.encoding.startswith("TIS-620") and upload.sheets[0].rows == [(1, ["รหัส", "ชื่อ"]), (2, ["54020001", "บ้านน้ำริน"])]


def test_the_whole_obec_list_fits_the_default_limits():
    """All 29,579 OBEC schools with 40 columns: within the default rows, columns and cells."""
    limits = uploads.Limits.from_settings()
    assert 29_579 < limits.max_rows and 40 < limits.max_cols and 29_580 * 40 <= limits.max_cells


def test_a_problem_reads_as_thai_with_sheet_row_and_column():
    problem = UploadProblem("ไม่ใช่ตัวเลข", sheet="โครงการ", row=5, column="C")
    assert str(problem) == 'ชีต "โครงการ" แถว 5 คอลัมน์ "C": ไม่ใช่ตัวเลข'


# --- evidence names -----------------------------------------------------------------------------
def test_a_400_character_thai_name_is_kept_short_for_display_and_never_reaches_the_storage():
    name = "รายงานผลการดำเนินงาน" * 20 + ".pdf"
    assert len(name) > 400
    shown = uploads.display_name(name, 255)
    assert len(shown) == 255 and shown.endswith(".pdf")
    stored = uploads.stored_name("pdf")
    assert len(stored) == 36 and stored.endswith(".pdf")
    evidence = uploads.read_evidence(ContentFile(b"%PDF-1.7\n", name=name))
    assert len(evidence.name) <= uploads.DISPLAY_NAME_LENGTH and evidence.name.endswith(".pdf")


# --- files stored inside a transaction ----------------------------------------------------------
class _Holder:
    """A stand-in for a model's FieldFile: a name in the default storage."""

    def __init__(self, name: str):
        self.storage, self.name = default_storage, name

    def __bool__(self) -> bool:
        return bool(self.name)


def test_a_file_stored_in_a_block_that_rolls_back_is_deleted():
    name = default_storage.save("tests/rollback.txt", ContentFile(b"x"))
    with pytest.raises(ValidationError, match="^\\['refused'\\]$"), uploads.removing_files_on_rollback():
        uploads.delete_on_rollback(_Holder(name))
        raise ValidationError("refused")
    assert not default_storage.exists(name)


def test_a_file_of_an_inner_block_goes_when_the_outer_block_rolls_back_later():
    name = default_storage.save("tests/rollback.txt", ContentFile(b"x"))
    with pytest.raises(ValidationError, match="refused later"), uploads.removing_files_on_rollback():
        with uploads.removing_files_on_rollback():
            uploads.delete_on_rollback(_Holder(name))
        assert default_storage.exists(name)
        raise ValidationError("refused later")
    assert not default_storage.exists(name)


def test_a_file_of_a_committed_block_stays():
    name = default_storage.save("tests/rollback.txt", ContentFile(b"x"))
    with uploads.removing_files_on_rollback():
        uploads.delete_on_rollback(_Holder(name))
    assert default_storage.exists(name)
    default_storage.delete(name)


def test_registering_a_file_outside_a_cleanup_block_is_a_programming_error():
    with transaction.atomic(), pytest.raises(RuntimeError):
        uploads.delete_on_rollback(_Holder("x"))
