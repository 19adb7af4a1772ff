"""Office pages of inspection rounds: list, round page (schedule, standards, issues, board, recommendations),
schedule, issues, form, dispatch, responses and recommendations.

Who gets what (``inspections.access``):
- anonymous → login; not staff of the office (another office, any school account) → 404;
- every staff member of the office reads every page;
- managers (plan officer, supervisor) change things (POST; others 403); the plan officer alone verifies
  a recommendation closed; staff of a responsible division record follow-up on its recommendations.
A service's refusal is shown as a message (or beside its field) and nothing changes.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import get_office_for_user, offices_visible_to
from emes.confirm import confirm_page, confirmed
from emes.documents.selectors import latest_document
from emes.fiscal import WorkingCalendar, fiscal_year_of, year_from_query
from emes.models import Division
from emes.text import parse_id

from . import selectors, services, standards, workbook
from .access import can_act_on, can_manage_inspections, can_verify, unit_divisions
from .forms import (
    CarryForm,
    CommentForm,
    CopyIssuesForm,
    DispatchForm,
    FollowUpForm,
    ImportIssuesForm,
    IndicatorForm,
    IssueForm,
    QuestionForm,
    ReasonForm,
    RecommendationForm,
    RoundForm,
)
from .models import AnswerEvidence, FollowUpAction, FormDispatch, InspectionIssue, InspectionRound, IssueIndicator, Question, Recommendation
from .outputs.documents import RESPONSES_XLSX, ROUND_REPORT


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: keyed errors beside their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _round_url(r: InspectionRound) -> str:
    return reverse("inspections:round", args=[r.office.area_code, r.pk])


# --- rounds -------------------------------------------------------------------------------------------


def _rounds_page(request, office, form, status=200):
    year, problem = year_from_query(request.GET.get("fy"), default=None)
    if problem:
        messages.warning(request, problem)
    return render(request, "inspections/rounds.html", {
        "office": office, "rounds": selectors.rounds_of_office(office, year), "fy": year,
        "years": sorted(set(InspectionRound.objects.filter(office=office).values_list("fiscal_year", flat=True)), reverse=True),
        "form": form, "can_manage": can_manage_inspections(request.user, office),
    }, status=status)


@login_required
@require_GET
def rounds(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    used = set(InspectionRound.objects.filter(office=office).values_list("fiscal_year", "number"))
    return _rounds_page(request, office, RoundForm.blank(used))


@login_required
@require_POST
def round_create(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    if not can_manage_inspections(request.user, office):
        raise PermissionDenied
    form = RoundForm(request.POST)
    warnings = []
    if form.is_valid():
        try:
            r = services.create_round(office, by=request.user, fiscal_year=form.cleaned_data["fiscal_year"], number=form.cleaned_data["number"],
                                      data=form.schedule(), confirm=form.cleaned_data["confirm"])
        except services.StandardsWarning as exc:
            warnings = exc.checks
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Round %(round)s was created. Enter its issues and indicators next.") % {"round": services.round_label(r)})
            return redirect("inspections:issues", area_code, r.pk)
    response = _rounds_page(request, office, form, status=400)
    if warnings:
        return render(request, "inspections/round_edit.html", {"office": office, "form": form, "warnings": warnings, "creating": True}, status=400)
    return response


@login_required
@require_GET
def round_page(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk)
    calendar = WorkingCalendar.for_office(r.office)
    board = selectors.round_board(r, calendar=calendar)
    return render(request, "inspections/round.html", {
        "office": r.office, "round": r,
        "checks": standards.evaluate_standards(r, dispatches=[row.dispatch for row in board.rows], calendar=calendar),
        "issues": selectors.issues_with_indicators(r), "board": board,
        "recommendations": selectors.recommendations_of_round(r), "can_manage": can_manage_inspections(request.user, r.office),
        "transitions": r.transitions.select_related("by"), "reason_form": ReasonForm(), "close_form": CommentForm(),
        "min_pct": standards.ANSWERS_MIN_PCT,
        "document": latest_document(r.office, ROUND_REPORT, r.pk),
        "workbook": latest_document(r.office, RESPONSES_XLSX, r.pk),
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    warnings = []
    if request.method == "POST":
        form = RoundForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.update_round(r, by=request.user, data=form.schedule(), confirm=form.cleaned_data["confirm"])
            except services.StandardsWarning as exc:
                warnings = exc.checks
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The schedule was saved."))
                return redirect("inspections:round", area_code, r.pk)
    else:
        form = RoundForm(editing=True, initial={k: getattr(r, k) for k in RoundForm.SCHEDULE})
    return render(request, "inspections/round_edit.html", {"office": r.office, "round": r, "form": form, "warnings": warnings},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def round_action(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    action = request.POST.get("action")
    if action == "close" and r.status == InspectionRound.Status.OPEN and not confirmed(request):
        sent = list(r.dispatches.values_list("status", flat=True))
        answered = sum(1 for status in sent if status == FormDispatch.Status.SUBMITTED)
        return confirm_page(
            request, title=_("Close inspection round %(round)s?") % {"round": r},
            what=[_("%(answered)s of %(sent)s units have sent their form back.") % {"answered": answered, "sent": len(sent)},
                  _("No unit can save or send answers after closing; the round can be reopened with a reason.")],
            button=_("Close the round"), cancel_url=reverse("inspections:round", args=[area_code, r.pk]), danger=answered < len(sent))
    try:
        if action == "close":
            services.close_round(r, by=request.user, comment=request.POST.get("comment", ""))
            messages.success(request, _("The round was closed: units can no longer answer."))
        elif action == "reopen":
            services.reopen_round(r, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The round was reopened."))
        else:
            return HttpResponseBadRequest()
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("inspections:round", area_code, r.pk)


# --- issues and indicators ------------------------------------------------------------------------------


def _issues_page(request, r, status=200, **forms):
    office = r.office
    ctx = {
        "office": office, "round": r, "issues": selectors.issues_with_indicators(r), "can_manage": can_manage_inspections(request.user, office),
        "editable": r.status == InspectionRound.Status.DRAFT,
        "issue_form": forms.get("issue_form") or IssueForm(office=office),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(initial={"answer_kind": "number"}),
        "indicator_issue": forms.get("indicator_issue"),
        "copy_form": forms.get("copy_form") or CopyIssuesForm(round=r),
        "import_form": forms.get("import_form") or ImportIssuesForm(),
        "import_errors": forms.get("import_errors", []),
    }
    return render(request, "inspections/issues.html", ctx, status=status)


@login_required
@require_GET
def issues(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    return _issues_page(request, selectors.get_round_for_user(request.user, area_code, pk))


@login_required
@require_POST
def issue_add(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    form = IssueForm(request.POST, office=r.office)
    if form.is_valid():
        try:
            services.add_issue(r, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The issue was added."))
            return redirect("inspections:issues", area_code, r.pk)
    return _issues_page(request, r, status=400, issue_form=form)


@login_required
@require_POST
def issue_delete(request: HttpRequest, area_code: str, pk: int, issue_pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    issue = get_object_or_404(InspectionIssue, round=r, pk=issue_pk)
    try:
        services.delete_issue(issue, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("inspections:issues", area_code, r.pk)


def _issue_anchor(area_code: str, r: InspectionRound, issue_pk: int) -> str:
    return reverse("inspections:issues", args=[area_code, r.pk]) + f"#issue-{issue_pk}"


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, area_code: str, pk: int, issue_pk: int) -> HttpResponse:
    """Correct an issue in place (``services.update_issue``: only while the round is a draft; its refusal is shown)."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    issue = get_object_or_404(InspectionIssue.objects.select_related("round__office"), round=r, pk=issue_pk)
    if request.method == "POST":
        form = IssueForm(request.POST, office=r.office)
        if form.is_valid():
            try:
                services.update_issue(issue, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The issue was saved."))
                return redirect(_issue_anchor(area_code, r, issue.pk))
    else:
        form = IssueForm(office=r.office, initial={
            "code": issue.code, "title": issue.title, "description": issue.description, "divisions": list(issue.divisions.values_list("pk", flat=True))})
    return render(request, "inspections/issue_edit.html", {
        "office": r.office, "round": r, "issue": issue, "form": form, "editable": r.status == InspectionRound.Status.DRAFT,
        "n_questions": Question.objects.filter(indicator__issue=issue).count(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def indicator_add(request: HttpRequest, area_code: str, pk: int, issue_pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    issue = get_object_or_404(InspectionIssue.objects.select_related("round__office"), round=r, pk=issue_pk)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            services.add_indicator(issue, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect("inspections:issues", area_code, r.pk)
    return _issues_page(request, r, status=400, indicator_form=form, indicator_issue=issue.pk)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, area_code: str, pk: int, indicator_pk: int) -> HttpResponse:
    """Correct an indicator in place (``services.update_indicator``: only while the round is a draft; the question
    built from it follows the change)."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    indicator = get_object_or_404(IssueIndicator.objects.select_related("issue__round__office"), issue__round=r, pk=indicator_pk)
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.update_indicator(indicator, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The indicator was saved."))
                return redirect(_issue_anchor(area_code, r, indicator.issue_id))
    else:
        target = "" if indicator.target is None else f"{indicator.target.normalize():f}"
        form = IndicatorForm(initial={"text": indicator.text, "unit": indicator.unit, "target": target, "target_text": indicator.target_text,
                                      "answer_kind": indicator.answer_kind})
    return render(request, "inspections/indicator_edit.html", {
        "office": r.office, "round": r, "issue": indicator.issue, "indicator": indicator, "form": form,
        "editable": r.status == InspectionRound.Status.DRAFT, "questions": list(indicator.questions.order_by("order")),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, area_code: str, pk: int, indicator_pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    indicator = get_object_or_404(IssueIndicator.objects.select_related("issue__round__office"), issue__round=r, pk=indicator_pk)
    try:
        services.delete_indicator(indicator, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("inspections:issues", area_code, r.pk)


@login_required
@require_POST
def issues_copy(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    form = CopyIssuesForm(request.POST, round=r)
    if form.is_valid():
        try:
            n = services.copy_issues(form.cleaned_data["source"], r, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s issues were copied with their indicators.") % {"n": n})
            return redirect("inspections:issues", area_code, r.pk)
    return _issues_page(request, r, status=400, copy_form=form)


@login_required
@require_GET
def issues_template(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    response = HttpResponse(workbook.issues_template(r), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="inspection-issues-{r.fiscal_year}-{r.number}.xlsx"'
    return response


@login_required
@require_POST
def issues_import(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    form = ImportIssuesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n_issues, n_indicators = workbook.import_issues(r, form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            return _issues_page(request, r, status=400, import_form=form, import_errors=exc.messages)
        messages.success(request, _("Imported %(i)s issues and %(n)s indicators.") % {"i": n_issues, "n": n_indicators})
        return redirect("inspections:issues", area_code, r.pk)
    return _issues_page(request, r, status=400, import_form=form)


# --- the form ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """The round's questions; managers build the form from the indicators, add, edit and remove questions before dispatch."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=request.method == "POST")
    add_form = QuestionForm(initial={"kind": "text", "required": True})
    status = 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "build":
                n = services.build_form(r, by=request.user)
                messages.success(request, _("The form was built: %(n)s questions.") % {"n": n})
            elif op == "add":
                add_form = QuestionForm(request.POST)
                if not add_form.is_valid():
                    raise ValidationError(add_form.errors.as_data()["text"] if "text" in add_form.errors else _("Check the question."))
                services.add_question(r, by=request.user, **add_form.cleaned_data)
                messages.success(request, _("The question was added."))
            elif op in ("edit", "delete"):
                q = get_object_or_404(Question, round=r, pk=parse_id(request.POST.get("question")))
                if op == "delete":
                    services.delete_question(q, by=request.user)
                else:
                    f = QuestionForm(request.POST)
                    if not f.is_valid():
                        raise ValidationError(_("Check the question."))
                    services.update_question(q, by=request.user, **f.cleaned_data)
                messages.success(request, _("The form was saved."))
            else:
                return HttpResponseBadRequest()
            return redirect("inspections:form", area_code, r.pk)
        except ValidationError as exc:
            _flash(request, exc)
            status = 400
    return render(request, "inspections/form.html", {
        "office": r.office, "round": r, "questions": list(r.questions.select_related("indicator__issue")),
        "can_manage": can_manage_inspections(request.user, r.office), "editable": r.status == InspectionRound.Status.DRAFT, "add_form": add_form,
        "kinds": Question._meta.get_field("kind").choices,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def dispatch(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Send the form to chosen divisions and schools with a due date (default: 30 working days)."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=True)
    form = DispatchForm(request.POST or None, round=r)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.dispatch_forms(r, by=request.user, divisions=form.cleaned_data["divisions"], schools=form.cleaned_data["schools"],
                                           due_on=form.cleaned_data["due_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The form was sent to %(n)s units.") % {"n": len(sent)})
            return redirect("inspections:round", area_code, r.pk)
    return render(request, "inspections/dispatch.html", {
        "office": r.office, "round": r, "form": form, "n_questions": r.questions.count(),
        "default_due": services.default_due_on(r.office, timezone.localdate()), "already": r.dispatches.count(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def response(request: HttpRequest, area_code: str, pk: int, dispatch_pk: int) -> HttpResponse:
    """One unit's answers as the office sees them; a manager may return a submitted form with a reason."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=request.method == "POST")
    d = get_object_or_404(FormDispatch.objects.select_related("round__office", "division", "school", "submitted_by"), round=r, pk=dispatch_pk)
    if request.method == "POST":
        try:
            services.return_dispatch(d, by=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("The form was returned to the unit."))
        return redirect("inspections:response", area_code, r.pk, d.pk)
    questions, answers, evidence = selectors.dispatch_answers(d)
    return render(request, "inspections/response.html", {
        "office": r.office, "round": r, "dispatch": d, "rows": [(q, answers.get(q.pk)) for q in questions], "evidence": evidence,
        "can_manage": can_manage_inspections(request.user, r.office), "reason_form": ReasonForm(), "is_late": d.is_late(),
    })


# --- recommendations ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """A round's recommendations with their status; managers add them and carry the open ones into a later round."""
    r = selectors.get_round_for_user(request.user, area_code, pk, manage=request.method == "POST")
    form = RecommendationForm(round=r)
    carry_form = CarryForm(round=r)
    status = 200
    if request.method == "POST":
        if request.POST.get("op") == "carry":
            carry_form = CarryForm(request.POST, round=r)
            if carry_form.is_valid():
                try:
                    moved = services.carry_recommendations(r, carry_form.cleaned_data["to_round"], by=request.user)
                except ValidationError as exc:
                    apply_errors(carry_form, exc)
                else:
                    messages.success(request, _("%(n)s recommendations were carried into round %(round)s.") % {
                        "n": len(moved), "round": services.round_label(carry_form.cleaned_data["to_round"])})
                    return redirect("inspections:recommendations", area_code, r.pk)
        else:
            form = RecommendationForm(request.POST, round=r)
            if form.is_valid():
                try:
                    services.add_recommendation(r, by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("The recommendation was recorded."))
                    return redirect("inspections:recommendations", area_code, r.pk)
        status = 400
    return render(request, "inspections/recommendations.html", {
        "office": r.office, "round": r, "recommendations": selectors.recommendations_of_round(r), "form": form, "carry_form": carry_form,
        "can_manage": can_manage_inspections(request.user, r.office),
    }, status=status)


@login_required
@require_GET
def office_recommendations(request: HttpRequest, area_code: str) -> HttpResponse:
    """Recommendations of the office across rounds, by division / fiscal year / status (a division's follow-up list)."""
    office = get_office_for_user(request.user, area_code)
    divisions = list(Division.objects.filter(office=office).order_by("code"))
    division = next((d for d in divisions if str(d.pk) == request.GET.get("division")), None)
    mine = unit_divisions(request.user, office)
    if division is None and "division" not in request.GET and len(mine) == 1:
        division = next((d for d in divisions if d.pk in mine), None)
    fy, problem = year_from_query(request.GET.get("fy"), default=None)
    if problem:
        messages.warning(request, problem)
    status = request.GET.get("status", "")
    if status not in Recommendation.Status.values:
        status = ""
    rows = selectors.recommendations_of_office(office, division=division, fiscal_year=fy, status=status)
    return render(request, "inspections/office_recommendations.html", {
        "office": office, "rows": rows, "divisions": divisions, "division": division, "fy": "" if fy is None else str(fy), "status": status,
        "statuses": Recommendation.Status.choices,
        "years": sorted(set(InspectionRound.objects.filter(office=office).values_list("fiscal_year", flat=True)), reverse=True),
    })


@login_required
@require_http_methods(["GET", "POST"])
def recommendation(request: HttpRequest, area_code: str, rec_pk: int) -> HttpResponse:
    """One recommendation: its follow-up, evidence and history; the actions its actor may take."""
    rec = selectors.get_recommendation_for_user(request.user, area_code, rec_pk)
    office = rec.round.office
    division_ids = {d.pk for d in rec.divisions.all()}
    can_act = can_act_on(request.user, rec, division_ids)
    follow_form = FollowUpForm()
    status = 200
    if request.method == "POST":
        op = request.POST.get("op")
        allowed = {"follow_up": can_act, "done": can_act, "verify": can_verify(request.user, office), "reopen": can_manage_inspections(request.user, office)}
        if op not in allowed:
            return HttpResponseBadRequest()
        if not allowed[op]:
            raise PermissionDenied
        try:
            if op == "follow_up":
                follow_form = FollowUpForm(request.POST, request.FILES)
                if not follow_form.is_valid():
                    raise ValidationError(_("Say what was done."))
                services.add_follow_up(rec, by=request.user, text=follow_form.cleaned_data["text"], file=follow_form.cleaned_data["file"],
                                       to_status=follow_form.cleaned_data["to_status"])
                messages.success(request, _("The follow-up was recorded."))
            elif op == "done":
                services.mark_done(rec, by=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, _("Marked done; the plan officer will verify it."))
            elif op == "verify":
                services.verify_closed(rec, by=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, _("The recommendation was verified and closed."))
            else:
                services.reopen_recommendation(rec, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The recommendation was reopened."))
            return redirect("inspections:recommendation", area_code, rec.pk)
        except ValidationError as exc:
            if op == "follow_up":
                apply_errors(follow_form, exc)
            else:
                _flash(request, exc)
            status = 400
    return render(request, "inspections/recommendation.html", {
        "office": office, "rec": rec, "round": rec.round,
        "follow_ups": rec.follow_ups.select_related("by"), "transitions": rec.transitions.select_related("by"),
        "can_act": can_act, "can_verify": can_verify(request.user, office), "can_manage": can_manage_inspections(request.user, office),
        "follow_form": follow_form, "reason_form": ReasonForm(), "S": Recommendation.Status,
    }, status=status)


# --- files -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An answer's evidence file: for staff of the round's office and for the unit that answered (404 otherwise)."""
    staff = offices_visible_to(request.user)
    units = FormDispatch.objects.for_unit_user(request.user)
    ev = AnswerEvidence.objects.filter(Q(dispatch__round__office__in=staff) | Q(dispatch__in=units), pk=pk).first()
    if ev is None:
        raise Http404("file not found")
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name, content_type=ev.content_type)


@login_required
@require_GET
def follow_up_file(request: HttpRequest, pk: int) -> FileResponse:
    """A follow-up's evidence file, for staff of the office (404 otherwise)."""
    action = FollowUpAction.objects.filter(recommendation__round__office__in=offices_visible_to(request.user), pk=pk).exclude(file="").first()
    if action is None:
        raise Http404("file not found")
    return FileResponse(action.file.open("rb"), as_attachment=True, filename=action.original_name, content_type=action.content_type)


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())
