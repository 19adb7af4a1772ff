"""The Excel workbook of one quarter: a summary sheet, then one sheet per division, one row per project.

Headers are in the active language (Thai by default); money in baht as numbers (``#,##0.00``),
progress and counts as numbers; every text cell goes through ``emes.output.excel.write_cell`` so a
name starting with = + - @ stays text, never a formula (OWASP "CSV Injection").
"""
from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from emes.stats import percentage
from emes.thai import be_date, be_datetime
from emes.output.excel import MONEY_FORMAT, PERCENT_FORMAT, sheet_title, write_cell, write_header

from .selectors import QuarterSummary

def _columns() -> list[tuple[str, int, str]]:
    """(header, width, kind) of a division sheet; kind: text, money, int, pct."""
    return [
        (_("Code"), 12, "text"),
        (_("Project"), 48, "text"),
        (_("Project owner"), 26, "text"),
        (_("Report status"), 16, "text"),
        (_("Implementation"), 18, "text"),
        (_("Progress (%)"), 12, "int"),
        (_("Budget (baht)"), 16, "money"),
        (_("Disbursed in the quarter (baht)"), 18, "money"),
        (_("Cumulative disbursed (baht)"), 18, "money"),
        (_("Cumulative disbursed (%)"), 14, "pct"),
        (_("Indicators achieved"), 12, "int"),
        (_("Indicators"), 11, "int"),
    ]


def _put(ws, row: int, col: int, value: Any, kind: str) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return
    if kind == "money":
        cell.value, cell.number_format = value, MONEY_FORMAT
    elif kind == "pct":
        cell.value, cell.number_format = value, PERCENT_FORMAT
    elif kind == "int":
        cell.value = int(value)
    else:
        write_cell(cell, str(value))


def write_quarter_workbook(summary: QuarterSummary) -> bytes:
    """The .xlsx bytes of ``summary`` (``selectors.quarter_summary``)."""

    wb = Workbook()
    ws = wb.active
    taken: set[str] = set()
    ws.title = sheet_title(_("Summary"), taken)
    t = summary.timeliness
    bold = Font(bold=True)
    write_cell(ws["A1"], _("Quarterly follow-up, Q%(quarter)s of fiscal year %(year)s") % {"quarter": summary.quarter, "year": summary.fiscal_year})
    ws["A1"].font = Font(bold=True, size=14)
    write_cell(ws["A2"], summary.office.full_name)
    facts: list[tuple[str, Any, str]] = [
        (_("Reports due"), be_date(t.due_date), "text"),
        (_("Projects (reports expected)"), t.expected, "int"),
        (_("Submitted"), t.submitted, "int"),
        (_("On time"), t.on_time, "int"),
        (_("Late"), t.late, "int"),
        (_("Missing"), t.missing, "int"),
        (_("Completeness (%)"), t.completeness_pct, "pct"),
        (_("Timeliness (%)"), t.timeliness_pct, "pct"),
        (_("Cumulative disbursement target (%)"), summary.target if summary.target is not None else _("No target set"),
         "pct" if summary.target is not None else "text"),
        (_("Exported"), be_datetime(timezone.now()), "text"),
    ]
    for n, (label, value, kind) in enumerate(facts, start=4):
        write_cell(ws.cell(row=n, column=1), label)
        ws.cell(row=n, column=1).font = bold
        _put(ws, n, 2, value, kind)
    note_row = 4 + len(facts)
    write_cell(ws.cell(row=note_row, column=1), _("Money and indicators count submitted, accepted and approved reports only."))

    headers = [
        (_("Division"), 34, "text"), (_("Projects"), 10, "int"), (_("Reports counted"), 12, "int"),
        (_("Budget (baht)"), 18, "money"), (_("Disbursed in the quarter (baht)"), 18, "money"),
        (_("Cumulative disbursed (baht)"), 18, "money"), (_("Cumulative disbursed (%)"), 14, "pct"),
        (_("Indicators achieved"), 12, "int"), (_("Indicators"), 11, "int"),
    ]
    top = note_row + 2
    write_header(ws, top, headers)
    ws.column_dimensions["A"].width = 40
    totals = [0, 0, 0, 0, 0, 0, 0]
    row = top
    for division in summary.divisions:
        row += 1
        values = [
            division.label, len(division.rows), division.reported, division.total("budget"),
            division.total("disbursed_in_quarter"), division.total("cumulative_disbursed"),
            percentage(division.total("cumulative_disbursed"), division.total("budget")),
            division.total("achieved"), division.total("indicators"),
        ]
        for col, (value, (_h, _w, kind)) in enumerate(zip(values, headers), start=1):
            _put(ws, row, col, value, kind)
        for i, value in enumerate([values[1], values[2], values[3], values[4], values[5], values[7], values[8]]):
            totals[i] += value
    row += 1
    total_values = [_("Total"), totals[0], totals[1], totals[2], totals[3], totals[4], percentage(totals[4], totals[2]), totals[5], totals[6]]
    for col, (value, (_h, _w, kind)) in enumerate(zip(total_values, headers), start=1):
        _put(ws, row, col, value, kind)
        ws.cell(row=row, column=col).font = bold

    columns = _columns()
    for division in summary.divisions:
        sheet = wb.create_sheet(sheet_title(division.label, taken))
        write_header(sheet, 1, columns)
        sheet.freeze_panes = "C2"
        for n, item in enumerate(division.rows, start=2):
            p, report = item.project, item.report
            values = [
                p.code, p.name, (p.owner.get_full_name() or p.owner.username) if p.owner else "",
                report.get_status_display() if report else _("No report yet"),
                report.get_implementation_display() if report else "",
                report.progress if report else None,
                p.budget, item.disbursed_in_quarter, item.cumulative_disbursed,
                percentage(item.cumulative_disbursed, p.budget), item.achieved, item.indicators,
            ]
            for col, (value, (_h, _w, kind)) in enumerate(zip(values, columns), start=1):
                _put(sheet, n, col, value, kind)
        if division.rows:
            sheet.auto_filter.ref = f"A1:L{len(division.rows) + 1}"
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
