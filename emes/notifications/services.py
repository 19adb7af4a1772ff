"""Writes of notifications: tell people of an event (bell and, grouped, e-mail), mark read, e-mail preferences.

Reads go through ``Notification.objects.for_user(user)`` so nobody reaches another user's messages.

E-mail is grouped (issue 17: "no 40 mails for a bulk approval"): :func:`notify_people` only marks the new rows
``email_pending`` and, once the transaction commits, asks for the recipients' digests after
``EMES_NOTIFICATION_DIGEST_SECONDS`` (default 120 s). :func:`send_digest` then claims every pending row of one
user at once and sends them in one mail; the digests asked for later find nothing left and send nothing.
A bulk action done in one transaction therefore sends one mail per person even when Celery runs in-process.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _, ngettext

from .. import pagecache
from .models import EmailPreference, Kind, Notification


def _unique_active(users: Iterable, exclude=None) -> list:
    seen: set[int] = set()
    out = []
    skip = getattr(exclude, "pk", None)
    for user in users:
        if user is None or user.pk in seen or user.pk == skip or not user.is_active:
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def email_off(user_ids: Iterable[int], kind: str) -> set[int]:
    """Ids among ``user_ids`` who turned e-mail off for ``kind`` (one query)."""
    return set(EmailPreference.objects.filter(user_id__in=list(user_ids), kind=kind, email=False).values_list("user_id", flat=True))


def notify_people(recipients: Iterable, *, kind: str, title: str, body: str = "", url: str = "", office=None,
           exclude=None, email: bool = True) -> list[Notification]:
    """Tell each of ``recipients`` (users) of one event: one unread notification each (one INSERT).

    - ``kind``: a :class:`Kind`; decides the e-mail preference that applies.
    - ``url``: a site path where the person acts (may be ""); ``office``: the office concerned.
    - ``exclude``: the actor, who is not told of what they did themselves. A user listed twice, or
      inactive, is told once or not at all.
    - ``email``: whether this event may go by e-mail at all (a reminder mails its own letter: False).
      A person with an address who did not turn e-mail off for ``kind`` gets it in their next digest.

    Returns the notifications created. Call it inside the transaction of the transition: if that rolls
    back, nobody is told.
    """
    return notify_each([(recipients, title, body, url)], kind=kind, office=office, exclude=exclude, email=email)


def notify_each(events: Iterable[tuple[Iterable, str, str, str]], *, kind: str, office=None, exclude=None,
                email: bool = True) -> list[Notification]:
    """Tell several events at once, each to its own people: ``events`` are ``(recipients, title, body, url)``.

    The same rules as :func:`notify_people` for every event (one notification per person per event; the
    actor ``exclude``, inactive users and a user listed twice in one event are skipped; e-mail by preference),
    in a fixed number of queries however many events: one preference query, one INSERT, and the digests asked
    for once per person after the commit (a person told of three events gets one mail listing them).
    Returns the notifications created, in the order of ``events``.
    """
    planned = [(_unique_active(recipients, exclude), title, body, url) for recipients, title, body, url in events]
    user_ids = {u.pk for users, *_rest in planned for u in users}
    if not user_ids:
        return []
    off = email_off(user_ids, kind) if email else set()
    rows = [
        Notification(
            user=u, office=office, kind=kind, title=str(title)[:300], body=str(body), url=str(url)[:500],
            email_pending=bool(email and u.email and u.pk not in off),
        )
        for users, title, body, url in planned for u in users
    ]
    created = Notification.objects.bulk_create(rows)
    pagecache.person_rows_changed(Notification._meta.db_table, {n.user_id for n in created})  # the bells (no signal)
    mail_to = sorted({n.user_id for n in created if n.email_pending})
    if mail_to:
        transaction.on_commit(lambda: _ask_digests(mail_to))
    return created


def _ask_digests(user_ids: list[int]) -> None:
    from .tasks import send_notification_digest_task  # the task module imports this one

    delay = getattr(settings, "EMES_NOTIFICATION_DIGEST_SECONDS", 120)
    for user_id in user_ids:
        send_notification_digest_task.apply_async(args=[user_id], countdown=delay)


def notify(user, *, title: str, body: str = "", url: str = "", office=None, kind: str = Kind.REMINDER,
           email: bool = False) -> Notification | None:
    """One notification to one ``user`` (see :func:`notify_people`); ``None`` if the user is inactive."""
    created = notify_people([user], kind=kind, title=title, body=body, url=url, office=office, email=email)
    return created[0] if created else None


def notify_many(users: Iterable, *, title: str, body: str = "", url: str = "", office=None) -> int:
    """A reminder's in-app notice to each of ``users`` (the reminder mails its own letter); returns how many."""
    return len(notify_people(users, kind=Kind.REMINDER, title=title, body=body, url=url, office=office, email=False))


def digest_message(user, notifications: list[Notification]) -> EmailMessage:
    """The one e-mail telling ``user`` of ``notifications`` (oldest first), in the office's language (Thai)."""
    site = getattr(settings, "EMES_SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        if len(notifications) == 1:
            subject = _("EMES: %(title)s") % {"title": notifications[0].title}
        else:
            subject = ngettext("EMES: %(count)d new notification", "EMES: %(count)d new notifications",
                               len(notifications)) % {"count": len(notifications)}
        lines = [_("Dear %(name)s") % {"name": user.get_full_name() or user.username}, ""]
        for n in notifications:
            lines.append("- " + n.title)
            if n.body:
                lines.append("  " + n.body.replace("\n", "\n  "))
            if n.url:
                lines.append("  " + (site + n.url if site and n.url.startswith("/") else n.url))
        lines += ["", _("You can choose which notifications come by e-mail on the notifications page of EMES.")]
    return EmailMessage(subject=subject[:200], body="\n".join(lines) + "\n", from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def send_digest(user_id: int) -> int:
    """Send ``user_id`` one e-mail with every notification still pending for them; returns how many it held.

    The rows are claimed (``email_pending`` cleared) under ``select_for_update(skip_locked=True)`` before the
    mail goes, so two digests running at once never send the same notification twice. If sending fails the
    rows are put back as pending and the error is raised (the task retries).
    """
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, email_pending=True).order_by("created_at", "id")
        )
        if not rows:
            return 0
        ids = [n.pk for n in rows]
        Notification.objects.filter(pk__in=ids).update(email_pending=False, emailed_at=timezone.now())
    user = rows[0].user
    if not user.email or not user.is_active:
        return 0
    try:
        digest_message(user, rows).send()
    except Exception:
        Notification.objects.filter(pk__in=ids).update(email_pending=True, emailed_at=None)
        raise
    return len(rows)


def email_choices(user) -> dict[str, bool]:
    """``{kind: e-mail on?}`` for every :class:`Kind` (on unless ``user`` turned it off)."""
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in Kind.values}


@transaction.atomic
def set_email_choices(user, on: Iterable[str]) -> dict[str, bool]:
    """Store ``user``'s choice: e-mail for the kinds in ``on``, none for the other kinds. Unknown kinds are ignored."""
    wanted = set(on) & set(Kind.values)
    for kind in Kind.values:
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in wanted})
    return email_choices(user)


@transaction.atomic
def mark_read(user, pk: int) -> Notification:
    """Mark ``user``'s notification ``pk`` read (kept as first read); ``Http404`` if it is not theirs."""
    notification = get_object_or_404(Notification.objects.for_user(user).select_for_update(), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed (one UPDATE)."""
    changed = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    pagecache.person_rows_changed(Notification._meta.db_table, [user.pk])  # the bell (an UPDATE sends no signal)
    return changed
