"""Who is told when an inspection form is returned or a closed round reopened (issue 17, "People are told").

The people of a unit are those who answer its form (``FormDispatch.objects.for_unit_user``): the school's
accounts for a school, the division's heads and project owners for a division. Called inside the transitions.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from emes.models import Role
from emes.notifications.models import Kind
from emes.notifications.services import notify_people

from .models import FormDispatch


def unit_people(dispatches: Iterable[FormDispatch]):
    """Active users who answer any of ``dispatches`` (one query)."""
    schools = {d.school_id for d in dispatches if d.school_id}
    divisions = {d.division_id for d in dispatches if d.division_id}
    q = Q(memberships__role=Role.SCHOOL, memberships__school_id__in=schools) | Q(
        memberships__role__in=[Role.DIVISION_HEAD, Role.PROJECT_OWNER], memberships__division_id__in=divisions)
    return get_user_model().objects.filter(q, is_active=True).distinct().order_by("pk")


def dispatch_returned(dispatch: FormDispatch, *, by, reason: str) -> None:
    round = dispatch.round
    with translation.override(settings.LANGUAGE_CODE):
        notify_people(unit_people([dispatch]), kind=Kind.RETURNED, office=round.office, exclude=by,
                      url=reverse("inspections:answer", kwargs={"pk": dispatch.pk}),
                      title=_("Inspection form returned for revision: %(round)s") % {"round": round},
                      body=_("Returned by %(who)s: %(comment)s") % {"who": by.get_full_name() or by.username, "comment": reason})


def round_reopened(round, *, by, reason: str) -> None:
    dispatches = list(FormDispatch.objects.filter(round=round))
    with translation.override(settings.LANGUAGE_CODE):
        notify_people(unit_people(dispatches), kind=Kind.WINDOW_REOPENED, office=round.office, exclude=by,
                      url=reverse("inspections:my-forms"),
                      title=_("Inspection round reopened for answers: %(round)s") % {"round": round},
                      body=_("Reopened by %(who)s. Reason: %(reason)s") % {"who": by.get_full_name() or by.username, "reason": reason})
