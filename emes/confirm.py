"""A server-side confirmation step for official actions (issue 17, "Nothing official by a stray click").

A view whose POST does something official (sends letters, closes a round, accepts, approves, reopens,
publishes) first asks :func:`confirmed`; when the POST lacks ``confirm=yes`` it answers with
:func:`confirm_page`: a page that says exactly what will happen and repeats the same POST, with
``confirm=yes`` added, behind a button. Without JavaScript the step is the same: nothing happens on the
first click. Commands and tasks call the services directly and are not concerned; the admin's official bulk
actions ask the same way with :func:`admin_confirm_page` and act only when :func:`admin_confirmed`.
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


# --- The admin's variant: an official bulk action asks first, like Django's own delete_selected. ---------------------

ADMIN_CONFIRM_FIELD = "post"  # Django's own marker of a confirmed action (delete_selected posts post=yes)


def admin_confirmed(request: HttpRequest) -> bool:
    """Whether an admin action's POST comes from the confirming button of :func:`admin_confirm_page` (``post=yes``)."""
    return request.method == "POST" and request.POST.get(ADMIN_CONFIRM_FIELD) == CONFIRM_VALUE


def _action_name(request: HttpRequest) -> str:
    """The chosen action of the changelist's POST (the admin has two action bars; ``index`` says which was used)."""
    names = request.POST.getlist("action")
    try:
        return names[int(request.POST.get("index", 0))]
    except (IndexError, ValueError):
        return names[0] if names else ""


def admin_confirm_page(modeladmin, request: HttpRequest, queryset, *, title: str, what: Sequence[str], button: str,
                       items: Sequence[str] | None = None, form=None, danger: bool = False) -> HttpResponse | None:
    """The admin page asking to confirm a bulk action on ``queryset`` (issue 17): the action calls it on the first POST
    and returns its answer, and acts only when :func:`admin_confirmed`.

    The page keeps the admin's look (``admin/base_site.html``) and shows ``title`` (the question, Thai), ``what``
    (sentences saying what will happen, with the count), the selected rows (``items``: one label per row, in the
    queryset's order; default ``str(row)``) and their number, an optional ``form`` (e.g. a required comment) and a
    confirming ``button`` that posts the same action with exactly the listed ids (``_selected_action``),
    ``action``, ``index`` and ``post=yes``; "cancel" goes back to the changelist (its filters kept). When the
    selection holds no row the user may act on, it says so in a message and answers ``None`` (back to the list).
    Nothing is changed here: permissions and the services' checks stay in the action.
    """
    from django.contrib import messages
    from django.contrib.admin import helpers
    from django.template.response import TemplateResponse
    from django.utils.translation import gettext as _

    rows = list(queryset)
    if not rows:
        modeladmin.message_user(request, _("None of the selected rows can be acted on here."), messages.WARNING)
        return None
    labels = list(items) if items is not None else [str(row) for row in rows]
    back = request.get_full_path()
    return TemplateResponse(request, "emes/admin_confirm.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title, "what": list(what), "button": button, "items": labels, "form": form, "danger": danger,
        "count_line": _("The %(n)s selected rows:") % {"n": len(rows)},
        "pks": [row.pk for row in rows], "action_name": _action_name(request),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME, "confirm_field": ADMIN_CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE, "action_url": back, "cancel_url": back, "opts": modeladmin.model._meta,
    })
