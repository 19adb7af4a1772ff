"""The one office scoping of EMES's querysets: ``OfficeScopedQuerySet`` with the path to the office as an attribute.

Every model that belongs to an office (directly or through a project, a round...) gets its ``visible_to(user)``
from here, so the rule "a person sees only the offices of their memberships" (docs/roles-and-access.md) is
written once, the way Read the Docs' related-project querysets name the path to the project.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .access import STAFF_ROLES, offices_visible_to


class OfficeScopedQuerySet(models.QuerySet):
    """Rows of the offices where a user holds one of ``visible_roles`` (every office for a superuser, none for anonymous).

    Subclasses set ``office_path``, the lookup from the model to ``Office`` (``"office"``,
    ``"project__office"``, ``"round__office"``), and may widen ``visible_roles`` (e.g. to school accounts).
    """

    office_path: str = "office"
    visible_roles: Iterable[str] = STAFF_ROLES

    def visible_to(self, user):
        """The rows ``user`` may see: those whose office (along ``office_path``) is one of the user's offices."""
        return self.filter(**{f"{self.office_path}__in": offices_visible_to(user, self.visible_roles)})
