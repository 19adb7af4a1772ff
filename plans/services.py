"""State changes of the action plan: its versions and their workflow.

Every transition is one function: it runs in ``transaction.atomic``, re-reads the plan with
``select_for_update``, checks the actor's role, refuses an illegal move with ``ValidationError``
(Thai through gettext), saves with ``update_fields`` and writes a :class:`PlanTransition`.
Views, the admin action and commands call these; nothing else assigns ``ActionPlan.status``.
Workflow source: DESIGN.md "Workflows" and issue 4 (draft → submitted → approved; amendments
make a new version that keeps the old one readable).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.access import roles_in
from emes.models import Office, Role

from .models import ActionPlan, Indicator, PlanTransition, Project

Status = ActionPlan.Status

#: Who may move a plan: the plan officer prepares and submits, the director decides.
PREPARERS = frozenset({Role.PLAN_OFFICER})
APPROVERS = frozenset({Role.DIRECTOR})


def _require(user, office: Office, roles: frozenset[str]) -> None:
    if not (roles_in(user, office) & roles):
        raise PermissionDenied(_("You may not do this for this office's plan."))


def _record(plan: ActionPlan, old: str, new: str, *, by, comment: str = "") -> None:
    PlanTransition.objects.create(plan=plan, from_status=old, to_status=new, by=by, comment=comment)


def _locked(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


def ensure_plan(office: Office, fiscal_year: int, *, by) -> ActionPlan:
    """The newest version of the office's plan for ``fiscal_year`` (BE), creating version 1 as a draft.

    Raises ``PermissionDenied`` if a new plan would be created by someone who is not the plan officer.
    """
    plan = ActionPlan.objects.current(office, fiscal_year)
    if plan is not None:
        return plan
    _require(by, office, PREPARERS)
    try:
        with transaction.atomic():
            plan = ActionPlan.objects.create(office=office, fiscal_year=fiscal_year, version=1, created_by=by)
            _record(plan, "", Status.DRAFT, by=by)
    except IntegrityError:  # created meanwhile by another request
        plan = ActionPlan.objects.current(office, fiscal_year)
    return plan


def submit_plan(plan: ActionPlan, *, by, comment: str = "") -> ActionPlan:
    """Draft → submitted, by the plan officer. Refuses an empty plan (no project)."""
    _require(by, plan.office, PREPARERS)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != Status.DRAFT:
            raise ValidationError(_("Only a draft plan can be submitted (this one is: %(status)s).") % {"status": plan.get_status_display()})
        if not Project.objects.filter(office=plan.office, fiscal_year=plan.fiscal_year).exists():
            raise ValidationError(_("The plan has no project yet; import or add the projects first."))
        plan.status = Status.SUBMITTED
        plan.save(update_fields=["status"])
        _record(plan, Status.DRAFT, Status.SUBMITTED, by=by, comment=comment)
    return plan


def approve_plan(plan: ActionPlan, *, by, comment: str = "") -> ActionPlan:
    """Submitted → approved, by the director; freezes the content in ``snapshot``. The plan becomes read-only."""
    _require(by, plan.office, APPROVERS)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted plan can be approved (this one is: %(status)s).") % {"status": plan.get_status_display()})
        plan.status = Status.APPROVED
        plan.approved_by = by
        plan.approved_at = timezone.now()
        plan.snapshot = plan_snapshot(plan.office, plan.fiscal_year)
        plan.save(update_fields=["status", "approved_by", "approved_at", "snapshot"])
        _record(plan, Status.SUBMITTED, Status.APPROVED, by=by, comment=comment)
    return plan


def return_plan(plan: ActionPlan, *, by, comment: str) -> ActionPlan:
    """Submitted → draft, by the director, with a required comment saying what to revise."""
    _require(by, plan.office, APPROVERS)
    if not (comment or "").strip():
        raise ValidationError(_("Say what must be revised: a comment is required to return the plan."))
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted plan can be returned (this one is: %(status)s).") % {"status": plan.get_status_display()})
        plan.status = Status.DRAFT
        plan.save(update_fields=["status"])
        _record(plan, Status.SUBMITTED, Status.DRAFT, by=by, comment=comment.strip())
    return plan


def open_amendment(plan: ActionPlan, *, by, reason: str) -> ActionPlan:
    """Approved version n → version n+1 as a draft, by the plan officer, with the reason recorded.

    Version n becomes superseded and stays readable from its snapshot. Returns the new version.
    """
    _require(by, plan.office, PREPARERS)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the amendment."))
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != Status.APPROVED:
            raise ValidationError(_("Only an approved plan can be amended (this one is: %(status)s).") % {"status": plan.get_status_display()})
        plan.status = Status.SUPERSEDED
        plan.save(update_fields=["status"])
        _record(plan, Status.APPROVED, Status.SUPERSEDED, by=by, comment=reason.strip())
        amendment = ActionPlan.objects.create(
            office=plan.office, fiscal_year=plan.fiscal_year, version=plan.version + 1, amendment_reason=reason.strip(), created_by=by
        )
        _record(amendment, "", Status.DRAFT, by=by, comment=reason.strip())
    return amendment


def require_editable(office: Office, fiscal_year: int) -> ActionPlan | None:
    """Raise ``ValidationError`` unless the office's plan for the year may change (no plan yet, or a draft).

    Returns the current plan (or ``None``). Called by every service that changes projects,
    indicators, activities or budget lines, including the workbook import.
    """
    plan = ActionPlan.objects.current(office, fiscal_year)
    if plan is not None and not plan.is_editable:
        raise ValidationError(
            _("The plan of FY %(fy)s is %(status)s and cannot be changed; open an amendment first.")
            % {"fy": fiscal_year, "status": plan.get_status_display()}
        )
    return plan


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def plan_snapshot(office: Office, fiscal_year: int) -> dict[str, Any]:
    """The plan's content as plain JSON: projects with their budget lines, activities and indicators.

    Shape: ``{"projects": [{"code", "name", "strategy", "strategies": [codes], "division", "owner",
    "budget", "budget_lines": [{"source", "amount", "q1".."q4"}], "activities": [{"order", "name",
    "months", "budget"}], "indicators": [{"code", "name", "unit", "baseline", "target", "direction",
    "is_percentage", "frequency"}], ...}], "strategy_indicators": [...]}``; money as decimal strings
    (baht). Five queries whatever the number of projects.
    """
    projects = (
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "division", "owner")
        .prefetch_related("strategies", "budget_lines", "activities", "indicators")
        .order_by("code")
    )

    def indicator(i: Indicator) -> dict[str, Any]:
        return {
            "code": i.code, "name": i.name, "unit": i.unit, "baseline": _money(i.baseline), "target": _money(i.target),
            "direction": i.direction, "is_percentage": i.is_percentage, "frequency": i.frequency, "responsible": i.responsible,
        }

    out = []
    for p in projects:
        out.append({
            "code": p.code, "name": p.name, "strategy": p.strategy.code, "strategies": sorted(s.code for s in p.strategies.all()),
            "division": p.division.code, "owner": p.owner.username if p.owner else "", "budget": _money(p.budget),
            "rationale": p.rationale, "objectives": p.objectives, "targets_quantity": p.targets_quantity,
            "targets_quality": p.targets_quality, "responsible_people": p.responsible_people,
            "start_date": p.start_date.isoformat() if p.start_date else None, "end_date": p.end_date.isoformat() if p.end_date else None,
            "budget_lines": [
                {"source": b.source, "amount": _money(b.amount), "q1": _money(b.q1), "q2": _money(b.q2), "q3": _money(b.q3), "q4": _money(b.q4)}
                for b in p.budget_lines.all()
            ],
            "activities": [{"order": a.order, "name": a.name, "months": a.months, "budget": _money(a.budget)} for a in p.activities.all()],
            "indicators": [indicator(i) for i in p.indicators.all()],
        })
    strategy_indicators = [
        {"strategy": i.strategy.code, **indicator(i)}
        for i in Indicator.objects.filter(strategy__office=office, strategy__fiscal_year=fiscal_year).select_related("strategy")
    ]
    return {"office": office.area_code, "fiscal_year": fiscal_year, "projects": out, "strategy_indicators": strategy_indicators}
