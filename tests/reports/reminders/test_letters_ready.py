"""Letters ready to sign (issue 17): one letter per recipient per day listing everything owed, addressed to a
position, every header field present; read back from the PDFs the sweep registered."""
from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from reports.models import OutgoingLetter, Reminder

from .conftest import OPEN_Q1

pytestmark = pytest.mark.django_db


def text_of(letter: OutgoingLetter) -> str:
    """The letter's text as pypdf reads it: Arabic digits, สระอำ composed, marks in written order, no spaces."""
    with letter.file.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)
    text = text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace("\u0e4d\u0e32", "\u0e33")
    # The PDF stores a tone mark before the vowel it sits on ("ผ ้ ู"); written text puts the vowel first.
    text = re.sub(r"([\u0e48-\u0e4b])([\u0e31\u0e34-\u0e3a\u0e47])", r"\2\1", text)
    return re.sub(r"\s+", "", text)


def test_one_letter_per_recipient_per_day_to_a_position(world, run_sweep):
    day = world.wd(world.q1_due, 1)
    run_sweep(day)
    letters = list(OutgoingLetter.objects.filter(office=world.office).order_by("number"))
    recipients = [letter.recipient for letter in letters]
    assert len(recipients) == len(set(recipients)), recipients  # nobody gets two letters on one day
    owner_reminders = Reminder.objects.filter(recipient_user=world.owner, stage="first")
    owner_codes = {r.facts["project_code"] for r in owner_reminders}
    assert owner_codes == set(OPEN_Q1) - {"69-006"}  # the owner owes three reports ...
    with_letter = [r for r in owner_reminders if r.letter_id]
    assert len(with_letter) == 1  # ... and gets one memo listing the three
    memo = text_of(with_letter[0].letter)
    for code in owner_codes:
        assert code in memo
    # Addressed to a position, never to a bare name; the memo's header fields are all there.
    assert "เรียนผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา" in memo and "เรียนสมชาย" not in memo
    for field in ("บันทึกข้อความ", "ส่วนราชการ", "ที่ศธ", "วันที่", "เรื่อง"):
        assert field in memo, field
    assert "สำเนาส่ง" not in memo
    others = owner_reminders.exclude(pk=with_letter[0].pk)
    assert all(r.status == with_letter[0].status and with_letter[0].letter.letter_no in r.status_reason for r in others)
    # One e-mail to the owner, with the one letter.
    to_owner = [m for m in mail.outbox if m.to == [world.owner.email]]
    assert len(to_owner) == 1 and len(to_owner[0].attachments) == 1


def test_external_letter_to_a_school_carries_the_office_address(world, run_sweep):
    import datetime as dt

    run_sweep(world.wd(dt.date(2026, 2, 27), 1))  # the day after the literacy round closed: schools owe results
    external = OutgoingLetter.objects.filter(office=world.office, kind="external")
    assert external.exists()
    for letter in external:
        text = text_of(letter)
        assert "เรียนผู้อำนวยการโรงเรียน" in text
        assert "ตำบลเด่นชัย" in text and "ขอแสดงความนับถือ" in text and "ที่ศธ" in text and "เรื่อง" in text
        assert "สำเนาส่ง" not in text
