"""Template context for the header: the signed-in user's unread notification count (the bell) and the
offices where something may wait for their decision (the inbox link of the navigation, issue 17)."""
from __future__ import annotations

from django.http import HttpRequest

from emes.models import Membership, Role

from .models import Notification

#: Roles that decide on reports (the review/approval inbox): docs/workflows.md.
DECIDING_ROLES = (Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD)


def notifications(request: HttpRequest) -> dict:
    """``unread_notifications`` (int) and ``inbox_offices`` ([(area_code, is_director)]) for a signed-in user,
    each computed lazily (one query when the template asks), else ``{}``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        return Notification.objects.for_user(user).unread().count()

    def inbox_offices() -> list[tuple[str, bool]]:
        rows: dict[str, bool] = {}
        for code, role in Membership.objects.filter(user=user, role__in=DECIDING_ROLES).values_list("office__area_code", "role").order_by("office__area_code"):
            rows[code] = rows.get(code, False) or role == Role.DIRECTOR
        return list(rows.items())

    return {"unread_notifications": count, "inbox_offices": inbox_offices}
