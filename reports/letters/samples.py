"""A sample letter of each kind, so an office can check its letterhead before reminders go out."""
from __future__ import annotations

from django.utils import timezone

from emes.fiscal import fiscal_year_of
from emes.thai import be_date

from .content import LetterContent
from .models import OutgoingLetter


def sample_letter(office, kind: str) -> dict:
    """``{"subject", "recipient", "content"}`` of a sample reminder of ``kind`` for ``office`` (Thai text)."""
    today = timezone.localdate()
    fy = fiscal_year_of(today)
    paragraphs = (
        f"ตามที่{office.full_name} ได้แจ้งให้ผู้รับผิดชอบรายงานผลการดำเนินงานโครงการประจำไตรมาสที่ 1 "
        f"ปีงบประมาณ พ.ศ. {fy} ภายในวันที่ {be_date(today)} นั้น",
        f"บัดนี้ ได้ล่วงเลยกำหนดแล้ว ยังไม่ได้รับรายงานตามรายการข้างล่างนี้ จึงขอให้ดำเนินการรายงานผ่านระบบ EMES "
        f"โดยเร็ว หากรายงานแล้ว ขอขอบคุณมา ณ โอกาสนี้",
        "จึงเรียนมาเพื่อโปรดดำเนินการ",
    )
    rows = (("1", "โครงการตัวอย่าง (ตัวอย่างเท่านั้น)", "1", be_date(today), "3"),)
    headers = ("ที่", "โครงการ", "ไตรมาส", "กำหนดส่ง", "เลยกำหนด (วันทำการ)")
    if kind == OutgoingLetter.Kind.MEMO:
        return {
            "subject": f"ขอให้รายงานผลการดำเนินงานโครงการ ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. {fy} (ตัวอย่าง)",
            "recipient": "ผู้อำนวยการกลุ่ม (ตัวอย่าง)",
            "content": LetterContent(salutation="ผู้อำนวยการกลุ่ม (ตัวอย่าง)", paragraphs=paragraphs, table_headers=headers, table_rows=rows),
        }
    return {
        "subject": f"ขอให้รายงานผลการดำเนินงานโครงการ ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. {fy} (ตัวอย่าง)",
        "recipient": "ผู้อำนวยการโรงเรียน (ตัวอย่าง)",
        "content": LetterContent(
            # No สำเนาส่ง: the sending unit keeps its file copy; a copy is sent to others, never to the sender (issue 17).
            salutation="ผู้อำนวยการโรงเรียน (ตัวอย่าง)", paragraphs=paragraphs, table_headers=headers, table_rows=rows,
        ),
    }
