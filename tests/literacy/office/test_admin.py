"""The literacy admin: scoped to the user's offices, read-only, open/close through the services."""
from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from literacy.models import LiteracyRound, Submission
from tests.admin_actions import ask, assert_asks, run_action

from .conftest import make_round, submit

pytestmark = pytest.mark.django_db


def _staff(user):
    """Admin access with view rights on the literacy models (the office admin group does not list them yet)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="literacy", codename__startswith="view_"))
    return user


def test_rounds_are_scoped_to_the_users_offices(client, round_a, office_b, outsider_b):
    other = make_round(office_b)
    client.force_login(_staff(outsider_b))
    html = client.get(reverse("admin:literacy_literacyround_changelist")).content.decode()
    assert f"/literacy/literacyround/{other.pk}/" in html and f"/literacy/literacyround/{round_a.pk}/" not in html
    assert client.get(reverse("admin:literacy_literacyround_change", args=[round_a.pk])).status_code == 302  # not found → redirect


def test_plan_officer_opens_a_round_with_the_admin_action(client, round_a, planner_a):
    client.force_login(_staff(planner_a))
    changelist = reverse("admin:literacy_literacyround_changelist")
    asked = client.post(changelist, {"action": "open_rounds", ACTION_CHECKBOX_NAME: [round_a.pk]})
    assert asked.status_code == 200 and LiteracyRound.objects.get(pk=round_a.pk).status == round_a.status  # it only asks (issue 17)
    response = client.post(changelist, {"action": "open_rounds", ACTION_CHECKBOX_NAME: [round_a.pk], "post": "yes"})
    assert response.status_code == 302
    assert LiteracyRound.objects.get(pk=round_a.pk).status == LiteracyRound.Status.OPEN


def test_director_cannot_close_a_round_in_the_admin(client, open_round_a, director_a):
    client.force_login(_staff(director_a))
    client.post(reverse("admin:literacy_literacyround_changelist"), {"action": "close_rounds", ACTION_CHECKBOX_NAME: [open_round_a.pk]})
    client.post(reverse("admin:literacy_literacyround_changelist"), {"action": "close_rounds", ACTION_CHECKBOX_NAME: [open_round_a.pk], "post": "yes"})
    assert LiteracyRound.objects.get(pk=open_round_a.pk).status == LiteracyRound.Status.OPEN


def test_submissions_are_read_only(client, open_round_a, schools_a, planner_a):
    s = submit(open_round_a, schools_a[0])
    client.force_login(_staff(planner_a))
    url = reverse("admin:literacy_submission_change", args=[s.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "draft"})
    assert Submission.objects.get(pk=s.pk).status == Submission.Status.SUBMITTED
    for name in ("literacyround", "submission", "roundreopening", "submissionchange"):
        assert client.get(reverse(f"admin:literacy_{name}_add")).status_code == 403
        assert client.get(reverse(f"admin:literacy_{name}_changelist")).status_code == 200


def test_go_only_asks_with_the_rounds_and_what_opening_does(client, office_a, round_a, planner_a):
    """Issue 17 in the admin: "Go" lists the rounds, their count and what happens; the confirming POST opens them all."""
    other = make_round(office_a, number=3)
    client.force_login(_staff(planner_a))
    url = reverse("admin:literacy_literacyround_changelist")
    ids = [round_a.pk, other.pk]
    page = ask(client, url, "open_rounds", ids)
    assert_asks(page, url, "open_rounds", ids, "เปิดระบบรอบการประเมินการอ่านออกเขียนได้ 2 รอบหรือไม่", "กรอกและส่งผลได้จนกว่าจะปิดระบบ",
                "รายการที่เลือก 2 รายการ", str(round_a), str(other), "ยืนยันเปิดระบบ 2 รอบ")
    assert set(LiteracyRound.objects.values_list("status", flat=True)) == {LiteracyRound.Status.DRAFT}
    run_action(client, url, "open_rounds", ids)
    assert set(LiteracyRound.objects.values_list("status", flat=True)) == {LiteracyRound.Status.OPEN}


def test_select_all_asks_for_exactly_the_rows_it_lists(client, office_a, round_a, planner_a):
    """"Select all" (select_across) is confirmed as the listed ids, so the confirmed POST acts on what was shown."""
    other = make_round(office_a, number=3)
    client.force_login(_staff(planner_a))
    url = reverse("admin:literacy_literacyround_changelist")
    page = client.post(url, {"action": "open_rounds", ACTION_CHECKBOX_NAME: [round_a.pk], "select_across": "1", "index": "0"})
    assert_asks(page, url, "open_rounds", sorted([round_a.pk, other.pk], reverse=True), "รายการที่เลือก 2 รายการ")
    assert set(LiteracyRound.objects.values_list("status", flat=True)) == {LiteracyRound.Status.DRAFT}


def test_closing_asks_first_and_warns_of_the_schools_left_out(client, open_round_a, planner_a):
    client.force_login(_staff(planner_a))
    url = reverse("admin:literacy_literacyround_changelist")
    page = ask(client, url, "close_rounds", [open_round_a.pk])
    assert_asks(page, url, "close_rounds", [open_round_a.pk], "ปิดระบบรอบการประเมินการอ่านออกเขียนได้ 1 รอบหรือไม่",
                "โรงเรียนจะกรอกผลไม่ได้อีก", str(open_round_a), "ยืนยันปิดระบบ 1 รอบ")
    assert LiteracyRound.objects.get(pk=open_round_a.pk).status == LiteracyRound.Status.OPEN
    run_action(client, url, "close_rounds", [open_round_a.pk])
    assert LiteracyRound.objects.get(pk=open_round_a.pk).status == LiteracyRound.Status.CLOSED
