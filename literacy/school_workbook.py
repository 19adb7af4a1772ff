"""The school's Excel template of a literacy round, and reading it back (issue 6).

One sheet. Fixed cells name the school (``B3``, SMIS code) and the round (``B4``, its id) so that a
template of another school or round is refused; the rows of the grades start at :data:`FIRST_ROW`,
columns :data:`COLUMNS` (grade, enrolled, registry enrolment (not read), reason, assessed,
special-needs, absent, then the four skills × four levels). Text is written formula-safe
(``plans.workbook.template.write_cell``). The reader turns the rows into grades data for
:func:`literacy.submissions.check_grades` and names the row and column of every problem in Thai.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from emes.models import Grade, School
from emes.tabular import cell_text
from emes.uploads import UploadError as SchoolWorkbookError, UploadProblem as Problem, read_upload
from emes.thai import be_datetime
from emes.output.excel import write_cell

from .models import LiteracyRound
from .submissions import COUNTS, LEVELS, SKILLS, field_key, grade_label, registry_enrolment, round_grades_for
from .window import deadline_for

SCHOOL_CELL = "B3"
ROUND_CELL = "B4"
HEADER_ROW = 10  # skills (merged over their four levels); the level names are on HEADER_ROW + 1
FIRST_ROW = 12
MAX_GRADE_ROWS = 20
#: (key, column letter) of the cells of a grade row; the skill cells follow from column H.
FIXED_COLUMNS = [("grade", "A"), ("enrolled", "B"), ("registry", "C"), ("enrolled_reason", "D"), ("assessed", "E"), ("special_needs", "F"), ("absent", "G")]


def _skill_columns() -> list[tuple[str, str, str]]:
    out = []
    index = 8
    for skill, _s in SKILLS:
        for level, _l in LEVELS:
            out.append((skill, level, get_column_letter(index)))
            index += 1
    return out


def round_title(literacy_round: LiteracyRound) -> str:
    return _("Literacy assessment, academic year %(year)s, round %(number)s") % {"year": literacy_round.academic_year, "number": literacy_round.number}


def build_template(literacy_round: LiteracyRound, school: School, stored: list[dict[str, Any]] | None = None) -> bytes:
    """The ``.xlsx`` template for ``school`` in ``literacy_round``: its grades, registry enrolment, stored results if any."""
    grades = round_grades_for(literacy_round, school)
    registry = registry_enrolment(school, literacy_round.academic_year)
    by_grade = {g["grade"]: g for g in (stored or [])}
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = _("Results")[:31]
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")

    write_cell(ws["A1"], round_title(literacy_round))
    ws["A1"].font = Font(bold=True, size=14)
    write_cell(ws["A2"], school.office.name)
    write_cell(ws["A3"], _("SMIS code"))
    write_cell(ws[SCHOOL_CELL], school.smis_code)
    write_cell(ws["C3"], school.name)
    write_cell(ws["A4"], _("Round code"))
    write_cell(ws[ROUND_CELL], str(literacy_round.pk))
    write_cell(ws["C4"], _("Deadline: %(deadline)s") % {"deadline": be_datetime(deadline_for(literacy_round, school))})
    for cell in (ws["A3"], ws["A4"]):
        cell.font = bold
    notes = [
        _("How to fill in: one row per grade. Enter whole numbers only (0 if none) in the yellow cells; do not change cells B3 and B4, rows or columns."),
        _("Students assessed + special-needs + absent must equal students enrolled; for each skill, very good + good + fair + needs improvement must equal students assessed."),
        _("If the students enrolled differ from the registry (column C), give the reason in column D. Then upload this file on the round's page: you will see a preview before anything is saved."),
    ]
    for offset, note in enumerate(notes):
        write_cell(ws.cell(row=5 + offset, column=1), note)

    headers = {"grade": _("Grade"), "enrolled": _("students enrolled"), "registry": _("registry enrolment"),
               "enrolled_reason": _("reason (if different)"), **{k: str(v) for k, v in COUNTS}}
    for key, letter in FIXED_COLUMNS:
        cell = ws[f"{letter}{HEADER_ROW}"]
        write_cell(cell, str(headers[key]))
        ws.merge_cells(f"{letter}{HEADER_ROW}:{letter}{HEADER_ROW + 1}")
    skill_columns = _skill_columns()
    for i, (skill, skill_label) in enumerate(SKILLS):
        first, last = skill_columns[i * 4][2], skill_columns[i * 4 + 3][2]
        write_cell(ws[f"{first}{HEADER_ROW}"], str(skill_label))
        ws.merge_cells(f"{first}{HEADER_ROW}:{last}{HEADER_ROW}")
        for j, (_level, level_label) in enumerate(LEVELS):
            write_cell(ws[f"{skill_columns[i * 4 + j][2]}{HEADER_ROW + 1}"], str(level_label))
    for row in ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + 1, max_col=7 + 16):
        for cell in row:
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for offset, grade in enumerate(grades):
        r = FIRST_ROW + offset
        row = by_grade.get(grade, {})
        write_cell(ws[f"A{r}"], grade_label(grade))
        ws[f"A{r}"].font = bold
        ws[f"B{r}"] = row.get("enrolled", registry.get(grade))
        ws[f"C{r}"] = registry.get(grade)
        write_cell(ws[f"D{r}"], row.get("enrolled_reason", "") or "")
        for name, letter in (("assessed", "E"), ("special_needs", "F"), ("absent", "G")):
            ws[f"{letter}{r}"] = row.get(name)
        for index, (skill, _level, letter) in enumerate(skill_columns):
            values = (row.get("skills") or {}).get(skill)
            ws[f"{letter}{r}"] = values[index % 4] if values else None
        for letter in ["B", "D", "E", "F", "G"] + [c for _s, _l, c in skill_columns]:
            ws[f"{letter}{r}"].fill = input_fill
    if grades:
        last_row = FIRST_ROW + len(grades) - 1
        validation = DataValidation(type="whole", operator="between", formula1="0", formula2="100000", allow_blank=True)
        validation.error = _("A whole number, 0 or more.")
        validation.showErrorMessage = True
        ws.add_data_validation(validation)
        for letter in ["B", "E", "F", "G"] + [c for _s, _l, c in skill_columns]:
            validation.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["D"].width = 24
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = f"B{FIRST_ROW}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------
@dataclass
class ReadWorkbook:
    """The grades data read from the file, and where each field key sits (row, column header)."""

    grades: list[dict[str, Any]] = field(default_factory=list)
    places: dict[str, tuple[int, str]] = field(default_factory=dict)

    def problems_for(self, errors: dict[str, list[str]]) -> list[Problem]:
        """The checker's errors (per field key) as problems with their row and column."""
        out = []
        for key, messages in errors.items():
            row, column = self.places.get(key, (None, ""))
            out.extend(Problem(m, row=row, column=column) for m in messages)
        out.sort(key=lambda p: (p.row or 0, p.column))
        return out


def _raw(value: Any) -> Any:
    """A cell as the checker takes it (and a session can keep): numbers and empty as they are, the rest as text.

    Text in a number cell reaches :func:`~literacy.submissions.check_grades` as text and is refused there.
    """
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return cell_text(value)


def read_template(file: IO[bytes] | bytes, literacy_round: LiteracyRound, school: School) -> ReadWorkbook:
    """Read an uploaded template of ``school`` in ``literacy_round`` into grades data (raw values).

    ``file`` is the uploaded file (or its bytes), read by :func:`emes.uploads.read_upload` (at most
    ``EMES_IMPORT_MAX_BYTES``, bounded rows and cells). Raises :class:`SchoolWorkbookError` for a file
    that is not an ``.xlsx``, too large, or the template of another school or round.
    """
    upload = read_upload(file, kinds=("xlsx",))
    ws = upload.sheets[0]
    last = FIRST_ROW + MAX_GRADE_ROWS
    cells = {(r, c): v for r, row in ws.rows if r <= last for c, v in enumerate(row[: 7 + 16], start=1)}
    smis = cell_text(cells.get((3, 2)))
    round_code = cell_text(cells.get((4, 2)))
    if smis != school.smis_code:
        raise SchoolWorkbookError([Problem(_("This file is the template of school %(code)s, not of your school %(yours)s. Download your school's template.") % {
            "code": smis or "-", "yours": school.smis_code}, row=3, column="B")])
    if round_code != str(literacy_round.pk):
        raise SchoolWorkbookError([Problem(_("This file is the template of another literacy round (code %(code)s), not of %(round)s (code %(yours)s). Download this round's template.") % {
            "code": round_code or "-", "round": round_title(literacy_round), "yours": literacy_round.pk}, row=4, column="B")])

    labels = {label: code for code, label in Grade.choices}
    read = ReadWorkbook()
    skill_columns = _skill_columns()
    headers = {"enrolled": _("students enrolled"), "enrolled_reason": _("reason (if different)"), **{k: str(v) for k, v in COUNTS}}

    for r in range(FIRST_ROW, FIRST_ROW + MAX_GRADE_ROWS):
        values = [cells.get((r, c)) for c in range(1, 7 + 16 + 1)]
        if all(cell_text(v) == "" for v in values):
            continue
        text = cell_text(values[0]).replace(" ", "")
        grade = labels.get(text, text.lower())
        read.places[field_key(grade, "grade")] = (r, f"A ({_('Grade')})")
        row: dict[str, Any] = {"grade": grade}
        for key, letter in FIXED_COLUMNS[1:]:
            if key == "registry":
                continue
            value = cells.get((r, column_index_from_string(letter)))
            row[key] = cell_text(value) if key == "enrolled_reason" else _raw(value)
            read.places[field_key(grade, key)] = (r, f"{letter} ({headers[key]})")
        row["skills"] = {}
        for skill, level, letter in skill_columns:
            row["skills"].setdefault(skill, []).append(_raw(cells.get((r, column_index_from_string(letter)))))
            read.places[field_key(grade, skill, level)] = (r, f"{letter} ({dict(SKILLS)[skill]} {dict(LEVELS)[level]})")
        for s, _label in SKILLS:
            cols = [c for sk, _l, c in skill_columns if sk == s]
            read.places[field_key(grade, s)] = (r, f"{cols[0]}-{cols[-1]} ({dict(SKILLS)[s]})")
        read.grades.append(row)
    if not read.grades:
        raise SchoolWorkbookError([Problem(_("The file has no grade rows to read (from row %(row)s).") % {"row": FIRST_ROW})])
    return read
