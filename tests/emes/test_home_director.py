"""The director's home: the year at a glance with links behind every figure, the approval inbox reachable,
a cut list linking to the whole list (issue 17, "People are told")."""
import pytest
import time_machine
from django.urls import reverse

from emes.models import Role
from tests.factories import MembershipFactory, ProjectFactory, QuarterlyReportFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = "2026-05-20 09:00 +0700"  # FY 2569: Q1 and Q2 reports are due


def _director(office):
    user = UserFactory(username="director_dash")
    MembershipFactory(user=user, office=office, role=Role.DIRECTOR)
    return user


@time_machine.travel(TODAY)
def test_director_home_is_a_dashboard_linking_to_its_pages(client, office_a):
    director = _director(office_a)
    for n in range(3):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, fiscal_year=2569), status="accepted")
    client.force_login(director)
    page = client.get(reverse("home")).content.decode()
    code = office_a.area_code
    for card, url in (
        ("dash-plan", reverse("plans:plan", args=[code, 2569])),
        ("dash-disbursement", reverse("plans:disbursement", args=[code, 2569])),
        ("dash-indicators", reverse("plans:indicator-tracking", args=[code, 2569])),
        ("dash-timeliness", reverse("plans:completeness", args=[code, 2569])),
    ):
        assert f'href="{url}" id="{card}"' in page, card
    assert 'id="dash-literacy"' in page and 'id="dash-inspections"' in page
    assert page.count("data:image/svg+xml;base64,") == 2  # the two charts, as images (CSP)
    inbox = reverse("plans:review-inbox", args=[code])
    assert f'id="nav-inbox-{code}" href="{inbox}"' in page  # in the navigation
    assert f'id="inbox-{code}" href="{inbox}"' in page  # and on the page


@time_machine.travel(TODAY)
def test_a_cut_waiting_list_links_to_the_whole_list(client, office_a):
    director = _director(office_a)
    for n in range(23):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, fiscal_year=2569), status="accepted")
    client.force_login(director)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("plans:review-inbox", args=[office_a.area_code])}" id="awaiting-all-{office_a.area_code}"' in page
    assert "20" in page and "23" in page


@time_machine.travel(TODAY)
def test_director_home_query_count_does_not_grow_with_projects(client, office_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    director = _director(office_a)

    def count():
        client.force_login(director)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx)

    for _ in range(2):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, fiscal_year=2569), status="accepted")
    few = count()
    for _ in range(12):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, fiscal_year=2569), status="submitted")
    assert count() == few


def test_viewer_has_no_inbox_link(client, viewer_a):
    client.force_login(viewer_a)
    assert 'id="nav-inbox-' not in client.get(reverse("home")).content.decode()


def _rounds_with_dispatches(office, numbers, units: int = 3):
    """Inspection rounds of FY 2569 ``numbers``, each with its dates set and ``units`` forms sent to schools (some answered)."""
    import datetime as dt

    from django.utils import timezone

    from inspections.models import FormDispatch, InspectionRound
    from tests.factories import SchoolFactory

    tz = timezone.get_current_timezone()
    for number in numbers:
        r = InspectionRound.objects.create(
            office=office, fiscal_year=2569, number=number, plan_sent_on=dt.date(2025, 12, 1),
            coordination_meeting_on=dt.date(2025, 12, 15), units_notified_on=dt.date(2026, 1, 5), visit_starts_on=dt.date(2026, 2, 2),
        )
        for i in range(units):
            sent = dt.datetime(2026, 1, 5 + i, 9, tzinfo=tz)
            FormDispatch.objects.create(round=r, school=SchoolFactory(office=office), sent_at=sent, due_on=dt.date(2026, 1, 30),
                                        submitted_at=sent + dt.timedelta(days=3) if i % 2 else None)


@time_machine.travel(TODAY)
def test_director_home_query_count_does_not_grow_with_inspection_rounds(client, office_a):
    """Review (N+1): the standards of every round of the year are judged in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    director = _director(office_a)
    ProjectFactory(office=office_a, fiscal_year=2569)  # the dashboard shows FY 2569, the year of the rounds

    def count():
        client.force_login(director)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("home"))
        assert page.status_code == 200 and 'id="dash-inspections"' in page.content.decode()
        return len(ctx)

    _rounds_with_dispatches(office_a, [1])
    few = count()
    _rounds_with_dispatches(office_a, range(2, 8))
    assert count() == few


@time_machine.travel(TODAY)
def test_dashboard_counts_only_counted_reports_as_how_far_projects_are(office_a):
    """A draft or returned report is not a result (``QuarterlyReport.COUNTED``), as on the plan page: the project's
    implementation comes from its latest counted report, else it has no counted report yet."""
    import datetime as dt

    from django.utils import translation

    from home.dashboard import director_dashboard

    counted = ProjectFactory(office=office_a, fiscal_year=2569)
    QuarterlyReportFactory(project=counted, quarter=1, status="accepted", implementation="in_progress")
    QuarterlyReportFactory(project=counted, quarter=2, status="draft", implementation="completed")
    QuarterlyReportFactory(project=ProjectFactory(office=office_a, fiscal_year=2569), quarter=1, status="returned",
                           implementation="completed")
    with translation.override("en"):
        d = director_dashboard(office_a, 2569, today=dt.date(2026, 5, 20))
    assert dict(d.implementation) == {"In progress": 1, "No counted report yet": 1}
