"""Completeness and timeliness (DHIS2's reporting rate and reporting rate on time), per quarter,
division and owner; the missing and late lists; the same figures as the annual report."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from emes.fiscal import FiscalYear, WorkingCalendar
from emes.models import Office
from plans.deadlines import report_due
from plans.followup import selectors
from reports.selectors import annual_report_data

from .conftest import DUE, report

pytestmark = pytest.mark.django_db


def url(office, fy: int = 2569) -> str:
    return reverse("plans:completeness", args=[office.area_code, fy])


def test_due_dates_of_fy_2569(office_a):
    """The rule's real dates: Q1 ends on a Wednesday before New Year (1-2 Jan off), so due Fri 9 Jan 2026;
    Q2's window holds Chakri Day (Mon 6 Apr 2026), due Wed 8 Apr."""
    assert selectors.quarter_due_dates(office_a, 2569) == [DUE[1], DUE[2], DUE[3], DUE[4]]


def test_the_demo_office_shows_the_annual_reports_figures(client):
    """The demo's real mix (on time, late, drafts, returned, never started) for every quarter, as the annual report counts it."""
    from django.contrib.auth import get_user_model

    from demo.loader import load_demo

    load_demo()
    office = Office.objects.get(area_code="5402")
    client.force_login(get_user_model().objects.get(username="viewer"))
    annual = {t.quarter: t for t in annual_report_data(office, 2569).timeliness}
    for q in (1, 2, 3, 4):
        response = client.get(url(office), {"quarter": q})
        assert response.status_code == 200
        data = response.context["data"]
        for shown in data.quarters:
            expected = annual[shown.quarter]
            assert (shown.due_date, shown.expected, shown.on_time, shown.late, shown.missing) == (
                expected.due_date, expected.expected, expected.on_time, expected.late, expected.missing)
        selected = data.selected
        assert selected.quarter == q
        assert (len(data.missing), len(data.late)) == (selected.missing, selected.late)
        for groups in (data.by_division, data.by_owner):
            assert sum(g.counts.expected for g in groups) == selected.expected
            assert sum(g.counts.on_time for g in groups) == selected.on_time
            assert sum(g.counts.late for g in groups) == selected.late
            assert sum(g.counts.missing for g in groups) == selected.missing
        assert selected.missing > 0 and selected.late > 0  # the demo's mix shows both
    # Disbursement agrees with the annual report too (baht, counted reports).
    response = client.get(reverse("plans:disbursement", args=["5402", 2569]))
    assert response.context["data"].total.cumulative[3].disbursed == annual_report_data(office, 2569).total.disbursed


def test_states_on_time_late_missing(office_a, make_project, owner_b):
    on_time = make_project("69-001")
    late = make_project("69-002", division=1, owner=owner_b)
    draft = make_project("69-003")
    returned = make_project("69-004", division=1, owner=owner_b)
    make_project("69-005")  # never started
    report(on_time, 1, status="approved", submitted=DUE[1])  # on the due date: on time
    report(late, 1, status="accepted", submitted=dt.date(2026, 1, 13))  # Tue after a Fri due date: 2 working days
    report(draft, 1, status="draft", submitted=None)
    report(returned, 1, status="returned", submitted=dt.date(2026, 1, 5))  # was submitted, then returned: not counted

    today = dt.date(2026, 1, 16)
    data = selectors.completeness(office_a, 2569, quarter=1, today=today)
    q1 = data.selected
    assert (q1.expected, q1.submitted, q1.on_time, q1.late, q1.missing) == (5, 2, 1, 1, 3)
    assert q1.completeness_pct == 40 and q1.timeliness_pct == 20
    assert [r.project.code for r in data.late] == ["69-002"]
    assert data.late[0].late_working_days == 2 and data.late[0].submitted_on == dt.date(2026, 1, 13)
    missing = {r.project.code: r for r in data.missing}
    assert set(missing) == {"69-003", "69-004", "69-005"}
    assert {m.late_working_days for m in missing.values()} == {5}  # 12-16 Jan
    assert missing["69-005"].report_status is None and missing["69-003"].report_status == "draft"
    # Quarters 2-4: nobody reported yet; before their due date the missing are not late.
    assert data.quarters[1].missing == 5 and data.quarters[1].due_date > today
    assert selectors.completeness(office_a, 2569, quarter=2, today=today).missing[0].late_working_days == 0

    by_division = {g.label: g.counts for g in data.by_division}
    assert (by_division["กลุ่มนโยบายฯ"].on_time, by_division["กลุ่มนโยบายฯ"].missing) == (1, 2)
    assert (by_division["กลุ่มนิเทศฯ"].late, by_division["กลุ่มนิเทศฯ"].missing) == (1, 1)
    assert [g.label for g in data.by_division] == ["กลุ่มนโยบายฯ", "กลุ่มนิเทศฯ"]  # by division code
    by_owner = {g.key: g.counts for g in data.by_owner}
    assert by_owner[owner_b.pk].expected == 2


def test_submission_time_is_read_in_bangkok(office_a, make_project):
    """23:30 UTC on the due date is already the next day in Bangkok: late, as the annual report counts it."""
    project = make_project("69-001")
    r = report(project, 1, submitted=DUE[1])
    r.submitted_at = dt.datetime(2026, 1, 9, 17, 30, tzinfo=dt.UTC)  # 00:30 on 10 Jan in Bangkok
    r.save()
    data = selectors.completeness(office_a, 2569, quarter=1)
    assert data.selected.late == 1
    assert annual_report_data(office_a, 2569).timeliness[0].late == 1


def test_office_holidays_move_the_due_date(office_a, make_project):
    office_a.holidays.create(date=dt.date(2026, 1, 9), name="วันหยุดพิเศษตามมติ ครม.")
    due = selectors.quarter_due_dates(office_a, 2569)[0]
    assert due == dt.date(2026, 1, 12) == report_due(office_a, FiscalYear(2569).quarter(1), calendar=WorkingCalendar.for_office(office_a))
    project = make_project("69-001")
    report(project, 1, submitted=dt.date(2026, 1, 12))
    assert selectors.completeness(office_a, 2569, quarter=1).selected.on_time == 1


def test_default_quarter_is_the_latest_past_due():
    assert selectors.default_quarter(DUE.values(), dt.date(2026, 1, 9)) == 1  # Q1 due today: none has passed
    assert selectors.default_quarter(DUE.values(), dt.date(2026, 1, 10)) == 1
    assert selectors.default_quarter(DUE.values(), dt.date(2026, 7, 8)) == 3
    assert selectors.default_quarter(DUE.values(), dt.date(2026, 11, 20)) == 4


def test_page_default_quarter_and_lists(client, viewer_a, office_a, make_project, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 20, 9, tzinfo=dt.UTC))
    project = make_project("69-001", name="โครงการที่ยังไม่ส่ง")
    report(project, 1)
    client.force_login(viewer_a)
    response = client.get(url(office_a))
    assert response.status_code == 200
    assert response.context["data"].quarter == 2
    html = response.content.decode()
    assert "โครงการที่ยังไม่ส่ง" in html and 'id="missing"' in html
    assert "8 เมษายน 2569" in html  # due date in BE
    assert reverse("plans:quarter-export", args=[office_a.area_code, 2569, 2]) in html


@pytest.mark.parametrize("value", ["0", "5", "x", "-1", "1.0"])
def test_quarter_outside_1_to_4_is_not_found(client, viewer_a, office_a, value):
    client.force_login(viewer_a)
    assert client.get(url(office_a), {"quarter": value}).status_code == 404


def test_selector_refuses_a_quarter_outside_1_to_4(office_a):
    with pytest.raises(ValueError):
        selectors.completeness(office_a, 2569, quarter=5)


def test_an_empty_plan_shows_empty_tables(client, viewer_a, office_a):
    client.force_login(viewer_a)
    response = client.get(url(office_a, 2570))
    assert response.status_code == 200
    assert response.context["data"].selected.expected == 0
