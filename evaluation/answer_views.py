"""Answering an evaluation: the public page (link or QR code, no login, mobile-first) and a respondent's page.

Public (docs/evaluation.md, "Public link"): anyone with the link answers once per device session (the session,
not the answer, remembers which evaluations this device answered); a draft or closed evaluation, or one outside
its window, shows why and takes nothing; a throttle per client address stops flooding. The answer stores no
user, address or session key. Respondents (EMES users asked to answer) answer on their own page and may change
their answers until the window closes.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .models import Answer, Evaluation, Respondent, Response
from .selectors import my_evaluations
from .throttle import allow_public_answer, client_ip

SESSION_KEY = "evaluation_answered"


def _sections(items, values: dict, errors: dict) -> list[tuple]:
    """``[(section, [(item, value, error), ...]), ...]`` for the answer template."""
    out: list[tuple] = []
    for item in items:
        if not out or out[-1][0].pk != item.section_id:
            out.append((item.section, []))
        out[-1][1].append((item, values.get(f"item-{item.pk}", ""), errors.get(f"item-{item.pk}", "")))
    return out


def _field_errors(exc: ValidationError) -> tuple[dict, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v.messages if hasattr(v, "messages") else [str(e) for e in v]) for k, v in exc.message_dict.items()}, []
    return {}, exc.messages


@never_cache
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    evaluation = Evaluation.objects.filter(token=token[:40], public=True).select_related("form", "office").first()
    if evaluation is None:
        raise Http404("evaluation not found")
    answered = evaluation.pk in request.session.get(SESSION_KEY, [])
    reason = services.accepting_answers(evaluation)
    if answered:
        reason = _("This device has already sent its answers to this evaluation. Thank you.")
    items = services.form_items(evaluation.form)
    values, errors, general = {}, {}, []
    if request.method == "POST" and not reason:
        values = {k: request.POST.get(k, "")[:3000] for k in request.POST if k.startswith("item-")}
        if not allow_public_answer(evaluation.pk, client_ip(request)):
            general = [_("Too many answers from this network just now: please try again later.")]
        else:
            try:
                services.submit_answers(evaluation, request.POST, items=items)
            except ValidationError as exc:
                errors, general = _field_errors(exc)
                if errors:
                    general = [_("Some answers need your attention: see the messages below.")]
            else:
                request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), evaluation.pk][-200:]
                return redirect("evaluation:public-done", evaluation.token)
    status = 400 if (errors or general) else (409 if reason and request.method == "POST" else 200)
    return render(request, "evaluation/public_answer.html", {
        "ev": evaluation, "reason": reason, "sections": _sections(items, values, errors), "general": general,
        "rating_levels": RATING_LEVELS,
    }, status=status)


RATING_LEVELS = [(5, "มากที่สุด"), (4, "มาก"), (3, "ปานกลาง"), (2, "น้อย"), (1, "น้อยที่สุด")]


@never_cache
def public_done(request: HttpRequest, token: str) -> HttpResponse:
    evaluation = Evaluation.objects.filter(token=token[:40], public=True).select_related("office").first()
    if evaluation is None:
        raise Http404("evaluation not found")
    return render(request, "evaluation/public_done.html", {"ev": evaluation})


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/my.html", {"rows": my_evaluations(request.user)})


@login_required
def respondent_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = Respondent.objects.filter(user=request.user, evaluation_id=pk).select_related("evaluation__form", "evaluation__office").first()
    if invitation is None:
        raise Http404("evaluation not found")
    evaluation = invitation.evaluation
    items = services.form_items(evaluation.form)
    reason = services.accepting_answers(evaluation)
    response = Response.objects.filter(evaluation=evaluation, user=request.user).first()
    values: dict = {}
    if response is not None:
        for item_id, number, text in Answer.objects.filter(response=response).values_list("item_id", "number", "text"):
            kind = next((i.kind for i in items if i.pk == item_id), "")
            values[f"item-{item_id}"] = text or ("yes" if kind == "yes_no" and number == 1 else "no" if kind == "yes_no" else
                                                 str(int(number)) if kind == "rating" else f"{number.normalize():f}")
    errors, general = {}, []
    if request.method == "POST" and not reason:
        values = {k: request.POST.get(k, "")[:3000] for k in request.POST if k.startswith("item-")}
        try:
            services.submit_answers(evaluation, request.POST, user=request.user, items=items)
        except ValidationError as exc:
            errors, general = _field_errors(exc)
            for message in general or [_("Some answers need your attention: see the messages below.")]:
                messages.error(request, message)
        else:
            messages.success(request, _("Your answers were saved. You may change them until the window closes."))
            return redirect("evaluation:answer", evaluation.pk)
    elif request.method == "POST":
        messages.error(request, reason)
    return render(request, "evaluation/respondent_answer.html", {
        "ev": evaluation, "reason": reason, "sections": _sections(items, values, errors), "answered": response is not None,
        "rating_levels": RATING_LEVELS,
    }, status=400 if errors or general else 200)
