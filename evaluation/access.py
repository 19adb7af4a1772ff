"""Who may see and change evaluation forms, evaluations and their results (docs/evaluation.md, "Who does what").

- Every staff member of the office reads forms, evaluations and results; another office's people get 404.
- The plan officer builds forms and runs every evaluation of the office; a project owner builds forms and runs
  evaluations of their own projects (``evaluation.targets``: ``can_manage``), and edits only the forms they made.
- Respondents answer on their own page; the public answers through the link (no login).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from emes.access import get_office_for_user, roles_in
from emes.models import Office, Role

from .models import Evaluation, EvaluationForm
from .targets import kind_of

BUILDER_ROLES = frozenset({Role.PLAN_OFFICER, Role.PROJECT_OWNER})


def can_build(user, office: Office) -> bool:
    """Whether ``user`` may create forms and evaluations in ``office`` (plan officer, project owner)."""
    return bool(roles_in(user, office) & BUILDER_ROLES)


def can_edit_form(user, form: EvaluationForm) -> bool:
    """The plan officer edits every form of the office; a project owner the forms they created."""
    roles = roles_in(user, form.office)
    return Role.PLAN_OFFICER in roles or (Role.PROJECT_OWNER in roles and form.created_by_id == user.pk)


def can_manage_target(user, office: Office, target) -> bool:
    """Whether ``user`` may run an evaluation of ``target`` (``None``: no target, the plan officer only)."""
    roles = roles_in(user, office)
    if Role.PLAN_OFFICER in roles:
        return True
    kind = kind_of(target)
    return Role.PROJECT_OWNER in roles and kind is not None and bool(kind.can_manage(user, target))


def can_manage_evaluation(user, evaluation: Evaluation) -> bool:
    """The plan officer runs every evaluation; a project owner those of their own projects they created."""
    roles = roles_in(user, evaluation.office)
    if Role.PLAN_OFFICER in roles:
        return True
    return evaluation.created_by_id == user.pk and can_manage_target(user, evaluation.office, evaluation.target)


def get_form_for_user(user, area_code: str, pk: int, *, write: bool = False) -> EvaluationForm:
    """The form ``pk`` of office ``area_code``: 404 outside the user's offices, 403 for ``write`` without the right."""
    office = get_office_for_user(user, area_code)
    form = EvaluationForm.objects.filter(office=office, pk=pk).select_related("office").first()
    if form is None:
        raise Http404("form not found")
    if write and not can_edit_form(user, form):
        raise PermissionDenied
    return form


def get_evaluation_for_user(user, area_code: str, pk: int, *, write: bool = False) -> Evaluation:
    """The evaluation ``pk`` of office ``area_code``: 404 outside the user's offices, 403 for ``write`` without the right."""
    office = get_office_for_user(user, area_code)
    evaluation = Evaluation.objects.filter(office=office, pk=pk).select_related("office", "form").first()
    if evaluation is None:
        raise Http404("evaluation not found")
    if write and not can_manage_evaluation(user, evaluation):
        raise PermissionDenied
    return evaluation
