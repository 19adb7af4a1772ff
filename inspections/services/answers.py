"""A unit's answers and evidence files: drafts, submission, return for revision."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.audit.services import record_transition
from plans.monitoring.services import EVIDENCE_KINDS, evidence_kind, evidence_max_bytes, sanitise_filename

from ..access import may_answer
from ..models import AnswerEvidence, AnswerKind, FormAnswer, FormDispatch, Question
from ._common import DispatchStatus, EVIDENCE_EXTENSIONS, EVIDENCE_TYPES, _reason, _refuse_closed, _require_manager

# --- answers ---------------------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(raw: str) -> Decimal | None:
    """A typed number (Thai or Arabic digits, thousands commas, spaces) as Decimal; None when blank; ValueError if not a number."""
    text = (raw or "").translate(_THAI_DIGITS).replace(",", "").replace(" ", "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    value = Decimal(text)
    if abs(value) >= Decimal("1e12"):
        raise ValueError(text)
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
            values[q.pk] = {"number_value": number, "bool_value": None, "text_value": ""}
        elif q.kind == AnswerKind.YES_NO:
            choice = raw.strip().lower()
            if choice not in ("", "yes", "no"):
                errors[key] = _("Question %(n)s is answered yes or no.") % label
                continue
            values[q.pk] = {"number_value": None, "bool_value": {"yes": True, "no": False}.get(choice), "text_value": ""}
        else:
            text = raw.strip()
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
    if not may_answer(by, dispatch):
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
        questions = list(current.round.questions.all())
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
            values, errors = _parse_answers(list(current.round.questions.all()), data)
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
    return current


# --- evidence files -----------------------------------------------------------------------------------


def _read_evidence(file) -> tuple[bytes, str, str, str]:
    """Check an uploaded evidence ``file``; returns (data, display name, content type, extension) or raises ``ValidationError``.

    Types: PDF, JPEG, PNG, DOCX, XLSX, told by the content (the extension must agree); at most
    ``EMES_EVIDENCE_MAX_BYTES`` (default 10 MB) — the quarterly reports' rule (``plans.monitoring.services``).
    """
    limit = evidence_max_bytes()
    size = getattr(file, "size", None)
    too_big = _("The file is %(size)s MB; evidence files may be at most %(limit)s MB.")
    if size is not None and size > limit:
        raise ValidationError({"file": too_big % {"size": f"{size / 1048576:,.1f}", "limit": f"{limit / 1048576:,.0f}"}}, code="size")
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": too_big % {"size": f"{len(data) / 1048576:,.1f}", "limit": f"{limit / 1048576:,.0f}"}}, code="size")
    if not data:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    name = sanitise_filename(getattr(file, "name", "") or "")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = evidence_kind(data)
    if kind not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": _("This file is not one of the accepted types (%(types)s), judging by its content.") % {"types": ", ".join(EVIDENCE_EXTENSIONS)}},
            code="type",
        )
    mime, extensions = EVIDENCE_KINDS[kind]
    if ext not in extensions:
        raise ValidationError(
            {"file": _("The file's content is %(kind)s but its name ends in .%(ext)s: rename it to .%(right)s or upload the right file.")
             % {"kind": kind.upper(), "ext": ext or "-", "right": extensions[0]}},
            code="renamed",
        )
    return data, name or f"evidence.{ext}", mime, ext


def _save_file(row, data: bytes, ext: str) -> None:
    row.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    path = row.file.name
    try:
        row.save()
    except Exception:  # a refused row must not leave its file behind
        row.file.storage.delete(path)
        raise


def add_answer_evidence(dispatch: FormDispatch, file, *, by, question: Question | None = None) -> AnswerEvidence:
    """Attach an evidence file to the unit's answers (to a question of the form, or to the form as a whole).

    Refused (Thai ``ValidationError``, nothing stored) for a wrong type or size, a question of another
    round, a submitted form or a closed round.
    """
    _require_answerer(by, dispatch)
    data, name, mime, ext = _read_evidence(file)
    with transaction.atomic():
        current = _locked_dispatch(dispatch)
        _refuse_unwritable(current)
        if question is not None and question.round_id != current.round_id:
            raise ValidationError({"question": _("Choose a question of this form.")}, code="question")
        row = AnswerEvidence(dispatch=current, question=question, original_name=name, content_type=mime, size=len(data), uploaded_by=by)
        _save_file(row, data, ext)
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
    stored = None
    try:
        with transaction.atomic():
            current = save_answers(dispatch, data, by=by)
            evidence = add_answer_evidence(current, file, by=by, question=question)
            stored = (evidence.file.storage, evidence.file.name)
            if submit:
                current = submit_answers(current, by=by)
    except Exception:
        if stored is not None:  # the row was rolled back: its file must not stay behind
            stored[0].delete(stored[1])
        raise
    return current, evidence


def remove_answer_evidence(evidence: AnswerEvidence, *, by) -> None:
    """Delete an evidence file of a form not yet submitted (the stored file goes once the deletion is committed)."""
    _require_answerer(by, evidence.dispatch)
    with transaction.atomic():
        _refuse_unwritable(_locked_dispatch(evidence.dispatch))
        storage, path = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(path))
