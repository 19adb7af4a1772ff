"""The annual report's figures, one module per chapter (docs/annual-report.md).

Each chapter reader runs a fixed number of queries whatever the number of projects, schools or
indicators; ``book_data`` calls them all. Counting rule (seed manual งานติดตาม ประเมินผล และรายงานผล,
สพป.เชียงใหม่ เขต ๕, ข้อ ๑.๑(๘)): only quarterly reports the office has reviewed (accepted or approved)
count; submitted reports still waiting for review are listed as such and not counted.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from emes.models import Office
from emes.stats import percentage
from plans.followup.selectors import completeness
from plans.measures import QuarterTimeliness

from .basics import Basics, basics
from .budget import BudgetChapter, budget_chapter
from .common import REVIEWED, WAITING, Waiting, waiting_reports
from .direction import Direction, direction
from .evaluation import EvaluationChapter, evaluation_chapter
from .inspection import InspectionChapter, inspection_chapter
from .literacy import LiteracyChapter, literacy_chapter
from .problems import ProblemsChapter, problems_chapter
from .results import ResultsChapter, results_chapter

__all__ = ["BookData", "book_data", "REVIEWED", "WAITING"]


@dataclass
class BookData:
    """Every chapter's figures of the annual report of ``office`` for ``fiscal_year`` (BE)."""

    office: Office
    fiscal_year: int
    as_of: dt.datetime
    basics: Basics
    direction: Direction
    results: ResultsChapter
    literacy: LiteracyChapter
    inspection: InspectionChapter
    budget: BudgetChapter
    problems: ProblemsChapter
    waiting: Waiting
    timeliness: list[QuarterTimeliness]
    evaluation: EvaluationChapter

    @property
    def on_time_pct(self):
        """Reports received on time, % of the reports owed over the four quarters."""
        return percentage(sum(q.on_time for q in self.timeliness), sum(q.expected for q in self.timeliness))


def book_data(office: Office, fiscal_year: int, *, progress=lambda pct: None) -> BookData:
    """Read every chapter of the book; ``progress`` gets percentages 10-40 as chapters are read."""
    as_of = timezone.now()
    b = basics(office, fiscal_year)
    d = direction(office, fiscal_year)
    progress(15)
    r = results_chapter(office, fiscal_year)
    progress(25)
    lit = literacy_chapter(office, fiscal_year)
    ins = inspection_chapter(office, fiscal_year)
    progress(35)
    bud = budget_chapter(office, fiscal_year)
    prob = problems_chapter(r)
    waiting = waiting_reports(office, fiscal_year)
    timeliness = completeness(office, fiscal_year, today=timezone.localdate(as_of)).quarters
    ev = evaluation_chapter(office, fiscal_year, [p.project.pk for p in r.projects], today=timezone.localdate(as_of))
    for pr in r.projects:
        pr.evaluations = ev.by_project.get(pr.project.pk, [])
    progress(40)
    return BookData(office, fiscal_year, as_of, b, d, r, lit, ins, bud, prob, waiting, timeliness, ev)
