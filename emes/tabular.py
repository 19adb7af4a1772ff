"""Shared helpers for the cells of the spreadsheets offices upload (school lists, plan workbooks).

The file itself (type, size, bounds) is read by :mod:`emes.uploads`; this module turns its cells
into text and describes an import's changes the same way for every reader.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from emes.text import clean_text


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
