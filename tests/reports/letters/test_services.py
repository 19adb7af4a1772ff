"""The outgoing register: running numbers per office and BE calendar year, concurrency, the PDFs read back."""
from __future__ import annotations

import datetime as dt
import io
import threading
import time
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from pypdf import PdfReader

from reports.letters import services
from reports.letters.content import LetterContent
from reports.letters.models import LetterCounter, OutgoingLetter
from reports.letters.services import merge_letter_pdfs, preview_letter_pdf, register_letter
from tests.factories import OfficeFactory, dress_letterhead


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """A comparison key: NFKC, no spaces or line breaks (extraction splits Thai lines where it likes), no
    NIKHAHIT (SARA AM is drawn as NIKHAHIT + SARA AA, and around a tone mark the order varies)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("\u0e4d", "")


@pytest.fixture
def fast_render(monkeypatch):
    """Numbering tests need no real PDF (WeasyPrint costs ~0.5 s a letter)."""
    monkeypatch.setattr(services, "render_letter_pdf", lambda letter, content: b"%PDF-1.4 fake")


@pytest.mark.django_db
def test_numbers_run_per_office_and_restart_each_calendar_year(letter_office, office_b, content, fast_render, planner_a):
    dress_letterhead(office_b)

    def reg(office, date):
        return register_letter(office=office, kind="external", subject="ทดสอบ", recipient="โรงเรียน", content=content, date=date, by=planner_a)

    first = reg(letter_office, dt.date(2026, 12, 30))
    second = reg(letter_office, dt.date(2026, 12, 31))
    other = reg(office_b, dt.date(2026, 12, 31))
    new_year = reg(letter_office, dt.date(2027, 1, 1))
    assert (first.year, first.number) == (2569, 1)
    assert (second.year, second.number) == (2569, 2)
    assert (other.year, other.number) == (2569, 1)
    assert (new_year.year, new_year.number) == (2570, 1)
    assert second.letter_no == "ศธ 04079/2"
    assert other.letter_no == "9902/1"  # no prefix: the area code stands in
    assert second.created_by == planner_a and second.file.name.endswith(".pdf")
    assert LetterCounter.objects.get(office=letter_office, year=2569).last_number == 2


@pytest.mark.django_db
def test_date_defaults_to_today_in_bangkok(letter_office, content, fast_render, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.timezone.utc))  # 1 Jan 2027 01:30 in Bangkok
    letter = register_letter(office=letter_office, kind="memo", subject="ทดสอบ", recipient="กลุ่ม", content=content)
    assert letter.date == dt.date(2027, 1, 1) and letter.year == 2570


@pytest.mark.django_db
def test_bad_input_registers_nothing(letter_office, content, fast_render):
    with pytest.raises(ValidationError) as err:
        register_letter(office=letter_office, kind="fax", subject=" ", recipient="", content=content)
    assert set(err.value.message_dict) == {"kind", "subject", "recipient"}
    assert not OutgoingLetter.objects.exists() and not LetterCounter.objects.exists()


@pytest.mark.django_db
def test_failed_render_takes_no_number(letter_office, content, monkeypatch):
    def boom(letter, content):
        raise RuntimeError("render failed")

    monkeypatch.setattr(services, "render_letter_pdf", boom)
    with pytest.raises(RuntimeError):
        register_letter(office=letter_office, kind="external", subject="ทดสอบ", recipient="x", content=content)
    assert not OutgoingLetter.objects.exists()
    assert not LetterCounter.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_get_distinct_consecutive_numbers(content, monkeypatch):
    office = dress_letterhead(OfficeFactory(area_code="9911"))

    def slow_render(letter, content):
        time.sleep(0.3)  # hold the counter lock while the other sender waits on it
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(services, "render_letter_pdf", slow_render)
    barrier = threading.Barrier(3)
    numbers, errors = [], []

    def send():
        try:
            barrier.wait()
            numbers.append(register_letter(office=office, kind="external", subject="ทดสอบ", recipient="x", content=content, date=dt.date(2026, 11, 21)).number)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3]
    assert LetterCounter.objects.get(office=office, year=2569).last_number == 3


@pytest.mark.django_db
def test_external_letter_pdf_reads_back_in_thai_digits(letter_office, content):
    letter = register_letter(
        office=letter_office, kind="external", subject="ขอให้ส่งรายงานผลไตรมาสที่ 1", recipient="โรงเรียนบ้านน้ำริน",
        content=LetterContent(**{**content.__dict__, "reference": "หนังสือ ที่ ศธ 04079/12", "enclosures": ("แบบรายงาน 1 ชุด",), "copy_to": "กลุ่มส่งเสริมการจัดการศึกษา"}),
        date=dt.date(2026, 11, 21),
    )
    with letter.file.open("rb") as fh:
        text = squash(pdf_text(fh.read()))
    for expected in (
        "ที่ศธ๐๔๐๗๙/๑", "๒๑พฤศจิกายน๒๕๖๙", "เรื่องขอให้ส่งรายงานผลไตรมาสที่๑", "เรียนผู้อำนวยการโรงเรียนบ้านน้ำริน",
        "อ้างถึงหนังสือที่ศธ๐๔๐๗๙/๑๒", "สิ่งที่ส่งมาด้วยแบบรายงาน๑ชุด", "ขอแสดงความนับถือ", "(นายสมชายใจดี)",
        "กลุ่มนโยบายและแผน", "โทร.๐๕๔๖๑๓๐๑๑", "plan@example.go.th", "สำเนาส่งกลุ่มส่งเสริมการจัดการศึกษา",
        "โครงการส่งเสริมการอ่าน", "ถนนยันตรกิจโกศล",
    ):
        assert squash(expected) in text, expected
    assert "2569" not in text
    # the table of what is missing stands before the conclusion, which stays with the signature
    assert text.index(squash("โครงการส่งเสริมการอ่าน")) < text.index(squash("จึงเรียนมาเพื่อโปรดดำเนินการ")) < text.index(squash("ขอแสดงความนับถือ"))


@pytest.mark.django_db
def test_memo_in_arabic_digits_has_no_closing(letter_office, content):
    letter_office.letters_in_thai_digits = False
    letter_office.save()
    letter = register_letter(office=letter_office, kind="memo", subject="ขอให้ส่งรายงานไตรมาสที่ 1", recipient="กลุ่มบริหารงานบุคคล", content=content, date=dt.date(2026, 11, 21))
    with letter.file.open("rb") as fh:
        text = squash(pdf_text(fh.read()))
    for expected in ("บันทึกข้อความ", "ส่วนราชการกลุ่มนโยบายและแผน", "ที่ศธ04079/1", "วันที่21พฤศจิกายน2569", "เรื่องขอให้ส่งรายงานไตรมาสที่1", "(นายสมชายใจดี)"):
        assert squash(expected) in text, expected
    assert squash("ขอแสดงความนับถือ") not in text


@pytest.mark.django_db
def test_preview_of_an_office_without_letter_settings_registers_nothing(office_a, content):
    pdf = preview_letter_pdf(office=office_a, kind="external", subject="ตัวอย่าง", recipient="x", content=content, date=dt.date(2026, 11, 21))
    text = squash(pdf_text(pdf))
    assert "ที่๙๙๐๑/(ร่าง)" in text  # area code as prefix, the number left as a draft
    assert squash("ตัวอย่าง") in text
    assert not OutgoingLetter.objects.exists() and not LetterCounter.objects.exists()


@pytest.mark.django_db
def test_uploaded_emblem_is_inlined(letter_office):
    from django.core.files.base import ContentFile

    letter_office.emblem.save("garuda.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    assert services.emblem_data_uri(letter_office).startswith("data:image/png;base64,")


@pytest.mark.django_db
def test_long_table_breaks_pages_and_numbers_them(letter_office, content):
    rows = tuple((str(i), f"โครงการที่ {i} เพื่อพัฒนาคุณภาพการศึกษาด้านการอ่านออกเขียนได้ของผู้เรียน", str(i)) for i in range(1, 16))
    long_content = LetterContent(**{**content.__dict__, "table_rows": rows})
    pdf = preview_letter_pdf(office=letter_office, kind="external", subject="ยาว " * 40, recipient="x", content=long_content, date=dt.date(2026, 11, 21))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    first, last = (squash(p.extract_text()) for p in (pages[0], pages[-1]))
    assert "-๑-" not in first
    assert f"-{chr(0x0E50 + len(pages))}-" in last
    # the signature block is never split from its closing, nor the owning unit from the signature
    assert squash("ขอแสดงความนับถือ") in last and "(นายสมชายใจดี)" in last
    assert squash("กลุ่มนโยบายและแผน") in last and "plan@example.go.th" in last


@pytest.mark.django_db
def test_a_typical_reminder_letter_fits_one_page(letter_office):
    """Three paragraphs, a one-row table and a two-line subject: one page, signature and unit included."""
    typical = LetterContent(
        salutation="ผู้อำนวยการโรงเรียนบ้านน้ำริน (คุรุราษฎร์รังสรรค์)",
        paragraphs=(
            "ตามที่สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2 ได้แจ้งให้สถานศึกษารายงานผลการประเมินการอ่านออกเขียนได้ "
            "ปีการศึกษา 2569 ครั้งที่ 2 ภายในวันที่ 26 กุมภาพันธ์ 2570 นั้น",
            "บัดนี้ ได้ล่วงเลยกำหนดแล้ว ยังไม่ได้รับรายงานตามรายการข้างล่างนี้ จึงขอให้ดำเนินการรายงานผ่านระบบ EMES โดยเร็ว",
            "จึงเรียนมาเพื่อโปรดดำเนินการ",
        ),
        table_headers=("ที่", "การประเมิน", "ชั้น", "กำหนดส่ง", "เลยกำหนด (วันทำการ)"),
        table_rows=(("1", "การอ่านออกเขียนได้ ปีการศึกษา 2569 ครั้งที่ 2", "ป.1, ป.2, ป.3", "26 กุมภาพันธ์ 2570", "3"),),
        copy_to="ประธานกลุ่มโรงเรียน",
    )
    pdf = preview_letter_pdf(office=letter_office, kind="external", subject="ขอให้รายงานผลการประเมินการอ่านออกเขียนได้ ปีการศึกษา 2569 ครั้งที่ 2 ของสถานศึกษา",
                             recipient="x", content=typical, date=dt.date(2027, 3, 3))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1, "a reminder letter is one sheet to sign"
    text = squash(pages[0].extract_text())
    assert "(นายสมชายใจดี)" in text and squash("กลุ่มนโยบายและแผน") in text and squash("สำเนาส่ง") in text


@pytest.mark.django_db
def test_merge_keeps_order_and_counts_pages(letter_office, content):
    letters = [register_letter(office=letter_office, kind=k, subject=f"เรื่องที่ {i}", recipient="x", content=content, date=dt.date(2026, 11, 21)) for i, k in enumerate(["external", "memo", "external"], 1)]
    expected_pages = sum(len(PdfReader(letter.file.open("rb")).pages) for letter in letters)
    merged = PdfReader(io.BytesIO(merge_letter_pdfs(reversed(letters))))
    assert len(merged.pages) == expected_pages
    assert "เรื่องที่๓" in squash(merged.pages[0].extract_text())


@pytest.mark.django_db
@pytest.mark.parametrize("blank,named", [("address", "ที่อยู่"), ("director_name", "ผู้ลงนาม"), ("emblem", "ตราครุฑ")])
def test_external_letter_refused_while_the_letterhead_lacks_something(letter_office, content, blank, named, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    if blank == "emblem":
        letter_office.emblem = None
        monkeypatch.setattr(services, "DEFAULT_EMBLEM", "emes/no-such-emblem.svg")  # no bundled fallback either
    else:
        setattr(letter_office, blank, "")
    letter_office.save()
    with pytest.raises(ValidationError) as exc:
        register_letter(office=letter_office, kind="external", subject="ทดสอบ", recipient="โรงเรียน", content=content)
    message = " ".join(exc.value.messages)
    # What is missing, and where to fill it in: the admin's page of the office.
    assert named in message and reverse("admin:emes_office_change", args=[letter_office.pk]) in message
    assert not OutgoingLetter.objects.exists() and not LetterCounter.objects.exists()
    # A memo needs none of it.
    assert register_letter(office=letter_office, kind="memo", subject="ทดสอบ", recipient="ผู้อำนวยการกลุ่ม", content=content).number == 1
