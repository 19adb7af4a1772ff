"""The strategic frame and the annual action plan's versions, transitions and workbook imports."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.audit.models import TransitionBase, transition_status_fields
from emes.models import Office
from emes.querysets import OfficeScopedQuerySet


class Strategy(models.Model):
    """A level of the strategic frame for a fiscal year (BE).

    National strategy and OBEC policy rows have no office and are shared by all offices;
    office strategies (กลยุทธ์) belong to one office and may point to the policy they serve.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("National strategy")
        MINISTRY = "ministry", _("Ministry policy")
        OBEC = "obec", _("OBEC policy")
        OFFICE = "office", _("Office strategy")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="strategies", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    goal = models.TextField(_("goal"), blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("serves"))

    class Meta:
        ordering = ["fiscal_year", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "level", "code"], name="strategy_unique_code"),
            models.UniqueConstraint(
                fields=["fiscal_year", "level", "code"], condition=models.Q(office__isnull=True), name="shared_strategy_unique_code"
            ),
        ]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return f"{self.code} {self.name[:80]}"


class ActionPlanQuerySet(OfficeScopedQuerySet):
    """Plans of the offices where ``user`` is staff (``emes.access``)."""

    office_path = "office"

    def current(self, office: Office, fiscal_year: int) -> "ActionPlan | None":
        """The newest version of the office's plan for the fiscal year (``None`` before the first)."""
        return self.filter(office=office, fiscal_year=fiscal_year).order_by("-version").first()


class ActionPlan(models.Model):
    """One version of an office's annual action plan (แผนปฏิบัติการประจำปี) for a fiscal year (BE).

    Workflow (docs/workflows.md): draft → submitted (plan officer) → approved (director), or back
    to draft with the director's comment. An approved plan is read-only; an amendment opens
    version n+1 as a draft with its reason, and the approved version becomes superseded but stays
    readable from ``snapshot`` (its projects, budget lines, activities and indicators as approved).
    Only ``plans.services`` changes ``status``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    snapshot = models.JSONField(_("content as approved"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "version"], name="action_plan_unique_version"),
            # One version at a time is open for change (draft or submitted).
            models.UniqueConstraint(
                fields=["office", "fiscal_year"], condition=models.Q(status__in=["draft", "submitted"]), name="action_plan_one_open_version"
            ),
        ]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.office} FY {self.fiscal_year} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """Whether the plan's projects may change (a draft only)."""
        return self.status == self.Status.DRAFT


class PlanTransition(TransitionBase):
    """A recorded move of an action plan between statuses: who, when, from, to, and the comment."""

    subject_field = "plan"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("action plan"))
    from_status, to_status = transition_status_fields(ActionPlan.Status, max_length=12)

    class Meta(TransitionBase.Meta):
        ordering = ["plan", "at", "id"]
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")


class PlanImport(models.Model):
    """An uploaded action-plan workbook: previewed first, then applied all or nothing (``plans.workbook``).

    ``summary`` holds the counts of the preview or the applied change, e.g. ``{"projects_added": n,
    "projects_changed": n, "indicators": n, "activities": n}``.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="plan_imports", verbose_name=_("office"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    file = models.FileField(_("file"), upload_to="imports/plans/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.original_name} · {self.office} FY {self.fiscal_year} · {self.get_status_display()}"
