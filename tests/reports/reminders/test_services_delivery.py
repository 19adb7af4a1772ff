"""Faults of delivery: SMTP refusing (retried, then failed, then retried by hand: sent once), the broker down
(left pending, caught up by the next sweep), a held reminder, duplicate tasks; two concurrent sweeps."""
from __future__ import annotations

import smtplib
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from reports.models import OutgoingLetter, Reminder
from reports.reminders import services
from reports.reminders.services import due_reminders, hold_candidate, release_reminder, retry_reminder, send_reminder

from .conftest import OPEN_Q1, at, recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(monkeypatch):
    """The SMTP server refuses every message while ``state["down"]``; counts the attempts."""
    state = {"down": True, "attempts": 0}
    original = EmailBackend.send_messages

    def send_messages(self, messages):
        state["attempts"] += 1
        if state["down"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return state


def test_smtp_refusing_is_retried_then_failed_then_retry_sends_once(world, run_sweep, smtp_down, settings, django_capture_on_commit_callbacks):
    settings.EMES_REMINDER_EMAIL_MAX_RETRIES = 2
    day = world.wd(world.q1_due, 1)
    run_sweep(day)
    r = Reminder.objects.select_related("letter").get(obligation_kind="quarterly_report", stage="first", facts__project_code="69-002")
    assert r.status == Reminder.Status.FAILED
    assert r.attempts == 3, "the first try and two retries"
    assert "SMTPServerDisconnected" in r.last_error
    assert r.letter is not None, "the letter is registered once, before the e-mail"
    letters = OutgoingLetter.objects.count()
    assert letters == 4
    assert not mail.outbox

    smtp_down["down"] = False
    with at(day), django_capture_on_commit_callbacks(execute=True):
        retry_reminder(world.office, r.pk, by=None)
    r.refresh_from_db()
    assert r.status == Reminder.Status.SENT and r.sent_at
    assert OutgoingLetter.objects.count() == letters, "the retry reuses the registered letter"
    assert [m.to for m in mail.outbox] == [["owner_a@example.test"]]
    # A second retry of a sent reminder is refused; a duplicate task does nothing.
    with pytest.raises(ValidationError, match="ส่งใหม่ได้เฉพาะการแจ้งเตือนที่ส่งไม่สำเร็จ"):
        retry_reminder(world.office, r.pk, by=None)
    assert send_reminder(r.pk) is None
    assert len(mail.outbox) == 1


def test_between_tries_the_reminder_waits_pending_with_the_error(world, smtp_down, settings):
    settings.EMES_REMINDER_EMAIL_MAX_RETRIES = 5
    day = world.wd(world.q1_due, 1)
    with at(day):
        candidate = next(c for c in due_reminders(world.office) if c.stage == "first")
        reminder = services._record(candidate, run=None)
        with pytest.raises(services.EmailNotSent) as exc:
            send_reminder(reminder.pk)
    assert exc.value.retry and exc.value.attempts == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING and reminder.attempts == 1 and reminder.last_error
    assert reminder.letter_id is not None
    assert services.retry_delay(1) == 60 and services.retry_delay(3) == 240 and services.retry_delay(20) == 3600


def test_broker_down_leaves_them_pending_and_the_next_sweep_sends_them(world, run_sweep, monkeypatch):
    from kombu.exceptions import OperationalError

    from reports.reminders import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    day = world.wd(world.q1_due, 1)
    with monkeypatch.context() as m:
        m.setattr(tasks.send_reminder_task, "delay", down)
        run = run_sweep(day)
    assert run.status == "ok" and run.created == 4
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.PENDING}
    assert not mail.outbox
    again = run_sweep(world.wd(day, 1))
    assert again.created == 0
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert len(mail.outbox) == recipients(Reminder.objects.all()) == 2  # the owner's three in one mail, the head's


def test_held_candidate_is_not_sent_by_the_sweep_until_released(world, run_sweep, planner_a, django_capture_on_commit_callbacks):
    day = world.wd(world.q1_due, 1)
    with at(day):
        c = next(c for c in due_reminders(world.office) if c.obligation.facts["project_code"] == "69-003")
        held = hold_candidate(world.office, *c.ident, by=planner_a)
        with pytest.raises(ValidationError, match="การแจ้งเตือนนี้ไม่ถึงกำหนดแล้ว"):
            hold_candidate(world.office, *c.ident, by=planner_a)
    assert held.status == Reminder.Status.HELD and held.held_by == planner_a
    run_sweep(day)
    held.refresh_from_db()
    assert held.status == Reminder.Status.HELD and held.letter_id is None
    assert len(mail.outbox) == 2  # the owner's other two in one mail, the head's
    with at(day), django_capture_on_commit_callbacks(execute=True):
        release_reminder(world.office, held.pk, by=planner_a)
    held.refresh_from_db()
    assert held.status == Reminder.Status.SENT and held.letter_id
    assert len(mail.outbox) == 3


def test_a_pending_reminder_whose_report_came_in_is_not_sent(world, run_sweep, monkeypatch):
    from reports.reminders import tasks
    from tests.factories import QuarterlyReportFactory

    day = world.wd(world.q1_due, 1)
    with monkeypatch.context() as m:
        m.setattr(tasks.send_reminder_task, "delay", lambda *a, **k: (_ for _ in ()).throw(OSError("broker down")))
        run_sweep(day)
    QuarterlyReportFactory(project=world.projects["69-002"], quarter=1, status="submitted")
    run_sweep(world.wd(day, 1))
    r = Reminder.objects.get(stage="first", facts__project_code="69-002")
    assert r.status == Reminder.Status.HELD and r.letter_id is None
    assert len(mail.outbox) == 2  # the owner's other two in one mail, the head's


def test_actions_are_scoped_to_the_office(world, office_b, run_sweep):
    run_sweep(world.wd(world.q1_due, 1))
    r = Reminder.objects.first()
    with pytest.raises(ValidationError, match="ไม่พบการแจ้งเตือนนี้ในสำนักงานนี้"):
        services.hold_reminder(office_b, r.pk, by=None)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(world, eager_celery, monkeypatch):
    """Two beat processes at once: both read the same due reminders before either inserts (a barrier),
    then race to insert and send. Each reminder is recorded once, each letter numbered once, one mail each."""
    barrier = threading.Barrier(2, timeout=30)
    original = services._plan

    def plan_then_wait(office, today):
        result = original(office, today)
        if result[1]:
            barrier.wait()  # both sweeps hold the same candidates: they really overlap
        return result

    monkeypatch.setattr(services, "_plan", plan_then_wait)
    day = world.wd(world.q1_due, 1)
    runs, errors = [], []

    def one_sweep():
        try:
            with at(day):
                runs.append(services.sweep())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    reminders = list(Reminder.objects.all())
    keys = [(r.obligation_key, r.stage, r.recipient_key) for r in reminders]
    assert len(keys) == len(set(keys))
    assert sum(run.created for run in runs) == len(reminders) == len(OPEN_Q1)
    assert all(r.status == Reminder.Status.SENT for r in reminders)
    # One letter per recipient of the day (issue 17) unless two workers each took part of one recipient's
    # reminders; never a reminder in two letters, never a number skipped.
    letters = OutgoingLetter.objects.count()
    assert recipients(reminders) <= letters <= len(reminders)
    assert sorted(OutgoingLetter.objects.values_list("number", flat=True)) == list(range(1, letters + 1))
    assert sum(1 for r in reminders if r.letter_id) == letters
    assert len(mail.outbox) == letters
    assert {m.to[0] for m in mail.outbox} == {r.recipient_email for r in reminders}


def test_a_claim_left_by_a_dead_worker_fails_instead_of_sending_again(world, run_sweep, settings):
    """A reminder stuck in SENDING beyond the task time limit is failed with a reason, never re-sent on its own."""
    import datetime as dt

    from .conftest import BKK

    day = world.wd(world.q1_due, 1)
    run_sweep(day)
    r = Reminder.objects.filter(stage="first").order_by("pk").first()
    sent = len(mail.outbox)
    next_sweep = dt.datetime.combine(world.wd(day, 1), dt.time(10), tzinfo=BKK)
    long_ago = next_sweep - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    Reminder.objects.filter(pk=r.pk).update(status=Reminder.Status.SENDING, claimed_at=long_ago)
    recent = Reminder.objects.filter(stage="first").exclude(pk=r.pk).order_by("pk").first()
    Reminder.objects.filter(pk=recent.pk).update(status=Reminder.Status.SENDING, claimed_at=next_sweep - dt.timedelta(minutes=1))

    run_sweep(world.wd(day, 1))
    r.refresh_from_db()
    recent.refresh_from_db()
    assert r.status == Reminder.Status.FAILED
    assert r.status_reason
    assert recent.status == Reminder.Status.SENDING, "a claim within the time limit may still be working"
    assert len(mail.outbox) == sent, "nothing is sent again automatically"


def test_one_letter_for_many_siblings_costs_the_same_queries_as_for_few(world, run_sweep, monkeypatch):
    """Claiming and closing the siblings of a letter is one UPDATE each, not one per sibling (review: N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.reminders import tasks

    day = world.wd(world.q1_due, 1)
    with monkeypatch.context() as m:
        m.setattr(tasks.send_reminder_task, "delay", lambda *a, **k: None)
        run_sweep(day)
    template = Reminder.objects.filter(recipient_user=world.owner, status=Reminder.Status.PENDING).first()

    def send_group(tag: str, n: int) -> int:
        ids = [Reminder.objects.create(
            office=world.office, obligation_kind=template.obligation_kind, obligation_key=f"{tag}-{i}", stage=template.stage,
            recipient_key=f"group-{tag}", recipient_user=world.owner, recipient_name=template.recipient_name,
            recipient_email="group@example.test", due_on=template.due_on, subject=template.subject, facts=template.facts,
        ).pk for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            send_reminder(ids[0])
        rows = Reminder.objects.filter(pk__in=ids)
        assert {r.status for r in rows} == {Reminder.Status.SENT}
        letter = Reminder.objects.get(pk=ids[0]).letter
        assert all(r.facts["sent_in_letter"]["letter_no"] == letter.letter_no for r in rows if r.pk != ids[0])
        assert all(r.facts["url"] == template.facts["url"] for r in rows)
        return len(queries)

    with at(day):
        few, many = send_group("few", 3), send_group("many", 12)
    assert few == many
