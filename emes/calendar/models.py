"""The office's monitoring calendar (ปฏิทินการติดตาม ประเมินผล และรายงานผล) and per-user iCalendar feeds.

Events are generated per fiscal year from the rules in docs/ (docs/fiscal-calendar.md) (``emes.calendar.generation``):
each generated event carries a ``generated_key`` so that regenerating updates it in place; once the
plan officer edits or cancels it (``is_edited`` / ``is_cancelled``) regeneration leaves it alone.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emes.querysets import OfficeScopedQuerySet


class CalendarEventQuerySet(OfficeScopedQuerySet):
    """Events of the offices where ``user`` is staff (see ``emes.access``)."""

    office_path = "office"

    def active(self) -> "CalendarEventQuerySet":
        return self.filter(is_cancelled=False)

    def overlapping(self, start, end) -> "CalendarEventQuerySet":
        """Events with at least one day in ``start``..``end`` (dates, inclusive)."""
        return self.filter(starts_on__lte=end, ends_on__gte=start)


class CalendarEvent(models.Model):
    """One dated obligation or task of an office's fiscal year (BE), one day or a span of days.

    ``audience`` says whom it concerns, which decides the per-user .ics feed: the whole staff,
    project owners (their own projects' reports), schools, or the M&E unit (plan officer, director).
    ``gantt_row`` groups the M&E unit's tasks into rows of the yearly Gantt chart (tasks × Oct-Sep).
    """

    class Kind(models.TextChoices):
        QUARTERLY_REPORT = "quarterly_report", _("Quarterly report due")
        DISBURSEMENT = "disbursement", _("Disbursement follow-up")
        INSPECTION = "inspection", _("Inspection")
        LITERACY = "literacy", _("Literacy assessment")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        UNIT_TASK = "unit_task", _("M&E unit task")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        STAFF = "staff", _("All staff of the office")
        PROJECT_OWNERS = "owners", _("Project owners and division heads")
        SCHOOLS = "schools", _("Schools")
        MNE_UNIT = "mne", _("M&E unit and director")

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, related_name="calendar_events", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    audience = models.CharField(_("concerns"), max_length=10, choices=Audience.choices, default=Audience.STAFF)
    gantt_row = models.CharField(
        _("Gantt row"), max_length=200, blank=True,
        help_text=_("Tasks of the M&E unit with the same row name form one row of the yearly Gantt chart."),
    )
    rule = models.CharField(_("rule and its source"), max_length=300, blank=True)
    generated_key = models.CharField(_("generated key"), max_length=100, blank=True, editable=False)
    is_edited = models.BooleanField(_("edited by hand"), default=False, editable=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by"))
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = CalendarEventQuerySet.as_manager()

    class Meta:
        app_label = "emes"
        ordering = ["starts_on", "ends_on", "id"]
        indexes = [models.Index(fields=["office", "fiscal_year", "starts_on"])]
        constraints = [
            models.UniqueConstraint(fields=["office", "generated_key"], condition=~Q(generated_key=""), name="calendar_event_unique_generated_key"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="calendar_event_ends_after_start"),
        ]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")

    def __str__(self) -> str:
        return f"{self.starts_on} {self.title}"

    @property
    def is_generated(self) -> bool:
        return bool(self.generated_key)


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed address (calendar apps cannot log in, so the token is the key).

    Resetting the token (``emes.calendar.services.reset_feed``) makes every old address stop working.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        app_label = "emes"
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class CalendarBuild(models.Model):
    """One generation of a fiscal year's calendar run as a job with progress (``emes.jobs``): queued → running →
    done | failed.

    Generating asks every rules provider (reports, literacy, inspections…) and rewrites a year of events in one
    transaction, which takes seconds; issue 17 ("actions that take seconds … run as jobs with progress, never as a
    request that blocks the browser") has the plan officer's click queue this row and the list page poll it.
    ``result`` holds the counts of ``services.GenerationResult`` once DONE; ``fiscal_year`` is BE.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, related_name="calendar_builds", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        app_label = "emes"
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar generation")
        verbose_name_plural = _("calendar generations")

    def __str__(self) -> str:
        return f"{self.office} · {self.fiscal_year} · {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
