"""A school whose literacy window is reopened is told, once, and no other school (issue 17)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from emes.models import Role
from emes.notifications.models import Kind, Notification
from literacy import services
from literacy.models import LiteracyRound
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_round

pytestmark = pytest.mark.django_db


def test_reopening_tells_the_chosen_schools_accounts(office_a, schools_a, school_account_a, planner_a):
    other = UserFactory(username="school_other")
    MembershipFactory(user=other, office=office_a, role=Role.SCHOOL, school=schools_a[3])
    r = make_round(office_a, status=LiteracyRound.Status.CLOSED, opens=-20, closes=-1)
    services.reopen_for_schools(r, [schools_a[0], schools_a[1]], by=planner_a, until=timezone.now() + dt.timedelta(days=2), reason="ครูป่วย")
    told = Notification.objects.get()
    assert (told.user, told.kind) == (school_account_a, Kind.WINDOW_REOPENED)
    assert "ครูป่วย" in told.body and schools_a[0].smis_code in told.url
    assert not Notification.objects.filter(user__in=[other, planner_a]).exists()
