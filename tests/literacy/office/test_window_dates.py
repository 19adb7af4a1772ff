"""The literacy window is typed and shown in the Buddhist Era (issue 13 item 6): a BE year typed in the browser's CE
``datetime-local`` was saved as 3113 (or 2569 CE) and the round then said schools could record."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from literacy.models import LiteracyRound

pytestmark = pytest.mark.django_db
BKK = dt.timezone(dt.timedelta(hours=7))


def _create(client, office, **overrides):
    data = {"academic_year": 2569, "number": 1, "grades": ["p1", "p2"], "opens_at": "01/03/2569 08:00",
            "closes_at": "15/03/2569 16:30", "improvement_flag_pct": "๓๐", **overrides}
    with time_machine.travel(dt.datetime(2026, 2, 20, 9, tzinfo=BKK), tick=False):
        return client.post(reverse("literacy:round-create", args=[office.area_code]), data)


def test_a_be_window_is_saved_as_the_right_moment_and_shown_back_in_be(client, office_a, planner_a):
    client.force_login(planner_a)
    assert _create(client, office_a).status_code == 302
    r = LiteracyRound.objects.get()
    assert r.opens_at == dt.datetime(2026, 3, 1, 8, 0, tzinfo=BKK) and r.closes_at == dt.datetime(2026, 3, 15, 16, 30, tzinfo=BKK)
    assert r.improvement_flag_pct == 30
    html = client.get(reverse("literacy:round", args=[office_a.area_code, r.pk])).content.decode()
    assert 'value="01/03/2569 08:00"' in html and 'value="15/03/2569 16:30"' in html
    assert "datetime-local" not in html and 'placeholder="วว/ดด/ปปปป ชช:นน"' in html


@pytest.mark.parametrize("field, typed, text", [
    ("opens_at", "01/03/2026 08:00", "ปี 2026 ดูเหมือนเป็น ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2569"),
    ("closes_at", "2026-03-15T16:30", "ปี 2026 ดูเหมือนเป็น ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2569"),
    ("closes_at", "31/02/2569 16:30", "ไม่มีวันที่ 31/2/2569 ในปฏิทิน"),
    ("closes_at", "15/03/3112 16:30", "ปี 3112 อยู่นอกช่วงที่รับได้"),
    ("closes_at", "15/03/2569", "กรุณาใส่เวลาต่อท้ายวันที่"),
])
def test_a_ce_year_or_an_impossible_date_is_refused_with_a_thai_hint(client, office_a, planner_a, field, typed, text):
    client.force_login(planner_a)
    response = _create(client, office_a, **{field: typed})
    assert response.status_code == 400 and text in response.content.decode()
    assert not LiteracyRound.objects.exists()
