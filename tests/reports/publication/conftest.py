"""The cast of the annual report's life: office A's plan officer, director, viewer, a division head; office B's plan officer."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from emes.models import Role
from plans.models import Evidence, QuarterlyReport
from reports import services as build_services
from reports.models import AnnualReport
from reports.publication import services
from tests.factories import DivisionFactory, MembershipFactory, ProjectFactory, QuarterlyReportFactory, UserFactory

FAKE_PDF = b"%PDF-1.7 annual report for the tests\n%%EOF"


@pytest.fixture
def head_a(office_a):
    user = UserFactory(username="head_a")
    MembershipFactory(user=user, office=office_a, role=Role.DIVISION_HEAD, division=DivisionFactory(office=office_a))
    return user


@pytest.fixture
def plan_a(office_a):
    """A project of FY 2569 with one reviewed (accepted) quarterly report."""
    project = ProjectFactory(office=office_a, fiscal_year=2569, budget=Decimal("200000"))
    QuarterlyReportFactory(project=project, quarter=1, status=QuarterlyReport.Status.ACCEPTED, budget_disbursed=Decimal("50000"))
    return project


@pytest.fixture
def fast_build(monkeypatch):
    """The book is the other engineer's: here it returns fixed bytes and records the narrative it was given."""
    calls = []

    def build(office, fiscal_year, *, progress=lambda p: None, narrative=None):
        calls.append(narrative)
        progress(50)
        return FAKE_PDF

    monkeypatch.setattr(build_services, "build_annual_report_pdf", build)
    return calls


@pytest.fixture
def draft(office_a, planner_a, plan_a, fast_build) -> AnnualReport:
    return services.request_report(office_a, 2569, by=planner_a)


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def evidence(report, name: str, data: bytes, content_type: str) -> Evidence:
    e = Evidence(report=report, original_name=name, content_type=content_type, size=len(data))
    e.file.save(name, ContentFile(data), save=True)
    return e


def state(report: AnnualReport) -> tuple:
    """What must not change when a move is refused: the row, its history, committee, photos and builds."""
    report = AnnualReport.objects.get(pk=report.pk)
    return (
        report.status, report.version, report.foreword, report.executive_summary, report.problems_synthesis, report.file.name,
        report.checksum, report.data_as_of, report.approved_at, report.published_at, report.circulated_at,
        report.transitions.count(), report.committee.count(), report.photos.count(), report.builds.count(),
        AnnualReport.objects.filter(office=report.office).count(),
    )
