from django.urls import path

from . import views
from .publication import views as life

app_name = "reports"

urlpatterns = [
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/", views.annual_report, name="annual-report"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/build/", views.build_annual_report, name="build-annual-report"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/request/", life.request_report, name="request-annual-report"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/v<int:version>/edit/", life.edit_narrative, name="annual-report-edit"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/v<int:version>/move/", life.transition, name="annual-report-transition"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/v<int:version>/pdf/", life.download_frozen, name="annual-report-pdf"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", views.download_job, name="job-download"),
]
