"""The demo evaluations on the demo office (``evaluation.demo.load_evaluation_demo`` after ``load_demo``)."""
from __future__ import annotations

import pytest

from demo.loader import load_demo
from emes.models import Office
from evaluation.demo import load_evaluation_demo
from evaluation.models import Evaluation, Response
from evaluation.results import evaluation_results
from plans.evaluation import plan_evaluation

pytestmark = pytest.mark.django_db


def test_the_demo_office_gets_a_satisfaction_survey_and_the_plan_evaluation():
    load_demo()
    office = Office.objects.get(area_code="5402")
    made = load_evaluation_demo(office)
    sat = made["satisfaction"]
    assert sat.status == "open" and sat.public and sat.form.standard == "satisfaction"
    assert evaluation_results(sat).responses == 30
    plan = made["plan"]
    assert plan.status == "closed" and Response.objects.filter(evaluation=plan, user__isnull=False).count() > 5
    data = plan_evaluation(office, 2569)
    assert len(data.rows) == 40 and data.plan_rating.n > 0
    assert next(r for r in data.rows if r.project.pk == sat.target_id).rating.n == 300
    again = load_evaluation_demo(office)
    assert again["satisfaction"].pk == sat.pk and Evaluation.objects.filter(office=office).count() == 2
