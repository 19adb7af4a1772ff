"""The plan officer's reminders page: preview today's due reminders, hold some, send the rest; follow,
release and retry the recorded ones; preview a letter; print the letters to schools as one PDF.

Who gets what (``emes.access``; issue 7):

- anonymous → the login page; anyone who is not staff of the office (another office's people, school
  accounts) → 404, so nothing of the office is revealed;
- the plan officer reads and acts; the director reads (page, previews, print batch) but does not act
  (POST → 403); any other staff member of the office → 403;
- the actions are POST only (GET → 405); a refused action leaves everything as it was, with a message.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_GET, require_POST

from emes.access import get_office_for_user, roles_in
from emes.confirm import confirm_page, confirmed
from emes.models import Office, Role
from emes.text import parse_id
from reports.letters.services import merge_letter_pdfs
from reports.models import Reminder, SweepRun

from . import selectors, services
from .forms import PrintForm, RecordedFilterForm, SelectionForm

#: Who sees the page (the director oversees the plan officer's letters) and who acts on it.
READERS = frozenset({Role.PLAN_OFFICER, Role.DIRECTOR})
ACTORS = frozenset({Role.PLAN_OFFICER})


def _back(area_code: str) -> HttpResponse:
    return redirect("reminders:today", area_code=area_code)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def today(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=READERS)
    day = timezone.localdate()
    filter_form = RecordedFilterForm(request.GET or None)
    rounds = selectors.literacy_rounds(office)
    groups = selectors.due_by_stage(office, day)
    return render(request, "reports/reminders/today.html", {
        "office": office,
        "today": day,
        "can_act": bool(roles_in(request.user, office) & ACTORS),
        "groups": groups,
        "due_count": sum(len(g.rows) for g in groups),
        "filter_form": filter_form,
        "page": selectors.recorded(office, **filter_form.filters(), page=request.GET.get("page", 1)),
        "status_counts": selectors.status_counts(office),
        "last_sweep": selectors.last_good_sweep(office),
        "sending": selectors.unfinished_send_now(office),
        "next_sweep": selectors.next_scheduled_sweep(),
        "stage_days": services.stage_settings(),
        "print_form": PrintForm(rounds=rounds),
        "current_round": selectors.current_round(rounds),
    })


def _selection(request: HttpRequest, office: Office) -> SelectionForm | None:
    """The ticked reminders, validated against what is due now; ``None`` (with a message) if refused."""
    tokens = request.POST.getlist("candidate")
    due = [c.token for c in services.due_reminders(office)] if tokens else []
    form = SelectionForm(request.POST, office=office, tokens=due)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return None
    return form


@login_required
@require_POST
def hold(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=ACTORS)
    form = _selection(request, office)
    if form is None:
        return _back(area_code)
    candidates, reminders = form.cleaned_data["candidate"], list(form.cleaned_data["reminder"])
    if not candidates and not reminders:
        messages.warning(request, _("Tick the reminders to hold first."))
        return _back(area_code)
    try:
        held = services.hold_selection(office, candidates, [r.pk for r in reminders], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s reminder(s) held: no sweep will send them until they are released.") % {"count": len(held)})
    return _back(area_code)


@login_required
@require_POST
def send(request: HttpRequest, area_code: str) -> HttpResponse:
    """Send the due reminders now (holding the ticked ones), after a confirmation step that says what will go.

    The sending is a job with progress (issue 17: about 1.2 s for the largest office): the confirmed POST queues
    a "send now" run (``services.request_send_now``) and leads to its page, which follows it and, once done,
    lists what was sent with the letters' numbers. While one is queued or running, a click leads to that one.
    """
    office = get_office_for_user(request.user, area_code, roles=ACTORS)
    running = services.running_send_now(office)
    if running is not None:
        messages.info(request, _("The reminders of this office are already being sent: here is how far it is."))
        return redirect("reminders:run", area_code=area_code, pk=running.pk)
    form = _selection(request, office)
    if form is None:
        return _back(area_code)
    plan = services.sending_preview(office, hold=form.cleaned_data["candidate"])
    if plan.refusal:  # nothing goes while the external letters among them cannot
        messages.error(request, plan.refusal)
        return _back(area_code)
    if not confirmed(request):
        what = []
        if plan.letters:
            what.append(ngettext("Send %(count)s letter, numbers %(first)s to %(last)s (the numbers are taken from the outgoing register when each is sent).",
                                 "Send %(count)s letters, numbers %(first)s to %(last)s (the numbers are taken from the outgoing register when each is sent).",
                                 plan.letters) % {"count": plan.letters, "first": plan.first_no, "last": plan.last_no})
        if plan.notices:
            what.append(ngettext("Send %(count)s notice in EMES and by e-mail.", "Send %(count)s notices in EMES and by e-mail.", plan.notices) % {"count": plan.notices})
        if plan.held:
            what.append(ngettext("Hold %(count)s reminder: it is not sent until released.", "Hold %(count)s reminders: they are not sent until released.", plan.held) % {"count": plan.held})
        if not what:
            what.append(_("Nothing is due now: no letter will be sent."))
        return confirm_page(request, title=_("Send the due reminders now?"), what=what, button=_("Send now"),
                            cancel_url=reverse("reminders:today", kwargs={"area_code": area_code}))
    run, created = services.request_send_now(office, by=request.user, hold=form.cleaned_data["candidate"])
    if created:
        messages.success(request, _("The due reminders are being sent: this page follows it and lists the letters once done."))
    else:
        messages.info(request, _("The reminders of this office are already being sent: here is how far it is."))
    return redirect("reminders:run", area_code=area_code, pk=run.pk)


def run_summary(run: SweepRun) -> str:
    """What a "send now" run did, in the words the reminders page used to say it ("" while it runs)."""
    if run.status == SweepRun.Status.OK:
        return _("%(created)s reminder(s) recorded and sent for delivery; %(held)s held.") % {"created": run.created, "held": len(run.hold)}
    if run.status == SweepRun.Status.FAILED:
        return _("The sweep failed: %(error)s") % {"error": run.error}
    return ""


def _run(request: HttpRequest, area_code: str, pk: int) -> SweepRun:
    office = get_office_for_user(request.user, area_code, roles=READERS)
    return get_object_or_404(SweepRun.objects.select_related("office", "requested_by"), office=office, pk=pk)


@login_required
@require_GET
def run(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """One "send now" run of the office: its progress (static/emes/reminder_run.js polls it) and, once done, the
    reminders it recorded with their status and letter numbers. Readers of the reminders page only; 404 else."""
    sweep_run = _run(request, area_code, pk)
    return render(request, "reports/reminders/run.html", {
        "office": sweep_run.office, "run": sweep_run, "summary": run_summary(sweep_run),
        "reminders": selectors.run_reminders(sweep_run) if sweep_run.is_finished else [],
    })


@login_required
@require_GET
def run_status(request: HttpRequest, area_code: str, pk: int) -> JsonResponse:
    """The progress of one "send now" run as JSON (status, progress %, finished, summary)."""
    sweep_run = _run(request, area_code, pk)
    return JsonResponse({"status": sweep_run.status, "status_display": sweep_run.get_status_display(),
                         "progress": sweep_run.progress, "finished": sweep_run.is_finished, "summary": run_summary(sweep_run)})


def _each(request: HttpRequest, area_code: str, action, done_message: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=ACTORS)
    form = _selection(request, office)
    if form is None:
        return _back(area_code)
    reminders = list(form.cleaned_data["reminder"])
    if not reminders:
        messages.warning(request, _("Choose a reminder first."))
        return _back(area_code)
    try:
        action(office, [r.pk for r in reminders], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message % {"count": len(reminders)})
    return _back(area_code)


@login_required
@require_POST
def release(request: HttpRequest, area_code: str) -> HttpResponse:
    return _each(request, area_code, services.release_reminders, _("%(count)s reminder(s) released and sent for delivery."))


@login_required
@require_POST
def retry(request: HttpRequest, area_code: str) -> HttpResponse:
    return _each(request, area_code, services.retry_reminders, _("%(count)s reminder(s) sent for delivery again."))


@login_required
@require_GET
def preview_letter(request: HttpRequest, area_code: str) -> HttpResponse:
    """A due candidate's letter (``?candidate=token``) or a recorded reminder's (``?reminder=id``) as a draft PDF."""
    office = get_office_for_user(request.user, area_code, roles=READERS)
    if "reminder" in request.GET:
        try:
            reminder_id = parse_id(request.GET.get("reminder"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(area_code)
        reminder = get_object_or_404(Reminder.objects.select_related("office", "letter"), office=office, pk=reminder_id)
        if reminder.letter is not None and reminder.letter.file:
            return redirect("letters:download", pk=reminder.letter.pk)
        try:
            return _pdf(services.preview_reminder_pdf(reminder), f"reminder-{reminder.pk}-draft.pdf")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(area_code)
    try:
        candidate, data = services.preview_candidate_pdf(office, request.GET.get("candidate", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(area_code)
    return _pdf(data, f"reminder-{office.area_code}-{candidate.stage}-draft.pdf")


@login_required
@require_GET
def print_letters(request: HttpRequest, area_code: str) -> HttpResponse:
    """One merged PDF of the registered letters to schools (default: the current literacy round's and today's)."""
    office = get_office_for_user(request.user, area_code, roles=READERS)
    form = PrintForm(request.GET, rounds=selectors.literacy_rounds(office))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}: {e}" if label else e)
        return _back(area_code)
    data = form.cleaned_data
    reminders = list(selectors.school_letters(
        office, today=timezone.localdate(), round_id=data["round"], kind=data["kind"],
        date_from=data["date_from"], date_to=data["date_to"], default=form.is_default,
    ))
    if not reminders:
        messages.warning(request, _("No registered letter to a school matches: nothing to print."))
        return _back(area_code)
    merged = merge_letter_pdfs(r.letter for r in reminders)
    return _pdf(merged, f"letters-{office.area_code}-{timezone.localdate():%Y%m%d}.pdf")
