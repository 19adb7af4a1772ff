"""Login throttling and records (django-axes): lockout after 5 failures, every attempt logged."""
from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sixth_attempt_with_the_right_password_is_locked_out(client, planner_a):
    for _ in range(4):
        assert log_in(client, "planner_a", "wrong-password").status_code == 200  # the form, with an error
    assert log_in(client, "planner_a", "wrong-password").status_code == 429  # the 5th failure locks

    response = log_in(client, "planner_a", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "เข้าสู่ระบบผิดหลายครั้ง" in page  # the Thai locked-out page
    assert "15" in page  # minutes to wait
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="planner_a")
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="planner_a").count() >= 5
    assert AccessFailureLog.objects.filter(username="planner_a", locked_out=True).exists()
    assert not AccessLog.objects.filter(username="planner_a").exists()


def test_the_lockout_is_per_username_and_address(client, planner_a, director_a):
    for _ in range(5):
        log_in(client, "planner_a", "wrong-password")
    assert log_in(client, "director_a", PASSWORD).status_code == 302  # another person on the same PC


def test_a_successful_login_is_recorded(client, planner_a):
    log_in(client, "planner_a", "wrong-password")
    assert log_in(client, "planner_a", PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username="planner_a").count() == 1
    assert AccessFailureLog.objects.filter(username="planner_a").count() == 1
    assert not AccessAttempt.objects.filter(username="planner_a").exists()  # AXES_RESET_ON_SUCCESS
