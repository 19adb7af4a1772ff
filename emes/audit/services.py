"""Writing the audit trail: :func:`record_transition` for status moves, :func:`record_audit_event` for who did what to whom.

Both are called inside the caller's ``transaction.atomic`` block, so the row exists exactly when the change does.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .models import AuditEvent, TransitionBase

#: Longest ``AuditEvent.target_repr`` kept (characters).
_REPR_LENGTH = 300


@cache
def _transition_models() -> dict[type[models.Model], type[TransitionBase]]:
    """Subject model → its concrete transition model, from every installed model subclassing :class:`TransitionBase`.

    Built once, after the app registry is ready. Raises ``ImproperlyConfigured`` when a subclass names no
    ``subject_field`` or two subclasses record the same subject model.
    """
    registry: dict[type[models.Model], type[TransitionBase]] = {}
    for model in apps.get_models():
        if not issubclass(model, TransitionBase):
            continue
        if not model.subject_field:
            raise ImproperlyConfigured(f"{model.__name__} must name its subject foreign key in subject_field.")
        subject = model._meta.get_field(model.subject_field).related_model
        if subject in registry:
            raise ImproperlyConfigured(f"{subject.__name__} has two transition models: {registry[subject].__name__}, {model.__name__}.")
        registry[subject] = model
    return registry


def transition_model_for(subject: models.Model | type[models.Model]) -> type[TransitionBase]:
    """The concrete transition model recording ``subject``'s model (an instance or the class).

    Raises ``LookupError`` when no installed :class:`TransitionBase` subclass records it.
    """
    model = subject if isinstance(subject, type) else type(subject)
    model = model._meta.concrete_model
    try:
        return _transition_models()[model]
    except KeyError:
        raise LookupError(f"No transition model records {model.__name__}.") from None


def record_transition(obj: models.Model, *, by, from_status: str, to_status: str, comment: str = "", **extra: Any) -> TransitionBase:
    """Write one transition row of ``obj``: ``by`` (a user or ``None`` for the system), from, to, comment; ``at`` = now.

    ``from_status=""`` records the object's creation; ``from_status == to_status`` an event that moves nothing
    (say what in ``comment``). ``extra`` fills fields a concrete model adds (e.g. a recommendation's
    ``follow_up``). The caller has already saved the new status, in the same transaction. Returns the row.
    Raises ``LookupError`` if no transition model records ``obj``'s model.
    """
    model = transition_model_for(obj)
    return model.objects.create(
        **{model.subject_field: obj}, by=by, from_status=from_status, to_status=to_status, comment=comment, **extra
    )


def _target_fields(target: models.Model | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": str(target.pk),
        "target_repr": str(target)[:_REPR_LENGTH],
    }


def record_audit_event(
    event_type: str,
    *,
    actor,
    office=None,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one :class:`AuditEvent`: ``actor`` (a user, ``None`` for a command or the system) did ``event_type``
    (an ``AuditEvent.Type``) to ``target`` in ``office``; ``before`` / ``after`` are JSON-serialisable dicts of
    the state that changed. Returns the row. Raises ``ValueError`` for an unknown event type.
    """
    if event_type not in AuditEvent.Type.values:
        raise ValueError(f"Unknown audit event type: {event_type!r}")
    actor = actor if getattr(actor, "pk", None) else None  # an anonymous user is no actor
    return AuditEvent.objects.create(
        event_type=event_type, actor=actor, office=office, before=before, after=after, **_target_fields(target)
    )


def record_audit_events(events: Iterable[dict[str, Any]]) -> list[AuditEvent]:
    """Write many events in one query; each item holds the keyword arguments of :func:`record_audit_event`."""
    rows = []
    for event in events:
        event = dict(event)
        event_type = event.pop("event_type")
        if event_type not in AuditEvent.Type.values:
            raise ValueError(f"Unknown audit event type: {event_type!r}")
        actor = event.pop("actor", None)
        target = event.pop("target", None)
        rows.append(AuditEvent(
            event_type=event_type, actor=actor if getattr(actor, "pk", None) else None, **_target_fields(target), **event,
        ))
    return AuditEvent.objects.bulk_create(rows)
