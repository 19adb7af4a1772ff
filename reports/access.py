"""Who may build the office's documents: the reports app's access rules on top of the core primitives.

Rule source: docs/roles-and-access.md (the director and the plan officer build and publish documents).
"""
from __future__ import annotations

from emes.access import REPORT_BUILDER_ROLES, User, holds_any
from emes.models import Office


def can_build_reports(user: User, office: Office) -> bool:
    """Whether ``user`` may build the office's documents, e.g. the annual report (director, plan officer)."""
    return holds_any(user, office, REPORT_BUILDER_ROLES)
