"""People pages (plan officer; director read-only) and the account pages (password change and reset).

Each view: scoped lookup (``get_office_for_user``: outsider 404, member without the role 403)
→ form → service → message → redirect.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import REGISTRY_READER_ROLES, REGISTRY_ROLES, can_manage_registry, get_office_for_user
from emes.models import Office, Profile

from . import selectors, services, throttle
from .forms import AddMembershipForm, AddPersonForm, EmesPasswordChangeForm


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------
def _people_page(request: HttpRequest, office: Office, add_form: AddMembershipForm | None = None) -> HttpResponse:
    can_manage = can_manage_registry(request.user, office)
    if can_manage and add_form is None:
        add_form = AddMembershipForm(office=office)
    return render(
        request,
        "emes/people/people.html",
        {
            "office": office,
            "people": selectors.office_people(office),
            "school_login_count": selectors.count_school_logins(office),
            "can_manage": can_manage,
            "add_form": add_form if can_manage else None,
            "history": selectors.office_history(office),
        },
    )


@login_required
@require_GET
def people(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_READER_ROLES)
    return _people_page(request, office)


@login_required
@require_POST
def add_membership(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    form = AddMembershipForm(request.POST, office=office)
    if form.is_valid():
        try:
            membership = services.add_membership(
                office, user=form.user, role=form.cleaned_data["role"], division=form.cleaned_data["division"],
                school=form.cleaned_data["school"], by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.") % {"name": form.user.get_full_name() or form.user.username, "role": membership.get_role_display()},
            )
            return redirect("people:people", area_code=office.area_code)
    return _people_page(request, office, add_form=form)


@login_required
@require_POST
def remove_membership(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    membership = get_object_or_404(office.memberships.select_related("user"), pk=pk)
    try:
        services.remove_membership(membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer holds the role %(role)s.")
            % {"name": membership.user.get_full_name() or membership.user.username, "role": membership.get_role_display()},
        )
    return redirect("people:people", area_code=office.area_code)


@login_required
@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    form = AddPersonForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_staff_user(office, **form.cleaned_data, by=request.user, site_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added; a link to set the password was sent to %(email)s.")
                % {"name": user.get_full_name(), "email": user.email},
            )
            return redirect("people:people", area_code=office.area_code)
    return render(request, "emes/people/add_person.html", {"office": office, "form": form})


# --------------------------------------------------------------------------------------------
# School accounts
# --------------------------------------------------------------------------------------------
@login_required
@require_GET
def school_accounts(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_READER_ROLES)
    rows, summary = selectors.school_logins(office)
    batches = office.school_account_batches.select_related("created_by")[:50]
    return render(
        request,
        "emes/people/school_accounts.html",
        {"office": office, "rows": rows, "summary": summary, "batches": batches, "can_manage": can_manage_registry(request.user, office)},
    )


def _login_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("login"))


@login_required
@require_POST
def generate_school_accounts(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    try:
        batch = services.create_school_accounts(office, by=request.user, login_url=_login_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Accounts were created for %(count)s schools. Download the PDF of batch %(batch)s and hand each school its slip.")
            % {"count": batch.accounts, "batch": batch.pk},
        )
    return redirect("people:school-accounts", area_code=office.area_code)


@login_required
@require_POST
def reset_school_password(request: HttpRequest, area_code: str, smis_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    school = get_object_or_404(office.schools, smis_code=smis_code)
    try:
        batch = services.create_school_accounts(
            office, by=request.user, schools=[school], reset_existing=True, login_url=_login_url(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(school)s has a new one-time password: download the slip of batch %(batch)s.")
            % {"school": services.school_display_name(school), "batch": batch.pk},
        )
    return redirect("people:school-accounts", area_code=office.area_code)


def _download(request: HttpRequest, area_code: str, pk: int, kind: str) -> FileResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_READER_ROLES)
    batch = get_object_or_404(office.school_account_batches, pk=pk)
    file = getattr(batch, kind)
    if not file:
        raise Http404("no file")
    content_type = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[kind]
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=f"school-accounts-{office.area_code}-{batch.pk}.{kind}", content_type=content_type
    )
    response["Cache-Control"] = "no-store"  # one-time passwords: no copy in a shared browser cache
    return response


@login_required
@require_GET
def download_batch_pdf(request: HttpRequest, area_code: str, pk: int) -> FileResponse:
    return _download(request, area_code, pk, "pdf")


@login_required
@require_GET
def download_batch_xlsx(request: HttpRequest, area_code: str, pk: int) -> FileResponse:
    return _download(request, area_code, pk, "xlsx")


# --------------------------------------------------------------------------------------------
# Account pages: password change and reset
# --------------------------------------------------------------------------------------------
def _must_change(user) -> bool:
    return Profile.objects.filter(user=user, must_change_password=True).exists()


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; forced (with an explanation) while it is a one-time password."""
    forced = _must_change(request.user)
    form = EmesPasswordChangeForm(request.user, request.POST or None, one_time=forced)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(request.user, form.cleaned_data["new_password1"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            update_session_auth_hash(request, request.user)  # stay logged in with the new password
            messages.success(request, _("Your password has been changed."))
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                target = reverse("home")
            return redirect(target)
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form, "forced": forced, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@login_required
@require_GET
def password_change_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_change_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link page; the new password goes through ``change_password`` (clears the one-time flag)."""

    def form_valid(self, form):
        try:
            services.change_password(form.user, form.cleaned_data["new_password1"], by=form.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot your password" page, throttled per e-mail address and per client address.

    Over the limit (``emes.people.throttle.allow_password_reset``) no mail is sent and the user goes to
    the same "check your email" page with one message, the same whether or not an account uses the
    address.
    """

    def form_valid(self, form):
        if not throttle.allow_password_reset(form.cleaned_data["email"], throttle.client_ip(self.request)):
            messages.warning(
                self.request,
                _(
                    "Too many requests for a new password from this address or this device. "
                    "Please try again in %(minutes)s minutes. A link already sent still works."
                )
                % {"minutes": settings.EMES_PASSWORD_RESET_WINDOW_MINUTES},
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
