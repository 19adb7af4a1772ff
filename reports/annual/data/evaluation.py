"""ส่วนที่ ๓, the evaluations of the year (issue 16: "projects evaluated here show their evaluation ... in the annual
report"; docs/evaluation.md, docs/annual-report.md).

- Under each project: its evaluations that are not drafts. A closed one gives its figures — responses, n of rating
  answers, overall mean, S.D. and band, read by the evaluation app's own results (``evaluation.results``, the same
  figures as its results page and report); an open one is only named as still open, since its answers may change.
- The evaluation of the annual action plan (M&E manual ข้อ ๕.๓), read by ``plans.evaluation.plan_evaluation``: per
  project the judgement the plan officer CONFIRMED (with their comment), projects by confirmed judgement, and the
  ratings of the plan's own evaluation. Its page's facts and EMES's suggestions are not printed: they count
  quarterly reports still waiting for review (``QuarterlyReport.COUNTED``), which the book never counts
  (docs/annual-report.md, "Counting"); the reviewed facts are in ส่วนที่ ๓ and ๔. An unconfirmed project is named
  as not yet judged.

Queries: 2 for the projects' evaluations + those of ``plan_evaluation`` (fixed), whatever the number of projects.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from emes.models import Office
from emes.stats import percentage
from evaluation.models import Evaluation
from evaluation.results import Stat, overall_by_evaluation
from evaluation.selectors import evaluations_of_targets
from plans.evaluation import PlanEvaluation, plan_evaluation
from plans.models import Project, ProjectJudgement


@dataclass
class EvaluationLine:
    """One evaluation of a project: ``stat`` is its whole form's figures (empty while open)."""

    evaluation: Evaluation
    responses: int
    stat: Stat = field(default_factory=Stat)

    @property
    def is_closed(self) -> bool:
        return self.evaluation.status == Evaluation.Status.CLOSED


@dataclass
class EvaluationChapter:
    by_project: dict[int, list[EvaluationLine]]
    plan: PlanEvaluation

    @property
    def evaluated_projects(self) -> int:
        return len(self.by_project)

    @property
    def judgement_rows(self) -> list[tuple[str, int, Decimal | None]]:
        """``(label, projects, % of the plan's projects)`` per confirmed judgement, then the projects not yet confirmed."""
        rows = self.plan.rows
        confirmed = [r.judgement.judgement for r in rows if r.judgement is not None]
        out = [(j.label, n, percentage(n, len(rows))) for j in ProjectJudgement.Judgement if (n := confirmed.count(j.value))]
        unconfirmed = len(rows) - len(confirmed)
        if unconfirmed:
            out.append(("ยังไม่ได้ยืนยันผลการพิจารณา", unconfirmed, percentage(unconfirmed, len(rows))))
        return out


def evaluation_chapter(office: Office, fiscal_year: int, project_ids: list[int], *, today: dt.date) -> EvaluationChapter:
    """The evaluations of ``project_ids`` (the book's projects of ``fiscal_year``, BE) and the plan evaluation as of ``today``."""
    evaluations = evaluations_of_targets(Project, project_ids)
    closed = [ev for ev in evaluations if ev.status == Evaluation.Status.CLOSED]
    stats = overall_by_evaluation(closed) if closed else {}
    by_project: dict[int, list[EvaluationLine]] = {}
    for ev in evaluations:
        line = EvaluationLine(ev, ev.n_responses, stats.get(ev.pk, Stat()) if ev.status == Evaluation.Status.CLOSED else Stat())
        by_project.setdefault(ev.target_id, []).append(line)
    return EvaluationChapter(by_project=by_project, plan=plan_evaluation(office, fiscal_year, today=today))
