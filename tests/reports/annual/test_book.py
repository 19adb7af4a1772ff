"""The annual report book (issue 15) read back from its PDF: chapters, totals against an independent
computation, literacy and inspection figures, digit style, photos, and the reviewed-only counting rule."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from demo.loader import load_demo
from emes.models import Office
from inspections.models import FormDispatch, InspectionRound, Recommendation
from literacy.models import LiteracyRound
from plans.models import Indicator, Project, QuarterlyReport, StrategyIndicatorResult
from reports.annual import Narrative, Photo, build_annual_report_pdf, draft_executive_summary
from reports.annual.data import book_data
from reports.annual.digits import apply_digits, to_thai
from tests.factories import IndicatorFactory, IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory, SchoolFactory, StrategyFactory
from tests.literacy.summary.conftest import make_round, submit

pytestmark = pytest.mark.django_db
REVIEWED = {"accepted", "approved"}
THAI_DIGITS = set("๐๑๒๓๔๕๖๗๘๙")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def money(value: Decimal, digits: str = "thai") -> str:
    s = f"{value:,.2f}"
    return to_thai(s) if digits == "thai" else s


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    return Office.objects.get(area_code="5402")


def test_demo_book_has_every_chapter_and_the_independent_totals(demo):
    pdf = build_annual_report_pdf(demo, 2569)
    text = text_of(pdf)
    flat = squash(text)
    for heading in ("คำนำ", "บทสรุปผู้บริหาร", "สารบัญ", "ส่วนที่ ๑ ข้อมูลพื้นฐาน", "ส่วนที่ ๒ ทิศทางการดำเนินงาน",
                    "ส่วนที่ ๓ ผลการดำเนินงาน", "ผลการประเมินการอ่านออกเขียนได้", "ผลการตรวจราชการ",
                    "ส่วนที่ ๔ ผลการใช้งบประมาณ", "ส่วนที่ ๕ ปัญหา อุปสรรค และข้อเสนอแนะ", "ภาคผนวก", "คณะผู้จัดทำ"):
        assert squash(heading) in flat, heading
    # Totals computed row by row here, with the reviewed-only rule.
    projects = list(Project.objects.filter(office=demo, fiscal_year=2569))
    budget = sum((p.budget for p in projects), Decimal(0))
    reports = list(QuarterlyReport.objects.filter(project__in=projects))
    disbursed = sum((r.budget_disbursed for r in reports if r.status in REVIEWED), Decimal(0))
    waiting = [r for r in reports if r.status == "submitted"]
    assert waiting and disbursed < sum((r.budget_disbursed for r in reports if r.status in REVIEWED | {"submitted"}), Decimal(0))
    assert money(budget) in text
    assert money(disbursed) in text
    assert squash(f"รายงานผลรายไตรมาส {to_thai(str(len(waiting)))} ฉบับส่งแล้วแต่ยังรอการตรวจสอบ") in flat
    # Inspection figures of the demo's round 1/2569, counted from the rows.
    recs = list(Recommendation.objects.filter(round__office=demo, round__fiscal_year=2569))
    closed = sum(1 for r in recs if r.status == Recommendation.Status.CLOSED)
    assert recs
    assert squash(f"ข้อเสนอแนะทั้งหมด {to_thai(str(len(recs)))} ข้อ ตรวจสอบแล้วว่าดำเนินการเสร็จ (ปิด) {to_thai(str(closed))} ข้อ") in flat
    rnd = InspectionRound.objects.get(office=demo, fiscal_year=2569, number=1)
    sent = FormDispatch.objects.filter(round=rnd).count()
    submitted = FormDispatch.objects.filter(round=rnd, submitted_at__isnull=False).count()
    assert squash(f"ส่งแบบรายงานถึงหน่วยรับตรวจ {to_thai(str(sent))} หน่วย ส่งกลับ {to_thai(str(submitted))} หน่วย") in flat
    # One digit style: no Arabic digit anywhere in the text.
    assert not any(ch.isascii() and ch.isdigit() for ch in text), [line for line in text.splitlines() if any(c.isascii() and c.isdigit() for c in line)][:5]
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.outline, "headings become PDF bookmarks"


def test_arabic_digit_style_leaves_no_thai_digit(office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("123456"))
    QuarterlyReportFactory(project=project, quarter=1, status="accepted", budget_disbursed=Decimal("2500"))
    text = text_of(build_annual_report_pdf(office_a, 2569, narrative=Narrative(digits="arabic", foreword="ปีงบประมาณ ๒๕๖๙")))
    assert not THAI_DIGITS & set(text)
    assert "123,456.00" in text and "2,500.00" in text and "ปีงบประมาณ 2569" in text


def test_unreviewed_reports_are_named_as_waiting_and_not_counted(office_a):
    project = ProjectFactory(office=office_a, name="โครงการรอตรวจสอบ", budget=Decimal("100000"))
    indicator = IndicatorFactory(project=project, target=Decimal("50"))
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project, quarter=1, status="accepted", budget_disbursed=Decimal("1000")),
                           indicator=indicator, actual=Decimal("40"))
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project, quarter=2, status="submitted", budget_disbursed=Decimal("5000")),
                           indicator=indicator, actual=Decimal("90"))
    data = book_data(office_a, 2569)
    assert data.budget.total.disbursed == Decimal("1000")
    assert data.results.counts == {"achieved": 0, "not_achieved": 1, "not_reported": 0}
    assert [(w.project_name, w.quarter) for w in data.waiting.reports] == [("โครงการรอตรวจสอบ", 2)]
    flat = squash(text_of(build_annual_report_pdf(office_a, 2569)))
    assert squash("รายงานไตรมาส ๒ ส่งแล้ว รอการตรวจสอบ") in flat
    assert squash("รายงานผลรายไตรมาสต่อไปนี้ส่งแล้วแต่ยังไม่ได้ตรวจสอบ") in flat
    assert squash("6,000.00".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))) not in flat


def test_strategy_indicator_results_count_once_accepted(office_a):
    strategy = StrategyFactory(office=office_a)
    ProjectFactory(office=office_a, strategy=strategy)
    ind = Indicator.objects.create(strategy=strategy, name="ร้อยละของโรงเรียนที่ผ่านเกณฑ์", unit="ร้อยละ", target=Decimal("80"))
    StrategyIndicatorResult.objects.create(office=office_a, indicator=ind, quarter=2, actual=Decimal("85"), status="accepted")
    StrategyIndicatorResult.objects.create(office=office_a, indicator=ind, quarter=3, actual=Decimal("10"))
    line = book_data(office_a, 2569).results.strategies[0].indicators[0]
    assert (line.actual, line.quarter, line.achievement, line.waiting) == (Decimal("85"), 2, "achieved", True)


def test_literacy_figures_of_a_small_world(office_a):
    ProjectFactory(office=office_a)
    r1, r2 = make_round(office_a, number=1, year=2568), make_round(office_a, number=2, year=2568)
    LiteracyRound.objects.filter(pk=r2.pk).update(opens_at=timezone.make_aware(dt.datetime(2026, 2, 1, 8, 0)),
                                                  closes_at=timezone.make_aware(dt.datetime(2026, 3, 1, 16, 0)))
    a, b = SchoolFactory(office=office_a, name="โรงเรียนเอ"), SchoolFactory(office=office_a, name="โรงเรียนบี")
    skills = ("reading_aloud", "reading_comprehension", "writing_words", "writing_composition")
    submit(r1, a, {"p1": {s: [2, 3, 3, 2] for s in skills}})            # 10 assessed, 20 % ปรับปรุง
    submit(r1, b, {"p1": {s: [1, 1, 1, 7] for s in skills}})            # 10 assessed, 70 % ปรับปรุง: flagged (≥ 30)
    submit(r2, a, {"p1": {s: [5, 3, 2, 0] for s in skills}})
    submit(r2, b, {"p1": {s: [3, 3, 2, 2] for s in skills}})
    data = book_data(office_a, 2569)
    assert [r.round.number for r in data.literacy.rounds] == [1, 2]
    flat = squash(text_of(build_annual_report_pdf(office_a, 2569)))
    # Round 1: (2+3 + 1+1) / 20 = 35.00 % at ดีมาก+ดี, (2+7) / 20 = 45.00 % ปรับปรุง; round 2: 14/20 = 70.00 %, 2/20 = 10.00 %.
    assert squash("๓๕.๐๐ / ๔๕.๐๐") in flat and squash("๗๐.๐๐ / ๑๐.๐๐") in flat
    assert squash("โรงเรียนส่งผล ๒ จาก ๒ โรง") in flat
    assert "โรงเรียนบี" in flat and squash("เปรียบเทียบครั้งที่ ๑ และครั้งที่ ๒") in flat


def test_a_file_that_is_not_an_image_is_not_embedded(office_a, tmp_path):
    ProjectFactory(office=office_a)
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"<?php echo 'not an image'; ?>")
    real = tmp_path / "real.txt"  # an image whatever its name
    Image.new("RGB", (40, 30), "red").save(real, format="PNG")

    def images(narrative):
        reader = PdfReader(io.BytesIO(build_annual_report_pdf(office_a, 2569, narrative=narrative)))
        return len({img.data for page in reader.pages for img in page.images})  # shared XObjects repeat on every page

    charts = images(Narrative())  # the charts' own raster parts, if any
    assert images(Narrative(photos=[Photo("ของปลอม", str(fake))])) == charts
    assert images(Narrative(photos=[Photo("ของจริง", str(real)), Photo("ของปลอม", str(fake)), Photo("ไม่มีไฟล์", str(tmp_path / "x.jpg"))])) == charts + 1


def test_narrative_and_approval_date_are_printed(office_a):
    ProjectFactory(office=office_a)
    n = Narrative(foreword="รายงานฉบับนี้จัดทำขึ้นเพื่อสรุปผล", executive_summary="สรุปสั้น ๆ สำหรับผู้บริหาร", problems_synthesis="ปัญหาหลักคือเวลา",
                  committee=[("นางสาวทดสอบ ใจดี", "นักวิเคราะห์นโยบายและแผน")], approved_on=dt.date(2026, 12, 15))
    flat = squash(text_of(build_annual_report_pdf(office_a, 2569, narrative=n)))
    for phrase in ("รายงานฉบับนี้จัดทำขึ้นเพื่อสรุปผล", "สรุปสั้น ๆ สำหรับผู้บริหาร", "ปัญหาหลักคือเวลา", "นางสาวทดสอบ ใจดี", "อนุมัติเมื่อวันที่ ๑๕ ธันวาคม ๒๕๖๙"):
        assert squash(phrase) in flat, phrase
    assert squash("ยังไม่ได้รับอนุมัติ") not in flat


def test_draft_executive_summary_states_the_figures(office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("200000"))
    QuarterlyReportFactory(project=project, quarter=1, status="approved", budget_disbursed=Decimal("50000"))
    text = draft_executive_summary(office_a, 2569)
    assert "1 โครงการ" in text and "200,000.00 บาท" in text and "50,000.00 บาท" in text and "ร้อยละ 25.00" in text


def test_digit_pass_leaves_markup_alone():
    html = '<style>h1{width:12pt}</style><a href="#s-12" class="c3">ปี 2569</a><svg><text>12</text></svg>'
    assert apply_digits(html, "thai") == '<style>h1{width:12pt}</style><a href="#s-12" class="c3">ปี ๒๕๖๙</a><svg><text>12</text></svg>'
    with pytest.raises(ValueError):
        apply_digits(html, "roman")


def test_queries_do_not_grow_with_projects(office_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            p = ProjectFactory(office=office_a)
            IndicatorResultFactory(report=QuarterlyReportFactory(project=p, status="accepted"), indicator=IndicatorFactory(project=p))
            SchoolFactory(office=office_a)

    add(10)
    with CaptureQueriesContext(connection) as ten:
        book_data(office_a, 2569)
    add(30)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        book_data(office_a, 2569)


def test_the_emblem_is_on_the_cover_only_when_it_is_an_image(office_a):
    from django.core.files.base import ContentFile

    ProjectFactory(office=office_a)
    png = io.BytesIO()
    Image.new("RGB", (60, 60), "blue").save(png, format="PNG")

    def images():
        reader = PdfReader(io.BytesIO(build_annual_report_pdf(office_a, 2569)))
        return len({img.data for page in reader.pages for img in page.images})

    without = images()
    office_a.emblem.save("fake.png", ContentFile(b"GIF89a but not really"), save=True)
    try:
        assert images() == without
    finally:
        office_a.emblem.delete(save=True)
    office_a.emblem.save("emblem.png", ContentFile(png.getvalue()), save=True)
    try:
        assert images() == without + 1
    finally:
        office_a.emblem.delete(save=True)
