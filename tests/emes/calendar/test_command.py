"""``manage.py generate_calendar``: generates, regenerates without duplicates, refuses a CE year or an unknown office."""
from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from emes.calendar.models import CalendarEvent

pytestmark = pytest.mark.django_db


def test_generate_twice(office_a):
    out = io.StringIO()
    call_command("generate_calendar", "--office", office_a.area_code, "--fiscal-year", "2570", stdout=out)
    count = CalendarEvent.objects.filter(office=office_a, fiscal_year=2570).count()
    assert f"created {count}" in out.getvalue()
    call_command("generate_calendar", "--office", office_a.area_code, "--fiscal-year", "2570", stdout=out)
    assert CalendarEvent.objects.filter(office=office_a, fiscal_year=2570).count() == count
    assert f"unchanged {count}" in out.getvalue()


@pytest.mark.parametrize("office, year, text", [("9901", "2027", "ปี 2027 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2570)"), ("0000", "2570", "ไม่พบสำนักงาน")])
def test_bad_arguments_exit_2(office_a, office, year, text):
    with pytest.raises(CommandError) as info:
        call_command("generate_calendar", "--office", office, "--fiscal-year", year)
    assert text in str(info.value) and info.value.returncode == 2
    assert not CalendarEvent.objects.exists()
