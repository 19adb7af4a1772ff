"""A throttle against flooding the public answer page (docs/evaluation.md, "Public link").

Same pattern and cache as the password-reset throttle (``emes.people.throttle``): a fixed-window counter in
Django's default cache (Redis in deployment, shared by every worker), keyed by a hash of the client address
and the evaluation, so the cache holds no address. At most ``EMES_PUBLIC_ANSWER_LIMIT`` answers per address
and evaluation in ``EMES_PUBLIC_ANSWER_WINDOW_MINUTES``.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from emes.people.throttle import client_ip

__all__ = ["allow_public_answer", "client_ip"]


def _count(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=window_seconds)
        return 1


def allow_public_answer(evaluation_id: int, ip: str) -> bool:
    """Count one public answer to ``evaluation_id`` from ``ip``; False once over the limit."""
    digest = hashlib.sha256(f"{evaluation_id}:{ip}".encode("utf-8", "surrogatepass")).hexdigest()
    return _count(f"emes:evaluation-answer:{digest}", settings.EMES_PUBLIC_ANSWER_WINDOW_MINUTES * 60) <= settings.EMES_PUBLIC_ANSWER_LIMIT
