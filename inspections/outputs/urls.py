"""URLs of the inspection outputs (issue 8 "Outputs"), mounted at ``/inspections/reports/``."""
from django.urls import path

from . import views

app_name = "inspection-reports"

urlpatterns = [
    path("o/<str:area_code>/rounds/<int:pk>/report.pdf", views.round_pdf, name="round-pdf"),
    path("o/<str:area_code>/rounds/<int:pk>/responses.xlsx", views.responses_xlsx, name="responses-xlsx"),
    path("o/<str:area_code>/follow-up/", views.follow_up, name="follow-up"),
    path("o/<str:area_code>/follow-up/report.pdf", views.follow_up_pdf_view, name="follow-up-pdf"),
    path("o/<str:area_code>/follow-up/follow-up.xlsx", views.follow_up_xlsx, name="follow-up-xlsx"),
]
