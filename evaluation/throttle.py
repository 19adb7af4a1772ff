"""A throttle against flooding the public answer page (docs/evaluation.md, "Public link").

Same pattern and cache as the password-reset throttle (``emes.people.throttle``): a fixed-window counter in
Django's default cache (Redis in deployment, shared by every worker), keyed by a hash of the client address
and the evaluation, so the cache holds no address. At most ``EMES_PUBLIC_ANSWER_LIMIT`` answers per address
and evaluation in ``EMES_PUBLIC_ANSWER_WINDOW_MINUTES``.
"""
from __future__ import annotations

import hashlib

from django.conf import settings

from emes.people.throttle import client_ip, count_in_window

__all__ = ["allow_public_answer", "client_ip"]


def allow_public_answer(evaluation_id: int, ip: str) -> bool:
    """Count one public answer to ``evaluation_id`` from ``ip``; False once over the limit."""
    digest = hashlib.sha256(f"{evaluation_id}:{ip}".encode("utf-8", "surrogatepass")).hexdigest()
    return count_in_window(f"emes:evaluation-answer:{digest}", settings.EMES_PUBLIC_ANSWER_WINDOW_MINUTES * 60) <= settings.EMES_PUBLIC_ANSWER_LIMIT
