"""School pages: access per role, the form with errors next to the fields, saving and submitting."""
from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from literacy.models import Submission

from .conftest import AFTER, make_round, stored_state

pytestmark = pytest.mark.django_db

PAGES = ["literacy:school-round", "literacy:school-form", "literacy:school-template", "literacy:school-upload"]


def url(name, school, literacy_round, **kw):
    return reverse(name, args=[school.smis_code, literacy_round.pk, *kw.values()])


def form_post(grades=("p1", "p2", "p3"), version=1, submit=False, **override):
    data = {"version": version}
    figures = {"p1": (25, 23, 1, 1, (10, 8, 3, 2)), "p2": (20, 18, 0, 2, (5, 5, 5, 3)), "p3": (18, 18, 0, 0, (6, 6, 4, 2))}
    for g in grades:
        enrolled, assessed, special, absent, levels = figures[g]
        data.update({f"{g}-enrolled": enrolled, f"{g}-enrolled_reason": "", f"{g}-assessed": assessed, f"{g}-special_needs": special, f"{g}-absent": absent})
        for s in ("reading_aloud", "reading_comprehension", "writing_words", "writing_composition"):
            for level, v in zip(("very_good", "good", "fair", "improve"), levels):
                data[f"{g}-{s}-{level}"] = v
    data.update(override)
    data["submit" if submit else "save"] = "1"
    return data


def test_statuses_per_role(client, during, lit_round, school_a, account_a, account_a2, account_b, planner_a, director_a, viewer_a, outsider_b):
    expected = {
        None: [302, 302, 302, 302],
        account_a: [200, 200, 200, 200],
        account_a2: [404, 404, 404, 404],
        account_b: [404, 404, 404, 404],
        viewer_a: [200, 403, 403, 403],
        director_a: [200, 403, 403, 403],
        planner_a: [200, 200, 200, 200],
        outsider_b: [404, 404, 404, 404],
    }
    for user, statuses in expected.items():
        client.logout()
        if user:
            client.force_login(user)
        got = [client.get(url(name, school_a, lit_round)).status_code for name in PAGES]
        assert got == statuses, user
    client.force_login(account_a2)
    assert client.post(url("literacy:school-form", school_a, lit_round), form_post()).status_code == 404
    client.force_login(viewer_a)
    assert client.post(url("literacy:school-form", school_a, lit_round), form_post()).status_code == 403
    assert stored_state()[0] == []


def test_round_of_another_office_and_draft_round_are_404(client, during, office_b, school_a, account_a, planner_a):
    other = make_round(office_b)
    client.force_login(account_a)
    assert client.get(url("literacy:school-round", school_a, other)).status_code == 404
    draft = make_round(school_a.office, number=2, status="draft")
    assert client.get(url("literacy:school-round", school_a, draft)).status_code == 404
    client.force_login(planner_a)
    assert client.get(url("literacy:school-round", school_a, draft)).status_code == 200


def test_form_prefills_the_registry_enrolment(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    page = client.get(url("literacy:school-form", school_a, lit_round)).content.decode()
    assert 'name="p1-enrolled" value="25"' in page
    assert 'name="version" value="1"' in page


def test_sum_error_is_shown_next_to_the_skill_and_nothing_is_saved(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    response = client.post(url("literacy:school-form", school_a, lit_round), form_post(**{"p1-reading_aloud-improve": 0}, **{"HTTP_ACCEPT_LANGUAGE": "th"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "การอ่านออกเสียง ป.1: ดีมาก+ดี+พอใช้+ปรับปรุง = 21 ไม่เท่ากับจำนวนผู้เข้ารับการประเมิน 23" in page
    assert stored_state() == ([], [], [], 0)


def test_text_and_negative_are_shown_on_their_fields(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    response = client.post(url("literacy:school-form", school_a, lit_round), form_post(**{"p2-absent": "-2", "p3-assessed": "สิบแปด"}))
    form = response.context["form"]
    assert "p2-absent" in form.errors and "p3-assessed" in form.errors
    assert stored_state()[1] == []


def test_save_draft_then_submit_then_correct(client, during, lit_round, school_a, account_a):
    client.force_login(account_a)
    form_url = url("literacy:school-form", school_a, lit_round)
    response = client.post(form_url, form_post(grades=("p1",)))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.status, submission.version) == ("draft", 2)
    assert client.post(form_url, form_post(version=2, submit=True)).status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert client.post(form_url, form_post(version=3, **{"p1-reading_aloud-very_good": 11, "p1-reading_aloud-good": 7})).status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("submitted", 4)
    page = client.get(url("literacy:school-round", school_a, lit_round)).content.decode()
    assert page.count("<tr><td>") == 3  # the history: saved, submitted, corrected
    # a stale form (version 3) is refused and changes nothing
    before = stored_state()
    response = client.post(form_url, form_post(version=3))
    assert response.status_code == 200 and stored_state() == before


def test_after_the_window_closed_the_form_refuses_with_a_message(client, lit_round, school_a, account_a):
    with time_machine.travel(AFTER, tick=False):
        client.force_login(account_a)
        response = client.post(url("literacy:school-form", school_a, lit_round), form_post(submit=True), HTTP_ACCEPT_LANGUAGE="th")
        assert response.status_code == 200
        assert "ระบบปิดรับข้อมูลแล้วเมื่อ" in response.content.decode()
        assert "ระบบปิดรับข้อมูลแล้ว" in client.get(url("literacy:school-round", school_a, lit_round)).content.decode()
    assert stored_state() == ([], [], [], 0)


def test_plan_officer_enters_on_the_school_behalf(client, during, lit_round, school_a, planner_a):
    client.force_login(planner_a)
    assert client.post(url("literacy:school-form", school_a, lit_round), form_post(submit=True)).status_code == 302
    assert Submission.objects.get().updated_by == planner_a
