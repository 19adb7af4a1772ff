"""The first login of a school account forces a password change; afterwards the school works normally."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from emes.models import Profile
from emes.people import services

from .helpers import one_time_passwords

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Don-Kaew-School-2569"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def logged_in_school(client, batch_a, school_user_a):
    response = log_in(client, "99010001", one_time_passwords(batch_a)["99010001"])
    assert response.status_code == 302
    return client


def test_first_login_lands_on_the_password_change_page(client, batch_a, school_user_a):
    response = log_in(client, "99010001", one_time_passwords(batch_a)["99010001"])
    response = client.get(response.url)  # LOGIN_REDIRECT_URL: home
    assert response.status_code == 302 and response.url.startswith(reverse("password_change"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert "กรุณาเปลี่ยนรหัสผ่านก่อนเริ่มใช้งาน" in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("home"),
        lambda: reverse("people:people", args=["9901"]),
        lambda: reverse("reports:annual-report", args=["9901", 2569]),
        lambda: reverse("people:school-accounts", args=["9901"]),
        lambda: reverse("password_reset"),
    ],
)
def test_every_page_redirects_until_changed(logged_in_school, url):
    response = logged_in_school.get(url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("password_change"))


def test_after_the_change_no_redirect_and_the_flag_is_cleared(logged_in_school, batch_a, school_user_a):
    old = one_time_passwords(batch_a)["99010001"]
    response = logged_in_school.post(
        reverse("password_change") + "?next=/",
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "next": "/"},
    )
    assert response.status_code == 302 and response.url == "/"
    profile = Profile.objects.get(user=school_user_a)
    assert not profile.must_change_password and profile.password_changed_at is not None
    home = logged_in_school.get(reverse("home"))
    assert home.status_code == 200  # still logged in, no more redirect
    logged_in_school.logout()
    assert log_in(logged_in_school, "99010001", old).status_code == 200  # the form again: refused
    assert log_in(logged_in_school, "99010001", NEW_PASSWORD).status_code == 302


def test_the_one_time_password_cannot_be_kept(logged_in_school, batch_a, school_user_a):
    old = one_time_passwords(batch_a)["99010001"]
    response = logged_in_school.post(reverse("password_change"), {"old_password": old, "new_password1": old, "new_password2": old})
    assert response.status_code == 200
    assert Profile.objects.get(user=school_user_a).must_change_password


def test_an_unsafe_next_goes_home(logged_in_school, batch_a):
    old = one_time_passwords(batch_a)["99010001"]
    response = logged_in_school.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_weak_password_is_refused(logged_in_school, batch_a, school_user_a):
    old = one_time_passwords(batch_a)["99010001"]
    response = logged_in_school.post(reverse("password_change"), {"old_password": old, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert Profile.objects.get(user=school_user_a).must_change_password


def test_staff_change_their_password_without_being_forced(client, planner_a):
    client.force_login(planner_a)
    page = client.get(reverse("password_change")).content.decode()
    assert 'id="forced-change"' not in page
    response = client.post(
        reverse("password_change"),
        {"old_password": "test-password-2569", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("home")
    planner_a.refresh_from_db()
    assert planner_a.check_password(NEW_PASSWORD) and Profile.objects.get(user=planner_a).password_changed_at


def test_change_password_service_refuses_another_actor(school_user_a, planner_a):
    with pytest.raises(PermissionDenied):
        services.change_password(school_user_a, NEW_PASSWORD, by=planner_a)
    with pytest.raises(ValidationError, match="รหัสผ่านสั้นเกินไป"):
        services.change_password(school_user_a, "short", by=school_user_a)
    assert Profile.objects.get(user=school_user_a).must_change_password


def test_a_school_account_sees_only_its_own_school(logged_in_school, batch_a, school_user_a, schools_a, school_b):
    from emes.models import School

    assert list(School.objects.visible_to(school_user_a)) == [schools_a[0]]
    old = one_time_passwords(batch_a)["99010001"]
    logged_in_school.post(reverse("password_change"), {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # the office's people pages are staff pages: 404 for a school, whichever school they name
    for url in (
        reverse("people:people", args=["9901"]),
        reverse("people:school-accounts", args=["9901"]),
        reverse("people:school-accounts-pdf", args=["9901", batch_a.pk]),
    ):
        assert logged_in_school.get(url).status_code == 404, url
    for code in ("99010001", "99010002"):
        assert logged_in_school.post(reverse("people:reset-school-password", args=["9901", code])).status_code == 404
