"""The strategic frame, projects, indicators and quarterly reports of an office's action plan.

Terms follow DESIGN.md: strategy (ยุทธศาสตร์/นโยบาย/กลยุทธ์), project (โครงการ), indicator
(ตัวชี้วัด) with baseline, target and direction, quarterly report (รายงานผลการดำเนินงานรายไตรมาส)
with budget disbursed (baht) and indicator results (actuals).
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.models import Division, Office

money = dict(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])


class Strategy(models.Model):
    """A level of the strategic frame for a fiscal year (BE).

    National strategy and OBEC policy rows have no office and are shared by all offices;
    office strategies (กลยุทธ์) belong to one office and may point to the policy they serve.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("National strategy")
        OBEC = "obec", _("OBEC policy")
        OFFICE = "office", _("Office strategy")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="strategies", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    goal = models.TextField(_("goal"), blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("serves"))

    class Meta:
        ordering = ["fiscal_year", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "level", "code"], name="strategy_unique_code"),
            models.UniqueConstraint(
                fields=["fiscal_year", "level", "code"], condition=models.Q(office__isnull=True), name="shared_strategy_unique_code"
            ),
        ]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return f"{self.code} {self.name[:80]}"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Projects of the offices where ``user`` is staff (school accounts see none); see ``emes.access``."""
        from emes.access import offices_visible_to

        return self.filter(office__in=offices_visible_to(user))

    def owned_by(self, user) -> "ProjectQuerySet":
        """Projects ``user`` answers for as project owner."""
        return self.filter(owner=user)


class Project(models.Model):
    """A project (โครงการ) of an office's action plan for a fiscal year; ``budget`` is the allocation in baht."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="projects", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=500)
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="projects", verbose_name=_("strategy"))
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="projects", verbose_name=_("responsible division"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_projects", verbose_name=_("project owner")
    )
    budget = models.DecimalField(_("budget (baht)"), **money)
    objectives = models.TextField(_("objectives"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["office", "fiscal_year", "code"]
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year", "code"], name="project_unique_code")]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """An indicator (ตัวชี้วัด) of a project: achieved when the actual meets ``target`` in ``direction``."""

    class Direction(models.TextChoices):
        AT_LEAST = "gte", "≥"
        AT_MOST = "lte", "≤"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.AT_LEAST)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def is_met_by(self, actual: Decimal) -> bool:
        """Whether ``actual`` meets the target in this indicator's direction (≥ or ≤)."""
        return actual >= self.target if self.direction == self.Direction.AT_LEAST else actual <= self.target


class QuarterlyReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "QuarterlyReportQuerySet":
        """Reports of projects ``user`` may see (``ProjectQuerySet.visible_to``)."""
        from emes.access import offices_visible_to

        return self.filter(project__office__in=offices_visible_to(user))


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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="indicator_result_unique")]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")

    def __str__(self) -> str:
        return f"{self.indicator} = {self.actual}"
