"""A unit's answers and evidence files: drafts, submission, return for revision."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import fields as shared_fields
from emes.uploads import EvidenceFile, read_evidence, removing_files_on_rollback, save_file

from emes.audit.services import record_transition
from emes.text import clean_text

from .. import notices
from ..access import can_answer
from ..models import AnswerEvidence, AnswerKind, FormAnswer, FormDispatch, Question
from ._common import DispatchStatus, EVIDENCE_TYPES, _reason, _refuse_closed, _require_manager

# --- answers ---------------------------------------------------------------------------------------

def parse_number(raw: str) -> Decimal | None:
    """A typed number (Thai or Arabic digits, thousands commas, spaces) as Decimal; None when blank; ValueError if not a number.

    The reading is the shared one of ``emes.fields.parse_number``; a value of 10^12 or more does not fit the columns.
    """
    try:
        value = shared_fields.parse_number(raw)
    except ValidationError:
        raise ValueError(raw) from None
    if value is not None and abs(value) >= Decimal("1e12"):
        raise ValueError(raw)
    return value


def _parse_answers(questions: list[Question], data: Mapping[str, Any]) -> tuple[dict[int, dict[str, Any]], dict[str, str]]:
    """Parse the raw form values ``data`` (keys ``q<id>``) per question kind; returns (values per question id, errors per key)."""
    values: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for q in questions:
        key = f"q{q.pk}"
        if q.kind == AnswerKind.FILE or key not in data:
            continue
        raw = data.get(key)
        raw = "" if raw is None else str(raw)
        label = {"n": q.order}
        if q.kind == AnswerKind.NUMBER:
            try:
                number = parse_number(raw)
            except (ValueError, InvalidOperation):
                errors[key] = _("Question %(n)s expects a number (e.g. 85 or 85.5); words go in the questions that ask for text.") % label
                continue
            # The range of the question's unit (a count ≥ 0 and whole, a percentage 0-100): issue 13 item 7.
            problem = shared_fields.number_problem(number, q.answer_rule())
            if problem:
                errors[key] = _("Question %(n)s: %(problem)s") % {**label, "problem": problem}
                continue
            values[q.pk] = {"number_value": number, "bool_value": None, "text_value": ""}
        elif q.kind == AnswerKind.YES_NO:
            choice = raw.strip().lower()
            if choice not in ("", "yes", "no"):
                errors[key] = _("Question %(n)s is answered yes or no.") % label
                continue
            values[q.pk] = {"number_value": None, "bool_value": {"yes": True, "no": False}.get(choice), "text_value": ""}
        else:
            text = clean_text(raw, multiline=True)
            try:
                is_number = text != "" and parse_number(text) is not None
            except (ValueError, InvalidOperation):
                is_number = False
            if is_number:
                errors[key] = _("Question %(n)s asks for a description in words, not only a number.") % label
                continue
            values[q.pk] = {"number_value": None, "bool_value": None, "text_value": text}
    return values, errors


def _locked_dispatch(dispatch: FormDispatch) -> FormDispatch:
    return FormDispatch.objects.select_for_update().select_related("round__office").get(pk=dispatch.pk)


def _require_answerer(by, dispatch: FormDispatch) -> None:
    if not can_answer(by, dispatch):
        raise PermissionDenied(_("Only the unit the form was sent to may answer it."))


def _refuse_unwritable(dispatch: FormDispatch) -> None:
    _refuse_closed(dispatch.round)
    if dispatch.status == DispatchStatus.SUBMITTED:
        raise ValidationError(_("This form was submitted; ask the plan officer to return it if something must change."), code="submitted")


def _store_answers(dispatch: FormDispatch, values: dict[int, dict[str, Any]]) -> None:
    existing = {a.question_id: a for a in dispatch.answers.all()}
    new, changed = [], []
    for qid, fields in values.items():
        answer = existing.get(qid)
        if answer is None:
            new.append(FormAnswer(dispatch=dispatch, question_id=qid, **fields))
        else:
            for k, v in fields.items():
                setattr(answer, k, v)
            changed.append(answer)
    FormAnswer.objects.bulk_create(new)
    if changed:
        now = timezone.now()
        for a in changed:
            a.updated_at = now
        FormAnswer.objects.bulk_update(changed, ["number_value", "bool_value", "text_value", "updated_at"])


def save_answers(dispatch: FormDispatch, data: Mapping[str, Any], *, by) -> FormDispatch:
    """Save the unit's answers as a draft. ``data`` maps ``"q<question id>"`` to the typed value (str):

    a number question takes a number (Thai digits and thousands commas accepted), a yes/no question
    ``"yes"``/``"no"``/``""``, a text question words (a bare number is refused: issue 8). Every wrong
    answer is reported under its key (``ValidationError`` dict, Thai) and nothing is saved. Refused after
    the round is closed or the form submitted.
    """
    _require_answerer(by, dispatch)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        questions = list(current.round.questions.select_related("indicator"))
        values, errors = _parse_answers(questions, data)
        if errors:
            raise ValidationError(errors, code="answers")
        _store_answers(current, values)
        current.status = DispatchStatus.DRAFT
        current.updated_by = by
        current.save(update_fields=["status", "updated_by", "updated_at"])
    return current


def missing_answers(dispatch: FormDispatch) -> list[Question]:
    """Required questions of the dispatch's form not answered yet (a file question needs a file attached to it)."""
    answers = {a.question_id: a for a in dispatch.answers.select_related("question")}
    with_files = set(dispatch.evidence.exclude(question__isnull=True).values_list("question_id", flat=True))
    missing = []
    for q in dispatch.round.questions.all():
        if not q.required:
            continue
        if q.kind == AnswerKind.FILE:
            if q.pk not in with_files:
                missing.append(q)
            continue
        a = answers.get(q.pk)
        if a is None or a.value is None:
            missing.append(q)
    return missing


def submit_answers(dispatch: FormDispatch, data: Mapping[str, Any] | None = None, *, by, now: dt.datetime | None = None) -> FormDispatch:
    """Save ``data`` (as :func:`save_answers`) and submit the form; refused while a required question is unanswered.

    A submission after ``due_on`` is accepted and shown late. Refused after the round is closed.
    """
    _require_answerer(by, dispatch)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        if data:
            values, errors = _parse_answers(list(current.round.questions.select_related("indicator")), data)
            if errors:
                raise ValidationError(errors, code="answers")
            _store_answers(current, values)
        missing = missing_answers(current)
        if missing:
            raise ValidationError(
                {f"q{q.pk}": _("Question %(n)s must be answered before the form is submitted.") % {"n": q.order} for q in missing},
                code="missing",
            )
        current.status = DispatchStatus.SUBMITTED
        current.submitted_at = now or timezone.now()
        current.submitted_by = by
        current.updated_by = by
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_by", "updated_at"])
    return current


def return_dispatch(dispatch: FormDispatch, *, by, reason: str) -> FormDispatch:
    """Give a submitted form back to its unit as a draft (a manager, with the reason; the round must be open)."""
    _require_manager(by, dispatch.round.office)
    reason = _reason(reason)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_closed(current.round)
        if current.status != DispatchStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted form can be returned."), code="state")
        current.status = DispatchStatus.DRAFT
        current.submitted_at = None
        current.submitted_by = None
        current.updated_by = by
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_by", "updated_at"])
        record_transition(
            current.round, from_status=current.round.status, to_status=current.round.status, by=by,
            comment=_("Form of %(unit)s returned: %(reason)s") % {"unit": current.unit_name, "reason": reason},
        )
        notices.dispatch_returned(current, by=by, reason=reason)
    return current


# --- evidence files -----------------------------------------------------------------------------------


def _read_evidence(file) -> EvidenceFile:
    """Check an uploaded evidence ``file`` (:func:`emes.uploads.read_evidence`, the quarterly reports' rule); raises
    ``ValidationError`` under ``file``. Types: PDF, JPEG, PNG, DOCX, XLSX, told by the content; at most ``EMES_EVIDENCE_MAX_BYTES``."""
    try:
        return read_evidence(file, kinds=EVIDENCE_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code=exc.code) from None


def _save_file(row, upload: EvidenceFile) -> None:
    """Store ``upload`` in ``row.file`` and save the row; the file goes if the enclosing transaction rolls back."""
    row.original_name, row.content_type, row.size = upload.name, upload.content_type, len(upload.data)
    save_file(row.file, upload.stored_name, ContentFile(upload.data))
    row.save()


def add_answer_evidence(dispatch: FormDispatch, file, *, by, question: Question | None = None) -> AnswerEvidence:
    """Attach an evidence file to the unit's answers (to a question of the form, or to the form as a whole).

    Refused (Thai ``ValidationError``, nothing stored) for a wrong type or size, a question of another
    round, a submitted form or a closed round.
    """
    _require_answerer(by, dispatch)
    upload = _read_evidence(file)
    with removing_files_on_rollback():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        if question is not None and question.round_id != current.round_id:
            raise ValidationError({"question": _("Choose a question of this form.")}, code="question")
        if question is not None and question.kind != AnswerKind.FILE:
            # The answer page lists files only under evidence-file questions: a file on a text (number,
            # yes/no) question would never be seen again by the unit. Refused where every writer passes.
            raise ValidationError({"question": _("This question takes no file; attach the file to an evidence-file question or to the form as a whole.")}, code="question")
        row = AnswerEvidence(dispatch=current, question=question, uploaded_by=by)
        _save_file(row, upload)
        if current.status == DispatchStatus.NOT_STARTED:
            current.status = DispatchStatus.DRAFT
            current.save(update_fields=["status", "updated_at"])
    return row


def save_answers_with_evidence(dispatch: FormDispatch, data: Mapping[str, Any], file, *, by, question: Question | None = None,
                               submit: bool = False) -> tuple[FormDispatch, AnswerEvidence]:
    """Save the unit's typed answers as a draft and attach ``file`` in one go (the answer page's "Attach" button).

    ``data`` as :func:`save_answers`, ``file`` and ``question`` as :func:`add_answer_evidence`; with
    ``submit`` the form is then submitted (:func:`submit_answers`). All or nothing: a wrong answer (errors
    under its ``q<id>`` key), a refused file (under ``file`` / ``question``) or a missing required answer
    raises ``ValidationError`` and neither the answers nor the file are stored. Returns (dispatch, evidence).
    """
    with removing_files_on_rollback():
        current = save_answers(dispatch, data, by=by)
        evidence = add_answer_evidence(current, file, by=by, question=question)
        if submit:
            current = submit_answers(current, by=by)
    return current, evidence


def remove_answer_evidence(evidence: AnswerEvidence, *, by) -> None:
    """Delete an evidence file of a form not yet submitted (the stored file goes once the deletion is committed)."""
    _require_answerer(by, evidence.dispatch)
    with transaction.atomic():
        _refuse_unwritable(_locked_dispatch(evidence.dispatch))
        storage, path = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(path))
