"""The round report PDF read back: the cover, the schedule and the six standards with their dates, the issue and its
indicators with targets, the results across units, the 80 % standard's verdict, the units' statuses, the
recommendations with their divisions, due dates, statuses and follow-up; BE dates and Thai digits; fixed queries."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from inspections import services
from inspections.outputs.data import round_report
from inspections.outputs.documents import build_round_report_pdf
from tests.factories import SchoolFactory

from .conftest import TODAY, at
from .helpers import flat, pdf_pages

pytestmark = pytest.mark.django_db


def test_report_data(full_round):
    data = round_report(full_round, today=TODAY)
    block, extra = data.blocks  # the file question was typed without an indicator: its own block
    number, yes_no, text = block.results
    assert block.issue.code == "1" and extra.issue is None
    (files,) = extra.results
    assert (number.summary.answered, number.reached, str(number.achievement_pct)) == (3, 1, "33.33")
    assert number.mean_reaches_target is False  # mean 85.17 < target 100
    assert (yes_no.summary.yes, yes_no.summary.no, str(yes_no.achievement_pct)) == (2, 1, "66.67")
    assert text.summary.answered == 3 and files.summary.files == 1
    assert data.rate.on_time == 2 and data.rate.dispatched == 4 and not data.rate.met
    assert data.rec_counts == {"closed": 1, "open": 1, "in_progress": 1} and data.overdue == 1
    assert [r.is_overdue_today for r in data.recommendations] == [False, True, False]
    assert data.schools == 3 and data.divisions == 1


def test_pdf_reads_right(full_round):
    pages = pdf_pages(build_round_report_pdf(full_round, today=TODAY))
    text = "".join(pages)
    # Cover: round, BE fiscal year in Thai digits, office, as-of date.
    assert flat("รายงานผลการตรวจราชการ") in pages[0] and flat("รอบที่ ๑") in pages[0]
    assert flat("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙") in pages[0] and flat("ข้อมูล ณ วันที่ ๑ กรกฎาคม ๒๕๖๙") in pages[0]
    # Schedule in BE with Thai digits, and the six standards with verdicts and their dates.
    assert flat("ประชุมชี้แจงแผนการตรวจราชการ ๑๕ ธันวาคม ๒๕๖๘") in text
    assert flat("๒๓ กุมภาพันธ์ ๒๕๖๙ – ๒๕ กุมภาพันธ์ ๒๕๖๙") in text
    assert text.count(flat("เป็นไปตามมาตรฐาน")) >= 4
    # The issue, its indicator with its target, and results across units.
    assert flat("ประเด็นที่ 1 การอ่านออกเขียนได้ของนักเรียนชั้น ป.1") in text
    assert flat("ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้") in text and flat("100 ร้อยละ") in text
    assert flat("รวม 255.50 · เฉลี่ย 85.17 · ต่ำสุด 70 · สูงสุด 100") in text
    assert flat("ถึงค่าเป้าหมาย 1 หน่วย (ร้อยละ 33.33)") in text
    assert flat("ใช่ 2 หน่วย · ไม่ใช่ 1 หน่วย") in text
    assert flat("ครูขาดแคลนสื่อการสอน") in text and flat("แนบไฟล์หลักฐาน 1 ไฟล์") in text
    # The 80 % standard: 2 of 4 within 30 working days = 50.00 %, missed.
    assert flat("๒ จาก ๔ หน่วย คิดเป็นร้อยละ ๕๐.๐๐ (มาตรฐานไม่น้อยกว่าร้อยละ ๘๐) ไม่ผ่านมาตรฐาน") in text
    # The units' statuses with BE dates; school 3 never answered (9 working days late when the round closed).
    assert flat("99010002 โรงเรียนบ้านทดสอบ 2 ส่งแล้ว 16 ก.พ. 69 18 ก.พ. 69") in text
    assert flat("99010003 โรงเรียนบ้านทดสอบ 3 ยังไม่เริ่ม 16 ก.พ. 69 - - 9") in text
    # Recommendations: divisions, due date (BE, Thai digits), status, closure, follow-up with its evidence file name.
    assert flat("๑. เร่งพัฒนาการอ่านของนักเรียน ป.1 ที่ยังอ่านไม่ออก") in text
    assert flat("กลุ่มที่รับผิดชอบ: กลุ่มส่งเสริมการจัดการศึกษา · กำหนดแล้วเสร็จ ๓๐ มิถุนายน ๒๕๖๙") in text
    assert flat("ตรวจสอบและปิดแล้ว") in text and flat("ปิดเมื่อ ๑๕ พฤษภาคม ๒๕๖๙") in text
    assert flat("จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง") in text and flat("หลักฐาน: ค่ายอ่าน.pdf") in text
    assert flat("กำหนดแล้วเสร็จ ๒๙ พฤษภาคม ๒๕๖๙") in text and flat("เกินกำหนด") in text
    # Page numbers in Thai digits.
    assert flat(f"หน้า ๒ / {len(pages)}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))) in pages[1]


def test_empty_round_renders(cast):
    r = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=3, data={"title": "รอบพิเศษ"})
    text = "".join(pdf_pages(build_round_report_pdf(r, today=dt.date(2026, 3, 1))))
    assert flat("ยังไม่มีประเด็นการตรวจราชการ") in text and flat("ยังไม่ได้ส่งแบบรายงานให้หน่วยรับตรวจ") in text
    assert flat("ยังไม่มีข้อเสนอแนะของผู้ตรวจราชการ") in text


def test_queries_do_not_grow_with_units(cast, full_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        r = type(full_round).objects.select_related("office").get(pk=full_round.pk)
        with CaptureQueriesContext(connection) as ctx:
            round_report(r, today=TODAY)
        return len(ctx.captured_queries)

    few = count()
    schools = [SchoolFactory(office=cast.office, smis_code=f"9903{i:04d}") for i in range(15)]
    services.reopen_round(full_round, by=cast.planner, reason="เพิ่มหน่วยรับตรวจ")
    full_round.refresh_from_db()
    with time_machine.travel(at(2026, 3, 3), tick=False):
        services.dispatch_forms(full_round, by=cast.planner, schools=schools)
    for rec in full_round.recs:
        for k in range(3):
            services.add_recommendation(full_round, by=cast.planner, text=f"ข้อเสนอแนะเพิ่ม {rec.pk}-{k}", divisions=[cast.policy, cast.academic])
    assert count() == few
    assert few <= 14
