"""One intake for every file EMES accepts: tabular uploads, evidence files, and their storage.

Every upload in EMES passes here (issue 13 item 3, issue 14 "uploads"):

- :func:`read_upload` reads a CSV or XLSX into sheets of cell values with bounded memory: the ZIP is
  checked before it is opened (member count, unpacked size, compression ratio), every XML part is
  refused if it declares a DTD or entities, and each worksheet is pre-scanned as a stream (expat,
  nothing kept but counters) so that rows, columns and cells are counted and the read stops at the
  first limit passed. Only a workbook within the limits is handed to openpyxl (read-only, with the
  pre-scanned bounds, so a lying ``<dimension>`` cannot make it pad). A CSV is read with :mod:`csv`
  within the same limits.
- :class:`UploadProblem` is one thing wrong with a file (sheet, row, column, Thai message);
  :class:`UploadError` carries all of them and is a ``ValidationError``.
- :func:`read_evidence` checks an evidence file (type by content, size, a safe short stored name and
  the original name kept for display).
- :func:`removing_files_on_rollback` / :func:`delete_on_rollback` remove a stored file when the
  transaction that was to record it rolls back (Django has ``on_commit`` but no ``on_rollback``).

Limits come from settings (``EMES_IMPORT_MAX_BYTES``, ``EMES_UPLOAD_MAX_ROWS``, ``EMES_UPLOAD_MAX_COLS``,
``EMES_UPLOAD_MAX_CELLS``, ``EMES_UPLOAD_MAX_UNPACKED_BYTES``, ``EMES_UPLOAD_MAX_ZIP_RATIO``,
``EMES_UPLOAD_MAX_ZIP_MEMBERS``, ``EMES_EVIDENCE_MAX_BYTES``), read when a file is read.
"""
from __future__ import annotations

import contextlib
import csv
import io
import posixpath
import re
import threading
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _, ngettext
import openpyxl

# --------------------------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------------------------
#: Defaults of the settings; a school import of all 29,579 OBEC schools with ~40 columns passes.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_COLS = 256
#: Per sheet, the used rectangle (last row × last column): what a reader may hold in memory.
DEFAULT_MAX_CELLS = 3_000_000
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Unpacked / packed size of one ZIP member above which it is a "ZIP bomb" (real sheets pack 5-30 times).
DEFAULT_MAX_ZIP_RATIO = 100
DEFAULT_MAX_ZIP_MEMBERS = 1000
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
#: Excel's own limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
#: Members smaller than this are not held to the ratio (a tiny part may pack very well).
_RATIO_FLOOR = 1024 * 1024
#: At most this many problems are listed; the rest are counted in one closing line.
MAX_PROBLEMS = 50


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class Limits:
    """The bounds of one read: bytes of the file, rows, columns and cells per sheet, and the ZIP's."""

    max_bytes: int | None
    max_rows: int
    max_cols: int
    max_cells: int
    max_unpacked_bytes: int
    max_zip_ratio: float
    max_zip_members: int

    @classmethod
    def from_settings(cls, **overrides: Any) -> Limits:
        """The limits of the settings, with any given keyword (not ``None``) taking precedence."""
        values = {
            "max_bytes": _setting("EMES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES),
            "max_rows": _setting("EMES_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS),
            "max_cols": _setting("EMES_UPLOAD_MAX_COLS", DEFAULT_MAX_COLS),
            "max_cells": _setting("EMES_UPLOAD_MAX_CELLS", DEFAULT_MAX_CELLS),
            "max_unpacked_bytes": _setting("EMES_UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES),
            "max_zip_ratio": _setting("EMES_UPLOAD_MAX_ZIP_RATIO", DEFAULT_MAX_ZIP_RATIO),
            "max_zip_members": _setting("EMES_UPLOAD_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def max_upload_bytes() -> int:
    """The largest tabular upload accepted, in bytes (setting ``EMES_IMPORT_MAX_BYTES``, default 5 MB)."""
    return _setting("EMES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def evidence_max_bytes() -> int:
    """The largest evidence file accepted, in bytes (setting ``EMES_EVIDENCE_MAX_BYTES``, default 10 MB)."""
    return _setting("EMES_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES)


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadProblem:
    """One thing wrong with an uploaded file, in Thai, with where it is.

    ``sheet`` is the sheet's title as written ("" for a CSV or the whole file), ``row`` the
    spreadsheet's row number (``None`` for the whole sheet), ``column`` the header as written or the
    column letter ("" for a whole row). ``sheet_order`` / ``column_order`` order the problems the
    way the reader lays its file out; ``blocking`` marks a problem after which the rest of the file
    cannot be read reliably (a wrong header).
    """

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    sheet_order: int = 0
    column_order: int = 0
    blocking: bool = False

    def sort_key(self) -> tuple:
        return (self.sheet_order, self.row or 0, self.column_order)

    def __str__(self) -> str:
        values = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.sheet:
            if self.row is not None and self.column:
                return _('Sheet "%(sheet)s", row %(row)s, column "%(column)s": %(message)s') % values
            if self.row is not None:
                return _('Sheet "%(sheet)s", row %(row)s: %(message)s') % values
            if self.column:
                return _('Sheet "%(sheet)s", column "%(column)s": %(message)s') % values
            return _('Sheet "%(sheet)s": %(message)s') % values
        if self.row is not None and self.column:
            return _('Row %(row)s, column "%(column)s": %(message)s') % values
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % values
        if self.column:
            return _('Column "%(column)s": %(message)s') % values
        return self.message


class UploadError(ValidationError):
    """A file that cannot be taken; nothing was saved.

    ``problems`` holds every :class:`UploadProblem` in the file's order; ``shown`` the first
    :data:`MAX_PROBLEMS`, ``hidden`` how many more; ``messages`` the shown ones as sentences plus one
    line counting the rest. ``partial`` is what a reader could read despite the problems (or ``None``).
    """

    def __init__(self, problems: Iterable[UploadProblem | str], *, partial: Any = None, code: str = "upload"):
        self.problems = sorted((p if isinstance(p, UploadProblem) else UploadProblem(str(p)) for p in problems), key=UploadProblem.sort_key)
        self.shown = self.problems[:MAX_PROBLEMS]
        self.hidden = max(0, len(self.problems) - MAX_PROBLEMS)
        self.partial = partial
        lines = [str(p) for p in self.shown]
        if self.hidden:
            lines.append(ngettext("... and %(count)s more problem.", "... and %(count)s more problems.", self.hidden) % {"count": self.hidden})
        super().__init__([ValidationError(line, code=code) for line in lines])


def _refuse(message: str, **where: Any) -> UploadError:
    return UploadError([UploadProblem(message, **where)], code="file")


# --------------------------------------------------------------------------------------------
# Kinds of files
# --------------------------------------------------------------------------------------------
ZIP_SIGNATURE = b"PK\x03\x04"
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


def read_bytes(file: IO[bytes] | bytes, max_bytes: int | None) -> bytes:
    """The content of ``file`` (an uploaded file, any binary file object, or bytes), at most ``max_bytes``.

    Never reads more than ``max_bytes + 1`` bytes. Raises :class:`UploadError` (code ``size``) for a
    larger file and for an empty one.
    """
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if max_bytes is not None and size is not None and size > max_bytes:
            raise UploadError([_too_big(size, max_bytes)], code="size")
        data = file.read(max_bytes + 1) if max_bytes is not None else file.read()
    if max_bytes is not None and len(data) > max_bytes:
        raise UploadError([_too_big(len(data), max_bytes)], code="size")
    if not data.strip():
        raise UploadError([_("The file is empty.")], code="empty")
    return data


def _too_big(size: int, limit: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"}


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def zip_names(data: bytes) -> list[str] | None:
    """The member names of the ZIP ``data``, or ``None`` when it is not a readable ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Excel workbook by content: a ZIP holding ``xl/workbook.xml``."""
    return data.startswith(ZIP_SIGNATURE) and "xl/workbook.xml" in (zip_names(data) or [])


def check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open the ZIP ``data`` after checking its directory: members, unpacked size, compression ratio.

    Nothing is unpacked here; the sizes are the ones the directory states, and :func:`_open_member`
    holds every member to its stated size while it is read. Raises :class:`UploadError`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse(_("The file is a damaged ZIP archive, not an Excel workbook (.xlsx).")) from exc
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise _refuse(_("The workbook holds %(count)s parts; at most %(max)s are accepted.") % {"count": f"{len(infos):,}", "max": f"{limits.max_zip_members:,}"})
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise _refuse(_("The workbook unpacks to more than %(mb)s MB; it cannot be read.") % {"mb": limits.max_unpacked_bytes // 1024 // 1024})
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise _refuse(_("The workbook is packed %(ratio)s times (part %(name)s): a real workbook packs far less; it is refused as a ZIP bomb.") % {
                "ratio": f"{info.file_size // max(info.compress_size, 1):,}", "name": info.filename})
    return archive


def _open_member(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The bytes of member ``name`` in chunks, never more than its stated size (a lying directory is refused)."""
    info = archive.getinfo(name)
    read = 0
    with archive.open(info) as fh:
        while chunk := fh.read(64 * 1024):
            read += len(chunk)
            if read > info.file_size:
                raise _refuse(_("The workbook is damaged (a part is larger than it says); open it in Excel and save it again as .xlsx."))
            yield chunk


# --------------------------------------------------------------------------------------------
# The tabular read
# --------------------------------------------------------------------------------------------
@dataclass
class UploadSheet:
    """One sheet of an upload as cell values.

    ``rows`` holds the non-empty rows as ``(row number, values)``, ``values`` from column A to
    ``width`` (``None`` for an empty XLSX cell, ``""`` for an empty CSV field). XLSX values are what
    openpyxl gives with ``data_only`` (a formula's cached value; ``str``, ``int``, ``float``,
    ``datetime``, ``bool``). ``formulas`` and ``errors`` are the ``(row, column)`` (1-based) of
    cells holding a formula or an error value (``#DIV/0!``), ``merged`` the merged ranges ("A1:C1").
    """

    title: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    width: int = 0
    last_row: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)
    errors: set[tuple[int, int]] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)

    def row(self, number: int) -> list[Any]:
        """The values of row ``number`` (an empty list when the row is empty)."""
        return next((values for n, values in self.rows if n == number), [])


@dataclass
class Upload:
    """A tabular file as read: ``kind`` (``"csv"`` / ``"xlsx"``), the CSV ``encoding`` ("" for XLSX), the sheets."""

    kind: str
    sheets: list[UploadSheet]
    encoding: str = ""

    def sheet(self, *titles: str) -> UploadSheet | None:
        """The first sheet whose title is one of ``titles`` (as written), or ``None``."""
        return next((s for s in self.sheets if s.title in titles), None)


def read_upload(
    file: IO[bytes] | bytes,
    *,
    filename: str = "",
    kinds: Iterable[str] = ("csv", "xlsx"),
    max_bytes: int | None = None,
    max_rows: int | None = None,
    max_cols: int | None = None,
    max_cells: int | None = None,
    limit_size: bool = True,
) -> Upload:
    """Read an uploaded CSV or XLSX ``file`` into :class:`UploadSheet` s within bounded memory.

    ``kinds`` lists the kinds accepted; the kind is told by the content, and the extension of
    ``filename`` (when given) must agree. The limits default to the settings (:class:`Limits`):
    ``max_bytes`` the file, ``max_rows`` the last row number, ``max_cols`` the last column,
    ``max_cells`` the used rectangle of one sheet (rows × columns); ``limit_size=False`` lifts the
    byte limit only (a management command reading the server's own file). Raises :class:`UploadError`
    with a Thai message; nothing is stored here.
    """
    kinds = tuple(kinds)
    limits = Limits.from_settings(max_bytes=max_bytes, max_rows=max_rows, max_cols=max_cols, max_cells=max_cells)
    data = read_bytes(file, limits.max_bytes if limit_size else None)
    kind = detect_kind(data, filename, kinds)
    if kind == "xlsx":
        return Upload(kind="xlsx", sheets=_read_xlsx(data, limits))
    sheet, encoding = _read_csv(data, limits)
    return Upload(kind="csv", sheets=[sheet], encoding=encoding)


def _accepted(kinds: tuple[str, ...]) -> str:
    names = {"csv": "CSV (.csv)", "xlsx": "Excel (.xlsx)"}
    return " / ".join(names.get(k, f".{k}") for k in kinds)


def detect_kind(data: bytes, filename: str, kinds: tuple[str, ...]) -> str:
    """``"csv"`` or ``"xlsx"`` by the content of ``data``; raises :class:`UploadError` when not one of ``kinds``
    or when the extension of ``filename`` (if any) disagrees with the content."""
    ext = _extension(filename) if filename else ""
    if filename and ext not in kinds:
        raise _refuse(_("Only %(kinds)s files can be imported (this file is named %(name)s).") % {"kinds": _accepted(kinds), "name": filename})
    if data.startswith(ZIP_SIGNATURE):
        if not is_xlsx(data):
            raise _refuse(_("The file is a ZIP archive, not an Excel workbook (.xlsx)."))
        if "xlsx" not in kinds or (filename and ext != "xlsx"):
            if filename:
                raise _refuse(_("The file is an Excel workbook but is named .%(ext)s; name it .xlsx.") % {"ext": ext or "-"})
            raise _refuse(_("The file is a %(kind)s file, not %(kinds)s.") % {"kind": "Excel (.xlsx)", "kinds": _accepted(kinds)})
        return "xlsx"
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise _refuse(_("The file is a %(kind)s file, not %(kinds)s.") % {"kind": name, "kinds": _accepted(kinds)})
    if b"\x00" in data[:65536] or "csv" not in kinds:
        if kinds == ("xlsx",):
            raise _refuse(_("The file is not an Excel workbook (.xlsx) (a CSV or text file renamed?); save it from Excel as .xlsx."))
        raise _refuse(_("The file is not a text (CSV) file or an Excel workbook (.xlsx)."))
    if ext == "xlsx":
        raise _refuse(_("The file is named .xlsx but is not an Excel workbook; it looks like text. Name it .csv or save it from Excel as .xlsx."))
    return "csv"


# --- CSV ------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode_text(data: bytes) -> tuple[str, str]:
    """``data`` as text and the encoding's label: UTF-8 (with or without BOM), else TIS-620 / Windows-874.

    UTF-8 is tried first: TIS-620 would "decode" UTF-8 bytes into mojibake, never the other way round.
    Raises :class:`UploadError`.
    """
    for codec, label in (("utf-8-sig", "UTF-8"), ("cp874", "TIS-620 (Windows-874)")):
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise _refuse(_("The file's text is neither UTF-8 nor TIS-620 (Windows-874); save it as \"CSV UTF-8\"."))


def _read_csv(data: bytes, limits: Limits) -> tuple[UploadSheet, str]:
    """The non-empty records of a CSV within the limits; the delimiter is ``,``, ``;`` or tab, whichever the first line uses most."""
    text, encoding = decode_text(data)
    if _CONTROL.search(text[:65536]):
        raise _refuse(_("The file is not a text (CSV) file or an Excel workbook (.xlsx)."))
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max([",", ";", "\t"], key=first_line.count)
    sheet = UploadSheet(title="")
    # field_size_limit is process-wide: it is not changed; a field over it is refused below.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells = 0
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number > limits.max_rows:
                raise _refuse(_("The file has more than %(max)s rows.") % {"max": f"{limits.max_rows:,}"})
            if len(record) > limits.max_cols:
                raise _refuse(_("the row has %(count)s columns; at most %(max)s are read.") % {"count": f"{len(record):,}", "max": f"{limits.max_cols:,}"}, row=number)
            for index, value in enumerate(record):
                if len(value) > MAX_CELL_CHARS:
                    raise _refuse(_("a cell holds more than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"}, row=number, column=_letter(index + 1))
            cells += len(record)
            if cells > limits.max_cells:
                raise _refuse(_("The file has more than %(max)s cells.") % {"max": f"{limits.max_cells:,}"})
            if any(c.strip() for c in record):
                sheet.rows.append((number, record))
                sheet.width = max(sheet.width, len(record))
    except csv.Error as exc:
        raise _refuse(_("a cell holds more than %(max)s characters, or the quotes are not closed.") % {"max": f"{MAX_CELL_CHARS:,}"}, row=reader.line_num or number + 1) from exc
    sheet.last_row = number
    return sheet, encoding


# --- XLSX -----------------------------------------------------------------------------------
def _letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_REF = re.compile(r"([A-Z]{1,4})(\d{1,8})$")


def _column_of(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


class _XmlRefused(Exception):
    def __init__(self, problem: UploadProblem):
        self.problem = problem


def _parser(on_start=None, on_end=None, on_text=None) -> expat.XMLParserType:
    """An expat parser that refuses any DTD (entity expansion, external entities) and keeps no tree."""
    parser = expat.ParserCreate()

    def refuse_dtd(*_args: Any) -> None:
        raise _XmlRefused(UploadProblem(_("The workbook declares XML entities (a DTD); such a file is refused.")))

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if on_start is not None:
        parser.StartElementHandler = on_start
    if on_end is not None:
        parser.EndElementHandler = on_end
    if on_text is not None:
        parser.CharacterDataHandler = on_text
    return parser


def _feed(parser: expat.XMLParserType, archive: zipfile.ZipFile, name: str) -> None:
    try:
        for chunk in _open_member(archive, name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _XmlRefused as exc:
        raise UploadError([exc.problem], code="file") from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _refuse(_("The Excel workbook cannot be read (%(error)s); open it in Excel and save it again as .xlsx.") % {"error": exc.__class__.__name__}) from exc


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1] if (" " in tag or ":" in tag) else tag


def _workbook_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(title, member path)`` of the worksheets, in the workbook's order."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _feed(_namespaced(on_sheet), archive, "xl/workbook.xml")
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        _feed(_namespaced(on_rel), archive, "xl/_rels/workbook.xml.rels")
    out = []
    for title, rid in sheets:
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((title, path))
    return out


def _namespaced(on_start) -> expat.XMLParserType:
    parser = _parser(on_start=on_start)
    return parser


def _check_parts(archive: zipfile.ZipFile, skip: set[str], limits: Limits) -> None:
    """Every XML part but ``skip``: no DTD; the shared strings counted and each within Excel's cell size."""
    count = 0
    length = 0

    def on_start(tag: str, _attrs: dict[str, str]) -> None:
        nonlocal count, length
        if tag.endswith("si") and _local(tag) == "si":
            count += 1
            length = 0
            if count > limits.max_cells:
                raise _XmlRefused(UploadProblem(_("The workbook holds more than %(max)s texts.") % {"max": f"{limits.max_cells:,}"}))

    def on_text(text: str) -> None:
        nonlocal length
        length += len(text)
        if length > MAX_CELL_CHARS:
            raise _XmlRefused(UploadProblem(_("a cell holds more than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"}))

    for name in archive.namelist():
        if name in skip or not name.endswith((".xml", ".rels", ".vml")):
            continue
        if name == "xl/sharedStrings.xml":
            _feed(_parser(on_start=on_start, on_text=on_text), archive, name)
        else:
            _feed(_parser(), archive, name)


def _prescan_sheet(archive: zipfile.ZipFile, path: str, title: str, limits: Limits) -> UploadSheet:
    """Stream the sheet's XML and count it; stop at the first limit passed. Keeps only counters,
    the formula and error positions (bounded by the cells) and the merged ranges."""
    sheet = UploadSheet(title=title)
    state = {"row": 0, "col": 0, "cells_in_row": 0, "in_cell": False, "text": 0, "cells": 0, "merges": 0}
    where = {"sheet": title}

    def stop(message: str, **more: Any) -> None:
        raise _XmlRefused(UploadProblem(message, **where, **more))

    def on_start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "c":
            ref = attrs.get("r")
            match = _REF.match(ref) if ref else None
            col = _column_of(match.group(1)) if match else state["col"] + 1
            state["col"] = col
            state["cells_in_row"] += 1
            state["cells"] += 1
            state["in_cell"], state["text"] = True, 0
            if col > limits.max_cols or state["cells_in_row"] > limits.max_cols:
                stop(_("the row has more than %(max)s columns; at most %(max)s are read. Delete the cells beyond the data.") % {"max": f"{limits.max_cols:,}"}, row=state["row"])
            if col > sheet.width:
                sheet.width = col
                if sheet.width * max(sheet.last_row, 1) > limits.max_cells:
                    stop(_("the sheet uses %(rows)s rows × %(cols)s columns; at most %(max)s cells are read. Delete the rows and columns beyond the data.")
                         % {"rows": f"{sheet.last_row:,}", "cols": f"{sheet.width:,}", "max": f"{limits.max_cells:,}"})
            if attrs.get("t") == "e":
                sheet.errors.add((state["row"], col))
        elif name == "row":
            ref = attrs.get("r")
            number = int(ref) if ref and ref.isdigit() else state["row"] + 1
            state["row"], state["col"], state["cells_in_row"] = number, 0, 0
            if number > limits.max_rows:
                stop(_("the sheet has more than %(max)s rows. Delete the empty rows below the data.") % {"max": f"{limits.max_rows:,}"})
            sheet.last_row = max(sheet.last_row, number)
            if sheet.width * sheet.last_row > limits.max_cells:
                stop(_("the sheet uses %(rows)s rows × %(cols)s columns; at most %(max)s cells are read. Delete the rows and columns beyond the data.")
                     % {"rows": f"{sheet.last_row:,}", "cols": f"{sheet.width:,}", "max": f"{limits.max_cells:,}"})
        elif name == "f" and state["in_cell"]:
            sheet.formulas.add((state["row"], state["col"]))
        elif name == "mergeCell":
            state["merges"] += 1
            if state["merges"] > limits.max_cells:
                stop(_("the sheet has too many merged cells."))
            ref = attrs.get("ref", "")
            if re.fullmatch(r"[A-Z]{1,4}\d{1,8}(:[A-Z]{1,4}\d{1,8})?", ref):
                sheet.merged.append(ref)

    def on_end(tag: str) -> None:
        if _local(tag) == "c":
            state["in_cell"] = False

    def on_text(text: str) -> None:
        if state["in_cell"]:
            state["text"] += len(text)
            if state["text"] > MAX_CELL_CHARS:
                stop(_("a cell holds more than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"}, row=state["row"], column=_letter(state["col"]))

    _feed(_parser(on_start=on_start, on_end=on_end, on_text=on_text), archive, path)
    return sheet


def _read_xlsx(data: bytes, limits: Limits) -> list[UploadSheet]:
    with check_zip(data, limits) as archive:
        names = set(archive.namelist())
        sheets = _workbook_sheets(archive)
        missing = [path for _title, path in sheets if path not in names]
        if not sheets or missing:
            raise _refuse(_("The Excel workbook cannot be read (%(error)s); open it in Excel and save it again as .xlsx.") % {"error": "sheet"})
        scanned = [_prescan_sheet(archive, path, title, limits) for title, path in sheets]
        _check_parts(archive, {path for _t, path in sheets} | {"xl/workbook.xml"}, limits)
    return _values(data, scanned)


def _values(data: bytes, scanned: list[UploadSheet]) -> list[UploadSheet]:
    """Fill the pre-scanned sheets with openpyxl's values, reading no further than the pre-scan's bounds."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (KeyError, ValueError, BadZipFile, ...) for damaged files
        raise _refuse(_("The Excel workbook cannot be read (%(error)s); open it in Excel and save it again as .xlsx.") % {"error": exc.__class__.__name__}) from exc
    try:
        by_title = {ws.title: ws for ws in workbook.worksheets}
        for sheet in scanned:
            ws = by_title.get(sheet.title)
            if ws is None or not sheet.width or not sheet.last_row:
                continue
            keep = {r for r, _c in sheet.formulas | sheet.errors}
            # Bounds from the pre-scan, not the file's <dimension>, which may lie.
            for number, values in enumerate(ws.iter_rows(min_row=1, max_row=sheet.last_row, max_col=sheet.width, values_only=True), start=1):
                if number in keep or any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
                    sheet.rows.append((number, list(values)))
    except Exception as exc:  # a damaged sheet openpyxl cannot parse
        raise _refuse(_("The Excel workbook cannot be read (%(error)s); open it in Excel and save it again as .xlsx.") % {"error": exc.__class__.__name__}) from exc
    finally:
        workbook.close()
    return scanned


# --------------------------------------------------------------------------------------------
# Evidence files
# --------------------------------------------------------------------------------------------
#: Kinds of evidence accepted: detected from the content, with the MIME type and the file-name extensions each allows.
EVIDENCE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "png": ("image/png", ("png",)),
    "jpeg": ("image/jpeg", ("jpg", "jpeg")),
    "gif": ("image/gif", ("gif",)),
    "webp": ("image/webp", ("webp",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    "ole": ("application/octet-stream", ("doc", "xls", "ppt")),
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}


def evidence_extensions(kinds: Iterable[str] = EVIDENCE_KINDS) -> tuple[str, ...]:
    """The file-name extensions of ``kinds`` (keys of :data:`EVIDENCE_KINDS`), as said on the pages."""
    return tuple(ext for kind in kinds for ext in EVIDENCE_KINDS[kind][1])


def evidence_kind(data: bytes) -> str | None:
    """The kind of ``data`` by its content (a key of :data:`EVIDENCE_KINDS`), or ``None`` when not accepted.

    Office Open XML files are ZIP archives told apart by their folders (``word/``, ``xl/``, ``ppt/``);
    a ZIP that fails :func:`check_zip` (a ZIP bomb) is refused.
    """
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(OLE_SIGNATURE):
        return "ole"
    if data.startswith(ZIP_SIGNATURE):
        try:
            with check_zip(data, Limits.from_settings()) as archive:
                names = archive.namelist()
        except UploadError:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for folder, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(folder) for n in names):
                return kind
    return None


_UNSAFE = re.compile(r"[^-\w.\u0E00-\u0E7F]")
#: The longest display name kept (the ``original_name`` columns hold 255; a shorter name reads better).
DISPLAY_NAME_LENGTH = 150


def sanitise_filename(name: str, max_length: int = DISPLAY_NAME_LENGTH) -> str:
    """A safe display name for an uploaded file: no folders, no control or special characters.

    ``django.utils.text.get_valid_filename``'s rule (spaces → ``_``, keep letters, digits, ``-_.``)
    widened to the whole Thai block: Thai vowel and tone marks are not ``\\w`` in Python, and
    ``รายงานผลการดำเนินงาน.pdf`` must keep its name. At most ``max_length`` characters, the extension kept.
    """
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", "_".join(name.split())).lstrip(".-")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:16]
    stem = stem[: max_length - len(ext) - 1] if ext else stem[:max_length]
    return f"{stem}.{ext}" if ext else stem


def stored_name(extension: str) -> str:
    """A short random name to store a file under (``<32 hex>.<ext>``): the user's name never reaches the storage,
    so a 400-character name cannot overflow the file column or the file system."""
    ext = re.sub(r"[^a-z0-9]", "", extension.lower())[:10]
    return f"{uuid.uuid4().hex}.{ext}" if ext else uuid.uuid4().hex


@dataclass(frozen=True)
class EvidenceFile:
    """A checked evidence file: its bytes, display name, MIME type and extension."""

    data: bytes
    name: str
    content_type: str
    extension: str

    @property
    def stored_name(self) -> str:
        return stored_name(self.extension)


def read_evidence(file: IO[bytes], *, kinds: Iterable[str] = EVIDENCE_KINDS, max_bytes: int | None = None) -> EvidenceFile:
    """Check an uploaded evidence ``file`` (a Django ``UploadedFile`` or any binary file object with a ``name``).

    Accepted: the ``kinds`` (keys of :data:`EVIDENCE_KINDS`) told by the content; the name's extension
    must agree with the content (a renamed file is refused); at most ``max_bytes`` (default
    :func:`evidence_max_bytes`). The display name is :func:`sanitise_filename`'s. Raises
    ``ValidationError`` (Thai, codes ``size``, ``empty``, ``type``, ``renamed``).
    """
    kinds = tuple(kinds)
    limit = max_bytes if max_bytes is not None else evidence_max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_evidence_too_big(size, limit), code="size")
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_evidence_too_big(len(data), limit), code="size")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    name = sanitise_filename(getattr(file, "name", "") or "")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = evidence_kind(data)
    if kind not in kinds:
        raise ValidationError(
            _("This file is not one of the accepted types (%(types)s), judging by its content.") % {"types": ", ".join(evidence_extensions(kinds))},
            code="type",
        )
    mime, extensions = EVIDENCE_KINDS[kind]
    if ext not in extensions:
        raise ValidationError(
            _("The file's content is %(kind)s but its name ends in .%(ext)s: rename it to .%(right)s or upload the right file.")
            % {"kind": kind.upper() if kind != "ole" else "Word/Excel 97-2003", "ext": ext or "-", "right": extensions[0]},
            code="renamed",
        )
    if kind == "ole":
        mime = _OLE_TYPES[ext]
    return EvidenceFile(data=data, name=name or f"evidence.{ext}", content_type=mime, extension=ext)


def _evidence_too_big(size: int, limit: int) -> str:
    return _("The file is %(size)s MB; evidence files may be at most %(limit)s MB.") % {
        "size": f"{size / 1024 / 1024:,.1f}", "limit": f"{limit / 1024 / 1024:,.0f}",
    }


def display_name(name: str, max_length: int = 255) -> str:
    """The uploaded file's own name (folders dropped) cut to ``max_length`` characters, extension kept."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) <= max_length:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 16:
        return f"{stem[: max_length - len(ext) - 1]}.{ext}"
    return name[:max_length]


# --------------------------------------------------------------------------------------------
# Files stored inside a transaction
# --------------------------------------------------------------------------------------------
_cleanups = threading.local()


@contextlib.contextmanager
def removing_files_on_rollback() -> Iterator[None]:
    """A ``transaction.atomic()`` block whose stored files (:func:`delete_on_rollback`) are deleted if it rolls back.

    Blocks nest: an inner block that ends well hands its files to the outer one, which deletes them
    if it rolls back later. Storage is not transactional, so without this a refused row leaves its
    file behind.
    """
    stack = getattr(_cleanups, "stack", None)
    if stack is None:
        stack = _cleanups.stack = []
    files: list[tuple[Any, str]] = []
    stack.append(files)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        stack.pop()
        for storage, name in files:
            with contextlib.suppress(Exception):  # the original error matters more than a missing file
                storage.delete(name)
        raise
    stack.pop()
    if stack:
        stack[-1].extend(files)


def delete_on_rollback(fieldfile) -> None:
    """Delete the stored file of ``fieldfile`` (a ``FieldFile`` just saved) if the enclosing
    :func:`removing_files_on_rollback` block rolls back. Raises ``RuntimeError`` outside such a block."""
    stack = getattr(_cleanups, "stack", None)
    if not stack:
        raise RuntimeError("delete_on_rollback() needs an enclosing removing_files_on_rollback() block")
    if fieldfile and fieldfile.name:
        stack[-1].append((fieldfile.storage, fieldfile.name))


def removing_files() -> bool:
    """Whether a :func:`removing_files_on_rollback` block is open in this thread (so :func:`delete_on_rollback` may be called)."""
    return bool(getattr(_cleanups, "stack", None))


def save_file(fieldfile, name: str, content) -> None:
    """Store ``content`` under ``name`` in ``fieldfile`` (not saving the row) and register it with :func:`delete_on_rollback`."""
    fieldfile.save(name, content, save=False)
    delete_on_rollback(fieldfile)
