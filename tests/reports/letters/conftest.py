"""An office dressed for letters (prefix, address, director, unit) and a sample content."""
from __future__ import annotations

import pytest

from reports.letters.content import LetterContent
from tests.factories import dress_letterhead


@pytest.fixture
def letter_office(office_a):
    office_a.letter_prefix = "ศธ 04079"
    office_a.address = "ถนนยันตรกิจโกศล ตำบลเด่นชัย\nอำเภอเด่นชัย จังหวัดแพร่ 54110"
    office_a.phone = "0 5461 3011"
    office_a.email = "plan@example.go.th"
    office_a.director_name = "นายสมชาย ใจดี"
    office_a.director_position = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1"
    office_a.letters_unit = "กลุ่มนโยบายและแผน"
    office_a.letters_in_thai_digits = True
    office_a.save()
    return dress_letterhead(office_a)  # and an emblem


@pytest.fixture
def content():
    return LetterContent(
        salutation="ผู้อำนวยการโรงเรียนบ้านน้ำริน",
        paragraphs=(
            "ตามที่ได้แจ้งให้รายงานผลการดำเนินงานไตรมาสที่ 1 ภายในวันที่ 8 มกราคม 2569 นั้น",
            "จึงเรียนมาเพื่อโปรดดำเนินการ",
        ),
        table_headers=("ที่", "โครงการ", "เลยกำหนด (วันทำการ)"),
        table_rows=(("1", "โครงการส่งเสริมการอ่าน", "3"),),
    )
