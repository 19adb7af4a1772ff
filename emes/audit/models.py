"""Models of the audit trail (registered under the ``emes`` app; imported by ``emes.models``).

The core imports no app: a concrete transition model lives in its app and points at its subject there.
"""
from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def transition_status_fields(choices: type[models.TextChoices], *, max_length: int) -> tuple[models.CharField, models.CharField]:
    """The ``from_status`` and ``to_status`` fields of a concrete transition over ``choices``.

    Use in the subclass body: ``from_status, to_status = transition_status_fields(Plan.Status, max_length=12)``.
    ``from_status`` is blank on the row that records an object's creation.
    """
    return (
        models.CharField(_("from"), max_length=max_length, choices=choices.choices, blank=True),
        models.CharField(_("to"), max_length=max_length, choices=choices.choices),
    )


class TransitionBase(models.Model):
    """A recorded move of an object between statuses: who (``by``), when (``at``), from, to, and the comment.

    A concrete subclass declares the foreign key to its subject (with ``related_name="transitions"``), names it
    in ``subject_field`` and narrows the two status fields to its subject's choices
    (:func:`transition_status_fields`). ``emes.audit.services.record_transition`` finds the subclass by the
    subject's model, so a service never names the transition model. ``from_status == to_status`` records an
    event of the subject that is not a move (a schedule saved despite warnings, a window reopened for some
    schools); the comment then says what happened. Rows are ordered oldest first.
    """

    #: Name of the concrete model's foreign key to the object whose statuses it records.
    subject_field: ClassVar[str] = ""

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        # Subclasses put their subject first (``[subject, "at", "id"]``): the subject's foreign-key index
        # then serves the one read, the history of one object.
        ordering = ["at", "id"]

    @property
    def subject(self) -> models.Model:
        """The object whose move this row records."""
        return getattr(self, self.subject_field)

    def __str__(self) -> str:
        # Status names as people read them (the admin titles each history row with this).
        def label(field: str) -> str:
            value = getattr(self, field)
            display = getattr(self, f"get_{field}_display", None)
            return str(display()) if value and display else (value or "-")

        return f"{self.subject}: {label('from_status')} → {label('to_status')}"


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditEventQuerySet":
        """Events of the offices where ``user`` manages or oversees people (plan officer, director); all for a superuser."""
        from emes.access import REGISTRY_READER_ROLES, offices_visible_to  # cycle: emes.access -> emes.models -> emes.audit.models

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(office__in=offices_visible_to(user, REGISTRY_READER_ROLES))


class AuditEvent(models.Model):
    """Who (``actor``) did what (``event_type``) to whom (``target``), in which office, with the state before and after.

    ``target`` is any row (a user for role and account events, the office for its settings): content type, id,
    and ``target_repr``, its text at the time, kept if the row is deleted later. ``before`` / ``after`` are
    JSON of the part of the target's state that changed, e.g. ``{"roles": [{"role": "plan_officer",
    "division": null, "school": null}]}`` for a role event, ``{"letter_prefix": "ศธ 04001"}`` for office settings;
    ``null`` where there was no state (an account created has no ``before``). Rows are never changed or deleted
    by EMES. Model after Zulip's ``RealmAuditLog``.
    """

    class Type(models.TextChoices):
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ACCOUNT_CREATED = "account_created", _("Account created")
        PASSWORD_RESET_BY_STAFF = "password_reset", _("Password reset by staff")
        OFFICE_CREATED = "office_created", _("Office created")
        OFFICE_SETTINGS_CHANGED = "office_changed", _("Office settings changed")

    office = models.ForeignKey("emes.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events", verbose_name=_("office"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by"))
    event_type = models.CharField(_("event"), max_length=20, choices=Type.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("target type"))
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("whom"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "emes"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["office", "-at"], name="audit_event_office_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_event_type_display()} · {self.target_repr}"
