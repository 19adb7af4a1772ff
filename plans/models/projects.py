"""Projects of the plan, their budget lines by source, activities and indicators."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.fields import NUMBER_RULES, NumberKind, NumberRule, kind_of_unit
from emes.models import Division, Office
from emes.querysets import OfficeScopedQuerySet

from .frame import Strategy

money = dict(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])


class ProjectQuerySet(OfficeScopedQuerySet):
    """Projects of the offices where ``user`` is staff (school accounts see none); see ``emes.access``."""

    office_path = "office"

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

    def clean(self) -> None:
        """Refuse the row when its plan is not a draft (``plans.services.require_editable_for``): every ModelForm passes here."""
        from plans.services import require_editable_for  # the lock lives in the service; the service imports the models

        require_editable_for(self)


class BudgetSource(models.TextChoices):
    """Sources of a project's money in an office's plan (docs/monitoring.md; the issue's งบ สพฐ., งบเขตพื้นที่, อื่น ๆ)."""

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

    def clean(self) -> None:
        """Refuse the row when its plan is not a draft (``plans.services.require_editable_for``): every ModelForm passes here."""
        from plans.services import require_editable_for  # the lock lives in the service; the service imports the models

        require_editable_for(self)


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

    def clean(self) -> None:
        """Refuse the row when its plan is not a draft (``plans.services.require_editable_for``): every ModelForm passes here."""
        from plans.services import require_editable_for  # the lock lives in the service; the service imports the models

        require_editable_for(self)


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

    def clean(self) -> None:
        """Refuse the row when its plan is not a draft (``plans.services.require_editable_for``): every ModelForm passes here."""
        from plans.services import require_editable_for  # the lock lives in the service; the service imports the models

        require_editable_for(self)

    def is_met_by(self, actual: Decimal) -> bool:
        """Whether ``actual`` meets the target in this indicator's direction (≥ or ≤)."""
        return self.meets(self.direction, self.target, actual)

    @classmethod
    def meets(cls, direction: str, target: Decimal, actual: Decimal) -> bool:
        """The rule of ``is_met_by`` on plain values (a ``Direction`` value, the target, the actual), for reads
        that fetch indicators as ``values()`` rows instead of instances."""
        return actual >= target if direction == cls.Direction.AT_LEAST else actual <= target

    def result_rule(self) -> NumberRule:
        """The range an actual of this indicator may take (``emes.fields``, issue 13 item 7), from its unit.

        A count (คน, โรงเรียน, ครั้ง ...) is whole and ≥ 0; a percentage (``is_percentage`` or the unit
        ร้อยละ) is 0-100, unless its target or baseline is itself above 100 (a growth of 150 %): then the
        indicator says a value above 100 is meant, and only 0 stays a limit; money is ≥ 0. Other units are
        not limited.
        """
        kind = NumberKind.PERCENT if self.is_percentage else kind_of_unit(self.unit)
        rule = NUMBER_RULES[kind]
        if kind == NumberKind.PERCENT and any(v is not None and v > 100 for v in (self.target, self.baseline)):
            rule = dataclasses.replace(rule, max_value=None)
        return rule
