"""Excel workbooks of inspection rounds (openpyxl): the units' responses, and the recommendations follow-up.

Formula-safe like every EMES export: each text cell goes through ``plans.workbook.template.write_cell``, so an
answer, a unit's or a file's name starting with = + - @ is stored as text with Excel's quote prefix, never a
formula (OWASP "CSV Injection"). Numbers stay numbers (answers, counts, sizes), dates are real dates shown in
the Buddhist Era (``DATE_FORMAT``), times are written as BE text. Evidence files are listed by name only: the
files are private and are downloaded in EMES by people allowed to see them. Headers in the active language.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from emes.thai import be_datetime
from emes.output.excel import DATE_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, write_cell, write_header

from .. import selectors, standards
from ..models import AnswerKind, FormDispatch, InspectionRound, Question
from .data import FollowUpReport, reached_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _put(ws, row: int, col: int, value: Any, kind: str = "text") -> None:
    """Write one cell by kind: text (formula-safe), num, int, pct, date; ``None``/"" leaves it empty."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=col)
    if kind == "num":
        cell.value, cell.number_format = value, NUMBER_FORMAT
    elif kind == "int":
        cell.value = int(value)
    elif kind == "pct":
        cell.value, cell.number_format = value, PERCENT_FORMAT
    elif kind == "date":
        cell.value, cell.number_format = value, DATE_FORMAT
    else:
        write_cell(cell, str(value))
        if kind == "wrap":
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _title(ws, text: str, sub: str = "") -> None:
    write_cell(ws["A1"], text)
    ws["A1"].font = Font(bold=True, size=13)
    if sub:
        write_cell(ws["A2"], sub)


def _rows(ws, start: int, headers: list[tuple[str, int, str]], rows: list[list[Any]]) -> None:
    write_header(ws, start, headers)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    for r, values in enumerate(rows, start=start + 1):
        for c, (value, (_h, _w, kind)) in enumerate(zip(values, headers), start=1):
            _put(ws, r, c, value, kind)


def _unit_code(d: FormDispatch) -> str:
    return d.school.smis_code if d.school_id else d.division.code


def _unit_kind(d: FormDispatch) -> str:
    return _("school") if d.school_id else _("division")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else _("yes") if value else _("no")


def questionwrite_header(q: Question) -> str:
    text = q.text if len(q.text) <= 60 else q.text[:59] + "…"
    label = _("Q%(order)s. %(text)s") % {"order": q.order, "text": text}
    return f"{label} ({q.unit})" if q.unit else label


def _readme(ws, lines: list[str]) -> None:
    ws.column_dimensions["A"].width = 110
    for r, line in enumerate(lines, start=1):
        _put(ws, r, 1, line)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def responses_workbook(round: InspectionRound, *, today: dt.date | None = None) -> bytes:
    """XLSX bytes of the units' responses of ``round`` (8 queries, whatever the units and questions).

    Sheets: responses (one row per unit the form was sent to × one column per question, drafts included, the
    status says which), summary per question (submitted units only, as in the round report), text answers (one row
    per answer), evidence (file names), README.
    """
    today = today or timezone.localdate()
    r = round
    questions, table = selectors.answers_table(r)
    board = {row.dispatch.pk: row for row in selectors.round_board(r, today=today).rows}
    wb = Workbook()
    heading = _("Inspection round %(n)s/%(fy)s, %(office)s") % {"n": r.number, "fy": r.fiscal_year, "office": r.office.full_name}
    as_of = _("Data as of %(when)s") % {"when": be_datetime(timezone.now())}

    # Responses: units × questions.
    ws = wb.active
    ws.title = _("Responses")[:31]
    _title(ws, heading, as_of)
    headers = [
        (_("No."), 5, "int"), (_("Unit code"), 11, "text"), (_("Inspected unit"), 34, "text"), (_("Kind"), 9, "text"),
        (_("Status"), 14, "text"), (_("Sent on"), 11, "date"), (_("Due"), 11, "date"), (_("Submitted at (BE)"), 20, "text"),
        (_("Late"), 7, "text"), (_("Within 30 working days"), 11, "text"), (_("Working days late"), 9, "int"),
    ]
    for q in questions:
        width = {AnswerKind.NUMBER: 14, AnswerKind.YES_NO: 10}.get(q.kind, 36)
        headers.append((questionwrite_header(q), width, "num" if q.kind == AnswerKind.NUMBER else "wrap" if q.kind == AnswerKind.TEXT else "text"))
    by_pk = {q.pk: q for q in questions}
    rows, text_rows, evidence_rows = [], [], []
    for n, (d, answers, evidence) in enumerate(table, start=1):
        b = board.get(d.pk)
        on_time = b.on_time_for_standard if b else None
        values: list[Any] = [
            n, _unit_code(d), d.unit_name, _unit_kind(d), d.get_status_display(), timezone.localdate(d.sent_at), d.due_on,
            be_datetime(d.submitted_at), _("yes") if b and b.is_late else "", _yes_no(on_time),
            b.working_days_late if b and b.is_late else None,
        ]
        files_by_q: dict[int | None, list[str]] = {}
        for ev in evidence:
            files_by_q.setdefault(ev.question_id, []).append(ev.original_name)
            q = by_pk.get(ev.question_id)
            evidence_rows.append([_unit_code(d), d.unit_name, f"{q.order}. {q.text}" if q else _("(the whole form)"), ev.original_name,
                                  ev.content_type, ev.size, be_datetime(ev.uploaded_at)])
        for q in questions:
            a = answers.get(q.pk)
            if q.kind == AnswerKind.NUMBER:
                values.append(a.number_value if a else None)
            elif q.kind == AnswerKind.YES_NO:
                values.append(_yes_no(a.bool_value) if a else "")
            elif q.kind == AnswerKind.TEXT:
                values.append(a.text_value if a else "")
                if a and a.text_value:
                    text_rows.append([_unit_code(d), d.unit_name, d.get_status_display(), q.order, q.text, a.text_value])
            else:
                values.append("; ".join(files_by_q.get(q.pk, [])))
        rows.append(values)
    _rows(ws, 3, headers, rows)
    ws.freeze_panes = ws.cell(row=4, column=4)
    ws.row_dimensions[3].height = 60

    # Summary per question (submitted units), with the indicator's target.
    ws = wb.create_sheet(_("Summary per question")[:31])
    _title(ws, heading, _("Submitted forms only."))
    reached = reached_counts(r)
    summary_rows = []
    for s in selectors.indicator_results(r):
        q, ind = s.question, s.question.indicator
        summary_rows.append([
            q.order, q.text, q.get_kind_display(), ind.issue.code if ind else "", ind.text if ind else "", q.unit or (ind.unit if ind else ""),
            ind.target if ind else None, ind.target_text if ind else "", s.answered, s.total, s.mean, s.minimum, s.maximum,
            reached.get(q.pk, 0) if q.kind == AnswerKind.NUMBER and ind and ind.target is not None else None,
            s.yes if q.kind == AnswerKind.YES_NO else None, s.no if q.kind == AnswerKind.YES_NO else None, s.files or None,
        ])
    _rows(ws, 3, [
        (_("Question no."), 8, "int"), (_("Question"), 40, "wrap"), (_("Answer expected"), 12, "text"), (_("Issue"), 8, "text"),
        (_("Indicator"), 40, "wrap"), (_("Unit of measure"), 10, "text"), (_("Target"), 10, "num"), (_("Target (text)"), 16, "text"),
        (_("Units answered"), 9, "int"), (_("Sum"), 11, "num"), (_("Mean"), 10, "num"), (_("Minimum"), 10, "num"), (_("Maximum"), 10, "num"),
        (_("Units reaching the target"), 10, "int"), (_("Yes"), 7, "int"), (_("No"), 7, "int"), (_("Evidence files"), 9, "int"),
    ], summary_rows)

    ws = wb.create_sheet(_("Text answers")[:31])
    _title(ws, heading)
    _rows(ws, 3, [(_("Unit code"), 11, "text"), (_("Inspected unit"), 34, "text"), (_("Status"), 14, "text"), (_("Question no."), 8, "int"),
                  (_("Question"), 40, "wrap"), (_("Answer"), 70, "wrap")], text_rows)

    ws = wb.create_sheet(_("Evidence files")[:31])
    _title(ws, heading, _("File names only: the files are downloaded in EMES by the people allowed to see them."))
    _rows(ws, 3, [(_("Unit code"), 11, "text"), (_("Inspected unit"), 34, "text"), (_("Question"), 40, "wrap"), (_("File name"), 40, "text"),
                  (_("File type"), 22, "text"), (_("Size (bytes)"), 12, "int"), (_("Uploaded at (BE)"), 20, "text")], evidence_rows)

    _readme(wb.create_sheet(_("README")), [
        heading, as_of, r.title, "",
        _("Responses: one row per unit the form was sent to, one column per question. Drafts are included; the Status column says which forms were submitted."),
        _("Late: submitted after the due date, or not submitted and the due date has passed (until the round closed)."),
        _("Within 30 working days: the standard of the inspection manual, answers back within %(d)s working days of dispatch from at least %(pct)s%% of units.")
        % {"d": standards.ANSWERS_WORKING_DAYS, "pct": int(standards.ANSWERS_MIN_PCT)},
        _("Summary per question: submitted forms only; a unit reaches a numeric target when its value is at least the target."),
        _("Dates are real dates shown in the Buddhist Era; times are written as text (BE). Numbers are numbers."),
        _("Text that begins with = + - @ is kept as text, never run as a formula."),
        _("Evidence files are listed by name; download them in EMES."),
    ])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def follow_up_workbook(report: FollowUpReport) -> bytes:
    """XLSX bytes of the follow-up report: counts per (round, division) and status, every recommendation with its
    latest follow-up, README (from ``report``; no query)."""
    wb = Workbook()
    heading = _("Follow-up of the inspectors' recommendations, fiscal year %(fy)s, %(office)s") % {
        "fy": report.fiscal_year, "office": report.office.full_name}
    as_of = _("Data as of %(when)s") % {"when": be_datetime(report.generated_at)}
    statuses = report.statuses
    ws = wb.active
    ws.title = _("Counts")[:31]
    _title(ws, heading, as_of)
    headers = [(_("Inspection round"), 8, "text"), (_("Division"), 36, "text")] + [(str(label), 12, "int") for _v, label in statuses] + [
        (_("Total"), 8, "int"), (_("Still open"), 10, "int"), (_("Overdue"), 10, "int")]
    rows = [[f"{row.round.number}/{row.round.fiscal_year}", row.division_name or _("(no division)"),
             *[row.counts[v] for v, _l in statuses], row.total, row.still_open, row.overdue] for row in report.rows]
    rows.append(["", _("All recommendations (each once)"), *[report.totals[v] for v, _l in statuses], report.total,
                 report.still_open, report.overdue])
    _rows(ws, 3, headers, rows)

    ws = wb.create_sheet(_("Recommendations")[:31])
    _title(ws, heading, as_of)
    rec_rows = []
    for rec in report.recommendations:
        latest = rec.latest
        rec_rows.append([
            f"{rec.round.number}/{rec.round.fiscal_year}", rec.order, rec.text, rec.issue.code if rec.issue else "",
            ", ".join(d.name for d in rec.divisions.all()), rec.due_on, rec.get_status_display(), _("yes") if rec.overdue else "",
            be_datetime(latest.at) if latest else "", latest.text if latest else "",
            (latest.by.get_full_name() or latest.by.username) if latest and latest.by else "",
            f"{rec.carried_from.round.number}/{rec.carried_from.round.fiscal_year}" if rec.carried_from else "",
        ])
    _rows(ws, 3, [
        (_("Inspection round"), 8, "text"), (_("No."), 5, "int"), (_("Recommendation"), 50, "wrap"), (_("Issue"), 7, "text"),
        (_("Responsible divisions"), 30, "wrap"), (_("To be done by"), 11, "date"), (_("Status"), 18, "text"), (_("Overdue"), 9, "text"),
        (_("Latest follow-up at (BE)"), 20, "text"), (_("Latest follow-up"), 50, "wrap"), (_("Recorded by"), 20, "text"),
        (_("Carried from round"), 10, "text"),
    ], rec_rows)
    _readme(wb.create_sheet(_("README")), [
        heading, as_of, "",
        _("Counts: a recommendation with several responsible divisions counts once under each of them; the last row counts each recommendation once."),
        _("Still open: open, in progress, or done and awaiting verification by the plan officer."),
        _("Overdue: past its due date and still open or in progress."),
        _("Carried: not closed by the next round and carried into it, where it is counted again."),
        _("Text that begins with = + - @ is kept as text, never run as a formula."),
    ])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
