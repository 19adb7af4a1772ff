"""The written parts of the annual report, as the book reads them (issue 15, docs/annual-report.md).

``Narrative`` is the interface between the book (``reports.annual``) and the report's life (the
model with versions that the plan officer edits): the builder only reads these attributes, so any
object that has them will do; ``None`` means an empty one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

THAI, ARABIC = "thai", "arabic"


@dataclass
class Photo:
    """A photograph for the appendix: ``path`` is a filesystem path; it is embedded only if Pillow reads it as an image."""

    caption: str
    path: str


@dataclass
class Narrative:
    """Texts written by the plan officer, and the document's settings.

    - ``foreword`` (คำนำ), ``executive_summary`` (บทสรุปผู้บริหาร), ``problems_synthesis`` (the officer's
      synthesis closing ส่วนที่ ๕): plain text, paragraphs separated by blank lines;
    - ``committee`` (คณะผู้จัดทำ): (name, position) pairs, in print order;
    - ``photos``: objects with ``.caption`` and ``.path`` (see :class:`Photo`);
    - ``approved_on``: the director's approval date, printed on the cover (``None`` = a draft);
    - ``digits``: ``"thai"`` or ``"arabic"``, one digit style for the whole document;
    - ``as_of``: the time the figures were read ("ข้อมูล ณ วันที่"); ``None`` = the build time.
    """

    foreword: str = ""
    executive_summary: str = ""
    problems_synthesis: str = ""
    committee: list[tuple[str, str]] = field(default_factory=list)
    photos: list = field(default_factory=list)
    approved_on: dt.date | None = None
    digits: Literal["thai", "arabic"] = THAI
    as_of: dt.datetime | None = None
