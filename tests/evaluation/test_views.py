"""The evaluation pages: the public link (once per device session, closed/draft refused, throttle), a respondent's
page, another office's staff get 404, building a form from the standard one."""
from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Answer, Evaluation, EvaluationForm, FormItem, Response

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def test_the_public_link_takes_one_answer_per_device_session(client, open_evaluation):
    url = reverse("evaluation:public", args=[open_evaluation.token])
    page = client.get(url)
    assert page.status_code == 200 and "ความพึงพอใจ" in page.content.decode()
    response = client.post(url, full_answers(open_evaluation))
    assert response.status_code == 302 and response.url == reverse("evaluation:public-done", args=[open_evaluation.token])
    again = client.post(url, full_answers(open_evaluation))
    assert again.status_code == 409
    assert "อุปกรณ์นี้ส่งคำตอบของแบบประเมินนี้แล้ว" in again.content.decode()
    assert Response.objects.count() == 1
    assert client.session.get("evaluation_answered") == [open_evaluation.pk]


def test_a_bad_public_answer_shows_the_message_by_item_and_stores_nothing(client, open_evaluation):
    rating = FormItem.objects.filter(section__form=open_evaluation.form, kind="rating").first()
    response = client.post(reverse("evaluation:public", args=[open_evaluation.token]), full_answers(open_evaluation, **{f"item-{rating.pk}": "7"}))
    assert response.status_code == 400
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    assert "ระดับคะแนนต้องเป็นจำนวนเต็ม 1 ถึง 5" in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_the_public_link_of_a_draft_or_closed_evaluation_takes_nothing(client, open_evaluation, planner_a, state):
    if state == "closed":
        services.close_evaluation(open_evaluation, by=planner_a)
    else:
        type(open_evaluation).objects.filter(pk=open_evaluation.pk).update(status="draft")
    url = reverse("evaluation:public", args=[open_evaluation.token])
    page = client.get(url)
    assert page.status_code == 200 and 'id="closed-reason"' in page.content.decode() and 'id="public-answer"' not in page.content.decode()
    assert client.post(url, full_answers(open_evaluation)).status_code == 409
    assert Response.objects.count() == 0


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("evaluation:public", args=["nope"])).status_code == 404


def test_the_throttle_stops_a_flood(client, open_evaluation, settings):
    from django.core.cache import cache

    cache.clear()
    settings.EMES_PUBLIC_ANSWER_LIMIT = 2
    url = reverse("evaluation:public", args=[open_evaluation.token])
    for _ in range(2):
        client.cookies.clear()  # a new device session each time
        assert client.post(url, full_answers(open_evaluation)).status_code == 302
    client.cookies.clear()
    flood = client.post(url, full_answers(open_evaluation))
    assert flood.status_code == 400 and Response.objects.count() == 2
    cache.clear()


def test_a_respondent_answers_and_edits_on_their_page(client, open_evaluation, school_user_a):
    client.force_login(school_user_a)
    url = reverse("evaluation:answer", args=[open_evaluation.pk])
    assert client.get(reverse("evaluation:mine")).status_code == 200
    assert client.post(url, full_answers(open_evaluation, rating=3)).status_code == 302
    assert client.post(url, full_answers(open_evaluation, rating=5)).status_code == 302
    assert Response.objects.filter(user=school_user_a).count() == 1
    page = client.get(url)
    assert page.status_code == 200 and 'value="5" checked' in page.content.decode()


def test_a_user_not_asked_gets_404_on_the_answer_page(client, open_evaluation, viewer_a):
    client.force_login(viewer_a)
    assert client.get(reverse("evaluation:answer", args=[open_evaluation.pk])).status_code == 404


def test_another_offices_staff_get_404_on_forms_evaluations_results_and_documents(client, open_evaluation, outsider_b):
    client.force_login(outsider_b)
    a = open_evaluation.office.area_code
    for name, args in [("evaluation:form", [a, open_evaluation.form_id]), ("evaluation:evaluation", [a, open_evaluation.pk]),
                       ("evaluation:results", [a, open_evaluation.pk]), ("evaluation:report-download", [a, open_evaluation.pk, 1]),
                       ("evaluation:answers-xlsx", [a, open_evaluation.pk]), ("evaluation:qr", [a, open_evaluation.pk]),
                       ("evaluation:evaluations", [a])]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    # Their own office's address with office A's row: still not found.
    b = outsider_b.memberships.get().office.area_code
    assert client.get(reverse("evaluation:results", args=[b, open_evaluation.pk])).status_code == 404


def test_the_plan_officer_builds_a_form_from_the_standard_one(client, planner_a, office_a):
    client.force_login(planner_a)
    response = client.post(reverse("evaluation:form-create", args=[office_a.area_code]), {"standard": "satisfaction", "title": ""})
    form = EvaluationForm.objects.get()
    assert response.status_code == 302 and response.url == reverse("evaluation:form", args=[office_a.area_code, form.pk])
    assert FormItem.objects.filter(section__form=form).count() == 12


def test_editing_a_form_with_answers_is_refused_with_a_message(client, planner_a, open_evaluation):
    services.submit_answers(open_evaluation, full_answers(open_evaluation))
    client.force_login(planner_a)
    form = open_evaluation.form
    before = FormItem.objects.filter(section__form=form).count()
    url = reverse("evaluation:item-add", args=[form.office.area_code, form.pk])
    response = client.post(url, {"section": form.sections.first().pk, "kind": "rating", "text": "ใหม่", "required": "on"}, follow=True)
    assert "แบบประเมินนี้มีผู้ตอบแล้ว แก้ไขไม่ได้" in response.content.decode()
    assert FormItem.objects.filter(section__form=form).count() == before


def test_a_project_owner_evaluates_only_their_project(client, owner_a, office_a, project_a, satisfaction_form):
    from tests.factories import ProjectFactory

    other = ProjectFactory(office=office_a, fiscal_year=2569)
    client.force_login(owner_a)
    url = reverse("evaluation:evaluation-create", args=[office_a.area_code])
    page = client.get(url).content.decode()
    assert f"project:{project_a.pk}" in page and f"project:{other.pk}" not in page
    data = {"form": satisfaction_form.pk, "title": "x", "opens_on": "1/10/2569", "closes_on": "5/10/2569", "public": "on"}
    assert client.post(url, {**data, "target": f"project:{other.pk}"}).status_code == 400
    refused = client.post(url, {**data, "target": ""})  # no target: the plan officer's only
    assert refused.status_code == 200 and "กรุณาเลือกสิ่งที่ประเมินจากรายการ" in refused.content.decode()
    assert Evaluation.objects.count() == 0
    assert client.post(url, {**data, "target": f"project:{project_a.pk}"}).status_code == 302


def test_the_project_page_lists_its_evaluations(client, planner_a, open_evaluation, project_a):
    client.force_login(planner_a)
    page = client.get(reverse("plans:project", args=[project_a.office.area_code, project_a.pk])).content.decode()
    assert open_evaluation.title in page and 'id="evaluate-project"' in page


def test_results_page_queries_do_not_grow(client, planner_a, open_evaluation, django_assert_max_num_queries):
    from .test_results import _bulk

    client.force_login(planner_a)
    url = reverse("evaluation:results", args=[open_evaluation.office.area_code, open_evaluation.pk])
    _bulk(open_evaluation, 3)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    _bulk(open_evaluation, 100)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_report_pdf_is_built_as_a_job_and_downloaded(client, planner_a, open_evaluation, outsider_b):
    from evaluation.models import EvaluationReport
    from evaluation.report_jobs import run_evaluation_report

    services.submit_answers(open_evaluation, full_answers(open_evaluation))
    client.force_login(planner_a)
    a = open_evaluation.office.area_code
    response = client.post(reverse("evaluation:results-pdf", args=[a, open_evaluation.pk]))
    assert response.status_code == 302
    job = EvaluationReport.objects.get()
    assert job.status == "queued"
    run_evaluation_report(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    assert run_evaluation_report(job.pk) is None  # a second worker finds nothing to do
    page = client.get(reverse("evaluation:evaluation", args=[a, open_evaluation.pk])).content.decode()
    assert reverse("evaluation:report-download", args=[a, open_evaluation.pk, job.pk]) in page
    pdf = client.get(reverse("evaluation:report-download", args=[a, open_evaluation.pk, job.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    client.force_login(outsider_b)
    assert client.get(reverse("evaluation:report-download", args=[a, open_evaluation.pk, job.pk])).status_code == 404


def test_a_failed_build_says_why(planner_a, open_evaluation, monkeypatch):
    from evaluation import report_jobs
    from evaluation.models import EvaluationReport

    job = report_jobs.request_evaluation_report(open_evaluation, by=planner_a, enqueue=False)

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(report_jobs, "report_pdf", broken)
    report_jobs.run_evaluation_report(job.pk)
    job = EvaluationReport.objects.get(pk=job.pk)
    assert job.status == "failed" and "font missing" in job.error and not job.file


def test_the_bands_are_configurable_per_form_until_it_has_answers(client, planner_a, satisfaction_form):
    client.force_login(planner_a)
    url = reverse("evaluation:bands", args=[satisfaction_form.office.area_code, satisfaction_form.pk])
    client.post(url, {"bands": "4.21 ดีมาก\n3.41 ดี\n2.61 ปานกลาง\n1.81 พอใช้\n1.00 ปรับปรุง"})
    satisfaction_form.refresh_from_db()
    assert satisfaction_form.bands[0] == [4.21, "ดีมาก"] and len(satisfaction_form.bands) == 5
    bad = client.post(url, {"bands": "4.21 ดีมาก\n3.41 ดี"}, follow=True)  # does not reach 1.00
    assert "1.00" in bad.content.decode()
    satisfaction_form.refresh_from_db()
    assert len(satisfaction_form.bands) == 5
