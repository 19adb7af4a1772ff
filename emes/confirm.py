"""A server-side confirmation step for official actions (issue 17, "Nothing official by a stray click").

A view whose POST does something official (sends letters, closes a round, accepts, approves, reopens,
publishes) first asks :func:`confirmed`; when the POST lacks ``confirm=yes`` it answers with
:func:`confirm_page`: a page that says exactly what will happen and repeats the same POST, with
``confirm=yes`` added, behind a button. Without JavaScript the step is the same: nothing happens on the
first click. Commands, the admin and tasks call the services directly and are not concerned.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request: HttpRequest) -> bool:
    """Whether the POST carries the confirmation (``confirm=yes``) of :func:`confirm_page`."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(request: HttpRequest, *, title: str, what: Sequence[str], button: str, cancel_url: str,
                 danger: bool = False, action: str = "") -> HttpResponse:
    """The page asking to confirm the current POST.

    ``title``: the question (Thai); ``what``: sentences saying what will happen (numbers, names, letter
    numbers); ``button``: the label of the confirming button; ``cancel_url``: where "cancel" goes;
    ``action``: the URL to post to (default: the same). The POST's fields (not files, not the CSRF token)
    are repeated as hidden inputs, so the confirmed request is the same request plus ``confirm=yes``.
    """
    fields = [
        (name, value) for name, values in request.POST.lists() if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    return render(request, "emes/confirm.html", {
        "title": title, "what": list(what), "button": button, "cancel_url": cancel_url, "danger": danger,
        "fields": fields, "action": action or request.get_full_path(), "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
    })
