"""The unit side: "my forms" and the answer form of a school account, a division head or a project owner.

A unit reaches only the forms dispatched to it (``FormDispatch.objects.for_unit_user``); any other form
answers 404 (issue 8), whether it exists or not. Saving a draft or submitting goes through
``inspections.services``: a wrong answer is shown beside its question and nothing is saved; after the
round is closed the form is read-only and a late POST is refused with a message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .access import get_dispatch_for_unit
from .forms import EvidenceForm
from .models import AnswerEvidence, AnswerKind, FormDispatch, InspectionRound
from .services import EVIDENCE_EXTENSIONS
from emes.uploads import evidence_max_bytes


@login_required
@require_GET
def my_forms(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_dispatches(request.user)
    return render(request, "inspections/my_forms.html", {"rows": rows})


def _raw_values(questions, answers) -> dict[str, str]:
    values = {}
    for q in questions:
        a = answers.get(q.pk)
        if a is None:
            continue
        if q.kind == AnswerKind.NUMBER and a.number_value is not None:
            values[f"q{q.pk}"] = f"{a.number_value.normalize():f}"
        elif q.kind == AnswerKind.YES_NO and a.bool_value is not None:
            values[f"q{q.pk}"] = "yes" if a.bool_value else "no"
        elif q.kind == AnswerKind.TEXT:
            values[f"q{q.pk}"] = a.text_value
    return values


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's form: typed answers and evidence files in one HTML form, so nothing typed is lost.

    ``op``: "save" (draft), "submit", or "upload" (the "Attach" button). A file chosen in the form is saved
    with the typed answers in one go (``services.save_answers_with_evidence``), whichever button was pressed;
    "upload" without a file is refused. Any error is shown beside its field, everything typed is shown back
    and nothing is stored.
    """
    d = get_dispatch_for_unit(request.user, pk)
    questions, answers, evidence = selectors.dispatch_answers(d)
    values = _raw_values(questions, answers)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    evidence_form = EvidenceForm(questions=questions)
    status = 200
    if request.method == "POST":
        posted = {k: v for k, v in request.POST.items() if k.startswith("q")}
        values.update(posted)
        op = request.POST.get("op")
        if request.FILES.get("file") is not None or op == "upload":
            evidence_form = EvidenceForm(request.POST, request.FILES, questions=questions)
        try:
            if evidence_form.is_bound:
                if not evidence_form.is_valid():
                    if "file" in evidence_form.errors:
                        raise ValidationError({"file": _("Choose a file to attach.")})
                    raise ValidationError({"question": _("Choose a question of this form.")})
                question = next((q for q in questions if q.pk == evidence_form.cleaned_data["question"]), None)
                services.save_answers_with_evidence(d, posted, evidence_form.cleaned_data["file"], by=request.user, question=question,
                                                    submit=op == "submit")
                messages.success(request, _("The form was submitted. Thank you.") if op == "submit"
                                 else _("Your answers were saved as a draft and the file was attached."))
            elif op == "submit":
                services.submit_answers(d, posted, by=request.user)
                messages.success(request, _("The form was submitted. Thank you."))
            else:
                services.save_answers(d, posted, by=request.user)
                messages.success(request, _("The draft was saved."))
            return redirect("inspections:answer", d.pk)
        except ValidationError as exc:
            status = 400
            if hasattr(exc, "error_dict"):
                errors = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
            else:
                general = exc.messages
    writable = d.round.status == InspectionRound.Status.OPEN and d.status != FormDispatch.Status.SUBMITTED
    files_by_q: dict[int | None, list[AnswerEvidence]] = {}
    for ev in evidence:
        files_by_q.setdefault(ev.question_id, []).append(ev)
    rows = [{"q": q, "key": f"q{q.pk}", "value": values.get(f"q{q.pk}", ""), "errors": errors.get(f"q{q.pk}", []),
             "files": files_by_q.get(q.pk, [])} for q in questions]
    return render(request, "inspections/answer.html", {
        "dispatch": d, "round": d.round, "rows": rows, "general_files": files_by_q.get(None, []), "writable": writable,
        "general_errors": general, "evidence_form": evidence_form,
        "file_errors": errors.get("file", []), "question_errors": errors.get("question", []),
        # A browser never refills a file input: say so when a chosen file was refused along with the answers.
        "file_not_kept": status == 400 and "file" in request.FILES and not errors.get("file"),
        "extensions": ", ".join(EVIDENCE_EXTENSIONS), "max_mb": evidence_max_bytes() // (1024 * 1024), "is_late": d.is_late(),
    }, status=status)


@login_required
@require_POST
def answer_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file alone (no typed answers in the request). The answer page posts its files through
    :func:`answer` instead, with the typed answers; this URL stays for clients that post a file by itself."""
    d = get_dispatch_for_unit(request.user, pk)
    questions = list(d.round.questions.all())
    form = EvidenceForm(request.POST, request.FILES, questions=questions)
    if form.is_valid():
        question = next((q for q in questions if q.pk == form.cleaned_data["question"]), None)
        try:
            services.add_answer_evidence(d, form.cleaned_data["file"], by=request.user, question=question)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The file was attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("inspections:answer", d.pk)


@login_required
@require_POST
def answer_evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    d = get_dispatch_for_unit(request.user, pk)
    ev = AnswerEvidence.objects.filter(dispatch=d, pk=evidence_pk).select_related("dispatch__round__office").first()
    if ev is None:
        raise Http404("file not found")
    try:
        services.remove_answer_evidence(ev, by=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("inspections:answer", d.pk)
