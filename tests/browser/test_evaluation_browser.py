"""In headless Chromium, on the demo office (issue 16, "Done when"): the plan officer builds a satisfaction form from
the standard one for a demo project, opens it, prints the QR code page; 30 participants answer through the public link
on a 390×844 phone viewport, each in their own browser session; the report PDF shows the means, S.D. and bands a test
recomputes with Python's ``statistics``."""
from __future__ import annotations

import io
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.loader import load_demo
from emes.fields import format_be_date
from emes.thai import thai_digits
from evaluation.models import Answer, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _r2(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_plan_officer_builds_a_survey_and_30_phones_answer(page, browser, live_server, eager_celery):
    load_demo()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("planner")
    page.get_by_label("รหัสผ่าน").fill("emes-demo-2569")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    page.locator("#evaluation-link").first.click()
    page.locator("#new-form").click()
    page.locator("#id_standard").select_option("satisfaction")
    page.get_by_role("button", name="สร้างแบบประเมิน").click()
    assert "สร้างแบบประเมินแล้ว" in page.locator(".alert-success").inner_text()
    page.screenshot(path="/tmp/eval-1-form.png", full_page=True)

    page.locator("#use-form").click()
    page.locator("#id_title").fill("ความพึงพอใจของผู้เข้าร่วมอบรม")
    target = page.locator("#id_target option").nth(1)
    page.locator("#id_target").select_option(target.get_attribute("value"))
    today = timezone.localdate()
    page.locator("#id_opens_on").fill(format_be_date(today))
    page.locator("#id_closes_on").fill(format_be_date(today.replace(day=28) if today.day < 28 else today))
    page.get_by_role("button", name="สร้างการประเมิน").click()
    page.locator("#open-evaluation").click()
    expect(page.locator("#status")).to_have_text("เปิดให้ตอบ")
    page.screenshot(path="/tmp/eval-2-evaluation.png", full_page=True)
    public_url = page.locator("#public-url").inner_text()

    page.locator("#qr-link").click()
    page.wait_for_url("**/qr/")
    expect(page.locator("#qr svg")).to_have_count(1)  # waits for the page to load (a bare count() raced the navigation in CI)
    page.screenshot(path="/tmp/eval-3-qr.png", full_page=True)
    page.emulate_media(media="print")
    page.pdf(path="/tmp/eval-3-qr-print.pdf", format="A4")
    page.emulate_media(media="screen")

    rng = random.Random(30)
    for n in range(30):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH")
        phone = context.new_page()
        phone.goto(public_url)
        for block in phone.locator(".eval-item").all():
            kind, pk = block.get_attribute("data-kind"), block.get_attribute("data-item")
            if kind == "rating":
                phone.locator(f'label[for="i{pk}-{rng.choice([2, 3, 4, 4, 5, 5])}"]').click()
            elif kind == "choice":
                block.locator("input").first.check()
            elif kind == "text" and n % 3 == 0:
                block.locator("textarea").fill(["ควรจัดอีก", "ดีมาก"][n % 2])
        if n == 0:
            phone.screenshot(path="/tmp/eval-4-phone-form.png", full_page=False)
        phone.locator("#send").click()
        phone.wait_for_selector("#thanks")
        if n == 0:
            phone.screenshot(path="/tmp/eval-5-phone-thanks.png")
            phone.goto(public_url)  # the same device again: refused
            assert phone.locator("#closed-reason").count() == 1
        context.close()

    ev = Evaluation.objects.get(title="ความพึงพอใจของผู้เข้าร่วมอบรม")
    assert ev.responses.count() == 30
    page.goto(f"{live_server.url}/o/{ev.office.area_code}/evaluation/{ev.pk}/results/")
    page.screenshot(path="/tmp/eval-6-results.png", full_page=True)
    page.locator("#build-pdf").click()  # a job with progress; the worker runs in-process here (eager_celery)
    page.wait_for_selector("#report-jobs tr[data-status='done']")
    page.screenshot(path="/tmp/eval-7-report-job.png", full_page=True)
    with page.expect_download() as info:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; a.download = ''; document.body.appendChild(a); a.click(); }",
                      page.locator("#report-jobs a").first.get_attribute("href"))
    pdf = open(info.value.path(), "rb").read()
    open("/tmp/eval-7-report.pdf", "wb").write(pdf)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    by_item: dict[int, list[int]] = {}
    for item_id, number in Answer.objects.filter(response__evaluation=ev, item__kind="rating").values_list("item_id", "number"):
        by_item.setdefault(item_id, []).append(int(number))
    for values in by_item.values():
        assert len(values) == 30
        assert thai_digits(str(_r2(statistics.mean(values)))) in text
        assert thai_digits(str(_r2(statistics.stdev(values)))) in text
    everything = [v for vs in by_item.values() for v in vs]
    mean = _r2(statistics.mean(everything))
    band = "มากที่สุด" if mean >= Decimal("4.51") else "มาก" if mean >= Decimal("3.51") else "ปานกลาง"
    assert f"ค่าเฉลี่ย (x̄) {thai_digits(str(mean))}" in text.replace("\n", " ") or thai_digits(str(mean)) in text
    assert band in text
