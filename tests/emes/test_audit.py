"""The core's audit trail (issue 14): one transition base and ``record_transition``; an ``AuditEvent`` with actor,
target, before and after for role grants and removals, accounts, staff password resets and office settings."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from emes.audit.models import AuditEvent, TransitionBase
from emes.audit.services import record_audit_event, record_transition, transition_model_for
from emes.models import Membership, Office, Role
from emes.people import services as people
from emes.services import ensure_office_admin_group, save_office
from inspections.models import InspectionRound, Recommendation, RecommendationTransition, RoundTransition
from literacy.models import LiteracyRound, LiteracyRoundTransition
from plans.models import ActionPlan, PlanTransition, QuarterlyReport, ReportTransition
from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
Type = AuditEvent.Type


def roles(*items):
    return {"roles": [{"role": r, "division": d, "school": s} for r, d, s in items]}


@pytest.fixture
def person_a(office_a):
    user = UserFactory(username="person_a", first_name="สมศรี", last_name="ใจดี")
    MembershipFactory(user=user, office=office_a, role=Role.VIEWER)
    return user


# --- transitions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("subject", "transition"), [
    (ActionPlan, PlanTransition), (QuarterlyReport, ReportTransition), (InspectionRound, RoundTransition),
    (Recommendation, RecommendationTransition), (LiteracyRound, LiteracyRoundTransition),
])
def test_each_apps_transition_model_shares_the_base_and_is_found_by_its_subject(subject, transition):
    assert issubclass(transition, TransitionBase)
    assert transition_model_for(subject) is transition
    field = transition._meta.get_field(transition.subject_field)
    assert field.related_model is subject and field.remote_field.related_name == "transitions"


def test_record_transition_refuses_a_model_without_transitions(office_a, planner_a):
    with pytest.raises(LookupError):
        record_transition(office_a, by=planner_a, from_status="", to_status="draft")


# --- roles --------------------------------------------------------------------------------------------


def test_granting_a_role_writes_an_audit_event_with_actor_target_before_and_after(office_a, planner_a, person_a):
    division = DivisionFactory(office=office_a, code="05", name="กลุ่มนิเทศ")
    people.add_membership(office_a, user=person_a, role=Role.DIVISION_HEAD, division=division, by=planner_a)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.office, event.actor, event.target) == (Type.ROLE_GRANTED, office_a, planner_a, person_a)
    assert event.target_repr == str(person_a)
    assert event.before == roles((Role.VIEWER, None, None))
    assert event.after == roles((Role.DIVISION_HEAD, "05", None), (Role.VIEWER, None, None))


def test_removing_a_role_writes_an_audit_event_with_actor_target_before_and_after(office_a, planner_a, person_a):
    people.add_membership(office_a, user=person_a, role=Role.SUPERVISOR, by=planner_a)
    membership = Membership.objects.get(user=person_a, role=Role.SUPERVISOR)
    people.remove_membership(membership, by=planner_a)
    event = AuditEvent.objects.filter(event_type=Type.ROLE_REMOVED).get()
    assert (event.office, event.actor, event.target) == (office_a, planner_a, person_a)
    assert event.before == roles((Role.SUPERVISOR, None, None), (Role.VIEWER, None, None))
    assert event.after == roles((Role.VIEWER, None, None))


def test_a_refused_grant_or_removal_writes_no_event(office_a, planner_a, director_a, person_a):
    with translation.override("en"), pytest.raises(ValidationError, match="already holds"):
        people.add_membership(office_a, user=person_a, role=Role.VIEWER, by=planner_a)  # already held
    with pytest.raises(PermissionDenied):
        people.remove_membership(Membership.objects.get(user=person_a), by=director_a)  # not the plan officer
    assert not AuditEvent.objects.exists()


def test_a_staff_account_created_writes_the_account_and_the_role_events(office_a, planner_a):
    user = people.create_staff_user(office_a, username="newcomer", first_name="ใหม่", last_name="มาก", email="new@example.test",
                                    role=Role.PROJECT_OWNER, by=planner_a, site_url="https://emes.test")
    events = list(AuditEvent.objects.order_by("id").values_list("event_type", "actor", "target_id", "before", "after"))
    assert events == [
        (Type.ACCOUNT_CREATED, planner_a.pk, str(user.pk), None, {"username": "newcomer", "name": "ใหม่ มาก", "email": "new@example.test"}),
        (Type.ROLE_GRANTED, planner_a.pk, str(user.pk), {"roles": []}, roles((Role.PROJECT_OWNER, None, None))),
    ]


def test_school_accounts_issued_and_reset_write_one_event_each(office_a, planner_a):
    schools = [SchoolFactory(office=office_a, smis_code=f"9901000{i}") for i in (1, 2)]
    people.create_school_accounts(office_a, by=planner_a, login_url="https://emes.test/login/")
    created = AuditEvent.objects.filter(event_type=Type.ACCOUNT_CREATED)
    assert sorted(created.values_list("target_repr", flat=True)) == ["99010001", "99010002"]
    assert created.filter(actor=planner_a, office=office_a).count() == 2
    assert created.get(target_repr="99010001").after == {
        "username": "99010001", "one_time_password": True, "roles": [{"role": "school", "division": None, "school": "99010001"}],
    }
    people.create_school_accounts(office_a, by=planner_a, schools=[schools[0]], reset_existing=True, login_url="https://emes.test/login/")
    reset = AuditEvent.objects.get(event_type=Type.PASSWORD_RESET_BY_STAFF)
    assert (reset.actor, reset.target, reset.office) == (planner_a, User.objects.get(username="99010001"), office_a)


def test_a_password_set_by_a_superuser_for_someone_else_is_audited_and_ones_own_is_not(person_a):
    root = User.objects.create_superuser("root", "root@example.test", "x-Very-long-passphrase-1")
    people.change_password(person_a, "another-Long-passphrase-2", by=person_a)
    assert not AuditEvent.objects.exists()
    people.change_password(person_a, "a-third-Long-passphrase-3", by=root)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.target) == (Type.PASSWORD_RESET_BY_STAFF, root, person_a)


def test_memberships_granted_and_deleted_in_the_admin_are_audited(admin_client, admin_user, office_a, person_a):
    response = admin_client.post(reverse("admin:emes_membership_add"), {"user": person_a.pk, "office": office_a.pk, "role": Role.SUPERVISOR})
    assert response.status_code == 302
    granted = AuditEvent.objects.get()
    assert (granted.event_type, granted.actor, granted.target) == (Type.ROLE_GRANTED, admin_user, person_a)
    assert granted.after == roles((Role.SUPERVISOR, None, None), (Role.VIEWER, None, None))
    membership = Membership.objects.get(user=person_a, role=Role.SUPERVISOR)
    response = admin_client.post(reverse("admin:emes_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    removed = AuditEvent.objects.get(event_type=Type.ROLE_REMOVED)
    assert (removed.actor, removed.target, removed.before, removed.after) == (
        admin_user, person_a, roles((Role.SUPERVISOR, None, None), (Role.VIEWER, None, None)), roles((Role.VIEWER, None, None)),
    )


# --- office settings ----------------------------------------------------------------------------------


@pytest.fixture
def director_in_admin(director_a):
    director_a.is_staff = True
    director_a.save(update_fields=["is_staff"])
    director_a.groups.add(ensure_office_admin_group())
    return director_a


def _office_form(office: Office, **changes) -> dict:
    data = {
        "area_code": office.area_code, "name": office.name, "type": office.type, "province": office.province, "address": office.address,
        "phone": office.phone, "director_name": office.director_name, "director_position": office.director_position,
        "letter_prefix": office.letter_prefix, "email": office.email, "letters_unit": office.letters_unit,
        "report_digits": office.report_digits,
    }
    if office.letters_in_thai_digits:
        data["letters_in_thai_digits"] = "on"
    data.update(changes)
    return data


def test_changing_office_settings_in_the_admin_writes_an_event_with_the_fields_before_and_after(client, director_in_admin, office_a):
    office_a.letter_prefix = "ศธ 04001"
    office_a.save()
    client.force_login(director_in_admin)
    response = client.post(reverse("admin:emes_office_change", args=[office_a.pk]),
                           _office_form(office_a, letter_prefix="ศธ 04999", director_name="นายใหม่ ผู้อำนวยการ"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get()
    assert (event.event_type, event.office, event.actor, event.target) == (Type.OFFICE_SETTINGS_CHANGED, office_a, director_in_admin, office_a)
    assert event.before == {"director_name": office_a.director_name, "letter_prefix": "ศธ 04001"}
    assert event.after == {"director_name": "นายใหม่ ผู้อำนวยการ", "letter_prefix": "ศธ 04999"}


def test_the_annual_report_digit_style_is_an_office_setting_edited_and_audited_in_the_admin(client, director_in_admin, office_a):
    client.force_login(director_in_admin)
    response = client.post(reverse("admin:emes_office_change", args=[office_a.pk]), _office_form(office_a, report_digits="arabic"))
    assert response.status_code == 302, response.content.decode()[:2000]
    office_a.refresh_from_db()
    assert office_a.report_digits == "arabic"
    event = AuditEvent.objects.get()
    assert (event.before, event.after) == ({"report_digits": "thai"}, {"report_digits": "arabic"})
    response = client.post(reverse("admin:emes_office_change", args=[office_a.pk]), _office_form(office_a, report_digits="roman"))
    assert response.status_code == 200 and Office.objects.get(pk=office_a.pk).report_digits == "arabic"


def test_saving_an_office_unchanged_writes_nothing_and_a_new_one_writes_its_creation(office_a, planner_a):
    save_office(Office.objects.get(pk=office_a.pk), by=planner_a)
    assert not AuditEvent.objects.exists()
    new = save_office(Office(area_code="9903", name="สพป.ทดสอบ เขต 3"), by=planner_a)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.target, event.after["area_code"]) == (Type.OFFICE_CREATED, new, "9903")


# --- reading the trail ----------------------------------------------------------------------------------


def test_the_admin_lists_events_of_the_own_office_only_and_offers_no_change(client, director_in_admin, office_a, office_b, planner_a,
                                                                           outsider_b, person_a):
    people.add_membership(office_a, user=person_a, role=Role.SUPERVISOR, by=planner_a)
    stranger = UserFactory(username="stranger_b")
    people.add_membership(office_b, user=stranger, role=Role.VIEWER, by=outsider_b)
    client.force_login(director_in_admin)
    page = client.get(reverse("admin:emes_auditevent_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert str(person_a) in html and "stranger_b" not in html
    theirs = AuditEvent.objects.get(office=office_b)
    assert client.get(reverse("admin:emes_auditevent_change", args=[theirs.pk])).status_code == 302  # not found → index
    mine = AuditEvent.objects.get(office=office_a)
    assert client.post(reverse("admin:emes_auditevent_delete", args=[mine.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=mine.pk).exists()


def test_the_people_page_shows_the_history_of_roles(client, office_a, planner_a, person_a, outsider_b):
    people.add_membership(office_a, user=person_a, role=Role.SUPERVISOR, by=planner_a)
    stranger = UserFactory(username="stranger_b")
    people.add_membership(outsider_b.memberships.get().office, user=stranger, role=Role.VIEWER, by=outsider_b)
    client.force_login(planner_a)
    html = client.get(reverse("people:people", args=[office_a.area_code])).content.decode()
    assert 'data-event="role_granted"' in html and str(Role.SUPERVISOR.label) in html
    assert "stranger_b" not in html


def test_record_audit_event_refuses_an_unknown_type_and_keeps_the_target_text(office_a, planner_a):
    with pytest.raises(ValueError):
        record_audit_event("made_up", actor=planner_a)
    event = record_audit_event(Type.OFFICE_SETTINGS_CHANGED, actor=planner_a, office=office_a, target=office_a)
    assert event.target_type == ContentType.objects.get_for_model(Office) and event.target_repr == office_a.name
