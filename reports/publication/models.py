"""Versions of an office's annual report for a fiscal year: narrative, committee, photos, approval and the frozen PDF.

Rules (docs/annual-report.md, "The life of a report"; M&E manual ข้อ ๑.๖): a memo to the director opens
version 1 as a draft; the plan officer edits the narrative and builds it as often as needed, submits it; the
director returns it with a comment or approves it; approval freezes that version (its PDF is built once more
with the approval date, stored with its SHA-256 and "data as of" time, and never changes again); the plan
officer publishes it on the office's public page and circulates it. A later edit opens version n+1 as a draft.
Only ``reports.publication.services`` changes ``status``.
"""
from __future__ import annotations


from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.audit.models import TransitionBase, transition_status_fields
from emes.models import Office
from emes.querysets import OfficeScopedQuerySet
from ..annual.narrative import Narrative, Photo


class AnnualReportQuerySet(OfficeScopedQuerySet):
    """Versions of the offices where ``user`` is staff (see ``emes.access``)."""

    office_path = "office"

    def published(self) -> "AnnualReportQuerySet":
        """What the public page shows: published versions only (a draft, even approved, never)."""
        return self.filter(status=AnnualReport.Status.PUBLISHED).exclude(file="")

    def current(self, office: Office, fiscal_year: int) -> "AnnualReport | None":
        """The newest version of the office's report for ``fiscal_year`` (``None`` before the memo)."""
        return self.filter(office=office, fiscal_year=fiscal_year).order_by("-version").first()


class AnnualReport(models.Model):
    """One version of an office's annual report for a fiscal year (BE).

    ``status``: draft → submitted → returned (editable again) | approved → published. ``file`` is the frozen
    PDF, written once by the build that follows approval, with ``checksum`` (SHA-256 hex of its bytes) and
    ``data_as_of`` (when that build read the figures). ``committee`` and ``photos`` are rows of
    :class:`CommitteeMember` and :class:`ReportPhoto`. ``request_memo`` is the memo to the director asking to
    prepare the report (step 1), ``circulation_memo`` the memo that circulates it (step 8).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the director")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    #: Statuses whose narrative the plan officer may edit.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    #: Statuses of an approved (frozen) version.
    FROZEN = (Status.APPROVED, Status.PUBLISHED)

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="annual_reports", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    foreword = models.TextField(_("foreword"), blank=True)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    problems_synthesis = models.TextField(_("synthesis of problems and suggestions"), blank=True)
    reason = models.TextField(_("reason for this version"), blank=True)
    file = models.FileField(_("approved PDF"), upload_to="annual-reports/%Y/", blank=True)
    checksum = models.CharField(_("SHA-256 of the approved PDF"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    request_memo = models.ForeignKey(
        "reports.OutgoingLetter", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("memo requesting the report")
    )
    circulation_memo = models.ForeignKey(
        "reports.OutgoingLetter", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("circulation memo")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        app_label = "reports"
        ordering = ["office", "-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "version"], name="annual_report_unique_version"),
            # One version at a time is open for change (draft, submitted or returned).
            models.UniqueConstraint(
                fields=["office", "fiscal_year"], condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="annual_report_one_open_version",
            ),
        ]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return f"{self.office} FY {self.fiscal_year} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_frozen(self) -> bool:
        """Approved: nothing of this version changes again (its PDF once frozen, its narrative at once)."""
        return self.status in self.FROZEN

    @property
    def filename(self) -> str:
        return f"annual-report-{self.office.area_code}-{self.fiscal_year}-v{self.version}.pdf"

    def narrative(self, *, as_of=None) -> Narrative:
        """What the book prints of this version, in the shape of ``reports.annual.narrative.Narrative``.

        ``committee`` is ``[(name, position), ...]`` in order; ``photos`` objects with ``.caption`` and
        ``.path`` (filesystem path of an image file that still passes the image check); ``approved_on`` the
        date of approval (Asia/Bangkok) or ``None``; ``digits`` the office's style ("thai" | "arabic");
        ``as_of`` when the figures were read.
        """
        photos = [p.as_narrative() for p in self.photos.select_related("plan_evidence", "inspection_evidence")]
        return Narrative(
            foreword=self.foreword,
            executive_summary=self.executive_summary,
            problems_synthesis=self.problems_synthesis,
            committee=[(m.name, m.position) for m in self.committee.all()],
            photos=[p for p in photos if p is not None],
            approved_on=timezone.localdate(self.approved_at) if self.approved_at else None,
            digits=self.office.report_digits,
            as_of=as_of or self.data_as_of,
        )


class CommitteeMember(models.Model):
    """One member of the committee that prepared the report (คณะผู้จัดทำ), printed in the appendix in ``order``."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="committee", verbose_name=_("annual report"))
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        app_label = "reports"
        ordering = ["report", "order", "id"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee (คณะผู้จัดทำ)")

    def __str__(self) -> str:
        return self.name


class ReportPhoto(models.Model):
    """A photograph chosen for the appendix from the office's evidence files: exactly one of a quarterly
    report's evidence (``plans.Evidence``) or an inspection answer's evidence (``inspections.AnswerEvidence``)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("annual report"))
    plan_evidence = models.ForeignKey("plans.Evidence", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("evidence of a quarterly report"))
    inspection_evidence = models.ForeignKey(
        "inspections.AnswerEvidence", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("evidence of an inspection form")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        app_label = "reports"
        ordering = ["report", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan_evidence__isnull=False, inspection_evidence__isnull=True)
                | models.Q(plan_evidence__isnull=True, inspection_evidence__isnull=False),
                name="report_photo_one_source",
            ),
        ]
        verbose_name = _("photograph")
        verbose_name_plural = _("photographs")

    def __str__(self) -> str:
        return self.caption or str(self.evidence)

    @property
    def evidence(self):
        return self.plan_evidence or self.inspection_evidence

    def as_narrative(self) -> Photo | None:
        """``.caption`` and ``.path`` of the image for the book, or ``None`` if the file is gone or not an image."""
        from .selectors import image_path

        path = image_path(self.evidence)
        return Photo(caption=self.caption, path=path) if path else None


class AnnualReportTransition(TransitionBase):
    """A recorded move of an annual-report version: who, when, from, to, and the comment (a memo's number too)."""

    subject_field = "report"

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("annual report"))
    from_status, to_status = transition_status_fields(AnnualReport.Status, max_length=10)

    class Meta(TransitionBase.Meta):
        app_label = "reports"
        ordering = ["report", "at", "id"]
        verbose_name = _("annual report transition")
        verbose_name_plural = _("annual report transitions")
