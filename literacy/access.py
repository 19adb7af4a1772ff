"""Who may run literacy rounds and enter results: the literacy app's access rules on top of the core primitives.

Rule source: docs/roles-and-access.md (the plan officer owns the literacy windows; a school account works for its
own school only) and the literacy seed manual's round procedure (docs/literacy.md).
"""
from __future__ import annotations

from emes.access import REGISTRY_ROLES, User, holds_any, school_ids_of_account
from emes.models import Office, School

#: Who runs rounds and their window: the plan officer (นักวิเคราะห์นโยบายและแผน).
ROUND_MANAGERS = REGISTRY_ROLES


def can_manage_rounds(user: User, office: Office) -> bool:
    """Whether ``user`` may create, open, close and reopen the office's literacy rounds (the plan officer)."""
    return user is not None and holds_any(user, office, ROUND_MANAGERS)


def can_enter_results(user: User, school: School) -> bool:
    """Whether ``user`` may enter literacy results for ``school``: its own account, or the office's plan officer."""
    if not user.is_authenticated:
        return False
    return holds_any(user, school.office, REGISTRY_ROLES) or school.pk in school_ids_of_account(user)
