"""Who may see and change a project: the plans app's access rules on top of the core primitives.

The core (``emes.access``) scopes offices and schools; the rules about projects live here, with
the app that owns projects, so the core imports no app (issue 14).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from emes.access import STAFF_ROLES, User, divisions_headed_by, roles_in
from emes.models import Role

from .models import Project


def can_edit_project(user: User, project) -> bool:
    """Whether ``user`` may change ``project`` (a ``plans.Project``).

    The plan officer edits every project of the office, a project owner their own projects, a
    division head the projects of their division(s). Source: docs/roles-and-access.md.
    """
    roles = roles_in(user, project.office)
    if Role.PLAN_OFFICER in roles:
        return True
    if Role.PROJECT_OWNER in roles and project.owner_id == user.pk:
        return True
    return Role.DIVISION_HEAD in roles and project.division_id in divisions_headed_by(user, project.office)


def can_submit(user: User, project) -> bool:
    """Whether ``user`` may submit the project's quarterly reports: the project's named owner, staff of its office.

    Source: docs/workflows.md (quarterly report workflow) and docs/roles-and-access.md.
    """
    return bool(
        user.is_authenticated and project.owner_id is not None and project.owner_id == user.pk
        and roles_in(user, project.office) & STAFF_ROLES
    )


def can_file(user: User, project) -> bool:
    """Whether ``user`` may start and save the project's quarterly reports: its owner, or the office's plan officer."""
    return can_submit(user, project) or Role.PLAN_OFFICER in roles_in(user, project.office)


def can_review(user: User, project) -> bool:
    """Whether ``user`` may return the project's reports: the plan officer, or the head of the project's division."""
    if Role.PLAN_OFFICER in roles_in(user, project.office):
        return True
    return project.division_id in divisions_headed_by(user, project.office)


def can_return(user: User, project, status: str) -> bool:
    """Whether ``user`` may return the project's report in ``status`` for revision (with a comment).

    A submitted or accepted report: its reviewers (``can_review``: the plan officer, the head of its division). An
    accepted report also: the director, who considers it before approving (``can_approve``) and may send it back
    instead of approving it. Source: the M&E manual (seed ``000``), ข้อ ๑.๑ ๔)-๕) and its flowcharts: "เสนอข้อมูล …
    ต่อผู้มีอำนาจพิจารณา" is a decision of the approver, followed by "แจ้งผู้เกี่ยวข้องให้นำข้อเสนอแนะไปปรับปรุง";
    docs/workflows.md ("Quarterly report").
    """
    from .models import QuarterlyReport

    Status = QuarterlyReport.Status
    if status in (Status.SUBMITTED, Status.ACCEPTED) and can_review(user, project):
        return True
    return status == Status.ACCEPTED and can_approve(user, project)


def can_approve(user: User, project) -> bool:
    """Whether ``user`` may approve the project's accepted reports (the director)."""
    return Role.DIRECTOR in roles_in(user, project.office)


def can_reopen(user: User, project) -> bool:
    """Whether ``user`` may reopen the project's approved reports, with a reason (plan officer or director)."""
    return bool(roles_in(user, project.office) & {Role.PLAN_OFFICER, Role.DIRECTOR})


def get_project_for_user(user: User, pk: int, *, write: bool = False):
    """The ``plans.Project`` ``pk`` if ``user`` is staff of its office, else ``Http404``.

    With ``write`` a staff member who may not change it (``can_edit_project``) gets
    ``PermissionDenied`` (403).
    """
    project = Project.objects.visible_to(user).select_related("office", "division", "strategy", "owner").filter(pk=pk).first()
    if project is None:
        raise Http404("project not found")
    if write and not can_edit_project(user, project):
        raise PermissionDenied
    return project
