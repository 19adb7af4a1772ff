"""Reading registry files: bytes → a table of cells → office or school records.

Nothing here touches the database; :mod:`emes.registry.services` compares the records with the
registry and writes. Every problem found is collected as a :class:`Problem` (row, column, Thai
message) and raised together in one :class:`ImportFileError`, so a plan officer fixes a file in one
round instead of one error per upload.

File rules (issue 3, "Registry"):

- Only ``.csv`` and ``.xlsx``, checked by content: an XLSX is a ZIP holding ``xl/workbook.xml``; a
  PDF, image, old ``.xls`` or other binary renamed ``.csv``/``.xlsx`` is refused, and so is a file
  whose content does not match its extension.
- CSV is read with the stdlib :mod:`csv` module, in UTF-8 (with or without BOM) or TIS-620 /
  Windows-874 (what Thai Excel writes with "CSV (Comma delimited)"); the delimiter is ``,``, ``;``
  or tab, whichever the header line uses most.
- XLSX: the first sheet; the header is its first non-empty row; formulas and merged cells in the
  header or below are refused (a formula's value is not stored reliably; merged cells hide which
  school a value belongs to). openpyxl is loaded *not* read-only because read-only worksheets do not
  report merged cells.
- Row numbers in messages are the spreadsheet's row numbers (the header is row 1 in a CSV).

School files are recognised by their header, whatever the column order; the aliases below cover the
shapes of ``data/01_schools/`` (the 2022 national list, the Phrae 2 detail and codes files, the
Chiang Rai 3 DMC student counts, the Chai Nat joined list). A column that is neither imported nor
known-and-ignored is an error, so a misspelt header never silently drops data.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _, ngettext
from openpyxl.utils import get_column_letter, range_boundaries

from emes.models import Grade, Office, School
from emes.tabular import cell_text
from emes.uploads import UploadError as ImportFileError, UploadProblem as Problem, UploadSheet, read_upload

#: A count above this is refused as a typing error (the largest Thai schools have under 10,000 students).
MAX_STUDENTS = 100_000

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

#: The 77 provinces (จังหวัด), as OBEC spells them in office names (data/01_schools, 2022 list).
PROVINCES = frozenset(
    """กระบี่ กรุงเทพมหานคร กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร
    ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ นนทบุรี นราธิวาส น่าน บึงกาฬ บุรีรัมย์
    ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา พะเยา พังงา พัทลุง พิจิตร พิษณุโลก ภูเก็ต มหาสารคาม
    มุกดาหาร ยะลา ยโสธร ระนอง ระยอง ราชบุรี ร้อยเอ็ด ลพบุรี ลำปาง ลำพูน ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ
    สมุทรสงคราม สมุทรสาคร สระบุรี สระแก้ว สิงห์บุรี สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ สุโขทัย หนองคาย หนองบัวลำภู
    อำนาจเจริญ อุดรธานี อุตรดิตถ์ อุทัยธานี อุบลราชธานี อ่างทอง เชียงราย เชียงใหม่ เพชรบุรี เพชรบูรณ์ เลย แพร่ แม่ฮ่องสอน""".split()
)


# --------------------------------------------------------------------------------------------
# File → table
# --------------------------------------------------------------------------------------------
@dataclass
class Table:
    """A sheet read from a file: the header and the data rows, cells aligned to the header.

    ``rows`` holds ``(row number in the file, cells)``; cells are ``str`` for CSV and the cell
    values openpyxl gives (``str``, ``int``, ``float``, ``datetime``, ``bool`` or ``None``) for XLSX.
    Fully empty rows are left out. ``encoding`` is the CSV encoding used ("" for XLSX).
    """

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    file_type: str
    encoding: str = ""


def read_table(data: bytes, filename: str, *, is_header: Callable[[list[str]], bool] | None = None, limit_size: bool = True) -> Table:
    """Read the first sheet of an XLSX or a CSV into a :class:`Table`; raises :class:`ImportFileError`.

    The file is read by :func:`emes.uploads.read_upload` (type by content, bounded rows, columns
    and cells). The header is the first non-empty row, or, with ``is_header``, the first row of the
    first :data:`HEADER_SEARCH_ROWS` non-empty rows it accepts (title rows above it are skipped; if
    none is accepted, the first non-empty row, so its unknown columns are reported).
    """
    upload = read_upload(data, filename=filename, kinds=("csv", "xlsx"), limit_size=limit_size)
    kind, sheet = upload.kind, upload.sheets[0]
    raw = sheet.rows
    if not raw:
        raise ImportFileError([_("The file is empty.")])
    start = 0
    if is_header is not None:
        for index, (_number, values) in enumerate(raw[:HEADER_SEARCH_ROWS]):
            if is_header([normalise_header(v) for v in values]):
                start = index
                break
    header_row, header_values = raw[start]
    width = max(i for i, v in enumerate(header_values) if _present(v)) + 1
    header = [normalise_header(v) for v in header_values[:width]]
    rows: list[tuple[int, list[Any]]] = []
    problems: list[Problem] = []
    for number, values in raw[start + 1:]:
        if any(_present(v) for v in values[width:]):
            problems.append(Problem(
                _("the row has %(cells)s cells but the header has %(columns)s columns (a comma inside a value that is not in quotes?)")
                % {"cells": max(i for i, v in enumerate(values) if _present(v)) + 1, "columns": width}, row=number,
            ))
            continue
        row = list(values[:width])
        rows.append((number, row + [None if kind == "xlsx" else ""] * (width - len(row))))
    if kind == "xlsx":
        problems += _xlsx_problems(sheet, header, header_row)
    if problems:
        raise ImportFileError(problems)
    if not rows:
        raise ImportFileError([_("The file has a header row but no data rows.")])
    return Table(header=header, header_row=header_row, rows=rows, file_type=kind, encoding=upload.encoding)


#: How many leading non-empty rows may be titles above the header.
HEADER_SEARCH_ROWS = 10


def _xlsx_problems(sheet: UploadSheet, header: list[str], header_row: int) -> list[Problem]:
    """Formulas and merged cells from the header down (titles above it may be merged)."""
    problems: list[Problem] = []
    for row, col in sorted(sheet.formulas):
        if row < header_row:
            continue
        index = col - 1
        column = header[index] if index < len(header) and header[index] else get_column_letter(col)
        problems.append(Problem(_("the cell %(cell)s holds a formula; copy the sheet and paste values only.") % {"cell": f"{get_column_letter(col)}{row}"}, row=row, column=column))
    for merged in sheet.merged:
        _min_col, min_row, _max_col, max_row = range_boundaries(merged)
        if max_row >= header_row:
            problems.append(Problem(_("cells %(range)s are merged; unmerge them and fill every row.") % {"range": merged}, row=min_row))
    return problems


# --------------------------------------------------------------------------------------------
# Cell values
# --------------------------------------------------------------------------------------------
def normalise_header(value: Any) -> str:
    """A header as shown to people: NFC, whitespace collapsed (``" รวมป.1 "`` → ``"รวมป.1"``)."""
    return " ".join(unicodedata.normalize("NFC", "" if value is None else str(value)).split())


def _key(header: str) -> str:
    return header.lower()


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) or bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", cell_digits(value)))


def cell_digits(value: Any) -> str:
    """A code cell as text with Thai digits turned into Arabic ones ("" for an empty cell)."""
    if isinstance(value, bool):
        return str(value)
    return cell_text(value).translate(THAI_DIGITS)


class CellError(ValueError):
    """A cell value that does not fit its column; the message is the Thai sentence shown."""


def cell_count(value: Any) -> int | None:
    """A student count: ``None`` for empty or ``-`` (the OBEC files' "none / not applicable"), else a whole number ≥ 0.

    Accepts ``1,234``, Thai digits and whole floats; raises :class:`CellError` for text, fractions,
    negative numbers and counts over :data:`MAX_STUDENTS`.
    """
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        raise CellError(_("%(value)s is not a number of students.") % {"value": cell_text(value)})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("%(value)s is not a whole number.") % {"value": value})
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = cell_digits(value).replace(",", "").replace(" ", "")
        if text in ("", "-"):
            return None
        match = re.fullmatch(r"(-?)(\d+)(?:\.(\d+))?", text)
        if not match:
            raise CellError(_("\"%(value)s\" is not a number of students.") % {"value": cell_text(value)})
        if match.group(3) and match.group(3).strip("0"):
            raise CellError(_("%(value)s is not a whole number.") % {"value": cell_text(value)})
        number = int(match.group(2)) * (-1 if match.group(1) else 1)
    if number < 0:
        raise CellError(_("%(value)s is negative; a number of students cannot be below 0.") % {"value": number})
    if number > MAX_STUDENTS:
        raise CellError(_("%(value)s students is too many for one school; check the number.") % {"value": number})
    return number


# --------------------------------------------------------------------------------------------
# Offices
# --------------------------------------------------------------------------------------------
def province_from_office_name(name: str) -> str:
    """The province of an office, from its OBEC name; "" when the name names none.

    "สพป.แพร่ เขต 2" → "แพร่"; "สพม.กรุงเทพมหานคร เขต 1" → "กรุงเทพมหานคร"; a secondary office of
    several provinces ("สพม.จันทบุรี ตราด") → the first, the province where the office sits;
    "สำนักบริหารงานการศึกษาพิเศษ" → "".
    """
    match = re.fullmatch(r"(?:สพป\.|สพม\.)\s*(.+?)(?:\s+เขต\s*\d+)?", " ".join(name.split()))
    if not match:
        return ""
    parts = match.group(1).split()
    return parts[0] if parts and all(p in PROVINCES for p in parts) else ""


@dataclass
class OfficeRecord:
    """One office row: ``area_code`` 4 (primary) or 6 digits, ``type`` an ``Office.Type`` value."""

    row: int
    area_code: str
    name: str
    type: str
    province: str


_OFFICE_COLUMNS = {
    "area_code": ("area_code", "รหัสเขต", "รหัสเขตพื้นที่", "รหัส สพท."),
    "name": ("esa_name", "name", "ชื่อเขต", "ชื่อเขตพื้นที่", "ชื่อ สพท."),
    "type": ("esa_type", "type", "ประเภท"),
    "province": ("province", "จังหวัด"),
}
_OFFICE_IGNORED = {"seq", "ลำดับ", "ที่"}
_OFFICE_TYPES = {
    "primary": Office.Type.PRIMARY, "สพป.": Office.Type.PRIMARY, "สพป": Office.Type.PRIMARY,
    "secondary": Office.Type.SECONDARY, "สพม.": Office.Type.SECONDARY, "สพม": Office.Type.SECONDARY,
    "special": Office.Type.SPECIAL,
}


def parse_office_table(table: Table) -> list[OfficeRecord]:
    """Office rows of ``esa_list_obec_emis_2022.csv`` (or the same columns in Thai, any order).

    Needs an area-code and a name column; ``esa_type`` is optional (else taken from the name's
    สพป./สพม. prefix). ``province`` comes from a province column or :func:`province_from_office_name`.
    Raises :class:`ImportFileError` for unknown columns, bad or duplicate area codes, unknown types.
    """
    columns, problems = _map_columns(table, {f: aliases for f, aliases in _OFFICE_COLUMNS.items()}, ignored=_OFFICE_IGNORED)
    for required in ("area_code", "name"):
        if required not in columns and not problems:
            problems.append(Problem(_("the file needs a column %(names)s.") % {"names": " / ".join(_OFFICE_COLUMNS[required][:3])}, row=table.header_row))
    if problems:
        raise ImportFileError(problems)
    records: list[OfficeRecord] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        def get(name: str) -> str:
            return cell_text(cells[columns[name]]) if name in columns else ""
        code, name = cell_digits(cells[columns["area_code"]]), get("name")
        header = table.header[columns["area_code"]]
        if not re.fullmatch(r"\d{4}(\d{2})?", code):
            problems.append(Problem(_("area code %(code)s is not 4 or 6 digits.") % {"code": code or "-"}, row=number, column=header))
            continue
        if code in seen:
            problems.append(Problem(_("area code %(code)s appears again (first in row %(first)s).") % {"code": code, "first": seen[code]}, row=number, column=header))
            continue
        seen[code] = number
        if not name:
            problems.append(Problem(_("the name is empty."), row=number, column=table.header[columns["name"]]))
            continue
        raw_type = get("type").lower()
        if raw_type:
            office_type = _OFFICE_TYPES.get(raw_type)
            if office_type is None:
                problems.append(Problem(_("type \"%(value)s\" is not primary, secondary or special.") % {"value": raw_type}, row=number, column=table.header[columns["type"]]))
                continue
        else:
            office_type = Office.Type.PRIMARY if name.startswith("สพป") else Office.Type.SECONDARY if name.startswith("สพม") else Office.Type.SPECIAL
        if len(name) > Office._meta.get_field("name").max_length:
            problems.append(Problem(_("the name is longer than %(max)s characters.") % {"max": Office._meta.get_field("name").max_length}, row=number, column=table.header[columns["name"]]))
            continue
        records.append(OfficeRecord(number, code, name, office_type, get("province") or province_from_office_name(name)))
    if problems:
        raise ImportFileError(problems)
    return records


# --------------------------------------------------------------------------------------------
# Schools: the column catalogue
# --------------------------------------------------------------------------------------------
#: Imported columns: target → header aliases (compared case-insensitively, whitespace collapsed).
#: Targets are ``School`` fields, plus ``code`` (8 or 10 digits, told apart by length), ``area``
#: (the office's code: filters the national list), ``level_range`` ("อนุบาล-ประถมศึกษา" → lowest /
#: highest grade), ``status`` (open / เรียนรวม / closed) and ``grade:<g>`` (students of a grade).
SCHOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "smis_code": ("school_code_8_smis", "smis_code", "smis", "รหัส smis", "รหัสโรงเรียน 8 หลัก", "รหัสสถานศึกษา 8 หลัก", "รหัส 8 หลัก"),
    "moe_code": ("school_id_10", "moe_code", "รหัสกระทรวง", "รหัสโรงเรียน 10 หลัก", "รหัสสถานศึกษา 10 หลัก", "รหัส 10 หลัก"),
    "code": ("รหัสโรงเรียน", "รหัสสถานศึกษา", "school_code", "code"),
    "area": ("area_code", "รหัสเขต", "รหัสเขตพื้นที่", "รหัส สพท."),
    "name": ("school_name", "ชื่อโรงเรียน", "ชื่อสถานศึกษา", "name"),
    "district": ("district", "อำเภอ"),
    "subdistrict": ("subdistrict", "ตำบล"),
    "cluster": ("school_group", "cluster", "กลุ่มโรงเรียน", "ศูนย์ประสานงาน", "ศูนย์ประสานงานทางการศึกษา", "coordination_center", "coordination_center_2569"),
    "lowest_grade": ("lowest_grade", "ชั้นต่ำสุด", "ชั้นที่เปิดสอนต่ำสุด"),
    "highest_grade": ("highest_grade", "ชั้นสูงสุด", "ชั้นที่เปิดสอนสูงสุด"),
    "level_range": ("level_type", "ระดับที่เปิดสอน", "ช่วงชั้นที่เปิดสอน"),
    "school_type": ("school_type", "ประเภทโรงเรียน", "ประเภทสถานศึกษา"),
    "postcode": ("postcode", "รหัสไปรษณีย์"),
    "phone": ("phone", "โทรศัพท์", "เบอร์โทรศัพท์"),
    "students_total": ("students_total", "students", "จำนวนนักเรียน", "จำนวนนักเรียนทั้งหมด", "นักเรียนทั้งหมด", "รวมทั้งหมด"),
    "status": ("school_status", "status", "สถานะ", "สถานะโรงเรียน"),
    "merged_into": ("merged_into", "เรียนรวมที่", "เรียนรวมกับ"),
    **{f"grade:{g.value}": (f"รวม{g.label}", f"รวม {g.label}", g.label, f"{g.label} รวม", g.value) for g in Grade},
}

#: Columns of the known shapes that EMES does not keep (coordinates, staff, per-sex and room
#: counts, subtotals, vocational grades); listed in the preview as ignored, never an error.
SCHOOL_IGNORED = frozenset({
    "province_page", "province", "จังหวัด", "seq", "ลำดับ", "ที่", "esa_name", "ชื่อเขต", "ชื่อเขตพื้นที่",
    "original_affiliation", "municipal_area", "lat", "lng", "latitude", "longitude", "dltv", "classrooms",
    "directors", "deputy_directors", "teachers", "distance_to_esa_km", "staff_listed", "teachers_incl_assistants",
    "รวมก่อนประถม", "รวมประถม", "รวมม.ต้น", "รวมม.ปลายและเทียบเท่า", "หมายเหตุ",
})
_IGNORED_PATTERN = re.compile(r"(.*\s(ชาย|หญิง|ห้อง))|(รวมห้อง.*)|(.*ปวช\..*)")

#: ``school_status`` values → (open?, merged?). Source: Phrae 2 detail file (โรงเรียนหลัก / เรียนรวม).
STATUS_VALUES: dict[str, tuple[bool, bool]] = {
    "โรงเรียนหลัก": (True, False), "เปิด": (True, False), "เปิดสอน": (True, False), "open": (True, False),
    "เรียนรวม": (False, True), "merged": (False, True),
    "ปิด": (False, False), "ยุบ": (False, False), "ยุบรวม": (False, False), "ปิดกิจการ": (False, False), "closed": (False, False),
}

#: The model fields a school file can set (besides the codes), in display order.
SCHOOL_FIELDS = (
    "name", "district", "subdistrict", "cluster", "lowest_grade", "highest_grade", "school_type", "postcode",
    "phone", "students_total", "is_open", "merged_into",
)


def is_school_header(headers: list[str]) -> bool:
    """Whether a row is a school file's header: it names a school-code column (titles above it are skipped)."""
    codes = {_key(a) for t in ("smis_code", "moe_code", "code") for a in SCHOOL_COLUMNS[t]}
    return any(_key(h) in codes for h in headers)


def is_office_header(headers: list[str]) -> bool:
    """Whether a row is an office list's header: it names an area-code column."""
    return any(_key(h) in {_key(a) for a in _OFFICE_COLUMNS["area_code"]} for h in headers)


def accepted_school_columns() -> list[tuple[str, list[str]]]:
    """``[(what, [headers])]`` for the upload page: the headers each imported field is read from."""
    labels = {
        "smis_code": _("SMIS code (8 digits)"), "moe_code": _("Ministry code (10 digits)"),
        "code": _("School code, 8 or 10 digits"), "area": _("Area code (rows of other offices are skipped)"),
        "level_range": _("Level range, e.g. อนุบาล-ประถมศึกษา (lowest and highest grade)"),
        "status": _("Status: โรงเรียนหลัก / เปิด (open), เรียนรวม (merged), ปิด / ยุบ (closed)"),
    }
    out: list[tuple[str, list[str]]] = []
    for target, aliases in SCHOOL_COLUMNS.items():
        if target.startswith("grade:"):
            continue
        label = labels.get(target) or str(School._meta.get_field(target).verbose_name)
        out.append((label, list(aliases)))
    out.append((
        _("Students per grade (อ.1-ม.6), e.g. for ป.1"),
        list(SCHOOL_COLUMNS["grade:p1"]),
    ))
    return out


def _map_columns(table: Table, catalogue: dict[str, tuple[str, ...]], *, ignored: Iterable[str], ignored_pattern: re.Pattern | None = None) -> tuple[dict[str, int], list[Problem]]:
    """Header → ``{target: column index}``; problems for unknown, duplicate and clashing columns."""
    lookup = {_key(alias): target for target, aliases in catalogue.items() for alias in aliases}
    ignored_keys = {_key(i) for i in ignored}
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if not header:
            if any(_present(cells[index]) for _n, cells in table.rows):
                problems.append(Problem(_("column %(number)s has values but no header.") % {"number": index + 1}, row=table.header_row))
            continue
        key = _key(header)
        if key in seen:
            problems.append(Problem(_("the column appears twice (columns %(first)s and %(second)s).") % {"first": seen[key] + 1, "second": index + 1}, row=table.header_row, column=header))
            continue
        seen[key] = index
        target = lookup.get(key)
        if target is None:
            if key in ignored_keys or (ignored_pattern and ignored_pattern.fullmatch(key)):
                continue
            problems.append(Problem(_("unknown column; the accepted columns are listed on the upload page."), row=table.header_row, column=header))
        elif target in columns:
            problems.append(Problem(
                _("gives the same data as column \"%(other)s\"; keep one of them.") % {"other": table.header[columns[target]]},
                row=table.header_row, column=header,
            ))
        else:
            columns[target] = index
    return columns, problems


# --------------------------------------------------------------------------------------------
# Schools: rows → records
# --------------------------------------------------------------------------------------------
@dataclass
class SchoolRecord:
    """One school row of a file.

    ``smis_code`` is "" when the row gives only the 10-digit ministry code (the school is then found
    by ``moe_code`` among the office's schools). ``values`` holds only the ``School`` fields the
    file has columns for (a partial file never blanks the others); ``enrolments`` maps a ``Grade``
    value to students. ``area_confirmed`` is true when the row's own area column names the office.
    """

    row: int
    smis_code: str
    moe_code: str
    values: dict[str, Any] = field(default_factory=dict)
    enrolments: dict[str, int] = field(default_factory=dict)
    area_confirmed: bool = False


@dataclass
class ParsedSchoolFile:
    """A school file read and checked on its own (no database): what the services compare.

    ``fields`` are the ``School`` fields the file sets, ``grades`` the ``Grade`` values it counts,
    ``code_columns`` maps ``smis_code`` / ``moe_code`` to the header used (for messages).
    ``other_office_rows`` counts rows skipped because their area column names another office.
    """

    file_type: str
    encoding: str
    shape: str
    header: list[str]
    fields: list[str]
    grades: list[str]
    ignored_columns: list[str]
    code_columns: dict[str, str]
    records: list[SchoolRecord]
    other_office_rows: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _shape_of(keys: set[str], columns: dict[str, int]) -> str:
    if {"province_page", "school_code_8_smis"} <= keys:
        return _("OBEC national school list (2022)")
    if "school_status" in keys or "dltv" in keys:
        return _("OBEC school detail (school master)")
    if any(t.startswith("grade:") for t in columns):
        return _("Student counts by grade (DMC)")
    if set(columns) <= {"code", "smis_code", "moe_code", "name", "cluster"}:
        return _("School codes, names and clusters")
    return _("School list")


def _area_of(value: Any) -> str:
    """An area cell as an office code: "5402", "610001", or "57030000" (the DMC form: code + 0000) → "5703"."""
    text = cell_digits(value)
    if re.fullmatch(r"\d{4}0000", text):
        return text[:4]
    return text


def parse_school_table(table: Table, area_code: str) -> ParsedSchoolFile:
    """Check a school table for office ``area_code`` and turn its rows into :class:`SchoolRecord`.

    Rules, each a :class:`Problem` with row and column:

    - every column is imported or known-and-ignored; two columns may not give the same field;
    - codes: an 8-digit SMIS column, a 10-digit ministry column, or a ``รหัสโรงเรียน`` column
      holding either (told apart by length); any other length is refused;
    - a row without any code is refused, except a column-total row with empty ids at the *end*
      (the DMC files end with one): it is skipped and named in the notes, and its sums are compared
      with the rows' (a difference is a warning, e.g. a file cut short);
    - the office's own row (SMIS code ``<area>0000``) is skipped;
    - rows whose area column names another office are skipped (the national list holds all
      offices; an empty area cell is read from the SMIS code's prefix); if no row is left the file
      is refused;
    - codes may not repeat; names may not be empty; students are whole numbers 0-100,000
      (``-`` or empty = unknown); ``school_status`` is one of :data:`STATUS_VALUES`; an open
      school has no ``merged_into``; text fits the model's lengths; postcodes have 5 digits.
    """
    columns, problems = _map_columns(table, SCHOOL_COLUMNS, ignored=SCHOOL_IGNORED, ignored_pattern=_IGNORED_PATTERN)
    if not problems and not {"smis_code", "moe_code", "code"} & set(columns):
        problems.append(Problem(_("the file has no school-code column (รหัสโรงเรียน, school_code_8_smis or school_id_10)."), row=table.header_row))
    if {"lowest_grade", "level_range"} <= set(columns) or {"highest_grade", "level_range"} <= set(columns):
        problems.append(Problem(_("gives the same data as the lowest/highest grade columns; keep one of them."), row=table.header_row, column=table.header[columns["level_range"]]))
    if problems:
        raise ImportFileError(problems)

    header_of = {target: table.header[index] for target, index in columns.items()}
    carried = set(columns)
    if "level_range" in columns:
        carried |= {"lowest_grade", "highest_grade"}
    if "status" in columns:
        carried |= {"is_open", "merged_into"}
    fields = [f for f in SCHOOL_FIELDS if f in carried]
    grades = [g.value for g in Grade if f"grade:{g.value}" in columns]
    used = set(columns.values())
    ignored_columns = [h for i, h in enumerate(table.header) if h and i not in used]

    parsed = ParsedSchoolFile(
        file_type=table.file_type, encoding=table.encoding,
        shape=_shape_of({_key(h) for h in table.header}, columns), header=table.header,
        fields=fields, grades=grades, ignored_columns=ignored_columns,
        code_columns={t: header_of[t] for t in ("smis_code", "moe_code", "code") if t in header_of},
        records=[],
    )
    identity = [t for t in ("smis_code", "moe_code", "code", "name", "area") if t in columns]
    numeric = ["students_total", *[f"grade:{g}" for g in grades]]
    data_rows = table.rows
    last_number = data_rows[-1][0]
    seen_smis: dict[str, int] = {}
    seen_moe: dict[str, int] = {}
    totals: dict[str, int] = {}
    total_row: tuple[int, list[Any]] | None = None

    def cell(cells: list[Any], target: str) -> Any:
        return cells[columns[target]] if target in columns else None

    for number, cells in data_rows:
        if not any(_present(cell(cells, t)) for t in identity):
            if number == last_number and all(_is_number(v) for v in cells if _present(v)):
                total_row = (number, cells)
                continue
            problems.append(Problem(_("the row has no school code."), row=number))
            continue
        area_confirmed = False
        if "area" in columns and _present(cell(cells, "area")):
            area = _area_of(cell(cells, "area"))
            if not re.fullmatch(r"\d{4}(\d{2})?", area):
                problems.append(Problem(_("area code %(code)s is not 4 or 6 digits (or 8 digits ending in 0000).") % {"code": cell_text(cell(cells, "area"))}, row=number, column=header_of["area"]))
                continue
            if area != area_code:
                parsed.other_office_rows += 1
                continue
            area_confirmed = True
        elif "area" in columns:
            # A file with an area column but an empty cell (one row of the 2022 national list): the
            # SMIS code's prefix names the office; a row of another prefix is another office's row.
            code = cell_digits(cell(cells, "smis_code") if "smis_code" in columns else cell(cells, "code"))
            if len(code) == 8 and not code.startswith(area_code):
                parsed.other_office_rows += 1
                continue

        smis, moe = "", ""
        row_problems: list[Problem] = []
        for target in ("smis_code", "moe_code", "code"):
            if target not in columns:
                continue
            code = cell_digits(cell(cells, target))
            if not code:
                continue
            if target == "smis_code" and not re.fullmatch(r"\d{8}", code):
                row_problems.append(Problem(_("code %(code)s is not an 8-digit number.") % {"code": code}, row=number, column=header_of[target]))
            elif target == "moe_code" and not re.fullmatch(r"\d{10}", code):
                row_problems.append(Problem(_("code %(code)s is not a 10-digit number.") % {"code": code}, row=number, column=header_of[target]))
            elif target == "code" and not re.fullmatch(r"\d{8}|\d{10}", code):
                row_problems.append(Problem(_("code %(code)s is not an 8-digit or 10-digit number.") % {"code": code}, row=number, column=header_of[target]))
            elif target == "moe_code" or len(code) == 10:
                if moe and moe != code:
                    row_problems.append(Problem(_("two different ministry codes in one row."), row=number, column=header_of[target]))
                moe = code
            else:
                if smis and smis != code:
                    row_problems.append(Problem(_("two different SMIS codes in one row."), row=number, column=header_of[target]))
                smis = code
        # A row with a bad code is still read to the end, so all of its problems are listed at once.
        if not row_problems and not smis and not moe:
            row_problems.append(Problem(_("the row has no school code."), row=number))
        if smis == f"{area_code}0000":
            parsed.notes.append(_("Row %(row)s is the office's own row (code %(code)s) and was skipped.") % {"row": number, "code": smis})
            continue
        for code, seen, target in ((smis, seen_smis, "smis_code"), (moe, seen_moe, "moe_code")):
            if code and code in seen:
                column = header_of.get(target) or header_of["code"]
                row_problems.append(Problem(_("code %(code)s appears again (first in row %(first)s).") % {"code": code, "first": seen[code]}, row=number, column=column))
            elif code:
                seen[code] = number

        record = SchoolRecord(row=number, smis_code=smis, moe_code=moe, area_confirmed=area_confirmed)
        for name in ("name", "district", "subdistrict", "cluster", "lowest_grade", "highest_grade", "school_type", "postcode", "phone", "merged_into"):
            if name not in columns:
                continue
            value = cell_text(cell(cells, name))
            max_length = School._meta.get_field(name).max_length
            if name == "name" and not value:
                row_problems.append(Problem(_("the school name is empty."), row=number, column=header_of[name]))
            elif name == "postcode" and value and not re.fullmatch(r"\d{5}", value.translate(THAI_DIGITS)):
                row_problems.append(Problem(_("postcode %(value)s is not 5 digits.") % {"value": value}, row=number, column=header_of[name]))
            elif len(value) > max_length:
                row_problems.append(Problem(_("the text is longer than %(max)s characters.") % {"max": max_length}, row=number, column=header_of[name]))
            else:
                record.values[name] = value.translate(THAI_DIGITS) if name == "postcode" else value
        if "level_range" in columns:
            low, _sep, high = cell_text(cell(cells, "level_range")).partition("-")
            record.values["lowest_grade"], record.values["highest_grade"] = low.strip(), (high or low).strip()
        if "status" in columns:
            raw = cell_text(cell(cells, "status"))
            state = STATUS_VALUES.get(raw.lower())
            if state is None:
                row_problems.append(Problem(
                    _("status \"%(value)s\" is not one of: %(allowed)s.") % {"value": raw, "allowed": ", ".join(k for k in STATUS_VALUES if not k.isascii())},
                    row=number, column=header_of["status"],
                ))
            else:
                is_open, _merged = state
                record.values["is_open"] = is_open
                if is_open:
                    if record.values.get("merged_into"):
                        row_problems.append(Problem(_("an open school (status %(status)s) cannot be merged into another school.") % {"status": raw}, row=number, column=header_of["merged_into"]))
                    # An open school studies on its own: the status column carries that fact even
                    # when the file has no merged_into column.
                    record.values["merged_into"] = ""
        for target in numeric:
            if target not in columns:
                continue
            try:
                count = cell_count(cell(cells, target))
            except CellError as exc:
                row_problems.append(Problem(str(exc), row=number, column=header_of[target]))
                continue
            if count is not None:
                totals[target] = totals.get(target, 0) + count
            if target == "students_total":
                record.values["students_total"] = count
            elif count is not None:
                record.enrolments[target.removeprefix("grade:")] = count
        if row_problems:
            problems.extend(row_problems)
            continue
        parsed.records.append(record)

    if total_row is not None:
        parsed.notes.append(_("Row %(row)s has no school code and is the last row: read as the column totals and skipped.") % {"row": total_row[0]})
        for target in numeric:
            if target not in columns:
                continue
            try:
                stated = cell_count(cell(total_row[1], target))
            except CellError:
                stated = None
            if stated is not None and stated != totals.get(target, 0):
                parsed.warnings.append(
                    _("The totals row says %(stated)s in column \"%(column)s\" but the schools add up to %(sum)s.")
                    % {"stated": f"{stated:,}", "column": header_of[target], "sum": f"{totals.get(target, 0):,}"}
                )
    if parsed.other_office_rows:
        parsed.notes.append(
            ngettext("%(count)s row of other offices was skipped.", "%(count)s rows of other offices were skipped.", parsed.other_office_rows)
            % {"count": f"{parsed.other_office_rows:,}"}
        )
    if not parsed.records and not problems:
        raise ImportFileError([_("The file has no school of office %(code)s.") % {"code": area_code}])
    if problems:
        # The good rows go along so the registry checks can list their problems in the same round.
        raise ImportFileError(problems, partial=parsed)
    return parsed
