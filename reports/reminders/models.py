"""Reminders of open obligations (a quarterly report, a literacy submission, an inspection form) and the
daily sweeps that create them.

A reminder exists at most once per obligation, stage and recipient (a unique constraint), so a second
sweep, a retried task or two beat processes at once can never remind anyone twice.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.querysets import OfficeScopedQuerySet


class ReminderQuerySet(OfficeScopedQuerySet):
    """Reminders of the offices where ``user`` is staff (see ``emes.access``)."""

    office_path = "office"


class Reminder(models.Model):
    """One reminder of one obligation at one stage to one recipient.

    Stages (working days are the office's, settings ``EMES_REMINDER_*``): a *notice* before the due
    date (in-app and e-mail, no letter); a *first letter* once the obligation is overdue; a *second
    letter* to the division head or the school's director when the first has been out N working days.

    ``obligation_key`` names the obligation, e.g. ``"quarterly_report:project=12:fy=2569:q=1"``;
    ``recipient_key`` the recipient, e.g. ``"user:5"`` or ``"school:40"``. ``facts`` holds what the
    letter says is missing (project, quarter, due date, working days late; or literacy round and grades).
    """

    class Stage(models.TextChoices):
        NOTICE = "notice", _("Notice before the due date")
        FIRST = "first", _("First letter")
        SECOND = "second", _("Second letter")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        HELD = "held", _("Held")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        PRINT = "print", _("To print (no e-mail)")
        FAILED = "failed", _("Failed")

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("office"))
    obligation_kind = models.CharField(_("obligation"), max_length=30)
    obligation_key = models.CharField(_("obligation key"), max_length=120)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    recipient_key = models.CharField(_("recipient key"), max_length=60)
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders", verbose_name=_("recipient (person)"))
    recipient_school = models.ForeignKey("emes.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders", verbose_name=_("recipient (school)"))
    recipient_name = models.CharField(_("to"), max_length=300)
    recipient_email = models.EmailField(_("e-mail"), blank=True)
    due_on = models.DateField(_("due date"))
    subject = models.CharField(_("subject"), max_length=500)
    facts = models.JSONField(_("what is missing"), default=dict, blank=True)
    letter = models.OneToOneField("reports.OutgoingLetter", on_delete=models.PROTECT, null=True, blank=True, related_name="reminder", verbose_name=_("letter"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("held by"))
    sweep = models.ForeignKey("reports.SweepRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders", verbose_name=_("sweep"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        app_label = "reports"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "status", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["obligation_key", "stage", "recipient_key"], name="reminder_once_per_obligation_stage_recipient"),
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.recipient_name} · {self.subject}"


class SweepRun(models.Model):
    """One run of the daily reminder sweep (by beat, by hand or a catch-up), for all offices or one.

    The sweep decides from the state of each obligation, not from the run date alone, so a run after
    missed days (Redis down, worker stopped) catches up on everything due since the last successful run.

    The plan officer's "send now" (trigger ``manual``, issue 17) is a job with progress: the click queues the
    run (``queued``, with the due reminders to ``hold``), a task claims it (``running``, ``progress`` in per cent,
    ``started_at`` its heartbeat) and ends it ``ok`` or ``failed``; one such run at a time per office.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        OK = "ok", _("Finished")
        FAILED = "failed", _("Failed")

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("office"))
    for_date = models.DateField(_("for date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(_("started by"), max_length=20, default="beat")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("reminders registered"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by"))
    hold = models.JSONField(_("reminders to hold"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        app_label = "reports"
        ordering = ["-started_at", "-id"]
        constraints = [
            # One "send now" of an office at a time: a second click finds the running one (services.request_send_now).
            models.UniqueConstraint(
                fields=["office"], condition=models.Q(trigger="manual", status__in=["queued", "running"]),
                name="one_unfinished_manual_sweep_per_office",
            ),
        ]
        verbose_name = _("reminder sweep")
        verbose_name_plural = _("reminder sweeps")

    def __str__(self) -> str:
        return f"{self.for_date} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.OK, self.Status.FAILED)
