"""Who may see and do what: the one place that scopes data to a user's memberships.

Every view starts its lookups here (or from a QuerySet's ``visible_to``); an object
outside the user's offices is answered with 404, so its existence is not revealed.
Rule source: DESIGN.md "People (roles)".
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Office, Role

#: Roles of office staff (everyone but school accounts); they see the office's plan and reports.
STAFF_ROLES = frozenset(
    {Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD, Role.PROJECT_OWNER, Role.SUPERVISOR, Role.VIEWER}
)
#: Roles that may build and publish office documents such as the annual report.
REPORT_BUILDER_ROLES = frozenset({Role.DIRECTOR, Role.PLAN_OFFICER})

User = AbstractBaseUser | AnonymousUser


def roles_in(user: User, office: Office) -> set[str]:
    """The roles ``user`` holds in ``office`` (all roles for a superuser)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Role.values)
    cache = getattr(user, "_emes_roles", None)
    if cache is None:
        cache = {}
        for office_id, role in Membership.objects.filter(user=user).values_list("office_id", "role"):
            cache.setdefault(office_id, set()).add(role)
        user._emes_roles = cache  # one query per request, whatever the page asks
    return set(cache.get(office.pk, set()))


def offices_visible_to(user: User, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Office]:
    """Offices where ``user`` holds one of ``roles`` (every office for a superuser)."""
    if not user.is_authenticated:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    return Office.objects.filter(memberships__user=user, memberships__role__in=list(roles)).distinct()


def get_office_for_user(user: User, area_code: str, *, roles: Iterable[str] = STAFF_ROLES) -> Office:
    """The office ``area_code`` if ``user`` is staff there; raises ``Http404`` otherwise.

    With a narrower ``roles`` a member lacking them gets ``PermissionDenied`` (403): they know
    the office exists, they may not do this there.
    """
    office = offices_visible_to(user).filter(area_code=area_code).first()
    if office is None:
        raise Http404("office not found")
    if not (roles_in(user, office) & set(roles)):
        raise PermissionDenied
    return office


def can_build_reports(user: User, office: Office) -> bool:
    """Whether ``user`` may build the office's documents (director, plan officer)."""
    return bool(roles_in(user, office) & REPORT_BUILDER_ROLES)
