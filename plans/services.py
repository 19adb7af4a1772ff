"""State changes of the action plan: its versions and their workflow.

Every transition is one function: it runs in ``transaction.atomic``, re-reads the plan with
``select_for_update``, checks the actor's role, refuses an illegal move with ``ValidationError``
(Thai through gettext), saves with ``update_fields`` and writes a :class:`PlanTransition` (``emes.audit.services.record_transition``).
Views, the admin action and commands call these; nothing else assigns ``ActionPlan.status``.
Workflow source: docs/workflows.md and issue 4 (draft → submitted → approved; amendments
make a new version that keeps the old one readable).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.access import roles_in
from emes.audit.services import record_transition
from emes.models import Office, Role

from .models import ActionPlan, Indicator, Project
from .monitoring.notices import plan_moved

Status = ActionPlan.Status

#: Who may move a plan: the plan officer prepares and submits, the director decides.
PREPARERS = frozenset({Role.PLAN_OFFICER})
APPROVERS = frozenset({Role.DIRECTOR})


def _require(user, office: Office, roles: frozenset[str]) -> None:
    if not (roles_in(user, office) & roles):
        raise PermissionDenied(_("You may not do this for this office's plan."))


def _record(plan: ActionPlan, old: str, new: str, *, by, comment: str = "") -> None:
    record_transition(plan, by=by, from_status=old, to_status=new, comment=comment)
    if old:  # a new draft tells nobody
        plan_moved(plan, old, new, by=by, comment=comment)


def _locked(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


def ensure_plan(office: Office, fiscal_year: int, *, by) -> ActionPlan:
    """The newest version of the office's plan for ``fiscal_year`` (BE), creating version 1 as a draft.

    ``by`` is None only for an operator's management command (``import_plan``), which has the
    server's authority. Raises ``PermissionDenied`` if a new plan would be created by someone who
    is not the plan officer.
    """
    plan = ActionPlan.objects.current(office, fiscal_year)
    if plan is not None:
        return plan
    if by is not None:
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


def plan_of(obj) -> tuple[Office, int] | None:
    """``(office, fiscal year)`` of the plan that holds ``obj``, or ``None`` when no office plan holds it.

    ``obj`` is a ``Project``, a ``BudgetLine``, an ``Activity`` or an ``Indicator`` (of a project, or
    of an office strategy: the strategy's office and fiscal year); shared strategies' indicators and
    rows not yet attached to a project belong to no plan.
    """
    project = obj if isinstance(obj, Project) else None
    if project is None and getattr(obj, "project_id", None) is not None:
        project = obj.project
    if project is not None:
        if project.office_id is None or project.fiscal_year is None:
            return None
        return project.office, project.fiscal_year
    strategy = obj.strategy if isinstance(obj, Indicator) and obj.strategy_id is not None else None
    if strategy is not None and strategy.office_id is not None:
        return strategy.office, strategy.fiscal_year
    return None


def _plans_touched(obj) -> list[tuple[Office, int]]:
    # The plan the row goes to and, for a stored row, the plan it comes from (a project moved to
    # another year, an indicator moved to another project): both must be editable.
    plans = [p for p in [plan_of(obj)] if p is not None]
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        before = plan_of(stored) if stored is not None else None
        if before is not None and (before[0].pk, before[1]) not in {(o.pk, fy) for o, fy in plans}:
            plans.append(before)
    return plans


def require_editable_for(obj) -> None:
    """Raise ``ValidationError`` (Thai) unless the plan holding ``obj`` may change (``require_editable``).

    For a project, budget line, activity or indicator being added, changed or deleted, by any path:
    the models' validation (``clean``, so every ModelForm and the admin) and the admin's saves ask it.
    A stored row is checked against the plan it leaves as well as the one it joins.
    """
    for office, fiscal_year in _plans_touched(obj):
        require_editable(office, fiscal_year)


def lock_plan_for(obj) -> None:
    """``require_editable_for`` under the plan's row lock (call inside ``transaction.atomic``), for a write that follows.

    A concurrent submit or approval waits for this write, or this write sees it and is refused.
    """
    for office, fiscal_year in _plans_touched(obj):
        _locked_plan_for_edit(office, fiscal_year)


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
        .prefetch_related(  # plain orderings: Meta.ordering starts with "project", which joins projects and offices (issue 18)
            "strategies", Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("source")),
            Prefetch("activities", queryset=Activity.objects.order_by("order", "id")), Prefetch("indicators", queryset=Indicator.objects.order_by("id")),
        )
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


# --- Editing a project from the plan pages ----------------------------------------------------------
#
# Who edits what (issue 4, "Pages and approval"): the plan officer changes every field of every
# project of the office; a project owner changes the details of their own projects (texts, people,
# period, activities), never the money by source, the strategy links, the division, the owner or
# the code. Both only while the plan is a draft (or before the first version exists).

from collections.abc import Iterable  # noqa: E402

from emes.models import Membership  # noqa: E402

from .models import Activity, BudgetLine, BudgetSource, Strategy  # noqa: E402

#: What a project owner may change in their own project (with the activities).
PROJECT_DETAIL_FIELDS = ("rationale", "objectives", "targets_quantity", "targets_quality", "responsible_people", "start_date", "end_date")
#: What only the plan officer may change (with the budget lines and ``strategies``, the other strategies served).
PROJECT_PLAN_FIELDS = ("code", "name", "strategy", "division", "owner", "budget")
EDIT_ALL = "all"
EDIT_DETAILS = "details"
ZERO = Decimal("0")


def project_edit_scope(user, project: Project) -> str | None:
    """``EDIT_ALL`` for the plan officer, ``EDIT_DETAILS`` for the project's own owner, else ``None``.

    Stricter than ``plans.access.can_edit_project`` (which also lets a division head change the
    division's projects, for their reports): the plan's content belongs to the plan officer and
    the project owner (issue 4). Editability of the plan is checked separately (``require_editable``).
    """
    roles = roles_in(user, project.office)
    if Role.PLAN_OFFICER in roles:
        return EDIT_ALL
    if Role.PROJECT_OWNER in roles and project.owner_id is not None and project.owner_id == user.pk:
        return EDIT_DETAILS
    return None


def budget_line_problems(source_label: str, amount: Decimal | None, quarters: list[Decimal | None]) -> list[str]:
    """Problems of one budget line (Thai through gettext): money not negative, Q1..Q4 add up to the amount (baht).

    Rule source: OBEC's quarterly phasing of a project's budget (``BudgetLine``).
    """
    problems = []
    values = [amount, *quarters]
    if any(v is not None and v < 0 for v in values):
        problems.append(_("%(source)s: amounts cannot be negative.") % {"source": source_label})
    elif amount is not None and sum((q or ZERO for q in quarters), ZERO) != amount:
        problems.append(
            _("%(source)s: the planned quarters add up to %(sum)s baht, not the amount of %(amount)s baht.")
            % {"source": source_label, "sum": f"{sum((q or ZERO for q in quarters), ZERO):,.2f}", "amount": f"{amount:,.2f}"}
        )
    return problems


def _locked_plan_for_edit(office: Office, fiscal_year: int) -> None:
    # Lock the current version so a concurrent submit/approve waits for this edit (or this edit sees it).
    list(ActionPlan.objects.select_for_update().filter(office=office, fiscal_year=fiscal_year).order_by("-version")[:1])
    require_editable(office, fiscal_year)


def _check_links(project: Project, data: dict[str, Any], problems: list[str]) -> None:
    office, fy = project.office, project.fiscal_year
    strategy = data.get("strategy", project.strategy)
    linked: list[Strategy] = [strategy, *data.get("strategies", [])]
    for s in linked:
        if s is not None and (s.fiscal_year != fy or (s.office_id is not None and s.office_id != office.pk)):
            problems.append(_("Strategy %(code)s is not part of this office's frame for FY %(fy)s.") % {"code": s.code, "fy": fy})
    division = data.get("division")
    if division is not None and division.office_id != office.pk:
        problems.append(_("The division must be one of this office's divisions."))
    owner = data.get("owner")
    if owner is not None and not Membership.objects.filter(user=owner, office=office).exclude(role=Role.SCHOOL).exists():
        problems.append(_("The project owner must be a staff member of this office."))
    code = data.get("code")
    if code is not None and code != project.code and Project.objects.filter(office=office, fiscal_year=fy, code=code).exclude(pk=project.pk).exists():
        problems.append(_("Another project of FY %(fy)s already has the code %(code)s.") % {"fy": fy, "code": code})
    start, end = data.get("start_date", project.start_date), data.get("end_date", project.end_date)
    if start and end and start > end:
        problems.append(_("The project cannot end before it starts."))


def _clean_lines(lines: Iterable[dict[str, Any]], problems: list[str]) -> list[BudgetLine]:
    out: list[BudgetLine] = []
    seen: set[str] = set()
    for line in lines:
        source = line["source"]
        label = str(BudgetSource(source).label)
        if source in seen:
            problems.append(_("%(source)s appears twice: one budget line per source.") % {"source": label})
            continue
        seen.add(source)
        quarters = [line.get(f"q{q}") or ZERO for q in (1, 2, 3, 4)]
        problems += budget_line_problems(label, line.get("amount"), quarters)
        out.append(BudgetLine(source=source, amount=line.get("amount") or ZERO, q1=quarters[0], q2=quarters[1], q3=quarters[2], q4=quarters[3]))
    return out


def _clean_activities(rows: Iterable[dict[str, Any]], problems: list[str]) -> list[Activity]:
    out: list[Activity] = []
    for n, row in enumerate(sorted(rows, key=lambda r: (r.get("order") or 0)), start=1):
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(_("Activity %(n)s has no name.") % {"n": n})
        months = sorted({int(m) for m in row.get("months") or []})
        if any(m < 1 or m > 12 for m in months):
            problems.append(_("Activity %(n)s: months are calendar months 1-12.") % {"n": n})
        budget = row.get("budget") or ZERO
        if budget < 0:
            problems.append(_("Activity %(n)s: the budget cannot be negative.") % {"n": n})
        out.append(Activity(order=n, name=name, months=months, budget=budget, responsible=(row.get("responsible") or "").strip()))
    return out


def update_project(
    project: Project,
    *,
    by,
    data: dict[str, Any],
    budget_lines: list[dict[str, Any]] | None = None,
    activities: list[dict[str, Any]] | None = None,
) -> Project:
    """Change ``project``: its fields, and optionally replace its budget lines and its activities; all or nothing.

    - ``data``: model field → value (``strategy``/``division``/``owner`` as instances, ``strategies``
      an iterable of ``Strategy``, dates as ``datetime.date``, money as ``Decimal`` baht). Keys not
      given stay as they are.
    - ``budget_lines``: the full new list ``[{"source": BudgetSource, "amount", "q1".."q4"}]`` (baht);
      ``None`` keeps the current lines. When the project has lines, ``budget`` is their sum.
    - ``activities``: the full new list ``[{"order", "name", "months": [1-12], "budget", "responsible"}]``,
      renumbered 1..n in ``order``; ``None`` keeps the current activities. Their budgets together may
      not exceed the project's budget.

    Raises ``PermissionDenied`` when ``by`` may not edit the project or a field it gives
    (``project_edit_scope``), ``ValidationError`` (every problem, Thai) when the plan is not a draft
    (``require_editable``) or the values break a rule; nothing is saved then.
    """
    scope = project_edit_scope(by, project)
    if scope is None:
        raise PermissionDenied(_("You may not edit this project."))
    if scope == EDIT_DETAILS:
        outside = [k for k, v in data.items() if k not in PROJECT_DETAIL_FIELDS and _differs(project, k, v)]
        if outside or budget_lines is not None:
            raise PermissionDenied(_("A project owner edits the project's details only; ask the plan officer to change the rest."))
        data = {k: v for k, v in data.items() if k in PROJECT_DETAIL_FIELDS}
    with transaction.atomic():
        _locked_plan_for_edit(project.office, project.fiscal_year)
        project = Project.objects.select_for_update().select_related("office").get(pk=project.pk)
        problems: list[str] = []
        _check_links(project, data, problems)
        lines = _clean_lines(budget_lines, problems) if budget_lines is not None else list(project.budget_lines.all())
        if lines:
            budget = sum((line.amount for line in lines), ZERO)
        else:
            budget = data.get("budget", project.budget)
            if budget is None or budget < 0:
                problems.append(_("The budget cannot be negative."))
                budget = ZERO
        new_activities = _clean_activities(activities, problems) if activities is not None else list(project.activities.all())
        spent = sum((a.budget for a in new_activities), ZERO)
        if spent > budget:
            problems.append(
                _("The activities' budgets add up to %(spent)s baht, more than the project's budget of %(budget)s baht.")
                % {"spent": f"{spent:,.2f}", "budget": f"{budget:,.2f}"}
            )
        if problems:
            raise ValidationError(problems)

        changed = []
        for name in PROJECT_DETAIL_FIELDS if scope == EDIT_DETAILS else (*PROJECT_PLAN_FIELDS, *PROJECT_DETAIL_FIELDS):
            value = budget if name == "budget" else data.get(name, getattr(project, name))
            if name in ("strategy", "division", "owner"):
                if (value.pk if value is not None else None) != getattr(project, f"{name}_id"):
                    setattr(project, name, value)
                    changed.append(name)
            elif getattr(project, name) != value:
                setattr(project, name, value)
                changed.append(name)
        if changed:
            project.save(update_fields=changed)
        if "strategies" in data:
            project.strategies.set(data["strategies"])
        if budget_lines is not None:
            project.budget_lines.all().delete()
            for line in lines:
                line.project = project
            BudgetLine.objects.bulk_create(lines)
        if activities is not None:
            project.activities.all().delete()  # renumbered 1..n: no row points at an activity
            for activity in new_activities:
                activity.project = project
            Activity.objects.bulk_create(new_activities)
    return project


def _differs(project: Project, name: str, value: Any) -> bool:
    if name == "strategies":
        return {s.pk for s in value} != set(project.strategies.values_list("pk", flat=True))
    if name in ("strategy", "division", "owner"):
        return (value.pk if value is not None else None) != getattr(project, f"{name}_id")
    return getattr(project, name, None) != value
