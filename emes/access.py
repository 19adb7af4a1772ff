"""Who may see and do what: the core's access primitives, the one place that reads a user's memberships.

Every view starts its lookups here (or from a QuerySet's ``visible_to``); an object
outside the user's offices is answered with 404, so its existence is not revealed.
The core keeps only primitives (roles of a user in an office, the divisions and schools a user answers
for, office and school lookups) and the registry predicate of the core's own pages; each domain app keeps
its rules in its own ``access.py`` (``plans.access``, ``literacy.access``, ``inspections.access``; the calendar
in ``emes.calendar.access``, report building in ``reports.access``), every predicate named
``can_<verb>(user, obj)``. Rule source: docs/roles-and-access.md.
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


def _memberships(user: User) -> list[tuple[int, str, int | None, int | None, str]]:
    """``(office_id, role, division_id, school_id, office area code)`` of every membership of ``user``.

    The one role cache of EMES (issue 14): read once per request (the user object lives as long as the
    request) and kept on the user, so every predicate of every app asks the database once, whatever the page asks.
    """
    cache = getattr(user, "_emes_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).values_list("office_id", "role", "division_id", "school_id", "office__area_code"))
        user._emes_memberships = cache
    return cache


def roles_in(user: User, office: Office) -> set[str]:
    """The roles ``user`` holds in ``office`` (all roles for a superuser)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Role.values)
    return {role for office_id, role, _division, _school, _code in _memberships(user) if office_id == office.pk}


def roles_by_area_code(user: User) -> dict[str, set[str]]:
    """``{area code: roles}`` of the offices where ``user`` holds a membership, from the request's role cache
    (no query once a predicate has asked); e.g. the navigation's inbox links."""
    if not user.is_authenticated:
        return {}
    out: dict[str, set[str]] = {}
    for _office, role, _division, _school, code in _memberships(user):
        out.setdefault(code, set()).add(role)
    return out


def holds_any(user: User, office: Office, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``office`` (a superuser holds every role)."""
    return bool(roles_in(user, office) & set(roles))


def divisions_in(user: User, office: Office, roles: Iterable[str]) -> set[int]:
    """Ids of the divisions of ``office`` for which ``user`` holds one of ``roles`` (memberships naming a division)."""
    if not user.is_authenticated:
        return set()
    wanted = set(roles)
    return {
        division for office_id, role, division, _school, _code in _memberships(user)
        if office_id == office.pk and role in wanted and division is not None
    }


def school_ids_of_account(user: User) -> set[int]:
    """Ids of the schools ``user`` answers for as a school account (role ``school``); empty for office staff."""
    if not user.is_authenticated:
        return set()
    return {school for _office, role, _division, school, _code in _memberships(user) if role == Role.SCHOOL and school is not None}


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


def can_manage_registry(user: User, office: Office) -> bool:
    """Whether ``user`` manages the registry and people of ``office``: schools, memberships, school accounts
    (the plan officer, ``REGISTRY_ROLES``). Source: docs/roles-and-access.md."""
    return holds_any(user, office, REGISTRY_ROLES)


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
    if write and not (can_manage_registry(user, school.office) or school.pk in school_ids_of_account(user)):
        raise PermissionDenied
    return school


def divisions_headed_by(user: User, office: Office) -> set[int]:
    """Ids of the divisions of ``office`` that ``user`` heads (division head memberships)."""
    return divisions_in(user, office, {Role.DIVISION_HEAD})


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


def school_accounts(office: Office, school_ids: Iterable[int]) -> dict[int, list]:
    """``{school id: [active users holding the school role for it in office]}`` for ``school_ids`` (one query).

    The per-school answer of ``people_with_roles(office, {Role.SCHOOL}, schools=[id])`` for many schools at
    once, each list ordered by user id; a school without an account is absent.
    """
    out: dict[int, list] = {}
    for m in (Membership.objects.filter(office=office, role=Role.SCHOOL, school_id__in=list(school_ids), user__is_active=True)
              .select_related("user").order_by("school_id", "user_id")):
        users = out.setdefault(m.school_id, [])
        if not users or users[-1].pk != m.user_id:
            users.append(m.user)
    return out
