"""The password-reset form is throttled per e-mail address and per client address (on Redis, as deployed)."""
from __future__ import annotations

import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
THROTTLED = "บ่อยเกินไป"  # part of the Thai message shown once over the limit


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The counters in Redis (the broker's server), under a prefix of this test's own; they expire in an hour."""
    assert django_settings.CELERY_BROKER_URL.startswith("redis://"), "the suite runs with CELERY_BROKER_URL on Redis"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": django_settings.CELERY_BROKER_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def planner_with_email(planner_a):
    planner_a.email = "planner_a@example.test"
    planner_a.save(update_fields=["email"])
    return planner_a


def _ask(client, email, ip="192.0.2.10", **headers):
    """Ask for a reset mail; the messages shown on the "check your email" page it leads to."""
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, follow=True, **headers)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    return [str(m) for m in response.context["messages"]]


def test_fourth_request_for_an_address_in_an_hour_sends_no_mail(client, planner_with_email):
    for n in range(3):
        assert _ask(client, "planner_a@example.test", ip=f"192.0.2.{n + 1}") == []
    assert len(mail.outbox) == 3

    messages = _ask(client, "Planner_A@example.test ", ip="192.0.2.99")  # another device, same address
    assert len(mail.outbox) == 3
    assert len(messages) == 1 and THROTTLED in messages[0]


def test_fourth_request_from_a_client_in_an_hour_sends_no_mail(client, planner_with_email, director_a):
    director_a.email = "director_a@example.test"
    director_a.save(update_fields=["email"])
    for email in ("nobody1@example.test", "nobody2@example.test", "director_a@example.test"):
        assert _ask(client, email) == []
    assert len(mail.outbox) == 1

    messages = _ask(client, "planner_a@example.test")  # a fresh address, same client
    assert mail.outbox[-1].to == ["director_a@example.test"] and len(mail.outbox) == 1
    assert len(messages) == 1 and THROTTLED in messages[0]


def test_the_throttle_message_does_not_tell_whether_an_account_exists(client, planner_with_email):
    known, unknown = [], []
    for n in range(4):
        known = _ask(client, "planner_a@example.test", ip=f"198.51.100.{n + 1}")
        unknown = _ask(client, "nobody@example.test", ip=f"203.0.113.{n + 1}")
    assert len(mail.outbox) == 3  # the known address only, three times
    assert known == unknown and len(known) == 1
    done_known = client.get(reverse("password_reset_done")).content
    assert THROTTLED.encode() not in done_known  # the message is shown once


def test_the_throttle_counts_the_client_behind_the_proxy_not_the_proxy(client, settings, planner_with_email):
    settings.EMES_BEHIND_TLS_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(5):  # five clients through one proxy: each its own count
        response = client.post(
            reverse("password_reset"), {"email": f"nobody{n}@example.test"}, follow=True,
            REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}", HTTP_X_FORWARDED_PROTO="https",
        )
        assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
        assert [str(m) for m in response.context["messages"]] == []
    # A client's own X-Forwarded-For without the proxy is not believed: one address, throttled.
    settings.EMES_BEHIND_TLS_PROXY = False
    for n in range(4):
        messages = _ask(client, f"other{n}@example.test", ip="192.0.2.200", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert len(messages) == 1 and THROTTLED in messages[0]
