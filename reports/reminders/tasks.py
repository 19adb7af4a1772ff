"""Celery tasks of the reminders: the daily sweep (beat, ``CELERY_BEAT_SCHEDULE``) and sending one reminder.

They take ids (never model objects) and call one service each (``reports.reminders.services``).
"""
from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="reports.reminders.tasks.sweep_reminders_task", acks_late=True)
def sweep_reminders_task() -> int:
    """The daily sweep of every office (beat ``daily-reminder-sweep``); returns the ``SweepRun`` id.

    Safe to run twice or from two beat processes at once: reminders are unique per obligation,
    stage and recipient, so the second run records and sends nothing new.
    """
    return services.sweep(trigger="beat").pk


@shared_task(name="reports.reminders.tasks.send_now_task", acks_late=True)
def send_now_task(run_id: int) -> None:
    """Run the plan officer's "send now" ``SweepRun`` ``run_id`` (``services.run_send_now``); quietly nothing if it
    is gone, finished or claimed by another worker (a live one: ``JobBusy``; it never runs twice, it sends)."""
    from emes.jobs import JobBusy

    try:
        services.run_send_now(run_id)
    except JobBusy:
        return


@shared_task(bind=True, name="reports.reminders.tasks.send_reminder_task", acks_late=True, max_retries=None)
def send_reminder_task(self, reminder_id: int) -> None:
    """Send ``Reminder`` ``reminder_id``; quietly nothing if it is gone or not waiting to be sent.

    The SMTP server refusing (``smtplib.SMTPException``, ``OSError``) is retried with exponential
    backoff (``services.retry_delay``) until ``EMES_REMINDER_EMAIL_MAX_RETRIES`` retries are spent;
    the service counts the attempts on the row and marks it failed then, so the count survives a
    worker restart and a retried task can never send twice (it must claim the row again).
    """
    try:
        services.send_reminder(reminder_id)
    except services.EmailNotSent as exc:
        if exc.retry:
            raise self.retry(exc=exc, countdown=services.retry_delay(exc.attempts)) from exc
