"""What a letter says, apart from who sends it and its number: the input of the letter templates.

Callers (the reminder engine, the sample-letter page) build a :class:`LetterContent`; the services in
``reports.letters.services`` add the office's letterhead, number and date and render it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterContent:
    """The text of an official letter (plain text everywhere: the templates escape it).

    Order on paper (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 ข้อ 11-12): เรื่อง, เรียน
    ``salutation``, อ้างถึง ``reference``, สิ่งที่ส่งมาด้วย ``enclosures``, the ``paragraphs`` (first line
    indented), the optional table of exactly what is missing (placed before the last paragraph, the
    conclusion "จึงเรียนมาเพื่อ…", when there are two or more paragraphs), the closing (external letters only), the
    signature block (the office's director unless ``signer_name`` is given), the sending unit, สำเนาส่ง ``copy_to``. Arabic digits in the text become Thai digits
    when the office writes letters in Thai digits.
    """

    salutation: str                 # who after "เรียน", e.g. "ผู้อำนวยการโรงเรียนบ้านน้ำริน"
    paragraphs: tuple[str, ...]     # body paragraphs, first-line indented
    reference: str = ""             # อ้างถึง, omitted if ""
    enclosures: tuple[str, ...] = ()  # สิ่งที่ส่งมาด้วย, omitted if empty
    table_headers: tuple[str, ...] = ()   # optional table of exactly what is missing
    table_rows: tuple[tuple[str, ...], ...] = ()
    urgency: str = ""               # "" | "ด่วน" | "ด่วนที่สุด" (printed in red, top left)
    closing: str = "ขอแสดงความนับถือ"   # external letters only
    copy_to: str = ""               # สำเนาส่ง, omitted if ""
    signer_name: str = ""           # who signs, when not the office's director (e.g. a memo *to* the director)
    signer_position: str = ""
