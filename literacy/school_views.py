"""The school side of a literacy round: the round page, the form, the Excel template and its upload (issue 6).

Every view starts from :func:`literacy.submissions.get_round_for_school` (404 for another school or
office; 403 to write for staff other than the plan officer) and writes only through
:func:`literacy.submissions.save_submission`. An upload is read at once and its grades data kept in
the session under a random token until the school saves it from the preview (nothing is stored
before that).
"""
from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .access import can_enter_results
from .models import Submission
from .school_forms import ResultsForm
from emes.uploads import max_upload_bytes

from .school_workbook import ReadWorkbook, SchoolWorkbookError, build_template, read_template
from .submissions import (
    LEVELS, SKILLS, SubmissionInvalid, check_grades, get_round_for_school, grade_label,
    registry_enrolment, round_grades_for, save_submission, start_submission, submission_data,
)
from .window import deadline_for, window_open_for

SESSION_KEY = "literacy_uploads"


def _context(request: HttpRequest, school, literacy_round, **extra):
    submission = Submission.objects.filter(round=literacy_round, school=school).select_related("updated_by").first()
    return {
        "school": school, "round": literacy_round, "submission": submission,
        "deadline": deadline_for(literacy_round, school), "window_open": window_open_for(literacy_round, school),
        "can_enter": can_enter_results(request.user, school), **extra,
    }


@login_required
def round_page(request: HttpRequest, smis_code: str, round_pk: int) -> HttpResponse:
    school, literacy_round = get_round_for_school(request.user, smis_code, round_pk)
    context = _context(request, school, literacy_round)
    submission = context["submission"]
    changes = list(submission.changes.select_related("by").order_by("-at", "-id")) if submission else []
    return render(request, "literacy/school/round.html", {
        **context, "changes": changes, "last_change": changes[0] if changes else None,
        "grades": [grade_label(g) for g in round_grades_for(literacy_round, school)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, smis_code: str, round_pk: int) -> HttpResponse:
    school, literacy_round = get_round_for_school(request.user, smis_code, round_pk, write=True)
    context = _context(request, school, literacy_round)
    grades = round_grades_for(literacy_round, school)
    registry = registry_enrolment(school, literacy_round.academic_year)
    submission = context["submission"]
    if request.method == "POST":
        form = ResultsForm(request.POST, grades=grades, registry=registry)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                with transaction.atomic():  # a refused first save leaves no empty draft behind
                    submission = start_submission(literacy_round, school, by=request.user)
                    save_submission(submission, by=request.user, grades_data=form.grades_data(),
                                    expected_version=form.cleaned_data["version"], submit=submit)
            except SubmissionInvalid as error:
                form.show_errors(error.errors)
                messages.error(request, _("Nothing was saved: correct the figures marked in red."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                submission.refresh_from_db()
                if submission.status == Submission.Status.SUBMITTED and submit:
                    messages.success(request, _("The results were submitted to the office. You may still correct them until the deadline."))
                elif submission.status == Submission.Status.SUBMITTED:
                    messages.success(request, _("The correction was saved; the results stay submitted."))
                else:
                    messages.success(request, _("The draft was saved. Submit it when it is complete."))
                return redirect("literacy:school-round", smis_code=school.smis_code, round_pk=literacy_round.pk)
    else:
        version = submission.version if submission else 1
        form = ResultsForm(initial=ResultsForm.initial_for(grades, registry, submission_data(submission), version),
                           grades=grades, registry=registry)
    return render(request, "literacy/school/form.html", {**context, "form": form, "levels": [str(label) for _k, label in LEVELS]})


@login_required
def template_download(request: HttpRequest, smis_code: str, round_pk: int) -> HttpResponse:
    school, literacy_round = get_round_for_school(request.user, smis_code, round_pk, write=True)
    submission = Submission.objects.filter(round=literacy_round, school=school).first()
    data = build_template(literacy_round, school, submission_data(submission))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"literacy_{literacy_round.academic_year}_{literacy_round.number}_{school.smis_code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, smis_code: str, round_pk: int) -> HttpResponse:
    school, literacy_round = get_round_for_school(request.user, smis_code, round_pk, write=True)
    context = _context(request, school, literacy_round, max_mb=f"{max_upload_bytes() / 1024 / 1024:.0f}")
    problems = []
    if request.method == "POST":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            messages.error(request, _("Choose the filled-in template (.xlsx) to upload."))
        else:
            try:
                read = read_template(upload_file, literacy_round, school)
            except SchoolWorkbookError as error:
                problems = error.problems
            else:
                submission = context["submission"]
                token = secrets.token_urlsafe(16)
                uploads = {k: v for k, v in request.session.get(SESSION_KEY, {}).items()
                           if not (v["round"] == literacy_round.pk and v["school"] == school.pk)}  # one pending upload per round
                uploads[token] = {"round": literacy_round.pk, "school": school.pk, "grades": read.grades,
                                  "places": {k: list(v) for k, v in read.places.items()},
                                  "version": submission.version if submission else 1, "name": upload_file.name[:100]}
                request.session[SESSION_KEY] = uploads
                return redirect("literacy:school-upload-preview", smis_code=school.smis_code, round_pk=literacy_round.pk, token=token)
    return render(request, "literacy/school/upload.html", {**context, "problems": problems})


@login_required
@require_http_methods(["GET", "POST"])
def upload_preview(request: HttpRequest, smis_code: str, round_pk: int, token: str) -> HttpResponse:
    school, literacy_round = get_round_for_school(request.user, smis_code, round_pk, write=True)
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if not pending or pending["round"] != literacy_round.pk or pending["school"] != school.pk:
        messages.error(request, _("This upload is no longer waiting to be saved; upload the file again."))
        return redirect("literacy:school-upload", smis_code=school.smis_code, round_pk=literacy_round.pk)
    read = ReadWorkbook(grades=pending["grades"], places={k: tuple(v) for k, v in pending["places"].items()})
    context = _context(request, school, literacy_round)
    if request.method == "POST":
        submit = "submit" in request.POST
        try:
            with transaction.atomic():  # a refused first save leaves no empty draft behind
                submission = start_submission(literacy_round, school, by=request.user)
                save_submission(submission, by=request.user, grades_data=read.grades, expected_version=pending["version"],
                                submit=submit, uploaded=True, note=pending["name"])
        except SubmissionInvalid as error:
            problems = read.problems_for(error.errors)
            messages.error(request, _("Nothing was saved: correct the file and upload it again."))
        except ValidationError as error:
            problems = []
            messages.error(request, " ".join(error.messages))
        else:
            uploads = request.session.get(SESSION_KEY, {})
            uploads.pop(token, None)
            request.session[SESSION_KEY] = uploads
            messages.success(request, _("The results from the Excel file were saved.") if not submit else
                             _("The results from the Excel file were saved and submitted to the office."))
            return redirect("literacy:school-round", smis_code=school.smis_code, round_pk=literacy_round.pk)
    else:
        submission = context["submission"]
        complete = bool(submission and submission.status == Submission.Status.SUBMITTED)
        problems = read.problems_for(check_grades(literacy_round, school, read.grades, complete=complete).errors)
    checked = check_grades(literacy_round, school, read.grades, complete=False)
    return render(request, "literacy/school/upload_preview.html", {
        **context, "problems": problems, "rows": _preview_rows(read.grades), "file_name": pending["name"],
        "levels": [str(label) for _k, label in LEVELS], "token": token, "can_save": not problems and bool(checked.grades),
        "action_url": reverse("literacy:school-upload-preview", args=[school.smis_code, literacy_round.pk, token]),
    })


def _preview_rows(grades: list[dict]) -> list[dict]:
    return [{
        "label": grade_label(str(g.get("grade"))) or g.get("grade"),
        "counts": [g.get(k) for k in ("enrolled", "assessed", "special_needs", "absent")], "reason": g.get("enrolled_reason"),
        "skills": [(label, (g.get("skills") or {}).get(skill) or []) for skill, label in SKILLS],
    } for g in grades]
