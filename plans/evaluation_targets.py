"""The plan's rows an evaluation may be about (``evaluation.targets``, registered in ``PlansConfig.ready()``).

- a project (end-of-project evaluation, participants' satisfaction): its owner may evaluate it (docs/evaluation.md);
- the office's annual action plan of a fiscal year (its current version; seeds/000 ข้อ ๕.๓);
- an office strategy (กลยุทธ์; seeds/000 ข้อ ๕.๑).
Choices are the rows of the current and the two previous fiscal years (BE), one query each.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.fiscal import fiscal_year_of
from evaluation.targets import register_target

from .models import ActionPlan, Project, Strategy


def _years() -> list[int]:
    fy = fiscal_year_of(timezone.localdate())
    return [fy - 2, fy - 1, fy, fy + 1]


def _projects(office):
    return Project.objects.filter(office=office, fiscal_year__in=_years()).order_by("-fiscal_year", "code")


def _plans(office):
    latest: dict[int, ActionPlan] = {}
    for plan in ActionPlan.objects.filter(office=office, fiscal_year__in=_years()).order_by("fiscal_year", "version"):
        latest[plan.fiscal_year] = plan
    return [latest[fy] for fy in sorted(latest, reverse=True)]


def _strategies(office):
    return Strategy.objects.filter(office=office, fiscal_year__in=_years()).order_by("-fiscal_year", "code")


def register() -> None:
    """Register the plan's targets with the evaluation app."""
    register_target(
        Project, key="project", label=_("Project"), choices=_projects,
        url=lambda p: reverse("plans:project", args=[p.office.area_code, p.pk]),
        can_manage=lambda user, p: p.owner_id == user.pk,
    )
    register_target(
        ActionPlan, key="plan", label=_("Annual action plan"), choices=_plans,
        url=lambda plan: reverse("plans:plan", args=[plan.office.area_code, plan.fiscal_year]),
    )
    register_target(Strategy, key="strategy", label=_("Office strategy"), choices=_strategies)
