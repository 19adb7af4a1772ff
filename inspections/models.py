"""Inspection rounds (ตรวจราชการ): their schedule, issues and indicators, the form sent to units, the units'
answers, and the inspectors' recommendations followed up to closure (issue 8, docs/inspections.md).

Workflows (only ``inspections.services`` changes a status; every move writes a transition row):

    InspectionRound   draft → open (forms dispatched) → closed  (closed → open: reopen, with a reason)
    FormDispatch      not started → draft → submitted           ("late" is derived from ``due_on``)
    Recommendation    open → in progress → done → closed (verified by the plan officer)
                      done/closed → in progress (reopened, with a reason); open/in progress/done → carried
                      (carried into the next round: a new recommendation there points back with ``carried_from``)
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.audit.models import TransitionBase, transition_status_fields
from emes.fields import NUMBER_RULES, NumberKind, NumberRule, kind_of_unit
from emes.models import Division, Membership, Office, Role, School
from emes.querysets import OfficeScopedQuerySet


class InspectionRoundQuerySet(OfficeScopedQuerySet):
    """Rounds of the offices where ``user`` is staff (school accounts reach rounds only through their dispatches)."""

    office_path = "office"


class InspectionRound(models.Model):
    """One inspection round of an office in a fiscal year (BE).

    ``number``: 1 = the February round, 2 = the August round, 3 and later = special rounds
    (docs/inspections.md: two regular rounds a year). The schedule dates are checked against the seed manual's
    standards by ``inspections.standards``; a schedule saved in spite of a warning keeps the warnings
    accepted in ``accepted_warnings`` (list of ``{"code", "message"}``) with who and when.
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular Ministry inspection (ตรวจราชการกรณีปกติ)")
        INTEGRATED = "integrated", _("Integrated inspection by the Prime Minister's Office inspectors (ตรวจราชการแบบบูรณาการ)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Forms dispatched")
        CLOSED = "closed", _("Round closed")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="inspection_rounds", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind of inspection"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=300, blank=True)
    plan_sent_on = models.DateField(_("inspection plan sent to units on"), null=True, blank=True)
    coordination_meeting_on = models.DateField(_("coordination meeting on"), null=True, blank=True)
    units_notified_on = models.DateField(_("units told of the visit on"), null=True, blank=True)
    visit_starts_on = models.DateField(_("visit starts on"), null=True, blank=True)
    visit_ends_on = models.DateField(_("visit ends on"), null=True, blank=True)
    summary_meeting_on = models.DateField(_("summary meeting on"), null=True, blank=True)
    inspectors = models.TextField(_("inspectors"), blank=True, help_text=_("Names and positions of the inspectors, one per line."))
    form_instructions = models.TextField(_("instructions of the form"), blank=True)
    form_built_at = models.DateTimeField(_("form built at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    accepted_warnings = models.JSONField(_("standards warnings accepted"), default=list, blank=True)
    warnings_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("warnings accepted by"))
    warnings_accepted_at = models.DateTimeField(_("warnings accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InspectionRoundQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-fiscal_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "number"], name="inspection_round_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="inspection_round_number_positive"),
            models.CheckConstraint(
                condition=models.Q(visit_ends_on__isnull=True) | models.Q(visit_starts_on__isnull=True)
                | models.Q(visit_ends_on__gte=models.F("visit_starts_on")),
                name="inspection_round_visit_ends_after_start",
            ),
        ]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")

    def __str__(self) -> str:
        return f"{self.number}/{self.fiscal_year} {self.title}".strip()

    @property
    def is_special(self) -> bool:
        """Rounds 3 and later are special rounds (1 = February, 2 = August)."""
        return self.number >= 3


class RoundTransition(TransitionBase):
    """A recorded move of a round between statuses (or a schedule saved despite warnings: from = to)."""

    subject_field = "round"

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("round"))
    from_status, to_status = transition_status_fields(InspectionRound.Status, max_length=8)

    class Meta(TransitionBase.Meta):
        ordering = ["round", "at", "id"]
        verbose_name = _("round transition")
        verbose_name_plural = _("round transitions")


class InspectionIssue(models.Model):
    """An inspection issue (ประเด็นการตรวจราชการ) of a round, with the divisions responsible for it."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="issues", verbose_name=_("round"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("e.g. 1, 2.1 or the Ministry's policy number"))
    title = models.TextField(_("issue"))
    description = models.TextField(_("description"), blank=True)
    divisions = models.ManyToManyField(Division, blank=True, related_name="inspection_issues", verbose_name=_("responsible divisions"))
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from"))

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = _("inspection issue")
        verbose_name_plural = _("inspection issues")

    def __str__(self) -> str:
        return f"{self.code or self.order}. {self.title[:80]}"


class AnswerKind(models.TextChoices):
    """What a question of the form expects."""

    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes / no")
    TEXT = "text", _("Text")
    FILE = "file", _("Evidence file")


class IssueIndicator(models.Model):
    """An indicator (ตัวชี้วัด) of an inspection issue: its unit and target (a number, or a text when not numeric).

    ``answer_kind`` is what the form's question for this indicator asks of the units.
    """

    issue = models.ForeignKey(InspectionIssue, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("issue"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("indicator"))
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. ร้อยละ, คน, โรงเรียน"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(_("target (text)"), max_length=300, blank=True)
    answer_kind = models.CharField(_("answer expected"), max_length=8, choices=AnswerKind.choices, default=AnswerKind.NUMBER)

    class Meta:
        ordering = ["issue", "order", "id"]
        verbose_name = _("issue indicator")
        verbose_name_plural = _("issue indicators")

    def __str__(self) -> str:
        return self.text[:80]


class Question(models.Model):
    """A question of a round's form (one form per round), generated from an indicator or typed; editable until dispatch."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="questions", verbose_name=_("round"))
    indicator = models.ForeignKey(IssueIndicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions", verbose_name=_("indicator"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("question"))
    kind = models.CharField(_("answer expected"), max_length=8, choices=AnswerKind.choices, default=AnswerKind.NUMBER)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    required = models.BooleanField(_("required to submit"), default=True)

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"

    def answer_rule(self) -> NumberRule:
        """The range of a number answer (``emes.fields``, issue 13 item 7), from the question's unit (else its indicator's).

        A count (คน, โรงเรียน ...) is whole and ≥ 0, a percentage 0-100 unless the indicator's target is
        itself above 100; other units are not limited. Reads ``indicator`` (select it with the questions).
        """
        indicator = self.indicator if self.indicator_id else None
        kind = kind_of_unit(self.unit or (indicator.unit if indicator else ""))
        rule = NUMBER_RULES[kind]
        if kind == NumberKind.PERCENT and indicator is not None and indicator.target is not None and indicator.target > 100:
            rule = dataclasses.replace(rule, max_value=None)
        return rule


class FormDispatchQuerySet(models.QuerySet):
    def for_unit_user(self, user) -> "FormDispatchQuerySet":
        """Dispatches ``user`` answers: to their school (school account) or their division (head, project owner).

        Only in rounds that were dispatched (open or closed); a draft round's rows are not shown to units.
        """
        if not user.is_authenticated:
            return self.none()
        schools = Membership.objects.filter(user=user, role=Role.SCHOOL).values("school_id")
        divisions = Membership.objects.filter(
            user=user, role__in=[Role.DIVISION_HEAD, Role.PROJECT_OWNER], division__isnull=False
        ).values("division_id")
        return self.filter(models.Q(school_id__in=schools) | models.Q(division_id__in=divisions)).exclude(
            round__status=InspectionRound.Status.DRAFT
        )


class FormDispatch(models.Model):
    """The round's form sent to one unit (a division or a school of the office; exactly one) with a due date.

    ``status`` is stored (not started → draft → submitted); lateness is derived from ``due_on``:
    see :attr:`is_late`. ``sent_at`` is the delivery the standards count (forms to 100 % of units at
    least 10 working days before the visit; answers within 30 working days of it).
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("round"))
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True, related_name="inspection_dispatches", verbose_name=_("division"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="inspection_dispatches", verbose_name=_("school"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("submitted by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by"))

    objects = FormDispatchQuerySet.as_manager()

    class Meta:
        ordering = ["round", "division__code", "school__smis_code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(division__isnull=False) & models.Q(school__isnull=True))
                | (models.Q(division__isnull=True) & models.Q(school__isnull=False)),
                name="form_dispatch_exactly_one_unit",
            ),
            models.UniqueConstraint(fields=["round", "division"], condition=models.Q(division__isnull=False), name="form_dispatch_unique_division"),
            models.UniqueConstraint(fields=["round", "school"], condition=models.Q(school__isnull=False), name="form_dispatch_unique_school"),
        ]
        indexes = [models.Index(fields=["round", "status"])]
        verbose_name = _("form dispatch")
        verbose_name_plural = _("form dispatches")

    def __str__(self) -> str:
        return f"{self.round} → {self.unit_name}"

    @property
    def unit(self) -> Division | School:
        return self.division if self.division_id else self.school

    @property
    def unit_name(self) -> str:
        return self.division.name if self.division_id else self.school.name

    @property
    def is_school(self) -> bool:
        return self.school_id is not None

    def is_late(self, today: dt.date | None = None) -> bool:
        """Submitted after ``due_on``, or not submitted and ``due_on`` has passed (dates in Asia/Bangkok)."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return (today or timezone.localdate()) > self.due_on


class FormAnswer(models.Model):
    """A unit's answer to one question: the value in the field of the question's kind (file answers are Evidence rows)."""

    dispatch = models.ForeignKey(FormDispatch, on_delete=models.CASCADE, related_name="answers", verbose_name=_("dispatch"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    number_value = models.DecimalField(_("number"), max_digits=14, decimal_places=2, null=True, blank=True)
    bool_value = models.BooleanField(_("yes / no"), null=True, blank=True)
    text_value = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dispatch", "question__order"]
        constraints = [models.UniqueConstraint(fields=["dispatch", "question"], name="form_answer_unique_question")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.dispatch} · {self.question.order}"

    @property
    def value(self):
        """The answer in its kind: a Decimal, a bool, a str (or None when empty)."""
        kind = self.question.kind
        if kind == AnswerKind.NUMBER:
            return self.number_value
        if kind == AnswerKind.YES_NO:
            return self.bool_value
        return self.text_value or None


class EvidenceFile(models.Model):
    """An uploaded file: abstract base of answer evidence and follow-up evidence, stored privately.

    ``original_name`` is the sanitised name shown and used on download; the stored name is random.
    """

    file = models.FileField(_("file"), upload_to="inspections/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class AnswerEvidence(EvidenceFile):
    """Evidence (ร่องรอยหลักฐาน) a unit attaches to its answers, to a file question or to the form as a whole."""

    dispatch = models.ForeignKey(FormDispatch, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("dispatch"))
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence", verbose_name=_("question"))

    class Meta:
        ordering = ["dispatch", "uploaded_at", "id"]
        verbose_name = _("answer evidence")
        verbose_name_plural = _("answer evidence")


class RecommendationQuerySet(OfficeScopedQuerySet):
    """Recommendations of the offices where ``user`` is staff."""

    office_path = "round__office"

    def still_open(self) -> "RecommendationQuerySet":
        """Not yet closed nor carried into another round (open, in progress, done awaiting verification)."""
        S = Recommendation.Status
        return self.filter(status__in=[S.OPEN, S.IN_PROGRESS, S.DONE])


class Recommendation(models.Model):
    """An inspector's recommendation (ข้อเสนอแนะของผู้ตรวจราชการ) of a round, with the divisions that act on it.

    Closed only when the plan officer verifies it (``closed``). A recommendation not closed by the
    next round is carried: it becomes ``carried`` in its round and a copy in the next round points
    back through ``carried_from`` (so each round's counts stay as they were; the chain is the history).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open, not acted on yet")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done, awaiting verification")
        CLOSED = "closed", _("Verified closed")
        CARRIED = "carried", _("Carried to the next round")

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("round"))
    issue = models.ForeignKey(InspectionIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations", verbose_name=_("issue"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("recommendation"))
    divisions = models.ManyToManyField(Division, blank=True, related_name="inspection_recommendations", verbose_name=_("responsible divisions"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to", verbose_name=_("carried from"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "order", "id"]
        indexes = [models.Index(fields=["round", "status"])]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Past ``due_on`` and not yet done, closed or carried."""
        S = self.Status
        return bool(self.due_on and self.status in (S.OPEN, S.IN_PROGRESS) and (today or timezone.localdate()) > self.due_on)


class FollowUpAction(models.Model):
    """What a responsible division did about a recommendation (ผลการดำเนินงานตามข้อเสนอแนะ), with an optional file.

    When the action also moved the recommendation (e.g. to in progress or done), ``from_status`` and
    ``to_status`` say so, and the matching :class:`RecommendationTransition` row points here.
    The file fields are empty when no evidence was attached.
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("recommendation"))
    text = models.TextField(_("action taken"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=12, choices=Recommendation.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Recommendation.Status.choices, blank=True)
    file = models.FileField(_("evidence file"), upload_to="inspections/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "at", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.text[:80]


class RecommendationTransition(TransitionBase):
    """A recorded move of a recommendation between statuses: who, when, from, to, the comment (a reason to reopen)."""

    subject_field = "recommendation"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("recommendation"))
    from_status, to_status = transition_status_fields(Recommendation.Status, max_length=12)
    follow_up = models.ForeignKey(FollowUpAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="transitions", verbose_name=_("follow-up action"))

    class Meta(TransitionBase.Meta):
        ordering = ["recommendation", "at", "id"]
        verbose_name = _("recommendation transition")
        verbose_name_plural = _("recommendation transitions")
