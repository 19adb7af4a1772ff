"""Evaluation (ประเมินผล, the "E" of M&E): forms, evaluations of a target, and their answers (issue 16, docs/evaluation.md).

Rule source: seeds/000_d8cb346cea5094fa.txt ข้อ ๕.๑–๕.๓ (build the evaluation form, evaluate with the people
involved, summarise for the executives) and seeds/003_45d35a204f4b331e.txt form ๙.๑ (แบบสอบถามความพึงพอใจ).

Workflow (only ``evaluation.services`` changes a status; every move writes an ``EvaluationTransition``):

    Evaluation   draft → open → closed   (closed → open: reopened, with a reason)

A form whose evaluations hold answers is frozen: editing it is refused (copy it into a new form instead).
Public answers store no user, no address, no session key and only the day they arrived, so an answer cannot
be traced to a person (docs/evaluation.md, "Anonymity").
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.audit.models import TransitionBase, transition_status_fields
from emes.models import Division, Office, School
from emes.querysets import OfficeScopedQuerySet

#: The usual Thai interpretation bands of a 5-level mean: (lowest mean of the band, label), highest band first.
#: Source: บุญชม ศรีสะอาด, การวิจัยเบื้องต้น (docs/evaluation.md, "Interpretation bands").
DEFAULT_BANDS = [[4.51, "มากที่สุด"], [3.51, "มาก"], [2.51, "ปานกลาง"], [1.51, "น้อย"], [1.00, "น้อยที่สุด"]]
#: The labels of the five rating levels, 5 first (the respondent's scale).
RATING_LABELS = {5: "มากที่สุด", 4: "มาก", 3: "ปานกลาง", 2: "น้อย", 1: "น้อยที่สุด"}


def default_bands() -> list:
    return [list(b) for b in DEFAULT_BANDS]


def new_token() -> str:
    return secrets.token_urlsafe(16)


class EvaluationFormQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class EvaluationForm(models.Model):
    """An evaluation form of an office: sections of items, and the interpretation bands of its 5-level means.

    ``bands``: ``[[lowest mean, label], ...]`` highest first (default :data:`DEFAULT_BANDS`). ``standard``: the key
    of the library form it was made from (``evaluation.library``), ``copied_from``: the form it was copied from.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="evaluation_forms", verbose_name=_("office"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    standard = models.CharField(_("standard form"), max_length=40, blank=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from"))
    bands = models.JSONField(_("interpretation bands"), default=default_bands)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EvaluationFormQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")

    def __str__(self) -> str:
        return self.title


class FormSection(models.Model):
    """A part of a form (e.g. a CIPP aspect, or ด้านวิทยากร of a satisfaction survey)."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="sections", verbose_name=_("form"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["form", "order", "pk"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")

    def __str__(self) -> str:
        return self.title


class FormItem(models.Model):
    """One question. ``choices`` (list of strings) for a choice item; a rating is 1–5 (5 = มากที่สุด)."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1–5")
        YES_NO = "yes_no", _("Yes / no")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        TEXT = "text", _("Open text")

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RATING)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["section__order", "section", "order", "pk"]
        verbose_name = _("form item")
        verbose_name_plural = _("form items")

    def __str__(self) -> str:
        return self.text


class EvaluationQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class Evaluation(models.Model):
    """A form applied to a target (a project, the action plan, a strategy: any registered model) over a window.

    ``opens_on`` / ``closes_on``: the window (dates, Asia/Bangkok, both days included). ``public``: anyone holding
    ``token`` (the public link and QR code) may answer once per device session. ``respondents``: the EMES users
    asked to answer (each answers once and may edit until the window closes).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Answers closed")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("office"))
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("form"))
    title = models.CharField(_("title"), max_length=300)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("target type"))
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    public = models.BooleanField(_("public link and QR code"), default=True)
    token = models.CharField(_("public token"), max_length=40, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return self.title


class EvaluationTransition(TransitionBase):
    """A recorded move of an evaluation between statuses."""

    subject_field = "evaluation"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("evaluation"))
    from_status, to_status = transition_status_fields(Evaluation.Status, max_length=8)

    class Meta(TransitionBase.Meta):
        ordering = ["evaluation", "at", "id"]
        verbose_name = _("evaluation transition")
        verbose_name_plural = _("evaluation transitions")


class Respondent(models.Model):
    """An EMES user asked to answer an evaluation (chosen by role, division or school)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="respondents", verbose_name=_("evaluation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_invitations", verbose_name=_("user"))
    division = models.ForeignKey(Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("division"))
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("school"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="evaluation_respondent_once")]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")


class Response(models.Model):
    """One filled form. ``user`` is set for an EMES respondent (one per user: a constraint) and empty for a public
    answer, which keeps only the day it arrived (``submitted_on``): no time, address or session key."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="responses", verbose_name=_("evaluation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user"))
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], condition=models.Q(user__isnull=False), name="evaluation_response_once_per_user")]
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(models.Model):
    """The answer to one item: ``number`` for a rating (1–5), yes/no (1/0) and a number; ``text`` for a choice or open text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    item = models.ForeignKey(FormItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    number = models.DecimalField(_("number"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="evaluation_answer_once")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class EvaluationReport(models.Model):
    """One build of an evaluation's report PDF or raw answers workbook (``kind``; a job row, ``emes.jobs``):
    queued → running → done | failed.

    A survey of thousands of answers with many distinct open answers takes seconds to lay out (bench/README.md), so
    the PDF is built by a worker with progress; ``file`` is written only when DONE. Every build is kept, newest first.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        PDF = "pdf", _("Report PDF")
        XLSX = "xlsx", _("Answers (Excel)")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports", verbose_name=_("evaluation"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.PDF)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="evaluation/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        if self.kind == self.Kind.XLSX:
            return f"evaluation-answers-{self.evaluation.office.area_code}-{self.evaluation_id}-{self.pk}.xlsx"
        return f"evaluation-{self.evaluation.office.area_code}-{self.evaluation_id}-{self.pk}.pdf"

    @property
    def content_type(self) -> str:
        if self.kind == self.Kind.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "application/pdf"
