"""Document builds (``emes.documents``, issue 18): the request only queues, a second request reuses the unfinished
build, the job runs the registered builder with progress and ends DONE or FAILED with a reason, a stale build is
requeued, and only the staff of the job's office reach its status and file (404 otherwise)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from emes.documents.jobs import DOCUMENT_JOB
from emes.documents.models import DocumentJob
from emes.documents.registry import document_kind, register_document
from emes.documents.services import request_document, run_document
from emes.models import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


def _fake_build(job, progress):
    CALLS.append(job.pk)
    progress(50)
    assert DocumentJob.objects.get(pk=job.pk).progress == 50  # progress reaches the row while it runs
    if job.params.get("fail"):
        raise RuntimeError("boom")
    return f"fake-{job.target_id}.pdf", b"%PDF-1.7 fake"


register_document("tests.fake", "fake", _fake_build)


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


def test_an_unknown_kind_is_refused(office_a, planner_a):
    with pytest.raises(LookupError):
        request_document(office_a, "tests.nothing", 1, by=planner_a)
    with pytest.raises(LookupError):
        document_kind("tests.nothing")


def test_the_request_queues_on_the_broker_and_never_builds(office_a, planner_a, django_capture_on_commit_callbacks):
    # The tests run with the real Redis broker (CELERY_BROKER_URL): the job goes to a worker, not a thread.
    assert settings.CELERY_BROKER_URL.startswith("redis://") and not settings.EMES_JOBS_IN_THREAD
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, created = request_document(office_a, "tests.fake", 7, by=planner_a)
    assert created and len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.QUEUED and CALLS == []


def test_a_second_request_reuses_the_unfinished_build(office_a, planner_a, viewer_a):
    first, created = request_document(office_a, "tests.fake", 7, by=planner_a)
    again, created_again = request_document(office_a, "tests.fake", 7, by=viewer_a)
    assert created and not created_again and again.pk == first.pk
    other, created_other = request_document(office_a, "tests.fake", 8, by=planner_a)
    assert created_other and other.pk != first.pk
    run_document(first.pk)
    newer, created_newer = request_document(office_a, "tests.fake", 7, by=planner_a)  # a finished one is rebuilt
    assert created_newer and newer.pk != first.pk
    assert DocumentJob.objects.filter(office=office_a, kind="tests.fake", target_id=7).count() == 2


def test_the_job_builds_once_and_stores_the_file(office_a, planner_a):
    job, _ = request_document(office_a, "tests.fake", 7, by=planner_a)
    done = run_document(job.pk)
    assert done.status == DocumentJob.Status.DONE and done.progress == 100 and done.finished_at
    assert done.filename == "fake-7.pdf" and done.file.read() == b"%PDF-1.7 fake"
    assert run_document(job.pk) is None and CALLS == [job.pk]  # a redelivered task does nothing


def test_a_failing_builder_fails_the_job_with_the_reason(office_a, planner_a):
    job, _ = request_document(office_a, "tests.fake", 7, by=planner_a, params={"fail": True})
    failed = run_document(job.pk)
    assert failed.status == DocumentJob.Status.FAILED and "boom" in failed.error and not failed.file
    again, created = request_document(office_a, "tests.fake", 7, by=planner_a)  # a failed build may be asked again
    assert created and again.pk != job.pk


def test_a_stale_build_is_requeued_when_asked_again(office_a, planner_a):
    job, _ = request_document(office_a, "tests.fake", 7, by=planner_a)
    long_ago = timezone.now() - dt.timedelta(seconds=DOCUMENT_JOB.time_limit() + 60)
    DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.Status.RUNNING, heartbeat_at=long_ago, attempts=1, progress=40)
    again, created = request_document(office_a, "tests.fake", 7, by=planner_a)
    assert not created and again.pk == job.pk
    assert (again.status, again.progress) == (DocumentJob.Status.QUEUED, 0)


def _status_and_file(client, job):
    code = job.office.area_code
    return (client.get(reverse("documents:status", args=[code, job.pk])).status_code,
            client.get(reverse("documents:download", args=[code, job.pk])).status_code)


def test_status_and_file_for_the_office_staff_only(client, office_a, office_b, planner_a, viewer_a, outsider_b):
    job, _ = request_document(office_a, "tests.fake", 7, by=planner_a)
    client.force_login(viewer_a)
    status = client.get(reverse("documents:status", args=[office_a.area_code, job.pk])).json()
    assert (status["status"], status["finished"], status["download_url"]) == ("queued", False, "")
    assert client.get(reverse("documents:download", args=[office_a.area_code, job.pk])).status_code == 404  # not built yet
    run_document(job.pk)
    status = client.get(reverse("documents:status", args=[office_a.area_code, job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("documents:download", args=[office_a.area_code, job.pk])
    response = client.get(status["download_url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 fake"

    client.force_login(outsider_b)  # another office's plan officer: under either code
    assert _status_and_file(client, job) == (404, 404)
    assert client.get(reverse("documents:status", args=[office_b.area_code, job.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[office_b.area_code, job.pk])).status_code == 404
    school_user = UserFactory(username="school_a1")
    MembershipFactory(user=school_user, office=office_a, role=Role.SCHOOL, school=SchoolFactory(office=office_a))
    client.force_login(school_user)  # a school account of the same office
    assert _status_and_file(client, job) == (404, 404)
    client.logout()
    assert all(code == 302 for code in _status_and_file(client, job))


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_build_runs_in_a_thread_after_the_request(client, office_a, planner_a, settings):
    """The embedded default (no broker, ``EMES_JOBS_IN_THREAD``): the request answers at once, a thread builds."""
    import time

    settings.EMES_JOBS_IN_THREAD = True
    job, created = request_document(office_a, "tests.fake", 9, by=planner_a)  # committed: the thread starts now
    assert created
    for _ in range(200):
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == DocumentJob.Status.DONE and job.filename == "fake-9.pdf", job.error
