"""The plan officer's confirmed judgement of each project in the evaluation of the annual action plan
(seeds/000_d8cb346cea5094fa.txt ข้อ ๕.๓; docs/evaluation.md, "The evaluation of the plan")."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .projects import Project


class ProjectJudgement(models.Model):
    """The overall judgement of one project, confirmed (or changed, with a comment) by the plan officer.

    The figures behind it are not stored: the plan evaluation page derives them from the plan's results each time;
    ``suggested`` keeps what EMES suggested when the officer confirmed, so a change of mind is visible.
    """

    class Judgement(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved its goals")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Did not achieve its goals")
        UNKNOWN = "unknown", _("Cannot be judged yet")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="judgement", verbose_name=_("project"))
    judgement = models.CharField(_("judgement"), max_length=14, choices=Judgement.choices)
    suggested = models.CharField(_("suggested by EMES"), max_length=14, choices=Judgement.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now=True)

    class Meta:
        verbose_name = _("project judgement")
        verbose_name_plural = _("project judgements")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_judgement_display()}"
