"""One office scoping for every office-owned model's ``visible_to`` (issue 14: eleven copies differed only in the path)."""
from __future__ import annotations

import pytest

from emes.calendar.models import CalendarEvent
from emes.querysets import OfficeScopedQuerySet
from inspections.models import InspectionRound, Recommendation
from literacy.models import LiteracyRound
from plans.models import ActionPlan, Project, QuarterlyReport
from reports.letters.models import OutgoingLetter
from reports.models import ReportJob
from reports.reminders.models import Reminder
from tests.factories import ProjectFactory, QuarterlyReportFactory


@pytest.mark.parametrize("model, path", [
    (Project, "office"), (ActionPlan, "office"), (QuarterlyReport, "project__office"), (LiteracyRound, "office"),
    (CalendarEvent, "office"), (InspectionRound, "office"), (Recommendation, "round__office"), (Reminder, "office"),
    (OutgoingLetter, "office"), (ReportJob, "office"),
])
def test_every_office_model_scopes_through_the_one_base(model, path):
    queryset = model.objects.all()
    assert isinstance(queryset, OfficeScopedQuerySet) and queryset.office_path == path
    # The path is real: a query along it compiles.
    str(queryset.filter(**{f"{path}__area_code": "0000"}).query)


def test_a_report_is_seen_through_its_projects_office(office_a, office_b, planner_a, outsider_b):
    report = QuarterlyReportFactory(project=ProjectFactory(office=office_a))
    assert list(QuarterlyReport.objects.visible_to(planner_a)) == [report]
    assert not QuarterlyReport.objects.visible_to(outsider_b).exists()
