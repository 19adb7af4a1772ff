"""In-app notifications: what EMES tells a user (a reminder, a returned report, something waiting for them).

Each notification has a ``kind`` (:class:`Kind`); a user chooses per kind whether it also comes by e-mail
(:class:`EmailPreference`, on unless turned off). E-mails are grouped: see ``emes.notifications.services``.
Source of the rule: issue 17 ("People are told"), docs/workflows.md.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about, in words general enough for every app (the core names no app)."""

    RETURNED = "returned", _("Something of mine was returned for revision")
    ACCEPTED = "accepted", _("Something of mine was accepted")
    APPROVED = "approved", _("Something of mine was approved")
    REOPENED = "reopened", _("Something of mine was reopened")
    WAITING_REVIEW = "waiting_review", _("Something waits for my review")
    WAITING_APPROVAL = "waiting_approval", _("Something waits for my approval")
    WINDOW_REOPENED = "window_reopened", _("A submission window was reopened for me")
    REMINDER = "reminder", _("Reminders of what I owe")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(user=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user, unread until ``read_at`` is set; ``url`` points at what to act on.

    ``email_pending`` is true while the message still has to go out in the user's next e-mail digest.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user"))
    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REMINDER)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_pending = models.BooleanField(_("e-mail pending"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        app_label = "emes"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            models.Index(fields=["user"], condition=models.Q(email_pending=True), name="notification_email_pending"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class EmailPreference(models.Model):
    """A user's choice for one :class:`Kind`: e-mail on or off. No row means on (the default of issue 17)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        app_label = "emes"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"
