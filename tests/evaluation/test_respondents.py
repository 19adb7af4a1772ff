"""Adding respondents after an evaluation was created (issue 16, "Respondents"): the plan officer or the project owner
who runs it chooses users by role, division or school as at creation; refused once the evaluation is closed or its
window has ended, with a Thai message and nothing stored; another office's staff get 404, other staff 403."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from emes.models import Role
from evaluation import services
from evaluation.models import Evaluation, Respondent
from tests.factories import DivisionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(ev: Evaluation) -> str:
    return reverse("evaluation:respondents", args=[ev.office.area_code, ev.pk])


@pytest.fixture
def division_member(office_a):
    division = DivisionFactory(office=office_a)
    user = UserFactory(username="division_member")
    MembershipFactory(user=user, office=office_a, role=Role.VIEWER, division=division)
    return division, user


def test_the_plan_officer_adds_respondents_by_division_and_role(client, planner_a, open_evaluation, division_member, owner_a, school_user_a):
    division, member = division_member
    assert set(open_evaluation.respondents.values_list("user_id", flat=True)) == {school_user_a.pk}
    client.force_login(planner_a)
    page = client.get(url(open_evaluation))
    assert page.status_code == 200 and "school_user" not in page.content.decode()
    response = client.post(url(open_evaluation), {"divisions": [division.pk], "roles": [Role.PROJECT_OWNER, Role.SCHOOL]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("evaluation:evaluation", args=[open_evaluation.office.area_code, open_evaluation.pk])
    assert "เพิ่มผู้ตอบ 2 คน" in response.content.decode()
    assert set(open_evaluation.respondents.values_list("user_id", flat=True)) == {school_user_a.pk, member.pk, owner_a.pk}
    # Choosing them again adds nobody and duplicates nothing.
    again = client.post(url(open_evaluation), {"divisions": [division.pk]}, follow=True)
    assert "ทุกคนที่เลือกได้รับเชิญให้ตอบอยู่แล้ว" in again.content.decode()
    assert Respondent.objects.filter(evaluation=open_evaluation).count() == 3


def test_nothing_chosen_is_refused_with_a_message(client, planner_a, open_evaluation):
    client.force_login(planner_a)
    response = client.post(url(open_evaluation), {})
    assert response.status_code == 400
    assert "เลือกบทบาท กลุ่ม หรือสถานศึกษาอย่างน้อยหนึ่งรายการ" in response.content.decode()
    assert open_evaluation.respondents.count() == 1


def test_refused_after_the_evaluation_closed(client, planner_a, open_evaluation, division_member):
    services.close_evaluation(open_evaluation, by=planner_a)
    client.force_login(planner_a)
    page = client.get(url(open_evaluation))
    assert 'id="respondents-add"' not in page.content.decode() and 'id="respondents-closed"' in page.content.decode()
    response = client.post(url(open_evaluation), {"divisions": [division_member[0].pk]})
    assert response.status_code == 400
    assert "การประเมินนี้ปิดแล้ว เพิ่มผู้ตอบไม่ได้" in response.content.decode()
    assert open_evaluation.respondents.count() == 1


def test_refused_after_the_window_ended_even_while_open(planner_a, open_evaluation, division_member):
    later = open_evaluation.closes_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.invite_respondents(open_evaluation, by=planner_a, divisions=[division_member[0]], today=later)
    assert "สิ้นสุดช่วงเวลาประเมิน" in " ".join(exc.value.messages)
    assert open_evaluation.respondents.count() == 1
    # On its last day it still takes them.
    assert services.invite_respondents(open_evaluation, by=planner_a, divisions=[division_member[0]], today=open_evaluation.closes_on) == 1


def test_the_project_owner_who_runs_it_adds_others_get_403_or_404(client, owner_a, office_a, project_a, satisfaction_form,
                                                                    viewer_a, outsider_b, open_evaluation, division_member):
    today = timezone.localdate()
    own = services.create_evaluation(office_a, by=owner_a, form=satisfaction_form, title="ของผู้รับผิดชอบ", target=project_a,
                                     opens_on=today, closes_on=today + dt.timedelta(days=5))
    client.force_login(owner_a)
    assert client.post(url(own), {"divisions": [division_member[0].pk]}).status_code == 302
    assert own.respondents.filter(user=division_member[1]).exists()
    assert client.get(url(open_evaluation)).status_code == 403  # the planner's evaluation
    client.force_login(viewer_a)
    assert client.post(url(own), {"roles": [Role.VIEWER]}).status_code == 403
    client.force_login(outsider_b)
    assert client.get(url(own)).status_code == 404
    assert own.respondents.count() == 1


def test_a_school_or_division_of_another_office_is_not_a_choice(client, planner_a, open_evaluation, office_b):
    other = DivisionFactory(office=office_b)
    client.force_login(planner_a)
    response = client.post(url(open_evaluation), {"divisions": [other.pk]})
    assert response.status_code == 400
    assert open_evaluation.respondents.count() == 1
