"""The outgoing-letter register: take a number, render the official letter, file it; previews and batches.

Rules: ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 (แก้ไข 2548, 2560) ข้อ 11 (หนังสือภายนอก),
ข้อ 12 (บันทึกข้อความ), ข้อ 71/75/76 (ครุฑ 3 cm / 1.5 cm); the typing standard of สำนักนายกรัฐมนตรี
(margins 3 cm left / 2 cm right, TH Sarabun-family 16 pt). Summary: ``data/05_letter_format/``.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from emes.thai import be_date, be_year, thai_digits
from emes.output.pdf import render_pdf

from .content import LetterContent
from .models import LetterCounter, OutgoingLetter

TEMPLATES = {
    OutgoingLetter.Kind.EXTERNAL: "reports/letters/external.html",
    OutgoingLetter.Kind.MEMO: "reports/letters/memo.html",
}
#: Printed where the running number goes on a preview: the number is only taken when registering.
DRAFT_MARK = "(ร่าง)"
#: The emblem used when the office has uploaded none (see static/emes/SOURCES.md), if bundled.
DEFAULT_EMBLEM = "emes/garuda.svg"


def _check(kind: str, subject: str, recipient: str) -> None:
    errors = {}
    if kind not in OutgoingLetter.Kind.values:
        errors["kind"] = _("Unknown kind of letter: %(kind)s.") % {"kind": kind}
    if not subject.strip():
        errors["subject"] = _("A letter needs a subject.")
    elif len(subject) > OutgoingLetter._meta.get_field("subject").max_length:
        errors["subject"] = _("The subject is longer than %(max)d characters.") % {"max": 500}
    if not recipient.strip():
        errors["recipient"] = _("A letter needs a recipient.")
    elif len(recipient) > OutgoingLetter._meta.get_field("recipient").max_length:
        errors["recipient"] = _("The recipient is longer than %(max)d characters.") % {"max": 300}
    if errors:
        raise ValidationError(errors)


def _next_number(office, year: int) -> int:
    """Take the next running number of ``office`` in BE calendar ``year``; call inside a transaction.

    The counter row is created if missing with INSERT … ON CONFLICT DO NOTHING, then locked with
    SELECT … FOR UPDATE, so concurrent senders queue on the row: no number is given twice or skipped
    (a rolled-back letter also rolls back its number).
    """
    LetterCounter.objects.bulk_create([LetterCounter(office=office, year=year)], ignore_conflicts=True)
    counter = LetterCounter.objects.select_for_update().get(office=office, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def letterhead_problems(office, kind: str) -> list[str]:
    """What ``office`` lacks to send a letter of ``kind`` (Thai, one item each); ``[]`` when nothing.

    An external letter (ระเบียบงานสารบรรณ ข้อ 11, แบบที่ 1) is printed on กระดาษตราครุฑ with the sending office's
    address (ที่ตั้ง) and is signed by a named official with their position; a memo needs none of these from
    the office (docs/letters-and-reminders.md). The emblem counts as present when uploaded or bundled.
    """
    if kind != OutgoingLetter.Kind.EXTERNAL:
        return []
    missing = []
    if not office.emblem and not finders.find(DEFAULT_EMBLEM):
        missing.append(_("the emblem (ตราครุฑ)"))
    if not (office.address or "").strip():
        missing.append(_("the office's address"))
    if not (office.director_name or "").strip() or not (office.director_position or "").strip():
        missing.append(_("the signer's name and position"))
    return missing


def letterhead_refusal(office, kind: str) -> str:
    """The refusal of an external letter from an office whose letterhead is incomplete, naming what and where; "" if ready."""
    missing = letterhead_problems(office, kind)
    if not missing:
        return ""
    return _("An external letter cannot be sent: the office has no %(missing)s. Fill it in on the office's page of the admin: %(where)s") % {
        "missing": ", ".join(missing), "where": reverse("admin:emes_office_change", args=[office.pk])}


def register_letter(
    *,
    office,
    kind: str,
    subject: str,
    recipient: str,
    content: LetterContent,
    date: dt.date | None = None,
    by=None,
) -> OutgoingLetter:
    """Register a letter in ``office``'s outgoing register and file its PDF; returns the saved letter.

    ``date`` defaults to today in Asia/Bangkok; the number runs per office and BE calendar year of
    ``date`` (1 January restarts at 1). All in one transaction: a failed render registers nothing.
    A missing letter prefix falls back to the area code. An external letter is refused (``ValidationError``,
    code ``letterhead``) while the office lacks its emblem, address or signer (:func:`letterhead_problems`).
    Raises ``ValidationError`` for an unknown ``kind`` or an empty/too long subject or recipient.
    """
    _check(kind, subject, recipient)
    refusal = letterhead_refusal(office, kind)
    if refusal:
        raise ValidationError(refusal, code="letterhead")
    date = date or timezone.localdate()
    year = be_year(date)
    with transaction.atomic():
        number = _next_number(office, year)
        letter = OutgoingLetter.objects.create(
            office=office, year=year, number=number, kind=kind, date=date,
            subject=subject, recipient=recipient, created_by=by,
        )
        pdf = render_letter_pdf(letter, content)
        letter.file.save(f"{office.area_code}-{year}-{number:05d}.pdf", ContentFile(pdf), save=False)
        letter.save(update_fields=["file"])
    return letter


def render_letter_pdf(letter: OutgoingLetter, content: LetterContent) -> bytes:
    """The PDF bytes of a registered ``letter`` (its number and date printed) with ``content``."""
    return _render(
        office=letter.office, kind=letter.kind, subject=letter.subject, content=content,
        date=letter.date, letter_no=letter.letter_no,
    )


def preview_letter_pdf(
    *,
    office,
    kind: str,
    subject: str,
    recipient: str,
    content: LetterContent,
    date: dt.date | None = None,
) -> bytes:
    """The PDF of a letter as it would be registered, its number shown as a draft ("ศธ 04xxx/ (ร่าง)").

    Registers nothing and takes no number. Same errors as :func:`register_letter`.
    """
    _check(kind, subject, recipient)
    prefix = office.letter_prefix or office.area_code
    return _render(
        office=office, kind=kind, subject=subject, content=content,
        date=date or timezone.localdate(), letter_no=f"{prefix}/ {DRAFT_MARK}",
    )


def merge_letter_pdfs(letters: Iterable[OutgoingLetter]) -> bytes:
    """One PDF of the letters' stored files in the given order (to print and sign a batch).

    Letters without a file are skipped. Returns a valid PDF with no pages if none has a file.
    """
    writer = PdfWriter()
    for letter in letters:
        if not letter.file:
            continue
        with letter.file.open("rb") as fh:
            writer.append(PdfReader(io.BytesIO(fh.read())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def emblem_data_uri(office) -> str:
    """The office's emblem as a data: URI (no file or network access from WeasyPrint), or "" if none.

    Order: the uploaded ``office.emblem``; else the bundled ``static/emes/garuda.svg`` if present.
    An unreadable upload falls back the same way rather than stopping a letter.
    """
    if office.emblem:
        try:
            with office.emblem.open("rb") as fh:
                data = fh.read()
            mime = mimetypes.guess_type(office.emblem.name)[0] or "image/png"
            return _data_uri(data, mime)
        except OSError:
            pass
    path = finders.find(DEFAULT_EMBLEM)
    if path:
        return _data_uri(Path(path).read_bytes(), "image/svg+xml")
    return ""


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _render(*, office, kind: str, subject: str, content: LetterContent, date: dt.date, letter_no: str) -> bytes:
    return render_pdf(TEMPLATES[kind], letter_context(
        office=office, subject=subject, content=content, date=date, letter_no=letter_no,
    ))


#: Where a long position may be broken: after these words, never inside a word (issue 17: the signature block of
#: "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2" broke "การ|ศึกษา").
POSITION_BREAKS = ("การศึกษา",)


def position_lines(position: str) -> list[str]:
    """``position`` cut into the lines the signature block prints, each kept whole (``white-space: nowrap``).

    A position of up to 30 characters is one line; a longer one is cut after the first word of
    ``POSITION_BREAKS`` it holds (before the rest), or else at its last space before the middle. What follows
    is cut again the same way while it is longer than 36 characters (issue 17: "… ประถมศึกษาพระนครศรีอยุธยา
    เขต 2 รักษาราชการแทน" ran past the right margin of the signature block), so no line is wider than the block.
    """
    position = (position or "").strip()
    lines: list[str] = []
    limit = 30
    while len(position) > limit:
        head, position = _cut_position(position)
        if not position:
            break
        lines.append(head)
        limit = 36
    return lines + ([position] if position else [])


def _cut_position(position: str) -> tuple[str, str]:
    """``(head, rest)``: ``position`` cut once by the rule of :func:`position_lines`; ``(position, "")`` if it has no cut."""
    for word in POSITION_BREAKS:
        at = position.find(word)
        if 0 < at and at + len(word) < len(position):
            cut = at + len(word)
            return position[:cut].strip(), position[cut:].strip()
    space = position.rfind(" ", 0, len(position) // 2 + 10)
    return (position[:space].strip(), position[space:].strip()) if space > 0 else (position, "")


def letter_context(*, office, subject: str, content: LetterContent, date: dt.date, letter_no: str) -> dict[str, Any]:
    """Template context of a letter: every text already in the office's digits (Thai or Arabic).

    E-mail addresses keep Arabic digits (a Thai digit would break the address).
    """
    thai = office.letters_in_thai_digits

    def d(text: str) -> str:
        return thai_digits(text) if thai else str(text)

    paragraphs = [d(p) for p in content.paragraphs]

    return {
        "thai_digits": thai,
        "office": office,
        "office_name": d(office.full_name),
        # The office's name in the lines it may break into (after "การศึกษา"), each kept whole (issue 17).
        "office_name_lines": [d(line) for line in position_lines(office.full_name)],
        "address_lines": [d(line.strip()) for line in office.address.splitlines() if line.strip()],
        "phone": d(office.phone),
        "email": office.email,
        "unit": office.letters_unit,
        # The signer: the director, unless the content names another (a memo addressed to the director).
        "director_name": content.signer_name or office.director_name,
        "director_position": d(content.signer_position if content.signer_name else office.director_position),
        "position_lines": [d(line) for line in position_lines(content.signer_position if content.signer_name else office.director_position)],
        "emblem": emblem_data_uri(office),
        "letter_no": d(letter_no),
        "date": be_date(date, thai_numerals=thai),
        "subject": d(subject),
        "salutation": d(content.salutation),
        "reference": d(content.reference),
        # Several enclosures are numbered 1. 2. … as official letters list them.
        "enclosures": [d(f"{i}. {e}" if len(content.enclosures) > 1 else e) for i, e in enumerate(content.enclosures, 1)],
        "paragraphs": paragraphs,
        # The table of what is missing goes before the conclusion ("จึงเรียนมาเพื่อ…"), the last paragraph.
        "body_paragraphs": paragraphs[:-1] if len(paragraphs) > 1 and content.table_rows else paragraphs,
        "conclusion": paragraphs[-1] if len(paragraphs) > 1 and content.table_rows else "",
        "table_headers": [d(h) for h in content.table_headers],
        "table_rows": [[d(c) for c in row] for row in content.table_rows],
        "urgency": content.urgency,
        "closing": content.closing,
        "copy_to": d(content.copy_to),
    }
