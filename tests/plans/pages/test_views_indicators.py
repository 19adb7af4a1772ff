"""The indicator list: project and strategy indicators, latest counted actual, badges, filters, counts."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Indicator
from tests.factories import DivisionFactory, IndicatorFactory, IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = pytest.mark.django_db


def url(office):
    return reverse("plans:indicators", args=[office.area_code, 2569])


@pytest.fixture
def world(office_a, project_a, other_project_a, strategy_a):
    """project_a: reading (achieved, percentage 45/50) and dropouts (≤ 5, actual 8: not achieved);
    other_project_a: one not reported; strategy_a: one strategy indicator reported through project_a."""
    reading = project_a.indicators.get()
    Indicator.objects.filter(pk=reading.pk).update(is_percentage=True)
    dropouts = IndicatorFactory(project=project_a, name="ออกกลางคัน", unit="คน", target=Decimal("5"), direction="lte")
    silent = IndicatorFactory(project=other_project_a, name="ยังไม่รายงาน")
    frame = Indicator.objects.create(strategy=strategy_a, name="ร้อยละโรงเรียนผ่านเกณฑ์", unit="ร้อยละ", target=Decimal("70"))
    report = QuarterlyReportFactory(project=project_a, quarter=2, status="accepted")
    IndicatorResultFactory(report=report, indicator=reading, actual=Decimal("90"), numerator=Decimal("45"), denominator=Decimal("50"))
    IndicatorResultFactory(report=report, indicator=dropouts, actual=Decimal("8"))
    IndicatorResultFactory(report=report, indicator=frame, actual=Decimal("75"))
    return {"reading": reading, "dropouts": dropouts, "silent": silent, "frame": frame}


def test_rows_badges_and_counts(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    response = client.get(url(office_a))
    listing = response.context["listing"]
    by_pk = {r.indicator.pk: r for r in listing.rows}
    assert by_pk[world["reading"].pk].achievement == "achieved"
    assert by_pk[world["dropouts"].pk].achievement == "not_achieved"
    assert by_pk[world["silent"].pk].achievement == "not_reported"
    assert by_pk[world["frame"].pk].achievement == "achieved" and by_pk[world["frame"].pk].strategy is not None
    assert listing.counts == {"achieved": 2, "not_achieved": 1, "not_reported": 1}
    page = response.content.decode()
    assert "45 / 50" in page  # numerator / denominator of a percentage indicator


def test_filters(client, viewer_a, office_a, world, other_owner_a, strategy_a):
    third = ProjectFactory(office=office_a, code="69-003", division=DivisionFactory(office=office_a, code="02"))
    IndicatorFactory(project=third, name="ของกลุ่มอื่น")
    client.force_login(viewer_a)

    def names(**params):
        listing = client.get(url(office_a), params).context["listing"]
        return sorted(r.indicator.name for r in listing.rows), listing.counts

    rows, counts = names(achievement="not_reported")
    assert rows == ["ของกลุ่มอื่น", "ยังไม่รายงาน"]
    assert counts["achieved"] == 2  # counts ignore the achievement filter itself
    assert names(owner=other_owner_a.pk)[0] == ["ยังไม่รายงาน"]
    assert names(division=third.division.pk)[0] == ["ของกลุ่มอื่น"]
    rows, _ = names(strategy=strategy_a.pk)
    assert "ร้อยละโรงเรียนผ่านเกณฑ์" in rows and "ของกลุ่มอื่น" not in rows
    assert names(division=third.division.pk, achievement="achieved") == ([], {"achieved": 0, "not_achieved": 0, "not_reported": 1})


def test_bad_filter_values_show_everything(client, viewer_a, office_a, world):
    client.force_login(viewer_a)
    response = client.get(url(office_a), {"division": "nope", "achievement": "great"})
    assert response.status_code == 200 and len(response.context["listing"].rows) == 4


def test_unloaded_rows_match_the_loaded_list_and_load_fetches_only_the_given_rows(world, office_a, django_assert_num_queries):
    # Issue 18: the page builds the list from values and instantiates the shown page's indicators only;
    # rows, achievements and counts are those of the list built from instances.
    from plans.selectors import IndicatorList, plan_indicators

    full = plan_indicators(office_a, 2569)
    lazy = plan_indicators(office_a, 2569, load=False)
    assert [(r.indicator_id, r.achievement, r.result) for r in lazy.rows] == [(r.indicator.pk, r.achievement, r.result) for r in full.rows]
    assert lazy.counts == full.counts == {"achieved": 2, "not_achieved": 1, "not_reported": 1}
    assert [r.indicator for r in lazy.rows if r.project] == [None, None, None]
    with django_assert_num_queries(1):
        IndicatorList.load(lazy.rows[:2])
    assert [r.indicator for r in lazy.rows[:2]] == [r.indicator for r in full.rows[:2]]
    assert lazy.rows[2].indicator is None
    with django_assert_num_queries(1):  # a fixed count, whatever the page holds
        IndicatorList.load([])


@pytest.mark.parametrize("direction,target,actual,expected", [
    ("gte", "80", None, "not_reported"), ("gte", "80", "80", "achieved"), ("gte", "80", "79.99", "not_achieved"),
    ("lte", "5", "5", "achieved"), ("lte", "5", "8", "not_achieved"), ("lte", "5", None, "not_reported"),
])
def test_achievement_from_values_is_the_rule_of_achievement_of(direction, target, actual, expected):
    from plans.measures import achievement_from, achievement_of

    actual = None if actual is None else Decimal(actual)
    indicator = Indicator(direction=direction, target=Decimal(target))
    assert achievement_from(direction, Decimal(target), actual) == achievement_of(indicator, actual) == expected
    assert actual is None or Indicator.meets(direction, Decimal(target), actual) == indicator.is_met_by(actual)
