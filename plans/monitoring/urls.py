"""URLs of plans.monitoring (quarterly reports, evidence, the review inbox); part of the ``plans`` namespace."""
from django.urls import path

from . import views

REPORT = "o/<str:area_code>/projects/<int:pk>/reports/<int:quarter>/"

urlpatterns: list = [
    path(REPORT, views.report, name="report"),
    path(REPORT + "edit/", views.report_edit, name="report-edit"),
    path(REPORT + "transition/", views.report_transition, name="report-transition"),
    path(REPORT + "evidence/", views.evidence_upload, name="evidence-upload"),
    path("o/<str:area_code>/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("o/<str:area_code>/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("o/<str:area_code>/reports/inbox/", views.review_inbox, name="review-inbox"),
]
