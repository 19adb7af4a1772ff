"""Who may see and do what: the one place that scopes data to a user's memberships.

Every view starts its lookups here (or from a QuerySet's ``visible_to``); an object
outside the user's offices is answered with 404, so its existence is not revealed.
Rule source: docs/roles-and-access.md.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Office, Role, School

#: Roles of office staff (everyone but school accounts); they see the office's plan and reports.
STAFF_ROLES = frozenset(
    {Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD, Role.PROJECT_OWNER, Role.SUPERVISOR, Role.VIEWER}
)
#: Every role, school accounts included.
ALL_ROLES = frozenset(Role.values)
#: Roles that may build and publish office documents such as the annual report.
REPORT_BUILDER_ROLES = frozenset({Role.DIRECTOR, Role.PLAN_OFFICER})
#: Roles that manage the office's registry and people: schools, memberships, school accounts.
REGISTRY_ROLES = frozenset({Role.PLAN_OFFICER})
#: Roles that may read the registry and the people of an office (the director oversees the plan officer's work).
REGISTRY_READER_ROLES = frozenset({Role.DIRECTOR, Role.PLAN_OFFICER})

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


def schools_visible_to(user: User, schools: QuerySet[School] | None = None) -> QuerySet[School]:
    """Schools ``user`` may see: all schools of their staff offices, plus the schools of their school memberships.

    A school account (role ``school``) sees its own school and nothing of the other schools of its
    office. Rule source: docs/roles-and-access.md ("school ... for its own school only").
    """
    schools = School.objects.all() if schools is None else schools
    if not user.is_authenticated:
        return schools.none()
    if user.is_superuser:
        return schools
    own = Membership.objects.filter(user=user, role=Role.SCHOOL).values("school_id")
    staff_offices = Membership.objects.filter(user=user, role__in=list(STAFF_ROLES)).values("office_id")
    return schools.filter(Q(office_id__in=staff_offices) | Q(pk__in=own))


def schools_of_account(user: User) -> QuerySet[School]:
    """The schools ``user`` answers for as a school account (usually one); empty for office staff."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user, memberships__role=Role.SCHOOL).select_related("office").distinct()


def get_school_for_user(user: User, smis_code: str, *, write: bool = False) -> School:
    """The school ``smis_code`` if ``user`` may see it; ``Http404`` otherwise.

    With ``write`` the user must be the school's own account or the office's plan officer,
    else ``PermissionDenied`` (403).
    """
    school = schools_visible_to(user).select_related("office").filter(smis_code=smis_code).first()
    if school is None:
        raise Http404("school not found")
    if write and not (
        roles_in(user, school.office) & REGISTRY_ROLES or schools_of_account(user).filter(pk=school.pk).exists()
    ):
        raise PermissionDenied
    return school


def divisions_headed_by(user: User, office: Office) -> set[int]:
    """Ids of the divisions of ``office`` that ``user`` heads (division head memberships)."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, office=office, role=Role.DIVISION_HEAD).values_list("division_id", flat=True)
    )


def people_with_roles(office: Office, roles: Iterable[str], *, divisions: Iterable[int] = (), schools: Iterable[int] = ()):
    """Active users holding one of ``roles`` in ``office`` (one query, distinct).

    For the role ``division_head`` only the heads of ``divisions`` (ids) count when some are given; for the
    role ``school`` only the accounts of ``schools`` (ids). Used to address notifications (issue 17).
    """
    from django.contrib.auth import get_user_model

    roles = set(roles)
    divisions, schools = list(divisions), list(schools)
    q = Q(memberships__office=office, memberships__role__in=[r for r in roles if r not in (Role.DIVISION_HEAD, Role.SCHOOL)])
    if Role.DIVISION_HEAD in roles:
        head = Q(memberships__office=office, memberships__role=Role.DIVISION_HEAD)
        q |= head & Q(memberships__division_id__in=divisions) if divisions else head
    if Role.SCHOOL in roles:
        school = Q(memberships__office=office, memberships__role=Role.SCHOOL)
        q |= school & Q(memberships__school_id__in=schools) if schools else school
    return get_user_model().objects.filter(q, is_active=True).distinct().order_by("pk")
