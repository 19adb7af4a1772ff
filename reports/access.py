"""Who may do what with the annual report: the reports app's access rules on top of the core primitives.

Rule source: docs/roles-and-access.md and docs/annual-report.md ("The life of a report"): the plan officer
writes, builds, submits, publishes and circulates; the director approves or returns (and may build to look
at the latest figures); every staff member of the office reads; the public reads published versions only.
Predicates are named ``can_<verb>(user, obj)`` where ``obj`` is an office or an ``AnnualReport``.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from emes.access import REPORT_BUILDER_ROLES, User, get_office_for_user, holds_any, roles_in
from emes.models import Office, Role

from .models import AnnualReport

#: Who writes the annual report: the plan officer (นักวิเคราะห์นโยบายและแผน, M&E manual ข้อ ๑.๖).
WRITER_ROLES = frozenset({Role.PLAN_OFFICER})
#: Who decides on it: the director (ผู้มีอำนาจพิจารณา).
APPROVER_ROLES = frozenset({Role.DIRECTOR})


def _office(obj) -> Office:
    return obj if isinstance(obj, Office) else obj.office


def can_build(user: User, obj) -> bool:
    """Whether ``user`` may build the PDF of the office (or version) ``obj``: director or plan officer."""
    return holds_any(user, _office(obj), REPORT_BUILDER_ROLES)


def can_write(user: User, obj) -> bool:
    """Whether ``user`` may request, edit, submit, publish and circulate the office's annual report."""
    return bool(roles_in(user, _office(obj)) & WRITER_ROLES)


def can_approve(user: User, obj) -> bool:
    """Whether ``user`` may approve or return the office's annual report (the director)."""
    return bool(roles_in(user, _office(obj)) & APPROVER_ROLES)


def require(predicate, user: User, obj) -> None:
    """Raise ``PermissionDenied`` unless ``predicate(user, obj)``; ``user=None`` is an operator's command (trusted)."""
    if user is not None and not predicate(user, obj):
        raise PermissionDenied


def get_annual_report_for_user(user: User, area_code: str, fiscal_year: int, version: int) -> AnnualReport:
    """Version ``version`` of the office's report for ``fiscal_year`` if ``user`` is staff there; ``Http404`` otherwise."""
    office = get_office_for_user(user, area_code)
    report = AnnualReport.objects.filter(office=office, fiscal_year=fiscal_year, version=version).select_related("office").first()
    if report is None:
        raise Http404("annual report not found")
    return report
