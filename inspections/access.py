"""Who may do what in inspection rounds (rule source: issue 8 and docs/roles-and-access.md).

- the plan officer manages rounds; so does the supervisor (ศึกษานิเทศก์), whose work docs/roles-and-access.md names as
  "inspection and supervision work"; only the plan officer verifies a recommendation closed;
- every staff member of the office reads rounds, boards and recommendations;
- a division head or a project owner answers the forms dispatched to their division and acts on the
  recommendations of their division; a school account answers its own school's form only (404 otherwise).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from emes.access import divisions_in, holds_any, school_ids_of_account
from emes.models import Office, Role

from .models import FormDispatch

#: Roles that create rounds, enter issues, dispatch forms, record recommendations and close rounds.
MANAGER_ROLES = frozenset({Role.PLAN_OFFICER, Role.SUPERVISOR})
#: Roles that verify a recommendation closed.
VERIFIER_ROLES = frozenset({Role.PLAN_OFFICER})
#: Division memberships that answer for their division.
UNIT_STAFF_ROLES = (Role.DIVISION_HEAD, Role.PROJECT_OWNER)


def can_manage_inspections(user, office: Office) -> bool:
    """Whether ``user`` creates rounds, enters issues, dispatches forms, records recommendations and closes
    rounds in ``office`` (plan officer, supervisor)."""
    return holds_any(user, office, MANAGER_ROLES)


def can_verify(user, office: Office) -> bool:
    """Whether ``user`` verifies recommendations of ``office`` closed (the plan officer)."""
    return holds_any(user, office, VERIFIER_ROLES)


def unit_divisions(user, office: Office) -> set[int]:
    """Ids of the divisions of ``office`` for which ``user`` answers (division head or project owner of it)."""
    return divisions_in(user, office, UNIT_STAFF_ROLES)


def can_answer(user, dispatch) -> bool:
    """Whether ``user`` answers ``dispatch``: its school's account, or staff of its division (head, project owner)."""
    if not user.is_authenticated:
        return False
    if dispatch.school_id is not None:
        return dispatch.school_id in school_ids_of_account(user)
    return dispatch.division_id in unit_divisions(user, dispatch.round.office)


def can_act_on(user, recommendation, division_ids: set[int] | None = None) -> bool:
    """Whether ``user`` records follow-up on ``recommendation``: a manager, or staff of one of its divisions."""
    office = recommendation.round.office
    if can_manage_inspections(user, office):
        return True
    mine = unit_divisions(user, office)
    if not mine:
        return False
    ids = division_ids if division_ids is not None else {d.pk for d in recommendation.divisions.all()}
    return bool(ids & mine)


def get_dispatch_for_unit(user, pk: int):
    """The ``FormDispatch`` ``pk`` if ``user`` answers it (see :func:`can_answer`), else ``Http404``.

    A unit never learns whether a form it was not sent exists (issue 8: answering a form not sent to it → 404).
    """
    dispatch = (
        FormDispatch.objects.for_unit_user(user).select_related("round__office", "division", "school").filter(pk=pk).first()
    )
    if dispatch is None:
        raise Http404("form not found")
    return dispatch


def require_manager(user, office: Office) -> None:
    if not can_manage_inspections(user, office):
        raise PermissionDenied
