"""The evaluations in the annual report book (issue 16, "projects evaluated here show their evaluation ... in the
annual report"): read back from the PDF against an independent computation with Python's ``statistics``."""
from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation import services
from reports.annual import build_annual_report_pdf
from reports.annual.data import book_data
from reports.annual.digits import to_thai
from tests.factories import ProjectFactory
from tests.reports.annual.test_book import squash, text_of

pytestmark = pytest.mark.django_db


def _evaluation(office, by, project, ratings_per_response: list[int], *, close: bool, title: str):
    """An evaluation of ``project`` on the satisfaction form; each response rates every rating item with its value."""
    today = timezone.localdate()
    form = services.create_form(office, by=by, title="", standard="satisfaction")
    ev = services.create_evaluation(office, by=by, form=form, title=title, target=project,
                                    opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=3))
    services.open_evaluation(ev, by=by)
    ev.refresh_from_db()
    items = services.form_items(form)
    for value in ratings_per_response:
        data = {f"item-{i.pk}": {"rating": str(value), "yes_no": "yes", "number": "3", "text": "",
                                 "choice": (i.choices or [""])[0]}[i.kind] for i in items}
        services.submit_answers(ev, data, items=items, on=today)
    if close:
        services.close_evaluation(ev, by=by)
    ev.refresh_from_db()
    n_ratings = sum(1 for i in items if i.kind == "rating")
    return ev, [v for v in ratings_per_response for _ in range(n_ratings)]


def _two(x: float) -> str:
    return str(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_closed_evaluation_figures_and_open_one_named(office_a, planner_a):
    project = ProjectFactory(office=office_a, fiscal_year=2569, name="โครงการประเมินในเล่ม")
    closed, values = _evaluation(office_a, planner_a, project, [5, 4, 4, 3, 5, 2], close=True, title="ความพึงพอใจปิดแล้ว")
    _evaluation(office_a, planner_a, project, [1, 1], close=False, title="ความพึงพอใจยังเปิด")
    mean, sd = statistics.mean(values), statistics.stdev(values)  # sample S.D., docs/evaluation.md
    band = next(label for low, label in [(4.51, "มากที่สุด"), (3.51, "มาก"), (2.51, "ปานกลาง"), (1.51, "น้อย"), (0, "น้อยที่สุด")]
                if Decimal(_two(mean)) >= Decimal(str(low)))

    flat = squash(text_of(build_annual_report_pdf(office_a, 2569)))
    assert squash("ผลการประเมินแผนปฏิบัติการประจำปีและโครงการ") in flat
    assert flat.count(squash("ผลการประเมินแผนปฏิบัติการประจำปีและโครงการ")) >= 2  # the heading and its contents line
    assert squash("ผลการประเมินโครงการ") in flat
    row = squash(f"{to_thai(_two(mean))}{to_thai(_two(sd))}{band}")
    assert row in flat, (row, mean, sd)
    assert squash("ความพึงพอใจปิดแล้ว") in flat
    assert squash("ความพึงพอใจยังเปิด") in flat and squash("ยังเปิดรับคำตอบ") in flat
    # The open evaluation's answers (all 1) are not summarised: its mean 1.00 appears nowhere as a figure row.
    assert squash(f"{to_thai('1.00')}–น้อยที่สุด") not in flat
    assert closed.status == "closed"


def test_the_plan_evaluation_names_confirmed_and_suggested_judgements(office_a, planner_a):
    from plans.evaluation_services import confirm_judgement

    p1 = ProjectFactory(office=office_a, fiscal_year=2569, name="โครงการยืนยันแล้ว")
    ProjectFactory(office=office_a, fiscal_year=2569, name="โครงการยังไม่ยืนยัน")
    confirm_judgement(p1, by=planner_a, judgement="achieved", comment="ผลงานเด่นตามรายงาน")
    flat = squash(text_of(build_annual_report_pdf(office_a, 2569)))
    assert squash("สรุประดับแผน") in flat and squash("ผลการพิจารณารายโครงการ") in flat
    assert squash("ผลงานเด่นตามรายงาน") in flat
    assert squash("ยังไม่ได้ยืนยัน") in flat


def test_queries_do_not_grow_with_evaluated_projects(office_a, planner_a, django_assert_max_num_queries):
    def add(n):
        for k in range(n):
            p = ProjectFactory(office=office_a, fiscal_year=2569)
            _evaluation(office_a, planner_a, p, [4, 5], close=k % 2 == 0, title=f"ประเมิน {p.code}")

    add(10)
    with CaptureQueriesContext(connection) as ten:
        data = book_data(office_a, 2569)
    assert data.evaluation.evaluated_projects == 10
    add(30)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        data = book_data(office_a, 2569)
    assert data.evaluation.evaluated_projects == 40


def test_the_plan_evaluation_prints_no_unreviewed_figure(office_a):
    """The plan evaluation page's facts count reports still waiting for review; the book must not print them."""
    from tests.factories import QuarterlyReportFactory

    project = ProjectFactory(office=office_a, fiscal_year=2569, budget=Decimal("100000"))
    QuarterlyReportFactory(project=project, quarter=1, status="accepted", budget_disbursed=Decimal("1000"))
    QuarterlyReportFactory(project=project, quarter=2, status="submitted", budget_disbursed=Decimal("5000"))
    assert book_data(office_a, 2569).evaluation.plan.rows[0].disbursed == Decimal("6000")  # the page's counting
    flat = squash(text_of(build_annual_report_pdf(office_a, 2569)))
    assert squash("ผลการพิจารณารายโครงการ") in flat
    assert squash(to_thai("6,000.00")) not in flat and squash(to_thai("6.00")) not in flat
