"""Who is told of a quarterly report's move, once, and the e-mail digest (issue 17, "People are told")."""
from __future__ import annotations

import pytest
from django.core import mail

from emes.notifications.models import EmailPreference, Kind, Notification
from emes.notifications.services import send_digest
from plans.monitoring import services
from tests.factories import ProjectFactory

from .conftest import fill, move

pytestmark = pytest.mark.django_db


def told(user) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in Notification.objects.for_user(user).order_by("id")]


@pytest.fixture
def cast(owner_a, head_a, head_other, planner_a, director_a, viewer_a, other_owner_a):
    for user in (owner_a, head_a, head_other, planner_a, director_a, viewer_a, other_owner_a):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return dict(owner=owner_a, head=head_a, head_other=head_other, planner=planner_a, director=director_a, viewer=viewer_a,
                other_owner=other_owner_a)


def test_each_move_tells_the_right_people_once(draft, cast):
    c = cast
    fill(draft, c["owner"])
    services.submit_report(draft, by=c["owner"])
    # Waiting for review: the plan officer and the head of the project's division, nobody else.
    assert [k for k, _ in told(c["planner"])] == [Kind.WAITING_REVIEW]
    assert [k for k, _ in told(c["head"])] == [Kind.WAITING_REVIEW]
    for nobody in ("head_other", "director", "viewer", "other_owner", "owner"):
        assert told(c[nobody]) == [], nobody

    services.return_report(draft, by=c["head"], comment="เพิ่มผลการเบิกจ่ายไตรมาส 1")
    owner_told = Notification.objects.for_user(c["owner"]).get()
    assert owner_told.kind == Kind.RETURNED and "เพิ่มผลการเบิกจ่ายไตรมาส 1" in owner_told.body
    assert "69-001" in owner_told.title and owner_told.url.endswith("/reports/1/")

    draft.refresh_from_db()
    move(draft, "approved", owner=c["owner"], planner=c["planner"], director=c["director"])
    assert [k for k, _ in told(c["owner"])] == [Kind.RETURNED, Kind.ACCEPTED, Kind.APPROVED]
    # The director is told once, when the report is accepted and waits for them.
    assert [k for k, _ in told(c["director"])] == [Kind.WAITING_APPROVAL]
    # The plan officer accepted it himself: told of the second submission only, not of his own move.
    assert [k for k, _ in told(c["planner"])] == [Kind.WAITING_REVIEW, Kind.WAITING_REVIEW]

    services.reopen_report(draft, by=c["director"], reason="ตัวเลขเบิกจ่ายผิด")
    last = Notification.objects.for_user(c["owner"]).latest("id")
    assert last.kind == Kind.REOPENED and "ตัวเลขเบิกจ่ายผิด" in last.body
    assert Notification.objects.filter(user=c["director"]).count() == 1


def test_refused_move_tells_nobody(draft, cast):
    fill(draft, cast["owner"])
    with pytest.raises(Exception):
        services.accept_report(draft, by=cast["planner"])  # still a draft
    assert Notification.objects.count() == 0


def test_bulk_approval_sends_one_mail_per_person(office_a, division_a, cast, eager_celery, django_capture_on_commit_callbacks):
    c = cast
    reports = []
    for n in range(6):
        project = ProjectFactory(office=office_a, code=f"69-1{n:02d}", division=division_a, owner=c["owner"] if n < 4 else c["other_owner"])
        report = services.start_report(project, 1, by=c["owner"] if n < 4 else c["other_owner"])
        fill(report, report.project.owner)
        move(report, "accepted", owner=report.project.owner, planner=c["planner"], director=c["director"])
        reports.append(report)
    Notification.objects.update(email_pending=False)  # what came before is not the point here
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = services.approve_reports(reports, by=c["director"])
    assert all(o.ok for o in outcomes)
    assert Notification.objects.filter(kind=Kind.APPROVED).count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == ["owner_a@example.org", "owner_other@example.org"]
    four = next(m for m in mail.outbox if m.to == ["owner_a@example.org"])
    assert four.body.count("69-1") == 4 and "4" in four.subject
    # A second digest finds nothing left to send.
    assert send_digest(c["owner"].pk) == 0


def test_email_off_for_a_kind_keeps_the_bell(draft, cast, eager_celery, django_capture_on_commit_callbacks):
    EmailPreference.objects.create(user=cast["planner"], kind=Kind.WAITING_REVIEW, email=False)
    fill(draft, cast["owner"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(draft, by=cast["owner"])
    assert Notification.objects.filter(user=cast["planner"], kind=Kind.WAITING_REVIEW).count() == 1
    assert [m.to for m in mail.outbox] == [["head_a@example.org"]]


def test_plan_submitted_waits_for_the_director(office_a, planner_a, director_a, project_a):
    from plans.models import ActionPlan
    from plans.services import approve_plan, ensure_plan, submit_plan

    plan = ensure_plan(office_a, project_a.fiscal_year, by=planner_a)
    submit_plan(plan, by=planner_a)
    assert [k for k, _ in told(director_a)] == [Kind.WAITING_APPROVAL]
    approve_plan(ActionPlan.objects.get(pk=plan.pk), by=director_a)
    assert [k for k, _ in told(planner_a)] == [Kind.APPROVED]
