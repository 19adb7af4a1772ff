"""The strategic frame, projects, indicators and quarterly reports of an office's action plan.

Terms follow docs/README.md and docs/monitoring.md: strategy (ยุทธศาสตร์/นโยบาย/กลยุทธ์), project (โครงการ), indicator
(ตัวชี้วัด) with baseline, target and direction, quarterly report (รายงานผลการดำเนินงานรายไตรมาส)
with budget disbursed (baht) and indicator results (actuals).
"""
from .evaluation import ProjectJudgement
from .direction import PlanDirection, StrategyIndicatorResult
from .frame import ActionPlan, ActionPlanQuerySet, PlanImport, PlanTransition, Strategy
from .monitoring import (
    DisbursementTarget,
    Evidence,
    IndicatorResult,
    QuarterlyReport,
    QuarterlyReportQuerySet,
    ReportDisbursement,
    ReportingRule,
    ReportTransition,
)
from .projects import Activity, BudgetLine, BudgetSource, Indicator, Project, ProjectQuerySet, money

__all__ = [
    "DisbursementTarget", "Evidence", "ReportDisbursement", "ReportingRule", "ReportTransition",
    "ActionPlan", "ActionPlanQuerySet", "Activity", "BudgetLine", "BudgetSource", "Indicator", "IndicatorResult",
    "PlanImport", "PlanTransition", "Project", "ProjectJudgement", "ProjectQuerySet", "QuarterlyReport", "QuarterlyReportQuerySet",
    "Strategy", "money", "PlanDirection", "StrategyIndicatorResult",
]
