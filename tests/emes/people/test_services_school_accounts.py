"""create_school_accounts: one login per open school, skipped when existing, reset, all or nothing."""
from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError

from emes.models import Membership, Profile, Role, SchoolAccountBatch
from emes.people import documents, services
from tests.factories import SchoolFactory

from .helpers import one_time_passwords

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_one_account_per_open_school(batch_a, office_a, planner_a, schools_a):
    open_codes = {"99010001", "99010002", "99010003"}
    users = User.objects.filter(username__in=[s.smis_code for s in schools_a])
    assert {u.username for u in users} == open_codes  # the closed school 99010004 gets none
    assert batch_a.accounts == 3 and batch_a.office == office_a and batch_a.created_by == planner_a
    assert batch_a.pdf.name.endswith(".pdf") and batch_a.xlsx.name.endswith(".xlsx")
    for user in users:
        membership = Membership.objects.get(user=user)
        assert membership.role == Role.SCHOOL and membership.school.smis_code == user.username
        assert membership.office == office_a
        assert user.emes_profile.must_change_password
    assert User.objects.get(username="99010001").first_name == "โรงเรียนบ้านดอนแก้ว"
    assert User.objects.get(username="99010003").first_name == "โรงเรียนวัดป่าแดง"  # no double prefix


def test_one_time_passwords_are_readable_random_and_work(batch_a):
    passwords = one_time_passwords(batch_a)
    assert len(set(passwords.values())) == 3
    for username, password in passwords.items():
        assert len(password) == 10 and not set(password) & set("0O1lI")
        assert User.objects.get(username=username).check_password(password)


@pytest.fixture
def production_hashers(settings):
    """Django's default hashers (PBKDF2 first), instead of the tests' MD5."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def test_one_time_hash_is_upgraded_at_first_login(production_hashers, client, office_a, planner_a, schools_a):
    """The lighter one-time hash is replaced by the full-strength one as soon as the school logs in."""
    batch_a = services.create_school_accounts(office_a, by=planner_a, schools=[schools_a[0]])
    user = User.objects.get(username="99010001")
    assert user.password.startswith("pbkdf2_sha256$100000$")
    client.post("/accounts/login/", {"username": "99010001", "password": one_time_passwords(batch_a)["99010001"]})
    user.refresh_from_db()
    algorithm, iterations, *_ = user.password.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) > 100_000


def test_existing_accounts_are_skipped(batch_a, office_a, planner_a):
    before = dict(User.objects.filter(username__startswith="9901").values_list("username", "password"))
    with pytest.raises(ValidationError, match="โรงเรียนที่เลือกมีบัญชีผู้ใช้ครบแล้ว"):
        services.create_school_accounts(office_a, by=planner_a)
    assert SchoolAccountBatch.objects.count() == 1

    SchoolFactory(office=office_a, smis_code="99010005", name="บ้านใหม่", cluster="กลุ่มโรงเรียนเมือง")
    second = services.create_school_accounts(office_a, by=planner_a)
    assert second.accounts == 1 and set(one_time_passwords(second)) == {"99010005"}
    after = dict(User.objects.filter(username__in=before).values_list("username", "password"))
    assert after == before  # nobody else's password changed


def test_reset_gives_a_new_one_time_password_and_lifts_the_lockout(client, batch_a, office_a, planner_a, schools_a):
    school = schools_a[0]
    code = school.smis_code
    old = one_time_passwords(batch_a)[code]
    for _ in range(5):
        client.post("/accounts/login/", {"username": code, "password": "wrong-guess"})
    assert client.post("/accounts/login/", {"username": code, "password": old}).status_code == 429  # locked out

    reset = services.create_school_accounts(office_a, by=planner_a, schools=[school], reset_existing=True)

    new = one_time_passwords(reset)[code]
    user = User.objects.get(username=code)
    assert reset.accounts == 1 and new != old
    assert not user.check_password(old)
    assert user.emes_profile.must_change_password
    assert Membership.objects.filter(user=user).count() == 1  # not linked twice
    assert not AccessAttempt.objects.filter(username=code).exists()
    response = client.post("/accounts/login/", {"username": code, "password": new})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)


def test_reset_after_the_school_chose_its_password_sets_the_flag_again(batch_a, office_a, planner_a, schools_a):
    user = User.objects.get(username="99010002")
    services.change_password(user, "Huai-Sai-2569!", by=user)
    assert not Profile.objects.get(user=user).must_change_password
    services.create_school_accounts(office_a, by=planner_a, schools=[schools_a[1]], reset_existing=True)
    user.refresh_from_db()
    assert Profile.objects.get(user=user).must_change_password and not user.check_password("Huai-Sai-2569!")


def test_reset_all_reissues_every_open_school(batch_a, office_a, planner_a):
    again = services.create_school_accounts(office_a, by=planner_a, reset_existing=True)
    assert again.accounts == 3
    assert User.objects.filter(username__startswith="9901").count() == 3


def test_only_the_plan_officer_generates(office_a, director_a, viewer_a, schools_a):
    for user in (director_a, viewer_a):
        with pytest.raises(PermissionDenied):
            services.create_school_accounts(office_a, by=user)
    assert not User.objects.filter(username__startswith="9901").exists()


def test_a_school_of_another_office_is_refused(office_a, planner_a, schools_a, school_b):
    with pytest.raises(ValidationError, match="99020001"):
        services.create_school_accounts(office_a, by=planner_a, schools=[schools_a[0], school_b])
    assert not User.objects.filter(username__in=["99010001", "99020001"]).exists()


def test_a_staff_username_is_never_taken_over(office_a, planner_a, schools_a):
    staff = User.objects.create_user(username="99010001", password="x")
    Membership.objects.create(user=staff, office=office_a, role=Role.SUPERVISOR)
    with pytest.raises(ValidationError, match="ชื่อผู้ใช้ 99010001 เป็นบัญชีของบุคลากร"):
        services.create_school_accounts(office_a, by=planner_a, schools=[schools_a[0]], reset_existing=True)
    staff.refresh_from_db()
    assert staff.check_password("x")


def test_failing_pdf_leaves_nothing_behind(monkeypatch, settings, office_a, planner_a, schools_a):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(documents, "school_accounts_pdf", broken)
    with pytest.raises(RuntimeError):
        services.create_school_accounts(office_a, by=planner_a)
    assert not User.objects.filter(username__startswith="9901").exists()
    assert not Membership.objects.filter(role=Role.SCHOOL).exists()
    assert not Profile.objects.exists()
    assert not SchoolAccountBatch.objects.exists()
    assert not [p for p in settings.PRIVATE_STORAGE_ROOT.rglob("*") if p.is_file()]


def test_failing_save_removes_written_files(monkeypatch, settings, office_a, planner_a, schools_a):
    """A failure after the files were written (here: saving the row) deletes them again."""
    original = SchoolAccountBatch.save

    def fail_on_files(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["pdf", "xlsx"]:
            raise RuntimeError("database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchoolAccountBatch, "save", fail_on_files)
    with pytest.raises(RuntimeError):
        services.create_school_accounts(office_a, by=planner_a)
    assert not SchoolAccountBatch.objects.exists()
    root = settings.PRIVATE_STORAGE_ROOT
    assert not [p for p in root.rglob("*") if p.is_file()]


def test_generated_password_alphabet():
    for _ in range(200):
        password = services.generate_one_time_password()
        assert len(password) == 10
        assert set(password) <= set(services.ONE_TIME_PASSWORD_ALPHABET)
        assert any(c.isdigit() for c in password) and any(c.isalpha() for c in password)


def test_one_time_hash_verifies_with_the_configured_hashers(production_hashers):
    encoded = services._hash_one_time_passwords(["abcDEF2345"])[0]
    assert encoded.startswith("pbkdf2_sha256$100000$")
    assert check_password("abcDEF2345", encoded) and not check_password("abcDEF2346", encoded)


def test_another_configured_hasher_is_used_as_it_is(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    encoded = services._hash_one_time_passwords(["abcDEF2345"])[0]
    assert encoded.startswith("md5$") and check_password("abcDEF2345", encoded)
