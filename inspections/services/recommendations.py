"""Inspectors' recommendations (ข้อเสนอแนะของผู้ตรวจราชการ) and their follow-up to closure, carried between rounds."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.uploads import removing_files_on_rollback

from emes.audit.services import record_transition
from emes.text import clean_text

from ..access import can_act_on, can_verify
from ..models import FollowUpAction, InspectionIssue, InspectionRound, Recommendation
from ._common import RecStatus, _divisions_of, _locked_round, _next_order, _reason, _require_manager, round_label
from .answers import _read_evidence, _save_file

# --- recommendations ----------------------------------------------------------------------------------


def _locked_rec(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().select_related("round__office").get(pk=rec.pk)


def _move_rec(rec: Recommendation, new: str, *, by, comment: str = "", follow_up: FollowUpAction | None = None,
              extra: Iterable[str] = ()) -> Recommendation:
    old = rec.status
    rec.status = new
    rec.save(update_fields=["status", "updated_at", *extra])
    record_transition(rec, by=by, from_status=old, to_status=new, comment=comment, follow_up=follow_up)
    return rec


def _clean_rec(round: InspectionRound, text: str, issue: InspectionIssue | int | None, due_on: dt.date | None) -> tuple[str, InspectionIssue | None]:
    errors = {}
    text = clean_text(text, multiline=True)
    if not text:
        errors["text"] = _("Type the recommendation.")
    if issue is not None:
        issue_id = issue.pk if isinstance(issue, InspectionIssue) else int(issue)
        issue = InspectionIssue.objects.filter(round=round, pk=issue_id).first()
        if issue is None:
            errors["issue"] = _("Choose an issue of this round.")
    if due_on is not None and not isinstance(due_on, dt.date):
        errors["due_on"] = _("Type the date as day/month/year in the Buddhist Era, e.g. 1/10/2568.")
    if errors:
        raise ValidationError(errors, code="recommendation")
    return text, issue


def add_recommendation(round: InspectionRound, *, by, text: str, issue: InspectionIssue | int | None = None, divisions: Iterable = (),
                       due_on: dt.date | None = None) -> Recommendation:
    """Record an inspector's recommendation (ข้อเสนอแนะของผู้ตรวจราชการ) with its responsible divisions and due date (open)."""
    _require_manager(by, round.office)
    text, issue = _clean_rec(round, text, issue, due_on)
    with transaction.atomic():
        current = _locked_round(round)
        chosen = _divisions_of(current.office, divisions)
        rec = Recommendation.objects.create(round=current, issue=issue, order=_next_order(current.recommendations), text=text, due_on=due_on, created_by=by)
        rec.divisions.set(chosen)
        record_transition(rec, by=by, from_status="", to_status=rec.status)
    return rec


def update_recommendation(rec: Recommendation, *, by, text: str, issue: InspectionIssue | int | None = None, divisions: Iterable = (),
                          due_on: dt.date | None = None) -> Recommendation:
    """Change the text, issue, responsible divisions or due date of a recommendation not yet closed or carried."""
    _require_manager(by, rec.round.office)
    text, issue = _clean_rec(rec.round, text, issue, due_on)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status in (RecStatus.CLOSED, RecStatus.CARRIED):
            raise ValidationError(_("This recommendation is %(status)s and can no longer change.") % {"status": current.get_status_display()}, code="state")
        chosen = _divisions_of(current.round.office, divisions)
        current.text, current.issue, current.due_on = text, issue, due_on
        current.save(update_fields=["text", "issue", "due_on", "updated_at"])
        current.divisions.set(chosen)
    return current


def _require_actor(by, rec: Recommendation) -> None:
    if not can_act_on(by, rec):
        raise PermissionDenied(_("Only the responsible divisions or the plan officer act on this recommendation."))


def add_follow_up(rec: Recommendation, *, by, text: str, file=None, to_status: str = "") -> FollowUpAction:
    """Record what was done about ``rec`` (with an optional evidence file), and optionally move it.

    ``to_status``: "" (an open recommendation then moves to in progress), ``in_progress`` or ``done``.
    Refused for a recommendation closed or carried; a file is checked like answer evidence.
    """
    _require_actor(by, rec)
    text = clean_text(text, multiline=True)
    if not text:
        raise ValidationError({"text": _("Say what was done.")}, code="required")
    if to_status not in ("", RecStatus.IN_PROGRESS, RecStatus.DONE):
        raise ValidationError({"to_status": _("A follow-up moves a recommendation to in progress or done only.")}, code="status")
    upload = _read_evidence(file) if file else None
    with removing_files_on_rollback():  # the stored file goes if the follow-up is refused
        current = _locked_rec(rec)
        if current.status not in (RecStatus.OPEN, RecStatus.IN_PROGRESS, RecStatus.DONE):
            raise ValidationError(_("This recommendation is %(status)s; reopen it first.") % {"status": current.get_status_display()}, code="state")
        new = to_status or (RecStatus.IN_PROGRESS if current.status == RecStatus.OPEN else "")
        if new == current.status:
            new = ""
        if new == RecStatus.IN_PROGRESS and current.status == RecStatus.DONE:
            raise ValidationError({"to_status": _("A recommendation marked done goes back to in progress only when the plan officer reopens it.")}, code="status")
        action = FollowUpAction(recommendation=current, text=text, by=by, from_status=current.status if new else "", to_status=new)
        if upload:
            _save_file(action, upload)
        else:
            action.save()
        if new:
            _move_rec(current, new, by=by, comment=text, follow_up=action)
    return action


def mark_done(rec: Recommendation, *, by, comment: str = "") -> Recommendation:
    """The responsible division (or a manager) says the recommendation is done; the plan officer then verifies it."""
    _require_actor(by, rec)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status not in (RecStatus.OPEN, RecStatus.IN_PROGRESS):
            raise ValidationError(_("Only an open or in-progress recommendation can be marked done (it is: %(status)s).") % {"status": current.get_status_display()}, code="state")
        return _move_rec(current, RecStatus.DONE, by=by, comment=clean_text(comment, multiline=True))


def verify_closed(rec: Recommendation, *, by, comment: str = "") -> Recommendation:
    """The plan officer verifies a done recommendation and closes it (ปิดข้อเสนอแนะ); only the plan officer."""
    if not can_verify(by, rec.round.office):
        raise PermissionDenied(_("Only the plan officer verifies and closes a recommendation."))
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status != RecStatus.DONE:
            raise ValidationError(_("Only a recommendation marked done can be verified and closed (it is: %(status)s).") % {"status": current.get_status_display()}, code="state")
        current.closed_at, current.closed_by = timezone.now(), by
        return _move_rec(current, RecStatus.CLOSED, by=by, comment=clean_text(comment, multiline=True), extra=["closed_at", "closed_by"])


def reopen_recommendation(rec: Recommendation, *, by, reason: str) -> Recommendation:
    """Send a done or closed recommendation back to in progress, with the reason (a manager)."""
    _require_manager(by, rec.round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_rec(rec)
        if current.status not in (RecStatus.DONE, RecStatus.CLOSED):
            raise ValidationError(_("Only a done or closed recommendation can be reopened."), code="state")
        current.closed_at, current.closed_by = None, None
        return _move_rec(current, RecStatus.IN_PROGRESS, by=by, comment=reason, extra=["closed_at", "closed_by"])


def carry_recommendations(from_round: InspectionRound, to_round: InspectionRound, *, by) -> list[Recommendation]:
    """Carry the recommendations of ``from_round`` not yet closed into ``to_round`` (a later round of the same office).

    Each becomes ``carried`` in its round and a copy (same text, divisions, due date and status, the issue
    mapped to ``to_round``'s copy of it when there is one) opens in ``to_round`` with ``carried_from``.
    Returns the new recommendations (none when nothing is left open).
    """
    _require_manager(by, to_round.office)
    if from_round.office_id != to_round.office_id or (from_round.fiscal_year, from_round.number) >= (to_round.fiscal_year, to_round.number):
        raise ValidationError({"to_round": _("Recommendations are carried into a later round of the same office.")}, code="round")
    created = []
    with transaction.atomic():
        target = _locked_round(to_round)
        issue_map = dict(target.issues.filter(copied_from__round=from_round).values_list("copied_from_id", "pk"))
        order = _next_order(target.recommendations)
        olds = list(Recommendation.objects.select_for_update().filter(round=from_round).still_open().order_by("order", "id"))
        for old in olds:
            new = Recommendation.objects.create(
                round=target, issue_id=issue_map.get(old.issue_id), order=order + len(created), text=old.text, due_on=old.due_on,
                status=old.status, carried_from=old, created_by=by,
            )
            new.divisions.set(old.divisions.all())
            record_transition(
                new, from_status="", to_status=new.status, by=by,
                comment=_("Carried from round %(round)s.") % {"round": round_label(from_round)},
            )
            _move_rec(old, RecStatus.CARRIED, by=by, comment=_("Carried into round %(round)s.") % {"round": round_label(target)})
            created.append(new)
    return created
