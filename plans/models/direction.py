"""The plan's direction for the year (vision, mission, goals) and results of strategy-level indicators.

Both feed the annual report (docs/annual-report.md, ส่วนที่ ๒ and ๓): the direction is what the office's
action plan states for the year; a strategy's or a policy's own indicators get results per quarter
entered by the plan officer, and count once the officer has accepted them (same rule as a project's
results: only reviewed figures count, seed manual งานติดตามฯ สพป.เชียงใหม่ เขต ๕ ข้อ ๑.๑(๘)).
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.models import Office
from emes.querysets import OfficeScopedQuerySet

from .projects import Indicator


class PlanDirectionQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class PlanDirection(models.Model):
    """Vision (วิสัยทัศน์), mission (พันธกิจ) and goals (เป้าประสงค์) of an office's plan for a fiscal year (BE).

    ``mission`` and ``goals`` hold one item per line, printed as numbered lists.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="plan_directions", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True, help_text=_("One item per line."))
    goals = models.TextField(_("goals"), blank=True, help_text=_("One item per line."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanDirectionQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="plan_direction_unique_year")]
        verbose_name = _("plan direction")
        verbose_name_plural = _("plan directions")

    def __str__(self) -> str:
        return f"{self.office} FY {self.fiscal_year}"

    @staticmethod
    def items(text: str) -> list[str]:
        """The non-empty lines of ``text``, stripped of a leading "1." / "๑)" numbering."""
        import re

        return [re.sub(r"^[\d๐-๙]+[.)]\s*", "", line.strip()) for line in text.splitlines() if line.strip()]

    @property
    def mission_items(self) -> list[str]:
        return self.items(self.mission)

    @property
    def goal_items(self) -> list[str]:
        return self.items(self.goals)


class StrategyResultQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class StrategyIndicatorResult(models.Model):
    """The actual of a strategy's or policy's own indicator at the end of a quarter of its fiscal year.

    Recorded by the plan officer (``plans.direction_services``); ``ACCEPTED`` results count in
    summaries and are locked, like a project's results in an accepted quarterly report.
    ``office`` says whose result it is: a shared OBEC policy's indicator gets one per office.
    """

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded, not yet checked")
        ACCEPTED = "accepted", _("Accepted")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="strategy_results", verbose_name=_("office"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="strategy_results", verbose_name=_("indicator"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = StrategyResultQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["office", "indicator", "quarter"], name="strategy_result_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="strategy_result_quarter_1_4"),
        ]
        verbose_name = _("strategy indicator result")
        verbose_name_plural = _("strategy indicator results")

    def __str__(self) -> str:
        return f"{self.indicator} Q{self.quarter} = {self.actual}"
