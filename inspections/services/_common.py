"""Shared pieces of the inspection services: constants, the standards warning, locks, actor checks."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from emes.audit.services import record_transition
from emes.models import Division, Office
from emes.text import clean_text

from .. import standards
from ..access import can_manage_inspections
from ..models import FormDispatch, InspectionRound, Recommendation

RoundStatus = InspectionRound.Status
DispatchStatus = FormDispatch.Status
RecStatus = Recommendation.Status

#: Schedule fields of a round (``create_round`` / ``update_round`` ``data``).
SCHEDULE_FIELDS = (
    "kind", "title", "plan_sent_on", "coordination_meeting_on", "units_notified_on", "visit_starts_on", "visit_ends_on",
    "summary_meeting_on", "inspectors",
)
DATE_FIELDS = ("plan_sent_on", "coordination_meeting_on", "units_notified_on", "visit_starts_on", "visit_ends_on", "summary_meeting_on")
#: Evidence accepted for inspection answers and follow-up (issue 8): a subset of the quarterly reports' kinds.
EVIDENCE_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


class StandardsWarning(ValidationError):
    """The schedule breaks standards of the seed manual; ``checks`` are the :class:`standards.StandardCheck` at fault.

    Raised by ``create_round`` / ``update_round`` unless ``confirm=True``; nothing is saved then.
    """

    def __init__(self, checks: list[standards.StandardCheck]) -> None:
        super().__init__(_("This schedule breaks standards of the inspection manual. Check the warnings and confirm to save it anyway."), code="standards")
        self.checks = checks


# --- helpers -------------------------------------------------------------------------------------


def _require_manager(by, office: Office) -> None:
    if not can_manage_inspections(by, office):
        raise PermissionDenied(_("Only the plan officer or a supervisor manages inspection rounds."))


def _locked_round(round: InspectionRound) -> InspectionRound:
    return InspectionRound.objects.select_for_update().select_related("office").get(pk=round.pk)


def _move_round(round: InspectionRound, new: str, *, by, comment: str = "", extra: Iterable[str] = ()) -> InspectionRound:
    old = round.status
    round.status = new
    round.save(update_fields=["status", "updated_at", *extra])
    record_transition(round, by=by, from_status=old, to_status=new, comment=comment)
    return round


def _refuse_closed(round: InspectionRound) -> None:
    if round.status == RoundStatus.CLOSED:
        raise ValidationError(
            _("Round %(round)s is closed: nothing can be changed or answered any more.") % {"round": f"{round.number}/{round.fiscal_year}"},
            code="closed",
        )


def _divisions_of(office: Office, divisions: Iterable[Division | int]) -> list[Division]:
    ids = {d.pk if isinstance(d, Division) else int(d) for d in divisions}
    found = list(Division.objects.filter(office=office, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"divisions": _("Choose divisions of this office only.")}, code="division")
    return found


def _reason(text: str, field: str = "reason") -> str:
    text = clean_text(text, multiline=True)
    if not text:
        raise ValidationError({field: _("Give the reason.")}, code="reason")
    return text


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


def round_label(round: InspectionRound) -> str:
    return f"{round.number}/{round.fiscal_year}"


def _refuse_after_dispatch(round: InspectionRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(_("The forms of this round were dispatched: its issues and questions can no longer change."), code="dispatched")
