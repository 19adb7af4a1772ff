"""Office pages of the literacy assessment: the rounds, the status board and their actions.

Who gets what (``emes.access``; rule source: issue 6 and docs/roles-and-access.md):

- anonymous → the login page; anyone who is not staff of the office (another office's people,
  school accounts, even of this office) → 404, so nothing of the office is revealed;
- every staff member of the office reads the rounds list and the status board;
- the plan officer creates rounds (POST ``round-create``) and acts on a round (POST ``round-action``:
  open, close, reopen for chosen schools, update); any other staff member gets 403. A refused
  move (wrong state, missing reason, bad dates) is answered with a message and a redirect, and
  nothing changes.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emes.access import STAFF_ROLES, get_office_for_user
from emes.confirm import confirm_page, confirmed
from emes.models import Office
from emes.pagecache import cached_page
from emes.paging import paginate

from . import selectors, services
from .access import ROUND_MANAGERS, can_manage_rounds
from .models import LiteracyRound
from .office_forms import BoardFilterForm, OpenForm, ReopenForm, RoundForm, RoundUpdateForm


def _round_for(office: Office, pk: int) -> LiteracyRound:
    return get_object_or_404(LiteracyRound.objects.select_related("office", "created_by"), office=office, pk=pk)


def _apply_errors(form, exc: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form: keyed errors next to their field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _rounds_page(request: HttpRequest, office: Office, form: RoundForm, status: int = 200) -> HttpResponse:
    return render(request, "literacy/office/rounds.html", {
        "office": office,
        "rows": selectors.rounds_of_office(office),
        "form": form,
        "can_manage": can_manage_rounds(request.user, office),
    }, status=status)


@login_required
@require_GET
def rounds(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=STAFF_ROLES)
    used = set(LiteracyRound.objects.filter(office=office).values_list("academic_year", "number"))
    return _rounds_page(request, office, RoundForm.blank(used))


@login_required
@require_POST
def round_create(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=ROUND_MANAGERS)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            literacy_round = services.create_round(office, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Round %(number)s of academic year %(year)s was created. Open it (เปิดระบบ) when the schools may enter their results.") % {
                "number": literacy_round.number, "year": literacy_round.academic_year})
            return redirect("literacy:round", area_code=area_code, pk=literacy_round.pk)
    return _rounds_page(request, office, form, status=400)


def _board_context(request: HttpRequest, office: Office, literacy_round: LiteracyRound, **forms) -> dict:
    filter_form = BoardFilterForm(request.GET or None)
    board = selectors.status_board(literacy_round, **filter_form.filters())
    can_manage = can_manage_rounds(request.user, office)
    context = {
        "office": office, "round": literacy_round, "board": board, "filter_form": filter_form, "can_manage": can_manage,
        "page": paginate(request, board.rows),  # the counts above the table are over every school
        "open_form": forms.get("open_form") or OpenForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(schools=selectors.office_schools(office)),
        "update_form": forms.get("update_form") or RoundUpdateForm(initial={
            "opens_at": literacy_round.opens_at, "closes_at": literacy_round.closes_at,
            "grades": literacy_round.grades, "improvement_flag_pct": literacy_round.improvement_flag_pct,
        }),
        "grade_labels": [label for value, label in RoundForm.base_fields["grades"].choices if value in literacy_round.grades],
    }
    return context


@login_required
@require_GET
@cached_page
def round_board(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=STAFF_ROLES)
    literacy_round = _round_for(office, pk)
    return render(request, "literacy/office/board.html", _board_context(request, office, literacy_round))


@login_required
@require_POST
def round_action(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=STAFF_ROLES)
    literacy_round = _round_for(office, pk)
    if not can_manage_rounds(request.user, office):
        raise PermissionDenied
    action = request.POST.get("action")
    back = redirect("literacy:round", area_code=area_code, pk=literacy_round.pk)
    try:
        if action == "close" and literacy_round.status == LiteracyRound.Status.OPEN and not confirmed(request):
            board = selectors.status_board(literacy_round)
            return confirm_page(
                request, title=_("Close round %(number)s/%(year)s (ปิดระบบ)?") % {"number": literacy_round.number, "year": literacy_round.academic_year},
                what=[_("%(submitted)s of %(expected)s schools have submitted their results.") % {"submitted": board.submitted, "expected": board.expected},
                      _("The other %(missing)s schools will no longer be able to enter results, unless the window is reopened for them with a reason.") % {"missing": board.missing}],
                button=_("Close the round"), cancel_url=back.url, danger=bool(board.missing))
        if action == "close":
            services.close_round(literacy_round, by=request.user)
            messages.success(request, _("The round is closed (ปิดระบบ): schools can no longer enter results, except those it is reopened for."))
            return back
        if action == "open":
            name, form = "open_form", OpenForm(request.POST)
            if form.is_valid():
                services.open_round(literacy_round, by=request.user, closes_at=form.cleaned_data["closes_at"])
                messages.success(request, _("The round is open (เปิดระบบ): schools can enter their results."))
                return back
        elif action == "reopen":
            name, form = "reopen_form", ReopenForm(request.POST, schools=selectors.office_schools(office))
            if form.is_valid():
                done = services.reopen_for_schools(literacy_round, form.cleaned_data["schools"], by=request.user,
                                                   until=form.cleaned_data["until"], reason=form.cleaned_data["reason"])
                messages.success(request, _("The window is reopened for %(count)s school(s) only.") % {"count": len(done)})
                return back
        elif action == "update":
            name, form = "update_form", RoundUpdateForm(request.POST)
            if form.is_valid():
                services.update_round(literacy_round, by=request.user, **form.cleaned_data)
                messages.success(request, _("The round was saved."))
                return back
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except ValidationError as exc:
        if action == "close":
            messages.error(request, " ".join(exc.messages))
            return back
        _apply_errors(form, exc)
    messages.error(request, _("Nothing was changed: see the messages in the form."))
    literacy_round.refresh_from_db()
    return render(request, "literacy/office/board.html", _board_context(request, office, literacy_round, **{name: form}), status=400)
