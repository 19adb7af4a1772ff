"""Generating a calendar is a job with progress (issue 17): the request only queues it, the job does the work."""
from __future__ import annotations

import pytest
from django.urls import reverse

from emes.calendar import services
from emes.calendar.models import CalendarBuild, CalendarEvent

pytestmark = pytest.mark.django_db


def _post(client, office, fy="2570"):
    return client.post(reverse("calendar:generate", args=[office.area_code]), {"fy": fy})


def test_the_request_queues_a_job_and_generates_nothing(client, office_a, planner_a, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, office_a)
    assert response.status_code == 302 and response.url.endswith("?fy=2570#calendar-build")
    build = CalendarBuild.objects.get(office=office_a)
    assert (build.status, build.fiscal_year, build.requested_by) == ("queued", 2570, planner_a)
    assert len(callbacks) == 1  # the job's start, after commit
    assert not CalendarEvent.objects.filter(office=office_a).exists()
    html = client.get(reverse("calendar:list", args=[office_a.area_code]) + "?fy=2570").content.decode()
    assert 'id="calendar-build"' in html and 'data-finished="0"' in html and "calendar_build.js" in html
    status = client.get(reverse("calendar:build-status", args=[office_a.area_code, build.pk])).json()
    assert status["status"] == "queued" and not status["finished"]


def test_a_second_click_while_waiting_queues_nothing_more(client, office_a, planner_a):
    client.force_login(planner_a)
    _post(client, office_a)
    _post(client, office_a)
    assert CalendarBuild.objects.filter(office=office_a).count() == 1


def test_the_job_generates_with_progress_and_reports_counts(client, office_a, planner_a, eager_celery, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, office_a)
    build = CalendarBuild.objects.get(office=office_a)
    assert build.status == "done" and build.progress == 100 and build.attempts == 1
    created = CalendarEvent.objects.filter(office=office_a, fiscal_year=2570).count()
    assert created > 0 and build.result["created"] == created
    status = client.get(reverse("calendar:build-status", args=[office_a.area_code, build.pk])).json()
    assert status["finished"] and f"เพิ่มใหม่ {created}" in status["summary"]


def test_progress_is_reported_per_provider(office_a, planner_a):
    seen = []
    services.generate_calendar(office_a, 2570, by=planner_a, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 80 and all(10 < p <= 80 for p in seen)


def test_a_job_that_fails_says_why(office_a):
    build = CalendarBuild.objects.create(office=office_a, fiscal_year=2570, requested_by=None)
    services.run_generation(build.pk)  # no requester: the system may generate
    build.refresh_from_db()
    assert build.status == "done"
    # A requester who is not (any more) the plan officer: the job refuses, with the reason.
    from tests.factories import UserFactory

    stranger = UserFactory()
    refused = CalendarBuild.objects.create(office=office_a, fiscal_year=2570, requested_by=stranger)
    services.run_generation(refused.pk)
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.error


def test_another_offices_job_is_404_and_a_non_planner_cannot_queue(client, office_a, office_b, planner_a, director_a):
    theirs = CalendarBuild.objects.create(office=office_b, fiscal_year=2570)
    client.force_login(planner_a)
    assert client.get(reverse("calendar:build-status", args=[office_b.area_code, theirs.pk])).status_code == 404
    assert client.get(reverse("calendar:build-status", args=[office_a.area_code, theirs.pk])).status_code == 404
    client.force_login(director_a)
    assert _post(client, office_a).status_code == 403
    assert not CalendarBuild.objects.filter(office=office_a).exists()
