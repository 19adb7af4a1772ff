"""Cumulative disbursement against the allocation and the FY's cumulative targets, with red/amber/green flags."""
from __future__ import annotations

import base64
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.followup import selectors
from plans.followup.selectors import AMBER, GREEN, GREY, RED, disbursement_flag
from plans.models import DisbursementTarget, Project, QuarterlyReport

from .conftest import report

pytestmark = pytest.mark.django_db


def url(office, fy: int = 2569) -> str:
    return reverse("plans:disbursement", args=[office.area_code, fy])


@pytest.mark.parametrize("pct,target,flag", [
    ("93", "93", GREEN), ("100", "93", GREEN), ("92.99", "93", AMBER), ("83", "93", AMBER),
    ("82.99", "93", RED), ("0", "93", RED), ("50", None, GREY), (None, "93", GREY), ("0", "0", GREEN),
])
def test_flag_rule_at_its_boundaries(pct, target, flag):
    assert disbursement_flag(None if pct is None else Decimal(pct), None if target is None else Decimal(target)) == flag


def test_sums_agree_with_an_independent_computation(office_a, make_project, owner_b):
    projects = [
        make_project("69-001", budget="200000"), make_project("69-002", budget="50000"),
        make_project("69-003", division=1, owner=owner_b, budget="120000"), make_project("69-004", division=1, budget="0"),
    ]
    amounts = {  # (quarter, status, baht)
        "69-001": [(1, "approved", "20000"), (2, "accepted", "30000"), (3, "draft", "40000"), (4, "submitted", "90000")],
        "69-002": [(1, "returned", "5000"), (2, "submitted", "10000"), (3, "approved", "12500.50")],
        "69-003": [(2, "approved", "60000"), (4, "accepted", "48000")],
    }
    for p in projects:
        for quarter, status, baht in amounts.get(p.code, []):
            report(p, quarter, status=status, disbursed=baht)

    # Independent: walk every report in Python, counting only submitted/accepted/approved ones.
    during: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for r in QuarterlyReport.objects.all():
        if r.status in ("submitted", "accepted", "approved"):
            during[(r.project_id, r.quarter)] += r.budget_disbursed

    def cumulative(project_ids, q):
        return sum((during[(pid, n)] for pid in project_ids for n in range(1, q + 1)), Decimal("0"))

    data = selectors.disbursement(office_a, 2569)
    ids = [p.pk for p in projects]
    for q in (1, 2, 3, 4):
        assert data.total.cumulative[q - 1].disbursed == cumulative(ids, q)
        for row in data.projects:
            assert row.cumulative[q - 1].disbursed == cumulative([row.project.pk], q)
        for row in data.divisions:
            members = [p.pk for p in Project.objects.filter(office=office_a, division__code=row.code)]
            assert row.cumulative[q - 1].disbursed == cumulative(members, q)
    assert data.total.allocated == Decimal("370000")
    assert data.total.cumulative[3].disbursed == Decimal("20000") + 30000 + 90000 + 10000 + Decimal("12500.50") + 60000 + 48000
    first = data.projects[0]
    assert [c.pct for c in first.cumulative] == [Decimal("10.00"), Decimal("25.00"), Decimal("25.00"), Decimal("70.00")]
    assert data.projects[3].cumulative[3].pct is None and data.projects[3].cumulative[3].flag == GREY  # no allocation
    assert first.remaining == Decimal("60000")


def test_flags_against_the_seeded_and_added_targets(client, viewer_a, office_a, make_project):
    """FY 2569 Q4 = 93 % is seeded (Cabinet measure); Q1-Q3 have no target until the admin adds one."""
    DisbursementTarget.objects.create(fiscal_year=2569, quarter=2, target_pct=Decimal("40"))
    green, amber, red = (make_project(code) for code in ("69-001", "69-002", "69-003"))
    for project, q2, q4 in ((green, "40000", "53000"), (amber, "30000", "53000"), (red, "29990", "52999")):
        report(project, 2, disbursed=q2)
        report(project, 4, disbursed=q4)
    client.force_login(viewer_a)
    response = client.get(url(office_a))
    data = response.context["data"]
    assert data.targets == [None, Decimal("40.00"), None, Decimal("93.00")]
    assert data.missing_targets == [1, 3]
    flags = {row.code: [c.flag for c in row.cumulative] for row in data.projects}
    assert flags == {
        "69-001": [GREY, GREEN, GREY, GREEN],   # 40 % of 40, 93 % of 93
        "69-002": [GREY, AMBER, GREY, AMBER],   # 30 %, 83 %: 10 points below
        "69-003": [GREY, RED, GREY, RED],       # 29.99 %, 82.99 %
    }
    html = response.content.decode()
    chart = re.search(r'id="disbursement-chart"><img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert chart and base64.b64decode(chart.group(1)).decode().startswith("<svg")
    assert 'id="missing-targets"' in html


def test_an_office_without_projects_and_a_year_without_targets(client, viewer_a, office_a):
    client.force_login(viewer_a)
    response = client.get(url(office_a, 2570))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.targets == [None] * 4 and data.total.allocated == 0
    assert [c.flag for c in data.total.cumulative] == [GREY] * 4
