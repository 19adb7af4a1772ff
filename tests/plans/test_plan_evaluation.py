"""The evaluation of the annual action plan (issue 16, seeds/000 ข้อ ๕.๓): facts per project beside ratings, the
suggested judgement, the plan officer's confirmation, the summary PDF, query counts."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from emes.models import Role
from evaluation import services as evaluation_services
from plans.evaluation import Judgement, plan_evaluation, suggested_judgement
from plans.evaluation_services import confirm_judgement
from plans.models import ProjectJudgement
from tests.factories import IndicatorFactory, IndicatorResultFactory, MembershipFactory, ProjectFactory, QuarterlyReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("achieved,reported,total,expected", [
    (0, 0, 0, "unknown"), (0, 0, 3, "unknown"), (4, 5, 5, "achieved"), (3, 5, 5, "partly"), (2, 2, 4, "partly"), (1, 4, 4, "not_achieved"),
])
def test_suggested_judgement(achieved, reported, total, expected):
    assert suggested_judgement(achieved, reported, total) == expected


def _project(office, n: int, *, met: bool):
    project = ProjectFactory(office=office, fiscal_year=2569, code=f"P{n:02d}", budget=Decimal("100000"))
    indicator = IndicatorFactory(project=project, target=Decimal("80"), direction="gte")
    report = QuarterlyReportFactory(project=project, quarter=1, status="submitted", budget_disbursed=Decimal("25000"),
                                    submitted_at=timezone.make_aware(dt.datetime(2026, 1, 5, 10)))
    IndicatorResultFactory(report=report, indicator=indicator, actual=Decimal("90") if met else Decimal("50"))
    return project


def test_every_project_has_its_facts_and_ratings(office_a, planner_a, django_assert_max_num_queries):
    projects = [_project(office_a, n, met=n % 2 == 0) for n in range(4)]
    form = evaluation_services.create_form(office_a, by=planner_a, title="", standard="satisfaction")
    today = timezone.localdate()
    ev = evaluation_services.create_evaluation(office_a, by=planner_a, form=form, title="x", target=projects[0], opens_on=today, closes_on=today)
    evaluation_services.open_evaluation(ev, by=planner_a)
    items = evaluation_services.form_items(form)
    for rating in (5, 4):
        evaluation_services.submit_answers(ev, {f"item-{i.pk}": str(rating) if i.kind == "rating" else "" for i in items}, items=items)
    with django_assert_max_num_queries(15):
        data = plan_evaluation(office_a, 2569, today=dt.date(2026, 10, 20))
    assert [r.project.code for r in data.rows] == ["P00", "P01", "P02", "P03"]
    first = data.rows[0]
    assert (first.indicators_achieved, first.indicators_total) == (1, 1)
    assert first.disbursed == Decimal("25000") and first.disbursed_pct == Decimal("25.00")
    assert (first.reports_on_time, first.reports_due) == (1, 4)
    assert first.rating.n == 20 and first.rating.mean == Decimal("4.50") and first.rating.band == "มาก"
    assert [r.suggested for r in data.rows] == ["achieved", "not_achieved", "achieved", "not_achieved"]
    assert data.counts == {"achieved": 2, "not_achieved": 2}
    for n in range(5, 15):
        _project(office_a, n, met=True)
    with django_assert_max_num_queries(15):
        assert len(plan_evaluation(office_a, 2569).rows) == 14


def test_a_judgement_other_than_suggested_needs_a_comment(office_a, planner_a):
    project = _project(office_a, 1, met=True)
    with pytest.raises(ValidationError):
        confirm_judgement(project, by=planner_a, judgement=Judgement.NOT_ACHIEVED)
    assert not ProjectJudgement.objects.exists()
    confirm_judgement(project, by=planner_a, judgement=Judgement.ACHIEVED)
    j = confirm_judgement(project, by=planner_a, judgement=Judgement.PARTLY, comment="กิจกรรมที่ ๓ ไม่ได้จัด")
    assert (j.judgement, j.suggested, j.confirmed_by) == ("partly", "achieved", planner_a)
    assert ProjectJudgement.objects.count() == 1


def test_only_the_plan_officer_confirms_a_judgement_whatever_the_caller(office_a, office_b, viewer_a, director_a):
    """The rule is the service's, not only the page's: another role or another office's plan officer changes nothing."""
    from django.core.exceptions import PermissionDenied

    project = _project(office_a, 1, met=True)
    planner_b = UserFactory(username="planner_b_judge")
    MembershipFactory(user=planner_b, office=office_b, role=Role.PLAN_OFFICER)
    for user in (viewer_a, director_a, planner_b):
        with pytest.raises(PermissionDenied):
            confirm_judgement(project, by=user, judgement=Judgement.ACHIEVED)
    assert not ProjectJudgement.objects.exists()


def test_the_page_the_confirmation_and_the_pdf(client, office_a, planner_a, viewer_a, outsider_b):
    project = _project(office_a, 1, met=True)
    page_url = reverse("plans:plan-evaluation", args=[office_a.area_code, 2569])
    judge_url = reverse("plans:plan-evaluation-judge", args=[office_a.area_code, 2569])
    client.force_login(viewer_a)
    assert client.get(page_url).status_code == 200
    assert client.post(judge_url, {"project": project.pk, "judgement": "achieved"}).status_code == 403
    client.force_login(outsider_b)
    assert client.get(page_url).status_code == 404
    client.force_login(planner_a)
    assert client.post(judge_url, {"project": project.pk, "judgement": "achieved"}).status_code == 302
    assert ProjectJudgement.objects.get().judgement == "achieved"
    pdf = client.get(reverse("plans:plan-evaluation-pdf", args=[office_a.area_code, 2569]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "P01" in text and "บรรลุเป้าหมาย" in text
