"""The document job row (``emes.jobs``): queued → running → done | failed, with progress and the built file."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentJob(models.Model):
    """One build of a document of an office: ``kind`` (a registered builder, :mod:`emes.documents.registry`) of
    object ``target_id`` (e.g. a literacy round's id) with ``params``; ``file`` is written only when DONE.

    At most one build per office, kind and target is waiting or running at a time (a partial unique constraint):
    asking again while one runs returns that one (:func:`emes.documents.services.request_document`).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, related_name="document_jobs", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("of object"), null=True, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        app_label = "emes"
        ordering = ["-created_at", "-id"]
        verbose_name = _("document build")
        verbose_name_plural = _("document builds")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "target_id"], condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_document_build",
            ),
        ]
        indexes = [models.Index(fields=["office", "kind", "target_id", "-created_at"], name="document_job_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
