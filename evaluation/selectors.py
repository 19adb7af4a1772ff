"""Reads of the evaluation pages: lists and target choices, each in a fixed number of queries."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from emes.models import Office

from .access import can_manage_target
from .models import Evaluation, EvaluationForm, Respondent
from .targets import kind_of, target_kinds


def office_evaluations(office: Office) -> QuerySet[Evaluation]:
    """The office's evaluations with their response and respondent counts. One query."""
    return (Evaluation.objects.filter(office=office).select_related("form", "target_type")
            .annotate(n_responses=Count("responses", distinct=True), n_respondents=Count("respondents", distinct=True)))


def office_forms(office: Office) -> QuerySet[EvaluationForm]:
    """The office's forms with their item and evaluation counts. One query."""
    return EvaluationForm.objects.filter(office=office).select_related("created_by").annotate(
        n_items=Count("sections__items", distinct=True), n_evaluations=Count("evaluations", distinct=True))


def target_choices(user, office: Office) -> list[tuple[str, str, object]]:
    """``(value "key:pk", label, row)`` of every registered target ``user`` may evaluate in ``office``."""
    out = []
    for kind in target_kinds():
        for obj in kind.choices(office):
            if can_manage_target(user, office, obj):
                out.append((f"{kind.key}:{obj.pk}", f"{kind.label}: {obj}", obj))
    return out


def target_label(evaluation: Evaluation) -> tuple[str, str]:
    """``(label, url)`` of the evaluation's target (``("", "")`` without one)."""
    target = evaluation.target
    kind = kind_of(target)
    if target is None or kind is None:
        return "", ""
    return f"{kind.label}: {target}", kind.url(target)


def evaluations_of(target) -> list[Evaluation]:
    """The evaluations of ``target`` (any registered row), newest first. One query."""
    ct = ContentType.objects.get_for_model(target)
    return list(Evaluation.objects.filter(target_type=ct, target_id=target.pk).select_related("form", "office")
                .annotate(n_responses=Count("responses")).order_by("-opens_on", "-pk"))


def my_evaluations(user) -> list[Respondent]:
    """The evaluations ``user`` is asked to answer that are open, with whether they answered. One query."""
    if not user.is_authenticated:
        return []
    return list(Respondent.objects.filter(user=user, evaluation__status=Evaluation.Status.OPEN)
                .select_related("evaluation", "evaluation__office")
                .annotate(answered=Count("evaluation__responses", filter=Q(evaluation__responses__user=user)))
                .order_by("evaluation__closes_on", "evaluation_id"))


def evaluations_of_targets(model, ids) -> list[Evaluation]:
    """The evaluations that are not drafts of the ``model`` rows ``ids`` (open and closed), with ``n_responses``, by
    target then opening day. One query (plus the content type, cached), whatever the number of targets."""
    ct = ContentType.objects.get_for_model(model)
    return list(Evaluation.objects.filter(target_type=ct, target_id__in=list(ids)).exclude(status=Evaluation.Status.DRAFT)
                .select_related("form").annotate(n_responses=Count("responses")).order_by("target_id", "opens_on", "pk"))
