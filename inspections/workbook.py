"""The Excel template of inspection issues and indicators, and its import (all or nothing).

One sheet, one row per indicator. A row with an issue (code or title) starts that issue; the rows
below with the issue columns empty add indicators to it; a later row with the same code adds to the
same issue. No complete official list of issues exists in the shared data (issue 8): offices type
them or fill this template from the Ministry's letter.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from emes.db import analyze
from emes.models import Division
from emes.tabular import cell_text
from emes.uploads import UploadError, UploadProblem, read_upload

from .access import can_manage_inspections
from .models import AnswerKind, InspectionIssue, InspectionRound, IssueIndicator
from .services import parse_number
from .services._common import _locked_round, _next_order, _refuse_after_dispatch

SHEET = "ประเด็นการตรวจราชการ"
#: Columns: key, Thai header, width.
COLUMNS = [
    ("code", "รหัสประเด็น", 12),
    ("title", "ประเด็นการตรวจราชการ", 50),
    ("description", "รายละเอียดประเด็น", 40),
    ("divisions", "รหัสกลุ่มที่รับผิดชอบ (คั่นด้วย ,)", 22),
    ("indicator", "ตัวชี้วัด", 60),
    ("unit", "หน่วยนับ", 12),
    ("target", "ค่าเป้าหมาย (ตัวเลข)", 14),
    ("target_text", "ค่าเป้าหมาย (ข้อความ)", 24),
    ("answer_kind", "ประเภทคำตอบ", 16),
]
#: Thai words of the answer kinds in the template's drop-down.
KIND_WORDS = {"ตัวเลข": AnswerKind.NUMBER, "ใช่/ไม่ใช่": AnswerKind.YES_NO, "ข้อความ": AnswerKind.TEXT, "ไฟล์หลักฐาน": AnswerKind.FILE}
MAX_ROWS = 2000


def issues_template(round: InspectionRound) -> bytes:
    """The template (.xlsx) for ``round``: headers, a drop-down of answer kinds, the office's division codes, an example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for i, (_key, header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_WORDS) + '"', allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add(f"I2:I{MAX_ROWS}")
    help_ws = wb.create_sheet("คำอธิบาย")
    lines = [
        f"แบบฟอร์มนำเข้าประเด็นการตรวจราชการ รอบที่ {round.number}/{round.fiscal_year} {round.office.name}",
        "หนึ่งแถวต่อหนึ่งตัวชี้วัด แถวที่มีรหัสหรือชื่อประเด็นเริ่มประเด็นใหม่ แถวถัดไปที่เว้นช่องประเด็นว่างเป็นตัวชี้วัดของประเด็นเดียวกัน",
        "ค่าเป้าหมาย (ตัวเลข) ใส่ตัวเลขเท่านั้น ถ้าเป็นข้อความให้ใส่ในช่องค่าเป้าหมาย (ข้อความ)",
        "ประเภทคำตอบ: " + ", ".join(KIND_WORDS) + " (ว่าง = ตัวเลข)",
        "การนำเข้าบันทึกทั้งหมดหรือไม่บันทึกเลย หากมีข้อผิดพลาดระบบจะแจ้งแถวและคอลัมน์",
        "",
        "รหัสกลุ่มของสำนักงาน:",
    ]
    lines += [f"{d.code}  {d.name}" for d in Division.objects.filter(office=round.office).order_by("code")]
    for i, line in enumerate(lines, start=1):
        help_ws.cell(row=i, column=1, value=line)
    help_ws.column_dimensions["A"].width = 110
    # The one real indicator the shared data holds (FY 2561 policy 9, indicator 9.1); an example to overwrite.
    ws.append(["1", "ตัวอย่าง: การอ่านออกเขียนได้ของนักเรียนชั้น ป.1", "", "", "ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้", "ร้อยละ", 100, "", "ตัวเลข"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ParsedIssue:
    row: int
    code: str
    title: str
    description: str
    divisions: list[Division]
    indicators: list[dict] = field(default_factory=list)


def _problem(row: int, col: int, message: str) -> UploadProblem:
    return UploadProblem(message, row=row, column=f"{'ABCDEFGHI'[col]} ({COLUMNS[col][1]})")


def read_issues(round: InspectionRound, file: IO[bytes] | bytes) -> list[ParsedIssue]:
    """Read the template's rows into issues with indicators; raises :class:`~emes.uploads.UploadError` listing every wrong cell.

    ``file`` (an upload or its bytes) is read by :func:`emes.uploads.read_upload`: an ``.xlsx`` of at
    most ``EMES_IMPORT_MAX_BYTES``, its ZIP and sheets bounded before they are parsed.
    """
    upload = read_upload(file, kinds=("xlsx",))
    ws = upload.sheet(SHEET) or upload.sheets[0]
    divisions = {d.code: d for d in Division.objects.filter(office=round.office)}
    problems: list[UploadProblem] = []
    issues: list[ParsedIssue] = []
    by_code: dict[str, ParsedIssue] = {}
    current: ParsedIssue | None = None
    for number, values in ws.rows:
        if number < 2:
            continue
        if number > MAX_ROWS + 1:
            problems.append(UploadProblem(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}))
            break
        values = values[: len(COLUMNS)]
        cells = [cell_text(v) for v in (list(values) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        raw = list(values) + [None] * len(COLUMNS)
        code, title, description, div_text, indicator, unit, target, target_text, kind_word = cells
        if not any(cells):
            continue
        if code or title:
            if code and code in by_code and (not title or title == by_code[code].title):
                current = by_code[code]
            elif not title:
                problems.append(_problem(number, 1, _("type the issue for code %(code)s.") % {"code": code}))
                current = None
                continue
            else:
                chosen = []
                for c in [p.strip() for p in div_text.replace(";", ",").split(",") if p.strip()]:
                    if c not in divisions:
                        problems.append(_problem(number, 3, _("no division of this office has code %(code)s.") % {"code": c}))
                    else:
                        chosen.append(divisions[c])
                current = ParsedIssue(number, code, title, description, chosen)
                issues.append(current)
                if code:
                    by_code[code] = current
        elif current is None:
            problems.append(_problem(number, 1, _("the first row needs an issue.")))
            continue
        if not indicator:
            if unit or target or target_text:
                problems.append(_problem(number, 4, _("type the indicator.")))
            continue
        value = None
        if target:
            raw_target = raw[6]
            try:
                value = Decimal(str(raw_target)) if isinstance(raw_target, (int, float)) else parse_number(target)
            except (ValueError, InvalidOperation):
                problems.append(_problem(number, 6, _("%(value)s is not a number; put words in the next column.") % {"value": target}))
        kind = AnswerKind.NUMBER
        if kind_word:
            if kind_word not in KIND_WORDS:
                problems.append(_problem(number, 8, _("choose one of %(list)s.") % {"list": ", ".join(KIND_WORDS)}))
            else:
                kind = KIND_WORDS[kind_word]
        if current is not None:
            current.indicators.append({"text": indicator, "unit": unit[:50], "target": value, "target_text": target_text[:300], "answer_kind": kind})
    if not issues and not problems:
        problems.append(UploadProblem(_("The file has no issues.")))
    if problems:
        raise UploadError(problems, code="rows")
    return issues


def import_issues(round: InspectionRound, file, *, by) -> tuple[int, int]:
    """Add the issues and indicators of the uploaded template ``file`` to the end of ``round``; all or nothing.

    Returns (issues, indicators) added. Raises ``ValidationError`` with every problem by row and column
    (Thai), ``PermissionDenied`` unless a manager; the round must still be in preparation.
    """
    if not can_manage_inspections(by, round.office):
        raise PermissionDenied
    parsed = read_issues(round, file)
    with transaction.atomic():
        current = _locked_round(round)
        _refuse_after_dispatch(current)
        order = _next_order(current.issues)
        count = 0
        for offset, p in enumerate(parsed):
            issue = InspectionIssue.objects.create(round=current, order=order + offset, code=p.code[:20], title=p.title, description=p.description)
            issue.divisions.set(p.divisions)
            IssueIndicator.objects.bulk_create([IssueIndicator(issue=issue, order=i, **fields) for i, fields in enumerate(p.indicators, start=1)])
            count += len(p.indicators)
        analyze(InspectionIssue, IssueIndicator)  # fresh planner statistics once committed (emes.db, issue 18)
    return len(parsed), count
