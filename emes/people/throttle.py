"""Throttles for the account pages that anyone may use without logging in.

The login is throttled by django-axes (``AXES_*`` settings); the password-reset form sends mail, so it
gets its own limit here: at most ``EMES_PASSWORD_RESET_LIMIT`` requests per e-mail address and per
client address in ``EMES_PASSWORD_RESET_WINDOW_MINUTES``. The counters live in Django's default cache
(``CACHE_URL``: Redis in docker-compose.yml, so every gunicorn worker shares them).
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_KEY_PREFIX = "emes:password-reset"


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (a string; ``""`` if unknown).

    Behind the TLS proxy (``EMES_BEHIND_TLS_PROXY``) every request comes from the proxy, which replaces
    any ``X-Forwarded-For`` a client sent with the address it saw (Caddy does so for untrusted
    clients), so the last entry of that header is the client. Without a proxy the header is the
    client's own claim and is ignored. django-axes uses this function too (``AXES_CLIENT_IP_CALLABLE``),
    so the login and the reset throttle count the same address.
    """
    if getattr(settings, "EMES_BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, value: str) -> str:
    # Hashed: the cache holds no e-mail address, and any input makes a valid cache key.
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{_KEY_PREFIX}:{kind}:{digest}"


def count_in_window(key: str, window_seconds: int) -> int:
    """Add one to the counter at ``key`` (which expires ``window_seconds`` after its first request)."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=window_seconds)
        return 1


def allow_password_reset(email: str, ip: str) -> bool:
    """Count one password-reset request for ``email`` from ``ip``; False once either is over the limit.

    Every request counts, whether or not an account uses the address, so the answer (and the page the
    user sees) never tells whether an account exists. The window is fixed: it starts at the first
    request and lasts ``EMES_PASSWORD_RESET_WINDOW_MINUTES``.
    """
    window = settings.EMES_PASSWORD_RESET_WINDOW_MINUTES * 60
    limit = settings.EMES_PASSWORD_RESET_LIMIT
    by_email = count_in_window(_key("email", email.strip().casefold()), window)
    by_ip = count_in_window(_key("ip", ip), window)
    return by_email <= limit and by_ip <= limit
