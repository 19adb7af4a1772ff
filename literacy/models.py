"""The literacy assessment (การประเมินการอ่านออกเขียนได้): rounds, their window, and each school's results.

Structure of OBEC's e-read/e-write reports (``data/03_literacy`` of the shared data): per grade, the
students enrolled, assessed (normal students), special-needs and absent; for each of four skills
the number of assessed students at each of four levels. Only ``literacy.services`` changes
statuses and results.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.access import ALL_ROLES
from emes.audit.models import TransitionBase, transition_status_fields
from emes.models import Grade, Office, School
from emes.querysets import OfficeScopedQuerySet

#: The grades assessed when a round does not say otherwise (ป.1-ป.3).
DEFAULT_GRADES = [Grade.P1.value, Grade.P2.value, Grade.P3.value]


class Skill(models.TextChoices):
    """The four skills assessed, in OBEC's order."""

    READING_ALOUD = "reading_aloud", _("Reading aloud (การอ่านออกเสียง)")
    READING_COMPREHENSION = "reading_comprehension", _("Reading comprehension (การอ่านรู้เรื่อง)")
    WRITING_WORDS = "writing_words", _("Writing words (การเขียนคำ)")
    WRITING_COMPOSITION = "writing_composition", _("Writing a composition (การเขียนเรื่อง)")


class Level(models.TextChoices):
    """The four levels of each skill, best first."""

    VERY_GOOD = "very_good", _("Very good (ดีมาก)")
    GOOD = "good", _("Good (ดี)")
    FAIR = "fair", _("Fair (พอใช้)")
    IMPROVE = "improve", _("Needs improvement (ปรับปรุง)")


class LiteracyRoundQuerySet(OfficeScopedQuerySet):
    """Rounds of the offices where ``user`` is staff or has a school account."""

    office_path = "office"
    visible_roles = ALL_ROLES


class LiteracyRound(models.Model):
    """One round (ครั้งที่ 1, 2) of an office's assessment in an academic year (BE, starts 16 May).

    The plan officer opens (เปิดระบบ) and closes (ปิดระบบ) it; while open, schools submit until
    ``closes_at``. A closed window can be reopened for chosen schools only (:class:`RoundReopening`).
    ``improvement_flag_pct``: a school whose share of ปรับปรุง in a skill is at least this (%) is flagged.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not opened yet")
        OPEN = "open", _("Window open")
        CLOSED = "closed", _("Window closed")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="literacy_rounds", verbose_name=_("office"))
    academic_year = models.PositiveSmallIntegerField(_("academic year (BE)"))
    number = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    grades = models.JSONField(_("grades assessed"), default=list, help_text=_("Grade codes, e.g. [\"p1\", \"p2\", \"p3\"]."))
    opens_at = models.DateTimeField(_("window opens"))
    closes_at = models.DateTimeField(_("window closes"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    improvement_flag_pct = models.DecimalField(
        _("flag schools with at least this share at 'needs improvement' (%)"), max_digits=5, decimal_places=2, default=30,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LiteracyRoundQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-academic_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "academic_year", "number"], name="literacy_round_unique_number"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="literacy_round_closes_after_opening"),
        ]
        verbose_name = _("literacy round")
        verbose_name_plural = _("literacy rounds")

    def __str__(self) -> str:
        return f"{self.office} {self.academic_year}/{self.number}"


class LiteracyRoundTransition(TransitionBase):
    """A recorded move of a literacy round between statuses (created, opened, closed, opened again): who, when, why.

    ``from_status == to_status`` records a change that moves nothing: the window, grades or threshold changed,
    or the window reopened for chosen schools (each school's :class:`RoundReopening` holds the detail).
    """

    subject_field = "round"

    round = models.ForeignKey(LiteracyRound, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("round"))
    from_status, to_status = transition_status_fields(LiteracyRound.Status, max_length=8)

    class Meta(TransitionBase.Meta):
        ordering = ["round", "at", "id"]
        verbose_name = _("literacy round transition")
        verbose_name_plural = _("literacy round transitions")


class RoundReopening(models.Model):
    """The window reopened for one school until ``until``, with the reason, by the plan officer."""

    round = models.ForeignKey(LiteracyRound, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("round"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="literacy_reopenings", verbose_name=_("school"))
    until = models.DateTimeField(_("open until"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "school", "-at"]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self) -> str:
        return f"{self.round} · {self.school.smis_code} → {self.until:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """A school's results for a round. No row yet means "not started".

    ``version`` rises with every save (optimistic concurrency); every save and submission is also
    kept as a :class:`SubmissionChange` with the full data.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    round = models.ForeignKey(LiteracyRound, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("round"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="literacy_submissions", verbose_name=_("school"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by"))

    class Meta:
        ordering = ["round", "school"]
        constraints = [models.UniqueConstraint(fields=["round", "school"], name="literacy_submission_unique_school")]
        verbose_name = _("literacy submission")
        verbose_name_plural = _("literacy submissions")

    def __str__(self) -> str:
        return f"{self.round} · {self.school}"


class GradeResult(models.Model):
    """One grade of a submission: enrolled, assessed (normal students), special-needs and absent students.

    Rule (OBEC e-read/e-write): assessed + special_needs + absent = enrolled; each skill's four
    levels add up to ``assessed``. ``enrolled_reason`` explains an enrolment that differs from the
    school registry's.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="grades", verbose_name=_("submission"))
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    enrolled = models.PositiveIntegerField(_("students enrolled"))
    enrolled_reason = models.CharField(_("why enrolment differs from the registry"), max_length=300, blank=True)
    assessed = models.PositiveIntegerField(_("students assessed"))
    special_needs = models.PositiveIntegerField(_("special-needs students"), default=0)
    absent = models.PositiveIntegerField(_("absent students"), default=0)

    class Meta:
        ordering = ["submission", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "grade"], name="grade_result_unique_grade"),
            models.CheckConstraint(
                condition=models.Q(enrolled=models.F("assessed") + models.F("special_needs") + models.F("absent")),
                name="grade_result_students_add_up",
            ),
        ]
        verbose_name = _("grade result")
        verbose_name_plural = _("grade results")

    def __str__(self) -> str:
        return f"{self.submission} {self.get_grade_display()}"


class SkillResult(models.Model):
    """Students of a grade at each level of one skill; the four counts add up to the grade's ``assessed``."""

    grade_result = models.ForeignKey(GradeResult, on_delete=models.CASCADE, related_name="skills", verbose_name=_("grade"))
    skill = models.CharField(_("skill"), max_length=24, choices=Skill.choices)
    very_good = models.PositiveIntegerField(_("very good"))
    good = models.PositiveIntegerField(_("good"))
    fair = models.PositiveIntegerField(_("fair"))
    improve = models.PositiveIntegerField(_("needs improvement"))

    class Meta:
        ordering = ["grade_result", "skill"]
        constraints = [models.UniqueConstraint(fields=["grade_result", "skill"], name="skill_result_unique_skill")]
        verbose_name = _("skill result")
        verbose_name_plural = _("skill results")

    def __str__(self) -> str:
        return f"{self.grade_result} {self.get_skill_display()}"

    @property
    def total(self) -> int:
        return self.very_good + self.good + self.fair + self.improve


class SubmissionChange(models.Model):
    """Every save, submission, correction and reopening of a submission, with the data as it was then.

    ``data`` shape: ``{"grades": [{"grade", "enrolled", "enrolled_reason", "assessed", "special_needs",
    "absent", "skills": {skill: [very_good, good, fair, improve]}}]}``.
    """

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved as draft")
        SUBMITTED = "submitted", _("Submitted")
        CORRECTED = "corrected", _("Corrected after submission")
        UPLOADED = "uploaded", _("Uploaded from Excel")
        REOPENED = "reopened", _("Reopened by the office")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes", verbose_name=_("submission"))
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    data = models.JSONField(_("data"), default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("submission change")
        verbose_name_plural = _("submission changes")

    def __str__(self) -> str:
        return f"{self.submission} v{self.version} {self.get_action_display()}"
