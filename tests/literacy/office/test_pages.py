"""Office pages: rounds list, status board, create and actions; per-role access; query count."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from emes.fields import format_be_datetime
from literacy.models import LiteracyRound, RoundReopening, Submission
from literacy.window import window_open_for
from tests.factories import SchoolFactory

from .conftest import make_round, submit

pytestmark = pytest.mark.django_db
Status = LiteracyRound.Status


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _urls(r):
    a = r.office.area_code
    return {
        "rounds": reverse("literacy:rounds", args=[a]),
        "create": reverse("literacy:round-create", args=[a]),
        "board": reverse("literacy:round", args=[a, r.pk]),
        "action": reverse("literacy:round-action", args=[a, r.pk]),
    }


# --- access ---------------------------------------------------------------------------------------


POST_STATUS = {"anonymous": 302, "outsider_b": 404, "school_account_a": 404, "viewer_a": 403, "director_a": 403, "planner_a": 302}


@pytest.mark.parametrize("who", list(POST_STATUS))
def test_post_close_per_role(request, client, open_round_a, school_account_a, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    _login(client, user)
    response = client.post(_urls(open_round_a)["action"], {"action": "close", "confirm": "yes"})
    assert response.status_code == POST_STATUS[who]
    expected = Status.CLOSED if who == "planner_a" else Status.OPEN
    assert LiteracyRound.objects.get(pk=open_round_a.pk).status == expected


@pytest.mark.parametrize("who", list(POST_STATUS))
def test_post_create_per_role(request, client, office_a, school_account_a, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    _login(client, user)
    now = timezone.localtime()
    response = client.post(reverse("literacy:round-create", args=[office_a.area_code]), {
        "academic_year": 2569, "number": 1, "grades": ["p1", "p2", "p3"], "opens_at": format_be_datetime(now),
        "closes_at": format_be_datetime((now + dt.timedelta(days=10))), "improvement_flag_pct": "30",
    })
    assert response.status_code == POST_STATUS[who]
    assert LiteracyRound.objects.exists() == (who == "planner_a")


def test_round_of_another_office_is_404(client, planner_a, office_b):
    other = make_round(office_b)
    client.force_login(planner_a)
    assert client.get(reverse("literacy:round", args=["9901", other.pk])).status_code == 404
    assert client.post(reverse("literacy:round-action", args=["9901", other.pk]), {"action": "open"}).status_code == 404
    assert LiteracyRound.objects.get(pk=other.pk).status == Status.DRAFT


# --- rounds list and creation -----------------------------------------------------------------------

def test_rounds_list_shows_counts_and_the_create_form_to_the_plan_officer(client, planner_a, viewer_a, open_round_a, schools_a):
    submit(open_round_a, schools_a[0])
    submit(open_round_a, schools_a[1], status=Submission.Status.DRAFT)
    client.force_login(planner_a)
    html = client.get(_urls(open_round_a)["rounds"]).content.decode()
    assert 'id="round-create"' in html
    assert "1 of 5" in html or "1 จาก 5" in html
    client.force_login(viewer_a)
    assert 'id="round-create"' not in client.get(_urls(open_round_a)["rounds"]).content.decode()


def test_create_with_a_ce_year_shows_the_hint_and_stores_nothing(client, planner_a, office_a):
    client.force_login(planner_a)
    now = timezone.localtime()
    response = client.post(reverse("literacy:round-create", args=[office_a.area_code]), {
        "academic_year": 2025, "number": 1, "grades": ["p1"], "opens_at": format_be_datetime(now),
        "closes_at": format_be_datetime((now + dt.timedelta(days=10))), "improvement_flag_pct": "30",
    })
    assert response.status_code == 400
    assert "2568" in response.content.decode()
    assert not LiteracyRound.objects.exists()


@pytest.mark.parametrize("bad", [{"grades": ["zz"]}, {"closes_at": "01/01/2563 00:00"}, {"opens_at": "พรุ่งนี้"}, {"number": "9"}])
def test_create_refuses_bad_input(client, planner_a, office_a, bad):
    client.force_login(planner_a)
    now = timezone.localtime()
    data = {"academic_year": 2569, "number": 1, "grades": ["p1"], "opens_at": format_be_datetime(now),
            "closes_at": format_be_datetime((now + dt.timedelta(days=10))), "improvement_flag_pct": "30", **bad}
    assert client.post(reverse("literacy:round-create", args=[office_a.area_code]), data).status_code == 400
    assert not LiteracyRound.objects.exists()


def test_create_redirects_to_the_board(client, planner_a, office_a, schools_a):
    client.force_login(planner_a)
    now = timezone.localtime()
    response = client.post(reverse("literacy:round-create", args=[office_a.area_code]), {
        "academic_year": 2569, "number": 2, "grades": ["p1", "p2", "p3"], "opens_at": format_be_datetime(now),
        "closes_at": format_be_datetime((now + dt.timedelta(days=10))), "improvement_flag_pct": "30",
    })
    r = LiteracyRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("literacy:round", args=[office_a.area_code, r.pk])
    assert (r.number, r.created_by) == (2, planner_a)


# --- the status board ---------------------------------------------------------------------------------

def _rows(html):
    import re

    return dict(re.findall(r'data-school="(\d+)" data-status="(\w+)"', html))


def test_board_lists_every_open_school_with_its_status(client, viewer_a, open_round_a, schools_a):
    submit(open_round_a, schools_a[0])
    submit(open_round_a, schools_a[1], status=Submission.Status.DRAFT)
    submit(open_round_a, schools_a[2], status=Submission.Status.REOPENED)
    client.force_login(viewer_a)
    response = client.get(_urls(open_round_a)["board"])
    html = response.content.decode()
    assert _rows(html) == {
        schools_a[0].smis_code: "submitted", schools_a[1].smis_code: "draft", schools_a[2].smis_code: "reopened",
        schools_a[3].smis_code: "not_started", schools_a[4].smis_code: "not_started",
    }
    assert "99019999" not in html  # the merged school is not expected, and the page says so
    board = response.context["board"]
    assert (board.submitted, board.expected, str(board.pct), board.excluded) == (1, 5, "20.00", 1)
    assert schools_a[0].phone in html and schools_a[0].cluster in html
    assert 'id="close-form"' not in html and 'name="schools"' not in html  # a viewer reads only


def test_board_filters_missing_and_cluster(client, viewer_a, open_round_a, schools_a):
    submit(open_round_a, schools_a[0])
    submit(open_round_a, schools_a[3])
    client.force_login(viewer_a)
    url = _urls(open_round_a)["board"]
    missing = _rows(client.get(url, {"missing": "on"}).content.decode())
    assert set(missing) == {s.smis_code for s in (schools_a[1], schools_a[2], schools_a[4])}
    south = _rows(client.get(url, {"cluster": "กลุ่มใต้"}).content.decode())
    assert set(south) == {schools_a[3].smis_code, schools_a[4].smis_code}
    both = client.get(url, {"missing": "on", "cluster": "กลุ่มใต้"})
    assert set(_rows(both.content.decode())) == {schools_a[4].smis_code}
    assert both.context["board"].submitted == 2  # counts stay over every school


def _board_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_board_query_count_does_not_grow_with_schools(client, planner_a, office_a, open_round_a, schools_a, django_assert_max_num_queries):
    for s in schools_a:
        submit(open_round_a, s, status=Submission.Status.DRAFT)
    client.force_login(planner_a)
    url = _urls(open_round_a)["board"]
    few = _board_queries(client, django_assert_max_num_queries, url)
    for i in range(55):
        s = SchoolFactory(office=office_a, smis_code=f"99015{i:03d}", cluster=f"กลุ่ม {i % 7}")
        if i % 2:
            submit(open_round_a, s)
    RoundReopening.objects.create(round=open_round_a, school=schools_a[0], until=timezone.now() + dt.timedelta(days=9), reason="x", by=planner_a)
    many = _board_queries(client, django_assert_max_num_queries, url)
    assert many == few, (few, many)
    rounds_url = _urls(open_round_a)["rounds"]
    make_round(office_a, number=3)
    with django_assert_max_num_queries(few):
        client.get(rounds_url)


def test_board_links_to_the_school_page_when_it_exists(client, planner_a, open_round_a, schools_a):
    from django.urls import NoReverseMatch

    client.force_login(planner_a)
    html = client.get(_urls(open_round_a)["board"]).content.decode()
    try:
        link = reverse("literacy:school-round", args=[schools_a[0].smis_code, open_round_a.pk])
    except NoReverseMatch:
        return
    assert link in html


# --- actions -------------------------------------------------------------------------------------------

def test_open_then_close_from_the_board(client, planner_a, round_a):
    client.force_login(planner_a)
    url = _urls(round_a)["action"]
    assert client.post(url, {"action": "open"}).status_code == 302
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.OPEN
    asked = client.post(url, {"action": "close"})
    assert asked.status_code == 200 and 'id="confirm-step"' in asked.content.decode()
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.OPEN  # the first click only asks
    assert client.post(url, {"action": "close", "confirm": "yes"}).status_code == 302
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.CLOSED


def test_closing_a_draft_round_is_refused_with_a_message(client, planner_a, round_a):
    client.force_login(planner_a)
    response = client.post(_urls(round_a)["action"], {"action": "close"}, follow=True)
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.DRAFT
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_reopen_chosen_schools_from_the_board(client, planner_a, office_a, schools_a):
    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    submit(r, schools_a[0])
    client.force_login(planner_a)
    until = format_be_datetime((timezone.localtime() + dt.timedelta(days=2)))
    response = client.post(_urls(r)["action"], {"action": "reopen", "schools": [schools_a[0].pk, schools_a[4].pk], "until": until, "reason": "ส่งไม่ทันเพราะน้ำท่วม"})
    assert response.status_code == 302
    assert set(RoundReopening.objects.values_list("school_id", flat=True)) == {schools_a[0].pk, schools_a[4].pk}
    assert Submission.objects.get(round=r, school=schools_a[0]).status == Submission.Status.REOPENED
    assert window_open_for(r, schools_a[4]) and not window_open_for(r, schools_a[1])
    html = client.get(_urls(r)["board"]).content.decode()
    assert "ส่งไม่ทันเพราะน้ำท่วม" in html


@pytest.mark.parametrize("bad", [{"reason": ""}, {"schools": []}, {"until": "01/01/2563 00:00"}, {"schools": ["school_b"]}, {"until": "x"}])
def test_bad_reopen_changes_nothing(client, planner_a, office_a, schools_a, school_b, bad):
    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    submit(r, schools_a[0])
    client.force_login(planner_a)
    data = {"action": "reopen", "schools": [schools_a[0].pk], "until": format_be_datetime((timezone.localtime() + dt.timedelta(days=2))), "reason": "เหตุผล", **bad}
    if data["schools"] == ["school_b"]:
        data["schools"] = [schools_a[0].pk, school_b.pk]
    response = client.post(_urls(r)["action"], data)
    assert response.status_code == 400
    assert not RoundReopening.objects.exists()
    assert Submission.objects.get(round=r).status == Submission.Status.SUBMITTED


def test_update_from_the_board_and_unknown_action(client, planner_a, round_a):
    client.force_login(planner_a)
    url = _urls(round_a)["action"]
    new_close = timezone.localtime(round_a.closes_at) + dt.timedelta(days=5)
    response = client.post(url, {"action": "update", "opens_at": format_be_datetime(timezone.localtime(round_a.opens_at)),
                                 "closes_at": format_be_datetime(new_close), "grades": ["p1", "p2", "p3", "p4"], "improvement_flag_pct": "20"})
    assert response.status_code == 302
    round_a.refresh_from_db()
    assert round_a.grades == ["p1", "p2", "p3", "p4"] and round_a.improvement_flag_pct == 20
    before = LiteracyRound.objects.filter(pk=round_a.pk).values().get()
    assert client.post(url, {"action": "update", "opens_at": "02/01/2569 00:00", "closes_at": "01/01/2569 00:00", "grades": ["p1"], "improvement_flag_pct": "20"}).status_code == 400
    assert client.post(url, {"action": "explode"}).status_code == 400
    assert LiteracyRound.objects.filter(pk=round_a.pk).values().get() == before


def test_board_is_paginated_and_keeps_its_filters(client, planner_a, office_a, open_round_a, schools_a, django_assert_max_num_queries):
    # Issue 18: the board of a 333-school office was 221 KB; it shows 50 schools a page, the counts stay over all.
    from emes.paging import PAGE_SIZE

    for i in range(60):
        SchoolFactory(office=office_a, smis_code=f"99016{i:03d}", cluster="กลุ่มใหญ่")
    client.force_login(planner_a)
    url = _urls(open_round_a)["board"]
    html = client.get(url, {"cluster": "กลุ่มใหญ่"}).content.decode()
    assert html.count('data-school="99016') == PAGE_SIZE
    assert __import__("re").search(r'href="\?cluster=[^"]*&amp;page=2"', html), "the pager keeps the filter"
    few = _board_queries(client, django_assert_max_num_queries, url + "?cluster=กลุ่มใหญ่")
    with django_assert_max_num_queries(few):
        second = client.get(url, {"cluster": "กลุ่มใหญ่", "page": 2}).content.decode()
    assert second.count('data-school="99016') == 60 - PAGE_SIZE
