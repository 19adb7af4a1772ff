"""The office's evaluation pages: forms, evaluations, results (docs/evaluation.md). Thin: access → form → service.

Who: every staff member of the office reads; the plan officer builds and runs; a project owner builds forms and
runs evaluations of their own projects. Another office's people and school accounts get 404 (``emes.access``).
"""
from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emes.access import get_office_for_user

from . import services
from .access import can_build, can_edit_form, can_manage_evaluation, get_evaluation_for_user, get_form_for_user
from .charts import section_means_chart
from .forms import BandsForm, EvaluationCreateForm, ItemForm, NewFormForm, ReasonForm, RespondentsForm, SectionForm
from .models import FormItem
from .results import evaluation_results
from .selectors import office_evaluations, office_forms, target_choices, target_label


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def evaluations(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    return render(request, "evaluation/evaluations.html", {
        "office": office, "evaluations": office_evaluations(office), "forms": office_forms(office), "can_build": can_build(request.user, office),
    })


@login_required
def form_create(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    if not can_build(request.user, office):
        raise PermissionDenied
    form = NewFormForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["copy_of"]:
                new = services.copy_form(d["copy_of"], by=request.user, title=d["title"])
            else:
                new = services.create_form(office, by=request.user, title=d["title"], standard=d["standard"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The form was created."))
            return redirect("evaluation:form", office.area_code, new.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below."))
    return render(request, "evaluation/form_create.html", {"office": office, "form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def form_detail(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev_form = get_form_for_user(request.user, area_code, pk)
    sections = list(ev_form.sections.prefetch_related("items"))
    return render(request, "evaluation/form.html", {
        "office": ev_form.office, "ev_form": ev_form, "sections": sections, "can_edit": can_edit_form(request.user, ev_form),
        "frozen": services.form_has_answers(ev_form), "section_form": SectionForm(), "item_form": ItemForm(form=ev_form),
        "bands_form": BandsForm(initial={"bands": "\n".join(f"{low:.2f} {label}" for low, label in ev_form.bands)}),
    })


@login_required
@require_POST
def bands_edit(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev_form = get_form_for_user(request.user, area_code, pk, write=True)
    form = BandsForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    else:
        try:
            services.set_bands(ev_form, by=request.user, bands=form.cleaned_data["bands"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The interpretation bands were saved."))
    return redirect("evaluation:form", area_code, ev_form.pk)


@login_required
@require_POST
def section_add(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev_form = get_form_for_user(request.user, area_code, pk, write=True)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a title."))
    else:
        try:
            services.add_section(ev_form, by=request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("evaluation:form", area_code, ev_form.pk)


@login_required
@require_POST
def item_add(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev_form = get_form_for_user(request.user, area_code, pk, write=True)
    form = ItemForm(request.POST, form=ev_form)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errs)}")
    else:
        d = form.cleaned_data
        try:
            services.add_item(d["section"], by=request.user, kind=d["kind"], text=d["text"], required=d["required"], choices=d["choices"])
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("evaluation:form", area_code, ev_form.pk)


@login_required
@require_POST
def item_delete(request: HttpRequest, area_code: str, pk: int, item_pk: int) -> HttpResponse:
    ev_form = get_form_for_user(request.user, area_code, pk, write=True)
    item = FormItem.objects.filter(section__form=ev_form, pk=item_pk).select_related("section__form").first()
    if item is None:
        raise Http404("item not found")
    try:
        services.delete_item(item, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:form", area_code, ev_form.pk)


@login_required
def evaluation_create(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    if not can_build(request.user, office):
        raise PermissionDenied
    initial = {"form": request.GET.get("form")} if request.method == "GET" and request.GET.get("form", "").isdigit() else None
    if request.method == "GET" and request.GET.get("target"):
        initial = {**(initial or {}), "target": request.GET["target"][:60]}
    form = EvaluationCreateForm(request.POST or None, office=office, targets=target_choices(request.user, office), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ev = services.create_evaluation(
                office, by=request.user, form=d["form"], title=d["title"], target=d["target"], opens_on=d["opens_on"],
                closes_on=d["closes_on"], public=d["public"], roles=d["roles"], divisions=d["divisions"], schools=d["schools"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The evaluation was created as a draft: open it when it is ready."))
            return redirect("evaluation:evaluation", office.area_code, ev.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below."))
    return render(request, "evaluation/evaluation_create.html", {"office": office, "form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    label, url = target_label(ev)
    reports = list(ev.reports.select_related("requested_by")[:10])
    public_url = request.build_absolute_uri(reverse("evaluation:public", args=[ev.token]))
    return render(request, "evaluation/evaluation.html", {
        "office": ev.office, "ev": ev, "target_label": label, "target_url": url, "can_manage": can_manage_evaluation(request.user, ev),
        "responses": ev.responses.count(), "respondents": ev.respondents.count(),
        "answered": ev.responses.filter(user__isnull=False).count(), "transitions": ev.transitions.select_related("by"),
        "public_url": public_url, "reason_form": ReasonForm(),
        "reports": reports, "building": any(not r.is_finished for r in reports),
    })


@login_required
def respondents_add(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Ask more users to answer (the plan officer, or the project owner who runs it): chosen as at creation."""
    ev = get_evaluation_for_user(request.user, area_code, pk, write=True)
    form = RespondentsForm(request.POST if request.method == "POST" else None, office=ev.office)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            added = services.invite_respondents(ev, by=request.user, roles=d["roles"], divisions=d["divisions"], schools=d["schools"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if added:
                messages.success(request, _("%(n)s respondents were added.") % {"n": added})
            else:
                messages.info(request, _("Everyone chosen was already asked to answer."))
            return redirect("evaluation:evaluation", area_code, ev.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below."))
    current = ev.respondents.select_related("user", "division", "school").order_by("school__smis_code", "division__code", "user__username")
    return render(request, "evaluation/respondents.html", {
        "office": ev.office, "ev": ev, "form": form, "respondents": current, "closed": ev.status == ev.Status.CLOSED or ev.closes_on < timezone.localdate(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def evaluation_action(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk, write=True)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.open_evaluation(ev, by=request.user)
            messages.success(request, _("The evaluation is open for answers."))
        elif action == "close":
            services.close_evaluation(ev, by=request.user)
            messages.success(request, _("The evaluation is closed."))
        elif action == "reopen":
            services.reopen_evaluation(ev, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The evaluation is open again."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:evaluation", area_code, ev.pk)


@login_required
@require_GET
def results(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    data = evaluation_results(ev)
    chart = section_means_chart(data)
    label, url = target_label(ev)
    return render(request, "evaluation/results.html", {
        "office": ev.office, "ev": ev, "data": data, "target_label": label, "target_url": url,
        # An image, not inline SVG: matplotlib's SVG carries style attributes the Content-Security-Policy refuses.
        "chart_src": "data:image/svg+xml;base64," + base64.b64encode(chart.encode()).decode() if chart else "",
    })

