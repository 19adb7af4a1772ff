import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template

from emes import thai


def test_be_date_long_and_thai_digits():
    assert thai.be_date(dt.date(2026, 1, 9)) == "9 มกราคม 2569"
    assert thai.be_date(dt.date(2026, 1, 9), thai_numerals=True) == "๙ มกราคม ๒๕๖๙"


def test_be_datetime_uses_bangkok_time():
    utc = dt.datetime(2026, 11, 20, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert thai.be_datetime(utc) == "21 พ.ย. 2569 00:30 น."


def test_baht_and_percent():
    assert thai.baht(Decimal("1234567.5")) == "1,234,567.50"
    assert thai.percent(Decimal("87.456")) == "87.46"
    assert thai.baht(None) == "-"


def test_template_filters_are_builtin():
    out = Template("{{ d|be_date }} {{ y|thai_digits }}").render(Context({"d": dt.date(2025, 10, 1), "y": 2569}))
    assert out == "1 ตุลาคม 2568 ๒๕๖๙"


def test_page_dates_follow_the_language_with_be_years():
    """Issue 17: on English pages dates are English with BE years; Thai pages keep Thai dates."""
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load thai %}{{ d|be_date }}|{{ d|be_date_short }}|{{ d|be_date_th }}")
    day = dt.date(2026, 1, 9)
    with translation.override("en"):
        assert template.render(Context({"d": day})) == "9 January 2569|9 Jan 2569|9 January 2569"
    with translation.override("th"):
        assert template.render(Context({"d": day})) == "9 มกราคม 2569|9 ม.ค. 69|๙ มกราคม ๒๕๖๙"
