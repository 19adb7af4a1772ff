"""Password reset by email (Django's token machinery), in Thai, clearing a one-time-password flag."""
from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from emes.models import Profile

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Phrae-Plan-2569!"


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_email_in_thai_with_a_working_link(client, planner_a):
    planner_a.email = "planner_a@example.test"
    planner_a.save(update_fields=["email"])
    Profile.objects.create(user=planner_a, must_change_password=True)

    response = client.post(reverse("password_reset"), {"email": "planner_a@example.test"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "ตรวจสอบอีเมล" in client.get(response.url).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["planner_a@example.test"]
    assert "รหัสผ่าน" in message.subject
    assert "ตั้งรหัสผ่านใหม่" in message.body and "planner_a" in message.body

    page = client.get(reset_link(message), follow=True)  # Django swaps the token for a session key
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")

    profile = Profile.objects.get(user=planner_a)
    assert not profile.must_change_password and profile.password_changed_at  # through the service
    login = client.post(reverse("login"), {"username": "planner_a", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.logout()
    again = client.get(reset_link(message), follow=True)  # a used link is dead
    assert 'name="new_password1"' not in again.content.decode()


def test_unknown_email_sends_nothing_but_says_the_same(client, planner_a):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_pages_are_thai_and_served_by_the_app(client):
    page = client.get(reverse("password_reset")).content.decode()
    assert "ลืมรหัสผ่าน" in page
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page and "cdn" not in page.lower()
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login
