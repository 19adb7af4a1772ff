"""Reading an action-plan workbook: bytes → checked records of projects, indicators, activities, budget lines.

Nothing here touches the database: :mod:`.changes` resolves the codes (divisions, strategies, users)
against the office's data and compares the records with the plan. Every problem found is a
:class:`Problem` (sheet, row, column, Thai message); they are gathered and raised together in one
:class:`PlanWorkbookError`, so the plan officer fixes the file in one round (up to
:data:`MAX_PROBLEMS` are listed).

File rules (issue 4, "Excel"):

- An ``.xlsx`` workbook, checked by content (a ZIP holding ``xl/workbook.xml``); a renamed CSV, PDF or
  old ``.xls`` is refused whatever its name.
- The sheets of :mod:`.layout` are found by name (Thai or English); the header is row 1, in any order;
  an unknown header, a duplicate header or a missing required column is an error.
- No formula anywhere in the data sheets (a formula's value is not stored reliably and could hide
  another cell's content) and no merged cells in them (a merged cell hides which row a value belongs to).
- Years are Buddhist Era: a fiscal year or a typed date with a CE year (2025) is refused with the BE
  year to use; an Excel date cell whose year is a BE year (a BE date typed into a Gregorian Excel)
  is read as that BE date.
- Money is baht, ≥ 0, at most 2 decimals; planned quarters add up to their source's amount; the
  activities of a project do not exceed its budget; a project with budget lines has the sum as budget.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, ngettext
from openpyxl.utils import get_column_letter, range_boundaries

from emes.fiscal import FiscalYear, be_to_ce, ce_to_be, looks_like_ce_year, parse_fiscal_year
from emes.thai import baht, be_date
from emes.tabular import cell_text
from emes.uploads import UploadError as PlanWorkbookError, UploadProblem as Problem, UploadSheet, read_upload
from emes.text import clean_text

from . import layout
from .layout import Column, Sheet

#: The largest amount a money column holds (``max_digits=14, decimal_places=2``).
MAX_MONEY = Decimal("999999999999.99")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class CellError(ValueError):
    """A cell value that does not fit its column; the message is the Thai sentence shown."""


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass
class Row:
    """A data row: its row number and its parsed values by column key (present columns only)."""

    number: int
    values: dict[str, Any]
    #: Keys of the cells already reported (unreadable, formula, merged): later checks leave them alone.
    bad: set[str] = field(default_factory=set)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass
class ParsedSheet:
    """A data sheet as read: its title as written, the header written for each column key, its rows."""

    spec: Sheet
    title: str
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        return set(self.headers)

    def problem(self, message: str, row: int | None = None, key: str | None = None) -> Problem:
        """A problem of this sheet, in the cell of column ``key`` of ``row``."""
        keys = [c.key for c in self.spec.columns]
        return Problem(
            message, sheet=self.title, row=row, column=self.headers.get(key, "") if key else "",
            sheet_order=layout.sheet_order(self.spec.key), column_order=keys.index(key) + 1 if key in keys else 0,
        )


@dataclass
class ParsedWorkbook:
    """Everything read from a workbook, before it is compared with the database.

    ``sheets`` maps a data sheet's key (``projects``, ``indicators``, ``activities``, ``budget``)
    to its :class:`ParsedSheet`; ``problems`` lists what is wrong so far; ``examples`` counts the
    example rows skipped. Project budgets of projects with budget lines are filled with their sum.
    """

    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    examples: int = 0

    @property
    def projects(self) -> list[Row]:
        return self.sheets["projects"].rows

    @property
    def indicators(self) -> list[Row]:
        return self.sheets["indicators"].rows

    @property
    def activities(self) -> list[Row]:
        return self.sheets["activities"].rows

    @property
    def budget_lines(self) -> list[Row]:
        return self.sheets["budget"].rows


# --------------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------------
def read_plan_workbook(data: bytes, *, area_code: str, fiscal_year: int) -> ParsedWorkbook:
    """Read and check a plan workbook for office ``area_code`` and fiscal year ``fiscal_year`` (BE).

    Returns a :class:`ParsedWorkbook` whose ``problems`` list what is wrong in the file itself;
    the caller adds the problems found against the database and raises. Raises
    :class:`PlanWorkbookError` at once when the file is not a readable ``.xlsx``.
    """
    # Bounded read (emes.uploads); the byte size is checked where the file arrives (services.upload_plan_workbook).
    upload = read_upload(data, kinds=("xlsx",), limit_size=False)
    parsed = ParsedWorkbook()
    problems = parsed.problems
    by_name = {layout.normalise(ws.title): ws for ws in upload.sheets}

    def find(spellings: set[str]):
        return next((by_name[s] for s in spellings if s in by_name), None)

    instructions = find(layout.spellings(layout.INSTRUCTIONS_TITLE, *layout.INSTRUCTIONS_ALIASES))
    missing = []
    if instructions is None:
        missing.append(str(layout.INSTRUCTIONS_TITLE))
    else:
        problems += _identity_problems(instructions, area_code, fiscal_year)
    worksheets = {}
    for spec in layout.DATA_SHEETS:
        ws = find(spec.spellings())
        if ws is None:
            missing.append(str(spec.title))
        else:
            worksheets[spec.key] = ws
    if missing:
        found = ", ".join(ws.title for ws in upload.sheets)
        problems.append(Problem(
            ngettext(
                "The workbook has no sheet %(missing)s (sheets found: %(found)s); download the template and copy the data into it.",
                "The workbook lacks the sheets %(missing)s (sheets found: %(found)s); download the template and copy the data into it.",
                len(missing),
            ) % {"missing": ", ".join(f'"{m}"' for m in missing), "found": found or "-"}
        ))
        raise PlanWorkbookError(problems)

    for spec in layout.DATA_SHEETS:
        parsed.sheets[spec.key] = _read_sheet(worksheets[spec.key], spec, fiscal_year, parsed)
    if any(p.blocking for p in problems):
        raise PlanWorkbookError(problems)
    if not parsed.projects:
        # An empty sheet would remove the whole plan: refuse it instead (the template re-imported as is).
        problems.append(Problem(
            _('There is nothing to import: the sheet "%(sheet)s" has no project (the example row is skipped). Fill in the projects, or download the export of the plan to edit it.')
            % {"sheet": parsed.sheets["projects"].title}, sheet=parsed.sheets["projects"].title, sheet_order=1,
        ))
        raise PlanWorkbookError(problems)
    _check_across_sheets(parsed, fiscal_year)
    return parsed


@dataclass
class _Cell:
    value: Any
    data_type: str


def _identity_problems(ws: UploadSheet, area_code: str, fiscal_year: int) -> list[Problem]:
    """The office and fiscal-year cells of the instructions sheet, against the page the file is uploaded to."""
    area_spellings = layout.spellings(layout.AREA_CODE_LABEL, *layout.AREA_CODE_ALIASES)
    year_spellings = layout.spellings(layout.FISCAL_YEAR_LABEL, *layout.FISCAL_YEAR_ALIASES)
    found: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for number, values in ws.rows:
        if number > layout.IDENTITY_ROWS or len(values) < 2:
            continue
        label = layout.normalise(values[0])
        key = "area" if label in area_spellings else "year" if label in year_spellings else None
        if key and key not in found:
            found[key] = _Cell(values[1], "f" if (number, 2) in ws.formulas else "")
            cells[key] = f"B{number}"
    title, problems = ws.title, []

    def problem(message: str) -> Problem:
        return Problem(message, sheet=title, sheet_order=0)

    area = found.get("area")
    if area is None or _blank(area.value):
        problems.append(problem(_('The cell "%(label)s" (column B, next to its label in column A) is missing or empty; fill in %(code)s.')
                                % {"label": layout.AREA_CODE_LABEL, "code": area_code}))
    elif area.data_type == "f":
        problems.append(problem(_("the cell %(cell)s holds a formula; type the value.") % {"cell": cells["area"]}))
    elif one_line(area.value) != area_code:
        problems.append(problem(
            _("This workbook belongs to office %(found)s (cell %(cell)s), not to %(code)s; download the template of this office.")
            % {"found": one_line(area.value), "cell": cells["area"], "code": area_code}
        ))
    year = found.get("year")
    if year is None or _blank(year.value):
        problems.append(problem(_('The cell "%(label)s" (column B, next to its label in column A) is missing or empty; fill in %(year)s.')
                                % {"label": layout.FISCAL_YEAR_LABEL, "year": fiscal_year}))
    elif year.data_type == "f":
        problems.append(problem(_("the cell %(cell)s holds a formula; type the value.") % {"cell": cells["year"]}))
    else:
        try:
            value = _whole(year.value)
        except CellError:
            value = None
        try:
            value = parse_fiscal_year(value if value is not None else one_line(year.value))
        except ValidationError as exc:  # the core's one reader: the CE hint, or "type the fiscal year in BE"
            problems.append(problem(_("Cell %(cell)s: %(message)s") % {"cell": cells["year"], "message": " ".join(exc.messages)}))
        else:
            if value != fiscal_year:
                problems.append(problem(
                    _("This workbook is the plan of fiscal year %(found)s (cell %(cell)s), not %(year)s; download the template of fiscal year %(year)s or import it on the page of %(found)s.")
                    % {"found": value, "cell": cells["year"], "year": fiscal_year}
                ))
    return problems


def ce_year_message(year: int, be: int) -> str:
    """The refusal of a CE year where a BE year is expected: "ปี 2025 เป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. (2568)"."""
    return _("The year %(year)s is a CE year; use the BE year (%(be)s).") % {"year": year, "be": be}


# --------------------------------------------------------------------------------------------
# A data sheet
# --------------------------------------------------------------------------------------------
def _read_sheet(ws: UploadSheet, spec: Sheet, fiscal_year: int, parsed: ParsedWorkbook) -> ParsedSheet:
    sheet = ParsedSheet(spec=spec, title=ws.title)
    problems = parsed.problems
    order = layout.sheet_order(spec.key)

    def header_problem(message: str, column: str = "", column_order: int = 0) -> None:
        problems.append(Problem(message, sheet=ws.title, row=1, column=column, sheet_order=order, column_order=column_order, blocking=True))

    if ws.last_row > layout.MAX_ROWS:
        header_problem(_("the sheet has %(rows)s rows; at most %(max)s are read. Delete the empty rows below the data.") % {"rows": ws.last_row, "max": layout.MAX_ROWS})
        return sheet

    # Merged cells and formulas anywhere in the sheet: refused, named by cell.
    merged_away = set()
    for merged in ws.merged:
        min_col, min_row, max_col, max_row = range_boundaries(merged)
        problems.append(Problem(
            _("cells %(range)s are merged; unmerge them and fill every cell.") % {"range": merged},
            sheet=ws.title, row=min_row, sheet_order=order, column_order=min_col,
        ))
        merged_away |= {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}
    header_cells = ws.row(1)
    unknown: set[int] = set()  # columns whose header is wrong: their cells are not reported one by one
    by_spelling: dict[str, Column] = {}
    for column in spec.columns:
        for s in column.spellings():
            by_spelling.setdefault(s, column)
    columns: dict[int, Column] = {}  # 0-based index -> column
    for index, value in enumerate(header_cells):
        coordinate = f"{get_column_letter(index + 1)}1"
        if (1, index + 1) in ws.formulas:
            header_problem(_("the header cell %(cell)s holds a formula; type the header.") % {"cell": coordinate}, " ".join(str(value or "").split()), index + 1)
            continue
        if _blank(value):
            continue
        written = " ".join(str(value).split())
        column = by_spelling.get(layout.normalise(value))
        if column is None:
            unknown.add(index)
            header_problem(
                _('unknown column "%(header)s" (cell %(cell)s); use the headers of the template: %(headers)s.')
                % {"header": written, "cell": coordinate, "headers": ", ".join(str(c.header) for c in spec.columns)},
                written, index + 1,
            )
        elif column.key in sheet.headers:
            header_problem(_('the column "%(header)s" appears twice (cell %(cell)s).') % {"header": written, "cell": coordinate}, written, index + 1)
        else:
            columns[index] = column
            sheet.headers[column.key] = written
    for position, column in enumerate(spec.columns):
        if column.must_have_header and column.key not in sheet.headers:
            # Listed after the headers found in the file (column_order beyond any real column).
            header_problem(_('the column "%(header)s" is missing; add it back in row 1 (see the template).') % {"header": column.header},
                           column_order=1000 + position)

    project_key = "code" if spec.key == "projects" else "project"
    formula_rows = {r for r, _c in ws.formulas}
    for number, cells in ws.rows:
        if number == 1 or (number not in formula_rows and not any(not _blank(v) for v in cells)):
            continue
        first = next((v for i, v in enumerate(cells) if columns.get(i) and columns[i].key == project_key), None)
        if first is not None and layout.normalise(first) in layout.EXAMPLE_MARKS:
            parsed.examples += 1
            continue
        values: dict[str, Any] = {}
        bad: set[str] = set()
        row_problems: list[Problem] = []
        for index, value in enumerate(cells):
            column = columns.get(index)
            col = index + 1
            coordinate = f"{get_column_letter(col)}{number}"
            if column is not None and (number, col) in merged_away:
                bad.add(column.key)  # reported once, as the merged range
                continue
            if (number, col) in ws.formulas:
                if column is not None:
                    bad.add(column.key)
                row_problems.append(Problem(
                    _("the cell %(cell)s holds a formula; copy the sheet and paste values only.") % {"cell": coordinate},
                    sheet=ws.title, row=number, column=sheet.headers.get(column.key, "") if column else get_column_letter(col),
                    sheet_order=order, column_order=index + 1,
                ))
                continue
            if column is None:
                if not _blank(value) and index not in unknown:
                    row_problems.append(Problem(
                        _("the cell %(cell)s has a value but its column has no header; delete it or add the header.") % {"cell": coordinate},
                        sheet=ws.title, row=number, column=get_column_letter(col), sheet_order=order, column_order=index + 1,
                    ))
                continue
            if (number, col) in ws.errors:
                bad.add(column.key)
                row_problems.append(sheet.problem(_("the cell %(cell)s holds an error value (%(value)s).") % {"cell": coordinate, "value": value}, number, column.key))
                continue
            try:
                values[column.key] = convert(column, value, fiscal_year)
            except CellError as exc:
                bad.add(column.key)
                row_problems.append(sheet.problem(str(exc), number, column.key))
        for column in spec.columns:
            if column.required and column.key in sheet.headers and column.key not in bad and values.get(column.key) in (None, "", []):
                row_problems.append(sheet.problem(_("this value is required."), number, column.key))
        problems.extend(row_problems)
        sheet.rows.append(Row(number, values, bad))
    return sheet


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


one_line = cell_text  # a cell as one line of text (emes.tabular)


def long_text(value: Any) -> str:
    """A multi-line text: NFC, line ends ``\\n``, spaces collapsed within lines, outer blank lines dropped.

    Applied to the database's value too when comparing, so a round trip never shows a change
    made only of spaces.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(str(value).replace("\x00", ""), multiline=True)  # NFC, no invisible characters (emes.text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n").strip()


_NUMERIC = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        raise CellError(_("%(value)s is not a number.") % {"value": one_line(value)})
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = one_line(value).translate(THAI_DIGITS).replace(",", "").replace(" ", "")
        if not _NUMERIC.fullmatch(text):
            raise CellError(_('"%(value)s" is not a number; type digits only (e.g. 12500.50).') % {"value": one_line(value)})
        try:
            number = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
            raise CellError(_('"%(value)s" is not a number.') % {"value": one_line(value)}) from exc
    rounded = number.quantize(Decimal("0.01"))
    # Excel stores 0.1 + 0.2 as 0.30000000000000004: a float within 1e-9 of two decimals is that value.
    if abs(number - rounded) > Decimal("1e-9"):
        raise CellError(_("%(value)s has more than 2 decimals.") % {"value": one_line(value)})
    if abs(rounded) > MAX_MONEY:
        raise CellError(_("%(value)s is too large.") % {"value": one_line(value)})
    return rounded


def _whole(value: Any) -> int | None:
    if _blank(value):
        return None
    number = _decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": one_line(value)})
    return int(number)


THAI_MONTHS = {layout.normalise(a): m.value for m in layout.MONTHS for a in m.aliases}
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_D_MONTH_Y = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2,4})")


def _date(value: Any, fiscal_year: int) -> dt.date | None:
    """A date cell: an Excel date, or text d/m/yyyy, yyyy-mm-dd or "1 ต.ค. 2568" with a BE year.

    A typed CE year (2025) is refused with the BE year to use. An Excel date whose year is a BE
    year (2568: typed into an Excel set to the Gregorian calendar) is read as that BE date.
    """
    if _blank(value) or one_line(value) == "-":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value.year >= 2400:
            try:
                value = value.replace(year=be_to_ce(value.year))
            except ValueError as exc:  # 29 Feb of a BE year whose CE year is not a leap year
                raise CellError(_("%(value)s is not a date.") % {"value": value.isoformat()}) from exc
        return value
    if isinstance(value, (int, float)):
        raise CellError(_("%(value)s is not a date; type it as day/month/BE year, e.g. 1/10/2568.") % {"value": one_line(value)})
    text = one_line(value).translate(THAI_DIGITS)
    if m := _YMD.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif (m := _D_MONTH_Y.fullmatch(text)) and layout.normalise(m[2]) in THAI_MONTHS:
        day, month, year = int(m[1]), THAI_MONTHS[layout.normalise(m[2])], int(m[3])
    else:
        raise CellError(_('"%(value)s" is not a date; type it as day/month/BE year, e.g. 1/10/2568.') % {"value": one_line(value)})
    if year < 100:
        year += 2500  # "1/10/68": the short BE year Thai offices write
    if looks_like_ce_year(year):
        be = ce_to_be(year)
        raise CellError(ce_year_message(year, be))
    if not 2400 <= year <= 2800:
        raise CellError(_("%(value)s: the year %(year)s is not a BE year.") % {"value": one_line(value), "year": year})
    try:
        return dt.date(be_to_ce(year), month, day)
    except ValueError as exc:
        raise CellError(_('"%(value)s" is not a date.') % {"value": one_line(value)}) from exc


def _split_codes(value: Any) -> list[str]:
    text = unicodedata.normalize("NFC", str(value)) if value is not None else ""
    parts = re.split(r"[,;\n\r]+", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


def convert(column: Column, value: Any, fiscal_year: int) -> Any:
    """The cell ``value`` as the column's kind; raises :class:`CellError` with the Thai reason.

    Returns ``None`` (or ``""``, ``[]``, ``False`` by kind) for an empty cell.
    """
    kind = column.kind
    if kind == "month":
        text = one_line(value)
        return bool(text) and text not in ("-", "0", "–")
    if kind == "strategies":
        return [] if _blank(value) else _split_codes(value)
    if kind == "text" and column.max_length is None:
        return long_text(value)
    if isinstance(value, str) and value.strip() in ("-", "–") and kind in ("money", "number", "date", "word", "user"):
        value = None
    if kind in ("text", "code", "strategy", "user", "division"):
        text = one_line(value)
        if column.max_length and len(text) > column.max_length:
            raise CellError(_("the text has %(length)s characters; at most %(max)s are allowed.") % {"length": len(text), "max": column.max_length})
        if kind == "division" and text:
            return text.split(" ", 1)[0]
        return text
    if kind == "money":
        if _blank(value):
            return None
        if isinstance(value, str) and not _NUMERIC.fullmatch(one_line(value).translate(THAI_DIGITS).replace(",", "").replace(" ", "")):
            raise CellError(_('"%(value)s" is not an amount in baht; type digits only (e.g. 12500.50).') % {"value": one_line(value)})
        amount = _decimal(value)
        if amount < 0:
            raise CellError(_("%(value)s is negative; an amount in baht cannot be below 0.") % {"value": baht(amount)})
        return amount
    if kind == "number":
        return None if _blank(value) else _decimal(value)
    if kind == "order":
        number = _whole(value)
        if number is not None and not 1 <= number <= 999:
            raise CellError(_("%(value)s is not a number from 1 to 999.") % {"value": number})
        return number
    if kind == "date":
        return _date(value, fiscal_year)
    if kind == "word":
        if _blank(value):
            return None
        found = layout.word_lookup(column.words).get(layout.normalise(one_line(value)))
        if found is None:
            raise CellError(_('"%(value)s" is not one of: %(choices)s.') % {
                "value": one_line(value), "choices": ", ".join(str(w.label) for w in column.words)})
        return found
    raise AssertionError(kind)  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Rules across rows and sheets
# --------------------------------------------------------------------------------------------
def _check_across_sheets(parsed: ParsedWorkbook, fiscal_year: int) -> None:
    """Duplicates, references to projects, quarters against amounts, budgets against activities, dates
    within the fiscal year (1 Oct of BE year - 1 to 30 Sep, docs/fiscal-calendar.md)."""
    projects, indicators = parsed.sheets["projects"], parsed.sheets["indicators"]
    activities, budget = parsed.sheets["activities"], parsed.sheets["budget"]
    problems = parsed.problems
    year = FiscalYear(fiscal_year)

    seen: dict[str, int] = {}
    for row in projects.rows:
        code = row.get("code")
        if not code:
            continue
        if code in seen:
            problems.append(projects.problem(_("the project code %(code)s is already used in row %(row)s; each project has its own code.") % {"code": code, "row": seen[code]}, row.number, "code"))
        else:
            seen[code] = row.number
        start, end = row.get("start_date"), row.get("end_date")
        for key in ("start_date", "end_date"):
            day = row.get(key)
            if day and not year.contains(day):
                problems.append(projects.problem(
                    _("%(date)s is outside fiscal year %(year)s (%(start)s to %(end)s).")
                    % {"date": be_date(day), "year": fiscal_year, "start": be_date(year.start), "end": be_date(year.end)}, row.number, key,
                ))
        if start and end and end < start:
            problems.append(projects.problem(_("the end date %(end)s is before the start date %(start)s.") % {"end": be_date(end), "start": be_date(start)}, row.number, "end_date"))
    known = set(seen)

    def unknown_project(sheet: ParsedSheet, row: Row) -> bool:
        code = row.get("project")
        if code and code not in known:
            problems.append(sheet.problem(_('the project %(code)s is not in the sheet "%(sheet)s".') % {"code": code, "sheet": projects.title}, row.number, "project"))
            return True
        return False

    # Indicators: of a project xor of a strategy; one per code (or per name without code) in each.
    keys: dict[tuple, int] = {}
    for row in indicators.rows:
        project, strategy = row.get("project"), row.get("strategy")
        if project and strategy:
            problems.append(indicators.problem(_("give either the project code or the strategy, not both."), row.number, "strategy"))
            continue
        if not project and not strategy:
            column = "project" if "strategy" not in indicators.present else "strategy"
            problems.append(indicators.problem(_("give the project code (or, for a strategy indicator, the strategy)."), row.number, column))
            continue
        if unknown_project(indicators, row):
            continue
        owner = ("p", project) if project else ("s", strategy)
        key = (*owner, "code", row.get("code")) if row.get("code") else (*owner, "name", row.get("name"))
        if key in keys:
            problems.append(indicators.problem(
                _("the same indicator appears again (row %(row)s); give each indicator of a project or strategy its own name or code.") % {"row": keys[key]},
                row.number, "code" if row.get("code") else "name",
            ))
        else:
            keys[key] = row.number
        target = row.get("target")
        if row.get("is_percentage") and target is not None and not 0 <= target <= 100:
            problems.append(indicators.problem(_("a percentage target must be between 0 and 100 (found %(value)s).") % {"value": target}, row.number, "target"))

    # Budget lines: one per project and source; planned quarters add up to the amount.
    lines: dict[str, Decimal] = defaultdict(Decimal)
    lined: set[str] = set()
    # Projects whose money could not all be read: their totals are not compared (the cells are reported already).
    unsure: set[str] = {row.get("code") for row in projects.rows if "budget" in row.bad}
    seen_lines: dict[tuple, int] = {}
    for row in budget.rows:
        if unknown_project(budget, row) or not row.get("project") or row.get("source") is None:
            continue
        key = (row.get("project"), row.get("source"))
        if key in seen_lines:
            problems.append(budget.problem(_("this project already has a line of this source (row %(row)s); add the amounts into one line.") % {"row": seen_lines[key]}, row.number, "source"))
            continue
        seen_lines[key] = row.number
        amount = row.get("amount")
        lined.add(row.get("project"))
        if amount is None:
            unsure.add(row.get("project"))
            continue
        lines[row.get("project")] += amount
        quarters = [row.get(q) or Decimal("0") for q in ("q1", "q2", "q3", "q4")]
        if row.bad & {"q1", "q2", "q3", "q4"}:
            continue
        if all(k in budget.present for k in ("q1", "q2", "q3", "q4")) and sum(quarters) != amount:
            problems.append(budget.problem(
                _("the planned quarters add up to %(sum)s baht, not to the amount %(amount)s baht.") % {"sum": baht(sum(quarters)), "amount": baht(amount)},
                row.number, "q1",
            ))

    # Project budgets: the sum of the project's budget lines when it has any, else the typed budget.
    budgets: dict[str, Decimal | None] = {}
    for row in projects.rows:
        code = row.get("code")
        if not code or code in budgets:
            continue
        typed = row.get("budget")
        if code in unsure:
            budgets[code] = None
            continue
        if code in lined:
            total = lines[code]
            if typed is not None and typed != total:
                # Compared with the plan by .changes: the old total of an export whose lines were edited gives way
                # to the lines; a budget typed anew that disagrees with them is refused.
                row.values["budget_typed"] = typed
            row.values["budget"] = total
        elif typed is None and "budget" in projects.present:
            problems.append(projects.problem(
                _('this value is required when the project has no line in the sheet "%(sheet)s" (type 0 for a project without money).') % {"sheet": budget.title},
                row.number, "budget",
            ))
        budgets[code] = row.values.get("budget")

    # Activities: one per number in a project; their budgets do not exceed the project's.
    seen_orders: dict[tuple, int] = {}
    spent: dict[str, Decimal] = defaultdict(Decimal)
    first_row: dict[str, int] = {}
    for row in activities.rows:
        if unknown_project(activities, row) or not row.get("project"):
            continue
        key = (row.get("project"), row.get("order"))
        if row.get("order") is not None:
            if key in seen_orders:
                problems.append(activities.problem(_("activity number %(order)s of this project is already used in row %(row)s.") % {"order": row.get("order"), "row": seen_orders[key]}, row.number, "order"))
            else:
                seen_orders[key] = row.number
        if "budget" in row.bad:
            unsure.add(row.get("project"))
        spent[row.get("project")] += row.get("budget") or Decimal("0")
        first_row.setdefault(row.get("project"), row.number)
    for code, total in spent.items():
        allowed = budgets.get(code)
        if allowed is not None and code not in unsure and total > allowed:
            problems.append(activities.problem(
                _("the activities of project %(code)s add up to %(total)s baht, more than its budget of %(budget)s baht.")
                % {"code": code, "total": baht(total), "budget": baht(allowed)}, first_row[code], "budget",
            ))
