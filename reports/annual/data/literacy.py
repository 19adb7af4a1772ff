"""ส่วนที่ ๓ (ต่อ) ผลการประเมินการอ่านออกเขียนได้: the literacy rounds of the fiscal year (``literacy.summary``)."""
from __future__ import annotations

from dataclasses import dataclass

from emes.fiscal import FiscalYear
from emes.models import Office
from literacy.models import LiteracyRound
from literacy.summary import RoundSummary, round_summary


@dataclass
class LiteracyChapter:
    """``rounds``: summaries of the rounds whose window closed within the fiscal year, by academic year and round."""

    rounds: list[RoundSummary]

    @property
    def first(self) -> RoundSummary | None:
        return next((r for r in self.rounds if r.round.number == 1), None)

    @property
    def second(self) -> RoundSummary | None:
        return next((r for r in self.rounds if r.round.number == 2), None)


def literacy_chapter(office: Office, fiscal_year: int) -> LiteracyChapter:
    """Rounds of ``office`` whose window closes between 1 Oct and 30 Sep of ``fiscal_year`` (BE).

    A round belongs to an academic year, not a fiscal one (DESIGN.md); the book reports a round in the
    fiscal year its results were in (its window closed). About 16 queries per round, whatever the
    number of schools; at most four rounds a year.
    """
    fy = FiscalYear(fiscal_year)
    rounds = LiteracyRound.objects.filter(office=office, closes_at__date__gte=fy.start, closes_at__date__lte=fy.end).exclude(
        status=LiteracyRound.Status.DRAFT).select_related("office").order_by("academic_year", "number")[:4]
    return LiteracyChapter([round_summary(r) for r in rounds])
