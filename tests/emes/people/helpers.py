"""Test helpers: read a batch's printed lists back, as the plan officer and the schools would."""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

#: Row of the column titles in the XLSX register (rows 1-3: title, batch, instructions).
HEADER_ROW = 5


def xlsx_rows(batch) -> list[tuple]:
    """The data rows of the batch's XLSX (values, header excluded)."""
    with batch.xlsx.open("rb") as f:
        ws = load_workbook(BytesIO(f.read())).active
    return [row for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def one_time_passwords(batch) -> dict[str, str]:
    """username -> one-time password, as printed in the batch's XLSX."""
    return {row[4]: row[5] for row in xlsx_rows(batch)}


def pdf_text(batch) -> str:
    with batch.pdf.open("rb") as f:
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(f.read())).pages)
