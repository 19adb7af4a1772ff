"""ส่วนที่ ๔ ผลการใช้งบประมาณ: allocation and reviewed disbursement by source, strategy, division and quarter.

Cumulative disbursement at the end of each quarter is flagged against the government's cumulative
targets with the follow-up pages' rule (``plans.followup.selectors.disbursement_flag``); only
reviewed reports count here (docs/annual-report.md), so the book's figure can be below the
follow-up page's, which also counts reports still waiting for review.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from emes.models import Office
from emes.stats import percentage
from plans.followup.selectors import FLAG_LABELS, DisbursementRow, disbursement_targets
from plans.models import BudgetLine, BudgetSource, Project, ReportDisbursement

from .common import REVIEWED

ZERO = Decimal("0")
QUARTERS = (1, 2, 3, 4)
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class SourceRow:
    label: str
    allocated: Decimal
    disbursed: Decimal

    @property
    def pct(self) -> Decimal | None:
        return percentage(self.disbursed, self.allocated)


@dataclass
class BudgetChapter:
    """Baht. ``total``/``strategies``/``divisions`` are ``DisbursementRow`` (allocation, disbursed per quarter,
    ``cumulative`` cells with target and flag); ``planned`` the planned spending per quarter (budget lines)."""

    total: DisbursementRow
    strategies: list[DisbursementRow]
    divisions: list[DisbursementRow]
    sources: list[SourceRow]
    planned: list[Decimal]
    targets: list[Decimal | None]
    target_sources: list[str]
    flag_labels: dict

    @property
    def quarters(self) -> list[tuple[int, Decimal, Decimal]]:
        """(quarter, planned, disbursed during the quarter)."""
        return list(zip(QUARTERS, self.planned, self.total.by_quarter))


def budget_chapter(office: Office, fiscal_year: int) -> BudgetChapter:
    """Part 4 (4 queries whatever the number of projects)."""
    targets, sources = disbursement_targets(fiscal_year)
    reviewed = Q(reports__status__in=REVIEWED)
    projects = list(
        Project.objects.filter(office=office, fiscal_year=fiscal_year).select_related("strategy", "division")
        .annotate(**{f"dq{q}": Coalesce(Sum("reports__budget_disbursed", filter=reviewed & Q(reports__quarter=q)), Value(ZERO), output_field=MONEY)
                     for q in QUARTERS})
        .order_by("code")
    )
    total = DisbursementRow(label="รวมทั้งสิ้น", targets=targets)
    strategies: dict[int, DisbursementRow] = {}
    divisions: dict[int, DisbursementRow] = {}
    for p in projects:
        amounts = [getattr(p, f"dq{q}") for q in QUARTERS]
        total.add(p.budget, amounts)
        strategies.setdefault(p.strategy_id, DisbursementRow(label=p.strategy.name, code=p.strategy.code, targets=targets)).add(p.budget, amounts)
        divisions.setdefault(p.division_id, DisbursementRow(label=p.division.name, code=p.division.code, targets=targets)).add(p.budget, amounts)

    lines = BudgetLine.objects.filter(project__office=office, project__fiscal_year=fiscal_year)
    allocated = dict(lines.values_list("source").annotate(s=Sum("amount")).order_by())
    planned_q = lines.aggregate(**{f"q{q}": Coalesce(Sum(f"q{q}"), Value(ZERO), output_field=MONEY) for q in QUARTERS})
    spent = dict(ReportDisbursement.objects.filter(report__project__office=office, report__project__fiscal_year=fiscal_year,
                                                   report__status__in=REVIEWED).values_list("source").annotate(s=Sum("amount")).order_by())
    source_rows = [SourceRow(label, allocated.get(code, ZERO), spent.get(code, ZERO))
                   for code, label in BudgetSource.choices if code in allocated or code in spent]
    return BudgetChapter(
        total=total,
        strategies=sorted(strategies.values(), key=lambda r: r.code),
        divisions=sorted(divisions.values(), key=lambda r: r.code),
        sources=source_rows,
        planned=[planned_q[f"q{q}"] for q in QUARTERS],
        targets=targets,
        target_sources=sources,
        flag_labels=FLAG_LABELS,
    )
