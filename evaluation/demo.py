"""Demo evaluations for the demo office (issue 16), built through the services like a person would.

``load_evaluation_demo(office, *, today=None) -> dict`` (call it after ``demo.loader.load_demo``; idempotent: a second
call finds what the first made and changes nothing):

- a satisfaction survey built from the standard form (after form ๙.๑) for the office's first project of FY 2569,
  open from a week before ``today`` to 30 days after it, public link and QR code, with 30 generated public answers;
- the FY 2569 evaluation of the annual action plan with the CIPP standard form, asked of the division heads and project
  owners, answered by most of them in September–October 2026 (seeds/000 ข้อ ๕.๓) and closed. The plan evaluation page
  (``plans:plan-evaluation``) then covers every demo project with its facts.

The answers are GENERATED (deterministic, ``random.Random(16)``), not real opinions: say so wherever they are shown.
The projects and the plan are found through the target registry (``evaluation.targets``), so this module imports no app.
"""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from emes.models import Membership, Office, Role

from . import services
from .models import Evaluation, EvaluationForm
from .targets import target_kind

SATISFACTION_TITLE = "ความพึงพอใจของผู้เข้าร่วมโครงการ %s (ข้อมูลสาธิต)"
PLAN_TITLE = "ประเมินผลแผนปฏิบัติการประจำปีงบประมาณ 2569 (ข้อมูลสาธิต)"
OPEN_TEXTS = ["ควรจัดกิจกรรมนี้อย่างต่อเนื่อง", "ระยะเวลาน้อยเกินไป", "วิทยากรให้ความรู้ดีมาก", "ควรจัดอีกในปีหน้า", ""]


def _answers(items, rng: random.Random, weights=(1, 2, 6, 12, 10)) -> dict:
    data = {}
    for item in items:
        if item.kind == "rating":
            data[f"item-{item.pk}"] = str(rng.choices([1, 2, 3, 4, 5], weights=weights)[0])
        elif item.kind == "choice":
            data[f"item-{item.pk}"] = rng.choice(item.choices)
        elif item.kind == "yes_no":
            data[f"item-{item.pk}"] = rng.choice(["yes", "yes", "yes", "no"])
        elif item.kind == "text":
            data[f"item-{item.pk}"] = rng.choice(OPEN_TEXTS)
        else:
            data[f"item-{item.pk}"] = str(rng.randint(1, 20))
    return data


def load_evaluation_demo(office: Office, *, today: dt.date | None = None) -> dict:
    """Build the demo evaluations of ``office`` (module docstring). Returns ``{"satisfaction": Evaluation,
    "plan": Evaluation | None}``; raises ``LookupError`` when the office has no plan officer or no FY 2569 project."""
    today = today or timezone.localdate()
    rng = random.Random(16)
    planner = Membership.objects.filter(office=office, role=Role.PLAN_OFFICER).select_related("user").order_by("pk").first()
    if planner is None:
        raise LookupError("the demo office has no plan officer")
    by = planner.user
    projects = [p for p in target_kind("project").choices(office) if p.fiscal_year == 2569]
    if not projects:
        raise LookupError("the demo office has no FY 2569 project")
    project = sorted(projects, key=lambda p: p.code)[0]

    title = SATISFACTION_TITLE % project.code
    satisfaction = Evaluation.objects.filter(office=office, title=title).first()
    if satisfaction is None:
        form = services.create_form(office, by=by, title="", standard="satisfaction")
        satisfaction = services.create_evaluation(
            office, by=by, form=form, title=title, target=project, opens_on=today - dt.timedelta(days=7),
            closes_on=today + dt.timedelta(days=30), public=True)
        services.open_evaluation(satisfaction, by=by)
        satisfaction.refresh_from_db()
        items = services.form_items(form)
        for _ in range(30):
            services.submit_answers(satisfaction, _answers(items, rng), items=items, on=today)

    plan_eval = Evaluation.objects.filter(office=office, title=PLAN_TITLE).first()
    plans = [p for p in target_kind("plan").choices(office) if p.fiscal_year == 2569] if target_kind("plan") else []
    if plan_eval is None and plans:
        form = EvaluationForm.objects.filter(office=office, standard="plan_cipp").first() or services.create_form(
            office, by=by, title="", standard="plan_cipp")
        plan_eval = services.create_evaluation(
            office, by=by, form=form, title=PLAN_TITLE, target=plans[0], opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 10, 31),
            public=False, roles=[Role.DIVISION_HEAD, Role.PROJECT_OWNER])
        services.open_evaluation(plan_eval, by=by)
        plan_eval.refresh_from_db()
        items = services.form_items(form)
        respondents = list(plan_eval.respondents.select_related("user").order_by("user__username"))
        for i, r in enumerate(respondents):
            if i % 5 == 4:
                continue  # some never answer
            services.submit_answers(plan_eval, _answers(items, rng, weights=(0, 1, 5, 10, 6)), user=r.user, items=items,
                                    on=dt.date(2026, 9, 10) + dt.timedelta(days=i))
        services.close_evaluation(plan_eval, by=by)
    return {"satisfaction": satisfaction, "plan": plan_eval}
