"""The outgoing-letter register as an Excel workbook (one row per letter, as on the register page).

Every text cell goes through ``plans.workbook.template.write_cell``: a subject or recipient starting with
= + - @ stays text, never a formula (OWASP "CSV Injection"); dates are real dates shown in BE.
"""
from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from emes.thai import be_date
from emes.output.excel import DATE_FORMAT, HEADER_FILL, write_cell

from .models import OutgoingLetter


def register_workbook(office, letters: Iterable[OutgoingLetter], *, year: int | None) -> bytes:
    """XLSX bytes: a title row, a header row, then ``letters`` in the order given."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Outgoing letters")[:31]
    title = _("Outgoing-letter register, %(office)s") % {"office": office.full_name}
    if year:
        title += " " + _("year %(year)s") % {"year": year}
    write_cell(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    headers = [
        (_("Register no."), 10), (_("Letter no."), 20), (_("Dated"), 14), (_("Date (BE)"), 20), (_("Subject"), 60),
        (_("To"), 40), (_("Kind"), 22), (_("Registered by"), 24),
    ]
    fill, bold = PatternFill("solid", fgColor=HEADER_FILL), Font(bold=True)
    for col, (header, width) in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=col)
        write_cell(cell, header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(col)].width = width
    row = 3
    for letter in letters:
        row += 1
        ws.cell(row=row, column=1, value=letter.number)
        write_cell(ws.cell(row=row, column=2), letter.letter_no)
        date_cell = ws.cell(row=row, column=3, value=letter.date)
        date_cell.number_format = DATE_FORMAT
        write_cell(ws.cell(row=row, column=4), be_date(letter.date))
        write_cell(ws.cell(row=row, column=5), letter.subject)
        write_cell(ws.cell(row=row, column=6), letter.recipient)
        write_cell(ws.cell(row=row, column=7), letter.get_kind_display())
        by = letter.created_by
        write_cell(ws.cell(row=row, column=8), (by.get_full_name() or by.username) if by else _("system"))
        for col in (5, 6):
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
