"""Hostile upload files built in the tests: workbooks whose sheet XML is streamed into a ZIP (small packed,
large unpacked), as the attack files of issue 13 were made."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx(sheet_chunks: Iterable[bytes], *, head: str = SHEET_HEAD, compresslevel: int = 1) -> bytes:
    """A minimal workbook whose one sheet's XML is ``head`` + the chunks + the tail, streamed into the ZIP
    (``compresslevel`` 9 packs as small as the attack files of issue 13; the tests use 1, faster)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            for chunk in sheet_chunks:
                fh.write(chunk)
            fh.write(SHEET_TAIL.encode())
    return out.getvalue()


def one_row_of(cells: int):
    """One row of ``cells`` cells, without references (as the 356 KB attack file of issue 13)."""
    yield b'<row r="1">'
    block = b"<c><v>1</v></c>" * 10_000
    for _ in range(cells // 10_000):
        yield block
    yield b"</row>"


def rows_of(rows: int, width: int = 1):
    """``rows`` rows of ``width`` tiny cells each (rows and cells without references, numbered in order)."""
    row = b"<row>" + b"<c><v>1</v></c>" * width + b"</row>"
    block = row * 10_000
    for _ in range(rows // 10_000):
        yield block
    yield row * (rows % 10_000)


def bomb_row(cells: int = 2_000_000) -> bytes:
    """A workbook of one row of ``cells`` cells (30 MB of XML for 2 million, a few hundred KB packed)."""
    return xlsx(one_row_of(cells))


def million_rows(rows: int = 1_000_001) -> bytes:
    """A workbook of ``rows`` rows of one tiny cell each."""
    return xlsx(rows_of(rows))
