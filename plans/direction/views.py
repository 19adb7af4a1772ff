"""Pages of the plan officer for the annual report's ส่วนที่ ๒-๓ (docs/annual-report.md): the plan's direction
(vision, mission, goals) and the quarterly results of strategy- and policy-level indicators.

Access (docs/roles-and-access.md): a user who is not staff of the office gets 404; staff other than the plan
officer 403; the plan officer reads and saves. Accepted results are locked (``plans.direction_services``).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from emes.access import get_office_for_user, roles_in
from emes.confirm import confirm_page, confirmed
from emes.models import Role

from .. import direction_services
from ..models import PlanDirection, StrategyIndicatorResult
from . import selectors
from .forms import DirectionForm, StrategyResultsForm


def _plan_officer_office(request: HttpRequest, area_code: str):
    office = get_office_for_user(request.user, area_code)
    if not request.user.is_superuser and Role.PLAN_OFFICER not in roles_in(request.user, office):
        raise PermissionDenied
    return office


@login_required
@require_http_methods(["GET", "POST"])
def direction(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _plan_officer_office(request, area_code)
    current = PlanDirection.objects.filter(office=office, fiscal_year=fiscal_year).first()
    initial = {"vision": current.vision, "mission": current.mission, "goals": current.goals} if current else {}
    form = DirectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        direction_services.save_direction(office, fiscal_year, by=request.user, **form.cleaned_data)
        messages.success(request, _("The plan's vision, mission and goals were saved."))
        return redirect("plans:plan-direction", area_code=office.area_code, fiscal_year=fiscal_year)
    return render(request, "plans/direction.html", {"office": office, "fiscal_year": fiscal_year, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def strategy_results(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _plan_officer_office(request, area_code)
    indicators = selectors.strategy_indicators(office, fiscal_year)

    def back(quarter: int):
        # Back on the quarter just saved or accepted, so "accept" next acts on the same quarter.
        url = reverse("plans:strategy-results", args=[office.area_code, fiscal_year])
        return redirect(f"{url}?quarter={quarter}")

    if request.method == "POST" and request.POST.get("action") == "accept":
        form = StrategyResultsForm(request.POST)
        if not form.is_valid():
            return back(1)
        quarter = form.cleaned_data["quarter"]
        results = StrategyIndicatorResult.objects.filter(office=office, indicator__in=indicators, quarter=quarter)
        if not confirmed(request):  # issue 17: accepting locks the results; nothing official by a stray click
            waiting = results.filter(status=StrategyIndicatorResult.Status.RECORDED).count()
            return confirm_page(
                request, title=_("Accept the results of quarter %(q)s?") % {"q": quarter},
                what=[_("Accept %(n)s recorded results of strategy and policy indicators, quarter %(q)s of fiscal year %(fy)s.") % {
                          "n": waiting, "q": quarter, "fy": fiscal_year},
                      _("Accepted results count in the annual report and can no longer be changed.")],
                button=_("Accept the results"), cancel_url=back(quarter).url)
        n = direction_services.accept_strategy_results(results, by=request.user)
        messages.success(request, _("%(n)s results accepted: they now count in the annual report and are locked.") % {"n": n})
        return back(form.cleaned_data["quarter"])
    quarter = request.GET.get("quarter", "")
    initial = {"quarter": int(quarter)} if quarter in ("1", "2", "3", "4") else {}
    form = StrategyResultsForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            n = direction_services.record_strategy_results(office, form.cleaned_data["quarter"], form.values(), by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(n)s results saved. Accept them to count them in the annual report.") % {"n": n})
            return back(form.cleaned_data["quarter"])
    return render(request, "plans/strategy_results.html", {
        "office": office, "fiscal_year": fiscal_year, "form": form,
        "rows": selectors.result_rows(office, indicators),
        "fields": [(form[f"ind-{i.pk}"], i) for i in indicators],
    })
