"""Literacy rounds keep their history as transition rows of the core's audit trail, no longer in the admin's
``LogEntry`` (issue 14): creation, opening, closing, opening again, changes and reopenings for chosen schools."""
from __future__ import annotations

import datetime as dt

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from literacy import services
from literacy.models import LiteracyRound, LiteracyRoundTransition
from tests.audit import assert_transition, spy_record_transition

pytestmark = pytest.mark.django_db
Status = LiteracyRound.Status


@pytest.fixture
def rows(monkeypatch):
    return spy_record_transition(monkeypatch, services)


def test_create_open_close_and_open_again_write_transition_rows(rows, office_a, planner_a):
    now = timezone.now()
    r = services.create_round(office_a, by=planner_a, academic_year=2569, number=1, grades=["p1"], opens_at=now,
                              closes_at=now + dt.timedelta(days=14))
    assert_transition(rows[-1], r, by=planner_a, from_status="", to_status=Status.DRAFT)
    services.open_round(r, by=planner_a)
    assert_transition(rows[-1], r, by=planner_a, from_status=Status.DRAFT, to_status=Status.OPEN)
    services.close_round(r, by=planner_a)
    assert_transition(rows[-1], r, by=planner_a, from_status=Status.OPEN, to_status=Status.CLOSED)
    services.open_round(r, by=planner_a)
    assert_transition(rows[-1], r, by=planner_a, from_status=Status.CLOSED, to_status=Status.OPEN)
    assert len(rows) == 4
    assert [(t.from_status, t.to_status) for t in r.transitions.all()] == [
        ("", "draft"), ("draft", "open"), ("open", "closed"), ("closed", "open"),
    ]


def test_a_change_of_the_window_is_a_row_that_names_the_fields(rows, round_a, planner_a):
    services.update_round(round_a, by=planner_a, closes_at=round_a.closes_at + dt.timedelta(days=3))
    row = LiteracyRoundTransition.objects.get(round=round_a)
    assert (row.by, row.from_status, row.to_status) == (planner_a, Status.DRAFT, Status.DRAFT)
    assert str(LiteracyRound._meta.get_field("closes_at").verbose_name) in row.comment
    assert rows == [row]


def test_reopening_for_chosen_schools_is_a_row_with_the_schools_and_the_reason(rows, office_a, schools_a, planner_a):
    from .conftest import make_round

    closed = make_round(office_a, status=Status.CLOSED, opens=-10, closes=-1)
    services.reopen_for_schools(closed, [schools_a[1], schools_a[0]], by=planner_a, until=timezone.now() + dt.timedelta(days=2),
                                reason="โรงเรียนส่งข้อมูลผิดชั้น")
    (row,) = rows
    assert (row.by, row.from_status, row.to_status) == (planner_a, Status.CLOSED, Status.CLOSED)
    assert "โรงเรียนส่งข้อมูลผิดชั้น" in row.comment
    assert schools_a[0].smis_code in row.comment and schools_a[1].smis_code in row.comment


def test_the_round_page_of_the_admin_shows_its_transitions(admin_client, round_a, planner_a):
    services.update_round(round_a, by=planner_a, closes_at=round_a.closes_at + dt.timedelta(days=3))
    page = admin_client.get(reverse("admin:literacy_literacyround_change", args=[round_a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="transitions-TOTAL_FORMS"' in html and LiteracyRoundTransition.objects.get().comment in html


def test_the_migration_copies_the_admin_history_into_transition_rows(round_a, planner_a):
    """``literacy/migrations/0003_round_transition``: LogEntry rows written by the old services become transitions."""
    migration = importlib.import_module("literacy.migrations.0003_round_transition")
    content_type = ContentType.objects.get_for_model(LiteracyRound)
    for flag, message in [(ADDITION, '[{"added": {}}]'), (CHANGE, "draft → open"), (CHANGE, '[{"changed": {"fields": ["closes_at"]}}]'),
                          (CHANGE, "open → closed")]:
        LogEntry.objects.create(user=planner_a, content_type=content_type, object_id=str(round_a.pk), object_repr=str(round_a),
                                action_flag=flag, change_message=message)
    migration.copy_log_entries(django_apps, None)
    assert list(round_a.transitions.values_list("by", "from_status", "to_status", "comment")) == [
        (planner_a.pk, "", "draft", ""), (planner_a.pk, "draft", "open", ""), (planner_a.pk, "open", "open", "Changed: closes_at"),
        (planner_a.pk, "open", "closed", ""),
    ]
    assert list(round_a.transitions.values_list("at", flat=True)) == list(
        LogEntry.objects.filter(object_id=str(round_a.pk)).order_by("id").values_list("action_time", flat=True)
    )
