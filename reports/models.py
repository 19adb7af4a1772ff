"""Generated documents as job rows: who asked, for what, its state, progress, error and file."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.models import Office
from emes.querysets import OfficeScopedQuerySet


class ReportJobQuerySet(OfficeScopedQuerySet):
    """Jobs of the offices where ``user`` is staff (see ``emes.access``)."""

    office_path = "office"

    def for_office(self, office: Office, fiscal_year: int | None = None) -> "ReportJobQuerySet":
        qs = self.filter(office=office)
        return qs if fiscal_year is None else qs.filter(fiscal_year=fiscal_year)


class ReportJob(models.Model):
    """One request to generate a document; every build is kept (newest first).

    ``file`` is written only when the job is DONE, so a failed or half-built document is
    never offered for download. ``progress`` is 0-100 (%). ``heartbeat_at`` is the last sign of life
    (queued, claimed, each progress step) and ``attempts`` counts the workers that claimed it: a job
    whose worker died is run again or failed with a reason (``emes.jobs``, ``reports.jobs``).
    """

    class Kind(models.TextChoices):
        ANNUAL_REPORT = "annual_report", _("Annual report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ANNUAL_REPORT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    #: The version whose narrative the build prints (``None``: figures only, e.g. the command line). The build
    #: of an approved version without a file is the one that freezes it (``reports.publication``).
    annual_report = models.ForeignKey(
        "reports.AnnualReport", on_delete=models.CASCADE, null=True, blank=True, related_name="builds", verbose_name=_("annual report version")
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "fiscal_year", "kind", "-created_at"])]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fiscal_year} · {self.office} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"annual-report-{self.office.area_code}-{self.fiscal_year}-{self.pk}.pdf"


# Models kept in their own modules, registered under the ``reports`` app.
from reports.letters.models import LetterCounter, OutgoingLetter  # noqa: E402,F401
from reports.reminders.models import Reminder, SweepRun  # noqa: E402,F401
from reports.publication.models import AnnualReport, AnnualReportTransition, CommitteeMember, ReportPhoto  # noqa: E402,F401
