"""The director's dashboard of the year (issue 17): one look at the plan, the money, the indicators, the
reports, literacy and inspection, and what waits for the director, each figure linking to its page.

Reads only, through the apps' selectors (``plans.followup.selectors``, ``literacy.selectors``,
``inspections.selectors``/``standards``); its cost does not grow with the number of projects or schools
(each selector has a fixed number of queries). Charts are SVG from ``emes.output.charts``.
"""
from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib.pyplot as plt
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from emes.output.charts import figure_svg, thai_chart_style
from emes.stats import percentage
from inspections import selectors as inspection_selectors
from inspections import standards
from literacy import selectors as literacy_selectors
from plans.followup import charts as followup_charts
from plans.followup import selectors as followup
from plans.measures import Achievement
from plans.models import ActionPlan, Project, QuarterlyReport
from plans.selectors import NO_REPORT, latest_counted_reports, project_status_choices


@dataclass
class Dashboard:
    """The figures of ``office``'s fiscal year ``fiscal_year`` (BE) on ``today``; money in baht, shares in %."""

    fiscal_year: int
    plan: ActionPlan | None
    projects: int
    budget: Decimal
    implementation: list[tuple[str, int]]  # (label, projects) from each project's latest report
    disbursement: Any  # plans.followup.selectors.Disbursement
    disbursement_chart: str  # data: URI of an SVG
    indicators: Any  # plans.selectors.IndicatorList (counts by achievement)
    achieved_pct: Decimal | None
    timeliness: list  # plans.measures.QuarterTimeliness of Q1..Q4
    timeliness_chart: str
    literacy: list  # literacy.selectors.RoundRow, newest first (at most 2)
    inspections: list[tuple[Any, dict[str, int]]]  # (round, {verdict: count})


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def timeliness_chart(quarters: list) -> str:
    """SVG: per quarter, reports on time / late / missing as stacked bars (counts of projects)."""
    with thai_chart_style(11):
        fig, ax = plt.subplots(figsize=(6.5, 3.0))
        xs = [f"Q{q.quarter}" for q in quarters]
        on_time = [q.on_time for q in quarters]
        late = [q.late for q in quarters]
        missing = [q.missing for q in quarters]
        ax.bar(xs, on_time, color="#198754", label=_("On time"))
        ax.bar(xs, late, bottom=on_time, color="#ffc107", label=_("Late"))
        ax.bar(xs, missing, bottom=[a + b for a, b in zip(on_time, late)], color="#dc3545", label=_("Missing"))
        ax.set_ylabel(_("Projects"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        return figure_svg(fig)


def dashboard_year(office, current_fy: int) -> int:
    """The fiscal year the dashboard shows: the current one once it has projects, else the one before (from
    October the new year is often still empty while its predecessor is being reported and summed up)."""
    if Project.objects.filter(office=office, fiscal_year=current_fy).exists():
        return current_fy
    return current_fy - 1


def director_dashboard(office, fiscal_year: int, *, today: dt.date) -> Dashboard:
    """The dashboard of ``office`` for ``fiscal_year`` as of ``today`` (see :class:`Dashboard`)."""
    plan = ActionPlan.objects.current(office, fiscal_year)
    projects = Project.objects.filter(office=office, fiscal_year=fiscal_year)
    totals = projects.aggregate(n=Count("pk"), budget=Sum("budget"))
    # Each project's latest counted report says how far it is (issue 5: implementation status); a draft or a
    # returned report is not a result, as on the plan page (``plans.selectors.latest_counted_reports``).
    latest = {pid: r.implementation for pid, r in latest_counted_reports(office, fiscal_year).items()}
    labels = dict(QuarterlyReport.Implementation.choices)
    counts: dict[str, int] = {}
    for value in latest.values():
        counts[value] = counts.get(value, 0) + 1
    implementation = [(str(labels.get(k, k)), n) for k, n in counts.items()]
    not_started = (totals["n"] or 0) - len(latest)
    if not_started:
        implementation.append((str(dict(project_status_choices())[NO_REPORT]), not_started))

    money = followup.disbursement(office, fiscal_year)
    cells = money.total.cumulative
    chart = followup_charts.disbursement_chart([c.pct for c in cells], money.targets, [c.flag for c in cells])
    indicators = followup.indicator_tracking(office, fiscal_year).listing
    reported = indicators.counts.get(Achievement.ACHIEVED, 0) + indicators.counts.get(Achievement.NOT_ACHIEVED, 0)
    achieved_pct = percentage(Decimal(indicators.counts.get(Achievement.ACHIEVED, 0)), Decimal(reported)) if reported else None
    completeness = followup.completeness(office, fiscal_year, today=today)

    rounds = []
    year_rounds = inspection_selectors.rounds_of_office(office, fiscal_year)
    # Every round of the year at once (a fixed number of queries however many rounds).
    checks = standards.evaluate_standards_of_rounds(year_rounds, today=today)
    for r in year_rounds:
        verdicts: dict[str, int] = {}
        for check in checks[r.pk]:
            verdicts[check.verdict] = verdicts.get(check.verdict, 0) + 1
        rounds.append((r, verdicts))
    return Dashboard(
        fiscal_year=fiscal_year, plan=plan, projects=totals["n"] or 0, budget=totals["budget"] or Decimal("0"),
        implementation=implementation, disbursement=money, disbursement_chart=_data_uri(chart),
        indicators=indicators, achieved_pct=achieved_pct, timeliness=completeness.quarters,
        timeliness_chart=_data_uri(timeliness_chart(completeness.quarters)),
        literacy=literacy_selectors.rounds_of_office(office)[:2], inspections=rounds,
    )
