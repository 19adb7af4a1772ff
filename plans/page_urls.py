"""URLs of the plan pages (overview, projects, indicators, approval); part of the ``plans`` namespace."""
from django.urls import path

from . import evaluation_views, views

urlpatterns: list = [
    path("o/<str:area_code>/plan/<int:fiscal_year>/", views.plan, name="plan"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/v<int:version>/", views.plan_version, name="plan-version"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/transition/", views.plan_transition, name="plan-transition"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/indicators/", views.indicators, name="indicators"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/evaluation/", evaluation_views.plan_evaluation_page, name="plan-evaluation"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/evaluation/pdf/", evaluation_views.plan_evaluation_pdf, name="plan-evaluation-pdf"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/evaluation/judge/", evaluation_views.judge_project, name="plan-evaluation-judge"),
    path("o/<str:area_code>/projects/<int:pk>/", views.project, name="project"),
    path("o/<str:area_code>/projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
]
