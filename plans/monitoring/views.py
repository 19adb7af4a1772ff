"""Pages of the quarterly reports: the report, its edit page, its moves, evidence files, the review inbox.

Who gets what (``emes.access`` and ``plans.monitoring.services``; rule source: issue 5, docs/roles-and-access.md):

- anonymous → the login page; a user who is not staff of the project's office (another office's
  people, school accounts), or an ``area_code`` that is not the project's office → 404;
- every staff member of the office reads a report (also before it exists: due date, lateness) and
  downloads its evidence;
- the edit page: the project owner and the plan officer (others 403). The first GET of a started
  quarter creates the draft; a future quarter, or a report that is not a draft or returned, sends
  the filer back to the report page with a message (they may file in general; the message says why
  not now);
- the transition endpoint (POST) calls the services: a member lacking the role gets 403; an
  illegal move (wrong state, missing comment or reason) is refused with a message;
- evidence upload/delete (POST): the owner or the plan officer (the uploader or the plan officer
  for delete), 403 for other staff;
- the inbox: the director, the plan officer, a division head; other staff 403.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import get_office_for_user, offices_visible_to, roles_in
from emes.confirm import confirm_page, confirmed
from emes.models import Role
from emes.uploads import evidence_max_bytes, read_evidence
from plans.access import can_file, can_submit, get_project_for_user

from ..models import Evidence, Project, QuarterlyReport
from . import selectors, services
from .notices import report_label
from .forms import (
    DisbursementFormSet,
    EvidenceForm,
    InboxForm,
    ReportForm,
    ResultFormSet,
    TransitionForm,
    disbursement_initial,
    result_initial,
)


def _project(request: HttpRequest, area_code: str, pk: int, quarter: int) -> Project:
    project = get_project_for_user(request.user, pk)
    if project.office.area_code != area_code or quarter not in (1, 2, 3, 4):
        raise Http404("no such report")
    return project


def _report(project: Project, quarter: int) -> QuarterlyReport | None:
    return QuarterlyReport.objects.select_related("updated_by").filter(project=project, quarter=quarter).first()


def _report_url(project: Project, quarter: int) -> str:
    return reverse("plans:report", kwargs={"area_code": project.office.area_code, "pk": project.pk, "quarter": quarter})


def _back(project: Project, quarter: int):
    return redirect("plans:report", area_code=project.office.area_code, pk=project.pk, quarter=quarter)


@login_required
@require_GET
def report(request: HttpRequest, area_code: str, pk: int, quarter: int) -> HttpResponse:
    project = _project(request, area_code, pk, quarter)
    rep = _report(project, quarter)
    money, money_total = selectors.money_by_source(project, rep)
    roles = roles_in(request.user, project.office)
    editable = rep is not None and rep.status in services.EDITABLE
    filer = can_file(request.user, project)
    return render(request, "plans/monitoring/report.html", {
        "office": project.office, "fiscal_year": project.fiscal_year, "project": project, "quarter": quarter, "report": rep,
        "timing": selectors.report_timing(project, quarter, rep),
        "money": money, "money_total": money_total, "has_lines": project.budget_lines.exists(),
        "results": selectors.result_rows(project, rep),
        "evidence": list(rep.evidence.select_related("uploaded_by")) if rep else [],
        "transitions": list(rep.transitions.select_related("by")) if rep else [],
        "actions": services.allowed_actions(request.user, rep) if rep else set(),
        "can_file": filer, "editable": editable, "can_upload": editable and filer,
        "is_planner": Role.PLAN_OFFICER in roles,
        "evidence_form": EvidenceForm(), "max_mb": evidence_max_bytes() // (1024 * 1024),
        "extensions": ", ".join(services.EVIDENCE_EXTENSIONS),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, area_code: str, pk: int, quarter: int) -> HttpResponse:
    project = _project(request, area_code, pk, quarter)
    if not can_file(request.user, project):
        raise PermissionDenied
    rep = _report(project, quarter)
    if rep is None:
        try:
            rep = services.start_report(project, quarter, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(project, quarter)
    if rep.status not in services.EDITABLE:
        messages.warning(request, services.locked_message(rep))
        return _back(project, quarter)

    indicators = list(project.indicators.order_by("id"))
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, instance=rep)
    results = ResultFormSet(data, prefix="results", initial=result_initial(indicators, rep), indicators=indicators)
    disbursements = DisbursementFormSet(data, prefix="money", initial=disbursement_initial(rep))
    problems: list[str] = []
    stale = False
    if request.method == "POST":
        # ``form.instance`` is changed by validation; the service re-reads the row under a lock.
        valid = form.is_valid() & results.is_valid() & disbursements.is_valid()
        # Evidence may come with the first save (issue 17): every file is checked before anything is saved.
        files = request.FILES.getlist("evidence")
        for f in files:
            try:
                read_evidence(f)
            except ValidationError as exc:
                problems += [f"{f.name}: {m}" for m in exc.messages]
            finally:
                f.seek(0)
        if valid and not problems:
            try:
                # All or nothing: a refused file or submission leaves neither the save nor the files before it
                # (add_evidence removes its stored file when the transaction rolls back).
                with transaction.atomic():
                    saved = services.save_report(
                        rep, by=request.user, data=form.service_data(), expected_version=form.cleaned_data["version"],
                        results=results.rows(), disbursements=disbursements.rows(),
                    )
                    for f in files:
                        services.add_evidence(saved, f, by=request.user)
                    if "and_submit" in request.POST:
                        services.submit_report(saved, by=request.user)
            except ValidationError as exc:
                problems = exc.messages
                stale = getattr(exc, "code", None) == "stale"
            else:
                if "and_submit" in request.POST:
                    messages.success(request, _("The report was saved and submitted for review."))
                else:
                    messages.success(request, _("The report was saved."))
                return _back(project, quarter)
    money, money_total = selectors.money_by_source(project, rep)
    by_source = {m.source: m for m in money}
    return render(request, "plans/monitoring/report_edit.html", {
        "office": project.office, "fiscal_year": project.fiscal_year, "project": project, "quarter": quarter, "report": rep,
        "form": form, "results": results, "disbursements": disbursements, "problems": problems, "stale": stale,
        "money_rows": [(f, by_source.get(f.source_value)) for f in disbursements], "money_total": money_total, "has_lines": project.budget_lines.exists(),
        "timing": selectors.report_timing(project, quarter, rep), "can_submit": can_submit(request.user, project),
    }, status=409 if stale else 200)


def _owner_name(rep: QuarterlyReport) -> str:
    owner = rep.project.owner
    return (owner.get_full_name() or owner.username) if owner else _("the project owner")


#: What the confirmation step says before an official move (issue 17): (title, what will happen, button).
_CONFIRM = {
    "accept": lambda rep: (
        _("Accept this report?"),
        [_("Accept %(what)s.") % {"what": report_label(rep)},
         _("The report is then locked for the owner and waits for the director's approval; the director and %(owner)s are told.")
         % {"owner": _owner_name(rep)}],
        _("Accept the report"),
    ),
    "approve": lambda rep: (
        _("Approve this report?"),
        [_("Approve %(what)s.") % {"what": report_label(rep)},
         _("An approved report is locked: it changes only if it is reopened with a reason. %(owner)s is told.") % {"owner": _owner_name(rep)}],
        _("Approve the report"),
    ),
    "reopen": lambda rep: (
        _("Reopen this approved report?"),
        [_("Reopen %(what)s and give it back to %(owner)s for revision.") % {"what": report_label(rep), "owner": _owner_name(rep)},
         _("Its approval is withdrawn until it is submitted, accepted and approved again; the reason is recorded and the owner is told.")],
        _("Reopen the report"),
    ),
}

_DONE = {
    "submit": lambda: _("The report was submitted for review."),
    "return": lambda: _("The report was returned to the project owner with your comment."),
    "accept": lambda: _("The report was accepted; it now waits for the director's approval."),
    "approve": lambda: _("The report was approved; it is now locked."),
    "reopen": lambda: _("The report was reopened and returned to the project owner, with your reason recorded."),
}


@login_required
@require_POST
def report_transition(request: HttpRequest, area_code: str, pk: int, quarter: int) -> HttpResponse:
    project = _project(request, area_code, pk, quarter)
    rep = _report(project, quarter)
    if rep is None:
        raise Http404("no such report")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("unknown action")
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    reason = (form.cleaned_data["reason"] or comment or "").strip()
    # Asked only of a move that can happen (allowed, with its reason): a refusal is said at once.
    if action in _CONFIRM and not confirmed(request) and action in services.allowed_actions(request.user, rep) \
            and (action != "reopen" or reason):
        back = reverse("plans:review-inbox", kwargs={"area_code": area_code}) if form.cleaned_data.get("next") == "inbox" \
            else reverse("plans:report", kwargs={"area_code": area_code, "pk": pk, "quarter": quarter})
        title, what, button = _CONFIRM[action](rep)
        if action == "reopen":
            what = [*what, _("Reason: %(reason)s") % {"reason": reason}]
        return confirm_page(request, title=title, what=what, button=button, cancel_url=back, danger=action == "reopen")
    try:
        if action == "submit":
            services.submit_report(rep, by=request.user, comment=comment)
        elif action == "return":
            services.return_report(rep, by=request.user, comment=comment)
        elif action == "accept":
            services.accept_report(rep, by=request.user, comment=comment)
        elif action == "approve":
            services.approve_report(rep, by=request.user, comment=comment)
        else:
            services.reopen_report(rep, by=request.user, reason=form.cleaned_data["reason"] or comment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _DONE[action]())
    if form.cleaned_data.get("next") == "inbox":
        return redirect("plans:review-inbox", area_code=area_code)
    return _back(project, quarter)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, area_code: str, pk: int, quarter: int) -> HttpResponse:
    project = _project(request, area_code, pk, quarter)
    if not can_file(request.user, project):
        raise PermissionDenied
    rep = _report(project, quarter)
    if rep is None:
        raise Http404("no such report")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return _back(project, quarter)
    try:
        evidence = services.add_evidence(rep, form.cleaned_data["file"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was added to the evidence.") % {"name": evidence.original_name})
    return redirect(f"{_report_url(project, quarter)}#evidence")


def _evidence(request: HttpRequest, area_code: str, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(report__project__office__in=offices_visible_to(request.user), report__project__office__area_code=area_code)
        .select_related("report__project__office", "report__project__owner")
        .filter(pk=pk).first()
    )
    if evidence is None:
        raise Http404("no such evidence")
    return evidence


@login_required
@require_GET
def evidence_download(request: HttpRequest, area_code: str, pk: int) -> FileResponse:
    evidence = _evidence(request, area_code, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("file gone") from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    evidence = _evidence(request, area_code, pk)
    project, quarter = evidence.report.project, evidence.report.quarter
    try:
        services.remove_evidence(evidence, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was removed from the evidence.") % {"name": evidence.original_name})
    return redirect(f"{_report_url(project, quarter)}#evidence")


@login_required
@require_http_methods(["GET", "POST"])
def review_inbox(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    inbox = selectors.review_inbox(request.user, office)
    if not inbox.allowed:
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        rows = inbox.to_approve if action == "approve" else inbox.to_accept if action == "accept" else []
        if (action == "approve" and not inbox.is_director) or (action == "accept" and not inbox.is_planner):
            raise PermissionDenied
        form = InboxForm(request.POST, report_ids=[r.report.pk for r in rows])
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("plans:review-inbox", area_code=area_code)
        chosen = [r.report for r in rows if r.report.pk in set(form.cleaned_data["reports"])]
        if not confirmed(request):
            listed = [report_label(rep) for rep in chosen]
            if action == "approve":
                title, button = _("Approve %(n)s reports?") % {"n": len(chosen)}, _("Approve %(n)s reports") % {"n": len(chosen)}
                what = [_("Approve these %(n)s reports; each is then locked and its owner is told (one e-mail per person):") % {"n": len(chosen)}, *listed]
            else:
                title, button = _("Accept %(n)s reports?") % {"n": len(chosen)}, _("Accept %(n)s reports") % {"n": len(chosen)}
                what = [_("Accept these %(n)s reports; they then wait for the director's approval:") % {"n": len(chosen)}, *listed]
            return confirm_page(request, title=title, what=what, button=button,
                                cancel_url=reverse("plans:review-inbox", kwargs={"area_code": area_code}))
        if action == "approve":
            outcomes = services.approve_reports(chosen, by=request.user)
        else:
            outcomes = []
            for rep in chosen:
                try:
                    services.accept_report(rep, by=request.user)
                except ValidationError as exc:
                    outcomes.append(services.Outcome(rep, False, " ".join(exc.messages)))
                else:
                    outcomes.append(services.Outcome(rep, True))
        done = sum(o.ok for o in outcomes)
        if done:
            msg = _("%(n)s reports approved.") if action == "approve" else _("%(n)s reports accepted.")
            messages.success(request, msg % {"n": done})
        for o in outcomes:
            if not o.ok:
                messages.error(request, f"{o.report}: {o.message}")
        return redirect("plans:review-inbox", area_code=area_code)
    return render(request, "plans/monitoring/inbox.html", {"office": office, "inbox": inbox})
