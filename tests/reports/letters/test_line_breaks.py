"""No phrase of a letter that must stay whole is split across lines (issue 17, "no Thai word breaks across lines"):
the PDF is read back line by line (pypdf) and each phrase must sit on one line."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from pypdf import PdfReader

from emes.thai import keep_phrases
from reports.letters.content import LetterContent
from reports.letters.services import position_lines, preview_letter_pdf

pytestmark = pytest.mark.django_db

SUBJECT = "ขอให้รายงานผลการดำเนินงานโครงการ ไตรมาสที่ 4 ประจำปีงบประมาณ พ.ศ. 2569 และแบบติดตามการเบิกจ่ายงบประมาณ"
#: Phrases (as printed, Thai digits) that must each be found whole on one line of the PDF.
WHOLE = ("สำนักงานเขตพื้นที่การศึกษา", "ล่าช้า", "(วันทำการ)", "ปีงบประมาณ พ.ศ. ๒๕๖๙", "จังหวัดแพร่ ๕๔๑๕๐", "ถนนยันตรกิจโกศล", "๘ ตุลาคม", "๔/๒๕๖๙",
         "ไตรมาสที่ ๔")


def squash(text: str) -> str:
    """NFKC, no spaces, no NIKHAHIT (extraction draws SARA AM as NIKHAHIT + SARA AA and spaces Thai marks at will)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("\u0e4d", "")


def lines_of(pdf: bytes) -> list[str]:
    return [squash(line) for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]


@pytest.fixture
def long_address_office(letter_office):
    letter_office.address = "เลขที่ 222 หมู่ 5 ถนนยันตรกิจโกศล ตำบลห้วยอ้อ อำเภอลอง จังหวัดแพร่ 54150"
    letter_office.save()
    return letter_office


@pytest.mark.parametrize("kind", ["external", "memo"])
def test_phrases_that_must_stay_whole_are_on_one_line(long_address_office, kind):
    content = LetterContent(
        salutation="ผู้อำนวยการโรงเรียนบ้านน้ำริน (คุรุราษฎร์รังสรรค์)",
        paragraphs=("ระบบ EMES ยังไม่ได้รับรายงานต่อไปนี้ 2 รายการ ซึ่งเลยกำหนดส่งแล้ว ตามปีงบประมาณ พ.ศ. 2569", "จึงเรียนมาเพื่อโปรดดำเนินการ"),
        table_headers=("ที่", "สิ่งที่ยังไม่ได้รับ", "กำหนดส่ง", "ล่าช้า (วันทำการ)"),
        table_rows=(("1", "รายงานผลการดำเนินงานโครงการพัฒนาคุณภาพการจัดการศึกษาปฐมวัย ไตรมาสที่ 4/2569", "8 ตุลาคม 2569", "12"),),
    )
    pdf = preview_letter_pdf(office=long_address_office, kind=kind, subject=SUBJECT, recipient=content.salutation,
                             content=content, date=dt.date(2026, 12, 3))
    lines = lines_of(pdf)
    for phrase in WHOLE:
        if kind == "memo" and phrase in ("จังหวัดแพร่ ๕๔๑๕๐", "ถนนยันตรกิจโกศล"):
            continue  # a memo prints no address
        assert any(squash(phrase) in line for line in lines), (phrase, lines)


def test_keep_phrases_escapes_and_wraps():
    html = keep_phrases("<b> ปีงบประมาณ พ.ศ. ๒๕๖๙ จังหวัดแพร่ 54150")
    assert html.startswith("&lt;b&gt; ")
    assert '<span class="nobr">ปีงบประมาณ พ.ศ. ๒๕๖๙</span>' in html and '<span class="nobr">จังหวัดแพร่ 54150</span>' in html


#: A long letter-number prefix (a sub-unit code and ว): the number used to break at its "/" or before "(ร่าง)", and
#: the signer's long acting position ran past the signature block — the narrow places of issue 17.
LONG_PREFIX = "ศธ 04079.1234567/ว"
LONG_POSITION = "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาพระนครศรีอยุธยา เขต 2 รักษาราชการแทน"


@pytest.mark.parametrize("kind", ["external", "memo"])
def test_date_number_name_and_position_stay_whole_in_a_narrow_place(letter_office, content, kind):
    """Issue 17: "๓๐ พฤศจิกายน" / "๒๕๖๙" split over two lines beside a long number; so did the number and the name."""
    letter_office.letter_prefix = LONG_PREFIX
    letter_office.director_name = "ว่าที่ร้อยตรีสมชาย ศรีสุวรรณวงศ์"
    letter_office.director_position = LONG_POSITION
    letter_office.save()
    pdf = preview_letter_pdf(office=letter_office, kind=kind, subject="ขอให้รายงานผล", recipient=content.salutation,
                             content=content, date=dt.date(2026, 11, 30))
    lines = lines_of(pdf)
    for whole in ("๓๐ พฤศจิกายน ๒๕๖๙", "ที่ ศธ ๐๔๐๗๙.๑๒๓๔๕๖๗/ว/ (ร่าง)", "(ว่าที่ร้อยตรีสมชาย ศรีสุวรรณวงศ์)",
                  "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "ประถมศึกษาพระนครศรีอยุธยา เขต ๒", "รักษาราชการแทน", "โทร. ๐ ๕๔๖๑ ๓๐๑๑"):
        assert any(squash(whole) in line for line in lines), (whole, lines)


def test_a_long_position_is_cut_into_lines_that_fit_the_signature_block():
    assert position_lines(LONG_POSITION) == [
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "ประถมศึกษาพระนครศรีอยุธยา เขต 2", "รักษาราชการแทน"]
    assert position_lines("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2") == [
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "ประถมศึกษาแพร่ เขต 2"]
    assert position_lines("ผู้อำนวยการโรงเรียนบ้านน้ำริน") == ["ผู้อำนวยการโรงเรียนบ้านน้ำริน"]


def test_the_memo_date_stays_whole_beside_a_number_with_no_break_in_it(letter_office, content):
    """The memo prints ที่ and วันที่ on one line: a number as long as the prefix field allows (30), with nowhere to break,
    squeezed the date to "๓๐ พฤศจิกายน" / "๒๕๖๙" before the date was kept whole (issue 17)."""
    letter_office.letter_prefix = "ศธ 04079.12345678901234567/ว"
    letter_office.save()
    pdf = preview_letter_pdf(office=letter_office, kind="memo", subject="ขอให้รายงานผล", recipient=content.salutation,
                             content=content, date=dt.date(2026, 11, 30))
    assert any(squash("วันที่ ๓๐ พฤศจิกายน ๒๕๖๙") in line for line in lines_of(pdf)), lines_of(pdf)
