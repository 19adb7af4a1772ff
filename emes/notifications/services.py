"""Writes of in-app notifications: create one or many, mark read.

Reads go through ``Notification.objects.for_user(user)`` so nobody reaches another user's messages.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Notification


def notify(user, *, title: str, body: str = "", url: str = "", office=None) -> Notification:
    """Create one unread notification for ``user``; ``url`` is a site path to act on (may be "")."""
    return Notification.objects.create(user=user, office=office, title=title[:300], body=body, url=url[:500])


def notify_many(users: Iterable, *, title: str, body: str = "", url: str = "", office=None) -> int:
    """Send the same notification to each of ``users`` (one INSERT); returns how many were created.

    A user listed twice gets it once.
    """
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, office=office, title=title[:300], body=body, url=url[:500]))
    return len(Notification.objects.bulk_create(rows))


@transaction.atomic
def mark_read(user, pk: int) -> Notification:
    """Mark ``user``'s notification ``pk`` read (kept as first read); ``Http404`` if it is not theirs."""
    notification = get_object_or_404(Notification.objects.for_user(user).select_for_update(), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed (one UPDATE)."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
