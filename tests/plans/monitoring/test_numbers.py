"""Numbers of the quarterly report (issue 13 item 7): Thai digits and separators read, ranges by the indicator's unit,
Thai messages; the service refuses what the form refuses, so every writer is held to the same range."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from plans.models import QuarterlyReport
from plans.monitoring import services
from tests.factories import IndicatorFactory

from .conftest import snapshot
from .test_views_edit import form_data

pytestmark = pytest.mark.django_db


def url(project, quarter=1):
    return reverse("plans:report-edit", args=[project.office.area_code, project.pk, quarter])


@pytest.fixture
def pct_typed(project_a):
    """A percentage indicator whose actual is typed (unit ร้อยละ, no numerator/denominator)."""
    return IndicatorFactory(project=project_a, name="ร้อยละของโรงเรียนที่จัดกิจกรรม", unit="ร้อยละ", target=Decimal("80"))


def _row(data, indicator) -> str:
    """The form prefix of ``indicator``'s row in ``data``."""
    return next(k.rsplit("-", 1)[0] for k, v in data.items() if k.endswith("-indicator") and v == indicator.pk)


def test_thai_digits_in_money_and_indicators_are_saved(client, owner_a, draft, count_indicator, pct_indicator):
    client.force_login(owner_a)
    data = form_data(draft)
    data.update({"money-0-amount": "๕๐,๐๐๐.๕๐", "money-1-amount": "1,234.56", _row(data, count_indicator) + "-actual": "๔๕",
                 _row(data, pct_indicator) + "-numerator": "๑๒๐", _row(data, pct_indicator) + "-denominator": "๑๕๐",
                 "progress": "๔๐"})
    page = client.post(url(draft.project), data)
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.progress == 40
    assert dict(draft.disbursements.values_list("source", "amount")) == {"obec": Decimal("50000.50"), "area": Decimal("1234.56")}
    assert draft.budget_disbursed == Decimal("51235.06")
    results = {r.indicator_id: r for r in draft.results.all()}
    assert results[count_indicator.pk].actual == Decimal("45")
    assert (results[pct_indicator.pk].numerator, results[pct_indicator.pk].actual) == (Decimal("120"), Decimal("80.00"))


def test_the_numbers_are_text_inputs_the_browser_does_not_empty(client, owner_a, draft, count_indicator):
    client.force_login(owner_a)
    html = client.get(url(draft.project)).content.decode()
    assert 'type="number"' not in html
    assert 'name="money-0-amount"' in html and 'inputmode="decimal"' in html


@pytest.mark.parametrize("field, typed, text", [
    ("money-0-amount", "100.555", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ("money-0-amount", "-5", "ต้องไม่ติดลบ"),
    ("progress", "45.5", "45.5 มีทศนิยม กรุณากรอกจำนวนเต็ม เช่น 45 หรือ 46"),
    ("progress", "250", "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
])
def test_bad_numbers_get_a_thai_message_and_nothing_is_saved(client, owner_a, draft, count_indicator, field, typed, text):
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(url(draft.project), {**form_data(draft), field: typed})
    assert page.status_code == 200 and text in page.content.decode()
    assert snapshot(draft) == before


@pytest.mark.parametrize("typed, text", [("-3", "ต้องไม่ติดลบ"), ("4.5", "4.5 มีทศนิยม กรุณากรอกจำนวนเต็ม")])
def test_a_count_indicator_refuses_a_negative_or_broken_count_on_the_page(client, owner_a, draft, count_indicator, typed, text):
    client.force_login(owner_a)
    data = form_data(draft)
    data[_row(data, count_indicator) + "-actual"] = typed
    page = client.post(url(draft.project), data)
    assert page.status_code == 200 and text in page.content.decode()
    assert not draft.results.exists()


def test_a_percentage_indicator_refuses_250_on_the_page(client, owner_a, draft, pct_typed):
    client.force_login(owner_a)
    data = form_data(draft)
    data[_row(data, pct_typed) + "-actual"] = "250"
    page = client.post(url(draft.project), data)
    assert page.status_code == 200 and "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 แต่ 250 เกิน 100" in page.content.decode()
    assert not draft.results.exists()
    data[_row(data, pct_typed) + "-actual"] = "45.5"
    assert client.post(url(draft.project), data).status_code == 302
    assert draft.results.get().actual == Decimal("45.50")


@pytest.mark.parametrize("actual, text", [(Decimal("-3"), "ต้องไม่ติดลบ"), ("-3", "ต้องไม่ติดลบ"), (Decimal("2.5"), "มีทศนิยม")])
def test_the_service_refuses_a_negative_count(owner_a, draft, count_indicator, actual, text):
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        services.save_report(draft, by=owner_a, data={}, expected_version=draft.version,
                             results=[{"indicator": count_indicator, "actual": actual}])
    assert any(count_indicator.name in m and text in m for m in exc.value.messages)
    assert not draft.results.exists()


def test_the_service_refuses_250_percent(owner_a, draft, pct_typed):
    with pytest.raises(ValidationError) as exc:
        services.save_report(draft, by=owner_a, data={}, expected_version=draft.version,
                             results=[{"indicator": pct_typed, "actual": Decimal("250")}])
    assert any(pct_typed.name in m and "250" in m for m in exc.value.messages)
    assert not draft.results.exists()


def test_a_percentage_indicator_whose_target_is_above_100_may_exceed_100(owner_a, draft, project_a):
    growth = IndicatorFactory(project=project_a, name="ร้อยละการเพิ่มขึ้นของผู้เข้าร่วม", unit="ร้อยละ", target=Decimal("150"))
    services.save_report(draft, by=owner_a, data={}, expected_version=draft.version, results=[{"indicator": growth, "actual": Decimal("180")}])
    assert draft.results.get().actual == Decimal("180")


def test_the_service_refuses_a_progress_with_decimals_instead_of_cutting_it(owner_a, draft):
    with translation.override("th"), pytest.raises(ValidationError, match=r"ความก้าวหน้า: 45\.5 มีทศนิยม"):
        services.save_report(draft, by=owner_a, data={"progress": Decimal("45.5")}, expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.progress == 0 and QuarterlyReport.objects.get(pk=draft.pk).version == draft.version
