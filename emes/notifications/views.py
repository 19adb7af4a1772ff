"""The signed-in user's notifications: the list, mark one read (and follow its link), mark all read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Kind, Notification

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    # Unread first, then newest first.
    notifications = Notification.objects.for_user(request.user).order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "emes/notifications/list.html", {"page": page})


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.mark_read(request.user, pk)
    # Only links inside this site are followed; a stored absolute URL elsewhere is not an open redirect.
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """GET: which kinds of notification also come by e-mail (a checkbox each); POST: store the choice."""
    if request.method == "POST":
        services.set_email_choices(request.user, request.POST.getlist("email"))
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
    choices = services.email_choices(request.user)
    rows = [(kind, label, choices[kind]) for kind, label in Kind.choices]
    return render(request, "emes/notifications/preferences.html", {"rows": rows, "has_email": bool(request.user.email)})
