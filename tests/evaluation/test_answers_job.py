"""The raw answers workbook is built as a job like the report PDF (issue 16; bench/README.md: 5,000 answers take
seconds): POST queues it, a worker builds it, the evaluation page offers it; another office's staff get 404."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import services
from evaluation.models import EvaluationReport
from evaluation.report_jobs import run_evaluation_report

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def test_the_answers_workbook_is_a_job_and_downloaded(client, planner_a, open_evaluation, outsider_b):
    for rating in (5, 3, 4):
        services.submit_answers(open_evaluation, full_answers(open_evaluation, rating=rating))
    a = open_evaluation.office.area_code
    url = reverse("evaluation:answers-xlsx", args=[a, open_evaluation.pk])
    client.force_login(planner_a)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url.endswith("#reports")
    job = EvaluationReport.objects.get()
    assert (job.kind, job.status) == ("xlsx", "queued")
    run_evaluation_report(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.file.name.endswith(".xlsx")
    page = client.get(reverse("evaluation:evaluation", args=[a, open_evaluation.pk])).content.decode()
    download = reverse("evaluation:report-download", args=[a, open_evaluation.pk, job.pk])
    assert download in page and 'data-kind="xlsx"' in page
    got = client.get(download)
    assert got["Content-Type"].startswith("application/vnd.openxmlformats") and "attachment" in got["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(got.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 and [r[0] for r in rows[1:]] == [1, 2, 3]
    client.force_login(outsider_b)
    assert client.post(url).status_code == 404 and client.get(download).status_code == 404
    assert EvaluationReport.objects.count() == 1


def test_a_formula_in_an_open_answer_stays_text(open_evaluation):
    from evaluation.models import FormItem
    from evaluation.outputs import answers_workbook

    text_item = FormItem.objects.filter(section__form=open_evaluation.form, kind="text").first()
    services.submit_answers(open_evaluation, full_answers(open_evaluation, **{f"item-{text_item.pk}": "=1+1"}))
    ws = load_workbook(io.BytesIO(answers_workbook(open_evaluation))).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_queued_build_starts_through_emes_jobs_start(planner_a, open_evaluation, monkeypatch, django_capture_on_commit_callbacks):
    """Like every job, after commit through ``emes.jobs.start``: with no broker (the embedded default) a thread builds,
    so the request never waits for (or, eager, runs) the build itself."""
    from emes import jobs
    from evaluation import report_jobs, tasks

    started, delayed = [], []
    monkeypatch.setattr(jobs, "start", lambda task, *args: started.append((task, *args)))
    monkeypatch.setattr(tasks.build_evaluation_report_task, "delay", lambda *args: delayed.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        job = report_jobs.request_evaluation_report(open_evaluation, by=planner_a)
    assert started == [(tasks.build_evaluation_report_task, job.pk)] and delayed == []
