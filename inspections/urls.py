"""URLs of inspection rounds (issue 8), mounted at ``/inspections/``: the office side under ``o/<area_code>/``,
the unit side (school accounts, division heads, project owners) under ``my/``."""
from django.urls import path

from . import unit_views, views

app_name = "inspections"

urlpatterns = [
    path("o/<str:area_code>/", views.rounds, name="rounds"),
    path("o/<str:area_code>/new/", views.round_create, name="round-create"),
    path("o/<str:area_code>/recommendations/", views.office_recommendations, name="office-recommendations"),
    path("o/<str:area_code>/recommendations/<int:rec_pk>/", views.recommendation, name="recommendation"),
    path("o/<str:area_code>/<int:pk>/", views.round_page, name="round"),
    path("o/<str:area_code>/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("o/<str:area_code>/<int:pk>/action/", views.round_action, name="round-action"),
    path("o/<str:area_code>/<int:pk>/issues/", views.issues, name="issues"),
    path("o/<str:area_code>/<int:pk>/issues/add/", views.issue_add, name="issue-add"),
    path("o/<str:area_code>/<int:pk>/issues/<int:issue_pk>/edit/", views.issue_edit, name="issue-edit"),
    path("o/<str:area_code>/<int:pk>/issues/<int:issue_pk>/delete/", views.issue_delete, name="issue-delete"),
    path("o/<str:area_code>/<int:pk>/issues/<int:issue_pk>/indicators/add/", views.indicator_add, name="indicator-add"),
    path("o/<str:area_code>/<int:pk>/indicators/<int:indicator_pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("o/<str:area_code>/<int:pk>/indicators/<int:indicator_pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("o/<str:area_code>/<int:pk>/issues/copy/", views.issues_copy, name="issues-copy"),
    path("o/<str:area_code>/<int:pk>/issues/template/", views.issues_template, name="issues-template"),
    path("o/<str:area_code>/<int:pk>/issues/import/", views.issues_import, name="issues-import"),
    path("o/<str:area_code>/<int:pk>/form/", views.form_page, name="form"),
    path("o/<str:area_code>/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("o/<str:area_code>/<int:pk>/responses/<int:dispatch_pk>/", views.response, name="response"),
    path("o/<str:area_code>/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("follow-up/<int:pk>/file/", views.follow_up_file, name="follow-up-file"),
    path("my/", unit_views.my_forms, name="my-forms"),
    path("my/<int:pk>/", unit_views.answer, name="answer"),
    path("my/<int:pk>/evidence/", unit_views.answer_evidence, name="answer-evidence"),
    path("my/<int:pk>/evidence/<int:evidence_pk>/delete/", unit_views.answer_evidence_delete, name="answer-evidence-delete"),
]
