"""Template context: the signed-in user's unread notification count, for the bell in the header."""
from __future__ import annotations

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict:
    """``{"unread_notifications": int}`` for a signed-in user (one COUNT query, lazily), else ``{}``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    def count() -> int:
        return Notification.objects.for_user(user).unread().count()

    return {"unread_notifications": count}
