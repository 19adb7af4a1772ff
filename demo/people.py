"""The demo's people: staff accounts, their roles granted through the people service, and the school accounts.

Story (``demo.clock``): on 1 Sep 2025 the superuser ``admin`` makes ``planner`` the office's plan
officer; the plan officer grants every other role (``emes.people.services.add_membership``: each grant
is an audit event with the acting user and the time). On 3 Nov 2025 the plan officer issues one login
per open school (``create_school_accounts``: one-time passwords, the printable lists); บ้านน้ำริน
(54020001) logs in the next day and sets the demo password (``change_password``), so the demo can use it.
The other schools keep their one-time passwords (nobody logs in as them; they act in the story only).

Generated: every name (the surnames are deliberately "example"-like words) and the e-mail addresses
under ``emes-demo.invalid``. Staff passwords are all :data:`DEMO_PASSWORD`, set as one shared hash (one
hash per load instead of one per user: a password is not a state change the services judge).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from emes.models import Division, Office, Role, School
from emes.people.services import add_membership, change_password, create_school_accounts
from emes.services import ensure_office_admin_group

from .clock import at, bkk

#: The password of every demo account (printed by ``manage.py load_demo``).
DEMO_PASSWORD = "emes-demo-2569"
#: The demo's school account: the school's own login, as the plan officer issued it.
DEMO_SCHOOL_CODE = "54020001"


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: no membership (the superuser)
    division: str | None = None  # division code
    is_staff: bool = False
    is_superuser: bool = False


#: Demo accounts (generated names; the surnames are deliberately "example"-like words).
USERS: list[UserSpec] = [
    UserSpec("admin", "ผู้ดูแลระบบ", "ตัวอย่าง", None, is_staff=True, is_superuser=True),
    UserSpec("director", "สมชาย", "ตัวอย่าง", Role.DIRECTOR, is_staff=True),
    UserSpec("planner", "วิไลวรรณ", "สาธิตผล", Role.PLAN_OFFICER, "02", is_staff=True),
    UserSpec("viewer", "ประเสริฐ", "ทดลองดี", Role.VIEWER),
    UserSpec("head01", "กาญจนา", "จำลองศรี", Role.DIVISION_HEAD, "02"),
    UserSpec("head02", "สุรพล", "ตัวอย่างดี", Role.DIVISION_HEAD, "03"),
    UserSpec("head03", "มาลัย", "สาธิตกุล", Role.DIVISION_HEAD, "05"),
    UserSpec("head04", "ธนพล", "ทดสอบวงศ์", Role.DIVISION_HEAD, "08"),
    UserSpec("owner01", "ปิยะนุช", "ตัวอย่างงาม", Role.PROJECT_OWNER, "02"),
    UserSpec("owner02", "อนุชา", "สาธิตเจริญ", Role.PROJECT_OWNER, "03"),
    UserSpec("owner03", "รัตนา", "ทดลองสุข", Role.PROJECT_OWNER, "03"),
    UserSpec("owner04", "ชัยวัฒน์", "จำลองทอง", Role.PROJECT_OWNER, "05"),
    UserSpec("owner05", "สุดารัตน์", "ตัวอย่างศรี", Role.PROJECT_OWNER, "05"),
    UserSpec("owner06", "วีระพงษ์", "สาธิตพันธ์", Role.PROJECT_OWNER, "08"),
    UserSpec("owner07", "นงลักษณ์", "ทดสอบดี", Role.PROJECT_OWNER, "01"),
    UserSpec("owner08", "อำนาจ", "จำลองสุข", Role.PROJECT_OWNER, "07"),
]


def load_people(office: Office, divisions: dict[str, Division]) -> dict:
    """Create the demo users and grant their roles; returns ``{username: User}`` (the school account included).

    The user rows are created as an operator would (``createsuperuser``, the admin); every role is
    granted through ``add_membership`` at its moment of the story, by the person who grants it.
    """
    User = get_user_model()
    shared_hash = make_password(DEMO_PASSWORD)
    admin_group = ensure_office_admin_group()
    users = {}
    for spec in USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name, "last_name": spec.last_name, "email": f"{spec.username}@emes-demo.invalid",
                "is_staff": spec.is_staff, "is_superuser": spec.is_superuser, "is_active": True, "password": shared_hash,
            },
        )
        if spec.is_staff and not spec.is_superuser:
            user.groups.add(admin_group)  # the director and the plan officer work in the admin
        users[spec.username] = user

    def grant(spec: UserSpec, by) -> None:
        add_membership(office, user=users[spec.username], role=spec.role,
                       division=divisions[spec.division] if spec.division else None, by=by)
        users[spec.username].__dict__.pop("_emes_memberships", None)  # emes.access caches memberships per user object

    specs = {s.username: s for s in USERS}
    with at(bkk(2025, 9, 1, 9)):
        grant(specs["planner"], users["admin"])
    for minute, spec in enumerate(s for s in USERS if s.role and s.username != "planner"):
        with at(bkk(2025, 9, 1, 9, 15 + minute)):
            grant(spec, users["planner"])

    with at(bkk(2025, 11, 3, 10)):
        create_school_accounts(office, by=users["planner"])
    school_user = User.objects.get(username=DEMO_SCHOOL_CODE)
    with at(bkk(2025, 11, 4, 9, 20)):
        change_password(school_user, DEMO_PASSWORD, by=school_user)
    users[DEMO_SCHOOL_CODE] = school_user
    return users


def school_accounts(office: Office) -> dict[int, object]:
    """The school account of each open school of ``office`` by school id (issued by :func:`load_people`)."""
    User = get_user_model()
    by_code = {u.username: u for u in User.objects.filter(memberships__office=office, memberships__role=Role.SCHOOL)}
    return {s.pk: by_code[s.smis_code] for s in School.objects.filter(office=office).open() if s.smis_code in by_code}
