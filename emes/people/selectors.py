"""Reads for the people pages: an office's staff grouped by person, and its schools' logins.

Both are built in a fixed number of queries, whatever the number of people or schools.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from pythainlp.util import collate

from emes.access import STAFF_ROLES
from emes.audit.models import AuditEvent
from emes.models import Membership, Office, Profile, Role, School

User = get_user_model()

#: Display order of the roles on the people page (most responsibility first).
ROLE_ORDER = [Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD, Role.PROJECT_OWNER, Role.SUPERVISOR, Role.VIEWER, Role.SCHOOL]


@dataclass
class Person:
    """One person of an office with all their memberships there.

    ``one_time_password`` is true while the password is still one handed out by the office
    (``Profile.must_change_password``).
    """

    user: object
    memberships: list[Membership] = field(default_factory=list)
    one_time_password: bool = False
    password_changed_at: dt.datetime | None = None


@dataclass(frozen=True)
class SchoolLogin:
    """A school of an office and its generated login (``user`` None: no account yet)."""

    school: School
    user: object | None
    one_time_password: bool

    @property
    def first_login_done(self) -> bool:
        return self.user is not None and not self.one_time_password


@dataclass(frozen=True)
class SchoolLoginSummary:
    """Counts of the school accounts page: open schools, those with an account, and first logins done."""

    schools: int
    with_account: int
    first_login_done: int

    @property
    def without_account(self) -> int:
        return self.schools - self.with_account


def sort_for_handout(schools: list[School]) -> list[School]:
    """``schools`` by cluster in Thai dictionary order (เมือง before ลุ่มน้ำยม), then by code.

    The order of the printed lists: an office hands them out cluster by cluster. Databases sort
    Thai by code point (leading vowels first), so the order is made here.
    """
    rank = {cluster: i for i, cluster in enumerate(collate({s.cluster for s in schools}))}
    return sorted(schools, key=lambda s: (rank[s.cluster], s.smis_code))


def office_people(office: Office) -> list[Person]:
    """Every person holding a staff role in ``office``, with all their memberships there (2 queries).

    School logins (people whose only roles here are school roles) are left to
    :func:`school_logins`; a staff person who also holds a school role shows it here.
    Sorted by first and last name.
    """
    memberships = (
        Membership.objects.filter(office=office)
        .select_related("user", "division", "school")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    people: dict[int, Person] = {}
    for m in memberships:
        people.setdefault(m.user_id, Person(user=m.user)).memberships.append(m)
    staff = [p for p in people.values() if any(m.role in STAFF_ROLES for m in p.memberships)]
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=[p.user.pk for p in staff])}
    for person in staff:
        person.memberships.sort(key=lambda m: (ROLE_ORDER.index(m.role), str(m.division or m.school or "")))
        profile = profiles.get(person.user.pk)
        if profile is not None:
            person.one_time_password = profile.must_change_password
            person.password_changed_at = profile.password_changed_at
    return staff


def count_school_logins(office: Office) -> int:
    """People whose memberships in ``office`` are all school roles (shown on the school accounts page)."""
    staff = Membership.objects.filter(office=office, role__in=list(STAFF_ROLES)).values("user_id")
    return (
        Membership.objects.filter(office=office, role=Role.SCHOOL).exclude(user_id__in=staff).values("user_id").distinct().count()
    )


def school_logins(office: Office) -> tuple[list[SchoolLogin], SchoolLoginSummary]:
    """The office's open schools (and closed ones that still have a login) with their generated login.

    A school's login is the user named by its SMIS code (``create_school_accounts``). In the order
    of the printed lists (:func:`sort_for_handout`). Returns the rows and their counts (3 queries).
    """
    schools = sort_for_handout(
        list(office.schools.filter(Q(is_open=True, missing_since__isnull=True) | Q(memberships__role=Role.SCHOOL)).distinct())
    )
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[s.smis_code for s in schools]).select_related("emes_profile")
    }
    rows = []
    for school in schools:
        user = users.get(school.smis_code)
        profile = getattr(user, "emes_profile", None) if user is not None else None
        rows.append(SchoolLogin(school=school, user=user, one_time_password=bool(profile and profile.must_change_password)))
    open_rows = [r for r in rows if r.school.is_open and r.school.missing_since is None]
    summary = SchoolLoginSummary(
        schools=len(open_rows),
        with_account=sum(1 for r in open_rows if r.user is not None),
        first_login_done=sum(1 for r in open_rows if r.first_login_done),
    )
    return rows, summary


@dataclass(frozen=True)
class HistoryRow:
    """One audit event of an office as the people page lists it: ``before`` / ``after`` as readable text."""

    event: AuditEvent
    before: str
    after: str


def _roles_text(state: dict | None) -> str:
    if not state or "roles" not in state:
        return ""
    labels = []
    for item in state["roles"]:
        label = str(Role(item["role"]).label) if item["role"] in Role.values else item["role"]
        detail = item.get("division") or item.get("school")
        labels.append(f"{label} ({detail})" if detail else label)
    return ", ".join(labels) or "-"


def _settings_text(state: dict | None) -> str:
    if not state:
        return ""
    names = {f.name: str(f.verbose_name) for f in Office._meta.concrete_fields}
    return "; ".join(f"{names.get(k, k)}: {v}" for k, v in state.items())


def office_history(office: Office, *, limit: int = 30) -> list[HistoryRow]:
    """The office's latest ``limit`` audit events (roles, accounts, settings), newest first. One query."""
    rows = []
    for event in AuditEvent.objects.filter(office=office).select_related("actor")[:limit]:
        if event.event_type == AuditEvent.Type.OFFICE_SETTINGS_CHANGED:
            before, after = _settings_text(event.before), _settings_text(event.after)
        else:
            before, after = _roles_text(event.before), _roles_text(event.after)
        rows.append(HistoryRow(event=event, before=before, after=after))
    return rows
