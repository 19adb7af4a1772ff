"""Reading the outputs back: PDF text (NFKC, no whitespace, as Thai lines wrap anywhere) and workbooks."""
from __future__ import annotations

import io
import re
import unicodedata

from openpyxl import load_workbook
from pypdf import PdfReader


#: WeasyPrint's text layer gives SARA AM after a tone mark as NIKHAHIT, tone, SARA AA (ต่ำ → ต ํ ่ า); NFKC of
#: the typed text puts the tone first. Reorder so both read alike.
_NIKHAHIT_TONE = re.compile("\u0e4d([\u0e48-\u0e4b])")


def flat(text: str) -> str:
    """NFKC text without whitespace, Thai lines wrap anywhere."""
    return _NIKHAHIT_TONE.sub("\\1\u0e4d", "".join(unicodedata.normalize("NFKC", text).split()))


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, flattened (see :func:`flat`)."""
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_rows(ws, start: int = 1) -> list[list]:
    return [list(row) for row in ws.iter_rows(min_row=start, values_only=True)]
