"""What counts as a result in the book, and what still waits for review (docs/annual-report.md "Counting")."""
from __future__ import annotations

from dataclasses import dataclass, field

from emes.models import Office
from plans.models import QuarterlyReport

#: Reviewed by the office: the only reports whose figures are results (seed manual ข้อ ๑.๑(๘)).
REVIEWED = (QuarterlyReport.Status.ACCEPTED, QuarterlyReport.Status.APPROVED)
#: Submitted by the owner, not yet reviewed: named in the book as waiting, not counted.
WAITING = (QuarterlyReport.Status.SUBMITTED,)


@dataclass
class WaitingReport:
    project_code: str
    project_name: str
    quarter: int
    division: str


@dataclass
class Waiting:
    """Quarterly reports submitted and not yet reviewed, by project code then quarter."""

    reports: list[WaitingReport] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.reports)

    @property
    def by_project(self) -> list["WaitingProject"]:
        """One line per project with its waiting quarters, in project code order."""
        out: dict[str, WaitingProject] = {}
        for r in self.reports:
            out.setdefault(r.project_code, WaitingProject(r.project_code, r.project_name, r.division)).quarters.append(r.quarter)
        return list(out.values())


@dataclass
class WaitingProject:
    project_code: str
    project_name: str
    division: str
    quarters: list[int] = field(default_factory=list)


def waiting_reports(office: Office, fiscal_year: int) -> Waiting:
    """The office's reports of ``fiscal_year`` (BE) still waiting for review (one query)."""
    rows = (
        QuarterlyReport.objects.filter(project__office=office, project__fiscal_year=fiscal_year, status__in=WAITING)
        .order_by("project__code", "quarter")
        .values_list("project__code", "project__name", "quarter", "project__division__name")
    )
    return Waiting([WaitingReport(*row) for row in rows])
