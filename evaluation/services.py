"""Every change to evaluation forms, evaluations and answers (docs/evaluation.md; seeds/000 ข้อ ๕.๑–๕.๓).

Each function runs in one transaction and raises ``ValidationError`` (Thai, by field where there is one) with
nothing stored when it refuses. Callers (views, the demo, tests) check access first (``evaluation.access``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.audit.services import record_transition
from emes.models import Membership, Office
from emes.text import clean_text
from emes.thai import be_date

from .access import can_manage_target
from .answers import clean_answers
from .library import STANDARD_FORMS
from .models import Answer, Evaluation, EvaluationForm, FormItem, FormSection, Respondent, Response

Status = Evaluation.Status


# --- Forms -----------------------------------------------------------------------------------------------------


def form_has_answers(form: EvaluationForm) -> bool:
    """Whether any evaluation of ``form`` holds an answer (the form is then frozen). One query."""
    return Response.objects.filter(evaluation__form=form).exists()


def _refuse_if_frozen(form: EvaluationForm) -> None:
    if form_has_answers(form):
        raise ValidationError(_("This form already has answers and cannot be changed: copy it into a new form and change the copy."))


def _title(value: str, *, field: str = "title") -> str:
    text = clean_text(value or "")[:300]
    if not text:
        raise ValidationError({field: _("Give a title.")})
    return text


def create_form(office: Office, *, by, title: str, description: str = "", standard: str = "") -> EvaluationForm:
    """A new form of ``office``: empty, or filled from the library's ``standard`` form (``evaluation.library``)."""
    if standard and standard not in STANDARD_FORMS:
        raise ValidationError({"standard": _("Unknown standard form.")})
    spec = STANDARD_FORMS.get(standard)
    with transaction.atomic():
        form = EvaluationForm.objects.create(
            office=office, created_by=by, standard=standard,
            title=_title(title or (spec["title"] if spec else "")),
            description=clean_text(description or (spec["description"] if spec else ""), multiline=True),
        )
        if spec:
            for s_order, (s_title, items) in enumerate(spec["sections"], start=1):
                section = FormSection.objects.create(form=form, order=s_order, title=s_title)
                FormItem.objects.bulk_create([
                    FormItem(section=section, order=i, kind=kind, text=text, required=required, choices=list(choices))
                    for i, (kind, text, required, choices) in enumerate(items, start=1)
                ])
    return form


def copy_form(source: EvaluationForm, *, by, title: str = "") -> EvaluationForm:
    """A new form of the same office with ``source``'s sections, items and bands (the way to change a frozen form)."""
    with transaction.atomic():
        form = EvaluationForm.objects.create(
            office=source.office, created_by=by, standard=source.standard, copied_from=source, bands=source.bands,
            title=_title(title or _("%(title)s (copy)") % {"title": source.title}), description=source.description,
        )
        for section in source.sections.prefetch_related("items"):
            new = FormSection.objects.create(form=form, order=section.order, title=section.title)
            FormItem.objects.bulk_create([
                FormItem(section=new, order=i.order, kind=i.kind, text=i.text, required=i.required, choices=i.choices)
                for i in section.items.all()
            ])
    return form


def add_section(form: EvaluationForm, *, by, title: str) -> FormSection:
    """Append a section to ``form``; refused once the form has answers."""
    with transaction.atomic():
        _refuse_if_frozen(form)
        order = (form.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return FormSection.objects.create(form=form, order=order, title=_title(title))


def _choices(kind: str, raw: str | Iterable[str]) -> list[str]:
    if kind != FormItem.Kind.CHOICE:
        return []
    lines = raw.splitlines() if isinstance(raw, str) else list(raw)
    choices = list(dict.fromkeys(c for c in (clean_text(x)[:200] for x in lines) if c))
    if len(choices) < 2:
        raise ValidationError({"choices": _("A choice item needs at least two choices, one per line.")})
    return choices


def add_item(section: FormSection, *, by, kind: str, text: str, required: bool = True, choices: str | Iterable[str] = "") -> FormItem:
    """Append an item to ``section``; refused once its form has answers."""
    if kind not in FormItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of item.")})
    question = clean_text(text or "")[:500]
    if not question:
        raise ValidationError({"text": _("Write the question.")})
    with transaction.atomic():
        _refuse_if_frozen(section.form)
        order = (section.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return FormItem.objects.create(section=section, order=order, kind=kind, text=question, required=required, choices=_choices(kind, choices))


def delete_item(item: FormItem, *, by) -> None:
    """Remove an item; refused once its form has answers."""
    with transaction.atomic():
        _refuse_if_frozen(item.section.form)
        item.delete()


def set_bands(form: EvaluationForm, *, by, bands: list[list]) -> None:
    """Replace the interpretation bands: ``[[lowest mean, label], ...]``, lowest means strictly falling from ≤ 5 to 1.00."""
    try:
        rows = [[round(float(low), 2), clean_text(str(label))[:40]] for low, label in bands]
    except (TypeError, ValueError):
        raise ValidationError({"bands": _("Each band is a lowest mean and a label.")}) from None
    lows = [r[0] for r in rows]
    if not rows or lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows) or lows[0] > 5 or lows[-1] != 1.0 or not all(r[1] for r in rows):
        raise ValidationError({"bands": _("Bands go from the highest to 1.00, each with a label.")})
    with transaction.atomic():
        _refuse_if_frozen(form)
        form.bands = rows
        form.save(update_fields=["bands"])


# --- Evaluations -----------------------------------------------------------------------------------------------


def create_evaluation(office: Office, *, by, form: EvaluationForm, title: str, opens_on: dt.date, closes_on: dt.date,
                      target=None, public: bool = True, roles: Iterable[str] = (), divisions: Iterable = (),
                      schools: Iterable = ()) -> Evaluation:
    """A draft evaluation of ``target`` (any registered target, or ``None``) with ``form`` over the window.

    Respondents: the office's users holding one of ``roles``, members of ``divisions`` and the accounts of
    ``schools`` (one row per user). Raises ``ValidationError`` for a form of another office, a target ``by`` may
    not evaluate (``evaluation.access.can_manage_target``: a project owner only their own projects, no target the
    plan officer only; ``by=None`` is an operator's command) or a window that ends before it starts.
    """
    if form.office_id != office.pk:
        raise ValidationError({"form": _("Choose a form of this office.")})
    if target is not None and getattr(target, "office_id", office.pk) != office.pk:
        raise ValidationError({"target": _("Choose a target of this office.")})
    if by is not None and not can_manage_target(by, office, target):
        raise ValidationError({"target": _("Choose one of the given targets.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The window closes before it opens.")})
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            office=office, form=form, title=_title(title), opens_on=opens_on, closes_on=closes_on, public=public, created_by=by,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=target.pk if target is not None else None,
        )
        record_transition(evaluation, by=by, from_status="", to_status=Status.DRAFT)
        add_respondents(evaluation, roles=roles, divisions=divisions, schools=schools)
    return evaluation


def add_respondents(evaluation: Evaluation, *, roles: Iterable[str] = (), divisions: Iterable = (), schools: Iterable = ()) -> int:
    """Ask the office's users of ``roles``, ``divisions`` and ``schools`` to answer; returns how many were added."""
    q = Membership.objects.none()
    members = Membership.objects.filter(office=evaluation.office, user__is_active=True)
    roles, divisions, schools = list(roles), list(divisions), list(schools)
    if roles:
        q = q | members.filter(role__in=roles)
    if divisions:
        q = q | members.filter(division__in=divisions)
    if schools:
        q = q | members.filter(school__in=schools)
    seen: dict[int, Respondent] = {}
    for m in q.order_by("user_id", "pk"):
        seen.setdefault(m.user_id, Respondent(evaluation=evaluation, user_id=m.user_id, division_id=m.division_id, school_id=m.school_id))
    created = Respondent.objects.bulk_create(list(seen.values()), ignore_conflicts=True)
    return len(created)


def invite_respondents(evaluation: Evaluation, *, by, roles: Iterable[str] = (), divisions: Iterable = (),
                       schools: Iterable = (), today: dt.date | None = None) -> int:
    """Ask more of the office's users to answer ``evaluation`` after it was created, chosen as at creation (by role,
    division, school; one row per user, those already asked are skipped). Returns how many were newly asked.

    Refused (``ValidationError``, nothing stored) when nothing is chosen, when the evaluation is closed, or when its
    window ended before ``today`` (Asia/Bangkok): a new respondent could not answer (docs/evaluation.md,
    "Respondents"). ``by`` is the caller who checked ``can_manage_evaluation``; the reminder sweep chases the new
    respondents from the next run (``evaluation.obligations``).
    """
    roles, divisions, schools = list(roles), list(divisions), list(schools)
    if not (roles or divisions or schools):
        raise ValidationError(_("Choose at least one role, division or school."))
    today = today or timezone.localdate()
    with transaction.atomic():
        # Locked so that a close running at the same moment cannot let respondents in after it.
        ev = Evaluation.objects.select_for_update().select_related("office").get(pk=evaluation.pk)
        if ev.status == Status.CLOSED:
            raise ValidationError(_("This evaluation is closed: no respondents can be added."))
        if ev.closes_on < today:
            raise ValidationError(_("The window of this evaluation ended on %(day)s: no respondents can be added.") % {
                "day": be_date(ev.closes_on)})
        before = ev.respondents.count()
        add_respondents(ev, roles=roles, divisions=divisions, schools=schools)
        return ev.respondents.count() - before


def _move(evaluation: Evaluation, *, by, allowed: set[str], to: str, comment: str = "") -> Evaluation:
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if ev.status not in allowed:
            raise ValidationError(_("This evaluation is %(status)s: it cannot be moved to %(to)s.") % {
                "status": ev.get_status_display(), "to": Status(to).label})
        old, ev.status = ev.status, to
        ev.save(update_fields=["status"])
        record_transition(ev, by=by, from_status=old, to_status=to, comment=comment)
    evaluation.status = ev.status
    return ev


def open_evaluation(evaluation: Evaluation, *, by) -> Evaluation:
    """draft → open: respondents and the public link may answer within the window. Refused for a form without items."""
    if not FormItem.objects.filter(section__form_id=evaluation.form_id).exists():
        raise ValidationError(_("The form has no item yet."))
    return _move(evaluation, by=by, allowed={Status.DRAFT}, to=Status.OPEN)


def close_evaluation(evaluation: Evaluation, *, by) -> Evaluation:
    """open → closed: no more answers; results are final."""
    return _move(evaluation, by=by, allowed={Status.OPEN}, to=Status.CLOSED)


def reopen_evaluation(evaluation: Evaluation, *, by, reason: str) -> Evaluation:
    """closed → open, with a reason (recorded)."""
    reason = clean_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    return _move(evaluation, by=by, allowed={Status.CLOSED}, to=Status.OPEN, comment=reason)


# --- Answers ---------------------------------------------------------------------------------------------------


def accepting_answers(evaluation: Evaluation, on: dt.date | None = None) -> str | None:
    """``None`` when ``evaluation`` takes answers on ``on`` (default today), else the Thai reason it does not."""
    on = on or timezone.localdate()
    if evaluation.status == Status.DRAFT:
        return _("This evaluation is not open yet.")
    if evaluation.status == Status.CLOSED:
        return _("This evaluation is closed.")
    if on < evaluation.opens_on:
        return _("Answers open on %(date)s.") % {"date": be_date(evaluation.opens_on)}
    if on > evaluation.closes_on:
        return _("The answering window has closed.")
    return None


def form_items(form: EvaluationForm) -> list[FormItem]:
    """The form's items in order, with their section. One query."""
    return list(FormItem.objects.filter(section__form=form).select_related("section").order_by("section__order", "section_id", "order", "pk"))


def submit_answers(evaluation: Evaluation, data, *, user=None, items: list[FormItem] | None = None, on: dt.date | None = None) -> Response:
    """Store one respondent's answers (all or nothing).

    ``user``: an EMES respondent (must be one of the evaluation's respondents; answering again replaces their
    answers while the window is open); ``None``: a public answer (the evaluation must be public; the view keeps
    one per device session). ``data``: ``item-<pk>`` → text. Raises ``ValidationError`` with a message per
    item (``{"item-<pk>": message}``) or a general one (window, status, second answer).
    """
    reason = accepting_answers(evaluation, on)
    if reason:
        raise ValidationError(reason)
    if user is None and not evaluation.public:
        raise ValidationError(_("This evaluation has no public link."))
    if user is not None and not Respondent.objects.filter(evaluation=evaluation, user=user).exists():
        raise ValidationError(_("You are not asked to answer this evaluation."))
    items = items if items is not None else form_items(evaluation.form)
    answers, errors = clean_answers(items, data)
    if errors:
        raise ValidationError({f"item-{pk}": message for pk, message in errors.items()})
    today = on or timezone.localdate()
    with transaction.atomic():
        if user is not None:
            response, _created = Response.objects.select_for_update().get_or_create(evaluation=evaluation, user=user, defaults={"submitted_on": today})
            response.answers.all().delete()
            response.submitted_on = today
            response.save(update_fields=["submitted_on"])
        else:
            response = Response.objects.create(evaluation=evaluation, submitted_on=today)
        try:
            Answer.objects.bulk_create([Answer(response=response, item_id=a.item_id, number=a.number, text=a.text) for a in answers])
        except IntegrityError:
            raise ValidationError(_("These answers were already sent.")) from None
    return response
