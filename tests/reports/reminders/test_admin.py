"""The reminders admin: read-only lists, the page's actions through the same services."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reports.models import Reminder, SweepRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_lists_and_retry_action(client, admin_user, office_a, eager_celery, django_capture_on_commit_callbacks):
    SweepRun.objects.create(for_date=dt.date(2026, 1, 12), status=SweepRun.Status.OK)
    r = Reminder.objects.create(office=office_a, obligation_kind="quarterly_report", obligation_key="k", stage="notice",
                                recipient_key="user:1", recipient_name="x", due_on=dt.date(2026, 1, 9), subject="x",
                                status=Reminder.Status.FAILED)
    client.force_login(admin_user)
    assert client.get(reverse("admin:reports_reminder_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_reminder_change", args=[r.pk])).status_code == 200
    assert client.get(reverse("admin:reports_sweeprun_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:reports_reminder_changelist"), {"action": "retry", "_selected_action": [r.pk]})
    assert response.status_code == 302
    r.refresh_from_db()
    # Retried: claimed and sent (a notice without e-mail or account ends FAILED with the reason, not stuck).
    assert r.status == Reminder.Status.FAILED and r.status_reason
    assert r.attempts == 0
