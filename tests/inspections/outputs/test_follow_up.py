"""The recommendations follow-up report: counts per (round, division) and status, overdue ones, each one's latest
follow-up; carried recommendations counted in both rounds; the page, its PDF and its workbook; the fiscal year
typed in CE or as nonsense; fixed queries."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inspections import services
from inspections.outputs.data import follow_up_report
from inspections.outputs.documents import follow_up_pdf
from inspections.outputs.exports import follow_up_workbook

from .conftest import TODAY, at
from .helpers import flat, pdf_pages, sheet_rows, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(cast, full_round):
    """Round 2/2569 with the two still-open recommendations of round 1 carried into it."""
    with time_machine.travel(at(2026, 6, 1), tick=False):
        r2 = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=2, confirm=True,
                                   data={"visit_starts_on": dt.date(2026, 8, 17), "visit_ends_on": dt.date(2026, 8, 19)})
        carried = services.carry_recommendations(full_round, r2, by=cast.planner)
    return full_round, r2, carried


def test_counts(cast, full_round):
    report = follow_up_report(cast.office, 2569, today=TODAY)
    rows = {(row.round.number, row.division_code): row for row in report.rows}
    assert set(rows) == {(1, "02"), (1, "05")}
    academic, policy = rows[(1, "05")], rows[(1, "02")]
    assert (academic.counts["closed"], academic.counts["in_progress"], academic.total, academic.overdue) == (1, 1, 2, 0)
    assert (policy.counts["open"], policy.counts["in_progress"], policy.total, policy.overdue) == (1, 1, 2, 1)
    assert report.total == 3 and report.overdue == 1 and report.still_open == 2
    assert report.totals == {"open": 1, "in_progress": 1, "done": 0, "closed": 1, "carried": 0}
    rec1, rec2, rec3 = report.recommendations
    assert rec1.latest.text == "จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง" and rec2.latest is None and rec2.overdue
    assert rec3.latest.text == "วางแผนนิเทศภาคเรียนที่ 1"


def test_carried_recommendations_count_in_both_rounds(cast, two_rounds):
    r1, r2, carried = two_rounds
    assert len(carried) == 2
    report = follow_up_report(cast.office, 2569, today=TODAY)
    rows = {(row.round.number, row.division_code): row for row in report.rows}
    assert rows[(1, "02")].counts["carried"] == 2 and rows[(1, "05")].counts["carried"] == 1
    # The copies keep their status and due date: the overdue one stays overdue, in round 2; the originals are carried.
    assert (rows[(2, "02")].counts["open"], rows[(2, "02")].counts["in_progress"], rows[(2, "05")].counts["in_progress"]) == (1, 1, 1)
    assert report.total == 5 and report.totals["carried"] == 2
    assert report.overdue == 1 and rows[(2, "02")].overdue == 1 and rows[(1, "02")].overdue == 0
    assert [r.round.number for r in report.recommendations] == [1, 1, 1, 2, 2]
    assert report.recommendations[3].carried_from.round.number == 1
    # Another fiscal year: nothing.
    assert follow_up_report(cast.office, 2570, today=TODAY).rows == []


def test_page(client, cast, full_round):
    client.force_login(cast.director)
    url = reverse("inspection-reports:follow-up", args=[cast.office.area_code])
    with time_machine.travel(at(2026, 7, 1), tick=False):
        response = client.get(url, {"fy": 2569})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-round="1" data-division="02" class="table-danger"' in html
    assert 'data-overdue="1"' in html and html.count('data-overdue="1"') == 1
    assert "จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง" in html
    assert reverse("inspection-reports:follow-up-pdf", args=[cast.office.area_code]) + "?fy=2569" in html


def test_page_queries_do_not_grow(client, cast, two_rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.planner)
    url = reverse("inspection-reports:follow-up", args=[cast.office.area_code])
    client.get(url, {"fy": 2569})
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, {"fy": 2569})
    few = len(ctx.captured_queries)
    r1, r2, _c = two_rounds
    for k in range(8):
        rec = services.add_recommendation(r2, by=cast.planner, text=f"ข้อเสนอแนะ {k}", divisions=[cast.policy, cast.academic],
                                          due_on=dt.date(2026, 6, 1))
        services.add_follow_up(rec, by=cast.head, text=f"ดำเนินการ {k}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, {"fy": 2569})
    assert len(ctx.captured_queries) == few


@pytest.mark.parametrize("fy, message", [
    ("2026", "ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"), ("abc", "กรุณาพิมพ์ปีงบประมาณเป็นพุทธศักราช เช่น 2569"), ("1999", "ปี 1999 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2542)"), ("3000", "กรุณาพิมพ์ปีงบประมาณเป็นพุทธศักราช เช่น 2569"),
])
def test_bad_fiscal_year_says_so_and_shows_the_current_year(client, cast, full_round, fy, message):
    client.force_login(cast.planner)
    with time_machine.travel(at(2026, 7, 1), tick=False):
        response = client.get(reverse("inspection-reports:follow-up", args=[cast.office.area_code]), {"fy": fy})
    assert response.status_code == 200
    assert response.context["data"].fiscal_year == 2569
    assert 'id="fy-problem"' in response.content.decode() and response.context["problem"] == message


def test_pdf(cast, two_rounds):
    text = "".join(pdf_pages(follow_up_pdf(follow_up_report(cast.office, 2569, today=TODAY))))
    assert flat("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙") in text and flat("ข้อมูล ณ วันที่ ๑ กรกฎาคม ๒๕๖๙") in text
    assert flat("1 กลุ่มนโยบายและแผน 0 0 0 0 2 2 0") in text
    assert flat("ข้อเสนอแนะทั้งหมด (นับข้อละครั้ง) 1 1 0 1 2 5 1") in text
    assert flat("ยกมาจากรอบที่ 1/2569") in text


def test_workbook(cast, full_round):
    wb = workbook(follow_up_workbook(follow_up_report(cast.office, 2569, today=TODAY)))
    counts = sheet_rows(wb.worksheets[0], 4)
    assert counts[0][:2] == ["1/2569", "กลุ่มนโยบายและแผน"] and counts[0][2:] == [1, 1, 0, 0, 0, 2, 2, 1]
    assert counts[-1][2:] == [1, 1, 0, 1, 0, 3, 2, 1]
    recs = sheet_rows(wb.worksheets[1], 4)
    assert len(recs) == 3 and recs[1][5] == dt.datetime(2026, 5, 29) and recs[1][7]
    assert recs[0][9] == "จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง"
