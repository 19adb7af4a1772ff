"""Pages of the annual action plan: the overview and its approval box, a version as approved, a project,
its edit page, and the indicator list.

Who gets what (``emes.access``; rule source: issue 4 and docs/roles-and-access.md):

- anonymous → the login page; a user who is not staff of the office (another office's people,
  school accounts) → 404 on every page, so the office's plan is not revealed;
- every staff member of the office reads the overview, the versions, the projects and the indicators;
- the transition endpoint (POST) calls ``plans.services``: the plan officer submits a draft and
  opens an amendment of an approved plan, the director approves or returns a submitted plan; a
  member lacking the role gets 403; an illegal move (wrong state, missing comment or reason) is
  refused with a message, nothing changes, and the answer is the redirect to the overview;
- the edit page: the plan officer edits every field of every project, a project owner the details
  of their own projects (``plans.services.project_edit_scope``); everyone else 403. While the plan
  is submitted or approved, an editor asking for the page (GET or POST) is sent back to the project
  page with a message saying why (open an amendment first) — a redirect, not a 403, because they
  are allowed to edit in general and the message tells them what to do.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes import thai
from emes.access import get_office_for_user, roles_in
from emes.confirm import confirm_page, confirmed
from emes.pagecache import cached_page
from emes.paging import paginate
from evaluation.access import can_manage_target
from evaluation.selectors import evaluations_of

from . import selectors, services
from .access import get_project_for_user
from .forms import (
    ActivityFormSet,
    BudgetLineFormSet,
    IndicatorFilterForm,
    PlanFilterForm,
    ProjectForm,
    TransitionForm,
    activity_initial,
    budget_line_initial,
)
from .models import ActionPlan, Project


@login_required
@require_GET
@cached_page
def plan(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    form = PlanFilterForm(request.GET or None, office=office, fiscal_year=fiscal_year)
    overview = selectors.plan_overview(office, fiscal_year, filters=form.filters())
    roles = roles_in(request.user, office)
    return render(request, "plans/plan.html", {
        "office": office,
        "fiscal_year": fiscal_year,
        "overview": overview,
        "page": paginate(request, overview.rows),  # the project table; the strategy frame sums every project
        "plan": overview.plan,
        "form": form,
        "is_preparer": bool(roles & services.PREPARERS),
        "is_approver": bool(roles & services.APPROVERS),
        # The workbook import changes the plan: only while there is no plan yet or it is a draft.
        "can_import": bool(roles & services.PREPARERS) and (overview.plan is None or overview.plan.is_editable),
        "filtered": bool(form.filters()),
    })


_DONE = {
    "submit": lambda: _("The plan was submitted to the director for approval."),
    "approve": lambda: _("The plan was approved; it is now read-only."),
    "return": lambda: _("The plan was returned to the plan officer with your comment."),
    "amend": lambda: _("Amendment opened: a new draft version of the plan; the approved version stays readable."),
}


@login_required
@require_POST
def plan_transition(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("unknown action")
    action = form.cleaned_data["action"]
    back = redirect("plans:plan", area_code=office.area_code, fiscal_year=fiscal_year)
    plan = ActionPlan.objects.current(office, fiscal_year)
    if plan is None:
        # Same role rule as the services, so a member lacking it learns nothing more than 403.
        needed = services.APPROVERS if action in ("approve", "return") else services.PREPARERS
        if not roles_in(request.user, office) & needed:
            raise PermissionDenied
        messages.error(request, _("There is no plan for this fiscal year yet: import the plan workbook first."))
        return back
    comment, reason = form.cleaned_data["comment"], form.cleaned_data["reason"]
    if action == "approve" and plan.status == ActionPlan.Status.SUBMITTED and not confirmed(request) \
            and roles_in(request.user, office) & services.APPROVERS:
        projects = Project.objects.filter(office=office, fiscal_year=fiscal_year)
        return confirm_page(
            request, title=_("Approve the action plan of fiscal year %(fy)s?") % {"fy": fiscal_year},
            what=[_("Approve version %(version)s of the action plan of fiscal year %(fy)s: %(n)s projects, %(budget)s baht.") % {
                      "version": plan.version, "fy": fiscal_year, "n": projects.count(),
                      "budget": thai.baht(projects.aggregate(t=Sum("budget"))["t"] or 0)},
                  _("The approved plan is locked: its projects, budgets and indicators change only by an amendment (a new version).")],
            button=_("Approve the plan"), cancel_url=back.url)
    try:
        if action == "submit":
            services.submit_plan(plan, by=request.user, comment=comment)
        elif action == "approve":
            services.approve_plan(plan, by=request.user, comment=comment)
        elif action == "return":
            services.return_plan(plan, by=request.user, comment=comment)
        else:
            services.open_amendment(plan, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _DONE[action]())
    return back


@login_required
@require_GET
def plan_version(request: HttpRequest, area_code: str, fiscal_year: int, version: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).filter(office=office, fiscal_year=fiscal_year).select_related("approved_by", "created_by"),
        version=version,
    )
    if not plan.snapshot:
        # A draft or submitted version has no frozen content: its content is the live plan.
        return redirect("plans:plan", area_code=office.area_code, fiscal_year=fiscal_year)
    return render(request, "plans/plan_version.html", {
        "office": office, "fiscal_year": fiscal_year, "plan": plan, "view": selectors.plan_version_view(plan),
    })


@login_required
@require_GET
@cached_page
def indicators(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    form = IndicatorFilterForm(request.GET or None, office=office, fiscal_year=fiscal_year)
    listing = selectors.plan_indicators(office, fiscal_year, filters=form.filters(), load=False)
    page = paginate(request, listing.rows)
    listing.load(page.object_list)  # only the shown rows' indicators are instantiated
    return render(request, "plans/indicators.html", {
        "office": office, "fiscal_year": fiscal_year, "form": form,
        "listing": listing, "page": page,
        "plan": ActionPlan.objects.current(office, fiscal_year),
        "filtered": bool(form.filters()),
    })


def _project_in_office(request: HttpRequest, area_code: str, pk: int, *, write: bool = False):
    project = get_project_for_user(request.user, pk, write=write)
    if project.office.area_code != area_code:
        raise Http404("project not in this office")
    return project


@login_required
@require_GET
@cached_page
def project(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    project = _project_in_office(request, area_code, pk)
    detail = selectors.project_detail(project)
    scope = services.project_edit_scope(request.user, project)
    return render(request, "plans/project.html", {
        "office": project.office, "fiscal_year": project.fiscal_year, "project": project, "detail": detail,
        "can_edit": scope is not None, "plan_editable": detail.plan is None or detail.plan.is_editable,
        "activity_rows": [(a, selectors.month_strip(a.months)) for a in detail.activities],
        "fiscal_months": selectors.FISCAL_MONTHS,
        "evaluations": evaluations_of(project), "can_evaluate": can_manage_target(request.user, project.office, project),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    project = _project_in_office(request, area_code, pk, write=True)
    scope = services.project_edit_scope(request.user, project)
    if scope is None:  # e.g. a division head: may handle the division's reports, not the plan's content
        raise PermissionDenied
    try:
        services.require_editable(project.office, project.fiscal_year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:project", area_code=area_code, pk=project.pk)

    lines = sorted(project.budget_lines.all(), key=lambda b: selectors.SOURCES.index(b.source))
    plan_scope = scope == services.EDIT_ALL
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project, scope=scope, has_budget_lines=bool(lines))
    line_formset = BudgetLineFormSet(data, prefix="lines", initial=budget_line_initial(lines)) if plan_scope else None
    activity_formset = ActivityFormSet(data, prefix="activities", initial=activity_initial(project.activities.order_by("order", "id")))
    problems: list[str] = []
    if request.method == "POST":
        valid = form.is_valid() & activity_formset.is_valid() & (line_formset.is_valid() if line_formset else True)
        if valid:
            try:
                services.update_project(
                    project, by=request.user, data=form.service_data(),
                    budget_lines=line_formset.lines() if line_formset else None,
                    activities=activity_formset.rows(),
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("The project was saved."))
                return redirect("plans:project", area_code=area_code, pk=project.pk)
    return render(request, "plans/project_edit.html", {
        "office": project.office, "fiscal_year": project.fiscal_year, "project": project, "form": form,
        "line_formset": line_formset, "activity_formset": activity_formset, "lines": lines, "problems": problems,
        "plan_scope": plan_scope, "fiscal_months": selectors.FISCAL_MONTHS,
    })
