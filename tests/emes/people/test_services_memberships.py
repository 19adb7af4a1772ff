"""add_membership / remove_membership / create_staff_user: the rules, and refusals that change nothing."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from emes.models import Membership, Profile, Role
from emes.people import services
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def snapshot():
    return sorted(Membership.objects.values_list("user_id", "office_id", "role", "division_id", "school_id"))


def test_one_person_holds_two_roles_and_heads_two_divisions(office_a, planner_a, staff_a, divisions_a):
    services.add_membership(office_a, user=staff_a, role=Role.SUPERVISOR, by=planner_a)
    for division in divisions_a:
        services.add_membership(office_a, user=staff_a, role=Role.DIVISION_HEAD, division=division, by=planner_a)
    roles = sorted(Membership.objects.filter(user=staff_a).values_list("role", "division__code"), key=str)
    assert roles == sorted(
        [(Role.PROJECT_OWNER, None), (Role.SUPERVISOR, None), (Role.DIVISION_HEAD, "02"), (Role.DIVISION_HEAD, "05")], key=str
    )


@pytest.mark.parametrize(
    "case",
    [
        "division_head_without_division",
        "division_of_another_office",
        "division_for_a_school_login",
        "same_role_in_another_division",
        "school_role_without_school",
        "school_of_another_office",
        "school_for_a_viewer",
        "duplicate_role",
        "duplicate_division_head",
        "staff_role_for_a_school_login",
        "school_role_for_staff",
        "unknown_role",
    ],
)
def test_refusals_leave_the_database_unchanged(case, office_a, planner_a, staff_a, divisions_a, division_b, schools_a, school_b, batch_a):
    services.add_membership(office_a, user=staff_a, role=Role.DIVISION_HEAD, division=divisions_a[0], by=planner_a)
    school_login = User.objects.get(username="99010001")
    calls = {
        "division_head_without_division": dict(user=staff_a, role=Role.DIVISION_HEAD),
        "division_of_another_office": dict(user=staff_a, role=Role.DIVISION_HEAD, division=division_b),
        "division_for_a_school_login": dict(user=UserFactory(), role=Role.SCHOOL, school=schools_a[1], division=divisions_a[1]),
        "same_role_in_another_division": dict(user=staff_a, role=Role.PROJECT_OWNER, division=divisions_a[1]),
        "school_role_without_school": dict(user=UserFactory(), role=Role.SCHOOL),
        "school_of_another_office": dict(user=UserFactory(), role=Role.SCHOOL, school=school_b),
        "school_for_a_viewer": dict(user=staff_a, role=Role.VIEWER, school=schools_a[0]),
        "duplicate_role": dict(user=staff_a, role=Role.PROJECT_OWNER),
        "duplicate_division_head": dict(user=staff_a, role=Role.DIVISION_HEAD, division=divisions_a[0]),
        "staff_role_for_a_school_login": dict(user=school_login, role=Role.VIEWER),
        "school_role_for_staff": dict(user=staff_a, role=Role.SCHOOL, school=schools_a[1]),
        "unknown_role": dict(user=staff_a, role="minister"),
    }
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.add_membership(office_a, by=planner_a, **calls[case])
    assert info.value.messages and info.value.messages[0]
    assert snapshot() == before


def test_a_staff_role_may_name_the_persons_division(office_a, planner_a, divisions_a):
    person = UserFactory()
    membership = services.add_membership(office_a, user=person, role=Role.PROJECT_OWNER, division=divisions_a[0], by=planner_a)
    assert membership.division == divisions_a[0]


def test_duplicate_message_names_the_person(office_a, planner_a, staff_a):
    with pytest.raises(ValidationError) as info:
        services.add_membership(office_a, user=staff_a, role=Role.PROJECT_OWNER, by=planner_a)
    assert staff_a.get_full_name() in info.value.messages[0]


def test_only_the_plan_officer_manages_memberships(office_a, director_a, viewer_a, staff_a, outsider_b):
    before = snapshot()
    for actor in (director_a, viewer_a, outsider_b):
        with pytest.raises(PermissionDenied):
            services.add_membership(office_a, user=staff_a, role=Role.VIEWER, by=actor)
        with pytest.raises(PermissionDenied):
            services.remove_membership(staff_a.memberships.get(), by=actor)
    assert snapshot() == before


def test_remove_membership_keeps_the_other_roles(office_a, planner_a, staff_a):
    viewer = services.add_membership(office_a, user=staff_a, role=Role.VIEWER, by=planner_a)
    services.remove_membership(viewer, by=planner_a)
    assert list(staff_a.memberships.values_list("role", flat=True)) == [Role.PROJECT_OWNER]
    services.remove_membership(viewer, by=planner_a)  # a second click: nothing left to do, no error


def test_a_plan_officer_cannot_remove_their_own_last_plan_officer_role(office_a, planner_a):
    own = planner_a.memberships.get(role=Role.PLAN_OFFICER)
    before = snapshot()
    with pytest.raises(ValidationError, match="ถอนบทบาทเจ้าหน้าที่กลุ่มนโยบายและแผนบทบาทสุดท้ายของตนเองไม่ได้"):
        services.remove_membership(own, by=planner_a)
    assert snapshot() == before


def test_another_plan_officer_may_remove_it(office_a, planner_a):
    colleague = UserFactory(username="planner_a2")
    MembershipFactory(user=colleague, office=office_a, role=Role.PLAN_OFFICER)
    services.remove_membership(planner_a.memberships.get(role=Role.PLAN_OFFICER), by=colleague)
    assert not planner_a.memberships.exists()


def test_create_staff_user_emails_a_password_link(client, office_a, planner_a, divisions_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_staff_user(
            office_a, username="somchai.k", first_name="สมชาย", last_name="ใจดี", email="somchai@example.test",
            role=Role.DIVISION_HEAD, division=divisions_a[1], by=planner_a, site_url="https://emes.test/",
        )
    membership = user.memberships.get()
    assert membership.role == Role.DIVISION_HEAD and membership.division == divisions_a[1]
    assert not Profile.objects.get(user=user).must_change_password
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["somchai@example.test"]
    body = mail.outbox[0].body
    assert "สมชาย" in body and "somchai.k" in body
    path = re.search(r"https://emes\.test(/accounts/reset/\S+/)", body).group(1)
    page = client.get(path, follow=True)
    assert 'name="new_password1"' in page.content.decode()
    client.post(page.redirect_chain[-1][0], {"new_password1": "Somchai-Plan-2569", "new_password2": "Somchai-Plan-2569"})
    assert client.post("/accounts/login/", {"username": "somchai.k", "password": "Somchai-Plan-2569"}).status_code == 302


@pytest.mark.parametrize(
    "overrides, refusal",
    [
        ({"username": "99011111"}, "ชื่อผู้ใช้ตัวเลข 8 หลักสงวนไว้สำหรับบัญชีของโรงเรียน"),  # looks like a school code
        ({"username": "planner_a"}, "ชื่อผู้ใช้ planner_a มีผู้ใช้แล้ว"),  # taken
        ({"username": "PLANNER_A"}, "ชื่อผู้ใช้ PLANNER_A มีผู้ใช้แล้ว"),  # taken, other case
        ({"email": "used@example.test"}, "มีบัญชีอื่นใช้อีเมล used@example.test แล้ว"),
        ({"email": ""}, "ต้องระบุอีเมลเพื่อส่งลิงก์ตั้งรหัสผ่าน"),
        ({"role": Role.SCHOOL}, "บัญชีของโรงเรียนสร้างที่หน้าบัญชีผู้ใช้ของโรงเรียน"),
        ({"role": Role.DIVISION_HEAD}, "ผู้อำนวยการกลุ่มต้องระบุกลุ่ม"),  # without a division
    ],
    ids=["school-code", "taken", "taken-other-case", "email-used", "no-email", "school-role", "head-without-division"],
)
def test_create_staff_user_refusals_change_nothing(overrides, refusal, office_a, planner_a, django_capture_on_commit_callbacks):
    UserFactory(username="someone", email="used@example.test")
    users_before = User.objects.count()
    before = snapshot()
    fields = {"username": "new.person", "first_name": "ใหม่", "last_name": "คนใหม่", "email": "new@example.test", "role": Role.VIEWER}
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.create_staff_user(office_a, **{**fields, **overrides}, by=planner_a, site_url="https://emes.test/")
    assert exc.value.messages == [refusal]
    assert User.objects.count() == users_before and snapshot() == before and mail.outbox == []
