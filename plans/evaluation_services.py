"""The plan officer confirms each project's overall judgement in the evaluation of the plan (docs/evaluation.md,
"The evaluation of the plan"; seeds/000_d8cb346cea5094fa.txt ข้อ ๕.๓ ๔: สรุปผลการประเมินเสนอฝ่ายบริหาร)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emes.access import roles_in
from emes.models import Role
from emes.text import clean_text

from .evaluation import Judgement, plan_evaluation_row
from .models import Project, ProjectJudgement


def confirm_judgement(project: Project, *, by, judgement: str, comment: str = "") -> ProjectJudgement:
    """Record the plan officer's overall judgement of ``project`` (a ``Judgement`` value) with the suggestion of the day.

    A judgement other than the suggested one needs a comment. Raises ``PermissionDenied`` unless ``by`` is the plan
    officer of the project's office (every caller, not only the page), ``ValidationError`` (Thai) for a bad judgement.
    """
    if Role.PLAN_OFFICER not in roles_in(by, project.office):
        raise PermissionDenied
    if judgement not in Judgement.values:
        raise ValidationError({"judgement": _("Choose a judgement.")})
    comment = clean_text(comment or "", multiline=True)[:2000]
    row = plan_evaluation_row(project)
    if judgement != row.suggested and not comment:
        raise ValidationError({"comment": _("Say why the judgement differs from the one the figures suggest.")})
    with transaction.atomic():
        obj, _created = ProjectJudgement.objects.update_or_create(
            project=project, defaults={"judgement": judgement, "suggested": row.suggested, "comment": comment, "confirmed_by": by})
    return obj
