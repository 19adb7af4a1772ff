"""A unit whose inspection form is returned, or whose round is reopened, is told once (issue 17)."""
from __future__ import annotations

import pytest

from emes.notifications.models import Kind, Notification
from inspections import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(cast, round_with_form):
    sent = services.dispatch_forms(round_with_form, by=cast.planner, divisions=[cast.academic], schools=cast.schools)
    return round_with_form, next(d for d in sent if d.school_id == cast.schools[0].pk)


def test_returned_form_tells_that_school_only(cast, dispatched):
    r, d = dispatched
    values = {"number": "80", "yes_no": "yes", "text": "พอใช้"}
    services.submit_answers(d, {f"q{q.pk}": values[q.kind] for q in r.questions.all() if q.kind in values}, by=cast.school_users[0])
    services.return_dispatch(d, by=cast.planner, reason="แนบหลักฐานเพิ่ม")
    told = Notification.objects.get()
    assert (told.user, told.kind) == (cast.school_users[0], Kind.RETURNED)
    assert "แนบหลักฐานเพิ่ม" in told.body and told.url.endswith(f"/my/{d.pk}/")


def test_reopened_round_tells_every_unit_once(cast, dispatched):
    r, _ = dispatched
    services.close_round(r, by=cast.planner)
    assert not Notification.objects.exists()
    services.reopen_round(r, by=cast.planner, reason="ขยายเวลา")
    told = sorted(Notification.objects.filter(kind=Kind.WINDOW_REOPENED).values_list("user__username", flat=True))
    # The three schools' accounts and the academic division's head; the policy division got no form.
    assert told == sorted([u.username for u in cast.school_users] + [cast.head.username])
