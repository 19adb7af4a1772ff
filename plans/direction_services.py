"""Changes to strategy-level indicator results (docs/annual-report.md, ส่วนที่ ๓): accepting locks them."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from emes.access import roles_in
from emes.models import Office, Role

from .models import StrategyIndicatorResult


def accept_strategy_results(results, *, by) -> int:
    """Accept the RECORDED results among ``results`` (a queryset) of offices where ``by`` is plan officer; returns how many.

    Accepted results count in the annual report and can no longer change (like a project's results
    in an accepted quarterly report; seed manual งานติดตามฯ ข้อ ๑.๑(๘)). Raises ``PermissionDenied`` when a
    result belongs to an office where ``by`` is not plan officer.
    """
    with transaction.atomic():
        rows = list(results.filter(status=StrategyIndicatorResult.Status.RECORDED).order_by().select_for_update(of=("self",)))
        for office in Office.objects.filter(pk__in={r.office_id for r in rows}):
            if not by.is_superuser and Role.PLAN_OFFICER not in roles_in(by, office):
                raise PermissionDenied
        return StrategyIndicatorResult.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=StrategyIndicatorResult.Status.ACCEPTED, accepted_by=by, accepted_at=timezone.now())


def _require_plan_officer(user, office) -> None:
    if not user.is_superuser and Role.PLAN_OFFICER not in roles_in(user, office):
        raise PermissionDenied


def save_direction(office, fiscal_year: int, *, vision: str, mission: str, goals: str, by):
    """Create or update the office's ``PlanDirection`` of ``fiscal_year`` (BE); returns it.

    Raises ``PermissionDenied`` unless ``by`` is the office's plan officer (docs/roles-and-access.md: the plan
    officer owns the plan). Texts come cleaned by the form (``emes.text.CleanCharField``).
    """
    from .models import PlanDirection

    _require_plan_officer(by, office)
    direction, _created = PlanDirection.objects.update_or_create(
        office=office, fiscal_year=fiscal_year, defaults={"vision": vision, "mission": mission, "goals": goals})
    return direction


def record_strategy_results(office, quarter: int, values: dict, *, by) -> int:
    """Record actuals of strategy-level indicators for ``quarter`` (1-4): ``values`` maps an ``Indicator`` to a
    ``Decimal`` (``None`` = leave it). All or nothing; returns how many rows were written.

    Raises ``PermissionDenied`` unless ``by`` is the office's plan officer; ``ValidationError`` (Thai, naming the
    indicator) when a result of that quarter is already accepted (locked), an indicator is not a strategy's, or a
    value is outside the indicator's range (``Indicator.result_rule``: a percentage 0-100, a count whole and >= 0).
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    _require_plan_officer(by, office)
    with transaction.atomic():
        existing = {r.indicator_id: r for r in StrategyIndicatorResult.objects.select_for_update(of=("self",)).order_by().filter(
            office=office, quarter=quarter, indicator__in=[i for i, v in values.items() if v is not None])}
        problems = []
        for indicator, value in values.items():
            if value is None:
                continue
            if indicator.strategy_id is None:
                problems.append(_("%(name)s is a project's indicator: its results come with the quarterly report.") % {"name": indicator.name})
            rule = indicator.result_rule()  # the same range the page's form gives the field (issue 13 item 7)
            if (rule.min_value is not None and value < rule.min_value) or (rule.max_value is not None and value > rule.max_value):
                problems.append(_("%(name)s: %(value)s is outside the range of this indicator (%(min)s to %(max)s).") % {
                    "name": indicator.name, "value": value, "min": rule.min_value if rule.min_value is not None else "-",
                    "max": rule.max_value if rule.max_value is not None else "-"})
            row = existing.get(indicator.pk)
            if row is not None and row.status == StrategyIndicatorResult.Status.ACCEPTED and row.actual != value:
                problems.append(_("%(name)s: the result of quarter %(q)s is accepted and can no longer change.") % {"name": indicator.name, "q": quarter})
        if problems:
            raise ValidationError(problems)
        n = 0
        for indicator, value in values.items():
            row = existing.get(indicator.pk)
            if value is None or (row is not None and row.status == StrategyIndicatorResult.Status.ACCEPTED):
                continue
            StrategyIndicatorResult.objects.update_or_create(
                office=office, indicator=indicator, quarter=quarter, defaults={"actual": value, "recorded_by": by})
            n += 1
        return n
