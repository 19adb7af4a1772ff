"""Excel (openpyxl) output shared by every workbook EMES writes: formats, the header row, safe cells, sheet names.

Text that begins with ``=``, ``+``, ``-`` or ``@`` is stored as a string with Excel's quote prefix, never
as a formula (formula injection, OWASP "CSV Injection"); money is written as numbers in ``#,##0.00``,
dates as real dates displayed in the Buddhist Era (Excel's Thai locale with the Buddhist calendar).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.##"
PERCENT_FORMAT = "0.00"
#: Excel's Thai locale (041E) with the Buddhist calendar (107): the cell holds a real date, shown as 1/10/2568.
DATE_FORMAT = "[$-107041E]d/m/yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "DDEBF7"

#: Characters Excel refuses in a sheet name, and its length limit.
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def write_cell(cell, value: Any) -> None:
    """Write ``value``; text is always text: a leading = + - @ gets Excel's quote prefix, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = text
    cell.data_type = "s"  # openpyxl turns a str starting with "=" into a formula; this keeps it a string
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def write_header(ws, row: int, headers: Sequence[tuple[str, int, Any]]) -> None:
    """Write a bold, filled header row at ``row`` from ``(title, column width in characters, kind)`` triples."""
    fill, bold = PatternFill("solid", fgColor=HEADER_FILL), Font(bold=True)
    for col, (title, width, _kind) in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col)
        write_cell(cell, title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width


def sheet_title(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name from ``label`` (31 characters, no ``[]:*?/\\``); adds it to ``taken``."""
    base = _SHEET_BAD.sub(" ", label).strip().strip("'") or "-"
    if len(base) > _SHEET_MAX and " " in base[:_SHEET_MAX]:
        base = base[: base[:_SHEET_MAX].rfind(" ")]  # cut between words, not inside "(DLICT)"
    title, n = base[:_SHEET_MAX], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: _SHEET_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_only_row(ws, values: Sequence[Any]) -> None:
    """Append ``values`` as one row of a write-only worksheet (``Workbook(write_only=True)``), with ``write_cell``'s
    rules: numbers and dates as they are, text always text (never a formula). Constant memory whatever the rows."""
    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws)
            write_cell(cell, value)
            row.append(cell)
        else:
            row.append(value)
    ws.append(row)


def write_only_header(ws, headers: Sequence[tuple[str, int, Any]]) -> None:
    """``write_header`` for a write-only worksheet: set the widths, then append the bold, filled first row."""
    fill, bold, wrap = PatternFill("solid", fgColor=HEADER_FILL), Font(bold=True), Alignment(wrap_text=True, vertical="center")
    row = []
    for col, (title, width, _kind) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = WriteOnlyCell(ws)
        write_cell(cell, title)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        row.append(cell)
    ws.append(row)
