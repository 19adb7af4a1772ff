"""The evaluation of the annual action plan (seeds/000_d8cb346cea5094fa.txt ข้อ ๕.๓; docs/evaluation.md,
"The evaluation of the plan"): for every project the facts EMES holds beside the participants' ratings, the judgement
EMES suggests, the one the plan officer confirmed, and the plan-level summary the executives receive.

Facts per project (rules of docs/monitoring.md, through ``plans.selectors.plan_overview``):
- indicators achieved / all indicators (achievement derived from counted results, ``plans.measures``);
- budget disbursed (baht, counted reports) against the project's budget, %;
- quarterly reports received by their due date / reports due so far;
- progress (%) and implementation status of the latest counted report;
- participants' ratings: n, mean, S.D. and band of every rating answer in the project's evaluations (``evaluation``).

Suggested judgement (EMES's convention, which the officer confirms or changes with a comment): no indicator with a
result → cannot be judged yet; ≥ 80 % of the indicators achieved → achieved; ≥ 50 % → partly; else not achieved.

Queries: those of ``plan_overview`` (8) + 4, whatever the number of projects.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from emes.models import Office
from emes.stats import percentage
from evaluation.models import Evaluation
from evaluation.results import Stat, ratings_by_target

from .followup.selectors import quarter_due_dates
from .measures import Achievement
from .models import ActionPlan, Project, ProjectJudgement
from .selectors import ProjectSummary, plan_overview

Judgement = ProjectJudgement.Judgement
ACHIEVED_SHARE = Decimal("80")
PARTLY_SHARE = Decimal("50")


def suggested_judgement(achieved: int, reported: int, total: int) -> str:
    """The judgement EMES suggests from the indicators (module docstring): ``achieved`` of ``total``, ``reported`` with a result."""
    if not total or not reported:
        return Judgement.UNKNOWN
    share = percentage(achieved, total)
    if share >= ACHIEVED_SHARE:
        return Judgement.ACHIEVED
    if share >= PARTLY_SHARE:
        return Judgement.PARTLY
    return Judgement.NOT_ACHIEVED


@dataclass
class ProjectEvaluationRow:
    project: Project
    indicators_total: int
    indicators_achieved: int
    indicators_reported: int
    budget: Decimal
    disbursed: Decimal
    reports_due: int
    reports_on_time: int
    progress: int | None
    implementation: str
    rating: Stat
    suggested: str
    judgement: ProjectJudgement | None

    @property
    def achieved_pct(self) -> Decimal | None:
        return percentage(self.indicators_achieved, self.indicators_total)

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percentage(self.disbursed, self.budget)

    @property
    def on_time_pct(self) -> Decimal | None:
        return percentage(self.reports_on_time, self.reports_due)

    @property
    def final(self) -> str:
        """The confirmed judgement, else the suggested one."""
        return self.judgement.judgement if self.judgement else self.suggested

    @property
    def suggested_label(self) -> str:
        return Judgement(self.suggested).label

    @property
    def final_label(self) -> str:
        return Judgement(self.final).label


@dataclass
class PlanEvaluation:
    office: Office
    fiscal_year: int
    plan: ActionPlan | None
    rows: list[ProjectEvaluationRow]
    plan_evaluations: list[Evaluation]
    plan_rating: Stat
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def confirmed(self) -> int:
        return sum(1 for r in self.rows if r.judgement is not None)

    @property
    def budget(self) -> Decimal:
        return sum((r.budget for r in self.rows), Decimal("0"))

    @property
    def disbursed(self) -> Decimal:
        return sum((r.disbursed for r in self.rows), Decimal("0"))

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percentage(self.disbursed, self.budget)

    @property
    def indicators_pct(self) -> Decimal | None:
        return percentage(sum(r.indicators_achieved for r in self.rows), sum(r.indicators_total for r in self.rows))

    @property
    def on_time_pct(self) -> Decimal | None:
        return percentage(sum(r.reports_on_time for r in self.rows), sum(r.reports_due for r in self.rows))

    def count_rows(self) -> list[tuple[str, str, int, Decimal | None]]:
        """``(judgement, label, projects, % of projects)`` in the order of the choices."""
        return [(j.value, j.label, self.counts.get(j.value, 0), percentage(self.counts.get(j.value, 0), len(self.rows))) for j in Judgement]


def _row(summary: ProjectSummary, due_dates: list[dt.date], today: dt.date, rating: Stat, judgement) -> ProjectEvaluationRow:
    project = summary.project
    counted = project.counted_reports
    achieved = sum(1 for a in summary.achievements if a == Achievement.ACHIEVED)
    reported = sum(1 for a in summary.achievements if a != Achievement.NOT_REPORTED)
    on_time = sum(1 for r in counted if r.submitted_at and timezone.localtime(r.submitted_at).date() <= due_dates[r.quarter - 1])
    latest = summary.latest_report
    return ProjectEvaluationRow(
        project=project, indicators_total=len(summary.achievements), indicators_achieved=achieved, indicators_reported=reported,
        budget=project.budget, disbursed=sum((r.budget_disbursed for r in counted), Decimal("0")),
        reports_due=sum(1 for d in due_dates if d < today), reports_on_time=on_time,
        progress=latest.progress if latest else None, implementation=latest.get_implementation_display() if latest else "",
        rating=rating, suggested=suggested_judgement(achieved, reported, len(summary.achievements)), judgement=judgement,
    )


def plan_evaluation(office: Office, fiscal_year: int, *, today: dt.date | None = None) -> PlanEvaluation:
    """The evaluation of ``office``'s plan of ``fiscal_year`` (BE): one row per project, the summary (module docstring)."""
    today = today or timezone.localdate()
    overview = plan_overview(office, fiscal_year, with_reports=True)
    due_dates = quarter_due_dates(office, fiscal_year)
    ids = [r.project.pk for r in overview.rows]
    ratings = ratings_by_target(Project, ids)
    judgements = {j.project_id: j for j in ProjectJudgement.objects.filter(project_id__in=ids).select_related("confirmed_by")}
    rows = [_row(s, due_dates, today, ratings.get(s.project.pk, Stat()), judgements.get(s.project.pk)) for s in overview.rows]
    plan_ids = list(ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).values_list("pk", flat=True))
    plan_rating = Stat()
    if plan_ids:
        pooled = ratings_by_target(ActionPlan, plan_ids)
        plan_rating = next(iter(pooled.values()), Stat()) if len(pooled) == 1 else _pool(pooled)
    plan_evals = list(Evaluation.objects.filter(target_type=ContentType.objects.get_for_model(ActionPlan), target_id__in=plan_ids).order_by("-opens_on"))
    return PlanEvaluation(office=office, fiscal_year=fiscal_year, plan=overview.plan, rows=rows, plan_evaluations=plan_evals,
                          plan_rating=plan_rating, today=today, counts=dict(Counter(r.final for r in rows)))


def _pool(stats: dict[int, Stat]) -> Stat:
    # Several plan versions each evaluated: show the one with most answers (versions of one plan are not pooled).
    return max(stats.values(), key=lambda s: s.n, default=Stat())


def plan_evaluation_row(project: Project) -> ProjectEvaluationRow:
    """The row of one project (for a confirmation)."""
    data = plan_evaluation(project.office, project.fiscal_year)
    return next(r for r in data.rows if r.project.pk == project.pk)
