"""The reminders page: who sees and who acts, holding and sending, release and retry, previews and the print
batch; the page's query count does not grow with reminders."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from emes.models import Role
from reports.models import OutgoingLetter, Reminder, SweepRun
from reports.reminders.services import due_reminders
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

from .conftest import OPEN_Q1, at

pytestmark = pytest.mark.django_db

POSTS = ["reminders:hold", "reminders:release", "reminders:retry", "reminders:send"]


def url(name, office, **query):
    base = reverse(name, kwargs={"area_code": office.area_code})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def cast(world, office_b, director_a, planner_a, viewer_a, outsider_b):
    office = world.office

    def member(role, name, **kw):
        user = UserFactory(username=name)
        MembershipFactory(user=user, office=kw.pop("office", office), role=role, **kw)
        return user

    other_school = SchoolFactory(office=office_b)
    return {
        "director": director_a, "plan_officer": planner_a, "viewer": viewer_a, "outsider": outsider_b,
        "division_head": world.head, "project_owner": world.owner,
        "supervisor": member(Role.SUPERVISOR, "supervisor_a"),
        "school": world.school_account,
        "other_school": member(Role.SCHOOL, "school_b", office=office_b, school=other_school),
    }


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("who,status", [("plan_officer", 302), ("director", 403), ("viewer", 403), ("division_head", 403),
                                        ("school", 404), ("outsider", 404)])
def test_posts_only_the_plan_officer_acts(client, world, cast, name, who, status, eager_celery):
    client.force_login(cast[who])
    with at(world.q1_due - dt.timedelta(days=10)):  # nothing due: the action itself changes nothing
        assert client.post(url(name, world.office), {"confirm": "yes"}).status_code == status
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("name", POSTS)
def test_get_on_an_action_is_405(client, world, planner_a, name):
    client.force_login(planner_a)
    assert client.get(url(name, world.office)).status_code == 405


def test_page_lists_todays_due_reminders_with_what_is_missing(client, world, planner_a):
    client.force_login(planner_a)
    with at(world.wd(dt.date(2026, 2, 27), 1)):
        page = client.get(url("reminders:today", world.office)).content.decode()
    for code in OPEN_Q1:
        assert code in page
    assert "69-001" not in page and "69-005" not in page  # submitted, approved
    assert "โรงเรียนบ้านไม่มีอีเมล" in page
    assert 'name="candidate"' in page and 'id="send-button"' in page


def test_director_reads_without_the_actions(client, world, director_a):
    client.force_login(director_a)
    with at(world.wd(world.q1_due, 1)):
        page = client.get(url("reminders:today", world.office)).content.decode()
    assert "69-002" in page
    assert 'id="send-button"' not in page and 'name="candidate"' not in page and 'id="read-only"' in page


def test_hold_one_send_the_rest(client, world, planner_a, eager_celery, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    day = world.wd(world.q1_due, 1)
    with at(day):
        held = next(c for c in due_reminders(world.office) if c.facts.get("project_code") == "69-003")
        with django_capture_on_commit_callbacks(execute=True):  # the "send now" job runs after commit (eagerly here)
            asked = client.post(url("reminders:send", world.office), {"candidate": [held.token]}).content.decode()
            assert 'id="confirm-step"' in asked and not Reminder.objects.exists()  # the first click only says what will go
            response = client.post(url("reminders:send", world.office), {"candidate": [held.token], "confirm": "yes"})
        run = SweepRun.objects.get(trigger="manual")
        assert response.status_code == 302 and response["Location"] == reverse("reminders:run", args=[world.office.area_code, run.pk])
        assert run.status == SweepRun.Status.OK
        page = client.get(url("reminders:today", world.office)).content.decode()
        run_page = client.get(response["Location"]).content.decode()
    assert run_page.count("data-reminder=") == run.created  # what the run sent, with the letters' numbers
    for letter in OutgoingLetter.objects.select_related("office"):
        assert f'data-letter="{letter.letter_no}"' in run_page
    r = Reminder.objects.get(obligation_key=held.obligation.key, stage="first")
    assert r.status == Reminder.Status.HELD and r.held_by == planner_a and r.letter_id is None
    sent = Reminder.objects.filter(status=Reminder.Status.SENT, obligation_kind="quarterly_report")
    assert sorted(x.facts["project_code"] for x in sent) == sorted(set(OPEN_Q1) - {"69-003"})
    assert len(mail.outbox) == 2  # the owner's other two in one mail, the head's
    assert 'id="nothing-due"' in page

    with at(day), django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("reminders:release", world.office), {"reminder": [r.pk]}).status_code == 302
    r.refresh_from_db()
    assert r.status == Reminder.Status.SENT and len(mail.outbox) == 3


def test_hold_refuses_a_candidate_no_longer_due_and_changes_nothing(client, world, planner_a):
    client.force_login(planner_a)
    with at(world.wd(world.q1_due, 1)):
        c = due_reminders(world.office)[0]
        response = client.post(url("reminders:hold", world.office), {"candidate": [c.token, "quarterly_report:project=0:fy=2569:q=1|first|user:1"]}, follow=True)
    assert not Reminder.objects.exists()
    assert any("ไม่ถึงกำหนด" in str(m) or "no longer due" in str(m) for m in response.context["messages"])


def test_hold_and_retry_recorded_reminders(client, world, planner_a, eager_celery, django_capture_on_commit_callbacks, monkeypatch):
    from reports.reminders import tasks

    client.force_login(planner_a)
    day = world.wd(world.q1_due, 1)
    with monkeypatch.context() as m:  # the broker is down: they wait PENDING
        m.setattr(tasks.send_reminder_task, "delay", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
        with at(day), django_capture_on_commit_callbacks(execute=True):
            client.post(url("reminders:send", world.office), {"confirm": "yes"})
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).first()
    with at(day):
        assert client.post(url("reminders:hold", world.office), {"reminder": [pending.pk]}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Reminder.Status.HELD
    Reminder.objects.filter(pk=pending.pk).update(status=Reminder.Status.FAILED, last_error="SMTPServerDisconnected")
    with at(day), django_capture_on_commit_callbacks(execute=True):
        client.post(url("reminders:retry", world.office), {"reminder": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Reminder.Status.SENT


def test_an_action_on_another_offices_reminder_is_refused(client, world, planner_a, outsider_b, office_b):
    other = Reminder.objects.create(office=office_b, obligation_kind="literacy", obligation_key="x", stage="first",
                                    recipient_key="school:1", recipient_name="x", due_on=dt.date(2026, 1, 9), subject="x",
                                    status=Reminder.Status.FAILED)
    client.force_login(planner_a)
    client.post(url("reminders:retry", world.office), {"reminder": [other.pk]})
    other.refresh_from_db()
    assert other.status == Reminder.Status.FAILED


def test_preview_of_a_candidate_letter_is_a_pdf_and_registers_nothing(client, world, director_a):
    client.force_login(director_a)
    with at(world.wd(world.q1_due, 1)):
        c = due_reminders(world.office)[0]
        response = client.get(url("reminders:preview-letter", world.office) + "?" + f"candidate={c.token}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not OutgoingLetter.objects.exists()


def test_print_merges_the_letters_to_schools(client, world, planner_a, run_sweep):
    from pypdf import PdfReader
    import io

    day = world.wd(dt.date(2026, 2, 27), 1)
    run_sweep(day)
    client.force_login(planner_a)
    with at(day):
        response = client.get(url("reminders:print", world.office))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    school_letters = Reminder.objects.filter(recipient_school__isnull=False, letter__isnull=False).count()
    assert school_letters == 2
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 2
    assert "บ้านมีอีเมล" in text and "บ้านไม่มีอีเมล" in text
    # Filtered to a date with no letter: a message, no PDF.
    with at(day):
        response = client.get(url("reminders:print", world.office, date_from="1/1/2569", date_to="2/1/2569"))
    assert response.status_code == 302
    with at(day):
        response = client.get(url("reminders:print", world.office, date_from="1/1/2026"), follow=True)
    assert "2026" in response.content.decode() and response["Content-Type"].startswith("text/html"), "a CE year is refused, said why"


def test_page_queries_do_not_grow_with_reminders(client, world, planner_a, run_sweep, django_assert_max_num_queries):
    client.force_login(planner_a)
    day = world.wd(dt.date(2026, 2, 27), 1)
    run_sweep(world.wd(world.q1_due, 1))
    run_sweep(day)
    with at(day), django_assert_max_num_queries(60) as few:
        assert client.get(url("reminders:today", world.office)).status_code == 200
    Reminder.objects.bulk_create(
        Reminder(office=world.office, obligation_kind="quarterly_report", obligation_key=f"quarterly_report:project={i}:fy=2568:q=4",
                 stage="first", recipient_key=f"user:{planner_a.pk}", recipient_user=planner_a, recipient_name="x", due_on=day,
                 subject="x", facts={"project_code": f"68-{i:03d}"}, status=Reminder.Status.HELD, held_by=planner_a)
        for i in range(40)
    )
    with at(day), django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("reminders:today", world.office)).status_code == 200
