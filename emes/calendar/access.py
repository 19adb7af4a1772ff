"""Who keeps the monitoring calendar (rule source: docs/roles-and-access.md: the plan officer owns the calendar)."""
from __future__ import annotations

from emes.access import User, holds_any
from emes.models import Office, Role

#: Who keeps the office's calendar.
CALENDAR_MANAGERS = frozenset({Role.PLAN_OFFICER})


def can_manage_calendar(user: User, office: Office) -> bool:
    """Whether ``user`` may generate and edit the calendar of ``office`` (the plan officer)."""
    return user is not None and holds_any(user, office, CALENDAR_MANAGERS)
