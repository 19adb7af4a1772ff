"""ส่วนที่ ๓ (ต่อ) ผลการตรวจราชการ: the inspection rounds of the fiscal year (``inspections.outputs.data``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from emes.models import Office
from inspections.models import InspectionRound, Recommendation
from inspections.outputs.data import FollowUpReport, RoundReport, follow_up_report, round_report
from inspections.standards import Verdict


@dataclass
class InspectionChapter:
    """``rounds``: each round's report (standards, response rate, recommendations); ``follow_up`` the year's
    recommendations by status (closed = verified closed by the office)."""

    rounds: list[RoundReport]
    follow_up: FollowUpReport

    @property
    def recommendations(self) -> int:
        return self.follow_up.total

    @property
    def closed(self) -> int:
        return self.follow_up.totals[Recommendation.Status.CLOSED]

    @property
    def round_rows(self) -> list[tuple[RoundReport, int]]:
        """Each round's report with the number of standards met."""
        return [(r, self.standards_met(r)) for r in self.rounds]

    @staticmethod
    def standards_met(report: RoundReport) -> int:
        return sum(1 for c in report.checks if c.verdict == Verdict.MET)


def inspection_chapter(office: Office, fiscal_year: int, *, today: dt.date | None = None) -> InspectionChapter:
    """Rounds of ``office`` in ``fiscal_year`` (BE) that were dispatched (about 12 queries per round, at most
    four rounds; 5 for the follow-up), judged as of ``today`` (default: today in Asia/Bangkok)."""
    today = today or timezone.localdate()
    rounds = list(InspectionRound.objects.filter(office=office, fiscal_year=fiscal_year)
                  .exclude(status=InspectionRound.Status.DRAFT).select_related("office").order_by("number")[:4])
    return InspectionChapter([round_report(r, today=today) for r in rounds], follow_up_report(office, fiscal_year, today=today))
