"""Template context for the header: the signed-in user's unread notification count (the bell) and the
offices where something may wait for their decision (the inbox link of the navigation, issue 17)."""
from __future__ import annotations

from django.http import HttpRequest

from emes.access import roles_by_area_code
from emes.models import Role

from .models import Notification

#: Roles that decide on reports (the review/approval inbox): docs/workflows.md.
DECIDING_ROLES = (Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD)


def notifications(request: HttpRequest) -> dict:
    """``unread_notifications`` (int) and ``inbox_offices`` ([(area_code, is_director)]) for a signed-in user,
    each computed lazily when the template asks (the count: one query; the offices: the role cache), else ``{}``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        return Notification.objects.for_user(user).unread().count()

    def inbox_offices() -> list[tuple[str, bool]]:
        # From the request's role cache (emes.access): no query of its own.
        return [(code, Role.DIRECTOR in roles) for code, roles in sorted(roles_by_area_code(user).items())
                if roles & set(DECIDING_ROLES)]

    return {"unread_notifications": count, "inbox_offices": inbox_offices}
