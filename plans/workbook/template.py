"""Writing the action-plan workbook: the empty template and the export of a plan, in one shape.

:func:`write_workbook` draws the sheets of :mod:`.layout` from rows of *file values* (tokens, labels,
baht as numbers, dates as dates); :func:`plan_rows` reads a plan into such rows and
:func:`workbook_lists` the drop-down lists of an office and fiscal year. The template is the same
workbook with no rows and one example row per sheet (project code ``ตัวอย่าง``, which the import skips).

Text that begins with ``=``, ``+``, ``-`` or ``@`` is stored as a string with Excel's quote prefix,
never as a formula (formula injection, OWASP "CSV Injection"); money is written as numbers in
``#,##0.00``, dates as real dates displayed in the Buddhist Era.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from emes.fiscal import FiscalYear
from emes.models import Division, Office
from emes.output.excel import DATE_FORMAT, HEADER_FILL, MONEY_FORMAT, NUMBER_FORMAT, write_cell
from emes.thai import be_datetime
from plans.models import BudgetSource, Indicator, Project, Strategy

from . import layout
from .changes import division_token, fiscal_year_strategies, office_staff, strategy_order, strategy_token

REQUIRED_FILL = "FCE4D6"
EXAMPLE_FILL = "F2F2F2"


@dataclass
class Lists:
    """The drop-down lists of an office and fiscal year, as written in the lists sheet.

    ``strategies`` holds ``(token, level label, name)`` of every strategy the plan may name;
    ``office_strategies`` the tokens of the office's own; ``users`` ``(username, full name)``.
    """

    divisions: list[tuple[str, str]] = field(default_factory=list)
    strategies: list[tuple[str, str, str]] = field(default_factory=list)
    office_strategies: list[str] = field(default_factory=list)
    users: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PlanRows:
    """A plan as rows of file values, one dict (column key → value) per row of each data sheet."""

    projects: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    budget: list[dict[str, Any]] = field(default_factory=list)

    def for_sheet(self, key: str) -> list[dict[str, Any]]:
        return getattr(self, key)


# --------------------------------------------------------------------------------------------
# Reading the database into rows
# --------------------------------------------------------------------------------------------
def workbook_lists(office: Office, fiscal_year: int) -> Lists:
    """Divisions of ``office``, strategies of ``fiscal_year`` (BE; the office's and the shared ones), staff users. 3 queries."""
    strategies = fiscal_year_strategies(office, fiscal_year)
    levels = dict(Strategy.Level.choices)
    return Lists(
        divisions=[(division_token(d), d.name) for d in Division.objects.filter(office=office).order_by("code")],
        strategies=[(strategy_token(s), str(levels.get(s.level, s.level)), s.name) for s in strategies],
        office_strategies=[strategy_token(s) for s in strategies if s.office_id == office.pk],
        users=[(u.username, u.get_full_name()) for u in office_staff(office).order_by("username")],
    )


def plan_rows(office: Office, fiscal_year: int) -> PlanRows:
    """The plan of ``office`` for ``fiscal_year`` (BE) as file rows, in the order of the export. 6 queries.

    Projects by code; their indicators (by id), activities (by number) and budget lines (by source)
    in the order of the projects; indicators of office strategies after those of projects.
    """
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "division", "owner")
        .prefetch_related("strategies", "budget_lines", "activities", "indicators")
        .order_by("code")
    )
    out = PlanRows()
    sources = [s for s, _label in BudgetSource.choices]
    for p in projects:
        out.projects.append({
            "code": p.code, "name": p.name, "strategy": strategy_token(p.strategy),
            "strategies": ", ".join(strategy_token(s) for s in sorted(p.strategies.all(), key=strategy_order)),
            "division": division_token(p.division), "owner": p.owner.username if p.owner else "",
            "responsible_people": p.responsible_people, "budget": p.budget, "start_date": p.start_date, "end_date": p.end_date,
            "rationale": p.rationale, "objectives": p.objectives, "targets_quantity": p.targets_quantity, "targets_quality": p.targets_quality,
        })
        for i in sorted(p.indicators.all(), key=lambda i: i.pk):
            out.indicators.append(_indicator_row(i, project=p.code))
        for a in sorted(p.activities.all(), key=lambda a: a.order):
            row = {"project": p.code, "order": a.order, "name": a.name, "budget": a.budget, "responsible": a.responsible}
            months = set(a.months or [])
            row.update({f"m{m}": layout.MONTH_MARK for m in layout.FISCAL_MONTH_ORDER if m in months})
            out.activities.append(row)
        for b in sorted(p.budget_lines.all(), key=lambda b: sources.index(b.source) if b.source in sources else 9):
            out.budget.append({"project": p.code, "source": layout.label_of(layout.SOURCES, b.source), "amount": b.amount,
                               "q1": b.q1, "q2": b.q2, "q3": b.q3, "q4": b.q4})
    strategy_indicators = Indicator.objects.filter(strategy__office=office, strategy__fiscal_year=fiscal_year).select_related("strategy")
    for i in sorted(strategy_indicators, key=lambda i: (i.strategy.code, i.pk)):
        out.indicators.append(_indicator_row(i, strategy=strategy_token(i.strategy)))
    return out


def _indicator_row(i: Indicator, *, project: str = "", strategy: str = "") -> dict[str, Any]:
    return {
        "project": project, "strategy": strategy, "code": i.code, "name": i.name, "unit": i.unit, "baseline": i.baseline,
        "target": i.target, "direction": layout.label_of(layout.DIRECTIONS, i.direction),
        "is_percentage": layout.label_of(layout.YES_NO, i.is_percentage), "frequency": layout.label_of(layout.FREQUENCIES, i.frequency),
        "responsible": i.responsible,
    }


def example_rows(lists: Lists, fiscal_year: int) -> PlanRows:
    """One example row per data sheet (project code :data:`layout.EXAMPLE_MARK`), in this office's codes."""
    year = FiscalYear(fiscal_year)
    mark = layout.EXAMPLE_MARK
    strategy = lists.office_strategies[0] if lists.office_strategies else (lists.strategies[0][0] if lists.strategies else "")
    others = ", ".join(t for t, _level, _name in lists.strategies if t not in lists.office_strategies)[:200]
    return PlanRows(
        projects=[{
            "code": mark, "name": _("Reading and writing for grades 1-3 (example: this row is not imported)"), "strategy": strategy,
            "strategies": others.split(", ")[0] if others else "", "division": lists.divisions[0][0] if lists.divisions else "01",
            "owner": lists.users[0][0] if lists.users else "", "responsible_people": _("Ms. Example, supervisor"),
            "budget": Decimal("120000"), "start_date": year.start, "end_date": year.end,
            "rationale": _("Why the project is needed (example)."), "objectives": _("1. Students read fluently (example)."),
            "targets_quantity": _("40 schools (example)"), "targets_quality": _("Students read and write at grade level (example)"),
        }],
        indicators=[{
            "project": mark, "code": "1", "name": _("Percentage of grade 1 students who read fluently (example)"), "unit": _("percent"),
            "baseline": Decimal("72"), "target": Decimal("80"), "direction": "≥", "is_percentage": layout.label_of(layout.YES_NO, True),
            "frequency": layout.label_of(layout.FREQUENCIES, Indicator.Frequency.SEMIANNUAL), "responsible": _("Ms. Example"),
        }],
        activities=[{
            "project": mark, "order": 1, "name": _("Workshop for grade 1 teachers (example)"), "m11": layout.MONTH_MARK, "m12": layout.MONTH_MARK,
            "budget": Decimal("80000"), "responsible": _("Ms. Example"),
        }],
        budget=[{
            "project": mark, "source": layout.label_of(layout.SOURCES, BudgetSource.OBEC), "amount": Decimal("120000"),
            "q1": Decimal("80000"), "q2": Decimal("40000"), "q3": Decimal("0"), "q4": Decimal("0"),
        }],
    )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def write_workbook(office: Office, fiscal_year: int, lists: Lists, rows: PlanRows, *, examples: PlanRows | None = None,
                   max_upload_mb: float = 5, exported: bool = False) -> bytes:
    """The workbook as ``.xlsx`` bytes: instructions, the four data sheets (examples first), the hidden lists."""
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = str(layout.INSTRUCTIONS_TITLE)
    lists_sheet = workbook.create_sheet(str(layout.LISTS_TITLE))
    ranges = _write_lists(lists_sheet, lists)
    _write_instructions(instructions, office, fiscal_year, lists, max_upload_mb=max_upload_mb, exported=exported)
    for spec in layout.DATA_SHEETS:
        ws = workbook.create_sheet(str(spec.title), index=len(workbook.sheetnames) - 1)
        sample = examples.for_sheet(spec.key) if examples else []
        data = rows.for_sheet(spec.key)
        _write_sheet(ws, spec, sample, data)
        last = 1 + max(layout.VALIDATED_ROWS, len(sample) + len(data) + 500)
        for index, column in enumerate(spec.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            target = f"{letter}2:{letter}{last}"
            validation = None
            if column.list_name and ranges.get(column.list_name):
                validation = DataValidation(type="list", formula1=ranges[column.list_name], allow_blank=True)
                validation.error = _("Choose a value from the list.")
            elif column.kind == "money":
                validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
                validation.error = _("An amount in baht, 0 or more, digits only.")
            elif column.kind == "order":
                validation = DataValidation(type="whole", operator="between", formula1="1", formula2="999", allow_blank=True)
                validation.error = _("A whole number from 1 to 999.")
            if validation is not None:
                validation.errorTitle = str(column.header)
                validation.showErrorMessage = True
                ws.add_data_validation(validation)
                validation.add(target)
    lists_sheet.sheet_state = "hidden"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lists(ws, lists: Lists) -> dict[str, str]:
    """Fill the lists sheet; returns ``{list name: absolute range}`` for the drop-downs."""
    columns = [
        ("divisions", _("Divisions"), [d for d, _name in lists.divisions]),
        ("division_names", _("Division names"), [name for _d, name in lists.divisions]),
        ("strategies", _("Strategies and policies"), [t for t, _level, _name in lists.strategies]),
        ("strategy_names", _("Names"), [name for _t, _level, name in lists.strategies]),
        ("office_strategies", _("Office strategies"), lists.office_strategies),
        ("sources", _("Budget sources"), [str(w.label) for w in layout.SOURCES]),
        ("directions", _("Directions"), [str(w.label) for w in layout.DIRECTIONS]),
        ("frequencies", _("Frequencies"), [str(w.label) for w in layout.FREQUENCIES]),
        ("yes_no", _("Yes / no"), [str(w.label) for w in layout.YES_NO]),
        ("users", _("Usernames"), [u for u, _name in lists.users]),
        ("user_names", _("Names"), [name for _u, name in lists.users]),
    ]
    ranges = {}
    for index, (name, title, values) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, str(title)).font = Font(bold=True)
        for offset, value in enumerate(values, start=2):
            write_cell(ws.cell(offset, index), value)
        ws.column_dimensions[letter].width = 40 if name.endswith("names") else 18
        if values:
            ranges[name] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_instructions(ws, office: Office, fiscal_year: int, lists: Lists, *, max_upload_mb: float, exported: bool) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 100
    ws["A1"] = _("Annual action plan, fiscal year %(year)s") % {"year": fiscal_year}
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = office.full_name
    ws["A3"], ws["A4"] = str(layout.AREA_CODE_LABEL), str(layout.FISCAL_YEAR_LABEL)
    write_cell(ws["B3"], office.area_code)
    ws["B4"] = fiscal_year
    for cell in (ws["A3"], ws["A4"]):
        cell.font = bold
    for cell in (ws["B3"], ws["B4"]):
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL)
        cell.alignment = Alignment(horizontal="left")
    ws["A5"] = _("Exported from EMES") if exported else _("Template from EMES")
    ws["B5"] = be_datetime(timezone.now())
    ws["B6"] = _("The import checks the two cells above: keep them as they are.")
    ws["B6"].font = Font(italic=True, color="808080")

    names = {s.key: str(s.title) for s in layout.DATA_SHEETS}
    steps = [
        _('Fill in one row per project in the sheet "%(projects)s", its indicators in "%(indicators)s", its activities in "%(activities)s" and its money by source in "%(budget)s"; the rows are linked by the project code.') % names,
        _("Columns marked * are required. Choose codes from the drop-down lists (divisions, strategies, budget sources, ≥ / ≤, frequency, yes / no): they come from EMES for this office and fiscal year."),
        _("Money is in baht: numbers only (no text, no negative amounts), at most 2 decimals. The four planned quarters of a budget line add up to its amount; the activities of a project do not exceed its budget."),
        _("Dates: an Excel date, or day/month/BE year such as 1/10/2568. Years are Buddhist Era (BE); a CE year such as 2025 is refused."),
        _("Type values only: no formulas, no merged cells. Do not rename the sheets or change the headers in row 1."),
        _('Rows whose project code is "%(mark)s" are examples: they are never imported, and you may delete them.') % {"mark": layout.EXAMPLE_MARK},
        _("The workbook is the whole plan: the import creates and updates projects, indicators, activities and budget lines, and removes those that are not in the workbook. A project with quarterly reports, or an indicator with results, is never removed: the import is refused and names it."),
        _("Upload the file on the plan import page (at most %(mb)s MB). You first see what will be created, changed and removed, then confirm; nothing changes before that. Importing the same file again changes nothing.") % {"mb": f"{max_upload_mb:g}"},
    ]
    row = 8
    ws.cell(row, 1, _("How to fill in the workbook")).font = Font(bold=True, size=12)
    for number, text in enumerate(steps, start=1):
        row += 1
        ws.cell(row, 1, number).alignment = Alignment(horizontal="right", vertical="top")
        ws.cell(row, 2, text).alignment = wrap

    for spec in layout.DATA_SHEETS:
        row += 2
        ws.cell(row, 1, _('Sheet "%(sheet)s"') % {"sheet": spec.title}).font = Font(bold=True, size=12)
        ws.cell(row, 2, str(spec.help)).alignment = wrap
        for column in spec.columns:
            if column.kind == "month" and column.month != layout.FISCAL_MONTH_ORDER[0]:
                continue
            row += 1
            header = str(column.header) + (" *" if column.required else "")
            if column.kind == "month":
                header = _("Oct … Sep (12 columns)")
            ws.cell(row, 1, header).alignment = wrap
            text = str(column.help) if column.help else ""
            if column.kind == "month":
                text = _("Mark the months the activity is planned in with %(mark)s; leave the others empty.") % {"mark": layout.MONTH_MARK}
            elif column.kind == "money" and not column.help:
                text = _("Baht, digits only.")
            write_cell(ws.cell(row, 2), text)
            ws.cell(row, 2).alignment = wrap

    row += 2
    ws.cell(row, 1, _("Divisions of the office")).font = Font(bold=True, size=12)
    for token, name in lists.divisions:
        row += 1
        write_cell(ws.cell(row, 1), token.split(" ", 1)[0])
        write_cell(ws.cell(row, 2), name)
    row += 2
    ws.cell(row, 1, _("Strategies and policies of fiscal year %(year)s") % {"year": fiscal_year}).font = Font(bold=True, size=12)
    for token, level, name in lists.strategies:
        row += 1
        write_cell(ws.cell(row, 1), token)
        write_cell(ws.cell(row, 2), f"{level}: {name}")
        ws.cell(row, 2).alignment = wrap
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def _write_sheet(ws, spec: layout.Sheet, examples: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(1, index, str(column.header) + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if column.required else HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.kind in ("code", "division", "strategy", "strategies", "user"):
            dimension.number_format = "@"  # "01" stays "01" when typed into a new row
    ws.row_dimensions[1].height = 48
    example_font = Font(italic=True, color="808080")
    example_fill = PatternFill("solid", fgColor=EXAMPLE_FILL)
    for offset, values in enumerate([*examples, *rows], start=2):
        example = offset - 2 < len(examples)
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(offset, index)
            _write_value(cell, column, values.get(column.key))
            if example:
                cell.font = example_font
                cell.fill = example_fill
    ws.freeze_panes = {"projects": "C2", "activities": "D2"}.get(spec.key, "A2")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}1"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def _write_value(cell, column: layout.Column, value: Any) -> None:
    if value is None or value == "":
        return
    if column.kind == "money":
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif column.kind == "number":
        cell.value = value
        cell.number_format = NUMBER_FORMAT
    elif column.kind == "order":
        cell.value = int(value)
    elif column.kind == "date":
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif column.kind == "month":
        cell.value = value
        cell.alignment = Alignment(horizontal="center")
    else:
        write_cell(cell, value)
        if column.kind == "text":
            cell.alignment = Alignment(wrap_text=True, vertical="top")
