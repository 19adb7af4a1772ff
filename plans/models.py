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
        MINISTRY = "ministry", _("Ministry policy")
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
    budget = models.DecimalField(
        _("budget (baht)"), help_text=_("The project's allocation: the sum of its budget lines when it has any."), **money
    )
    rationale = models.TextField(_("rationale"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    targets_quantity = models.TextField(_("targets (quantity)"), blank=True)
    targets_quality = models.TextField(_("targets (quality)"), blank=True)
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="linked_projects", verbose_name=_("also serves"),
        help_text=_("Other strategies or policies the project serves, besides its main strategy."),
    )
    responsible_people = models.CharField(_("responsible people"), max_length=500, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["office", "fiscal_year", "code"]
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year", "code"], name="project_unique_code")]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetSource(models.TextChoices):
    """Sources of a project's money in an office's plan (DESIGN.md; the issue's งบ สพฐ., งบเขตพื้นที่, อื่น ๆ)."""

    OBEC = "obec", _("OBEC budget (งบ สพฐ.)")
    AREA = "area", _("Area budget (งบเขตพื้นที่)")
    OTHER = "other", _("Other (อื่น ๆ)")


class BudgetLine(models.Model):
    """Money of one source for a project (baht), and its planned spending per fiscal quarter.

    ``q1``..``q4`` are the planned amounts of each quarter; they add up to ``amount`` (checked by the
    services and the workbook import, source: OBEC's quarterly phasing of project budgets).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project"))
    source = models.CharField(_("source"), max_length=10, choices=BudgetSource.choices)
    amount = models.DecimalField(_("amount (baht)"), **money)
    q1 = models.DecimalField(_("planned Q1 (baht)"), default=Decimal("0"), **money)
    q2 = models.DecimalField(_("planned Q2 (baht)"), default=Decimal("0"), **money)
    q3 = models.DecimalField(_("planned Q3 (baht)"), default=Decimal("0"), **money)
    q4 = models.DecimalField(_("planned Q4 (baht)"), default=Decimal("0"), **money)

    class Meta:
        ordering = ["project", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="budget_line_unique_source"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_source_display()} {self.amount}"


class Activity(models.Model):
    """An activity (กิจกรรม) of a project: its planned calendar months (1-12) and budget (baht)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities", verbose_name=_("project"))
    order = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("name"), max_length=500)
    months = models.JSONField(_("planned months"), default=list, blank=True, help_text=_("Calendar months 1-12, e.g. [10, 11, 12]."))
    budget = models.DecimalField(_("budget (baht)"), default=Decimal("0"), **money)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="activity_unique_order")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Indicator(models.Model):
    """An indicator (ตัวชี้วัด) of a project or of a strategy: achieved when the actual meets ``target`` in ``direction``.

    A percentage indicator (``is_percentage``) keeps numerator and denominator on its results; its
    actual is numerator / denominator × 100. Achievement is derived, never typed.
    """

    class Direction(models.TextChoices):
        AT_LEAST = "gte", "≥"
        AT_MOST = "lte", "≤"

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        SEMIANNUAL = "semiannual", _("Every six months")
        ANNUAL = "annual", _("Annually")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name=_("project")
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name=_("strategy")
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.AT_LEAST)
    is_percentage = models.BooleanField(_("percentage (numerator / denominator)"), default=False)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY)
    responsible = models.CharField(_("responsible person"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, strategy__isnull=True) | models.Q(project__isnull=True, strategy__isnull=False),
                name="indicator_of_project_or_strategy",
            ),
        ]
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
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="indicator_result_unique")]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")

    def __str__(self) -> str:
        return f"{self.indicator} = {self.actual}"


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionPlanQuerySet":
        """Plans of the offices where ``user`` is staff (``emes.access``)."""
        from emes.access import offices_visible_to

        return self.filter(office__in=offices_visible_to(user))

    def current(self, office: Office, fiscal_year: int) -> "ActionPlan | None":
        """The newest version of the office's plan for the fiscal year (``None`` before the first)."""
        return self.filter(office=office, fiscal_year=fiscal_year).order_by("-version").first()


class ActionPlan(models.Model):
    """One version of an office's annual action plan (แผนปฏิบัติการประจำปี) for a fiscal year (BE).

    Workflow (DESIGN.md "Workflows"): draft → submitted (plan officer) → approved (director), or back
    to draft with the director's comment. An approved plan is read-only; an amendment opens
    version n+1 as a draft with its reason, and the approved version becomes superseded but stays
    readable from ``snapshot`` (its projects, budget lines, activities and indicators as approved).
    Only ``plans.services`` changes ``status``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    snapshot = models.JSONField(_("content as approved"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "version"], name="action_plan_unique_version"),
            # One version at a time is open for change (draft or submitted).
            models.UniqueConstraint(
                fields=["office", "fiscal_year"], condition=models.Q(status__in=["draft", "submitted"]), name="action_plan_one_open_version"
            ),
        ]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.office} FY {self.fiscal_year} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """Whether the plan's projects may change (a draft only)."""
        return self.status == self.Status.DRAFT


class PlanTransition(models.Model):
    """A recorded move of an action plan between statuses: who, when, from, to, and the comment."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("action plan"))
    from_status = models.CharField(_("from"), max_length=12, choices=ActionPlan.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ActionPlan.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["plan", "at", "id"]
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status or '-'} → {self.to_status}"


class PlanImport(models.Model):
    """An uploaded action-plan workbook: previewed first, then applied all or nothing (``plans.workbook``).

    ``summary`` holds the counts of the preview or the applied change, e.g. ``{"projects_added": n,
    "projects_changed": n, "indicators": n, "activities": n}``.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="plan_imports", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    file = models.FileField(_("file"), upload_to="imports/plans/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.original_name} · {self.office} FY {self.fiscal_year} · {self.get_status_display()}"
