"""The annual report's numbers on the demo office, recomputed independently, and its PDF read back."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport
from reports.models import ReportJob
from reports.selectors import annual_report_data
from reports.services import build_annual_report_pdf
from tests.factories import IndicatorFactory, IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")
COUNTED = {"submitted", "accepted", "approved"}
# Due dates of FY 2569 quarterly reports, counted by hand on the 2025-2026 Thai holiday calendar
# (5 working days after each quarter's end; see tests/emes/test_fiscal.py).
DUE = {1: dt.date(2026, 1, 9), 2: dt.date(2026, 4, 8), 3: dt.date(2026, 7, 7), 4: dt.date(2026, 10, 7)}


@pytest.fixture
def demo(demo_office, db):
    """The demo office, loaded once for the module (tests/conftest.py); the tests only read it."""
    return demo_office


def expected_figures(office):
    """The report's figures computed the slow, obvious way, row by row."""
    projects = list(Project.objects.filter(office=office, fiscal_year=2569))
    reports = list(QuarterlyReport.objects.filter(project__in=projects))
    disbursed = defaultdict(Decimal)
    for r in reports:
        if r.status in COUNTED:
            disbursed[r.project_id] += r.budget_disbursed
    by_strategy = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    by_division = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for p in projects:
        for bucket, key in ((by_strategy, p.strategy.code), (by_division, p.division.code)):
            bucket[key][0] += 1
            bucket[key][1] += p.budget
            bucket[key][2] += disbursed[p.pk]
    achievement = {"achieved": 0, "not_achieved": 0, "not_reported": 0}
    for ind in Indicator.objects.filter(project__in=projects):
        counted = [r for r in IndicatorResult.objects.filter(indicator=ind) if r.report.status in COUNTED]
        if not counted:
            achievement["not_reported"] += 1
            continue
        actual = max(counted, key=lambda r: r.report.quarter).actual
        met = actual >= ind.target if ind.direction == "gte" else actual <= ind.target
        achievement["achieved" if met else "not_achieved"] += 1
    timeliness = {}
    for q in (1, 2, 3, 4):
        dates = [r.submitted_at.astimezone(BANGKOK).date() for r in reports if r.quarter == q and r.status in COUNTED and r.submitted_at]
        on_time = sum(d <= DUE[q] for d in dates)
        timeliness[q] = (len(projects), on_time, len(dates) - on_time, len(projects) - len(dates))
    return {
        "projects": len(projects),
        "budget": sum((p.budget for p in projects), Decimal(0)),
        "disbursed": sum(disbursed.values(), Decimal(0)),
        "by_strategy": {k: tuple(v) for k, v in by_strategy.items()},
        "by_division": {k: tuple(v) for k, v in by_division.items()},
        "achievement": achievement,
        "timeliness": timeliness,
    }


def test_report_numbers_match_an_independent_computation(demo):
    data = annual_report_data(demo, 2569)
    expected = expected_figures(demo)
    assert data.project_count == expected["projects"] == 40
    assert data.total.budget == expected["budget"]
    assert data.total.disbursed == expected["disbursed"]
    assert {r.code: (r.projects, r.budget, r.disbursed) for r in data.by_strategy} == expected["by_strategy"]
    assert {r.code: (r.projects, r.budget, r.disbursed) for r in data.by_division} == expected["by_division"]
    assert data.achievement_counts == expected["achievement"]
    assert {t.quarter: (t.expected, t.on_time, t.late, t.missing) for t in data.timeliness} == expected["timeliness"]
    assert [t.due_date for t in data.timeliness] == [DUE[q] for q in (1, 2, 3, 4)]
    # The demo is a realistic mix, so every category is present.
    assert all(expected["achievement"].values())
    assert all(late and missing for _, _, late, missing in expected["timeliness"].values())


def test_drafts_and_returned_reports_do_not_count(office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("100000"))
    indicator = IndicatorFactory(project=project, target=Decimal("50"))
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project, quarter=1, budget_disbursed=Decimal("1000")), indicator=indicator, actual=Decimal("40"))
    IndicatorResultFactory(
        report=QuarterlyReportFactory(project=project, quarter=2, status="draft", budget_disbursed=Decimal("5000")), indicator=indicator, actual=Decimal("90")
    )
    QuarterlyReportFactory(project=project, quarter=3, status="returned", budget_disbursed=Decimal("7000"))
    data = annual_report_data(office_a, 2569)
    assert data.total.disbursed == Decimal("1000")
    assert data.achievement_counts == {"achieved": 0, "not_achieved": 1, "not_reported": 0}


def test_at_most_indicator_is_achieved_below_target(office_a):
    project = ProjectFactory(office=office_a)
    indicator = IndicatorFactory(project=project, target=Decimal("5"), direction="lte")
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project, quarter=4), indicator=indicator, actual=Decimal("3.5"))
    assert annual_report_data(office_a, 2569).achievement_counts["achieved"] == 1


def test_query_count_does_not_grow_with_projects(office_a):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            annual_report_data(office_a, 2569)
        return len(ctx.captured_queries)

    for _ in range(3):
        IndicatorResultFactory(report=QuarterlyReportFactory(project=ProjectFactory(office=office_a)))
    small = count()
    for _ in range(30):
        IndicatorResultFactory(report=QuarterlyReportFactory(project=ProjectFactory(office=office_a)))
    assert count() == small


def test_pdf_text_has_office_year_and_structure(demo):
    pdf = build_annual_report_pdf(demo, 2569)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # SARA AM reads back in its compatibility form (see templates/reports/pdf/_text_seed.html) and
    # lines break between words, so compare NFKC text without whitespace. The book (issue 15) is in
    # one digit style, Thai by default; its chapters are checked in tests/reports/annual/.
    flat = squash(text)
    for phrase in (
        "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต ๒",
        "สารบัญ",
        "ผลการดำเนินงาน",
        "จำแนกตามกลุ่มที่รับผิดชอบ",
        "ผลการใช้งบประมาณ",
    ):
        assert squash(phrase) in flat, phrase
    budget = f"{annual_report_data(demo, 2569).total.budget:,.2f}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert budget in text
    assert len(reader.pages) >= 10
    assert reader.outline, "headings become PDF bookmarks"


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_pdf_embeds_a_thai_font(demo):
    pdf = build_annual_report_pdf(demo, 2569)
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Laksaman" in f or "Sarabun" in f for f in fonts), fonts


class TestCommand:
    def test_writes_the_pdf_and_keeps_a_job(self, demo, tmp_path):
        out = tmp_path / "report.pdf"
        call_command("annual_report", office="5402", fiscal_year=2569, output=str(out), stdout=io.StringIO())
        assert out.read_bytes().startswith(b"%PDF-")
        job = ReportJob.objects.get()
        assert job.status == "done" and job.requested_by is None

    @pytest.mark.parametrize(
        "office, year, message",
        [("9999", 2569, "ไม่พบสำนักงานเขตพื้นที่รหัส 9999"), ("5402", 2026, "ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"), ("5402", 2560, "ไม่พบแผนปฏิบัติการของ สพป.แพร่ เขต 2 ปีงบประมาณ 2560")],
    )
    def test_bad_input_gives_a_clear_message_and_exit_code_2(self, demo, tmp_path, office, year, message):
        out = tmp_path / "report.pdf"
        with pytest.raises(CommandError) as exc:
            call_command("annual_report", office=office, fiscal_year=year, output=str(out))
        assert exc.value.returncode == 2
        assert message in str(exc.value)
        assert not out.exists()
        assert not ReportJob.objects.exists()


