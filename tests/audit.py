"""Test helpers of the audit trail: watch that a service writes its transition through ``record_transition``."""
from __future__ import annotations

import datetime as dt
from types import ModuleType

from django.utils import timezone

from emes.audit import services as audit_services
from emes.audit.models import TransitionBase


def spy_record_transition(monkeypatch, *modules: ModuleType) -> list[TransitionBase]:
    """Wrap ``record_transition`` as ``modules`` imported it; returns the list the rows it writes are appended to.

    The real function still runs (the rows are in the database); a service that wrote its row another way
    leaves the list empty.
    """
    rows: list[TransitionBase] = []

    def spy(obj, **kwargs):
        row = audit_services.record_transition(obj, **kwargs)
        rows.append(row)
        return row

    for module in modules:
        monkeypatch.setattr(module, "record_transition", spy)
    return rows


def assert_transition(row: TransitionBase, subject, *, by, from_status: str, to_status: str, comment: str = "") -> None:
    """``row`` is a saved transition of ``subject`` (its registered model) with who, when (just now), from, to, comment."""
    assert isinstance(row, TransitionBase)
    assert type(row) is audit_services.transition_model_for(subject)
    stored = type(row).objects.get(pk=row.pk)
    assert stored.subject == subject
    found = (stored.by, stored.from_status, stored.to_status, stored.comment)
    assert found == (by, from_status, to_status, comment), found
    assert abs(stored.at - timezone.now()) < dt.timedelta(minutes=1)
