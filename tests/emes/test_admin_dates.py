"""The admin types and shows dates in the Buddhist Era too (issue 13 item 6): ``OfficeScopedAdmin.formfield_overrides``."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from emes.models import OfficeHoliday

pytestmark = pytest.mark.django_db


def test_an_admin_date_is_shown_and_typed_in_be(admin_client, office_a):
    holiday = OfficeHoliday.objects.create(office=office_a, date=dt.date(2026, 12, 31), name="วันหยุดพิเศษ")
    url = reverse("admin:emes_officeholiday_change", args=[holiday.pk])
    html = admin_client.get(url).content.decode()
    assert 'value="31/12/2569"' in html and 'placeholder="วว/ดด/ปปปป"' in html
    response = admin_client.post(url, {"office": office_a.pk, "date": "๒/๑/๒๕๗๐", "name": "วันหยุดพิเศษ"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.date == dt.date(2027, 1, 2)
    response = admin_client.post(url, {"office": office_a.pk, "date": "2/1/2027", "name": "วันหยุดพิเศษ"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and "ปี 2027 ดูเหมือนเป็น ค.ศ." in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.date == dt.date(2027, 1, 2)
