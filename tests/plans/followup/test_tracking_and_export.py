"""Indicator tracking by quarter, and the quarter's Excel workbook read back with openpyxl."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Indicator, IndicatorResult

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office_a, make_project, owner_b, strategy_a):
    """Reading (≥ 80): Q1 70 (counted), Q2 85 (counted), Q3 95 (draft: not shown);
    dropouts (≤ 5): Q2 8; silent: never reported; a strategy indicator reported in Q2."""
    reading_project = make_project("69-001", name="=HYPERLINK(\"http://evil\",\"x\")", budget="200000")
    other = make_project("69-002", division=1, owner=owner_b, name="+โครงการนิเทศ", budget="80000")
    reading = Indicator.objects.create(project=reading_project, name="ร้อยละนักเรียนอ่านออก", unit="ร้อยละ", target=Decimal("80"))
    dropouts = Indicator.objects.create(project=reading_project, name="ออกกลางคัน", unit="คน", target=Decimal("5"), direction="lte")
    silent = Indicator.objects.create(project=other, name="ยังไม่รายงาน", unit="ครั้ง", target=Decimal("2"))
    frame = Indicator.objects.create(strategy=strategy_a, name="ร้อยละโรงเรียนผ่านเกณฑ์", unit="ร้อยละ", target=Decimal("70"))
    q1 = report(reading_project, 1, status="approved", disbursed="30000", progress=20, implementation="in_progress")
    q2 = report(reading_project, 2, status="accepted", disbursed="50000", progress=60)
    q3 = report(reading_project, 3, status="draft", disbursed="99999", progress=90)
    report(other, 2, status="returned", disbursed="10000")
    IndicatorResult.objects.create(report=q1, indicator=reading, actual=Decimal("70"))
    IndicatorResult.objects.create(report=q2, indicator=reading, actual=Decimal("85"))
    IndicatorResult.objects.create(report=q3, indicator=reading, actual=Decimal("95"))
    IndicatorResult.objects.create(report=q2, indicator=dropouts, actual=Decimal("8"))
    IndicatorResult.objects.create(report=q2, indicator=frame, actual=Decimal("75"))
    return {"reading": reading, "dropouts": dropouts, "silent": silent, "frame": frame, "projects": (reading_project, other)}


def test_tracking_by_quarter(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    response = client.get(reverse("plans:indicator-tracking", args=[office_a.area_code, 2569]))
    assert response.status_code == 200
    rows = {t.indicator.pk: t for t in response.context["data"].rows}
    reading = rows[world["reading"].pk]
    assert [r.actual if r else None for r in reading.quarters] == [Decimal("70"), Decimal("85"), None, None]  # the Q3 draft does not count
    assert [met for _r, met in reading.cells] == [False, True, None, None]
    assert reading.row.achievement == "achieved"
    assert rows[world["dropouts"].pk].row.achievement == "not_achieved"
    assert rows[world["silent"].pk].row.achievement == "not_reported"
    assert rows[world["frame"].pk].quarters[1].actual == Decimal("75") and rows[world["frame"].pk].row.strategy is not None
    html = response.content.decode()
    assert 'id="tracking"' in html and "ร้อยละนักเรียนอ่านออก" in html


def test_tracking_filters(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    response = client.get(reverse("plans:indicator-tracking", args=[office_a.area_code, 2569]), {"achievement": "not_reported"})
    assert [t.indicator.pk for t in response.context["data"].rows] == [world["silent"].pk]


def _workbook(client, office, quarter: int):
    response = client.get(reverse("plans:quarter-export", args=[office.area_code, 2569, quarter]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"q{quarter}.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_export_of_a_quarter(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    wb = _workbook(client, office_a, 2)
    assert wb.sheetnames == ["สรุป", "กลุ่มนโยบายฯ", "กลุ่มนิเทศฯ"]  # summary first, then divisions by code
    sheet = wb["กลุ่มนโยบายฯ"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["รหัส", "โครงการ", "ผู้รับผิดชอบโครงการ", "สถานะรายงาน"]
    row = {h: c for h, c in zip(headers, sheet[2])}
    name = row["โครงการ"]
    assert name.value == '=HYPERLINK("http://evil","x")' and name.data_type == "s" and name.quotePrefix  # text, not a formula
    assert row["สถานะรายงาน"].value == "ตรวจรับแล้ว"  # the status of the Q2 report
    assert row["ความก้าวหน้า (ร้อยละ)"].value == 60
    assert row["งบประมาณ (บาท)"].value == 200000 and isinstance(row["งบประมาณ (บาท)"].value, (int, float))
    assert row["เบิกจ่ายในไตรมาส (บาท)"].value == 50000
    assert row["เบิกจ่ายสะสม (บาท)"].value == 80000
    assert row["เบิกจ่ายสะสม (ร้อยละ)"].value == 40
    assert (row["ตัวชี้วัดที่บรรลุ"].value, row["ตัวชี้วัด"].value) == (1, 2)  # reading 85 ≥ 80; dropouts 8 > 5

    other = {h: c for h, c in zip(headers, wb["กลุ่มนิเทศฯ"][2])}
    assert other["โครงการ"].value == "+โครงการนิเทศ" and other["โครงการ"].data_type == "s"
    assert other["เบิกจ่ายในไตรมาส (บาท)"].value == 0  # a returned report does not count
    assert other["สถานะรายงาน"].value == "ส่งกลับแก้ไข"

    summary = wb["สรุป"]
    texts = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert "ไตรมาส 2" in texts[0] and "2569" in texts[0]
    assert 2 in texts and "รวม" in texts


def test_export_of_q1_counts_up_to_q1(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    sheet = _workbook(client, office_a, 1)["กลุ่มนโยบายฯ"]
    headers = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(headers, sheet[2])}
    assert row["เบิกจ่ายสะสม (บาท)"] == 30000
    assert row["ตัวชี้วัดที่บรรลุ"] == 0  # reading was 70 in Q1


def test_sheet_titles_are_valid_and_unique():
    from emes.output.excel import sheet_title

    taken: set[str] = set()
    first = sheet_title("กลุ่ม/งาน [พิเศษ]: ส่งเสริม*การศึกษา?ทางไกล เทคโนโลยีสารสนเทศ", taken)
    second = sheet_title("กลุ่ม/งาน [พิเศษ]: ส่งเสริม*การศึกษา?ทางไกล เทคโนโลยีสารสนเทศ", taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)
    # A long name is cut between words, never inside "(DLICT)".
    assert sheet_title("กลุ่มส่งเสริมการศึกษาทางไกล (DLICT) เทคโนโลยี", set()) == "กลุ่มส่งเสริมการศึกษาทางไกล"


@pytest.mark.parametrize("quarter", [0, 5])
def test_export_quarter_outside_1_to_4_is_not_found(client, viewer_a, office_a, quarter):
    client.force_login(viewer_a)
    assert client.get(f"/o/{office_a.area_code}/monitoring/2569/q{quarter}/export/").status_code == 404
