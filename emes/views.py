"""Kernel pages: the home page that leads each person to their office's work."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .access import offices_visible_to, roles_in
from .fiscal import fiscal_year_of
from .models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The offices the user works in, with their roles and the annual reports at hand.

    The annual report of FY N is prepared from October to January after the year ends
    (DESIGN.md), so the home page offers the two fiscal years that have ended.
    """
    current_fy = fiscal_year_of(timezone.localdate())
    offices = [
        {"office": office, "roles": [Role(r).label for r in sorted(roles_in(request.user, office))]}
        for office in offices_visible_to(request.user).order_by("area_code")[:50]
    ]
    return render(
        request,
        "emes/home.html",
        {"offices": offices, "current_fy": current_fy, "fiscal_years": [current_fy - 1, current_fy - 2]},
    )
