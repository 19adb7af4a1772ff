"""Reads of document builds."""
from __future__ import annotations

from .models import DocumentJob


def latest_document(office, key: str, target_id: int | None) -> DocumentJob | None:
    """The newest build of document ``key`` of ``target_id`` for ``office`` (any status), or ``None``."""
    return DocumentJob.objects.filter(office=office, kind=key, target_id=target_id).select_related("office").first()
