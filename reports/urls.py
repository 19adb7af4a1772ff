from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/", views.annual_report, name="annual-report"),
    path("o/<str:area_code>/annual-report/<int:fiscal_year>/build/", views.build_annual_report, name="build-annual-report"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", views.download_job, name="job-download"),
]
