"""The edit page: the draft created on first GET, the form with its version, bad input shown and nothing stored."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import QuarterlyReport
from plans.monitoring import services
from tests.factories import IndicatorFactory

from .conftest import move, snapshot

pytestmark = pytest.mark.django_db


def url(project, quarter=1):
    return reverse("plans:report-edit", args=[project.office.area_code, project.pk, quarter])


def form_data(report, **overrides):
    """A full POST of the edit page for ``project_a`` (OBEC, area, other; its indicators in id order)."""
    report.refresh_from_db()
    indicators = list(report.project.indicators.order_by("id"))
    data = {
        "version": report.version, "implementation": "in_progress", "progress": 40,
        "activities_done": "อบรมครู", "outcomes": "ครูผ่านการอบรม 45 คน", "problems": "", "suggestions": "",
        "money-TOTAL_FORMS": 3, "money-INITIAL_FORMS": 3, "money-MIN_NUM_FORMS": 3, "money-MAX_NUM_FORMS": 3,
        "money-0-source": "obec", "money-0-amount": "50000", "money-1-source": "area", "money-1-amount": "", "money-2-source": "other",
        "money-2-amount": "",
        "results-TOTAL_FORMS": len(indicators), "results-INITIAL_FORMS": len(indicators), "results-MIN_NUM_FORMS": 0, "results-MAX_NUM_FORMS": 200,
    }
    for n, indicator in enumerate(indicators):
        data[f"results-{n}-indicator"] = indicator.pk
        if indicator.is_percentage:
            data.update({f"results-{n}-numerator": "120", f"results-{n}-denominator": "150"})
        else:
            data[f"results-{n}-actual"] = "45"
    data.update(overrides)
    return data


def test_first_get_starts_the_draft(client, owner_a, project_a, count_indicator, pct_indicator):
    client.force_login(owner_a)
    page = client.get(url(project_a))
    assert page.status_code == 200
    report = QuarterlyReport.objects.get(project=project_a, quarter=1)
    assert report.status == "draft"
    html = page.content.decode()
    assert 'name="version" value="1"' in html and "results-1-numerator" in html and "money-0-amount" in html


def test_the_owner_saves_and_submits(client, owner_a, project_a, count_indicator, pct_indicator):
    client.force_login(owner_a)
    client.get(url(project_a))
    report = QuarterlyReport.objects.get(project=project_a, quarter=1)
    page = client.post(url(project_a), form_data(report))
    assert page.status_code == 302 and page["Location"].endswith(f"/reports/1/")
    report.refresh_from_db()
    assert report.version == 2 and report.budget_disbursed == Decimal("50000") and report.status == "draft"
    assert sorted(report.results.values_list("actual", flat=True)) == [Decimal("45"), Decimal("80.00")]
    client.post(url(project_a), {**form_data(report), "and_submit": "1"})
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_plan_officer_may_edit(client, planner_a, draft):
    client.force_login(planner_a)
    assert client.get(url(draft.project)).status_code == 200
    assert client.post(url(draft.project), form_data(draft)).status_code == 302


@pytest.mark.parametrize("who", ["other_owner_a", "viewer_a", "director_a", "head_a"])
def test_other_staff_get_403(request, client, draft, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(draft.project)).status_code == 403
    before = snapshot(draft)
    assert client.post(url(draft.project), form_data(draft)).status_code == 403
    assert snapshot(draft) == before


def test_a_future_quarter_is_refused_by_url(client, owner_a, project_a):
    client.force_login(owner_a)
    page = client.get(url(project_a, 3), follow=True)
    assert page.redirect_chain[-1][0].endswith("/reports/3/")
    assert "ยังไม่เริ่ม" in page.content.decode()
    assert not QuarterlyReport.objects.filter(project=project_a).exists()


def test_a_locked_report_redirects_with_a_message(client, owner_a, planner_a, director_a, draft):
    move(draft, "approved", owner=owner_a, planner=planner_a, director=director_a)
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(url(draft.project), form_data(draft), follow=True)
    assert page.redirect_chain and "อนุมัติแล้วและถูกล็อก" in page.content.decode()
    assert snapshot(draft) == before


def test_two_sessions_the_second_save_is_refused(client, owner_a, planner_a, draft):
    from django.test import Client

    owner, planner = client, Client()
    owner.force_login(owner_a)
    planner.force_login(planner_a)
    assert 'name="version" value="1"' in owner.get(url(draft.project)).content.decode()
    assert 'name="version" value="1"' in planner.get(url(draft.project)).content.decode()
    owner_post = form_data(draft, outcomes="ฉบับของเจ้าของโครงการ")
    planner_post = form_data(draft, outcomes="ฉบับของนักวิเคราะห์", progress=90)
    assert owner.post(url(draft.project), owner_post).status_code == 302
    kept = snapshot(draft)
    page = planner.post(url(draft.project), planner_post)
    assert page.status_code == 409
    html = page.content.decode()
    assert "ผู้อื่นบันทึกรายงานนี้ไปแล้ว" in html and 'id="reload"' in html
    assert snapshot(draft) == kept and kept["fields"]["outcomes"] == "ฉบับของเจ้าของโครงการ"


@pytest.mark.parametrize("overrides, shown", [
    ({"money-0-amount": "-100"}, "ติดลบ"),
    ({"money-0-amount": "250000"}, "200,000.00"),
    ({"progress": "101"}, "0 ถึง 100"),
    ({"results-1-numerator": "151"}, "ตัวตั้ง"),
    ({"results-1-denominator": "0"}, "ตัวหาร"),
])
def test_bad_input_is_shown_and_nothing_stored(client, owner_a, draft, count_indicator, pct_indicator, overrides, shown):
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(url(draft.project), form_data(draft, **overrides))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="problems"' in html and shown in html
    assert snapshot(draft) == before


def test_a_tampered_result_for_another_projects_indicator(client, owner_a, draft, count_indicator, other_project_a):
    foreign = IndicatorFactory(project=other_project_a)
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(url(draft.project), form_data(draft, **{"results-0-indicator": foreign.pk}))
    assert page.status_code == 200 and str(foreign.pk) in page.content.decode()
    assert snapshot(draft) == before and not foreign.results.exists()


def test_returned_comment_shown_to_the_owner(client, owner_a, planner_a, draft):
    services.submit_report(draft, by=owner_a)
    services.return_report(draft, by=planner_a, comment="เพิ่มผลตัวชี้วัดที่ 2")
    client.force_login(owner_a)
    html = client.get(url(draft.project)).content.decode()
    assert 'id="returned-comment"' in html and "เพิ่มผลตัวชี้วัดที่ 2" in html


def test_evidence_comes_with_the_first_save_and_a_bad_file_saves_nothing(client, owner_a, project_a, count_indicator, pct_indicator):
    from .files import EXE, PDF, upload

    client.force_login(owner_a)
    assert 'name="evidence"' in client.get(url(project_a)).content.decode()  # on the form, before any save
    report = QuarterlyReport.objects.get(project=project_a, quarter=1)
    before = snapshot(report)
    page = client.post(url(project_a), {**form_data(report), "evidence": [upload("ภาพกิจกรรม.pdf", PDF), upload("virus.pdf", EXE)]})
    assert page.status_code == 200 and "virus.pdf" in page.content.decode()
    assert snapshot(report) == before  # nothing saved, not even the good file
    page = client.post(url(project_a), {**form_data(report), "evidence": [upload("ภาพกิจกรรม.pdf", PDF)]})
    assert page.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and list(report.evidence.values_list("original_name", flat=True)) == ["ภาพกิจกรรม.pdf"]
