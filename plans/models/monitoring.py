"""Quarterly monitoring: a project's report per quarter and its indicator results."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.audit.models import TransitionBase, transition_status_fields
from emes.models import Office
from emes.querysets import OfficeScopedQuerySet

from .projects import BudgetSource, Indicator, Project, money


class QuarterlyReportQuerySet(OfficeScopedQuerySet):
    """Reports of projects ``user`` may see (``ProjectQuerySet.visible_to``)."""

    office_path = "project__office"


class QuarterlyReport(models.Model):
    """A project's progress report for one quarter of its fiscal year.

    ``budget_disbursed`` is the amount (baht) disbursed during that quarter, not cumulative.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        APPROVED = "approved", _("Approved")

    class Implementation(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    #: Statuses whose figures count in summaries (a draft or a returned report is not yet a result).
    COUNTED = (Status.SUBMITTED, Status.ACCEPTED, Status.APPROVED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    implementation = models.CharField(_("implementation status"), max_length=12, choices=Implementation.choices, default=Implementation.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    budget_disbursed = models.DecimalField(_("budget disbursed in the quarter (baht)"), default=Decimal("0"), **money)
    outcomes = models.TextField(_("outputs and outcomes"), blank=True)
    problems = models.TextField(_("problems and obstacles"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    activities_done = models.TextField(_("activities done in the quarter"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every save; a save based on an older version is refused (optimistic concurrency).")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by"))

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["project", "quarter"], name="quarterly_report_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarterly_report_quarter_1_4"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="quarterly_report_progress_max_100"),
            models.CheckConstraint(condition=models.Q(budget_disbursed__gte=0), name="quarterly_report_disbursed_not_negative"),
        ]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")

    def __str__(self) -> str:
        return f"{self.project.code} Q{self.quarter}/{self.project.fiscal_year}"


class IndicatorResult(models.Model):
    """The actual value of an indicator reported in a quarterly report."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="results", verbose_name=_("report"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator"))
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="indicator_result_unique")]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")

    def __str__(self) -> str:
        return f"{self.indicator} = {self.actual}"


class ReportDisbursement(models.Model):
    """Money of one budget source disbursed during the report's quarter (baht, not cumulative).

    ``QuarterlyReport.budget_disbursed`` is kept equal to the sum of these rows by the services.
    """

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("report"))
    source = models.CharField(_("source"), max_length=10, choices=BudgetSource.choices)
    amount = models.DecimalField(_("disbursed (baht)"), **money)

    class Meta:
        ordering = ["report", "source"]
        constraints = [
            models.UniqueConstraint(fields=["report", "source"], name="report_disbursement_unique_source"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="report_disbursement_not_negative"),
        ]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.report} {self.get_source_display()} {self.amount}"


class ReportTransition(TransitionBase):
    """A recorded move of a quarterly report between statuses: who, when, from, to, and the comment."""

    subject_field = "report"

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report"))
    from_status, to_status = transition_status_fields(QuarterlyReport.Status, max_length=10)

    class Meta(TransitionBase.Meta):
        ordering = ["report", "at", "id"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")


class Evidence(models.Model):
    """An evidence file (ร่องรอยหลักฐาน) of a quarterly report, stored privately and served after an access check.

    ``original_name`` is the sanitised name shown and used on download; the stored name is random.
    """

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report"))
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ReportingRule(models.Model):
    """How many working days after a quarter ends an office's quarterly reports are due, for one fiscal year (BE).

    Default 5 working days (monitoring plan of สพม. เขต 12, docs/monitoring.md) when no rule is set.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="reporting_rules", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    due_working_days = models.PositiveSmallIntegerField(
        _("report due (working days after the quarter)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        ordering = ["office", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="reporting_rule_unique_year")]
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")

    def __str__(self) -> str:
        return f"{self.office} FY {self.fiscal_year}: {self.due_working_days}"


class DisbursementTarget(models.Model):
    """The government's cumulative disbursement target (% of the allocation) at the end of a quarter of a fiscal year.

    Set by the Cabinet / Comptroller General each year; editable in the admin. Sourced values are
    in ``data/04_inspection_budget/`` (e.g. FY 2569 overall ≥ 93 % by year end).
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    target_pct = models.DecimalField(_("cumulative target (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)])
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "quarter"], name="disbursement_target_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="disbursement_target_quarter_1_4"),
        ]
        verbose_name = _("disbursement target")
        verbose_name_plural = _("disbursement targets")

    def __str__(self) -> str:
        return f"FY {self.fiscal_year} Q{self.quarter}: {self.target_pct}%"
