"""The e-mail digest of notifications (``emes.notifications.services.send_digest``)."""
from __future__ import annotations

import smtplib

from celery import shared_task

from . import services


@shared_task(name="emes.send_notification_digest_task", autoretry_for=(smtplib.SMTPException, OSError),
             retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def send_notification_digest_task(user_id: int) -> int:
    """Send ``user_id`` their pending notifications in one mail; 0 when another digest already took them."""
    return services.send_digest(user_id)
