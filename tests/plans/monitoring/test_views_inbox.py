"""The review inbox: accepted reports for the director (bulk approve), submitted ones for the plan officer and division heads."""
from __future__ import annotations

import pytest
from django.urls import reverse

from plans.monitoring import services
from tests.factories import ProjectFactory

from .conftest import move

pytestmark = pytest.mark.django_db
INBOX = reverse("plans:review-inbox", args=["9901"])


@pytest.fixture
def reports(office_a, division_a, division_other, owner_a, planner_a, director_a):
    """Three accepted reports of the division, one submitted of the division and one submitted of the other division."""
    out = {}
    for n in range(3):
        project = ProjectFactory(office=office_a, division=division_a, owner=owner_a, code=f"69-1{n}")
        out[f"accepted{n}"] = move(services.start_report(project, 1, by=owner_a), "accepted", owner=owner_a, planner=planner_a, director=director_a)
    own = ProjectFactory(office=office_a, division=division_a, owner=owner_a, code="69-20")
    other = ProjectFactory(office=office_a, division=division_other, owner=owner_a, code="69-30")
    out["submitted_own"] = move(services.start_report(own, 1, by=owner_a), "submitted", owner=owner_a, planner=None, director=None)
    out["submitted_other"] = move(services.start_report(other, 1, by=owner_a), "submitted", owner=owner_a, planner=None, director=None)
    return out


def listed(page) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'data-report="(\d+)"', page.content.decode())}


def test_director_bulk_approves(client, director_a, reports):
    client.force_login(director_a)
    page = client.get(INBOX)
    assert listed(page) == {reports[f"accepted{n}"].pk for n in range(3)}
    chosen = {"action": "approve", "reports": [reports["accepted0"].pk, reports["accepted1"].pk]}
    asked = client.post(INBOX, chosen).content.decode()
    # The first click asks, naming the reports; nothing is approved yet.
    assert 'id="confirm-step"' in asked and asked.count('name="reports"') == 2
    reports["accepted0"].refresh_from_db()
    assert reports["accepted0"].status == "accepted"
    page = client.post(INBOX, {**chosen, "confirm": "yes"}, follow=True)
    assert "อนุมัติรายงานแล้ว 2 รายงาน" in page.content.decode()
    for key, status in (("accepted0", "approved"), ("accepted1", "approved"), ("accepted2", "accepted")):
        reports[key].refresh_from_db()
        assert reports[key].status == status


def test_director_cannot_approve_a_report_not_waiting(client, director_a, reports):
    client.force_login(director_a)
    client.post(INBOX, {"action": "approve", "reports": [reports["submitted_own"].pk], "confirm": "yes"})
    reports["submitted_own"].refresh_from_db()
    assert reports["submitted_own"].status == "submitted"


def test_plan_officer_sees_submitted_and_accepts(client, planner_a, reports):
    client.force_login(planner_a)
    assert listed(client.get(INBOX)) == {reports["submitted_own"].pk, reports["submitted_other"].pk}
    client.post(INBOX, {"action": "accept", "reports": [reports["submitted_own"].pk], "confirm": "yes"})
    reports["submitted_own"].refresh_from_db()
    assert reports["submitted_own"].status == "accepted"


def test_plan_officer_may_not_bulk_approve(client, planner_a, reports):
    client.force_login(planner_a)
    assert client.post(INBOX, {"action": "approve", "reports": [reports["accepted0"].pk]}).status_code == 403
    reports["accepted0"].refresh_from_db()
    assert reports["accepted0"].status == "accepted"


def test_division_head_sees_own_division_only(client, head_a, head_other, reports):
    client.force_login(head_a)
    assert listed(client.get(INBOX)) == {reports["submitted_own"].pk}
    client.force_login(head_other)
    assert listed(client.get(INBOX)) == {reports["submitted_other"].pk}
    assert client.post(INBOX, {"action": "accept", "reports": [reports["submitted_other"].pk]}).status_code == 403


@pytest.mark.parametrize("who, status", [("viewer_a", 403), ("owner_a", 403), ("outsider_b", 404), ("school_account_a", 404)])
def test_others_are_refused(request, client, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(INBOX).status_code == status
    assert client.post(INBOX, {"action": "approve"}).status_code == status


def test_query_count_is_independent_of_rows(client, director_a, reports, django_assert_max_num_queries, office_a, division_a, owner_a,
                                            planner_a):
    client.force_login(director_a)
    with django_assert_max_num_queries(12) as few:
        client.get(INBOX)
    for n in range(5):
        project = ProjectFactory(office=office_a, division=division_a, owner=owner_a, code=f"69-5{n}")
        move(services.start_report(project, 1, by=owner_a), "accepted", owner=owner_a, planner=planner_a, director=director_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_director_reaches_the_return_form_of_each_waiting_report(client, director_a, planner_a, reports):
    """Each report waiting for approval links to its page's return form, which the director sees (can_return)."""
    client.force_login(director_a)
    page = client.get(INBOX).content.decode()
    assert page.count('class="btn btn-sm btn-outline-danger ms-1 py-0 inbox-return"') == 3
    report = reports["accepted0"]
    url = reverse("plans:report", args=["9901", report.project.pk, report.quarter])
    assert f'href="{url}#return-form"' in page
    assert 'id="return-form"' in client.get(url).content.decode()
    client.force_login(planner_a)  # the plan officer's inbox (submitted reports) has no such link
    assert "inbox-return" not in client.get(INBOX).content.decode()
