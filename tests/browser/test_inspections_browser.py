"""In headless Chromium, one inspection round end to end (issue 8, DONE-WHEN): the plan officer creates the
round, enters an issue and its indicators, builds and dispatches the form; a school account types words in
a number field, is told so, fixes it and submits; a division head submits; one school stays late; the
plan officer reads the board (rate vs 80 %), records a recommendation; the head acts on it with evidence
and marks it done; the plan officer verifies and closes it. Screenshots in /tmp/insp_*.png."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emes.models import Role
from inspections.models import FormDispatch, InspectionRound, Recommendation
from tests.factories import PASSWORD, DivisionFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/insp_{name}.png", full_page=True)


def login(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{url}/")


def test_inspection_round_in_the_browser(page, live_server, office_a, planner_a, tmp_path):
    page.on("dialog", lambda d: d.accept())
    url = live_server.url
    academic = DivisionFactory(office=office_a, code="05", name="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา")
    DivisionFactory(office=office_a, code="02", name="กลุ่มนโยบายและแผน")
    head = UserFactory(username="head_a", first_name="มาลัย", last_name="สาธิตกุล")
    MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD, division=academic)
    schools = [SchoolFactory(office=office_a, smis_code=f"9901000{i}", name=n) for i, n in ((1, "บ้านดอนแก้ว"), (2, "บ้านนาหลวง"))]
    account = UserFactory(username="99010001")
    MembershipFactory(user=account, office=office_a, role=Role.SCHOOL, school=schools[0])
    fy = timezone.localdate().year + 543 + (1 if timezone.localdate().month >= 10 else 0)

    # The plan officer creates round 1 of the current fiscal year with its schedule (BE dates).
    login(page, url, "planner_a")
    page.goto(f"{url}/inspections/o/9901/")
    form = page.locator("#round-form")
    form.locator('[name="fiscal_year"]').fill(str(fy))
    form.locator('[name="number"]').fill("1")
    form.locator('[name="title"]').fill("ตรวจราชการกรณีปกติ รอบที่ 1")
    form.locator('[name="visit_starts_on"]').fill(f"15/2/{fy}")
    form.locator('[name="visit_ends_on"]').fill("2026-02-17")  # a wrong format first
    form.get_by_role("button").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    form = page.locator("#round-form")
    form.locator('[name="visit_ends_on"]').fill(f"17/2/{fy}")
    form.locator('[name="summary_meeting_on"]').fill(f"14/9/{fy}")
    form.get_by_role("button").click()
    if page.locator("#standards-warnings").count():  # e.g. the plan and meeting dates are not set: confirm
        shot(page, "1_warnings")
        page.locator("#id_confirm").check()
        page.locator("#round-form").get_by_role("button").click()
    page.wait_for_url("**/issues/")
    r = InspectionRound.objects.get()

    issue_form = page.locator("#issue-form")
    issue_form.locator('[name="code"]').fill("1")
    issue_form.locator('[name="title"]').fill("การอ่านออกเขียนได้ของนักเรียนชั้น ป.1")
    issue_form.get_by_text("05 กลุ่มนิเทศ").check()
    issue_form.get_by_role("button").click()
    page.wait_for_url("**/issues/")
    for text, unit, target, kind in (("ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้", "ร้อยละ", "100", "number"),
                                     ("ปัญหาและอุปสรรค", "", "", "text")):
        page.locator("details summary", has_text="เพิ่มตัวชี้วัด").first.click()
        f = page.locator(".indicator-form").first
        f.locator('[name="text"]').fill(text)
        f.locator('[name="unit"]').fill(unit)
        f.locator('[name="target"]').fill(target)
        f.locator('[name="answer_kind"]').select_option(kind)
        f.get_by_role("button").click()
        page.wait_for_url("**/issues/")
    shot(page, "2_issues")
    page.goto(f"{url}/inspections/o/9901/{r.pk}/form/")
    page.locator("#build-form").click()
    expect(page.locator("#questions tbody tr")).to_have_count(2)
    page.goto(f"{url}/inspections/o/9901/{r.pk}/dispatch/")
    page.get_by_text("05 กลุ่มนิเทศ").check()
    page.get_by_text("99010001 บ้านดอนแก้ว").check()
    page.get_by_text("99010002 บ้านนาหลวง").check()
    page.locator("#dispatch-form").get_by_role("button", name="ส่งแบบรายงาน").click()
    page.wait_for_url(f"**/inspections/o/9901/{r.pk}/")
    assert FormDispatch.objects.filter(round=r).count() == 3
    # บ้านนาหลวง's due date has passed (set here: a browser cannot wait 30 working days).
    FormDispatch.objects.filter(school=schools[1]).update(due_on=timezone.localdate() - dt.timedelta(days=1))

    # The school types words where a number is expected, is told, fixes it and submits.
    login(page, url, "99010001")
    page.goto(f"{url}/inspections/my/")
    page.locator("#my-forms a").first.click()
    inputs = page.locator("#answer-form input[type=text]")
    inputs.first.fill("ประมาณแปดสิบ")
    page.locator("#answer-form textarea").first.fill("ครูขาดสื่อการสอน")
    page.locator("#save-draft").click()
    assert "ต้องตอบเป็นตัวเลข" in page.locator(".invalid-feedback").first.inner_text()
    shot(page, "3_school_number_error")
    page.locator("#answer-form input[type=text]").first.fill("85.5")
    page.locator("#save-draft").click()
    page.locator('#evidence-form input[type=file]').set_input_files(files=[{"name": "หลักฐาน.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#evidence-form").get_by_role("button", name="แนบไฟล์").click()
    assert "หลักฐาน.pdf" in page.content()
    page.locator("#submit-form").click()
    assert page.locator("#dispatch-status").inner_text() == "ส่งแล้ว"
    shot(page, "4_school_submitted")

    # The division head answers for the division.
    login(page, url, "head_a")
    page.goto(f"{url}/inspections/my/")
    page.locator("#my-forms a").first.click()
    page.locator("#answer-form input[type=text]").first.fill("92")
    page.locator("#answer-form textarea").first.fill("ดำเนินการตามแผน")
    page.locator("#submit-form").click()
    assert page.locator("#dispatch-status").inner_text() == "ส่งแล้ว"

    # The plan officer reads the board: 2 of 3 back within 30 working days (66.67 %), one late.
    login(page, url, "planner_a")
    page.goto(f"{url}/inspections/o/9901/{r.pk}/")
    assert "66.67" in page.locator("#response-rate").inner_text()
    assert page.locator("#board tr[data-late]").count() == 1
    shot(page, "5_board")
    page.goto(f"{url}/inspections/o/9901/{r.pk}/recommendations/")
    rec_form = page.locator("#recommendation-form")
    rec_form.locator('[name="text"]').fill("ควรเร่งพัฒนานักเรียนชั้น ป.1 ที่ยังอ่านไม่ออกเป็นรายบุคคล")
    rec_form.get_by_text("05 กลุ่มนิเทศ").check()
    rec_form.locator('[name="due_on"]').fill(f"30/6/{fy}")
    rec_form.get_by_role("button").click()
    page.wait_for_url("**/recommendations/")
    rec = Recommendation.objects.get()

    # The head records what was done, with evidence, and marks it done.
    login(page, url, "head_a")
    page.goto(f"{url}/inspections/o/9901/recommendations/{rec.pk}/")
    f = page.locator("#follow-up-form")
    f.locator('[name="text"]').fill("จัดค่ายพัฒนาการอ่านเขียน 12 โรงเรียน")
    f.locator('input[type=file]').set_input_files(files=[{"name": "ค่ายอ่าน.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    f.get_by_role("button", name="บันทึก").click()
    page.locator("#mark-done").click()
    assert page.locator("[data-status]").first.get_attribute("data-status") == "done"

    # The plan officer verifies and closes it.
    login(page, url, "planner_a")
    page.goto(f"{url}/inspections/o/9901/recommendations/{rec.pk}/")
    page.locator("#verify-closed").click()
    assert page.locator("[data-status]").first.get_attribute("data-status") == "closed"
    assert "ค่ายอ่าน.pdf" in page.locator("#follow-ups").inner_text()
    shot(page, "6_recommendation_closed")
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED and rec.follow_ups.get().original_name == "ค่ายอ่าน.pdf"
