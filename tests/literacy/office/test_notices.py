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


def test_reopening_for_many_schools_costs_the_same_queries_as_for_few(office_a, planner_a, django_capture_on_commit_callbacks):
    """Review (N+1): the reopenings, the reopened submissions and the notices are written in a fixed number of
    queries, not school by school; still one notification per account per school and one digest asked per person."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from literacy.models import GradeResult, SkillResult, Submission, SubmissionChange
    from tests.factories import SchoolFactory

    def reopen(number: int, n: int) -> tuple[int, list]:
        r = make_round(office_a, status=LiteracyRound.Status.CLOSED, number=number, opens=-20, closes=-1)
        schools = [SchoolFactory(office=office_a, smis_code=f"9905{number}{i:03d}") for i in range(n)]
        for i, school in enumerate(schools):
            account = UserFactory(username=f"acc_{number}_{i}", email=f"acc_{number}_{i}@example.test")
            MembershipFactory(user=account, office=office_a, role=Role.SCHOOL, school=school)
            s = Submission.objects.create(round=r, school=school, status=Submission.Status.SUBMITTED, submitted_at=timezone.now())
            g = GradeResult.objects.create(submission=s, grade="p1", enrolled=10, assessed=9, absent=1)
            SkillResult.objects.create(grade_result=g, skill="reading_aloud", very_good=3, good=3, fair=2, improve=1)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
            services.reopen_for_schools(r, schools, by=planner_a, until=timezone.now() + dt.timedelta(days=2), reason="ครูป่วย")
        told = Notification.objects.filter(kind=Kind.WINDOW_REOPENED, url__contains=f"/{r.pk}/")
        assert sorted(told.values_list("user__username", flat=True)) == sorted(f"acc_{number}_{i}" for i in range(n))
        assert all(n.email_pending for n in told)
        assert len(callbacks) == 1  # the digests asked for once, after the commit
        changes = SubmissionChange.objects.filter(submission__round=r, action="reopened")
        assert changes.count() == n and all(c.data["grades"][0]["skills"] == {"reading_aloud": [3, 3, 2, 1]} for c in changes)
        assert set(Submission.objects.filter(round=r).values_list("status", "version")) == {(Submission.Status.REOPENED, 2)}
        return len(queries), callbacks

    reopen(1, 1)  # warms the per-process caches (content types), so both counts below are of the work alone
    few, _ = reopen(2, 2)
    many, _ = reopen(3, 9)
    assert few == many
