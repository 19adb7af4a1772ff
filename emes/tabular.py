"""Shared helpers for the spreadsheets offices upload (school lists, plan workbooks).

The imports of ``emes.registry`` and ``plans.workbook`` read cells and check files the same way;
this module is that one way.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from emes.text import clean_text

#: Magic numbers of files people upload by mistake, with the name said in the refusal.
BINARY_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 (.xls) / Word (.doc)"),
    (b"Rar!", "RAR"),
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf", "7-Zip"),
]
#: An uploaded .xlsx may not unpack to more than this (bytes): a ZIP bomb is refused before openpyxl opens it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"


def zip_contents(data: bytes) -> tuple[list[str], int]:
    """The member names of the ZIP ``data`` and their unpacked size in bytes (raises ``zipfile.BadZipFile``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist(), sum(i.file_size for i in archive.infolist())


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Excel workbook by content: a ZIP holding ``xl/workbook.xml``."""
    try:
        names, _size = zip_contents(data)
    except zipfile.BadZipFile:
        return False
    return "xl/workbook.xml" in names


def cell_text(value: Any) -> str:
    """A cell as one line of text: ``emes.text.clean_text`` (NFC, no invisible or control characters; a NUL,
    which only a broken file holds, is dropped), whitespace collapsed; whole floats lose their ``.0`` (Excel
    stores numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return " ".join(clean_text(str(value).replace("\x00", "")).split())


@dataclass
class FieldChange:
    """One field of one record in an import preview: ``old`` and ``new`` as displayed ("—" for empty)."""

    field: str
    label: str
    old: str
    new: str
