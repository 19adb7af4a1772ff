"""Respondents who have not answered an open evaluation: the ``evaluation`` obligations (docs/evaluation.md, docs/obligations.md).

Registered in the core's registry (``emes.obligations``) by ``EvaluationConfig.ready()``. Rule:

- open evaluations whose window has opened (``opens_on`` on or before the day) and not ended before it;
- owed by every respondent (an EMES user asked to answer) without a response; due the window's last day;
- reminders: a NOTICE only (in-app and e-mail to the person) before the window closes. No letters: an
  evaluation asks for an opinion, not a report the office is owed; and anonymous respondents are never reminded
  (they are unknown by design).

Four queries whatever the number of respondents.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from emes.models import Office
from emes.obligations import NOTICE, Obligation, person_recipient, working_calendars

from .models import Evaluation, Respondent, Response

KIND = "evaluation"


def unanswered_evaluations(*, office: Office | None, user, on: dt.date) -> list[Obligation]:
    """The ``evaluation`` obligations open on ``on`` (module docstring); ``user``: only theirs."""
    evaluations = Evaluation.objects.filter(status=Evaluation.Status.OPEN, opens_on__lte=on, closes_on__gte=on)
    if office is not None:
        evaluations = evaluations.filter(office=office)
    respondents = Respondent.objects.filter(evaluation__in=evaluations).select_related("user", "evaluation", "evaluation__office")
    if user is not None:
        respondents = respondents.filter(user=user)
    respondents = list(respondents.filter(user__is_active=True).order_by("evaluation_id", "user_id"))
    if not respondents:
        return []
    answered = set(Response.objects.filter(evaluation_id__in={r.evaluation_id for r in respondents}, user__isnull=False)
                   .values_list("evaluation_id", "user_id"))
    calendars = working_calendars({r.evaluation.office_id for r in respondents})
    out = []
    for r in respondents:
        if (r.evaluation_id, r.user_id) in answered:
            continue
        ev = r.evaluation
        subject = _("Evaluation: %(title)s") % {"title": ev.title}
        out.append(Obligation(
            kind=KIND, key=f"{KIND}:evaluation={ev.pk}:user={r.user_id}", office=ev.office, due_on=ev.closes_on, opens_on=ev.opens_on,
            subject=subject,
            facts={"subject": subject, "what": subject, "due_on": ev.closes_on.isoformat(), "evaluation_id": ev.pk,
                   "days_late": max(calendars[ev.office_id].working_days_between(ev.closes_on, on), 0)},
            url=reverse("evaluation:answer", args=[ev.pk]),
            recipients={NOTICE: (person_recipient(r.user),)},
            users=frozenset({r.user_id}), status_label=_("Not answered"), target=ev,
        ))
    return out
