"""The plan officer's "send now" as a job (issue 17): the confirmed click only queues a run and leads to its page;
the run (``services.run_send_now``, a task) records and sends exactly what the synchronous path did; a second click
while one runs leads to the running one; the run's page follows it and lists the letters' numbers when done."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from reports.models import OutgoingLetter, Reminder, SweepRun
from reports.reminders.services import due_reminders, run_send_now, send_now
from reports.reminders.views import run_summary

from .conftest import OPEN_Q1, at

pytestmark = pytest.mark.django_db


def url(name, office, **kw):
    return reverse(name, kwargs={"area_code": office.area_code, **kw})


def outcome() -> tuple:
    """What a sending left: each reminder (identity, status, letter number) and the mails (to, subject)."""
    rows = []
    for r in Reminder.objects.select_related("letter", "office").order_by("obligation_key", "stage", "recipient_key"):
        if r.letter is not None:
            r.letter.office = r.office
        rows.append((r.obligation_key, r.stage, r.recipient_key, r.status, r.letter.letter_no if r.letter else "",
                     r.held_by_id, r.sweep is not None))
    return rows, sorted((tuple(m.to), m.subject, len(m.attachments)) for m in mail.outbox), OutgoingLetter.objects.count()


def test_the_click_only_queues_and_the_job_sends(client, world, planner_a, eager_celery, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    day = world.wd(world.q1_due, 1)
    with at(day):
        held = next(c for c in due_reminders(world.office) if c.facts.get("project_code") == "69-003")
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url("reminders:send", world.office), {"candidate": [held.token], "confirm": "yes"})
    run = SweepRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url("reminders:run", world.office, pk=run.pk)
    # The request did none of the work: nothing recorded, no letter numbered, no mail; the run waits for its task.
    assert run.status == SweepRun.Status.QUEUED and run.trigger == "manual" and run.requested_by == planner_a
    assert run.hold == [held.token] and run.progress == 0
    assert not Reminder.objects.exists() and not OutgoingLetter.objects.exists() and not mail.outbox
    assert len(ctx.captured_queries) <= 50, len(ctx.captured_queries)  # the checks of the confirmation step, then one insert
    with at(day):
        page = client.get(url("reminders:run", world.office, pk=run.pk)).content.decode()
        status = client.get(url("reminders:run-status", world.office, pk=run.pk)).json()
    assert 'data-finished="0"' in page and 'id="run-reminders"' not in page
    assert (status["status"], status["progress"], status["finished"], status["summary"]) == ("queued", 0, False, "")

    with at(day):
        run = run_send_now(run.pk)
    assert run.status == SweepRun.Status.OK and run.progress == 100 and run.error == ""
    sent = Reminder.objects.filter(status=Reminder.Status.SENT, obligation_kind="quarterly_report")
    assert sorted(x.facts["project_code"] for x in sent) == sorted(set(OPEN_Q1) - {"69-003"})
    assert Reminder.objects.get(obligation_key=held.obligation.key, stage="first").status == Reminder.Status.HELD
    with at(day):
        page = client.get(url("reminders:run", world.office, pk=run.pk)).content.decode()
        status = client.get(url("reminders:run-status", world.office, pk=run.pk)).json()
    assert status["finished"] and status["progress"] == 100
    assert run.created == 3 and status["summary"] == run_summary(run) and "3" in status["summary"]
    assert 'data-finished="1"' in page and 'id="run-reminders"' in page
    letters = OutgoingLetter.objects.all()
    assert letters
    for letter in letters:  # what was sent: every letter's number is on the page
        assert f'data-letter="{letter.letter_no}"' in page


def test_the_query_count_of_the_click_does_not_grow_with_what_is_due(client, world, planner_a):
    from tests.factories import ProjectFactory, UserFactory

    client.force_login(planner_a)
    day = world.wd(world.q1_due, 1)

    def click() -> tuple[int, int]:
        with at(day):
            due = len(due_reminders(world.office))
            with CaptureQueriesContext(connection) as ctx:
                assert client.post(url("reminders:send", world.office), {"confirm": "yes"}).status_code == 302
        SweepRun.objects.all().delete()
        return due, len(ctx.captured_queries)

    few, few_queries = click()
    for i in range(8):  # eight more overdue projects, each with its own owner: eight more letters due
        owner = UserFactory(username=f"owner_more_{i}", email=f"owner{i}@example.test")
        ProjectFactory(office=world.office, code=f"69-1{i:02d}", division=world.division, owner=owner)
    many, many_queries = click()
    assert many >= few + 8
    assert many_queries == few_queries
    assert not Reminder.objects.exists() and not OutgoingLetter.objects.exists()


def test_the_job_does_what_the_synchronous_path_did(client, world, planner_a, eager_celery, django_capture_on_commit_callbacks):
    day = world.wd(dt.date(2026, 2, 27), 1)
    with at(day):
        held = next(c for c in due_reminders(world.office) if c.facts.get("project_code") == "69-003")
        with transaction.atomic():  # the old path, in the request: recorded, numbered, mailed, then undone
            with django_capture_on_commit_callbacks(execute=True):
                old_run = send_now(world.office, by=planner_a, hold=[held.token])
            before, old_created = outcome(), old_run.created
            transaction.set_rollback(True)
    mail.outbox.clear()
    assert not Reminder.objects.exists() and before[0] and before[1]
    client.force_login(planner_a)
    with at(day), django_capture_on_commit_callbacks(execute=True):  # the task runs after commit (eagerly here)
        assert client.post(url("reminders:send", world.office), {"candidate": [held.token], "confirm": "yes"}).status_code == 302
    run = SweepRun.objects.get()
    assert run.status == SweepRun.Status.OK and run.created == old_created
    assert outcome() == before


def test_a_second_click_leads_to_the_running_one(client, world, planner_a, eager_celery):
    client.force_login(planner_a)
    with at(world.wd(world.q1_due, 1)):
        first = client.post(url("reminders:send", world.office), {"confirm": "yes"})
        again = client.post(url("reminders:send", world.office), {"confirm": "yes"})
        unconfirmed = client.post(url("reminders:send", world.office))  # not even the confirmation step again
    run = SweepRun.objects.get()
    target = url("reminders:run", world.office, pk=run.pk)
    assert first["Location"] == again["Location"] == unconfirmed["Location"] == target
    SweepRun.objects.filter(pk=run.pk).update(status=SweepRun.Status.RUNNING)
    with at(world.wd(world.q1_due, 1)):
        assert client.post(url("reminders:send", world.office), {"confirm": "yes"})["Location"] == target
        page = client.get(url("reminders:today", world.office)).content.decode()
    assert SweepRun.objects.count() == 1 and target in page
    SweepRun.objects.filter(pk=run.pk).update(status=SweepRun.Status.OK)
    with at(world.wd(world.q1_due, 1)):  # a finished one may be followed by another
        client.post(url("reminders:send", world.office), {"confirm": "yes"})
    assert SweepRun.objects.count() == 2


def test_two_unfinished_sends_of_one_office_cannot_exist(world):
    from django.db import IntegrityError

    SweepRun.objects.create(office=world.office, for_date=world.q1_due, trigger="manual", status=SweepRun.Status.QUEUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SweepRun.objects.create(office=world.office, for_date=world.q1_due, trigger="manual", status=SweepRun.Status.RUNNING)


def test_a_hold_no_longer_due_fails_the_run_with_the_reason_and_records_nothing(client, world, planner_a, eager_celery):
    client.force_login(planner_a)
    day = world.wd(world.q1_due, 1)
    with at(day):
        c = due_reminders(world.office)[0]
        client.post(url("reminders:send", world.office), {"candidate": [c.token], "confirm": "yes"})
    run = SweepRun.objects.get()
    SweepRun.objects.filter(pk=run.pk).update(hold=["quarterly_report:project=0:fy=2569:q=1|first|user:1"])
    with at(day):
        run = run_send_now(run.pk)
    assert run.status == SweepRun.Status.FAILED and run.error == gettext("This reminder is no longer due (it was met, sent or held meanwhile).")
    assert not Reminder.objects.exists()
    assert run_send_now(run.pk) is None  # a finished run is never run again


@pytest.mark.parametrize("who,status", [("director", 200), ("viewer", 403), ("outsider", 404)])
def test_who_reads_a_run(client, world, planner_a, director_a, viewer_a, outsider_b, who, status):
    run = SweepRun.objects.create(office=world.office, for_date=world.q1_due, trigger="manual", status=SweepRun.Status.QUEUED)
    client.force_login({"director": director_a, "viewer": viewer_a, "outsider": outsider_b}[who])
    assert client.get(url("reminders:run", world.office, pk=run.pk)).status_code == status
    assert client.get(url("reminders:run-status", world.office, pk=run.pk)).status_code == status


def test_a_run_of_another_office_is_404(client, world, planner_a, office_b):
    other = SweepRun.objects.create(office=office_b, for_date=world.q1_due, trigger="manual", status=SweepRun.Status.QUEUED)
    client.force_login(planner_a)
    assert client.get(url("reminders:run", world.office, pk=other.pk)).status_code == 404
    assert client.get(url("reminders:run-status", world.office, pk=other.pk)).status_code == 404
