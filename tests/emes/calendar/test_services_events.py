"""The plan officer's own events: add, edit (a generated one becomes "edited"), cancel and restore; bad input
is refused in Thai, naming the field, and nothing changes."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emes.calendar.models import CalendarEvent
from emes.calendar.services import add_event, generate_calendar, reset_feed, feed_for, toggle_cancelled, update_event

pytestmark = pytest.mark.django_db
Kind = CalendarEvent.Kind


def _add(office, by, **over):
    data = {"fiscal_year": 2570, "kind": Kind.OTHER, "title": "ประชุมคณะทำงานติดตามผล", "starts_on": dt.date(2026, 11, 24),
            "ends_on": dt.date(2026, 11, 24), "audience": CalendarEvent.Audience.STAFF, **over}
    return add_event(office, by=by, **data)


def _errors(info) -> dict[str, str]:
    return {k: " ".join(v) for k, v in info.value.message_dict.items()}


def test_add_edit_cancel_restore(office_a, planner_a):
    event = _add(office_a, planner_a)
    assert (event.created_by, event.is_generated, event.is_edited) == (planner_a, False, False)
    event = update_event(event, by=planner_a, ends_on=dt.date(2026, 11, 25), description="ห้องประชุม 1")
    assert event.ends_on == dt.date(2026, 11, 25) and not event.is_edited  # a hand-made event is not "edited from a rule"
    event = toggle_cancelled(event, by=planner_a)
    assert event.is_cancelled and not CalendarEvent.objects.active().filter(pk=event.pk).exists()
    event = toggle_cancelled(event, by=planner_a)
    assert not event.is_cancelled


def test_editing_a_generated_event_marks_it_edited_only_when_it_changes(office_a, planner_a):
    generate_calendar(office_a, 2570)
    event = CalendarEvent.objects.get(office=office_a, generated_key="2570:quarterly-report:q1")
    same = update_event(event, by=planner_a, title=event.title)
    assert not same.is_edited
    moved = update_event(event, by=planner_a, starts_on=dt.date(2027, 1, 12), ends_on=dt.date(2027, 1, 12))
    assert moved.is_edited and moved.updated_by == planner_a


@pytest.mark.parametrize("over, field, text", [
    ({"title": "  "}, "title", "ชื่อกิจกรรม"),
    ({"ends_on": dt.date(2026, 11, 20)}, "ends_on", "อยู่ก่อนวันเริ่มต้น"),
    ({"starts_on": dt.date(2026, 9, 30)}, "starts_on", "30 กันยายน 2569 อยู่นอกปีงบประมาณ 2570 (1 ตุลาคม 2569 – 30 กันยายน 2570)"),
    ({"ends_on": dt.date(2027, 10, 2)}, "ends_on", "วันสิ้นสุด 2 ตุลาคม 2570 อยู่นอกปีงบประมาณ 2570"),
    ({"starts_on": dt.date(2569, 11, 24)}, "starts_on", "ปี 2569 เป็นปีพุทธศักราช"),
    ({"starts_on": "24/11/2569"}, "starts_on", "วัน/เดือน/ปี"),
    ({"kind": "party"}, "kind", "ประเภท"),
    ({"fiscal_year": 2026}, "fiscal_year", "ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_stored(office_a, planner_a, over, field, text):
    with pytest.raises(ValidationError) as info:
        _add(office_a, planner_a, **over)
    assert text in _errors(info)[field]
    assert not CalendarEvent.objects.exists()


def test_report_deadlines_may_run_into_october_and_literacy_windows_may_straddle(office_a, planner_a):
    q4 = _add(office_a, planner_a, kind=Kind.QUARTERLY_REPORT, starts_on=dt.date(2027, 10, 7), ends_on=dt.date(2027, 10, 7))
    assert q4.fiscal_year == 2570
    window = _add(office_a, planner_a, kind=Kind.LITERACY, starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2027, 10, 30))
    assert window.ends_on == dt.date(2027, 10, 30)
    with pytest.raises(ValidationError) as info:
        _add(office_a, planner_a, kind=Kind.LITERACY, starts_on=dt.date(2027, 10, 1), ends_on=dt.date(2027, 10, 30))
    assert "ไม่อยู่ในปีงบประมาณ 2570" in _errors(info)["starts_on"]


def test_a_refused_edit_changes_nothing(office_a, planner_a):
    generate_calendar(office_a, 2570)
    event = CalendarEvent.objects.get(office=office_a, generated_key="2570:inspection:r1:visit")
    before = (event.starts_on, event.ends_on, event.title, event.is_edited)
    with pytest.raises(ValidationError) as info:
        update_event(event, by=planner_a, title="ตรวจ", starts_on=dt.date(2027, 2, 20), ends_on=dt.date(2027, 2, 10))
    assert info.value.message_dict == {"ends_on": ["วันสิ้นสุด (10 กุมภาพันธ์ 2570) อยู่ก่อนวันเริ่มต้น (20 กุมภาพันธ์ 2570)"]}
    event.refresh_from_db()
    assert (event.starts_on, event.ends_on, event.title, event.is_edited) == before


def test_only_the_plan_officer_of_the_office_writes(office_a, planner_a, director_a, viewer_a, outsider_b):
    event = _add(office_a, planner_a)
    for user in (director_a, viewer_a, outsider_b):
        with pytest.raises(PermissionDenied):
            _add(office_a, user)
        with pytest.raises(PermissionDenied):
            update_event(event, by=user, title="x")
        with pytest.raises(PermissionDenied):
            toggle_cancelled(event, by=user)
    assert CalendarEvent.objects.count() == 1


def test_resetting_a_feed_changes_its_token(planner_a):
    old = feed_for(planner_a).token
    assert feed_for(planner_a).token == old
    assert reset_feed(planner_a).token != old
