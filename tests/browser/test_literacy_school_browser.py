"""In headless Chromium: a school account fills in its literacy results, meets a sum error, fixes it and
submits; then downloads the Excel template, fills it in, uploads it, sees the preview and saves."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from emes.models import Enrolment
from literacy.models import LiteracyRound, Submission, SubmissionChange
from literacy.school_workbook import FIRST_ROW
from tests.factories import PASSWORD, SchoolFactory
from tests.literacy.school.conftest import school_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SKILLS = ("reading_aloud", "reading_comprehension", "writing_words", "writing_composition")
LEVELS = ("very_good", "good", "fair", "improve")


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/lit_school_{name}.png", full_page=True)


def test_school_submits_by_form_then_by_excel(page, live_server, office_a, tmp_path):
    now = timezone.now()
    literacy_round = LiteracyRound.objects.create(office=office_a, academic_year=2569, number=1, grades=["p1", "p2"],
                                                  opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10),
                                                  status=LiteracyRound.Status.OPEN)
    school = SchoolFactory(office=office_a, smis_code="99010001", name="บ้านดอนแก้ว", lowest_grade="อนุบาล 2", highest_grade="ประถมศึกษาปีที่ 6")
    Enrolment.objects.create(school=school, academic_year=2569, grade="p1", students=25)
    Enrolment.objects.create(school=school, academic_year=2569, grade="p2", students=20)
    school_account(school, "99010001")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("99010001")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    round_url = f"{live_server.url}/s/99010001/literacy/{literacy_round.pk}/"
    link = page.locator(f'a[href$="/s/99010001/literacy/{literacy_round.pk}/"]')
    if link.count():
        link.first.click()
    else:  # until the school home page links to the round
        page.goto(round_url)
    page.wait_for_url(round_url)
    assert "ยังไม่เริ่ม" in page.locator("#submission-status").inner_text()
    shot(page, "1_round")

    page.get_by_role("link", name="กรอกผลการประเมิน").click()
    assert page.locator('input[name="p1-enrolled"]').input_value() == "25"
    figures = {"p1": (23, 1, 1, (10, 8, 3, 2)), "p2": (18, 0, 2, (5, 5, 5, 3))}
    for grade, (assessed, special, absent, levels) in figures.items():
        page.locator(f'input[name="{grade}-assessed"]').fill(str(assessed))
        page.locator(f'input[name="{grade}-special_needs"]').fill(str(special))
        page.locator(f'input[name="{grade}-absent"]').fill(str(absent))
        for skill in SKILLS:
            for level, value in zip(LEVELS, levels):
                page.locator(f'input[name="{grade}-{skill}-{level}"]').fill(str(value))
    page.locator('input[name="p1-reading_aloud-improve"]').fill("0")  # a slip: 21, not 23
    shot(page, "2_form_filled")
    page.get_by_role("button", name="ส่งเขตพื้นที่").click()
    error = page.locator("tr.skill-error").first
    assert "การอ่านออกเสียง ป.1: ดีมาก+ดี+พอใช้+ปรับปรุง = 21 ไม่เท่ากับจำนวนผู้เข้ารับการประเมิน 23" in error.inner_text()
    assert not Submission.objects.exists()
    error.scroll_into_view_if_needed()
    shot(page, "3_sum_error")

    page.locator('input[name="p1-reading_aloud-improve"]').fill("2")
    page.get_by_role("button", name="ส่งเขตพื้นที่").click()
    page.wait_for_url(round_url)
    assert "ส่งผลการประเมินถึงเขตพื้นที่แล้ว" in page.locator(".alert").first.inner_text()
    assert "ส่งแล้ว" in page.locator("#submission-status").inner_text() or Submission.objects.get().status == "submitted"
    shot(page, "4_submitted")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลดแบบฟอร์ม Excel").click()
    path = tmp_path / "template.xlsx"
    download_info.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws[f"A{FIRST_ROW}"].value == "ป.1" and ws[f"E{FIRST_ROW}"].value == 23  # the stored results come back
    ws[f"H{FIRST_ROW}"], ws[f"I{FIRST_ROW}"] = 12, 6  # a correction of reading aloud ป.1 in Excel
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    page.get_by_role("link", name="อัปโหลดแบบฟอร์มที่กรอกแล้ว").click()
    page.set_input_files("#id_file", str(filled))
    shot(page, "5_upload")
    page.get_by_role("button", name="อัปโหลดและดูตัวอย่าง").click()
    page.wait_for_url(re.compile(r"/upload/[\w-]+/$"))
    assert "ผ่านการตรวจสอบทั้งหมด" in page.locator("#checks-passed").inner_text()
    shot(page, "6_preview")
    page.get_by_role("button", name="บันทึกและส่งเขตพื้นที่").click()
    page.wait_for_url(round_url)
    assert "บันทึกผลจากไฟล์ Excel" in page.locator(".alert").first.inner_text()
    shot(page, "7_saved")

    submission = Submission.objects.get()
    assert submission.status == "submitted"
    assert submission.grades.get(grade="p1").skills.get(skill="reading_aloud").very_good == 12
    assert list(SubmissionChange.objects.order_by("version").values_list("action", flat=True)) == ["submitted", "uploaded"]
    assert page.locator("#history tbody tr").count() == 2
